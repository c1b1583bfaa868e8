/*
 * common.c - what the strategies share: the per-task step of the blocking
 * ones (stamp, run, stamp, store the digest or the failure), how a pool's
 * workers share the tasks out (the schedule), and the check of how many
 * threads or processes the system lets us start.
 */
#include "concbench/fault.h"
#include "concbench/strategy.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

bool strategy__run_one(const struct workload *w, void *instance, void *worker,
		       size_t i, struct task_ctx *ctx, struct sample *out)
{
	uint64_t digest = 0;
	int rc;

	/* The sample has failed: its time and answer are void, so the rest
	 * of its tasks are skipped. Running them would only hide the reason
	 * behind a timeout (one task out of memory, the others running on). */
	if (atomic_load_explicit(&out->failed, memory_order_relaxed))
		return false;
	out->start[i] = sample_now();
	rc = w->run_task(instance, worker, i, &digest, ctx);
	strategy__take_result(ctx, i, rc == 0, out);
	out->end[i] = sample_now();
	if (rc < 0) {
		sample_fail(out, "task %zu: %s", i, ctx->error[0] ? ctx->error : "failed");
		return false;
	}
	out->digest[i] = digest;
	return true;
}

void strategy__take_result(struct task_ctx *ctx, size_t i, bool ok, struct sample *out)
{
	if (!ctx->result.data && !ctx->result.len)
		return;
	if (!ok) {
		free(ctx->result.data);
		ctx->result = (struct stage_item){ 0 };
	} else if (ctx->deliver) {
		ctx->deliver(ctx->deliver_arg, i, &ctx->result);
	} else {
		sample_deliver(out, i, &ctx->result);
	}
}

bool strategy__results(const struct workload *w, const struct strategy_config *cfg)
{
	return w->returns_results && cfg->setup && w->returns_results(cfg->setup->params);
}

/* ==== The result channel ==== */

struct channel_shared {
	pthread_mutex_t lock; /* process-shared: one frame in the pipe at a time */
};

struct result_channel {
	struct channel_shared *sh; /* MAP_SHARED */
	int rfd, wfd;
	struct sample *out;
	pthread_t reader;
};

struct frame_header {
	uint64_t task, len;
};

bool strategy__write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t got = writev(fd, iov, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		while (n > 0 && (size_t)got >= iov->iov_len) {
			got -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + got;
			iov->iov_len -= (size_t)got;
		}
	}
	return true;
}

