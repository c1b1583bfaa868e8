/*
 * commands.c - the command table and what reads it (see commands.h).
 *
 * ==== Layout ====
 * options      every option, defined once, and each command's list of them
 * the table    name, function, flags, summary, usage, description, examples
 * help         a command's help, the top-level help, help --all (the man page)
 * completion   the bash completion, from the table and the registries
 * dispatch     commands_main
 */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

#include "buildinfo.h"
#include "cli.h"
#include "harness.h"
#include "plugins.h"

/* ==== Options ==== */

#define O_HELP { "help", 'h', OPT_SWITCH, false, false, NULL, "this help" }
#define O_WORKLOAD { "workload", 0, OPT_VALUE, false, false, "W", \
		     "the workload to run (see 'concbench list')" }
#define O_STRATEGY { "strategy", 0, OPT_VALUE, false, false, "S,...", \
		     "strategies, comma-separated, or 'all' (default all)" }
#define O_WORKERS { "workers", 0, OPT_VALUE, false, false, "K,...", \
		    "worker counts, comma-separated; 'scan', 'cores' or 'Kxcores' (16xcores) follow the machine (default 1 and the cores)" }
#define O_TASKS { "tasks", 0, OPT_VALUE, false, false, "N", \
		  "tasks per sample (default: the workload's)" }
#define O_PARAM { "param", 0, OPT_VALUE, true, false, "NAME=VALUE", \
		  "a workload or strategy parameter (repeatable; see 'concbench list')" }
#define O_ORDER { "order", 0, OPT_VALUE, false, false, "interleaved|sequential", \
	"interleaved (default): an experiment's samples in rounds, each visiting every cell " \
	"not yet done in a fresh random order; sequential: each cell's samples in a row" }
#define O_SEED { "seed", 0, OPT_VALUE, false, false, "N", \
	"the rounds' shuffle seed, to repeat an order (default: random; kept in env.json)" }
#define O_WAIT_QUIET { "wait-quiet", 0, OPT_VALUE, false, false, "SECONDS", \
	"first wait up to SECONDS for the machine to be quiet (others using under 0.2 cores)" }
#define O_OUT { "out", 0, OPT_VALUE, false, false, "DIR", \
		"where results go (default results/<run id>)" }

static const struct opt_def run_options[] = {
	O_WORKLOAD, O_STRATEGY, O_WORKERS, O_TASKS, O_PARAM,
	{ "repeat", 0, OPT_VALUE, false, false, "R",
	  "measured samples per cell, at least (default 10; 3 when --max-time runs out first)" },
	{ "max-repeat", 0, OPT_VALUE, false, false, "R",
	  "measured samples per cell, at most (default 200)" },
	{ "precision", 0, OPT_VALUE, false, false, "PCT",
	  "sample on until the median's 95% CI is within +-PCT% of it (default 2; 0: never "
	  "enough, sample to --max-time or --max-repeat)" },
	{ "max-time", 0, OPT_VALUE, false, false, "SECONDS",
	  "each cell's sampling budget (default 10)" },
	{ "retakes", 0, OPT_VALUE, false, false, "N",
	  "samples others disturbed that are dropped and taken again, per cell (default: "
	  "--repeat; 0 keeps them, flagged)" },
	{ "warmup", 0, OPT_VALUE, false, false, "K", "unrecorded samples first (default 1)" },
	{ "timeout", 0, OPT_VALUE, false, false, "SECONDS",
	  "hard limit per cell, setup and warmup included: killed after (default 600)" },
	{ "reference", 0, OPT_VALUE, false, false, "S",
	  "whose digest every cell must match (default serial, run once on the side when not "
	  "in --strategy; another listed strategy spares a slow serial run)" },
	O_ORDER, O_SEED, O_WAIT_QUIET, O_OUT, O_HELP, { 0 }
};

