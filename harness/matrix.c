/*
 * matrix.c - `concbench matrix`: every experiment of a profile into one
 * run folder, then its charts and report; `--resume DIR` finishes a
 * matrix that was stopped, without redoing finished cells.
 *
 * The folder keeps what it needs to be resumed: profile.txt (the profile's
 * text as run) and matrix.json (its name and --only). A line torn by a
 * kill mid-write is cut off before anything is appended.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calibrate.h"
#include "harness.h"
#include "profile.h"
#include "run.h"
#include "store.h"

struct matrix_args {
	const char *profile, *only, *out, *resume;
};

static void matrix_parse(const struct cmd_args *ca, struct matrix_args *a)
{
	a->profile = cmd_get(ca, "profile");
	a->only = cmd_get(ca, "only");
	a->out = cmd_get(ca, "out");
	a->resume = cmd_get(ca, "resume");
	if (a->resume && (a->profile || a->out || a->only))
		cli_usage_error("--resume", "takes the profile, --only and folder of the run it "
					    "continues; give it alone");
}

/* A text file of at most max bytes, NUL-terminated; NULL when it cannot
 * be read. A NUL byte inside (a binary file) is a bad profile: said in
 * *nul_line (its line, from 1; 0 when none). */
static char *read_file(const char *path, size_t max, size_t *nul_line)
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
	*nul_line = 0;
	if (memchr(text, '\0', n)) {
		*nul_line = 1;
		for (const char *p = text; *p; p++)
			*nul_line += *p == '\n';
	}
	return text;
}

/* Keeps whole lines only: a cell killed mid-append leaves a partial line. */
static int cut_torn_line(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR);
	off_t size, keep;
	char c;

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot open %.200s to go on writing it: %s", path,
			 strerror(errno));
		return -1;
	}
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

/* A planned cell and the profile line that plans it. */
struct planned {
	struct cell_id id;
	char key[1400];
	size_t req;
};

static int cmp_planned(const void *a, const void *b)
{
	const struct planned *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->req > y->req) - (x->req < y->req);
}

/*
 * Two profile lines must not plan the same cell (say, the same line twice
 * with another repeat): on resume, a stored cell could not say which line
 * it belonged to, and the second line's cells would be taken as done.
 */
static void check_distinct_cells(const struct profile *p, const struct run_request *reqs,
				 const size_t *line_of, size_t n)
{
	const size_t per = CLI_MAX_STRATEGIES * CLI_MAX_WORKERS;
	struct planned *all = malloc(n * per * sizeof(*all));
	struct cell_id *ids = malloc(per * sizeof(*ids));
	size_t total = 0;

	if (!all || !ids)
		cli_usage_error("--profile", "out of memory checking %zu experiments", n);
	for (size_t i = 0; i < n; i++) {
		size_t m = run_cell_ids(&reqs[i], ids, per);

		for (size_t k = 0; k < m; k++, total++) {
			all[total].id = ids[k];
			all[total].req = i;
			cell_id_key(&ids[k], all[total].key, sizeof(all[total].key));
		}
	}
	qsort(all, total, sizeof(*all), cmp_planned);
	for (size_t k = 1; k < total; k++) {
		const struct planned *x = &all[k - 1], *y = &all[k];

		if (x->req != y->req && cell_id_equal(&x->id, &y->id))
			cli_usage_error(p->lines[line_of[y->req]].where,
					"plans a cell that line %zu plans too (same workload, "
					"parameters, strategy and workers); make each cell belong "
					"to one line", p->lines[line_of[x->req]].lineno);
	}
	free(all);
	free(ids);
}

/* ==== The command, step by step ==== */

struct matrix_plan {
	char name[256];          /* the profile's name or path */
	char *text;              /* its text, owned */
	char only_buf[512];
	const char *only;        /* --only, or NULL */
	struct profile prof;
	struct run_request reqs[PROFILE_MAX_EXPERIMENTS];
	size_t line_of[PROFILE_MAX_EXPERIMENTS];
	size_t nreq;
};

