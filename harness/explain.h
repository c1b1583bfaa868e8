/*
 * explain.h - the report's explanatory sentences, each from a rule whose
 * premise is checked against this run's numbers and the cell's flags.
 *
 * report.c gathers, for every variant of an experiment (a strategy with
 * its parameters), the facts below from the records on disk; every rule
 * of the one table in explain.c is then asked whether its premise holds,
 * and only then says its sentence, citing the numbers it checked. No
 * behavioural sentence is said of a cell others disturbed (interference),
 * or as a difference between cells whose intervals overlap; a cell with
 * too few samples for an interval is compared by its range, which is
 * wider. docs/report.md lists the rules: condition, sentence,
 * numbers cited.
 */
#ifndef CONCBENCH_EXPLAIN_H
#define CONCBENCH_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "concbench/strategy.h"

/* The thresholds every premise uses, and why. */
/* The reference strategy's (serial's) cores busy that classifies work.
 * At 0.7 or more, computing fills most of the run: CPU-bound. At 0.3 or
 * less, the run mostly waits: I/O-bound. Between, it does both. */
#define CPU_BOUND_BUSY 0.7
#define IO_BOUND_BUSY 0.3
/* A variant at least this many times the winner's median, with disjoint
 * intervals, has fallen short, and a rule may say why; below it,
 * scheduling noise and per-task costs on a small machine can make up the
 * gap. */
#define SHORTFALL_RATIO 1.5
/* Below this, a difference is not worth a sentence at all. */
#define MENTION_RATIO 1.1
/* Never more cores busy than this while computing means one core did the
 * work: one core, plus up to 0.3 of bookkeeping (stamps, the loop). */
#define ONE_CORE_BUSY 1.3
/* Waiting should cost little CPU: a waiting strategy that kept more than
 * half a core busy spent it on its own overhead. */
#define OVERHEAD_BUSY 0.5
/* The client's and the server's CPU together reached the cores: from this
 * share of them. Two processes that hand each request back and forth each
 * wait for the other part of the time, so they never fill every core;
 * measured on 2 cores, they top out between 80% and 95%. */
#define SATURATED_SHARE 0.8
/* The server's part of the saturated cores from which it is named as
 * sharing them: below it, the client filled the cores on its own. */
#define SERVER_SHARE 0.2
/* Handing out the tasks costs at least this share of the reference's
 * time: the tasks are too small to share profitably. */
#define FINE_GRAINED_SHARE 0.25
/* A start price is worth citing when the starts cost this share of the
 * cell's time. */
#define START_CITE_SHARE 0.1

enum work_class { CLASS_IO, CLASS_CPU, CLASS_MIXED, CLASS_UNKNOWN };
extern const char *const work_class_names[];

/* One variant of one experiment, as the rules see it. Times in seconds. */
struct facts {
	/* The experiment */
	enum work_class klass;
	int cores;
	size_t tasks;
	unsigned max_workers;        /* the widest worker count the experiment ran */
	const char *winner;          /* the winner's label */
	unsigned winner_workers;
	double winner_median;
	bool winner_disturbed;
	double winner_foreign;       /* others' cores while the winner ran */

	/* The variant, by its best ok cell */
	const char *label;
	const struct strategy_traits *traits; /* NULL: a strategy this build does not know */
	bool is_winner;
	unsigned workers;
	double median, busy;         /* its best cell's */
	double max_busy;             /* the most cores busy of any of its cells */
	size_t n;                    /* its best cell's samples */
	double ratio;                /* median / winner_median */
	bool tie;                    /* its interval overlaps the winner's */
	bool few;                    /* a range, not a CI: too few samples */
	bool disturbed;              /* others used the CPU while it ran */
	double foreign;
	bool inline_path;            /* its tasks ran inline on an event loop's thread */
	const char *inline_reason;   /* the workload's word on why (its inline_reason), or NULL */
	double start_price;          /* per worker started; NAN: none or unknown */
	const char *start_noun;      /* "forks" */
	double task_price;           /* per task handed out; NAN: none or unknown */
	const char *task_noun;       /* "contended atomic adds" */
	double ref_median;           /* the reference cell's median; NAN: none */

	/* Its clearly slower cell at a larger worker count, if any, and
	 * whether one was already clearly slower within the core count */
	bool has_worse, worse_within_cores;
	unsigned worse_workers;
	double worse_median, worse_busy;

	/* Its cell whose client and server CPU together were the most cores,
	 * when the workload has a server (a fixture) */
	bool has_server;
	unsigned sat_workers;
	double sat_client, sat_server; /* cores */
};

/*
 * Says, as markdown list items, every sentence whose rule's premise holds
 * for f. Returns how many were said.
 */
size_t explain_variant(FILE *out, const struct facts *f);

/* The rules, for the tests and the docs check: how many, each one's name,
 * and whether the named rule's premise holds for f (false for a name no
 * rule has). A rule in a group speaks only when no earlier rule of its
 * group did; explain_rule_holds asks the premise alone. */
size_t explain_rule_count(void);
const char *explain_rule_name(size_t i);
bool explain_rule_holds(const char *name, const struct facts *f);

#endif
