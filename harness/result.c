/*
 * result.c - derives statistics and the digest verdict from a cell's samples.
 */
#include "result.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double median_of(const struct sample_record *s, size_t n, size_t offset)
{
	double *v = malloc((n ? n : 1) * sizeof(*v)), m;

	if (!v)
		return NAN;
	for (size_t k = 0; k < n; k++)
		v[k] = *(const double *)((const char *)&s[k] + offset);
	m = stats_median(v, n);
	free(v);
	return m;
}

int result_derive(struct cell_result *r, const uint64_t *reference_digest)
{
	const struct cell_outcome *o = &r->outcome;
	size_t n = o->nsamples;

	r->status = o->status;
	snprintf(r->error, sizeof(r->error), "%s", o->error);
	r->speedup = r->speedup_lo = r->speedup_hi = NAN;
	r->user_s = r->sys_s = r->cores_busy = r->task_p50_s = r->task_p99_s = NAN;
	r->nvcsw = r->nivcsw = r->fixture_cpu_s = NAN;
	r->has_reference = reference_digest != NULL;
	r->reference_digest = reference_digest ? *reference_digest : 0;
	r->digest_ok = false;
	if (n == 0)
		return 0;

	r->wall = malloc(n * sizeof(*r->wall));
	if (!r->wall)
		return -1;
	for (size_t k = 0; k < n; k++)
		r->wall[k] = o->samples[k].wall_s;
	if (stats_compute(r->wall, n, &r->wall_stats) < 0)
		return -1;
	r->user_s = median_of(o->samples, n, offsetof(struct sample_record, user_s));
	r->sys_s = median_of(o->samples, n, offsetof(struct sample_record, sys_s));
	r->task_p50_s = median_of(o->samples, n, offsetof(struct sample_record, task_p50_s));
	r->task_p99_s = median_of(o->samples, n, offsetof(struct sample_record, task_p99_s));
	for (size_t q = 0; q < 101; q++)
		r->task_latq[q] = median_of(o->samples, n,
					    offsetof(struct sample_record, task_latq) + q * sizeof(double));
	{
		double *busy = malloc(n * sizeof(*busy)), *cs = malloc(3 * n * sizeof(*cs));

		if (!busy || !cs) {
			free(busy);
			free(cs);
			return -1;
		}
		r->max_rss_kb = 0;
		r->fixture_max_rss_kb = 0;
		for (size_t k = 0; k < n; k++) {
			const struct sample_record *s = &o->samples[k];

			busy[k] = s->wall_s > 0 ? (s->user_s + s->sys_s) / s->wall_s : 0;
			cs[k] = (double)s->nvcsw;
			cs[n + k] = (double)s->nivcsw;
			cs[2 * n + k] = s->fixture_user_s + s->fixture_sys_s;
			if (s->max_rss_kb > r->max_rss_kb)
				r->max_rss_kb = s->max_rss_kb;
			if (s->fixture_max_rss_kb > r->fixture_max_rss_kb)
				r->fixture_max_rss_kb = s->fixture_max_rss_kb;
		}
		/* Below a millisecond, the two getrusage calls around the run
		 * weigh more than the run: no honest ratio comes out. */
		r->cores_busy = r->wall_stats.median >= 1e-3 ? stats_median(busy, n) : NAN;
		r->nvcsw = stats_median(cs, n);
		r->nivcsw = stats_median(cs + n, n);
		r->fixture_cpu_s = stats_median(cs + 2 * n, n);
		free(busy);
		free(cs);
	}

	/* Every sample must agree with the reference: a strategy that lost
	 * or repeated a task fails, however fast it was. */
	r->digest = o->samples[0].digest;
	r->digest_ok = r->status == CELL_OK;
	for (size_t k = 0; k < n && r->digest_ok; k++) {
		uint64_t want = reference_digest ? *reference_digest : r->digest;

		if (o->samples[k].digest != want) {
			r->digest_ok = false;
			r->status = CELL_FAILED;
			snprintf(r->error, sizeof(r->error),
				 "digest mismatch in sample %zu: %016" PRIx64 ", reference %016" PRIx64
				 " (a task was lost, repeated or computed wrongly)",
				 k + 1, o->samples[k].digest, want);
		}
	}
	return 0;
}

void result_speedup(struct cell_result *r, const double *base_wall, size_t base_n)
{
	if (!base_wall || base_n == 0 || r->outcome.nsamples == 0 || r->status != CELL_OK)
		return;
	r->speedup = stats_median(base_wall, base_n) / r->wall_stats.median;
	if (stats_ratio_ci(base_wall, base_n, r->wall, r->outcome.nsamples, &r->speedup_lo,
			   &r->speedup_hi) < 0)
		r->speedup_lo = r->speedup_hi = NAN;
}

void result_free(struct cell_result *r)
{
	cell_outcome_free(&r->outcome);
	free(r->wall);
	r->wall = NULL;
}
