/*
 * report.h - the terminal table of a workload's cells.
 */
#ifndef CONCBENCH_REPORT_H
#define CONCBENCH_REPORT_H

#include <stdio.h>

#include "result.h"

/* Formats seconds with a unit that keeps three significant digits. */
void report_format_seconds(double s, char *buf, size_t len);
/*
 * The cell that wins (lowest median among cells that are ok); -1 when
 * none is. ties[i] is set for every other ok cell whose CI overlaps it.
 */
long report_winner(const struct cell_result *r, size_t n, bool *ties);
/* Prints the table of n cells of one workload, then the winner line. */
void report_print_table(FILE *f, const struct cell_result *r, size_t n);

#endif
