/*
 * run.h - running experiments into a run folder, for `run` and `matrix`.
 *
 * An experiment is one run request: a workload at one parameter point,
 * its strategies and worker counts. Its cells go through the runner one by
 * one; each ends as one line appended to results.jsonl. Cells a previous
 * invocation already wrote (resume) are not run again: their lines supply
 * the reference digest and the serial baseline instead.
 */
#ifndef CONCBENCH_RUN_H
#define CONCBENCH_RUN_H

#include <limits.h>
#include <stdbool.h>

#include "cellid.h"
#include "cli.h"
#include "progress.h"
#include "record.h"

struct run_context {
	char dir[PATH_MAX];
	char run_id[96];
	const struct record_set *done; /* cells already on disk; MAY be NULL */
	struct progress progress;
	size_t failed;                 /* cells not ok, this invocation */
	bool io_failed;                /* a result file could not be written */
};

/*
 * Claims results/<UTC date-time> (a suffix if taken) with mkdir, so two
 * runs started in the same second never share a folder.
 */
int run_claim_dir(struct run_context *ctx, char *err, size_t errlen);
/* Uses an --out folder, which must not hold results already. Exits 2 if unusable. */
void run_use_dir(struct run_context *ctx, const char *dir, const char *flag);
/* --out DIR when given (exits 2 if unusable), else a new results/<id>;
 * -1 with a message when no folder could be had. */
int run_open_dir(struct run_context *ctx, const char *out);
/* Writes env.json for the command line. */
void run_write_env(struct run_context *ctx, int argc, char **argv);
/* The identities of the request's planned cells, in run order. */
size_t run_cell_ids(const struct run_request *req, struct cell_id *ids, size_t max);
/* How many of the request's cells are not on disk yet. */
size_t run_count_cells(const struct run_request *req, const struct record_set *done);
/* Runs the request's cells that are not on disk yet. */
void run_experiment(struct run_context *ctx, const struct run_request *req);
/* Loads results.jsonl, writes summary.csv, prints the tables; the exit status. */
int run_finish(struct run_context *ctx, bool tables);
/* Draws dir's charts and writes its report.md; status, or 1 if either failed. */
int run_render(const char *dir, int status);

#endif
