/*
 * runner.c - one cell in a forked child with a timeout (see runner.h).
 *
 * ==== Layout ====
 * child side:  cell_child() sets up the workload, runs warmup and measured
 *              samples, sends a record per measured sample, then DONE.
 * parent side: runner_run_cell() reads records until DONE, EOF or the
 *              deadline, then kills whatever is left of the process group
 *              and names what happened.
 */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stats.h"

enum msg_type { MSG_SAMPLE, MSG_SETUP_ERROR, MSG_DONE };

/* Small enough (< PIPE_BUF) that each write reaches the parent whole. */
struct msg {
	int type;
	struct sample_record rec;
};

_Static_assert(sizeof(struct msg) <= 4096, "a record must fit in one atomic pipe write");

/* The process group of the cell in flight, and the fixture's, for the
 * signal handler. */
static volatile sig_atomic_t cell_pgid;
static volatile sig_atomic_t fixture_pgid;

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

/* User and system CPU seconds of another process, from /proc; 0 if gone. */
static void process_cpu(int pid, double *user, double *sys)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	*user = *sys = 0;
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2) {
		double hz = (double)sysconf(_SC_CLK_TCK);

		*user = (double)ut / hz;
		*sys = (double)st / hz;
	}
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

static void record_sample(const struct sample *s, const struct rusage *r0,
			  const struct rusage *r1, double wall, double *lat,
			  struct sample_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->wall_s = wall;
	rec->user_s = tv_seconds(r1->ru_utime) - tv_seconds(r0->ru_utime) + s->children.user_s;
	rec->sys_s = tv_seconds(r1->ru_stime) - tv_seconds(r0->ru_stime) + s->children.sys_s;
	rec->nvcsw = r1->ru_nvcsw - r0->ru_nvcsw + s->children.nvcsw;
	rec->nivcsw = r1->ru_nivcsw - r0->ru_nivcsw + s->children.nivcsw;
	rec->max_rss_kb = r1->ru_maxrss + s->children.maxrss_kb;
	rec->rss_processes = s->children.count;
	for (size_t i = 0; i < s->ntasks; i++)
		lat[i] = s->end[i] - s->start[i];
	qsort(lat, s->ntasks, sizeof(*lat), cmp_double);
	for (size_t q = 0; q < LATENCY_QUANTILES; q++)
		rec->task_latq[q] = stats_quantile_sorted(lat, s->ntasks,
							  (double)q / (LATENCY_QUANTILES - 1));
	rec->task_p50_s = rec->task_latq[50];
	rec->task_p99_s = rec->task_latq[99];
	rec->digest = sample_digest(s);
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
	double t0, t1, fu0, fs0, fu1, fs1;
	int rc = 0;
	double p0 = sample_now(), prepare_s;
	char why[SAMPLE_ERROR_MAX] = "";

	sample_reset(s);
	cfg->prepared = NULL;
	if (c->strategy->prepare && c->strategy->prepare(cfg, &cfg->prepared, why, sizeof(why)) < 0)
		sample_fail(s, "%s: prepare: %s", c->strategy->name, why[0] ? why : "failed");
	prepare_s = sample_now() - p0;
	process_cpu(c->fixture_pid, &fu0, &fs0);
	getrusage(RUSAGE_SELF, &r0);
	t0 = sample_now();
	if (atomic_load(&s->failed) == 0)
		rc = c->strategy->run(c->workload, instance, cfg, s);
	t1 = sample_now();
	getrusage(RUSAGE_SELF, &r1);
	process_cpu(c->fixture_pid, &fu1, &fs1);
	if (c->strategy->finish)
		c->strategy->finish(cfg, cfg->prepared);
	if (rc < 0 && atomic_load(&s->failed) == 0)
		sample_fail(s, "%s: run failed", c->strategy->name);
	record_sample(s, &r0, &r1, t1 - t0, lat, rec);
	rec->fixture_user_s = fu1 - fu0;
	rec->fixture_sys_s = fs1 - fs0;
	rec->fixture_max_rss_kb = process_peak_rss_kb(c->fixture_pid);
	rec->prepare_s = prepare_s;
}

int runner_once(const struct cell *c, struct sample_record *rec, struct once_times *times)
{
	const struct workload_setup ws = { .params = c->wparams, .ntasks = c->ntasks,
					   .workers = c->workers, .fixture = c->fixture };
	struct strategy_config cfg = { .workers = c->workers, .ntasks = c->ntasks,
				       .params = c->sparams, .setup = &ws };
	struct sample *s = sample_alloc(c->ntasks);
	double *lat = malloc((c->ntasks ? c->ntasks : 1) * sizeof(*lat));
	void *instance = NULL;
	double t0 = sample_now();
	int rc = -1;

	memset(rec, 0, sizeof(*rec));
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
	free(lat);
	sample_free(s);
	return rc;
}

