/*
 * test_runner.c - the runner's helpers that need no cell: the latency
 * sort. runner.c's helpers are static, so this file includes it and links
 * in place of the library's copy.
 */
#include "runner.c"

#include "unit.h"

static int ascending(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i - 1] > x[i])
			return 0;
	return 1;
}

/* The radix path (n >= RADIX_MIN) sorts exactly as qsort does: ties,
 * zeros, values across many binary exponents. */
static int latency_sort_matches_qsort(void)
{
	const size_t sizes[] = { 10, RADIX_MIN - 1, RADIX_MIN, 200000 };
	uint64_t state = 42;

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));

		CHECK(a && b);
		for (size_t i = 0; i < n; i++) {
			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			/* 1 ns to 1000 s, a tenth of them repeated, some exact zeros */
			a[i] = i > 0 && i % 10 == 0 ? a[i / 2] : i % 97 == 0 ? 0
				: 1e-9 * pow(1e12, (double)(state >> 11) / 9007199254740992.0);
			b[i] = a[i];
		}
		sort_latencies(a, n);
		qsort(b, n, sizeof(*b), cmp_double);
		CHECK(ascending(a, n));
		CHECK(memcmp(a, b, n * sizeof(*a)) == 0);
		free(a);
		free(b);
	}
	return 0;
}

static const struct unit_test tests[] = {
	{ "latency_sort_matches_qsort", latency_sort_matches_qsort },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
