/*
 * threads.c - W pthreads, started for the sample.
 *
 * spawn=pool (the default): W threads, each taking tasks by the schedule
 * (by default the next task index from one shared atomic counter) until
 * none is left. spawn=per_task: a new thread for each task, at most W
 * alive at once, each joined as it ends: what a pool saves is one thread
 * start per task.
 */
#include "concbench/fault.h"
#include "concbench/strategy.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { P_STACK_KB, P_SCHEDULE, P_CHUNK, P_SPAWN };

static const struct param_spec threads_params[] = {
	[P_STACK_KB] = { .name = "stack_kb", .type = PARAM_INT, .max = 1 << 20, .unit = "KiB",
	                 .help = "thread stack size; 0 keeps the system default (a small one "
	                         "makes thousands of threads practical)" },
	STRATEGY_SCHEDULE_PARAMS(P_SCHEDULE, P_CHUNK),
	[P_SPAWN] = { .name = "spawn", .type = PARAM_ENUM, .def = STRATEGY_SPAWN_POOL,
	              .choices = strategy__spawn_names,
	              .help = "pool: W threads share the tasks; per_task: a new thread for each "
	                      "task, at most W alive" },
	{ 0 }
};

struct pool {
	const struct workload *w;
	void *instance;
	struct sample *out;
	struct task_schedule sched;
};

struct pool_worker {
	struct pool *pool;
	unsigned index;
};

static int threads_validate(const struct workload *w, const struct param_values *params,
			    unsigned max_workers, char *err, size_t errlen)
{
	(void)w;
	if (strategy__check_spawn(params, P_SPAWN, P_SCHEDULE, P_CHUNK, err, errlen) < 0)
		return -1;
	return strategy__check_threads(max_workers, (size_t)params->ival[P_STACK_KB] * 1024, "threads",
				       err, errlen);
}

static void *pool_worker(void *arg)
{
	struct pool_worker *pw = arg;
	struct pool *p = pw->pool;
	struct task_cursor cur = { 0 };
	struct task_ctx ctx = { 0 };
	void *worker;
	size_t begin, end;

	if (strategy__worker_init(p->w, p->instance, &worker, p->out) < 0)
		return NULL;
	while (strategy__schedule_next(&p->sched, pw->index, &cur, &begin, &end))
		for (size_t i = begin; i < end; i++)
			strategy__run_one(p->w, p->instance, worker, i, &ctx, p->out);
	strategy__worker_fini(p->w, p->instance, worker);
	return NULL;
}

/* spawn=per_task: the threads alive, and which of them have ended. */
struct spawner {
	const struct workload *w;
	void *instance;
	struct sample *out;
	pthread_mutex_t mu;
	pthread_cond_t ended;
	unsigned *done;   /* slots whose thread has ended, not yet joined */
	unsigned ndone;
};

struct spawn_slot {
	struct spawner *sp;
	pthread_t tid;
	unsigned index;
	size_t task;
};

static void *spawned_task(void *arg)
{
	struct spawn_slot *slot = arg;
	struct spawner *sp = slot->sp;
	struct task_ctx ctx = { 0 };
	void *worker;

	if (strategy__worker_init(sp->w, sp->instance, &worker, sp->out) == 0) {
		strategy__run_one(sp->w, sp->instance, worker, slot->task, &ctx, sp->out);
		strategy__worker_fini(sp->w, sp->instance, worker);
	}
	pthread_mutex_lock(&sp->mu);
	sp->done[sp->ndone++] = slot->index;
	pthread_cond_signal(&sp->ended);
	pthread_mutex_unlock(&sp->mu);
	return NULL;
}

static int threads_per_task(const struct workload *w, void *instance,
			    const struct strategy_config *cfg, const pthread_attr_t *attr,
			    struct sample *out)
{
	struct spawner sp = { .w = w, .instance = instance, .out = out };
	struct spawn_slot *slots = fault_calloc(cfg->workers, sizeof(*slots));
	unsigned *free_slots = fault_calloc(cfg->workers, sizeof(*free_slots));
	unsigned nfree = cfg->workers, alive = 0, *ended;
	int rc = 0, err;

