/*
 * result.h - a cell's outcome turned into its record: the statistics of
 * its samples, the medians of their resource use, and the digest verdict.
 */
#ifndef CONCBENCH_RESULT_H
#define CONCBENCH_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "runner.h"

/* Sets r's identity (and its parameter objects) to cell c's. */
void result_identify(struct record *r, const struct cell *c, enum record_source source);
/*
 * Fills r from cell c and its outcome. reference_digest: what every sample
 * must equal; NULL for the reference cell itself, whose samples must agree
 * with each other. Returns 0, or -1 when out of memory.
 */
int result_record(struct record *r, const char *run_id, const struct cell *c,
		  const struct cell_outcome *o, const char *reference_strategy,
		  const uint64_t *reference_digest);
/* Marks r failed with a reason (nothing it computed can be trusted). */
void result_fail(struct record *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
