/*
 * concbench/strategy.h - the strategy plug-in interface.
 *
 * A strategy is a way to execute a workload's tasks: in order, on a thread
 * pool, in forked processes, on an event loop, under OpenMP. It never names
 * a workload: it only calls the slots of struct workload. Adding a
 * strategy is one .c file defining a `const struct strategy`, one line in
 * strategies/registry.c and one line in CMakeLists.txt (README.md lists
 * every other touch point). A strategy includes only concbench/ headers.
 */
#ifndef CONCBENCH_STRATEGY_H
#define CONCBENCH_STRATEGY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "concbench/command.h"
#include "concbench/limits.h"
#include "concbench/params.h"
#include "concbench/sample.h"
#include "concbench/workload.h"

/* What the strategy is asked to run: one cell. */
struct strategy_config {
	unsigned workers;                   /* threads, processes, or tasks in flight */
	size_t ntasks;
	const struct param_values *params;  /* parsed against strategy->params */
	/* The cell's workload setup (its parameters, tasks, workers, the
	 * fixture's line): enough for a strategy that starts another program
	 * to rebuild the cell there. */
	const struct workload_setup *setup;
	void *prepared;                     /* what prepare made, or NULL */
};

/* Capabilities and markings, for struct strategy's flags. */
enum strategy_flags {
	/* A deliberately broken strategy for the tests: left out of `all`. */
	STRATEGY_TEST_ONLY = 1u << 0,
	/* The baseline of its runtime (runtime slot): it runs the tasks one
	 * after another there. Cells of that runtime have their speedups
	 * over its cell, as this program's have theirs over the reference
	 * strategy's. */
	STRATEGY_RUNTIME_BASELINE = 1u << 1,
	/* Left out of `all`: it runs another program, and is named where
	 * wanted (`py.*`, say, or on a profile line). */
	STRATEGY_NAMED_ONLY = 1u << 2,
};

#define STRATEGY_RUNTIME_MAX 64

/* What the conventional advice chooses a strategy for (traits.suits). */
enum strategy_suits {
	STRATEGY_SUITS_WAITING = 1u << 0,   /* I/O-bound work: overlapping waits */
	STRATEGY_SUITS_COMPUTING = 1u << 1, /* CPU-bound work: using every core */
};

/*
 * What the report may say of a strategy and how its model prices it
 * (docs/report.md): facts about the strategy's design, never measured
 * here. The prices name calibration.json items (docs/calibration.md).
 */
struct strategy_traits {
	/* What one worker is, plural, for sentences: "threads", "forked
	 * processes", "tasks in flight on one thread". NULL: "workers". */
	const char *worker;
	/* Every task's code runs on one thread whatever W: its computing
	 * never spreads over the cores (serial, an event loop). */
	bool one_thread;
	/* Each worker blocks in a wait, one task at a time: W workers
	 * overlap at most W waits, each on a thread or process of its own. */
	bool blocking;
	/* STRATEGY_SUITS_* the conventional advice names it for; 0 for a
	 * baseline that suits neither. */
	unsigned suits;
	/* The calibration item each worker costs to start inside the timed
	 * run (a thread, a fork); NULL when none starts there (none, or a
	 * pool prepare made untimed). */
	const char *start_price;
	/* The calibration item each task costs to hand out (an atomic
	 * counter, a loop dispatch); NULL when tasks are not handed out. */
	const char *task_price;
	/* Each task starts a worker of its own (spawning per task, not a
	 * pool): start_price is paid once per task rather than per worker. */
	bool start_per_task;
	/* The strategy of this program that models this one, for a strategy
	 * whose tasks run in another runtime (CPython's threading: gil); the
	 * report sets their ratios side by side. NULL: none. */
	const char *counterpart;
};

