/*
 * registry.c - every workload, in `concbench list` order. A const table:
 * nothing registers itself at run time.
 */
#include "workload.h"

#include <string.h>

extern const struct workload workload_io_sleep;
extern const struct workload workload_io_http;
extern const struct workload workload_cpu_image;
extern const struct workload workload_cpu_noop;
#ifdef CONCBENCH_TESTING
/* A deliberately broken workload, built only into the test binary. */
extern const struct workload workload_test_segv;
#endif

const struct workload *const workload_registry[] = {
	&workload_io_sleep,
	&workload_io_http,
	&workload_cpu_image,
	&workload_cpu_noop,
#ifdef CONCBENCH_TESTING
	&workload_test_segv,
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

const char *workload_kind_name(enum workload_kind kind)
{
	switch (kind) {
	case WORKLOAD_IO: return "io";
	case WORKLOAD_CPU: return "cpu";
	case WORKLOAD_MIXED: return "mixed";
	case WORKLOAD_SYNC: return "sync";
	}
	return "?";
}
