/*
 * load.c - how busy the machine is (see load.h).
 *
 * Two snapshots of /proc, window_s apart: the system's busy and steal
 * ticks from /proc/stat, and each process's CPU ticks from
 * /proc/<pid>/stat. This process sleeps between them, so whatever was
 * busy was someone else.
 */
#include "load.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define LOAD_MAX_PROCS 4096

struct proc_ticks {
	int pid;
	unsigned long long ticks;
	char name[32];
};

static bool stat_line(unsigned long long *busy, unsigned long long *steal, long *running)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, st = 0;
	char buf[512];
	FILE *f = fopen("/proc/stat", "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) &&
	     sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle,
		    &iowait, &irq, &softirq, &st) >= 7;
	*busy = user + nice + sys + irq + softirq;
	*steal = st;
	*running = 0;
	while (ok && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "procs_running %ld", running) == 1)
			break;
	fclose(f);
	return ok;
}

/* Every process's CPU ticks so far; returns how many were read. */
static size_t snapshot(struct proc_ticks *out, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while (n < max && (e = readdir(d))) {
		char path[64], buf[1024], *open_paren, *close_paren;
		unsigned long ut, st;
		FILE *f;
		int pid = atoi(e->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		open_paren = fgets(buf, sizeof(buf), f) ? strchr(buf, '(') : NULL;
		close_paren = open_paren ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (!close_paren || sscanf(close_paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
						    "%lu %lu", &ut, &st) != 2)
			continue;
		out[n].pid = pid;
		out[n].ticks = ut + st;
		snprintf(out[n].name, sizeof(out[n].name), "%.*s", (int)(close_paren - open_paren - 1),
			 open_paren + 1);
		n++;
	}
	closedir(d);
	return n;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc_ticks *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The biggest consumers between two snapshots (sorted by pid). */
static void top_consumers(struct proc_ticks *before, size_t nb, struct proc_ticks *after,
			  size_t na, double hz, struct machine_load *m)
{
	for (size_t i = 0, j = 0; i < na; i++) {
		unsigned long long used;
		double cores;

		while (j < nb && before[j].pid < after[i].pid)
			j++;
		used = j < nb && before[j].pid == after[i].pid ? after[i].ticks - before[j].ticks
							       : 0; /* born meanwhile: unknown */
		cores = (double)used / hz / m->window_s;
		if (used == 0)
			continue;
		for (size_t k = 0; k < LOAD_TOP; k++) {
			if (k < m->ntop && m->top[k].cores >= cores)
				continue;
			memmove(&m->top[k + 1], &m->top[k], (LOAD_TOP - 1 - k) * sizeof(m->top[0]));
			snprintf(m->top[k].name, sizeof(m->top[k].name), "%s", after[i].name);
			m->top[k].cores = cores;
			if (m->ntop < LOAD_TOP)
				m->ntop++;
			break;
		}
	}
}

int load_measure(double window_s, struct machine_load *m)
{
	struct proc_ticks *before = malloc(2 * LOAD_MAX_PROCS * sizeof(*before)), *after;
	unsigned long long busy0, busy1, steal0, steal1;
	long running;
	double hz = (double)sysconf(_SC_CLK_TCK), t0, la[1];
	size_t nb, na;
	struct timespec ts = { .tv_sec = (time_t)window_s,
			       .tv_nsec = (long)((window_s - (double)(time_t)window_s) * 1e9) };

	memset(m, 0, sizeof(*m));
	if (!before)
		return -1;
	after = before + LOAD_MAX_PROCS;
	t0 = sample_now();
	nb = snapshot(before, LOAD_MAX_PROCS);
	if (!stat_line(&busy0, &steal0, &running)) {
		free(before);
		return -1;
	}
	while (nanosleep(&ts, &ts) < 0)
		;
	stat_line(&busy1, &steal1, &running);
	na = snapshot(after, LOAD_MAX_PROCS);
	m->window_s = sample_now() - t0;
	m->others_cores = (double)(busy1 - busy0) / hz / m->window_s;
	m->steal_cores = (double)(steal1 - steal0) / hz / m->window_s;
	m->runnable = running > 0 ? running - 1 : 0; /* this process reads it */
	if (getloadavg(la, 1) == 1)
		m->loadavg1 = la[0];
	qsort(before, nb, sizeof(*before), cmp_pid);
	qsort(after, na, sizeof(*after), cmp_pid);
	top_consumers(before, nb, after, na, hz, m);
	free(before);
	return 0;
}

bool load_busy(const struct machine_load *m)
{
	return m->others_cores + m->steal_cores > INTERFERENCE_CORES;
}

void load_describe(const struct machine_load *m, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%.2f cores used by others over %.1f s",
				       m->others_cores, m->window_s);

	if (m->steal_cores > 0.005 && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", %.2f cores stolen by the hypervisor",
					 m->steal_cores);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, " (load average %.2f, %ld runnable)",
					 m->loadavg1, m->runnable);
	for (size_t k = 0; k < m->ntop && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s %.2f", k ? ", " : "; top: ",
					 m->top[k].name, m->top[k].cores);
}

json_t *load_json(const struct machine_load *m)
{
	json_t *top = json_array();

	for (size_t k = 0; k < m->ntop; k++)
		json_array_append_new(top, json_pack("{s:s, s:f}", "name", m->top[k].name, "cores",
						     m->top[k].cores));
	return json_pack("{s:f, s:f, s:f, s:f, s:I, s:o, s:b}", "window_s", m->window_s,
			 "others_cores", m->others_cores, "steal_cores", m->steal_cores,
			 "loadavg1", m->loadavg1, "runnable", (json_int_t)m->runnable, "top", top,
			 "busy", load_busy(m));
}
