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
#include "report.h"
#include "result.h"
#include "store.h"

/* results/<UTC date-time>, with a suffix if that exists already. */
static void make_run_id(char *id, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char base[64], path[PATH_MAX];
	struct stat st;

	gmtime_r(&now, &tm);
	strftime(base, sizeof(base), "%Y%m%d-%H%M%S", &tm);
	snprintf(id, len, "%s", base);
	for (int k = 2; k < 1000; k++) {
		snprintf(path, sizeof(path), "results/%s", id);
		if (stat(path, &st) < 0)
			return;
		snprintf(id, len, "%s-%d", base, k);
	}
}

/* Cells in run order: the reference strategy first, so its digest is known
 * before anything is checked against it. */
static size_t plan_cells(const struct run_request *req, struct cell *cells, size_t max)
{
	const struct strategy *ref = strategy_reference();
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
		if (req->strategies[s] == strategy_reference())
			return true;
	return false;
}

/* Runs the reference strategy once, unrecorded, for its digest alone. */
static bool compute_reference(const struct run_request *req, uint64_t *digest)
{
	const struct strategy *ref = strategy_reference();
	struct param_values refparams;
	struct run_options opt = { .repeat = 1, .warmup = 0, .timeout_s = req->opt.timeout_s };
	struct cell cell = { .workload = req->workload, .strategy = ref, .workers = 1,
			     .ntasks = req->ntasks, .wparams = &req->wparams, .sparams = &refparams };
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
	const struct cell_result *ref_result = NULL;
	uint64_t ref_digest = 0;
	bool have_ref = false;
	size_t ncells, failed = 0;
	json_t *env;

	cli_parse_run(argc, argv, &req);
	make_run_id(run_id, sizeof(run_id));
	if (req.out_dir[0])
		snprintf(dir, sizeof(dir), "%s", req.out_dir);
	else
		snprintf(dir, sizeof(dir), "results/%s", run_id);
	if (store_prepare_dir(dir, err, sizeof(err)) < 0)
		cli_usage_error("--out", "%s", err);

	cells = calloc(CLI_MAX_STRATEGIES * CLI_MAX_WORKERS, sizeof(*cells));
	results = calloc(CLI_MAX_STRATEGIES * CLI_MAX_WORKERS, sizeof(*results));
	if (!cells || !results) {
		fprintf(stderr, "concbench: out of memory\n");
		return 1;
	}
	ncells = plan_cells(&req, cells, CLI_MAX_STRATEGIES * CLI_MAX_WORKERS);

	env = env_capture(run_id, argc, argv);
	if (store_write_json(dir, "env.json", env, err, sizeof(err)) < 0)
		fprintf(stderr, "concbench: %s\n", err);
	json_decref(env);

	runner_install_signal_handlers();
	if (!reference_requested(&req))
		have_ref = compute_reference(&req, &ref_digest);

	for (size_t i = 0; i < ncells; i++) {
		struct cell_result *r = &results[i];
		bool is_ref = cells[i].strategy == strategy_reference();
		char med[32];
		json_t *line;

		r->cell = cells[i];
		fprintf(stderr, "[%zu/%zu] %s %s workers=%u tasks=%zu ...\n", i + 1, ncells,
			cells[i].workload->name, cells[i].strategy->name, cells[i].workers,
			cells[i].ntasks);
		runner_run_cell(&cells[i], &req.opt, &r->outcome);
		/* The reference checks its samples against each other; the rest
		 * against it. No reference digest means nothing can pass. */
		if (is_ref) {
			result_derive(r, NULL);
			if (r->status == CELL_OK) {
				ref_digest = r->digest;
				have_ref = true;
				ref_result = r;
			}
		} else {
			result_derive(r, have_ref ? &ref_digest : NULL);
			if (!have_ref && r->status == CELL_OK) {
				r->status = CELL_FAILED;
				r->digest_ok = false;
				snprintf(r->error, sizeof(r->error),
					 "no reference digest: %s failed, so nothing can be checked",
					 strategy_reference()->name);
			}
		}
		result_speedup(r, ref_result);
		if (r->status != CELL_OK)
			failed++;
		report_format_seconds(r->wall_stats.n ? r->wall_stats.median : -1, med, sizeof(med));
		fprintf(stderr, "[%zu/%zu]   %s%s%s\n", i + 1, ncells,
			r->status == CELL_OK ? "median " : cell_status_name(r->status),
			r->status == CELL_OK ? med : ": ", r->status == CELL_OK ? "" : r->error);

		line = store_cell_json(run_id, r);
		if (store_append_line(dir, line, err, sizeof(err)) < 0) {
			fprintf(stderr, "concbench: %s\n", err);
			failed++;
		}
		json_decref(line);
	}

	if (store_write_csv(dir, results, ncells, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		failed++;
	}
	report_print_table(stdout, results, ncells);
	printf("\nresults: %s/results.jsonl, %s/summary.csv, %s/env.json\n", dir, dir, dir);
	if (failed)
		printf("%zu of %zu cells failed; see the error column above\n", failed, ncells);
	for (size_t i = 0; i < ncells; i++)
		result_free(&results[i]);
	free(results);
	free(cells);
	return failed ? 1 : 0;
}