static const struct opt_def once_options[] = {
	O_WORKLOAD,
	{ "strategy", 0, OPT_VALUE, false, false, "S", "the strategy (one)" },
	{ "workers", 0, OPT_VALUE, false, false, "K", "the worker count (one)" },
	O_TASKS, O_PARAM,
	{ "expect-digest", 0, OPT_VALUE, false, false, "HEX",
	  "fail (exit 1) unless the run digest is this one" },
	{ "json", 0, OPT_SWITCH, false, false, NULL,
	  "print the cell as one results.jsonl line instead" },
	O_HELP, { 0 }
};

static const struct opt_def hyperfine_options[] = {
	O_WORKLOAD, O_STRATEGY, O_WORKERS, O_TASKS, O_PARAM,
	{ "runs", 0, OPT_VALUE, false, false, "R", "timed runs per cell (default 10)" },
	{ "warmup", 0, OPT_VALUE, false, false, "K", "untimed runs first (default 1)" },
	O_OUT, O_HELP, { 0 }
};

static const struct opt_def matrix_options[] = {
	{ "profile", 0, OPT_VALUE, false, false, "NAME|FILE",
	  "the experiments: quick (default), full, or a profile file (docs/profiles.md)" },
	{ "only", 0, OPT_VALUE, false, false, "W,...", "only these workloads of the profile" },
	O_OUT,
	{ "resume", 0, OPT_VALUE, false, false, "DIR",
	  "finish a stopped matrix without redoing finished cells" },
	O_ORDER, O_SEED, O_WAIT_QUIET, O_HELP, { 0 }
};

static const struct opt_def calibrate_options[] = {
	{ "force", 0, OPT_SWITCH, false, false, NULL,
	  "measure again, even when the cached calibration still holds" },
	{ "json", 0, OPT_SWITCH, false, false, NULL, "print the calibration as JSON, not the table" },
	{ "out", 0, OPT_VALUE, false, false, "FILE", "also write the calibration (JSON) to FILE" },
	O_HELP, { 0 }
};

static const struct opt_def help_options[] = {
	{ "all", 0, OPT_SWITCH, false, false, NULL, "every command's help (the man page's text)" },
	O_HELP, { 0 }
};

static const struct opt_def compare_options[] = {
	{ "threshold", 0, OPT_VALUE, false, false, "PCT",
	  "the smallest change of a median that counts, in percent (default 5)" },
	{ "alpha", 0, OPT_VALUE, false, false, "P",
	  "the significance level: a change counts when its p is below P (default 0.05)" },
	{ "fail-on-regression", 0, OPT_SWITCH, false, false, NULL,
	  "exit 1 when a cell is slower beyond the threshold with p below alpha" },
	{ "all", 0, OPT_SWITCH, false, false, NULL,
	  "every cell in both runs with its verdict, not only the changes and the inconclusive" },
	O_HELP, { 0 }
};

static const struct opt_def only_help[] = { O_HELP, { 0 } };

/* ==== The table ==== */

static int cmd_list(const struct cmd_args *a);
static int cmd_help(const struct cmd_args *a);
static int cmd_completion(const struct cmd_args *a);