static void cell_child(const struct cell *c, const struct run_options *opt, int fd)
{
	const struct workload_setup ws = { .params = c->wparams, .ntasks = c->ntasks,
					   .workers = c->workers, .fixture = c->fixture };
	struct strategy_config cfg = { .workers = c->workers, .ntasks = c->ntasks,
				       .params = c->sparams, .setup = &ws };
	struct sample *s = sample_alloc(c->ntasks);
	double *lat = malloc((c->ntasks ? c->ntasks : 1) * sizeof(*lat));
	struct msg m = { 0 };
	void *instance = NULL;

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
	for (unsigned k = 0; k < opt->warmup + opt->repeat; k++) {
		measure_sample(c, &cfg, instance, s, lat, &m.rec);
		if (k < opt->warmup)
			continue;
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
	pid_t pgid = (pid_t)cell_pgid;

	if (pgid > 0)
		kill(-pgid, SIGKILL);
	pgid = (pid_t)fixture_pgid;
	if (pgid > 0)
		kill(-pgid, SIGKILL);
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

/* How reading a cell's messages ended. */
enum cell_end {
	END_DONE,     /* the cell sent DONE */
	END_EOF,      /* its pipe closed first: it died */
	END_DEADLINE, /* the timeout came first */
};

/*
 * Forks the cell's process, the leader of its own process group, writing
 * to fds[1]. Returns its pid, or -1 with the reason in out.
 */
static pid_t spawn_cell(const struct cell *cell, const struct run_options *opt, int fds[2],
			struct cell_outcome *out)
{
	sigset_t block, old_mask;
	pid_t pid, parent = getpid();

	fflush(NULL); /* nothing buffered may be written twice by the child */
	/* Until cell_pgid names the child, a SIGINT would kill us and leave
	 * it running: hold the signals over the fork. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		out->status = CELL_FAILED;
		snprintf(out->error, sizeof(out->error), "runner: fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* The harness's handlers are not the cell's: it (and its
		 * workers) must simply die of these signals. */
		cell_pgid = 0;
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
		close(fds[0]);
		cell_child(cell, opt, fds[1]);
	}
	setpgid(pid, pid); /* both sides set it: no window where a kill misses */
	cell_pgid = pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return pid;
}

/* Reads the cell's records into out until DONE, EOF or the deadline. */
static enum cell_end collect_samples(int fd, double deadline, unsigned repeat,
				     struct cell_outcome *out)
{
	struct msg m;

	for (;;) {
		int r = read_msg(fd, &m, deadline);

		if (r < 0)
			return END_DEADLINE;
		if (r == 0)
			return END_EOF;
		if (m.type == MSG_SAMPLE && out->nsamples < repeat) {
			out->samples[out->nsamples++] = m.rec;
		} else if (m.type == MSG_SETUP_ERROR) {
			out->status = CELL_FAILED;
			snprintf(out->error, sizeof(out->error), "setup: %s", m.rec.error);
		} else if (m.type == MSG_DONE) {
			return END_DONE;
		}
	}
}

/*
 * Waits for the cell process without reaping it, so its pid (and so its
 * process group) cannot be reused while we clear the group of any
 * straggling worker; then reaps it. On timeout, kills first. Returns what
 * waitpid returned.
 */
static pid_t reap_cell(pid_t pid, bool kill_first, int *status)
{
	siginfo_t si;
	pid_t waited;

	if (kill_first)
		kill(-pid, SIGKILL);
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	while ((waited = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	cell_pgid = 0;
	return waited;
}

/* Names what happened to the cell: a timeout, a death, a failed sample. */
static void name_fate(struct cell_outcome *out, enum cell_end end, int status,
		      const struct run_options *opt)
{
	if (end == END_DEADLINE) {
		out->status = CELL_TIMEOUT;
		snprintf(out->error, sizeof(out->error),
			 "no result within %.0f s (%zu of %u samples done); killed",
			 opt->timeout_s, out->nsamples, opt->repeat);
	} else if (out->status == CELL_FAILED) {
		/* setup error, already described */
	} else if (end == END_EOF) {
		out->status = CELL_FAILED;
		if (WIFSIGNALED(status))
			snprintf(out->error, sizeof(out->error),
				 "cell process killed by signal %d (SIG%s) after %zu of %u samples",
				 WTERMSIG(status), sigabbrev_np(WTERMSIG(status)),
				 out->nsamples, opt->repeat);
		else
			snprintf(out->error, sizeof(out->error),
				 "cell process exited with status %d after %zu of %u samples",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1, out->nsamples,
				 opt->repeat);
	} else {
		for (size_t k = 0; k < out->nsamples; k++) {
			if (!out->samples[k].ok) {
				out->status = CELL_FAILED;
				snprintf(out->error, sizeof(out->error), "sample %zu: %s", k + 1,
					 out->samples[k].error);
				break;
			}
		}
	}
}

int runner_run_cell(const struct cell *cell, const struct run_options *opt,
		    struct cell_outcome *out)
{
	double deadline = sample_now() + opt->timeout_s;
	enum cell_end end;
	int fds[2], status = 0;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->samples = calloc(opt->repeat ? opt->repeat : 1, sizeof(*out->samples));
	if (!out->samples || pipe(fds) < 0) {
		out->status = CELL_FAILED;
		snprintf(out->error, sizeof(out->error), "runner: %s", strerror(errno));
		return -1;
	}
	pid = spawn_cell(cell, opt, fds, out);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	end = collect_samples(fds[0], deadline, opt->repeat, out);
	close(fds[0]);
	if (reap_cell(pid, end == END_DEADLINE, &status) < 0 && end == END_EOF &&
	    out->status != CELL_FAILED) {
		out->status = CELL_FAILED;
		snprintf(out->error, sizeof(out->error), "runner: cannot wait for the cell process: %s",
			 strerror(errno));
		return 0;
	}
	name_fate(out, end, status, opt);
	return 0;
}

void cell_outcome_free(struct cell_outcome *out)
{
	free(out->samples);
	out->samples = NULL;
	out->nsamples = 0;
}
