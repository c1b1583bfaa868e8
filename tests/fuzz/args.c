/*
 * args.c - fuzzes the command line and parameter parser: the input's lines
 * are the arguments of `concbench run` (or, when the first is a command's
 * name, of that command), parsed by opt_parse, then resolved into a run
 * request by cli_resolve as `run` would, every workload and strategy
 * parameter checked. Nothing runs. Bad input must end in a usage error
 * (caught here), never a crash, a leak or undefined behaviour.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static char *text;
	static struct cmd_args a;
	static struct run_spec spec;
	static struct run_request req;
	char *argv[MAX_ARGS + 2];
	int argc = 1;

	if (!ready) {
		fuzz_catch_usage_errors();
		ready = true;
	}
	free(text); /* the previous input's, which a usage error left */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	argv[0] = "run";
	for (char *p = text, *next; p && argc <= MAX_ARGS; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	/* A first line that names a command parses that command's options. */
	a.cmd = command_find(argv[1]);
	if (a.cmd && a.cmd->options) {
		a.argv = argv + 1;
		a.argc = argc - 1;
	} else {
		a.cmd = command_find("run");
		a.argv = argv;
		a.argc = argc;
	}
	if (setjmp(fuzz_usage_exit))
		return 0;
	opt_parse(a.cmd->name, a.cmd->options, a.argc, a.argv, &a.v);
	if (strcmp(a.cmd->name, "run") != 0 && strcmp(a.cmd->name, "once") != 0)
		return 0;
	cli_spec_from_args(&a, &spec);
	cli_resolve(&spec, &req);
	return 0;
}