struct strategy {
	/* The --strategy value: [a-z0-9_.], unique. MUST. */
	const char *name;
	/* One line for `concbench list`. MUST. */
	const char *description;
	/* Declared parameters (see params.h), NULL-name terminated, at most
	 * PARAM_MAX, none sharing a name with a workload's. MUST. */
	const struct param_spec *params;
	/* Nonzero when the strategy ignores --workers and always runs with this
	 * many (serial: 1). The plan then makes one cell, not one per count. */
	unsigned fixed_workers;
	/* STRATEGY_* flags. */
	unsigned flags;
	/* What the report may say of it and how its model prices it. MAY be
	 * left zero: the report then draws fewer lessons from it. */
	struct strategy_traits traits;
	/* Adjusts a copy of traits for a cell's parameters, where they change
	 * what a worker is or costs (a new thread per task). Called by the
	 * report with the parameters a cell was stored with. MAY be NULL:
	 * traits hold whatever the parameters. */
	void (*traits_for)(const struct param_values *params, struct strategy_traits *traits);
	/* "NAME=value" strings, NULL-terminated, that must be in the
	 * environment before the process starts (a runtime that reads its
	 * settings at load time). main() sets each one not already set and
	 * re-executes itself once. MAY be NULL. */
	const char *const *env_defaults;
	/* A subcommand of concbench (a helper the strategy starts, say). MAY
	 * be NULL. */
	const struct concbench_command *command;

	/* Checks the strategy's parameters against the workload and the
	 * largest worker count of the run, before anything runs (process or
	 * thread limits, say). Returns < 0 with a one-line reason, which the
	 * harness reports as bad input of --workers, or of the flag the
	 * reason starts with ("--param chunk: ..."). Called in the harness's main process.
	 * MAY be NULL. */
	int (*validate)(const struct workload *w, const struct param_values *params,
			unsigned max_workers, char *err, size_t errlen);
	/* Names the runtime the tasks run in when it is not this program, with
	 * its version ("cpython-3.11"): part of the cell's identity, so cells
	 * of two runtimes never merge. Called by the harness when it plans a
	 * cell, after validate. Returns 0, or < 0 with a one-line reason in
	 * buf when the runtime, or what it needs to run w, is missing (with
	 * the command that installs it): the harness then skips the
	 * strategy's cells, saying so once. With w NULL, for env.json: the
	 * runtime as it describes itself, its version in full ("cpython-3.11
	 * (3.11.2, /usr/bin/python3)"). MAY be NULL: the tasks run in this
	 * program. */
	int (*runtime)(const struct workload *w, const struct param_values *params, char *buf,
		       size_t len);

	/* Untimed preparation before each timed run (start a runtime's thread
	 * pool, another program). Called in the cell's process; what it makes
	 * goes into *prepared, which run sees as cfg->prepared and finish
	 * frees. Returns < 0 with a one-line reason in err, which fails the
	 * sample. MAY be NULL. */
	int (*prepare)(const struct strategy_config *cfg, void **prepared, char *err,
		       size_t errlen);
	/* Undoes prepare, untimed, after the timed run (also after a failed
	 * one). MAY be NULL. */
	void (*finish)(const struct strategy_config *cfg, void *prepared);
	/*
	 * Runs every task of the workload once, with the concurrency this
	 * strategy stands for, and returns when all are done. For each task i
	 * it stamps out->start[i] and out->end[i] and stores out->digest[i];
	 * it reports failures with sample_fail(), sets out->path when the
	 * tasks did not go through run_task on workers of their own, and,
	 * when it forks, adds its reaped children's usage to out->children
	 * and has each child call sample_add_child_memory() before it exits.
	 * Returns 0, or < 0 when the strategy itself could not run (the
	 * reason in out). Timed by the runner with CLOCK_MONOTONIC. MUST.
	 */
	int (*run)(const struct workload *w, void *instance,
		   const struct strategy_config *cfg, struct sample *out);
};

/* The registry (strategies/registry.c): a const, NULL-terminated table, in
 * `concbench list` order. */
extern const struct strategy *const strategy_registry[];
const struct strategy *strategy_find(const char *name);
/* The strategy whose digest every other one must match, and over whose
 * time speedups are measured (serial). */
const struct strategy *strategy_reference(void);

/* ==== Helpers shared by the blocking strategies (strategies/common.c) ==== */

/*
 * Runs task i with stamps and error capture: stamps start, calls run_task,
 * stamps end, stores the digest or records the failure. Returns false if
 * the task failed, or without running it when the sample already has
 * (its other workers stop at once, and the first reason is the cell's).
 */
