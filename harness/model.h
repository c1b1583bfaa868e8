/*
 * model.h - a cell's time predicted from the machine's prices, the way a
 * teacher would on a slide (docs/report.md, "The model").
 *
 * The reference cell (serial) splits one sample into computing (its CPU
 * time) and waiting (the rest). A cell with W workers of a strategy then
 * takes
 *
 *     compute / min(W, cores, tasks)     computing spreads over the cores
 *   + waits   / min(W, tasks)            waits overlap W at a time
 *   + W x the start price                each worker started in the run
 *   + tasks x the task price             each task handed out
 *
 * where a strategy whose tasks all run on one thread computes one way,
 * and the prices are calibration.json items its traits name. Whatever
 * the model leaves out (memory bandwidth, the server sharing the cores,
 * switching between more workers than cores) shows as its gap.
 */
#ifndef CONCBENCH_MODEL_H
#define CONCBENCH_MODEL_H

#include <jansson.h>

#include "concbench/strategy.h"
#include "record.h"

struct model {
	double compute_s, waits_s;         /* the reference's, per sample */
	unsigned compute_ways, wait_ways;  /* what each is divided by */
	double compute_term, wait_term;    /* compute_s / compute_ways, waits_s / wait_ways */
	unsigned starts;                   /* workers started in the run: W (tasks, spawning per task), or 0 */
	double start_price, start_term;    /* per start, and starts x it; 0 without one */
	double task_price, task_term;      /* per task, and tasks x it; 0 without one */
	const char *start_item, *task_item; /* the calibration items; NULL without one */
	double predicted;                  /* the four terms' sum */
};

/*
 * Predicts cell's median from ref (the experiment's reference cell), the
 * strategy's traits, the run's cores and its calibration.json document.
 * Returns 0, or -1 when it cannot: a cell or reference not ok or not timed
 * in-process, no CPU time for the reference, a strategy this build does
 * not know (traits NULL), or a price its traits name missing from the
 * calibration.
 */
int model_predict(const struct record *ref, const struct record *cell,
		  const struct strategy_traits *traits, int cores, const json_t *calibration,
		  struct model *m);

/* The model's error on a cell: |measured - predicted| / measured. */
double model_error(const struct record *cell, const struct model *m);

#endif
