/*
 * threads.c - a pool of W pthreads, started for the sample, each taking
 * the next task index from one shared atomic counter until none is left.
 */
#include "concbench/strategy.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { P_STACK_KB };

static const struct param_spec threads_params[] = {
	[P_STACK_KB] = { .name = "stack_kb", .type = PARAM_INT, .max = 1 << 20, .unit = "KiB",
	                 .help = "thread stack size; 0 keeps the system default (a small one "
	                         "makes thousands of threads practical)" },
	{ 0 }
};

struct pool {
	const struct workload *w;
	void *instance;
	size_t ntasks;
	struct sample *out;
	/* On its own cache line: every worker hammers it, nothing else should share it. */
	_Alignas(64) atomic_size_t next;
};

static int threads_validate(const struct workload *w, const struct param_values *params,
			    unsigned max_workers, char *err, size_t errlen)
{
	(void)w;
	(void)params;
	return strategy__check_task_limit(max_workers, "threads", err, errlen);
}

static void *threads_worker(void *arg)
{
	struct pool *p = arg;
	struct task_ctx ctx = { 0 };
	void *worker;
	size_t i;

	if (strategy__worker_init(p->w, p->instance, &worker, p->out) < 0)
		return NULL;
	while ((i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < p->ntasks)
		strategy__run_one(p->w, p->instance, worker, i, &ctx, p->out);
	strategy__worker_fini(p->w, p->instance, worker);
	return NULL;
}

static int threads_run(const struct workload *w, void *instance,
		       const struct strategy_config *cfg, struct sample *out)
{
	struct pool pool = { .w = w, .instance = instance, .ntasks = cfg->ntasks, .out = out };
	size_t stack_kb = (size_t)cfg->params->ival[P_STACK_KB];
	pthread_t *tids;
	pthread_attr_t attr;
	unsigned started = 0;
	int rc = 0, err;

	atomic_init(&pool.next, 0);
	tids = calloc(cfg->workers, sizeof(*tids));
	if (!tids) {
		sample_fail(out, "threads: out of memory for %u thread ids", cfg->workers);
		return -1;
	}
	pthread_attr_init(&attr);
	if (stack_kb) {
		size_t bytes = stack_kb * 1024;

		if (bytes < (size_t)PTHREAD_STACK_MIN)
			bytes = (size_t)PTHREAD_STACK_MIN;
		err = pthread_attr_setstacksize(&attr, bytes);
		if (err) {
			sample_fail(out, "threads: stack_kb=%zu rejected: %s", stack_kb, strerror(err));
			rc = -1;
			goto out;
		}
	}
	for (; started < cfg->workers; started++) {
		err = pthread_create(&tids[started], &attr, threads_worker, &pool);
		if (err) {
			/* The threads already running finish every task between them. */
			sample_fail(out, "threads: pthread_create failed after %u threads: %s",
				    started, strerror(err));
			rc = -1;
			break;
		}
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
out:
	pthread_attr_destroy(&attr);
	free(tids);
	return rc;
}

const struct strategy strategy_threads = {
	.name = "threads",
	.description = "a pool of W pthreads taking task indices from a shared atomic counter",
	.params = threads_params,
	.traits = { .worker = "threads", .blocking = true,
		    .suits = STRATEGY_SUITS_WAITING | STRATEGY_SUITS_COMPUTING,
		    .start_price = "thread_create_join", .task_price = "atomic_add_contended" },
	.validate = threads_validate,
	.run = threads_run,
};