bool strategy__run_one(const struct workload *w, void *instance, void *worker,
		       size_t i, struct task_ctx *ctx, struct sample *out);
/* Hands task i's result (ctx->result, if any) on: through ctx->deliver
 * when set, else sample_deliver here; frees it instead when the task
 * failed. strategy__run_one calls it; a strategy that calls run_task
 * itself must too. */
void strategy__take_result(struct task_ctx *ctx, size_t i, bool ok, struct sample *out);
/* Whether the cell's tasks hand results back (the workload's
 * returns_results, for the cell's parameters). */
bool strategy__results(const struct workload *w, const struct strategy_config *cfg);
/*
 * The channel that brings forked workers' results back to the cell's
 * process: one pipe, frames of (task, length, bytes), each written whole
 * under a process-shared lock, and a thread here reading them into
 * sample_deliver. Open it before the first fork; each worker sets
 * ctx->deliver = strategy__channel_deliver, ctx->deliver_arg = channel;
 * close it once every worker has been reaped.
 */
struct result_channel;
struct iovec;
struct result_channel *strategy__channel_open(struct sample *out);
void strategy__channel_deliver(void *channel, size_t task, struct stage_item *result);
void strategy__channel_close(struct result_channel *ch);
/* Pipe I/O for strategies that talk to their worker processes: writev
 * until every byte of iov[0..n) is out (iov is consumed), read until len
 * bytes are in, retrying on EINTR. False on an error or end of file. */
bool strategy__write_all(int fd, struct iovec *iov, int n);
bool strategy__read_all(int fd, void *buf, size_t len);
/* Calls worker_init when the workload has one; records a failure. */
int strategy__worker_init(const struct workload *w, void *instance, void **worker,
			  struct sample *out);
void strategy__worker_fini(const struct workload *w, void *instance, void *worker);
/* Reaps child pid (one of the strategy's forked workers) with wait4,
 * adds its usage to out->children and records how it ended if not
 * cleanly; who names the strategy in the reason. last: no other worker
 * is left that could be writing the sample's error. Returns 0, or -1
 * when wait4 failed. */
int strategy__reap(pid_t pid, const char *who, struct sample *out, bool last);
/* Waits for child pid (retrying on EINTR), stores how it ended in
 * *status and, when out is not NULL, adds its usage to out->children.
 * Returns 0, or -1 with errno when wait4 failed. */
int strategy__wait(pid_t pid, int *status, struct sample *out);

/*
 * ==== Strategies whose tasks run in another program (strategies/external.c) ====
 *
 * An external strategy is a registry entry plus a program: the program
 * takes the cell on its command line, runs the tasks in its own runtime
 * and prints one line on stdout (docs/external.md):
 *
 *     concbench-external wall_s=<its own clock's seconds for the tasks> digest=<16 hex>
 *
 * The run digest follows docs/digest.md, so the harness checks it like
 * any other strategy's.
 */
/*
 * Runs argv (argv[0] a path, never a shell) as a child of the cell's
 * process, in its process group (the runner's deadline and clean-up reach
 * it and all it starts), its stdin fed input[0..input_len) (a program's
 * text; NULL: nothing), and reads its result line into out (external,
 * external_digest, external_wall_s, path). Adds its usage to
 * out->children. A program that cannot start, exits non-zero, dies of a
 * signal or prints anything but the one line fails the sample, with the
 * last line it wrote on stderr; who names the strategy there. Returns 0,
 * or -1 with the failure recorded.
 */
int strategy__external_run(char *const argv[], const void *input, size_t input_len,
			   const char *who, struct sample *out);
/*
 * Runs argv the same way, untimed, to ask the runtime something (its
 * version, what it can run), and returns what it printed on stdout:
 * malloc'd, NUL-terminated, at most 64 KiB. A program that runs past
 * timeout_s is killed. NULL with a one-line reason in err (the stderr's
 * last line included) when it could not start, failed or timed out.
 */
