/*
 * stats.h - the statistics of a cell's samples.
 *
 * Medians with a percentile-bootstrap 95% CI (a fixed seed, so the same
 * samples always give the same interval), robust outlier flags by the
 * median absolute deviation, and the Mann-Whitney U test for comparing two
 * sets of samples. Outliers are flagged, never dropped.
 */
#ifndef CONCBENCH_STATS_H
#define CONCBENCH_STATS_H

#include <stddef.h>

#define STATS_BOOTSTRAP_RESAMPLES 2000

struct stats {
	size_t n;
	double median, ci_lo, ci_hi; /* bootstrap 95% CI of the median */
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
/* Fills st from x[0..n); n >= 1. Returns 0, or -1 when n == 0 or out of memory. */
int stats_compute(const double *x, size_t n, struct stats *st);
/*
 * Bootstrap 95% CI of median(num) / median(den), resampling both sides
 * independently: the CI of a speedup when num is the baseline's samples.
 */
int stats_ratio_ci(const double *num, size_t nnum, const double *den, size_t nden,
		   double *lo, double *hi);
/*
 * Two-sided Mann-Whitney U test (normal approximation with tie
 * correction). Returns the p-value; 1.0 when either side is empty.
 */
double stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

#endif
