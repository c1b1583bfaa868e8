/*
 * strategy.h - the strategy plug-in interface.
 *
 * A strategy is a way to execute a workload's tasks: in order, on a thread
 * pool, in forked processes, on an event loop, under OpenMP. It never names
 * a workload: it only calls the slots of struct workload. Adding a
 * strategy is one .c file defining a `const struct strategy`, one line in
 * strategies/registry.c and one line in CMakeLists.txt.
 */
#ifndef CONCBENCH_STRATEGY_H
#define CONCBENCH_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>

#include "params.h"
#include "sample.h"
#include "workload.h"

struct strategy_config {
	unsigned workers;                  /* threads, processes, or tasks in flight */
	size_t ntasks;
	const struct param_values *params; /* parsed against strategy->params */
};

struct strategy {
	/* The --strategy value. MUST. */
	const char *name;
	/* One line for `concbench list`. MUST. */
	const char *description;
	/* Declared parameters (see params.h), NULL-name terminated. MUST. */
	const struct param_spec *params;
	/* Nonzero when the strategy ignores --workers and always runs with this
	 * many (serial: 1). The plan then makes one cell, not one per count. */
	unsigned fixed_workers;
	/* "NAME=value" strings, NULL-terminated, that must be in the
	 * environment before the process starts (a runtime that reads its
	 * settings at load time). main() sets each one not already set and
	 * re-executes itself once. MAY be NULL. */
	const char *const *env_defaults;
	/* A deliberately broken strategy for the tests: left out of `all`. */
	bool test_only;

	/* Untimed preparation before each timed run (start a runtime's thread
	 * pool). Called in the cell's process. MAY be NULL. */
	int (*prepare)(const struct strategy_config *cfg);
	/*
	 * Runs every task of the workload once, with the concurrency this
	 * strategy stands for, and returns when all are done. For each task i
	 * it stamps out->start[i] and out->end[i] and stores out->digest[i];
	 * it reports failures with sample_fail() and, when it forks, adds its
	 * reaped children's usage to out->children. Returns 0, or < 0 when the
	 * strategy itself could not run (the reason in out). Timed by the
	 * runner with CLOCK_MONOTONIC. MUST.
	 */
	int (*run)(const struct workload *w, void *instance,
		   const struct strategy_config *cfg, struct sample *out);
};

const struct strategy *strategy_find(const char *name);
/* The strategy whose digest every other one must match (serial). */
const struct strategy *strategy_reference(void);
/* The registry: a const, NULL-terminated table, in `concbench list` order. */
extern const struct strategy *const strategy_registry[];

/* ==== Helpers shared by the blocking strategies (strategies/common.c) ==== */

/*
 * Runs task i with stamps and error capture: stamps start, calls run_task,
 * stamps end, stores the digest or records the failure. Returns false if
 * the task failed.
 */
bool strategy__run_one(const struct workload *w, void *instance, void *worker,
		       size_t i, struct task_ctx *ctx, struct sample *out);
/* Calls worker_init when the workload has one; records a failure. */
int strategy__worker_init(const struct workload *w, void *instance, void **worker,
			  struct sample *out);
void strategy__worker_fini(const struct workload *w, void *instance, void *worker);

#endif
