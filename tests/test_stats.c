/*
 * test_stats.c - statistics against vectors worked out by hand.
 */
#include <math.h>

#include "stats.h"
#include "unit.h"

static int median_odd(void)
{
	const double x[] = { 5, 1, 3 };

	CHECK_NEAR(stats_median(x, 3), 3, 0);
	return 0;
}

static int median_even(void)
{
	const double x[] = { 4, 1, 3, 2 };

	CHECK_NEAR(stats_median(x, 4), 2.5, 1e-15);
	return 0;
}

static int quantiles(void)
{
	const double s[] = { 10, 20, 30, 40, 50 };

	CHECK_NEAR(stats_quantile_sorted(s, 5, 0.0), 10, 0);
	CHECK_NEAR(stats_quantile_sorted(s, 5, 1.0), 50, 0);
	CHECK_NEAR(stats_quantile_sorted(s, 5, 0.25), 20, 1e-12);
	CHECK_NEAR(stats_quantile_sorted(s, 5, 0.99), 49.6, 1e-12);
	return 0;
}

static int mad_and_outliers(void)
{
	/* median 3; deviations 2,1,0,1,97 -> MAD 1; 100 is 0.6745*97 = 65 MADs out. */
	const double x[] = { 1, 2, 3, 4, 100 };

	CHECK_NEAR(stats_mad(x, 5), 1, 0);
	CHECK(stats_mad_outliers(x, 5) == 1);
	{
		const double y[] = { 1, 2, 3, 4, 5 };

		CHECK(stats_mad_outliers(y, 5) == 0);
	}
	return 0;
}

static int moments(void)
{
	const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct stats st;

	CHECK(stats_compute(x, 8, &st) == 0);
	CHECK(st.n == 8);
	CHECK_NEAR(st.mean, 5, 1e-12);
	CHECK_NEAR(st.stddev, 2.138089935299395, 1e-12); /* sample stddev, n - 1 */
	CHECK_NEAR(st.cv, 2.138089935299395 / 5, 1e-12);
	CHECK_NEAR(st.min, 2, 0);
	CHECK_NEAR(st.max, 9, 0);
	CHECK_NEAR(st.median, 4.5, 1e-12);
	return 0;
}

/* Known binomial values: the ranks and coverage of the 95% CI of a median. */
static int binomial_ranks(void)
{
	static const struct {
		size_t n, lo, hi; /* 1-based ranks */
		double coverage;
	} known[] = {
		{ 6, 1, 6, 0.96875 },                 /* 1 - 2 / 64 */
		{ 7, 1, 7, 0.984375 },                /* 1 - 2 / 128 */
		{ 8, 1, 8, 0.9921875 },               /* rank 2: 1 - 18 / 256 = 0.93 < 0.95 */
		{ 9, 2, 8, 0.9609375 },               /* 1 - 2 * 10 / 512 */
		{ 10, 2, 9, 0.978515625 },            /* 1 - 2 * 11 / 1024 */
		{ 20, 6, 15, 0.95861053466796875 },   /* 1 - 2 * 21700 / 2^20 */
		{ 100, 40, 61, 0.9647997997822952 },
	};
	size_t lo, hi;
	double cov;

	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		CHECK(stats_median_ci_ranks(known[k].n, &lo, &hi, &cov));
		CHECK(lo + 1 == known[k].lo && hi + 1 == known[k].hi);
		CHECK_NEAR(cov, known[k].coverage, 1e-9);
	}
	/* Below 6 samples no 95% interval exists: 5 gives 1 - 2/32 = 0.9375. */
	for (size_t n = 0; n < 6; n++)
		CHECK(!stats_median_ci_ranks(n, &lo, &hi, &cov));
	/* Every n up to 10000 keeps at least 95% and loses it one rank further in. */
	for (size_t n = 6; n <= 10000; n += n < 300 ? 1 : 997) {
		CHECK(stats_median_ci_ranks(n, &lo, &hi, &cov));
		CHECK(cov >= 0.95 && lo + hi == n - 1 && lo < hi);
	}
	return 0;
}

static int median_ci(void)
{
	const double x[] = { 1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.00, 1.02, 0.98 };
	const double c[] = { 2, 2, 2, 2, 2, 2 };
	struct stats st;

	/* Ten samples: the 2nd and 9th smallest, 0.98 and 1.02. */
	CHECK(stats_compute(x, 10, &st) == 0);
	CHECK_NEAR(st.ci_lo, 0.98, 0);
	CHECK_NEAR(st.ci_hi, 1.02, 0);
	CHECK_NEAR(st.ci_coverage, 0.978515625, 1e-12);
	CHECK_NEAR(stats_precision(&st), 0.02, 1e-12); /* median 1.00 */
	/* Constant data has a zero-width interval. */
	CHECK(stats_compute(c, 6, &st) == 0);
	CHECK(st.ci_lo == 2 && st.ci_hi == 2 && stats_precision(&st) == 0);
	/* Five samples: no CI, the range, named by a NAN coverage. */
	CHECK(stats_compute(x, 5, &st) == 0);
	CHECK(st.ci_lo == 0.98 && st.ci_hi == 1.02 && isnan(st.ci_coverage));
	CHECK(isinf(stats_precision(&st)));
	CHECK(stats_compute(x, 1, &st) == 0);
	CHECK(st.ci_lo == 1.0 && st.ci_hi == 1.0 && isnan(st.ci_coverage));
	CHECK(stats_compute(x, 0, &st) < 0);
	return 0;
}

static int speedup_ci(void)
{
	const double base[] = { 2.0, 2.1, 1.9, 2.0, 2.05, 2.0, 1.95, 2.02, 1.98, 2.01 };
	const double fast[] = { 1.0, 1.05, 0.95, 1.0, 1.02, 1.0, 0.98, 1.01, 0.99, 1.0 };
	double lo, hi, again_lo, again_hi;

	CHECK(stats_ratio_ci(base, 10, fast, 10, &lo, &hi) == 0);
	CHECK(lo <= 2.0 && 2.0 <= hi);
	CHECK(lo > 1.8 && hi < 2.2);
	/* A fixed seed: the same samples give the same interval. */
	CHECK(stats_ratio_ci(base, 10, fast, 10, &again_lo, &again_hi) == 0);
	CHECK(again_lo == lo && again_hi == hi);
	/* Fewer than 10 on either side: no interval. */
	CHECK(stats_ratio_ci(base, 9, fast, 10, &lo, &hi) < 0);
	CHECK(stats_ratio_ci(base, 10, fast, 5, &lo, &hi) < 0);
	return 0;
}

static int mann_whitney(void)
{
	const double a[] = { 1.0, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98, 1.01 };
	const double b[] = { 2.0, 2.1, 1.9, 2.05, 1.95, 2.02, 1.98, 2.01 };

	/* Completely separated samples of 8 and 8: U = 0, p well below 0.01. */
	CHECK(stats_mann_whitney_p(a, 8, b, 8) < 0.01);
	/* The same samples: no evidence of a difference. */
	CHECK(stats_mann_whitney_p(a, 8, a, 8) > 0.9);
	CHECK(stats_mann_whitney_p(a, 0, b, 8) == 1.0);
	return 0;
}

static const struct unit_test tests[] = {
	{ "median_odd", median_odd },
	{ "median_even", median_even },
	{ "quantiles", quantiles },
	{ "mad_and_outliers", mad_and_outliers },
	{ "moments", moments },
	{ "binomial_ranks", binomial_ranks },
	{ "median_ci", median_ci },
	{ "speedup_ci", speedup_ci },
	{ "mann_whitney", mann_whitney },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
