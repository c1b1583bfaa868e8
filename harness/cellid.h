/*
 * cellid.h - a cell's identity: the one definition every output uses.
 *
 * A cell is its clock (source), workload, the workload's parameters, task
 * count, strategy, the strategy's parameters, worker count, and - for a
 * strategy that runs another program - that runtime. Two cells that differ
 * in any of these are two rows, two bars, two CSV lines, two resume keys.
 * Cells of one experiment share source, workload, tasks and workload
 * parameters; a strategy variant is a strategy with its parameters and
 * runtime, shown by its label: the name, its parameters that differ from
 * their defaults, and the runtime (`threads[stack_kb=64]`,
 * `cpython.threads@cpython-3.11`).
 */
#ifndef CONCBENCH_CELLID_H
#define CONCBENCH_CELLID_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "concbench/strategy.h"

/* Which clock timed a cell. */
enum record_source {
	SOURCE_INPROCESS, /* "concbench": the strategy's run alone, in-process */
	SOURCE_HYPERFINE, /* "hyperfine": the whole `concbench once` process */
};

#define CELL_LABEL_MAX 320

struct cell_id {
	enum record_source source;
	char workload[64];
	size_t tasks;
	char params[512];                    /* the workload's, "name=value name=value" */
	char strategy[64];
	char strategy_params[256];           /* the strategy's, same form */
	char runtime[STRATEGY_RUNTIME_MAX];  /* "" when the tasks ran in concbench itself */
	unsigned workers;
	char label[CELL_LABEL_MAX];          /* the variant's label, for people */
};

/*
 * Fills id. wparams and sparams are the parameter objects as results.jsonl
 * stores them (declaration order); sparams' values equal to the
 * registry's defaults stay out of the label (all stay in, for a strategy
 * this build does not know).
 */
void cell_id_fill(struct cell_id *id, enum record_source source, const char *workload,
		  size_t tasks, const json_t *wparams, const char *strategy, const json_t *sparams,
		  const char *runtime, unsigned workers);
/* The key of a cell, equal for equal cells only (resume, compare, sets). */
void cell_id_key(const struct cell_id *id, char *buf, size_t len);
bool cell_id_equal(const struct cell_id *a, const struct cell_id *b);
/* Same source, workload, tasks and workload parameters. */
bool cell_id_same_experiment(const struct cell_id *a, const struct cell_id *b);
/* The same cell but for the clock that timed it (in-process vs whole process). */
bool cell_id_same_but_source(const struct cell_id *a, const struct cell_id *b);
/* Same strategy, strategy parameters and runtime. */
bool cell_id_same_variant(const struct cell_id *a, const struct cell_id *b);

/*
 * The traits of a cell's strategy with the parameters it was stored with
 * (its traits_for applied) into *traits. Returns the strategy, or NULL
 * for one this build does not know (traits untouched).
 */
/* The share of a task's time a stored cell's workload parameters ask to
 * be spent computing (struct workload's compute_share), or NAN when its
 * workload is unknown here or declares none. */
double cell_compute_share(const char *workload, const json_t *params);
const struct strategy *cell_strategy_traits(const char *strategy, const json_t *sparams,
					    struct strategy_traits *traits);

/* Parameter values as a JSON object, in declaration order (enums by name). */
json_t *cell_params_json(const struct param_spec *specs, const struct param_values *vals);
/* "name=value name=value" of a parameter object, in its order; empty texts
 * (a string parameter's default) left out. */
void cell_params_text(const json_t *obj, char *buf, size_t len);

const char *record_source_name(enum record_source source);
bool record_source_parse(const char *name, enum record_source *source);

#endif
