/*
 * serial.c - the baseline: every task in order on the calling thread.
 * Its digest is the reference every other strategy must match.
 */
#include "concbench/strategy.h"

static const struct param_spec serial_params[] = { { 0 } };

static int serial_run(const struct workload *w, void *instance,
		      const struct strategy_config *cfg, struct sample *out)
{
	struct task_ctx ctx = { 0 };
	void *worker;

	if (strategy__worker_init(w, instance, &worker, out) < 0)
		return -1;
	for (size_t i = 0; i < cfg->ntasks; i++)
		strategy__run_one(w, instance, worker, i, &ctx, out);
	strategy__worker_fini(w, instance, worker);
	return 0;
}

const struct strategy strategy_serial = {
	.name = "serial",
	.description = "every task in order on one thread: the baseline and the digest reference",
	.params = serial_params,
	.fixed_workers = 1,
	.traits = { .worker = "thread", .one_thread = true, .blocking = true },
	.run = serial_run,
};
