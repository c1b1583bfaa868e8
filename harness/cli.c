/*
 * cli.c - a run's options resolved into a checked request, and `list`.
 *
 * ==== Layout ====
 * names        the registries' names, for messages and suggestions
 * lists        strategies and worker counts, comma-separated
 * parameters   --param name=value, to the workload and the strategies
 * resolve      a spec of texts into a request; the plug-ins' own checks
 * texts        `concbench list`
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "plugins.h"

_Noreturn void cli_usage_error(const char *flag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	opt_verror(NULL, flag, fmt, ap);
}

/* ==== Names ==== */

/* The registries' names; test-only strategies only when asked. */
static size_t strategy_name_list(const char **out, size_t max, bool test_only_too)
{
	size_t n = 0;

	for (size_t i = 0; strategy_registry[i] && n < max; i++)
		if (test_only_too || !(strategy_registry[i]->flags & STRATEGY_TEST_ONLY))
			out[n++] = strategy_registry[i]->name;
	return n;
}

static size_t workload_name_list(const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; workload_registry[i] && n < max; i++)
		out[n++] = workload_registry[i]->name;
	return n;
}

static void strategy_names(char *buf, size_t len)
{
	const char *names[64];

	names_join(names, strategy_name_list(names, 64, true), ", ", buf, len);
}

static void workload_names(char *buf, size_t len)
{
	const char *names[64];

	names_join(names, workload_name_list(names, 64), ", ", buf, len);
}

/* " (did you mean 'x'?)" for a mistyped strategy or workload name. */
static void suggest_strategy(const char *name, char *buf, size_t len)
{
	const char *names[64];

	opt_did_you_mean(name, names, strategy_name_list(names, 64, false), buf, len);
}

static void suggest_workload(const char *name, char *buf, size_t len)
{
	const char *names[64];

	opt_did_you_mean(name, names, workload_name_list(names, 64), buf, len);
}

/* ==== Lists ==== */

/* Splits a comma-separated list in place; rejects empty lists and items. */
static size_t split_list(const char *where, const char *flag, char *text, char **items,
			 size_t max, const char *accepts)
{
	size_t n = 0;
	char *save = NULL;

	if (!*text)
		opt_where_error(where, flag, "expected %s, got an empty list", accepts);
	if (text[0] == ',' || text[strlen(text) - 1] == ',' || strstr(text, ",,"))
		opt_where_error(where, flag, "expected %s, got an empty item in '%s'", accepts, text);
	for (char *tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			opt_where_error(where, flag, "expected at most %zu items", max);
		items[n++] = tok;
	}
	return n;
}

static void parse_strategies(const char *where, const char *value, struct run_request *req)
{
	char copy[1024], *items[CLI_MAX_STRATEGIES], names[512];
	size_t n;

	strategy_names(names, sizeof(names));
	if (strlen(value) >= sizeof(copy))
		opt_where_error(where, "--strategy", "list too long");
	snprintf(copy, sizeof(copy), "%s", value);
	n = split_list(where, "--strategy", copy, items, CLI_MAX_STRATEGIES,
		       "a comma-separated list of strategies or 'all'");
	req->nstrategies = 0;
	if (n == 1 && strcmp(items[0], "all") == 0) {
		for (size_t i = 0; strategy_registry[i]; i++)
			if (!(strategy_registry[i]->flags & (STRATEGY_TEST_ONLY | STRATEGY_NAMED_ONLY)))
				req->strategies[req->nstrategies++] = strategy_registry[i];
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct strategy *s = strategy_find(items[i]);
		size_t len = strlen(items[i]);

		/* "py.*": every strategy named so (test-only ones aside). */
		if (!s && len > 2 && !strcmp(items[i] + len - 2, ".*")) {
			size_t before = req->nstrategies;

			for (size_t k = 0; strategy_registry[k]; k++) {
				const struct strategy *m = strategy_registry[k];
				bool listed = false;

				if ((m->flags & STRATEGY_TEST_ONLY) || strncmp(m->name, items[i], len - 1))
					continue;
				for (size_t j = 0; j < req->nstrategies; j++)
					listed |= req->strategies[j] == m;
				if (listed)
					opt_where_error(where, "--strategy", "'%s' is listed twice (%s)",
						        m->name, items[i]);
				if (req->nstrategies == CLI_MAX_STRATEGIES)
					opt_where_error(where, "--strategy", "list too long");
				req->strategies[req->nstrategies++] = m;
			}
			if (req->nstrategies > before)
				continue;
		}
		if (!s) {
			char hint[96];

			suggest_strategy(items[i], hint, sizeof(hint));
			opt_where_error(where, "--strategy",
				        "unknown strategy '%s'%s; choose from: %s, all, or PREFIX.* (py.*)",
				        items[i], hint, names);
		}
		for (size_t j = 0; j < req->nstrategies; j++)
			if (req->strategies[j] == s)
				opt_where_error(where, "--strategy", "'%s' is listed twice", items[i]);
		req->strategies[req->nstrategies++] = s;
	}
}

