/*
 * result.h - a cell's outcome with everything derived from it: statistics,
 * the digest check, the speedup over serial. What store and report read.
 */
#ifndef CONCBENCH_RESULT_H
#define CONCBENCH_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "runner.h"
#include "stats.h"

struct cell_result {
	struct cell cell;
	struct cell_outcome outcome;
	enum cell_status status; /* outcome's, or FAILED on a digest mismatch */
	char error[SAMPLE_ERROR_MAX + 128];
	double *wall;            /* [outcome.nsamples] */
	struct stats wall_stats; /* valid when wall_stats.n > 0 */
	uint64_t digest;         /* of the first sample */
	const char *reference_strategy; /* whose digest this cell is checked against */
	bool has_reference;
	uint64_t reference_digest;
	bool digest_ok;
	/* medians over samples (max for RSS) */
	double user_s, sys_s, cores_busy, task_p50_s, task_p99_s;
	double nvcsw, nivcsw;
	double fixture_cpu_s;    /* the fixture's user + sys per sample (0 without one) */
	double task_latq[101];   /* per-percentile medians over samples */
	long max_rss_kb;
	long fixture_max_rss_kb; /* the fixture's peak over the cell's samples */
	/* vs the serial cell of the same run; NAN when there is none */
	double speedup, speedup_lo, speedup_hi;
};

/* Fills the derived fields of r from r->outcome. */
int result_derive(struct cell_result *r, const uint64_t *reference_digest);
/* Speedup of r over a baseline's wall samples; leaves NAN without them. */
void result_speedup(struct cell_result *r, const double *base_wall, size_t base_n);
void result_free(struct cell_result *r);

#endif
