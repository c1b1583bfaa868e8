/*
 * report.c - the terminal table: strategy, workers, median, CI, speedup,
 * cores busy, and which strategy won (or tied).
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	fprintf(f, "\n%s, %zu tasks%s%s\n", first->workload, first->tasks, first->params[0] ? ", " : "",
		first->params);
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