char *strategy__external_ask(char *const argv[], const void *input, size_t input_len,
			     double timeout_s, char *err, size_t errlen);
/*
 * How a pool's workers share the tasks out (the `schedule` and `chunk`
 * parameters of threads, processes and openmp, declared by
 * STRATEGY_SCHEDULE_PARAMS; README.md, "Strategies"):
 * - static: fixed before the run, nothing shared: with chunk 0, worker w of
 *   W takes the contiguous block of tasks [w*N/W, (w+1)*N/W); with chunk c,
 *   chunks of c tasks go round-robin, chunk k to worker k mod W.
 * - dynamic: each worker takes the next chunk (c, or 1) from a shared atomic
 *   counter whenever it is free.
 * - guided: like dynamic, but each chunk is the tasks left divided by W,
 *   rounded up, and never under c (or 1): big chunks first, small ones last.
 */
enum strategy_schedule { SCHEDULE_STATIC, SCHEDULE_DYNAMIC, SCHEDULE_GUIDED };

extern const char *const strategy__schedule_names[]; /* "static", "dynamic", "guided" */

/* The two parameter entries, for a strategy's table: its enum names the
 * indices. */
#define STRATEGY_SCHEDULE_PARAMS(schedule_index, chunk_index)                                 \
	[schedule_index] = { .name = "schedule", .type = PARAM_ENUM, .def = SCHEDULE_DYNAMIC,  \
			     .choices = strategy__schedule_names,                               \
			     .help = "how workers share the tasks out: static (split up front), "  \
				     "dynamic (the next chunk when free), guided (shrinking chunks)" }, \
	[chunk_index] = { .name = "chunk", .type = PARAM_INT, .def = 0, .min = 0,               \
			  .max = 100000000, .unit = "tasks",                                    \
			  .help = "tasks per hand-out; 0: the schedule's own (static: one block "  \
				  "of tasks/W per worker; dynamic, guided: 1)" }

/* The shared state of one run's schedule. Place it where every worker sees
 * it (MAP_SHARED memory for forked workers). */
struct task_schedule {
	enum strategy_schedule kind;
	size_t ntasks, chunk;
	unsigned workers;
	/* On its own cache line: every worker hammers it, nothing else should share it. */
	_Alignas(64) atomic_size_t next;
};

/* Worker w's position in a static schedule; zero it before its first call. */
struct task_cursor {
	size_t round;
	bool done;
};

void strategy__schedule_init(struct task_schedule *s, enum strategy_schedule kind,
			     size_t chunk, size_t ntasks, unsigned workers);
/* The next tasks [*begin, *end) for worker w (0 <= w < workers). Returns
 * false when none is left for it. */
bool strategy__schedule_next(struct task_schedule *s, unsigned w, struct task_cursor *cur,
			     size_t *begin, size_t *end);

/* The `spawn` parameter of threads and processes: a pool of W workers,
 * or a new one for each task with at most W alive. */
enum strategy_spawn { STRATEGY_SPAWN_POOL, STRATEGY_SPAWN_PER_TASK };

extern const char *const strategy__spawn_names[]; /* "pool", "per_task" */

/* A libevent event_base as the loop strategies want it: a precise timer
 * (timerfd: epoll alone rounds every wait up to the next millisecond) and
 * epoll's changelist. NULL when libevent cannot make one. */
struct event_base;
struct event_base *strategy__event_base(void);

/* Refuses a schedule or chunk given with spawn=per_task, where no worker
 * takes more than its one task (indices into the strategy's table). */
int strategy__check_spawn(const struct param_values *params, int spawn, int schedule, int chunk,
			  char *err, size_t errlen);

/*
 * Refuses n threads in this process when RLIMIT_NPROC and the kernel's
 * threads-max leave no room for them, or their stacks (stack_bytes each,
 * 0: the default) no room in RLIMIT_AS, naming the limit and the figures
 * ("what": "threads", "OpenMP threads"; concbench/limits.h). Returns 0,
 * or -1 with the reason in err. Forked workers: limits_check_tasks.
 */
int strategy__check_threads(unsigned n, size_t stack_bytes, const char *what, char *err,
			    size_t errlen);

#endif