const struct command commands[] = {
	{ "list", cmd_list, 0, "every strategy and workload, with their parameters", "",
	  "Lists the strategies and workloads this build has, each with its parameters: what "
	  "--param accepts, the range or choices, and the default.",
	  only_help, 0, 0, NULL, (const char *const[]){ "concbench list", NULL } },
	{ "run", harness_cmd_run, CMD_RUNTIME_ENV,
	  "run a workload under strategies and worker counts", "--workload W [options]",
	  "Runs every cell (strategy x worker count) of one workload, each in a forked process "
	  "with a timeout, checks that each computed the reference strategy's digest, prints a "
	  "table per experiment and leaves results.jsonl, summary.csv, env.json, report.md, "
	  "report.html and charts in the run folder. Exit status 1 when a cell failed, timed out or computed "
	  "another digest.",
	  run_options, 0, 0, NULL,
	  (const char *const[]){
		  "concbench run --workload cpu.image --strategy all --workers 1,2 --tasks 64",
		  "concbench run --workload io.sleep --strategy threads,eventloop --workers 100,1000 "
		  "--tasks 1000 --param latency_ms=50 --param stack_kb=64",
		  "concbench run --workload io.http --strategy threads,eventloop --workers 1000 "
		  "--reference eventloop --tasks 10000",
		  NULL } },
	{ "once", harness_cmd_once, CMD_RUNTIME_ENV,
	  "one sample of one cell, one line (what hyperfine times)",
	  "--workload W --strategy S --workers K [options]",
	  "Runs one sample of one cell in this process, no fork and no timeout: the fixture's "
	  "start, the workload's setup, the timed run, teardown, as a real program pays them. "
	  "Prints one line (with --json, the cell's results.jsonl line); exit 1 when it failed "
	  "or did not compute --expect-digest.",
	  once_options, 0, 0, NULL,
	  (const char *const[]){
		  "concbench once --workload cpu.image --strategy threads --workers 2 --tasks 64",
		  "concbench once --json --workload cpu.noop --strategy serial --workers 1 --tasks 5",
		  NULL } },
	{ "hyperfine", harness_cmd_hyperfine, CMD_RUNTIME_ENV,
	  "in-process and whole-process (hyperfine) timings, side by side",
	  "--workload W --workers K,... [options]",
	  "Runs the cells in-process first (which gives the reference digest), then real "
	  "hyperfine on `concbench once --expect-digest D`, so every timed run is checked, and "
	  "stores both clocks in one run folder with a two-clocks table and chart.",
	  hyperfine_options, 0, 0, NULL,
	  (const char *const[]){
		  "concbench hyperfine --workload cpu.image --strategy all --workers 2 --tasks 64 "
		  "--runs 10",
		  NULL } },
	{ "matrix", harness_cmd_matrix, CMD_RUNTIME_ENV,
	  "run a profile's experiments, then charts and report.md", "[options]",
	  "Runs every experiment of a profile into one run folder, then draws the charts and "
	  "writes report.md and report.html. A stopped matrix (Ctrl-C, a crash, SIGKILL) is finished with "
	  "--resume.",
	  matrix_options, 0, 0, NULL,
	  (const char *const[]){ "concbench matrix", "concbench matrix --profile full",
				 "concbench matrix --only cpu.image,cpu.noop --out /tmp/mine",
				 "concbench matrix --resume results/20261121-090000", NULL } },
	{ "report", harness_cmd_report, 0, "rebuild DIR/report.md, report.html and charts",
	  "DIR",
	  "Rebuilds report.md, the charts it shows, and report.html (report.md as one web page "
	  "with the charts inside it) from DIR/results.jsonl alone.",
	  only_help, 1, 1, "a run folder",
	  (const char *const[]){ "concbench report results/20261121-090000", NULL } },
	{ "plot", harness_cmd_plot, 0, "redraw DIR/plots/ from DIR/results.jsonl", "DIR",
	  "Redraws the charts of a run folder (PNG and SVG) from its stored results.",
	  only_help, 1, 1, "a run folder",
	  (const char *const[]){ "concbench plot results/20261121-090000", NULL } },
	{ "compare", harness_cmd_compare, 0, "cells whose time changed beyond noise",
	  "DIR_A DIR_B [options]",
	  "Pairs the cells of two runs by identity and, for each, compares B's median with A's "
	  "and tests the wall samples with a two-sided Mann-Whitney U test (exact up to 50 "
	  "samples a side). A cell is slower or faster when p < alpha and the medians differ by "
	  "at least the threshold; within noise otherwise; inconclusive when its sample sizes "
	  "cannot give p < alpha at all (3 and 3 samples: p >= 0.1). Prints the changed and "
	  "inconclusive cells with n per side, the cells of one run only, and a summary line; "
	  "warns on stderr when env.json shows another machine, kernel or build. Exit status 0, "
	  "or 1 with --fail-on-regression when a cell got slower.",
	  compare_options, 2, 2, "two run folders",
	  (const char *const[]){ "concbench compare results/before results/after",
				 "concbench compare --fail-on-regression --threshold 10 "
				 "results/main results/branch",
				 NULL } },
	{ "calibrate", harness_cmd_calibrate, 0, "this machine's price for each primitive",
	  "[options]",
	  "Measures what this machine charges for a clock read, an atomic add and a mutex "
	  "(alone and contended by every CPU), a thread, a fork, a fork and exec, a context "
	  "switch, a wake-up across CPUs, a libevent timer dispatch, a loopback HTTP request, a minor page fault and a "
	  "memory copy: each a median over repeated batches with its 95% interval. The result is "
	  "cached (under $XDG_CACHE_HOME or ~/.cache) and reused while the boot, the binary, the "
	  "kernel and the CPUs stay the same. Exit status 1 when a probe failed.",
	  calibrate_options, 0, 0, NULL,
	  (const char *const[]){ "concbench calibrate", "concbench calibrate --force --out calibration.json",
				 NULL } },
	{ "help", cmd_help, 0, "this help, or a command's", "[COMMAND]",
	  "Prints the help of COMMAND (its options and examples), or the list of commands.",
	  help_options, 0, 1, "a command",
	  (const char *const[]){ "concbench help run", NULL } },
	{ "completion", cmd_completion, 0, "a bash completion script", "bash",
	  "Prints a bash completion script for concbench's commands, options, workloads, "
	  "strategies and parameters. Installed packages carry it already.",
	  only_help, 1, 1, "a shell (bash)",
	  (const char *const[]){ "source <(concbench completion bash)", NULL } },
	{ 0 }
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

size_t command_names(const char **out, size_t max, bool with_plugins)
{
	const struct concbench_command *pc[32];
	size_t n = 0, np = with_plugins ? plugin_commands(pc, 32) : 0;

	for (const struct command *c = commands; c->name && n < max; c++)
		out[n++] = c->name;
	for (size_t i = 0; i < np && n < max; i++)
		out[n++] = pc[i]->name;
	return n;
}

static size_t opt_index(const struct opt_def *defs, const char *name)
{
	size_t k = 0;

	while (defs[k].name && strcmp(defs[k].name, name))
		k++;
	return k;
}

const char *cmd_get(const struct cmd_args *a, const char *option)
{
	return opt_get(a->cmd->options, &a->v, option);
}

bool cmd_has(const struct cmd_args *a, const char *option)
{
	return opt_given(a->cmd->options, &a->v, option);
}

/* ==== Help ==== */

static void print_options(FILE *f, const struct opt_def *defs)
{
	for (size_t k = 0; defs[k].name; k++) {
		char left[64];

		if (defs[k].hidden)
			continue;
		if (defs[k].short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", defs[k].short_name, defs[k].name,
				 defs[k].metavar ? " " : "", defs[k].metavar ? defs[k].metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", defs[k].name,
				 defs[k].metavar ? " " : "", defs[k].metavar ? defs[k].metavar : "");
		help_wrap(f, left, defs[k].help, 28);
	}
}

/* A command line, broken with backslashes where it would pass 79 columns. */
static void print_example(FILE *f, const char *text)
{
	int col = fprintf(f, "  ");

	while (*text) {
		size_t word = strcspn(text, " ");

		if (col > 6 && col + 1 + (int)word > 77) {
			fprintf(f, " \\\n");
			col = fprintf(f, "      ");
		} else if (col > 2) {
			col += fprintf(f, " ");
		}
		col += fprintf(f, "%.*s", (int)word, text);
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

/* What help shows of a command, the harness's or a plug-in's. */
struct help_view {
	const char *name, *usage, *text;
	const struct opt_def *options;
	const char *const *examples;
};

static struct help_view view_of(const struct command *c)
{
	return (struct help_view){ c->name, c->usage, c->description, c->options, c->examples };
}

static struct help_view view_of_plugin(const struct concbench_command *pc,
				       struct plugin_options *po)
{
	plugin_command_options(pc, po);
	return (struct help_view){ pc->name, "[options]",
				   pc->description ? pc->description : pc->summary, po->defs, NULL };
}

static void command_help(FILE *f, const struct help_view *v)
{
	fprintf(f, "Usage: concbench %s%s%s\n\n", v->name, v->usage[0] ? " " : "", v->usage);
	help_wrap(f, NULL, v->text, 0);
	fprintf(f, "\nOptions:\n");
	print_options(f, v->options);
	if (v->examples && v->examples[0]) {
		fprintf(f, "\nExamples:\n");
		for (size_t i = 0; v->examples[i]; i++)
			print_example(f, v->examples[i]);
	}
}

static void top_help(FILE *f)
{
	const struct concbench_command *pc[32];
	size_t np = plugin_commands(pc, 32);

	fprintf(f, "Usage: concbench COMMAND [options]\n"
		   "       concbench help COMMAND\n\n");
	help_wrap(f, NULL, "concbench runs the same workloads under different concurrency strategies "
		"(serial, threads, processes, an event loop, OpenMP), checks that every strategy "
		"computed the same answer, records timings with honest statistics, and charts and "
		"explains which approach wins and why.", 0);
	fprintf(f, "\nCommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	for (size_t i = 0; i < np; i++)
		fprintf(f, "  %-12s %s\n", pc[i]->name, pc[i]->summary);
	fprintf(f, "\nOptions:\n"
		   "  -h, --help     this help; after a command, that command's\n"
		   "  -V, --version  the version\n"
		   "\nExit status:\n"
		   "  0 every cell ok; 1 a cell failed, timed out or computed another digest than\n"
		   "  the reference; 2 bad input (one line on stderr naming the flag and what it\n"
		   "  accepts).\n"
		   "\nSee 'concbench help COMMAND' for a command's options and examples.\n");
}

/* One command for the man page: a heading of its own, its usage, what it
 * does, its options and examples beneath it. */
static void command_manual(FILE *f, const struct help_view *v)
{
	fprintf(f, "\nCommand %s:\n  concbench %s%s%s\n\n", v->name, v->name,
		v->usage[0] ? " " : "", v->usage);
	help_wrap(f, NULL, v->text, 2);
	fputc('\n', f);
	print_options(f, v->options);
	if (v->examples && v->examples[0])
		fprintf(f, "\n  For example:\n");
	/* One paragraph each: man fills and breaks lines itself. */
	for (size_t i = 0; v->examples && v->examples[i]; i++)
		fprintf(f, "\n    %s\n", v->examples[i]);
}

/* Every command's help, one after another: what the man page is made of. */
static void all_help(FILE *f)
{
	static struct plugin_options po;
	const struct concbench_command *pc[32];
	size_t np = plugin_commands(pc, 32);

	top_help(f);
	for (const struct command *c = commands; c->name; c++) {
		struct help_view v = view_of(c);

		command_manual(f, &v);
	}
	for (size_t i = 0; i < np; i++) {
		struct help_view v = view_of_plugin(pc[i], &po);

		command_manual(f, &v);
	}
}

/* An unknown command, with the nearest name. */
static _Noreturn void unknown_command(const char *name)
{
	const char *names[64];
	char hint[96], list[512];
	size_t n = command_names(names, 64, true);

	opt_did_you_mean(name, names, n, hint, sizeof(hint));
	cli_usage_error(NULL, "unknown command '%s'%s; commands: %s", name, hint,
			names_join(names, n, ", ", list, sizeof(list)));
}

static int cmd_help(const struct cmd_args *a)
{
	static struct plugin_options po;
	const struct command *c;
	const struct concbench_command *pc;
	struct help_view v;

	if (cmd_has(a, "all")) {
		all_help(stdout);
		return 0;
	}
	if (a->v.npositional == 0) {
		top_help(stdout);
		return 0;
	}
	if ((c = command_find(a->v.positional[0])))
		v = view_of(c);
	else if ((pc = plugin_command_find(a->v.positional[0])))
		v = view_of_plugin(pc, &po);
	else
		unknown_command(a->v.positional[0]);
	command_help(stdout, &v);
	return 0;
}

static int cmd_list(const struct cmd_args *a)
{
	(void)a;
	cli_print_list(stdout);
	return 0;
}

/* ==== Completion ==== */

/* The flags of a command, space-separated, for the completion's case arm. */
static void flags_of(FILE *f, const struct opt_def *defs)
{
	for (size_t k = 0; defs[k].name; k++)
		if (!defs[k].hidden)
			fprintf(f, " --%s", defs[k].name);
}

/* Every parameter name of every plug-in, once each, as "name=". */
static void print_param_names(FILE *f)
{
	const char *seen[256];
	size_t n = 0;

	for (int kind = 0; kind < 2; kind++) {
		for (size_t i = 0; kind ? strategy_registry[i] != NULL : workload_registry[i] != NULL;
		     i++) {
			const struct param_spec *p = kind ? strategy_registry[i]->params
							  : workload_registry[i]->params;

			for (size_t k = 0; p[k].name && n < 256; k++) {
				size_t j = 0;

				while (j < n && strcmp(seen[j], p[k].name))
					j++;
				if (j < n)
					continue;
				seen[n++] = p[k].name;
				fprintf(f, " %s=", p[k].name);
			}
		}
	}
}

static void words_of_registries(FILE *f)
{
	fprintf(f, "\tlocal workloads=\"");
	for (size_t i = 0; workload_registry[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", workload_registry[i]->name);
	fprintf(f, "\"\n\tlocal strategies=\"all");
	for (size_t i = 0; strategy_registry[i]; i++)
		if (!(strategy_registry[i]->flags & STRATEGY_TEST_ONLY))
			fprintf(f, " %s", strategy_registry[i]->name);
	fprintf(f, "\"\n\tlocal params=\"");
	print_param_names(f);
	fprintf(f, "\"\n");
}

static void print_completion(FILE *f)
{
	const char *names[64];
	size_t n = command_names(names, 64, true);
	const struct concbench_command *pc[32];
	size_t np = plugin_commands(pc, 32);

	fprintf(f, "# bash completion for concbench, generated by `concbench completion bash`\n"
		   "# from concbench %s's command table and plug-in registries.\n"
		   "_concbench()\n{\n"
		   "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=\"\" cmd=${COMP_WORDS[1]}\n"
		   "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n",
		CONCBENCH_VERSION);
	words_of_registries(f);
	fprintf(f, "\tlocal commands=\"");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", names[i]);
	fprintf(f, "\"\n"
		   "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
		   "\t\tCOMPREPLY=($(compgen -W \"$commands -h --help -V --version\" -- \"$cur\"))\n"
		   "\t\treturn\n\tfi\n"
		   "\tcase $prev in\n"
		   "\t--workload|--only) COMPREPLY=($(compgen -W \"$workloads\" -- \"$cur\")); return ;;\n"
		   "\t--strategy|--reference)\n"
		   "\t\t# a comma-separated list: complete its last item\n"
		   "\t\tlocal head=\"\" last=$cur\n"
		   "\t\tcase $cur in *,*) head=${cur%%,*},; last=${cur##*,} ;; esac\n"
		   "\t\tCOMPREPLY=($(compgen -P \"$head\" -W \"$strategies\" -- \"$last\")); return ;;\n"
		   "\t--param) compopt -o nospace 2>/dev/null\n"
		   "\t\tCOMPREPLY=($(compgen -W \"$params\" -- \"$cur\")); return ;;\n"
		   "\t--profile) COMPREPLY=($(compgen -W \"quick full\" -- \"$cur\") $(compgen -f -- \"$cur\")); return ;;\n"
		   "\t--out|--resume) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
		   "\t--workers) COMPREPLY=($(compgen -W \"scan cores 16xcores 1 2 4 8 16 100 1000\" -- \"$cur\")); return ;;\n"
		   "\tesac\n"
		   "\tcase $cmd in\n");
	for (const struct command *c = commands; c->name; c++) {
		fprintf(f, "\t%s)\n\t\tlocal flags=\"", c->name);
		flags_of(f, c->options);
		fprintf(f, "\"\n");
		if (!strcmp(c->name, "help"))
			fprintf(f, "\t\t[[ $cur != -* ]] && { COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\")); return; } ;;\n");
		else if (!strcmp(c->name, "completion"))
			fprintf(f, "\t\t[[ $cur != -* ]] && { COMPREPLY=($(compgen -W \"bash\" -- \"$cur\")); return; } ;;\n");
		else if (c->max_args > 0)
			fprintf(f, "\t\t[[ $cur != -* ]] && { COMPREPLY=($(compgen -d -- \"$cur\")); return; } ;;\n");
		else
			fprintf(f, "\t\t;;\n");
	}
	for (size_t i = 0; i < np; i++) {
		static struct plugin_options po;

		plugin_command_options(pc[i], &po);
		fprintf(f, "\t%s)\n\t\tlocal flags=\"", pc[i]->name);
		flags_of(f, po.defs);
		fprintf(f, "\"\n\t\t;;\n");
	}
	fprintf(f, "\t*) return ;;\n\tesac\n"
		   "\tCOMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n}\n"
		   "complete -F _concbench concbench\n");
}

static int cmd_completion(const struct cmd_args *a)
{
	if (strcmp(a->v.positional[0], "bash") != 0)
		cli_usage_error("completion", "expected a shell: bash, got '%s'", a->v.positional[0]);
	print_completion(stdout);
	return 0;
}

/* ==== Dispatch ==== */

/* `concbench NAME ...` for a plug-in's command (argv[0] is NAME): its
 * declared options parsed and checked like parameters, -h/--help, and the
 * fixture protocol's --ready-fd. */
static int run_plugin(const struct concbench_command *cmd, int argc, char **argv)
{
	static struct plugin_options po;
	struct command_context ctx = { .ready_fd = -1 };
	struct param_values vals;
	struct opt_values v;
	int64_t fd;

	plugin_command_options(cmd, &po);
	opt_parse(cmd->name, po.defs, argc, argv, &v);
	if (v.given[po.help]) {
		struct help_view hv = view_of_plugin(cmd, &po);

		command_help(stdout, &hv);
		return 0;
	}
	if (v.npositional > 0)
		opt_error(NULL, "unexpected argument '%s' for '%s', which takes only options; see "
			  "'concbench help %s'", v.positional[0], cmd->name, cmd->name);
	param_defaults(cmd->options, &vals);
	for (size_t i = 0; i < po.help; i++) {
		char err[256], flag[64];

		if (!v.given[i])
			continue;
		snprintf(flag, sizeof(flag), "--%s", po.defs[i].name);
		if (param_parse_value(&cmd->options[i], v.value[i], &vals, i, err, sizeof(err)) < 0)
			opt_error(flag, "%s", err);
	}
	if (v.given[po.ready_fd]) {
		if (!parse_int64(v.value[po.ready_fd], 0, 65535, &fd))
			opt_error("--ready-fd", "expected a file descriptor, got '%s'",
				  v.value[po.ready_fd]);
		ctx.ready_fd = (int)fd;
	}
	return cmd->main(&vals, &ctx);
}

int commands_main(int argc, char **argv)
{
	static struct cmd_args a;
	const struct concbench_command *pc;
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name) {
		const char *names[64];
		char list[512];
		size_t n = command_names(names, 64, true);

		cli_usage_error(NULL, "no command given; commands: %s (see --help)",
				names_join(names, n, ", ", list, sizeof(list)));
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		top_help(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("concbench %s (%s)\n", CONCBENCH_VERSION, CONCBENCH_GIT_COMMIT);
		return 0;
	}
	if ((pc = plugin_command_find(name)))
		return run_plugin(pc, argc - 1, argv + 1);
	a.cmd = command_find(name);
	if (!a.cmd)
		unknown_command(name);
	a.argc = argc;
	a.argv = argv;
	opt_parse(name, a.cmd->options, argc - 1, argv + 1, &a.v);
	if (a.v.given[opt_index(a.cmd->options, "help")]) {
		struct help_view v = view_of(a.cmd);

		command_help(stdout, &v);
		return 0;
	}
	if (a.v.npositional < a.cmd->min_args || a.v.npositional > a.cmd->max_args) {
		if (a.cmd->max_args == 0)
			cli_usage_error(a.v.positional[0], "unexpected argument for '%s', which takes "
					"only options; see 'concbench help %s'", name, name);
		cli_usage_error(name, "expected %s: concbench %s %s", a.cmd->args_name, name,
				a.cmd->usage);
	}
	return a.cmd->run(&a);
}
