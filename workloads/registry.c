/*
 * registry.c - every workload, in `concbench list` order. A const table:
 * nothing registers itself at run time.
 */
#include "concbench/workload.h"

#include <string.h>

extern const struct workload workload_io_sleep;
extern const struct workload workload_io_http;
extern const struct workload workload_io_file;
extern const struct workload workload_cpu_image;
extern const struct workload workload_cpu_noop;
extern const struct workload workload_cpu_sumsq;
extern const struct workload workload_cpu_mandelbrot;
extern const struct workload workload_mixed_pipeline;
extern const struct workload workload_mixed_blend;
extern const struct workload workload_sync_counter;
extern const struct workload workload_sync_queue;
extern const struct workload workload_sync_deadlock;
#ifdef CONCBENCH_TESTING
/* A deliberately broken workload, built only into the test binary. */
extern const struct workload workload_test_segv;
extern const struct workload workload_test_gil_probe;
extern const struct workload workload_test_fail_early;
#endif

const struct workload *const workload_registry[] = {
	&workload_io_sleep,
	&workload_io_http,
	&workload_io_file,
	&workload_cpu_image,
	&workload_cpu_noop,
	&workload_cpu_sumsq,
	&workload_cpu_mandelbrot,
	&workload_mixed_pipeline,
	&workload_mixed_blend,
	&workload_sync_counter,
	&workload_sync_queue,
	&workload_sync_deadlock,
#ifdef CONCBENCH_TESTING
	&workload_test_segv,
	&workload_test_gil_probe,
	&workload_test_fail_early,
#endif
	NULL
};

const struct workload *workload_find(const char *name)
{
	for (size_t i = 0; workload_registry[i]; i++)
		if (strcmp(workload_registry[i]->name, name) == 0)
			return workload_registry[i];
	return NULL;
}

/* The one name table of the kinds: what list prints and results store. */
static const char *const kind_names[] = {
	[WORKLOAD_IO] = "io",
	[WORKLOAD_CPU] = "cpu",
	[WORKLOAD_MIXED] = "mixed",
	[WORKLOAD_SYNC] = "sync",
};

const char *workload_kind_name(enum workload_kind kind)
{
	return (size_t)kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "?";
}

bool workload_kind_parse(const char *name, enum workload_kind *kind)
{
	int k = names_find(kind_names, sizeof(kind_names) / sizeof(kind_names[0]), name);

	if (k >= 0)
		*kind = (enum workload_kind)k;
	return k >= 0;
}
