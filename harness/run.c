/*
 * run.c - running experiments (see run.h) and `concbench run`.
 *
 * ==== Layout ====
 * run folder   claim or check it, env.json
 * planning     cells in order, the reference strategy first; their identities
 * experiment   fixture, reference digest, each cell through the runner
 * finish       reload what is on disk: summary.csv, tables, exit status;
 *              charts, report.md and report.html
 */
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "fixture.h"
#include "format.h"
#include "harness.h"
#include "plot.h"
#include "report.h"
#include "result.h"
#include "store.h"

/* ==== Run folder ==== */

int run_claim_dir(struct run_context *ctx, char *err, size_t errlen)
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
			snprintf(ctx->run_id, sizeof(ctx->run_id), "%s", base);
		else
			snprintf(ctx->run_id, sizeof(ctx->run_id), "%s-%d", base, k);
		snprintf(ctx->dir, sizeof(ctx->dir), "results/%s", ctx->run_id);
		if (mkdir(ctx->dir, 0777) == 0)
			return store_take_dir(ctx->dir, err, errlen) < 0 ? -1 : 0;
		if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create '%.200s': %s", ctx->dir, strerror(errno));
			return -1;
		}
	}
	snprintf(err, errlen, "no free run folder under results/ for %s", base);
	return -1;
}

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

void run_check_dir_length(const char *dir, const char *flag)
{
	if (strlen(dir) > RUN_DIR_MAX)
		cli_usage_error(flag, "path longer than %d bytes (its files' names must fit after it)",
				RUN_DIR_MAX);
}

void run_take_dir(const char *dir, const char *flag)
{
	char err[512];

	run_check_dir_length(dir, flag);
	if (store_take_dir(dir, err, sizeof(err)) < 0)
		cli_usage_error(flag, "%s", err);
}

void run_use_dir(struct run_context *ctx, const char *dir, const char *flag)
{
	char path[PATH_MAX + 32];
	struct stat st;

	run_take_dir(dir, flag);
	snprintf(ctx->dir, sizeof(ctx->dir), "%s", dir);
	run_id_from_path(dir, ctx->run_id, sizeof(ctx->run_id));
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (stat(path, &st) == 0 && st.st_size > 0)
		cli_usage_error(flag, "'%s' already holds results; choose a new folder (a matrix "
				      "continues one with --resume)", dir);
}

