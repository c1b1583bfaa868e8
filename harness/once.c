/*
 * once.c - `concbench once`: one sample of one cell, in this process, and
 * one line of output; exit 0 when it ran and computed what it should, 1
 * otherwise. It is the unit that hyperfine times, so it pays what a real
 * program pays: start-up, the fixture's start (the latency server), the
 * workload's setup, the run, teardown.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fixture.h"
#include "harness.h"
#include "report.h"
#include "runner.h"
#include "concbench/sample.h"

static bool is_flag(const char *arg, const char *flag)
{
	return !strcmp(arg, flag);
}

int harness_cmd_once(int argc, char **argv)
{
	static struct run_request req;
	struct run_spec spec = { .repeat = "1", .warmup = "0" };
	const char *expect = NULL;
	struct fixture fx = { 0 };
	struct sample_record rec;
	struct once_times times = { 0 };
	struct cell cell;
	uint64_t want = 0;
	double t0, fixture_s = 0;
	char err[512], wall[32];
	int rc;

	for (int i = 2; i < argc; i++) {
		const char **slot = NULL, *flag = argv[i];

		if (is_flag(flag, "--workload"))
			slot = &spec.workload;
		else if (is_flag(flag, "--strategy"))
			slot = &spec.strategies;
		else if (is_flag(flag, "--workers"))
			slot = &spec.workers;
		else if (is_flag(flag, "--tasks"))
			slot = &spec.tasks;
		else if (is_flag(flag, "--expect-digest"))
			slot = &expect;
		else if (is_flag(flag, "--param") && spec.nparams < CLI_MAX_PARAMS)
			slot = &spec.params[spec.nparams++];
		else
			cli_usage_error(flag, "unknown option for 'once'; accepted: --workload, --strategy, "
					      "--workers, --tasks, --param, --expect-digest");
		if (i + 1 >= argc)
			cli_usage_error(flag, "needs a value");
		*slot = argv[++i];
	}
	if (!spec.strategies || !spec.workers)
		cli_usage_error(spec.strategies ? "--workers" : "--strategy",
				"is required: once runs one strategy at one worker count");
	cli_resolve(&spec, &req);
	if (req.nstrategies != 1 || req.nworkers != 1)
		cli_usage_error(req.nstrategies != 1 ? "--strategy" : "--workers",
				"expected exactly one value: once runs one cell");
	if (expect && sscanf(expect, "%" SCNx64, &want) != 1)
		cli_usage_error("--expect-digest", "expected 16 hex digits, got '%s'", expect);

	if (req.workload->process_init)
		req.workload->process_init();
	runner_install_signal_handlers();
	t0 = sample_now();
	if (req.workload->fixture &&
	    (!req.workload->fixture->needed || req.workload->fixture->needed(&req.wparams))) {
		if (fixture_start(req.workload, &fx, err, sizeof(err)) < 0) {
			printf("%s %s workers=%u: failed: fixture: %s\n", req.workload->name,
			       req.strategies[0]->name, req.workers[0], err);
			return 1;
		}
		fixture_s = sample_now() - t0;
	}
	cell = (struct cell){ .workload = req.workload, .strategy = req.strategies[0],
			      .workers = req.strategies[0]->fixed_workers ? req.strategies[0]->fixed_workers
									  : req.workers[0],
			      .ntasks = req.ntasks, .wparams = &req.wparams, .sparams = &req.sparams[0],
			      .fixture = fx.pid ? fx.ready : NULL, .fixture_pid = fx.pid };
	rc = runner_once(&cell, &rec, &times);
	if (fx.pid) {
		t0 = sample_now();
		fixture_stop(&fx);
		fixture_s += sample_now() - t0;
	}

	report_format_seconds(rec.wall_s, wall, sizeof(wall));
	if (rc < 0) {
		printf("%s %s workers=%u tasks=%zu: failed: %s\n", cell.workload->name,
		       cell.strategy->name, cell.workers, cell.ntasks, rec.error);
		return 1;
	}
	if (expect && rec.digest != want) {
		printf("%s %s workers=%u tasks=%zu: failed: digest %016" PRIx64 ", expected %016" PRIx64
		       "\n", cell.workload->name, cell.strategy->name, cell.workers, cell.ntasks,
		       rec.digest, want);
		return 1;
	}
	printf("%s %s workers=%u tasks=%zu: run %s (%.6f s), setup %.6f s, prepare %.6f s, "
	       "teardown %.6f s, fixture start+stop %.6f s, digest %016" PRIx64 ", ok\n",
	       cell.workload->name, cell.strategy->name, cell.workers, cell.ntasks, wall, rec.wall_s,
	       times.setup_s, rec.prepare_s, times.teardown_s, fixture_s, rec.digest);
	return 0;
}
