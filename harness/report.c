/*
 * report.c - what the numbers say: the terminal table (strategy, workers,
 * median, CI, speedup, cores busy, the winner or a tie) and report.md,
 * whose every sentence is built from a measured number.
 */
#include "report.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot.h"
#include "store.h"
#include "concbench/strategy.h"

void report_format_seconds(double s, char *buf, size_t len)
{
	if (!isfinite(s))
		snprintf(buf, len, "-");
	else if (s >= 1)
		snprintf(buf, len, "%.3g s", s);
	else if (s >= 1e-3)
		snprintf(buf, len, "%.3g ms", s * 1e3);
	else if (s >= 1e-6)
		snprintf(buf, len, "%.3g us", s * 1e6);
	else
		snprintf(buf, len, "%.3g ns", s * 1e9);
}

long report_winner(const struct record_set *set, const size_t *idx, size_t n, bool *tie)
{
	long best = -1;

	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]];

		tie[k] = false;
		if (record_ok(r) && (best < 0 || r->median < set->r[idx[best]].median))
			best = (long)k;
	}
	if (best < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		const struct record *a = &set->r[idx[k]], *b = &set->r[idx[best]];

		if ((long)k != best && record_ok(a))
			tie[k] = a->ci_lo <= b->ci_hi && b->ci_lo <= a->ci_hi;
	}
	return best;
}

void report_print_table(FILE *f, const struct record_set *set, const size_t *idx, size_t n)
{
	bool *tie = calloc(n ? n : 1, sizeof(*tie));
	const struct record *first = &set->r[idx[0]];
	long best;

	if (!tie)
		return;
	best = report_winner(set, idx, n, tie);
	fprintf(f, "\n%s, %zu tasks%s%s%s\n", first->workload, first->tasks, first->params[0] ? ", " : "",
		first->params,
		strcmp(first->source, "hyperfine") ? "" : " - whole process, timed by hyperfine");
	fprintf(f, "  %-10s %7s %10s  %-21s %-24s %6s  %s\n", "strategy", "workers", "median",
		"95% CI", "speedup (95% CI)", "busy", "status");
	for (size_t k = 0; k < n; k++) {
		const struct record *c = &set->r[idx[k]];
		char med[32], lo[32], hi[32], ci[80] = "-", sp[80] = "-", busy[32] = "-";
		const char *mark = (long)k == best ? "  <- winner" : tie[k] ? "  <- tie" : "";

		report_format_seconds(c->median, med, sizeof(med));
		if (isfinite(c->ci_lo)) {
			report_format_seconds(c->ci_lo, lo, sizeof(lo));
			report_format_seconds(c->ci_hi, hi, sizeof(hi));
			snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
		}
		if (isfinite(c->speedup))
			snprintf(sp, sizeof(sp), "%.2fx [%.2f, %.2f]", c->speedup, c->speedup_lo,
				 c->speedup_hi);
		if (isfinite(c->cores_busy))
			snprintf(busy, sizeof(busy), "%.2f", c->cores_busy);
		fprintf(f, "  %-10s %7u %10s  %-21s %-24s %6s  %s%s\n", c->strategy, c->workers, med, ci,
			sp, busy, c->status, mark);
	}
	if (best >= 0) {
		const struct record *w = &set->r[idx[best]];
		char med[32];
		bool first_tie = true;

		report_format_seconds(w->median, med, sizeof(med));
		fprintf(f, "  winner: %s with %u workers, median %s", w->strategy, w->workers, med);
		for (size_t k = 0; k < n; k++) {
			if (!tie[k])
				continue;
			fprintf(f, "%s%s/%u", first_tie ? "; tied with (CIs overlap) " : ", ",
				set->r[idx[k]].strategy, set->r[idx[k]].workers);
			first_tie = false;
		}
		fputc('\n', f);
	} else {
		fputs("  no winner: no cell finished correctly\n", f);
	}
	for (size_t k = 0; k < n; k++) {
		const struct record *c = &set->r[idx[k]];

		if (strcmp(c->status, "ok"))
			fprintf(f, "  %s/%u %s: %s\n", c->strategy, c->workers, c->status, c->error);
	}
	free(tie);
}

