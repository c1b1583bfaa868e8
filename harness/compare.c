/*
 * compare.c - the commands that read stored runs back.
 *
 * `concbench compare DIR_A DIR_B`: pairs the cells of two runs by
 * identity and gives each shared cell a verdict from the ratio of its
 * medians (B/A) and a two-sided Mann-Whitney U test on its wall samples,
 * exact for small samples (stats_mann_whitney_test):
 *   slower, faster   p < alpha and the medians differ by at least the threshold
 *   within noise     p >= alpha, or a change smaller than the threshold
 *   inconclusive     the sample sizes cannot give p < alpha whatever the
 *                    samples (n = 3 a side: p >= 0.1): never "unchanged"
 *   failed           the cell did not finish in one of the runs
 * It warns when env.json says the runs had another machine, kernel or
 * build, lists the cells of one run only, and ends with one summary line.
 * With --fail-on-regression a slower cell makes the exit status 1: a CI
 * job's gate. `concbench report DIR` rebuilds report.md with its charts;
 * `concbench plot DIR` the charts alone.
 *
 * ==== Layout ====
 * options      --threshold, --alpha, --fail-on-regression, --all
 * footing      the two env.json files, field by field
 * verdicts     cells paired by identity, one verdict each
 * output       the table, the cells of one run only, the summary line
 * report, plot
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "harness.h"
#include "plot.h"
#include "record.h"
#include "report.h"
#include "run.h"
#include "stats.h"

/* ==== Options ==== */

#define COMPARE_DEFAULT_THRESHOLD_PCT 5.0
#define COMPARE_MAX_THRESHOLD_PCT 1000.0
#define COMPARE_DEFAULT_ALPHA 0.05

struct compare_options {
	double threshold; /* the smallest change of the median that counts, as a fraction */
	double alpha;     /* significance level */
	bool fail_on_regression, all;
};

/* A plain decimal number ("5", "0.05", "1e-3"): no hex, inf, nan or spaces. */
static bool parse_number(const char *text, double *out)
{
	char *end;

	if (!text || !*text || strspn(text, "0123456789.eE+-") != strlen(text))
		return false;
	errno = 0;
	*out = strtod(text, &end);
	return errno == 0 && *end == '\0' && isfinite(*out);
}

static void parse_options(const struct cmd_args *ca, struct compare_options *o)
{
	const char *threshold = cmd_get(ca, "threshold"), *alpha = cmd_get(ca, "alpha");
	double v;

	*o = (struct compare_options){ .threshold = COMPARE_DEFAULT_THRESHOLD_PCT / 100,
				       .alpha = COMPARE_DEFAULT_ALPHA,
				       .fail_on_regression = cmd_has(ca, "fail-on-regression"),
				       .all = cmd_has(ca, "all") };
	if (threshold) {
		if (!parse_number(threshold, &v) || v < 0 || v > COMPARE_MAX_THRESHOLD_PCT)
			cli_usage_error("--threshold", "expected a percentage in 0..%.0f, got '%s'",
					COMPARE_MAX_THRESHOLD_PCT, threshold);
		o->threshold = v / 100;
	}
	if (alpha) {
		if (!parse_number(alpha, &v) || v <= 0 || v >= 1)
			cli_usage_error("--alpha", "expected a probability above 0 and below 1 (such as "
					"0.05), got '%s'", alpha);
		o->alpha = v;
	}
}

/* ==== Footing: env.json ==== */

/* What makes timings of two runs comparable, as env.json paths. */
static const char *const footing_fields[][2] = {
	{ "machine", "cpu_model" }, { "machine", "cores_online" }, { "machine", "hostname" },
	{ "machine", "virtualisation" }, { "machine", "kernel" },
	{ "build", "version" }, { "build", "git_commit" }, { "build", "build_type" },
	{ "build", "compiler" }, { "build", "c_flags" },
};

static json_t *load_env(const char *dir, const char *side)
{
	char path[PATH_MAX + 32];
	json_error_t jerr;
	json_t *env;

	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, &jerr);
	if (!env)
		fprintf(stderr, "concbench: warning: run %s has no readable env.json (%s): cannot "
			"check that both runs had the same machine and build\n", side, jerr.text);
	return env;
}

