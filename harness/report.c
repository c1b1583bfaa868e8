/*
 * report.c - what the numbers say: the terminal table (strategy variant,
 * workers, median, CI, speedup, cores busy, the winner or a tie) and
 * report.md, whose every sentence is built from a measured number.
 *
 * Cells are named by their variant's label (`threads[stack_kb=64]`), so
 * two cells that differ in a strategy parameter or a runtime are two rows
 * and never a tie with themselves; a strategy this build does not know
 * appears like any other.
 *
 * ==== Layout ====
 * thresholds   the named constants every judgement uses, and why
 * tables       the terminal table of an experiment
 * sections     report.md per experiment, as named steps
 * whole run    two clocks, the decision table, the machine
 */
#include "report.h"
#include "runtimes.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate.h"
#include "decision.h"
#include "sweep.h"
#include "explain.h"
#include "model.h"
#include "format.h"
#include "html.h"
#include "store.h"

/* ==== Thresholds ==== (the rules' own are in explain.h) */

/* Memory is worth a sentence when the largest peak is this many times the
 * smallest at the same worker count. */
#define MEMORY_RATIO 1.5
/* The per-task stamps are worth a sentence from this share of a task's time. */
#define STAMPS_MENTION_SHARE 0.1

/* ==== Tables ==== */

long report_winner(const struct record_set *set, const size_t *idx, size_t n, bool *tie)
{
	long best = -1;

	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]];

		tie[k] = false;
		if (record_ok(r) &&
		    (best < 0 || r->wall_stats.median < set->r[idx[best]].wall_stats.median))
			best = (long)k;
	}
	if (best < 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		if ((long)k != best && record_ok(&set->r[idx[k]]))
			tie[k] = record_overlap(&set->r[idx[k]], &set->r[idx[best]]);
	return best;
}

void report_ci_text(const struct record *c, char *buf, size_t len)
{
	char lo[32], hi[32];

	snprintf(buf, len, "-");
	if (!isfinite(c->wall_stats.ci_lo))
		return;
	format_seconds(c->wall_stats.ci_lo, lo, sizeof(lo));
	format_seconds(c->wall_stats.ci_hi, hi, sizeof(hi));
	/* Too few samples for a CI: the range, and called so. */
	snprintf(buf, len, "%s[%s, %s]", isnan(c->wall_stats.ci_coverage) && !c->ci_bootstrap
						 ? "range " : "", lo, hi);
}

void report_precision_text(const struct record *c, char *buf, size_t len)
{
	double p = record_precision(c);

	const char *missed = isfinite(c->precision_target) && !record_precise(c) ? "*" : "";

	if (!isfinite(p))
		snprintf(buf, len, "-%s", missed);
	else
		snprintf(buf, len, "%.1f%%%s", p * 100, missed);
}

void report_speedup_text(const struct record *c, char *buf, size_t len)
{
	snprintf(buf, len, "-");
	if (isfinite(c->speedup) && isfinite(c->speedup_lo))
		snprintf(buf, len, "%.2fx [%.2f, %.2f]", c->speedup, c->speedup_lo, c->speedup_hi);
	else if (isfinite(c->speedup))
		snprintf(buf, len, "%.2fx (no CI: n<%d)", c->speedup, STATS_MIN_RATIO_SAMPLES);
}

/* The pieces of a cell's row. */
static void row_texts(const struct record *c, char *med, char *ci, char *prec, char *sp,
		      char *busy)
{
	format_seconds(c->wall_stats.median, med, 32);
	report_ci_text(c, ci, 80);
	report_precision_text(c, prec, 32);
	report_speedup_text(c, sp, 80);
	snprintf(busy, 32, "-");
	if (isfinite(c->cores_busy))
		snprintf(busy, 32, "%.2f", c->cores_busy);
}

void report_print_table(FILE *f, const struct record_set *set, const size_t *idx, size_t n)
{
	bool *tie = calloc(n ? n : 1, sizeof(*tie));
	const struct record *first = &set->r[idx[0]];
	int width = 10;
	long best;
	bool missed = false;

	if (!tie)
		return;
	for (size_t k = 0; k < n; k++)
		if ((int)format_width(set->r[idx[k]].id.label) > width)
			width = (int)format_width(set->r[idx[k]].id.label);
	best = report_winner(set, idx, n, tie);
	fprintf(f, "\n%s, %zu tasks%s%s%s\n", first->id.workload, first->id.tasks,
		first->id.params[0] ? ", " : "", first->id.params,
		first->id.source == SOURCE_HYPERFINE ? " - whole process, timed by hyperfine" : "");
	fprintf(f, "  %-*s %7s %10s  %-27s %4s %6s  %-24s %6s  %s\n", width, "strategy", "workers",
		"median", "95% CI", "n", "+-", "speedup (95% CI)", "busy", "status");
	for (size_t k = 0; k < n; k++) {
		const struct record *c = &set->r[idx[k]];
		char med[32], ci[80], prec[32], sp[80], busy[32];
		char label_col[CELL_LABEL_MAX + 64], med_col[48], ci_col[96];

		row_texts(c, med, ci, prec, sp, busy);
		/* Times carry "µs": padded by columns, not bytes. */
		format_pad(c->id.label, width, true, label_col, sizeof(label_col));
		format_pad(med, 10, false, med_col, sizeof(med_col));
		format_pad(ci, 27, true, ci_col, sizeof(ci_col));
		fprintf(f, "  %s %7u %s  %s %4zu %6s  %-24s %6s  %s%s%s\n", label_col,
			c->id.workers, med_col, ci_col, c->nwall, prec, sp, busy, cell_status_name(c->status),
			c->interference ? ", interference" : "",
			(long)k == best ? "  <- winner" : tie[k] ? "  <- tie" : "");
		missed |= isfinite(c->precision_target) && record_ok(c) && !record_precise(c);
	}
	if (best >= 0) {
		const struct record *w = &set->r[idx[best]];
		char med[32];
		bool first_tie = true;

		format_seconds(w->wall_stats.median, med, sizeof(med));
		fprintf(f, "  winner: %s with %u workers, median %s", w->id.label, w->id.workers, med);
		for (size_t k = 0; k < n; k++) {
			if (!tie[k])
				continue;
			fprintf(f, "%s%s/%u", first_tie ? "; tied with (CIs overlap) " : ", ",
				set->r[idx[k]].id.label, set->r[idx[k]].id.workers);
			first_tie = false;
		}
		fputc('\n', f);
	} else {
		fputs("  no winner: no cell finished correctly\n", f);
	}
	if (missed)
		fputs("  * the precision asked was not reached: the cell's time budget (--max-time) or "
		      "--max-repeat ran out first\n", f);
	for (size_t k = 0; k < n; k++) {
		const struct record *c = &set->r[idx[k]];

		if (c->interference)
			fprintf(f, "  %s/%u interference: other processes used %.2f cores while it ran "
				   "(%zu samples disturbed, %zu taken again); draw no lesson from it\n",
				c->id.label, c->id.workers, c->foreign_cores, c->disturbed, c->retaken);
	}
	for (size_t k = 0; k < n; k++) {
		const struct record *c = &set->r[idx[k]];

		if (c->status != CELL_OK)
			fprintf(f, "  %s/%u %s: %s\n", c->id.label, c->id.workers,
				cell_status_name(c->status), c->error);
	}
	free(tie);
}

void report_print_tables(FILE *f, const struct record_set *set)
{
	size_t *group = calloc(set->n ? set->n : 1, sizeof(*group));
	size_t *idx = calloc(set->n ? set->n : 1, sizeof(*idx));
	size_t ngroups;

	if (group && idx) {
		ngroups = records_group(set, group);
		for (size_t g = 0; g < ngroups; g++)
			report_print_table(f, set, idx, records_of_group(set, group, g, idx));
	}
	free(group);
	free(idx);
}

/* ==== Sections of report.md ==== */

/* What the decision table keeps of each experiment. */
struct verdict {
	bool whole_process; /* from hyperfine: not a second vote in the decisions */
	bool disturbed;     /* the winner was flagged interference: no vote either */
	enum work_class klass;
	char winner[CELL_LABEL_MAX];
	unsigned workers;
	double median, speedup;
	char title[600];
	int agrees;        /* 1: the advice names the winner; 0: it does not; -1: unknown */
	char why[600];     /* when it does not: the numbers that say why */
};

/* One experiment being written. */
struct section {
	FILE *f;
	const struct record_set *set;
	const size_t *idx;
	size_t n, g;
	int cores;
	const struct plot_charts *charts;
	const struct record *first;
	struct variant var[64];
	size_t nv;
	unsigned counts[64]; /* distinct worker counts, ascending */
	size_t ncounts;
	enum work_class klass;
	double ref_busy;     /* the reference strategy's cores busy */
	bool *tie;           /* [n] */
	size_t *sub;         /* [n] scratch */
	const struct record *best; /* the winner, or NULL */
	double clock_read_s;       /* calibration.json's clock read; NAN when absent */
	const json_t *calibration; /* the run's calibration.json, or NULL */
};

static const struct record *cell(const struct section *s, size_t k)
{
	return &s->set->r[s->idx[k]];
}

/* The fastest ok cell of a variant in this experiment. */
static const struct record *best_of(const struct section *s, const struct cell_id *variant)
{
	const struct record *b = NULL;

	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);

		if (cell_id_same_variant(&r->id, variant) && record_ok(r) &&
		    (!b || r->wall_stats.median < b->wall_stats.median))
			b = r;
	}
	return b;
}

