/*
 * plugins.h - what the harness holds every plug-in to before it uses one,
 * and running the subcommands plug-ins add.
 *
 * The check covers what the plug-in face says a plug-in MUST do: its MUST
 * slots set, parameter tables that fit (at most PARAM_MAX entries, which
 * param_values can hold), well-formed unique names, defaults inside their
 * ranges, and no strategy parameter sharing a name with a workload's (a
 * --param would silently reach both). main() runs it before anything
 * else; a failure is a broken build, reported and refused.
 */
#ifndef CONCBENCH_PLUGINS_H
#define CONCBENCH_PLUGINS_H

#include <stddef.h>
#include <stdio.h>

#include "concbench/command.h"
#include "concbench/strategy.h"
#include "concbench/workload.h"
#include "options.h"

/*
 * Checks the plug-ins of the two NULL-terminated tables; `reserved` are
 * the harness's own command names (NULL-terminated), which no plug-in
 * command may take. Returns the number of problems found, the first one
 * described in err ("workload 'x': 17 parameters, at most 16").
 */
size_t plugins_check(const struct workload *const *workloads,
		     const struct strategy *const *strategies, const char *const *reserved,
		     char *err, size_t errlen);

/* The plug-in command of that name, from either registry, or NULL. */
const struct concbench_command *plugin_command_find(const char *name);
/* The plug-in commands, in registry order; returns how many (at most max). */
size_t plugin_commands(const struct concbench_command **out, size_t max);
/*
 * Runs `concbench NAME ...` (argv[0] is NAME): parses its options against
 * the command's declared table, plus -h/--help and the fixture protocol's
 * --ready-fd, then calls its main. Returns the exit status; exits 2 on bad
 * input.
 */
int plugin_command_run(const struct concbench_command *cmd, int argc, char **argv);
/* The option parser's table for a plug-in command: its declared options
 * (names[] holds their flags), -h/--help, and the hidden --ready-fd.
 * Returns how many. */
size_t plugin_command_options(const struct concbench_command *cmd, struct opt_def *defs,
			      char names[][48]);
/* Prints `concbench help NAME` for a plug-in command. */
void plugin_command_help(const struct concbench_command *cmd, FILE *f);

#endif
