/*
 * calibrate.c - `concbench calibrate`: what this machine charges for each
 * primitive a strategy is made of (see calibrate.h, docs/calibration.md).
 *
 * Every probe times batches of one operation repeated: a batch is sized
 * until it lasts at least its target (about a millisecond, so the clock's
 * own price and resolution vanish in it), then timed again and again; an
 * item is the median per operation over those batches with the
 * order-statistic 95% interval of that median, which assumes nothing about
 * the distribution of the batches' times.
 *
 * ==== Layout ====
 * the interval   the median's order-statistic CI (stats_compute)
 * probes         one batch function per primitive, with its state
 * cells          probes that run a workload's cell through the runner,
 *                described as data (workload, strategy, parameters)
 * the table      every probe, in the order they run
 * driver         sizing a batch, the repeated batches, one item
 * other load     how busy other processes kept the CPUs meanwhile
 * key and cache  what makes a calibration reusable; the cache file
 * output         the table for people, the JSON document
 * commands       calibrate, calibration_ensure
 */
#include "calibrate.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buildinfo.h"
#include "cli.h"
#include "fixture.h"
#include "format.h"
#include "load.h"
#include "stats.h"
#include "harness.h"
#include "runner.h"
#include "store.h"

#define CALIB_ERR_MAX 256
#define MEMCPY_BYTES ((size_t)64 << 20)
/* Other processes keeping this many CPUs busy, on average, while the
 * probes ran make the prices suspect: the table says so. */
#define CALIB_OTHER_BUSY_WARN 0.25

/* ==== Probes ==== */

/* One probe's state while it runs; each probe reads its own part. */
struct probe_run {
	const struct probe *probe;
	size_t batch_ops;           /* set by open for a fixed batch, else sized */
	unsigned threads;           /* contended probes: how many threads */
	struct contend *contend;    /* atomic_add*, mutex* */
	struct pingpong *pingpong;  /* context_switch_* */
	struct timer *timer;        /* timer_dispatch */
	struct cellrun *cellrun;    /* http_* */
	unsigned char *src, *dst;   /* memcpy_bandwidth */
	int devnull;                /* fork_exec_wait */
};

typedef int (*batch_fn)(struct probe_run *run, size_t ops, double *seconds, char *err,
			size_t errlen);

enum probe_unit {
	UNIT_SECONDS,     /* seconds per operation */
	UNIT_BYTES_PER_S, /* an operation copies MEMCPY_BYTES: reported as bytes per second */
};

struct probe {
	const char *name;
	const char *description;
	const char *noun; /* what one operation is, plural, for sentences: "forks" */
	enum probe_unit unit;
	int (*open)(struct probe_run *run, char *err, size_t errlen); /* MAY be NULL; MAY set batch_ops */
	batch_fn batch;                                               /* MUST */
	void (*close)(struct probe_run *run);                         /* MAY be NULL */
	double target_s;  /* a sized batch lasts at least this long */
	unsigned batches; /* timed batches after the sizing (or one warm-up) batch; odd */
	const struct cell_probe *cell; /* for cell_open: the workload's cell it runs */
};

/* -- clock_read -- */

static int clock_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
		       size_t errlen)
{
	volatile long sink = 0;
	struct timespec ts;
	double t0 = sample_now();

	(void)run, (void)err, (void)errlen;
	for (size_t i = 0; i < ops; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sink += ts.tv_nsec;
	}
	*seconds = sample_now() - t0;
	(void)sink;
	return 0;
}

/* -- atomic_add, mutex_lock_unlock, and their contended forms -- */

/*
 * `threads` threads (this one and threads - 1 helpers) run the same loop on
 * one counter or one mutex. A batch is from the start barrier to the end
 * barrier, and its price per operation is what each thread paid: wall time
 * over the operations of one thread.
 */
struct contend {
	alignas(64) atomic_ulong counter;        /* a line of its own */
	alignas(64) pthread_mutex_t mutex;
	unsigned long guarded;                   /* under mutex */
	alignas(64) void (*loop)(struct contend *c, size_t ops);
	size_t ops;                              /* set before the start barrier */
	bool stop;                               /* likewise */
	pthread_mutex_t gate;                    /* held while the helpers start */
	bool abort;                              /* under gate: a helper failed to start */
	unsigned threads, started;
	pthread_barrier_t start, done;
	pthread_t helper[];
};

static void atomic_loop(struct contend *c, size_t ops)
{
	for (size_t i = 0; i < ops; i++)
		atomic_fetch_add(&c->counter, 1);
}

static void mutex_loop(struct contend *c, size_t ops)
{
	for (size_t i = 0; i < ops; i++) {
		pthread_mutex_lock(&c->mutex);
		c->guarded++;
		pthread_mutex_unlock(&c->mutex);
	}
}

static void *contend_helper(void *arg)
{
	struct contend *c = arg;
	bool abort;

	/* Past the gate only when every helper started: a barrier counts
	 * them all, and one that never started would leave it unfilled. */
	pthread_mutex_lock(&c->gate);
	abort = c->abort;
	pthread_mutex_unlock(&c->gate);
	if (abort)
		return NULL;
	for (;;) {
		pthread_barrier_wait(&c->start);
		if (c->stop)
			return NULL;
		c->loop(c, c->ops);
		pthread_barrier_wait(&c->done);
	}
}

static void contend_free(struct contend *c)
{
	for (unsigned i = 0; i < c->started; i++)
		pthread_join(c->helper[i], NULL);
	pthread_barrier_destroy(&c->start);
	pthread_barrier_destroy(&c->done);
	pthread_mutex_destroy(&c->mutex);
	pthread_mutex_destroy(&c->gate);
	free(c);
}

