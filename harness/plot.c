/*
 * plot.c - gnuplot driver (see plot.h).
 *
 * For each chart: a data file and a script are written into DIR/plots/
 * (the script is the embedded template with its @WORDS@ filled in, after
 * plots/common.gp), then `gnuplot SCRIPT` runs with an argv - no shell.
 * gnuplot writes NAME.png.tmp and NAME.svg.tmp; they are renamed only
 * when gnuplot succeeded, so a chart is either whole or absent.
 *
 * Every strategy variant of an experiment gets its bar and its line,
 * whether or not this build knows the strategy: a known one in its own
 * colour (by registry order), a second variant of it dashed, an unknown
 * one in the fallback colour. No text from a results file ever reaches a
 * script unquoted (gp_quote).
 *
 * ==== Layout ====
 * text         gnuplot literals, data labels, titles, chart names
 * driver       running gnuplot on a filled template
 * charts       time, speedup, busy, latency, clocks, heatmap
 * render       every chart of a run folder
 */
#include "plot.h"

#include "concbench/fault.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decision.h"
#include "embedded.h"
#include "format.h"
#include "record.h"
#include "store.h"

#define MAX_VARIANTS 48
#define TITLE_MAX 3200

struct chart {
	const char *dir;      /* DIR/plots */
	char name[128];       /* file stem */
	char script[PATH_MAX];
	char data[PATH_MAX];  /* where we write the data */
	char data_rel[160];   /* its name as the script sees it: gnuplot runs in dir */
	bool failed;          /* gnuplot ran and failed on this chart */
};

/* One experiment, as its charts see it. */
struct view {
	const struct record_set *set;
	const size_t *idx;
	size_t n;
	struct variant var[MAX_VARIANTS];
	const struct record *best[MAX_VARIANTS]; /* each variant's fastest ok cell, or NULL */
	size_t nv;
	char title[TITLE_MAX];                   /* a gnuplot string expression */
	int cores;
};

/* ==== Text ==== */

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

/* "label (W)" of a cell, as a data label. */
static void cell_label(const struct record *r, char *buf, size_t len)
{
	char raw[CELL_LABEL_MAX + 16];

	snprintf(raw, sizeof(raw), "%s (%u)", r->id.label, r->id.workers);
	data_label(raw, buf, len);
}

/* "workload, N tasks" and the parameters, cut to max_raw characters; as a
 * gnuplot string expression, the parameters on a second line when asked.
 * A number > 0 goes first ("8. "), the experiment's number in report.md:
 * rows that differ only past the cut still read apart. */
