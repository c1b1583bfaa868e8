/*
 * runner.c - cells in long-lived forked processes, one sample per step
 * (see runner.h).
 *
 * ==== Layout ====
 * child side:   cell_child() sets up the workload and says READY, then
 *               takes one sample per command byte and sends its record,
 *               until told to quit (or the parent is gone): teardown, DONE.
 * parent side:  cell_run_step() starts the process on the first visit,
 *               sends a command, reads the record (or EOF, or the
 *               deadline), marks disturbed samples and applies the
 *               sampling rule; a finished cell's process group is killed
 *               and reaped, and its fate named.
 */
#include "runner.h"

#include "concbench/fault.h"

#include <errno.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "load.h"
#include "stats.h"

enum msg_type { MSG_READY, MSG_SAMPLE, MSG_SETUP_ERROR, MSG_DONE };

/* The parent's commands, one byte each. */
#define CMD_SAMPLE 's'
#define CMD_QUIT 'q'

/* Small enough (< PIPE_BUF) that each write reaches the parent whole. */
struct msg {
	int type;
	struct sample_record rec;
};

_Static_assert(sizeof(struct msg) <= 4096, "a record must fit in one atomic pipe write");

/* The process groups of the cells alive, and the fixture's, for the
 * signal handler; the parent's ends of their pipes, which every other cell
 * process must close (or a dead cell's EOF would never come). */
static volatile sig_atomic_t live_pgid[RUNNER_MAX_LIVE];
static int live_fds[RUNNER_MAX_LIVE][2];
static volatile sig_atomic_t fixture_pgid;

/* ==== Scratch folders ==== */

/* Where cells' scratch folders go: <run folder>/scratch, or under TMPDIR
 * for a cell run outside one (once). */
static char scratch_base[PATH_MAX];
/* The scratch folder of the cell being forked, for its process to see. */
static char child_scratch[PATH_MAX];
/* Each live slot's note (sample_note), shared with its cell's process: what
 * its strategy last heard, named when the cell must be killed. */
static char (*live_notes)[SAMPLE_NOTE_MAX];
/* The note of the cell being forked. */
static char *child_note;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Removes a folder and everything in it; nothing to do when it is absent. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void runner_set_scratch_base(const char *run_dir)
{
	snprintf(scratch_base, sizeof(scratch_base), "%s/scratch", run_dir);
	/* No cell is alive between experiments: anything here was left by a
	 * harness that was killed outright. */
	remove_tree(scratch_base);
}

/* A new empty folder for a cell whose workload asks for one, into path;
 * "" for any other. Returns 0, or -1 with the reason in err. */
static int make_scratch(const struct cell *c, char *path, size_t len, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char base[PATH_MAX];

	path[0] = '\0';
	if (!(c->workload->flags & WORKLOAD_SCRATCH))
		return 0;
	if (scratch_base[0])
		snprintf(base, sizeof(base), "%s", scratch_base);
	else
		snprintf(base, sizeof(base), "%s/concbench-scratch", tmp && *tmp ? tmp : "/tmp");
	if (mkdir(base, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create the scratch folder '%.200s': %s", base,
			 strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(path, len, "%s/cell-XXXXXX", base) >= len || !mkdtemp(path)) {
		snprintf(err, errlen, "cannot create a scratch folder in '%.200s': %s", base,
			 strerror(errno));
		path[0] = '\0';
		return -1;
	}
	return 0;
}

/* Removes a cell's scratch folder once its processes are gone, and the
 * base with it when no other cell's is left there. */
static void drop_scratch(char *path)
{
	char *slash;

	if (!path[0])
		return;
	remove_tree(path);
	slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		rmdir(path); /* fails while another cell's folder is there */
	}
	path[0] = '\0';
}

void runner_set_fixture_pid(int pid)
{
	fixture_pgid = pid;
}

static const char *const status_names[] = {
	[CELL_OK] = "ok",
	[CELL_FAILED] = "failed",
	[CELL_TIMEOUT] = "timeout",
};

const char *cell_status_name(enum cell_status status)
{
	return (size_t)status < sizeof(status_names) / sizeof(status_names[0]) ? status_names[status]
									      : "?";
}

bool cell_status_parse(const char *name, enum cell_status *status)
{
	int k = names_find(status_names, sizeof(status_names) / sizeof(status_names[0]), name);

	if (k >= 0)
		*status = (enum cell_status)k;
	return k >= 0;
}

