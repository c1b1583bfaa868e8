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
 * teardown).
 */
#include "hyperfine.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run.h"
#include "concbench/sample.h"
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
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
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

static void hf_parse(int argc, char **argv, struct hf_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 2; i < argc; i++) {
		const char **slot = NULL, *flag = argv[i];

		if (!strcmp(flag, "--workload"))
			slot = &a->spec.workload;
		else if (!strcmp(flag, "--strategy"))
			slot = &a->spec.strategies;
		else if (!strcmp(flag, "--workers"))
			slot = &a->spec.workers;
		else if (!strcmp(flag, "--tasks"))
			slot = &a->spec.tasks;
		else if (!strcmp(flag, "--runs"))
			slot = &a->runs;
		else if (!strcmp(flag, "--warmup"))
			slot = &a->warmup;
		else if (!strcmp(flag, "--out"))
			slot = &a->out;
		else if (!strcmp(flag, "--param") && a->spec.nparams < CLI_MAX_PARAMS)
			slot = &a->spec.params[a->spec.nparams++];
		else
			cli_usage_error(flag, "unknown option for 'hyperfine'; accepted: --workload, "
					      "--strategy, --workers, --tasks, --param, --runs, --warmup, --out");
		if (i + 1 >= argc)
			cli_usage_error(flag, "needs a value");
		*slot = argv[++i];
	}
	if (!a->spec.workers)
		cli_usage_error("--workers", "is required");
	{
		int64_t v;

		if (a->runs && !parse_int64(a->runs, 2, 10000, &v))
			cli_usage_error("--runs", "expected an integer in 2..10000, got '%s'", a->runs);
		if (a->warmup && !parse_int64(a->warmup, 0, 1000, &v))
			cli_usage_error("--warmup", "expected an integer in 0..1000, got '%s'", a->warmup);
	}
	/* hyperfine -N splits its command on whitespace: values must have none. */
	for (size_t p = 0; p < a->spec.nparams; p++)
		if (strpbrk(a->spec.params[p], " \t\n'\"\\"))
			cli_usage_error("--param", "'%s': a value timed by hyperfine cannot contain "
						   "spaces, quotes or backslashes", a->spec.params[p]);
	a->spec.repeat = a->runs ? a->runs : "10";
	a->spec.warmup = a->warmup ? a->warmup : "1";
}

/* The `concbench once` command line for a group, with {strategy} and
 * {workers} left for hyperfine's parameter lists. */
static void once_command(const char *self, const struct run_request *req, const struct hf_args *a,
			 const char *digest, const char *strategy, const char *workers, char *buf,
			 size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s once --workload %s --strategy %s --workers %s "
					       "--tasks %zu", self, req->workload->name, strategy, workers,
				       req->ntasks);

	for (size_t p = 0; p < a->spec.nparams && used < len; p++)
		used += (size_t)snprintf(buf + used, len - used, " --param %s", a->spec.params[p]);
	if (used < len)
		snprintf(buf + used, len - used, " --expect-digest %s", digest);
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

/* What `once` says of its own time: "setup X s, prepare P s, teardown Y s,
 * fixture start+stop Z s". */
static void once_breakdown(char *const argv[], const char *tmp, double *setup, double *prepare,
			   double *teardown, double *fixture)
{
	char line[1024] = "";
	FILE *f;
	const char *p;

	*setup = *prepare = *teardown = *fixture = NAN;
	if (run_program(argv, tmp) != 0)
		return;
	f = fopen(tmp, "r");
	if (f && fgets(line, sizeof(line), f)) {
		if ((p = strstr(line, "setup ")))
			sscanf(p, "setup %lf", setup);
		if ((p = strstr(line, "prepare ")))
			sscanf(p, "prepare %lf", prepare);
		if ((p = strstr(line, "teardown ")))
			sscanf(p, "teardown %lf", teardown);
		if ((p = strstr(line, "fixture start+stop ")))
			sscanf(p, "fixture start+stop %lf", fixture);
	}
	if (f)
		fclose(f);
	unlink(tmp);
}

