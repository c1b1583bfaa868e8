/*
 * test_registry.c - the registries: lookup by name, and that every entry
 * fills the slots its header says it MUST.
 */
#include "strategy.h"
#include "unit.h"
#include "workload.h"

static int strategies_complete(void)
{
	size_t n = 0;

	for (size_t i = 0; strategy_registry[i]; i++, n++) {
		const struct strategy *s = strategy_registry[i];

		CHECK(s->name && s->description && s->params && s->run);
		CHECK(strategy_find(s->name) == s);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(strategy_registry[j]->name, s->name) != 0);
	}
	CHECK(n >= 5);
	CHECK(strategy_find("nope") == NULL);
	CHECK(strategy_reference() == strategy_find("serial"));
	return 0;
}

static int five_strategies(void)
{
	static const char *const names[] = { "serial", "threads", "processes", "eventloop", "openmp" };

	for (size_t i = 0; i < 5; i++)
		CHECK(strategy_find(names[i]) != NULL);
	return 0;
}

static int workloads_complete(void)
{
	size_t n = 0;

	for (size_t i = 0; workload_registry[i]; i++, n++) {
		const struct workload *w = workload_registry[i];

		CHECK(w->name && w->description && w->params && w->setup && w->teardown && w->run_task);
		CHECK(w->default_tasks >= 1);
		CHECK(workload_find(w->name) == w);
		CHECK(strcmp(workload_kind_name(w->kind), "?") != 0);
		for (size_t p = 0; w->params[p].name; p++)
			if (w->params[p].type == PARAM_INT)
				CHECK(w->params[p].min <= w->params[p].def &&
				      w->params[p].def <= w->params[p].max);
	}
	CHECK(n >= 3);
	CHECK(workload_find("io.sleep") && workload_find("cpu.image") && workload_find("cpu.noop"));
	CHECK(workload_find("io.nope") == NULL);
	return 0;
}

static int digest_helpers(void)
{
	CHECK(digest_mix(1) != digest_mix(2));
	CHECK(digest_bytes("abc", 3) == digest_bytes("abc", 3));
	CHECK(digest_bytes("abc", 3) != digest_bytes("abd", 3));
	/* FNV-1a 64 of the empty string is its offset basis. */
	CHECK(digest_bytes("", 0) == 0xcbf29ce484222325ULL);
	return 0;
}

static const struct unit_test tests[] = {
	{ "strategies_complete", strategies_complete },
	{ "five_strategies", five_strategies },
	{ "workloads_complete", workloads_complete },
	{ "digest_helpers", digest_helpers },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
