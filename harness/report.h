/*
 * report.h - what the numbers say, for people: the terminal table of an
 * experiment's cells, and report.md (with report.html, its text rendered)
 * for a whole run folder.
 */
#ifndef CONCBENCH_REPORT_H
#define CONCBENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "plot.h"
#include "record.h"

/*
 * Among the n cells at idx[0..n) of set, the winner (lowest median of the
 * ok cells), as an index into idx; -1 when none is ok. tie[k] is set for
 * every other ok cell whose CI overlaps the winner's.
 */
long report_winner(const struct record_set *set, const size_t *idx, size_t n, bool *tie);
/* Prints the table of one experiment's cells (indices into set). */
/* A cell's CI ("[1.2 ms, 1.3 ms]", "range [..]" below 6 samples), the
 * precision it reached ("1.8%", "12.0%*" when short of the target), its
 * speedup with its CI or why none. */
void report_ci_text(const struct record *c, char *buf, size_t len);
void report_precision_text(const struct record *c, char *buf, size_t len);
void report_speedup_text(const struct record *c, char *buf, size_t len);
void report_print_table(FILE *f, const struct record_set *set, const size_t *idx, size_t n);
/* Prints a table per experiment. */
void report_print_tables(FILE *f, const struct record_set *set);

/*
 * Writes dir/report.md from dir/results.jsonl and dir/env.json, linking
 * the charts plot_render says it drew (charts MAY be NULL: none), then
 * dir/report.html, its text rendered (html.h). Returns 0; -1 when the
 * results cannot be read, -2 when report.md cannot be written, -3 when
 * report.md was written but report.html could not be; the reason in err.
 */
int report_write_markdown(const char *dir, const struct plot_charts *charts, char *err,
			  size_t errlen);

#endif
