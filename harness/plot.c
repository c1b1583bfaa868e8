/*
 * plot.c - gnuplot driver (see plot.h).
 *
 * For each chart: a data file and a script are written into DIR/plots/
 * (the script is the embedded template with its @WORDS@ filled in, after
 * plots/common.gp), then `gnuplot SCRIPT` runs with an argv - no shell.
 * gnuplot writes NAME.png.tmp and NAME.svg.tmp; they are renamed only
 * when gnuplot succeeded, so a chart is either whole or absent.
 *
 * ==== Layout ====
 * helpers      strings, units, the best cell of each strategy
 * charts       time, speedup, busy, latency, heatmap
 * driver       running gnuplot, plot_render
 */
#include "plot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "embedded.h"
#include "record.h"
#include "report.h"
#include "concbench/strategy.h"

#define MAX_STRATEGIES 32

struct chart {
	const char *dir;      /* DIR/plots */
	char name[128];       /* file stem */
	char script[PATH_MAX];
	char data[PATH_MAX];  /* where we write the data */
	char data_rel[160];   /* its name as the script sees it: gnuplot runs in dir */
	bool failed;          /* gnuplot ran and failed on this chart */
};

/* ==== Helpers ==== */

/* Replaces every @KEY@ in text by value; returns a new string. */
static char *fill(const char *text, const char *key, const char *value)
{
	char pat[64];
	size_t plen, vlen = strlen(value), n = 0;
	const char *p;
	char *out, *o;

	snprintf(pat, sizeof(pat), "@%s@", key);
	plen = strlen(pat);
	for (p = text; (p = strstr(p, pat)); p += plen)
		n++;
	out = malloc(strlen(text) + n * vlen + 1);
	if (!out)
		return NULL;
	for (o = out, p = text;;) {
		const char *hit = strstr(p, pat);

		if (!hit) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(hit - p));
		o += hit - p;
		memcpy(o, value, vlen);
		o += vlen;
		p = hit + plen;
	}
	return out;
}

/* Fills several keys; frees intermediates. */
static char *fill_all(const char *text, const char *const *kv)
{
	char *cur = strdup(text);

	for (size_t k = 0; cur && kv[k]; k += 2) {
		char *next = fill(cur, kv[k], kv[k + 1]);

		free(cur);
		cur = next;
	}
	return cur;
}

/* A unit that keeps the largest value readable. */
static void time_unit(double max_s, const char **unit, double *scale)
{
	if (max_s >= 1)
		*unit = "s", *scale = 1;
	else if (max_s >= 1e-3)
		*unit = "ms", *scale = 1e3;
	else
		*unit = "us", *scale = 1e6;
}

/* The registry position of a strategy: a stable colour and order. -1 for
 * a name the registry does not know (a test-only or a hand-edited line),
 * which no chart draws: every name in a script comes from the registry. */
static int strategy_rank(const char *name)
{
	for (int i = 0; strategy_registry[i] && i < MAX_STRATEGIES; i++)
		if (!strcmp(strategy_registry[i]->name, name))
			return i;
	return -1;
}

