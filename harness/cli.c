/*
 * cli.c - parsing `concbench run` and printing `list` and `--help`.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void cli_usage_error(const char *flag, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "concbench: %s%s", flag ? flag : "", flag ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ==== Names ==== */

static void strategy_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; strategy_registry[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 strategy_registry[i]->name);
}

static void workload_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; workload_registry[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 workload_registry[i]->name);
}

/* ==== Lists ==== */

/* Splits a comma-separated list in place; rejects empty lists and items. */
static size_t split_list(const char *flag, char *text, char **items, size_t max,
			 const char *accepts)
{
	size_t n = 0;
	char *save = NULL;

	if (!*text)
		cli_usage_error(flag, "expected %s, got an empty list", accepts);
	if (text[0] == ',' || text[strlen(text) - 1] == ',' || strstr(text, ",,"))
		cli_usage_error(flag, "expected %s, got an empty item in '%s'", accepts, text);
	for (char *tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			cli_usage_error(flag, "expected at most %zu items", max);
		items[n++] = tok;
	}
	return n;
}

static void parse_strategies(const char *value, struct run_request *req)
{
	char copy[1024], *items[CLI_MAX_STRATEGIES], names[512];
	size_t n;

	strategy_names(names, sizeof(names));
	if (strlen(value) >= sizeof(copy))
		cli_usage_error("--strategy", "list too long");
	snprintf(copy, sizeof(copy), "%s", value);
	n = split_list("--strategy", copy, items, CLI_MAX_STRATEGIES,
		       "a comma-separated list of strategies or 'all'");
	req->nstrategies = 0;
	if (n == 1 && strcmp(items[0], "all") == 0) {
		for (size_t i = 0; strategy_registry[i]; i++)
			if (!strategy_registry[i]->test_only)
				req->strategies[req->nstrategies++] = strategy_registry[i];
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct strategy *s = strategy_find(items[i]);

		if (!s)
			cli_usage_error("--strategy", "unknown strategy '%s'; choose from: %s, or all",
					items[i], names);
		for (size_t j = 0; j < req->nstrategies; j++)
			if (req->strategies[j] == s)
				cli_usage_error("--strategy", "'%s' is listed twice", items[i]);
		req->strategies[req->nstrategies++] = s;
	}
}

static void parse_workers(const char *value, struct run_request *req)
{
	char copy[1024], *items[CLI_MAX_WORKERS];
	size_t n;

	if (strlen(value) >= sizeof(copy))
		cli_usage_error("--workers", "list too long");
	snprintf(copy, sizeof(copy), "%s", value);
	n = split_list("--workers", copy, items, CLI_MAX_WORKERS,
		       "a comma-separated list of integers in 1..100000");
	for (size_t i = 0; i < n; i++) {
		int64_t v;

		if (!parse_int64(items[i], 1, CLI_MAX_WORKER_COUNT, &v))
			cli_usage_error("--workers", "expected integers in 1..%d, got '%s'",
					CLI_MAX_WORKER_COUNT, items[i]);
		for (size_t j = 0; j < i; j++)
			if (req->workers[j] == (unsigned)v)
				cli_usage_error("--workers", "%s is listed twice", items[i]);
		req->workers[i] = (unsigned)v;
	}
	req->nworkers = n;
}

static int64_t parse_number(const char *flag, const char *value, int64_t min, int64_t max)
{
	int64_t v;

	if (!parse_int64(value, min, max, &v))
		cli_usage_error(flag, "expected an integer in %lld..%lld, got '%s'",
				(long long)min, (long long)max, value);
	return v;
}

/* ==== Parameters ==== */

/*
 * A --param name belongs to the workload or to any chosen strategy (or
 * several: the value goes to each that declares it). One given twice, or
 * declared by none, is an error.
 */