static void contend_close(struct probe_run *run)
{
	struct contend *c = run->contend;

	if (!c)
		return;
	c->stop = true;
	pthread_barrier_wait(&c->start);
	contend_free(c);
	run->contend = NULL;
}

static int contend_open(struct probe_run *run, void (*loop)(struct contend *, size_t),
			unsigned threads, char *err, size_t errlen)
{
	size_t size = sizeof(struct contend) + (threads - 1) * sizeof(pthread_t);
	struct contend *c = aligned_alloc(64, (size + 63) / 64 * 64);
	int rc = 0;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(c, 0, sizeof(*c));
	atomic_init(&c->counter, 0);
	pthread_mutex_init(&c->mutex, NULL);
	pthread_mutex_init(&c->gate, NULL);
	pthread_barrier_init(&c->start, NULL, threads);
	pthread_barrier_init(&c->done, NULL, threads);
	c->loop = loop;
	c->threads = threads;
	pthread_mutex_lock(&c->gate);
	while (c->started + 1 < threads && rc == 0) {
		rc = pthread_create(&c->helper[c->started], NULL, contend_helper, c);
		c->started += rc == 0;
	}
	c->abort = rc != 0;
	pthread_mutex_unlock(&c->gate);
	if (rc != 0) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		contend_free(c);
		return -1;
	}
	run->contend = c;
	return 0;
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

static int atomic_open(struct probe_run *run, char *err, size_t errlen)
{
	return contend_open(run, atomic_loop, 1, err, errlen);
}

static int atomic_contended_open(struct probe_run *run, char *err, size_t errlen)
{
	run->threads = online_cpus();
	return contend_open(run, atomic_loop, run->threads, err, errlen);
}

static int mutex_open(struct probe_run *run, char *err, size_t errlen)
{
	return contend_open(run, mutex_loop, 1, err, errlen);
}

static int mutex_contended_open(struct probe_run *run, char *err, size_t errlen)
{
	run->threads = online_cpus();
	return contend_open(run, mutex_loop, run->threads, err, errlen);
}

static int contend_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
			 size_t errlen)
{
	struct contend *c = run->contend;
	double t0;

	(void)err, (void)errlen;
	c->ops = ops;
	t0 = sample_now();
	pthread_barrier_wait(&c->start);
	c->loop(c, ops);
	pthread_barrier_wait(&c->done);
	*seconds = sample_now() - t0;
	return 0;
}

/* -- thread_create_join -- */

static void *thread_noop(void *arg)
{
	return arg;
}

static int thread_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
			size_t errlen)
{
	double t0 = sample_now();
	pthread_t t;
	int rc;

	(void)run;
	for (size_t i = 0; i < ops; i++) {
		rc = pthread_create(&t, NULL, thread_noop, NULL);
		if (rc != 0) {
			snprintf(err, errlen, "pthread_create: %s", strerror(rc));
			return -1;
		}
		pthread_join(t, NULL);
	}
	*seconds = sample_now() - t0;
	return 0;
}

/* -- fork_wait, fork_exec_wait -- */

/* Waits for pid; 0 when it exited with status 0, else -1 saying how. */
static int reap(pid_t pid, const char *what, char *err, size_t errlen)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "%s killed by signal %d", what, WTERMSIG(status));
	else
		snprintf(err, errlen, "%s exited with status %d", what, WEXITSTATUS(status));
	return -1;
}

static int fork_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
		      size_t errlen)
{
	double t0 = sample_now();

	(void)run;
	for (size_t i = 0; i < ops; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0)
			_exit(0);
		if (reap(pid, "the child", err, errlen) < 0)
			return -1;
	}
	*seconds = sample_now() - t0;
	return 0;
}

