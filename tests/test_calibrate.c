/*
 * test_calibrate.c - calibrate's interval and its cache, without timing
 * anything. The module's helpers are static, so this file includes
 * calibrate.c itself and links in place of the library's copy.
 */
#include "calibrate.c"

#include <stdlib.h>

#include "unit.h"

/* Ranks 1..n as values, so the interval's ends are its ranks. */
static int ci_of_ranks(size_t n, double *lo, double *hi, double *coverage)
{
	double x[64], median;

	for (size_t i = 0; i < n; i++)
		x[i] = (double)(i + 1);
	return calib_median_ci(x, n, &median, lo, hi, coverage);
}

/* 1 - 2 P(B(6, 1/2) = 0) = 1 - 2/64. */
static int median_ci_n6(void)
{
	double lo, hi, cov;

	CHECK(ci_of_ranks(6, &lo, &hi, &cov) == 0);
	CHECK_NEAR(lo, 1, 0);
	CHECK_NEAR(hi, 6, 0);
	CHECK_NEAR(cov, 0.96875, 1e-12);
	return 0;
}

/* j = 2: 1 - 2 (1 + 10)/1024; j = 3 would cover 1 - 2 * 56/1024 = 0.89. */
static int median_ci_n10(void)
{
	double lo, hi, cov;

	CHECK(ci_of_ranks(10, &lo, &hi, &cov) == 0);
	CHECK_NEAR(lo, 2, 0);
	CHECK_NEAR(hi, 9, 0);
	CHECK_NEAR(cov, 0.978515625, 1e-12);
	return 0;
}

/* j = 6: 1 - 2 (1 + 20 + 190 + 1140 + 4845 + 15504)/2^20 = 0.9586105... */
static int median_ci_n20(void)
{
	double lo, hi, cov;

	CHECK(ci_of_ranks(20, &lo, &hi, &cov) == 0);
	CHECK_NEAR(lo, 6, 0);
	CHECK_NEAR(hi, 15, 0);
	CHECK_NEAR(cov, 1 - 2 * 21700.0 / 1048576, 1e-12);
	CHECK_NEAR(cov, 0.9586105, 1e-7);
	return 0;
}

/* (x_(1), x_(5)) covers 1 - 2/32 = 0.9375: no 95% interval. */
static int median_ci_n5_none(void)
{
	double lo, hi, cov;

	CHECK(ci_of_ranks(5, &lo, &hi, &cov) == -1);
	CHECK(ci_of_ranks(0, &lo, &hi, &cov) == -1);
	return 0;
}

static int median_odd_even(void)
{
	const double odd[] = { 1, 2, 3, 4, 10, 11, 12 }, even[] = { 1, 2, 3, 5, 6, 7 };
	double median, lo, hi, cov;

	CHECK(calib_median_ci(odd, 7, &median, &lo, &hi, &cov) == 0);
	CHECK_NEAR(median, 4, 0);
	CHECK(calib_median_ci(even, 6, &median, &lo, &hi, &cov) == 0);
	CHECK_NEAR(median, 4, 0);
	return 0;
}

/* A whole calibration document with made-up figures for key. */
static json_t *fake_doc(json_t *key)
{
	json_t *items = json_array();

	for (size_t i = 0; i < NPROBES; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:i}",
						       "name", probes[i].name, "unit", "s",
						       "median", 1e-6, "ci_lo", 1e-6, "ci_hi", 2e-6,
						       "coverage", 0.97, "n", 21));
	return json_pack("{s:i, s:o, s:s, s:o}", "schema", CALIBRATION_SCHEMA, "key", key,
			 "measured_at", "2026-01-01T00:00:00Z", "items", items);
}

/* A fresh cache folder of our own: $XDG_CACHE_HOME=TMP/cache. */
static bool fresh_cache(char *root, size_t len)
{
	snprintf(root, len, "/tmp/concbench-test-calibrate.XXXXXX");
	if (!mkdtemp(root))
		return false;
	{
		char xdg[PATH_MAX + 16];

		snprintf(xdg, sizeof(xdg), "%s/cache", root);
		setenv("XDG_CACHE_HOME", xdg, 1);
	}
	return true;
}

static void remove_tree(const char *root)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

/* The cache holds for this binary: calibration_ensure copies it, measuring
 * nothing. */
static int ensure_reuses_cache(void)
{
	char root[PATH_MAX], err[256], path[PATH_MAX + 32];
	json_t *doc, *got;
	bool reused = false;
	int rc = 1;

	CHECK(fresh_cache(root, sizeof(root)));
	doc = fake_doc(calib_key());
	CHECK(doc && json_object_get(doc, "key") && doc_complete(doc));
	cache_store(doc);
	if (calibration_ensure(root, &reused, err, sizeof(err)) != 0 || !reused) {
		fprintf(stderr, "ensure: reused=%d %s\n", reused, err);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", root, CALIBRATION_FILE);
	got = json_load_file(path, 0, NULL);
	if (!got || !json_equal(json_object_get(got, "items"), json_object_get(doc, "items")) ||
	    json_object_get(got, "reused") != json_true())
		fprintf(stderr, "%s is not the cached calibration\n", path);
	else
		rc = 0;
	json_decref(got);
out:
	json_decref(doc);
	remove_tree(root);
	return rc;
}

/* Another boot's, a broken one, a failed probe's: none is used. */
static int cache_refused_unless_it_holds(void)
{
	char root[PATH_MAX];
	json_t *key = calib_key(), *doc, *got;
	int rc = 0;

	CHECK(key && fresh_cache(root, sizeof(root)));
	doc = fake_doc(json_deep_copy(key));
	json_object_set_new(json_object_get(doc, "key"), "boot_id", json_string("another boot"));
	cache_store(doc);
	got = cache_load(key);
	rc |= got != NULL;
	json_decref(got);
	json_decref(doc);

	doc = fake_doc(json_deep_copy(key));
	json_object_set_new(json_array_get(json_object_get(doc, "items"), 3), "error",
			    json_string("a probe failed"));
	rc |= doc_complete(doc);
	json_decref(doc);

	doc = fake_doc(json_deep_copy(key));
	json_array_remove(json_object_get(doc, "items"), 0);
	rc |= doc_complete(doc);
	json_decref(doc);

	doc = fake_doc(json_deep_copy(key));
	cache_store(doc);
	got = cache_load(key);
	rc |= got == NULL; /* and the right one is */
	json_decref(got);
	json_decref(doc);
	json_decref(key);
	remove_tree(root);
	CHECK(rc == 0);
	return 0;
}

static const struct unit_test tests[] = {
	{ "median_ci_n6", median_ci_n6 },
	{ "median_ci_n10", median_ci_n10 },
	{ "median_ci_n20", median_ci_n20 },
	{ "median_ci_n5_none", median_ci_n5_none },
	{ "median_odd_even", median_odd_even },
	{ "ensure_reuses_cache", ensure_reuses_cache },
	{ "cache_refused_unless_it_holds", cache_refused_unless_it_holds },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
