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

/* Fully separated samples of 3 and 3: 2 of the C(6, 3) = 20 splits are as
 * extreme, so p = 2/20 - the smallest p three samples a side can give. */
static int mann_whitney_exact_three(void)
{
	const double a[] = { 1.0, 1.1, 1.2 }, b[] = { 2.0, 2.1, 2.2 };
	struct stats_mann_whitney_result mw;

	CHECK(stats_mann_whitney_test(a, 3, b, 3, &mw) == 0);
	CHECK(mw.exact && !mw.ties);
	CHECK_NEAR(mw.u, 0, 0);
	CHECK_NEAR(mw.p, 0.1, 1e-15);
	CHECK_NEAR(mw.min_p, 0.1, 1e-15);
	CHECK(stats_mann_whitney_test(b, 3, a, 3, &mw) == 0);
	CHECK_NEAR(mw.u, 9, 0);
	CHECK_NEAR(mw.p, 0.1, 1e-15);
	return 0;
}

/* 10 and 10 fully separated: p = 2 / C(20, 10) = 2 / 184756. */
static int mann_whitney_exact_ten(void)
{
	double a[10], b[10];
	struct stats_mann_whitney_result mw;

	for (int i = 0; i < 10; i++) {
		a[i] = 1.0 + 0.01 * i;
		b[i] = 2.0 * a[i];
	}
	CHECK(stats_mann_whitney_test(a, 10, b, 10, &mw) == 0);
	CHECK(mw.exact);
	CHECK_NEAR(mw.p, 2.0 / 184756, 1e-18);
	CHECK_NEAR(mw.p, 1.0825e-5, 1e-9);
	CHECK_NEAR(stats_mann_whitney_p(b, 10, a, 10), 2.0 / 184756, 1e-18);
	return 0;
}

/*
 * na = 4, nb = 5, U = 2. U counts the partitions of U into at most 4 parts
 * of at most 5: U = 0, 1, 2 in 1, 1, 2 ways of C(9, 4) = 126, so
 * P(U <= 2) = 4/126 and p = 8/126 = 0.0635 (the published tables' value).
 */
static int mann_whitney_exact_table(void)
{
	const double a[] = { 1, 2, 3, 6.5 }, b[] = { 5, 6, 7, 8, 9 };
	struct stats_mann_whitney_result mw;

	CHECK(stats_mann_whitney_test(a, 4, b, 5, &mw) == 0);
	CHECK(mw.exact && !mw.ties);
	CHECK_NEAR(mw.u, 2, 0);
	CHECK_NEAR(mw.p, 8.0 / 126, 1e-15);
	CHECK_NEAR(mw.min_p, 2.0 / 126, 1e-15);
	return 0;
}

/*
 * The two-sided p by brute force: every choice of na of the pooled values
 * for a, with mid-ranks, counted against the observed rank sum.
 */
static double enumerated_p(const double *pool, size_t na, size_t n)
{
	double rank[16], w = 0, lo = 0, hi = 0, total = 0;

	for (size_t i = 0; i < n; i++) {
		double less = 0, equal = 0;

		for (size_t j = 0; j < n; j++) {
			less += pool[j] < pool[i];
			equal += pool[j] == pool[i];
		}
		rank[i] = less + (equal + 1) / 2;
	}
	for (size_t i = 0; i < na; i++)
		w += rank[i];
	for (unsigned mask = 0; mask < 1u << n; mask++) {
		double s = 0;

		if ((size_t)__builtin_popcount(mask) != na)
			continue;
		for (size_t i = 0; i < n; i++)
			if (mask & 1u << i)
				s += rank[i];
		total++;
		lo += s <= w + 1e-9;
		hi += s >= w - 1e-9;
	}
	return fmin(1.0, 2 * fmin(lo, hi) / total);
}

