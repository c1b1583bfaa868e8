/*
 * plugins.c - the plug-in check and plug-in commands (see plugins.h).
 *
 * ==== Layout ====
 * check        names, parameter tables, MUST slots, commands
 * commands     lookup, and the option table a command line is parsed against
 */
#include "plugins.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "calibrate.h"
#include "concbench/workload_libevent.h"
#include "options.h"

/* ==== Check ==== */

struct check {
	size_t problems;
	char *err;
	size_t errlen;
};

static __attribute__((format(printf, 2, 3))) void problem(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->problems++ == 0) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
}

/* [a-z0-9_] words, separated by dots when `dots` (the first starting with
 * a letter); at least two words when dots is 2. */
static bool good_name(const char *name, int dots)
{
	size_t words = 1;

	if (!name || !islower((unsigned char)name[0]))
		return false;
	for (const char *p = name; *p; p++) {
		if (*p == '.' && dots && p[1] && p[1] != '.') {
			words++;
			continue;
		}
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return false;
	}
	return name[strlen(name) - 1] != '.' && (dots < 2 || words >= 2);
}

static void check_params(struct check *c, const char *who, const struct param_spec *specs)
{
	size_t n = param_count(specs);

	if (n > PARAM_MAX) {
		problem(c, "%s: %zu parameters, at most %d (PARAM_MAX)", who, n, PARAM_MAX);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct param_spec *p = &specs[i];

		if (!good_name(p->name, 0))
			problem(c, "%s: parameter '%s': a name is [a-z0-9_], starting with a letter",
				who, p->name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(specs[j].name, p->name))
				problem(c, "%s: parameter '%s' is declared twice", who, p->name);
		if (!p->help || !p->help[0])
			problem(c, "%s: parameter '%s' has no help", who, p->name);
		switch (p->type) {
		case PARAM_INT:
			if (p->min > p->max || p->def < p->min || p->def > p->max)
				problem(c, "%s: parameter '%s': default %lld outside %lld..%lld", who,
					p->name, (long long)p->def, (long long)p->min, (long long)p->max);
			break;
		case PARAM_BOOL:
			if (p->def != 0 && p->def != 1)
				problem(c, "%s: parameter '%s': a bool's default is 0 or 1", who, p->name);
			break;
		case PARAM_STRING:
			if (p->def_str && strlen(p->def_str) >= PARAM_STR_MAX)
				problem(c, "%s: parameter '%s': default longer than %d bytes", who,
					p->name, PARAM_STR_MAX - 1);
			break;
		case PARAM_ENUM: {
			size_t k = param_nchoices(p);

			if (k == 0 || p->def < 0 || (size_t)p->def >= k)
				problem(c, "%s: parameter '%s': an enum needs choices and a default "
					   "among them", who, p->name);
			for (size_t a = 0; a < k; a++) {
				if (!good_name(p->choices[a], 0))
					problem(c, "%s: parameter '%s': choice '%s' is not [a-z0-9_]",
						who, p->name, p->choices[a]);
				for (size_t b = 0; b < a; b++)
					if (!strcmp(p->choices[a], p->choices[b]))
						problem(c, "%s: parameter '%s': choice '%s' twice", who,
							p->name, p->choices[a]);
			}
			break;
		}
		default:
			problem(c, "%s: parameter '%s' has an unknown type", who, p->name);
		}
	}
}

static void check_command(struct check *c, const char *who, const struct concbench_command *cmd)
{
	char what[160];

	if (!cmd)
		return;
	snprintf(what, sizeof(what), "%s: command '%s'", who, cmd->name ? cmd->name : "?");
	if (!good_name(cmd->name, 0) || !cmd->summary || !cmd->options || !cmd->main)
		problem(c, "%s: name, summary, options and main are MUST", what);
	else
		check_params(c, what, cmd->options);
}

static void check_workload(struct check *c, const struct workload *w)
{
	char who[96];

	snprintf(who, sizeof(who), "workload '%s'", w->name ? w->name : "?");
	if (!good_name(w->name, 2))
		problem(c, "%s: a workload's name is dotted words of [a-z0-9_] (io.sleep)", who);
	if (!w->description || !w->params || !w->setup || !w->teardown || !w->run_task)
		problem(c, "%s: description, params, setup, teardown and run_task are MUST", who);
	if (w->default_tasks < 1)
		problem(c, "%s: default_tasks must be at least 1", who);
	if (!strcmp(workload_kind_name(w->kind), "?"))
		problem(c, "%s: unknown kind %d", who, (int)w->kind);
	if (w->libevent && !w->libevent->start_task)
		problem(c, "%s: its libevent sub-table has no start_task (MUST)", who);
	if (!w->sample_begin != !w->sample_end)
		problem(c, "%s: sample_begin and sample_end come together", who);
	if (w->sample_end && (!w->tally_unit || !w->tally_unit[0] || strlen(w->tally_unit) > 31))
		problem(c, "%s: sample_end needs a tally_unit of 1 to 31 characters", who);
	if (w->fixture && (!w->fixture->argv || !w->fixture->argv[0] || !w->command ||
			   strcmp(w->fixture->argv[0], w->command->name) != 0))
		problem(c, "%s: its fixture must run its own command", who);
	if (w->params)
		check_params(c, who, w->params);
	check_command(c, who, w->command);
}

