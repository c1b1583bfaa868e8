/*
 * common.c - the per-task step every blocking strategy shares: stamp,
 * run, stamp, store the digest or the failure.
 */
#include "strategy.h"

#include <stdarg.h>
#include <stdio.h>

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
