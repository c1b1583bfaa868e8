/*
 * test_explain.c - the report's rules: every premise holds in a case made
 * for it and fails in one made against it; a disturbed cell gets no
 * behavioural sentence; docs/report.md names every rule; the model adds
 * its four terms.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "model.h"
#include "unit.h"

static const struct strategy_traits pool = {
	.worker = "threads", .blocking = true,
	.suits = STRATEGY_SUITS_WAITING | STRATEGY_SUITS_COMPUTING,
	.start_price = "thread_create_join", .task_price = "atomic_add_contended",
};
static const struct strategy_traits compute_pool = {
	.worker = "OpenMP threads", .blocking = true, .suits = STRATEGY_SUITS_COMPUTING,
};
static const struct strategy_traits loop = {
	.worker = "tasks in flight on one thread", .one_thread = true,
	.suits = STRATEGY_SUITS_WAITING,
};

/* A variant clearly short of the winner on a 2-core machine: every
 * premise's common ground, which each case then bends. */
static struct facts base(enum work_class klass)
{
	return (struct facts){
		.klass = klass, .cores = 2, .tasks = 1000, .max_workers = 1000,
		.winner = "eventloop", .winner_workers = 1000, .winner_median = 0.002,
		.label = "threads", .traits = &pool, .workers = 100, .median = 0.02, .busy = 0.3,
		.max_busy = 0.4, .n = 10, .ratio = 10, .start_price = 70e-6,
		.start_noun = "thread starts", .task_price = NAN, .ref_median = 2.0,
		.sat_client = NAN, .sat_server = NAN, .winner_foreign = NAN, .foreign = NAN,
	};
}

static bool holds(const char *rule, const struct facts *f)
{
	return explain_rule_holds(rule, f);
}

static int disturbed(void)
{
	struct facts f = base(CLASS_IO);

	CHECK(!holds("disturbed", &f));
	f.disturbed = true;
	f.foreign = 0.8;
	CHECK(holds("disturbed", &f));
	f.disturbed = false;
	f.winner_disturbed = true;
	CHECK(holds("disturbed", &f));
	return 0;
}

/* A disturbed cell, or a disturbed winner, gets no behavioural sentence:
 * only the one that says no lesson is drawn. */
static int no_lesson_from_a_flagged_cell(void)
{
	for (int klass = CLASS_IO; klass <= CLASS_CPU; klass++)
		for (int who = 0; who < 2; who++) {
			struct facts f = base((enum work_class)klass);
			char *text = NULL;
			size_t len, said;
			FILE *out = open_memstream(&text, &len);

			f.has_worse = true;
			f.worse_workers = 1000;
			f.worse_median = 0.05;
			f.has_server = true;
			f.sat_client = 1.5;
			f.sat_server = 0.6;
			f.max_busy = 1.0;
			f.inline_path = klass == CLASS_CPU;
			if (who)
				f.winner_disturbed = true;
			else
				f.disturbed = true;
			said = explain_variant(out, &f);
			fclose(out);
			CHECK(said == 1);
			CHECK(strstr(text, "no lesson drawn") != NULL);
			free(text);
		}
	return 0;
}

static int few(void)
{
	struct facts f = base(CLASS_IO);

	f.few = true;
	CHECK(!holds("few", &f)); /* its range is apart from the winner's interval */
	f.tie = true;
	CHECK(holds("few", &f));
	return 0;
}

static int tie(void)
{
	struct facts f = base(CLASS_CPU);

	CHECK(!holds("tie", &f));
	f.tie = true;
	CHECK(holds("tie", &f));
	/* A tie is never a shortfall. */
	CHECK(!holds("slower", &f));
	CHECK(!holds("one_core", &f));
	return 0;
}

static int inline_loop(void)
{
	struct facts f = base(CLASS_CPU);

	f.traits = &loop;
	f.ratio = 2;
	CHECK(!holds("inline_loop", &f));
	f.inline_path = true;
	CHECK(holds("inline_loop", &f));
	f.klass = CLASS_IO;
	CHECK(!holds("inline_loop", &f));
	return 0;
}

static int inline_wait(void)
{
	struct facts f = base(CLASS_IO);

	f.traits = &loop;
	f.ratio = 2;
	CHECK(!holds("inline_wait", &f));
	f.inline_path = true;
	f.inline_reason = "no asynchronous disk I/O";
	CHECK(holds("inline_wait", &f));
	f.klass = CLASS_CPU; /* computing: inline_loop's lesson, not this one */
	CHECK(!holds("inline_wait", &f));
	return 0;
}

