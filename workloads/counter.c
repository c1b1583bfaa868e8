/*
 * counter.c - sync.counter: `increments` updates of one shared counter,
 * split over the tasks, in one of four ways (`mode`):
 *
 * - none: a read, then a write of the read value plus one. Two workers
 *   that read the same value both write it back plus one, and an update is
 *   lost: the race condition, made visible. Relaxed atomic loads and
 *   stores: the race is in the logic, not undefined behaviour.
 * - mutex: the same read and write under a process-shared mutex.
 * - atomic: one atomic fetch-and-add.
 * - sharded: each worker adds to a counter of its own, on its own cache
 *   line, and the shards are summed at the end.
 *
 * The counter lives in MAP_SHARED memory made by setup, so forked workers
 * update the very same counter as threads do. sample_begin zeroes it;
 * sample_end reads the total: exactly `increments` for mutex, atomic and
 * sharded (anything else fails the sample), fewer for none when workers
 * overlapped, which the report prints as the lesson it is.
 */
#include "concbench/workload.h"
#include "shared.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { P_INCREMENTS, P_MODE };
enum counter_mode { MODE_NONE, MODE_MUTEX, MODE_ATOMIC, MODE_SHARDED };

static const char *const mode_names[] = {
	[MODE_NONE] = "none", [MODE_MUTEX] = "mutex", [MODE_ATOMIC] = "atomic",
	[MODE_SHARDED] = "sharded", NULL
};

static const struct param_spec counter_params[] = {
	[P_INCREMENTS] = { .name = "increments", .type = PARAM_INT, .def = 1000000, .min = 1,
	                   .max = 1000000000000LL,
	                   .help = "updates of the counter per sample, split over the tasks" },
	[P_MODE] = { .name = "mode", .type = PARAM_ENUM, .def = MODE_ATOMIC, .choices = mode_names,
	             .help = "none (read then write: updates get lost), mutex, atomic, or sharded "
	                     "(a counter per worker, summed)" },
	{ 0 }
};

struct shard {
	_Alignas(64) atomic_uint_least64_t value;
};

/* In MAP_SHARED memory: every worker, thread or process, sees it. */
struct counter_shared {
	_Alignas(64) atomic_uint_least64_t value;
	_Alignas(64) pthread_mutex_t lock;
	_Alignas(64) atomic_uint claimed; /* shards handed to workers this sample */
	struct shard shards[];            /* one per worker */
};

struct counter {
	struct counter_shared *sh;
	size_t bytes, ntasks;
	unsigned nshards;
	uint64_t increments;
	enum counter_mode mode;
};

static int counter_setup(const struct workload_setup *ws, void **instance, char *err,
			 size_t errlen)
{
	struct counter *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->increments = (uint64_t)ws->params->ival[P_INCREMENTS];
	c->mode = (enum counter_mode)ws->params->ival[P_MODE];
	c->ntasks = ws->ntasks;
	c->nshards = ws->workers ? ws->workers : 1;
	c->bytes = sizeof(*c->sh) + c->nshards * sizeof(struct shard);
	c->sh = workload_map_shared(c->bytes, "the counter", err, errlen);
	if (!c->sh || workload_shared_mutexes((pthread_mutex_t *const[]){ &c->sh->lock }, 1, err,
					       errlen) < 0) {
		if (c->sh)
			munmap(c->sh, c->bytes);
		free(c);
		return -1;
	}
	*instance = c;
	return 0;
}

static void counter_teardown(void *instance)
{
	struct counter *c = instance;

	pthread_mutex_destroy(&c->sh->lock);
	munmap(c->sh, c->bytes);
	free(c);
}

static int counter_sample_begin(void *instance, char *err, size_t errlen)
{
	struct counter *c = instance;

	(void)err;
	(void)errlen;
	atomic_store(&c->sh->value, 0);
	atomic_store(&c->sh->claimed, 0);
	for (unsigned k = 0; k < c->nshards; k++)
		atomic_store(&c->sh->shards[k].value, 0);
	return 0;
}

