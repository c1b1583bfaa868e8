/*
 * compare.c - the commands that read stored runs back:
 * `concbench compare DIR_A DIR_B`: for every cell the two runs share, the
 * ratio of medians and a Mann-Whitney U test on the samples; prints only
 * the changes beyond noise (p < 0.05 and at least 5%), exit 0 whatever it
 * finds. `concbench report DIR` rebuilds report.md with its charts;
 * `concbench plot DIR` the charts alone.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "harness.h"
#include "plot.h"
#include "record.h"
#include "report.h"
#include "run.h"
#include "stats.h"

#define COMPARE_ALPHA 0.05
#define COMPARE_MIN_CHANGE 0.05

static void load_or_exit(const char *dir, struct record_set *set)
{
	char path[PATH_MAX + 32], err[600];

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, set, NULL, err, sizeof(err)) < 0)
		cli_usage_error("compare", "%s", err);
}

int harness_cmd_compare(const struct cmd_args *ca)
{
	struct record_set a, b;
	size_t shared = 0, changed = 0;

	load_or_exit(ca->v.positional[0], &a);
	load_or_exit(ca->v.positional[1], &b);
	for (size_t i = 0; i < a.n; i++) {
		for (size_t j = 0; j < b.n; j++) {
			const struct record *x = &a.r[i], *y = &b.r[j];
			double ratio, p;
			char ma[32], mb[32];

			if (!cell_id_equal(&x->id, &y->id) || !record_ok(x) || !record_ok(y))
				continue;
			shared++;
			ratio = y->wall_stats.median / x->wall_stats.median;
			p = stats_mann_whitney_p(x->wall, x->nwall, y->wall, y->nwall);
			if (p >= COMPARE_ALPHA || fabs(ratio - 1) < COMPARE_MIN_CHANGE)
				break;
			if (changed++ == 0)
				printf("%-34s %-10s %7s %10s %10s %8s %8s\n", "experiment", "strategy",
				       "workers", "A median", "B median", "B/A", "p");
			format_seconds(x->wall_stats.median, ma, sizeof(ma));
			format_seconds(y->wall_stats.median, mb, sizeof(mb));
			printf("%-34.34s %-10s %7u %10s %10s %7.2fx %8.2g  %s\n", x->id.workload,
			       x->id.label, x->id.workers, ma, mb, ratio, p,
			       ratio < 1 ? "faster" : "slower");
			if (x->id.params[0])
				printf("  (%zu tasks, %s)\n", x->id.tasks, x->id.params);
			break;
		}
	}
	printf("%zu cells in both runs; %zu changed beyond noise (Mann-Whitney p < %.2f and at least "
	       "%.0f%%)\n", shared, changed, COMPARE_ALPHA, COMPARE_MIN_CHANGE * 100);
	records_free(&a);
	records_free(&b);
	return 0;
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
	char err[600];
	int status;

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