static const char *const stop_names[] = {
	[STOP_NONE] = NULL,
	[STOP_PRECISION] = "precision",
	[STOP_MAX_TIME] = "max-time",
	[STOP_MAX_REPEAT] = "max-repeat",
};

const char *stop_reason_name(enum stop_reason stop)
{
	return (size_t)stop < sizeof(stop_names) / sizeof(stop_names[0]) ? stop_names[stop] : NULL;
}

bool stop_reason_parse(const char *name, enum stop_reason *stop)
{
	int k = names_find(stop_names, sizeof(stop_names) / sizeof(stop_names[0]), name);

	if (k > 0) /* STOP_NONE has no name */
		*stop = (enum stop_reason)k;
	return k > 0;
}

static const char *const fixture_clock_names[] = {
	[FIXTURE_CLOCK_NONE] = NULL,
	[FIXTURE_CLOCK_CPU] = "cpu-clock",
	[FIXTURE_CLOCK_TICKS] = "proc-ticks",
};

const char *fixture_clock_name(enum fixture_clock clock)
{
	return (size_t)clock < sizeof(fixture_clock_names) / sizeof(fixture_clock_names[0])
		       ? fixture_clock_names[clock] : NULL;
}

bool fixture_clock_parse(const char *name, enum fixture_clock *clock)
{
	int k = names_find(fixture_clock_names,
			   sizeof(fixture_clock_names) / sizeof(fixture_clock_names[0]), name);

	if (k > 0) /* FIXTURE_CLOCK_NONE has no name */
		*clock = (enum fixture_clock)k;
	return k > 0;
}

/* ==== Child side ==== */

