/*
 * test_registry.c - the registries: lookup by name, every real plug-in
 * passing the check the harness runs at start-up (plugins_check), and
 * that check catching each kind of broken plug-in, made here on purpose.
 */
#include "concbench/strategy.h"
#include "concbench/workload.h"
#include "plugins.h"
#include "unit.h"

static const char *const reserved[] = { "run", "list", NULL };

static int strategies_found(void)
{
	for (size_t i = 0; strategy_registry[i]; i++)
		CHECK(strategy_find(strategy_registry[i]->name) == strategy_registry[i]);
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

static int workloads_found(void)
{
	enum workload_kind k;

	for (size_t i = 0; workload_registry[i]; i++) {
		const struct workload *w = workload_registry[i];

		CHECK(workload_find(w->name) == w);
		CHECK(workload_kind_parse(workload_kind_name(w->kind), &k) && k == w->kind);
	}
	CHECK(workload_find("io.sleep") && workload_find("cpu.image") && workload_find("cpu.noop"));
	CHECK(workload_find("io.nope") == NULL);
	CHECK(!workload_kind_parse("gpu", &k));
	return 0;
}

/* What the harness refuses to start without: every real plug-in passes. */
static int registries_pass_the_check(void)
{
	char err[512];
	size_t n = plugins_check(workload_registry, strategy_registry, reserved, err, sizeof(err));

	if (n)
		fprintf(stderr, "%s\n", err);
	CHECK(n == 0);
	return 0;
}

/* ==== Broken plug-ins, each with one fault ==== */

static int nop_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	(void)ws;
	(void)err;
	(void)errlen;
	*instance = NULL;
	return 0;
}

static void nop_teardown(void *instance)
{
	(void)instance;
}

static int nop_task(void *instance, void *worker, size_t i, uint64_t *digest, struct task_ctx *ctx)
{
	(void)instance;
	(void)worker;
	(void)ctx;
	*digest = i;
	return 0;
}

static int nop_run(const struct workload *w, void *instance, const struct strategy_config *cfg,
		   struct sample *out)
{
	(void)w;
	(void)instance;
	(void)cfg;
	(void)out;
	return 0;
}

#define P(n) { .name = n, .type = PARAM_INT, .max = 9, .help = "a parameter" }

/* One more than param_values can hold: today's silent overflow. */
static const struct param_spec seventeen[] = {
	P("p1"), P("p2"), P("p3"), P("p4"), P("p5"), P("p6"), P("p7"), P("p8"), P("p9"),
	P("p10"), P("p11"), P("p12"), P("p13"), P("p14"), P("p15"), P("p16"), P("p17"), { 0 }
};
static const struct param_spec twice[] = { P("size"), P("size"), { 0 } };
static const struct param_spec out_of_range[] = {
	{ .name = "n", .type = PARAM_INT, .def = 10, .min = 1, .max = 9, .help = "x" }, { 0 }
};
static const struct param_spec bad_enum[] = {
	{ .name = "mode", .type = PARAM_ENUM, .def = 3, .help = "x",
	  .choices = (const char *const[]){ "a", "b", NULL } },
	{ 0 }
};
static const struct param_spec clashes[] = { P("latency_ms"), { 0 } };
static const struct param_spec none[] = { { 0 } };

#define WORKLOAD(wname, wparams)                                                              \
	{ .name = wname, .kind = WORKLOAD_CPU, .description = "test", .params = wparams,       \
	  .default_tasks = 1, .setup = nop_setup, .teardown = nop_teardown, .run_task = nop_task }

static const struct workload w_seventeen = WORKLOAD("test.seventeen", seventeen);
static const struct workload w_twice = WORKLOAD("test.twice", twice);
static const struct workload w_range = WORKLOAD("test.range", out_of_range);
static const struct workload w_enum = WORKLOAD("test.enum", bad_enum);
static const struct workload w_undotted = WORKLOAD("undotted", none);
static const struct workload w_sleepy = WORKLOAD("test.sleepy", clashes);
static int nop_sample_end(void *instance, struct sample_tally *t, char *err, size_t errlen)
{
	(void)instance;
	(void)t;
	(void)err;
	(void)errlen;
	return 0;
}

static const struct workload w_half_sample = {
	.name = "test.half", .kind = WORKLOAD_SYNC, .description = "test", .params = none,
	.default_tasks = 1, .setup = nop_setup, .teardown = nop_teardown, .run_task = nop_task,
	.sample_end = nop_sample_end, .tally_unit = "things",
};
static const struct strategy s_clash = { .name = "test.clash", .description = "test",
					 .params = clashes, .run = nop_run };
static const struct strategy s_seventeen = { .name = "test.many", .description = "test",
					     .params = seventeen, .run = nop_run };
static const struct strategy s_price = { .name = "test.price", .description = "test",
					 .params = none, .run = nop_run,
					 .traits = { .start_price = "unicorn_ride" } };
static const struct strategy s_norun = { .name = "test.norun", .description = "test",
					 .params = none };

/* Checks one broken set and that the first problem reads `want`. */
static int caught(const struct workload *w, const struct strategy *s, const char *want)
{
	const struct workload *ws[] = { w, NULL };
	const struct strategy *ss[] = { s, NULL };
	char err[512];
	size_t n = plugins_check(ws[0] ? ws : ws + 1, ss[0] ? ss : ss + 1, reserved, err,
				 sizeof(err));

	if (n == 0 || !strstr(err, want))
		fprintf(stderr, "expected a problem like '%s', got %zu: '%s'\n", want, n, err);
	return n > 0 && strstr(err, want) != NULL;
}

static int broken_plugins_caught(void)
{
	CHECK(caught(&w_seventeen, NULL, "workload 'test.seventeen': 17 parameters, at most 16"));
	CHECK(caught(NULL, &s_seventeen, "strategy 'test.many': 17 parameters, at most 16"));
	CHECK(caught(&w_twice, NULL, "parameter 'size' is declared twice"));
	CHECK(caught(&w_range, NULL, "parameter 'n': default 10 outside 1..9"));
	CHECK(caught(&w_enum, NULL, "parameter 'mode': an enum needs choices and a default"));
	CHECK(caught(&w_undotted, NULL, "workload 'undotted': a workload's name is dotted"));
	CHECK(caught(&w_sleepy, &s_clash, "parameter 'latency_ms' is also test.sleepy's"));
	CHECK(caught(&w_half_sample, NULL, "sample_begin and sample_end come together"));
	CHECK(caught(NULL, &s_price, "traits name a price calibrate does not measure ('unicorn_ride')"));
	CHECK(caught(NULL, &s_norun, "strategy 'test.norun': description, params and run are MUST"));
	return 0;
}

static const struct unit_test tests[] = {
	{ "strategies_found", strategies_found },
	{ "five_strategies", five_strategies },
	{ "workloads_found", workloads_found },
	{ "registries_pass_the_check", registries_pass_the_check },
	{ "broken_plugins_caught", broken_plugins_caught },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