static int one_core(void)
{
	struct facts f = base(CLASS_CPU);

	f.ratio = 1.98;
	f.max_busy = 1.0;
	CHECK(holds("one_core", &f));
	f.max_busy = 1.9; /* it used both cores: something else made it slow */
	CHECK(!holds("one_core", &f));
	f.max_busy = 1.0;
	f.ratio = 1.2; /* too close to call a lesson */
	CHECK(!holds("one_core", &f));
	return 0;
}

static int in_turn(void)
{
	struct facts f = base(CLASS_IO);

	CHECK(!holds("in_turn", &f));
	f.workers = 1;
	f.ratio = 900;
	CHECK(holds("in_turn", &f));
	f.klass = CLASS_CPU;
	CHECK(!holds("in_turn", &f));
	return 0;
}

static int overhead(void)
{
	struct facts f = base(CLASS_IO);

	CHECK(!holds("overhead", &f)); /* 0.3 cores busy */
	f.busy = 1.4;
	CHECK(holds("overhead", &f));
	return 0;
}

static int fewer(void)
{
	struct facts f = base(CLASS_IO);

	CHECK(holds("fewer", &f)); /* 100 against the winner's 1000 */
	f.workers = 1000;
	CHECK(!holds("fewer", &f));
	return 0;
}

static int slower(void)
{
	struct facts f = base(CLASS_CPU);

	f.ratio = 1.15;
	CHECK(holds("slower", &f));
	f.ratio = 1.05;
	CHECK(!holds("slower", &f));
	f.ratio = 1.15;
	f.is_winner = true;
	CHECK(!holds("slower", &f));
	return 0;
}

static int too_many(void)
{
	struct facts f = base(CLASS_IO);

	CHECK(!holds("too_many", &f));
	f.has_worse = true;
	f.worse_workers = 1000;
	f.worse_median = 0.043;
	CHECK(holds("too_many", &f));
	f.worse_workers = 2; /* not past the cores */
	CHECK(!holds("too_many", &f));
	f.worse_workers = 1000;
	f.worse_within_cores = true; /* slower already within the cores: not their number */
	CHECK(!holds("too_many", &f));
	f.worse_within_cores = false;
	f.worse_workers = 1000;
	f.traits = &loop; /* one thread: no workers to start or switch */
	CHECK(!holds("too_many", &f));
	CHECK(holds("more_in_flight", &f));
	return 0;
}

static int more_in_flight(void)
{
	struct facts f = base(CLASS_IO);

	f.traits = &loop;
	CHECK(!holds("more_in_flight", &f));
	f.has_worse = true;
	f.worse_workers = 1000;
	f.worse_median = 0.05;
	CHECK(holds("more_in_flight", &f));
	f.traits = &pool;
	CHECK(!holds("more_in_flight", &f));
	return 0;
}

static int fine_grained(void)
{
	struct facts f = base(CLASS_CPU);

	f.tasks = 200000;
	f.ref_median = 0.009;
	f.ratio = 1.15;
	f.task_price = 35e-9; /* 7 ms of hand-outs against 9 ms of work */
	CHECK(holds("fine_grained", &f));
	f.task_price = 1e-9;
	CHECK(!holds("fine_grained", &f));
	return 0;
}

static int blocking_win(void)
{
	struct facts f = base(CLASS_IO);

	f.is_winner = true;
	f.ratio = 1;
	f.traits = &compute_pool;
	CHECK(holds("blocking_win", &f));
	f.traits = &pool; /* advised for waiting: nothing to explain */
	CHECK(!holds("blocking_win", &f));
	f.traits = &compute_pool;
	f.klass = CLASS_CPU;
	CHECK(!holds("blocking_win", &f));
	return 0;
}

static int slots(void)
{
	struct facts f = base(CLASS_IO);

	CHECK(!holds("slots", &f));
	f.traits = &loop;
	CHECK(holds("slots", &f));
	f.workers = 1;
	CHECK(!holds("slots", &f));
	f.workers = 100;
	f.inline_path = true; /* its tasks ran inline: inline_loop says it */
	CHECK(!holds("slots", &f));
	return 0;
}

static int server(void)
{
	struct facts f = base(CLASS_IO);

	f.has_server = true;
	f.sat_workers = 1000;
	f.sat_client = 1.2;
	f.sat_server = 0.7;
	CHECK(holds("server", &f));
	f.sat_server = 0.3; /* 1.5 of 2 cores: not saturated */
	CHECK(!holds("server", &f));
	f.sat_client = 1.8;
	f.sat_server = 0.1; /* saturated, but by the client */
	CHECK(!holds("server", &f));
	f.sat_client = 1.2;
	f.sat_server = 0.7;
	f.has_server = false;
	CHECK(!holds("server", &f));
	return 0;
}

