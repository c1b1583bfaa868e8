/*
 * unit.h - a minimal table-driven unit test runner. Each test binary holds
 * a table of named tests; ctest registers every name on its own, so a
 * failure names itself (`test_stats median_even`).
 */
#ifndef CONCBENCH_UNIT_H
#define CONCBENCH_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	int (*fn)(void);
};

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                                     \
		}                                                                     \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                         \
	do {                                                                          \
		double a_ = (a), b_ = (b);                                            \
		if (!(fabs(a_ - b_) <= (eps))) {                                      \
			fprintf(stderr, "%s:%d: %s = %.12g, expected %.12g (+-%g)\n",  \
				__FILE__, __LINE__, #a, a_, b_, (double)(eps));       \
			return 1;                                                     \
		}                                                                     \
	} while (0)

/* Runs the test named argv[1], or every test when none is named. */
static inline int unit_main(const struct unit_test *tests, int argc, char **argv)
{
	int failed = 0, ran = 0;

	for (size_t i = 0; tests[i].name; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
			continue;
		ran++;
		if (tests[i].fn() != 0) {
			fprintf(stderr, "FAIL %s\n", tests[i].name);
			failed++;
		}
	}
	if (ran == 0) {
		fprintf(stderr, "no test named '%s'\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	return failed ? 1 : 0;
}

#endif