static void send_msg(int fd, const struct msg *m)
{
	const char *p = (const char *)m;
	size_t left = sizeof(*m);

	while (left > 0) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3); /* the parent is gone: nobody to report to */
		p += n;
		left -= (size_t)n;
	}
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Peak resident set of another process so far (VmHWM), in KiB; 0 if gone. */
static long process_peak_rss_kb(int pid)
{
	char path[64], line[256];
	long kb = 0;
	FILE *f;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * The fixture's CPU seconds so far (user + sys, every thread of it), and
 * how they were read: its CPU clock counts nanoseconds; /proc's ticks
 * (10 ms) are the fallback where the kernel does not give the clock.
 */
static double fixture_cpu_now(int pid, enum fixture_clock *how)
{
	struct timespec ts;
	clockid_t cid;
	double user, sys;

	*how = FIXTURE_CLOCK_NONE;
	if (pid <= 0)
		return 0;
	if (clock_getcpuclockid(pid, &cid) == 0 && clock_gettime(cid, &ts) == 0) {
		*how = FIXTURE_CLOCK_CPU;
		return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	}
	*how = FIXTURE_CLOCK_TICKS;
	return load_process_cpu(pid, &user, &sys, NULL, 0) ? user + sys : NAN;
}

/*
 * The cell's memory at the end of a sample: this process's PSS and RSS
 * plus what its workers added (sample_add_child_memory). NAN when any is
 * unknown, or when fewer workers added theirs than the strategy reaped:
 * a partial sum would understate.
 */
static void cell_memory(const struct sample *s, double *pss_kb, double *rss_kb)
{
	long pss, rss;

	*pss_kb = *rss_kb = NAN;
	if (sample_self_memory(&pss, &rss) < 0 ||
	    atomic_load(&s->child_memory.count) != s->children.count)
		return;
	*pss_kb = (double)(pss + atomic_load(&s->child_memory.pss_kb));
	*rss_kb = (double)(rss + atomic_load(&s->child_memory.rss_kb));
}

/*
 * Sorts n latencies, ascending. A large sample (cpu.noop has 200,000
 * tasks) would spend longer in qsort than in its timed run, out of the
 * cell's sampling budget: above RADIX_MIN, an LSD radix sort of the bit
 * patterns (non-negative doubles order like their bits), 4 passes of 16
 * bits.
 */
#define RADIX_MIN 4096
static void sort_latencies(double *x, size_t n)
{
	static uint64_t *keys;
	static size_t cap;
	static size_t count[4][1 << 16];
	uint64_t *from, *to;

	if (n > cap && n >= RADIX_MIN) {
		uint64_t *more = realloc(keys, 2 * n * sizeof(*more));

		if (more) {
			keys = more;
			cap = n;
		}
	}
	if (n < RADIX_MIN || n > cap) {
		qsort(x, n, sizeof(*x), cmp_double);
		return;
	}
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		double v = x[i] > 0 ? x[i] : 0; /* a clock never runs back; -0 and NAN sort first */

		memcpy(&keys[i], &v, sizeof(v));
		for (int d = 0; d < 4; d++)
			count[d][(keys[i] >> (16 * d)) & 0xffff]++;
	}
	from = keys;
	to = keys + n;
	for (int d = 0; d < 4; d++) {
		size_t sum = 0;

		for (size_t b = 0; b < (1 << 16); b++) {
			size_t c = count[d][b];

			count[d][b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[d][(from[i] >> (16 * d)) & 0xffff]++] = from[i];
		from = to;
		to = from == keys ? keys + n : keys;
	}
	for (size_t i = 0; i < n; i++)
		memcpy(&x[i], &from[i], sizeof(x[i]));
}

static void record_sample(const struct sample *s, const struct rusage *r0,
			  const struct rusage *r1, double wall, double *lat,
			  struct sample_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	/* Another program ran the tasks: its own clock times them, ours the
	 * whole program (start-up and exit too). */
	rec->wall_s = s->external ? s->external_wall_s : wall;
	rec->process_s = s->external ? wall : NAN;
	rec->user_s = tv_seconds(r1->ru_utime) - tv_seconds(r0->ru_utime) + s->children.user_s;
	rec->sys_s = tv_seconds(r1->ru_stime) - tv_seconds(r0->ru_stime) + s->children.sys_s;
	rec->nvcsw = r1->ru_nvcsw - r0->ru_nvcsw + s->children.nvcsw;
	rec->nivcsw = r1->ru_nivcsw - r0->ru_nivcsw + s->children.nivcsw;
	rec->max_rss_kb = r1->ru_maxrss + s->children.maxrss_kb;
	rec->rss_processes = s->children.count;
	for (size_t i = 0; i < s->ntasks && !s->external; i++)
		lat[i] = s->end[i] - s->start[i];
	if (!s->external)
		sort_latencies(lat, s->ntasks);
	for (size_t q = 0; q < LATENCY_QUANTILES; q++)
		rec->task_latq[q] = s->external ? NAN /* no task was stamped here */
			: stats_quantile_sorted(lat, s->ntasks, (double)q / (LATENCY_QUANTILES - 1));
	rec->task_p50_s = rec->task_latq[50];
	rec->task_p99_s = rec->task_latq[99];
	rec->digest = sample_digest(s);
	rec->tally_count = s->has_tally ? s->tally.count : NAN;
	rec->tally_expected = s->has_tally ? s->tally.expected : NAN;
	rec->stages = s->stages;
	rec->has_stages = s->has_stages;
	rec->path = s->path;
	rec->ok = atomic_load(&s->failed) == 0;
	if (!rec->ok)
		snprintf(rec->error, sizeof(rec->error), "%s", s->error);
}

/* One timed execution of the cell's strategy, from prepare to record. */
static void measure_sample(const struct cell *c, struct strategy_config *cfg, void *instance,
			   struct sample *s, double *lat, struct sample_record *rec)
{
	struct rusage r0, r1;
	double t0, t1, fx0, fx1, busy0 = 0, busy1 = 0, steal0 = 0, steal1 = 0, pss_kb, rss_kb;
	enum fixture_clock how0, how1;
	int rc = 0;
	double p0 = sample_now(), prepare_s;
	char why[SAMPLE_ERROR_MAX] = "";
	bool sys_ok;

	sample_reset(s);
	cfg->prepared = NULL;
	if (c->workload->sample_begin &&
	    c->workload->sample_begin(instance, why, sizeof(why)) < 0)
		sample_fail(s, "%s: sample_begin: %s", c->workload->name, why[0] ? why : "failed");
	if (atomic_load(&s->failed) == 0 && c->strategy->prepare && c->strategy->prepare(cfg, &cfg->prepared, why, sizeof(why)) < 0)
		sample_fail(s, "%s: prepare: %s", c->strategy->name, why[0] ? why : "failed");
	prepare_s = sample_now() - p0;
	sys_ok = load_system_cpu(&busy0, &steal0, NULL);
	fx0 = fixture_cpu_now(c->fixture_pid, &how0);
	getrusage(RUSAGE_SELF, &r0);
	t0 = sample_now();
	if (atomic_load(&s->failed) == 0)
		rc = c->strategy->run(c->workload, instance, cfg, s);
	t1 = sample_now();
	getrusage(RUSAGE_SELF, &r1);
	fx1 = fixture_cpu_now(c->fixture_pid, &how1);
	sys_ok = load_system_cpu(&busy1, &steal1, NULL) && sys_ok;
	/* After the last /proc/stat read: the kernel's walk of our page
	 * tables is no one else's CPU. Before finish: a pool that prepare
	 * started is part of what the cell holds. */
	cell_memory(s, &pss_kb, &rss_kb);
	if (c->strategy->finish)
		c->strategy->finish(cfg, cfg->prepared);
	if (rc < 0 && atomic_load(&s->failed) == 0)
		sample_fail(s, "%s: run failed", c->strategy->name);
	/* Every worker is gone: the shared state holds the sample's answer. */
	if (c->workload->sample_end && atomic_load(&s->failed) == 0) {
		why[0] = '\0';
		if (c->workload->sample_end(instance, &s->tally, why, sizeof(why)) < 0)
			sample_fail(s, "%s", why[0] ? why : "sample_end failed");
		else
			s->has_tally = true;
	}
	record_sample(s, &r0, &r1, t1 - t0, lat, rec);
	rec->pss_kb = pss_kb;
	rec->rss_kb = rss_kb;
	/* Both reads the same way, or the difference means nothing. */
	rec->fixture_clock = how0 == how1 ? how1 : FIXTURE_CLOCK_TICKS;
	rec->fixture_cpu_s = how0 == how1 ? fx1 - fx0 : NAN;
	rec->fixture_max_rss_kb = process_peak_rss_kb(c->fixture_pid);
	rec->prepare_s = prepare_s;
	rec->foreign_cpu_s = rec->foreign_raw_s = rec->steal_s = NAN;
	if (sys_ok) {
		double foreign = (busy1 - busy0) - (rec->user_s + rec->sys_s) - rec->fixture_cpu_s;

		/* Unknown when the fixture's share is: it is not others' CPU. */
		if (isfinite(foreign)) {
			rec->foreign_cpu_s = foreign > 0 ? foreign : 0;
			rec->foreign_raw_s = foreign;
		}
		rec->steal_s = steal1 - steal0;
	}
}

int runner_once(const struct cell *c, struct sample_record *rec, struct once_times *times)
{
	char scratch[PATH_MAX];
	struct workload_setup ws = { .params = c->wparams, .ntasks = c->ntasks,
				     .workers = c->workers, .fixture = c->fixture };
	struct strategy_config cfg = { .workers = c->workers, .ntasks = c->ntasks,
				       .params = c->sparams, .setup = &ws };
	struct sample *s = sample_alloc(c->ntasks);
	double *lat = malloc((c->ntasks ? c->ntasks : 1) * sizeof(*lat));
	void *instance = NULL;
	double t0 = sample_now();
	int rc = -1;

	memset(rec, 0, sizeof(*rec));
	if (make_scratch(c, scratch, sizeof(scratch), rec->error, sizeof(rec->error)) < 0)
		goto out;
	ws.scratch_dir = scratch[0] ? scratch : NULL;
	if (!s || !lat) {
		snprintf(rec->error, sizeof(rec->error), "out of memory for %zu tasks", c->ntasks);
		goto out;
	}
	if (c->workload->setup(&ws, &instance, rec->error, sizeof(rec->error)) < 0) {
		if (!rec->error[0])
			snprintf(rec->error, sizeof(rec->error), "setup failed");
		goto out;
	}
	times->setup_s = sample_now() - t0;
	measure_sample(c, &cfg, instance, s, lat, rec);
	t0 = sample_now();
	c->workload->teardown(instance);
	times->teardown_s = sample_now() - t0;
	rc = rec->ok ? 0 : -1;
out:
	drop_scratch(scratch);
	free(lat);
	sample_free(s);
	return rc;
}

static void cell_child(const struct cell *c, int cmd_fd, int fd)
{
	const struct workload_setup ws = { .params = c->wparams, .ntasks = c->ntasks,
					   .workers = c->workers, .fixture = c->fixture,
					   .scratch_dir = child_scratch[0] ? child_scratch : NULL };
	struct strategy_config cfg = { .workers = c->workers, .ntasks = c->ntasks,
				       .params = c->sparams, .setup = &ws };
	struct sample *s = sample_alloc(c->ntasks);
	double *lat = malloc((c->ntasks ? c->ntasks : 1) * sizeof(*lat));
	struct msg m = { 0 };
	void *instance = NULL;

	if (s)
		s->note = child_note;
	if (!s || !lat) {
		m.type = MSG_SETUP_ERROR;
		snprintf(m.rec.error, sizeof(m.rec.error), "out of memory for %zu tasks", c->ntasks);
		send_msg(fd, &m);
		_exit(0);
	}
	if (c->workload->setup(&ws, &instance, m.rec.error, sizeof(m.rec.error)) < 0) {
		m.type = MSG_SETUP_ERROR;
		if (!m.rec.error[0])
			snprintf(m.rec.error, sizeof(m.rec.error), "setup failed");
		send_msg(fd, &m);
		_exit(0);
	}
	m.type = MSG_READY;
	send_msg(fd, &m);
	for (;;) {
		char op;
		ssize_t n = read(cmd_fd, &op, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || op != CMD_SAMPLE)
			break; /* quit, or the parent is gone */
		measure_sample(c, &cfg, instance, s, lat, &m.rec);
		m.type = MSG_SAMPLE;
		send_msg(fd, &m);
	}
	c->workload->teardown(instance);
	free(lat);
	sample_free(s);
	memset(&m, 0, sizeof(m));
	m.type = MSG_DONE;
	send_msg(fd, &m);
	_exit(0);
}

/* ==== Parent side ==== */

static void on_signal(int sig)
{
	for (size_t k = 0; k < RUNNER_MAX_LIVE; k++) {
		pid_t pgid = (pid_t)live_pgid[k];

		if (pgid > 0)
			kill(-pgid, SIGKILL);
	}
	if ((pid_t)fixture_pgid > 0)
		kill(-(pid_t)fixture_pgid, SIGKILL);
	/* Die of the same signal, so our parent sees what happened. */
	signal(sig, SIG_DFL);
	raise(sig);
}

void runner_install_signal_handlers(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int ms_until(double deadline)
{
	double left = deadline - sample_now();

	if (left <= 0)
		return 0;
	return left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

/* Reads one record; returns 1, 0 at EOF, -1 at the deadline. */
static int read_msg(int fd, struct msg *m, double deadline)
{
	char *p = (char *)m;
	size_t got = 0;

	while (got < sizeof(*m)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int pr = poll(&pfd, 1, ms_until(deadline));
		ssize_t n;

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0)
			return -1;
		n = read(fd, p + got, sizeof(*m) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0; /* EOF, or a torn record: the child died mid-write */
		got += (size_t)n;
	}
	return 1;
}

static bool send_cmd(int fd, char op)
{
	ssize_t n;

	while ((n = write(fd, &op, 1)) < 0 && errno == EINTR)
		;
	return n == 1;
}

/* How waiting for a cell's message ended. */
enum cell_end {
	END_MESSAGE,  /* the message came */
	END_EOF,      /* its pipe closed first: it died */
	END_DEADLINE, /* the timeout came first */
};

static int live_claim(void)
{
	for (int k = 0; k < RUNNER_MAX_LIVE; k++)
		if (live_pgid[k] == 0 && live_fds[k][0] == 0)
			return k;
	return -1;
}

/*
 * Forks the cell's process, the leader of its own process group, reading
 * commands from cmd[0] and writing records to res[1]. Returns its pid, or
 * -1 with the reason in r->out.
 */
static pid_t spawn_cell(struct cell_run *r, int cmd[2], int res[2])
{
	sigset_t block, old_mask;
	pid_t pid, parent = getpid();

	fflush(NULL); /* nothing buffered may be written twice by the child */
	/* Until live_pgid names the child, a SIGINT would kill us and leave
	 * it running: hold the signals over the fork. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	pid = fault_fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		r->out.status = CELL_FAILED;
		snprintf(r->out.error, sizeof(r->out.error), "runner: fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* The harness's handlers are not the cell's: it (and its
		 * workers) must simply die of these signals. */
		for (size_t k = 0; k < RUNNER_MAX_LIVE; k++) {
			live_pgid[k] = 0;
			if (live_fds[k][0] > 0) {
				close(live_fds[k][0]);
				close(live_fds[k][1]);
			}
		}
		fixture_pgid = 0;
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		setpgid(0, 0);
		/* A harness killed outright (SIGKILL runs no handler) must not
		 * leave its cell running: the cell dies with it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(cmd[1]);
		close(res[0]);
		cell_child(r->cell, cmd[0], res[1]);
	}
	setpgid(pid, pid); /* both sides set it: no window where a kill misses */
	live_pgid[r->slot] = pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return pid;
}

/* Waits for the next message of r's cell, within its timeout. */
static enum cell_end await_msg(struct cell_run *r, struct msg *m)
{
	double t0 = sample_now();
	int got = read_msg(r->res_fd, m, t0 + r->opt->timeout_s - r->used_s);

	r->used_s += sample_now() - t0;
	return got > 0 ? END_MESSAGE : got == 0 ? END_EOF : END_DEADLINE;
}

/*
 * Waits for the cell process without reaping it, so its pid (and so its
 * process group) cannot be reused while we clear the group of any
 * straggling worker; then reaps it. Kills first unless it is ending by
 * itself. Returns what waitpid returned.
 */
static pid_t reap_cell(struct cell_run *r, bool kill_first, int *status)
{
	pid_t pid = r->pid, waited;
	siginfo_t si;

	if (kill_first)
		kill(-pid, SIGKILL);
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	while ((waited = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	live_pgid[r->slot] = 0;
	close(r->cmd_fd);
	close(r->res_fd);
	live_fds[r->slot][0] = live_fds[r->slot][1] = 0;
	r->pid = 0;
	/* However the cell ended (done, failed, killed), its files go. */
	drop_scratch(r->scratch);
	return waited;
}

/* CPU seconds (user + system) of every process in group pgid so far,
 * from /proc/<pid>/stat (threads are in their process's figure); NAN
 * when /proc cannot be read. */
static double group_cpu_s(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	double ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);

	if (!d || hz <= 0) {
		if (d)
			closedir(d);
		return NAN;
	}
	while ((e = readdir(d))) {
		char path[300], buf[1024], *p;
		unsigned long long ut, st;
		long long pgrp;
		FILE *f;
		size_t n;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* After the command's closing parenthesis: state, ppid, pgrp, ...,
		 * utime and stime are fields 14 and 15. */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %*c %*d %lld %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				&pgrp, &ut, &st) == 3 && pgrp == (long long)pgid)
			ticks += (double)(ut + st);
	}
	closedir(d);
	return ticks / (double)hz;
}

/* How long a timed-out cell is watched before it is killed, to tell a
 * cell that is still working from one whose workers all wait forever. */
#define DEADLOCK_WATCH_S 0.3
/* Below this share of one core over the watch, nothing ran: a probable
 * deadlock (5 of 30 clock ticks of slack). */
#define DEADLOCK_IDLE_CORES 0.15

/* Whether a cell's processes used next to no CPU over DEADLOCK_WATCH_S. */
static bool cell_idle(pid_t pgid)
{
	double a = group_cpu_s(pgid), b;
	struct timespec ts = { 0, (long)(DEADLOCK_WATCH_S * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	b = group_cpu_s(pgid);
	return isfinite(a) && isfinite(b) && b - a < DEADLOCK_IDLE_CORES * DEADLOCK_WATCH_S;
}

/* Names what happened to a cell that ended early: a timeout, a death. */
static void name_fate(struct cell_run *r, enum cell_end end, int status)
{
	struct cell_outcome *out = &r->out;

	char heard[SAMPLE_NOTE_MAX + 32] = "";

	/* The cell's processes are gone: its note is still. */
	if (live_notes && r->slot >= 0 && live_notes[r->slot][0])
		snprintf(heard, sizeof(heard), "; last heard: %.*s", SAMPLE_NOTE_MAX - 1,
			 live_notes[r->slot]);
	if (end == END_DEADLINE) {
		out->status = CELL_TIMEOUT;
		snprintf(out->error, sizeof(out->error),
			 "no result within %.0f s (%zu samples done); killed%s%s", r->opt->timeout_s,
			 out->nsamples,
			 r->idle ? ": timed out with its processes using no CPU, a probable deadlock "
				   "(or a wait that never ends)"
				 : "", heard);
	} else if (WIFSIGNALED(status)) {
		out->status = CELL_FAILED;
		snprintf(out->error, sizeof(out->error),
			 "cell process killed by signal %d (SIG%s) after %zu samples%s", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)), out->nsamples, heard);
	} else {
		out->status = CELL_FAILED;
		snprintf(out->error, sizeof(out->error),
			 "cell process exited with status %d after %zu samples%s",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1, out->nsamples, heard);
	}
}

/* Ends the cell: a clean quit when it is healthy, a kill otherwise. */
static void finish_cell(struct cell_run *r, enum cell_end end)
{
	int status = 0;

	if (r->pid > 0) {
		bool healthy = end == END_MESSAGE;

		if (healthy && send_cmd(r->cmd_fd, CMD_QUIT)) {
			struct msg m;

			/* Teardown counts against the timeout too. */
			end = await_msg(r, &m);
			if (end == END_MESSAGE && m.type != MSG_DONE)
				end = END_EOF;
		}
		if (end == END_DEADLINE)
			r->idle = cell_idle(r->pid);
		if (reap_cell(r, end == END_DEADLINE, &status) < 0 && end == END_EOF &&
		    r->out.status == CELL_OK) {
			r->out.status = CELL_FAILED;
			snprintf(r->out.error, sizeof(r->out.error),
				 "runner: cannot wait for the cell process: %s", strerror(errno));
		} else if (r->out.status == CELL_OK && end != END_MESSAGE) {
			name_fate(r, end, status);
		}
	}
	r->done = true;
}

void cell_run_init(struct cell_run *r, const struct cell *cell, const struct run_options *opt)
{
	memset(r, 0, sizeof(*r));
	r->cell = cell;
	r->opt = opt;
	r->slot = -1;
	r->out.precision_target = opt->precision;
}

/* Starts the cell process and waits for its READY. */
static bool start_cell(struct cell_run *r)
{
	int cmd[2], res[2];
	struct msg m;
	enum cell_end end;

	if (make_scratch(r->cell, r->scratch, sizeof(r->scratch), r->out.error,
			 sizeof(r->out.error)) < 0) {
		r->out.status = CELL_FAILED;
		r->done = true;
		return false;
	}
	r->slot = live_claim();
	if (r->slot < 0 || fault_pipe2(cmd, 0) < 0) {
		drop_scratch(r->scratch);
		snprintf(r->out.error, sizeof(r->out.error), "runner: %s%s",
			 r->slot < 0 ? "too many cells alive" : "cannot make the cell's pipes: ",
			 r->slot < 0 ? "" : strerror(errno));
		r->out.status = CELL_FAILED;
		r->done = true;
		return false;
	}
	if (fault_pipe2(res, 0) < 0) {
		drop_scratch(r->scratch);
		snprintf(r->out.error, sizeof(r->out.error), "runner: cannot make the cell's pipes: %s",
			 strerror(errno));
		r->out.status = CELL_FAILED;
		r->done = true;
		close(cmd[0]);
		close(cmd[1]);
		return false;
	}
	snprintf(child_scratch, sizeof(child_scratch), "%s", r->scratch);
	if (!live_notes) {
		void *m = fault_mmap(NULL, RUNNER_MAX_LIVE * sizeof(*live_notes), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		live_notes = m == MAP_FAILED ? NULL : m;
	}
	child_note = live_notes ? live_notes[r->slot] : NULL;
	if (child_note)
		child_note[0] = '\0';
	r->pid = spawn_cell(r, cmd, res);
	close(cmd[0]);
	close(res[1]);
	if (r->pid < 0) {
		drop_scratch(r->scratch);
		r->pid = 0;
		r->done = true;
		close(cmd[1]);
		close(res[0]);
		return false;
	}
	r->cmd_fd = cmd[1];
	r->res_fd = res[0];
	live_fds[r->slot][0] = cmd[1];
	live_fds[r->slot][1] = res[0];
	end = await_msg(r, &m);
	if (end == END_MESSAGE && m.type == MSG_SETUP_ERROR) {
		r->out.status = CELL_FAILED;
		snprintf(r->out.error, sizeof(r->out.error), "setup: %s", m.rec.error);
		finish_cell(r, END_EOF);
		return false;
	}
	if (end != END_MESSAGE || m.type != MSG_READY) {
		finish_cell(r, end == END_MESSAGE ? END_EOF : end);
		return false;
	}
	return true;
}

/* One sample from the cell process: 1 with it in *rec, or how it ended. */
static enum cell_end take_sample(struct cell_run *r, struct sample_record *rec)
{
	struct msg m;
	enum cell_end end;

	if (!send_cmd(r->cmd_fd, CMD_SAMPLE))
		return END_EOF;
	end = await_msg(r, &m);
	if (end == END_MESSAGE && m.type != MSG_SAMPLE)
		end = END_EOF;
	if (end == END_MESSAGE)
		*rec = m.rec;
	return end;
}

/* Others used more CPU than the threshold while the sample ran. */
static bool disturbed(const struct sample_record *rec)
{
	double others = rec->foreign_cpu_s + (isfinite(rec->steal_s) ? rec->steal_s : 0);

	return isfinite(rec->foreign_cpu_s) && others > INTERFERENCE_MIN_S &&
	       others > INTERFERENCE_CORES * sample_span_s(rec);
}

/* The sampling rule (see runner.h), after each counted sample; keeps the
 * samples' statistics so far in out->now. */
static enum stop_reason sampling_rule(struct cell_run *r, double visit_s)
{
	const struct run_options *o = r->opt;
	struct cell_outcome *out = &r->out;
	unsigned floor3 = o->max_repeat < 3 ? o->max_repeat : 3;
	double *wall = malloc(out->nsamples * sizeof(*wall)), next = 0;
	bool precise = false;

	if (wall) {
		for (size_t k = 0; k < out->nsamples; k++)
			wall[k] = out->samples[k].wall_s;
		if (stats_compute(wall, out->nsamples, &out->now) == 0) {
			precise = stats_precision(&out->now) <= o->precision;
			next = out->now.median;
		}
		free(wall);
	}
	if (out->nsamples >= o->max_repeat)
		return STOP_MAX_REPEAT;
	if (out->nsamples >= o->repeat && precise)
		return STOP_PRECISION;
	/* Another sample would cost about a median's time, plus the visit's. */
	if (out->nsamples >= floor3 && out->sampling_s + (next > visit_s ? next : visit_s) >
						  o->max_time_s)
		return STOP_MAX_TIME;
	return STOP_NONE;
}

void cell_run_step(struct cell_run *r)
{
	struct cell_outcome *out = &r->out;
	struct sample_record rec;
	enum cell_end end;
	double t0;

	if (r->done)
		return;
	if (!out->samples) {
		out->cap = 16;
		out->samples = calloc(out->cap, sizeof(*out->samples));
		if (!out->samples) {
			out->status = CELL_FAILED;
			snprintf(out->error, sizeof(out->error), "runner: out of memory");
			r->done = true;
			return;
		}
	}
	if (r->pid == 0 && !start_cell(r))
		return;
	for (; r->warmed < r->opt->warmup; r->warmed++) {
		end = take_sample(r, &rec);
		if (end != END_MESSAGE) {
			finish_cell(r, end);
			return;
		}
	}
	t0 = sample_now();
	end = take_sample(r, &rec);
	if (end != END_MESSAGE) {
		finish_cell(r, end);
		return;
	}
	out->sampling_s += sample_now() - t0;
	if (!rec.ok) {
		out->status = CELL_FAILED;
		snprintf(out->error, sizeof(out->error), "sample %zu: %s", out->nsamples + 1, rec.error);
		finish_cell(r, end);
		return;
	}
	rec.disturbed = disturbed(&rec);
	if (rec.disturbed && out->retaken < r->opt->retakes) {
		out->retaken++; /* dropped: taken again on a later visit */
		if (out->nsamples >= 3 && out->sampling_s > r->opt->max_time_s) {
			out->stop = STOP_MAX_TIME;
			finish_cell(r, end);
		}
		return;
	}
	if (out->nsamples == out->cap) {
		struct sample_record *more = realloc(out->samples, 2 * out->cap * sizeof(*more));

		if (!more) {
			out->status = CELL_FAILED;
			snprintf(out->error, sizeof(out->error), "runner: out of memory");
			finish_cell(r, end);
			return;
		}
		out->samples = more;
		out->cap *= 2;
	}
	out->samples[out->nsamples++] = rec;
	out->stop = sampling_rule(r, sample_now() - t0);
	if (out->stop != STOP_NONE)
		finish_cell(r, end);
}

void cell_run_abort(struct cell_run *r, const char *why)
{
	int status;

	if (r->pid > 0)
		reap_cell(r, true, &status);
	r->out.status = CELL_FAILED;
	snprintf(r->out.error, sizeof(r->out.error), "%s", why);
	r->done = true;
}

void runner_run_cell(const struct cell *cell, const struct run_options *opt,
		     struct cell_outcome *out)
{
	struct cell_run r;

	cell_run_init(&r, cell, opt);
	while (!r.done)
		cell_run_step(&r);
	*out = r.out;
}

void cell_outcome_free(struct cell_outcome *out)
{
	free(out->samples);
	out->samples = NULL;
	out->nsamples = out->cap = 0;
}
