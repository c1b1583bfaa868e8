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

long report_winner(const struct cell_result *r, size_t n, bool *ties)
{
	long best = -1;

	for (size_t i = 0; i < n; i++) {
		ties[i] = false;
		if (r[i].status != CELL_OK || r[i].wall_stats.n == 0)
			continue;
		if (best < 0 || r[i].wall_stats.median < r[best].wall_stats.median)
			best = (long)i;
	}
	if (best < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct stats *a = &r[i].wall_stats, *b = &r[best].wall_stats;

		if ((long)i == best || r[i].status != CELL_OK || a->n == 0)
			continue;
		ties[i] = a->ci_lo <= b->ci_hi && b->ci_lo <= a->ci_hi;
	}
	return best;
}

void report_print_table(FILE *f, const struct cell_result *r, size_t n)
{
	bool *ties = calloc(n ? n : 1, sizeof(*ties));
	long best;

	if (!ties)
		return;
	best = report_winner(r, n, ties);
	fprintf(f, "\n%s, %zu tasks", r[0].cell.workload->name, r[0].cell.ntasks);
	for (size_t p = 0; r[0].cell.workload->params[p].name; p++) {
		char v[PARAM_STR_MAX];

		param_format(&r[0].cell.workload->params[p], r[0].cell.wparams, p, v, sizeof(v));
		fprintf(f, ", %s=%s", r[0].cell.workload->params[p].name, v);
	}
	fprintf(f, "\n  %-10s %7s %10s  %-21s %-24s %6s  %s\n", "strategy", "workers", "median",
		"95% CI", "speedup (95% CI)", "busy", "status");
	for (size_t i = 0; i < n; i++) {
		const struct cell_result *c = &r[i];
		char med[32], lo[32], hi[32], ci[80] = "-", sp[80] = "-", busy[32] = "-";
		const char *mark = (long)i == best ? "  <- winner" : ties[i] ? "  <- tie" : "";

		report_format_seconds(c->wall_stats.n ? c->wall_stats.median : NAN, med, sizeof(med));
		if (c->wall_stats.n) {
			report_format_seconds(c->wall_stats.ci_lo, lo, sizeof(lo));
			report_format_seconds(c->wall_stats.ci_hi, hi, sizeof(hi));
			snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
		}
		if (isfinite(c->speedup))
			snprintf(sp, sizeof(sp), "%.2fx [%.2f, %.2f]", c->speedup, c->speedup_lo,
				 c->speedup_hi);
		if (isfinite(c->cores_busy))
			snprintf(busy, sizeof(busy), "%.2f", c->cores_busy);
		fprintf(f, "  %-10s %7u %10s  %-21s %-24s %6s  %s%s\n", c->cell.strategy->name,
			c->cell.workers, med, ci, sp, busy, cell_status_name(c->status), mark);
	}
	if (best >= 0) {
		char med[32];

		report_format_seconds(r[best].wall_stats.median, med, sizeof(med));
		fprintf(f, "  winner: %s with %u workers, median %s", r[best].cell.strategy->name,
			r[best].cell.workers, med);
		for (size_t i = 0, first = 1; i < n; i++) {
			if (!ties[i])
				continue;
			fprintf(f, "%s%s/%u", first ? "; tied with (CIs overlap) " : ", ",
				r[i].cell.strategy->name, r[i].cell.workers);
			first = 0;
		}
		fputc('\n', f);
	} else {
		fputs("  no winner: no cell finished correctly\n", f);
	}
	for (size_t i = 0; i < n; i++)
		if (r[i].status != CELL_OK)
			fprintf(f, "  %s/%u %s: %s\n", r[i].cell.strategy->name, r[i].cell.workers,
				cell_status_name(r[i].status), r[i].error);
	free(ties);
}
