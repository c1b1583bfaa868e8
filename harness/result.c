/*
 * result.c - a cell's record from its outcome (see result.h).
 */
#include "result.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void result_identify(struct record *r, const struct cell *c, enum record_source source)
{
	json_decref(r->params);
	json_decref(r->strategy_params);
	r->params = cell_params_json(c->workload->params, c->wparams);
	r->strategy_params = cell_params_json(c->strategy->params, c->sparams);
	r->kind = c->workload->kind;
	if (c->workload->sample_end && c->workload->tally_unit)
		snprintf(r->tally_unit, sizeof(r->tally_unit), "%s", c->workload->tally_unit);
	cell_id_fill(&r->id, source, c->workload->name, c->ntasks, r->params, c->strategy->name,
		     r->strategy_params, c->runtime, c->workers);
}

void result_fail(struct record *r, const char *fmt, ...)
{
	va_list ap;

	r->status = CELL_FAILED;
	r->digest_ok = false;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

/* The median over samples of one double field of struct sample_record. */
static double median_of(const struct sample_record *s, size_t n, size_t offset, double *scratch)
{
	for (size_t k = 0; k < n; k++)
		scratch[k] = *(const double *)((const char *)&s[k] + offset);
	return stats_median(scratch, n);
}

/* The same over the samples where the field is known; NAN when none is. */
static double median_known(const struct sample_record *s, size_t n, size_t offset, double *scratch)
{
	size_t known = 0;

	for (size_t k = 0; k < n; k++) {
		double x = *(const double *)((const char *)&s[k] + offset);

		if (isfinite(x))
			scratch[known++] = x;
	}
	return known ? stats_median(scratch, known) : NAN;
}

/*
 * Others' CPU over the cell's samples, in cores, and the flag: samples
 * still disturbed after the retakes, or, for samples too short to judge
 * one by one (under INTERFERENCE_MIN_S / INTERFERENCE_CORES), others
 * using more than INTERFERENCE_CELL_CORES over all of them together.
 */
static void interference(struct record *r, const struct cell_outcome *o, double *v)
{
	size_t n = o->nsamples, known = 0;
	double foreign = 0, wall = 0;

	r->retaken = o->retaken;
	for (size_t k = 0; k < n; k++) {
		const struct sample_record *s = &o->samples[k];

		if (!isfinite(s->foreign_cpu_s))
			continue;
		/* Signed: each sample's busy time is rounded to 10 ms ticks, up
		 * or down; summed unclamped, the rounding cancels. Clamped at 0
		 * one by one, a 3 ms sample on an idle machine averaged more
		 * than half a core of "others". */
		foreign += (isfinite(s->foreign_raw_s) ? s->foreign_raw_s : s->foreign_cpu_s) +
			   (isfinite(s->steal_s) ? s->steal_s : 0);
		wall += sample_span_s(s);
	}
	if (foreign < 0)
		foreign = 0;
	r->foreign_cores = wall > 0 ? foreign / wall : NAN;
	r->interference = r->disturbed > 0 ||
			  (foreign > INTERFERENCE_CELL_MIN_S && foreign > INTERFERENCE_CELL_CORES * wall);
	for (size_t k = 0; k < n; k++)
		if (isfinite(o->samples[k].steal_s))
			v[known++] = o->samples[k].steal_s;
	r->steal_s = known ? stats_median(v, known) : NAN;
}

/* The workload's tally over the samples: its median, its least, and what
 * it should have counted (the same in every sample). */
static void tally(struct record *r, const struct cell_outcome *o, double *v)
{
	size_t n = o->nsamples;

	r->tally_median = median_known(o->samples, n, offsetof(struct sample_record, tally_count), v);
	if (!isfinite(r->tally_median))
		return;
	r->tally_min = INFINITY;
	for (size_t k = 0; k < n; k++) {
		if (o->samples[k].tally_count < r->tally_min)
			r->tally_min = o->samples[k].tally_count;
		if (isfinite(o->samples[k].tally_expected))
			r->tally_expected = o->samples[k].tally_expected;
	}
}

/* A pipeline's stage figures, each the median over the samples that
 * have them. */
static void stages(struct record *r, const struct cell_outcome *o, double *v)
{
	double one[STAGE_FIELDS];

	for (int f = 0; f < STAGE_FIELDS; f++) {
		size_t known = 0;

		for (size_t k = 0; k < o->nsamples; k++)
			if (o->samples[k].has_stages) {
				stage_values(&o->samples[k].stages, one);
				v[known++] = one[f];
			}
		r->has_stages = known > 0;
		r->stages[f] = known ? stats_median(v, known) : NAN;
	}
}

/* Cores busy over a sample: its CPU over the time that CPU was spent in
 * (an external program's whole life, start-up included). */
static double busy_of(const struct sample_record *s)
{
	double t = sample_span_s(s);

	return t > 0 ? (s->user_s + s->sys_s) / t : 0;
}

/* A cell whose tasks ran in another program: what the program's whole
 * life (the runner's clock) adds to its own clock's time for the tasks,
 * the median over samples: start-up, imports and exit. */
static void startup(struct record *r, const struct cell_outcome *o, double *v)
{
	size_t known = 0;

	for (size_t k = 0; k < o->nsamples; k++)
		if (o->samples[k].process_s > 0)
			v[known++] = o->samples[k].process_s - o->samples[k].wall_s;
	if (known)
		r->whole.startup_s = stats_median(v, known);
}

static void resources(struct record *r, const struct cell_outcome *o, double *v)
{
	size_t n = o->nsamples;

	r->max_rss_kb = 0;
	for (size_t k = 0; k < n; k++) {
		const struct sample_record *s = &o->samples[k];

		r->samples[k] = (struct record_sample){
			.wall_s = s->wall_s, .user_s = s->user_s, .sys_s = s->sys_s,
			.fixture_cpu_s = s->fixture_cpu_s,
			/* The CPU counts the whole program's: so must the time. */
			.cores_busy = busy_of(s),
			.nvcsw = s->nvcsw, .nivcsw = s->nivcsw, .max_rss_kb = s->max_rss_kb,
			.task_p50_s = s->task_p50_s, .task_p99_s = s->task_p99_s,
			.foreign_cpu_s = s->foreign_cpu_s, .steal_s = s->steal_s,
			.pss_kb = s->pss_kb, .rss_kb = s->rss_kb, .tally = s->tally_count,
			.process_s = s->process_s, .disturbed = s->disturbed,
		};
		/* Ticks anywhere make the cell's figure a ticks one. */
		if (s->fixture_clock > r->fixture_clock)
			r->fixture_clock = s->fixture_clock;
		r->disturbed += s->disturbed;
		if (s->max_rss_kb > r->max_rss_kb)
			r->max_rss_kb = (double)s->max_rss_kb;
		if (s->fixture_max_rss_kb > 0 && (isnan(r->fixture_max_rss_kb) ||
						  s->fixture_max_rss_kb > r->fixture_max_rss_kb))
			r->fixture_max_rss_kb = (double)s->fixture_max_rss_kb;
	}
	r->nsamples = n;
	r->user_s = median_of(o->samples, n, offsetof(struct sample_record, user_s), v);
	r->sys_s = median_of(o->samples, n, offsetof(struct sample_record, sys_s), v);
	r->task_p50_s = median_of(o->samples, n, offsetof(struct sample_record, task_p50_s), v);
	r->task_p99_s = median_of(o->samples, n, offsetof(struct sample_record, task_p99_s), v);
	for (size_t q = 0; q < LATENCY_QUANTILES; q++)
		r->latq[q] = median_of(o->samples, n,
				       offsetof(struct sample_record, task_latq) + q * sizeof(double), v);
	/* Tasks another program ran were not stamped one by one. */
	r->nlatq = isfinite(r->latq[50]) ? LATENCY_QUANTILES : 0;
	startup(r, o, v);
	for (size_t k = 0; k < n; k++)
		v[k] = r->samples[k].cores_busy;
	/* Below a millisecond, the two getrusage calls around the run weigh
	 * more than the run: no honest ratio comes out. */
	r->cores_busy = r->wall_stats.median >= 1e-3 ? stats_median(v, n) : NAN;
	for (size_t k = 0; k < n; k++)
		v[k] = (double)o->samples[k].nvcsw;
	r->nvcsw = stats_median(v, n);
	for (size_t k = 0; k < n; k++)
		v[k] = (double)o->samples[k].nivcsw;
	r->nivcsw = stats_median(v, n);
	r->fixture_cpu_s = median_known(o->samples, n, offsetof(struct sample_record, fixture_cpu_s), v);
	r->pss_kb = median_known(o->samples, n, offsetof(struct sample_record, pss_kb), v);
	r->rss_kb = median_known(o->samples, n, offsetof(struct sample_record, rss_kb), v);
	tally(r, o, v);
	stages(r, o, v);
	interference(r, o, v);
	r->rss_processes = o->samples[0].rss_processes;
	r->has_path = true;
	r->path = o->samples[0].path;
}

/* Every sample must agree with the reference: a strategy that lost or
 * repeated a task fails, however fast it was. */
static void check_digests(struct record *r, const struct cell_outcome *o, const uint64_t *want)
{
	uint64_t first = o->samples[0].digest;

	snprintf(r->digest, sizeof(r->digest), "%016" PRIx64, first);
	if (want)
		snprintf(r->reference_digest, sizeof(r->reference_digest), "%016" PRIx64, *want);
	r->digest_ok = r->status == CELL_OK;
	for (size_t k = 0; k < o->nsamples && r->digest_ok; k++) {
		uint64_t expect = want ? *want : first;

		if (o->samples[k].digest != expect)
			result_fail(r, "digest mismatch in sample %zu: %016" PRIx64 ", reference %016" PRIx64
				       " (a task was lost, repeated or computed wrongly)",
				    k + 1, o->samples[k].digest, expect);
	}
}

int result_record(struct record *r, const char *run_id, const struct cell *c,
		  const struct cell_outcome *o, const char *reference_strategy,
		  const uint64_t *reference_digest)
{
	size_t n = o->nsamples;
	double *scratch;

	result_identify(r, c, SOURCE_INPROCESS);
	snprintf(r->run_id, sizeof(r->run_id), "%s", run_id);
	snprintf(r->reference_strategy, sizeof(r->reference_strategy), "%s", reference_strategy);
	r->status = o->status;
	snprintf(r->error, sizeof(r->error), "%s", o->error);
	r->stop = o->stop;
	r->precision_target = o->precision_target;
	if (n == 0)
		return 0;
	r->wall = malloc(n * sizeof(*r->wall));
	r->samples = calloc(n, sizeof(*r->samples));
	scratch = malloc(n * sizeof(*scratch));
	if (!r->wall || !r->samples || !scratch) {
		free(scratch);
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		r->wall[k] = o->samples[k].wall_s;
	r->nwall = n;
	if (stats_compute(r->wall, n, &r->wall_stats) < 0) {
		free(scratch);
		return -1;
	}
	resources(r, o, scratch);
	free(scratch);
	check_digests(r, o, reference_digest);
	return 0;
}
