/*
 * concbench/sample.h - what one timed execution of a cell records, as a
 * strategy writes it.
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

/*
 * How the tasks reached the workload: stored with the cell, so that
 * results say when, for instance, an event loop ran CPU work inline.
 */
enum task_path {
	TASK_PATH_RUN_TASK,        /* run_task, each on a worker of its own (the default) */
	TASK_PATH_START_TASK,      /* a runtime sub-table's start_task, on an event loop */
	TASK_PATH_RUN_TASK_INLINE, /* run_task, inline on an event loop's thread */
};

struct sample {
	size_t ntasks;
	uint64_t *digest; /* [ntasks], written once per task */
	double *start;    /* [ntasks], monotonic seconds */
	double *end;      /* [ntasks] */
	struct child_usage children;
	enum task_path path;            /* set by the strategy when not RUN_TASK */
	atomic_int failed;              /* 0 until the first failure */
	char error[SAMPLE_ERROR_MAX];   /* the first failure's reason */
};

/* Records a failure; the first one's text is kept. Thread- and fork-safe. */
void sample_fail(struct sample *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline double sample_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ==== For the runner ==== */

struct sample *sample_alloc(size_t ntasks);
void sample_free(struct sample *s);
/* Clears stamps, digests, the path and errors before the next execution. */
void sample_reset(struct sample *s);
/* The run digest of the sample's tasks (digest_combine). */
uint64_t sample_digest(const struct sample *s);
/* "run_task", "start_task", "run_task_inline": the name results.jsonl stores. */
const char *task_path_name(enum task_path path);
/* The path of a name task_path_name gives; false for any other text. */
bool task_path_parse(const char *name, enum task_path *path);

#endif
