/*
 * sweep.h - experiments that differ in one workload parameter: the same
 * workload and tasks, every other parameter equal (sync.counter's modes,
 * cpu.image's result_bytes). Set side by side at one worker count, they
 * show how each strategy's time moves with the parameter, and where one
 * strategy falls behind another. The report prints them (report.c).
 */
#ifndef CONCBENCH_SWEEP_H
#define CONCBENCH_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

#define SWEEP_VALUES 16
#define SWEEP_LINES 12
#define SWEEP_MAX 16

struct sweep {
	char workload[64];
	char key[64];                              /* the parameter that differs */
	unsigned workers;
	size_t nvalues, nlines;
	char value[SWEEP_VALUES][128];             /* its values as text, in order */
	size_t experiment[SWEEP_VALUES];           /* report.md's number of each (1-based) */
	char label[SWEEP_LINES][CELL_LABEL_MAX];   /* strategy variants */
	/* [value][line]: that variant's ok cell at this worker count; NULL: none */
	const struct record *cell[SWEEP_VALUES][SWEEP_LINES];
};

/*
 * The sweeps of set (group: records_group's): one per (workload, tasks,
 * the parameter that differs, the other parameters' values) and worker
 * count, with two values or more and two variants that ran at some value.
 * Values go in numeric order when every one is a number, else as first
 * seen. Returns how many were filled (at most max).
 */
size_t sweeps_find(const struct record_set *set, const size_t *group, size_t ngroups,
		   struct sweep *out, size_t max);

#endif
