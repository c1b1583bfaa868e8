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

/* A plug-in command's options as the option parser takes them. */
struct plugin_options {
	struct opt_def defs[OPT_MAX + 1]; /* the declared options, -h/--help, --ready-fd */
	char names[OPT_MAX][48];          /* their flags: max_connections is max-connections */
	char helps[OPT_MAX][320];         /* each one's help, with what it accepts */
	size_t help, ready_fd;            /* the positions of -h/--help and --ready-fd */
};
/* Fills po for cmd (the fixture protocol's --ready-fd hidden); returns how
 * many options. The declared options come first, in declaration order. */
size_t plugin_command_options(const struct concbench_command *cmd, struct plugin_options *po);

#endif
