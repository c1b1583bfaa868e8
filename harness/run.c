/*
 * run.c - `concbench run`: plan the cells, run each through the runner,
 * check digests against serial, store every cell as it ends, print the
 * tables. Data flows one way: plan -> runner -> result -> store -> report.
 */
#include "harness.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "env.h"
#include "fixture.h"
#include "report.h"
#include "result.h"
#include "store.h"

/*
 * Claims results/<UTC date-time> (with a suffix if taken) with mkdir, so
 * two runs started in the same second never share a folder. Returns 0 or
 * -1 with the reason in err.
 */
/* The run id of an --out folder: its last path component. */
static void run_id_from_path(const char *path, char *id, size_t len)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	snprintf(id, len, "%.*s", (int)(end - start < len - 1 ? end - start : len - 1), path + start);
}

/*
 * Claims results/<UTC date-time> (with a suffix if taken) with mkdir, so
 * two runs started in the same second never share a folder. Returns 0 or
 * -1 with the reason in err.
 */
static int claim_run_dir(char *id, size_t idlen, char *dir, size_t dirlen, char *err, size_t errlen)
{
	time_t now = time(NULL);
	struct tm tm;
	char base[64];

	gmtime_r(&now, &tm);
	strftime(base, sizeof(base), "%Y%m%d-%H%M%S", &tm);
	if (mkdir("results", 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create 'results': %s", strerror(errno));
		return -1;
	}
	for (int k = 1; k < 10000; k++) {
		if (k == 1)
			snprintf(id, idlen, "%s", base);
		else
			snprintf(id, idlen, "%s-%d", base, k);
		snprintf(dir, dirlen, "results/%s", id);
		if (mkdir(dir, 0777) == 0)
			return 0;
		if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create '%.200s': %s", dir, strerror(errno));
			return -1;
		}
	}
	snprintf(err, errlen, "no free run folder under results/ for %s", base);
	return -1;
}

/* Cells in run order: the reference strategy first, so its digest is known
 * before anything is checked against it. */
static size_t plan_cells(const struct run_request *req, struct cell *cells, size_t max)
{
	const struct strategy *ref = req->reference;
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t s = 0; s < req->nstrategies; s++) {
			const struct strategy *st = req->strategies[s];

			if ((pass == 0) != (st == ref))
				continue;
			for (size_t k = 0; k < (st->fixed_workers ? 1 : req->nworkers) && n < max; k++)
				cells[n++] = (struct cell){
					.workload = req->workload, .strategy = st,
					.workers = st->fixed_workers ? st->fixed_workers : req->workers[k],
					.ntasks = req->ntasks, .wparams = &req->wparams,
					.sparams = &req->sparams[s],
				};
		}
	}
	return n;
}

static bool reference_requested(const struct run_request *req)
{
	for (size_t s = 0; s < req->nstrategies; s++)
		if (req->strategies[s] == req->reference)
			return true;
	return false;
}

/* Runs the reference strategy once, unrecorded, for its digest alone. */
static bool compute_reference(const struct run_request *req, const char *fixture,
			      int fixture_pid, uint64_t *digest)
{
	const struct strategy *ref = req->reference;
	struct param_values refparams;
	struct run_options opt = { .repeat = 1, .warmup = 0, .timeout_s = req->opt.timeout_s };
	struct cell cell = { .workload = req->workload, .strategy = ref, .workers = 1,
			     .ntasks = req->ntasks, .wparams = &req->wparams, .sparams = &refparams,
			     .fixture = fixture, .fixture_pid = fixture_pid };
	struct cell_outcome out;
	bool ok;

	param_defaults(ref->params, &refparams);
	fprintf(stderr, "concbench: %s is not in --strategy; running it once for the reference digest\n",
		ref->name);
	runner_run_cell(&cell, &opt, &out);
	ok = out.status == CELL_OK && out.nsamples == 1;
	if (ok)
		*digest = out.samples[0].digest;
	else
		fprintf(stderr, "concbench: the reference run failed: %s\n", out.error);
	cell_outcome_free(&out);
	return ok;
}

