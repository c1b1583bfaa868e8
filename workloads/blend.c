/*
 * blend.c - mixed.blend: each task waits for `io_us` (a sleep: a blocking
 * wait, or a timer on an event loop), then computes for about `cpu_us`.
 * Sweeping the compute share cpu_us / (cpu_us + io_us) at a fixed total
 * (the `map` profile) draws the I/O-bound vs CPU-bound choice as one
 * picture: where the event loop stops winning and processes start.
 *
 * The computing is a dependent chain of multiply-xorshift steps,
 * BLEND_STEPS_PER_US of them per microsecond asked: a step count, not a
 * clock, so the digest (the chain's end, seeded by the task) is the same
 * for every strategy and every machine. BLEND_STEPS_PER_US was tuned on the
 * 2-core machine the suite is developed on; elsewhere a "microsecond" of
 * computing takes what that machine's steps take, and the report speaks of
 * serial's measured time, not of the parameter.
 *
 * Its two stages (struct workload_stages): fetch waits and hands on the
 * seed, compute runs the chain. On an event loop, the wait is a timer and
 * the chain runs on the loop's thread when it fires.
 */
#include "concbench/workload.h"
#include "concbench/workload_libevent.h"

#include <event2/event.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { P_CPU_US, P_IO_US, P_STEPS_PER_US };

/* Steps per microsecond of computing, on the machine it was tuned on. */
#define BLEND_STEPS_PER_US 675
/* Steps between checkpoints. */
#define BLEND_BLOCK 16384

static const struct param_spec blend_params[] = {
	[P_CPU_US] = { .name = "cpu_us", .type = PARAM_INT, .def = 500, .max = 10000000, .unit = "us",
	               .help = "computing per task, in microseconds of the machine the steps were "
	                       "tuned on (675 dependent steps each)" },
	[P_IO_US] = { .name = "io_us", .type = PARAM_INT, .def = 500, .max = 60000000, .unit = "us",
	              .help = "waiting per task (a sleep, or a timer on the loop)" },
	[P_STEPS_PER_US] = { .name = "steps_per_us", .type = PARAM_INT, .def = BLEND_STEPS_PER_US,
	                     .min = 1, .max = 100000,
	                     .help = "chain steps a microsecond of cpu_us stands for: 675 is this "
	                             "program's pace on the machine it was tuned on; a slower "
	                             "runtime's own pace (CPython's is about 7) keeps the compute "
	                             "share true there" },
	{ 0 }
};

struct blend {
	uint64_t steps;
	int64_t io_us;
};

static int blend_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	struct blend *b = calloc(1, sizeof(*b));

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b->steps = (uint64_t)ws->params->ival[P_CPU_US] * (uint64_t)ws->params->ival[P_STEPS_PER_US];
	b->io_us = ws->params->ival[P_IO_US];
	*instance = b;
	return 0;
}

static void blend_teardown(void *instance)
{
	free(instance);
}

/* The item: the task's seed, 8 bytes, least significant first. */
static int seed_item(size_t i, struct stage_item *item, struct task_ctx *ctx)
{
	uint64_t seed = digest_mix(i);
	unsigned char *p = malloc(8);

	if (!p)
		return task_fail(ctx, "out of memory");
	for (int k = 0; k < 8; k++)
		p[k] = (unsigned char)(seed >> (8 * k));
	item->data = p;
	item->len = 8;
	return 0;
}

static int blend_wait(void *instance, void *worker, size_t i, struct stage_item *item,
		      struct task_ctx *ctx)
{
	const struct blend *b = instance;
	struct timespec until;

	(void)worker;
	if (b->io_us > 0) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += b->io_us / 1000000;
		until.tv_nsec += (b->io_us % 1000000) * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		task_io_begin(ctx);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0)
			;
		task_io_end(ctx);
	}
	return seed_item(i, item, ctx);
}

/* Out of line, so a strategy with hooks and one without run the same
 * instructions (see cpu.sumsq). */
static __attribute__((noinline, aligned(64))) uint64_t chain_block(uint64_t x, uint64_t steps)
{
	for (uint64_t k = 0; k < steps; k++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		x ^= x >> 29;
	}
	return x;
}