/* The reference strategy's fastest ok cell (serial: what classifies). */
static const struct record *reference_cell(const struct section *s)
{
	const struct record *b = NULL;

	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);

		if (!strcmp(r->id.strategy, strategy_reference()->name) && !r->id.runtime[0] &&
		    record_ok(r) && (!b || r->wall_stats.median < b->wall_stats.median))
			b = r;
	}
	return b;
}

static void worker_counts(struct section *s)
{
	s->ncounts = 0;
	for (size_t k = 0; k < s->n; k++) {
		unsigned w = cell(s, k)->id.workers;
		size_t j = 0;

		while (j < s->ncounts && s->counts[j] != w)
			j++;
		if (j == s->ncounts && s->ncounts < 64)
			s->counts[s->ncounts++] = w;
	}
	for (size_t a = 1; a < s->ncounts; a++)
		for (size_t b = a; b > 0 && s->counts[b - 1] > s->counts[b]; b--) {
			unsigned t = s->counts[b];

			s->counts[b] = s->counts[b - 1];
			s->counts[b - 1] = t;
		}
}

static enum work_class declared_class(enum workload_kind kind)
{
	return kind == WORKLOAD_CPU ? CLASS_CPU : kind == WORKLOAD_IO ? CLASS_IO : CLASS_MIXED;
}

/* The classification from the reference strategy's cores busy, and the
 * sentence that gives it (the declared kind when it cannot be measured). */
static void write_classification(struct section *s)
{
	const struct record *ref = reference_cell(s);
	const char *why;

	/* A reference others disturbed cannot classify: its cores busy is theirs too. */
	s->ref_busy = ref && !ref->interference ? ref->cores_busy : NAN;
	if (isfinite(s->ref_busy)) {
		s->klass = s->ref_busy >= CPU_BOUND_BUSY ? CLASS_CPU
			   : s->ref_busy <= IO_BOUND_BUSY ? CLASS_IO : CLASS_MIXED;
		fprintf(s->f, "**%s**: %s kept %.2f cores busy ((user + sys CPU) / wall), so %s.\n",
			work_class_names[s->klass], ref->id.label, s->ref_busy,
			s->klass == CLASS_CPU ? "computing dominates: more cores should help, more "
						"waiting slots should not"
			: s->klass == CLASS_IO ? "waiting dominates: overlapping the waits helps far "
						 "beyond the core count"
					       : "it both computes and waits");
		return;
	}
	s->klass = declared_class(s->first->kind);
	why = "the reference strategy did not run here";
	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);

		if (strcmp(r->id.strategy, strategy_reference()->name))
			continue;
		why = !record_ok(r) ? "the reference strategy did not finish"
		      : r->interference ? "the reference strategy was measured while other processes "
					  "used the CPU"
					: "its run was too short (under 1 ms) to measure cores busy";
	}
	fprintf(s->f, "**%s (declared)**: %s, so the workload's own kind stands in for a measured "
		      "classification.\n", work_class_names[s->klass], why);
}

/* The winner at each worker count. */
static void write_winners_by_workers(struct section *s)
{
	fprintf(s->f, "\n| workers | winner | median (95%% CI) | n | tasks/s | speedup over serial | "
		      "cores busy | ties (CIs overlap) |\n|---|---|---|---|---|---|---|---|\n");
	for (size_t w = 0; w < s->ncounts; w++) {
		size_t m = 0, used = 0;
		char med[32], ci[80], prec[32], sp[80], busy[32], ties[512] = "", rate[32];
		const struct record *b;
		long best;

		for (size_t k = 0; k < s->n; k++)
			if (cell(s, k)->id.workers == s->counts[w])
				s->sub[m++] = s->idx[k];
		best = report_winner(s->set, s->sub, m, s->tie);
		if (best < 0) {
			fprintf(s->f, "| %u | none finished | | | | | | |\n", s->counts[w]);
			continue;
		}
		b = &s->set->r[s->sub[best]];
		row_texts(b, med, ci, prec, sp, busy);
		for (size_t k = 0; k < m; k++)
			if (s->tie[k] && used < sizeof(ties))
				used += (size_t)snprintf(ties + used, sizeof(ties) - used, "%s%s",
							 used ? ", " : "", s->set->r[s->sub[k]].id.label);
		format_rate((double)b->id.tasks / b->wall_stats.median, rate, sizeof(rate));
		fprintf(s->f, "| %u | %s%s | %s %s | %zu | %s | %s | %s | %s |\n", s->counts[w],
			b->id.label, b->interference ? " (interference)" : "", med, ci, b->nwall, rate,
			sp, busy, used ? ties : "-");
	}
}

/* The overall winner, its numbers and its ties; fills v. */
static void write_winner(struct section *s, struct verdict *v)
{
	long best = report_winner(s->set, s->idx, s->n, s->tie);
	const struct record *b;
	bool first_tie = true;
	char med[32];

	fprintf(s->f, "\n");
	s->best = NULL;
	if (best < 0) {
		fprintf(s->f, "**No winner**: no cell of this experiment finished correctly.\n");
		return;
	}
	b = s->best = cell(s, (size_t)best);
	snprintf(v->winner, sizeof(v->winner), "%s", b->id.label);
	v->workers = b->id.workers;
	v->median = b->wall_stats.median;
	v->speedup = b->speedup;
	v->disturbed = b->interference;
	format_seconds(b->wall_stats.median, med, sizeof(med));
	fprintf(s->f, "**Winner: %s with %u worker%s**, median %s", b->id.label, b->id.workers,
		b->id.workers == 1 ? "" : "s", med);
	if (isfinite(b->speedup) && isfinite(b->speedup_lo))
		fprintf(s->f, ", %.2fx serial (95%% CI %.2f-%.2f)", b->speedup, b->speedup_lo,
			b->speedup_hi);
	else if (isfinite(b->speedup))
		fprintf(s->f, ", %.2fx serial (no CI: fewer than %d samples a side)", b->speedup,
			STATS_MIN_RATIO_SAMPLES);
	if (isfinite(b->cores_busy))
		fprintf(s->f, ", %.2f cores busy", b->cores_busy);
	fprintf(s->f, ".");
	for (size_t k = 0; k < s->n; k++) {
		if (!s->tie[k])
			continue;
		fprintf(s->f, "%s%s/%u", first_tie ? " A tie, statistically, with " : ", ",
			cell(s, k)->id.label, cell(s, k)->id.workers);
		first_tie = false;
	}
	if (!first_tie)
		fprintf(s->f, ": their confidence intervals overlap the winner's.");
	if (b->interference)
		fprintf(s->f, " **It was measured while other processes used %.2f cores**: no lesson "
			      "is drawn from it.", b->foreign_cores);
	fprintf(s->f, "\n\n");
}

/* A range, not a CI: too few samples for an interval. */
static bool range_only(const struct record *r)
{
	return isnan(r->wall_stats.ci_coverage) && !r->ci_bootstrap;
}

/* Whether r is clearly slower than base: by SHORTFALL_RATIO, intervals apart. */
static bool clearly_slower(const struct record *r, const struct record *base)
{
	return r->wall_stats.median >= SHORTFALL_RATIO * base->wall_stats.median &&
	       r->wall_stats.ci_lo > base->wall_stats.ci_hi;
}

/* The facts the rules see of one variant, from its cells on disk. */
static void variant_facts(const struct section *s, const struct cell_id *variant,
			  const struct record *b, struct strategy_traits *traits, struct facts *f)
{
	const struct strategy *st = cell_strategy_traits(b->id.strategy, b->strategy_params, traits);
	const struct workload *wl = workload_find(b->id.workload);
	const struct record *w = s->best, *ref = reference_cell(s);

	*f = (struct facts){
		.klass = s->klass, .cores = s->cores, .tasks = b->id.tasks,
		.max_workers = s->counts[s->ncounts - 1], .winner = w->id.label,
		.winner_workers = w->id.workers, .winner_median = w->wall_stats.median,
		.winner_disturbed = w->interference, .winner_foreign = w->foreign_cores,
		.label = b->id.label, .traits = st ? traits : NULL, .is_winner = b == w,
		.workers = b->id.workers, .median = b->wall_stats.median, .busy = b->cores_busy,
		.n = b->nwall, .ratio = b->wall_stats.median / w->wall_stats.median,
		.tie = b != w && record_overlap(b, w),
		.few = range_only(b), .disturbed = b->interference, .foreign = b->foreign_cores,
		.inline_path = b->has_path && b->path == TASK_PATH_RUN_TASK_INLINE,
		.inline_reason = wl ? wl->inline_reason : NULL,
		.start_price = NAN, .task_price = NAN, .sat_client = NAN, .sat_server = NAN,
		.ref_median = ref ? ref->wall_stats.median : NAN,
	};
	if (f->traits && f->traits->start_price) {
		f->start_price = calibration_price(s->calibration, f->traits->start_price);
		f->start_noun = calibration_noun(f->traits->start_price);
	}
	if (f->traits && f->traits->task_price) {
		f->task_price = calibration_price(s->calibration, f->traits->task_price);
		f->task_noun = calibration_noun(f->traits->task_price);
	}
	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);
		double server;

		f->has_server |= record_has_fixture(r);
		if (!cell_id_same_variant(&r->id, variant) || !record_ok(r))
			continue;
		if (isfinite(r->cores_busy) && !(r->cores_busy <= f->max_busy))
			f->max_busy = r->cores_busy;
		if (r->interference || range_only(r))
			continue;
		if (r->id.workers > b->id.workers && r->id.workers <= (unsigned)s->cores &&
		    clearly_slower(r, b))
			f->worse_within_cores = true;
		if (r->id.workers > b->id.workers && clearly_slower(r, b) &&
		    (!f->has_worse || r->wall_stats.median > f->worse_median)) {
			f->has_worse = true;
			f->worse_workers = r->id.workers;
			f->worse_median = r->wall_stats.median;
			f->worse_busy = r->cores_busy;
		}
		server = r->fixture_cpu_s / r->wall_stats.median;
		if (isfinite(server) && isfinite(r->cores_busy) &&
		    !(r->cores_busy + server <= f->sat_client + f->sat_server)) {
			f->sat_workers = r->id.workers;
			f->sat_client = r->cores_busy;
			f->sat_server = server;
		}
	}
}