static int exec_open(struct probe_run *run, char *err, size_t errlen)
{
	run->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (run->devnull < 0) {
		snprintf(err, errlen, "/dev/null: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void exec_close(struct probe_run *run)
{
	close(run->devnull);
}

/* The child runs `concbench --version` (this very binary) with its output
 * thrown away: a real exec that loads concbench's libraries and exits. */
static int exec_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
		      size_t errlen)
{
	char *const argv[] = { "concbench", "--version", NULL };
	double t0 = sample_now();

	for (size_t i = 0; i < ops; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0) {
			dup2(run->devnull, STDIN_FILENO);
			dup2(run->devnull, STDOUT_FILENO);
			dup2(run->devnull, STDERR_FILENO);
			execv("/proc/self/exe", argv);
			_exit(127);
		}
		if (reap(pid, "'/proc/self/exe --version'", err, errlen) < 0)
			return -1;
	}
	*seconds = sample_now() - t0;
	return 0;
}

/* -- context_switch_threads, context_switch_processes, wakeup_other_cpu -- */

/*
 * Two ends pass one byte back and forth over two pipes. For a context
 * switch both are pinned to the CPU this thread is on, so every hop is a
 * real switch (the reader blocks, the writer's wake-up puts the other on
 * the CPU). For a wake-up across CPUs the partner is pinned to another
 * CPU: each hop wakes a CPU that went idle, which on a virtual machine can
 * cost far more than a switch. Round trip / 2 is one hop: a write, a
 * wake-up, a switch and a read.
 */
enum pingpong_kind { PP_THREADS, PP_PROCESSES, PP_THREADS_OTHER_CPU };

struct pingpong {
	int to[2], from[2]; /* this side writes to[1], reads from[0] */
	pthread_t partner;
	pid_t child;
	bool has_thread;
	cpu_set_t saved;    /* this thread's affinity before the probe */
	bool pinned;
};

static void pingpong_echo(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			break;
}

static void *pingpong_thread(void *arg)
{
	struct pingpong *pp = arg;

	pingpong_echo(pp->to[0], pp->from[1]);
	return NULL;
}

static void pingpong_close(struct probe_run *run)
{
	struct pingpong *pp = run->pingpong;
	char err[64];

	if (!pp)
		return;
	close(pp->to[1]); /* the partner reads EOF and ends */
	if (pp->has_thread)
		pthread_join(pp->partner, NULL);
	if (pp->child > 0)
		reap(pp->child, "the partner", err, sizeof(err));
	close(pp->from[0]);
	if (pp->has_thread) {
		close(pp->to[0]);
		close(pp->from[1]);
	}
	if (pp->pinned)
		sched_setaffinity(0, sizeof(pp->saved), &pp->saved);
	free(pp);
	run->pingpong = NULL;
}

static int pingpong_open(struct probe_run *run, enum pingpong_kind kind, char *err,
			 size_t errlen)
{
	struct pingpong *pp = calloc(1, sizeof(*pp));
	int cpu = sched_getcpu(), other = -1;
	pthread_attr_t attr;
	cpu_set_t one;
	int rc;

	if (!pp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pipe2(pp->to, O_CLOEXEC) < 0 || pipe2(pp->from, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(pp);
		return -1;
	}
	/* Unpinned, if the CPU cannot be chosen: the figure is then a
	 * wake-up, on whichever core. */
	if (cpu >= 0 && sched_getaffinity(0, sizeof(pp->saved), &pp->saved) == 0) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pp->pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
		for (int c = 0; c < CPU_SETSIZE && other < 0; c++)
			if (c != cpu && CPU_ISSET(c, &pp->saved))
				other = c;
	}
	run->pingpong = pp;
	if (kind != PP_PROCESSES) {
		/* The partner inherits this thread's CPU, or (one CPU allowed
		 * only) stays there when asked for another. */
		pthread_attr_init(&attr);
		if (kind == PP_THREADS_OTHER_CPU && pp->pinned && other >= 0) {
			CPU_ZERO(&one);
			CPU_SET(other, &one);
			pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
		}
		rc = pthread_create(&pp->partner, &attr, pingpong_thread, pp);
		pthread_attr_destroy(&attr);
		if (rc != 0) {
			snprintf(err, errlen, "pthread_create: %s", strerror(rc));
			close(pp->to[0]);
			close(pp->from[1]);
			pingpong_close(run);
			return -1;
		}
		pp->has_thread = true;
		return 0;
	}
	pp->child = fork();
	if (pp->child == 0) {
		close(pp->to[1]);
		close(pp->from[0]);
		pingpong_echo(pp->to[0], pp->from[1]);
		_exit(0);
	}
	if (pp->child < 0)
		snprintf(err, errlen, "fork: %s", strerror(errno));
	close(pp->to[0]);
	close(pp->from[1]);
	if (pp->child < 0) {
		pingpong_close(run);
		return -1;
	}
	return 0;
}

static int pingpong_threads_open(struct probe_run *run, char *err, size_t errlen)
{
	return pingpong_open(run, PP_THREADS, err, errlen);
}

static int pingpong_processes_open(struct probe_run *run, char *err, size_t errlen)
{
	return pingpong_open(run, PP_PROCESSES, err, errlen);
}

static int pingpong_other_cpu_open(struct probe_run *run, char *err, size_t errlen)
{
	return pingpong_open(run, PP_THREADS_OTHER_CPU, err, errlen);
}

static int pingpong_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
			  size_t errlen)
{
	struct pingpong *pp = run->pingpong;
	double t0 = sample_now();
	char c = 'x';

	for (size_t i = 0; i < ops; i++) {
		if (write(pp->to[1], &c, 1) != 1 || read(pp->from[0], &c, 1) != 1) {
			snprintf(err, errlen, "the partner stopped answering");
			return -1;
		}
	}
	*seconds = (sample_now() - t0) / 2; /* a round trip is two hops */
	return 0;
}

/* -- timer_dispatch -- */

/* A zero-timeout timer that re-arms itself until `left` dispatches ran,
 * on a base configured as an event-loop strategy would (a precise timer,
 * epoll's changelist): one turn of the loop per dispatch. */
struct timer {
	struct event_base *base;
	struct event *ev;
	size_t left;
	bool active; /* loop_dispatch: made active again, no timer, no kernel call */
};

static const struct timeval zero_timeout = { 0, 0 };

static void timer_fire(evutil_socket_t fd, short what, void *arg)
{
	struct timer *t = arg;

	(void)fd, (void)what;
	if (--t->left > 0 && t->active)
		event_active(t->ev, EV_TIMEOUT, 0);
	else if (t->left > 0)
		evtimer_add(t->ev, &zero_timeout);
}

static void timer_close(struct probe_run *run)
{
	struct timer *t = run->timer;

	if (!t)
		return;
	if (t->ev)
		event_free(t->ev);
	if (t->base)
		event_base_free(t->base);
	free(t);
	run->timer = NULL;
}

static int timer_open(struct probe_run *run, char *err, size_t errlen)
{
	struct timer *t = calloc(1, sizeof(*t));
	struct event_config *ec = event_config_new();

	run->timer = t;
	if (t && ec) {
		event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
		event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
		t->base = event_base_new_with_config(ec);
	}
	if (ec)
		event_config_free(ec);
	if (t && t->base)
		t->ev = evtimer_new(t->base, timer_fire, t);
	if (!t || !t->ev) {
		snprintf(err, errlen, "cannot create a libevent base and timer");
		timer_close(run);
		return -1;
	}
	return 0;
}

/* loop_dispatch: the same loop, the event made active from its callback. */
static int active_open(struct probe_run *run, char *err, size_t errlen)
{
	if (timer_open(run, err, errlen) < 0)
		return -1;
	run->timer->active = true;
	return 0;
}

