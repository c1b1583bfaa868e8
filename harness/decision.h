/*
 * decision.h - the decision map: for a workload that says how much of a
 * task its parameters ask to compute (struct workload's compute_share),
 * its experiments at different shares, side by side at one worker count:
 * each strategy variant's speedup over the reference at each share, the
 * winner at each, and the shares where the winner changes. The charts
 * draw it (plot.c) and the report says it (report.c) from this one
 * computation.
 */
#ifndef CONCBENCH_DECISION_H
#define CONCBENCH_DECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

#define DECISION_POINTS 32
#define DECISION_LINES 16
#define DECISION_MAPS 8

/* Who wins at one share, among some of the lines. */
struct decision_pick {
	int winner;                 /* the fastest line, -1: none */
	bool tie[DECISION_LINES];   /* its cell's interval overlaps the winner's */
	bool disturbed;             /* the winner's cell was flagged */
};

struct decision_point {
	double share;                   /* 0 to 1 */
	/* each line's speedup over the reference, NAN where it has no ok
	 * cell at this worker count */
	double speedup[DECISION_LINES];
	struct decision_pick all;       /* among every line */
	struct decision_pick whole;     /* among lines that run each task whole */
};

struct decision_map {
	char workload[64];
	unsigned workers;
	/* The runtime its strategies ran the tasks in ("" for this program):
	 * each runtime has maps of its own (CPython's is the GIL map). */
	char runtime[STRATEGY_RUNTIME_MAX];
	size_t npoints, nlines;
	struct decision_point point[DECISION_POINTS]; /* ascending share */
	char label[DECISION_LINES][CELL_LABEL_MAX];   /* strategy variants */
	int style[DECISION_LINES], nth[DECISION_LINES]; /* their chart colour and dash */
	/* The variant ran the workload's stages apart (its cells carry stage
	 * figures): a combination, set apart from single strategies. */
	bool apart[DECISION_LINES];
	bool any_apart;
};

/*
 * The maps of set: one per workload with a compute share, runtime and worker count
 * at which at least two experiments of different shares have ok cells.
 * group is records_group's. Returns how many were filled (at most max).
 */
size_t decision_maps(const struct record_set *set, const size_t *group, size_t ngroups,
		     struct decision_map *maps, size_t max);

/* The file stem of map k's chart: "map-mixed.blend-w2", "map-mixed.blend-cpython-3.11-w2". */
void decision_chart_name(const struct decision_map *m, char *buf, size_t len);

#endif