/* Every size up to 6 a side, values drawn from 3 (many ties) or 1000. */
static int mann_whitney_matches_enumeration(void)
{
	unsigned long long seed = 12345;

	for (size_t na = 1; na <= 6; na++) {
		for (size_t nb = 1; nb <= 6; nb++) {
			for (int trial = 0; trial < 20; trial++) {
				double pool[12];
				struct stats_mann_whitney_result mw;
				unsigned range = trial % 2 ? 3 : 1000;

				for (size_t i = 0; i < na + nb; i++) {
					seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
					pool[i] = (double)((seed >> 33) % range) + (i >= na && trial % 4 == 0);
				}
				CHECK(stats_mann_whitney_test(pool, na, pool + na, nb, &mw) == 0);
				CHECK(mw.exact);
				CHECK_NEAR(mw.p, enumerated_p(pool, na, na + nb), 1e-12);
			}
		}
	}
	return 0;
}

static int mann_whitney_min_p(void)
{
	CHECK_NEAR(stats_mann_whitney_min_p(3, 3), 0.1, 1e-15);
	CHECK_NEAR(stats_mann_whitney_min_p(4, 4), 2.0 / 70, 1e-15);
	CHECK_NEAR(stats_mann_whitney_min_p(10, 10), 2.0 / 184756, 1e-18);
	CHECK_NEAR(stats_mann_whitney_min_p(2, 3), 0.2, 1e-15);
	CHECK_NEAR(stats_mann_whitney_min_p(1, 1), 1, 0);
	CHECK_NEAR(stats_mann_whitney_min_p(0, 5), 1, 0);
	/* Past the exact range: the approximation's p at U = 0. */
	CHECK(stats_mann_whitney_min_p(60, 60) < 1e-15);
	return 0;
}

/* Ties: mid-ranks, and the exact test given them; nothing to see when
 * every value is the same. */
static int mann_whitney_ties(void)
{
	const double same[] = { 1, 1, 1, 1 };
	const double a[] = { 1, 1, 2 }, b[] = { 2, 3, 3 };
	struct stats_mann_whitney_result mw;

	CHECK(stats_mann_whitney_test(same, 4, same, 3, &mw) == 0);
	CHECK(mw.exact && mw.ties);
	CHECK_NEAR(mw.p, 1, 0);
	/* Mid-ranks 1.5 1.5 3.5 | 3.5 5.5 5.5: U = 0.5, and 2 of the 20 splits
	 * have a rank sum as low (1.5+1.5+3.5 twice, the 3.5s swapped). */
	CHECK(stats_mann_whitney_test(a, 3, b, 3, &mw) == 0);
	CHECK(mw.ties);
	CHECK_NEAR(mw.u, 0.5, 0);
	CHECK_NEAR(mw.p, 0.2, 1e-15);
	CHECK_NEAR(mw.min_p, 0.1, 1e-15);
	return 0;
}

/* Beyond the exact range: the normal approximation. */
static int mann_whitney_large_normal(void)
{
	double a[60], b[60];
	struct stats_mann_whitney_result mw;

	for (int i = 0; i < 60; i++) {
		a[i] = 1.0 + 0.001 * i;
		b[i] = a[i] + 0.0305; /* shifted by half the range: they overlap */
	}
	CHECK(stats_mann_whitney_test(a, 60, b, 60, &mw) == 0);
	CHECK(!mw.exact);
	CHECK(mw.p > 0 && mw.p < 1e-6);
	CHECK(stats_mann_whitney_test(a, 50, b, 50, &mw) == 0);
	CHECK(mw.exact);
	CHECK(stats_mann_whitney_test(a, 0, b, 50, &mw) < 0);
	CHECK_NEAR(mw.p, 1, 0);
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
	{ "mann_whitney_exact_three", mann_whitney_exact_three },
	{ "mann_whitney_exact_ten", mann_whitney_exact_ten },
	{ "mann_whitney_exact_table", mann_whitney_exact_table },
	{ "mann_whitney_matches_enumeration", mann_whitney_matches_enumeration },
	{ "mann_whitney_min_p", mann_whitney_min_p },
	{ "mann_whitney_ties", mann_whitney_ties },
	{ "mann_whitney_large_normal", mann_whitney_large_normal },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