/* A value as one line of JSON; "absent" when missing. The caller frees. */
static char *env_value_text(const json_t *v)
{
	return v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : strdup("absent");
}

/* One warning line on stderr per field of footing_fields that differs. */
static void warn_footing(const char *dir_a, const char *dir_b)
{
	json_t *ea = load_env(dir_a, "A"), *eb = load_env(dir_b, "B");

	for (size_t k = 0; ea && eb && k < sizeof(footing_fields) / sizeof(footing_fields[0]);
	     k++) {
		const char *group = footing_fields[k][0], *name = footing_fields[k][1];
		const json_t *va = json_object_get(json_object_get(ea, group), name);
		const json_t *vb = json_object_get(json_object_get(eb, group), name);
		char *ta, *tb;

		if (va == vb || (va && vb && json_equal(va, vb)))
			continue;
		ta = env_value_text(va);
		tb = env_value_text(vb);
		fprintf(stderr, "concbench: warning: the runs differ in %s.%s: A %s, B %s\n", group,
			name, ta ? ta : "?", tb ? tb : "?");
		free(ta);
		free(tb);
	}
	json_decref(ea);
	json_decref(eb);
}

/* ==== Verdicts ==== */

enum verdict {
	VERDICT_SLOWER,
	VERDICT_FASTER,
	VERDICT_NOISE,        /* p >= alpha */
	VERDICT_SMALL,        /* p < alpha, but a change under the threshold */
	VERDICT_INCONCLUSIVE, /* no p below alpha is possible at these sample sizes */
	VERDICT_FAILED,       /* not ok in one of the runs: nothing to compare */
};

struct pair {
	const struct record *a, *b;
	struct stats_mann_whitney_result mw;
	double ratio; /* B's median over A's */
	enum verdict verdict;
};

static enum verdict judge(struct pair *p, const struct compare_options *o)
{
	const struct record *a = p->a, *b = p->b;

	p->ratio = NAN;
	if (!record_ok(a) || !record_ok(b))
		return VERDICT_FAILED;
	if (a->wall_stats.median > 0)
		p->ratio = b->wall_stats.median / a->wall_stats.median;
	stats_mann_whitney_test(a->wall, a->nwall, b->wall, b->nwall, &p->mw);
	if (p->mw.min_p >= o->alpha)
		return VERDICT_INCONCLUSIVE;
	if (p->mw.p >= o->alpha)
		return VERDICT_NOISE;
	if (!isfinite(p->ratio) || fabs(p->ratio - 1) < o->threshold)
		return VERDICT_SMALL;
	return p->ratio > 1 ? VERDICT_SLOWER : VERDICT_FASTER;
}

/*
 * Pairs every cell of a with the first unpaired cell of b with its
 * identity; marks paired cells in in_a and in_b. Returns how many pairs.
 */
static size_t pair_cells(const struct record_set *a, const struct record_set *b,
			 struct pair *pairs, bool *in_a, bool *in_b)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < b->n; j++) {
			if (in_b[j] || !cell_id_equal(&a->r[i].id, &b->r[j].id))
				continue;
			in_a[i] = in_b[j] = true;
			pairs[n++] = (struct pair){ .a = &a->r[i], .b = &b->r[j] };
			break;
		}
	}
	return n;
}

/* ==== Output ==== */

static const char *const verdict_names[] = {
	[VERDICT_SLOWER] = "slower",
	[VERDICT_FASTER] = "faster",
	[VERDICT_NOISE] = "within noise",
	[VERDICT_SMALL] = "below threshold",
	[VERDICT_INCONCLUSIVE] = "inconclusive (n too small)",
	[VERDICT_FAILED] = "not compared",
};

static const char *verdict_text(const struct pair *p)
{
	if (p->verdict != VERDICT_FAILED)
		return verdict_names[p->verdict];
	if (!record_ok(p->a))
		return record_ok(p->b) ? "not compared: failed in A" : "not compared: failed in both";
	return "not compared: failed in B";
}

