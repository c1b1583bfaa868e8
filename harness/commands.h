/*
 * commands.h - the table of concbench's commands, and the one place that
 * parses a command line: the dispatcher, every command's options (through
 * options.h), `--help` and `concbench help CMD`, the top-level help, the
 * man page's text and the shell completion all read the same table.
 * Commands that plug-ins add (struct concbench_command) are appended from
 * the registries.
 */
#ifndef CONCBENCH_COMMANDS_H
#define CONCBENCH_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "options.h"

enum command_flags {
	/* Runs cells: the strategies' env_defaults must be applied before
	 * their runtimes load (main() re-executes once for them). */
	CMD_RUNTIME_ENV = 1u << 0,
};

struct command;

/* A command line, parsed against its command's options. */
struct cmd_args {
	const struct command *cmd;
	struct opt_values v;
	int argc;       /* concbench's whole command line, for env.json */
	char **argv;
};

struct command {
	const char *name;
	int (*run)(const struct cmd_args *a); /* returns the exit status */
	unsigned flags;                       /* CMD_* */
	const char *summary;                  /* one line for the command list */
	const char *usage;                    /* after "concbench NAME ", e.g. "--workload W [options]" */
	const char *description;              /* what it does, a paragraph */
	const struct opt_def *options;        /* NULL-name terminated; -h/--help always added */
	int min_args, max_args;               /* positional arguments */
	const char *args_name;                /* what they are, for messages ("a run folder") */
	const char *const *examples;          /* command lines, NULL-terminated */
};

/* The harness's commands, NULL-name terminated. */
extern const struct command commands[];

const struct command *command_find(const char *name);
/* Every command's name, the plug-ins' too when asked; returns how many. */
size_t command_names(const char **out, size_t max, bool with_plugins);
/* Dispatches argv[1]; returns the exit status (exits 2 on bad input). */
int commands_main(int argc, char **argv);

/* The value of one of the command's options, NULL when not given. */
const char *cmd_get(const struct cmd_args *a, const char *option);
bool cmd_has(const struct cmd_args *a, const char *option);

#endif