static int timer_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
		       size_t errlen)
{
	struct timer *t = run->timer;
	double t0 = sample_now();

	t->left = ops;
	if (t->active)
		event_active(t->ev, EV_TIMEOUT, 0);
	else
		evtimer_add(t->ev, &zero_timeout);
	if (event_base_dispatch(t->base) < 0 || t->left != 0) {
		snprintf(err, errlen, "event_base_dispatch stopped with %zu dispatches left", t->left);
		return -1;
	}
	*seconds = sample_now() - t0;
	return 0;
}

/* -- page_fault_minor -- */

/* One batch maps `ops` fresh pages, writes a byte to each (one minor
 * fault each: the kernel finds and zeroes a page), and unmaps them. Huge
 * pages are refused, or one fault would serve 512 pages. */
static int fault_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
		       size_t errlen)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = ops * page;
	double t0 = sample_now();
	volatile unsigned char *p;
	void *map;

	(void)run;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "mmap of %zu bytes: %s", len, strerror(errno));
		return -1;
	}
	madvise(map, len, MADV_NOHUGEPAGE);
	p = map;
	for (size_t i = 0; i < ops; i++)
		p[i * page] = 1;
	munmap(map, len);
	*seconds = sample_now() - t0;
	return 0;
}

/* -- memcpy_bandwidth -- */

static int memcpy_open(struct probe_run *run, char *err, size_t errlen)
{
	run->src = malloc(MEMCPY_BYTES);
	run->dst = malloc(MEMCPY_BYTES);
	if (!run->src || !run->dst) {
		free(run->src);
		free(run->dst);
		run->src = run->dst = NULL;
		snprintf(err, errlen, "out of memory for 2 x %zu MiB", MEMCPY_BYTES >> 20);
		return -1;
	}
	/* Touched now, so no batch pays a page fault. */
	memset(run->src, 0x5a, MEMCPY_BYTES);
	memset(run->dst, 0, MEMCPY_BYTES);
	run->batch_ops = 1;
	return 0;
}

static void memcpy_close(struct probe_run *run)
{
	free(run->src);
	free(run->dst);
	run->src = run->dst = NULL;
}

static int memcpy_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
			size_t errlen)
{
	volatile unsigned char sink;
	double t0 = sample_now();

	(void)err, (void)errlen;
	for (size_t i = 0; i < ops; i++) {
		run->src[i % MEMCPY_BYTES] ^= 1; /* a copy the compiler cannot skip */
		memcpy(run->dst, run->src, MEMCPY_BYTES);
	}
	*seconds = sample_now() - t0;
	sink = run->dst[ops % MEMCPY_BYTES];
	(void)sink;
	return 0;
}

/* ==== Cells ==== */

/*
 * A probe that is one cell of a workload, described as data: the texts a
 * command line would give, resolved by the same code (cli_resolve) against
 * the registries. A batch is one sample through runner_once, in this
 * process, with the workload's fixture started once for all batches; its
 * price is the strategy's run over the tasks.
 */
struct cell_probe {
	const char *workload, *strategy, *workers, *tasks;
	const char *params[CLI_MAX_PARAMS]; /* "name=value", NULL-terminated */
};

struct cellrun {
	struct run_request req;
	struct fixture fx;
	struct cell cell;
};

static void cell_close(struct probe_run *run)
{
	struct cellrun *cr = run->cellrun;

	if (!cr)
		return;
	fixture_stop(&cr->fx);
	free(cr);
	run->cellrun = NULL;
}

static int cell_open(struct probe_run *run, char *err, size_t errlen)
{
	const struct cell_probe *cp = run->probe->cell;
	struct cellrun *cr = calloc(1, sizeof(*cr));
	const struct workload *w;
	struct run_spec spec = { 0 };
	char where[96];

	if (!cr) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	run->cellrun = cr;
	if (!workload_find(cp->workload) || !strategy_find(cp->strategy)) {
		snprintf(err, errlen, "this build has no %s", workload_find(cp->workload)
			 ? cp->strategy : cp->workload);
		cell_close(run);
		return -1;
	}
	snprintf(where, sizeof(where), "calibrate's %s probe", cp->workload);
	spec.where = where;
	spec.workload = cp->workload;
	spec.strategies = cp->strategy;
	spec.reference = cp->strategy;
	spec.workers = cp->workers;
	spec.tasks = cp->tasks;
	spec.repeat = "1";
	spec.warmup = "0";
	while (spec.nparams < CLI_MAX_PARAMS && cp->params[spec.nparams]) {
		spec.params[spec.nparams] = cp->params[spec.nparams];
		spec.nparams++;
	}
	cli_resolve(&spec, &cr->req);
	w = cr->req.workload;
	if (w->process_init)
		w->process_init();
	runner_install_signal_handlers();
	if (w->fixture && (!w->fixture->needed || w->fixture->needed(&cr->req.wparams)) &&
	    fixture_start(w, &cr->fx, err, errlen) < 0) {
		cell_close(run);
		return -1;
	}
	cr->cell = (struct cell){ .workload = w, .strategy = cr->req.strategies[0],
				  .runtime = cr->req.runtime[0],
				  .workers = cr->req.strategies[0]->fixed_workers
						     ? cr->req.strategies[0]->fixed_workers
						     : cr->req.workers[0],
				  .ntasks = cr->req.ntasks, .wparams = &cr->req.wparams,
				  .sparams = &cr->req.sparams[0],
				  .fixture = cr->fx.pid ? cr->fx.ready : NULL,
				  .fixture_pid = cr->fx.pid };
	run->batch_ops = cr->req.ntasks;
	return 0;
}