size_t report_group(const struct record_set *set, size_t *group)
{
	size_t ngroups = 0;

	for (size_t i = 0; i < set->n; i++) {
		group[i] = ngroups;
		for (size_t j = 0; j < i; j++) {
			if (record_same_experiment(&set->r[i], &set->r[j])) {
				group[i] = group[j];
				break;
			}
		}
		if (group[i] == ngroups)
			ngroups++;
	}
	return ngroups;
}

void report_print_tables(FILE *f, const struct record_set *set)
{
	size_t *group = calloc(set->n ? set->n : 1, sizeof(*group));
	size_t *idx = calloc(set->n ? set->n : 1, sizeof(*idx));
	size_t ngroups;

	if (!group || !idx)
		goto out;
	ngroups = report_group(set, group);
	for (size_t g = 0; g < ngroups; g++) {
		size_t n = 0;

		for (size_t i = 0; i < set->n; i++)
			if (group[i] == g)
				idx[n++] = i;
		report_print_table(f, set, idx, n);
	}
out:
	free(group);
	free(idx);
}

/* ==== report.md ==== */

#define CPU_BOUND_BUSY 0.7 /* serial busy at least this: computing dominates */
#define IO_BOUND_BUSY 0.3  /* at most this: waiting dominates */

/* The experiment's cell of a strategy with the lowest median. */
static const struct record *best_of(const struct record_set *set, const size_t *idx, size_t n,
				    const char *strategy)
{
	const struct record *b = NULL;

	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]];

		if (!strcmp(r->strategy, strategy) && record_ok(r) && (!b || r->median < b->median))
			b = r;
	}
	return b;
}

static void format_mb(double kb, char *buf, size_t len)
{
	if (!isfinite(kb))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f MB", kb / 1024);
}

/* The classification and the number it rests on. */
static const char *classify(const struct record_set *set, const size_t *idx, size_t n,
			    const struct strategy *serial, double *busy)
{
	const struct record *s = best_of(set, idx, n, serial->name);

	*busy = s ? s->cores_busy : NAN;
	if (!isfinite(*busy))
		return NULL;
	if (*busy >= CPU_BOUND_BUSY)
		return "CPU-bound";
	if (*busy <= IO_BOUND_BUSY)
		return "I/O-bound";
	return "mixed";
}

