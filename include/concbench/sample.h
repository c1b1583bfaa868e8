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

#include "concbench/workload.h"

#define SAMPLE_ERROR_MAX 256

/* Resource use that a strategy gathered from its own child processes. */
struct child_usage {
	double user_s, sys_s;
	long nvcsw, nivcsw;
	long maxrss_kb; /* sum of the children's peaks */
	long count;     /* children reaped */
};

/*
 * Memory of a strategy's worker processes, each one's read by itself just
 * before it exits (sample_add_child_memory), summed. Atomics: workers add
 * at once. PSS (proportional set size) divides each page among the
 * processes that map it, so libc and the binary, mapped by every worker,
 * count once between them; RSS counts them whole in each.
 */
struct child_memory {
	atomic_long pss_kb; /* sum of the workers' PSS at their end */
	atomic_long rss_kb; /* sum of their RSS at their end */
	atomic_long count;  /* workers that added theirs */
};

/*
 * How the tasks reached the workload: stored with the cell, so that
 * results say when, for instance, an event loop ran CPU work inline.
 */
enum task_path {
	TASK_PATH_RUN_TASK,        /* run_task, each on a worker of its own (the default) */
	TASK_PATH_START_TASK,      /* a runtime sub-table's start_task, on an event loop */
	TASK_PATH_RUN_TASK_INLINE, /* run_task, inline on an event loop's thread */
	TASK_PATH_EXTERNAL,        /* in another program, which follows docs/digest.md */
};

/*
 * What a strategy that runs a workload's stages apart (fetch on some
 * workers, compute on others, a bounded queue between them) saw of them,
 * summed over the sample's tasks; written by the strategy, in the cell's
 * process, with its own lock. Seconds.
 */
struct stage_stats {
	double fetch_s;    /* in the fetch stage, from start to item in hand */
	double compute_s;  /* in the compute stage, a copy to another process included */
	double queue_s;    /* items waiting in the queue for a free computer */
	long full_waits;   /* times a fetcher found the queue full and waited */
	double full_wait_s;
	long empty_waits;  /* times a computer found it empty and waited */
	double empty_wait_s;
	long depth;        /* the queue's capacity, in items */
};

struct sample {
	size_t ntasks;
	uint64_t *digest; /* [ntasks], written once per task */
	double *start;    /* [ntasks], monotonic seconds */
	double *end;      /* [ntasks] */
	struct child_usage children;
	struct child_memory child_memory; /* added by the workers themselves */
	enum task_path path;            /* set by the strategy when not RUN_TASK */
	struct sample_tally tally;      /* the workload's sample_end, set by the runner */
	bool has_tally;
	struct stage_stats stages;      /* set by a strategy that runs stages apart */
	bool has_stages;
	/* Results tasks handed back (task_ctx.result), as sample_deliver
	 * counted them in the cell's process: how many, their bytes, and the
	 * sum of digest_task(i, digest_words(result i)), which joins the run digest,
	 * so a result lost or copied wrong fails the digest check. */
	atomic_long results;
	atomic_llong result_bytes;
	atomic_uint_least64_t result_sum;
	/* A strategy whose tasks ran in another program (an external
	 * runtime), which reports the run as a whole, sets these: the run
	 * digest it computed, and its own clock's wall time for the tasks.
	 * Per-task digests and stamps then stay unset; the runner's clock
	 * times the whole program, and both are stored. */
	bool external;
	uint64_t external_digest;
	double external_wall_s;
	atomic_int failed;              /* 0 until the first failure */
	char error[SAMPLE_ERROR_MAX];   /* the first failure's reason */
	/* What the strategy last heard while the sample ran (sample_note),
	 * in memory the harness reads when it must kill the cell; NULL when
	 * no one would read it. Set by the runner. */
	char *note;
};

#define SAMPLE_NOTE_MAX 128

/* Records a failure; the first one's text is kept. Thread- and fork-safe. */
void sample_fail(struct sample *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps a line of what the strategy last heard (an external program's
 * last line on stderr), cut to SAMPLE_NOTE_MAX: if the cell must be killed
 * (a timeout), its failure names it. Replaces the previous note. */
void sample_note(struct sample *s, const char *text);

/*
 * For a strategy's forked worker, last thing before it exits: reads this
 * process's PSS and RSS (/proc/self/smaps_rollup) and adds them into
 * s->child_memory. A strategy that forks workers MUST call it in each,
 * or the runner cannot say the cell's memory (it then stores none).
 * Returns 0, or a negative errno when the file cannot be read (nothing
 * is added). Fork-safe; no locks, no stdio.
 */
int sample_add_child_memory(struct sample *s);
/*
 * Takes task's result in the cell's process: reads every byte (its
 * digest), counts it, frees it and empties *result. A strategy calls it
 * where the result arrives: on the worker thread that made it, or on a
 * thread of the cell's process that received a worker process's copy.
 * Thread-safe.
 */
void sample_deliver(struct sample *s, size_t task, struct stage_item *result);
/* The same for bytes the caller keeps (a buffer it reuses): reads and
 * counts them, frees nothing, allocates nothing. For a thread that runs
 * while its process forks, where a child forked during a malloc could
 * inherit the allocator's lock held. */
void sample_take_result(struct sample *s, size_t task, const void *data, size_t len);

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
/* The run digest of the sample's tasks (digest_combine), and its tally's
 * digest bound as task ntasks when it has one; an external program's own
 * run digest when it ran them. */
uint64_t sample_digest(const struct sample *s);
/* This process's PSS and RSS now, in KiB, from /proc/self/smaps_rollup.
 * Returns 0, or a negative errno. */
int sample_self_memory(long *pss_kb, long *rss_kb);
/* "run_task", "start_task", "run_task_inline": the name results.jsonl stores. */
const char *task_path_name(enum task_path path);
/* The path of a name task_path_name gives; false for any other text. */
bool task_path_parse(const char *name, enum task_path *path);

#endif
