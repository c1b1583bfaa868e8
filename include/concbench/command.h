/*
 * concbench/command.h - a subcommand a plug-in adds to concbench, such as
 * io.http's latency server (`concbench serve`).
 *
 * The plug-in declares its options as a parameter table; the harness
 * parses the command line against it like any of its own commands
 * (`--name value` or `--name=value`, `-h`/`--help`, suggestions for a
 * mistyped option, a value given twice refused, exit 2 on bad input) and
 * calls main with the checked values. The command appears in
 * `concbench --help`, `concbench help NAME`, the man page and the shell
 * completion.
 */
#ifndef CONCBENCH_COMMAND_H
#define CONCBENCH_COMMAND_H

#include "concbench/params.h"

/* What the harness hands a plug-in command besides its options. */
struct command_context {
	/*
	 * >= 0 when the harness started the command as a fixture (see
	 * struct workload_fixture): write one line there when ready (an
	 * address, say), then close it. -1 otherwise: print the line on
	 * stdout instead.
	 */
	int ready_fd;
};

struct concbench_command {
	/* `concbench NAME`: lowercase, unique among every command. MUST. */
	const char *name;
	/* One line for the command list. MUST. */
	const char *summary;
	/* What it does, a paragraph for `concbench help NAME`. MAY be NULL. */
	const char *description;
	/* Its options, as parameters: `--NAME VALUE`, where an underscore in
	 * the declared name is a dash on the command line (max_connections:
	 * --max-connections). MUST (may be just the terminator). */
	const struct param_spec *options;
	/* Runs the command with its parsed options; returns the exit status
	 * (2 for bad input it finds itself, with one line on stderr). Called
	 * in concbench's main process, nothing else running. MUST. */
	int (*main)(const struct param_values *options, const struct command_context *ctx);
};

#endif