static void apply_params(char **given, size_t ngiven, struct run_request *req)
{
	for (size_t g = 0; g < ngiven; g++) {
		char name[128], err[256];
		const char *eq = strchr(given[g], '=');
		size_t nlen = eq ? (size_t)(eq - given[g]) : 0;
		bool found = false;
		int idx;

		if (!eq || nlen == 0 || nlen >= sizeof(name))
			cli_usage_error("--param", "expected name=value, got '%s'", given[g]);
		memcpy(name, given[g], nlen);
		name[nlen] = '\0';
		for (size_t h = 0; h < g; h++)
			if (strncmp(given[h], given[g], nlen + 1) == 0)
				cli_usage_error("--param", "'%s' is given twice", name);

		idx = param_index(req->workload->params, name);
		if (idx >= 0) {
			found = true;
			if (param_parse_value(&req->workload->params[idx], eq + 1, &req->wparams,
					      (size_t)idx, err, sizeof(err)) < 0)
				cli_usage_error("--param", "%s: %s", name, err);
		}
		for (size_t s = 0; s < req->nstrategies; s++) {
			idx = param_index(req->strategies[s]->params, name);
			if (idx < 0)
				continue;
			found = true;
			if (param_parse_value(&req->strategies[s]->params[idx], eq + 1,
					      &req->sparams[s], (size_t)idx, err, sizeof(err)) < 0)
				cli_usage_error("--param", "%s: %s", name, err);
		}
		if (!found) {
			char accepted[512] = "";
			size_t used = 0;

			for (size_t i = 0; req->workload->params[i].name; i++)
				used += (size_t)snprintf(accepted + used, sizeof(accepted) - used, "%s%s",
							 used ? ", " : "", req->workload->params[i].name);
			for (size_t s = 0; s < req->nstrategies && used < sizeof(accepted); s++)
				for (size_t i = 0; req->strategies[s]->params[i].name &&
						   used < sizeof(accepted); i++)
					used += (size_t)snprintf(accepted + used, sizeof(accepted) - used,
								 "%s%s (%s)", used ? ", " : "",
								 req->strategies[s]->params[i].name,
								 req->strategies[s]->name);
			cli_usage_error("--param", "unknown parameter '%s' for %s; accepted: %s", name,
					req->workload->name, used ? accepted : "none");
		}
	}
}

/* ==== run ==== */

static const char *flag_value(int argc, char **argv, int *i, const char *flag)
{
	const char *arg = argv[*i];
	size_t flen = strlen(flag);

	if (arg[flen] == '=')
		return arg + flen + 1;
	if (*i + 1 >= argc)
		cli_usage_error(flag, "needs a value");
	return argv[++*i];
}

static bool is_flag(const char *arg, const char *flag)
{
	size_t flen = strlen(flag);

	return strncmp(arg, flag, flen) == 0 && (arg[flen] == '\0' || arg[flen] == '=');
}

void cli_parse_run(int argc, char **argv, struct run_request *req)
{
	const char *workload = NULL, *strategies = "all", *workers = NULL, *tasks = NULL;
	const char *repeat = NULL, *warmup = NULL, *timeout = NULL, *out = NULL, *reference = NULL;
	char **params = calloc((size_t)argc + 1, sizeof(*params));
	size_t nparams = 0;

	if (!params)
		cli_usage_error(NULL, "out of memory");
	memset(req, 0, sizeof(*req));
	req->argc = argc;
	req->argv = argv;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		const char *flag = NULL;

		if (is_flag(a, "--workload"))
			slot = &workload, flag = "--workload";
		else if (is_flag(a, "--strategy"))
			slot = &strategies, flag = "--strategy";
		else if (is_flag(a, "--workers"))
			slot = &workers, flag = "--workers";
		else if (is_flag(a, "--tasks"))
			slot = &tasks, flag = "--tasks";
		else if (is_flag(a, "--repeat"))
			slot = &repeat, flag = "--repeat";
		else if (is_flag(a, "--warmup"))
			slot = &warmup, flag = "--warmup";
		else if (is_flag(a, "--timeout"))
			slot = &timeout, flag = "--timeout";
		else if (is_flag(a, "--out"))
			slot = &out, flag = "--out";
		else if (is_flag(a, "--reference"))
			slot = &reference, flag = "--reference";
		else if (is_flag(a, "--param"))
			params[nparams++] = (char *)flag_value(argc, argv, &i, "--param");
		else
			cli_usage_error(a, "unknown option for 'run'; see 'concbench --help'");
		if (slot)
			*slot = flag_value(argc, argv, &i, flag);
	}

	if (!workload) {
		char names[512];

		workload_names(names, sizeof(names));
		cli_usage_error("--workload", "is required; choose one of: %s", names);
	}
	req->workload = workload_find(workload);
	if (!req->workload) {
		char names[512];

		workload_names(names, sizeof(names));
		cli_usage_error("--workload", "unknown workload '%s'; choose one of: %s", workload, names);
	}
	parse_strategies(strategies, req);
	req->reference = strategy_reference();
	if (reference) {
		char names[512];

		strategy_names(names, sizeof(names));
		req->reference = strategy_find(reference);
		if (!req->reference)
			cli_usage_error("--reference", "unknown strategy '%s'; choose from: %s", reference,
					names);
		if (req->reference != strategy_reference()) {
			bool listed = false;

			for (size_t s = 0; s < req->nstrategies; s++)
				listed |= req->strategies[s] == req->reference;
			if (!listed)
				cli_usage_error("--reference", "'%s' must also be in --strategy (only %s "
						"runs on the side)", reference, strategy_reference()->name);
		}
	}
	if (workers) {
		parse_workers(workers, req);
	} else {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		req->workers[req->nworkers++] = 1;
		if (cores > 1)
			req->workers[req->nworkers++] = (unsigned)cores;
	}
	req->ntasks = tasks ? (size_t)parse_number("--tasks", tasks, 1, CLI_MAX_TASKS)
			    : req->workload->default_tasks;
	req->opt.repeat = repeat ? (unsigned)parse_number("--repeat", repeat, 1, 10000) : 5;
	req->opt.warmup = warmup ? (unsigned)parse_number("--warmup", warmup, 0, 1000) : 1;
	req->opt.timeout_s = timeout ? (double)parse_number("--timeout", timeout, 1, 86400) : 600;
	if (out) {
		if (!*out)
			cli_usage_error("--out", "expected a directory path, got an empty string");
		if (strlen(out) >= sizeof(req->out_dir))
			cli_usage_error("--out", "path longer than %zu bytes", sizeof(req->out_dir) - 1);
		snprintf(req->out_dir, sizeof(req->out_dir), "%s", out);
	}

	param_defaults(req->workload->params, &req->wparams);
	for (size_t s = 0; s < req->nstrategies; s++)
		param_defaults(req->strategies[s]->params, &req->sparams[s]);
	apply_params(params, nparams, req);
	free(params);

	if (req->workload->validate) {
		unsigned most = 1;
		char err[256] = "";

		for (size_t s = 0; s < req->nstrategies; s++)
			for (size_t k = 0; k < req->nworkers && !req->strategies[s]->fixed_workers; k++)
				if (req->workers[k] > most)
					most = req->workers[k];
		if (req->workload->validate(&req->wparams, most, err, sizeof(err)) < 0)
			cli_usage_error("--workers", "%s", err);
	}
}

