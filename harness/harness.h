/*
 * harness.h - the commands main() dispatches to.
 */
#ifndef CONCBENCH_HARNESS_H
#define CONCBENCH_HARNESS_H

/* `concbench run ...`, with main()'s whole argv. Returns the exit status. */
int harness_cmd_run(int argc, char **argv);
/* `concbench matrix ...`. */
int harness_cmd_matrix(int argc, char **argv);
/* `concbench compare DIR_A DIR_B`. */
int harness_cmd_compare(int argc, char **argv);
/* `concbench report DIR`: rebuilds report.md from stored results. */
int harness_cmd_report(int argc, char **argv);
/* `concbench plot DIR`: redraws the charts from stored results. */
int harness_cmd_plot(int argc, char **argv);
/* `concbench once ...`: one sample of one cell, one line. */
int harness_cmd_once(int argc, char **argv);
/* `concbench hyperfine ...`: whole-process timings beside in-process ones. */
int harness_cmd_hyperfine(int argc, char **argv);
/* Everything main() does; separate so the test binary shares it. */
int harness_main(int argc, char **argv);

#endif
