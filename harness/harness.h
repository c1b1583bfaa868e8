/*
 * harness.h - the commands main() dispatches to.
 */
#ifndef CONCBENCH_HARNESS_H
#define CONCBENCH_HARNESS_H

/* `concbench run ...`, with main()'s whole argv. Returns the exit status. */
int harness_cmd_run(int argc, char **argv);
/* Everything main() does; separate so the test binary shares it. */
int harness_main(int argc, char **argv);

#endif
