/*
 * compare.c - the commands that read stored runs back:
 * `concbench compare DIR_A DIR_B`: for every cell the two runs share, the
 * ratio of medians and a Mann-Whitney U test on the samples; prints only
 * the changes beyond noise (p < 0.05 and at least 5%), exit 0 whatever it
 * finds. `concbench report DIR` and `concbench plot DIR` rebuild report.md
 * and the charts.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "harness.h"
#include "plot.h"
#include "record.h"
#include "report.h"
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

int harness_cmd_compare(int argc, char **argv)
{
	struct record_set a, b;
	size_t shared = 0, changed = 0;

	if (argc != 4)
		cli_usage_error("compare", "expected two run folders: concbench compare DIR_A DIR_B");
	load_or_exit(argv[2], &a);
	load_or_exit(argv[3], &b);
	for (size_t i = 0; i < a.n; i++) {
		char ka[1400], kb[1400];

		record_cell_key(&a.r[i], ka, sizeof(ka));
		for (size_t j = 0; j < b.n; j++) {
			const struct record *x = &a.r[i], *y = &b.r[j];
			double ratio, p;
			char ma[32], mb[32];

			record_cell_key(y, kb, sizeof(kb));
			if (strcmp(ka, kb) || !record_ok(x) || !record_ok(y))
				continue;
			shared++;
			ratio = y->median / x->median;
			p = stats_mann_whitney_p(x->wall, x->nwall, y->wall, y->nwall);
			if (p >= COMPARE_ALPHA || fabs(ratio - 1) < COMPARE_MIN_CHANGE)
				break;
			if (changed++ == 0)
				printf("%-34s %-10s %7s %10s %10s %8s %8s\n", "experiment", "strategy",
				       "workers", "A median", "B median", "B/A", "p");
			report_format_seconds(x->median, ma, sizeof(ma));
			report_format_seconds(y->median, mb, sizeof(mb));
			printf("%-34.34s %-10s %7u %10s %10s %7.2fx %8.2g  %s\n", x->workload, x->strategy,
			       x->workers, ma, mb, ratio, p, ratio < 1 ? "faster" : "slower");
			if (x->params[0])
				printf("  (%zu tasks, %s)\n", x->tasks, x->params);
			break;
		}
	}
	printf("%zu cells in both runs; %zu changed beyond noise (Mann-Whitney p < %.2f and at least "
	       "%.0f%%)\n", shared, changed, COMPARE_ALPHA, COMPARE_MIN_CHANGE * 100);
	records_free(&a);
	records_free(&b);
	return 0;
}

int harness_cmd_report(int argc, char **argv)
{
	char err[600];

	if (argc != 3)
		cli_usage_error("report", "expected a run folder: concbench report DIR");
	switch (report_write_markdown(argv[2], err, sizeof(err))) {
	case 0:
		break;
	case -1: /* nothing to report from: the folder given is wrong */
		cli_usage_error("report", "%s", err);
	default:
		fprintf(stderr, "concbench: %s\n", err);
		return 1;
	}
	printf("report: %s/report.md\n", argv[2]);
	return 0;
}

int harness_cmd_plot(int argc, char **argv)
{
	char err[600];
	size_t failed;
	int made;

	if (argc != 3)
		cli_usage_error("plot", "expected a run folder: concbench plot DIR");
	made = plot_render(argv[2], &failed, err, sizeof(err));
	if (made < 0) {
		fprintf(stderr, "concbench: %s\n", err);
		return 1;
	}
	printf("charts: %s/plots/ (%d files)%s\n", argv[2], made,
	       failed ? "; some charts failed, see plots/gnuplot.log" : "");
	return failed ? 1 : 0;
}
