/*
 * explain.c - the rules table: premise, sentence, numbers cited
 * (explain.h; docs/report.md lists them in words).
 *
 * ==== Layout ====
 * premises   what a rule may assume, built from the facts
 * rules      each rule's premise and sentence, then the one table
 * use        explain_variant and the lookups the tests use
 */
#include "explain.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "format.h"

const char *const work_class_names[] = {
	[CLASS_IO] = "I/O-bound", [CLASS_CPU] = "CPU-bound", [CLASS_MIXED] = "mixed",
	[CLASS_UNKNOWN] = "unknown",
};

/* ==== Premises ==== */

/* A cell a lesson may be drawn from: no one disturbed it or the winner.
 * One with too few samples for a CI is compared by its range, which is
 * wider: apart from the winner's interval, it is still apart. */
static bool clean(const struct facts *f)
{
	return !f->disturbed && !f->winner_disturbed;
}

/* Clearly slower than the winner: clean, intervals apart, and by enough. */
static bool short_of_winner(const struct facts *f)
{
	return clean(f) && !f->is_winner && !f->tie && f->ratio >= SHORTFALL_RATIO;
}

static const char *worker_noun(const struct facts *f)
{
	return f->traits && f->traits->worker ? f->traits->worker : "workers";
}

/* "1 worker", "100 threads": a count of the variant's workers. */
static const char *count_of(const struct facts *f, unsigned workers)
{
	static char buf[4][96];
	static unsigned next;
	char *b = buf[next++ % 4];

	if (workers == 1)
		snprintf(b, 96, "1 worker");
	else
		snprintf(b, 96, "%u %s", workers, worker_noun(f));
	return b;
}

/* "2.12 s", into one of a few rotating buffers, so a sentence can hold several. */
static const char *secs(double s)
{
	static char buf[8][32];
	static unsigned next;
	char *b = buf[next++ % 8];

	format_seconds(s, b, 32);
	return b;
}

/* ", and starting them costs 1000 forks at 348 µs = 348 ms of it", when it
 * is a visible share of `of`. */
static void say_starts(FILE *out, const struct facts *f, unsigned workers, double of)
{
	double cost;

	if (f->traits && f->traits->start_per_task && f->tasks < UINT_MAX)
		workers = (unsigned)f->tasks; /* one start per task */
	cost = workers * f->start_price;

	/* Never more than the time it would explain: a calibration price
	 * paid in another process can be dearer than here. */
	if (isfinite(cost) && cost >= START_CITE_SHARE * of && cost <= of)
		fprintf(out, "; starting them alone costs %u %s at %s = %s of its %s "
			     "(calibration.json)", workers, f->start_noun, secs(f->start_price),
			secs(cost), secs(of));
}

/* ==== Rules ==== */

/* Group 1: why a variant fell short of the winner, said once per variant:
 * the first rule whose premise holds speaks. */

static bool disturbed_p(const struct facts *f)
{
	return !f->is_winner && (f->disturbed || f->winner_disturbed);
}

static void disturbed_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s: no lesson drawn: %s was measured while other processes used %.2f cores.",
		f->label, f->disturbed ? "it" : "the winner",
		f->disturbed ? f->foreign : f->winner_foreign);
}

static bool few_p(const struct facts *f)
{
	return !f->is_winner && f->few && f->tie;
}

static void few_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s: %zu samples at %s, too few for a confidence interval, and their range "
		     "overlaps the winner's interval: this run cannot rank them.", f->label, f->n,
		count_of(f, f->workers));
}

static bool tie_p(const struct facts *f)
{
	return clean(f) && !f->is_winner && f->tie;
}

static void tie_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s with %s, %s, ties the winner: their intervals overlap, so this run "
		     "cannot rank them.", f->label, count_of(f, f->workers), secs(f->median));
}

static bool inline_loop_p(const struct facts *f)
{
	return short_of_winner(f) && f->klass == CLASS_CPU && f->inline_path;
}

static void inline_loop_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s ran each CPU task inline on its one thread: however many tasks it had in "
		     "flight, one computed at a time (never more than %.2f cores busy), so %s at "
		     "best, %.2fx the winner's time. An event loop overlaps waits, not work.",
		f->label, f->max_busy, secs(f->median), f->ratio);
}

static bool inline_wait_p(const struct facts *f)
{
	return short_of_winner(f) && f->klass != CLASS_CPU && f->inline_path;
}

