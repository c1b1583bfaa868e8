/*
 * pipeline.c - two kinds of worker with a bounded queue between them: a
 * fetch stage that waits (an event loop with `in_flight` fetches at once,
 * or `in_flight` blocking threads) feeds W compute workers (threads, or
 * forked processes that get each item copied through a pipe).
 *
 * It runs a workload's stages apart (struct workload_stages): the fetch
 * stage hands items on through the queue, the compute stage turns each
 * into the task's digest. A workload without stages has nothing to fetch:
 * the queue then carries bare task indices to workers that call run_task,
 * which makes this a pool fed through a mutex and condition variables.
 *
 * The queue is a ring under one mutex with two condition variables: a
 * fetcher that finds it full waits on `not_full` (backpressure: an event
 * loop stops fetching until a computer frees a slot), a computer that
 * finds it empty waits on `not_empty`. Those waits, the time items sit in
 * the queue and each stage's time go into the sample's stage_stats.
 *
 * ==== Layout ====
 * parameters; the queue; the fetch side (threads, loop); the compute side
 * (threads, processes and their forwarders); run
 */
#include "concbench/fault.h"
#include "concbench/strategy.h"
#include "concbench/workload_libevent.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <unistd.h>

enum { P_FETCH, P_COMPUTE, P_IN_FLIGHT, P_DEPTH, P_PREFETCH };
enum fetch_kind { FETCH_LOOP, FETCH_THREADS };
enum compute_kind { COMPUTE_THREADS, COMPUTE_PROCESSES };

static const char *const fetch_names[] = { [FETCH_LOOP] = "loop", [FETCH_THREADS] = "threads",
					   NULL };
static const char *const compute_names[] = { [COMPUTE_THREADS] = "threads",
					     [COMPUTE_PROCESSES] = "processes", NULL };

#define PIPELINE_IN_FLIGHT_MAX 256

static const struct param_spec pipeline_params[] = {
	[P_FETCH] = { .name = "fetch", .type = PARAM_ENUM, .def = FETCH_LOOP, .choices = fetch_names,
	              .help = "the fetch stage: loop (one thread, a libevent loop with in_flight "
	                      "fetches at once) or threads (in_flight blocking threads)" },
	[P_COMPUTE] = { .name = "compute", .type = PARAM_ENUM, .def = COMPUTE_THREADS,
	                .choices = compute_names,
	                .help = "the compute stage: W threads, or W forked processes each sent "
	                        "its items through a pipe" },
	[P_IN_FLIGHT] = { .name = "in_flight", .type = PARAM_INT, .def = 0, .min = 0,
	                  .max = PIPELINE_IN_FLIGHT_MAX,
	                  .help = "fetches at once (the loop's, or the fetch threads); 0: W, as "
	                          "many as compute workers" },
	[P_DEPTH] = { .name = "depth", .type = PARAM_INT, .def = 64, .min = 1, .max = 1000000,
	              .unit = "items",
	              .help = "the queue's capacity (a shallow queue makes every hand-over a "
	                      "sleep and a wake-up)" },
	[P_PREFETCH] = { .name = "prefetch", .type = PARAM_INT, .def = 2, .min = 1, .max = 100000,
	                 .unit = "items",
	                 .help = "compute=processes: items sent to a process before it answers "
	                         "(more: fewer round trips on short tasks; fewer: fairer shares "
	                         "of long ones)" },
	{ 0 }
};

/* ==== The queue ==== */

struct queued {
	size_t task;
	struct stage_item item;
	double since; /* when it was queued */
};

struct pipe {
	const struct workload *w;
	const struct workload_stages *stages; /* NULL: run_task, nothing to fetch */
	void *instance;
	struct sample *out;
	size_t ntasks;
	unsigned in_flight;
	size_t prefetch;        /* items a compute process may hold */

	pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	struct queued *ring;
	size_t cap, head, count;
	size_t fetched;         /* tasks whose fetch ended, handed on or failed */
	bool abort;             /* a worker failed: stop feeding, stop taking */
	struct stage_stats st;  /* under lock; copied into the sample at the end */
	size_t next;            /* the next task to fetch, under lock */
};

