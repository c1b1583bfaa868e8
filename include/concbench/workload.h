/*
 * concbench/workload.h - the workload plug-in interface.
 *
 * A workload is a job split into N independent tasks. It knows nothing of
 * how the tasks are scheduled: a strategy (concbench/strategy.h) calls the
 * slots below from whatever threads or processes it owns. Adding a
 * workload is one .c file defining a `const struct workload`, one line in
 * workloads/registry.c and one line in CMakeLists.txt (README.md lists
 * every other touch point). A workload includes only concbench/ headers:
 * the harness's own are out of its reach.
 *
 * This interface names no event library. Tasks that can run without
 * blocking on an event loop declare that in a runtime sub-table
 * (concbench/workload_libevent.h for libevent); a strategy on another
 * runtime gets a sibling sub-table, never a wider struct workload.
 *
 * Every task returns a 64-bit digest of what it really produced
 * (concbench/digest.h); the harness checks that every strategy computed
 * what the serial strategy computed.
 */
#ifndef CONCBENCH_WORKLOAD_H
#define CONCBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "concbench/command.h"
#include "concbench/digest.h"
#include "concbench/params.h"

struct workload_libevent;

enum workload_kind {
	WORKLOAD_IO,    /* tasks mostly wait */
	WORKLOAD_CPU,   /* tasks mostly compute */
	WORKLOAD_MIXED, /* both */
	WORKLOAD_SYNC,  /* tasks contend on shared state */
};

/* Capabilities, for struct workload's flags. */
enum workload_flags {
	/*
	 * Worker state (from worker_init) may be used on another thread than
	 * the one that made it, though never by two at once: nothing in it is
	 * bound to its thread (thread-local storage, a lock held across
	 * tasks). Without this flag a strategy MUST call run_task with a
	 * worker state only on the thread that made it.
	 */
	WORKLOAD_WORKER_MOVES = 1u << 0,
	/*
	 * Its tasks write files: the harness gives each cell an empty folder
	 * of its own (workload_setup.scratch_dir) inside the run folder, and
	 * removes it with everything in it once the cell's processes are gone,
	 * whether the cell succeeded, failed or was killed.
	 */
	WORKLOAD_SCRATCH = 1u << 1,
};

/*
 * Hooks a strategy may install around blocking waits and inside long
 * compute loops. All slots MAY be NULL; the inline helpers below make a
 * NULL hook cost one predictable branch. They exist so that a strategy can
 * emulate a global interpreter lock: release it in io_begin, take it back
 * in io_end, and yield it now and then at a checkpoint.
 */
struct task_hooks {
	void (*io_begin)(void *arg);
	void (*io_end)(void *arg);
	void (*checkpoint)(void *arg);
};

/*
 * Bytes a task hands on: from its fetch stage to its compute stage (struct
 * workload_stages), or as its result to the harness (task_ctx.result).
 * Plain bytes with nothing in them pointing elsewhere, so a strategy may
 * copy an item into another process.
 */
struct stage_item {
	void *data;
	size_t len;
};

#define TASK_ERROR_MAX 200

/*
 * Per-worker context handed to run_task. One per worker, never shared
 * between concurrently running tasks, so error text needs no lock.
 */
struct task_ctx {
	const struct task_hooks *hooks; /* MAY be NULL */
	void *hook_arg;
	char error[TASK_ERROR_MAX];     /* set by a task that returns < 0 */
	/* What a task hands back to the harness, for a workload whose
	 * returns_results says so: bytes the task malloc'd, set before it
	 * returns 0. The strategy delivers them to the cell's process
	 * (sample_deliver, which reads and frees them): a thread hands the
	 * pointer over, a forked worker must copy the bytes back. */
	struct stage_item result;
	/* How a result reaches the cell's process from a worker that is
	 * another process (set by its strategy); NULL: sample_deliver here. */
	void (*deliver)(void *arg, size_t task, struct stage_item *result);
	void *deliver_arg;
};

static inline void task_io_begin(struct task_ctx *ctx)
{
	if (ctx->hooks && ctx->hooks->io_begin)
		ctx->hooks->io_begin(ctx->hook_arg);
}

static inline void task_io_end(struct task_ctx *ctx)
{
	if (ctx->hooks && ctx->hooks->io_end)
		ctx->hooks->io_end(ctx->hook_arg);
}

/* CONCBENCH_NO_CHECKPOINTS compiles checkpoints out, only so that
 * bench/checkpoint_cost.sh can measure what they cost; the gil strategy
 * never switches in such a build. */
static inline void task_checkpoint(struct task_ctx *ctx)
{
#ifndef CONCBENCH_NO_CHECKPOINTS
	if (ctx->hooks && ctx->hooks->checkpoint)
		ctx->hooks->checkpoint(ctx->hook_arg);
#else
	(void)ctx;
#endif
}