/* What the rules say of each variant: the winner's first. */
static void write_explanations(struct section *s)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t v = 0; v < s->nv; v++) {
			const struct record *b = best_of(s, s->var[v].id);
			struct strategy_traits traits;
			struct facts f;

			if (!b || (b == s->best) != (pass == 0))
				continue;
			variant_facts(s, s->var[v].id, b, &traits, &f);
			explain_variant(s->f, &f);
		}
}

/* The model's part of a term in a table cell: "" for a term that is 0. */
static void term_text(double v, char *buf, size_t len)
{
	if (v > 0)
		format_seconds(v, buf, len);
	else
		snprintf(buf, len, "-");
}

/*
 * The term that explains a gap, said as "1000 forks at 348 µs = 348 ms";
 * returns which (0 computing, 1 waiting, 2 starting, 3 handing out). Where
 * the model predicted too much, the priced term (a start or hand-out
 * price) that alone covers the excess is the likeliest culprit; otherwise
 * the largest term.
 */
static int gap_term(const struct model *m, double measured, size_t tasks, char *buf,
		    size_t len)
{
	char a[32], b[32];
	double terms[] = { m->compute_term, m->wait_term, m->start_term, m->task_term };
	double excess = m->predicted - measured;
	int k = 0;

	for (int i = 1; i < 4; i++)
		if (terms[i] > terms[k])
			k = i;
	for (int i = 2; i < 4; i++)
		if (excess > 0 && terms[i] >= excess && (k < 2 || terms[i] < terms[k]))
			k = i;
	format_seconds(terms[k], b, sizeof(b));
	if (k == 0) {
		format_seconds(m->compute_s, a, sizeof(a));
		snprintf(buf, len, "computing, %s over %u way%s = %s", a, m->compute_ways,
			 m->compute_ways == 1 ? "" : "s", b);
	} else if (k == 1) {
		format_seconds(m->waits_s, a, sizeof(a));
		snprintf(buf, len, "waiting, %s over %u at once = %s", a, m->wait_ways, b);
	} else if (k == 2) {
		format_seconds(m->start_price, a, sizeof(a));
		snprintf(buf, len, "%u %s at %s = %s", m->starts, calibration_noun(m->start_item), a,
			 b);
	} else {
		format_seconds(m->task_price, a, sizeof(a));
		snprintf(buf, len, "%zu %s at %s = %s", tasks, calibration_noun(m->task_item), a, b);
	}
	return k;
}

/* Why the model missed the way it did, from its largest term and the cell. */
static const char *gap_reason(const struct model *m, int term, const struct record *r, int cores)
{
	if (m->predicted > r->wall_stats.median)
		return term == 0 ? "The computing it divides is serial's CPU time, which includes "
				   "what serial spends to wait (a system call or two a task); a "
				   "strategy that waits another way does not pay all of it."
		       : term == 1 ? "Its waits overlapped better than serial's one at a time "
				     "divided by the workers."
		       : term == 2 ? "Its workers cost less to start here than calibrate's price, "
				     "paid one at a time by a smaller process; here starts overlap "
				     "the tasks already running."
				   : "Handing out its tasks cost less than calibrate's price for it "
				     "(paid with every core contending; one worker alone pays less).";
	bool server = record_has_fixture(r);

	if (r->id.workers > (unsigned)cores)
		return server ? "What the model leaves out cost the rest: switching between more "
				"workers than cores, the workload's server sharing them, memory."
			      : "What the model leaves out cost the rest: switching between more "
				"workers than cores, memory and caches.";
	return server ? "What the model leaves out cost the rest: memory and caches shared by "
			"the workers, the workload's server sharing the cores."
		      : "What the model leaves out cost the rest: memory and caches shared by "
			"the workers.";
}

/*
 * Predicted beside measured for every in-process cell, and the largest
 * gap named with its largest term. Adds each cell's error to errs (the
 * run's median error is said at the end).
 */
static void write_model(struct section *s, double *errs, size_t *nerrs)
{
	const struct record *ref = reference_cell(s), *gap = NULL;
	struct model gm = { 0 };
	double gap_err = 0;
	bool any = false;

	for (size_t v = 0; v < s->nv; v++)
		for (size_t k = 0; k < s->n; k++) {
			const struct record *r = cell(s, k);
			struct strategy_traits traits;
			const struct strategy *st =
				cell_strategy_traits(r->id.strategy, r->strategy_params, &traits);
			char me[32], pr[32], c[32], w[32], st_[32], t[32];
			struct model m;
			double e;

			/* Its prices are this program's: another runtime's workers
			 * cost what it was never calibrated for. */
			if (!cell_id_same_variant(&r->id, s->var[v].id) || r->id.runtime[0] ||
			    model_predict(ref, r, st ? &traits : NULL, s->cores, s->calibration,
					  &m) < 0)
				continue;
			if (!any)
				fprintf(s->f, "\n**The model** (predicted from serial's computing and "
					      "waiting and the machine's prices; see How to read):\n\n"
					      "| strategy | workers | measured | predicted | computing | "
					      "waiting | starting workers | handing out tasks | error |\n"
					      "|---|---|---|---|---|---|---|---|---|\n");
			any = true;
			e = model_error(r, &m);
			errs[(*nerrs)++] = e;
			format_seconds(r->wall_stats.median, me, sizeof(me));
			format_seconds(m.predicted, pr, sizeof(pr));
			term_text(m.compute_term, c, sizeof(c));
			term_text(m.wait_term, w, sizeof(w));
			term_text(m.start_term, st_, sizeof(st_));
			term_text(m.task_term, t, sizeof(t));
			fprintf(s->f, "| %s | %u | %s | %s | %s | %s | %s | %s | %.0f%%%s |\n",
				r->id.label, r->id.workers, me, pr, c, w, st_, t, 100 * e,
				r->interference ? " (interference)" : "");
			/* The gap worth naming is one no one disturbed. */
			if (!r->interference && (!gap || e > gap_err)) {
				gap = r;
				gap_err = e;
				gm = m;
			}
		}
	if (gap) {
		char me[32], pr[32], term[200];
		int k;

		format_seconds(gap->wall_stats.median, me, sizeof(me));
		format_seconds(gm.predicted, pr, sizeof(pr));
		k = gap_term(&gm, gap->wall_stats.median, gap->id.tasks, term, sizeof(term));
		fprintf(s->f, "\nThe largest gap: %s at %u worker%s, measured %s, predicted %s (%s). "
			      "The term %s: %s of its %s. %s\n", gap->id.label, gap->id.workers,
			gap->id.workers == 1 ? "" : "s", me, pr,
			gm.predicted > gap->wall_stats.median ? "too much" : "too little",
			gm.predicted > gap->wall_stats.median ? "that covers the excess"
							      : "that dominates",
			term, me, gap_reason(&gm, k, gap, s->cores));
	}
}

/* MB, with a decimal below 10 MB: PSS of a small cell is a few hundred KiB. */
static void memory_mb(double kb, char *buf, size_t len)
{
	if (isfinite(kb) && kb < 10 * 1024)
		snprintf(buf, len, "%.1f MB", kb / 1024);
	else
		format_mb(kb, buf, len);
}

/*
 * A cell's memory for comparison, in kB, and how it was counted. Forked
 * workers count by PSS (each process its share of the pages they share),
 * read as each exits, plus the cell's own process; a cell of one process
 * counts its peak resident memory, which PSS read at the sample's end
 * would miss (thread stacks are freed by then) and which overstates it
 * only by the libraries it shares with other programs. NAN when unknown.
 */
static double cell_memory_kb(const struct record *r, bool *proportional)
{
	*proportional = r->rss_processes > 0;
	if (*proportional)
		return isfinite(r->pss_kb) && r->pss_kb > 0 ? r->pss_kb : NAN;
	return r->max_rss_kb;
}

/*
 * The memory price of concurrency at the widest worker count, each cell
 * counted by cell_memory_kb: RSS summed over a thousand processes would
 * count libc and the binary a thousand times. Older files have only the
 * peak RSS, and the sentence says so.
 */
