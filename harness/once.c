/*
 * once.c - `concbench once`: one sample of one cell, in this process, and
 * one line of output; exit 0 when it ran and computed what it should, 1
 * otherwise. It is the unit that hyperfine times, so it pays what a real
 * program pays: start-up, the fixture's start (the latency server), the
 * workload's setup, the run, teardown.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fixture.h"
#include "format.h"
#include "harness.h"
#include "result.h"
#include "runner.h"

/* Starts the workload's fixture when the cell needs one; its start time
 * goes into *seconds. Returns 0, or -1 with the reason in err. */
static int start_fixture(const struct run_request *req, struct fixture *fx, double *seconds,
			 char *err, size_t errlen)
{
	const struct workload *w = req->workload;
	double t0 = sample_now();

	*seconds = 0;
	if (!w->fixture || (w->fixture->needed && !w->fixture->needed(&req->wparams)))
		return 0;
	if (fixture_start(w, fx, err, errlen) < 0)
		return -1;
	*seconds = sample_now() - t0;
	return 0;
}

/* The one sample as the cell's record, checked against --expect-digest. */
static void once_record(struct record *r, const struct cell *cell, const struct sample_record *rec,
			int rc, const struct once_times *times, const uint64_t *want)
{
	struct cell_outcome o = { .status = rc < 0 ? CELL_FAILED : CELL_OK,
				  .samples = (struct sample_record *)rec, .nsamples = rc < 0 ? 0 : 1 };

	if (rc < 0)
		snprintf(o.error, sizeof(o.error), "%s", rec->error);
	record_init(r);
	/* With --expect-digest the reference is that digest, no strategy's:
	 * reference_strategy stays null. Without, the cell checks itself. */
	if (result_record(r, "once", cell, &o, want ? "" : cell->strategy->name, want) < 0)
		result_fail(r, "out of memory");
	r->whole = (struct whole_process){ .startup_s = NAN, .fixture_s = times->fixture_s,
					   .setup_s = times->setup_s, .prepare_s = rec->prepare_s,
					   .teardown_s = times->teardown_s };
}

static void print_human(const struct record *r, const struct sample_record *rec)
{
	char wall[32];

	printf("%s %s workers=%u tasks=%zu: ", r->id.workload, r->id.label, r->id.workers,
	       r->id.tasks);
	if (r->status != CELL_OK) {
		printf("failed: %s\n", r->error);
		return;
	}
	format_seconds(rec->wall_s, wall, sizeof(wall));
	printf("run %s (%.6f s), setup %.6f s, prepare %.6f s, teardown %.6f s, fixture start+stop "
	       "%.6f s, digest %s, ok\n", wall, rec->wall_s, r->whole.setup_s, r->whole.prepare_s,
	       r->whole.teardown_s, r->whole.fixture_s, r->digest);
}

int harness_cmd_once(const struct cmd_args *a)
{
	static struct run_request req;
	struct run_spec spec;
	const char *expect = cmd_get(a, "expect-digest");
	struct fixture fx = { 0 };
	struct sample_record rec = { 0 };
	struct once_times times = { 0 };
	struct record r;
	struct cell cell;
	uint64_t want = 0;
	double t0;
	char err[512];
	int rc;

	cli_spec_from_args(a, &spec);
	spec.repeat = "1";
	spec.warmup = "0";
	if (!spec.strategies || !spec.workers)
		cli_usage_error(spec.strategies ? "--workers" : "--strategy",
				"is required: once runs one strategy at one worker count");
	cli_resolve(&spec, &req);
	if (req.nstrategies != 1 || req.nworkers != 1)
		cli_usage_error(req.nstrategies != 1 ? "--strategy" : "--workers",
				"expected exactly one value: once runs one cell");
	if (expect && (strlen(expect) != 16 || strspn(expect, "0123456789abcdefABCDEF") != 16 ||
		       sscanf(expect, "%" SCNx64, &want) != 1))
		cli_usage_error("--expect-digest", "expected 16 hex digits, got '%s'", expect);

	if (req.workload->process_init)
		req.workload->process_init();
	runner_install_signal_handlers();
	cell = (struct cell){ .workload = req.workload, .strategy = req.strategies[0],
			      .runtime = req.runtime[0],
			      .workers = req.strategies[0]->fixed_workers ? req.strategies[0]->fixed_workers
									  : req.workers[0],
			      .ntasks = req.ntasks, .wparams = &req.wparams, .sparams = &req.sparams[0] };
	if (start_fixture(&req, &fx, &times.fixture_s, err, sizeof(err)) < 0) {
		snprintf(rec.error, sizeof(rec.error), "fixture: %.200s", err);
		rc = -1;
	} else {
		cell.fixture = fx.pid ? fx.ready : NULL;
		cell.fixture_pid = fx.pid;
		rc = runner_once(&cell, &rec, &times);
	}
	if (fx.pid) {
		t0 = sample_now();
		fixture_stop(&fx);
		times.fixture_s += sample_now() - t0;
	}
	once_record(&r, &cell, &rec, rc, &times, expect ? &want : NULL);
	if (cmd_has(a, "json")) {
		json_t *line = record_to_json(&r);

		json_dumpf(line, stdout, JSON_COMPACT | JSON_REAL_PRECISION(9));
		putchar('\n');
		json_decref(line);
	} else {
		print_human(&r, &rec);
	}
	rc = r.status == CELL_OK ? 0 : 1;
	record_free(&r);
	return rc;
}