static void stage_free(struct pipe *p, struct stage_item *item)
{
	if (p->stages)
		workload_stages_free(p->stages, p->instance, item);
}

/* The next task to fetch, or false when none is left. */
static bool claim(struct pipe *p, size_t *task)
{
	bool got;

	pthread_mutex_lock(&p->lock);
	got = !p->abort && p->next < p->ntasks;
	if (got)
		*task = p->next++;
	pthread_mutex_unlock(&p->lock);
	return got;
}

/* Task's fetch ended (ok: its item in hand); counts it, and wakes the
 * computers when it was the last. Called with the lock held. */
static void fetch_ended(struct pipe *p)
{
	if (++p->fetched == p->ntasks)
		pthread_cond_broadcast(&p->not_empty);
}

static void fetch_failed(struct pipe *p, size_t task, const char *why)
{
	sample_fail(p->out, "task %zu: %s", task, why && why[0] ? why : "fetch failed");
	pthread_mutex_lock(&p->lock);
	fetch_ended(p);
	pthread_mutex_unlock(&p->lock);
}

/* Hands a fetched item on, waiting while the queue is full. */
static void push(struct pipe *p, size_t task, struct stage_item *item)
{
	double now = sample_now();

	pthread_mutex_lock(&p->lock);
	p->st.fetch_s += now - p->out->start[task];
	if (p->count == p->cap && !p->abort) {
		p->st.full_waits++;
		while (p->count == p->cap && !p->abort)
			pthread_cond_wait(&p->not_full, &p->lock);
		p->st.full_wait_s += sample_now() - now;
	}
	if (p->abort) {
		fetch_ended(p);
		pthread_mutex_unlock(&p->lock);
		stage_free(p, item);
		return;
	}
	p->ring[(p->head + p->count) % p->cap] = (struct queued){ task, *item, sample_now() };
	p->count++;
	fetch_ended(p);
	pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->lock);
}

/* The next item to compute; false once every fetch has ended and the
 * queue is empty, or after a failure. */
static bool pop(struct pipe *p, struct queued *q)
{
	double now;

	pthread_mutex_lock(&p->lock);
	if (!p->count && p->fetched < p->ntasks && !p->abort) {
		now = sample_now();
		p->st.empty_waits++;
		while (!p->count && p->fetched < p->ntasks && !p->abort)
			pthread_cond_wait(&p->not_empty, &p->lock);
		p->st.empty_wait_s += sample_now() - now;
	}
	if (!p->count || p->abort) {
		pthread_mutex_unlock(&p->lock);
		return false;
	}
	*q = p->ring[p->head];
	p->head = (p->head + 1) % p->cap;
	p->count--;
	p->st.queue_s += sample_now() - q->since;
	pthread_cond_signal(&p->not_full);
	pthread_mutex_unlock(&p->lock);
	return true;
}

static void computed(struct pipe *p, double seconds)
{
	pthread_mutex_lock(&p->lock);
	p->st.compute_s += seconds;
	pthread_mutex_unlock(&p->lock);
}

static void stop_all(struct pipe *p)
{
	pthread_mutex_lock(&p->lock);
	p->abort = true;
	pthread_cond_broadcast(&p->not_full);
	pthread_cond_broadcast(&p->not_empty);
	pthread_mutex_unlock(&p->lock);
}

/* ==== The fetch side ==== */

/* Task's fetch stage on a worker of the fetch side, blocking. */
static void fetch_blocking(struct pipe *p, void *worker, size_t task, struct task_ctx *ctx)
{
	struct stage_item item = { 0 };

	p->out->start[task] = sample_now();
	ctx->error[0] = '\0';
	if (p->stages && p->stages->fetch(p->instance, worker, task, &item, ctx) < 0)
		fetch_failed(p, task, ctx->error);
	else
		push(p, task, &item);
}

