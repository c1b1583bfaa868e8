/*
 * test_calibrate.c - calibrate's cache, without timing
 * anything. The module's helpers are static, so this file includes
 * calibrate.c itself and links in place of the library's copy.
 */
#include "calibrate.c"

#include <stdlib.h>

#include "unit.h"

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
	{ "ensure_reuses_cache", ensure_reuses_cache },
	{ "cache_refused_unless_it_holds", cache_refused_unless_it_holds },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
