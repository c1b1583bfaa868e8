/*
 * deadlock.c - sync.deadlock: two locks, taken `rounds` times by every
 * task, each time with a shared counter updated while both are held.
 *
 * order=consistent: every task takes lock A, then lock B. Nothing can wait
 * in a circle; the tasks only queue.
 * order=inconsistent: even tasks take A then B, odd ones B then A. Two
 * workers that each hold one lock and want the other's wait forever: the
 * classic deadlock. Holding the first lock for `hold_us` before taking the
 * second widens the window, so with two workers it comes within a few
 * rounds. Serial and an event loop running it inline never deadlock: one
 * task at a time holds both or none. The harness's timeout kills the
 * cell and records a probable deadlock (its processes used no CPU); the
 * matrix goes on. The full profile runs it; the quick one does not.
 *
 * The locks are process-shared mutexes in MAP_SHARED memory, so forked
 * workers deadlock as threads do. The task digest is its rounds; the
 * counter must end at tasks x rounds, or the sample fails.
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
#include <time.h>

enum { P_ORDER, P_ROUNDS, P_HOLD_US };
enum lock_order { ORDER_CONSISTENT, ORDER_INCONSISTENT };

static const char *const order_names[] = {
	[ORDER_CONSISTENT] = "consistent", [ORDER_INCONSISTENT] = "inconsistent", NULL
};

static const struct param_spec deadlock_params[] = {
	[P_ORDER] = { .name = "order", .type = PARAM_ENUM, .def = ORDER_CONSISTENT,
	              .choices = order_names,
	              .help = "consistent (A then B, always) or inconsistent (odd tasks B then "
	                      "A: deadlocks with two workers)" },
	[P_ROUNDS] = { .name = "rounds", .type = PARAM_INT, .def = 200, .min = 1, .max = 100000000,
	               .help = "times each task takes both locks" },
	[P_HOLD_US] = { .name = "hold_us", .type = PARAM_INT, .def = 20, .min = 0, .max = 1000000,
	                .unit = "us", .help = "how long the first lock is held before the second "
	                                      "is taken" },
	{ 0 }
};

struct deadlock_shared {
	pthread_mutex_t a, b;
	atomic_uint_least64_t counter;
};

struct deadlock {
	struct deadlock_shared *sh;
	size_t ntasks;
	uint64_t rounds;
	long hold_ns;
	enum lock_order order;
};

static int deadlock_setup(const struct workload_setup *ws, void **instance, char *err,
			  size_t errlen)
{
	struct deadlock *d = calloc(1, sizeof(*d));

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->ntasks = ws->ntasks;
	d->order = (enum lock_order)ws->params->ival[P_ORDER];
	d->rounds = (uint64_t)ws->params->ival[P_ROUNDS];
	d->hold_ns = (long)ws->params->ival[P_HOLD_US] * 1000;
	d->sh = workload_map_shared(sizeof(*d->sh), "the locks", err, errlen);
	if (!d->sh || workload_shared_mutexes((pthread_mutex_t *const[]){ &d->sh->a, &d->sh->b },
					       2, err, errlen) < 0) {
		if (d->sh)
			munmap(d->sh, sizeof(*d->sh));
		free(d);
		return -1;
	}
	*instance = d;
	return 0;
}

static void deadlock_teardown(void *instance)
{
	struct deadlock *d = instance;

	/* After a deadlock the cell is killed, never torn down: here both
	 * locks are free. */
	pthread_mutex_destroy(&d->sh->a);
	pthread_mutex_destroy(&d->sh->b);
	munmap(d->sh, sizeof(*d->sh));
	free(d);
}

static int deadlock_sample_begin(void *instance, char *err, size_t errlen)
{
	struct deadlock *d = instance;

	(void)err;
	(void)errlen;
	atomic_store(&d->sh->counter, 0);
	return 0;
}

static int deadlock_sample_end(void *instance, struct sample_tally *t, char *err, size_t errlen)
{
	struct deadlock *d = instance;
	uint64_t got = atomic_load(&d->sh->counter), want = d->rounds * d->ntasks;

	t->count = (double)got;
	t->expected = (double)want;
	t->digest = want;
	if (got != want) {
		snprintf(err, errlen, "counted %llu of %llu rounds under both locks",
			 (unsigned long long)got, (unsigned long long)want);
		return -1;
	}
	return 0;
}

static void hold(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

	if (ns > 0)
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
}

static int deadlock_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			     struct task_ctx *ctx)
{
	struct deadlock *d = instance;
	bool flip = d->order == ORDER_INCONSISTENT && i % 2 == 1;
	pthread_mutex_t *first = flip ? &d->sh->b : &d->sh->a;
	pthread_mutex_t *second = flip ? &d->sh->a : &d->sh->b;

	(void)worker;
	for (uint64_t r = 0; r < d->rounds; r++) {
		task_io_begin(ctx); /* waiting for a lock is waiting */
		pthread_mutex_lock(first);
		hold(d->hold_ns);
		pthread_mutex_lock(second);
		task_io_end(ctx);
		atomic_fetch_add_explicit(&d->sh->counter, 1, memory_order_relaxed);
		pthread_mutex_unlock(second);
		pthread_mutex_unlock(first);
	}
	*digest = d->rounds;
	return 0;
}

const struct workload workload_sync_deadlock = {
	.name = "sync.deadlock",
	.kind = WORKLOAD_SYNC,
	.description = "two locks taken in a consistent or inconsistent order (a deadlock)",
	.params = deadlock_params,
	.default_tasks = 2,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = deadlock_setup,
	.teardown = deadlock_teardown,
	.sample_begin = deadlock_sample_begin,
	.sample_end = deadlock_sample_end,
	.tally_unit = "rounds",
	.run_task = deadlock_run_task,
};
