/*
 * cpython.c - the py.* strategies: the tasks run in CPython, under its
 * serial loop, threading (a ThreadPoolExecutor, under the GIL),
 * multiprocessing (a fork Pool) or asyncio (aiohttp for io.http). Each is
 * an external strategy (docs/external.md): the interpreter, Debian's
 * /usr/bin/python3 unless `python` names another, reads the program
 * strategies/cpython/tasks.py (compiled into this binary) from its stdin
 * and prints one result line with its own clock and the run digest.
 * The workloads it runs, and what it lacks here, come from asking the
 * program itself (`describe`), once per interpreter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "concbench/strategy.h"

extern const char cpython_tasks[];
extern const size_t cpython_tasks_len;

#define DESCRIBE_TIMEOUT_S 20.0
#define ANSWER_MAX 1024

enum { P_PYTHON };

static const struct param_spec cpython_params[] = {
	[P_PYTHON] = { .name = "python", .type = PARAM_STRING, .def_str = "/usr/bin/python3",
		       .help = "the interpreter, an absolute path (Debian's by default; a "
			       "free-threaded python3.13t is another runtime)" },
	{ 0 }
};

/* What one interpreter said of itself, or why it could not. */
struct described {
	char python[PARAM_STR_MAX];
	bool ok;
	char runtime[STRATEGY_RUNTIME_MAX];
	char version[ANSWER_MAX / 4]; /* sys.version's first words: "3.11.2" */
	char workloads[ANSWER_MAX];   /* " io.sleep io.http ... " */
	char missing[ANSWER_MAX];     /* lines "MODEL WORKLOAD PACKAGE" */
	char why[ANSWER_MAX];         /* when not ok */
};

/* The harness asks in its main process, once per interpreter: a cell's
 * process inherits the answers. */
static struct described asked[4];
static size_t nasked;

static void describe_into(struct described *d)
{
	char *argv[] = { d->python, "-I", "-", "describe", NULL };
	char err[ANSWER_MAX / 2];
	char *answer;

	if (d->python[0] != '/') {
		snprintf(d->why, sizeof(d->why), "--param python expects an absolute path, got '%s'",
			 d->python);
		return;
	}
	if (access(d->python, X_OK) < 0) {
		snprintf(d->why, sizeof(d->why), "%s is not installed (apt-get install %s)", d->python,
			 strstr(d->python, "/python3") ? "python3" : "the interpreter");
		return;
	}
	answer = strategy__external_ask(argv, cpython_tasks, cpython_tasks_len, DESCRIBE_TIMEOUT_S,
					err, sizeof(err));
	if (!answer) {
		snprintf(d->why, sizeof(d->why), "%s cannot run the tasks' program: %s", d->python, err);
		return;
	}
	for (char *line = strtok(answer, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "runtime ", 8))
			snprintf(d->runtime, sizeof(d->runtime), "%s", line + 8);
		else if (!strncmp(line, "version ", 8))
			snprintf(d->version, sizeof(d->version), "%s", line + 8);
		else if (!strncmp(line, "workloads ", 10))
			snprintf(d->workloads, sizeof(d->workloads), " %s ", line + 10);
		else if (!strncmp(line, "missing ", 8) &&
			 strlen(d->missing) + strlen(line) + 2 < sizeof(d->missing))
			strcat(strcat(d->missing, line + 8), "\n");
	}
	free(answer);
	d->ok = d->runtime[0] && d->workloads[0];
	if (!d->ok)
		snprintf(d->why, sizeof(d->why), "%s did not describe itself", d->python);
}

static const struct described *describe(const struct param_values *params)
{
	const char *python = params->sval[P_PYTHON];
	struct described *d;

	for (size_t k = 0; k < nasked; k++)
		if (!strcmp(asked[k].python, python))
			return &asked[k];
	d = &asked[nasked < sizeof(asked) / sizeof(asked[0]) ? nasked++ : 0];
	memset(d, 0, sizeof(*d));
	snprintf(d->python, sizeof(d->python), "%s", python);
	describe_into(d);
	return d;
}

/* " NAME " occurs in list. */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(list, name); p; p = strstr(p + 1, name))
		if (p > list && p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

/* The package the model lacks for w here, or NULL. */
static const char *lacks(const struct described *d, const char *model, const char *workload,
			 char *buf, size_t len)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "%s %s ", model, workload);
	for (p = d->missing; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, strlen(key))) {
			snprintf(buf, len, "%.*s", (int)strcspn(p + strlen(key), "\n"), p + strlen(key));
			return buf;
		}
	return NULL;
}

/* The model a py.* strategy names: its name after "py.". */
static const char *model_of(const char *name)
{
	return name + 3;
}

static int cpython_validate(const struct strategy *st, const struct workload *w,
			    const struct param_values *params, unsigned max_workers, char *err,
			    size_t errlen)
{
	const struct described *d = describe(params);

	/* No interpreter: nothing to check; runtime says it is missing. */
	if (!d->ok)
		return 0;
	if (!listed(d->workloads, w->name)) {
		snprintf(err, errlen, "--strategy %s runs only%s(the CPython program has no %s)",
			 st->name, d->workloads, w->name);
		return -1;
	}
	if (!strcmp(model_of(st->name), "threading"))
		return limits_check_tasks(max_workers, "threads", err, errlen);
	if (!strcmp(model_of(st->name), "multiprocessing"))
		return limits_check_tasks(max_workers, "processes", err, errlen);
	return 0;
}