static void inline_wait_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s ran each task inline on its one thread, waits and all", f->label);
	if (f->inline_reason)
		fprintf(out, " (%s)", f->inline_reason);
	fprintf(out, ": one task at a time however many in flight, so %s at best, %.2fx the "
		     "winner's time. An event loop overlaps only the waits it can start without "
		     "blocking.", secs(f->median), f->ratio);
}

static bool one_core_p(const struct facts *f)
{
	return short_of_winner(f) && f->klass == CLASS_CPU && f->cores > 1 &&
	       f->max_busy < ONE_CORE_BUSY;
}

static void one_core_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s reached %s at best (%.2fx the winner's time) and never kept more than "
		     "%.2f cores busy: it computed on one core while %d were there.", f->label,
		secs(f->median), f->ratio, f->max_busy, f->cores);
}

static bool in_turn_p(const struct facts *f)
{
	return short_of_winner(f) && f->klass == CLASS_IO && f->workers == 1 && f->tasks > 1;
}

static void in_turn_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s waited for each task in turn: %zu tasks in %s, %s a task; the winner "
		     "had %u in flight at once and needed %s (%.2fx faster).", f->label, f->tasks,
		secs(f->median), secs(f->median / (double)f->tasks), f->winner_workers,
		secs(f->winner_median), f->ratio);
}

static bool overhead_p(const struct facts *f)
{
	return short_of_winner(f) && f->klass == CLASS_IO && isfinite(f->busy) &&
	       f->busy > OVERHEAD_BUSY;
}

static void overhead_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s needed %s at best with %s (%.2fx the winner's time), keeping %.2f "
		     "cores busy while waiting, which needs little CPU: its own overhead cost it",
		f->label, secs(f->median), count_of(f, f->workers), f->ratio, f->busy);
	say_starts(out, f, f->workers, f->median);
	fputc('.', out);
}

static bool fewer_p(const struct facts *f)
{
	return short_of_winner(f) && f->klass == CLASS_IO && f->workers < f->winner_workers;
}

static void fewer_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s overlapped at most %u waits at once, the winner %u: %s at best, %.2fx "
		     "the winner's time.", f->label, f->workers, f->winner_workers, secs(f->median),
		f->ratio);
}

static bool slower_p(const struct facts *f)
{
	return clean(f) && !f->is_winner && !f->tie && f->ratio > MENTION_RATIO;
}

static void slower_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s: %s at best with %s (%.2fx the winner's time), %.2f cores busy.",
		f->label, secs(f->median), count_of(f, f->workers), f->ratio, f->busy);
}

/* Ungrouped: each speaks whenever its premise holds. */

static bool too_many_p(const struct facts *f)
{
	return clean(f) && f->has_worse && f->worse_workers > (unsigned)f->cores &&
	       !f->worse_within_cores && f->traits && !f->traits->one_thread;
}

static void too_many_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s with %u %s took %s, %.2fx its %s with %u: %u %s on %d cores cost more "
		     "to start and to switch between than %s", f->label, f->worse_workers,
		worker_noun(f), secs(f->worse_median), f->worse_median / f->median, secs(f->median),
		f->workers, f->worse_workers, worker_noun(f), f->cores,
		f->klass == CLASS_CPU ? "the cores could give back: computing cannot spread past them"
				      : "the extra overlap saved");
	say_starts(out, f, f->worse_workers, f->worse_median);
	fputc('.', out);
}

static bool more_in_flight_p(const struct facts *f)
{
	return clean(f) && f->has_worse && f->traits && f->traits->one_thread &&
	       !f->traits->blocking;
}

static void more_in_flight_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s with %u in flight took %s, %.2fx its %s with %u: past %u, more waits at "
		     "once did not end sooner; its one thread kept %.2f cores busy there, %.2f with "
		     "%u.", f->label, f->worse_workers, secs(f->worse_median),
		f->worse_median / f->median, secs(f->median), f->workers, f->workers, f->worse_busy,
		f->busy, f->workers);
}

static bool fine_grained_p(const struct facts *f)
{
	return clean(f) && !f->is_winner && !f->tie && f->klass == CLASS_CPU && f->traits &&
	       !f->traits->one_thread && isfinite(f->task_price) && isfinite(f->ref_median) &&
	       (double)f->tasks * f->task_price >= FINE_GRAINED_SHARE * f->ref_median &&
	       f->ratio > MENTION_RATIO;
}

