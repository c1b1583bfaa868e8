/*
 * gil.c - a thread pool under one global lock, the way CPython runs
 * threads under its global interpreter lock.
 *
 * W threads take tasks from a shared counter, as `threads` does, but a
 * worker must hold the lock to run task code. It lets go:
 * - around blocking waits (the workload's task_io_begin/task_io_end), as
 *   CPython releases the GIL around blocking I/O, so waits still overlap;
 * - at a checkpoint (task_checkpoint, in every long compute loop), once
 *   another worker has waited a whole switch interval (`switch_us`,
 *   5000 by default: sys.getswitchinterval()'s 5 ms) and asked for it.
 *
 * The hand-over is CPython's (Python/ceval_gil.h, from 3.2): a waiter
 * waits on a condition variable for at most the interval; if the lock
 * has not changed hands meanwhile, it sets a drop request that the holder
 * sees at its next checkpoint. The holder that drops on request then
 * waits until another worker has taken the lock (forced switching), so it
 * cannot take straight back what it just gave up. A computing task thus
 * runs alone: on CPU work W workers are no faster than one.
 */
#include "concbench/fault.h"
#include "concbench/strategy.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { P_SWITCH_US };

static const struct param_spec gil_params[] = {
	[P_SWITCH_US] = { .name = "switch_us", .type = PARAM_INT, .def = 5000, .min = 1,
	                  .max = 10000000, .unit = "us",
	                  .help = "how long a waiting worker waits before it asks the holder to "
	                          "let go at its next checkpoint (CPython's switch interval)" },
	{ 0 }
};

struct gil {
	pthread_mutex_t mu;
	pthread_cond_t cond;        /* the lock was let go */
	pthread_cond_t switched;    /* another worker took it (forced switching) */
	bool locked;
	unsigned long switches;     /* times the lock changed hands */
	const void *holder;
	atomic_bool drop_request;   /* read at every checkpoint: a plain load */
	long interval_us;
};

struct gil_worker {
	struct gil *gil;
	const struct workload *w;
	void *instance;
	struct sample *out;
	atomic_size_t *next;
	size_t ntasks;
};

static void add_us(struct timespec *t, long us)
{
	t->tv_sec += us / 1000000;
	t->tv_nsec += (us % 1000000) * 1000;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static void gil_take(struct gil *g, const void *self)
{
	pthread_mutex_lock(&g->mu);
	while (g->locked) {
		unsigned long seen = g->switches;
		struct timespec until;
		int timed_out;

		clock_gettime(CLOCK_MONOTONIC, &until);
		add_us(&until, g->interval_us);
		timed_out = pthread_cond_timedwait(&g->cond, &g->mu, &until) != 0;
		/* A whole interval and the lock never changed hands: ask. */
		if (timed_out && g->locked && g->switches == seen)
			atomic_store(&g->drop_request, true);
	}
	g->locked = true;
	if (g->holder != self) {
		g->holder = self;
		g->switches++;
	}
	/* A request is answered once the lock has changed hands. */
	atomic_store(&g->drop_request, false);
	pthread_cond_signal(&g->switched);
	pthread_mutex_unlock(&g->mu);
}

/* forced: let go on request, and wait until another worker has it. */
static void gil_drop(struct gil *g, const void *self, bool forced)
{
	pthread_mutex_lock(&g->mu);
	g->locked = false;
	pthread_cond_signal(&g->cond);
	if (forced) {
		unsigned long seen = g->switches;

		while (g->switches == seen && g->holder == self)
			pthread_cond_wait(&g->switched, &g->mu);
	}
	pthread_mutex_unlock(&g->mu);
}

static void hook_io_begin(void *arg)
{
	struct gil_worker *gw = arg;

	gil_drop(gw->gil, gw, false);
}

static void hook_io_end(void *arg)
{
	struct gil_worker *gw = arg;

	gil_take(gw->gil, gw);
}

static void hook_checkpoint(void *arg)
{
	struct gil_worker *gw = arg;

	if (!atomic_load_explicit(&gw->gil->drop_request, memory_order_relaxed))
		return;
	gil_drop(gw->gil, gw, true);
	gil_take(gw->gil, gw);
}

static const struct task_hooks gil_hooks = {
	.io_begin = hook_io_begin,
	.io_end = hook_io_end,
	.checkpoint = hook_checkpoint,
};

static void *gil_worker(void *arg)
{
	struct gil_worker *gw = arg;
	struct task_ctx ctx = { .hooks = &gil_hooks, .hook_arg = gw };
	void *worker;
	size_t i;

	gil_take(gw->gil, gw);
	if (strategy__worker_init(gw->w, gw->instance, &worker, gw->out) == 0) {
		while ((i = atomic_fetch_add(gw->next, 1)) < gw->ntasks) {
			strategy__run_one(gw->w, gw->instance, worker, i, &ctx, gw->out);
			/* Between tasks is a checkpoint too: the interpreter's
			 * loop checks its eval breaker there. */
			hook_checkpoint(gw);
		}
		strategy__worker_fini(gw->w, gw->instance, worker);
	}
	gil_drop(gw->gil, gw, false);
	return NULL;
}

static int gil_run(const struct workload *w, void *instance, const struct strategy_config *cfg,
		   struct sample *out)
{
	struct gil g = { .interval_us = (long)cfg->params->ival[P_SWITCH_US] };
	pthread_t *tids = fault_calloc(cfg->workers, sizeof(*tids));
	struct gil_worker *gw = fault_calloc(cfg->workers, sizeof(*gw));
	pthread_condattr_t attr;
	atomic_size_t next;
	unsigned started = 0;
	int rc = 0;

	if (!tids || !gw) {
		sample_fail(out, "gil: out of memory for %u workers", cfg->workers);
		free(tids);
		free(gw);
		return -1;
	}
	atomic_init(&next, 0);
	atomic_init(&g.drop_request, false);
	pthread_mutex_init(&g.mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g.cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_cond_init(&g.switched, NULL);
	for (unsigned k = 0; k < cfg->workers; k++) {
		int e;

		gw[k] = (struct gil_worker){ .gil = &g, .w = w, .instance = instance, .out = out,
					     .next = &next, .ntasks = cfg->ntasks };
		e = fault_pthread_create(&tids[k], NULL, gil_worker, &gw[k]);
		if (e) {
			sample_fail(out, "gil: pthread_create failed after %u threads: %s", started,
				    strerror(e));
			rc = -1;
			break;
		}
		started++;
	}
	for (unsigned k = 0; k < started; k++)
		pthread_join(tids[k], NULL);
	pthread_cond_destroy(&g.cond);
	pthread_cond_destroy(&g.switched);
	pthread_mutex_destroy(&g.mu);
	free(tids);
	free(gw);
	return rc;
}

static int gil_validate(const struct workload *w, const struct param_values *params,
			unsigned max_workers, char *err, size_t errlen)
{
	(void)w;
	(void)params;
	return strategy__check_threads(max_workers, 0, "threads", err, errlen);
}

const struct strategy strategy_gil = {
	.name = "gil",
	.description = "W threads under one global lock, let go around waits and, on request, "
		       "at checkpoints after a switch interval: CPython's GIL, emulated",
	.params = gil_params,
	/* Every task's code runs under the one lock: its computing never
	 * spreads over the cores, though W waits overlap. */
	.traits = { .worker = "threads under one global lock", .one_thread = true,
		    .blocking = true, .suits = STRATEGY_SUITS_WAITING,
		    .start_price = "thread_create_join", .task_price = "atomic_add_contended" },
	.validate = gil_validate,
	.run = gil_run,
};
