/*
 * runtimes.c - the report's "Another runtime beside this one" (see
 * runtimes.h): cells whose tasks ran in another program, each beside the
 * strategy of this program that models it (its traits' counterpart).
 */
#include "runtimes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellid.h"
#include "format.h"
#include "stats.h"

/* Two speedups "agree" when their intervals overlap, or, without
 * intervals, when they are within this share of each other. */
#define SAME_RATIO_SHARE 0.10

/* The counterpart's ok cell for r: the strategy its traits name, run in
 * this program, in the same experiment at the same worker count (at 1
 * for a counterpart with fixed workers). */
static const struct record *counterpart_cell(const struct record_set *set, const size_t *idx,
					     size_t n, const struct record *r, const char *name)
{
	const struct strategy *st = strategy_find(name);
	unsigned workers = st && st->fixed_workers ? st->fixed_workers : r->id.workers;

	for (size_t k = 0; k < n; k++) {
		const struct record *c = &set->r[idx[k]];

		if (record_ok(c) && !c->id.runtime[0] && !strcmp(c->id.strategy, name) &&
		    c->id.workers == workers)
			return c;
	}
	return NULL;
}

/* The median of r's samples' whole-program clock; NAN without one. */
static double process_median(const struct record *r)
{
	double *v = malloc((r->nsamples ? r->nsamples : 1) * sizeof(*v));
	size_t known = 0;
	double m;

	if (!v)
		return NAN;
	for (size_t k = 0; k < r->nsamples; k++)
		if (isfinite(r->samples[k].process_s))
			v[known++] = r->samples[k].process_s;
	m = known ? stats_median(v, known) : NAN;
	free(v);
	return m;
}

static void format_speedup(const struct record *r, char *buf, size_t len)
{
	if (!isfinite(r->speedup))
		snprintf(buf, len, "-");
	else if (isfinite(r->speedup_lo))
		snprintf(buf, len, "%.2fx [%.2f, %.2f]", r->speedup, r->speedup_lo, r->speedup_hi);
	else
		snprintf(buf, len, "%.2fx", r->speedup);
}

/* Whether c's speedup over its baseline reproduces r's over its own. */
static bool same_ratio(const struct record *r, const struct record *c)
{
	if (isfinite(r->speedup_lo) && isfinite(c->speedup_lo))
		return r->speedup_lo <= c->speedup_hi && c->speedup_lo <= r->speedup_hi;
	return fabs(c->speedup / r->speedup - 1) <= SAME_RATIO_SHARE;
}

struct pair_tally {
	char strategy[CELL_LABEL_MAX], counterpart[CELL_LABEL_MAX];
	char same[256], differs[512]; /* "1, 2" and "8 (1.90x against 0.98x)" */
};

/* Appends item to a ", "-separated list, cut to len. */
static void list_add(char *list, size_t len, const char *item)
{
	size_t used = strlen(list);

	snprintf(list + used, len - used, "%s%s", used ? ", " : "", item);
}

static struct pair_tally *tally_of(struct pair_tally *t, size_t *nt, size_t max,
				   const struct record *r, const char *counterpart)
{
	for (size_t k = 0; k < *nt; k++)
		if (!strcmp(t[k].strategy, r->id.label))
			return &t[k];
	if (*nt == max)
		return NULL;
	memset(&t[*nt], 0, sizeof(t[*nt]));
	snprintf(t[*nt].strategy, sizeof(t[*nt].strategy), "%s", r->id.label);
	snprintf(t[*nt].counterpart, sizeof(t[*nt].counterpart), "%s", counterpart);
	return &t[(*nt)++];
}