int harness_cmd_run(int argc, char **argv)
{
	static struct run_request req;
	char run_id[96], dir[PATH_MAX], err[512];
	struct cell *cells;
	struct cell_result *results;
	const struct cell_result *serial_result = NULL;
	struct fixture fx = { 0 };
	char fixture_error[sizeof(((struct cell_outcome *)0)->error)] = "";
	uint64_t ref_digest = 0;
	bool have_ref = false;
	size_t ncells, failed = 0;
	bool io_failed = false; /* a result file could not be written */
	json_t *env;

	cli_parse_run(argc, argv, &req);
	if (req.out_dir[0]) {
		snprintf(dir, sizeof(dir), "%s", req.out_dir);
		run_id_from_path(req.out_dir, run_id, sizeof(run_id));
		if (store_prepare_dir(dir, err, sizeof(err)) < 0)
			cli_usage_error("--out", "%s", err);
	} else if (claim_run_dir(run_id, sizeof(run_id), dir, sizeof(dir), err, sizeof(err)) < 0 ||
		   store_prepare_dir(dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s (use --out DIR to write elsewhere)\n", err);
		return 1;
	}

	cells = calloc(CLI_MAX_STRATEGIES * CLI_MAX_WORKERS, sizeof(*cells));
	results = calloc(CLI_MAX_STRATEGIES * CLI_MAX_WORKERS, sizeof(*results));
	if (!cells || !results) {
		fprintf(stderr, "concbench: out of memory\n");
		return 1;
	}
	ncells = plan_cells(&req, cells, CLI_MAX_STRATEGIES * CLI_MAX_WORKERS);

	env = env_capture(run_id, argc, argv);
	if (store_write_json(dir, "env.json", env, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		io_failed = true;
	}
	json_decref(env);

	runner_install_signal_handlers();
	if (req.workload->fixture &&
	    (!req.workload->fixture->needed || req.workload->fixture->needed(&req.wparams))) {
		if (fixture_start(req.workload, &fx, err, sizeof(err)) < 0)
			snprintf(fixture_error, sizeof(fixture_error), "fixture: %.280s", err);
		else
			fprintf(stderr, "concbench: fixture ready: %s (pid %d)\n", fx.ready, fx.pid);
	}
	for (size_t i = 0; i < ncells; i++) {
		cells[i].fixture = fx.pid ? fx.ready : NULL;
		cells[i].fixture_pid = fx.pid;
	}
	if (!fixture_error[0] && !reference_requested(&req))
		have_ref = compute_reference(&req, fx.pid ? fx.ready : NULL, fx.pid, &ref_digest);

	for (size_t i = 0; i < ncells; i++) {
		struct cell_result *r = &results[i];
		/* The reference strategy's first cell sets the digest. */
		bool is_ref = !have_ref && cells[i].strategy == req.reference;
		char med[32];
		json_t *line;

		r->cell = cells[i];
		r->reference_strategy = req.reference->name;
		fprintf(stderr, "[%zu/%zu] %s %s workers=%u tasks=%zu ...\n", i + 1, ncells,
			cells[i].workload->name, cells[i].strategy->name, cells[i].workers,
			cells[i].ntasks);
		if (!fixture_error[0] && fx.pid && !fixture_alive(&fx, err, sizeof(err)))
			snprintf(fixture_error, sizeof(fixture_error), "fixture: 'concbench %.20s' %.200s",
				 req.workload->fixture->argv[0], err);
		if (fixture_error[0]) {
			/* Nothing this cell could measure would mean anything. */
			r->outcome.status = CELL_FAILED;
			snprintf(r->outcome.error, sizeof(r->outcome.error), "%s", fixture_error);
		} else {
			runner_run_cell(&cells[i], &req.opt, &r->outcome);
		}
		/* The reference checks its samples against each other; the rest
		 * against it. No reference digest means nothing can pass. */
		if (is_ref) {
			result_derive(r, NULL);
			if (r->status == CELL_OK) {
				ref_digest = r->digest;
				have_ref = true;
			}
		} else {
			result_derive(r, have_ref ? &ref_digest : NULL);
			if (!have_ref && r->status == CELL_OK) {
				r->status = CELL_FAILED;
				r->digest_ok = false;
				snprintf(r->error, sizeof(r->error),
					 "no reference digest: %s failed, so nothing can be checked",
					 req.reference->name);
			}
		}
		/* Speedups are always over serial, whichever strategy is the
		 * digest reference. */
		if (!serial_result && cells[i].strategy == strategy_reference() && r->status == CELL_OK)
			serial_result = r;
		result_speedup(r, serial_result);
		if (r->status != CELL_OK)
			failed++;
		report_format_seconds(r->wall_stats.n ? r->wall_stats.median : -1, med, sizeof(med));
		fprintf(stderr, "[%zu/%zu]   %s%s%s\n", i + 1, ncells,
			r->status == CELL_OK ? "median " : cell_status_name(r->status),
			r->status == CELL_OK ? med : ": ", r->status == CELL_OK ? "" : r->error);

		line = store_cell_json(run_id, r);
		if (store_append_line(dir, line, err, sizeof(err)) < 0) {
			fprintf(stderr, "concbench: %s\n", err);
			io_failed = true;
		}
		json_decref(line);
	}

	fixture_stop(&fx);
	if (store_write_csv(dir, results, ncells, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		io_failed = true;
	}
	report_print_table(stdout, results, ncells);
	if (io_failed)
		printf("\nresults in %s are incomplete: a file could not be written (see above)\n", dir);
	else
		printf("\nresults: %s/results.jsonl, %s/summary.csv, %s/env.json\n", dir, dir, dir);
	if (failed)
		printf("%zu of %zu cells failed; the reasons are listed above\n", failed, ncells);
	for (size_t i = 0; i < ncells; i++)
		result_free(&results[i]);
	free(results);
	free(cells);
	return failed || io_failed ? 1 : 0;
}