static int cell_batch(struct probe_run *run, size_t ops, double *seconds, char *err,
		      size_t errlen)
{
	struct cellrun *cr = run->cellrun;
	struct sample_record rec;
	struct once_times times;

	cr->cell.ntasks = ops;
	if (runner_once(&cr->cell, &rec, &times) < 0) {
		snprintf(err, errlen, "%s", rec.error);
		return -1;
	}
	*seconds = rec.wall_s;
	return 0;
}

/* The loopback HTTP probes: the embedded server answering at once with a
 * small body, one client on one thread, with and without keep-alive. */
static const struct cell_probe http_keepalive = {
	"io.http", "serial", "1", "200", { "latency_ms=0", "bytes=64", "reuse=on", NULL }
};
static const struct cell_probe http_fresh = {
	"io.http", "serial", "1", "200", { "latency_ms=0", "bytes=64", "reuse=off", NULL }
};

/* ==== The table ==== */

/*
 * In this order on purpose: the process probes run while the process is
 * small (fork copies page tables, so its price grows with the parent),
 * before the 128 MiB of the copy and the HTTP probes' libraries.
 */
static const struct probe probes[] = {
	{ .name = "clock_read", .noun = "clock reads", .unit = UNIT_SECONDS, .batch = clock_batch,
	  .target_s = 1e-3, .batches = 31,
	  .description = "clock_gettime(CLOCK_MONOTONIC): one read of the clock every timing uses" },
	{ .name = "atomic_add", .noun = "atomic adds", .unit = UNIT_SECONDS, .open = atomic_open, .batch = contend_batch,
	  .close = contend_close, .target_s = 1e-3, .batches = 31,
	  .description = "atomic_fetch_add on a counter only this thread touches" },
	{ .name = "atomic_add_contended", .noun = "contended atomic adds", .unit = UNIT_SECONDS, .open = atomic_contended_open,
	  .batch = contend_batch, .close = contend_close, .target_s = 4e-3, .batches = 21,
	  .description = "atomic_fetch_add on one counter by one thread per online CPU at once; "
			 "per operation of one thread" },
	{ .name = "mutex_lock_unlock", .noun = "mutex lock-unlocks", .unit = UNIT_SECONDS, .open = mutex_open,
	  .batch = contend_batch, .close = contend_close, .target_s = 1e-3, .batches = 31,
	  .description = "pthread_mutex_lock + unlock of a mutex no other thread wants" },
	{ .name = "mutex_lock_unlock_contended", .noun = "contended mutex lock-unlocks", .unit = UNIT_SECONDS, .open = mutex_contended_open,
	  .batch = contend_batch, .close = contend_close, .target_s = 4e-3, .batches = 21,
	  .description = "pthread_mutex_lock + unlock of one mutex by one thread per online CPU at "
			 "once; per operation of one thread" },
	{ .name = "thread_create_join", .noun = "thread starts", .unit = UNIT_SECONDS, .batch = thread_batch,
	  .target_s = 1e-3, .batches = 21,
	  .description = "pthread_create of a thread that returns at once, then pthread_join" },
	{ .name = "fork_wait", .noun = "forks", .unit = UNIT_SECONDS, .batch = fork_batch, .target_s = 1e-3,
	  .batches = 21, .description = "fork of this process, the child _exit(0)s, waitpid" },
	{ .name = "fork_exec_wait", .noun = "fork-execs", .unit = UNIT_SECONDS, .open = exec_open, .batch = exec_batch,
	  .close = exec_close, .target_s = 1e-3, .batches = 15,
	  .description = "fork, exec of concbench itself (/proc/self/exe --version, output to "
			 "/dev/null), waitpid" },
	{ .name = "context_switch_threads", .noun = "thread switches", .unit = UNIT_SECONDS, .open = pingpong_threads_open,
	  .batch = pingpong_batch, .close = pingpong_close, .target_s = 1e-3, .batches = 21,
	  .description = "one hop of a pipe ping-pong between two threads on one CPU (round trip "
			 "/ 2)" },
	{ .name = "context_switch_processes", .noun = "process switches", .unit = UNIT_SECONDS,
	  .open = pingpong_processes_open, .batch = pingpong_batch, .close = pingpong_close,
	  .target_s = 1e-3, .batches = 21,
	  .description = "one hop of a pipe ping-pong between two processes on one CPU (round "
			 "trip / 2)" },
	{ .name = "wakeup_other_cpu", .noun = "wake-ups on another CPU", .unit = UNIT_SECONDS, .open = pingpong_other_cpu_open,
	  .batch = pingpong_batch, .close = pingpong_close, .target_s = 1e-3, .batches = 21,
	  .description = "one hop of a pipe ping-pong between two threads on two CPUs (round trip "
			 "/ 2): a wake-up sent to another CPU" },
	{ .name = "timer_dispatch", .noun = "timer dispatches", .unit = UNIT_SECONDS,
	  .open = timer_open, .batch = timer_batch, .close = timer_close, .target_s = 1e-3,
	  .batches = 21,
	  .description = "one dispatch of a zero-timeout libevent timer re-armed from its "
			 "callback" },
	{ .name = "loop_dispatch", .noun = "loop dispatches", .unit = UNIT_SECONDS,
	  .open = active_open, .batch = timer_batch, .close = timer_close, .target_s = 1e-3,
	  .batches = 21,
	  .description = "one dispatch of a libevent event made active again from its callback "
			 "(no kernel call): what an event loop pays to run its next task" },
	{ .name = "page_fault_minor", .noun = "page faults", .unit = UNIT_SECONDS, .batch = fault_batch, .target_s = 1e-3,
	  .batches = 21,
	  .description = "one minor page fault: a fresh anonymous page written once (mmap and "
			 "munmap shared out)" },
	{ .name = "memcpy_bandwidth", .noun = "64 MiB copies", .unit = UNIT_BYTES_PER_S, .open = memcpy_open,
	  .batch = memcpy_batch, .close = memcpy_close, .batches = 15,
	  .description = "memcpy of a 64 MiB buffer into another, both already resident" },
	{ .name = "http_request_keepalive", .noun = "kept-alive requests", .unit = UNIT_SECONDS, .open = cell_open,
	  .batch = cell_batch, .close = cell_close, .batches = 15, .cell = &http_keepalive,
	  .description = "a GET to the embedded server (io.http, latency_ms=0, bytes=64) over a "
			 "kept-alive loopback connection; 200 in a row, serial" },
	{ .name = "http_request_fresh", .noun = "requests on fresh connections", .unit = UNIT_SECONDS, .open = cell_open,
	  .batch = cell_batch, .close = cell_close, .batches = 15, .cell = &http_fresh,
	  .description = "a GET to the embedded server (io.http, latency_ms=0, bytes=64) on a new "
			 "loopback connection each (reuse=off); 200 in a row, serial" },
};