bool strategy__read_all(int fd, void *buf, size_t len)
{
	char *b = buf;

	while (len > 0) {
		ssize_t n = read(fd, b, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		b += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * The reader runs while its process forks workers (spawn=per_task forks
 * as results arrive), so it never calls malloc or free: a child forked
 * while this thread held the allocator's lock would inherit it held, and
 * its first malloc would wait forever (seen under AddressSanitizer, whose
 * allocator has no fork handler). Its buffer is mmap'd and grown with
 * mremap, system calls that take no lock of this process.
 */
static void *channel_reader(void *arg)
{
	struct result_channel *ch = arg;
	struct frame_header h;
	void *buf = NULL;
	size_t cap = 0;

	while (strategy__read_all(ch->rfd, &h, sizeof(h))) {
		if (h.len > cap) {
			size_t want = h.len < 65536 ? 65536 : h.len;
			void *p = buf ? mremap(buf, cap, want, MREMAP_MAYMOVE)
				      : fault_mmap(NULL, want, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED) {
				sample_fail(ch->out, "processes: no memory for a result of %llu bytes",
					    (unsigned long long)h.len);
				break;
			}
			buf = p;
			cap = want;
		}
		if (!strategy__read_all(ch->rfd, buf, h.len) || h.task >= ch->out->ntasks) {
			sample_fail(ch->out, "processes: a result of task %llu was cut short",
				    (unsigned long long)h.task);
			break;
		}
		sample_take_result(ch->out, h.task, buf, h.len);
	}
	/* Stopped early: workers still writing get EPIPE (or SIGPIPE) rather
	 * than block on a pipe no one reads. */
	close(ch->rfd);
	ch->rfd = -1;
	if (buf)
		munmap(buf, cap);
	return NULL;
}

struct result_channel *strategy__channel_open(struct sample *out)
{
	struct result_channel *ch = fault_calloc(1, sizeof(*ch));
	pthread_mutexattr_t attr;
	int fds[2], e;

	if (!ch)
		return NULL;
	ch->out = out;
	ch->sh = fault_mmap(NULL, sizeof(*ch->sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (ch->sh == MAP_FAILED) {
		free(ch);
		return NULL;
	}
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&ch->sh->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	if (fault_pipe2(fds, O_CLOEXEC) < 0)
		goto fail;
	ch->rfd = fds[0];
	ch->wfd = fds[1];
	/* A wider pipe: with the default 64 KiB, a result of megabytes
	 * crosses it in 16 rounds of writer, reader, writer wake-ups. */
	fcntl(ch->wfd, F_SETPIPE_SZ, 1 << 20);
	if ((e = fault_pthread_create(&ch->reader, NULL, channel_reader, ch)) != 0) {
		close(ch->rfd);
		close(ch->wfd);
		errno = e; /* the reason the caller says */
		goto fail;
	}
	return ch;
fail:
	e = errno;
	pthread_mutex_destroy(&ch->sh->lock);
	munmap(ch->sh, sizeof(*ch->sh));
	free(ch);
	errno = e;
	return NULL;
}

void strategy__channel_deliver(void *channel, size_t task, struct stage_item *result)
{
	struct result_channel *ch = channel;
	struct frame_header h = { task, result->len };
	struct iovec iov[2] = { { &h, sizeof(h) }, { result->data, result->len } };

	pthread_mutex_lock(&ch->sh->lock);
	if (!strategy__write_all(ch->wfd, iov, result->len ? 2 : 1))
		sample_fail(ch->out, "processes: the result of task %zu could not be sent back: %s",
			    task, strerror(errno));
	pthread_mutex_unlock(&ch->sh->lock);
	free(result->data);
	*result = (struct stage_item){ 0 };
}

void strategy__channel_close(struct result_channel *ch)
{
	if (!ch)
		return;
	close(ch->wfd); /* with every worker gone, the reader's end of file */
	pthread_join(ch->reader, NULL); /* it closed its end */
	pthread_mutex_destroy(&ch->sh->lock);
	munmap(ch->sh, sizeof(*ch->sh));
	free(ch);
}

static void add_usage(struct child_usage *u, const struct rusage *ru)
{
	u->user_s += (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec * 1e-6;
	u->sys_s += (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec * 1e-6;
	u->nvcsw += ru->ru_nvcsw;
	u->nivcsw += ru->ru_nivcsw;
	u->maxrss_kb += ru->ru_maxrss;
	u->count++;
}

int strategy__wait(pid_t pid, int *status, struct sample *out)
{
	struct rusage ru;
	pid_t got;

	do
		got = wait4(pid, status, 0, &ru);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -1;
	if (out)
		add_usage(&out->children, &ru);
	return 0;
}

int strategy__reap(pid_t pid, const char *who, struct sample *out, bool last)
{
	int status;

	if (strategy__wait(pid, &status, out) < 0) {
		sample_fail(out, "%s: wait4 failed: %s", who, strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(status)) {
		sample_fail(out, "%s: worker pid %d killed by signal %d (SIG%s)", who, (int)pid,
			    WTERMSIG(status), sigabbrev_np(WTERMSIG(status)));
		/* It may have died between claiming the first failure and
		 * writing its text; no worker is left to race with now. */
		if (!out->error[0] && last)
			snprintf(out->error, sizeof(out->error),
				 "%s: worker pid %d killed by signal %d (SIG%s)", who, (int)pid,
				 WTERMSIG(status), sigabbrev_np(WTERMSIG(status)));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		sample_fail(out, "%s: worker pid %d exited with status %d", who, (int)pid,
			    WEXITSTATUS(status));
	}
	return 0;
}

int strategy__worker_init(const struct workload *w, void *instance, void **worker,
			  struct sample *out)
{
	char err[TASK_ERROR_MAX] = "";

	*worker = NULL;
	if (!w->worker_init)
		return 0;
	if (w->worker_init(instance, worker, err, sizeof(err)) < 0) {
		sample_fail(out, "worker_init: %s", err[0] ? err : "failed");
		return -1;
	}
	return 0;
}

void strategy__worker_fini(const struct workload *w, void *instance, void *worker)
{
	if (w->worker_fini)
		w->worker_fini(instance, worker);
}

const char *const strategy__schedule_names[] = {
	[SCHEDULE_STATIC] = "static",
	[SCHEDULE_DYNAMIC] = "dynamic",
	[SCHEDULE_GUIDED] = "guided",
	NULL
};

void strategy__schedule_init(struct task_schedule *s, enum strategy_schedule kind,
			     size_t chunk, size_t ntasks, unsigned workers)
{
	s->kind = kind;
	s->chunk = chunk;
	s->ntasks = ntasks;
	s->workers = workers ? workers : 1;
	atomic_init(&s->next, 0);
}

bool strategy__schedule_next(struct task_schedule *s, unsigned w, struct task_cursor *cur,
			     size_t *begin, size_t *end)
{
	size_t n = s->ntasks, c = s->chunk ? s->chunk : 1, start, size;

	if (cur->done)
		return false;
	switch (s->kind) {
	case SCHEDULE_STATIC:
		if (!s->chunk) {
			/* One contiguous block each. The products stay far below
			 * 2^64: tasks and workers are both range-checked. */
			*begin = n * w / s->workers;
			*end = n * (w + 1) / s->workers;
			cur->done = true;
			return *begin < *end;
		}
		/* Chunk k goes to worker k mod W. */
		start = cur->round++ * s->workers + w;
		if (start >= (n + c - 1) / c)
			break;
		start *= c;
		*begin = start;
		*end = n - start > c ? start + c : n;
		return true;
	case SCHEDULE_GUIDED:
		start = atomic_load_explicit(&s->next, memory_order_relaxed);
		do {
			if (start >= n)
				break;
			size = (n - start + s->workers - 1) / s->workers;
			if (size < c)
				size = c;
			if (size > n - start)
				size = n - start;
		} while (!atomic_compare_exchange_weak_explicit(&s->next, &start, start + size,
								memory_order_relaxed,
								memory_order_relaxed));
		if (start >= n)
			break;
		*begin = start;
		*end = start + size;
		return true;
	case SCHEDULE_DYNAMIC:
	default:
		start = atomic_fetch_add_explicit(&s->next, c, memory_order_relaxed);
		if (start >= n)
			break;
		*begin = start;
		*end = n - start > c ? start + c : n;
		return true;
	}
	cur->done = true;
	return false;
}

const char *const strategy__spawn_names[] = {
	[STRATEGY_SPAWN_POOL] = "pool",
	[STRATEGY_SPAWN_PER_TASK] = "per_task",
	NULL
};

int strategy__check_spawn(const struct param_values *params, int spawn, int schedule, int chunk,
			  char *err, size_t errlen)
{
	if (params->ival[spawn] != STRATEGY_SPAWN_PER_TASK)
		return 0;
	if (params->given[schedule] || params->given[chunk]) {
		snprintf(err, errlen, "--param %s: spawn=per_task gives each task a worker of its "
				      "own, so there is nothing to schedule; use spawn=pool",
			 params->given[schedule] ? "schedule" : "chunk");
		return -1;
	}
	return 0;
}

int strategy__check_threads(unsigned n, size_t stack_bytes, const char *what, char *err,
			    size_t errlen)
{
	if (limits_check_tasks(n, what, err, errlen) < 0)
		return -1;
	return limits_check_stacks(n, stack_bytes, what, err, errlen);
}
