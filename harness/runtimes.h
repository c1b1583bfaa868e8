/*
 * runtimes.h - the report's section on cells whose tasks ran in another
 * runtime (docs/external.md): each beside the strategy of this program
 * that models it (its traits' counterpart), their speedups over their
 * own baselines side by side, whether the model reproduces the runtime's
 * ratio, and what starting the other program costs, from its two clocks.
 */
#ifndef CONCBENCH_RUNTIMES_H
#define CONCBENCH_RUNTIMES_H

#include <stdio.h>

#include "record.h"

/* Writes the section for every experiment with an ok cell of another
 * runtime (nothing when none has one); group numbers the experiments. */
void runtimes_write(FILE *f, const struct record_set *set, const size_t *group, size_t ngroups);

#endif