/* Adds v unless present; returns false when the list is full. */
static bool add_worker(struct run_request *req, unsigned v)
{
	for (size_t j = 0; j < req->nworkers; j++)
		if (req->workers[j] == v)
			return true;
	if (req->nworkers == CLI_MAX_WORKERS)
		return false;
	req->workers[req->nworkers++] = v;
	return true;
}

/*
 * Integers, or `scan`: 1, 2, 4, ... up to twice the cores, plus the core
 * count and twice it - the worker counts that show CPU scaling; `cores`,
 * and `Kxcores` (K times the cores, `16xcores`): counts that follow the
 * machine.
 */
static bool parse_cores(const char *item, unsigned cores, int64_t *v)
{
	int64_t k = 1;
	char *x;

	if (strcmp(item, "cores") != 0) {
		x = strstr(item, "xcores");
		if (!x || x == item || strcmp(x, "xcores") != 0)
			return false;
		{
			char num[32];

			if ((size_t)(x - item) >= sizeof(num))
				return false;
			snprintf(num, sizeof(num), "%.*s", (int)(x - item), item);
			if (!parse_int64(num, 1, CLI_MAX_WORKER_COUNT, &k))
				return false;
		}
	}
	*v = k * (int64_t)cores;
	return *v <= CLI_MAX_WORKER_COUNT;
}

static void parse_workers(const char *where, const char *value, struct run_request *req)
{
	char copy[1024], *items[CLI_MAX_WORKERS];
	unsigned cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	size_t n;

	if (strlen(value) >= sizeof(copy))
		opt_where_error(where, "--workers", "list too long");
	snprintf(copy, sizeof(copy), "%s", value);
	n = split_list(where, "--workers", copy, items, CLI_MAX_WORKERS,
		       "a comma-separated list of integers in 1..100000, scan, cores or Kxcores");
	req->nworkers = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t v;

		if (!strcmp(items[i], "scan")) {
			for (unsigned w = 1; w <= 2 * cores; w *= 2)
				add_worker(req, w);
			add_worker(req, cores);
			add_worker(req, 2 * cores);
			continue;
		}
		if (!parse_int64(items[i], 1, CLI_MAX_WORKER_COUNT, &v) &&
		    !parse_cores(items[i], cores, &v))
			opt_where_error(where, "--workers",
				        "expected integers in 1..%d, scan, cores or Kxcores (16xcores), got '%s'",
				        CLI_MAX_WORKER_COUNT, items[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(items[j], items[i]))
				opt_where_error(where, "--workers", "%s is listed twice", items[i]);
		if (!add_worker(req, (unsigned)v))
			opt_where_error(where, "--workers", "expected at most %d worker counts", CLI_MAX_WORKERS);
	}
}

static int64_t parse_number(const char *where, const char *flag, const char *value, int64_t min,
			    int64_t max)
{
	int64_t v;

	if (!parse_int64(value, min, max, &v))
		opt_where_error(where, flag, "expected an integer in %lld..%lld, got '%s'",
				    (long long)min, (long long)max, value);
	return v;
}

/* A decimal number in [min, max], an optional unit suffix allowed. */
static double parse_decimal(const char *where, const char *flag, const char *value, double min,
			    double max, const char *suffix)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(value, &end);
	if (end != value && suffix && !strcmp(end, suffix))
		end += strlen(suffix);
	if (end == value || *end || errno || !isfinite(v) || v < min || v > max || isspace(*value))
		opt_where_error(where, flag, "expected a number in %g..%g%s, got '%s'", min, max,
			        suffix ? suffix : "", value);
	return v;
}