static void write_memory(struct section *s)
{
	unsigned widest = s->counts[s->ncounts - 1];
	const struct record *hi = NULL, *lo = NULL;
	double hm_kb = 0, lm_kb = 0;
	bool old = false;
	char hm[32], lm[32], hr[32];

	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);
		bool prop;
		double m = cell_memory_kb(r, &prop);

		if (r->id.workers != widest || !record_ok(r))
			continue;
		/* A file from before PSS: peak RSS summed over the processes. */
		if (prop && !isfinite(m)) {
			m = r->max_rss_kb;
			old = true;
		}
		if (!isfinite(m))
			continue;
		if (!hi || m > hm_kb)
			hi = r, hm_kb = m;
		if (!lo || m < lm_kb)
			lo = r, lm_kb = m;
	}
	if (!hi || !lo || hi == lo || !(hm_kb > MEMORY_RATIO * lm_kb))
		return;
	memory_mb(hm_kb, hm, sizeof(hm));
	memory_mb(lm_kb, lm, sizeof(lm));
	fprintf(s->f, "- Memory at %u workers: %s %s", widest, hi->id.label, hm);
	if (hi->rss_processes > 0 && !old) {
		memory_mb(hi->rss_kb, hr, sizeof(hr));
		fprintf(s->f, " (its %ld processes' proportional share, PSS; %s if each one's resident "
			      "pages were counted whole)", hi->rss_processes, hr);
	} else if (hi->rss_processes > 0) {
		fprintf(s->f, " (peak resident summed over its %ld processes: pages they share are "
			      "counted in each)", hi->rss_processes);
	} else {
		fprintf(s->f, " (one process, at its peak)");
	}
	fprintf(s->f, ", %s %s%s (%.1fx).\n", lo->id.label, lm,
		lo->rss_processes > 0 ? "" : " (one process, at its peak)", hm_kb / lm_kb);
}

/*
 * The workload's helper process (its server), when it has one: its CPU
 * during the winner's samples, as time and as cores beside the client's,
 * and its peak memory.
 */
static void write_fixture(struct section *s)
{
	const struct record *srv = NULL, *b = s->best;
	double server_cores, client_cores;
	char cpu[32];

	for (size_t k = 0; k < s->n; k++)
		if (isfinite(cell(s, k)->fixture_max_rss_kb) && cell(s, k)->fixture_max_rss_kb > 0)
			srv = cell(s, k);
	if (!srv || !record_has_fixture(b) || !isfinite(b->fixture_cpu_s))
		return;
	format_seconds(b->fixture_cpu_s, cpu, sizeof(cpu));
	server_cores = b->fixture_cpu_s / b->wall_stats.median;
	client_cores = b->cores_busy;
	fprintf(s->f, "- The workload's helper process (its server) used %s of CPU per sample "
		      "(median%s) during the winner's samples", cpu,
		b->fixture_clock == FIXTURE_CLOCK_TICKS ? ", read in 10 ms ticks" : "");
	if (isfinite(server_cores) && isfinite(client_cores))
		fprintf(s->f, ": %.2f cores; with the client's %.2f cores, %.2f of the %d cores "
			      "were busy",
			server_cores, client_cores, server_cores + client_cores, s->cores);
	fprintf(s->f, ". It peaked at %.0f MB.\n", srv->fixture_max_rss_kb / 1024);
}

static void write_failures(struct section *s)
{
	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);

		if (r->status != CELL_OK)
			fprintf(s->f, "- %s with %u workers **%s**: %s\n", r->id.label, r->id.workers,
				cell_status_name(r->status), r->error);
	}
}

static void write_chart_links(struct section *s)
{
	static const char *const captions[CHART_KINDS] = {
		[CHART_TIME] = "time per strategy", [CHART_SPEEDUP] = "speedup vs workers",
		[CHART_BUSY] = "cores busy", [CHART_LATENCY] = "task run time CDF",
		[CHART_CLOCKS] = "in-process vs whole-process time",
	};

	fprintf(s->f, "\n");
	for (int k = 0; k < CHART_KINDS; k++) {
		char name[160];

		if (!plot_drawn(s->charts, s->g, (enum chart_kind)k))
			continue;
		plot_chart_name(s->g, s->first->id.workload, (enum chart_kind)k, name, sizeof(name));
		fprintf(s->f, "![%s](plots/%s.png)\n", captions[k], name);
	}
}

/* One experiment's section; fills v for the decision table. */
/*
 * What the per-task stamps cost: each task's start and end are two clock
 * reads, priced by calibration.json. Said where they are a visible share
 * of the reference cell's time per task (cheap tasks such as cpu.noop's),
 * with the task's own cost net of them.
 */
static void write_stamps(struct section *s)
{
	const struct record *ref = NULL;
	double per_task, stamps;
	char a[32], b[32], c[32], d[32];

	for (size_t k = 0; k < s->n && !ref; k++)
		if (!strcmp(cell(s, k)->id.strategy, cell(s, k)->reference_strategy) &&
		    cell(s, k)->id.workers == 1 && record_ok(cell(s, k)))
			ref = cell(s, k);
	if (!ref || !isfinite(s->clock_read_s) || ref->id.source != SOURCE_INPROCESS)
		return;
	per_task = ref->wall_stats.median / (double)ref->id.tasks;
	stamps = 2 * s->clock_read_s;
	if (stamps < STAMPS_MENTION_SHARE * per_task)
		return;
	format_seconds(per_task, a, sizeof(a));
	format_seconds(stamps, b, sizeof(b));
	format_seconds(per_task > stamps ? per_task - stamps : 0, c, sizeof(c));
	format_seconds(s->clock_read_s, d, sizeof(d));
	fprintf(s->f, "- Per task, %s spends %s. %s of it (%.0f%%) is the two clock reads that "
		      "stamp each task's start and end (%s a read on this machine, from "
		      "calibration.json), so the task itself and its dispatch cost %s.\n",
		ref->id.label, a, b, 100 * stamps / per_task, d, c);
}

/* What the conventional advice chooses for a class of work. */
static unsigned advised_for(enum work_class klass)
{
	return klass == CLASS_IO ? STRATEGY_SUITS_WAITING
	       : klass == CLASS_CPU ? STRATEGY_SUITS_COMPUTING
				    : STRATEGY_SUITS_WAITING | STRATEGY_SUITS_COMPUTING;
}

/* Whether the advice names the winner, and when not, why in numbers: the
 * best advised cell beside it, and what the rules know of the winner. */
static void judge_advice(struct section *s, struct verdict *v)
{
	const struct record *b = s->best, *adv = NULL;
	const struct strategy *st = b ? strategy_find(b->id.strategy) : NULL;
	char bm[32], am[32];
	size_t used;

	v->agrees = -1;
	if (!b || !st || s->klass == CLASS_UNKNOWN)
		return;
	v->agrees = (st->traits.suits & advised_for(s->klass)) != 0;
	if (v->agrees)
		return;
	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);
		const struct strategy *rs = strategy_find(r->id.strategy);

		if (rs && (rs->traits.suits & advised_for(s->klass)) && record_ok(r) &&
		    (!adv || r->wall_stats.median < adv->wall_stats.median))
			adv = r;
	}
	format_seconds(b->wall_stats.median, bm, sizeof(bm));
	used = (size_t)snprintf(v->why, sizeof(v->why), "%s won with %u worker%s in %s", b->id.label,
				b->id.workers, b->id.workers == 1 ? "" : "s", bm);
	if (adv && used < sizeof(v->why)) {
		format_seconds(adv->wall_stats.median, am, sizeof(am));
		used += (size_t)snprintf(v->why + used, sizeof(v->why) - used,
					 "; the best advised, %s with %u, took %s (%.2fx%s)", adv->id.label,
					 adv->id.workers, am, adv->wall_stats.median / b->wall_stats.median,
					 record_overlap(adv, b) ? ", a tie: the intervals overlap" : "");
	}
	/* Said only where the advised strategy's own hand-out price shows it. */
	if (used < sizeof(v->why) && st->traits.one_thread && s->klass == CLASS_CPU && adv) {
		const struct strategy *as = strategy_find(adv->id.strategy);
		const char *item = as ? as->traits.task_price : NULL;
		double hand_out = (double)b->id.tasks * calibration_price(s->calibration, item ? item : "");
		char ho[32], per[32];

		if (item && isfinite(hand_out) &&
		    hand_out >= FINE_GRAINED_SHARE * b->wall_stats.median) {
			format_seconds(hand_out / (double)b->id.tasks, per, sizeof(per));
			format_seconds(hand_out, ho, sizeof(ho));
			used += (size_t)snprintf(v->why + used, sizeof(v->why) - used,
						 ": handing out its %zu tasks at %s (%s, calibration.json) "
						 "costs %s, against %s for all the work on one thread",
						 b->id.tasks, per, calibration_noun(item), ho, bm);
		}
	}
	if (used < sizeof(v->why) && st->traits.blocking && s->klass == CLASS_IO && b->id.workers > 1)
		snprintf(v->why + used, sizeof(v->why) - used,
			 ": a pool of %u blocking workers overlaps %u waits, as threads do", b->id.workers,
			 b->id.workers);
}

/* The one strategy parameter two variants' stored values differ in, or
 * NULL when they differ in none or in more (or are not the same strategy
 * and runtime). */
static const char *one_difference(const struct record *a, const struct record *b)
{
	const char *key, *diff = NULL;
	json_t *v;

	if (strcmp(a->id.strategy, b->id.strategy) || strcmp(a->id.runtime, b->id.runtime) ||
	    !json_is_object(a->strategy_params) || !json_is_object(b->strategy_params) ||
	    json_object_size(a->strategy_params) != json_object_size(b->strategy_params))
		return NULL;
	json_object_foreach(a->strategy_params, key, v) {
		json_t *w = json_object_get(b->strategy_params, key);

		if (!w)
			return NULL;
		if (!json_equal(v, w)) {
			if (diff)
				return NULL;
			diff = key;
		}
	}
	return diff;
}