static int cpython_runtime(const struct strategy *st, const struct workload *w,
			   const struct param_values *params, char *buf, size_t len)
{
	const struct described *d = describe(params);
	char package[128];

	if (!d->ok) {
		snprintf(buf, len, "%s", d->why);
		return -1;
	}
	if (!w) {
		snprintf(buf, len, "%s (%s, %s)", d->runtime, d->version, d->python);
		return 0;
	}
	if (lacks(d, model_of(st->name), w->name, package, sizeof(package))) {
		snprintf(buf, len, "%s under %s needs %s (apt-get install %s)", w->name,
			 model_of(st->name), package, package);
		return -1;
	}
	snprintf(buf, len, "%s", d->runtime);
	return 0;
}

#define ARG_MAX_COUNT (8 + PARAM_MAX)

static int cpython_run(const struct strategy *st, const struct workload *w,
		       const struct strategy_config *cfg, struct sample *out)
{
	char tasks[32], workers[32], texts[PARAM_MAX][PARAM_STR_MAX + 64];
	char *argv[ARG_MAX_COUNT] = { 0 };
	const struct workload_setup *ws = cfg->setup;
	size_t a = 0;

	snprintf(tasks, sizeof(tasks), "%zu", cfg->ntasks);
	snprintf(workers, sizeof(workers), "%u", cfg->workers);
	argv[a++] = (char *)cfg->params->sval[P_PYTHON];
	argv[a++] = "-I";
	argv[a++] = "-";
	argv[a++] = "run";
	argv[a++] = (char *)model_of(st->name);
	argv[a++] = (char *)w->name;
	argv[a++] = tasks;
	argv[a++] = workers;
	argv[a++] = (char *)(ws->fixture && ws->fixture[0] ? ws->fixture : "-");
	for (size_t k = 0; w->params[k].name && k < PARAM_MAX; k++) {
		int n = snprintf(texts[k], sizeof(texts[k]), "%s=", w->params[k].name);

		param_format(&w->params[k], ws->params, k, texts[k] + n, sizeof(texts[k]) - (size_t)n);
		argv[a++] = texts[k];
	}
	argv[a] = NULL;
	return strategy__external_run(argv, cpython_tasks, cpython_tasks_len, st->name, out);
}

/* `concbench cpython`: the program, to run by hand. */
static const struct param_spec program_options[] = { { 0 } };

static int program_main(const struct param_values *options, const struct command_context *ctx)
{
	(void)options;
	(void)ctx;
	return fwrite(cpython_tasks, 1, cpython_tasks_len, stdout) == cpython_tasks_len ? 0 : 1;
}

static const struct concbench_command program_command = {
	.name = "cpython",
	.summary = "print the CPython strategies' program (strategies/cpython/tasks.py)",
	.description = "Prints the program the py.* strategies feed to the interpreter, to run "
		       "by hand: `concbench cpython > tasks.py; python3 tasks.py run "
		       "threading cpu.sumsq 8 2 - n=200000` prints its own clock and the run "
		       "digest (docs/external.md).",
	.options = program_options,
	.main = program_main,
};

/* Each strategy's slots, bound to its own table entry. */
#define CPYTHON_STRATEGY(ident, model, desc, fixed, extra_flags, traits_init, cmd)            \
	extern const struct strategy ident;                                                    \
	static int ident##_validate(const struct workload *w, const struct param_values *p,    \
				    unsigned max_workers, char *err, size_t errlen)             \
	{                                                                                      \
		return cpython_validate(&ident, w, p, max_workers, err, errlen);               \
	}                                                                                      \
	static int ident##_runtime(const struct workload *w, const struct param_values *p,     \
				   char *buf, size_t len)                                       \
	{                                                                                      \
		return cpython_runtime(&ident, w, p, buf, len);                                \
	}                                                                                      \
	static int ident##_run(const struct workload *w, void *instance,                       \
			       const struct strategy_config *cfg, struct sample *out)          \
	{                                                                                      \
		(void)instance;                                                                \
		return cpython_run(&ident, w, cfg, out);                                       \
	}                                                                                      \
	const struct strategy ident = {                                                        \
		.name = "py." model,                                                           \
		.description = desc,                                                           \
		.params = cpython_params,                                                      \
		.fixed_workers = fixed,                                                        \
		.flags = STRATEGY_NAMED_ONLY | (extra_flags),                                  \
		.traits = traits_init,                                                         \
		.command = cmd,                                                                \
		.validate = ident##_validate,                                                  \
		.runtime = ident##_runtime,                                                    \
		.run = ident##_run,                                                            \
	}

CPYTHON_STRATEGY(strategy_py_serial, "serial",
		 "CPython: the tasks one after another (the baseline of CPython's cells)", 1,
		 STRATEGY_RUNTIME_BASELINE,
		 ((struct strategy_traits){ .worker = "thread", .one_thread = true, .blocking = true,
					    .counterpart = "serial" }),
		 &program_command);
CPYTHON_STRATEGY(strategy_py_threading, "threading",
		 "CPython: a ThreadPoolExecutor of W threads, under the GIL", 0, 0,
		 ((struct strategy_traits){ .worker = "threads", .one_thread = true, .blocking = true,
					    .suits = STRATEGY_SUITS_WAITING, .counterpart = "gil" }),
		 NULL);
CPYTHON_STRATEGY(strategy_py_multiprocessing, "multiprocessing",
		 "CPython: a multiprocessing Pool of W forked processes", 0, 0,
		 ((struct strategy_traits){ .worker = "forked processes", .blocking = true,
					    .suits = STRATEGY_SUITS_COMPUTING,
					    .counterpart = "processes" }),
		 NULL);
CPYTHON_STRATEGY(strategy_py_asyncio, "asyncio",
		 "CPython: asyncio, W tasks in flight on one thread (aiohttp for io.http)", 0, 0,
		 ((struct strategy_traits){ .worker = "tasks in flight on one thread",
					    .one_thread = true, .suits = STRATEGY_SUITS_WAITING,
					    .counterpart = "eventloop" }),
		 NULL);
