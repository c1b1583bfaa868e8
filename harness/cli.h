/*
 * cli.h - a run's options (from a command line or a profile line) resolved
 * into a checked request against the plug-ins, and the text of `list`.
 *
 * Every bad input ends in cli_usage_error(): one line on stderr naming the
 * flag and what it accepts (with the nearest name it knows, for a typo),
 * exit status 2.
 */
#ifndef CONCBENCH_CLI_H
#define CONCBENCH_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "commands.h"
#include "concbench/params.h"
#include "concbench/strategy.h"
#include "concbench/workload.h"
#include "runner.h"

#define CLI_MAX_STRATEGIES 32
#define CLI_MAX_WORKERS 64
#define CLI_MAX_WORKER_COUNT 100000
#define CLI_MAX_TASKS 100000000
#define CLI_MAX_PARAMS 32
#define CLI_MAX_REPEAT 10000

/* The texts of one run's options, from argv or from a profile line. */
struct run_spec {
	const char *where; /* prefixes error messages ("profile 'quick' line 4"); MAY be NULL */
	const char *workload, *strategies, *workers, *tasks, *repeat, *warmup, *timeout, *out;
	const char *max_repeat, *precision, *max_time, *retakes;
	const char *reference;
	const char *params[CLI_MAX_PARAMS]; /* "name=value" */
	size_t nparams;
	/* Every strategy may be skipped (its runtime missing here): a matrix
	 * line then runs nothing. Otherwise that is bad input, its reason in
	 * the one line. */
	bool may_skip_all;
};

struct run_request {
	const struct workload *workload;
	const struct strategy *strategies[CLI_MAX_STRATEGIES];
	size_t nstrategies;
	const struct strategy *reference; /* whose digest every cell must match */
	unsigned workers[CLI_MAX_WORKERS];
	size_t nworkers;
	size_t ntasks;
	struct run_options opt;
	struct param_values wparams;
	struct param_values sparams[CLI_MAX_STRATEGIES]; /* one per strategy above */
	char runtime[CLI_MAX_STRATEGIES][STRATEGY_RUNTIME_MAX]; /* each one's, "" for this program */
	char out_dir[PATH_MAX]; /* empty: results/<run id> */
};

/* The run options a command was given (those it has), into spec's texts. */
void cli_spec_from_args(const struct cmd_args *a, struct run_spec *spec);
/* Validates a spec into a request. Exits 2 on bad input, naming spec->where. */
void cli_resolve(const struct run_spec *spec, struct run_request *req);

_Noreturn void cli_usage_error(const char *flag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void cli_print_list(FILE *f);

#endif