static void check_strategy(struct check *c, const struct strategy *s,
			   const struct workload *const *workloads)
{
	char who[96];

	snprintf(who, sizeof(who), "strategy '%s'", s->name ? s->name : "?");
	if (!good_name(s->name, 1))
		problem(c, "%s: a strategy's name is [a-z0-9_.]", who);
	if (!s->description || !s->params || !s->run) {
		problem(c, "%s: description, params and run are MUST", who);
		return;
	}
	check_params(c, who, s->params);
	check_command(c, who, s->command);
	if ((s->traits.start_price && !calibration_knows(s->traits.start_price)) ||
	    (s->traits.task_price && !calibration_knows(s->traits.task_price)))
		problem(c, "%s: traits name a price calibrate does not measure ('%s')", who,
			s->traits.start_price && !calibration_knows(s->traits.start_price)
				? s->traits.start_price : s->traits.task_price);
	for (size_t i = 0; s->params[i].name && i < PARAM_MAX; i++)
		for (size_t k = 0; workloads[k]; k++)
			if (workloads[k]->params &&
			    param_index(workloads[k]->params, s->params[i].name) >= 0)
				problem(c, "%s: parameter '%s' is also %s's: --param would set both",
					who, s->params[i].name, workloads[k]->name);
}

/* Every command name, the harness's and the plug-ins', once. Two
 * workloads may declare the very same command (a fixture they share):
 * that is one command, not two. */
static void check_command_names(struct check *c, const struct workload *const *workloads,
				const struct strategy *const *strategies, const char *const *reserved)
{
	const char *names[128];
	const void *owner[128];
	size_t n = 0;

	for (size_t k = 0; reserved && reserved[k] && n < 128; k++)
		owner[n] = NULL, names[n++] = reserved[k];
	for (size_t k = 0; workloads[k] && n < 128; k++)
		if (workloads[k]->command && workloads[k]->command->name)
			owner[n] = workloads[k]->command, names[n++] = workloads[k]->command->name;
	for (size_t k = 0; strategies[k] && n < 128; k++)
		if (strategies[k]->command && strategies[k]->command->name)
			owner[n] = strategies[k]->command, names[n++] = strategies[k]->command->name;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < a; b++)
			if (!strcmp(names[a], names[b]) && (!owner[a] || owner[a] != owner[b]))
				problem(c, "command '%s' is declared twice", names[a]);
}

size_t plugins_check(const struct workload *const *workloads,
		     const struct strategy *const *strategies, const char *const *reserved,
		     char *err, size_t errlen)
{
	struct check c = { .err = err, .errlen = errlen };

	if (errlen)
		err[0] = '\0';
	for (size_t i = 0; workloads[i]; i++) {
		check_workload(&c, workloads[i]);
		for (size_t j = 0; j < i; j++)
			if (workloads[i]->name && workloads[j]->name &&
			    !strcmp(workloads[i]->name, workloads[j]->name))
				problem(&c, "workload '%s' is registered twice", workloads[i]->name);
	}
	for (size_t i = 0; strategies[i]; i++) {
		check_strategy(&c, strategies[i], workloads);
		for (size_t j = 0; j < i; j++)
			if (strategies[i]->name && strategies[j]->name &&
			    !strcmp(strategies[i]->name, strategies[j]->name))
				problem(&c, "strategy '%s' is registered twice", strategies[i]->name);
	}
	check_command_names(&c, workloads, strategies, reserved);
	return c.problems;
}

/* ==== Commands ==== */

/* Each command once, though workloads that share a fixture share its
 * command. */
static bool listed(const struct concbench_command *const *out, size_t n,
		   const struct concbench_command *cmd)
{
	for (size_t k = 0; k < n; k++)
		if (out[k] == cmd)
			return true;
	return false;
}

size_t plugin_commands(const struct concbench_command **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; workload_registry[i] && n < max; i++)
		if (workload_registry[i]->command && !listed(out, n, workload_registry[i]->command))
			out[n++] = workload_registry[i]->command;
	for (size_t i = 0; strategy_registry[i] && n < max; i++)
		if (strategy_registry[i]->command)
			out[n++] = strategy_registry[i]->command;
	return n;
}

const struct concbench_command *plugin_command_find(const char *name)
{
	const struct concbench_command *cmds[64];
	size_t n = plugin_commands(cmds, 64);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

/* The flag of a declared option: its name with dashes for underscores. */
static void option_flag(const char *name, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *p = name; *p && o + 1 < len; p++)
		buf[o++] = *p == '_' ? '-' : *p;
	buf[o] = '\0';
}

size_t plugin_command_options(const struct concbench_command *cmd, struct plugin_options *po)
{
	size_t n = 0;

	for (size_t i = 0; cmd->options[i].name && n + 3 < OPT_MAX; i++, n++) {
		char desc[200];

		option_flag(cmd->options[i].name, po->names[n], sizeof(po->names[n]));
		param_describe(&cmd->options[i], desc, sizeof(desc));
		snprintf(po->helps[n], sizeof(po->helps[n]), "%s (%s)", cmd->options[i].help, desc);
		po->defs[n] = (struct opt_def){
			.name = po->names[n], .arg = OPT_VALUE, .help = po->helps[n],
			.metavar = cmd->options[i].type == PARAM_STRING ? "TEXT" : "N" };
	}
	po->help = n;
	po->defs[n++] = (struct opt_def){ .name = "help", .short_name = 'h', .arg = OPT_SWITCH,
					  .help = "this help" };
	po->ready_fd = n;
	po->defs[n++] = (struct opt_def){ .name = "ready-fd", .arg = OPT_VALUE, .hidden = true,
					  .metavar = "FD",
					  .help = "write the ready line to this descriptor (fixtures)" };
	po->defs[n] = (struct opt_def){ 0 };
	return n;
}
