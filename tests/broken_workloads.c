/*
 * broken_workloads.c - a workload that fails on purpose, built only into
 * concbench-test: test.segv dies of SIGSEGV in task `crash_task`, so the
 * tests can prove that a strategy's dead worker is named, reaped and
 * recorded, whichever strategy ran it.
 */
#include <signal.h>

#include "concbench/workload.h"

enum { P_CRASH_TASK };

static const struct param_spec segv_params[] = {
	[P_CRASH_TASK] = { .name = "crash_task", .type = PARAM_INT, .def = 3, .max = 1000000,
	                   .help = "the task that dies" },
	{ 0 }
};

static int segv_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	static int64_t crash_task;

	(void)err;
	(void)errlen;
	crash_task = ws->params->ival[P_CRASH_TASK];
	*instance = &crash_task;
	return 0;
}

static void segv_teardown(void *instance)
{
	(void)instance;
}

static int segv_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			 struct task_ctx *ctx)
{
	(void)worker;
	(void)ctx;
	if ((int64_t)i == *(const int64_t *)instance) {
		signal(SIGSEGV, SIG_DFL); /* past any sanitizer's handler */
		raise(SIGSEGV);
	}
	*digest = digest_mix(i);
	return 0;
}

const struct workload workload_test_segv = {
	.name = "test.segv",
	.kind = WORKLOAD_CPU,
	.description = "dies of SIGSEGV in one task (tests only)",
	.params = segv_params,
	.default_tasks = 10,
	.setup = segv_setup,
	.teardown = segv_teardown,
	.run_task = segv_run_task,
};
