/*
 * env.h - what the machine and the build were, for env.json: a result is
 * only comparable with another taken on the same footing.
 */
#ifndef CONCBENCH_ENV_H
#define CONCBENCH_ENV_H

#include <jansson.h>

/* The machine, the build and the command line, as one JSON object. */
json_t *env_capture(const char *run_id, int argc, char **argv);

#endif
