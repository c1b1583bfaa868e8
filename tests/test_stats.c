/*
 * test_stats.c - statistics against vectors worked out by hand.
 */
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

static int bootstrap_ci(void)
{
	const double x[] = { 1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.00, 1.02, 0.98 };
	const double c[] = { 2, 2, 2, 2 };
	struct stats st, again;

	CHECK(stats_compute(x, 10, &st) == 0);
	CHECK(st.ci_lo <= st.median && st.median <= st.ci_hi);
	CHECK(st.ci_lo >= st.min && st.ci_hi <= st.max);
	CHECK(st.ci_hi - st.ci_lo < st.max - st.min);
	/* A fixed seed: the same samples give the same interval. */
	CHECK(stats_compute(x, 10, &again) == 0);
	CHECK(again.ci_lo == st.ci_lo && again.ci_hi == st.ci_hi);
	/* Constant data has a zero-width interval. */
	CHECK(stats_compute(c, 4, &st) == 0);
	CHECK_NEAR(st.ci_lo, 2, 0);
	CHECK_NEAR(st.ci_hi, 2, 0);
	/* One sample: the interval is the sample. */
	CHECK(stats_compute(x, 1, &st) == 0);
	CHECK(st.ci_lo == 1.0 && st.ci_hi == 1.0);
	CHECK(stats_compute(x, 0, &st) < 0);
	return 0;
}

static int speedup_ci(void)
{
	const double base[] = { 2.0, 2.1, 1.9, 2.0, 2.05 };
	const double fast[] = { 1.0, 1.05, 0.95, 1.0, 1.02 };
	double lo, hi;

	CHECK(stats_ratio_ci(base, 5, fast, 5, &lo, &hi) == 0);
	CHECK(lo <= 2.0 && 2.0 <= hi);
	CHECK(lo > 1.7 && hi < 2.3);
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
	{ "bootstrap_ci", bootstrap_ci },
	{ "speedup_ci", speedup_ci },
	{ "mann_whitney", mann_whitney },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
