/*
 * sample.h - what one timed execution of a cell records.
 *
 * The runner allocates a sample in MAP_SHARED memory, so a strategy's
 * forked workers write their stamps and digests straight into it. Task
 * stamps are CLOCK_MONOTONIC seconds, which every process on the machine
 * shares. Everything here is plain data or lock-free atomics: safe to
 * write from threads and from processes alike.
 */
#ifndef CONCBENCH_SAMPLE_H
#define CONCBENCH_SAMPLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SAMPLE_ERROR_MAX 256

/* Resource use that a strategy gathered from its own child processes. */
struct child_usage {
	double user_s, sys_s;
	long nvcsw, nivcsw;
	long maxrss_kb; /* sum of the children's peaks */
	long count;     /* children reaped */
};

struct sample {
	size_t ntasks;
	uint64_t *digest; /* [ntasks], written once per task */
	double *start;    /* [ntasks], monotonic seconds */
	double *end;      /* [ntasks] */
	struct child_usage children;
	atomic_int failed;              /* 0 until the first failure */
	char error[SAMPLE_ERROR_MAX];   /* the first failure's reason */
};

struct sample *sample_alloc(size_t ntasks);
void sample_free(struct sample *s);
/* Clears stamps, digests and errors before the next execution. */
void sample_reset(struct sample *s);

/* Records a failure; the first one's text is kept. Thread- and fork-safe. */
void sample_fail(struct sample *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline double sample_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Combines per-task digests order-independently: the sum of each digest
 * mixed with its index, so a lost, repeated or misplaced task changes it
 * whatever order the tasks ran in.
 */
uint64_t sample_digest(const struct sample *s);

#endif