static void chart_link(FILE *f, const char *dir, size_t g, const char *workload, const char *kind,
		       const char *caption)
{
	char name[160], path[PATH_MAX + 200];

	plot_chart_name(g, workload, kind, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/plots/%s.png", dir, name);
	if (access(path, F_OK) == 0)
		fprintf(f, "![%s](plots/%s.png)\n", caption, name);
}

/* Distinct worker counts of an experiment, ascending. */
static size_t worker_counts(const struct record_set *set, const size_t *idx, size_t n,
			    unsigned *out, size_t max)
{
	size_t m = 0;

	for (size_t k = 0; k < n; k++) {
		unsigned w = set->r[idx[k]].workers;
		size_t j = 0;

		while (j < m && out[j] != w)
			j++;
		if (j == m && m < max)
			out[m++] = w;
	}
	for (size_t a = 0; a < m; a++)
		for (size_t b = a + 1; b < m; b++)
			if (out[b] < out[a]) {
				unsigned t = out[a];

				out[a] = out[b];
				out[b] = t;
			}
	return m;
}

struct verdict {
	bool whole_process; /* from hyperfine: not a second vote in the decisions */
	char klass[16];
	char winner[64];
	unsigned workers;
	double median, speedup, busy;
	char title[300];
};

/*
 * One experiment's section: classification, the winner at each worker
 * count, what the numbers say, the charts. Fills v for the decision table.
 */
static void report_experiment(FILE *f, const char *dir, const struct record_set *set,
			      const size_t *idx, size_t n, size_t g, int cores, struct verdict *v)
{
	const struct record *first = &set->r[idx[0]];
	const struct strategy *serial = strategy_reference();
	unsigned counts[64];
	size_t nw = worker_counts(set, idx, n, counts, 64);
	bool *tie = calloc(n, sizeof(*tie));
	size_t *sub = calloc(n, sizeof(*sub));
	double sbusy;
	const char *klass = classify(set, idx, n, serial, &sbusy);
	long best;
	char med[32];

	memset(v, 0, sizeof(*v));
	v->whole_process = !strcmp(first->source, "hyperfine");
	if (!tie || !sub)
		goto out;
	snprintf(v->title, sizeof(v->title), "%s (%zu tasks%s%.200s)%s", first->workload, first->tasks,
		 first->params[0] ? ", " : "", first->params,
		 strcmp(first->source, "hyperfine") ? "" : ", whole process");
	fprintf(f, "\n## %zu. %s\n\n", g + 1, v->title);
	if (klass)
		fprintf(f, "**%s**: %s kept %.2f cores busy ((user + sys CPU) / wall), so %s.\n",
			klass, serial->name, sbusy,
			!strcmp(klass, "CPU-bound") ? "computing dominates: more cores should help, "
						     "more waiting slots should not"
			: !strcmp(klass, "I/O-bound") ? "waiting dominates: overlapping the waits "
						       "helps far beyond the core count"
						     : "it both computes and waits");
	else {
		bool ran = false, finished = false;

		for (size_t k = 0; k < n; k++) {
			const struct record *r = &set->r[idx[k]];

			if (!strcmp(r->strategy, serial->name)) {
				ran = true;
				finished |= record_ok(r);
			}
		}
		fprintf(f, "**%s (declared)**: %s, so the workload's own kind stands in for a measured "
			   "classification.\n",
			!strcmp(first->kind, "cpu") ? "CPU-bound" : !strcmp(first->kind, "io") ? "I/O-bound"
												 : first->kind,
			!ran ? "serial did not run here"
			: !finished ? "serial did not finish"
				    : "serial's run was too short (under 1 ms) to measure cores busy");
	}
	snprintf(v->klass, sizeof(v->klass), "%s",
		 klass ? klass : !strcmp(first->kind, "cpu") ? "CPU-bound"
				 : !strcmp(first->kind, "io") ? "I/O-bound" : "mixed");

	/* The winner at each worker count. */
	fprintf(f, "\n| workers | winner | median (95%% CI) | speedup over serial | cores busy | "
		   "ties (CIs overlap) |\n|---|---|---|---|---|---|\n");
	for (size_t w = 0; w < nw; w++) {
		size_t m = 0;

		for (size_t k = 0; k < n; k++)
			if (set->r[idx[k]].workers == counts[w])
				sub[m++] = idx[k];
		best = report_winner(set, sub, m, tie);
		if (best < 0) {
			fprintf(f, "| %u | none finished | | | | |\n", counts[w]);
			continue;
		}
		{
			const struct record *b = &set->r[sub[best]];
			char lo[32], hi[32], sp[64] = "-", ties[256] = "";
			size_t used = 0;

			report_format_seconds(b->median, med, sizeof(med));
			report_format_seconds(b->ci_lo, lo, sizeof(lo));
			report_format_seconds(b->ci_hi, hi, sizeof(hi));
			if (isfinite(b->speedup))
				snprintf(sp, sizeof(sp), "%.2fx [%.2f, %.2f]", b->speedup, b->speedup_lo,
					 b->speedup_hi);
			for (size_t k = 0; k < m; k++)
				if (tie[k] && used < sizeof(ties))
					used += (size_t)snprintf(ties + used, sizeof(ties) - used, "%s%s",
								 used ? ", " : "", set->r[sub[k]].strategy);
			char busy[16] = "-";

			if (isfinite(b->cores_busy))
				snprintf(busy, sizeof(busy), "%.2f", b->cores_busy);
			fprintf(f, "| %u | %s | %s [%s, %s] | %s | %s | %s |\n", counts[w], b->strategy,
				med, lo, hi, sp, busy, used ? ties : "-");
		}
	}

	/* Overall, and what the numbers say. */
	best = report_winner(set, idx, n, tie);
	fprintf(f, "\n");
	if (best >= 0) {
		const struct record *b = &set->r[idx[best]];
		bool first_tie = true;

		snprintf(v->winner, sizeof(v->winner), "%s", b->strategy);
		v->workers = b->workers;
		v->median = b->median;
		v->speedup = b->speedup;
		v->busy = b->cores_busy;
		report_format_seconds(b->median, med, sizeof(med));
		fprintf(f, "**Winner: %s with %u workers**, median %s", b->strategy, b->workers, med);
		if (isfinite(b->speedup))
			fprintf(f, ", %.2fx serial (95%% CI %.2f-%.2f)", b->speedup, b->speedup_lo,
				b->speedup_hi);
		if (isfinite(b->cores_busy))
			fprintf(f, ", %.2f cores busy", b->cores_busy);
		fprintf(f, ".");
		for (size_t k = 0; k < n; k++) {
			if (!tie[k])
				continue;
			fprintf(f, "%s%s/%u", first_tie ? " A tie, statistically, with " : ", ",
				set->r[idx[k]].strategy, set->r[idx[k]].workers);
			first_tie = false;
		}
		if (!first_tie)
			fprintf(f, ": their confidence intervals overlap the winner's.");
		fprintf(f, "\n\n");

		/* Where a strategy fell short, and the number that says why. */
		for (int s = 0; strategy_registry[s]; s++) {
			const struct record *o = best_of(set, idx, n, strategy_registry[s]->name);
			char omed[32];

			if (!o || o == b || !isfinite(o->cores_busy))
				continue;
			report_format_seconds(o->median, omed, sizeof(omed));
			double max_busy = 0;
			const struct record *widest = o;

			for (size_t k = 0; k < n; k++) {
				const struct record *r = &set->r[idx[k]];

				if (strcmp(r->strategy, o->strategy) || !record_ok(r))
					continue;
				if (isfinite(r->cores_busy) && r->cores_busy > max_busy)
					max_busy = r->cores_busy;
				if (r->workers > widest->workers)
					widest = r;
			}
			if (v->klass[0] == 'C' && o->median > 1.5 * b->median && max_busy < 1.3 &&
			    cores > 1)
				fprintf(f, "- %s reached %s at best (%.2fx the winner's time) and never kept "
					   "more than %.2f cores busy: it computed on one core while %d were "
					   "there.\n",
					o->strategy, omed, o->median / b->median, max_busy, cores);
			else if (v->klass[0] == 'C' && o->median > 1.5 * b->median && widest != o) {
				char wmed[32];

				report_format_seconds(widest->median, wmed, sizeof(wmed));
				fprintf(f, "- %s was fastest with %u workers (%s, %.2fx the winner's time); "
					   "with %u it took %s at %.2f cores busy: starting and feeding its "
					   "workers cost more than the extra cores gave back.\n",
					o->strategy, o->workers, omed, o->median / b->median, widest->workers,
					wmed, widest->cores_busy);
			}
			else if (v->klass[0] == 'I' && o->median > 1.5 * b->median)
				fprintf(f, "- %s needed %s at best (%.2fx the winner's time) with %.2f cores "
					   "busy: %s.\n",
					o->strategy, omed, o->median / b->median, o->cores_busy,
					o->cores_busy > 0.5 ? "its own overhead (starting workers, switching "
							      "between them) cost CPU that waiting should not need"
							    : "it overlapped fewer waits at once");
			else if (o->median > 1.1 * b->median)
				fprintf(f, "- %s: %s at best (%.2fx the winner's time), %.2f cores busy.\n",
					o->strategy, omed, o->median / b->median, o->cores_busy);
		}
		/* Scaling past the cores, for computing. */
		if (v->klass[0] == 'C' && b->workers <= (unsigned)cores && counts[nw - 1] > (unsigned)cores)
			fprintf(f, "- More workers than the %d cores did not help: the best count was %u "
				   "of the %u tried.\n", cores, b->workers, counts[nw - 1]);
		/* The memory price of concurrency at the widest worker count. */
		{
			const struct record *hi = NULL, *lo = NULL;
			char hm[32], lm[32];

			for (size_t k = 0; k < n; k++) {
				const struct record *r = &set->r[idx[k]];

				if (r->workers != counts[nw - 1] || !record_ok(r) || !isfinite(r->max_rss_kb))
					continue;
				hi = !hi || r->max_rss_kb > hi->max_rss_kb ? r : hi;
				lo = !lo || r->max_rss_kb < lo->max_rss_kb ? r : lo;
			}
			if (hi && lo && hi != lo && hi->max_rss_kb > 1.5 * lo->max_rss_kb) {
				format_mb(hi->max_rss_kb, hm, sizeof(hm));
				format_mb(lo->max_rss_kb, lm, sizeof(lm));
				fprintf(f, "- Memory at %u workers: %s peaked at %s resident%s, %s at %s "
					   "(%.1fx).\n", counts[nw - 1], hi->strategy, hm,
					hi->rss_processes > 0 ? " (summed over its processes; pages they "
								"share are counted in each)" : "",
					lo->strategy, lm, hi->max_rss_kb / lo->max_rss_kb);
			}
		}
		{
			const struct record *srv = NULL;

			for (size_t k = 0; k < n; k++)
				if (isfinite(set->r[idx[k]].fixture_max_rss_kb) && set->r[idx[k]].fixture_max_rss_kb > 0)
					srv = &set->r[idx[k]];
			if (srv && isfinite(b->fixture_cpu_s))
				fprintf(f, "- The workload's helper process (its server) used %.2f s of CPU "
					   "during the winner's samples (median) and peaked at %.0f MB.\n",
					b->fixture_cpu_s, srv->fixture_max_rss_kb / 1024);
		}
	} else {
		fprintf(f, "**No winner**: no cell of this experiment finished correctly.\n");
	}
	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]];

		if (strcmp(r->status, "ok"))
			fprintf(f, "- %s with %u workers **%s**: %s\n", r->strategy, r->workers, r->status,
				r->error);
	}
	fprintf(f, "\n");
	chart_link(f, dir, g, first->workload, "time", "time per strategy");
	chart_link(f, dir, g, first->workload, "speedup", "speedup vs workers");
	chart_link(f, dir, g, first->workload, "busy", "cores busy");
	chart_link(f, dir, g, first->workload, "latency", "task latency CDF");
	chart_link(f, dir, g, first->workload, "clocks", "in-process vs whole-process time");