int run_open_dir(struct run_context *ctx, const char *out)
{
	char err[512];

	if (out && *out) {
		run_use_dir(ctx, out, "--out");
		return 0;
	}
	if (run_claim_dir(ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s (use --out DIR to write elsewhere)\n", err);
		return -1;
	}
	return 0;
}

void run_write_env(struct run_context *ctx, int argc, char **argv)
{
	json_t *env = env_capture(ctx->run_id, argc, argv);
	char err[512];

	json_object_set_new(env, "schedule", json_pack("{s:s, s:I}", "order",
						      ctx->order == ORDER_SEQUENTIAL ? "sequential"
										: "interleaved",
						      "seed", (json_int_t)ctx->seed));
	if (ctx->load_known)
		json_object_set_new(env, "load_before", load_json(&ctx->load));

	if (store_write_json(ctx->dir, "env.json", env, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		ctx->io_failed = true;
	}
	json_decref(env);
}

/* ==== Schedule and machine ==== */

#define RUN_MAX_SEED ((int64_t)1 << 52)
#define LOAD_WINDOW_S 0.5

/* splitmix64: the rounds' shuffles, reproducible from the seed. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t fresh_seed(void)
{
	uint64_t s = 0;
	FILE *f = fopen("/dev/urandom", "r");

	if (!f || fread(&s, sizeof(s), 1, f) != 1)
		s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	if (f)
		fclose(f);
	return s % (uint64_t)RUN_MAX_SEED;
}

/* Waits up to wait_s for others to use less than the interference
 * threshold; says how long it waited. */
static void wait_quiet(struct run_context *ctx, double wait_s)
{
	double t0 = sample_now();
	char what[512];

	while (load_busy(&ctx->load) && sample_now() - t0 + LOAD_WINDOW_S <= wait_s) {
		load_describe(&ctx->load, what, sizeof(what));
		fprintf(stderr, "concbench: waiting for a quiet machine: %s\n", what);
		ctx->load_known = load_measure(2.0, &ctx->load) == 0;
	}
	if (!load_busy(&ctx->load))
		fprintf(stderr, "concbench: the machine is quiet after %.0f s\n", sample_now() - t0);
}

void run_schedule(struct run_context *ctx, const struct cmd_args *a)
{
	const char *order = cmd_get(a, "order"), *seed = cmd_get(a, "seed");
	const char *wait = cmd_get(a, "wait-quiet");
	int64_t v = 0, wait_s = 0;

	ctx->order = ORDER_INTERLEAVED;
	if (order && !strcmp(order, "sequential"))
		ctx->order = ORDER_SEQUENTIAL;
	else if (order && strcmp(order, "interleaved"))
		cli_usage_error("--order", "expected interleaved or sequential, got '%s'", order);
	if (seed && !parse_int64(seed, 0, RUN_MAX_SEED - 1, &v))
		cli_usage_error("--seed", "expected an integer in 0..%lld, got '%s'",
				(long long)RUN_MAX_SEED - 1, seed);
	if (wait && !parse_int64(wait, 0, 86400, &wait_s))
		cli_usage_error("--wait-quiet", "expected whole seconds in 0..86400, got '%s'", wait);
	ctx->seed = seed ? (uint64_t)v : fresh_seed();
	ctx->rng = ctx->seed;
	ctx->wait_quiet_s = wait ? (double)wait_s : -1;
}

void run_check_machine(struct run_context *ctx)
{
	char what[512];

	ctx->load_known = load_measure(LOAD_WINDOW_S, &ctx->load) == 0;
	if (!ctx->load_known)
		return;
	if (ctx->wait_quiet_s >= 0 && load_busy(&ctx->load))
		wait_quiet(ctx, ctx->wait_quiet_s);
	if (load_busy(&ctx->load)) {
		load_describe(&ctx->load, what, sizeof(what));
		fprintf(stderr, "concbench: warning: the machine is busy: %s. Samples others disturb "
				"are taken again, and cells left disturbed are flagged; --wait-quiet "
				"SECONDS waits for quiet first\n", what);
	}
}

/* ==== Planning ==== */

/* Cells in run order: the reference strategy first, so its digest is known
 * before anything is checked against it. */
static size_t plan_cells(const struct run_request *req, struct cell *cells, size_t max)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t s = 0; s < req->nstrategies; s++) {
			const struct strategy *st = req->strategies[s];

			if ((pass == 0) != (st == req->reference))
				continue;
			for (size_t k = 0; k < (st->fixed_workers ? 1 : req->nworkers) && n < max; k++)
				cells[n++] = (struct cell){
					.workload = req->workload, .strategy = st,
					.runtime = req->runtime[s],
					.workers = st->fixed_workers ? st->fixed_workers : req->workers[k],
					.ntasks = req->ntasks, .wparams = &req->wparams,
					.sparams = &req->sparams[s],
				};
		}
	}
	return n;
}

/* The stored line of a cell, if a previous invocation wrote one. */
static const struct record *find_done(const struct record_set *done, const struct cell *c)
{
	const struct record *found = NULL;
	struct record probe;

	if (!done)
		return NULL;
	record_init(&probe);
	result_identify(&probe, c, SOURCE_INPROCESS);
	for (size_t i = 0; i < done->n && !found; i++)
		if (cell_id_equal(&done->r[i].id, &probe.id))
			found = &done->r[i];
	record_free(&probe);
	return found;
}

size_t run_cell_ids(const struct run_request *req, struct cell_id *ids, size_t max)
{
	struct cell cells[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS];
	size_t n = plan_cells(req, cells, CLI_MAX_STRATEGIES * CLI_MAX_WORKERS);

	for (size_t i = 0; i < n && i < max; i++) {
		struct record probe;

		record_init(&probe);
		result_identify(&probe, &cells[i], SOURCE_INPROCESS);
		ids[i] = probe.id;
		record_free(&probe);
	}
	return n < max ? n : max;
}

size_t run_count_cells(const struct run_request *req, const struct record_set *done)
{
	struct cell cells[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS];
	size_t n = plan_cells(req, cells, CLI_MAX_STRATEGIES * CLI_MAX_WORKERS), todo = 0;

	for (size_t i = 0; i < n; i++)
		todo += find_done(done, &cells[i]) == NULL;
	return todo;
}

/* ==== Experiment ==== */

