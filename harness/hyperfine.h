/*
 * hyperfine.h - reading hyperfine's --export-json, with a JSON library,
 * into whole-process samples: one result per (strategy, workers).
 */
#ifndef CONCBENCH_HYPERFINE_H
#define CONCBENCH_HYPERFINE_H

#include <stddef.h>

struct hf_result {
	char command[1024];
	char strategy[64];
	unsigned workers;
	double *times;  /* every run's wall time, seconds */
	size_t ntimes;
	double user_s, system_s; /* hyperfine's mean CPU per run */
};

/*
 * Parses a hyperfine JSON file whose results carry `strategy` and `workers`
 * parameters. Every result must have runs_expected positive times and
 * only zero exit codes. Returns 0 with *out (n results, owned), or -1 with
 * a one-line reason naming the file and the field.
 */
int hyperfine_parse(const char *path, size_t runs_expected, struct hf_result **out, size_t *n,
		    char *err, size_t errlen);
void hyperfine_free(struct hf_result *r, size_t n);

#endif
