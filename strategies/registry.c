/*
 * registry.c - every strategy, in `concbench list` order. A const table:
 * nothing registers itself at run time.
 */
#include "concbench/strategy.h"

#include <string.h>

extern const struct strategy strategy_serial;
extern const struct strategy strategy_threads;
extern const struct strategy strategy_processes;
extern const struct strategy strategy_eventloop;
extern const struct strategy strategy_openmp;
extern const struct strategy strategy_pipeline;
extern const struct strategy strategy_gil;
extern const struct strategy strategy_py_serial;
extern const struct strategy strategy_py_threading;
extern const struct strategy strategy_py_multiprocessing;
extern const struct strategy strategy_py_asyncio;
#ifdef CONCBENCH_TESTING
/* Deliberately broken strategies, built only into the test binary. */
extern const struct strategy strategy_test_skip;
extern const struct strategy strategy_test_crash;
extern const struct strategy strategy_test_hang;
extern const struct strategy strategy_test_runtime;
extern const struct strategy strategy_test_hooks;
extern const struct strategy strategy_test_external;
#endif

const struct strategy *const strategy_registry[] = {
	&strategy_serial,
	&strategy_threads,
	&strategy_processes,
	&strategy_eventloop,
	&strategy_openmp,
	&strategy_pipeline,
	&strategy_gil,
	&strategy_py_serial,
	&strategy_py_threading,
	&strategy_py_multiprocessing,
	&strategy_py_asyncio,
#ifdef CONCBENCH_TESTING
	&strategy_test_skip,
	&strategy_test_crash,
	&strategy_test_hang,
	&strategy_test_runtime,
	&strategy_test_hooks,
	&strategy_test_external,
#endif
	NULL
};

const struct strategy *strategy_find(const char *name)
{
	for (size_t i = 0; strategy_registry[i]; i++)
		if (strcmp(strategy_registry[i]->name, name) == 0)
			return strategy_registry[i];
	return NULL;
}

const struct strategy *strategy_reference(void)
{
	return &strategy_serial;
}
