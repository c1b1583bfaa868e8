/*
 * broken_strategies.c - strategies that fail on purpose, built only into
 * concbench-test, so the tests can prove the harness catches them:
 * test.skip loses a task (the digest check must fail the cell), test.crash
 * dies of SIGSEGV (the run must record it and go on), test.hang never
 * returns (the timeout must kill it).
 */
#include <signal.h>
#include <stdio.h>
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

static int runtime_name(const struct param_values *params, char *buf, size_t len)
{
	(void)params;
	snprintf(buf, len, "testrt-1.0");
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