static void *fetch_thread(void *arg)
{
	struct pipe *p = arg;
	struct task_ctx ctx = { 0 };
	void *worker = NULL;
	size_t task;

	/* Nothing to fetch without stages: no worker state either. */
	if (p->stages && strategy__worker_init(p->w, p->instance, &worker, p->out) < 0) {
		stop_all(p);
		return NULL;
	}
	while (claim(p, &task))
		fetch_blocking(p, worker, task, &ctx);
	if (p->stages)
		strategy__worker_fini(p->w, p->instance, worker);
	return NULL;
}

struct fetch_loop {
	struct pipe *p;
	const struct workload_libevent *ev;
	struct event_base *base;
	void *state;       /* the workload's loop state */
	struct task_done *dones;
	unsigned in_flight;
	size_t ended;      /* fetches completed, ok or not */
	bool filling;
};

static void loop_fill(struct fetch_loop *l);

static void loop_fetched(struct task_done *done, bool ok, uint64_t digest, const char *error)
{
	struct fetch_loop *l = done->strategy;

	(void)digest;
	l->in_flight--;
	l->ended++;
	if (ok)
		push(l->p, done->index, &done->item);
	else
		fetch_failed(l->p, done->index, error);
	if (l->ended == l->p->ntasks)
		event_base_loopbreak(l->base);
	else
		loop_fill(l);
}

static void loop_fill(struct fetch_loop *l)
{
	char err[TASK_ERROR_MAX];
	size_t task;

	if (l->filling)
		return;
	l->filling = true;
	while (l->in_flight < l->p->in_flight && claim(l->p, &task)) {
		struct task_done *d = &l->dones[task];

		*d = (struct task_done){ .fn = loop_fetched, .index = task, .strategy = l };
		l->in_flight++;
		l->p->out->start[task] = sample_now();
		err[0] = '\0';
		if (l->ev->start_fetch(l->p->instance, l->base, l->state, task, d, err,
				       sizeof(err)) < 0)
			loop_fetched(d, false, 0, err[0] ? err : "start_fetch failed");
	}
	l->filling = false;
	if (l->in_flight == 0 && l->ended < l->p->ntasks)
		event_base_loopbreak(l->base); /* stopped by a failure */
}

/* The loop's fetch side, on the calling thread. A workload whose fetch
 * cannot start without blocking has it run inline, one at a time. */
static void fetch_on_loop(struct pipe *p)
{
	const struct workload_libevent *ev = p->w->libevent;
	struct fetch_loop l = { .p = p, .ev = ev };
	char err[TASK_ERROR_MAX] = "";
	size_t task;

	if (!p->stages || !ev || !ev->start_fetch) {
		fetch_thread(p);
		return;
	}
	l.base = strategy__event_base();
	l.dones = calloc(p->ntasks, sizeof(*l.dones));
	if (!l.base || !l.dones) {
		sample_fail(p->out, "pipeline: out of memory for the fetch loop");
		goto out;
	}
	if (ev->loop_init &&
	    ev->loop_init(p->instance, l.base, p->in_flight, &l.state, err, sizeof(err)) < 0) {
		sample_fail(p->out, "loop_init: %s", err[0] ? err : "failed");
		goto out;
	}
	loop_fill(&l);
	if (l.ended < p->ntasks && l.in_flight > 0)
		event_base_dispatch(l.base);
	if (ev->loop_fini)
		ev->loop_fini(p->instance, l.state);
out:
	/* Tasks never started (a failure stopped the loop) still end. */
	while (claim(p, &task))
		fetch_failed(p, task, "not fetched: the fetch loop stopped");
	if (l.ended < p->ntasks) {
		sample_fail(p->out, "pipeline: the fetch loop stopped with %zu fetches unfinished",
			    p->ntasks - l.ended);
		stop_all(p); /* what was in flight never reaches the queue */
	}
	free(l.dones);
	if (l.base)
		event_base_free(l.base);
}

/* ==== The compute side ==== */

