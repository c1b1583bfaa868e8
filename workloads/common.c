/*
 * common.c - what every workload may use beside the inline helpers of
 * concbench/workload.h: error text; the fused two-stage task; and shared memory and process-shared
 * locks for the sync.* workloads (shared.h).
 */
#include "concbench/fault.h"
#include "concbench/workload.h"
#include "shared.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int task_fail(struct task_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	return -1;
}

int workload_stages_run(const struct workload_stages *stages, void *instance, void *worker,
			size_t i, uint64_t *digest, struct task_ctx *ctx)
{
	struct stage_item item = { 0 };
	int rc = stages->fetch(instance, worker, i, &item, ctx);

	if (rc < 0)
		return rc;
	rc = stages->compute(instance, worker, i, &item, digest, ctx);
	workload_stages_free(stages, instance, &item);
	return rc;
}

void workload_stages_free(const struct workload_stages *stages, void *instance,
			  struct stage_item *item)
{
	if (!item->data && !item->len)
		return;
	if (stages->free_item)
		stages->free_item(instance, item);
	else
		free(item->data);
	item->data = NULL;
	item->len = 0;
}

void *workload_map_shared(size_t bytes, const char *what, char *err, size_t errlen)
{
	void *p = fault_mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap of %zu bytes for %s failed: %s", bytes, what,
			 strerror(errno));
		return NULL;
	}
	return p;
}

int workload_shared_mutexes(pthread_mutex_t *const *locks, size_t n, char *err, size_t errlen)
{
	pthread_mutexattr_t attr;
	size_t made = 0;
	int rc;

	pthread_mutexattr_init(&attr);
	rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	while (!rc && made < n && !(rc = pthread_mutex_init(locks[made], &attr)))
		made++;
	pthread_mutexattr_destroy(&attr);
	if (rc) {
		while (made > 0)
			pthread_mutex_destroy(locks[--made]);
		snprintf(err, errlen, "a process-shared mutex: %s", strerror(rc));
		return -1;
	}
	return 0;
}