/* Runs the reference strategy once, unrecorded, for its digest alone. */
static bool compute_reference(const struct run_request *req, const struct fixture *fx,
			      uint64_t *digest)
{
	const struct strategy *ref = req->reference;
	struct param_values refparams;
	struct run_options opt = { .repeat = 1, .max_repeat = 1, .max_time_s = req->opt.timeout_s,
				   .warmup = 0, .timeout_s = req->opt.timeout_s };
	struct cell cell = { .workload = req->workload, .strategy = ref, .runtime = "", .workers = 1,
			     .ntasks = req->ntasks, .wparams = &req->wparams, .sparams = &refparams,
			     .fixture = fx->pid ? fx->ready : NULL, .fixture_pid = fx->pid };
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

/* What the cells of one experiment share while they run. */
struct experiment {
	const struct run_request *req;
	struct fixture fx;
	char fixture_error[sizeof(((struct cell_outcome *)0)->error)];
	bool have_ref;
	uint64_t ref_digest;
};

/* The digest verdict: the reference checks its samples against each
 * other, the rest against it; no reference digest means nothing passes. */
static void judge_cell(struct experiment *e, const struct cell *cell, const struct cell_outcome *o,
		       const char *run_id, struct record *r)
{
	const struct run_request *req = e->req;
	bool is_ref = !e->have_ref && cell->strategy == req->reference;

	if (result_record(r, run_id, cell, o, req->reference->name,
			  is_ref || !e->have_ref ? NULL : &e->ref_digest) < 0)
		result_fail(r, "out of memory recording the cell");
	if (is_ref && r->status == CELL_OK)
		e->have_ref = sscanf(r->digest, "%" SCNx64, &e->ref_digest) == 1;
	else if (!e->have_ref && r->status == CELL_OK)
		result_fail(r, "no reference digest: %s failed, so nothing can be checked",
			    req->reference->name);
}

static void cell_label(const struct cell *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s workers=%u tasks=%zu", c->workload->name, c->strategy->name,
		 c->workers, c->ntasks);
}

/* "+-1.3% (target 2%)", or "range only (n < 6)". */
static const char *precision_text(const struct record *r, char *buf, size_t len)
{
	double p = record_precision(r);

	if (!isfinite(p))
		snprintf(buf, len, "range only (n < %d)", STATS_MIN_CI_SAMPLES);
	else
		snprintf(buf, len, "+-%.1f%%%s", p * 100, record_precise(r) ? "" : " (target missed)");
	return buf;
}

/* The line of a finished cell: judged, appended, announced. */
static void write_cell(struct run_context *ctx, struct experiment *e, struct cell_run *cr)
{
	const struct cell *cell = cr->cell;
	struct record r;
	char outcome[700], med[32], err[512], label[160], prec[64];

	record_init(&r);
	judge_cell(e, cell, &cr->out, ctx->run_id, &r);
	cell_outcome_free(&cr->out);
	if (r.status != CELL_OK)
		ctx->failed++;
	if (store_append_record(ctx->dir, &r, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s; this cell is not stored\n", err);
		ctx->io_failed = true;
		ctx->cells_lost++;
	}
	cell_label(cell, label, sizeof(label));
	format_seconds(r.nwall ? r.wall_stats.median : NAN, med, sizeof(med));
	if (r.status == CELL_OK)
		snprintf(outcome, sizeof(outcome), "%s: median %s, n=%zu, %s%s", label, med, r.nwall,
			 precision_text(&r, prec, sizeof(prec)),
			 r.interference ? ", INTERFERENCE: others used CPU meanwhile" : "");
	else
		snprintf(outcome, sizeof(outcome), "%s: %s: %.300s", label, cell_status_name(r.status),
			 r.error);
	progress_end(&ctx->progress, cr->used_s, outcome);
	record_free(&r);
}

/* Appends the finished cells in plan order (the reference first, so its
 * digest is known before anything is checked against it), up to the first
 * cell still sampling: results.jsonl keeps the order of the plan. */
static void write_finished(struct run_context *ctx, struct experiment *e, struct cell_run *runs,
			   bool *pending, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!pending[i])
			continue;
		if (!runs[i].done)
			break;
		write_cell(ctx, e, &runs[i]);
		pending[i] = false;
	}
}