/* The sampling rule's options (see runner.h), with their defaults. */
static void parse_sampling(const char *where, const struct run_spec *spec, struct run_options *o)
{
	o->repeat = spec->repeat ? (unsigned)parse_number(where, "--repeat", spec->repeat, 1,
							    CLI_MAX_REPEAT) : 10;
	o->max_repeat = spec->max_repeat ? (unsigned)parse_number(where, "--max-repeat",
								  spec->max_repeat, 1, CLI_MAX_REPEAT)
					 : (o->repeat > 200 ? o->repeat : 200);
	if (o->max_repeat < o->repeat)
		opt_where_error(where, "--max-repeat", "must be at least --repeat (%u), got '%s'",
			        o->repeat, spec->max_repeat);
	o->precision = spec->precision ? parse_decimal(where, "--precision", spec->precision, 0, 100,
						       "%") / 100 : 0.02;
	o->max_time_s = spec->max_time ? parse_decimal(where, "--max-time", spec->max_time, 0.001,
						       86400, NULL) : 10;
	o->retakes = spec->retakes ? (unsigned)parse_number(where, "--retakes", spec->retakes, 0,
							      CLI_MAX_REPEAT) : o->repeat;
	o->warmup = spec->warmup ? (unsigned)parse_number(where, "--warmup", spec->warmup, 0, 1000) : 1;
	o->timeout_s = spec->timeout ? (double)parse_number(where, "--timeout", spec->timeout, 1, 86400)
				     : 600;
}

/* ==== Parameters ==== */

/* A --param name no chosen plug-in declares: the names they do, and the
 * nearest one. */
static _Noreturn void unknown_param(const char *where, const char *name,
				    const struct run_request *req)
{
	const char *names[CLI_MAX_STRATEGIES * PARAM_MAX + PARAM_MAX];
	char accepted[512] = "", hint[96];
	size_t used = 0, n = 0;

	for (size_t i = 0; req->workload->params[i].name && n < PARAM_MAX; i++) {
		names[n++] = req->workload->params[i].name;
		used += (size_t)snprintf(accepted + used, sizeof(accepted) - used, "%s%s",
					 used ? ", " : "", req->workload->params[i].name);
	}
	for (size_t s = 0; s < req->nstrategies; s++) {
		for (size_t i = 0; req->strategies[s]->params[i].name && i < PARAM_MAX; i++) {
			names[n++] = req->strategies[s]->params[i].name;
			if (used < sizeof(accepted))
				used += (size_t)snprintf(accepted + used, sizeof(accepted) - used,
							 "%s%s (%s)", used ? ", " : "",
							 req->strategies[s]->params[i].name,
							 req->strategies[s]->name);
		}
	}
	opt_did_you_mean(name, names, n, hint, sizeof(hint));
	opt_where_error(where, "--param", "unknown parameter '%s' for %s%s; accepted: %s", name,
		        req->workload->name, hint, used ? accepted : "none");
}

/*
 * A --param name belongs to the workload or to any chosen strategy (or
 * several: the value goes to each that declares it). One given twice, or
 * declared by none, is an error.
 */
static void apply_params(const char *where, const char *const *given, size_t ngiven,
			 struct run_request *req)
{
	for (size_t g = 0; g < ngiven; g++) {
		char name[128], err[256];
		const char *eq = strchr(given[g], '=');
		size_t nlen = eq ? (size_t)(eq - given[g]) : 0;
		bool found = false;
		int idx;

		if (!eq || nlen == 0 || nlen >= sizeof(name))
			opt_where_error(where, "--param", "expected name=value, got '%s'", given[g]);
		memcpy(name, given[g], nlen);
		name[nlen] = '\0';
		for (size_t h = 0; h < g; h++)
			if (strncmp(given[h], given[g], nlen + 1) == 0)
				opt_where_error(where, "--param", "'%s' is given twice", name);

		idx = param_index(req->workload->params, name);
		if (idx >= 0) {
			found = true;
			if (param_parse_value(&req->workload->params[idx], eq + 1, &req->wparams,
					      (size_t)idx, err, sizeof(err)) < 0)
				opt_where_error(where, "--param", "%s: %s", name, err);
		}
		for (size_t s = 0; s < req->nstrategies; s++) {
			idx = param_index(req->strategies[s]->params, name);
			if (idx < 0)
				continue;
			found = true;
			if (param_parse_value(&req->strategies[s]->params[idx], eq + 1,
					      &req->sparams[s], (size_t)idx, err, sizeof(err)) < 0)
				opt_where_error(where, "--param", "%s: %s", name, err);
		}
		if (!found)
			unknown_param(where, name, req);
	}
}

