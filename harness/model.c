/*
 * model.c - a cell's time predicted from the machine's prices (model.h).
 */
#include "model.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "calibrate.h"

static unsigned smallest(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* A price the traits name: 0 when they name none, NAN when it is missing. */
static double price(const json_t *calibration, const char *item)
{
	return item ? calibration_price(calibration, item) : 0;
}

int model_predict(const struct record *ref, const struct record *cell,
		  const struct strategy_traits *traits, int cores, const json_t *calibration,
		  struct model *m)
{
	unsigned tasks, w;
	double cpu;

	memset(m, 0, sizeof(*m));
	if (!ref || !cell || !traits || !record_ok(ref) || !record_ok(cell) || cores < 1 ||
	    ref->id.source != SOURCE_INPROCESS || cell->id.source != SOURCE_INPROCESS)
		return -1;
	cpu = ref->user_s + ref->sys_s;
	if (!isfinite(cpu) || !isfinite(ref->wall_stats.median) || ref->wall_stats.median <= 0)
		return -1;
	tasks = cell->id.tasks > 0 && cell->id.tasks < UINT32_MAX ? (unsigned)cell->id.tasks : 1;
	w = cell->id.workers ? cell->id.workers : 1;
	m->compute_s = cpu < ref->wall_stats.median ? cpu : ref->wall_stats.median;
	m->waits_s = ref->wall_stats.median - m->compute_s;
	m->compute_ways = smallest(smallest(traits->one_thread ? 1 : w, (unsigned)cores), tasks);
	m->wait_ways = smallest(w, tasks);
	m->compute_term = m->compute_s / m->compute_ways;
	m->wait_term = m->waits_s / m->wait_ways;
	m->start_item = traits->start_price;
	m->task_item = traits->task_price;
	m->start_price = price(calibration, m->start_item);
	m->task_price = price(calibration, m->task_item);
	if (!isfinite(m->start_price) || !isfinite(m->task_price))
		return -1;
	m->starts = !m->start_item ? 0 : traits->start_per_task ? tasks : w;
	m->start_term = m->starts * m->start_price;
	m->task_term = m->task_item ? (double)cell->id.tasks * m->task_price : 0;
	m->predicted = m->compute_term + m->wait_term + m->start_term + m->task_term;
	return 0;
}

double model_error(const struct record *cell, const struct model *m)
{
	return fabs(cell->wall_stats.median - m->predicted) / cell->wall_stats.median;
}
