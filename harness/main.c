/*
 * main.c - concbench's entry point: sets up the environment the runtimes
 * need, then dispatches the command.
 */
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "cli.h"
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
	const char *cmd = argc > 1 ? argv[1] : NULL;

	static const char *const harness_commands[] = { "list", "run", "once", "hyperfine", "matrix",
							"report", "plot", "compare", "help", NULL };
	sigset_t none;
	char err[512];

	/* Whoever started us may have left SIGCHLD ignored (children would be
	 * reaped behind our back) or signals blocked: neither survives here. */
	/* A plug-in that breaks the face's rules (a parameter table that
	 * overflows, a name taken twice) is a broken build: refuse it. */
	if (plugins_check(workload_registry, strategy_registry, harness_commands, err,
			  sizeof(err)) > 0) {
		fprintf(stderr, "concbench: this build is broken: %s\n", err);
		return 1;
	}
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Only commands that run cells load the runtimes' settings; the
	 * re-exec costs a few milliseconds that `list` or the latency server
	 * (a fixture, started for every run) need not pay. */
	if (cmd && (!strcmp(cmd, "run") || !strcmp(cmd, "matrix") || !strcmp(cmd, "once") ||
		    !strcmp(cmd, "hyperfine")))
		apply_env_defaults(argv);
	if (!cmd)
		cli_usage_error(NULL, "no command given; commands: list, run, once, hyperfine, matrix, "
				      "report, plot, compare, help (see --help)");
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		cli_print_usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("concbench %s (%s)\n", CONCBENCH_VERSION, CONCBENCH_GIT_COMMIT);
		return 0;
	}
	if (!strcmp(cmd, "list")) {
		if (argc > 2)
			cli_usage_error(argv[2], "'list' takes no options");
		cli_print_list(stdout);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return harness_cmd_run(argc, argv);
	if (!strcmp(cmd, "once"))
		return harness_cmd_once(argc, argv);
	if (!strcmp(cmd, "hyperfine"))
		return harness_cmd_hyperfine(argc, argv);
	if (!strcmp(cmd, "matrix"))
		return harness_cmd_matrix(argc, argv);
	if (!strcmp(cmd, "report"))
		return harness_cmd_report(argc, argv);
	if (!strcmp(cmd, "plot"))
		return harness_cmd_plot(argc, argv);
	if (!strcmp(cmd, "compare"))
		return harness_cmd_compare(argc, argv);
	{
		const struct concbench_command *pc = plugin_command_find(cmd);
		const struct concbench_command *all[32];
		char names[256] = "list, run, once, hyperfine, matrix, report, plot, compare";
		size_t used = strlen(names), n;

		if (pc)
			return plugin_command_run(pc, argc - 1, argv + 1);
		n = plugin_commands(all, 32);
		for (size_t i = 0; i < n && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, ", %s", all[i]->name);
		cli_usage_error(NULL, "unknown command '%s'; commands: %s, help", cmd, names);
	}
}