/* ==== run ==== */

/* The most workers strategy s runs with in this request. */
static unsigned most_workers(const struct run_request *req, const struct strategy *s)
{
	unsigned most = s->fixed_workers ? s->fixed_workers : 1;

	for (size_t k = 0; k < req->nworkers && !s->fixed_workers; k++)
		if (req->workers[k] > most)
			most = req->workers[k];
	return most;
}

/* The plug-ins' own checks of the request (limits, say): bad input. */
static void validate_plugins(const char *where, const struct run_request *req)
{
	unsigned most = 1;
	char err[256] = "";

	for (size_t s = 0; s < req->nstrategies; s++) {
		const struct strategy *st = req->strategies[s];
		unsigned w = most_workers(req, st);

		most = w > most ? w : most;
		/* A reason that names its own flag (--param ...) keeps it. */
		if (st->validate && st->validate(req->workload, &req->sparams[s], w, err,
						 sizeof(err)) < 0)
			opt_where_error(where, strncmp(err, "--", 2) ? "--workers" : NULL, "%s: %s",
				        st->name, err);
	}
	/* A reason that names its own flag (--param url: ...) keeps it. */
	if (req->workload->validate &&
	    req->workload->validate(&req->wparams, most, err, sizeof(err)) < 0)
		opt_where_error(where, strncmp(err, "--", 2) ? "--workers" : NULL, "%s", err);
}

/* Says once per process that a strategy is skipped, and why. */
static void say_skipped(const char *where, const char *strategy, const char *workload,
			const char *why)
{
	static char said[16][STRATEGY_RUNTIME_MAX * 4];
	static size_t nsaid;
	char line[sizeof(said[0])];

	snprintf(line, sizeof(line), "%s on %s: %s", strategy, workload, why);
	for (size_t k = 0; k < nsaid; k++)
		if (!strcmp(said[k], line))
			return;
	if (nsaid < sizeof(said) / sizeof(said[0]))
		memcpy(said[nsaid++], line, sizeof(line));
	fprintf(stderr, "concbench: %s%sskipping %s\n", where ? where : "", where ? ": " : "", line);
}

/* Each strategy's runtime: its name into req->runtime, or, when it is
 * missing here, the strategy leaves the request with one line said (or,
 * when none is left and the spec may not skip them all, bad input). */
static void resolve_runtimes(const struct run_spec *spec, struct run_request *req)
{
	const char *where = spec->where;
	char why[CLI_MAX_STRATEGIES][STRATEGY_RUNTIME_MAX * 4];
	const struct strategy *skipped[CLI_MAX_STRATEGIES];
	size_t kept = 0, nskipped = 0;

	for (size_t s = 0; s < req->nstrategies; s++) {
		const struct strategy *st = req->strategies[s];
		char name[STRATEGY_RUNTIME_MAX * 4] = "";

		if (st->runtime && st->runtime(req->workload, &req->sparams[s], name, sizeof(name)) < 0) {
			if (st == req->reference)
				opt_where_error(where, "--reference", "%s: %s", st->name, name);
			snprintf(why[nskipped], sizeof(why[0]), "%s", name[0] ? name : "its runtime is missing");
			skipped[nskipped++] = st;
			continue;
		}
		if (strlen(name) >= sizeof(req->runtime[kept]))
			opt_where_error(where, "--strategy", "%s: its runtime's name is over %zu bytes",
				    st->name, sizeof(req->runtime[kept]) - 1);
		req->strategies[kept] = st;
		req->sparams[kept] = req->sparams[s];
		memcpy(req->runtime[kept], name, strlen(name) + 1);
		kept++;
	}
	req->nstrategies = kept;
	if (kept == 0 && nskipped > 0 && !spec->may_skip_all)
		opt_where_error(where, "--strategy", "nothing left to run: %s on %s is skipped: %s",
				skipped[0]->name, req->workload->name, why[0]);
	for (size_t k = 0; k < nskipped; k++)
		say_skipped(where, skipped[k]->name, req->workload->name, why[k]);
}