out:
	free(tie);
	free(sub);
}

static void ms(double s, char *buf, size_t len)
{
	if (isfinite(s))
		snprintf(buf, len, "%.1f ms", s * 1e3);
	else
		snprintf(buf, len, "-");
}

/*
 * For every hyperfine cell: its in-process twin, the difference, and what
 * the whole process measurably adds; then the commands that reproduce it.
 */
static void report_clocks(FILE *f, const struct record_set *set)
{
	bool any = false;

	for (size_t k = 0; k < set->n; k++) {
		const struct record *h = &set->r[k], *in = NULL;
		char a[32], b[32], d[32], su[32], fx[32], st[32], un[32];
		double explained;

		if (strcmp(h->source, "hyperfine") || !record_ok(h))
			continue;
		for (size_t i = 0; i < set->n && !in; i++) {
			const struct record *r = &set->r[i];

			if (!strcmp(r->source, "concbench") && record_same_workload(r, h) &&
			    !strcmp(r->strategy, h->strategy) && r->workers == h->workers && record_ok(r))
				in = r;
		}
		if (!in)
			continue;
		if (!any) {
			fprintf(f, "\n## Two clocks: in-process and whole process\n\n"
				   "The in-process clock times the strategy's run alone. hyperfine times "
				   "the whole command (`concbench once`), which also pays for starting the "
				   "program, the workload's helper process (the latency server), its "
				   "setup, the strategy's untimed preparation (starting a thread pool) "
				   "and teardown. The columns after the difference are measured "
				   "separately (start-up: a bare `concbench once`, which stops after "
				   "starting; the rest: `once`'s own "
				   "report of a run); what they leave is \"other\" (process exit, page "
				   "faults of a fresh process, timer noise).\n\n"
				   "| workload | strategy | workers | in-process | whole process | "
				   "difference | start-up | fixture start+stop | setup, prepare, teardown | other |\n"
				   "|---|---|---|---|---|---|---|---|---|---|\n");
			any = true;
		}
		ms(in->median, a, sizeof(a));
		ms(h->median, b, sizeof(b));
		ms(h->median - in->median, d, sizeof(d));
		ms(h->startup_s, su, sizeof(su));
		ms(isfinite(h->fixture_s) ? h->fixture_s : 0, fx, sizeof(fx));
		explained = (isfinite(h->setup_s) ? h->setup_s : 0) +
			    (isfinite(h->prepare_s) ? h->prepare_s : 0) +
			    (isfinite(h->teardown_s) ? h->teardown_s : 0);
		ms(explained, st, sizeof(st));
		explained += (isfinite(h->startup_s) ? h->startup_s : 0) +
			     (isfinite(h->fixture_s) ? h->fixture_s : 0);
		ms(h->median - in->median - explained, un, sizeof(un));
		fprintf(f, "| %s | %s | %u | %s | %s | %s | %s | %s | %s | %s |\n", h->workload,
			h->strategy, h->workers, a, b, d, su, fx, st, un);
	}
	if (!any)
		return;
	fprintf(f, "\nEach whole-process cell, reproduced by hand:\n\n");
	for (size_t k = 0; k < set->n; k++)
		if (!strcmp(set->r[k].source, "hyperfine") && set->r[k].command[0])
			fprintf(f, "- %s/%u: `%s`\n", set->r[k].strategy, set->r[k].workers,
				set->r[k].command);
}