/* Task's compute stage (or its whole run_task, without stages). */
static int compute_one(const struct pipe *p, void *worker, size_t task,
		       const struct stage_item *item, uint64_t *digest, struct task_ctx *ctx)
{
	ctx->error[0] = '\0';
	if (p->stages)
		return p->stages->compute(p->instance, worker, task, item, digest, ctx);
	return p->w->run_task(p->instance, worker, task, digest, ctx);
}

static void *compute_thread(void *arg)
{
	struct pipe *p = arg;
	struct task_ctx ctx = { 0 };
	struct queued q;
	void *worker;

	if (strategy__worker_init(p->w, p->instance, &worker, p->out) < 0) {
		stop_all(p);
		return NULL;
	}
	while (pop(p, &q)) {
		double t0 = sample_now();
		uint64_t digest = 0;

		bool ok = compute_one(p, worker, q.task, &q.item, &digest, &ctx) == 0;

		strategy__take_result(&ctx, q.task, ok, p->out);
		if (!ok) {
			sample_fail(p->out, "task %zu: %s", q.task, ctx.error[0] ? ctx.error : "failed");
			stop_all(p);
		} else {
			p->out->digest[q.task] = digest;
		}
		p->out->end[q.task] = sample_now();
		computed(p, p->out->end[q.task] - t0);
		stage_free(p, &q.item);
	}
	strategy__worker_fini(p->w, p->instance, worker);
	return NULL;
}

/*
 * A compute process and two threads in this process that serve it: a
 * feeder takes items from the queue and writes each down the process's
 * pipe (a header, then the bytes: a copy), without waiting for replies;
 * a reader reads the replies from the other pipe as they come. The pipe
 * itself holds a few items more than the queue.
 */
struct job_header {
	uint64_t task, len;
};

struct job_reply {
	uint64_t task, digest;
	uint64_t result_len; /* the task's result, if any, follows: this many bytes */
	double compute_s;    /* measured in the process */
	int32_t ok;
	char error[TASK_ERROR_MAX];
};

struct feeder {
	struct pipe *p;
	pid_t pid;
	int to_child, from_child; /* this process's ends */
	pthread_t thread, reader;
	/* Items written down the pipe and answered, under lock: a feeder
	 * keeps at most `prefetch` unanswered, or the first feeder to run
	 * would pour the whole queue into its own process's pipe. */
	pthread_mutex_t lock;
	pthread_cond_t answered;
	size_t sent, replies, ahead;
	bool reader_done;
};

/* The compute process: items in, replies out, until the pipe closes. */
static void compute_process(struct pipe *p, int in, int out, pid_t parent)
{
	struct task_ctx ctx = { 0 };
	struct job_header h;
	struct stage_item item = { 0 };
	size_t cap = 0;
	void *worker;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (strategy__worker_init(p->w, p->instance, &worker, p->out) < 0)
		_exit(1);
	while (strategy__read_all(in, &h, sizeof(h))) {
		struct job_reply r = { .task = h.task };
		double t0;

		if (h.len > cap) {
			void *grown = realloc(item.data, h.len);

			if (!grown)
				_exit(3);
			item.data = grown;
			cap = h.len;
		}
		item.len = h.len;
		if (!strategy__read_all(in, item.data, h.len))
			_exit(4);
		t0 = sample_now();
		r.ok = compute_one(p, worker, h.task, &item, &r.digest, &ctx) == 0;
		r.compute_s = sample_now() - t0;
		if (!r.ok) {
			snprintf(r.error, sizeof(r.error), "%s", ctx.error[0] ? ctx.error : "failed");
			free(ctx.result.data);
			ctx.result = (struct stage_item){ 0 };
		}
		/* The reply, then the result's bytes: copied back. */
		r.result_len = ctx.result.len;
		{
			struct iovec iov[2] = { { &r, sizeof(r) },
						{ ctx.result.data, ctx.result.len } };

			if (!strategy__write_all(out, iov, ctx.result.len ? 2 : 1))
				_exit(5);
		}
		free(ctx.result.data);
		ctx.result = (struct stage_item){ 0 };
	}
	strategy__worker_fini(p->w, p->instance, worker);
	free(item.data);
	sample_add_child_memory(p->out);
	_exit(0);
}

