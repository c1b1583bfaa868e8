/*
 * broken_strategies.c - strategies that fail on purpose, built only into
 * concbench-test, so the tests can prove the harness catches them:
 * test.skip loses a task (the digest check must fail the cell), test.crash
 * dies of SIGSEGV (the run must record it and go on), test.hang never
 * returns (the timeout must kill it); test.hooks checks a workload's task
 * hooks (below).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "concbench/strategy.h"

static const struct param_spec no_params[] = { { 0 } };

/* Runs every task but the first, reporting no error: only the digest can tell. */
static int skip_run(const struct workload *w, void *instance,
		    const struct strategy_config *cfg, struct sample *out)
{
	struct task_ctx ctx = { 0 };
	void *worker;

	if (strategy__worker_init(w, instance, &worker, out) < 0)
		return -1;
	for (size_t i = 1; i < cfg->ntasks; i++)
		strategy__run_one(w, instance, worker, i, &ctx, out);
	strategy__worker_fini(w, instance, worker);
	return 0;
}

static int crash_run(const struct workload *w, void *instance,
		     const struct strategy_config *cfg, struct sample *out)
{
	(void)w;
	(void)instance;
	(void)cfg;
	(void)out;
	/* The default action, even under a sanitizer that installed its own
	 * handler: the cell must die of the signal itself. */
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	return 0;
}

static int hang_run(const struct workload *w, void *instance,
		    const struct strategy_config *cfg, struct sample *out)
{
	(void)w;
	(void)instance;
	(void)cfg;
	(void)out;
	for (;;)
		pause();
	return 0;
}

static int runtime_name(const struct workload *w, const struct param_values *params, char *buf,
			size_t len)
{
	(void)params;
	snprintf(buf, len, w ? "testrt-1.0" : "testrt-1.0 (the tests' own)");
	return 0;
}

/* The runtime's helper, as an external strategy would declare one: it
 * answers with its runtime's name and the text it was given. */
static const struct param_spec helper_options[] = {
	{ .name = "text", .type = PARAM_STRING, .def_str = "ready", .help = "what to say" },
	{ 0 }
};

static int helper_main(const struct param_values *options, const struct command_context *ctx)
{
	(void)ctx;
	printf("testrt-1.0: %s\n", options->sval[0]);
	return 0;
}

static const struct concbench_command helper_command = {
	.name = "testrt",
	.summary = "test.runtime's helper (tests only)",
	.options = helper_options,
	.main = helper_main,
};

extern const struct strategy strategy_serial;

/* serial, in "another runtime". */
static int runtime_run(const struct workload *w, void *instance,
		       const struct strategy_config *cfg, struct sample *out)
{
	return strategy_serial.run(w, instance, cfg, out);
}

/*
 * test.external: an external program that fails in each way a real one
 * could (docs/external.md), for the tests of the seam. Each leaves a
 * `sleep 987654` behind in the cell's process group, which must not
 * outlive the cell.
 */
enum { X_EXIT, X_GARBAGE, X_HANG, X_WRONG, X_SILENT };
static const char *const external_modes[] = { "exit", "garbage", "hang", "wrong", "silent", NULL };
static const char *const external_scripts[] = {
	[X_EXIT] = "sleep 987654 & echo 'some progress' >&2; echo 'the reason it broke' >&2; exit 3",
	[X_GARBAGE] = "sleep 987654 & echo 'hello, not a result'; echo 'its last words' >&2",
	[X_HANG] = "sleep 987654 & echo 'started, now waiting' >&2; wait",
	[X_WRONG] = "sleep 987654 & echo 'concbench-external wall_s=0.001 digest=0123456789abcdef'",
	[X_SILENT] = "sleep 987654 & exit 0",
};

static const struct param_spec external_params[] = {
	{ .name = "fails", .type = PARAM_ENUM, .def = X_EXIT, .choices = external_modes,
	  .help = "how the program fails: exit 3, print garbage, hang, a wrong digest, "
		  "print nothing" },
	{ 0 }
};

static int external_run(const struct workload *w, void *instance,
			const struct strategy_config *cfg, struct sample *out)
{
	char *argv[] = { "/bin/sh", "-c", (char *)external_scripts[cfg->params->ival[0]], NULL };

	(void)w;
	(void)instance;
	return strategy__external_run(argv, NULL, 0, "test.external", out);
}

const struct strategy strategy_test_external = {
	.name = "test.external",
	.description = "an external program that fails (exit, garbage, hang, wrong, silent)",
	.params = external_params,
	.fixed_workers = 1,
	.flags = STRATEGY_TEST_ONLY,
	.run = external_run,
};

