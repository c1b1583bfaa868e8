/*
 * env.c - captures the machine, build and libraries into env.json.
 */
#include "env.h"

#include "concbench/strategy.h"

#include <event2/event.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "buildinfo.h"

/* First line of a file, without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The value of the first "key<tabs>: value" line in /proc/cpuinfo. */
static bool cpuinfo_field(const char *key, char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	size_t klen = strlen(key);
	bool found = false;

	buf[0] = '\0';
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, klen) != 0 || !colon)
			continue;
		snprintf(buf, len, "%s", colon + 2 <= line + strlen(line) ? colon + 2 : "");
		buf[strcspn(buf, "\n")] = '\0';
		found = true;
	}
	fclose(f);
	return found;
}

static json_t *virtualisation(void)
{
	char flags[4096], vendor[256];
	bool hv;

	cpuinfo_field("flags", flags, sizeof(flags));
	hv = strstr(flags, " hypervisor") != NULL;
	read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	return json_pack("{s:b, s:s}", "virtualised", hv, "sys_vendor", vendor);
}

/* The runtimes other than this program that strategies run tasks in, as
 * each describes itself (with its default parameters), or why it is
 * missing: {"py.serial": {"runtime": "cpython-3.11 (3.11.2, ...)"}}. */
static json_t *runtimes(void)
{
	json_t *o = json_object();

	for (size_t i = 0; strategy_registry[i]; i++) {
		const struct strategy *st = strategy_registry[i];
		struct param_values defaults;
		char text[512] = "";

		if (!st->runtime || (st->flags & STRATEGY_TEST_ONLY))
			continue;
		param_defaults(st->params, &defaults);
		json_object_set_new(o, st->name,
				    st->runtime(NULL, &defaults, text, sizeof(text)) < 0
					    ? json_pack("{s:n, s:s}", "runtime", "missing", text)
					    : json_pack("{s:s}", "runtime", text));
	}
	return o;
}

json_t *env_capture(const char *run_id, int argc, char **argv)
{
	char model[256], governor[64], hostname[256] = "", date[64];
	json_t *env, *cmd = json_array();
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	cpuinfo_field("model name", model, sizeof(model));
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", governor, sizeof(governor));
	gethostname(hostname, sizeof(hostname) - 1);
	uname(&u);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);

	env = json_pack("{s:s, s:s, s:o}", "run_id", run_id, "date", date, "command_line", cmd);
	json_object_set_new(env, "machine", json_pack(
		"{s:s, s:I, s:I, s:s, s:s, s:o, s:o}",
		"cpu_model", model,
		"cores_online", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN),
		"memory_mb", (json_int_t)(sysconf(_SC_PHYS_PAGES) / 1024 * sysconf(_SC_PAGESIZE) / 1024),
		"kernel", u.release, "hostname", hostname,
		"governor", governor[0] ? json_string(governor) : json_null(),
		"virtualisation", virtualisation()));
	json_object_set_new(env, "build", json_pack(
		"{s:s, s:s, s:s, s:s, s:s}",
		"version", CONCBENCH_VERSION, "git_commit", CONCBENCH_GIT_COMMIT,
		"compiler", "gcc " __VERSION__, "build_type", CONCBENCH_BUILD_TYPE,
		"c_flags", CONCBENCH_C_FLAGS));
	json_object_set_new(env, "runtimes", runtimes());
	json_object_set_new(env, "libraries", json_pack(
		"{s:s, s:s, s:i}",
		"libevent", event_get_version(), "jansson", JANSSON_VERSION,
		"openmp", _OPENMP));
	return env;
}