#define NPROBES (sizeof(probes) / sizeof(probes[0]))

/* ==== Driver ==== */

struct item {
	double median, ci_lo, ci_hi, coverage; /* in the probe's unit */
	size_t n, batch_ops;
	unsigned threads;
	char error[CALIB_ERR_MAX];
};

/* Grows ops until one batch lasts target_s; that last batch is the warm-up. */
static int size_batch(struct probe_run *run, const struct probe *pr, size_t *ops, char *err,
		      size_t errlen)
{
	double s = 0;

	*ops = 1;
	for (;;) {
		double want;

		if (pr->batch(run, *ops, &s, err, errlen) < 0)
			return -1;
		if (s >= pr->target_s)
			return 0;
		/* Aim 20% past the target, growing at least 2x and at most 16x. */
		want = s > 0 ? (double)*ops * pr->target_s * 1.2 / s : (double)*ops * 16;
		want = fmin(fmax(want, (double)*ops * 2), (double)*ops * 16);
		if (want > 1e9) {
			snprintf(err, errlen, "a batch of %zu operations took %g s", *ops, s);
			return -1;
		}
		*ops = (size_t)want;
	}
}

static void probe_measure(const struct probe *pr, struct item *it)
{
	struct probe_run run = { .probe = pr, .devnull = -1 };
	double per_op[64], s;
	struct stats st;
	size_t ops;
	unsigned n = pr->batches < 64 ? pr->batches : 64;

	memset(it, 0, sizeof(*it));
	if (pr->open && pr->open(&run, it->error, sizeof(it->error)) < 0)
		return;
	if (run.batch_ops) {
		ops = run.batch_ops;
		if (pr->batch(&run, ops, &s, it->error, sizeof(it->error)) < 0) /* warm-up */
			goto out;
	} else if (size_batch(&run, pr, &ops, it->error, sizeof(it->error)) < 0) {
		goto out;
	}
	for (unsigned k = 0; k < n; k++) {
		if (pr->batch(&run, ops, &s, it->error, sizeof(it->error)) < 0)
			goto out;
		per_op[k] = s / (double)ops;
	}
	if (stats_compute(per_op, n, &st) < 0 || isnan(st.ci_coverage)) {
		snprintf(it->error, sizeof(it->error), "%u batches are too few for an interval", n);
		goto out;
	}
	it->median = st.median;
	it->ci_lo = st.ci_lo;
	it->ci_hi = st.ci_hi;
	it->coverage = st.ci_coverage;
	/* Bandwidth is bytes over time: the order reverses, the ranks stay. */
	if (pr->unit == UNIT_BYTES_PER_S) {
		double lo = it->ci_lo;

		it->median = (double)MEMCPY_BYTES / it->median;
		it->ci_lo = (double)MEMCPY_BYTES / it->ci_hi;
		it->ci_hi = (double)MEMCPY_BYTES / lo;
	}
	it->n = n;
	it->batch_ops = ops;
	it->threads = run.threads;
out:
	if (pr->close)
		pr->close(&run);
}

/* ==== Other load ==== */

/*
 * Busy CPU time of the whole machine (/proc/stat: user, nice, system, irq,
 * softirq, and steal, which a VM's host took) and of this process with
 * its reaped children, at one moment. What the machine spent beyond our
 * own share was spent by someone else while the probes ran.
 */
struct cpu_mark {
	double wall_s, machine_s, self_s;
	bool ok;
};

static double timeval_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

static struct cpu_mark cpu_mark_now(void)
{
	struct cpu_mark m = { .wall_s = sample_now() };
	struct rusage self, children;
	double busy, steal;

	/* steal counts too: a VM's host took it from us */
	m.ok = load_system_cpu(&busy, &steal, NULL);
	m.machine_s = busy + steal;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	m.self_s = timeval_s(self.ru_utime) + timeval_s(self.ru_stime) +
		   timeval_s(children.ru_utime) + timeval_s(children.ru_stime);
	return m;
}

/* CPUs kept busy by others between a and b, on average; NAN when unknown.
 * /proc/stat counts in clock ticks: a few hundredths of a CPU is noise. */
static double other_cpus_busy(const struct cpu_mark *a, const struct cpu_mark *b)
{
	double wall = b->wall_s - a->wall_s;

	if (!a->ok || !b->ok || wall <= 0)
		return NAN;
	return fmax(0, (b->machine_s - a->machine_s - (b->self_s - a->self_s)) / wall);
}

/* ==== Key and cache ==== */

/*
 * What must be unchanged for a calibration to still hold: the boot (a
 * reboot may change the kernel's settings, the CPU's clocks, the VM's
 * host), the binary (size, modification time, inode: a rebuild), the
 * kernel release, and the CPUs online (the contended probes use them all).
 * NULL when any of it cannot be read: then nothing is cached.
 */
