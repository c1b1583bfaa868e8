/*
 * hyperfine.c - `concbench hyperfine`: whole-process timings of every cell
 * by hyperfine, beside the in-process ones.
 *
 * It runs the cells in-process first (as `run` does: the reference digest,
 * the in-process clock), then one real hyperfine command per worker-count
 * group, built as an argv from validated values (`-N`: no shell), timing
 * `concbench once ... --expect-digest D` so every timed run is checked.
 * hyperfine's JSON is parsed with jansson; only when all of it is valid are
 * its samples appended to results.jsonl, marked "source":"hyperfine", each
 * with the plain hyperfine command that reproduces it and a measured
 * breakdown of what the whole process adds (start-up, the fixture, setup,
 * teardown), read from `concbench once --json`. The lines go through the
 * same writer as in-process cells (record_to_json).
 *
 * ==== Layout ====
 * parsing      hyperfine's --export-json
 * programs     running hyperfine and concbench once
 * the command  in-process cells first, then one hyperfine per group of
 *              strategies, then their records, all or nothing
 */
#include "hyperfine.h"

#include "concbench/fault.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "result.h"
#include "run.h"
#include "stats.h"
#include "store.h"

/* ==== Parsing hyperfine's JSON ==== */

void hyperfine_free(struct hf_result *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free(r[i].times);
	free(r);
}