static void *feeder_thread(void *arg)
{
	struct feeder *f = arg;
	struct pipe *p = f->p;
	struct queued q;
	sigset_t pipe_signal;

	/* A dead child makes write() fail with EPIPE, not kill us. */
	sigemptyset(&pipe_signal);
	sigaddset(&pipe_signal, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_signal, NULL);
	for (;;) {
		struct job_header h;
		struct iovec iov[2];
		bool sent;

		pthread_mutex_lock(&f->lock);
		while (f->sent - f->replies >= f->ahead && !f->reader_done)
			pthread_cond_wait(&f->answered, &f->lock);
		pthread_mutex_unlock(&f->lock);
		if (!pop(p, &q))
			break;
		h = (struct job_header){ q.task, q.item.len };
		iov[0] = (struct iovec){ &h, sizeof(h) };
		iov[1] = (struct iovec){ q.item.data, q.item.len };
		sent = strategy__write_all(f->to_child, iov, q.item.len ? 2 : 1);
		stage_free(p, &q.item);
		if (!sent) {
			sample_fail(p->out, "task %zu: compute process pid %d ended before taking it",
				    q.task, (int)f->pid);
			stop_all(p);
			break;
		}
		pthread_mutex_lock(&f->lock);
		f->sent++;
		pthread_mutex_unlock(&f->lock);
	}
	close(f->to_child); /* the child's end of file: it exits */
	f->to_child = -1;
	return NULL;
}

static void *reader_thread(void *arg)
{
	struct feeder *f = arg;
	struct pipe *p = f->p;
	struct job_reply r;
	size_t replies = 0, sent;

	while (strategy__read_all(f->from_child, &r, sizeof(r))) {
		struct stage_item result = { .len = r.result_len };

		replies++;
		pthread_mutex_lock(&f->lock);
		f->replies = replies;
		pthread_cond_signal(&f->answered);
		pthread_mutex_unlock(&f->lock);
		if (r.result_len && (!(result.data = malloc(r.result_len)) ||
				     !strategy__read_all(f->from_child, result.data, r.result_len))) {
			free(result.data);
			sample_fail(p->out, "pipeline: the result of task %llu was cut short",
				    (unsigned long long)r.task);
			stop_all(p);
			break;
		}
		if (r.task >= p->ntasks) {
			sample_fail(p->out, "pipeline: compute process pid %d replied for task %llu",
				    (int)f->pid, (unsigned long long)r.task);
			stop_all(p);
			break;
		}
		if (!r.ok) {
			r.error[sizeof(r.error) - 1] = '\0';
			sample_fail(p->out, "task %llu: %s", (unsigned long long)r.task, r.error);
			stop_all(p);
		} else {
			p->out->digest[r.task] = r.digest;
		}
		if (result.len && r.task < p->ntasks)
			sample_deliver(p->out, r.task, &result);
		free(result.data);
		p->out->end[r.task] = sample_now();
		computed(p, r.compute_s);
	}
	/* End of file: the process exited. Cleanly, it had replied to every
	 * item, the last written before the feeder closed its pipe. */
	pthread_mutex_lock(&f->lock);
	f->reader_done = true;
	sent = f->sent;
	pthread_cond_broadcast(&f->answered);
	pthread_mutex_unlock(&f->lock);
	if (replies < sent) {
		sample_fail(p->out, "pipeline: compute process pid %d ended with %zu items unanswered",
			    (int)f->pid, sent - replies);
		stop_all(p);
	}
	return NULL;
}

/* Forks W compute processes, each with its pair of pipes. Before any
 * thread of ours exists, so a child starts with one thread and no lock
 * held. Returns the number started. */
