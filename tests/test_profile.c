/*
 * test_profile.c - profile parsing and matrix expansion.
 */
#include <unistd.h>

#include "profile.h"
#include "run.h"
#include "unit.h"

static int builtin_profiles_parse(void)
{
	struct profile p;
	struct run_request req;

	CHECK(profile_builtin("quick") != NULL);
	CHECK(profile_builtin("full") != NULL);
	CHECK(profile_builtin("nope") == NULL);
	CHECK(profile_builtin("map") != NULL);
	profile_parse("quick", profile_builtin("quick"), &p);
	CHECK(p.n >= 4);
	for (size_t i = 0; i < p.n; i++) {
		cli_resolve(&p.lines[i].spec, &req); /* exits 2 on a bad line */
		CHECK(run_count_cells(&req, NULL) >= 1);
	}
	profile_free(&p);
	profile_parse("full", profile_builtin("full"), &p);
	CHECK(p.n >= 4);
	for (size_t i = 0; i < p.n; i++)
		cli_resolve(&p.lines[i].spec, &req);
	profile_free(&p);
	/* The map: one workload at eleven shares, then CPython's at six (the
	 * GIL map), each at two worker counts. */
	profile_parse("map", profile_builtin("map"), &p);
	CHECK(p.n == 17);
	for (size_t i = 0; i < p.n; i++) {
		cli_resolve(&p.lines[i].spec, &req);
		CHECK(req.nworkers == 2);
	}
	profile_free(&p);
	return 0;
}

static int lines_and_defaults(void)
{
	static const char text[] =
		"# a comment\n"
		"repeat 4\n"
		"warmup 2\n"
		"\n"
		"io.sleep tasks=30 latency_ms=7 workers=2,8 strategies=serial,threads  # trailing\n"
		"repeat 9\n"
		"cpu.noop tasks=100 workers=scan repeat=3 reference=threads strategies=threads,openmp\n";
	struct profile p;
	struct run_request req;
	unsigned cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);

	profile_parse("test", text, &p);
	CHECK(p.n == 2);
	CHECK(strcmp(p.lines[0].spec.workload, "io.sleep") == 0);
	CHECK(strcmp(p.lines[0].spec.repeat, "4") == 0 && strcmp(p.lines[0].spec.warmup, "2") == 0);
	CHECK(p.lines[0].spec.nparams == 1 && strcmp(p.lines[0].spec.params[0], "latency_ms=7") == 0);
	CHECK(strcmp(p.lines[0].where, "profile 'test' line 5") == 0);
	cli_resolve(&p.lines[0].spec, &req);
	CHECK(req.ntasks == 30 && req.opt.repeat == 4 && req.opt.warmup == 2);
	CHECK(req.wparams.ival[0] == 7);
	CHECK(req.nworkers == 2 && req.workers[0] == 2 && req.workers[1] == 8);
	/* serial once, threads at 2 and 8 */
	CHECK(run_count_cells(&req, NULL) == 3);

	/* A key on the line wins over the setting above it. */
	CHECK(strcmp(p.lines[1].spec.repeat, "3") == 0);
	cli_resolve(&p.lines[1].spec, &req);
	CHECK(req.opt.repeat == 3 && req.reference == strategy_find("threads"));
	/* scan: 1, 2, 4, ... up to twice the cores */
	CHECK(req.workers[0] == 1);
	for (size_t k = 0; k < req.nworkers; k++)
		CHECK(req.workers[k] >= 1 && req.workers[k] <= 2 * cores);
	CHECK(run_count_cells(&req, NULL) == 2 * req.nworkers);
	profile_free(&p);
	return 0;
}

static int resume_skips_done_cells(void)
{
	static const char text[] = "cpu.noop tasks=10 workers=1,2 strategies=serial,threads\n";
	struct profile p;
	struct run_request req;
	struct record_set done = { 0 };
	struct record r;
	json_t *line = json_loads("{\"workload\":\"cpu.noop\",\"kind\":\"cpu\",\"strategy\":\"threads\","
				  "\"workers\":2,\"tasks\":10,\"params\":{},"
				  "\"strategy_params\":{\"stack_kb\":0,\"schedule\":\"dynamic\",\"chunk\":0,\"spawn\":\"pool\"},\"status\":\"ok\"}", 0, NULL);

	profile_parse("resume", text, &p);
	cli_resolve(&p.lines[0].spec, &req);
	CHECK(run_count_cells(&req, NULL) == 3);
	/* A stored threads/2 cell of the same experiment is not run again... */
	CHECK(line && record_from_json(line, &r) == 0);
	json_decref(line);
	CHECK(records_add(&done, &r) == 0);
	CHECK(run_count_cells(&req, &done) == 2);
	/* ...but one of another task count is another experiment. */
	done.r[0].id.tasks = 11;
	CHECK(run_count_cells(&req, &done) == 3);
	records_free(&done);
	profile_free(&p);
	return 0;
}

static const struct unit_test tests[] = {
	{ "builtin_profiles_parse", builtin_profiles_parse },
	{ "lines_and_defaults", lines_and_defaults },
	{ "resume_skips_done_cells", resume_skips_done_cells },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