/* A stored parameter's value as text ("static", "64", "on"). */
static void param_value_text(const json_t *params, const char *key, char *buf, size_t len)
{
	json_t *one = json_object(), *v = json_object_get(params, key);

	json_object_set(one, key, v);
	cell_params_text(one, buf, len);
	json_decref(one);
}

/*
 * Variants of one strategy that differ in one parameter (a schedule, how
 * workers are spawned), compared at each worker count both ran clean:
 * which is faster and by how much, or that the data cannot tell. Where
 * one starts a worker per task and the other does not, the difference is
 * priced per task against calibration's price of a start.
 */
static void write_parameter_pairs(struct section *s)
{
	bool any = false;

	for (size_t a = 0; a < s->n; a++)
		for (size_t b = 0; b < s->n; b++) {
			const struct record *x = cell(s, a), *y = cell(s, b);
			const struct record *fast, *slow;
			struct strategy_traits tx, ty;
			const char *key = a < b ? one_difference(x, y) : NULL;
			char xv[PARAM_STR_MAX], yv[PARAM_STR_MAX], fm[32], sm[32];

			if (!key || x->id.workers != y->id.workers || !record_ok(x) || !record_ok(y) ||
			    x->interference || y->interference)
				continue;
			if (!any)
				fprintf(s->f, "\n**Strategy parameters** (variants of one strategy that "
					      "differ in one parameter, at the same workers):\n\n");
			any = true;
			fast = x->wall_stats.median <= y->wall_stats.median ? x : y;
			slow = fast == x ? y : x;
			param_value_text(fast->strategy_params, key, xv, sizeof(xv));
			param_value_text(slow->strategy_params, key, yv, sizeof(yv));
			format_seconds(fast->wall_stats.median, fm, sizeof(fm));
			format_seconds(slow->wall_stats.median, sm, sizeof(sm));
			fprintf(s->f, "- %s at %u %s: %s takes %s, %s %s", x->id.strategy,
				x->id.workers, x->id.workers == 1 ? "worker" : "workers", xv, fm, yv, sm);
			if (record_overlap(x, y)) {
				fprintf(s->f, "; their intervals overlap: no difference this run can tell.\n");
				continue;
			}
			fprintf(s->f, ": %s is %.2fx slower", yv,
				slow->wall_stats.median / fast->wall_stats.median);
			if (cell_strategy_traits(x->id.strategy, x->strategy_params, &tx) &&
			    cell_strategy_traits(y->id.strategy, y->strategy_params, &ty) &&
			    tx.start_per_task != ty.start_per_task && tx.start_price &&
			    x->id.tasks > 0) {
				const struct record *per = tx.start_per_task ? x : y;
				const struct record *pool = per == x ? y : x;
				double each = (per->wall_stats.median - pool->wall_stats.median) /
					      (double)x->id.tasks;
				double price = calibration_price(s->calibration, tx.start_price);
				char e[32], pr[32];

				format_seconds(fabs(each), e, sizeof(e));
				fprintf(s->f, "; a worker per task costs %s %s per task over %zu tasks",
					e, each >= 0 ? "more" : "less", x->id.tasks);
				if (isfinite(price)) {
					format_seconds(price, pr, sizeof(pr));
					fprintf(s->f, " (calibration.json: %s at %s each)",
						calibration_noun(tx.start_price), pr);
				}
			}
			fprintf(s->f, ".\n");
		}
}

/*
 * What a workload with a tally (sync.counter's increments) counted, cell
 * by cell: every unit in every sample, or how many samples fell short and
 * by how much at worst (the race made visible), and the time per unit.
 */
static void write_tally(struct section *s)
{
	bool any = false;

	for (size_t v = 0; v < s->nv; v++)
		for (size_t k = 0; k < s->n; k++) {
			const struct record *r = cell(s, k);
			size_t short_of = 0, known = 0;
			char label[CELL_LABEL_MAX * 2], each[32];

			if (!cell_id_same_variant(&r->id, s->var[v].id) || !record_ok(r) ||
			    !r->tally_unit[0] || !isfinite(r->tally_expected) || r->tally_expected <= 0)
				continue;
			for (size_t j = 0; j < r->nsamples; j++)
				if (isfinite(r->samples[j].tally)) {
					known++;
					short_of += r->samples[j].tally < r->tally_expected;
				}
			if (!any)
				fprintf(s->f, "\n**What the samples counted** (%.0f %s asked of each "
					      "sample; the time per unit is the median time over them):\n\n",
					r->tally_expected, r->tally_unit);
			any = true;
			snprintf(label, sizeof(label), "%s", r->id.label); /* escaped already */
			format_seconds(r->wall_stats.median / r->tally_expected, each, sizeof(each));
			fprintf(s->f, "- %s at %u %s: ", label, r->id.workers,
				r->id.workers == 1 ? "worker" : "workers");
			if (!short_of)
				fprintf(s->f, "all %.0f in each of %zu samples", r->tally_expected, known);
			else
				fprintf(s->f, "short in %zu of %zu samples, at worst %.0f of %.0f "
					      "counted (%.1f%% lost; median %.0f)",
					short_of, known, r->tally_min, r->tally_expected,
					100.0 * (r->tally_expected - r->tally_min) / r->tally_expected,
					r->tally_median);
			fprintf(s->f, "; %s each.\n", each);
		}
}

/* Tasks per second at a cell's median, as "12.3k". */
static void rate_text(const struct record *r, char *buf, size_t len)
{
	double rate = (double)r->id.tasks / r->wall_stats.median;

	if (rate >= 1e6)
		snprintf(buf, len, "%.3gM", rate / 1e6);
	else if (rate >= 1e3)
		snprintf(buf, len, "%.3gk", rate / 1e3);
	else
		snprintf(buf, len, "%.3g", rate);
}

/* "never", or "12 times (3.4 ms waiting)". */
static void waits_text(double times, double seconds, char *buf, size_t len)
{
	char t[32];

	if (!(times > 0)) {
		snprintf(buf, len, "never");
		return;
	}
	format_seconds(seconds, t, sizeof(t));
	snprintf(buf, len, "%.0f %s (%s waiting)", times, times == 1 ? "time" : "times", t);
}

/*
 * Cells that ran the workload's two stages apart (a fetch stage feeding
 * compute workers through a queue: struct stage_stats): the fastest of
 * them against the fastest cell that ran each task whole, then each
 * one's throughput, where its time per task went, and how often each
 * side of the queue waited for the other.
 */
static void write_stages(struct section *s)
{
	const struct record *combo = NULL, *whole = NULL;
	char a[CELL_LABEL_MAX * 2], b[CELL_LABEL_MAX * 2], am[32], bm[32], ar[32], br[32];
	bool any = false;

	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);
		const struct record **best = r->has_stages ? &combo : &whole;

		any |= r->has_stages && record_ok(r);
		if (record_ok(r) && !r->interference &&
		    (!*best || r->wall_stats.median < (*best)->wall_stats.median))
			*best = r;
	}
	if (!any)
		return;
	fprintf(s->f, "\n**Stages run apart** (a fetch stage feeding compute workers through a "
		      "bounded queue; times per task, medians over the samples):\n\n");
	if (combo && whole) {
		snprintf(a, sizeof(a), "%s", combo->id.label); /* labels are escaped already */
		format_seconds(combo->wall_stats.median, am, sizeof(am));
		rate_text(combo, ar, sizeof(ar));
		snprintf(b, sizeof(b), "%s", whole->id.label);
		format_seconds(whole->wall_stats.median, bm, sizeof(bm));
		rate_text(whole, br, sizeof(br));
		fprintf(s->f, "- The best combination, %s at %u %s, takes %s (%s tasks/s); the "
			      "best strategy that runs each task whole, %s at %u, takes %s (%s tasks/s)",
			a, combo->id.workers, combo->id.workers == 1 ? "worker" : "workers", am, ar, b,
			whole->id.workers, bm, br);
		if (record_overlap(combo, whole))
			fprintf(s->f, ": their intervals overlap, no difference this run can tell.\n");
		else if (combo->wall_stats.median < whole->wall_stats.median)
			fprintf(s->f, ": the combination is %.2fx faster.\n",
				whole->wall_stats.median / combo->wall_stats.median);
		else
			fprintf(s->f, ": the combination is %.2fx slower.\n",
				combo->wall_stats.median / whole->wall_stats.median);
	}
	for (size_t k = 0; k < s->n; k++) {
		const struct record *r = cell(s, k);
		const double *st = r->stages;
		double n = (double)r->id.tasks;
		char f[32], c[32], q[32], fw[64], ew[64];

		if (!r->has_stages || !record_ok(r) || n <= 0)
			continue;
		snprintf(a, sizeof(a), "%s", r->id.label);
		rate_text(r, ar, sizeof(ar));
		format_seconds(st[STAGE_FETCH_S] / n, f, sizeof(f));
		format_seconds(st[STAGE_COMPUTE_S] / n, c, sizeof(c));
		format_seconds(st[STAGE_QUEUE_S] / n, q, sizeof(q));
		fprintf(s->f, "- %s at %u %s: %s tasks/s; fetch %s, compute %s, %s in the queue "
			      "(depth %.0f); ",
			a, r->id.workers, r->id.workers == 1 ? "worker" : "workers", ar, f, c, q,
			st[STAGE_DEPTH]);
		waits_text(st[STAGE_FULL_WAITS], st[STAGE_FULL_WAIT_S], fw, sizeof(fw));
		waits_text(st[STAGE_EMPTY_WAITS], st[STAGE_EMPTY_WAIT_S], ew, sizeof(ew));
		fprintf(s->f, "fetchers waited on a full queue: %s; computers on an empty one: %s%s.\n",
			fw, ew, r->interference ? " (disturbed: no lesson drawn)" : "");
	}
}