static json_t *calib_key(void)
{
	char boot[64] = "";
	struct utsname u;
	struct stat st;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	if (f) {
		if (!fgets(boot, sizeof(boot), f))
			boot[0] = '\0';
		fclose(f);
	}
	boot[strcspn(boot, "\n")] = '\0';
	if (!boot[0] || uname(&u) < 0 || stat("/proc/self/exe", &st) < 0)
		return NULL;
	return json_pack("{s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:i}", "boot_id", boot,
			 "kernel", u.release, "binary", "size", (json_int_t)st.st_size,
			 "mtime_ns", (json_int_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
			 "inode", (json_int_t)st.st_ino, "device", (json_int_t)st.st_dev,
			 "online_cpus", (int)online_cpus());
}

/* The cache's folder, or false when there is none to use. */
static bool cache_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	/* The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored. */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/concbench", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.cache/concbench", home);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

/* Whether doc is a whole, successful calibration of this build's probes. */
static bool doc_complete(const json_t *doc)
{
	const json_t *items = json_object_get(doc, "items");

	if (json_integer_value(json_object_get(doc, "schema")) != CALIBRATION_SCHEMA ||
	    json_array_size(items) != NPROBES)
		return false;
	for (size_t i = 0; i < NPROBES; i++) {
		const json_t *it = json_array_get(items, i);
		const char *name = json_string_value(json_object_get(it, "name"));

		if (!name || strcmp(name, probes[i].name) ||
		    !(json_number_value(json_object_get(it, "median")) > 0) ||
		    json_object_get(it, "error"))
			return false;
	}
	return true;
}

/* The cached calibration when it is whole and its key is key; else NULL. */
static json_t *cache_load(const json_t *key)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	json_t *doc;

	if (!key || !cache_dir(dir, sizeof(dir)))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, CALIBRATION_FILE);
	doc = json_load_file(path, 0, NULL);
	if (doc && json_equal(json_object_get(doc, "key"), (json_t *)key) && doc_complete(doc))
		return doc;
	json_decref(doc);
	return NULL;
}

/* Best effort: a cache that cannot be written is no cache. */
static void cache_store(const json_t *doc)
{
	char dir[PATH_MAX], err[256];

	if (!json_object_get(doc, "key") || !doc_complete(doc) || !cache_dir(dir, sizeof(dir)))
		return;
	if (store_prepare_dir(dir, err, sizeof(err)) == 0)
		store_write_json(dir, CALIBRATION_FILE, (json_t *)doc, err, sizeof(err));
}

/* ==== Output ==== */

static json_t *number_or_null(double x, bool ok)
{
	return ok ? json_real(x) : json_null();
}

static json_t *item_json(const struct probe *pr, const struct item *it)
{
	bool ok = !it->error[0];
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:s}", "name", pr->name,
			      "unit", pr->unit == UNIT_BYTES_PER_S ? "bytes/s" : "s",
			      "median", number_or_null(it->median, ok),
			      "ci_lo", number_or_null(it->ci_lo, ok),
			      "ci_hi", number_or_null(it->ci_hi, ok),
			      "coverage", number_or_null(it->coverage, ok), "n", (json_int_t)it->n,
			      "batch_ops", (json_int_t)it->batch_ops, "description", pr->description);

	if (o && it->threads > 0)
		json_object_set_new(o, "threads", json_integer(it->threads));
	if (o && !ok)
		json_object_set_new(o, "error", json_string(it->error));
	return o;
}

/* Every probe, measured now, as the calibration document (no "reused"). */
static json_t *calibration_measure(void)
{
	json_t *doc, *items = json_array(), *key = calib_key();
	struct cpu_mark m0, m1;
	double other;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	fflush(NULL); /* nothing buffered is copied into the forks */
	m0 = cpu_mark_now();
	for (size_t i = 0; i < NPROBES && items; i++) {
		struct item it;

		probe_measure(&probes[i], &it);
		json_array_append_new(items, item_json(&probes[i], &it));
	}
	m1 = cpu_mark_now();
	other = other_cpus_busy(&m0, &m1);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	doc = json_pack("{s:i, s:o, s:s, s:s, s:f, s:o, s:o}", "schema", CALIBRATION_SCHEMA,
			"key", key ? key : json_null(), "measured_at", when,
			"concbench", CONCBENCH_VERSION " (" CONCBENCH_GIT_COMMIT ")",
			"seconds", m1.wall_s - m0.wall_s,
			"other_cpus_busy", isnan(other) ? json_null() : json_real(other),
			"items", items ? items : json_array());
	return doc;
}

/*
 * The calibration to use: the cache's when its key matches and force is
 * false, else a fresh one (stored in the cache when whole). NULL only when
 * out of memory. The document says which in "reused".
 */
static json_t *calibration_get(bool force, bool *reused)
{
	json_t *key = calib_key(), *doc = force ? NULL : cache_load(key);

	json_decref(key);
	*reused = doc != NULL;
	if (!doc) {
		doc = calibration_measure();
		if (doc)
			cache_store(doc);
	}
	if (doc)
		json_object_set_new(doc, "reused", json_boolean(*reused));
	return doc;
}

static void format_value(const json_t *it, const char *field, char *buf, size_t len)
{
	const json_t *v = json_object_get(it, field);
	const char *unit = json_string_value(json_object_get(it, "unit"));

	if (!json_is_number(v))
		snprintf(buf, len, "-");
	else if (unit && !strcmp(unit, "bytes/s"))
		snprintf(buf, len, "%.3g GB/s", json_number_value(v) / 1e9);
	else
		format_seconds(json_number_value(v), buf, len);
}

