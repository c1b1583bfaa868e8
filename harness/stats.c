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

/* ==== Mann-Whitney U ==== */

struct ranked {
	double v;
	int side; /* 0: a, 1: b */
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

/*
 * The pooled samples, sorted. A run of equal values at ranks i+1 .. j
 * shares the mid-rank (i+1+j)/2; ranks are kept doubled (i+1+j) so that
 * every rank sum is an integer and indexes the exact distribution.
 */
struct mw_pool {
	struct ranked *r;
	size_t n, na;
	size_t w2;       /* a's doubled rank sum */
	double tie_term; /* sum over runs of t^3 - t */
	bool ties;
};

/* The end (exclusive) of the run of equal values that starts at i. */
static size_t mw_run_end(const struct mw_pool *pool, size_t i)
{
	size_t j = i;

	while (j < pool->n && pool->r[j].v == pool->r[i].v)
		j++;
	return j;
}

static int mw_pool_fill(struct mw_pool *pool, const double *a, size_t na, const double *b,
			size_t nb)
{
	*pool = (struct mw_pool){ .n = na + nb, .na = na };
	pool->r = malloc(pool->n * sizeof(*pool->r));
	if (!pool->r)
		return -1;
	for (size_t i = 0; i < na; i++)
		pool->r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		pool->r[na + i] = (struct ranked){ b[i], 1 };
	qsort(pool->r, pool->n, sizeof(*pool->r), cmp_ranked);
	for (size_t i = 0, j; i < pool->n; i = j) {
		double t;

		j = mw_run_end(pool, i);
		t = (double)(j - i);
		for (size_t k = i; k < j; k++)
			if (pool->r[k].side == 0)
				pool->w2 += i + 1 + j;
		pool->tie_term += t * t * t - t;
		pool->ties |= j - i > 1;
	}
	return 0;
}

/* Normal approximation with tie and continuity corrections. */
static double mw_normal_p(double u, size_t na, size_t nb, double tie_term)
{
	double n = (double)(na + nb), mu = (double)na * (double)nb / 2.0, sigma, z;

	sigma = sqrt((double)na * (double)nb / 12.0 * ((n + 1) - tie_term / (n * (n - 1))));
	if (sigma == 0)
		return 1.0;
	/* Continuity correction towards the mean. */
	z = (fabs(u - mu) - 0.5) / sigma;
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2.0));
}

/*
 * P(W <= w2) and P(W >= w2), W being a's doubled rank sum over every
 * choice of na of the pooled samples, all equally likely when a and b
 * come from one distribution. A knapsack over the runs of equal values:
 * f[c][s] counts the choices of c samples among the runs so far whose
 * doubled ranks sum to s; a run of t samples at doubled mid-rank d gives
 * k of them in C(t, k) ways, adding k d. Counts are doubles: C(100, 50)
 * is about 1e29, and p needs ratios, not exact integers.
 */
static int mw_exact_tails(const struct mw_pool *pool, double *lower, double *upper)
{
	size_t n = pool->n, na = pool->na, width = n * (n + 1) + 1, done = 0, top = 0;
	double *f = calloc((na + 1) * width, sizeof(*f)), total = 0, lo = 0, hi = 0;

	if (!f)
		return -1;
	f[0] = 1;
	for (size_t i = 0, j; i < n; i = j) {
		size_t t, d, cmax, cmin;

		j = mw_run_end(pool, i);
		t = j - i;
		d = i + 1 + j;
		done += t;
		top += t * d; /* no sum of the runs so far exceeds all of them */
		cmax = done < na ? done : na;
		/* A row that the remaining samples cannot fill up to na is
		 * never read again. */
		cmin = na > n - done ? na - (n - done) : 1;
		/* Downwards, so that rows c - k still hold the previous runs'
		 * counts when row c reads them. */
		for (size_t c = cmax; c >= cmin; c--) {
			double *row = f + c * width, ways = 1;

			for (size_t k = 1; k <= t && k <= c; k++) {
				const double *from = f + (c - k) * width;

				ways = ways * (double)(t - k + 1) / (double)k; /* C(t, k) */
				for (size_t s = k * d; s <= top; s++)
					row[s] += ways * from[s - k * d];
			}
		}
	}
	for (size_t s = 0; s < width; s++) {
		double x = f[na * width + s];

		total += x;
		if (s <= pool->w2)
			lo += x;
		if (s >= pool->w2)
			hi += x;
	}
	free(f);
	*lower = lo / total;
	*upper = hi / total;
	return 0;
}

double stats_mann_whitney_min_p(size_t na, size_t nb)
{
	double ways = 1;

	if (na == 0 || nb == 0)
		return 1.0;
	if (na > STATS_MANN_WHITNEY_EXACT_MAX || nb > STATS_MANN_WHITNEY_EXACT_MAX)
		return mw_normal_p(0, na, nb, 0);
	for (size_t k = 1; k <= na; k++)
		ways = ways * (double)(nb + k) / (double)k; /* C(nb + k, k) */
	return fmin(1.0, 2.0 / ways);
}

int stats_mann_whitney_test(const double *a, size_t na, const double *b, size_t nb,
			    struct stats_mann_whitney_result *out)
{
	struct mw_pool pool;
	double lower, upper;

	*out = (struct stats_mann_whitney_result){ .u = NAN, .p = 1.0, .min_p = 1.0 };
	if (na == 0 || nb == 0 || mw_pool_fill(&pool, a, na, b, nb) < 0)
		return -1;
	out->u = ((double)pool.w2 - (double)na * (double)(na + 1)) / 2.0;
	out->ties = pool.ties;
	out->min_p = stats_mann_whitney_min_p(na, nb);
	if (na <= STATS_MANN_WHITNEY_EXACT_MAX && nb <= STATS_MANN_WHITNEY_EXACT_MAX &&
	    mw_exact_tails(&pool, &lower, &upper) == 0) {
		out->exact = true;
		out->p = fmin(1.0, 2.0 * fmin(lower, upper));
	} else {
		out->p = mw_normal_p(out->u, na, nb, pool.tie_term);
	}
	free(pool.r);
	return 0;
}

double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	struct stats_mann_whitney_result mw;

	stats_mann_whitney_test(a, na, b, nb, &mw);
	return mw.p;
}