/* One experiment's table of pairs, its sentences, and its start-up table. */
static void write_experiment(FILE *f, const struct record_set *set, const size_t *idx, size_t n,
			     size_t g)
{
	struct pair_tally tally[16];
	size_t ntally = 0;
	bool startup = false;

	fprintf(f, "\n**Experiment %zu, %s** (%zu tasks%s%s):\n\n"
		   "| workers | runtime's strategy | median | speedup over its own serial | "
		   "counterpart here | median | speedup over serial | time, runtime / here | "
		   "the counterpart's ratio |\n|---|---|---|---|---|---|---|---|---|\n",
		g + 1, set->r[idx[0]].id.workload, set->r[idx[0]].id.tasks,
		set->r[idx[0]].id.params[0] ? ", " : "", set->r[idx[0]].id.params);
	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]], *c;
		struct strategy_traits traits;
		const struct strategy *st;
		char rm[32], cm[32], rs[48], cs[48], verdict[96];

		if (!r->id.runtime[0] || !record_ok(r))
			continue;
		st = cell_strategy_traits(r->id.strategy, r->strategy_params, &traits);
		if (!st || !traits.counterpart ||
		    !(c = counterpart_cell(set, idx, n, r, traits.counterpart)))
			continue;
		format_ms(r->wall_stats.median, rm, sizeof(rm));
		format_ms(c->wall_stats.median, cm, sizeof(cm));
		format_speedup(r, rs, sizeof(rs));
		format_speedup(c, cs, sizeof(cs));
		if (st->flags & STRATEGY_RUNTIME_BASELINE) {
			snprintf(verdict, sizeof(verdict), "(the baselines)");
		} else if (!isfinite(r->speedup) || !isfinite(c->speedup)) {
			snprintf(verdict, sizeof(verdict), "-");
		} else {
			struct pair_tally *t = tally_of(tally, &ntally, 16, r, c->id.label);
			bool same = same_ratio(r, c);
			char item[80];

			snprintf(verdict, sizeof(verdict), "%s", same ? "reproduced" : "differs");
			if (same)
				snprintf(item, sizeof(item), "%u", r->id.workers);
			else
				snprintf(item, sizeof(item), "%u worker%s (%.2fx here, %.2fx there)",
					 r->id.workers, r->id.workers == 1 ? "" : "s", c->speedup,
					 r->speedup);
			if (t)
				list_add(same ? t->same : t->differs,
					 same ? sizeof(t->same) : sizeof(t->differs), item);
		}
		fprintf(f, "| %u | %s | %s | %s | %s | %s | %s | %.1fx | %s |\n", r->id.workers,
			r->id.label, rm, rs, c->id.label, cm, cs,
			r->wall_stats.median / c->wall_stats.median, verdict);
	}
	fputc('\n', f);
	for (size_t t = 0; t < ntally; t++) {
		fprintf(f, "- %s against %s: ", tally[t].counterpart, tally[t].strategy);
		if (tally[t].same[0])
			fprintf(f, "the same speedup at %s worker%s", tally[t].same,
				strchr(tally[t].same, ',') || strcmp(tally[t].same, "1") ? "s" : "");
		if (tally[t].same[0] && tally[t].differs[0])
			fprintf(f, "; ");
		if (tally[t].differs[0])
			fprintf(f, "a different one at %s", tally[t].differs);
		fprintf(f, ".\n");
	}
	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]];
		double whole = process_median(r);
		char own[32], all[32], su[32];

		if (!r->id.runtime[0] || !record_ok(r) || !isfinite(whole))
			continue;
		if (!startup)
			fprintf(f, "\nIts two clocks: the runtime's own for the tasks, and the whole "
				   "program's, from start to exit (the difference: starting the "
				   "interpreter, loading the program and the modules its model "
				   "needs, exiting):\n\n"
				   "| strategy | workers | own clock | whole program | start-up and exit |\n"
				   "|---|---|---|---|---|\n");
		startup = true;
		format_ms(r->wall_stats.median, own, sizeof(own));
		format_ms(whole, all, sizeof(all));
		format_ms(r->whole.startup_s, su, sizeof(su));
		fprintf(f, "| %s | %u | %s | %s | %s |\n", r->id.label, r->id.workers, own, all, su);
	}
}

void runtimes_write(FILE *f, const struct record_set *set, const size_t *group, size_t ngroups)
{
	size_t *idx = malloc((set->n ? set->n : 1) * sizeof(*idx));
	bool any = false;

	if (!idx)
		return;
	for (size_t g = 0; g < ngroups; g++) {
		size_t n = records_of_group(set, group, g, idx);
		bool has = false;

		for (size_t k = 0; k < n; k++)
			has |= set->r[idx[k]].id.runtime[0] && record_ok(&set->r[idx[k]]);
		if (!has)
			continue;
		if (!any)
			fprintf(f, "\n## Another runtime beside this one\n\n"
				   "Cells whose tasks ran in another program (docs/external.md), on the "
				   "same workload with the same digest, each beside the strategy here "
				   "that models it. Each side's speedup is over its own serial "
				   "baseline; where the two intervals overlap (or, without intervals, "
				   "the two are within 10%%), the counterpart reproduces the runtime's "
				   "ratio. The times compare the runtimes themselves. A ratio set by "
				   "what starting a worker or handing out a task costs against a "
				   "task's length (processes, small tasks) cannot carry over between "
				   "runtimes whose tasks take tens of times longer in one: compare "
				   "those at sizes where the tasks take similar times.\n");
		any = true;
		write_experiment(f, set, idx, n, g);
	}
	free(idx);
}