	sp.done = fault_calloc(cfg->workers, sizeof(*sp.done));
	ended = fault_calloc(cfg->workers, sizeof(*ended));
	if (!slots || !free_slots || !sp.done || !ended) {
		sample_fail(out, "threads: out of memory for %u thread slots", cfg->workers);
		rc = -1;
		goto out;
	}
	pthread_mutex_init(&sp.mu, NULL);
	pthread_cond_init(&sp.ended, NULL);
	for (unsigned k = 0; k < cfg->workers; k++) {
		slots[k].sp = &sp;
		slots[k].index = k;
		free_slots[k] = cfg->workers - 1 - k;
	}
	for (size_t i = 0; i <= cfg->ntasks; i++) {
		/* Join what has ended: all of it once every task is started. */
		while (nfree == 0 || (i == cfg->ntasks && alive > 0)) {
			unsigned n;

			pthread_mutex_lock(&sp.mu);
			while (sp.ndone == 0)
				pthread_cond_wait(&sp.ended, &sp.mu);
			n = sp.ndone;
			memcpy(ended, sp.done, n * sizeof(*ended));
			sp.ndone = 0;
			pthread_mutex_unlock(&sp.mu);
			for (unsigned k = 0; k < n; k++) {
				pthread_join(slots[ended[k]].tid, NULL);
				free_slots[nfree++] = ended[k];
				alive--;
			}
		}
		if (i == cfg->ntasks || rc < 0)
			continue;
		struct spawn_slot *slot = &slots[free_slots[--nfree]];

		slot->task = i;
		err = fault_pthread_create(&slot->tid, attr, spawned_task, slot);
		if (err) {
			sample_fail(out, "threads: pthread_create failed for task %zu with %u alive: %s",
				    i, alive, strerror(err));
			free_slots[nfree++] = slot->index;
			rc = -1; /* the threads alive are still joined */
			continue;
		}
		alive++;
	}
	pthread_cond_destroy(&sp.ended);
	pthread_mutex_destroy(&sp.mu);
out:
	free(slots);
	free(free_slots);
	free(sp.done);
	free(ended);
	return rc;
}

static int threads_pool(const struct workload *w, void *instance,
			const struct strategy_config *cfg, const pthread_attr_t *attr,
			struct sample *out)
{
	struct pool pool = { .w = w, .instance = instance, .out = out };
	pthread_t *tids = fault_calloc(cfg->workers, sizeof(*tids));
	struct pool_worker *args = fault_calloc(cfg->workers, sizeof(*args));
	unsigned started = 0;
	int rc = 0, err;

	if (!tids || !args) {
		sample_fail(out, "threads: out of memory for %u thread ids", cfg->workers);
		free(tids);
		free(args);
		return -1;
	}
	strategy__schedule_init(&pool.sched, (enum strategy_schedule)cfg->params->ival[P_SCHEDULE],
				(size_t)cfg->params->ival[P_CHUNK], cfg->ntasks, cfg->workers);
	for (; started < cfg->workers; started++) {
		args[started] = (struct pool_worker){ .pool = &pool, .index = started };
		err = fault_pthread_create(&tids[started], attr, pool_worker, &args[started]);
		if (err) {
			/* A static schedule leaves the missing workers' tasks
			 * undone; the failure is recorded either way. */
			sample_fail(out, "threads: pthread_create failed after %u threads: %s",
				    started, strerror(err));
			rc = -1;
			break;
		}
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
	free(args);
	return rc;
}

static int threads_run(const struct workload *w, void *instance,
		       const struct strategy_config *cfg, struct sample *out)
{
	size_t stack_kb = (size_t)cfg->params->ival[P_STACK_KB];
	pthread_attr_t attr;
	int rc, err;

	pthread_attr_init(&attr);
	if (stack_kb) {
		size_t bytes = stack_kb * 1024;

		if (bytes < (size_t)PTHREAD_STACK_MIN)
			bytes = (size_t)PTHREAD_STACK_MIN;
		err = pthread_attr_setstacksize(&attr, bytes);
		if (err) {
			sample_fail(out, "threads: stack_kb=%zu rejected: %s", stack_kb, strerror(err));
			pthread_attr_destroy(&attr);
			return -1;
		}
	}
	if (cfg->params->ival[P_SPAWN] == STRATEGY_SPAWN_PER_TASK)
		rc = threads_per_task(w, instance, cfg, &attr, out);
	else
		rc = threads_pool(w, instance, cfg, &attr, out);
	pthread_attr_destroy(&attr);
	return rc;
}

static void threads_traits(const struct param_values *params, struct strategy_traits *t)
{
	t->start_per_task = params->ival[P_SPAWN] == STRATEGY_SPAWN_PER_TASK;
	if (t->start_per_task)
		t->task_price = NULL; /* no hand-out: each task has its thread */
}

const struct strategy strategy_threads = {
	.name = "threads",
	.description = "W pthreads: a pool sharing the tasks by a schedule (default: the next "
		       "index from an atomic counter), or a new thread per task",
	.params = threads_params,
	.traits = { .worker = "threads", .blocking = true,
		    .suits = STRATEGY_SUITS_WAITING | STRATEGY_SUITS_COMPUTING,
		    .start_price = "thread_create_join", .task_price = "atomic_add_contended" },
	.traits_for = threads_traits,
	.validate = threads_validate,
	.run = threads_run,
};