static void fine_grained_s(FILE *out, const struct facts *f)
{
	double share = (double)f->tasks * f->task_price;

	fprintf(out, "%s hands out each task: %zu tasks at %s (%s, calibration.json) = %s, "
		     "against %s for all the work on one thread (%s a task): sharing tasks this "
		     "small costs %.0f%% of doing them.", f->label, f->tasks, secs(f->task_price),
		f->task_noun, secs(share), secs(f->ref_median), secs(f->ref_median / (double)f->tasks),
		100 * share / f->ref_median);
}

static bool blocking_win_p(const struct facts *f)
{
	return clean(f) && f->is_winner && f->klass == CLASS_IO && f->traits &&
	       f->traits->blocking && f->traits->suits &&
	       !(f->traits->suits & STRATEGY_SUITS_WAITING) && f->workers > 1;
}

static void blocking_win_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s won as a pool of %u blocking %s, each waiting on one task at a time, as "
		     "a thread pool does: %u waits overlapped. It is made for computing; its win "
		     "here says that %u blocking workers cover these waits, not that it suits "
		     "waiting.", f->label, f->workers, worker_noun(f), f->workers, f->workers);
}

static bool slots_p(const struct facts *f)
{
	return f->traits && f->traits->one_thread && !f->traits->blocking && f->workers > 1 &&
	       !f->inline_path;
}

static void slots_s(FILE *out, const struct facts *f)
{
	fprintf(out, "For %s, workers means %s: its %u workers are %u tasks started and waiting "
		     "at once, not %u threads.", f->label, worker_noun(f), f->workers, f->workers,
		f->workers);
}

static bool server_p(const struct facts *f)
{
	return clean(f) && f->has_server && isfinite(f->sat_client) && isfinite(f->sat_server) &&
	       f->sat_client + f->sat_server >= SATURATED_SHARE * f->cores &&
	       f->sat_server >= SERVER_SHARE * (f->sat_client + f->sat_server);
}

static void server_s(FILE *out, const struct facts *f)
{
	fprintf(out, "%s with %s kept %.2f cores busy and the workload's server %.2f: "
		     "together %.2f of the %d cores. The server shares the machine: there the "
		     "cores, not the waits, limited the run, and every cycle the server spent "
		     "was one the client lacked.", f->label, count_of(f, f->sat_workers),
		f->sat_client, f->sat_server, f->sat_client + f->sat_server, f->cores);
}

static bool no_help_p(const struct facts *f)
{
	return clean(f) && f->is_winner && f->klass == CLASS_CPU &&
	       f->workers <= (unsigned)f->cores && f->max_workers > (unsigned)f->cores;
}

static void no_help_s(FILE *out, const struct facts *f)
{
	fprintf(out, "More workers than the %d cores did not help: the best count was %u of the "
		     "%u tried.", f->cores, f->workers, f->max_workers);
}

struct rule {
	const char *name;
	int group; /* nonzero: the first rule of a group whose premise holds speaks */
	bool (*premise)(const struct facts *f);
	void (*say)(FILE *out, const struct facts *f);
};

#define RULE(name, group) { #name, group, name##_p, name##_s }

static const struct rule rules[] = {
	RULE(disturbed, 1),
	RULE(few, 1),
	RULE(tie, 1),
	RULE(inline_loop, 1),
	RULE(inline_wait, 1),
	RULE(one_core, 1),
	RULE(in_turn, 1),
	RULE(overhead, 1),
	RULE(fewer, 1),
	RULE(slower, 1),
	RULE(too_many, 0),
	RULE(more_in_flight, 0),
	RULE(fine_grained, 0),
	RULE(blocking_win, 0),
	RULE(slots, 0),
	RULE(server, 0),
	RULE(no_help, 0),
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* ==== Use ==== */

size_t explain_variant(FILE *out, const struct facts *f)
{
	int spoke[4] = { 0 };
	size_t said = 0;

	for (size_t i = 0; i < NRULES; i++) {
		const struct rule *r = &rules[i];

		if ((r->group && spoke[r->group]) || !r->premise(f))
			continue;
		if (r->group)
			spoke[r->group] = 1;
		fputs("- ", out);
		r->say(out, f);
		fputc('\n', out);
		said++;
	}
	return said;
}

size_t explain_rule_count(void)
{
	return NRULES;
}

const char *explain_rule_name(size_t i)
{
	return i < NRULES ? rules[i].name : NULL;
}

bool explain_rule_holds(const char *name, const struct facts *f)
{
	for (size_t i = 0; i < NRULES; i++)
		if (!strcmp(rules[i].name, name))
			return rules[i].premise(f);
	return false;
}
