/*
 * record.h - one cell as results.jsonl holds it: the one reader and the
 * one writer of its lines, and what is derived from a set of them.
 *
 * Every output starts from records read back from disk: the terminal
 * tables, summary.csv, report.md, the charts, compare, resume. A live run
 * turns each cell's outcome into a record, writes it, and reads it back
 * like any other. Stored statistics are read, never recomputed; what
 * relates cells to one another (the speedup over the experiment's
 * reference cell) is derived on reading, from the cells on disk.
 * The schema is docs/results-schema.md.
 */
#ifndef CONCBENCH_RECORD_H
#define CONCBENCH_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cellid.h"
#include "runner.h"
#include "stats.h"

/* struct stage_stats's fields, as stored under "stages" in results. */
enum stage_field {
	STAGE_FETCH_S, STAGE_COMPUTE_S, STAGE_QUEUE_S, STAGE_FULL_WAITS, STAGE_FULL_WAIT_S,
	STAGE_EMPTY_WAITS, STAGE_EMPTY_WAIT_S, STAGE_DEPTH, STAGE_FIELDS
};
extern const char *const stage_field_names[STAGE_FIELDS];
/* A sample's stage_stats as numbers in STAGE_* order. */
void stage_values(const struct stage_stats *s, double v[STAGE_FIELDS]);

/* One measured sample, as stored (in-process cells only). */
struct record_sample {
	double wall_s, user_s, sys_s, fixture_cpu_s, cores_busy;
	long nvcsw, nivcsw, max_rss_kb;
	double task_p50_s, task_p99_s;
	double foreign_cpu_s, steal_s; /* others' CPU and steal meanwhile; NAN: unknown */
	double pss_kb, rss_kb;         /* the cell's memory at the sample's end; NAN: unknown */
	double tally;                  /* what the workload's sample_end counted; NAN: none */
	double process_s;              /* an external program's whole life (the runner's
					* clock; wall_s is its own); NAN: none */
	bool disturbed;                /* others' CPU above the interference threshold */
};

/* What the whole process adds to the strategy's run (`once`, hyperfine;
 * startup_s alone for a cell whose tasks ran in another program: the
 * median of its samples' process_s - wall_s). */
struct whole_process {
	double startup_s, fixture_s, setup_s, prepare_s, teardown_s; /* NAN: unknown */
};

struct record {
	struct cell_id id;
	json_t *params, *strategy_params; /* the stored objects (owned): declaration order, types */
	char run_id[96];
	enum workload_kind kind;
	enum cell_status status;
	char error[400];
	char digest[24], reference_digest[24]; /* "" when absent */
	char reference_strategy[64];
	bool digest_ok;
	bool has_path;
	enum task_path path;       /* how the tasks reached the workload, when known */

	double *wall;              /* measured samples' wall times, owned */
	size_t nwall;
	struct record_sample *samples; /* owned; none for whole-process cells */
	size_t nsamples;
	struct stats wall_stats;   /* of wall: median, CI, min, max, ... (stored) */
	bool ci_bootstrap;         /* an older file's bootstrap CI, not an order-statistic one */

	/* How sampling went (in-process cells; unknown in older files) */
	enum stop_reason stop;     /* STOP_NONE: unknown, or the cell failed */
	double precision_target;   /* the precision asked, a share (0.02); NAN: unknown */
	size_t retaken;            /* disturbed samples dropped and taken again */
	size_t disturbed;          /* counted samples others disturbed */
	bool interference;         /* disturbed > 0: no lesson is drawn from the cell */
	double foreign_cores;      /* others' CPU (steal included) over the samples' wall time,
				    * in cores; NAN: unknown */
	double steal_s;            /* steal per sample, median; NAN: unknown */

