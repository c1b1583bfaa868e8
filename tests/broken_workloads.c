/*
 * broken_workloads.c - a workload that fails on purpose, built only into
 * concbench-test: test.segv dies of SIGSEGV in task `crash_task`, so the
 * tests can prove that a strategy's dead worker is named, reaped and
 * recorded, whichever strategy ran it; and test.gil_probe (below).
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/*
 * test.gil_probe: proves that a strategy never lets two workers run task
 * code at once (the gil strategy's promise). Each task runs `sections`
 * stretches of spinning, each counted in a shared `inside` counter that
 * must read 1 while it lasts; between stretches it passes a checkpoint,
 * and halfway through it waits (io_begin, a sleep, io_end): the only
 * places a global lock may change hands. A second worker inside at once
 * fails the task. Under `threads` it fails, as it should.
 */
enum { P_SECTIONS, P_SPIN_US };

static const struct param_spec probe_params[] = {
	[P_SECTIONS] = { .name = "sections", .type = PARAM_INT, .def = 20, .min = 1, .max = 100000,
	                 .help = "stretches of task code per task" },
	[P_SPIN_US] = { .name = "spin_us", .type = PARAM_INT, .def = 200, .max = 1000000,
	                .unit = "us", .help = "how long each stretch spins" },
	{ 0 }
};

struct probe {
	atomic_int inside;
	int64_t sections, spin_us;
};

static int probe_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	atomic_init(&p->inside, 0);
	p->sections = ws->params->ival[P_SECTIONS];
	p->spin_us = ws->params->ival[P_SPIN_US];
	*instance = p;
	return 0;
}

static void probe_teardown(void *instance)
{
	free(instance);
}

static double probe_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int probe_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			  struct task_ctx *ctx)
{
	struct probe *p = instance;

	(void)worker;
	for (int64_t s = 0; s < p->sections; s++) {
		double until = probe_now() + (double)p->spin_us * 1e-6;
		int others = atomic_fetch_add(&p->inside, 1);

		while (probe_now() < until)
			others |= atomic_load(&p->inside) - 1;
		atomic_fetch_sub(&p->inside, 1);
		if (others)
			return task_fail(ctx, "another worker ran task code at the same time");
		if (s == p->sections / 2) {
			struct timespec ms = { 0, 1000000 };

			task_io_begin(ctx);
			nanosleep(&ms, NULL);
			task_io_end(ctx);
		}
		task_checkpoint(ctx);
	}
	*digest = digest_mix(i);
	return 0;
}

const struct workload workload_test_gil_probe = {
	.name = "test.gil_probe",
	.kind = WORKLOAD_CPU,
	.description = "fails a task when two workers run task code at once (tests only)",
	.params = probe_params,
	.default_tasks = 8,
	.flags = WORKLOAD_WORKER_MOVES,
	.setup = probe_setup,
	.teardown = probe_teardown,
	.run_task = probe_run_task,
};

/*
 * test.fail_early: task `fail_task` fails at once, as a task out of memory
 * would; every other task sleeps `sleep_ms`. Once a sample has failed its
 * other workers must stop taking tasks, or the real reason hides behind
 * a timeout while they run the rest.
 */
enum { P_FAIL_TASK, P_SLEEP_MS };

static const struct param_spec fail_params[] = {
	[P_FAIL_TASK] = { .name = "fail_task", .type = PARAM_INT, .def = 0, .max = 1000000,
	                  .help = "the task that fails" },
	[P_SLEEP_MS] = { .name = "sleep_ms", .type = PARAM_INT, .def = 20, .max = 10000,
	                 .unit = "ms", .help = "what every other task sleeps" },
	{ 0 }
};

static int fail_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	static int64_t p[2];

	(void)err;
	(void)errlen;
	p[0] = ws->params->ival[P_FAIL_TASK];
	p[1] = ws->params->ival[P_SLEEP_MS];
	*instance = p;
	return 0;
}

static int fail_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			 struct task_ctx *ctx)
{
	const int64_t *p = instance;
	struct timespec ts = { p[1] / 1000, (p[1] % 1000) * 1000000L };

	(void)worker;
	if ((int64_t)i == p[0]) {
		snprintf(ctx->error, sizeof(ctx->error), "out of memory for its buffers (a test)");
		return -1;
	}
	while (nanosleep(&ts, &ts) < 0)
		;
	*digest = digest_mix(i);
	return 0;
}

const struct workload workload_test_fail_early = {
	.name = "test.fail_early",
	.kind = WORKLOAD_IO,
	.description = "one task fails at once, the others sleep (tests only)",
	.params = fail_params,
	.default_tasks = 1000,
	.setup = fail_setup,
	.teardown = segv_teardown,
	.run_task = fail_run_task,
};
