/*
 * sleep.c - each task waits latency_ms and produces nothing else: the
 * purest I/O-bound job. Blocking strategies sleep with clock_nanosleep
 * between the io hooks; the event loop arms a timer. The ideal wall time
 * is ceil(N / W) x latency.
 */
#include "concbench/workload.h"
#include "concbench/workload_libevent.h"

#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { P_LATENCY_MS };

static const struct param_spec sleep_params[] = {
	[P_LATENCY_MS] = { .name = "latency_ms", .type = PARAM_INT, .def = 50, .max = 60000,
	                   .unit = "ms", .help = "how long each task waits" },
	{ 0 }
};

struct sleep_instance {
	int64_t latency_ms;
};

static int sleep_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	struct sleep_instance *s = malloc(sizeof(*s));

	(void)err;
	(void)errlen;
	if (!s)
		return -1;
	s->latency_ms = ws->params->ival[P_LATENCY_MS];
	*instance = s;
	return 0;
}

static void sleep_teardown(void *instance)
{
	free(instance);
}

/* The digest proves the task ran and waited the configured time. */
static uint64_t sleep_digest(const struct sleep_instance *s, size_t i)
{
	return digest_mix((uint64_t)i * 1000003u + (uint64_t)s->latency_ms);
}

static int sleep_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			  struct task_ctx *ctx)
{
	const struct sleep_instance *s = instance;
	struct timespec until;
	int rc;

	(void)worker;
	/* An absolute deadline, so a signal that interrupts the sleep does not
	 * stretch it when we go back to sleep. */
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += s->latency_ms / 1000;
	until.tv_nsec += (s->latency_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	task_io_begin(ctx);
	do
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	while (rc == EINTR);
	task_io_end(ctx);
	if (rc != 0)
		return task_fail(ctx, "clock_nanosleep: %s", strerror(rc));
	*digest = sleep_digest(s, i);
	return 0;
}

struct sleep_timer {
	const struct sleep_instance *s;
	struct task_done *done;
};

static void sleep_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sleep_timer t = *(struct sleep_timer *)arg;

	(void)fd;
	(void)what;
	free(arg);
	t.done->fn(t.done, true, sleep_digest(t.s, t.done->index), NULL);
}

static int sleep_start_task(void *instance, struct event_base *base, void *loop, size_t i,
			    struct task_done *done, char *err, size_t errlen)
{
	const struct sleep_instance *s = instance;
	struct timeval tv = { .tv_sec = s->latency_ms / 1000,
			      .tv_usec = (s->latency_ms % 1000) * 1000 };
	struct sleep_timer *t = malloc(sizeof(*t));

	(void)loop;
	(void)i;
	if (!t) {
		snprintf(err, errlen, "out of memory for a timer");
		return -1;
	}
	t->s = s;
	t->done = done;
	if (event_base_once(base, -1, EV_TIMEOUT, sleep_timer_cb, t, &tv) < 0) {
		free(t);
		snprintf(err, errlen, "event_base_once failed");
		return -1;
	}
	return 0;
}

static const struct workload_libevent sleep_libevent = {
	.start_task = sleep_start_task,
};

const struct workload workload_io_sleep = {
	.name = "io.sleep",
	.kind = WORKLOAD_IO,
	.description = "each task waits latency_ms (clock_nanosleep, or a timer on the loop)",
	.params = sleep_params,
	.default_tasks = 100,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = sleep_setup,
	.teardown = sleep_teardown,
	.run_task = sleep_run_task,
	.libevent = &sleep_libevent,
};