/* What the row does not show of a cell: its tasks, parameters and clock. */
static void cell_detail(const struct cell_id *id, char *buf, size_t len)
{
	snprintf(buf, len, "%zu tasks%s%s%s", id->tasks, id->params[0] ? ", " : "", id->params,
		 id->source == SOURCE_HYPERFINE ? ", whole process (hyperfine)" : "");
}

static void print_header(void)
{
	printf("%-24s %-12s %7s %3s %3s %10s %10s %8s %9s  %s\n", "experiment", "strategy",
	       "workers", "nA", "nB", "A median", "B median", "B/A", "p", "verdict");
}

static void print_pair(const struct pair *p)
{
	const struct cell_id *id = &p->a->id;
	char ma[32], mb[32], ratio[32] = "-", pv[32] = "-", detail[700], ma_col[48], mb_col[48];
	bool compared = p->verdict != VERDICT_FAILED;

	format_seconds(record_ok(p->a) ? p->a->wall_stats.median : NAN, ma, sizeof(ma));
	format_seconds(record_ok(p->b) ? p->b->wall_stats.median : NAN, mb, sizeof(mb));
	if (compared && isfinite(p->ratio))
		snprintf(ratio, sizeof(ratio), "%.2fx", p->ratio);
	if (compared)
		snprintf(pv, sizeof(pv), "%.2g%s", p->mw.p, p->mw.exact ? "" : "~");
	/* Times carry "µs": padded by columns, not bytes. */
	format_pad(ma, 10, false, ma_col, sizeof(ma_col));
	format_pad(mb, 10, false, mb_col, sizeof(mb_col));
	printf("%-24.24s %-12s %7u %3zu %3zu %s %s %8s %9s  %s\n", id->workload, id->label,
	       id->workers, p->a->nwall, p->b->nwall, ma_col, mb_col, ratio, pv, verdict_text(p));
	cell_detail(id, detail, sizeof(detail));
	printf("  (%s)\n", detail);
}

static void print_only_in(const char *side, const struct record_set *set, const bool *paired)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct cell_id *id = &set->r[i].id;
		char detail[700];

		if (paired[i])
			continue;
		cell_detail(id, detail, sizeof(detail));
		printf("only in %s: %s %s, %u workers (%s)\n", side, id->workload, id->label,
		       id->workers, detail);
	}
}

/* The fewest samples a side with which a p below alpha is possible. */
static size_t samples_needed(double alpha)
{
	size_t k = 1;

	while (k < 100000 && stats_mann_whitney_min_p(k, k) >= alpha)
		k++;
	return k;
}

struct tally {
	size_t shared, count[VERDICT_FAILED + 1], only_a, only_b;
	double min_p_lo, min_p_hi; /* the inconclusive cells' smallest possible p, lowest and highest */
	bool approximate;          /* some p printed came from the normal approximation */
};

static void print_summary(const struct tally *t, const struct compare_options *o)
{
	printf("%zu cells in both runs; %zu faster, %zu slower beyond %g%% (p < %g); "
	       "%zu within noise; %zu inconclusive",
	       t->shared, t->count[VERDICT_FASTER], t->count[VERDICT_SLOWER], o->threshold * 100,
	       o->alpha, t->count[VERDICT_NOISE] + t->count[VERDICT_SMALL],
	       t->count[VERDICT_INCONCLUSIVE]);
	if (t->count[VERDICT_INCONCLUSIVE] && t->min_p_lo == t->min_p_hi)
		printf(" (n too small: smallest possible p %.2g >= alpha %g)", t->min_p_lo, o->alpha);
	else if (t->count[VERDICT_INCONCLUSIVE])
		printf(" (n too small: smallest possible p %.2g to %.2g >= alpha %g)", t->min_p_lo,
		       t->min_p_hi, o->alpha);
	if (t->count[VERDICT_FAILED])
		printf("; %zu not compared (failed in a run)", t->count[VERDICT_FAILED]);
	printf("; only in A: %zu; only in B: %zu\n", t->only_a, t->only_b);
	if (t->count[VERDICT_INCONCLUSIVE])
		printf("an inconclusive cell cannot show a change at alpha %g: it needs at least %zu "
		       "samples a side\n", o->alpha, samples_needed(o->alpha));
	if (t->approximate)
		printf("~: p from the normal approximation (more than %d samples a side)\n",
		       STATS_MANN_WHITNEY_EXACT_MAX);
}

