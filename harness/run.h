/*
 * run.h - running experiments into a run folder, for `run` and `matrix`.
 *
 * An experiment is one run request: a workload at one parameter point,
 * its strategies and worker counts. Its cells' samples are taken in
 * rounds: each round visits every cell not yet done, one sample each, in
 * a freshly shuffled order (--order interleaved, the default), so drift
 * and bursts of outside load fall on every cell alike; or each cell's
 * samples in a row (--order sequential). Each cell ends as one line
 * appended to results.jsonl, once the reference digest it is checked
 * against is known. Cells a previous invocation already wrote (resume) are
 * not run again: their lines supply the reference digest and the serial
 * baseline instead. A killed run loses at most the experiment in flight.
 */
#ifndef CONCBENCH_RUN_H
#define CONCBENCH_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "cellid.h"
#include "cli.h"
#include "load.h"
#include "progress.h"
#include "record.h"

enum run_order { ORDER_INTERLEAVED, ORDER_SEQUENTIAL };

struct run_context {
	enum run_order order;
	uint64_t seed;                 /* of the rounds' shuffles (env.json) */
	uint64_t rng;                  /* the shuffle stream's state */
	struct machine_load load;      /* how busy the machine was before the run */
	bool load_known;
	double wait_quiet_s;           /* --wait-quiet, or < 0 */
	char dir[PATH_MAX];
	char run_id[96];
	const struct record_set *done; /* cells already on disk; MAY be NULL */
	struct progress progress;
	size_t failed;                 /* cells not ok, this invocation */
	bool io_failed;                /* a result file could not be written */
	size_t cells_lost;             /* measured, but their line could not be appended */
};

/*
 * Claims results/<UTC date-time> (a suffix if taken) with mkdir, so two
 * runs started in the same second never share a folder.
 */
int run_claim_dir(struct run_context *ctx, char *err, size_t errlen);
/* The longest run folder path: the longest file name inside it
 * ("plots/NN-workload-...-latency.svg.tmp") must still fit in PATH_MAX. */
#define RUN_DIR_MAX (PATH_MAX - 256)
/* Uses an --out folder, which must not hold results already. Exits 2 if unusable. */
void run_use_dir(struct run_context *ctx, const char *dir, const char *flag);
/* Exits 2 naming flag when dir is longer than RUN_DIR_MAX. */
void run_check_dir_length(const char *dir, const char *flag);
/* The folder dir for this process to write, or exit 2 naming flag: its
 * length within RUN_DIR_MAX, made, proved writable, and locked
 * (store_take_dir). Once per process and folder. */
void run_take_dir(const char *dir, const char *flag);
/* --out DIR when given (exits 2 if unusable), else a new results/<id>;
 * -1 with a message when no folder could be had. */
int run_open_dir(struct run_context *ctx, const char *out);
/* Writes env.json for the command line. */
void run_write_env(struct run_context *ctx, int argc, char **argv);
/* --order, --seed and --wait-quiet of a command into ctx; exits 2 on bad input. */
void run_schedule(struct run_context *ctx, const struct cmd_args *a);
/* Measures how busy the machine is (for env.json); waits for quiet when
 * --wait-quiet asked, and warns when it is still busy. */
void run_check_machine(struct run_context *ctx);
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