static uint64_t chain(uint64_t x, uint64_t steps, struct task_ctx *ctx)
{
	for (uint64_t k = 0; k < steps;) {
		uint64_t n = steps - k > BLEND_BLOCK ? BLEND_BLOCK : steps - k;

		x = chain_block(x, n);
		k += n;
		task_checkpoint(ctx);
	}
	return x;
}

static int blend_compute(void *instance, void *worker, size_t i, const struct stage_item *item,
			 uint64_t *digest, struct task_ctx *ctx)
{
	const struct blend *b = instance;
	const unsigned char *p = item->data;
	uint64_t seed = 0;

	(void)worker;
	if (item->len != 8)
		return task_fail(ctx, "task %zu: an item of %zu bytes, expected 8", i, item->len);
	for (int k = 0; k < 8; k++)
		seed |= (uint64_t)p[k] << (8 * k);
	*digest = digest_mix(chain(seed, b->steps, ctx));
	return 0;
}

static const struct workload_stages blend_stages = {
	.fetch = blend_wait,
	.compute = blend_compute,
};

static int blend_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			  struct task_ctx *ctx)
{
	return workload_stages_run(&blend_stages, instance, worker, i, digest, ctx);
}

/* ==== On a libevent loop: a timer, then the chain when it fires ==== */

struct blend_timer {
	struct task_done *done;
	const struct blend *b;
	bool whole; /* start_task: compute too; start_fetch: hand the seed on */
};

static void blend_fired(evutil_socket_t fd, short what, void *arg)
{
	struct blend_timer *t = arg;
	struct task_done *done = t->done;
	struct task_ctx ctx = { 0 };
	struct stage_item item = { 0 };
	uint64_t digest = 0;
	bool ok;

	(void)fd;
	(void)what;
	ok = seed_item(done->index, &item, &ctx) == 0;
	if (ok && t->whole) {
		ok = blend_compute((void *)t->b, NULL, done->index, &item, &digest, &ctx) == 0;
		free(item.data);
	} else if (ok) {
		done->item = item;
	}
	free(t);
	done->fn(done, ok, digest, ok ? NULL : ctx.error);
}

static int blend_start(const struct blend *b, struct event_base *base, struct task_done *done,
		       bool whole, char *err, size_t errlen)
{
	struct blend_timer *t = malloc(sizeof(*t));
	struct timeval tv = { .tv_sec = b->io_us / 1000000, .tv_usec = b->io_us % 1000000 };

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*t = (struct blend_timer){ .done = done, .b = b, .whole = whole };
	if (event_base_once(base, -1, EV_TIMEOUT, blend_fired, t, &tv) < 0) {
		free(t);
		snprintf(err, errlen, "event_base_once failed");
		return -1;
	}
	return 0;
}

static int blend_start_task(void *instance, struct event_base *base, void *loop, size_t i,
			    struct task_done *done, char *err, size_t errlen)
{
	(void)loop;
	(void)i;
	return blend_start(instance, base, done, true, err, errlen);
}

static int blend_start_fetch(void *instance, struct event_base *base, void *loop, size_t i,
			     struct task_done *done, char *err, size_t errlen)
{
	(void)loop;
	(void)i;
	return blend_start(instance, base, done, false, err, errlen);
}

static const struct workload_libevent blend_libevent = {
	.start_task = blend_start_task,
	.start_fetch = blend_start_fetch,
};

static double blend_share(const struct param_values *params)
{
	double cpu = (double)params->ival[P_CPU_US], io = (double)params->ival[P_IO_US];

	return cpu + io > 0 ? cpu / (cpu + io) : NAN;
}

const struct workload workload_mixed_blend = {
	.name = "mixed.blend",
	.kind = WORKLOAD_MIXED,
	.description = "each task waits io_us, then computes about cpu_us: the compute share the "
		       "map profile sweeps",
	.params = blend_params,
	.default_tasks = 64,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = blend_setup,
	.teardown = blend_teardown,
	.run_task = blend_run_task,
	.stages = &blend_stages,
	.compute_share = blend_share,
	.libevent = &blend_libevent,
};
