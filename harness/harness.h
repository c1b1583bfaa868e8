/*
 * harness.h - the commands of the command table (commands.c), each given
 * its parsed command line.
 */
#ifndef CONCBENCH_HARNESS_H
#define CONCBENCH_HARNESS_H

#include "commands.h"

/* `concbench run ...`. Each returns the exit status. */
int harness_cmd_run(const struct cmd_args *a);
/* `concbench matrix ...`. */
int harness_cmd_matrix(const struct cmd_args *a);
/* `concbench compare DIR_A DIR_B`. */
int harness_cmd_compare(const struct cmd_args *a);
/* `concbench report DIR`: rebuilds report.md and its charts from stored results. */
int harness_cmd_report(const struct cmd_args *a);
/* `concbench plot DIR`: redraws the charts from stored results. */
int harness_cmd_plot(const struct cmd_args *a);
/* `concbench once ...`: one sample of one cell, one line. */
int harness_cmd_once(const struct cmd_args *a);
/* `concbench hyperfine ...`: whole-process timings beside in-process ones. */
int harness_cmd_hyperfine(const struct cmd_args *a);
/* `concbench calibrate ...`: the machine's price for each primitive (calibrate.c). */
int harness_cmd_calibrate(const struct cmd_args *a);
/* Everything main() does; separate so the test binary shares it. */
int harness_main(int argc, char **argv);

#endif
