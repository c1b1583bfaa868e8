/*
 * concbench/workload_libevent.h - a workload's tasks on a libevent loop.
 *
 * A workload whose tasks can run without blocking on a libevent 2.1
 * event_base (timers, sockets) points its `libevent` slot at one of these.
 * The eventloop strategy then keeps at most W tasks in flight on one
 * thread. A strategy on another event runtime (io_uring, libuv) gets a
 * sibling sub-table of its own; struct workload stays runtime-neutral.
 */
#ifndef CONCBENCH_WORKLOAD_LIBEVENT_H
#define CONCBENCH_WORKLOAD_LIBEVENT_H

#include <stddef.h>

#include "concbench/workload.h"

struct event_base;

struct workload_libevent {
	/* Per-loop state (a client multiplexer bound to the loop), made on
	 * the loop's thread before the first start_task, with the most tasks
	 * that will be in flight at once. MAY be NULL: the loop state is then
	 * NULL. */
	int (*loop_init)(void *instance, struct event_base *base, unsigned max_in_flight,
			 void **loop, char *err, size_t errlen);
	/* Frees loop state after the last completion, on the loop's thread.
	 * MAY be NULL. */
	void (*loop_fini)(void *instance, void *loop);
	/* Starts task i without blocking on the caller's loop and returns 0;
	 * completion arrives through done, from the loop, never from inside
	 * start_task. Returns < 0 with the reason in err if the task could
	 * not be started. MUST. */
	int (*start_task)(void *instance, struct event_base *base, void *loop, size_t i,
			  struct task_done *done, char *err, size_t errlen);
	/* Starts the fetch stage of task i (struct workload_stages) without
	 * blocking, as start_task starts a whole task: done->fn comes later
	 * from the loop with the item in done->item. MAY be NULL: a strategy
	 * that fetches on a loop then runs stages->fetch inline. */
	int (*start_fetch)(void *instance, struct event_base *base, void *loop, size_t i,
			   struct task_done *done, char *err, size_t errlen);
};

#endif