static void write_experiment(struct section *s, struct verdict *v, double *errs, size_t *nerrs)
{
	s->first = cell(s, 0);
	s->nv = records_variants(s->set, s->idx, s->n, s->var, 64);
	worker_counts(s);
	memset(v, 0, sizeof(*v));
	v->whole_process = s->first->id.source == SOURCE_HYPERFINE;
	{
		char raw[400];

		snprintf(raw, sizeof(raw), "%s (%zu tasks%s%.200s)%s", s->first->id.workload,
			 s->first->id.tasks, s->first->id.params[0] ? ", " : "", s->first->id.params,
			 v->whole_process ? ", whole process" : "");
		format_markdown(raw, v->title, sizeof(v->title));
	}
	fprintf(s->f, "\n## %zu. %s\n\n", s->g + 1, v->title);
	write_classification(s);
	v->klass = s->klass;
	write_winners_by_workers(s);
	write_winner(s, v);
	judge_advice(s, v);
	if (s->best) {
		write_explanations(s);
		write_tally(s);
		write_stages(s);
		write_parameter_pairs(s);
		write_stamps(s);
		write_memory(s);
		write_fixture(s);
		write_model(s, errs, nerrs);
	}
	write_failures(s);
	write_chart_links(s);
}

/* ==== The whole run ==== */

/* The in-process twin of a whole-process cell, if the run has it. */
static const struct record *inprocess_twin(const struct record_set *set, const struct record *h)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct record *r = &set->r[i];

		if (r->id.source == SOURCE_INPROCESS && record_ok(r) &&
		    cell_id_same_but_source(&r->id, &h->id))
			return r;
	}
	return NULL;
}

static void write_clocks_intro(FILE *f)
{
	fprintf(f, "\n## Two clocks: in-process and whole process\n\n"
		   "The in-process clock times the strategy's run alone. hyperfine times the whole "
		   "command (`concbench once`), which also pays for starting the program, the "
		   "workload's helper process (the latency server), its setup, the strategy's untimed "
		   "preparation (starting a thread pool) and teardown. The columns after the "
		   "difference are measured separately (start-up: a bare `concbench once`, which stops "
		   "after starting; the rest: `once`'s own report of a run); what they leave is "
		   "\"other\" (process exit, page faults of a fresh process, timer noise).\n\n"
		   "| workload | strategy | workers | in-process | whole process | difference | "
		   "start-up | fixture start+stop | setup, prepare, teardown | other |\n"
		   "|---|---|---|---|---|---|---|---|---|---|\n");
}

static double or_zero(double v)
{
	return isfinite(v) ? v : 0;
}

/* For every whole-process cell: its in-process twin, the difference, and
 * what the whole process measurably adds; then the commands that
 * reproduce each. */
static void write_clocks(FILE *f, const struct record_set *set)
{
	bool any = false;

	for (size_t k = 0; k < set->n; k++) {
		const struct record *h = &set->r[k], *in;
		const struct whole_process *w = &h->whole;
		char a[32], b[32], d[32], su[32], fx[32], st[32], un[32];
		double inner, outer;

		if (h->id.source != SOURCE_HYPERFINE || !record_ok(h) || !(in = inprocess_twin(set, h)))
			continue;
		if (!any)
			write_clocks_intro(f);
		any = true;
		inner = or_zero(w->setup_s) + or_zero(w->prepare_s) + or_zero(w->teardown_s);
		outer = inner + or_zero(w->startup_s) + or_zero(w->fixture_s);
		format_ms(in->wall_stats.median, a, sizeof(a));
		format_ms(h->wall_stats.median, b, sizeof(b));
		format_ms(h->wall_stats.median - in->wall_stats.median, d, sizeof(d));
		format_ms(w->startup_s, su, sizeof(su));
		format_ms(or_zero(w->fixture_s), fx, sizeof(fx));
		format_ms(inner, st, sizeof(st));
		format_ms(h->wall_stats.median - in->wall_stats.median - outer, un, sizeof(un));
		fprintf(f, "| %s | %s | %u | %s | %s | %s | %s | %s | %s | %s |\n", h->id.workload,
			h->id.label, h->id.workers, a, b, d, su, fx, st, un);
	}
	if (!any)
		return;
	fprintf(f, "\nEach whole-process cell, reproduced by hand:\n\n");
	for (size_t k = 0; k < set->n; k++)
		if (set->r[k].id.source == SOURCE_HYPERFINE && set->r[k].command[0])
			fprintf(f, "- %s/%u: `%s`\n", set->r[k].id.label, set->r[k].id.workers,
				set->r[k].command);
}

/* The decision table, filled with this run's winners. */
/*
 * Experiments that differ in one workload parameter (sweep.h), at each
 * worker count: a table of every variant's median by the parameter's
 * value, then, against the variant fastest at the first value, each
 * other's ratio where it moves (by a quarter or more) or where it falls
 * behind or catches up (its interval clear of the other's, or not).
 */
static void write_sweeps(FILE *f, const struct record_set *set, const size_t *group,
			 size_t ngroups)
{
	struct sweep *sw = calloc(SWEEP_MAX, sizeof(*sw));
	size_t n = sw ? sweeps_find(set, group, ngroups, sw, SWEEP_MAX) : 0;

	if (n)
		fprintf(f, "\n## Across experiments\n\nExperiments of one workload that differ in "
			   "one parameter, side by side at one worker count: each variant's "
			   "median (a dash: no ok cell there), then how each one's time moves "
			   "against the variant fastest at the first value.\n");
	for (size_t k = 0; k < n; k++) {
		const struct sweep *s = &sw[k];
		int ref = -1;
		size_t first = 0;

		fprintf(f, "\n**%s, by %s, at %u %s** (experiments", s->workload, s->key, s->workers,
			s->workers == 1 ? "worker" : "workers");
		for (size_t v = 0; v < s->nvalues; v++)
			fprintf(f, "%s %zu", v ? "," : "", s->experiment[v]);
		fprintf(f, "):\n\n| %s |", s->key);
		for (size_t l = 0; l < s->nlines; l++)
			fprintf(f, " %s |", s->label[l]);
		fprintf(f, "\n|---|");
		for (size_t l = 0; l < s->nlines; l++)
			fprintf(f, "---|");
		fprintf(f, "\n");
		for (size_t v = 0; v < s->nvalues; v++) {
			fprintf(f, "| %s |", s->value[v]);
			for (size_t l = 0; l < s->nlines; l++) {
				char m[32] = "-";

				if (s->cell[v][l])
					format_seconds(s->cell[v][l]->wall_stats.median, m, sizeof(m));
				fprintf(f, " %s%s |", m,
					s->cell[v][l] && s->cell[v][l]->interference ? " (disturbed)" : "");
			}
			fprintf(f, "\n");
		}
		/* The reference line: the fastest at the first value that has two. */
		for (first = 0; first < s->nvalues && ref < 0; first++)
			for (size_t l = 0; l < s->nlines; l++)
				if (s->cell[first][l] &&
				    (ref < 0 || s->cell[first][l]->wall_stats.median <
						    s->cell[first][ref]->wall_stats.median))
					ref = (int)l;
		fprintf(f, "\n");
		for (size_t l = 0; ref >= 0 && l < s->nlines; l++) {
			double lo = INFINITY, hi = 0;
			size_t shown = 0;
			int was = -1, turned = -1, turn_at = -1;

			if ((int)l == ref)
				continue;
			for (size_t v = 0; v < s->nvalues; v++) {
				const struct record *a = s->cell[v][ref], *b = s->cell[v][l];
				double r;
				int behind;

				if (!a || !b)
					continue;
				r = b->wall_stats.median / a->wall_stats.median;
				lo = r < lo ? r : lo;
				hi = r > hi ? r : hi;
				behind = r > 1 && !record_overlap(a, b);
				if (was >= 0 && behind != was && turn_at < 0) {
					turned = behind;
					turn_at = (int)v;
				}
				was = behind;
				shown++;
			}
			if (shown < 2 || (hi / lo < 1.25 && turn_at < 0))
				continue;
			fprintf(f, "- %s against %s:", s->label[l], s->label[ref]);
			shown = 0;
			for (size_t v = 0; v < s->nvalues; v++)
				if (s->cell[v][ref] && s->cell[v][l])
					fprintf(f, "%s %.2fx at %s=%s", shown++ ? "," : "",
						s->cell[v][l]->wall_stats.median /
							s->cell[v][ref]->wall_stats.median,
						s->key, s->value[v]);
			fprintf(f, " (its time over the other's)");
			if (turn_at >= 0)
				fprintf(f, "; it %s from %s=%s", turned ? "falls behind" : "catches up",
					s->key, s->value[turn_at]);
			fprintf(f, ".\n");
		}
	}
	free(sw);
}

/* The runner-up at point p of a map: the line with the next best speedup. */
static int runner_up(const struct decision_map *m, size_t p)
{
	const struct decision_point *pt = &m->point[p];
	int best = -1;

	for (size_t l = 0; l < m->nlines; l++)
		if ((int)l != pt->all.winner && isfinite(pt->speedup[l]) &&
		    (best < 0 || pt->speedup[l] > pt->speedup[best]))
			best = (int)l;
	return best;
}

