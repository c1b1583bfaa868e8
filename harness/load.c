/*
 * load.c - how busy the machine is (see load.h).
 *
 * Two snapshots of /proc, window_s apart: the system's busy and steal
 * time from /proc/stat, and each process's CPU time from /proc/<pid>/stat
 * (the one reader of both: the runner's per-sample figures use it too). This process sleeps between them, so whatever was
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
	double cpu_s;
	char name[32];
};

bool load_system_cpu(double *busy, double *steal, long *runnable)
{
	unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
			   st = 0;
	char buf[512];
	FILE *f = fopen("/proc/stat", "r");
	double hz = (double)sysconf(_SC_CLK_TCK);
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) &&
	     sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle,
		    &iowait, &irq, &softirq, &st) >= 7;
	/* guest time is already inside user time */
	*busy = (double)(user + nice + sys + irq + softirq) / hz;
	*steal = (double)st / hz;
	while (ok && runnable && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "procs_running %ld", runnable) == 1)
			break;
	fclose(f);
	return ok;
}

bool load_process_cpu(int pid, double *user, double *sys, char *name, size_t namelen)
{
	char path[64], buf[1024], *open_paren, *close_paren;
	unsigned long ut, st;
	double hz = (double)sysconf(_SC_CLK_TCK);
	FILE *f;

	*user = *sys = 0;
	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	open_paren = fgets(buf, sizeof(buf), f) ? strchr(buf, '(') : NULL;
	close_paren = open_paren ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
	if (!close_paren || sscanf(close_paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
					    "%lu %lu", &ut, &st) != 2)
		return false;
	*user = (double)ut / hz;
	*sys = (double)st / hz;
	if (name)
		snprintf(name, namelen, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	return true;
}

/* Every process's CPU seconds so far; returns how many were read. */
static size_t snapshot(struct proc_ticks *out, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while (n < max && (e = readdir(d))) {
		int pid = atoi(e->d_name);
		double user, sys;

		if (pid <= 0 || pid == getpid() ||
		    !load_process_cpu(pid, &user, &sys, out[n].name, sizeof(out[n].name)))
			continue;
		out[n].pid = pid;
		out[n].cpu_s = user + sys;
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
			  size_t na, struct machine_load *m)
{
	for (size_t i = 0, j = 0; i < na; i++) {
		double used, cores;

		while (j < nb && before[j].pid < after[i].pid)
			j++;
		used = j < nb && before[j].pid == after[i].pid ? after[i].cpu_s - before[j].cpu_s
							       : 0; /* born meanwhile: unknown */
		cores = used / m->window_s;
		if (used <= 0)
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
	double busy0, busy1, steal0, steal1, t0, la[1];
	long running = 0;
	size_t nb, na;
	struct timespec ts = { .tv_sec = (time_t)window_s,
			       .tv_nsec = (long)((window_s - (double)(time_t)window_s) * 1e9) };

	memset(m, 0, sizeof(*m));
	if (!before)
		return -1;
	after = before + LOAD_MAX_PROCS;
	t0 = sample_now();
	nb = snapshot(before, LOAD_MAX_PROCS);
	if (!load_system_cpu(&busy0, &steal0, NULL)) {
		free(before);
		return -1;
	}
	while (nanosleep(&ts, &ts) < 0)
		;
	load_system_cpu(&busy1, &steal1, &running);
	na = snapshot(after, LOAD_MAX_PROCS);
	m->window_s = sample_now() - t0;
	m->others_cores = (busy1 - busy0) / m->window_s;
	m->steal_cores = (steal1 - steal0) / m->window_s;
	m->runnable = running > 0 ? running - 1 : 0; /* this process reads it */
	if (getloadavg(la, 1) == 1)
		m->loadavg1 = la[0];
	qsort(before, nb, sizeof(*before), cmp_pid);
	qsort(after, na, sizeof(*after), cmp_pid);
	top_consumers(before, nb, after, na, m);
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