static unsigned fork_computers(struct pipe *p, struct feeder *f, unsigned n)
{
	pid_t parent = getpid();
	unsigned k;

	for (k = 0; k < n; k++) {
		int down[2], up[2];

		if (fault_pipe2(down, O_CLOEXEC) < 0) {
			sample_fail(p->out, "pipeline: pipe failed: %s", strerror(errno));
			break;
		}
		if (fault_pipe2(up, O_CLOEXEC) < 0) {
			sample_fail(p->out, "pipeline: pipe failed: %s", strerror(errno));
			close(down[0]);
			close(down[1]);
			break;
		}
		f[k] = (struct feeder){ .p = p, .to_child = down[1], .from_child = up[0],
					.ahead = p->prefetch };
		pthread_mutex_init(&f[k].lock, NULL);
		pthread_cond_init(&f[k].answered, NULL);
		f[k].pid = fault_fork();
		if (f[k].pid == 0) {
			/* Only its own ends stay open: the others' would keep
			 * their pipes from ever reaching end of file. */
			for (unsigned j = 0; j < k; j++) {
				close(f[j].to_child);
				close(f[j].from_child);
			}
			close(down[1]);
			close(up[0]);
			compute_process(p, down[0], up[1], parent);
		}
		close(down[0]);
		close(up[1]);
		if (f[k].pid < 0) {
			sample_fail(p->out, "pipeline: fork failed for compute process %u: %s", k,
				    strerror(errno));
			close(f[k].to_child);
			close(f[k].from_child);
			break;
		}
	}
	return k;
}

/* ==== Run ==== */

