/*
 * matrix.c - `concbench matrix`: every experiment of a profile into one
 * run folder, then its charts and report; `--resume DIR` finishes a
 * matrix that was stopped, without redoing finished cells.
 *
 * The folder keeps what it needs to be resumed: profile.txt (the profile's
 * text as run) and matrix.json (its name and --only). A line torn by a
 * kill mid-write is cut off before anything is appended.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "profile.h"
#include "run.h"
#include "store.h"

struct matrix_args {
	const char *profile, *only, *out, *resume;
};

static void matrix_parse(int argc, char **argv, struct matrix_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 2; i < argc; i++) {
		const char **slot = NULL, *flag = argv[i];

		if (!strcmp(flag, "--profile"))
			slot = &a->profile;
		else if (!strcmp(flag, "--only"))
			slot = &a->only;
		else if (!strcmp(flag, "--out"))
			slot = &a->out;
		else if (!strcmp(flag, "--resume"))
			slot = &a->resume;
		else
			cli_usage_error(flag, "unknown option for 'matrix'; accepted: --profile, --only, "
					      "--out, --resume");
		if (i + 1 >= argc)
			cli_usage_error(flag, "needs a value");
		*slot = argv[++i];
	}
	if (a->resume && (a->profile || a->out || a->only))
		cli_usage_error("--resume", "takes the profile, --only and folder of the run it "
					    "continues; give it alone");
}

static char *read_file(const char *path, size_t max)
{
	struct stat st;
	FILE *f;
	char *text;
	size_t n;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	text = malloc(max + 1);
	n = text ? fread(text, 1, max, f) : 0;
	fclose(f);
	if (!text)
		return NULL;
	text[n] = '\0';
	return text;
}

/* Keeps whole lines only: a cell killed mid-append leaves a partial line. */
static int cut_torn_line(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR);
	off_t size, keep;
	char c;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	size = lseek(fd, 0, SEEK_END);
	for (keep = size; keep > 0; keep--) {
		if (pread(fd, &c, 1, keep - 1) == 1 && c == '\n')
			break;
	}
	if (keep < size && (ftruncate(fd, keep) < 0 || fsync(fd) < 0)) {
		snprintf(err, errlen, "cannot cut the torn last line of %.200s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (keep < size)
		fprintf(stderr, "concbench: dropped a torn last line (%lld bytes) of %s\n",
			(long long)(size - keep), path);
	close(fd);
	return 0;
}

/* Is workload named in the --only list? */
static bool only_has(const char *only, const char *workload)
{
	size_t n = strlen(workload);

	for (const char *p = only; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, workload, n))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

static void check_only(const char *only, const struct profile *p)
{
	char copy[512];

	snprintf(copy, sizeof(copy), "%s", only);
	for (char *save = NULL, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bool found = false;
		char names[512] = "";
		size_t used = 0;

		for (size_t i = 0; i < p->n; i++) {
			found |= !strcmp(p->lines[i].spec.workload, w);
			if (!strstr(names, p->lines[i].spec.workload) && used < sizeof(names))
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
							 used ? ", " : "", p->lines[i].spec.workload);
		}
		if (!found)
			cli_usage_error("--only", "'%s' is not in profile '%s'; it has: %s", w, p->name,
					names);
	}
	if (!*only || only[0] == ',' || only[strlen(only) - 1] == ',' || strstr(only, ",,"))
		cli_usage_error("--only", "expected a comma-separated list of workloads, got '%s'", only);
}

/*
 * Two profile lines must not plan the same cell (say, the same line twice
 * with another repeat): on resume, a stored cell could not say which line
 * it belonged to, and the second line's cells would be taken as done.
 */
static void check_distinct_cells(const struct profile *p, const struct run_request *reqs,
				 const size_t *line_of, size_t n)
{
	static char keys[PROFILE_MAX_EXPERIMENTS][CLI_MAX_STRATEGIES * CLI_MAX_WORKERS][RUN_KEY_MAX];
	size_t nkeys[PROFILE_MAX_EXPERIMENTS];

	for (size_t i = 0; i < n; i++) {
		nkeys[i] = run_cell_keys(&reqs[i], keys[i], CLI_MAX_STRATEGIES * CLI_MAX_WORKERS);
		for (size_t j = 0; j < i; j++)
			for (size_t a = 0; a < nkeys[i]; a++)
				for (size_t b = 0; b < nkeys[j]; b++)
					if (!strcmp(keys[i][a], keys[j][b]))
						cli_usage_error(p->lines[line_of[i]].where,
								"plans a cell that line %zu plans too "
								"(same workload, parameters, strategy "
								"and workers); make each cell belong to "
								"one line", p->lines[line_of[j]].lineno);
	}
}

