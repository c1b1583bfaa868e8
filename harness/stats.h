/*
 * stats.h - the statistics of a cell's samples.
 *
 * Medians with a distribution-free 95% CI from order statistics (the
 * binomial interval: no assumption about the samples' distribution, its
 * real coverage stored beside it; below 6 samples none exists and the
 * range is given instead, named as such), a percentile-bootstrap CI of a
 * ratio of medians (a speedup), robust outlier flags by the median
 * absolute deviation, and the Mann-Whitney U test for comparing two sets
 * of samples. Outliers are flagged, never dropped.
 */
#ifndef CONCBENCH_STATS_H
#define CONCBENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

#define STATS_BOOTSTRAP_RESAMPLES 2000

/* The fewest samples a 95% order-statistic CI of the median exists for. */
#define STATS_MIN_CI_SAMPLES 6
/* The fewest samples on each side for a speedup's bootstrap CI. */
#define STATS_MIN_RATIO_SAMPLES 10

struct stats {
	size_t n;
	double median;
	double ci_lo, ci_hi;   /* 95% CI of the median; the range when ci_coverage is NAN */
	double ci_coverage;    /* the CI's real coverage (>= 0.95); NAN: the range, no CI */
	double min, max, mean, stddev, cv;
	size_t outliers;             /* modified z-score above 3.5 */
};

/* Quantile q in [0, 1] of sorted data, linear interpolation between ranks. */
double stats_quantile_sorted(const double *sorted, size_t n, double q);
/* Median of unsorted data (copies; x is left as it was). */
double stats_median(const double *x, size_t n);
/* Median absolute deviation from the median (unscaled). */
double stats_mad(const double *x, size_t n);
/* Count of points whose modified z-score 0.6745 |x - median| / MAD exceeds 3.5. */
size_t stats_mad_outliers(const double *x, size_t n);
/*
 * The 95% distribution-free CI of the median of n sorted samples: the
 * order statistics x_(j), x_(n+1-j) (1-based) for the largest j whose
 * coverage 1 - 2 P(Binomial(n, 1/2) <= j - 1) is at least 0.95. Sets
 * *lo_rank and *hi_rank (0-based) and *coverage; returns false when none
 * exists (n < STATS_MIN_CI_SAMPLES).
 */
bool stats_median_ci_ranks(size_t n, size_t *lo_rank, size_t *hi_rank, double *coverage);
/* The precision st reached: the CI's larger half-width over the median
 * (0.02 is +-2%); INFINITY when no CI exists. */
double stats_precision(const struct stats *st);
/* Fills st from x[0..n); n >= 1. Returns 0, or -1 when n == 0 or out of memory. */
int stats_compute(const double *x, size_t n, struct stats *st);
/*
 * Bootstrap 95% CI of median(num) / median(den), resampling both sides
 * independently: the CI of a speedup when num is the baseline's samples.
 * Returns -1 (no CI) unless both sides have STATS_MIN_RATIO_SAMPLES: with
 * fewer, the resampled medians take too few values for an honest interval.
 */
int stats_ratio_ci(const double *num, size_t nnum, const double *den, size_t nden,
		   double *lo, double *hi);
/*
 * Two-sided Mann-Whitney U test: the p of stats_mann_whitney_test (exact
 * when the sides are small, else the normal approximation). Returns 1.0
 * when either side is empty or memory runs out.
 */
double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/*
 * The exact test up to this many samples per side. Beyond it the normal
 * approximation is within a few percent of the exact p, and the exact
 * distribution's table (na + 1 rows of (na + nb)^2 counts) grows quickly.
 */
#define STATS_MANN_WHITNEY_EXACT_MAX 50

struct stats_mann_whitney_result {
	double u;     /* pairs (a, b) with a > b, plus half the tied pairs: 0 when every a < b */
	double p;     /* two-sided: 2 min(P(U <= u), P(U >= u)), at most 1 */
	double min_p; /* the smallest p these sample sizes can give (stats_mann_whitney_min_p) */
	bool exact;   /* p from U's exact permutation distribution, else the normal approximation */
	bool ties;    /* a value occurs more than once: mid-ranks (exact: given those ties) */
};

/*
 * Two-sided Mann-Whitney U test of a against b. With at most
 * STATS_MANN_WHITNEY_EXACT_MAX samples per side, p is exact: U's null
 * distribution counted over every way of splitting the pooled samples
 * into na and nb (with ties, over the observed mid-ranks: the permutation
 * test given the ties). Larger sides use the normal approximation with
 * tie and continuity corrections. Returns 0, or -1 when a side is empty
 * or memory runs out (then p = min_p = 1).
 */
int stats_mann_whitney_test(const double *a, size_t na, const double *b, size_t nb,
			    struct stats_mann_whitney_result *out);
/*
 * The smallest two-sided p samples of na and nb can give, whatever they
 * are: 2 / C(na + nb, na) for the exact test (completely separated
 * samples). When it is not below a significance level, the test cannot
 * detect any change at that level: the sides are too small. 1 when a side
 * is empty.
 */
double stats_mann_whitney_min_p(size_t na, size_t nb);

#endif