int hyperfine_parse(const char *path, size_t runs_expected, struct hf_result **out, size_t *n,
		    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr), *results;
	struct hf_result *r = NULL;
	size_t count;

	*out = NULL;
	*n = 0;
	if (!root) {
		snprintf(err, errlen, "%s is not valid JSON (line %d, column %d: %s); a truncated or "
				      "damaged hyperfine export?", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	results = json_object_get(root, "results");
	count = json_array_size(results);
	if (!json_is_array(results) || count == 0) {
		snprintf(err, errlen, "%s: expected a non-empty \"results\" array", path);
		goto fail;
	}
	r = calloc(count, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < count; i++) {
		json_t *res = json_array_get(results, i), *params = json_object_get(res, "parameters");
		json_t *times = json_object_get(res, "times"), *codes = json_object_get(res, "exit_codes");
		const char *strategy = json_string_value(json_object_get(params, "strategy"));
		const char *workers = json_string_value(json_object_get(params, "workers"));
		const char *command = json_string_value(json_object_get(res, "command"));
		int64_t w;

		if (!strategy || !workers || !parse_int64(workers, 1, 100000, &w)) {
			snprintf(err, errlen, "%s: results[%zu].parameters: expected \"strategy\" and a "
					      "numeric \"workers\"", path, i);
			goto fail;
		}
		if (!json_is_array(times) || json_array_size(times) != runs_expected) {
			snprintf(err, errlen, "%s: results[%zu].times: expected an array of %zu run times",
				 path, i, runs_expected);
			goto fail;
		}
		for (size_t k = 0; k < json_array_size(codes); k++) {
			if (json_integer_value(json_array_get(codes, k)) != 0) {
				snprintf(err, errlen, "%s: results[%zu]: run %zu exited with status %lld", path,
					 i, k + 1, (long long)json_integer_value(json_array_get(codes, k)));
				goto fail;
			}
		}
		snprintf(r[i].strategy, sizeof(r[i].strategy), "%s", strategy);
		snprintf(r[i].command, sizeof(r[i].command), "%s", command ? command : "");
		r[i].workers = (unsigned)w;
		r[i].user_s = json_number_value(json_object_get(res, "user"));
		r[i].system_s = json_number_value(json_object_get(res, "system"));
		r[i].ntimes = runs_expected;
		r[i].times = malloc(runs_expected * sizeof(double));
		if (!r[i].times) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		for (size_t k = 0; k < runs_expected; k++) {
			json_t *t = json_array_get(times, k);

			if (!json_is_number(t) || json_number_value(t) <= 0) {
				snprintf(err, errlen, "%s: results[%zu].times[%zu]: expected a positive "
						      "number of seconds", path, i, k);
				goto fail;
			}
			r[i].times[k] = json_number_value(t);
		}
	}
	json_decref(root);
	*out = r;
	*n = count;
	return 0;
fail:
	hyperfine_free(r, count);
	json_decref(root);
	return -1;
}

/* ==== Running programs ==== */

/* Runs argv; stdout to out_path when given (else inherited). Returns the
 * exit status, 127 when the program cannot be executed, -1 on fork failure. */
static int run_program(char *const argv[], const char *out_path)
{
	pid_t pid, parent = getpid();
	int status;

	fflush(NULL);
	pid = fault_fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* hyperfine dies with us: killed, we leave it no command to
		 * start (the one it runs ends with its own cell). */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		if (out_path) {
			int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (fd >= 0)
				dup2(fd, STDOUT_FILENO);
			if (fd >= 0 && !strcmp(out_path, "/dev/null"))
				dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool hyperfine_available(void)
{
	char *const argv[] = { "hyperfine", "--version", NULL };

	return run_program(argv, "/dev/null") == 0;
}

/* ==== The command ==== */

struct hf_args {
	struct run_spec spec;
	const char *runs, *warmup, *out;
};

static void hf_parse(const struct cmd_args *ca, struct hf_args *a)
{
	int64_t v;

	cli_spec_from_args(ca, &a->spec);
	a->runs = cmd_get(ca, "runs");
	a->warmup = cmd_get(ca, "warmup");
	if (!a->spec.workers)
		cli_usage_error("--workers", "is required");
	if (a->runs && !parse_int64(a->runs, 2, 10000, &v))
		cli_usage_error("--runs", "expected an integer in 2..10000, got '%s'", a->runs);
	if (a->warmup && !parse_int64(a->warmup, 0, 1000, &v))
		cli_usage_error("--warmup", "expected an integer in 0..1000, got '%s'", a->warmup);
	/* hyperfine -N splits its command on whitespace: values must have none. */
	for (size_t p = 0; p < a->spec.nparams; p++)
		if (strpbrk(a->spec.params[p], " \t\n'\"\\"))
			cli_usage_error("--param", "'%s': a value timed by hyperfine cannot contain "
						   "spaces, quotes or backslashes", a->spec.params[p]);
	/* In-process cells take exactly as many samples as hyperfine runs. */
	a->spec.repeat = a->spec.max_repeat = a->runs ? a->runs : "10";
	a->spec.warmup = a->warmup ? a->warmup : "1";
}

/* One hyperfine invocation: strategies with a fixed worker count, or the rest. */
struct hf_group {
	char strategies[512], workers[512];
	char json[PATH_MAX + 64];  /* its export, under a temporary name until stored */
	struct hf_result *res;
	size_t nres;
};

/* What the whole command works with. */
struct hf_run {
	struct run_request *req;
	const struct hf_args *a;
	struct run_context *ctx;
	char self[PATH_MAX];      /* this binary, for hyperfine to time */
	char digest[24];          /* the reference digest every timed run must give */
	double startup_s;
	struct hf_group group[2];
};

/* The `concbench once` command line of a cell, or of a group with
 * {strategy} and {workers} left for hyperfine's parameter lists. */
static void once_command(const struct hf_run *h, const char *strategy, const char *workers,
			 bool json, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s once --workload %s --strategy %s --workers %s "
					       "--tasks %zu", h->self, h->req->workload->name,
				       strategy, workers, h->req->ntasks);

	for (size_t p = 0; p < h->a->spec.nparams && used < len; p++)
		used += (size_t)snprintf(buf + used, len - used, " --param %s", h->a->spec.params[p]);
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, " --expect-digest %s", h->digest);
	if (json && used < len)
		snprintf(buf + used, len - used, " --json");
}

/* Median of a few runs of a bare `concbench once` (which stops at once
 * with a usage error): the cost of starting the program at all - exec,
 * dynamic loading, the runtime-defaults re-exec. */
static double startup_seconds(const char *self)
{
	char *const argv[] = { (char *)self, "once", NULL };
	double t[7];

	for (int k = 0; k < 7; k++) {
		double t0 = sample_now();

		run_program(argv, "/dev/null");
		t[k] = sample_now() - t0;
	}
	return stats_median(t, 7);
}

/* What `once --json` says the whole process spent beside the timed run. */
static struct whole_process once_breakdown(const struct hf_run *h, const char *strategy,
					   unsigned workers)
{
	struct whole_process w = { NAN, NAN, NAN, NAN, NAN };
	char cmd[2048], copy[2048], wtext[16], tmp[PATH_MAX + 64], *argv[64];
	struct record r;
	json_t *line;
	size_t n = 0;

	snprintf(wtext, sizeof(wtext), "%u", workers);
	once_command(h, strategy, wtext, true, cmd, sizeof(cmd));
	snprintf(copy, sizeof(copy), "%s", cmd);
	for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && n < 63;
	     t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	snprintf(tmp, sizeof(tmp), "%s/.once.json", h->ctx->dir);
	if (run_program(argv, tmp) == 0 && (line = json_load_file(tmp, 0, NULL))) {
		if (record_from_json(line, &r) == 0)
			w = r.whole;
		record_free(&r);
		json_decref(line);
	}
	unlink(tmp);
	return w;
}

/* The in-process clock first: it also yields the reference digest. */
static int inprocess_first(struct hf_run *h)
{
	char path[PATH_MAX + 64], err[600];
	struct record_set set;

	progress_init(&h->ctx->progress, stderr, run_count_cells(h->req, NULL));
	run_experiment(h->ctx, h->req);
	progress_finish(&h->ctx->progress);
	snprintf(path, sizeof(path), "%s/results.jsonl", h->ctx->dir);
	if (records_load(path, &set, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < set.n && !h->digest[0]; i++)
		if (!strcmp(set.r[i].id.strategy, h->req->reference->name) && record_ok(&set.r[i]))
			snprintf(h->digest, sizeof(h->digest), "%s", set.r[i].digest);
	records_free(&set);
	return 0;
}

/* Groups: strategies with a fixed worker count (serial), then the rest. */
static void plan_groups(struct hf_run *h)
{
	const struct run_request *req = h->req;

	for (size_t s = 0; s < req->nstrategies; s++) {
		struct hf_group *g = &h->group[req->strategies[s]->fixed_workers ? 0 : 1];
		size_t len = strlen(g->strategies);

		snprintf(g->strategies + len, sizeof(g->strategies) - len, "%s%s", len ? "," : "",
			 req->strategies[s]->name);
		if (req->strategies[s]->fixed_workers)
			snprintf(g->workers, sizeof(g->workers), "%u", req->strategies[s]->fixed_workers);
	}
	for (size_t k = 0; k < req->nworkers; k++) {
		size_t len = strlen(h->group[1].workers);

		snprintf(h->group[1].workers + len, sizeof(h->group[1].workers) - len, "%s%u",
			 len ? "," : "", req->workers[k]);
	}
	for (int g = 0; g < 2; g++)
		snprintf(h->group[g].json, sizeof(h->group[g].json), "%s/.hyperfine-%d.json.tmp",
			 h->ctx->dir, g + 1);
}

/* Runs hyperfine on one group and parses its export. Returns 0 or -1. */
static int run_group(struct hf_run *h, struct hf_group *g)
{
	char runs_s[16], warm_s[16], cmd[2048], reproduce[4096], err[600];
	int status;

	snprintf(runs_s, sizeof(runs_s), "%u", h->req->opt.repeat);
	snprintf(warm_s, sizeof(warm_s), "%u", h->req->opt.warmup);
	once_command(h, "{strategy}", "{workers}", false, cmd, sizeof(cmd));
	snprintf(reproduce, sizeof(reproduce),
		 "hyperfine -N --runs %s --warmup %s --parameter-list strategy %s "
		 "--parameter-list workers %s '%s'", runs_s, warm_s, g->strategies, g->workers, cmd);
	fprintf(stderr, "concbench: %s\n", reproduce);
	{
		char *const argv[] = { "hyperfine", "-N", "--style", "basic", "--runs", runs_s,
				       "--warmup", warm_s, "--export-json", g->json,
				       "--parameter-list", "strategy", g->strategies,
				       "--parameter-list", "workers", g->workers, cmd, NULL };

		status = run_program(argv, NULL);
	}
	if (status != 0) {
		fprintf(stderr, "concbench: hyperfine exited with status %d (a timed run failed or "
				"computed another digest); nothing from it was stored\n", status);
		return -1;
	}
	if (hyperfine_parse(g->json, h->req->opt.repeat, &g->res, &g->nres, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s; nothing from it was stored\n", err);
		return -1;
	}
	return 0;
}

/* One hyperfine result as a cell's record, in the common schema. */
static int hf_record(const struct hf_run *h, const struct hf_result *res, struct record *r)
{
	const struct run_request *req = h->req;
	size_t s = 0;
	struct cell cell;
	char cmd[2048], wtext[16];

	record_init(r);
	while (s < req->nstrategies && strcmp(req->strategies[s]->name, res->strategy))
		s++;
	if (s == req->nstrategies)
		return -1; /* hyperfine ran what we did not ask for */
	cell = (struct cell){ .workload = req->workload, .strategy = req->strategies[s],
			      .runtime = req->runtime[s], .workers = res->workers,
			      .ntasks = req->ntasks, .wparams = &req->wparams, .sparams = &req->sparams[s] };
	result_identify(r, &cell, SOURCE_HYPERFINE);
	snprintf(r->run_id, sizeof(r->run_id), "%s", h->ctx->run_id);
	snprintf(r->digest, sizeof(r->digest), "%s", h->digest);
	snprintf(r->reference_digest, sizeof(r->reference_digest), "%s", h->digest);
	snprintf(r->reference_strategy, sizeof(r->reference_strategy), "%s", req->reference->name);
	r->status = CELL_OK;
	r->digest_ok = true; /* every run passed --expect-digest, or hyperfine failed */
	r->wall = malloc(res->ntimes * sizeof(*r->wall));
	if (!r->wall)
		return -1;
	memcpy(r->wall, res->times, res->ntimes * sizeof(*r->wall));
	r->nwall = res->ntimes;
	if (stats_compute(r->wall, r->nwall, &r->wall_stats) < 0)
		return -1;
	r->user_s = res->user_s;
	r->sys_s = res->system_s;
	r->cores_busy = r->wall_stats.mean > 0 ? (res->user_s + res->system_s) / r->wall_stats.mean : 0;
	snprintf(wtext, sizeof(wtext), "%u", res->workers);
	once_command(h, res->strategy, wtext, false, cmd, sizeof(cmd));
	snprintf(r->command, sizeof(r->command), "hyperfine -N --runs %u --warmup %u '%s'",
		 req->opt.repeat, req->opt.warmup, cmd);
	r->whole = once_breakdown(h, res->strategy, res->workers);
	r->whole.startup_s = h->startup_s;
	return 0;
}

/* Every group's records, appended only when all of them could be built:
 * a hyperfine run is stored whole or not at all. */
static int store_groups(struct hf_run *h)
{
	struct record_set lines = { 0 };
	char err[600], path[PATH_MAX + 64];
	int rc = 0;

	for (int g = 0; g < 2 && rc == 0; g++) {
		for (size_t i = 0; i < h->group[g].nres && rc == 0; i++) {
			struct record r;

			rc = hf_record(h, &h->group[g].res[i], &r) < 0 || records_add(&lines, &r) < 0
				     ? -1 : 0;
			record_free(&r);
		}
	}
	for (size_t i = 0; rc == 0 && i < lines.n; i++) {
		if (store_append_record(h->ctx->dir, &lines.r[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "concbench: %s\n", err);
			h->ctx->io_failed = true;
			break;
		}
	}
	records_free(&lines);
	for (int g = 0; g < 2; g++) {
		snprintf(path, sizeof(path), "%s/hyperfine-%d.json", h->ctx->dir, g + 1);
		if (rc == 0 && h->group[g].nres)
			rename(h->group[g].json, path);
		else
			unlink(h->group[g].json); /* a failed group's export is no result */
	}
	return rc;
}

int harness_cmd_hyperfine(const struct cmd_args *ca)
{
	static struct run_request req;
	static struct run_context ctx;
	static struct hf_run h;
	struct hf_args a;
	bool ok = true;

	hf_parse(ca, &a);
	cli_resolve(&a.spec, &req);
	h = (struct hf_run){ .req = &req, .a = &a, .ctx = &ctx };
	if (!hyperfine_available()) {
		fprintf(stderr, "concbench: hyperfine is not installed; install it with: "
				"apt-get install hyperfine\n");
		return 1;
	}
	if (!realpath("/proc/self/exe", h.self)) {
		fprintf(stderr, "concbench: cannot find my own binary: %s\n", strerror(errno));
		return 1;
	}
	if (run_open_dir(&ctx, a.spec.out) < 0)
		return 1;
	run_write_env(&ctx, ca->argc, ca->argv);
	runner_install_signal_handlers();
	if (inprocess_first(&h) < 0)
		return 1;
	if (!h.digest[0]) {
		fprintf(stderr, "concbench: no reference digest (%s did not finish), so hyperfine's runs "
				"could not be checked; not running hyperfine\n", req.reference->name);
		ctx.failed++;
		return run_finish(&ctx, true);
	}
	h.startup_s = startup_seconds(h.self);
	plan_groups(&h);
	for (int g = 0; g < 2 && ok; g++)
		if (h.group[g].strategies[0])
			ok = run_group(&h, &h.group[g]) == 0;
	if (!ok || store_groups(&h) < 0) {
		for (int g = 0; g < 2; g++)
			unlink(h.group[g].json);
		ctx.failed++;
	}
	for (int g = 0; g < 2; g++)
		hyperfine_free(h.group[g].res, h.group[g].nres);
	return run_render(ctx.dir, run_finish(&ctx, true));
}