/* The decision table, filled with this run's winners. */
static void report_decisions(FILE *f, const struct verdict *v, size_t n)
{
	static const struct {
		const char *klass, *advice;
	} rows[] = {
		{ "I/O-bound", "threads or an event loop: overlap the waits; an event loop holds "
			       "thousands in flight for less memory" },
		{ "CPU-bound", "processes or OpenMP (or threads, in C): one worker per core; an "
			       "event loop or a global lock leaves the other cores idle" },
		{ "mixed", "combine them: a pool of CPU workers fed by an event loop or I/O threads" },
	};

	fprintf(f, "\n## Which approach, on this machine\n\n"
		   "| kind of work | choose | what this run measured |\n|---|---|---|\n");
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		bool any = false;

		fprintf(f, "| %s | %s | ", rows[k].klass, rows[k].advice);
		for (size_t i = 0; i < n; i++) {
			char med[32];

			if (strcmp(v[i].klass, rows[k].klass) || !v[i].winner[0] || v[i].whole_process)
				continue;
			report_format_seconds(v[i].median, med, sizeof(med));
			fprintf(f, "%s%s: **%s** (%u workers), %s", any ? "; " : "", v[i].title,
				v[i].winner, v[i].workers, med);
			if (isfinite(v[i].speedup))
				fprintf(f, ", %.1fx serial", v[i].speedup);
			any = true;
		}
		fprintf(f, "%s |\n", any ? "" : "no workload of this kind was measured");
	}
}