/* A visit to one cell: the fixture checked, progress shown, one step. */
static void visit(struct run_context *ctx, struct experiment *e, struct cell_run *cr)
{
	char err[512], label[160], line[300], prec[64], med[32];
	const struct cell_outcome *o = &cr->out;

	if (!e->fixture_error[0] && e->fx.pid && !fixture_alive(&e->fx, err, sizeof(err)))
		snprintf(e->fixture_error, sizeof(e->fixture_error), "fixture: 'concbench %.20s' %.200s",
			 e->req->workload->fixture->argv[0], err);
	if (e->fixture_error[0]) {
		/* Nothing this cell could measure would mean anything. */
		cell_run_abort(cr, e->fixture_error);
		return;
	}
	cell_label(cr->cell, label, sizeof(label));
	if (cr->pid == 0 && o->nsamples == 0)
		progress_begin(&ctx->progress, label);
	cell_run_step(cr);
	if (!cr->done && o->nsamples > 0) {
		double p = stats_precision(&o->now);

		format_seconds(o->now.median, med, sizeof(med));
		if (isfinite(p))
			snprintf(prec, sizeof(prec), "+-%.1f%% (want +-%.1f%%)", 100 * p,
				 100 * o->precision_target);
		else
			snprintf(prec, sizeof(prec), "no CI yet");
		snprintf(line, sizeof(line), "%s: %zu samples (min %u), median %s %s", label,
			 o->nsamples, e->req->opt.repeat, med, prec);
		progress_update(&ctx->progress, line);
	}
}

/*
 * The cells not on disk yet, in rounds: each round visits every cell not
 * done, one sample each, shuffled (interleaved); or the first cell not
 * done until it is (sequential).
 */
static void run_rounds(struct run_context *ctx, struct experiment *e, struct cell *cells,
		       const struct record *const *stored, size_t ncells)
{
	static struct cell_run runs[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS];
	static bool pending[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS];
	size_t order[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS], n;

	for (size_t i = 0; i < ncells; i++) {
		cell_run_init(&runs[i], &cells[i], &e->req->opt);
		pending[i] = !stored[i];
		runs[i].done = stored[i] != NULL;
	}
	for (;;) {
		n = 0;
		for (size_t i = 0; i < ncells; i++)
			if (!runs[i].done)
				order[n++] = i;
		if (n == 0)
			break;
		if (ctx->order == ORDER_SEQUENTIAL) {
			n = 1;
		} else {
			for (size_t k = n - 1; k > 0; k--) { /* Fisher-Yates */
				size_t j = (size_t)(rng_next(&ctx->rng) % (k + 1)), t = order[k];

				order[k] = order[j];
				order[j] = t;
			}
		}
		for (size_t k = 0; k < n; k++) {
			visit(ctx, e, &runs[order[k]]);
			if (runs[order[k]].done)
				write_finished(ctx, e, runs, pending, ncells);
		}
	}
	write_finished(ctx, e, runs, pending, ncells);
}

void run_experiment(struct run_context *ctx, const struct run_request *req)
{
	static struct cell cells[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS];
	struct experiment e = { .req = req };
	size_t ncells = plan_cells(req, cells, CLI_MAX_STRATEGIES * CLI_MAX_WORKERS), todo = 0;
	const struct record *stored[CLI_MAX_STRATEGIES * CLI_MAX_WORKERS];
	char err[512];

	/* Library set-up for this workload alone (curl_global_init costs a few
	 * milliseconds of OpenSSL start-up): here, before any cell or fixture
	 * process or thread exists. */
	if (req->workload->process_init)
		req->workload->process_init();
	runner_set_scratch_base(ctx->dir);

	/* What a previous invocation finished stands: its reference digest
	 * serves the cells still to run. */
	for (size_t i = 0; i < ncells; i++) {
		const struct record *d = stored[i] = find_done(ctx->done, &cells[i]);

		if (!d) {
			todo++;
			continue;
		}
		if (!e.have_ref && cells[i].strategy == req->reference && record_ok(d) &&
		    sscanf(d->digest, "%" SCNx64, &e.ref_digest) == 1)
			e.have_ref = true;
	}
	if (todo == 0)
		return;

	if (req->workload->fixture &&
	    (!req->workload->fixture->needed || req->workload->fixture->needed(&req->wparams))) {
		if (fixture_start(req->workload, &e.fx, err, sizeof(err)) < 0)
			snprintf(e.fixture_error, sizeof(e.fixture_error), "fixture: %.280s", err);
		else if (!ctx->progress.tty)
			fprintf(stderr, "concbench: fixture ready: %s (pid %d)\n", e.fx.ready, e.fx.pid);
	}
	for (size_t i = 0; i < ncells; i++) {
		cells[i].fixture = e.fx.pid ? e.fx.ready : NULL;
		cells[i].fixture_pid = e.fx.pid;
	}
	if (!e.fixture_error[0] && !e.have_ref) {
		bool listed = false;

		for (size_t s = 0; s < req->nstrategies; s++)
			listed |= req->strategies[s] == req->reference;
		if (!listed)
			e.have_ref = compute_reference(req, &e.fx, &e.ref_digest);
	}
	run_rounds(ctx, &e, cells, stored, ncells);
	fixture_stop(&e.fx);
}