static int counter_sample_end(void *instance, struct sample_tally *t, char *err, size_t errlen)
{
	struct counter *c = instance;
	uint64_t total = atomic_load(&c->sh->value);

	for (unsigned k = 0; k < c->nshards; k++)
		total += atomic_load(&c->sh->shards[k].value);
	t->count = (double)total;
	t->expected = (double)c->increments;
	/* What was asked, whatever the race did to the count: every strategy
	 * gives the same digest, and exactness is checked below instead. */
	t->digest = c->increments;
	if (c->mode != MODE_NONE && total != c->increments) {
		snprintf(err, errlen, "mode=%s counted %llu of %llu increments: updates were lost "
				      "under a mode that must lose none",
			 mode_names[c->mode], (unsigned long long)total,
			 (unsigned long long)c->increments);
		return -1;
	}
	return 0;
}

/* A worker's shard: claimed once per worker, per sample. Workers started
 * per task claim more than there are shards and share them round-robin,
 * which the atomic add keeps exact. */
static int counter_worker_init(void *instance, void **worker, char *err, size_t errlen)
{
	struct counter *c = instance;
	unsigned k = atomic_fetch_add_explicit(&c->sh->claimed, 1, memory_order_relaxed);

	(void)err;
	(void)errlen;
	*worker = &c->sh->shards[k % c->nshards];
	return 0;
}

/* Increments between checkpoints. */
#define COUNTER_BLOCK 65536

/* m updates, by mode; out of line, so every strategy runs the same
 * instructions whether it installs hooks or not (see cpu.sumsq). */
static __attribute__((noinline, aligned(64))) void count_block(struct counter *c, atomic_uint_least64_t *v,
						  struct shard *mine, uint64_t m)
{
	switch (c->mode) {
	case MODE_NONE:
		for (uint64_t k = 0; k < m; k++)
			atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + 1,
					      memory_order_relaxed);
		break;
	case MODE_MUTEX:
		for (uint64_t k = 0; k < m; k++) {
			pthread_mutex_lock(&c->sh->lock);
			atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + 1,
					      memory_order_relaxed);
			pthread_mutex_unlock(&c->sh->lock);
		}
		break;
	case MODE_ATOMIC:
		for (uint64_t k = 0; k < m; k++)
			atomic_fetch_add_explicit(v, 1, memory_order_relaxed);
		break;
	case MODE_SHARDED:
		for (uint64_t k = 0; k < m; k++)
			atomic_fetch_add_explicit(&mine->value, 1, memory_order_relaxed);
		break;
	}
}

static int counter_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			    struct task_ctx *ctx)
{
	struct counter *c = instance;
	uint64_t n = c->increments / c->ntasks + (i < c->increments % c->ntasks);
	atomic_uint_least64_t *v = &c->sh->value;
	struct shard *mine = worker;

	/* In blocks, a checkpoint between them (never inside the lock). */
	for (uint64_t k = 0; k < n;) {
		uint64_t m = n - k > COUNTER_BLOCK ? COUNTER_BLOCK : n - k;

		count_block(c, v, mine, m);
		k += m;
		task_checkpoint(ctx);
	}
	*digest = n;
	return 0;
}

const struct workload workload_sync_counter = {
	.name = "sync.counter",
	.kind = WORKLOAD_SYNC,
	.description = "increments of one shared counter: none (a race), mutex, atomic or sharded",
	.params = counter_params,
	.default_tasks = 16,
	.flags = WORKLOAD_WORKER_MOVES, /* a pointer to a shard */
	.setup = counter_setup,
	.teardown = counter_teardown,
	.sample_begin = counter_sample_begin,
	.sample_end = counter_sample_end,
	.tally_unit = "increments",
	.worker_init = counter_worker_init,
	.run_task = counter_run_task,
};
