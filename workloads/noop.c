/*
 * noop.c - empty tasks. What a strategy spends per task when the task
 * itself costs nothing: claiming an index, stamping, storing a digest.
 */
#include "concbench/workload.h"

static const struct param_spec noop_params[] = { { 0 } };

static int noop_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	(void)ws;
	(void)err;
	(void)errlen;
	*instance = NULL;
	return 0;
}

static void noop_teardown(void *instance)
{
	(void)instance;
}

static int noop_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			 struct task_ctx *ctx)
{
	(void)instance;
	(void)worker;
	(void)ctx;
	*digest = digest_mix(i);
	return 0;
}

const struct workload workload_cpu_noop = {
	.name = "cpu.noop",
	.kind = WORKLOAD_CPU,
	.description = "empty tasks: measures each strategy's per-task dispatch overhead",
	.params = noop_params,
	.default_tasks = 100000,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = noop_setup,
	.teardown = noop_teardown,
	.run_task = noop_run_task,
};