/*
 * One sentence: the leader from share to share among one pick (every
 * line, or the lines that run each task whole). The leader changes only
 * where the data can tell: a new winner whose interval the leader's
 * still overlaps is a tie, and the leader holds.
 */
static void write_leaders(FILE *f, const struct decision_map *m, bool whole, const char *intro)
{
	bool changed = false;

	for (size_t p = 0, lead = 0; p + 1 < m->npoints; p++) {
		const struct decision_pick *next = whole ? &m->point[p + 1].whole : &m->point[p + 1].all;
		int was = whole ? m->point[lead].whole.winner : m->point[lead].all.winner;
		int now = next->winner;

		if (was < 0 || now < 0 || now == was || next->tie[was])
			continue;
		if (!changed)
			fprintf(f, "%s: below %.0f%% computing, %s wins", intro,
				100 * m->point[p + 1].share, m->label[was]);
		fprintf(f, "; from %.0f%%, %s", 100 * m->point[p + 1].share, m->label[now]);
		changed = true;
		lead = p + 1;
	}
	if (changed)
		fprintf(f, " (each change lies between two shares measured, a finer sweep places "
			   "it more closely; where the leader's interval overlaps a new winner's, "
			   "the leader holds).\n");
	else
		fprintf(f, "%s: one leader at every share measured (any other winner's interval "
			   "overlaps its).\n", intro);
}

/*
 * The decision maps (decision.h): for each workload with a compute share
 * and each worker count, the winner at every share asked, grouped into
 * runs of one winner, and the shares from which the leader changes: among
 * every strategy, and among those that run each task whole when some
 * combination ran its stages apart.
 */
static void write_decision_maps(FILE *f, const struct record_set *set, const size_t *group,
				size_t ngroups, const struct plot_charts *charts)
{
	struct decision_map *maps = calloc(PLOT_MAPS, sizeof(*maps));
	size_t n = maps ? decision_maps(set, group, ngroups, maps, PLOT_MAPS) : 0;

	for (size_t k = 0; k < n; k++) {
		const struct decision_map *m = &maps[k];
		char name[96], intro[96];
		bool disturbed = false;

		if (k == 0 || strcmp(m->workload, maps[k - 1].workload) ||
		    strcmp(m->runtime, maps[k - 1].runtime))
			fprintf(f, "\n## The decision map: %s%s%s\n\nEach experiment of %s asks its tasks "
				   "to spend a different share of their time computing rather than "
				   "waiting; side by side, at one worker count, they show where the "
				   "winning strategy changes (the fastest median at each share; the "
				   "runner-up in brackets).%s\n", m->workload, m->runtime[0] ? " in " : "",
				m->runtime, m->workload,
				m->runtime[0] ? " These strategies ran the tasks in another runtime, "
						"each speedup over that runtime's own serial: where a "
						"global lock changes the answer, it shows here." : "");
		fprintf(f, "\n**At %u workers**:\n\n", m->workers);
		for (size_t p = 0; p < m->npoints;) {
			size_t q = p;
			int w = m->point[p].all.winner, r;

			while (q + 1 < m->npoints && m->point[q + 1].all.winner == w)
				q++;
			if (q == p)
				fprintf(f, "- %.0f%% computing:", 100 * m->point[p].share);
			else
				fprintf(f, "- %.0f%% to %.0f%% computing:", 100 * m->point[p].share,
					100 * m->point[q].share);
			fprintf(f, " %s wins", w >= 0 ? m->label[w] : "no strategy");
			for (size_t j = p; j <= q && w >= 0; j++) {
				r = runner_up(m, j);
				fprintf(f, "%s%.0f%%: %.2fx", j == p ? " (" : "; ",
					100 * m->point[j].share, m->point[j].speedup[w]);
				if (r >= 0)
					fprintf(f, " [%s %.2fx]", m->label[r], m->point[j].speedup[r]);
				disturbed |= m->point[j].all.disturbed;
			}
			fprintf(f, "%s.\n", w >= 0 ? ")" : "");
			p = q + 1;
		}
		fprintf(f, "\n");
		snprintf(intro, sizeof(intro), "On this machine at %u workers", m->workers);
		write_leaders(f, m, false, intro);
		if (m->any_apart) {
			fprintf(f, "\n");
			write_leaders(f, m, true, "Among the strategies that run each task whole");
		}
		if (disturbed)
			fprintf(f, "\nSome winners above were measured while other processes used "
				   "the machine: read those shares with care.\n");
		decision_chart_name(m, name, sizeof(name));
		for (size_t c = 0; charts && c < charts->nmaps; c++)
			if (!strcmp(charts->maps[c], name))
				fprintf(f, "\n![decision map, %u workers](plots/%s.png)\n", m->workers,
					name);
	}
	free(maps);
}

static void write_decisions(FILE *f, const struct verdict *v, size_t n)
{
	static const struct {
		enum work_class klass;
		const char *advice;
	} rows[] = {
		{ CLASS_IO, "threads or an event loop: overlap the waits; an event loop holds "
			    "thousands in flight for less memory" },
		{ CLASS_CPU, "processes or OpenMP (or threads, in C): one worker per core; an event "
			     "loop or a global lock leaves the other cores idle" },
		{ CLASS_MIXED, "combine them: a pool of CPU workers fed by an event loop or I/O "
			       "threads" },
	};

	fprintf(f, "\n## Which approach, on this machine\n\n"
		   "The conventional advice, beside what this run measured; where they differ, "
		   "the numbers say why.\n\n"
		   "| kind of work | the conventional advice | what this run measured |\n"
		   "|---|---|---|\n");
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		bool any = false;

		fprintf(f, "| %s | %s | ", work_class_names[rows[k].klass], rows[k].advice);
		for (size_t i = 0; i < n; i++) {
			char med[32];

			if (v[i].klass != rows[k].klass || !v[i].winner[0] || v[i].whole_process ||
			    v[i].disturbed)
				continue;
			format_seconds(v[i].median, med, sizeof(med));
			fprintf(f, "%s%s: **%s** (%u worker%s), %s", any ? "; " : "", v[i].title,
				v[i].winner, v[i].workers, v[i].workers == 1 ? "" : "s", med);
			if (isfinite(v[i].speedup))
				fprintf(f, ", %.1fx serial", v[i].speedup);
			if (v[i].agrees == 1)
				fprintf(f, " (as advised)");
			else if (v[i].agrees == 0)
				fprintf(f, " (**not as advised**: %s)", v[i].why);
			any = true;
		}
		fprintf(f, "%s |\n", any ? "" : "no workload of this kind was measured");
	}
}

static const char *text_of(const json_t *obj, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(obj, key));

	return v ? v : fallback;
}

/* The command line that made the run, from env.json, as one line of code. */
static void write_command(FILE *f, const json_t *env)
{
	const json_t *cmd = json_object_get(env, "command_line"), *arg;
	char buf[1024] = "", esc[2100];
	size_t i, used = 0;

	json_array_foreach(cmd, i, arg) {
		const char *a = json_string_value(arg);

		if (!a || used >= sizeof(buf))
			break;
		/* argv[0] as its name: the path is this machine's business. */
		if (i == 0 && strrchr(a, '/'))
			a = strrchr(a, '/') + 1;
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? " " : "", a);
	}
	/* Inside a code span nothing is markup; a backquote would end it. */
	for (char *c = buf; *c; c++)
		if (*c == '`' || *c == '\n')
			*c = '\'';
	snprintf(esc, sizeof(esc), "%s", buf[0] ? buf : "unknown");
	fprintf(f, "- **Command**: `%s`\n", esc);
}

/* Who, where and with what: the header every report starts with. */
static void write_header(FILE *f, const json_t *env, const json_t *matrix, int cores)
{
	const json_t *machine = json_object_get(env, "machine");
	const json_t *build = json_object_get(env, "build");
	const json_t *virt = json_object_get(machine, "virtualisation");
	const json_t *sched = json_object_get(env, "schedule");
	char model[300];

	write_command(f, env);
	if (json_is_string(json_object_get(matrix, "profile"))) {
		format_markdown(json_string_value(json_object_get(matrix, "profile")), model,
				sizeof(model));
		fprintf(f, "- **Profile**: %s\n", model);
	}
	format_markdown(text_of(machine, "cpu_model", "unknown CPU"), model, sizeof(model));
	fprintf(f, "- **Machine**: %d cores (%s), %s, kernel %s, frequency governor %s, %lld MB of "
		   "memory\n", cores, model,
		json_is_true(json_object_get(virt, "virtualised")) ? "a virtual machine"
								   : "not virtualised",
		text_of(machine, "kernel", "?"), text_of(machine, "governor", "not readable"),
		(long long)json_integer_value(json_object_get(machine, "memory_mb")));
	fprintf(f, "- **Build**: concbench %s (%s), %s, %s\n", text_of(build, "version", "?"),
		text_of(build, "git_commit", "?"), text_of(build, "build_type", "?"),
		text_of(build, "compiler", "?"));
	fprintf(f, "- **Date**: %s; samples in %s rounds (seed %lld)\n", text_of(env, "date", "?"),
		text_of(sched, "order", "sequential"),
		(long long)json_integer_value(json_object_get(sched, "seed")));
}

