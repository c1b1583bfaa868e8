/*
 * plot.h - the charts of a run folder, drawn by gnuplot from the stored
 * results: per experiment its time, speedup, cores-busy and latency-CDF
 * charts, and one winners heatmap across experiments, each as PNG and SVG
 * in DIR/plots/. The templates are the .gp files of plots/ in the source tree.
 */
#ifndef CONCBENCH_PLOT_H
#define CONCBENCH_PLOT_H

#include <stddef.h>

/*
 * Draws every chart of dir. Returns how many chart files were made, with
 * *failed set to the number of charts gnuplot failed on, or -1 with the
 * reason in err (no results, or gnuplot missing: then nothing else in dir
 * is touched).
 */
int plot_render(const char *dir, size_t *failed, char *err, size_t errlen);

/* The name of chart `kind` ("time", "speedup", ...) of experiment e (0-based). */
void plot_chart_name(size_t e, const char *workload, const char *kind, char *buf, size_t len);

#endif
