/*
 * openmp.c - `parallel for schedule(dynamic,1)` over the tasks.
 *
 * libgomp reads OMP_WAIT_POLICY when it is loaded, so the default below is
 * applied through env_defaults (main() sets it and re-executes itself)
 * rather than by setenv() here, which would come too late. Passive waiting
 * keeps idle threads asleep instead of spinning, so CPU time measures work,
 * not waiting; set OMP_WAIT_POLICY yourself to override it.
 */
#include "strategy.h"

#include <omp.h>

static const struct param_spec openmp_params[] = { { 0 } };

static const char *const openmp_env[] = { "OMP_WAIT_POLICY=passive", NULL };

/* Starts the runtime's threads outside the timed region. */
static int openmp_prepare(const struct strategy_config *cfg)
{
	int n = 0;

#pragma omp parallel num_threads((int)cfg->workers)
	{
#pragma omp atomic
		n++;
	}
	return n > 0 ? 0 : -1;
}

static int openmp_run(const struct workload *w, void *instance,
		      const struct strategy_config *cfg, struct sample *out)
{
	long ntasks = (long)cfg->ntasks;

#pragma omp parallel num_threads((int)cfg->workers)
	{
		struct task_ctx ctx = { 0 };
		void *worker;
		int ok = strategy__worker_init(w, instance, &worker, out) == 0;

		/* Every thread must reach the worksharing loop; one whose
		 * worker_init failed takes no tasks. */
#pragma omp for schedule(dynamic, 1)
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
	.description = "OpenMP parallel for, schedule(dynamic,1), W threads, passive waiting by default",
	.params = openmp_params,
	.env_defaults = openmp_env,
	.prepare = openmp_prepare,
	.run = openmp_run,
};