/* ==== Finish ==== */

int run_finish(struct run_context *ctx, bool tables)
{
	char path[PATH_MAX + 32], err[600];
	struct record_set set;
	size_t torn = 0;

	progress_finish(&ctx->progress);
	snprintf(path, sizeof(path), "%s/results.jsonl", ctx->dir);
	if (records_load(path, &set, &torn, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		return 1;
	}
	{
		/* What is on disk decides, cells of earlier invocations (resume)
		 * included. */
		size_t bad = 0;

		for (size_t i = 0; i < set.n; i++)
			bad += set.r[i].status != CELL_OK;
		if (bad > ctx->failed)
			ctx->failed = bad;
	}
	if (store_write_csv(ctx->dir, &set, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		ctx->io_failed = true;
	}
	if (tables)
		report_print_tables(stdout, &set);
	if (ctx->cells_lost) {
		/* Every line before stays whole (store_append_line cuts a part
		 * line back off): a matrix resumed runs just the lost cells. */
		bool matrix;

		snprintf(path, sizeof(path), "%s/matrix.json", ctx->dir);
		matrix = access(path, F_OK) == 0;
		printf("\nresults in %s are incomplete: %zu cell%s measured could not be stored "
		       "(see above)%s%s\n", ctx->dir, ctx->cells_lost, ctx->cells_lost == 1 ? "" : "s",
		       matrix ? "; once the cause is mended, concbench matrix --resume " : "",
		       matrix ? ctx->dir : "");
	} else if (ctx->io_failed) {
		printf("\nresults in %s are incomplete: a file could not be written (see above)\n",
		       ctx->dir);
	} else {
		printf("\nresults: %s/results.jsonl, %s/summary.csv, %s/env.json\n", ctx->dir, ctx->dir,
		       ctx->dir);
	}
	if (ctx->failed)
		printf("%zu cells failed; the reasons are listed above\n", ctx->failed);
	records_free(&set);
	return ctx->failed || ctx->io_failed ? 1 : 0;
}

int run_render(const char *dir, int status)
{
	struct plot_charts charts;
	char err[600];
	int report, rc;

	rc = plot_render(dir, &charts, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		if (rc != PLOT_NO_GNUPLOT)
			status = 1;
	}
	if (charts.failed)
		status = 1;
	report = report_write_markdown(dir, &charts, err, sizeof(err));
	if (report < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		status = 1;
	}
	if (report == 0)
		printf("report: %s/report.md, %s/report.html\n", dir, dir);
	else if (report == -3) /* report.md stands; only its page failed */
		printf("report: %s/report.md\n", dir);
	printf("charts: %s/plots/ (%zu files%s)\n", dir, charts.files,
	       charts.failed ? "; some failed, see plots/gnuplot.log" : "");
	plot_charts_free(&charts);
	return status;
}

/* ==== concbench run ==== */

int harness_cmd_run(const struct cmd_args *a)
{
	static struct run_request req;
	static struct run_context ctx;
	struct run_spec spec;

	cli_spec_from_args(a, &spec);
	cli_resolve(&spec, &req);
	run_schedule(&ctx, a);
	if (run_open_dir(&ctx, req.out_dir) < 0)
		return 1;
	run_check_machine(&ctx);
	run_write_env(&ctx, a->argc, a->argv);
	runner_install_signal_handlers();
	progress_init(&ctx.progress, stderr, run_count_cells(&req, NULL));
	run_experiment(&ctx, &req);
	return run_render(ctx.dir, run_finish(&ctx, true));
}