static int pipeline_run(const struct workload *w, void *instance,
			const struct strategy_config *cfg, struct sample *out)
{
	const struct param_values *pv = cfg->params;
	bool loop = pv->ival[P_FETCH] == FETCH_LOOP;
	bool processes = pv->ival[P_COMPUTE] == COMPUTE_PROCESSES;
	unsigned in_flight = pv->ival[P_IN_FLIGHT] ? (unsigned)pv->ival[P_IN_FLIGHT] : cfg->workers;
	unsigned nfetch = loop ? 0 : in_flight, ncompute = cfg->workers;
	size_t depth = (size_t)pv->ival[P_DEPTH];
	struct pipe p = { .w = w, .stages = w->stages, .instance = instance, .out = out,
			  .ntasks = cfg->ntasks, .in_flight = in_flight,
			  .prefetch = (size_t)pv->ival[P_PREFETCH],
			  .cap = depth };
	pthread_t *fetchers = calloc(nfetch ? nfetch : 1, sizeof(*fetchers));
	pthread_t *computers = calloc(ncompute, sizeof(*computers));
	struct feeder *feeders = calloc(ncompute, sizeof(*feeders));
	unsigned nfetchers = 0, ncomputers = 0, nforked = 0;
	struct queued q;
	int rc = 0;

	p.ring = calloc(depth, sizeof(*p.ring));
	if (!fetchers || !computers || !feeders || !p.ring) {
		sample_fail(out, "pipeline: out of memory for a queue of %zu", depth);
		rc = -1;
		goto out;
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.not_full, NULL);
	pthread_cond_init(&p.not_empty, NULL);
	p.st.depth = (long)depth;
	if (processes && (nforked = fork_computers(&p, feeders, ncompute)) < ncompute) {
		stop_all(&p);
		ncompute = 0;
	}
	for (unsigned k = 0; k < ncompute; k++) {
		int e = processes ? fault_pthread_create(&feeders[k].thread, NULL, feeder_thread, &feeders[k])
				  : fault_pthread_create(&computers[k], NULL, compute_thread, &p);

		if (!e && processes &&
		    (e = fault_pthread_create(&feeders[k].reader, NULL, reader_thread, &feeders[k]))) {
			/* No reader: the feeder must still end, and be joined. */
			stop_all(&p);
			pthread_mutex_lock(&feeders[k].lock);
			feeders[k].reader_done = true;
			pthread_cond_broadcast(&feeders[k].answered);
			pthread_mutex_unlock(&feeders[k].lock);
			pthread_join(feeders[k].thread, NULL);
		}
		if (e) {
			sample_fail(out, "pipeline: pthread_create for compute worker %u: %s", k,
				    strerror(e));
			stop_all(&p);
			break;
		}
		ncomputers++;
	}
	if (loop) {
		fetch_on_loop(&p);
	} else {
		for (unsigned k = 0; k < nfetch; k++) {
			int e = fault_pthread_create(&fetchers[k], NULL, fetch_thread, &p);

			if (e) {
				sample_fail(out, "pipeline: pthread_create for fetch thread %u: %s", k,
					    strerror(e));
				stop_all(&p);
				break;
			}
			nfetchers++;
		}
		for (unsigned k = 0; k < nfetchers; k++)
			pthread_join(fetchers[k], NULL);
	}
	/* The fetchers are gone: if some tasks were never fetched (a failure
	 * stopped them), nothing more will come. */
	pthread_mutex_lock(&p.lock);
	if (p.fetched < p.ntasks)
		p.abort = true;
	pthread_cond_broadcast(&p.not_empty);
	pthread_mutex_unlock(&p.lock);
	for (unsigned k = 0; k < ncomputers; k++)
		pthread_join(processes ? feeders[k].thread : computers[k], NULL);
	/* Feeders done: their children see end of file, reply to the last
	 * items and exit, which ends the readers. */
	for (unsigned k = 0; k < nforked; k++)
		if (feeders[k].to_child >= 0) {
			close(feeders[k].to_child);
			feeders[k].to_child = -1;
		}
	for (unsigned k = 0; processes && k < ncomputers; k++)
		pthread_join(feeders[k].reader, NULL);
	for (unsigned k = 0; k < nforked; k++) {
		if (feeders[k].to_child >= 0)
			close(feeders[k].to_child);
		close(feeders[k].from_child);
		if (strategy__reap(feeders[k].pid, "pipeline", out, k + 1 == nforked) < 0)
			rc = -1;
		pthread_cond_destroy(&feeders[k].answered);
		pthread_mutex_destroy(&feeders[k].lock);
	}
	/* Items a failure left in the queue. */
	while (p.count > 0) {
		q = p.ring[p.head];
		p.head = (p.head + 1) % p.cap;
		p.count--;
		stage_free(&p, &q.item);
	}
	/* A workload without stages had nothing fetched: its tasks went
	 * through the queue whole, and there are no stages to speak of. */
	out->stages = p.st;
	out->has_stages = w->stages != NULL;
	pthread_cond_destroy(&p.not_full);
	pthread_cond_destroy(&p.not_empty);
	pthread_mutex_destroy(&p.lock);
out:
	free(p.ring);
	free(fetchers);
	free(computers);
	free(feeders);
	return rc;
}

static int pipeline_validate(const struct workload *w, const struct param_values *params,
			     unsigned max_workers, char *err, size_t errlen)
{
	unsigned in_flight = params->ival[P_IN_FLIGHT] ? (unsigned)params->ival[P_IN_FLIGHT]
						       : max_workers;
	unsigned fetchers = params->ival[P_FETCH] == FETCH_THREADS ? in_flight : 1;

	(void)w;
	return strategy__check_threads(max_workers + fetchers, 0, "threads", err, errlen);
}

static void pipeline_traits(const struct param_values *params, struct strategy_traits *t)
{
	if (params->ival[P_COMPUTE] == COMPUTE_PROCESSES) {
		t->worker = "forked processes fed by a fetch stage";
		t->start_price = "fork_wait";
	}
}

const struct strategy strategy_pipeline = {
	.name = "pipeline",
	.description = "a fetch stage (an event loop, or threads) feeding W compute threads or "
		       "processes through a bounded queue: a workload's two stages run apart",
	.params = pipeline_params,
	.traits_for = pipeline_traits,
	.traits = { .worker = "threads fed by a fetch stage",
		    .suits = STRATEGY_SUITS_WAITING | STRATEGY_SUITS_COMPUTING,
		    .start_price = "thread_create_join" },
	.validate = pipeline_validate,
	.run = pipeline_run,
};