/* What could make this run's numbers mislead, each said once, up front. */
static void write_warnings(FILE *f, const struct record_set *set, const json_t *env)
{
	const json_t *machine = json_object_get(env, "machine");
	const json_t *load = json_object_get(env, "load_before");
	const char *governor = json_string_value(json_object_get(machine, "governor"));
	const char *build_type = text_of(json_object_get(env, "build"), "build_type", "");
	size_t disturbed = 0, short_ci = 0, missed = 0, ok = 0;
	bool any = false;

	for (size_t i = 0; i < set->n; i++) {
		const struct record *r = &set->r[i];

		disturbed += r->interference;
		if (!record_ok(r))
			continue;
		ok++;
		short_ci += isnan(r->wall_stats.ci_coverage) && !r->ci_bootstrap;
		missed += isfinite(r->precision_target) && !record_precise(r);
	}
#define WARN(...) (fprintf(f, "%s", any ? "" : "\n**Warnings**\n\n"), any = true, \
		   fprintf(f, __VA_ARGS__))
	if (disturbed)
		WARN("- **%zu cells were measured while other processes used the CPU** (marked "
		     "\"interference\"); their disturbed samples were taken again where the budget "
		     "allowed, and no lesson is drawn from them. Run again on a quiet machine "
		     "(`--wait-quiet SECONDS` waits for one).\n", disturbed);
	if (json_is_true(json_object_get(load, "busy")))
		WARN("- The machine was busy before the run: others used %.2f cores.\n",
		     json_number_value(json_object_get(load, "others_cores")));
	if (json_is_true(json_object_get(json_object_get(machine, "virtualisation"), "virtualised")))
		WARN("- A virtual machine: other guests can take its CPUs (steal time; each cell "
		     "records it) and its clock and caches are shared.\n");
	if (governor && strcmp(governor, "performance"))
		WARN("- The CPU frequency governor is \"%s\", not \"performance\": the clock speed "
		     "may change under load and between cells.\n", governor);
	if (build_type[0] && strcmp(build_type, "Release") && strcmp(build_type, "RelWithDebInfo"))
		WARN("- A %s build: times are not those of an optimised one.\n", build_type);
	if (short_ci)
		WARN("- %zu cells have fewer than 6 samples: their interval is the range of the "
		     "samples, not a confidence interval, and speedups against them have none.\n",
		     short_ci);
	if (missed)
		WARN("- %zu of %zu cells did not reach the precision asked within their time "
		     "budget: their intervals are wider (the `+-` column).\n", missed, ok);
#undef WARN
}

static void write_head(FILE *f, const struct record_set *set, const json_t *env,
		       const json_t *matrix, const char *dir, size_t ngroups, int cores,
		       const struct plot_charts *charts)
{
	size_t ok = 0;

	for (size_t i = 0; i < set->n; i++)
		ok += record_ok(&set->r[i]) && set->r[i].digest_ok;
	fprintf(f, "# concbench report: %s\n\n", text_of(env, "run_id", dir));
	write_header(f, env, matrix, cores);
	fprintf(f, "\n%zu experiments, %zu cells. %zu of the %zu cells finished and computed what "
		   "the reference strategy computed (the same digest)%s.\n",
		ngroups, set->n, ok, set->n,
		ok < set->n ? "; the others are listed, with why, in their sections" : "");
	write_warnings(f, set, env);
	fprintf(f, "\n## How to read this report\n\n"
		   "- **Time** is the median wall time of one sample: the strategy running every "
		   "task once, setup excluded. Its **95%% CI** is distribution-free, from order "
		   "statistics; below 6 samples the range is shown instead, called \"range\". "
		   "**n** is how many samples were taken: at least the minimum asked, then more "
		   "until the interval was narrow enough or the cell's time budget ran out.\n"
		   "- **Tasks/s** is the tasks of one sample over its median time.\n"
		   "- **Speedup** is the serial median over this cell's, with a bootstrap CI when "
		   "both have 10 samples or more.\n"
		   "- **Cores busy** is (user + system CPU) / wall time: near 1 for one core "
		   "computing, near 0 for waiting.\n"
		   "- **Winner** is the lowest median; any cell whose interval overlaps the winner's "
		   "is a **tie**, because the data cannot tell them apart.\n"
		   "- **Workers** are threads, processes or OpenMP threads; for the event loop, the "
		   "tasks it keeps in flight at once.\n"
		   "- A cell marked **interference** was measured while other processes used the "
		   "CPU: the report explains nothing with it.\n"
		   "- Absolute times hold for the machine above only; the ratios and the winners "
		   "are what carries over.\n"
		   "- Every explanation is a rule whose premise this run's numbers met "
		   "(docs/report.md lists them); none is said of a cell marked interference, or "
		   "as a difference between cells whose intervals overlap.\n"
		   "- **The model** predicts each cell from two measurements and the machine's "
		   "prices (calibration.json). Serial's sample splits into **computing** (its CPU "
		   "time) and **waiting** (the rest). With W workers on C cores, computing divides "
		   "over min(W, C) (over 1 for a strategy that runs every task on one thread), "
		   "waiting over W; then each worker started costs its start price (a thread "
		   "start, a fork) and each task its hand-out price (an atomic counter, a loop "
		   "dispatch). Where measured and predicted differ, something the model leaves "
		   "out mattered (switching between more workers than cores, the server sharing "
		   "the cores, memory) or a price was paid differently here; each experiment "
		   "names its largest gap.\n");
	if (charts && charts->winners)
		fprintf(f, "\n![winners: time relative to the best strategy](plots/winners.png)\n");
}

/* Labels and errors come from the results file: in report.md they must read
 * as themselves. Identity never compares them, so they can change here. */
static void escape_for_markdown(struct record_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct record *r = &set->r[i];
		char buf[sizeof(r->error) * 2];

		format_markdown(r->id.label, buf, sizeof(buf));
		snprintf(r->id.label, sizeof(r->id.label), "%.*s", (int)sizeof(r->id.label) - 1, buf);
		format_markdown(r->error, buf, sizeof(buf));
		snprintf(r->error, sizeof(r->error), "%.*s", (int)sizeof(r->error) - 1, buf);
	}
}

/* The core count of the run's machine, from env.json (this one's when absent). */
static int env_cores(const json_t *env)
{
	const json_t *c = json_object_get(json_object_get(env, "machine"), "cores_online");

	return json_is_integer(c) && json_integer_value(c) > 0 && json_integer_value(c) < 100000
		       ? (int)json_integer_value(c)
		       : (int)sysconf(_SC_NPROCESSORS_ONLN);
}

int report_write_markdown(const char *dir, const struct plot_charts *charts, char *err,
			  size_t errlen)
{
	char path[PATH_MAX + 32], *text = NULL;
	struct record_set set;
	struct verdict *verdicts = NULL;
	struct section s = { 0 };
	size_t *group = NULL, *idx = NULL, ngroups, len, nerrs = 0;
	double *errs = NULL;
	json_t *env, *calibration = NULL, *matrix = NULL;
	int rc = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (records_load(path, &set, NULL, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, NULL);
	group = calloc(set.n ? set.n : 1, sizeof(*group));
	idx = calloc(set.n ? set.n : 1, sizeof(*idx));
	verdicts = calloc(set.n ? set.n : 1, sizeof(*verdicts));
	errs = calloc(set.n ? set.n : 1, sizeof(*errs));
	s.tie = calloc(set.n ? set.n : 1, sizeof(*s.tie));
	s.sub = calloc(set.n ? set.n : 1, sizeof(*s.sub));
	f = open_memstream(&text, &len);
	if (!group || !idx || !verdicts || !errs || !s.tie || !s.sub || !f) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ngroups = records_group(&set, group);
	escape_for_markdown(&set);
	snprintf(path, sizeof(path), "%s/matrix.json", dir);
	matrix = json_load_file(path, 0, NULL);
	write_head(f, &set, env, matrix, dir, ngroups, env_cores(env), charts);
	snprintf(path, sizeof(path), "%s/" CALIBRATION_FILE, dir);
	calibration = json_load_file(path, 0, NULL);
	s = (struct section){ .f = f, .set = &set, .idx = idx, .cores = env_cores(env),
			      .charts = charts, .tie = s.tie, .sub = s.sub,
			      .clock_read_s = calibration_price(calibration, "clock_read"),
			      .calibration = calibration };
	for (size_t g = 0; g < ngroups; g++) {
		s.g = g;
		s.n = records_of_group(&set, group, g, idx);
		write_experiment(&s, &verdicts[g], errs, &nerrs);
	}
	if (nerrs)
		fprintf(f, "\n**The model's median error** over this run's %zu in-process cells: "
			   "%.0f%% of the measured time.\n", nerrs, 100 * stats_median(errs, nerrs));
	write_clocks(f, &set);
	runtimes_write(f, &set, group, ngroups);
	write_sweeps(f, &set, group, ngroups);
	write_decision_maps(f, &set, group, ngroups, charts);
	write_decisions(f, verdicts, ngroups);
	fclose(f);
	f = NULL;
	rc = store_write_file(dir, "report.md", text, len, err, errlen) < 0 ? -2
	     : html_write_report(dir, text, len, err, errlen) < 0 ? -3 : 0;
out:
	if (f)
		fclose(f);
	free(text);
	free(group);
	free(idx);
	free(verdicts);
	free(errs);
	free(s.tie);
	free(s.sub);
	json_decref(env);
	json_decref(calibration);
	json_decref(matrix);
	records_free(&set);
	return rc;
}
