/*
 * common.c - what every workload may use beside the inline helpers of
 * concbench/workload.h: error text; and shared memory and process-shared
 * locks for the sync.* workloads (shared.h).
 */
#include "concbench/workload.h"
#include "shared.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

void *workload_map_shared(size_t bytes, const char *what, char *err, size_t errlen)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

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