static void experiment_title(const struct record *r, size_t number, bool two_lines,
			     size_t max_raw, char *buf, size_t len)
{
	char head[1024], params[512], qhead[2060], qparams[1030];
	size_t h = 0;

	if (number)
		h = (size_t)snprintf(head, sizeof(head), "%zu. ", number);
	h += (size_t)snprintf(head + h, sizeof(head) - h, "%.200s, %zu tasks%s", r->id.workload,
			      r->id.tasks,
			      r->id.source == SOURCE_HYPERFINE ? " (whole process)" : "");
	snprintf(params, sizeof(params), "%s", r->id.params);
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

static const char *const kind_names[CHART_KINDS] = {
	[CHART_TIME] = "time", [CHART_SPEEDUP] = "speedup", [CHART_BUSY] = "busy",
	[CHART_LATENCY] = "latency", [CHART_CLOCKS] = "clocks",
};

void plot_chart_name(size_t e, const char *workload, enum chart_kind kind, char *buf, size_t len)
{
	snprintf(buf, len, "%02zu-%.60s-%s", e + 1, workload, kind_names[kind]);
	/* A stored workload name becomes a file name: keep it plain. */
	for (char *p = buf; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			*p = '_';
}

bool plot_drawn(const struct plot_charts *c, size_t e, enum chart_kind kind)
{
	return c && c->drawn && e < c->nexperiments && c->drawn[e * CHART_KINDS + kind];
}

void plot_charts_free(struct plot_charts *c)
{
	free(c->drawn);
	memset(c, 0, sizeof(*c));
}

/* ==== Driver ==== */

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

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* Runs `gnuplot NAME.gp` in the plots folder, output to gnuplot.log.
 * Returns its wait status, or -1 when it could not be waited for. */
static int run_gnuplot(const struct chart *c)
{
	char log[PATH_MAX], script[160];
	int status, fd;
	pid_t pid, parent = getpid();

	snprintf(log, sizeof(log), "%s/gnuplot.log", c->dir);
	snprintf(script, sizeof(script), "%s.gp", c->name);
	fflush(NULL);
	pid = fault_fork();
	if (pid == 0) {
		/* gnuplot dies with us: a harness killed while drawing must not
		 * leave it writing into the folder. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(126);
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		if (chdir(c->dir) < 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * Writes the script (common settings, the filled template, then the SVG
 * replot) and runs gnuplot on it. Returns the number of files made, or -1
 * when gnuplot cannot be run at all.
 */
static int draw(struct chart *c, const char *body)
{
	const char *common = embedded_find("plots/common.gp");
	char png[PATH_MAX], svg[PATH_MAX], tmp_png[PATH_MAX + 8], tmp_svg[PATH_MAX + 8];
	char *script;
	size_t len;
	FILE *f;
	int status;

	snprintf(png, sizeof(png), "%s/%s.png", c->dir, c->name);
	snprintf(svg, sizeof(svg), "%s/%s.svg", c->dir, c->name);
	snprintf(tmp_png, sizeof(tmp_png), "%s.tmp", png);
	snprintf(tmp_svg, sizeof(tmp_svg), "%s.tmp", svg);
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
	status = run_gnuplot(c);
	if (status == -1)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(tmp_png);
		unlink(tmp_svg);
		fprintf(stderr, "concbench: gnuplot failed on %s (see %s/gnuplot.log)\n", c->script,
			c->dir);
		c->failed = true;
		return 0;
	}
	return (rename(tmp_png, png) == 0) + (rename(tmp_svg, svg) == 0);
}

/* Fills the embedded template plots/NAME.gp with kv (KEY, value, ...,
 * NULL) and draws it. */
static int draw_template(struct chart *c, const char *name, const char *const *kv)
{
	char path[64];
	char *body;
	int made;

	snprintf(path, sizeof(path), "plots/%s.gp", name);
	body = strdup(embedded_find(path));
	for (size_t k = 0; body && kv[k]; k += 2) {
		char *next = fill(body, kv[k], kv[k + 1]);

		free(body);
		body = next;
	}
	made = body ? draw(c, body) : 0;
	free(body);
	return made;
}

/* ==== Charts ==== */

/* The worker counts that ran, once each, for the x axis's ticks. */
static void add_tick(unsigned *ticks, size_t *n, unsigned workers)
{
	for (size_t k = 0; k < *n; k++)
		if (ticks[k] == workers)
			return;
	if (*n < 64)
		ticks[(*n)++] = workers;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* "1, 10, 100, 1000": gnuplot's tick list, ascending. */
static void xtics_text(unsigned *ticks, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	qsort(ticks, n, sizeof(*ticks), cmp_unsigned);
	buf[0] = '\0';
	for (size_t k = 0; k < n && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", k ? ", " : "", ticks[k]);
}

/* Times this many times apart get a log axis: on a linear one the short
 * bars would be a pixel tall, invisible beside the long ones. */
#define LOG_AXIS_RATIO 20

/*
 * The value axis of a time chart whose bars run from lo to hi seconds
 * (drawn times scale): a log axis when they differ more than
 * LOG_AXIS_RATIO-fold, its bottom a third below the shortest bar (a log
 * axis's boxes start at its bottom); otherwise a linear axis from 0.
 * Fills yscale with the gnuplot lines; returns whether it is a log axis.
 */
static bool time_axis(double lo, double hi, double scale, char *yscale, size_t len)
{
	bool log_axis = lo > 0 && isfinite(hi) && hi > LOG_AXIS_RATIO * lo;

	if (log_axis)
		snprintf(yscale, len, "set logscale y\nset yrange [%.9g:*]", lo * scale / 3);
	else
		snprintf(yscale, len, "set yrange [0:*]");
	return log_axis;
}

/* Time per variant at its best worker count: the median's bar, its CI as
 * error bars, and every sample as a dot. */
static int chart_time(struct chart *c, const struct view *v)
{
	const char *unit;
	double max = 0, scale, lo_med = INFINITY, hi_med = 0;
	char scale_s[32], label[CELL_LABEL_MAX + 16], yscale[96];
	FILE *f = fopen(c->data, "w");
	bool log_axis;

	if (!f)
		return 0;
	for (size_t s = 0; s < v->nv; s++) {
		const struct record *b = v->best[s];

		if (!b)
			continue;
		cell_label(b, label, sizeof(label));
		fprintf(f, "\"%s\" %.9g %.9g %.9g %d %.9g\n", label, b->wall_stats.median,
			b->wall_stats.ci_lo, b->wall_stats.ci_hi, v->var[s].style,
			fmax(b->wall_stats.max, b->wall_stats.ci_hi));
		max = fmax(max, fmax(b->wall_stats.max, b->wall_stats.ci_hi));
		lo_med = fmin(lo_med, b->wall_stats.median);
		hi_med = fmax(hi_med, b->wall_stats.median);
	}
	/* Block 1: every sample of those cells as a dot over its bar, spread
	 * sideways a little (a fixed pattern) so equal times stay visible. */
	fprintf(f, "\n\n");
	for (size_t s = 0, pos = 0; s < v->nv; s++) {
		const struct record *b = v->best[s];

		if (!b)
			continue;
		for (size_t k = 0; k < b->nwall; k++)
			fprintf(f, "%.4f %.9g\n", (double)pos + 0.05 * (double)((int)(k % 9) - 4),
				b->wall[k]);
		pos++;
	}
	fclose(f);
	if (!(max > 0))
		return 0;
	format_time_unit(max, &unit, &scale);
	snprintf(scale_s, sizeof(scale_s), "%g", scale);
	log_axis = time_axis(lo_med, hi_med, scale, yscale, sizeof(yscale));
	return draw_template(c, "time", (const char *const[]){ "TITLE", v->title, "DATA", c->data_rel,
							       "UNIT", unit, "SCALE", scale_s, "YSCALE",
							       yscale, "LOGNOTE",
							       log_axis ? ", log scale" : "", NULL });
}

/*
 * Cores busy per variant at its best worker count, the core count marked.
 * Where the cells ran beside a helper process (a fixture), its CPU over
 * the same wall time is stacked on each bar: the client's and the
 * server's share of the machine, one above the other.
 */
static int chart_busy(struct chart *c, const struct view *v)
{
	FILE *f = fopen(c->data, "w");
	char cores_s[16], ymax_s[32], label[CELL_LABEL_MAX + 16], plot[1024];
	size_t rows = 0;
	double ymax = v->cores;
	bool server = false;

	if (!f)
		return 0;
	for (size_t s = 0; s < v->nv; s++) {
		const struct record *b = v->best[s];
		double helper = 0;

		if (!b || !isfinite(b->cores_busy))
			continue;
		if (record_has_fixture(b) && isfinite(b->fixture_cpu_s) &&
		    b->wall_stats.median > 0) {
			helper = b->fixture_cpu_s / b->wall_stats.median;
			server = true;
		}
		ymax = b->cores_busy + helper > ymax ? b->cores_busy + helper : ymax;
		cell_label(b, label, sizeof(label));
		fprintf(f, "\"%s\" %.4f %.4f %d\n", label, b->cores_busy, helper, v->var[s].style);
		rows++;
	}
	fclose(f);
	if (rows == 0)
		return 0;
	snprintf(cores_s, sizeof(cores_s), "%d", v->cores);
	/* Room above the core-count line and the tallest bar's label (and
	 * the key, with a server). */
	snprintf(ymax_s, sizeof(ymax_s), "%.3g", ymax * (server ? 1.3 : 1.15));
	/* Only the data file's name (safe characters) and fixed words: the
	 * labels reach gnuplot as data. */
	if (server)
		snprintf(plot, sizeof(plot),
			 "plot keyentry with boxes lc rgb '#bbbbbb' "
			 "title 'client: the cell''s own CPU, in its strategy''s colour', \\\n"
			 "     '%s' using 0:($2+$3):xtic(1) with boxes lc rgb '#444444' "
			 "fs pattern 4 border lc rgb '#333333' "
			 "title 'server (helper process)', \\\n"
			 "     '' using 0:2:4 with boxes lc variable notitle, \\\n"
			 "     '' using 0:($2+$3):(sprintf('%%.2f + %%.2f', $2, $3)) with labels "
			 "offset 0,0.8 font ',9' notitle", c->data_rel);
	else
		snprintf(plot, sizeof(plot),
			 "plot '%s' using 0:2:4:xtic(1) with boxes lc variable notitle, \\\n"
			 "     '' using 0:2:(sprintf('%%.2f', $2)) with labels offset 0,0.8 "
			 "font ',9' notitle", c->data_rel);
	return draw_template(c, "busy", (const char *const[]){
		"TITLE", v->title, "CORES", cores_s, "YMAX", ymax_s,
		"YLABEL",
		server ? "'cores busy (CPU time / wall)'" : "'cores busy ((user+sys) / wall)'",
		"KEY", server ? "set key inside right top vertical Right noreverse" : "unset key",
		"NOTE", server ? ": client + server" : "", "PLOT", plot, NULL });
}

static int cmp_workers(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a, *y = *(const struct record *const *)b;

	return (x->id.workers > y->id.workers) - (x->id.workers < y->id.workers);
}

/* The ideal speedup's line: computing scales with the cores; waiting with
 * the tasks in flight (all N at once when W >= N). */
static void ideal_line(FILE *f, const struct record *first, unsigned maxw, int cores)
{
	bool cpu = first->kind == WORKLOAD_CPU;

	for (unsigned w = 1;; w = w > maxw / 2 ? maxw : w * 2) {
		double ideal = cpu ? (w < (unsigned)cores ? (double)w : (double)cores)
				   : (double)first->id.tasks / ceil((double)first->id.tasks / w);

		fprintf(f, "%u %.6g\n", w, ideal);
		if (w >= maxw)
			break;
	}
	fprintf(f, "\n\n");
}

/* Speedup against workers, a line per variant, and the ideal. */
static int chart_speedup(struct chart *c, const struct view *v)
{
	const struct record *cells[256], *first = &v->set->r[v->idx[0]];
	char qname[CELL_LABEL_MAX * 2 + 4], *plotcmd = NULL;
	FILE *f = fopen(c->data, "w"), *plot;
	size_t plen, blocks = 0, nticks = 0;
	unsigned maxw = 1, ticks[64];
	char xtics[640];
	int made;

	if (!f)
		return 0;
	plot = open_memstream(&plotcmd, &plen);
	fprintf(plot, "plot ");
	for (size_t s = 0; s < v->nv; s++) {
		size_t m = 0;

		for (size_t k = 0; k < v->n && m < 256; k++) {
			const struct record *r = &v->set->r[v->idx[k]];

			if (cell_id_same_variant(&r->id, v->var[s].id) && record_ok(r) &&
			    isfinite(r->speedup))
				cells[m++] = r;
		}
		if (m == 0)
			continue;
		qsort(cells, m, sizeof(cells[0]), cmp_workers);
		for (size_t k = 0; k < m; k++) {
			const struct record *r = cells[k];
			/* No CI (fewer than 10 samples a side): no error bar, not a
			 * stray mark at the axis. */
			bool ci = isfinite(r->speedup_lo) && isfinite(r->speedup_hi);

			fprintf(f, "%u %.6g %.6g %.6g\n", r->id.workers, r->speedup,
				ci ? r->speedup_lo : r->speedup, ci ? r->speedup_hi : r->speedup);
			maxw = r->id.workers > maxw ? r->id.workers : maxw;
			add_tick(ticks, &nticks, r->id.workers);
		}
		fprintf(f, "\n\n");
		gp_quote(v->var[s].id->label, qname, sizeof(qname));
		fprintf(plot, "%s'%s' index %zu using 1:2:3:4 with yerrorlines lt %d dt %d title %s",
			blocks ? ", " : "", c->data_rel, blocks, v->var[s].style, v->var[s].nth + 1,
			qname);
		blocks++;
	}
	if (blocks > 0 && (first->kind == WORKLOAD_CPU || first->kind == WORKLOAD_IO)) {
		ideal_line(f, first, maxw, v->cores);
		fprintf(plot, ", '%s' index %zu using 1:2 with lines dt 2 lw 1.5 lc rgb '#555555' "
			      "title '%s'", c->data_rel, blocks,
			first->kind == WORKLOAD_CPU ? "ideal (linear up to the cores)"
						    : "ideal (every worker waiting at once)");
	}
	fclose(f);
	fclose(plot);
	xtics_text(ticks, nticks, xtics, sizeof(xtics));
	made = blocks ? draw_template(c, "speedup", (const char *const[]){ "TITLE", v->title, "PLOT",
									   plotcmd, "XTICS", xtics, NULL })
		      : 0;
	free(plotcmd);
	return made;
}

/*
 * Below this median task run time the run-time CDF charts the clock, not
 * the task: each task's start and end stamps cost about 20 ns apiece (a
 * clock read; `calibrate` prices it), so under a microsecond the stamps
 * and the clock's steps are a large share of what the chart would show.
 */
#define RUN_TIME_CHART_MIN_S 1e-6

/* Whether some cell of the experiment has tasks long enough to chart:
 * false only when every cell that knows its median task run time has it
 * below RUN_TIME_CHART_MIN_S. */
static bool run_times_chartable(const struct view *v)
{
	bool known = false;

	for (size_t k = 0; k < v->n; k++) {
		const struct record *r = &v->set->r[v->idx[k]];
		double p50 = r->task_p50_s;

		if (!isfinite(p50) && r->nlatq)
			p50 = r->latq[LATENCY_QUANTILES / 2];

		if (!record_ok(r) || !isfinite(p50))
			continue;
		if (p50 >= RUN_TIME_CHART_MIN_S)
			return true;
		known = true;
	}
	return !known;
}

/* The CDF of task run times (end - start) of each variant's best cell;
 * none when the tasks are too short to time (run_times_chartable). */
static int chart_latency(struct chart *c, const struct view *v)
{
	FILE *f, *plot;
	char *plotcmd = NULL, scale_s[32], label[CELL_LABEL_MAX + 16], qname[CELL_LABEL_MAX * 2 + 40];
	size_t plen, blocks = 0;
	const char *unit;
	double max = 0, scale;
	int made;

	if (!run_times_chartable(v))
		return 0;
	f = fopen(c->data, "w");
	if (!f)
		return 0;
	for (size_t s = 0; s < v->nv; s++)
		if (v->best[s] && v->best[s]->nlatq &&
		    v->best[s]->latq[LATENCY_QUANTILES - 1] > max)
			max = v->best[s]->latq[LATENCY_QUANTILES - 1];
	format_time_unit(max, &unit, &scale);
	snprintf(scale_s, sizeof(scale_s), "%g", scale);
	plot = open_memstream(&plotcmd, &plen);
	fprintf(plot, "plot ");
	for (size_t s = 0; s < v->nv; s++) {
		const struct record *b = v->best[s];

		if (!b || !b->nlatq || b->latq[0] <= 0)
			continue;
		for (size_t q = 0; q < LATENCY_QUANTILES; q++)
			fprintf(f, "%.9g %zu\n", b->latq[q] * scale, q);
		fprintf(f, "\n\n");
		snprintf(label, sizeof(label), "%s (%u)", b->id.label, b->id.workers);
		gp_quote(label, qname, sizeof(qname));
		fprintf(plot, "%s'%s' index %zu using 1:2 with lines lt %d dt %d title %s",
			blocks ? ", " : "", c->data_rel, blocks, v->var[s].style, v->var[s].nth + 1,
			qname);
		blocks++;
	}
	fclose(f);
	fclose(plot);
	made = blocks ? draw_template(c, "latency", (const char *const[]){ "TITLE", v->title, "PLOT",
									   plotcmd, "UNIT", unit, NULL })
		      : 0;
	free(plotcmd);
	return made;
}

/* In-process against whole-process medians, cell by cell: each cell of a
 * hyperfine experiment against the in-process cell it twins. The axis is
 * decided on both clocks together: a 571 ns run beside a 5.46 ms process
 * is a 10,000-fold spread even when each clock alone is even. */
static int chart_clocks(struct chart *c, const struct view *v)
{
	FILE *f = fopen(c->data, "w");
	double max = 0, min = INFINITY, scale;
	const char *unit;
	char scale_s[32], label[CELL_LABEL_MAX + 16], yscale[96], rows_s[32];
	size_t rows = 0;
	bool log_axis;

	if (!f)
		return 0;
	for (size_t k = 0; k < v->n; k++) {
		const struct record *h = &v->set->r[v->idx[k]];

		if (!record_ok(h))
			continue;
		for (size_t i = 0; i < v->set->n; i++) {
			const struct record *r = &v->set->r[i];

			if (r->id.source != SOURCE_INPROCESS || !record_ok(r) ||
			    !cell_id_same_but_source(&r->id, &h->id))
				continue;
			cell_label(h, label, sizeof(label));
			fprintf(f, "\"%s\" %.9g %.9g\n", label, r->wall_stats.median, h->wall_stats.median);
			min = fmin(min, fmin(r->wall_stats.median, h->wall_stats.median));
			max = fmax(max, fmax(r->wall_stats.median, h->wall_stats.median));
			rows++;
			break;
		}
	}
	fclose(f);
	if (rows == 0)
		return 0;
	format_time_unit(max, &unit, &scale);
	snprintf(scale_s, sizeof(scale_s), "%g", scale);
	snprintf(rows_s, sizeof(rows_s), "%zu", rows);
	log_axis = time_axis(min, max, scale, yscale, sizeof(yscale));
	return draw_template(c, "clocks",
			     (const char *const[]){ "TITLE", v->title, "DATA", c->data_rel, "UNIT", unit,
						    "SCALE", scale_s, "YSCALE", yscale, "NROWS",
						    rows_s, "LOGNOTE", log_axis ? ", log scale" : "",
						    NULL });
}

/*
 * The heatmap's colours: viridis (matplotlib's), sampled at nine stops. It
 * is sequential, reads the same to the common colour blindnesses and in
 * grey, and its lightness rises steadily, so "darker" always means "more
 * times slower". Here it runs backwards: the best (1x) light yellow, the
 * slowest dark violet. One table gives gnuplot its `set palette defined`
 * and gives each cell's number its colour (heat_label_rgb).
 */
static const struct {
	double at;    /* palette position, 0..1: log(ratio) / log(scale's top) */
	unsigned rgb;
} heat_palette[] = {
	{ 0.000, 0xfde725 }, { 0.125, 0xaddc30 }, { 0.250, 0x5ec962 }, { 0.375, 0x28ae80 },
	{ 0.500, 0x21918c }, { 0.625, 0x2c728e }, { 0.750, 0x3b528b }, { 0.875, 0x472d7b },
	{ 1.000, 0x440154 },
};
#define HEAT_STOPS (sizeof(heat_palette) / sizeof(heat_palette[0]))
/* Cells with no ratio: outside the palette (no viridis colour is grey),
 * and named in words. */
#define HEAT_NOT_RUN_RGB 0xe0e0e0 /* the variant has no cell in this experiment */
#define HEAT_FAILED_RGB 0x9e9e9e  /* it has cells, none finished correctly */

/* The palette's colour at position t (0..1), as gnuplot interpolates it:
 * linearly in RGB between the stops. */
static unsigned heat_colour(double t)
{
	size_t k = 1;
	unsigned rgb = 0;

	t = t < 0 ? 0 : t > 1 ? 1 : t;
	while (k + 1 < HEAT_STOPS && heat_palette[k].at < t)
		k++;
	for (int shift = 16; shift >= 0; shift -= 8) {
		double a = (heat_palette[k - 1].rgb >> shift) & 0xff;
		double b = (heat_palette[k].rgb >> shift) & 0xff;
		double f = (t - heat_palette[k - 1].at) / (heat_palette[k].at - heat_palette[k - 1].at);

		rgb |= (unsigned)lround(a + (b - a) * f) << shift;
	}
	return rgb;
}

/* One sRGB channel (0..255) as linear light. */
static double linear_light(unsigned c)
{
	double v = c / 255.0;

	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* Black or white, whichever stands out more against bg (WCAG contrast:
 * relative luminance above 0.179 gives black the higher ratio). */
static unsigned heat_label_rgb(unsigned bg)
{
	double lum = 0.2126 * linear_light(bg >> 16 & 0xff) + 0.7152 * linear_light(bg >> 8 & 0xff) +
		     0.0722 * linear_light(bg & 0xff);

	return lum > 0.179 ? 0x000000 : 0xffffff;
}

/* The colour scale's top: the smallest 1, 2 or 5 times a power of ten at
 * or above the largest ratio, and at least 2 (a scale from 1 to 1 is none);
 * at most HEAT_TOP_MAX (a ratio beyond it, from a broken file, takes the
 * darkest colour). */
#define HEAT_TOP_MAX 1e9
static double heat_top(double max_ratio)
{
	for (double decade = 1; decade < HEAT_TOP_MAX; decade *= 10)
		for (int k = 0; k < 3; k++) {
			double top = decade * (const double[]){ 1, 2, 5 }[k];

			if (top >= 2 && top >= max_ratio)
				return top;
		}
	return HEAT_TOP_MAX;
}

/* The colour scale's ticks, "'1x' 1, '2x' 2, ...": 1, 2, 5 in every
 * decade up to three decades; beyond, the decades and the top. */
static void heat_ticks(double top, char *buf, size_t len)
{
	bool fine = top <= 1000;
	size_t used = 0;

	buf[0] = '\0';
	for (double decade = 1; decade <= top && used < len; decade *= 10)
		for (int k = 0; k < 3 && used < len; k++) {
			double v = decade * (const double[]){ 1, 2, 5 }[k];

			if (v > top || (!fine && k > 0 && v != top))
				continue;
			used += (size_t)snprintf(buf + used, len - used, "%s'%.0fx' %.0f",
						 used ? ", " : "", v, v);
		}
}

/* A cell's number: three significant digits or more, "x" for times. */
static void heat_text(double ratio, char *buf, size_t len)
{
	snprintf(buf, len, "%.*fx", ratio < 9.995 ? 2 : ratio < 99.95 ? 1 : 0, ratio);
}

/*
 * Every experiment against every variant of the run: the best median
 * relative to the experiment's best, coloured on a log scale open to the
 * largest ratio. Data block 0: column, row, ratio, the number's colour, the
 * number; block 1: column, row, grey, "-" (not run) or "failed".
 */
static int chart_heatmap(struct chart *c, const struct record_set *set, const size_t *group,
			 size_t ngroups, size_t *idx)
{
	struct variant cols[MAX_VARIANTS];
	char *xt = NULL, *yt = NULL, *grey = NULL, *palette = NULL, *greyplot = NULL;
	char ncols_s[32], nrows_s[32], top_s[32], ticks[1024], xlabel[128];
	size_t xl, yl, gl, pl, ncols, rows = 0, not_run = 0, failed = 0, cells;
	double max_ratio = 1, top, *ratio;
	unsigned char *ran;
	FILE *f = fopen(c->data, "w"), *xf, *yf, *gf, *pf;
	int made = 0;

	if (!f)
		return 0;
	for (size_t i = 0; i < set->n; i++)
		idx[i] = i;
	ncols = records_variants(set, idx, set->n, cols, MAX_VARIANTS);
	cells = ngroups * ncols > 0 ? ngroups * ncols : 1;
	ratio = malloc(cells * sizeof(*ratio));
	ran = calloc(cells, 1);
	if (!ratio || !ran) {
		fclose(f);
		goto out;
	}
	xf = open_memstream(&xt, &xl);
	for (size_t s = 0; s < ncols; s++) {
		char q[CELL_LABEL_MAX * 2 + 4];

		gp_quote(cols[s].id->label, q, sizeof(q));
		fprintf(xf, "%s%s %zu", s ? ", " : "", q, s);
	}
	fclose(xf);
	/* The ratios first: the scale's top, and so every number's colour,
	 * needs the largest. */
	yf = open_memstream(&yt, &yl);
	gf = open_memstream(&grey, &gl);
	for (size_t g = 0; g < ngroups; g++) {
		double overall = INFINITY, *row = &ratio[g * ncols];
		size_t n = records_of_group(set, group, g, idx);
		char title[2100];

		for (size_t s = 0; s < ncols; s++) {
			row[s] = INFINITY;
			for (size_t k = 0; k < n; k++) {
				const struct record *r = &set->r[idx[k]];

				if (!cell_id_same_variant(&r->id, cols[s].id))
					continue;
				ran[g * ncols + s] = 1;
				if (record_ok(r) && r->wall_stats.median < row[s])
					row[s] = r->wall_stats.median;
			}
			overall = row[s] < overall ? row[s] : overall;
		}
		experiment_title(&set->r[idx[0]], g + 1, false, 48, title, sizeof(title));
		fprintf(yf, "%s%s %zu", g ? ", " : "", title, g);
		for (size_t s = 0; s < ncols; s++) {
			bool did_run = ran[g * ncols + s];

			row[s] = isfinite(row[s]) && overall > 0 ? row[s] / overall : NAN;
			if (isfinite(row[s])) {
				max_ratio = row[s] > max_ratio ? row[s] : max_ratio;
				rows++;
				continue;
			}
			fprintf(gf, "%zu %zu %u \"%s\"\n", s, g,
				did_run ? HEAT_FAILED_RGB : HEAT_NOT_RUN_RGB, did_run ? "failed" : "-");
			failed += did_run;
			not_run += !did_run;
		}
	}
	fclose(yf);
	fclose(gf);
	top = heat_top(max_ratio);
	for (size_t k = 0; k < ngroups * ncols; k++) {
		char text[32];

		if (!isfinite(ratio[k]))
			continue;
		heat_text(ratio[k], text, sizeof(text));
		fprintf(f, "%zu %zu %.6g %u \"%s\"\n", k % ncols, k / ncols, ratio[k],
			heat_label_rgb(heat_colour(log(ratio[k]) / log(top))), text);
	}
	/* Block 1, the grey cells; gnuplot is never asked for it when empty. */
	fprintf(f, "\n\n%s", grey);
	fclose(f);

	pf = open_memstream(&palette, &pl);
	for (size_t k = 0; k < HEAT_STOPS; k++)
		fprintf(pf, "%s%.3f '#%06x'", k ? ", " : "", heat_palette[k].at, heat_palette[k].rgb);
	fclose(pf);
	pf = open_memstream(&greyplot, &pl);
	if (failed + not_run)
		fprintf(pf, ", \\\n     '' index 1 using 1:2:(0.49):(0.49):3 with boxxyerror fs solid "
			    "1.0 noborder fc rgb variable notitle, \\\n     '' index 1 using 1:2:4 with "
			    "labels font ',10' tc rgb '#000000' notitle");
	fclose(pf);
	heat_ticks(top, ticks, sizeof(ticks));
	snprintf(top_s, sizeof(top_s), "%.0f", top);
	snprintf(ncols_s, sizeof(ncols_s), "%zu", ncols);
	snprintf(nrows_s, sizeof(nrows_s), "%zu", ngroups);
	/* The grey cells explained, those there are. */
	snprintf(xlabel, sizeof(xlabel), "strategy%s%s%s%s%s", failed + not_run ? "   (" : "",
		 not_run ? "- : not run for that workload" : "", failed && not_run ? "; " : "",
		 failed ? "failed: no cell finished correctly" : "", failed + not_run ? ")" : "");
	if (rows)
		made = draw_template(
			c, "heatmap",
			(const char *const[]){ "DATA", c->data_rel, "NCOLS", ncols_s, "NROWS", nrows_s,
					       "XTICS", xt, "YTICS", yt, "PALETTE", palette, "CBTOP",
					       top_s, "CBTICS", ticks, "GREYPLOT", greyplot, "XLABEL",
					       xlabel, NULL });
out:
	free(ratio);
	free(ran);
	free(grey);
	free(greyplot);
	free(palette);
	free(xt);
	free(yt);
	return made;
}

/*
 * A decision map: each variant's speedup across the compute share at one
 * worker count, and a ring on the winner at each share.
 */
static int chart_map(struct chart *c, const struct decision_map *m)
{
	char *plotcmd = NULL, title[400], qtitle[820];
	FILE *f = fopen(c->data, "w"), *plot;
	size_t plen, blocks = 0;
	int made;

	if (!f)
		return 0;
	plot = open_memstream(&plotcmd, &plen);
	fprintf(plot, "plot ");
	for (size_t l = 0; l < m->nlines; l++) {
		char q[CELL_LABEL_MAX * 2 + 4];
		size_t points = 0;

		for (size_t p = 0; p < m->npoints; p++)
			if (isfinite(m->point[p].speedup[l]) && m->point[p].speedup[l] > 0) {
				fprintf(f, "%.6g %.6g\n", 100 * m->point[p].share,
					m->point[p].speedup[l]);
				points++;
			}
		fprintf(f, "\n\n");
		if (!points) {
			blocks++;
			continue;
		}
		gp_quote(m->label[l], q, sizeof(q));
		fprintf(plot, "%s'%s' index %zu using 1:2 with linespoints lt %d dt %d title %s",
			l ? ", " : "", c->data_rel, blocks, m->style[l], m->nth[l] + 1, q);
		blocks++;
	}
	for (size_t p = 0; p < m->npoints; p++) {
		int w = m->point[p].all.winner;

		if (w >= 0 && isfinite(m->point[p].speedup[w]) && m->point[p].speedup[w] > 0)
			fprintf(f, "%.6g %.6g\n", 100 * m->point[p].share, m->point[p].speedup[w]);
	}
	fclose(f);
	fprintf(plot, ", '%s' index %zu using 1:2 with points pt 6 ps 3 lw 2 lc rgb '#222222' "
		      "title 'the winner at that share'", c->data_rel, blocks);
	fclose(plot);
	snprintf(title, sizeof(title), "%s%s%s at %u workers", m->workload,
		 m->runtime[0] ? " in " : "", m->runtime, m->workers);
	gp_quote(title, qtitle, sizeof(qtitle));
	made = draw_template(c, "map", (const char *const[]){ "TITLE", qtitle, "PLOT", plotcmd, NULL });
	free(plotcmd);
	return made;
}

/* ==== Render ==== */

/* The machine's core count, from env.json (this machine's when absent). */
static int run_cores(const char *dir)
{
	char path[PATH_MAX + 16];
	json_t *env, *cores;
	int n = (int)sysconf(_SC_NPROCESSORS_ONLN);

	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, NULL);
	cores = json_object_get(json_object_get(env, "machine"), "cores_online");
	if (json_is_integer(cores) && json_integer_value(cores) > 0 &&
	    json_integer_value(cores) < 100000)
		n = (int)json_integer_value(cores);
	json_decref(env);
	return n;
}

static void chart_paths(struct chart *c, const char *plots, const char *name)
{
	c->dir = plots;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->data, sizeof(c->data), "%.*s/%s.dat", PATH_MAX / 2, plots, c->name);
	snprintf(c->data_rel, sizeof(c->data_rel), "%s.dat", c->name);
	c->failed = false;
}

/* One experiment's view: its variants, each one's best cell, its title. */
static void view_init(struct view *v, const struct record_set *set, const size_t *idx, size_t n,
		      int cores)
{
	v->set = set;
	v->idx = idx;
	v->n = n;
	v->cores = cores;
	v->nv = records_variants(set, idx, n, v->var, MAX_VARIANTS);
	for (size_t s = 0; s < v->nv; s++) {
		v->best[s] = NULL;
		for (size_t k = 0; k < n; k++) {
			const struct record *r = &set->r[idx[k]];

			if (record_ok(r) && cell_id_same_variant(&r->id, v->var[s].id) &&
			    (!v->best[s] || r->wall_stats.median < v->best[s]->wall_stats.median))
				v->best[s] = r;
		}
	}
	experiment_title(&set->r[idx[0]], 0, true, 399, v->title, sizeof(v->title));
}

/* A chart not drawn this time (nothing to show, or not worth showing):
 * the files of an earlier drawing of it go, so the folder shows only what
 * these results say. A chart gnuplot failed on keeps its last good one. */
static void chart_remove(const struct chart *c)
{
	static const char *const ext[] = { "png", "svg", "gp", "dat" };
	char path[PATH_MAX + 16];

	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		snprintf(path, sizeof(path), "%.*s/%s.%s", PATH_MAX / 2, c->dir, c->name, ext[k]);
		unlink(path);
	}
}

typedef int (*chart_fn)(struct chart *c, const struct view *v);

/* Draws one chart into out; -1 when gnuplot is missing. */
static int draw_chart(struct plot_charts *out, const char *plots, size_t g, enum chart_kind kind,
		      chart_fn fn, const struct view *v)
{
	struct chart c;
	char name[128];
	int made;

	plot_chart_name(g, v->set->r[v->idx[0]].id.workload, kind, name, sizeof(name));
	chart_paths(&c, plots, name);
	made = fn(&c, v);
	if (made < 0)
		return -1;
	if (made == 0 && !c.failed)
		chart_remove(&c);
	out->files += (size_t)made;
	out->failed += c.failed;
	out->drawn[g * CHART_KINDS + kind] = made > 0;
	return 0;
}

/* Every chart of experiment g. */
static int draw_experiment(struct plot_charts *out, const char *plots, size_t g,
			   const struct view *v)
{
	static const chart_fn fns[CHART_KINDS] = {
		[CHART_TIME] = chart_time, [CHART_SPEEDUP] = chart_speedup,
		[CHART_BUSY] = chart_busy, [CHART_LATENCY] = chart_latency,
		[CHART_CLOCKS] = chart_clocks,
	};

	for (int k = 0; k < CHART_KINDS; k++) {
		/* The clocks pair whole-process cells with in-process ones. */
		if (k == CHART_CLOCKS && v->set->r[v->idx[0]].id.source != SOURCE_HYPERFINE)
			continue;
		if (draw_chart(out, plots, g, (enum chart_kind)k, fns[k], v) < 0)
			return -1;
	}
	return 0;
}

/* Removes the temporary charts a drawing killed part-way left behind
 * ("NAME.png.tmp", "NAME.svg.tmp"): every chart is redrawn anyway. */
static void drop_stale_tmp(const char *plots)
{
	DIR *d = opendir(plots);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n > 8 && (!strcmp(e->d_name + n - 8, ".png.tmp") ||
			      !strcmp(e->d_name + n - 8, ".svg.tmp")))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* Creates DIR/plots; returns its path in plots. */
static int plots_dir(const char *dir, char *plots, size_t len, char *err, size_t errlen)
{
	if (strlen(dir) + 8 > len) {
		snprintf(err, errlen, "run folder path too long");
		return -1;
	}
	snprintf(plots, len, "%s/plots", dir);
	/* Made, and proved writable: a folder that cannot take the charts is
	 * a failure said up front, not "0 files". */
	if (store_prepare_dir(plots, err, errlen) < 0)
		return -1;
	drop_stale_tmp(plots);
	return 0;
}

/* Every decision map of the run; -1 when gnuplot is missing. */
static int draw_maps(struct plot_charts *out, const char *plots, const struct record_set *set,
		     const size_t *group, size_t ngroups)
{
	struct decision_map *maps = calloc(PLOT_MAPS, sizeof(*maps));
	size_t n = maps ? decision_maps(set, group, ngroups, maps, PLOT_MAPS) : 0;
	int rc = 0;

	for (size_t k = 0; k < n; k++) {
		struct chart c;
		char name[96];
		int made;

		decision_chart_name(&maps[k], name, sizeof(name));
		chart_paths(&c, plots, name);
		made = chart_map(&c, &maps[k]);
		if (made < 0) {
			rc = -1;
			break;
		}
		out->files += (size_t)made;
		out->failed += c.failed;
		if (made > 0)
			snprintf(out->maps[out->nmaps++], sizeof(out->maps[0]), "%s", name);
	}
	free(maps);
	return rc;
}

int plot_render(const char *dir, struct plot_charts *out, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], plots[PATH_MAX / 2];
	struct record_set set;
	size_t *group = NULL, *idx = NULL, ngroups;
	struct view *v = malloc(sizeof(*v));
	int cores = run_cores(dir), rc = -1, made;
	struct chart c;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (!v || records_load(path, &set, NULL, err, errlen) < 0) {
		free(v);
		return -1;
	}
	if (set.n == 0) {
		snprintf(err, errlen, "no results in %s", path);
		goto out;
	}
	if (plots_dir(dir, plots, sizeof(plots), err, errlen) < 0)
		goto out;
	group = calloc(set.n, sizeof(*group));
	idx = calloc(set.n, sizeof(*idx));
	ngroups = group && idx ? records_group(&set, group) : 0;
	out->drawn = calloc(ngroups ? ngroups * CHART_KINDS : 1, 1);
	if (!group || !idx || !out->drawn) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	out->nexperiments = ngroups;
	for (size_t g = 0; g < ngroups; g++) {
		size_t n = records_of_group(&set, group, g, idx);

		view_init(v, &set, idx, n, cores);
		if (draw_experiment(out, plots, g, v) < 0)
			goto no_gnuplot;
	}
	chart_paths(&c, plots, "winners");
	made = chart_heatmap(&c, &set, group, ngroups, idx);
	if (made < 0)
		goto no_gnuplot;
	out->files += (size_t)made;
	out->winners = made > 0;
	out->failed += c.failed;
	if (draw_maps(out, plots, &set, group, ngroups) < 0)
		goto no_gnuplot;
	rc = 0;
	goto out;
no_gnuplot:
	snprintf(err, errlen, "gnuplot is not installed, so no charts were drawn (the results are "
			      "complete); install it with: apt-get install gnuplot-nox");
	plot_charts_free(out);
	rc = PLOT_NO_GNUPLOT;
out:
	if (rc < 0 && out->drawn)
		plot_charts_free(out);
	free(group);
	free(idx);
	free(v);
	records_free(&set);
	return rc;
}
