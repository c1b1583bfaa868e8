/*
 * common.c - what the strategies share: the per-task step of the blocking
 * ones (stamp, run, stamp, store the digest or the failure), and the check
 * of how many threads or processes the system lets us start.
 */
#include "concbench/strategy.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

bool strategy__run_one(const struct workload *w, void *instance, void *worker,
		       size_t i, struct task_ctx *ctx, struct sample *out)
{
	uint64_t digest = 0;
	int rc;

	out->start[i] = sample_now();
	rc = w->run_task(instance, worker, i, &digest, ctx);
	out->end[i] = sample_now();
	if (rc < 0) {
		sample_fail(out, "task %zu: %s", i, ctx->error[0] ? ctx->error : "failed");
		return false;
	}
	out->digest[i] = digest;
	return true;
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

/* The kernel's limit on threads (and processes) system-wide; 0 if unknown. */
static unsigned long threads_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/threads-max", "r");
	unsigned long n = 0;

	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

int strategy__check_task_limit(unsigned workers, const char *what, char *err, size_t errlen)
{
	struct rlimit rl;
	unsigned long kmax = threads_max();

	/* RLIMIT_NPROC counts every thread and process of this user: each
	 * worker is one. Root is exempt from it (CAP_SYS_RESOURCE). */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)workers >= rl.rlim_cur && geteuid() != 0) {
		snprintf(err, errlen, "%u %s need as many tasks of this user, but RLIMIT_NPROC allows "
				      "%llu (raise it with ulimit -u, or use fewer workers)",
			 workers, what, (unsigned long long)rl.rlim_cur);
		return -1;
	}
	if (kmax && workers >= kmax) {
		snprintf(err, errlen, "%u %s exceed the kernel's limit of %lu threads "
				      "(/proc/sys/kernel/threads-max)", workers, what, kmax);
		return -1;
	}
	return 0;
}