static int no_help(void)
{
	struct facts f = base(CLASS_CPU);

	f.is_winner = true;
	f.workers = 2;
	f.max_workers = 4;
	CHECK(holds("no_help", &f));
	f.max_workers = 2;
	CHECK(!holds("no_help", &f));
	return 0;
}

/* Every rule has a test above and a line in docs/report.md. */
static int rules_documented(void)
{
	FILE *doc = fopen(CONCBENCH_SOURCE_DIR "/docs/report.md", "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;

	CHECK(doc != NULL);
	n = getdelim(&text, &cap, '\0', doc);
	fclose(doc);
	CHECK(n > 0);
	for (size_t i = 0; i < explain_rule_count(); i++) {
		char want[96];

		snprintf(want, sizeof(want), "| `%s` |", explain_rule_name(i));
		if (!strstr(text, want))
			fprintf(stderr, "docs/report.md has no row for rule '%s'\n", explain_rule_name(i));
		CHECK(strstr(text, want) != NULL);
	}
	free(text);
	return 0;
}

/* The model adds its four terms, each as model.h says. */
static int model_terms(void)
{
	struct record ref, cell;
	json_t *cal = json_pack("{s:[{s:s,s:f},{s:s,s:f}]}", "items", "name", "thread_create_join",
				"median", 1e-4, "name", "atomic_add_contended", "median", 1e-8);
	struct model m;

	record_init(&ref);
	record_init(&cell);
	ref.status = cell.status = CELL_OK;
	ref.digest_ok = cell.digest_ok = true;
	ref.nwall = cell.nwall = 1;
	ref.id.source = cell.id.source = SOURCE_INPROCESS;
	ref.id.tasks = cell.id.tasks = 1000;
	ref.id.workers = 1;
	cell.id.workers = 10;
	ref.wall_stats.median = 2.0; /* 0.5 s computing, 1.5 s waiting */
	ref.user_s = 0.4;
	ref.sys_s = 0.1;
	cell.wall_stats.median = 0.5;
	CHECK(model_predict(&ref, &cell, &pool, 2, cal, &m) == 0);
	CHECK(fabs(m.compute_term - 0.25) < 1e-12);      /* over min(10, 2 cores) */
	CHECK(fabs(m.wait_term - 0.15) < 1e-12);         /* over 10 */
	CHECK(fabs(m.start_term - 10 * 1e-4) < 1e-12);   /* 10 thread starts */
	CHECK(fabs(m.task_term - 1000 * 1e-8) < 1e-12);  /* 1000 hand-outs */
	CHECK(fabs(m.predicted - (0.25 + 0.15 + 1e-3 + 1e-5)) < 1e-12);
	CHECK(fabs(model_error(&cell, &m) - fabs(0.5 - m.predicted) / 0.5) < 1e-12);
	/* One thread computes one way, whatever W. */
	CHECK(model_predict(&ref, &cell, &loop, 2, cal, &m) == 0);
	CHECK(fabs(m.compute_term - 0.5) < 1e-12);
	/* A price the calibration lacks: no prediction rather than a wrong one. */
	json_decref(cal);
	cal = json_pack("{s:[]}", "items");
	CHECK(model_predict(&ref, &cell, &pool, 2, cal, &m) < 0);
	CHECK(model_predict(&ref, &cell, NULL, 2, cal, &m) < 0);
	json_decref(cal);
	return 0;
}

static const struct unit_test tests[] = {
	{ "disturbed", disturbed },
	{ "no_lesson_from_a_flagged_cell", no_lesson_from_a_flagged_cell },
	{ "few", few },
	{ "tie", tie },
	{ "inline_loop", inline_loop },
	{ "inline_wait", inline_wait },
	{ "one_core", one_core },
	{ "in_turn", in_turn },
	{ "overhead", overhead },
	{ "fewer", fewer },
	{ "slower", slower },
	{ "too_many", too_many },
	{ "more_in_flight", more_in_flight },
	{ "fine_grained", fine_grained },
	{ "blocking_win", blocking_win },
	{ "slots", slots },
	{ "server", server },
	{ "no_help", no_help },
	{ "rules_documented", rules_documented },
	{ "model_terms", model_terms },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
