/*
 * main.c - concbench's entry point: refuses a broken build, sets up the
 * environment the runtimes need, then hands the command line to the
 * command table (commands.c).
 */
#include "harness.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "concbench/fault.h"
#include "plugins.h"

/*
 * Some runtimes read their settings once, when loaded (libgomp reads
 * OMP_WAIT_POLICY in a constructor). A strategy lists such defaults in
 * env_defaults; any that is unset is set here and the process re-executes
 * itself once so the runtime sees it. A value the user set wins.
 */
static void apply_env_defaults(char **argv)
{
	bool changed = false;

	if (getenv("CONCBENCH_ENV_APPLIED"))
		return;
	for (size_t i = 0; strategy_registry[i]; i++) {
		const char *const *env = strategy_registry[i]->env_defaults;

		for (size_t k = 0; env && env[k]; k++) {
			char name[128];
			const char *eq = strchr(env[k], '=');
			size_t nlen = eq ? (size_t)(eq - env[k]) : 0;

			if (!eq || nlen >= sizeof(name))
				continue;
			memcpy(name, env[k], nlen);
			name[nlen] = '\0';
			if (!getenv(name)) {
				setenv(name, eq + 1, 0);
				changed = true;
			}
		}
	}
	if (!changed)
		return;
	setenv("CONCBENCH_ENV_APPLIED", "1", 1);
	execv("/proc/self/exe", argv);
	fprintf(stderr, "concbench: warning: could not re-execute to apply runtime defaults; "
			"OpenMP threads may spin while idle\n");
}

int harness_main(int argc, char **argv)
{
	const struct command *cmd = argc > 1 ? command_find(argv[1]) : NULL;
	const char *names[64];
	sigset_t none;
	char err[512];

	/* A plug-in that breaks the face's rules (a parameter table that
	 * overflows, a name taken twice) is a broken build: refuse it. The
	 * harness's own command names are taken. */
	fault_init(); /* a CONCBENCH_FAULT it cannot read: exit 2 before anything */
	names[command_names(names, 63, false)] = NULL;
	if (plugins_check(workload_registry, strategy_registry, names, err, sizeof(err)) > 0) {
		fprintf(stderr, "concbench: this build is broken: %s\n", err);
		return 1;
	}
	/* Whoever started us may have left SIGCHLD ignored (children would be
	 * reaped behind our back) or signals blocked: neither survives here. */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Only commands that run cells load the runtimes' settings; the
	 * re-exec costs a few milliseconds that `list` or the latency server
	 * (a fixture, started for every run) need not pay. */
	if (cmd && (cmd->flags & CMD_RUNTIME_ENV))
		apply_env_defaults(argv);
	return commands_main(argc, argv);
}