	/* medians over samples (NAN when absent) */
	double user_s, sys_s, cores_busy, nvcsw, nivcsw, task_p50_s, task_p99_s, fixture_cpu_s;
	double max_rss_kb, fixture_max_rss_kb; /* peaks; NAN when absent */
	long rss_processes;        /* > 0: max_rss_kb sums that many processes' peaks */
	double pss_kb, rss_kb;     /* medians of the samples' end-of-sample PSS and RSS
				    * (cell process plus workers); NAN when absent */
	enum fixture_clock fixture_clock; /* how fixture_cpu_s was read; NONE: no fixture,
					   * or not said (older files) */
	double latq[LATENCY_QUANTILES];
	size_t nlatq;              /* 0 or LATENCY_QUANTILES */

	/* The workload's tally (sample_end): what its samples counted, in
	 * tally_unit ("" and NANs: none) */
	char tally_unit[32];
	double tally_median, tally_min, tally_expected;

	/* A strategy that ran the workload's stages apart (struct
	 * stage_stats): medians over samples, STAGE_* order; has_stages
	 * false: none. */
	double stages[STAGE_FIELDS];
	bool has_stages;

	char command[4200];        /* the command that reproduces a whole-process cell */
	struct whole_process whole;

	/* Derived on reading: over the experiment's reference cell. NAN without one. */
	double speedup, speedup_lo, speedup_hi;
};

struct record_set {
	struct record *r;
	size_t n, cap;
};

/* Whether two cells' intervals (their CI, or their range with too few
 * samples for one) overlap: the data cannot rank them, a tie. */
bool record_overlap(const struct record *a, const struct record *b);
/* Sets every number of r to "absent" (NAN) and every text to empty. */
void record_init(struct record *r);
void record_free(struct record *r);

/* Fills r from one cell's JSON object. Returns 0, or -1 if it is not one. */
int record_from_json(const json_t *obj, struct record *r);
/* The line for r: the one writer of the schema. */
json_t *record_to_json(const struct record *r);

/*
 * Loads every whole line of a results.jsonl and derives the speedups. A
 * last line without its newline (a run killed mid-write) is skipped and
 * counted in *torn. Returns 0, or -1 with the reason in err.
 */
int records_load(const char *path, struct record_set *set, size_t *torn, char *err, size_t errlen);
/* Appends r, taking what it owns (r is left empty). */
int records_add(struct record_set *set, struct record *r);
void records_free(struct record_set *set);
/* Derives each cell's speedup over its experiment's reference cell. */
void records_derive(struct record_set *set);

bool record_ok(const struct record *r);
/* Whether r's cell ran beside a fixture (its helper process). */
bool record_has_fixture(const struct record *r);
/* The precision r's CI reached (stats_precision); INFINITY without a CI. */
double record_precision(const struct record *r);
/* Whether it reached the precision asked (false when either is unknown). */
bool record_precise(const struct record *r);
/*
 * Groups set into experiments: fills group[i] with the experiment number of
 * cell i (in first-seen order) and returns how many there are.
 */
size_t records_group(const struct record_set *set, size_t *group);
/* The indices of experiment g's cells into idx; returns how many. */
size_t records_of_group(const struct record_set *set, const size_t *group, size_t g, size_t *idx);

/* A strategy variant of an experiment, in the order tables and charts use. */
struct variant {
	const struct cell_id *id; /* of its first cell: strategy, parameters, runtime, label */
	int rank;                 /* the strategy's registry position; -1 when unknown */
	int style;                /* the chart line type: one colour per strategy */
	int nth;                  /* 0 for a strategy's first variant, 1 for its second, ... */
};
#define VARIANT_UNKNOWN_STYLE 8 /* the fallback colour of a strategy this build does not know */
/*
 * The distinct variants among the cells idx[0..n) of set: known strategies
 * in registry order, then unknown ones as first seen; a strategy's
 * variants as first seen. Returns how many (at most max).
 */
size_t records_variants(const struct record_set *set, const size_t *idx, size_t n,
			struct variant *out, size_t max);

#endif