/* ==== Texts ==== */

void cli_print_usage(FILE *f)
{
	fputs("usage: concbench <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  list                 every strategy and workload, with parameters\n"
	      "  run                  run a workload under strategies and worker counts\n", f);
	for (size_t i = 0; workload_registry[i]; i++) {
		const struct workload_command *c = workload_registry[i]->command;

		if (c)
			fprintf(f, "  %-20s %s\n", c->name, c->summary);
	}
	fputs("  help, --help         this text\n"
	      "  --version            the version\n"
	      "\n"
	      "run options:\n"
	      "  --workload W         the workload to run (required; see 'list')\n"
	      "  --strategy S,...     strategies, or 'all' (default all)\n"
	      "  --workers K,...      worker counts (default 1 and the number of cores)\n"
	      "  --tasks N            tasks per sample (default: the workload's)\n"
	      "  --repeat R           measured samples per cell (default 5)\n"
	      "  --warmup K           unrecorded samples first (default 1)\n"
	      "  --param name=value   a workload or strategy parameter (repeatable)\n"
	      "  --timeout SECONDS    per cell, warmup included (default 600)\n"
	      "  --reference S        whose digest every cell must match (default serial,\n"
	      "                       run once on the side when not in --strategy; name\n"
	      "                       another listed strategy to spare a slow serial run)\n"
	      "  --out DIR            where results go (default results/<run id>)\n"
	      "\n"
	      "exit status: 0 every cell ok, 1 a cell failed, timed out or computed a\n"
	      "different digest than serial, 2 bad input.\n", f);
}

static void print_params(FILE *f, const struct param_spec *specs)
{
	for (size_t i = 0; specs[i].name; i++) {
		char desc[256];

		param_describe(&specs[i], desc, sizeof(desc));
		fprintf(f, "      --param %s=<%s>\n          %s\n", specs[i].name, desc, specs[i].help);
	}
}

void cli_print_list(FILE *f)
{
	fputs("strategies:\n", f);
	for (size_t i = 0; strategy_registry[i]; i++) {
		const struct strategy *s = strategy_registry[i];

		fprintf(f, "  %-12s %s%s\n", s->name, s->description,
			s->test_only ? " [test only]" : "");
		print_params(f, s->params);
	}
	fputs("\nworkloads:\n", f);
	for (size_t i = 0; workload_registry[i]; i++) {
		const struct workload *w = workload_registry[i];

		fprintf(f, "  %-12s [%s] %s (default %zu tasks)\n", w->name,
			workload_kind_name(w->kind), w->description, w->default_tasks);
		print_params(f, w->params);
	}
}