/* Formats an error into ctx->error and returns -1, for `return task_fail(...)`. */
int task_fail(struct task_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Completion of a task started without blocking (a runtime sub-table's
 * start_task). The workload calls done->fn exactly once per started task,
 * on the loop's thread, with the task's digest, or with ok == false and a
 * one-line reason.
 */
struct task_done {
	void (*fn)(struct task_done *done, bool ok, uint64_t digest, const char *error);
	size_t index;   /* the task this completion belongs to */
	void *strategy; /* the strategy's own state; workloads never touch it */
	/* start_fetch's completion (workload_libevent.h): the item fetched,
	 * set before fn when ok, the strategy's to free from then on. */
	struct stage_item item;
};

/*
 * What a whole sample computed beyond its tasks' digests, for a workload
 * whose tasks share state (a counter every task updates): sample_end
 * fills it once the tasks are done.
 */
struct sample_tally {
	/* Bound into the run digest as if it were one more task's (index
	 * ntasks; docs/digest.md): the same for every strategy. */
	uint64_t digest;
	/* What the sample counted, in the workload's tally_unit, and what it
	 * would have counted had no update been lost. */
	double count, expected;
};

/*
 * A task in two stages: a fetch stage that waits (a download) and hands on
 * an item, and a compute stage that turns the item into the task's digest
 * (an image filter over the downloaded bytes). A strategy that knows stages
 * can run them on different workers with a queue between them: an event
 * loop fetching for a pool of threads or processes (the `pipeline`
 * strategy). Every other strategy calls run_task, which a workload with
 * stages writes as one call of workload_stages_run: the fused task, with
 * the same digest.
 */
struct workload_stages {
	/* Stage one of task i: blocking waits between task_io_begin/end; fills
	 * *item. Returns 0, or < 0 after task_fail() with nothing to free. MUST. */
	int (*fetch)(void *instance, void *worker, size_t i, struct stage_item *item,
		     struct task_ctx *ctx);
	/* Stage two of task i on the item fetch made, or on a copy of its
	 * bytes in another process, with a worker state of its own (another
	 * worker's than fetch's, maybe). Stores the digest; returns 0, or < 0
	 * after task_fail(). MUST. */
	int (*compute)(void *instance, void *worker, size_t i, const struct stage_item *item,
		       uint64_t *digest, struct task_ctx *ctx);
	/* Frees an item fetch (or start_fetch) filled, in the process that
	 * filled it, once compute is done with it or no compute will run.
	 * MAY be NULL: free(item->data). */
	void (*free_item)(void *instance, struct stage_item *item);
};

/* fetch, compute, free_item: task i in one go, for a workload's run_task. */
int workload_stages_run(const struct workload_stages *stages, void *instance, void *worker,
			size_t i, uint64_t *digest, struct task_ctx *ctx);
/* Frees an item as stages->free_item says; a no-op on an empty item. */
void workload_stages_free(const struct workload_stages *stages, void *instance,
			  struct stage_item *item);

/* What setup is given: the cell, as far as the workload is concerned. */
struct workload_setup {
	const struct param_values *params; /* parsed against workload->params */
	size_t ntasks;
	unsigned workers;    /* the cell's workers (tasks in flight, for eventloop) */
	const char *fixture; /* the line the fixture reported when ready, or NULL */
	const char *scratch_dir; /* WORKLOAD_SCRATCH: the cell's own empty folder; else NULL */
};

/*
 * A helper process a workload needs, such as a server to talk to. The
 * harness starts it once per experiment, before its first cell, as
 * `concbench <argv...>`, a command of this workload's (`command` below),
 * handing it a ready descriptor (struct command_context); the helper
 * writes one line there when it is ready (its address, say). The harness
 * hands that line to setup, records the helper's CPU time per sample, and
 * stops it at the end, on SIGINT/SIGTERM, and if it dies itself.
 */
struct workload_fixture {
	/* concbench's own subcommand and options, NULL-terminated. MUST. */
	const char *const *argv;
	/* Whether this run needs the fixture (not when a parameter points the
	 * workload elsewhere). MAY be NULL: always needed. */
	bool (*needed)(const struct param_values *params);
};

struct workload {
	/* Dotted name, `io.sleep`, `cpu.image`: the --workload value. MUST. */
	const char *name;
	/* What kind of job this is. MUST. */
	enum workload_kind kind;
	/* One line for `concbench list`. MUST. */
	const char *description;
	/* Declared parameters, terminated by an entry with name == NULL, at
	 * most PARAM_MAX. MUST (may be just the terminator). The harness
	 * validates --param against it and hands setup the parsed values in
	 * the same order. */
	const struct param_spec *params;
	/* Task count when --tasks is not given. MUST be >= 1. */
	size_t default_tasks;
	/* WORKLOAD_* capabilities. */
	unsigned flags;

	/* Process-wide library set-up (curl_global_init), called by the
	 * harness in its main process before it starts any cell, fixture or
	 * thread of this workload; it may be called more than once. MAY be
	 * NULL. */
	void (*process_init)(void);
	/* A helper process to start before the first cell. MAY be NULL. */
	const struct workload_fixture *fixture;
	/* A subcommand of concbench, for the fixture to run. MAY be NULL. */
	const struct concbench_command *command;

	/* Checks parsed parameters against the largest worker count of the run
	 * before anything runs (file-descriptor limits, say). Returns < 0 with
	 * a one-line reason, which the harness reports as bad input. Called in
	 * the harness's main process. MAY be NULL. */
	int (*validate)(const struct param_values *params, unsigned max_workers,
			char *err, size_t errlen);

	/* Builds everything the tasks share (inputs, a server URL). Called once
	 * per cell in the cell's process, before any worker exists. On failure
	 * returns < 0 with a reason in err. MUST. */
	int (*setup)(const struct workload_setup *ws, void **instance, char *err, size_t errlen);
	/* Frees what setup built. Called once, after every worker is gone. MUST. */
	void (*teardown)(void *instance);

	/* Per-worker state (a buffer, a connection handle), called inside the
	 * worker: on its thread, or in the child after fork. MAY be NULL, in
	 * which case the worker state is NULL. Runs concurrently with other
	 * workers' worker_init: MUST only read the instance. */
	int (*worker_init)(void *instance, void **worker, char *err, size_t errlen);
	/* Frees worker state, on the same worker. MAY be NULL. */
	void (*worker_fini)(void *instance, void *worker);

	/* Executes task i to completion and stores its digest. Returns 0, or
	 * < 0 after task_fail(). MUST be safe to call concurrently for
	 * different i (each call with its own worker state). Blocking waits
	 * go between task_io_begin/task_io_end; long loops call
	 * task_checkpoint. MUST. */
	int (*run_task)(void *instance, void *worker, size_t i, uint64_t *digest,
			struct task_ctx *ctx);

	/* State of the whole sample, shared by its tasks (a counter). Both
	 * are called in the cell's process with no worker alive, untimed:
	 * sample_begin before each timed run (reset what the last one left);
	 * sample_end after it, filling the tally. A result that is wrong, not
	 * merely a lesson (a locked counter that lost updates), returns < 0
	 * with the reason in err: the sample fails. MAY be NULL, both or
	 * neither. */
	int (*sample_begin)(void *instance, char *err, size_t errlen);
	int (*sample_end)(void *instance, struct sample_tally *tally, char *err, size_t errlen);
	/* What the tally counts, plural ("increments"): the report prints
	 * what each cell counted against what it should have, and the time
	 * per unit. MUST with sample_end. */
	const char *tally_unit;

	/* Whether tasks hand a result back to the harness (task_ctx.result)
	 * with these parameters (cpu.image's result_bytes > 0). MAY be NULL:
	 * never. */
	bool (*returns_results)(const struct param_values *params);

	/* The share of a task's time, 0 to 1, that its parameters ask it to
	 * spend computing rather than waiting (mixed.blend: cpu_us over
	 * cpu_us + io_us); NAN when they ask for neither. The report and the
	 * charts draw a decision map over the experiments of a workload that
	 * has it: which strategy wins at each share. MAY be NULL. */
	double (*compute_share)(const struct param_values *params);

	/* Why its tasks have no non-blocking form for an event loop, where
	 * they wait yet come without a runtime sub-table ("libevent has no
	 * asynchronous disk I/O"): the report says it of an event loop that
	 * ran them inline. MAY be NULL. */
	const char *inline_reason;

	/* The task in two stages, for a strategy that runs them apart. MAY
	 * be NULL: run_task is the only stage. */
	const struct workload_stages *stages;

	/* Non-blocking execution of tasks on a libevent loop. MAY be NULL:
	 * the eventloop strategy then runs run_task inline on its loop's
	 * thread (and records that it did). */
	const struct workload_libevent *libevent;
};

/* The registry (workloads/registry.c): a const, NULL-terminated table, in
 * `concbench list` order. */
extern const struct workload *const workload_registry[];
const struct workload *workload_find(const char *name);

/* "io", "cpu", "mixed", "sync"; "?" for anything else. */
const char *workload_kind_name(enum workload_kind kind);
/* The kind of a name workload_kind_name gives; false for any other text. */
bool workload_kind_parse(const char *name, enum workload_kind *kind);

#endif