int report_write_markdown(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], *text = NULL;
	struct record_set set;
	struct verdict *verdicts = NULL;
	size_t *group = NULL, *idx = NULL, ngroups, len;
	json_t *env, *machine;
	int cores, rc = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, &set, NULL, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, NULL);
	machine = json_object_get(env, "machine");
	cores = json_is_integer(json_object_get(machine, "cores_online"))
			? (int)json_integer_value(json_object_get(machine, "cores_online"))
			: (int)sysconf(_SC_NPROCESSORS_ONLN);
	group = calloc(set.n ? set.n : 1, sizeof(*group));
	idx = calloc(set.n ? set.n : 1, sizeof(*idx));
	verdicts = calloc(set.n ? set.n : 1, sizeof(*verdicts));
	f = open_memstream(&text, &len);
	if (!group || !idx || !verdicts || !f) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ngroups = report_group(&set, group);
	fprintf(f, "# concbench report: %s\n\n",
		json_string_value(json_object_get(env, "run_id")) ? json_string_value(json_object_get(env, "run_id")) : dir);
	{
		size_t ok = 0;

		for (size_t i = 0; i < set.n; i++)
			ok += record_ok(&set.r[i]) && set.r[i].digest_ok;
		fprintf(f, "%zu experiments, %zu cells. Times are medians of the measured samples with "
			   "a bootstrap 95%% confidence interval; two strategies whose intervals overlap "
			   "are a tie. %zu of the %zu cells finished and computed what the reference "
			   "strategy computed (the same digest)%s.\n",
			ngroups, set.n, ok, set.n,
			ok < set.n ? "; the others are listed, with why, in their sections" : "");
	}
	if (access(path, F_OK) == 0) {
		char heat[PATH_MAX + 40];

		snprintf(heat, sizeof(heat), "%s/plots/winners.png", dir);
		if (access(heat, F_OK) == 0)
			fprintf(f, "\n![winners: time relative to the best strategy](plots/winners.png)\n");
	}
	for (size_t g = 0; g < ngroups; g++) {
		size_t n = 0;

		for (size_t i = 0; i < set.n; i++)
			if (group[i] == g)
				idx[n++] = i;
		report_experiment(f, dir, &set, idx, n, g, cores, &verdicts[g]);
	}
	report_clocks(f, &set);
	report_decisions(f, verdicts, ngroups);
	{
		const json_t *virt = json_object_get(machine, "virtualisation");
		const char *gov = json_string_value(json_object_get(machine, "governor"));

		fprintf(f, "\n**The machine**: %d cores (%s), %s, kernel %s, frequency governor %s, "
			   "%lld MB of memory. Absolute times hold for this machine only; the ratios "
			   "and the winners are what carries over.\n",
			cores,
			json_string_value(json_object_get(machine, "cpu_model")) ? json_string_value(json_object_get(machine, "cpu_model")) : "unknown CPU",
			json_is_true(json_object_get(virt, "virtualised")) ? "a virtual machine" : "not virtualised",
			json_string_value(json_object_get(machine, "kernel")) ? json_string_value(json_object_get(machine, "kernel")) : "?",
			gov ? gov : "not readable",
			(long long)json_integer_value(json_object_get(machine, "memory_mb")));
	}
	fclose(f);
	f = NULL;
	rc = store_write_file(dir, "report.md", text, len, err, errlen) < 0 ? -2 : 0;
out:
	if (f)
		fclose(f);
	free(text);
	free(group);
	free(idx);
	free(verdicts);
	json_decref(env);
	records_free(&set);
	return rc;
}