/* dir holds no file but hidden ones (temporaries). */
static bool dir_is_bare(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool bare = d != NULL;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			bare = false;
	if (d)
		closedir(d);
	return bare;
}

/* The profile of a folder being resumed: its matrix.json and profile.txt. */
static void load_resumed(const char *dir, struct matrix_plan *m)
{
	char path[PATH_MAX + 32];
	json_t *mj;
	size_t nul_line = 0;

	run_check_dir_length(dir, "--resume");
	snprintf(path, sizeof(path), "%s/matrix.json", dir);
	mj = json_load_file(path, 0, NULL);
	snprintf(path, sizeof(path), "%s/profile.txt", dir);
	m->text = read_file(path, PROFILE_MAX_BYTES, &nul_line);
	if (!mj || !m->text || !json_is_string(json_object_get(mj, "profile"))) {
		struct stat st;

		if (stat(dir, &st) < 0)
			cli_usage_error("--resume", "'%s': %s", dir, strerror(errno));
		/* Stopped between taking its folder and writing its plan (it
		 * holds nothing, or a temporary): nothing was measured, and
		 * nothing says what to run. */
		if (S_ISDIR(st.st_mode) && dir_is_bare(dir))
			cli_usage_error("--resume", "'%s' holds no matrix plan: its run was stopped "
					"before writing one, so nothing was measured; start it again "
					"with --profile and --out '%s'", dir, dir);
		cli_usage_error("--resume", "'%s' is not a matrix folder (no matrix.json and "
					    "profile.txt)", dir);
	}
	if (nul_line)
		cli_usage_error("--resume", "'%s/profile.txt' line %zu holds a NUL byte", dir,
				nul_line);
	snprintf(m->name, sizeof(m->name), "%s", json_string_value(json_object_get(mj, "profile")));
	if (json_is_string(json_object_get(mj, "only"))) {
		snprintf(m->only_buf, sizeof(m->only_buf), "%s",
			 json_string_value(json_object_get(mj, "only")));
		m->only = m->only_buf;
	}
	json_decref(mj);
}

/* A built-in profile by name, or a file by path. */
static void load_profile(const struct matrix_args *a, struct matrix_plan *m)
{
	const char *builtin;
	size_t nul_line = 0;

	snprintf(m->name, sizeof(m->name), "%s", a->profile ? a->profile : "quick");
	builtin = profile_builtin(m->name);
	m->text = builtin ? strdup(builtin) : read_file(m->name, PROFILE_MAX_BYTES, &nul_line);
	if (!m->text)
		cli_usage_error("--profile", "no profile '%s': choose %s, or a file's path", m->name,
				profile_builtin_names());
	if (nul_line)
		cli_usage_error("--profile", "'%s' line %zu holds a NUL byte: a profile is text",
				m->name, nul_line);
	if (strlen(m->text) >= PROFILE_MAX_BYTES)
		cli_usage_error("--profile", "'%s' is larger than %d bytes", m->name, PROFILE_MAX_BYTES);
	m->only = a->only;
}

/* Every line of the profile (of --only's workloads) into a checked request. */
static void resolve_plan(struct matrix_plan *m)
{
	profile_parse(m->name, m->text, &m->prof);
	if (m->only)
		check_only(m->only, &m->prof);
	for (size_t i = 0; i < m->prof.n; i++) {
		if (m->only && !only_has(m->only, m->prof.lines[i].spec.workload))
			continue;
		m->line_of[m->nreq] = i;
		m->prof.lines[i].spec.may_skip_all = true;
		cli_resolve(&m->prof.lines[i].spec, &m->reqs[m->nreq++]);
	}
	check_distinct_cells(&m->prof, m->reqs, m->line_of, m->nreq);
}