static void load_or_exit(const char *dir, struct record_set *set)
{
	char path[PATH_MAX + 32], err[600];

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, set, NULL, err, sizeof(err)) < 0)
		cli_usage_error("compare", "%s", err);
}

int harness_cmd_compare(const struct cmd_args *ca)
{
	const char *dir_a = ca->v.positional[0], *dir_b = ca->v.positional[1];
	struct compare_options o;
	struct record_set a, b;
	struct tally t = { .min_p_lo = 1, .min_p_hi = 0 };
	struct pair *pairs;
	bool *in_a, *in_b, header = false;
	int status = 0;

	parse_options(ca, &o);
	load_or_exit(dir_a, &a);
	load_or_exit(dir_b, &b);
	pairs = calloc(a.n ? a.n : 1, sizeof(*pairs));
	in_a = calloc(a.n ? a.n : 1, sizeof(*in_a));
	in_b = calloc(b.n ? b.n : 1, sizeof(*in_b));
	if (!pairs || !in_a || !in_b) {
		fprintf(stderr, "concbench: compare: out of memory\n");
		status = 1;
		goto out;
	}
	warn_footing(dir_a, dir_b);
	t.shared = pair_cells(&a, &b, pairs, in_a, in_b);
	for (size_t i = 0; i < t.shared; i++) {
		struct pair *p = &pairs[i];

		p->verdict = judge(p, &o);
		t.count[p->verdict]++;
		if (p->verdict == VERDICT_INCONCLUSIVE) {
			t.min_p_lo = fmin(t.min_p_lo, p->mw.min_p);
			t.min_p_hi = fmax(t.min_p_hi, p->mw.min_p);
		}
		/* Without --all: what changed, and what could not be judged. */
		if (!o.all && (p->verdict == VERDICT_NOISE || p->verdict == VERDICT_SMALL))
			continue;
		if (!header)
			print_header();
		header = true;
		t.approximate |= p->verdict != VERDICT_FAILED && !p->mw.exact;
		print_pair(p);
	}
	for (size_t i = 0; i < a.n; i++)
		t.only_a += !in_a[i];
	for (size_t j = 0; j < b.n; j++)
		t.only_b += !in_b[j];
	print_only_in("A", &a, in_a);
	print_only_in("B", &b, in_b);
	print_summary(&t, &o);
	if (o.fail_on_regression && t.count[VERDICT_SLOWER] > 0)
		status = 1;
out:
	free(pairs);
	free(in_a);
	free(in_b);
	records_free(&a);
	records_free(&b);
	return status;
}

int harness_cmd_report(const struct cmd_args *ca)
{
	const char *dir = ca->v.positional[0];
	char path[PATH_MAX + 32], err[600];
	struct record_set set;

	/* Nothing to report from: the folder given is wrong. */
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, &set, NULL, err, sizeof(err)) < 0)
		cli_usage_error("report", "%s", err);
	records_free(&set);
	return run_render(dir, 0);
}

int harness_cmd_plot(const struct cmd_args *ca)
{
	const char *dir = ca->v.positional[0];
	struct plot_charts charts;
	char err[600], path[PATH_MAX + 32];
	struct record_set set;
	int status;

	/* A folder with nothing readable is bad input, as for report and
	 * compare: exit 2, the same line. */
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, &set, NULL, err, sizeof(err)) < 0)
		cli_usage_error("plot", "%s", err);
	records_free(&set);
	if (plot_render(dir, &charts, err, sizeof(err)) < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		return 1;
	}
	printf("charts: %s/plots/ (%zu files)%s\n", dir, charts.files,
	       charts.failed ? "; some charts failed, see plots/gnuplot.log" : "");
	status = charts.failed ? 1 : 0;
	plot_charts_free(&charts);
	return status;
}