const struct strategy strategy_test_skip = {
	.name = "test.skip",
	.description = "serial, but silently skips task 0 (must fail the digest check)",
	.params = no_params,
	.fixed_workers = 1,
	.flags = STRATEGY_TEST_ONLY,
	.run = skip_run,
};

const struct strategy strategy_test_crash = {
	.name = "test.crash",
	.description = "dies of SIGSEGV (must be recorded as a failed cell)",
	.params = no_params,
	.fixed_workers = 1,
	.flags = STRATEGY_TEST_ONLY,
	.run = crash_run,
};

const struct strategy strategy_test_hang = {
	.name = "test.hang",
	.description = "never returns (must be killed by --timeout)",
	.params = no_params,
	.fixed_workers = 1,
	.flags = STRATEGY_TEST_ONLY,
	.run = hang_run,
};

const struct strategy strategy_test_runtime = {
	.name = "test.runtime",
	.description = "serial in a runtime of its own, testrt-1.0 (cells must not merge with serial's)",
	.params = no_params,
	.fixed_workers = 1,
	.flags = STRATEGY_TEST_ONLY,
	.command = &helper_command,
	.runtime = runtime_name,
	.run = runtime_run,
};

/*
 * test.hooks: runs the tasks in order, like serial, with task hooks that
 * check the workload's side of the bargain a global lock depends on:
 * io_begin and io_end alternate, never nested, and end balanced; and no
 * stretch of task code runs longer than max_gap_us of this thread's CPU
 * time without a checkpoint or a wait (CPU time, so a busy machine's
 * preemption is not counted against the workload).
 */
enum { HOOKS_MAX_GAP_US };

static const struct param_spec hooks_params[] = {
	[HOOKS_MAX_GAP_US] = { .name = "max_gap_us", .type = PARAM_INT, .def = 10000, .min = 1,
	                       .max = 100000000, .unit = "us",
	                       .help = "the longest stretch of task code allowed without a "
	                               "checkpoint or a wait, in CPU time" },
	{ 0 }
};

struct hook_check {
	double last;    /* thread CPU time of the last hook, or the task's start */
	double max_gap;
	int depth;      /* io_begin minus io_end */
	bool unbalanced;
};

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void gap_to_now(struct hook_check *h)
{
	double now = thread_cpu();

	if (now - h->last > h->max_gap)
		h->max_gap = now - h->last;
	h->last = now;
}

static void check_io_begin(void *arg)
{
	struct hook_check *h = arg;

	gap_to_now(h);
	if (++h->depth != 1)
		h->unbalanced = true;
}

static void check_io_end(void *arg)
{
	struct hook_check *h = arg;

	if (--h->depth != 0)
		h->unbalanced = true;
	h->last = thread_cpu();
}

static void check_checkpoint(void *arg)
{
	gap_to_now(arg);
}

static const struct task_hooks check_hooks = {
	.io_begin = check_io_begin,
	.io_end = check_io_end,
	.checkpoint = check_checkpoint,
};

static int hooks_run(const struct workload *w, void *instance, const struct strategy_config *cfg,
		     struct sample *out)
{
	double limit = (double)cfg->params->ival[HOOKS_MAX_GAP_US] * 1e-6;
	struct hook_check h;
	struct task_ctx ctx = { .hooks = &check_hooks, .hook_arg = &h };
	void *worker;

	if (strategy__worker_init(w, instance, &worker, out) < 0)
		return -1;
	for (size_t i = 0; i < cfg->ntasks; i++) {
		h = (struct hook_check){ .last = thread_cpu() };
		if (!strategy__run_one(w, instance, worker, i, &ctx, out))
			break;
		gap_to_now(&h);
		if (h.unbalanced || h.depth != 0) {
			sample_fail(out, "task %zu: io_begin and io_end do not alternate", i);
			break;
		}
		if (h.max_gap > limit) {
			sample_fail(out, "task %zu: %.3g ms of task code without a checkpoint or a wait "
					 "(at most %.3g ms allowed)", i, h.max_gap * 1e3, limit * 1e3);
			break;
		}
	}
	strategy__worker_fini(w, instance, worker);
	return 0;
}

const struct strategy strategy_test_hooks = {
	.name = "test.hooks",
	.description = "serial, checking the task hooks' balance and that checkpoints come often "
		       "(tests only)",
	.params = hooks_params,
	.fixed_workers = 1,
	.flags = STRATEGY_TEST_ONLY,
	.run = hooks_run,
};
