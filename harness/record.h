/*
 * record.h - a cell as stored in results.jsonl, read back: what the
 * report, the charts, compare and resume work from. A live run turns each
 * cell's JSON line into a record too, so the terminal table and report.md
 * can only ever show what is on disk.
 */
#ifndef CONCBENCH_RECORD_H
#define CONCBENCH_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RECORD_LATQ 101 /* task latency quantiles at 0, 1, ..., 100 percent */

struct record {
	char source[16];           /* "concbench" (in-process clock) or "hyperfine" */
	char workload[64], kind[16], strategy[64], status[16];
	char params[512];          /* the workload's, "name=value name=value" */
	char strategy_params[256]; /* the strategy's, same form */
	char reference_strategy[64];
	char digest[24];
	char error[400];
	unsigned workers;
	size_t tasks;
	bool digest_ok;
	double *wall;              /* measured samples' wall times */
	size_t nwall;
	/* NAN when absent */
	double median, ci_lo, ci_hi, speedup, speedup_lo, speedup_hi;
	double user_s, sys_s, cores_busy, task_p50_s, task_p99_s, fixture_cpu_s;
	double max_rss_kb, fixture_max_rss_kb;
	long rss_processes;        /* > 0: max_rss_kb sums that many processes' peaks */
	double latq[RECORD_LATQ];
	/* hyperfine cells: the command that reproduces them, and what the
	 * whole process measurably adds (NAN when unknown) */
	char command[1024];
	double startup_s, fixture_s, setup_s, prepare_s, teardown_s;
	size_t nlatq;              /* 0 or RECORD_LATQ */
};

struct record_set {
	struct record *r;
	size_t n, cap;
};

/* "name=value name=value" of a parameter object, in its order. */
void record_params_text(const json_t *obj, char *buf, size_t len);
/* Fills r from one cell's JSON object. Returns 0, or -1 if it is not one. */
int record_from_json(const json_t *obj, struct record *r);
/*
 * Loads every whole line of a results.jsonl. A last line without its
 * newline (a run killed mid-write) is skipped and counted in *torn.
 * Returns 0, or -1 with the reason in err.
 */
int records_load(const char *path, struct record_set *set, size_t *torn, char *err, size_t errlen);
/* Appends a copy of r (taking ownership of r->wall). */
int records_add(struct record_set *set, struct record *r);
void records_free(struct record_set *set);

/* Cells of one experiment share source (clock), workload, tasks and
 * workload params. */
void record_experiment_key(const struct record *r, char *buf, size_t len);
bool record_same_experiment(const struct record *a, const struct record *b);
/* A cell's identity: its experiment, strategy, strategy params, workers. */
bool record_same_workload(const struct record *a, const struct record *b);
void record_cell_key(const struct record *r, char *buf, size_t len);
bool record_ok(const struct record *r);

#endif
