/*
 * eventloop.c - one thread, one libevent event_base.
 *
 * A workload that can start a task without blocking (its libevent
 * sub-table's start_task) gets at most W tasks in flight, a new one
 * started as each completes. A workload that cannot (pure computation) has
 * run_task called inline on the loop thread, one task per loop callback:
 * the loop stays responsive between tasks, but one thread does all the
 * computing. That is the lesson this strategy teaches: an event loop makes
 * waiting concurrent, not work. The sample records which path it took.
 */
#include "concbench/fault.h"
#include "concbench/strategy.h"
#include "concbench/workload_libevent.h"

#include <event2/event.h>
#include <stdlib.h>

static const struct param_spec eventloop_params[] = { { 0 } };

struct loop {
	const struct workload *w;
	const struct workload_libevent *ev; /* the workload's libevent slots */
	void *instance;
	struct sample *out;
	struct event_base *base;
	size_t ntasks;
	size_t next;        /* next task to start */
	size_t finished;    /* tasks completed, ok or not */
	size_t in_flight;
	unsigned max_in_flight;
	bool filling;       /* guards against re-entry from a synchronous completion */
	struct event *refill; /* resumes a fill cut short by FILL_BATCH */
	struct task_done *dones;
	void *loop_state;   /* the workload's, from loop_init */
	/* inline mode */
	struct event *inline_ev;
	void *worker;
	struct task_ctx ctx;
};

/*
 * The most tasks one turn of the loop starts. Started all at once, 10,000
 * HTTP tasks made 10,000 connects before the loop looked at any socket
 * again: the first reply came after 450 ms instead of 60 ms, because no
 * request went out (and no server-side delay started) until the last
 * connect was made. In batches, started tasks progress while later ones
 * are still being started.
 */
#define FILL_BATCH 128

static void loop_fill(struct loop *l);

static void loop_task_done(struct task_done *done, bool ok, uint64_t digest, const char *error)
{
	struct loop *l = done->strategy;
	size_t i = done->index;

	l->out->end[i] = sample_now();
	if (ok)
		l->out->digest[i] = digest;
	else
		sample_fail(l->out, "task %zu: %s", i, error ? error : "failed");
	l->in_flight--;
	l->finished++;
	if (l->finished == l->ntasks)
		event_base_loopbreak(l->base);
	else
		loop_fill(l);
}

static void loop_fill(struct loop *l)
{
	char err[TASK_ERROR_MAX];
	unsigned batch = 0;

	if (l->filling)
		return;
	l->filling = true;
	while (l->in_flight < l->max_in_flight && l->next < l->ntasks) {
		if (batch++ == FILL_BATCH) {
			/* Let the loop serve the tasks already started before
			 * starting more: see FILL_BATCH. */
			static const struct timeval now = { 0, 0 };

			/* A zero timeout, not event_active: active events run in
			 * this same turn, timers only after the next poll. */
			evtimer_add(l->refill, &now);
			break;
		}
		size_t i = l->next++;
		struct task_done *d = &l->dones[i];

		d->fn = loop_task_done;
		d->index = i;
		d->strategy = l;
		l->in_flight++;
		l->out->start[i] = sample_now();
		err[0] = '\0';
		/* A task that cannot start completes as failed; `filling` stays
		 * set, so the completion does not recurse into loop_fill (a long
		 * run of failures would otherwise exhaust the stack). */
		if (l->ev->start_task(l->instance, l->base, l->loop_state, i, d, err, sizeof(err)) < 0)
			loop_task_done(d, false, 0, err[0] ? err : "start_task failed");
	}
	l->filling = false;
	/* A completion that arrived while we were filling could not refill. */
	if (batch <= FILL_BATCH && l->in_flight < l->max_in_flight && l->next < l->ntasks)
		loop_fill(l);
}

static void loop_refill_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	loop_fill(arg);
}

static void loop_inline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct loop *l = arg;

	(void)fd;
	(void)what;
	strategy__run_one(l->w, l->instance, l->worker, l->next++, &l->ctx, l->out);
	if (l->next < l->ntasks)
		event_active(l->inline_ev, EV_TIMEOUT, 0);
}

struct event_base *strategy__event_base(void)
{
	struct event_config *ec = event_config_new();
	struct event_base *base;

	/* Without a precise timer, epoll's millisecond timeout rounds every
	 * wait up: a wave of 50 ms timers would finish about a millisecond
	 * late, and ten waves ten milliseconds late. timerfd is exact. The
	 * changelist folds an event deleted and re-added within one turn (a
	 * socket switching from writing to reading) into one epoll_ctl. */
	if (!ec)
		return NULL;
	event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return base;
}

static int eventloop_run(const struct workload *w, void *instance,
			 const struct strategy_config *cfg, struct sample *out)
{
	struct loop l = { .w = w, .ev = w->libevent, .instance = instance, .out = out,
			  .ntasks = cfg->ntasks, .max_in_flight = cfg->workers };
	int rc = 0;

	l.base = strategy__event_base();
	if (!l.base) {
		sample_fail(out, "eventloop: event_base_new failed");
		return -1;
	}
	if (l.ev) {
		out->path = TASK_PATH_START_TASK;
		l.dones = fault_calloc(cfg->ntasks, sizeof(*l.dones));
		if (!l.dones) {
			sample_fail(out, "eventloop: out of memory for %zu tasks", cfg->ntasks);
			rc = -1;
			goto out;
		}
		l.refill = evtimer_new(l.base, loop_refill_cb, &l);
		if (!l.refill) {
			sample_fail(out, "eventloop: event_new failed");
			rc = -1;
			goto out;
		}
		if (l.ev->loop_init) {
			char err[TASK_ERROR_MAX] = "";

			if (l.ev->loop_init(instance, l.base, l.max_in_flight, &l.loop_state, err,
					 sizeof(err)) < 0) {
				sample_fail(out, "loop_init: %s", err[0] ? err : "failed");
				rc = -1;
				goto out;
			}
		}
		loop_fill(&l);
		if (l.finished < l.ntasks)
			event_base_dispatch(l.base);
		if (l.ev->loop_fini)
			l.ev->loop_fini(instance, l.loop_state);
	} else {
		out->path = TASK_PATH_RUN_TASK_INLINE;
		if (strategy__worker_init(w, instance, &l.worker, out) < 0) {
			rc = -1;
			goto out;
		}
		l.inline_ev = event_new(l.base, -1, 0, loop_inline_cb, &l);
		if (!l.inline_ev) {
			sample_fail(out, "eventloop: event_new failed");
			rc = -1;
		} else if (l.ntasks > 0) {
			event_active(l.inline_ev, EV_TIMEOUT, 0);
			event_base_dispatch(l.base);
			event_free(l.inline_ev);
		}
		strategy__worker_fini(w, instance, l.worker);
	}
	if (rc == 0 && l.finished < l.ntasks && l.ev)
		sample_fail(out, "eventloop: the loop ran out of events with %zu of %zu tasks unfinished",
			    l.ntasks - l.finished, l.ntasks);
out:
	if (l.refill)
		event_free(l.refill);
	free(l.dones);
	event_base_free(l.base);
	return rc;
}

const struct strategy strategy_eventloop = {
	.name = "eventloop",
	.description = "one thread on a libevent loop, at most W tasks in flight (CPU tasks run inline)",
	.params = eventloop_params,
	.traits = { .worker = "tasks in flight on one thread", .one_thread = true,
		    .suits = STRATEGY_SUITS_WAITING, .task_price = "loop_dispatch" },
	.run = eventloop_run,
};