/* One hyperfine result as a results.jsonl line, in the common schema. */
static json_t *hf_line(const struct run_context *ctx, const struct run_request *req,
		       const struct hf_result *h, const char *reproduce, const char *digest,
		       const struct hf_result *serial, double startup, double setup, double prepare,
		       double teardown, double fixture)
{
	const struct strategy *st = strategy_find(h->strategy);
	struct param_values sp;
	struct stats s;
	double slo = NAN, shi = NAN, speedup = NAN, busy;
	json_t *obj, *wall = json_array();

	param_defaults(st->params, &sp);
	for (size_t k = 0; k < req->nstrategies; k++)
		if (req->strategies[k] == st)
			sp = req->sparams[k];
	stats_compute(h->times, h->ntimes, &s);
	if (serial) {
		speedup = stats_median(serial->times, serial->ntimes) / s.median;
		stats_ratio_ci(serial->times, serial->ntimes, h->times, h->ntimes, &slo, &shi);
	}
	for (size_t k = 0; k < h->ntimes; k++)
		json_array_append_new(wall, json_real(h->times[k]));
	busy = s.mean > 0 ? (h->user_s + h->system_s) / s.mean : 0;
	obj = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:o, s:o, s:s, s:n, s:s, s:s, s:s, s:b}",
			"run_id", ctx->run_id, "source", "hyperfine", "workload", req->workload->name,
			"kind", workload_kind_name(req->workload->kind), "workers", (int)h->workers,
			"tasks", (json_int_t)req->ntasks,
			"params", store_params_json(req->workload->params, &req->wparams),
			"strategy_params", store_params_json(st->params, &sp), "status", "ok", "error",
			"digest", digest, "reference_digest", digest, "reference_strategy",
			req->reference->name, "digest_ok", 1);
	json_object_set_new(obj, "strategy", json_string(h->strategy));
	json_object_set_new(obj, "wall_s", wall);
	json_object_set_new(obj, "median_s", json_real(s.median));
	json_object_set_new(obj, "ci95", json_pack("[ff]", s.ci_lo, s.ci_hi));
	json_object_set_new(obj, "min_s", json_real(s.min));
	json_object_set_new(obj, "max_s", json_real(s.max));
	json_object_set_new(obj, "mean_s", json_real(s.mean));
	json_object_set_new(obj, "stddev_s", json_real(s.stddev));
	json_object_set_new(obj, "cv", json_real(s.cv));
	json_object_set_new(obj, "outliers", json_integer((json_int_t)s.outliers));
	json_object_set_new(obj, "speedup", isfinite(speedup) ? json_real(speedup) : json_null());
	json_object_set_new(obj, "speedup_ci95",
			    isfinite(slo) ? json_pack("[ff]", slo, shi) : json_null());
	json_object_set_new(obj, "user_s", json_real(h->user_s));
	json_object_set_new(obj, "sys_s", json_real(h->system_s));
	json_object_set_new(obj, "cores_busy", json_real(busy));
	json_object_set_new(obj, "command", json_string(reproduce));
	json_object_set_new(obj, "whole_process", json_pack(
		"{s:o, s:o, s:o, s:o, s:o}",
		"startup_s", isfinite(startup) ? json_real(startup) : json_null(),
		"fixture_s", isfinite(fixture) ? json_real(fixture) : json_null(),
		"setup_s", isfinite(setup) ? json_real(setup) : json_null(),
		"prepare_s", isfinite(prepare) ? json_real(prepare) : json_null(),
		"teardown_s", isfinite(teardown) ? json_real(teardown) : json_null()));
	return obj;
}