/* The folder of a stopped matrix: its torn line cut, its cells loaded. */
static int open_resumed(struct run_context *ctx, const char *dir, struct record_set *done,
			bool seed_given)
{
	char path[PATH_MAX + 32], err[600];
	json_t *env;

	snprintf(ctx->dir, sizeof(ctx->dir), "%s", dir);
	/* Before results.jsonl is read: another run may be writing it; and
	 * the run goes on writing there. */
	run_take_dir(dir, "--resume");
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (cut_torn_line(path, err, sizeof(err)) < 0 ||
	    (access(path, F_OK) == 0 && records_load(path, done, NULL, err, sizeof(err)) < 0)) {
		fprintf(stderr, "concbench: %s\n", err);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, NULL);
	snprintf(ctx->run_id, sizeof(ctx->run_id), "%s",
		 json_string_value(json_object_get(env, "run_id"))
			 ? json_string_value(json_object_get(env, "run_id")) : "resumed");
	/* The run's own order and seed go on, unless given anew. */
	if (!seed_given && json_is_integer(json_object_get(json_object_get(env, "schedule"), "seed")))
		ctx->rng = ctx->seed = (uint64_t)json_integer_value(
			json_object_get(json_object_get(env, "schedule"), "seed"));
	json_decref(env);
	ctx->done = done;
	fprintf(stderr, "concbench: resuming %s: %zu cells already done\n", ctx->dir, done->n);
	return 0;
}

/* A new folder, with what a resume needs: profile.txt and matrix.json. */
static int open_new(struct run_context *ctx, const struct matrix_args *a,
		    const struct matrix_plan *m, const struct cmd_args *ca)
{
	json_t *mj = json_pack("{s:s, s:o}", "profile", m->name, "only",
			       m->only ? json_string(m->only) : json_null());
	char err[600];
	int rc = 0;

	if (run_open_dir(ctx, a->out) < 0)
		rc = -1;
	else if (store_write_file(ctx->dir, "profile.txt", m->text, strlen(m->text), err,
				  sizeof(err)) < 0 ||
		 store_write_json(ctx->dir, "matrix.json", mj, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		rc = -1;
	}
	json_decref(mj);
	if (rc == 0) {
		run_check_machine(ctx);
		run_write_env(ctx, ca->argc, ca->argv);
	}
	return rc;
}

/* The machine's price list into the folder, for the report: cached per
 * boot and binary, measured (a few seconds) otherwise; a resumed folder
 * keeps its own. Never fatal: the report then does without. */
static void calibrate_run(struct run_context *ctx)
{
	char path[PATH_MAX + 32], err[600];
	bool reused = false;

	snprintf(path, sizeof(path), "%s/" CALIBRATION_FILE, ctx->dir);
	if (access(path, F_OK) == 0)
		return;
	fprintf(stderr, "concbench: calibrating: the machine's price for each primitive ...\n");
	if (calibration_ensure(ctx->dir, &reused, err, sizeof(err)) < 0)
		fprintf(stderr, "concbench: calibration failed, the report does without: %s\n", err);
	else
		fprintf(stderr, "concbench: calibration: %s %s\n", reused ? "reused the cached" : "measured",
			path);
}

int harness_cmd_matrix(const struct cmd_args *ca)
{
	static struct run_context ctx;
	static struct matrix_plan m;
	struct matrix_args a;
	struct record_set done = { 0 };
	size_t total = 0;
	int status = 1;

	matrix_parse(ca, &a);
	if (a.resume)
		load_resumed(a.resume, &m);
	else
		load_profile(&a, &m);
	resolve_plan(&m);
	run_schedule(&ctx, ca);
	if (a.resume ? open_resumed(&ctx, a.resume, &done, cmd_has(ca, "seed")) < 0 : open_new(&ctx, &a, &m, ca) < 0)
		goto out;
	if (a.resume)
		run_check_machine(&ctx);
	for (size_t i = 0; i < m.nreq; i++)
		total += run_count_cells(&m.reqs[i], ctx.done);
	calibrate_run(&ctx);
	runner_install_signal_handlers();
	progress_init(&ctx.progress, stderr, total);
	fprintf(stderr, "concbench: profile '%s': %zu experiments, %zu cells to run, into %s\n",
		m.name, m.nreq, total, ctx.dir);
	for (size_t i = 0; i < m.nreq; i++)
		run_experiment(&ctx, &m.reqs[i]);
	status = run_render(ctx.dir, run_finish(&ctx, true));
out:
	records_free(&done);
	profile_free(&m.prof);
	free(m.text);
	return status;
}
