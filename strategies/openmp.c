/*
 * openmp.c - `parallel for schedule(runtime)` over the tasks, the schedule
 * set from the strategy's `schedule` and `chunk` parameters (default
 * dynamic, 1: the next task to whichever thread is free).
 *
 * libgomp reads OMP_WAIT_POLICY when it is loaded, so the default below is
 * applied through env_defaults (main() sets it and re-executes itself)
 * rather than by setenv() here, which would come too late. Passive waiting
 * keeps idle threads asleep instead of spinning, so CPU time measures work,
 * not waiting; set OMP_WAIT_POLICY yourself to override it.
 */
#include "concbench/strategy.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

enum { P_SCHEDULE, P_CHUNK };

static const struct param_spec openmp_params[] = {
	STRATEGY_SCHEDULE_PARAMS(P_SCHEDULE, P_CHUNK),
	{ 0 }
};

/* The runtime's name for each schedule; chunk 0 asks for its default,
 * which is ours (static: equal blocks; dynamic and guided: 1). */
static const omp_sched_t omp_kinds[] = {
	[SCHEDULE_STATIC] = omp_sched_static,
	[SCHEDULE_DYNAMIC] = omp_sched_dynamic,
	[SCHEDULE_GUIDED] = omp_sched_guided,
};

static const char *const openmp_env[] = { "OMP_WAIT_POLICY=passive", NULL };

/* The stack libgomp gives each thread: OMP_STACKSIZE (GOMP_STACKSIZE
 * before it), a size with an optional B, K, M or G (K when none), or 0
 * for the default pthread stack when unset or unreadable. */
static size_t openmp_stack_bytes(void)
{
	const char *v = getenv("OMP_STACKSIZE");
	unsigned long long n;
	unsigned shift;
	char *end;

	if (!v || !*v)
		v = getenv("GOMP_STACKSIZE");
	if (!v || !*v)
		return 0;
	n = strtoull(v, &end, 10);
	if (end == v)
		return 0;
	while (*end == ' ')
		end++;
	switch (*end) {
	case '\0': case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 'b': case 'B': shift = 0; break;
	default: return 0;
	}
	if (*end && end[1] != '\0')
		return 0;
	return (size_t)(n << shift);
}

/* OMP_THREAD_LIMIT caps a team silently: W would quietly mean fewer. */
static int openmp_validate(const struct workload *w, const struct param_values *params,
			   unsigned max_workers, char *err, size_t errlen)
{
	int limit = omp_get_thread_limit();

	(void)w;
	(void)params;
	if (limit > 0 && max_workers > (unsigned)limit) {
		snprintf(err, errlen, "%u OpenMP threads, but the runtime allows %d (OMP_THREAD_LIMIT)",
			 max_workers, limit);
		return -1;
	}
	return strategy__check_threads(max_workers, openmp_stack_bytes(), "OpenMP threads", err,
				       errlen);
}

/* Starts the runtime's threads outside the timed region. */
static int openmp_prepare(const struct strategy_config *cfg, void **prepared, char *err,
			  size_t errlen)
{
	int n = 0;

	*prepared = NULL;
#pragma omp parallel num_threads((int)cfg->workers)
	{
#pragma omp atomic
		n++;
	}
	if ((unsigned)n != cfg->workers) {
		snprintf(err, errlen, "the OpenMP runtime started %d of %u threads", n, cfg->workers);
		return -1;
	}
	return 0;
}

static int openmp_run(const struct workload *w, void *instance,
		      const struct strategy_config *cfg, struct sample *out)
{
	long ntasks = (long)cfg->ntasks;

	omp_set_schedule(omp_kinds[cfg->params->ival[P_SCHEDULE]], (int)cfg->params->ival[P_CHUNK]);
#pragma omp parallel num_threads((int)cfg->workers)
	{
		struct task_ctx ctx = { 0 };
		void *worker;
		int ok = strategy__worker_init(w, instance, &worker, out) == 0;

		/* Every thread must reach the worksharing loop; one whose
		 * worker_init failed takes no tasks. */
#pragma omp for schedule(runtime)
		for (long i = 0; i < ntasks; i++) {
			if (ok)
				strategy__run_one(w, instance, worker, (size_t)i, &ctx, out);
		}
		if (ok)
			strategy__worker_fini(w, instance, worker);
	}
	return 0;
}

const struct strategy strategy_openmp = {
	.name = "openmp",
	.description = "OpenMP parallel for, W threads, schedule from its parameters (default dynamic,1), "
		       "passive waiting by default",
	.params = openmp_params,
	/* The team is started untimed, by prepare: no start price. */
	.traits = { .worker = "OpenMP threads", .blocking = true,
		    .suits = STRATEGY_SUITS_COMPUTING, .task_price = "atomic_add_contended" },
	.env_defaults = openmp_env,
	.validate = openmp_validate,
	.prepare = openmp_prepare,
	.run = openmp_run,
};
