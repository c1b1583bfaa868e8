/*
 * test_hyperfine.c - parsing real hyperfine exports (tests/fixtures/
 * hyperfine/good.json came from `concbench hyperfine` on cpu.image), and
 * truncated or malformed ones. Usage: test_hyperfine FIXTURES_DIR TEST
 */
#include <limits.h>

#include "hyperfine.h"
#include "unit.h"

static const char *dir;

static void fixture(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int good_file(void)
{
	char path[PATH_MAX], err[512];
	struct hf_result *r;
	size_t n;

	fixture("good.json", path, sizeof(path));
	CHECK(hyperfine_parse(path, 5, &r, &n, err, sizeof(err)) == 0);
	CHECK(n == 4);
	CHECK(strcmp(r[0].strategy, "threads") == 0 && r[0].workers == 2);
	CHECK(strcmp(r[3].strategy, "openmp") == 0);
	for (size_t i = 0; i < n; i++) {
		CHECK(r[i].ntimes == 5);
		for (size_t k = 0; k < r[i].ntimes; k++)
			CHECK(r[i].times[k] > 0.05 && r[i].times[k] < 5);
		CHECK(r[i].user_s > 0);
		CHECK(strstr(r[i].command, " once --workload cpu.image ") != NULL);
	}
	hyperfine_free(r, n);
	/* The wrong number of runs is a mismatch, not a silent truncation. */
	CHECK(hyperfine_parse(path, 7, &r, &n, err, sizeof(err)) < 0);
	CHECK(strstr(err, "results[0].times: expected an array of 7 run times") != NULL);
	return 0;
}

static int truncated_file(void)
{
	char path[PATH_MAX], err[512];
	struct hf_result *r = (void *)1;
	size_t n = 9;

	fixture("truncated.json", path, sizeof(path));
	CHECK(hyperfine_parse(path, 5, &r, &n, err, sizeof(err)) < 0);
	CHECK(r == NULL && n == 0);
	CHECK(strstr(err, "is not valid JSON") != NULL && strstr(err, "truncated") != NULL);
	return 0;
}

static int malformed_files(void)
{
	char path[PATH_MAX], err[512];
	struct hf_result *r;
	size_t n;

	fixture("malformed.json", path, sizeof(path));
	CHECK(hyperfine_parse(path, 5, &r, &n, err, sizeof(err)) < 0);
	CHECK(strstr(err, "results[1].times") != NULL);
	fixture("no-parameters.json", path, sizeof(path));
	CHECK(hyperfine_parse(path, 5, &r, &n, err, sizeof(err)) < 0);
	CHECK(strstr(err, "results[0].parameters") != NULL);
	fixture("failed-run.json", path, sizeof(path));
	CHECK(hyperfine_parse(path, 5, &r, &n, err, sizeof(err)) < 0);
	CHECK(strstr(err, "results[2]: run 2 exited with status 1") != NULL);
	fixture("missing.json", path, sizeof(path));
	CHECK(hyperfine_parse(path, 5, &r, &n, err, sizeof(err)) < 0);
	return 0;
}

static const struct unit_test tests[] = {
	{ "good_file", good_file },
	{ "truncated_file", truncated_file },
	{ "malformed_files", malformed_files },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_hyperfine FIXTURES_DIR TEST\n");
		return 2;
	}
	dir = argv[1];
	return unit_main(tests, argc - 1, argv + 1);
}
