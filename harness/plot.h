/*
 * plot.h - the charts of a run folder, drawn by gnuplot from the stored
 * results: per experiment its time, speedup, cores-busy and task run time
 * CDF charts (the last only for tasks of a microsecond or more; and, for
 * whole-process cells, the two clocks), one winners heatmap across
 * experiments, and a decision map per workload with a compute share and
 * worker count (decision.h), each as PNG and SVG in DIR/plots/. The
 * templates are the .gp files of plots/, compiled into the binary.
 */
#ifndef CONCBENCH_PLOT_H
#define CONCBENCH_PLOT_H

#include <stdbool.h>
#include <stddef.h>

enum chart_kind { CHART_TIME, CHART_SPEEDUP, CHART_BUSY, CHART_LATENCY, CHART_CLOCKS, CHART_KINDS };

#define PLOT_MAPS 8

/* What plot_render drew: what report.md links to, never guessed from files. */
struct plot_charts {
	size_t files;          /* PNG and SVG files written */
	size_t failed;         /* charts gnuplot failed on */
	bool winners;          /* the heatmap */
	char maps[PLOT_MAPS][96]; /* the decision maps drawn (decision.h), by file stem */
	size_t nmaps;
	size_t nexperiments;
	unsigned char *drawn;  /* [experiment * CHART_KINDS + kind], owned */
};

/*
 * Draws every chart of dir into out (plot_charts_free it). Returns 0, or
 * -1 with the reason in err (no results, plots/ cannot be written), or
 * PLOT_NO_GNUPLOT with the install hint in err (the results are whole:
 * not a failure of a run); then nothing else in dir is touched, and out
 * says nothing was drawn.
 */
#define PLOT_NO_GNUPLOT (-2)
int plot_render(const char *dir, struct plot_charts *out, char *err, size_t errlen);
void plot_charts_free(struct plot_charts *c);
/* Whether chart `kind` of experiment e (0-based, records_group's order) was drawn. */
bool plot_drawn(const struct plot_charts *c, size_t e, enum chart_kind kind);
/* The file stem of chart `kind` of experiment e: "01-cpu.image-time". */
void plot_chart_name(size_t e, const char *workload, enum chart_kind kind, char *buf, size_t len);

#endif