/* The table; returns how many probes failed. */
static size_t print_table(FILE *f, const json_t *doc)
{
	const json_t *items = json_object_get(doc, "items"), *it;
	size_t i, failed = 0;
	json_int_t threads = 0;

	fprintf(f, "%-28s %10s  %-24s %3s  %s\n", "primitive", "median", "95% CI of the median",
		"n", "coverage");
	json_array_foreach(items, i, it) {
		const char *error = json_string_value(json_object_get(it, "error"));
		char med[32], lo[32], hi[32], ci[72], med_col[48], ci_col[96];

		if (error) {
			fprintf(f, "%-28s failed: %s\n", json_string_value(json_object_get(it, "name")),
				error);
			failed++;
			continue;
		}
		format_value(it, "median", med, sizeof(med));
		format_value(it, "ci_lo", lo, sizeof(lo));
		format_value(it, "ci_hi", hi, sizeof(hi));
		snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
		/* Times carry "µs": padded by columns, not bytes. */
		format_pad(med, 10, false, med_col, sizeof(med_col));
		format_pad(ci, 24, true, ci_col, sizeof(ci_col));
		if (json_object_get(it, "threads"))
			threads = json_integer_value(json_object_get(it, "threads"));
		fprintf(f, "%-28s %s  %s %3" JSON_INTEGER_FORMAT "  %.1f%%\n",
			json_string_value(json_object_get(it, "name")), med_col, ci_col,
			json_integer_value(json_object_get(it, "n")),
			100 * json_number_value(json_object_get(it, "coverage")));
	}
	if (threads)
		fprintf(f, "contended: %" JSON_INTEGER_FORMAT " threads, one per online CPU; the "
			"price is per operation of one thread\n", threads);
	if (json_number_value(json_object_get(doc, "other_cpus_busy")) > CALIB_OTHER_BUSY_WARN)
		fprintf(f, "warning: other processes kept %.2f CPUs busy while this was measured: "
			"these prices may be inflated; measure again when the machine is idle "
			"(--force)\n", json_number_value(json_object_get(doc, "other_cpus_busy")));
	return failed;
}

static size_t count_failed(const json_t *doc)
{
	const json_t *it;
	size_t i, failed = 0;

	json_array_foreach(json_object_get(doc, "items"), i, it)
		failed += json_object_get(it, "error") != NULL;
	return failed;
}

/* ==== Commands ==== */

int calibration_ensure(const char *run_dir, bool *reused, char *err, size_t errlen)
{
	json_t *doc = calibration_get(false, reused);
	int rc;

	if (!doc) {
		snprintf(err, errlen, "out of memory for the calibration");
		return -ENOMEM;
	}
	rc = store_write_json(run_dir, CALIBRATION_FILE, doc, err, errlen);
	json_decref(doc);
	return rc;
}

/* --out FILE split into its folder and name, checked before anything runs. */
static void out_path(const char *file, char *dir, size_t dirlen, const char **name)
{
	const char *slash = strrchr(file, '/');
	struct stat st;

	if (!file[0])
		cli_usage_error("--out", "expected a file path, got an empty string");
	*name = slash ? slash + 1 : file;
	if (!**name || !strcmp(*name, ".") || !strcmp(*name, ".."))
		cli_usage_error("--out", "expected a file path, got the folder '%s'", file);
	if (!slash)
		snprintf(dir, dirlen, ".");
	else if (slash == file)
		snprintf(dir, dirlen, "/");
	else if ((size_t)(slash - file) >= dirlen)
		cli_usage_error("--out", "path longer than %zu bytes", dirlen - 1);
	else
		snprintf(dir, dirlen, "%.*s", (int)(slash - file), file);
	if (stat(file, &st) == 0 && S_ISDIR(st.st_mode))
		cli_usage_error("--out", "'%s' is a folder; expected a file path", file);
	if (access(dir, W_OK) < 0)
		cli_usage_error("--out", "cannot write in '%s': %s", dir, strerror(errno));
}

int harness_cmd_calibrate(const struct cmd_args *a)
{
	const char *out = cmd_get(a, "out"), *name = NULL;
	char dir[PATH_MAX], err[512];
	bool reused;
	json_t *doc;
	size_t failed;

	if (out)
		out_path(out, dir, sizeof(dir), &name);
	doc = calibration_get(cmd_has(a, "force"), &reused);
	if (!doc) {
		fprintf(stderr, "concbench: out of memory for the calibration\n");
		return 1;
	}
	failed = count_failed(doc);
	if (out && store_write_json(dir, name, doc, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		json_decref(doc);
		return 1;
	}
	if (cmd_has(a, "json")) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
		putchar('\n');
	} else {
		print_table(stdout, doc);
		if (reused)
			printf("reused the calibration measured at %s (same boot, binary, kernel and "
			       "CPUs); --force measures again\n",
			       json_string_value(json_object_get(doc, "measured_at")));
		else
			printf("measured in %.1f s\n", json_number_value(json_object_get(doc, "seconds")));
	}
	json_decref(doc);
	return failed ? 1 : 0;
}

double calibration_price(const json_t *doc, const char *name)
{
	const json_t *it;
	size_t i;

	json_array_foreach(json_object_get(doc, "items"), i, it) {
		const json_t *m = json_object_get(it, "median");

		if (json_is_string(json_object_get(it, "name")) &&
		    !strcmp(json_string_value(json_object_get(it, "name")), name))
			return json_is_number(m) && json_number_value(m) > 0 ? json_number_value(m) : NAN;
	}
	return NAN;
}

static const struct probe *probe_named(const char *name)
{
	for (size_t i = 0; name && i < NPROBES; i++)
		if (!strcmp(probes[i].name, name))
			return &probes[i];
	return NULL;
}

bool calibration_knows(const char *name)
{
	return probe_named(name) != NULL;
}

const char *calibration_noun(const char *name)
{
	const struct probe *p = probe_named(name);

	return p ? p->noun : name;
}