/* Strategies of an experiment in registry order, and each one's best ok cell. */
static size_t best_cells(const struct record_set *set, const size_t *idx, size_t n,
			 const struct record **best, const char **names)
{
	size_t ns = 0;

	for (int rank = 0; rank < MAX_STRATEGIES; rank++) {
		const struct record *b = NULL;
		const char *name = NULL;

		for (size_t k = 0; k < n; k++) {
			const struct record *r = &set->r[idx[k]];

			if (strategy_rank(r->strategy) != rank)
				continue;
			name = r->strategy;
			if (record_ok(r) && (!b || r->median < b->median))
				b = r;
		}
		if (name) {
			names[ns] = name;
			best[ns++] = b;
		}
	}
	return ns;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

/*
 * A gnuplot string literal of text. gnuplot runs backquoted text inside a
 * double-quoted string as a shell command, and never inside a single-quoted
 * one, so every text that reaches a script - a workload parameter, a
 * strategy name, anything read from results.jsonl - goes through here:
 * single quotes, a quote inside doubled, control characters made spaces.
 */
static void gp_quote(const char *text, char *buf, size_t len)
{
	size_t o = 0;

	if (len < 3)
		return;
	buf[o++] = '\'';
	for (const unsigned char *p = (const unsigned char *)text; *p && o + 3 < len; p++) {
		if (*p == '\'')
			buf[o++] = '\'';
		buf[o++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

/* A label inside a data file: gnuplot reads it as data (nothing in it
 * runs), but a double quote or a newline would end it early. */
static void data_label(const char *text, char *buf, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p && o + 1 < len; p++)
		buf[o++] = *p == '"' ? '\'' : *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
	buf[o] = '\0';
}

/* "workload, N tasks" and the parameters, cut to max_raw characters; as a
 * gnuplot string expression, the parameters on a second line when asked. */
static void experiment_title(const struct record *r, bool two_lines, size_t max_raw, char *buf,
			     size_t len)
{
	char head[1024], params[512], qhead[2060], qparams[1030];
	size_t h;

	h = (size_t)snprintf(head, sizeof(head), "%.200s, %zu tasks%s", r->workload, r->tasks,
			     strcmp(r->source, "hyperfine") ? "" : " (whole process)");
	snprintf(params, sizeof(params), "%s", r->params);
	if (!two_lines && params[0]) {
		snprintf(head + h, sizeof(head) - h, ", %s", params);
		params[0] = '\0';
	}
	/* Cut before quoting, never inside a doubled quote. */
	if (max_raw < strlen(head))
		head[max_raw] = '\0';
	if (max_raw < strlen(params))
		params[max_raw] = '\0';
	gp_quote(head, qhead, sizeof(qhead));
	gp_quote(params, qparams, sizeof(qparams));
	if (!params[0])
		snprintf(buf, len, "%s", qhead);
	else
		snprintf(buf, len, "%s . \"\\n\" . %s", qhead, qparams);
}

void plot_chart_name(size_t e, const char *workload, const char *kind, char *buf, size_t len)
{
	snprintf(buf, len, "%02zu-%.60s-%s", e + 1, workload, kind);
	/* A stored workload name becomes a file name: keep it plain. */
	for (char *p = buf; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			*p = '_';
}

/* ==== Driver ==== */

/*
 * Writes the script (common settings, the filled template, then the SVG
 * replot) and runs gnuplot on it. Returns the number of files made, or -1
 * when gnuplot cannot be run at all.
 */
static int draw(struct chart *c, const char *body)
{
	const char *common = embedded_find("plots/common.gp");
	char png[PATH_MAX], svg[PATH_MAX], tmp_png[PATH_MAX + 8], tmp_svg[PATH_MAX + 8], log[PATH_MAX];
	char *script;
	size_t len;
	FILE *f;
	int status, fd;
	pid_t pid;

	snprintf(png, sizeof(png), "%s/%s.png", c->dir, c->name);
	snprintf(svg, sizeof(svg), "%s/%s.svg", c->dir, c->name);
	snprintf(tmp_png, sizeof(tmp_png), "%s.tmp", png);
	snprintf(tmp_svg, sizeof(tmp_svg), "%s.tmp", svg);
	snprintf(log, sizeof(log), "%s/gnuplot.log", c->dir);
	snprintf(c->script, sizeof(c->script), "%s/%s.gp", c->dir, c->name);
	f = open_memstream(&script, &len);
	if (!f)
		return 0;
	/* Names relative to the plots folder (gnuplot runs there), made of
	 * safe characters only: nothing in a path needs quoting. */
	fprintf(f, "set terminal pngcairo size 960,560 font 'DejaVu Sans,10' noenhanced\n"
		   "set output '%s.png.tmp'\n%s\n%s\n"
		   "set terminal svg size 960,560 dynamic font 'DejaVu Sans,10' noenhanced\n"
		   "set output '%s.svg.tmp'\nreplot\nunset output\n",
		c->name, common ? common : "", body, c->name);
	fclose(f);
	if (write_text(c->script, script) < 0) {
		free(script);
		return 0;
	}
	free(script);

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		if (chdir(c->dir) < 0)
			_exit(126);
		snprintf(log, sizeof(log), "%s.gp", c->name);
		execlp("gnuplot", "gnuplot", log, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(tmp_png);
		unlink(tmp_svg);
		fprintf(stderr, "concbench: gnuplot failed on %s (see %s)\n", c->script, log);
		c->failed = true;
		return 0;
	}
	return (rename(tmp_png, png) == 0) + (rename(tmp_svg, svg) == 0);
}

/* Fills the embedded template plots/NAME.gp with kv and draws it. */
static int draw_template(struct chart *c, const char *name, const char *const *kv)
{
	char path[64];
	char *body;
	int made;

	snprintf(path, sizeof(path), "plots/%s.gp", name);
	body = fill_all(embedded_find(path), kv);
	made = body ? draw(c, body) : 0;
	free(body);
	return made;
}

/* ==== Charts ==== */

static int chart_time(struct chart *c, const char *title, const struct record **best,
		      const char **names, size_t ns)
{
	const char *unit;
	double max = 0, scale;
	char scale_s[32], label[128];
	FILE *f = fopen(c->data, "w");
	int made;

	if (!f)
		return 0;
	for (size_t s = 0; s < ns; s++) {
		if (!best[s])
			continue;
		data_label(names[s], label, sizeof(label));
		fprintf(f, "\"%s (%u)\" %.9g %.9g %.9g %d\n", label, best[s]->workers, best[s]->median,
			best[s]->ci_lo, best[s]->ci_hi, strategy_rank(names[s]) + 1);
		max = best[s]->ci_hi > max ? best[s]->ci_hi : max;
	}
	fclose(f);
	if (max == 0)
		return 0;
	time_unit(max, &unit, &scale);
	snprintf(scale_s, sizeof(scale_s), "%g", scale);
	made = draw_template(c, "time",
			     (const char *const[]){ "TITLE", title, "DATA", c->data_rel, "UNIT", unit, "SCALE",
					       scale_s, NULL });
	return made;
}

static int chart_busy(struct chart *c, const char *title, const struct record **best,
		      const char **names, size_t ns, int cores)
{
	FILE *f = fopen(c->data, "w");
	char cores_s[16], ymax_s[32], label[128];
	size_t rows = 0;
	double ymax = cores;
	int made;

	if (!f)
		return 0;
	for (size_t s = 0; s < ns; s++) {
		if (!best[s] || !isfinite(best[s]->cores_busy))
			continue;
		ymax = best[s]->cores_busy > ymax ? best[s]->cores_busy : ymax;
		data_label(names[s], label, sizeof(label));
		fprintf(f, "\"%s (%u)\" %.4f %d\n", label, best[s]->workers, best[s]->cores_busy,
			strategy_rank(names[s]) + 1);
		rows++;
	}
	fclose(f);
	if (rows == 0)
		return 0;
	snprintf(cores_s, sizeof(cores_s), "%d", cores);
	/* Room above the core-count line and the tallest bar's label. */
	snprintf(ymax_s, sizeof(ymax_s), "%.3g", ymax * 1.15);
	made = draw_template(c, "busy",
			     (const char *const[]){ "TITLE", title, "DATA", c->data_rel, "CORES", cores_s, "YMAX",
					       ymax_s, NULL });
	return made;
}

static int cmp_workers(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a, *y = *(const struct record *const *)b;

	return (x->workers > y->workers) - (x->workers < y->workers);
}

static int chart_speedup(struct chart *c, const char *title, const struct record_set *set,
			 const size_t *idx, size_t n, const char **names, size_t ns, int cores)
{
	const struct record *cells[256];
	char qname[160];
	FILE *f = fopen(c->data, "w"), *plot;
	char *plotcmd = NULL;
	size_t plen, blocks = 0;
	unsigned maxw = 1;
	const struct record *first = &set->r[idx[0]];
	int made;

	if (!f)
		return 0;
	plot = open_memstream(&plotcmd, &plen);
	fprintf(plot, "plot ");
	for (size_t s = 0; s < ns; s++) {
		size_t m = 0;

		for (size_t k = 0; k < n && m < 256; k++) {
			const struct record *r = &set->r[idx[k]];

			if (!strcmp(r->strategy, names[s]) && record_ok(r) && isfinite(r->speedup))
				cells[m++] = r;
		}
		if (m == 0)
			continue;
		qsort(cells, m, sizeof(cells[0]), cmp_workers);
		for (size_t k = 0; k < m; k++) {
			fprintf(f, "%u %.6g %.6g %.6g\n", cells[k]->workers, cells[k]->speedup,
				cells[k]->speedup_lo, cells[k]->speedup_hi);
			maxw = cells[k]->workers > maxw ? cells[k]->workers : maxw;
		}
		fprintf(f, "\n\n");
		gp_quote(names[s], qname, sizeof(qname));
		fprintf(plot, "%s'%s' index %zu using 1:2:3:4 with yerrorlines lt %d title %s",
			blocks ? ", " : "", c->data_rel, blocks, strategy_rank(names[s]) + 1, qname);
		blocks++;
	}
	if (blocks > 0) {
		/* The ideal: computing scales with cores; waiting with the
		 * tasks in flight (all N at once when W >= N). */
		bool io = !strcmp(first->kind, "io");
		bool cpu = !strcmp(first->kind, "cpu");

		if (io || cpu) {
			for (unsigned w = 1;; w = w * 2 > maxw && w < maxw ? maxw : w * 2) {
				double ideal = cpu ? (w < (unsigned)cores ? (double)w : (double)cores)
						   : (double)first->tasks /
							     ceil((double)first->tasks / w);

				fprintf(f, "%u %.6g\n", w, ideal);
				if (w >= maxw)
					break;
			}
			fprintf(f, "\n\n");
			fprintf(plot, ", '%s' index %zu using 1:2 with lines dt 2 lw 1.5 lc rgb '#555555' "
				      "title '%s'", c->data_rel, blocks,
				cpu ? "ideal (linear up to the cores)" : "ideal (latency-bound)");
		}
	}
	fclose(f);
	fclose(plot);
	if (blocks == 0) {
		free(plotcmd);
		return 0;
	}
	made = draw_template(c, "speedup",
			     (const char *const[]){ "TITLE", title, "PLOT", plotcmd, NULL });
	free(plotcmd);
	return made;
}

static int chart_latency(struct chart *c, const char *title, const struct record **best,
			 const char **names, size_t ns)
{
	FILE *f = fopen(c->data, "w"), *plot;
	char *plotcmd = NULL, scale_s[32], label[128], qname[280];
	size_t plen, blocks = 0;
	const char *unit;
	double max = 0, scale;
	int made;

	if (!f)
		return 0;
	for (size_t s = 0; s < ns; s++)
		if (best[s] && best[s]->nlatq && best[s]->latq[100] > max)
			max = best[s]->latq[100];
	time_unit(max, &unit, &scale);
	snprintf(scale_s, sizeof(scale_s), "%g", scale);
	plot = open_memstream(&plotcmd, &plen);
	fprintf(plot, "plot ");
	for (size_t s = 0; s < ns; s++) {
		if (!best[s] || !best[s]->nlatq || best[s]->latq[0] <= 0)
			continue;
		for (size_t q = 0; q < RECORD_LATQ; q++)
			fprintf(f, "%.9g %zu\n", best[s]->latq[q] * scale, q);
		fprintf(f, "\n\n");
		snprintf(label, sizeof(label), "%s (%u)", names[s], best[s]->workers);
		gp_quote(label, qname, sizeof(qname));
		fprintf(plot, "%s'%s' index %zu using 1:2 with lines lt %d title %s",
			blocks ? ", " : "", c->data_rel, blocks, strategy_rank(names[s]) + 1, qname);
		blocks++;
	}
	fclose(f);
	fclose(plot);
	if (blocks == 0) {
		free(plotcmd);
		return 0;
	}
	made = draw_template(c, "latency",
			     (const char *const[]){ "TITLE", title, "PLOT", plotcmd, "UNIT", unit, NULL });
	free(plotcmd);
	return made;
}

static int chart_heatmap(struct chart *c, const struct record_set *set, const size_t *group,
			 size_t ngroups)
{
	bool used[MAX_STRATEGIES] = { false };
	int col_of[MAX_STRATEGIES];
	char *xt = NULL, *yt = NULL, ncols_s[32], nrows_s[32];
	size_t xl, yl, ncols = 0, rows = 0;
	FILE *f = fopen(c->data, "w"), *xf, *yf;
	int made;

	if (!f)
		return 0;
	for (size_t i = 0; i < set->n; i++)
		if (record_ok(&set->r[i]) && strategy_rank(set->r[i].strategy) >= 0)
			used[strategy_rank(set->r[i].strategy)] = true;
	xf = open_memstream(&xt, &xl);
	for (int s = 0; s < MAX_STRATEGIES; s++) {
		col_of[s] = used[s] ? (int)ncols : -1;
		if (used[s] && strategy_registry[s]) {
			char q[160];

			gp_quote(strategy_registry[s]->name, q, sizeof(q));
			fprintf(xf, "%s%s %zu", ncols ? ", " : "", q, ncols);
		}
		ncols += used[s];
	}
	fclose(xf);
	yf = open_memstream(&yt, &yl);
	for (size_t g = 0; g < ngroups; g++) {
		double best[MAX_STRATEGIES], overall = INFINITY;
		const struct record *first = NULL;
		char title[2100];

		for (int s = 0; s < MAX_STRATEGIES; s++)
			best[s] = INFINITY;
		for (size_t i = 0; i < set->n; i++) {
			const struct record *r = &set->r[i];
			int s = strategy_rank(r->strategy);

			if (group[i] != g || s < 0)
				continue;
			first = first ? first : r;
			if (record_ok(r) && r->median < best[s])
				best[s] = r->median;
			if (record_ok(r) && r->median < overall)
				overall = r->median;
		}
		experiment_title(first, false, 44, title, sizeof(title));
		fprintf(yf, "%s%s %zu", g ? ", " : "", title, g);
		for (int s = 0; s < MAX_STRATEGIES; s++)
			if (isfinite(best[s]) && col_of[s] >= 0) {
				fprintf(f, "%d %zu %.4f\n", col_of[s], g, best[s] / overall);
				rows++;
			}
	}
	fclose(yf);
	fclose(f);
	snprintf(ncols_s, sizeof(ncols_s), "%zu", ncols);
	snprintf(nrows_s, sizeof(nrows_s), "%zu", ngroups);
	made = rows ? draw_template(c, "heatmap",
				    (const char *const[]){ "DATA", c->data_rel, "NCOLS", ncols_s,
							   "NROWS", nrows_s, "XTICS", xt, "YTICS",
							   yt, NULL })
		    : 0;
	free(xt);
	free(yt);
	return made;
}

/* In-process against whole-process medians, cell by cell (a hyperfine
 * experiment against the in-process one of the same workload). */
static int chart_clocks(struct chart *c, const char *title, const struct record_set *set,
			const size_t *idx, size_t n)
{
	FILE *f = fopen(c->data, "w");
	double max = 0, min = INFINITY, scale;
	const char *unit;
	char scale_s[32], label[128];
	size_t rows = 0;
	int made;

	if (!f)
		return 0;
	for (size_t k = 0; k < n; k++) {
		const struct record *h = &set->r[idx[k]];

		if (record_ok(h) && h->median < min)
			min = h->median;

		for (size_t i = 0; i < set->n; i++) {
			const struct record *r = &set->r[i];

			if (strcmp(r->source, "concbench") || !record_same_workload(r, h) ||
			    strcmp(r->strategy, h->strategy) || r->workers != h->workers ||
			    !record_ok(r) || !record_ok(h))
				continue;
			data_label(h->strategy, label, sizeof(label));
			fprintf(f, "\"%s (%u)\" %.9g %.9g\n", label, h->workers, r->median, h->median);
			max = h->median > max ? h->median : max;
			rows++;
			break;
		}
	}
	fclose(f);
	if (rows == 0)
		return 0;
	time_unit(max, &unit, &scale);
	snprintf(scale_s, sizeof(scale_s), "%g", scale);
	/* A serial cell 100 times slower would flatten every other pair. */
	made = draw_template(c, "clocks",
			     (const char *const[]){ "TITLE", title, "DATA", c->data_rel, "UNIT", unit, "SCALE",
					       scale_s, "YSCALE",
					       max > 20 * min ? "set logscale y" : "set yrange [0:*]",
					       NULL });
	return made;
}

/* The machine's core count, from env.json (this machine's when absent). */
static int run_cores(const char *dir)
{
	char path[PATH_MAX + 16];
	json_t *env, *cores;
	int n = (int)sysconf(_SC_NPROCESSORS_ONLN);

	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, NULL);
	cores = json_object_get(json_object_get(env, "machine"), "cores_online");
	if (json_is_integer(cores))
		n = (int)json_integer_value(cores);
	json_decref(env);
	return n;
}

static void chart_paths(struct chart *c, const char *plots, size_t e, const char *workload,
			const char *kind)
{
	c->dir = plots;
	if (workload)
		plot_chart_name(e, workload, kind, c->name, sizeof(c->name));
	else
		snprintf(c->name, sizeof(c->name), "%s", kind);
	snprintf(c->data, sizeof(c->data), "%.*s/%s.dat", PATH_MAX / 2, plots, c->name);
	snprintf(c->data_rel, sizeof(c->data_rel), "%s.dat", c->name);
	c->failed = false;
}

int plot_render(const char *dir, size_t *failed, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], plots[PATH_MAX / 2];
	struct record_set set;
	size_t *group = NULL, *idx = NULL, ngroups;
	int cores = run_cores(dir), total = 0, made;
	struct chart c;

	*failed = 0;
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, &set, NULL, err, errlen) < 0)
		return -1;
	if (set.n == 0) {
		snprintf(err, errlen, "no results in %s", path);
		records_free(&set);
		return -1;
	}
	if (strlen(dir) + 8 > sizeof(plots)) {
		snprintf(err, errlen, "run folder path too long");
		records_free(&set);
		return -1;
	}
	snprintf(plots, sizeof(plots), "%s/plots", dir);
	if (mkdir(plots, 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%.200s': %s", plots, strerror(errno));
		records_free(&set);
		return -1;
	}
	group = calloc(set.n, sizeof(*group));
	idx = calloc(set.n, sizeof(*idx));
	if (!group || !idx)
		goto oom;
	ngroups = report_group(&set, group);
	for (size_t g = 0; g < ngroups; g++) {
		const struct record *best[MAX_STRATEGIES];
		const char *names[MAX_STRATEGIES];
		char title[3200];
		size_t n = 0, ns;

		for (size_t i = 0; i < set.n; i++)
			if (group[i] == g)
				idx[n++] = i;
		experiment_title(&set.r[idx[0]], true, 399, title, sizeof(title));
		ns = best_cells(&set, idx, n, best, names);

		chart_paths(&c, plots, g, set.r[idx[0]].workload, "time");
		if ((made = chart_time(&c, title, best, names, ns)) < 0)
			goto no_gnuplot;
		total += made;
		*failed += c.failed;
		chart_paths(&c, plots, g, set.r[idx[0]].workload, "speedup");
		if ((made = chart_speedup(&c, title, &set, idx, n, names, ns, cores)) < 0)
			goto no_gnuplot;
		total += made;
		*failed += c.failed;
		chart_paths(&c, plots, g, set.r[idx[0]].workload, "busy");
		if ((made = chart_busy(&c, title, best, names, ns, cores)) < 0)
			goto no_gnuplot;
		total += made;
		*failed += c.failed;
		chart_paths(&c, plots, g, set.r[idx[0]].workload, "latency");
		if ((made = chart_latency(&c, title, best, names, ns)) < 0)
			goto no_gnuplot;
		total += made;
		*failed += c.failed;
		if (!strcmp(set.r[idx[0]].source, "hyperfine")) {
			chart_paths(&c, plots, g, set.r[idx[0]].workload, "clocks");
			if ((made = chart_clocks(&c, title, &set, idx, n)) < 0)
				goto no_gnuplot;
			total += made;
		*failed += c.failed;
		}
	}
	chart_paths(&c, plots, 0, NULL, "winners");
	if ((made = chart_heatmap(&c, &set, group, ngroups)) < 0)
		goto no_gnuplot;
	total += made;
	*failed += c.failed;
	free(group);
	free(idx);
	records_free(&set);
	return total;
no_gnuplot:
	snprintf(err, errlen, "gnuplot is not installed, so no charts were drawn (the results are "
			      "complete); install it with: apt-get install gnuplot-nox");
	free(group);
	free(idx);
	records_free(&set);
	return -1;
oom:
	snprintf(err, errlen, "out of memory");
	free(group);
	free(idx);
	records_free(&set);
	return -1;
}