int harness_cmd_hyperfine(int argc, char **argv)
{
	static struct run_request req;
	static struct run_context ctx;
	struct hf_args a;
	struct record_set set;
	char self[PATH_MAX], err[600], digest[24] = "", path[PATH_MAX + 64];
	int status;


	hf_parse(argc, argv, &a);
	cli_resolve(&a.spec, &req);
	if (!hyperfine_available()) {
		fprintf(stderr, "concbench: hyperfine is not installed; install it with: "
				"apt-get install hyperfine\n");
		return 1;
	}
	if (!realpath("/proc/self/exe", self)) {
		fprintf(stderr, "concbench: cannot find my own binary: %s\n", strerror(errno));
		return 1;
	}
	if (run_open_dir(&ctx, a.out) < 0)
		return 1;
	run_write_env(&ctx, argc, argv);
	runner_install_signal_handlers();

	/* The in-process clock first: it also yields the reference digest. */
	progress_init(&ctx.progress, stderr, run_count_cells(&req, NULL));
	run_experiment(&ctx, &req);
	progress_finish(&ctx.progress);
	snprintf(path, sizeof(path), "%s/results.jsonl", ctx.dir);
	if (records_load(path, &set, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < set.n && !digest[0]; i++)
		if (!strcmp(set.r[i].strategy, req.reference->name) && record_ok(&set.r[i]))
			snprintf(digest, sizeof(digest), "%s", set.r[i].digest);
	records_free(&set);
	if (!digest[0]) {
		fprintf(stderr, "concbench: no reference digest (%s did not finish), so hyperfine's runs "
				"could not be checked; not running hyperfine\n", req.reference->name);
		ctx.failed++;
		return run_finish(&ctx, true);
	}

	{
		/* Groups: strategies with a fixed worker count, then the rest. */
		double startup = startup_seconds(self);
		struct hf_result *all[2] = { NULL, NULL };
		size_t nall[2] = { 0, 0 };
		char strat[2][512] = { "", "" }, workers[2][512] = { "", "" };
		char cmd[2][2048], reproduce[2][4096], json[2][PATH_MAX + 64];
		const struct hf_result *serial = NULL;
		bool ok = true;

		for (size_t s = 0; s < req.nstrategies; s++) {
			int g = req.strategies[s]->fixed_workers ? 0 : 1;
			size_t len = strlen(strat[g]);

			snprintf(strat[g] + len, sizeof(strat[g]) - len, "%s%s", len ? "," : "",
				 req.strategies[s]->name);
			if (g == 0)
				snprintf(workers[0], sizeof(workers[0]), "%u",
					 req.strategies[s]->fixed_workers);
		}
		for (size_t k = 0; k < req.nworkers; k++) {
			size_t len = strlen(workers[1]);

			snprintf(workers[1] + len, sizeof(workers[1]) - len, "%s%u", len ? "," : "",
				 req.workers[k]);
		}
		for (int g = 0; g < 2 && ok; g++) {
			char runs_s[16], warm_s[16];

			if (!strat[g][0])
				continue;
			snprintf(runs_s, sizeof(runs_s), "%u", req.opt.repeat);
			snprintf(warm_s, sizeof(warm_s), "%u", req.opt.warmup);
			snprintf(json[g], sizeof(json[g]), "%s/.hyperfine-%d.json.tmp", ctx.dir, g + 1);
			once_command(self, &req, &a, digest, "{strategy}", "{workers}", cmd[g],
				     sizeof(cmd[g]));
			snprintf(reproduce[g], sizeof(reproduce[g]),
				 "hyperfine -N --runs %s --warmup %s --parameter-list strategy %s "
				 "--parameter-list workers %s '%s'", runs_s, warm_s, strat[g], workers[g],
				 cmd[g]);
			fprintf(stderr, "concbench: %s\n", reproduce[g]);
			{
				char *const hargv[] = { "hyperfine", "-N", "--style", "basic", "--runs", runs_s,
							"--warmup", warm_s, "--export-json", json[g],
							"--parameter-list", "strategy", strat[g],
							"--parameter-list", "workers", workers[g], cmd[g],
							NULL };

				status = run_program(hargv, NULL);
			}
			if (status != 0) {
				fprintf(stderr, "concbench: hyperfine exited with status %d (a timed run "
						"failed or computed another digest); nothing from it was "
						"stored\n", status);
				unlink(json[g]);
				ok = false;
			} else if (hyperfine_parse(json[g], req.opt.repeat, &all[g], &nall[g], err,
						   sizeof(err)) < 0) {
				fprintf(stderr, "concbench: %s; nothing from it was stored\n", err);
				ok = false;
			}
		}
		for (size_t i = 0; ok && i < nall[0]; i++)
			if (!strcmp(all[0][i].strategy, strategy_reference()->name))
				serial = &all[0][i];
		/* Everything parsed: build every line, and only then append. */
		json_t *lines = json_array();

		for (int g = 0; g < 2 && ok; g++) {
			for (size_t i = 0; i < nall[g]; i++) {
				const struct hf_result *h = &all[g][i];
				char one[2048], wtext[16], rep[4096], tmp[PATH_MAX + 64];
				double setup, prepare, teardown, fixture;
				char *oargv[64], copy[2048];
				size_t n = 0;

				snprintf(wtext, sizeof(wtext), "%u", h->workers);
				once_command(self, &req, &a, digest, h->strategy, wtext, one, sizeof(one));
				snprintf(rep, sizeof(rep), "hyperfine -N --runs %u --warmup %u '%s'",
					 req.opt.repeat, req.opt.warmup, one);
				snprintf(tmp, sizeof(tmp), "%s/.once.out", ctx.dir);
				snprintf(copy, sizeof(copy), "%s", one);
				for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && n < 63;
				     t = strtok_r(NULL, " ", &save))
					oargv[n++] = t;
				oargv[n] = NULL;
				once_breakdown(oargv, tmp, &setup, &prepare, &teardown, &fixture);
				json_array_append_new(lines, hf_line(&ctx, &req, h, rep, digest, serial,
								     startup, setup, prepare, teardown,
								     fixture));
			}
		}
		for (size_t i = 0; ok && i < json_array_size(lines); i++) {
			if (store_append_line(ctx.dir, json_array_get(lines, i), err, sizeof(err)) < 0) {
				fprintf(stderr, "concbench: %s\n", err);
				ctx.io_failed = true;
				break;
			}
		}
		json_decref(lines);
		for (int g = 0; g < 2; g++) {
			snprintf(path, sizeof(path), "%s/hyperfine-%d.json", ctx.dir, g + 1);
			if (ok && nall[g])
				rename(json[g], path);
			else if (strat[g][0])
				unlink(json[g]); /* a failed group's export is no result */
		}
		for (int g = 0; g < 2; g++)
			hyperfine_free(all[g], nall[g]);
		if (!ok)
			ctx.failed++;
	}
	return run_render(&ctx, run_finish(&ctx, true));
}
