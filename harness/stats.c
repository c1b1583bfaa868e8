/*
 * stats.c - medians, order-statistic and bootstrap intervals, MAD outliers,
 * Mann-Whitney U.
 */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_quantile_sorted(const double *sorted, size_t n, double q)
{
	double pos, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	pos = q * (double)(n - 1);
	lo = (size_t)pos;
	if (lo + 1 >= n)
		return sorted[n - 1];
	frac = pos - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));

	if (!c)
		return NULL;
	memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	return c;
}

double stats_median(const double *x, size_t n)
{
	double *c = sorted_copy(x, n), m;

	if (!c)
		return NAN;
	m = stats_quantile_sorted(c, n, 0.5);
	free(c);
	return m;
}

double stats_mad(const double *x, size_t n)
{
	double med = stats_median(x, n), mad;
	double *dev = malloc((n ? n : 1) * sizeof(*dev));

	if (!dev)
		return NAN;
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(x[i] - med);
	mad = stats_median(dev, n);
	free(dev);
	return mad;
}

size_t stats_mad_outliers(const double *x, size_t n)
{
	double med = stats_median(x, n), mad = stats_mad(x, n);
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		double d = fabs(x[i] - med);

		/* With MAD 0 most points equal the median: any other point is
		 * infinitely far in MAD units. */
		if (mad == 0 ? d > 0 : 0.6745 * d / mad > 3.5)
			count++;
	}
	return count;
}

/* splitmix64: a fixed, portable stream so intervals are reproducible. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double resampled_median(const double *x, size_t n, double *scratch, uint64_t *rng)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = x[rng_next(rng) % n];
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	return stats_quantile_sorted(scratch, n, 0.5);
}

int stats_ratio_ci(const double *num, size_t nnum, const double *den, size_t nden,
		   double *lo, double *hi)
{
	const size_t b = STATS_BOOTSTRAP_RESAMPLES;
	double *ratios = NULL, *scratch = NULL;
	uint64_t rng = 0x636f6e6362656e63ULL; /* fixed seed */
	int rc = -1;

	if (nnum < STATS_MIN_RATIO_SAMPLES || nden < STATS_MIN_RATIO_SAMPLES)
		return -1;
	ratios = malloc(b * sizeof(*ratios));
	scratch = malloc((nnum > nden ? nnum : nden) * sizeof(*scratch));
	if (!ratios || !scratch)
		goto out;
	for (size_t k = 0; k < b; k++) {
		double m = resampled_median(num, nnum, scratch, &rng);

		ratios[k] = m / resampled_median(den, nden, scratch, &rng);
	}
	qsort(ratios, b, sizeof(*ratios), cmp_double);
	*lo = stats_quantile_sorted(ratios, b, 0.025);
	*hi = stats_quantile_sorted(ratios, b, 0.975);
	rc = 0;
out:
	free(ratios);
	free(scratch);
	return rc;
}

/* P(Binomial(n, 1/2) <= k), summed in logs: no overflow at any n. */
static double binomial_half_cdf(size_t n, size_t k)
{
	double sum = 0, ln_half_n = (double)n * log(0.5), lg_n1 = lgamma((double)n + 1);

	for (size_t i = 0; i <= k && i <= n; i++)
		sum += exp(lg_n1 - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) + ln_half_n);
	return sum > 1 ? 1 : sum;
}

bool stats_median_ci_ranks(size_t n, size_t *lo_rank, size_t *hi_rank, double *coverage)
{
	size_t j;
	double cov;

	if (n < STATS_MIN_CI_SAMPLES)
		return false;
	/* Start below the normal approximation's rank and walk up while the
	 * next rank still covers 95%. */
	j = (size_t)fmax(1, floor((double)n / 2 - 1.96 * sqrt((double)n) / 2) - 2);
	cov = 1 - 2 * binomial_half_cdf(n, j - 1);
	while (cov < 0.95 && j > 1)
		cov = 1 - 2 * binomial_half_cdf(n, --j - 1);
	for (;;) {
		double next = 1 - 2 * binomial_half_cdf(n, j);

		if (next < 0.95 || j + 1 > n / 2)
			break;
		j++;
		cov = next;
	}
	*lo_rank = j - 1;
	*hi_rank = n - j;
	*coverage = cov;
	return cov >= 0.95;
}

double stats_precision(const struct stats *st)
{
	double up, down;

	if (st->n == 0 || isnan(st->ci_coverage) || !(st->median > 0))
		return INFINITY;
	up = st->ci_hi - st->median;
	down = st->median - st->ci_lo;
	return (up > down ? up : down) / st->median;
}

int stats_compute(const double *x, size_t n, struct stats *st)
{
	double *s, sum = 0, ss = 0;
	size_t lo, hi;

	memset(st, 0, sizeof(*st));
	if (n == 0)
		return -1;
	s = sorted_copy(x, n);
	if (!s)
		return -1;
	st->n = n;
	st->min = s[0];
	st->max = s[n - 1];
	st->median = stats_quantile_sorted(s, n, 0.5);
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	st->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - st->mean) * (x[i] - st->mean);
	st->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	st->cv = st->mean > 0 ? st->stddev / st->mean : 0;
	st->outliers = stats_mad_outliers(x, n);
	if (stats_median_ci_ranks(n, &lo, &hi, &st->ci_coverage)) {
		st->ci_lo = s[lo];
		st->ci_hi = s[hi];
	} else {
		st->ci_coverage = NAN;
		st->ci_lo = st->min;
		st->ci_hi = st->max;
	}
	free(s);
	return 0;
}

struct ranked {
	double v;
	int side;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t n = na + nb;
	struct ranked *r;
	double rank_sum_a = 0, tie_term = 0, u, mu, sigma, z;

	if (na == 0 || nb == 0)
		return 1.0;
	r = malloc(n * sizeof(*r));
	if (!r)
		return 1.0;
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double avg_rank;

		while (j < n && r[j].v == r[i].v)
			j++;
		avg_rank = ((double)i + 1 + (double)j) / 2.0; /* ranks i+1 .. j */
		for (size_t k = i; k < j; k++)
			if (r[k].side == 0)
				rank_sum_a += avg_rank;
		tie_term += pow((double)(j - i), 3) - (double)(j - i);
		i = j;
	}
	free(r);
	u = rank_sum_a - (double)na * ((double)na + 1) / 2.0;
	mu = (double)na * (double)nb / 2.0;
	sigma = sqrt((double)na * (double)nb / 12.0 *
		     (((double)n + 1) - tie_term / ((double)n * ((double)n - 1))));
	if (sigma == 0)
		return 1.0;
	/* Continuity correction towards the mean. */
	z = (fabs(u - mu) - 0.5) / sigma;
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2.0));
}