int harness_cmd_matrix(int argc, char **argv)
{
	static struct run_context ctx;
	static struct run_request reqs[PROFILE_MAX_EXPERIMENTS];
	static struct profile prof;
	size_t line_of[PROFILE_MAX_EXPERIMENTS];
	struct matrix_args a;
	struct record_set done = { 0 };
	char name[256], err[600], path[PATH_MAX + 32];
	char *text = NULL, only_buf[512];
	const char *only = NULL;
	size_t total = 0, nreq = 0;
	int status;

	matrix_parse(argc, argv, &a);
	if (a.resume) {
		json_t *m;

		snprintf(path, sizeof(path), "%s/matrix.json", a.resume);
		m = json_load_file(path, 0, NULL);
		snprintf(path, sizeof(path), "%s/profile.txt", a.resume);
		text = read_file(path, PROFILE_MAX_BYTES);
		if (!m || !text || !json_is_string(json_object_get(m, "profile")))
			cli_usage_error("--resume", "'%s' is not a matrix folder (no matrix.json and "
						    "profile.txt)", a.resume);
		snprintf(name, sizeof(name), "%s", json_string_value(json_object_get(m, "profile")));
		if (json_is_string(json_object_get(m, "only"))) {
			snprintf(only_buf, sizeof(only_buf), "%s",
				 json_string_value(json_object_get(m, "only")));
			only = only_buf;
		}
		json_decref(m);
	} else {
		const char *builtin;

		snprintf(name, sizeof(name), "%s", a.profile ? a.profile : "quick");
		builtin = profile_builtin(name);
		text = builtin ? strdup(builtin) : read_file(name, PROFILE_MAX_BYTES);
		if (!text)
			cli_usage_error("--profile", "no profile '%s': choose %s, or a file's path", name,
					profile_builtin_names());
		if (strlen(text) >= PROFILE_MAX_BYTES)
			cli_usage_error("--profile", "'%s' is larger than %d bytes", name, PROFILE_MAX_BYTES);
		only = a.only;
	}
	profile_parse(name, text, &prof);
	if (only)
		check_only(only, &prof);
	for (size_t i = 0; i < prof.n; i++) {
		if (only && !only_has(only, prof.lines[i].spec.workload))
			continue;
		line_of[nreq] = i;
		cli_resolve(&prof.lines[i].spec, &reqs[nreq++]);
	}
	check_distinct_cells(&prof, reqs, line_of, nreq);

	if (a.resume) {
		snprintf(ctx.dir, sizeof(ctx.dir), "%s", a.resume);
		snprintf(path, sizeof(path), "%s/results.jsonl", a.resume);
		if (cut_torn_line(path, err, sizeof(err)) < 0) {
			fprintf(stderr, "concbench: %s\n", err);
			return 1;
		}
		if (access(path, F_OK) == 0 && records_load(path, &done, NULL, err, sizeof(err)) < 0) {
			fprintf(stderr, "concbench: %s\n", err);
			return 1;
		}
		{
			json_t *env;

			snprintf(path, sizeof(path), "%s/env.json", a.resume);
			env = json_load_file(path, 0, NULL);
			snprintf(ctx.run_id, sizeof(ctx.run_id), "%s",
				 json_string_value(json_object_get(env, "run_id"))
					 ? json_string_value(json_object_get(env, "run_id"))
					 : "resumed");
			json_decref(env);
		}
		ctx.done = &done;
		fprintf(stderr, "concbench: resuming %s: %zu cells already done\n", ctx.dir, done.n);
	} else {
		json_t *m = json_pack("{s:s, s:o}", "profile", name, "only",
				      only ? json_string(only) : json_null());

		if (run_open_dir(&ctx, a.out) < 0) {
			json_decref(m);
			return 1;
		}
		if (store_write_file(ctx.dir, "profile.txt", text, strlen(text), err, sizeof(err)) < 0 ||
		    store_write_json(ctx.dir, "matrix.json", m, err, sizeof(err)) < 0) {
			fprintf(stderr, "concbench: %s\n", err);
			json_decref(m);
			return 1;
		}
		json_decref(m);
		run_write_env(&ctx, argc, argv);
	}

	for (size_t i = 0; i < nreq; i++)
		total += run_count_cells(&reqs[i], ctx.done);
	runner_install_signal_handlers();
	progress_init(&ctx.progress, stderr, total);
	fprintf(stderr, "concbench: profile '%s': %zu experiments, %zu cells to run, into %s\n", name,
		nreq, total, ctx.dir);
	for (size_t i = 0; i < nreq; i++)
		run_experiment(&ctx, &reqs[i]);
	status = run_render(&ctx, run_finish(&ctx, true));
	records_free(&done);
	profile_free(&prof);
	free(text);
	return status;
}
