/*
 * sumsq.c - the sum of squares, the CPU-bound example that explanations of
 * threads, processes and the GIL are built on: task i computes the sum of
 * k*k for k below n + i, so no two tasks cost quite the same. The sum
 * wraps modulo 2^64 (unsigned arithmetic), which is what its digest binds.
 */
#include "concbench/workload.h"

enum { P_N };

static const struct param_spec sumsq_params[] = {
	[P_N] = { .name = "n", .type = PARAM_INT, .def = 5000000, .min = 1, .max = 1000000000,
	          .help = "task i sums k*k for k below n + i" },
	{ 0 }
};

/* Squares summed between checkpoints: a block the compiler can vectorise. */
#define SUMSQ_BLOCK 65536

static int sumsq_setup(const struct workload_setup *ws, void **instance, char *err,
		       size_t errlen)
{
	(void)err;
	(void)errlen;
	*instance = (void *)(uintptr_t)ws->params->ival[P_N];
	return 0;
}

static void sumsq_teardown(void *instance)
{
	(void)instance;
}

/*
 * One block, out of line: inlined, the compiler made two copies of the
 * loop (one for a strategy with hooks, one without), laid out
 * differently, and the copy serial ran took 1.3x the time of the copy the
 * gil strategy ran. Every strategy now runs the same instructions; the
 * alignment keeps the loop where it is when other code moves (its speed
 * depends on where it sits: 5.9 ms against 8.1 ms in two builds).
 */
static __attribute__((noinline, aligned(64))) uint64_t sumsq_block(uint64_t k, uint64_t end, uint64_t sum)
{
	for (; k < end; k++)
		sum += k * k;
	return sum;
}

static int sumsq_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			  struct task_ctx *ctx)
{
	uint64_t n = (uint64_t)(uintptr_t)instance + i, sum = 0;

	(void)worker;
	for (uint64_t k = 0; k < n;) {
		uint64_t end = n - k > SUMSQ_BLOCK ? k + SUMSQ_BLOCK : n;

		sum = sumsq_block(k, end, sum);
		k = end;
		task_checkpoint(ctx);
	}
	*digest = sum;
	return 0;
}

const struct workload workload_cpu_sumsq = {
	.name = "cpu.sumsq",
	.kind = WORKLOAD_CPU,
	.description = "sum of k*k for k below n + i per task (the classic CPU-bound example)",
	.params = sumsq_params,
	.default_tasks = 20,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = sumsq_setup,
	.teardown = sumsq_teardown,
	.run_task = sumsq_run_task,
};