void cli_resolve(const struct run_spec *spec, struct run_request *req)
{
	const char *where = spec->where;

	memset(req, 0, sizeof(*req));
	if (!spec->workload) {
		char names[512];

		workload_names(names, sizeof(names));
		opt_where_error(where, "--workload", "is required; choose one of: %s", names);
	}
	req->workload = workload_find(spec->workload);
	if (!req->workload) {
		char names[512], hint[96];

		workload_names(names, sizeof(names));
		suggest_workload(spec->workload, hint, sizeof(hint));
		opt_where_error(where, "--workload", "unknown workload '%s'%s; choose one of: %s",
			        spec->workload, hint, names);
	}
	parse_strategies(where, spec->strategies ? spec->strategies : "all", req);
	req->reference = strategy_reference();
	if (spec->reference) {
		char names[512];

		strategy_names(names, sizeof(names));
		req->reference = strategy_find(spec->reference);
		if (!req->reference) {
			char hint[96];

			suggest_strategy(spec->reference, hint, sizeof(hint));
			opt_where_error(where, "--reference", "unknown strategy '%s'%s; choose from: %s",
				        spec->reference, hint, names);
		}
		if (req->reference != strategy_reference()) {
			bool listed = false;

			for (size_t s = 0; s < req->nstrategies; s++)
				listed |= req->strategies[s] == req->reference;
			if (!listed)
				opt_where_error(where, "--reference", "'%s' must also be in --strategy (only %s "
					        "runs on the side)", spec->reference, strategy_reference()->name);
		}
	}
	if (spec->workers) {
		parse_workers(where, spec->workers, req);
	} else {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		req->workers[req->nworkers++] = 1;
		if (cores > 1)
			req->workers[req->nworkers++] = (unsigned)cores;
	}
	req->ntasks = spec->tasks ? (size_t)parse_number(where, "--tasks", spec->tasks, 1, CLI_MAX_TASKS)
				  : req->workload->default_tasks;
	parse_sampling(where, spec, &req->opt);
	if (spec->out) {
		if (!*spec->out)
			opt_where_error(where, "--out", "expected a directory path, got an empty string");
		if (strlen(spec->out) >= sizeof(req->out_dir))
			opt_where_error(where, "--out", "path longer than %zu bytes", sizeof(req->out_dir) - 1);
		snprintf(req->out_dir, sizeof(req->out_dir), "%s", spec->out);
	}

	param_defaults(req->workload->params, &req->wparams);
	for (size_t s = 0; s < req->nstrategies; s++)
		param_defaults(req->strategies[s]->params, &req->sparams[s]);
	apply_params(where, spec->params, spec->nparams, req);

	validate_plugins(where, req);
	resolve_runtimes(spec, req);
}

void cli_spec_from_args(const struct cmd_args *a, struct run_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->workload = cmd_get(a, "workload");
	spec->strategies = cmd_get(a, "strategy");
	spec->workers = cmd_get(a, "workers");
	spec->tasks = cmd_get(a, "tasks");
	spec->repeat = cmd_get(a, "repeat");
	spec->warmup = cmd_get(a, "warmup");
	spec->timeout = cmd_get(a, "timeout");
	spec->max_repeat = cmd_get(a, "max-repeat");
	spec->precision = cmd_get(a, "precision");
	spec->max_time = cmd_get(a, "max-time");
	spec->retakes = cmd_get(a, "retakes");
	spec->out = cmd_get(a, "out");
	spec->reference = cmd_get(a, "reference");
	for (size_t k = 0; k < a->v.nrepeated; k++) {
		if (spec->nparams == CLI_MAX_PARAMS)
			cli_usage_error("--param", "at most %d parameters", CLI_MAX_PARAMS);
		spec->params[spec->nparams++] = a->v.repeated[k];
	}
}

/* ==== Texts ==== */

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
			s->flags & STRATEGY_TEST_ONLY ? " [test only]" : "");
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
