/*
 * shared.h - state that a workload's tasks share whatever runs them:
 * memory that threads and forked workers see alike, and locks that work
 * across processes (workloads/common.c). For the sync.* workloads.
 */
#ifndef CONCBENCH_WORKLOADS_SHARED_H
#define CONCBENCH_WORKLOADS_SHARED_H

#include <pthread.h>
#include <stddef.h>

/* bytes of zeroed MAP_SHARED memory, made in setup before any worker
 * exists, so workers forked later share it. NULL with the reason in err. */
void *workload_map_shared(size_t bytes, const char *what, char *err, size_t errlen);
/* Initialises n mutexes with PTHREAD_PROCESS_SHARED, for memory from
 * workload_map_shared. Returns 0, or -1 with the reason in err (those
 * already made are destroyed). */
int workload_shared_mutexes(pthread_mutex_t *const *locks, size_t n, char *err, size_t errlen);

#endif
