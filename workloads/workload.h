/*
 * workload.h - the workload plug-in interface.
 *
 * A workload is a job split into N independent tasks. It knows nothing of
 * how the tasks are scheduled: a strategy (strategies/strategy.h) calls the
 * slots below from whatever threads or processes it owns. Adding a workload
 * is one .c file defining a `const struct workload`, one line in
 * workloads/registry.c and one line in CMakeLists.txt.
 *
 * Every task returns a 64-bit digest of what it really produced; the
 * harness combines them and checks that every strategy computed what the
 * serial strategy computed.
 */
#ifndef CONCBENCH_WORKLOAD_H
#define CONCBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "params.h"

struct event_base;

enum workload_kind {
	WORKLOAD_IO,    /* tasks mostly wait */
	WORKLOAD_CPU,   /* tasks mostly compute */
	WORKLOAD_MIXED, /* both */
	WORKLOAD_SYNC,  /* tasks contend on shared state */
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

#define TASK_ERROR_MAX 200

/*
 * Per-worker context handed to run_task. One per worker, never shared
 * between concurrently running tasks, so error text needs no lock.
 */
struct task_ctx {
	const struct task_hooks *hooks; /* MAY be NULL */
	void *hook_arg;
	char error[TASK_ERROR_MAX];     /* set by a task that returns < 0 */
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

static inline void task_checkpoint(struct task_ctx *ctx)
{
	if (ctx->hooks && ctx->hooks->checkpoint)
		ctx->hooks->checkpoint(ctx->hook_arg);
}

/* Formats an error into ctx->error and returns -1, for `return task_fail(...)`. */
int task_fail(struct task_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Completion of a task started with start_task. The workload calls
 * done->fn exactly once per started task, on the loop thread, with the
 * task's digest, or with ok == false and a one-line reason.
 */
struct task_done {
	void (*fn)(struct task_done *done, bool ok, uint64_t digest, const char *error);
	size_t index;   /* the task this completion belongs to */
	void *strategy; /* the strategy's own state; workloads never touch it */
};

/* What setup is given. */
struct workload_setup {
	const struct param_values *params; /* parsed against workload->params */
	size_t ntasks;
	unsigned workers;    /* the cell's workers (tasks in flight, for eventloop) */
	const char *fixture; /* the line the fixture reported when ready, or NULL */
};

/*
 * A helper process a workload needs, such as a server to talk to. The
 * harness starts it once per run, before the workload's first cell, as
 * `concbench <argv...> --ready-fd N`; the helper writes one line to fd N
 * when it is ready (its address, say) and closes it. The harness hands
 * that line to setup, records the helper's CPU time per sample, and stops
 * it at the end of the run, on SIGINT/SIGTERM, and if it dies itself.
 */
struct workload_fixture {
	/* concbench's own subcommand and options, NULL-terminated. MUST. */
	const char *const *argv;
	/* Whether this run needs the fixture (not when a parameter points the
	 * workload elsewhere). MAY be NULL: always needed. */
	bool (*needed)(const struct param_values *params);
};

/* A subcommand a workload adds to concbench (its fixture's server). */
struct workload_command {
	const char *name;    /* `concbench NAME ...` */
	const char *summary; /* one line for --help */
	int (*main)(int argc, char **argv); /* argv[0] is NAME; returns the exit status */
};

struct workload {
	/* Dotted name, `io.sleep`, `cpu.image`: the --workload value. MUST. */
	const char *name;
	/* What kind of job this is. MUST. */
	enum workload_kind kind;
	/* One line for `concbench list`. MUST. */
	const char *description;
	/* Declared parameters, terminated by an entry with name == NULL. MUST
	 * (may be just the terminator). The harness validates --param against
	 * it and hands setup the parsed values in the same order. */
	const struct param_spec *params;
	/* Task count when --tasks is not given. MUST be >= 1. */
	size_t default_tasks;

	/* Process-wide library set-up (curl_global_init), called by the
	 * harness in its main process before it starts any cell, fixture or
	 * thread of this workload; it may be called more than once. MAY be
	 * NULL. */
	void (*process_init)(void);
	/* A helper process to start before the first cell. MAY be NULL. */
	const struct workload_fixture *fixture;
	/* A subcommand of concbench, for the fixture to run. MAY be NULL. */
	const struct workload_command *command;

	/* Checks parsed parameters against the largest worker count of the run
	 * before anything runs (file-descriptor limits, say). Returns < 0 with
	 * a one-line reason, which the harness reports as bad input. MAY be
	 * NULL. */
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

	/* Per-loop state for start_task (a client multiplexer bound to the
	 * loop), made on the loop's thread before the first start_task with
	 * the most tasks that will be in flight at once. MAY be NULL: the loop
	 * state is then NULL. */
	int (*loop_init)(void *instance, struct event_base *base, unsigned max_in_flight,
			 void **loop, char *err, size_t errlen);
	/* Frees loop state after the last completion. MAY be NULL. */
	void (*loop_fini)(void *instance, void *loop);

	/* Starts task i without blocking on the caller's libevent loop and
	 * returns 0; completion arrives through done, from the loop, never
	 * from inside start_task. Returns < 0 with the reason in err if the
	 * task could not be started. MAY be NULL: then the eventloop strategy
	 * runs run_task inline on the loop thread. */
	int (*start_task)(void *instance, struct event_base *base, void *loop, size_t i,
			  struct task_done *done, char *err, size_t errlen);
};

const struct workload *workload_find(const char *name);
/* The registry: a const, NULL-terminated table, in `concbench list` order. */
extern const struct workload *const workload_registry[];

const char *workload_kind_name(enum workload_kind kind);

/* Mixes a value into a well-distributed 64-bit digest (splitmix64 finaliser). */
static inline uint64_t digest_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* FNV-1a over a buffer, for digests of produced bytes. */
uint64_t digest_bytes(const void *data, size_t len);

#endif
