/*
 * record.c - results.jsonl lines in and out, and what is derived from a
 * set of them (see record.h).
 *
 * ==== Layout ====
 * reading      a line into a record, with range checks
 * writing      a record into a line: the one writer of the schema
 * sets         loading a file, grouping into experiments, variants
 * derived      speedups over each experiment's reference cell
 */
#include "record.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_MAX_WORKERS 1000000
#define RECORD_MAX_TASKS 1000000000
/* The most memory a stored figure may claim, in KiB (1 PiB). */
#define RECORD_MAX_KB 1e12

bool record_overlap(const struct record *a, const struct record *b)
{
	return a->wall_stats.ci_lo <= b->wall_stats.ci_hi &&
	       b->wall_stats.ci_lo <= a->wall_stats.ci_hi;
}

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->user_s = r->sys_s = r->cores_busy = r->nvcsw = r->nivcsw = NAN;
	r->task_p50_s = r->task_p99_s = r->fixture_cpu_s = NAN;
	r->max_rss_kb = r->fixture_max_rss_kb = NAN;
	r->pss_kb = r->rss_kb = NAN;
	r->tally_median = r->tally_min = r->tally_expected = NAN;
	for (int f = 0; f < STAGE_FIELDS; f++)
		r->stages[f] = NAN;
	r->wall_stats.median = r->wall_stats.ci_lo = r->wall_stats.ci_hi = NAN;
	r->wall_stats.ci_coverage = NAN;
	r->precision_target = r->foreign_cores = r->steal_s = NAN;
	r->wall_stats.min = r->wall_stats.max = r->wall_stats.mean = NAN;
	r->wall_stats.stddev = r->wall_stats.cv = NAN;
	r->whole.startup_s = r->whole.fixture_s = r->whole.setup_s = NAN;
	r->whole.prepare_s = r->whole.teardown_s = NAN;
	r->speedup = r->speedup_lo = r->speedup_hi = NAN;
}

void record_free(struct record *r)
{
	json_decref(r->params);
	json_decref(r->strategy_params);
	free(r->wall);
	free(r->samples);
	r->params = r->strategy_params = NULL;
	r->wall = NULL;
	r->samples = NULL;
	r->nwall = r->nsamples = 0;
}

bool record_ok(const struct record *r)
{
	return r->status == CELL_OK && r->nwall > 0 && isfinite(r->wall_stats.median);
}

bool record_has_fixture(const struct record *r)
{
	return r->fixture_clock != FIXTURE_CLOCK_NONE ||
	       (isfinite(r->fixture_max_rss_kb) && r->fixture_max_rss_kb > 0);
}

double record_precision(const struct record *r)
{
	return r->ci_bootstrap ? INFINITY : stats_precision(&r->wall_stats);
}

bool record_precise(const struct record *r)
{
	return isfinite(r->precision_target) && record_precision(r) <= r->precision_target;
}

/* ==== Reading ==== */

static void copy_string(const json_t *obj, const char *key, char *buf, size_t len)
{
	const char *v = json_string_value(json_object_get(obj, key));

	snprintf(buf, len, "%s", v ? v : "");
}

static double number(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static long integer(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

/* A memory figure in KiB: NAN when absent or null; false when present
 * but not a number in 0..RECORD_MAX_KB. */
static bool kb_field(const json_t *obj, const char *key, double *kb)
{
	const json_t *v = json_object_get(obj, key);

	*kb = NAN;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_number(v) || !(json_number_value(v) >= 0) ||
	    json_number_value(v) > RECORD_MAX_KB)
		return false;
	*kb = json_number_value(v);
	return true;
}

static void pair(const json_t *obj, const char *key, double *lo, double *hi)
{
	const json_t *v = json_object_get(obj, key);

	*lo = *hi = NAN;
	if (json_is_array(v) && json_array_size(v) == 2) {
		*lo = json_number_value(json_array_get(v, 0));
		*hi = json_number_value(json_array_get(v, 1));
	}
}

static int read_samples(const json_t *obj, struct record *r)
{
	const json_t *wall = json_object_get(obj, "wall_s"), *samples = json_object_get(obj, "samples");
	const json_t *latq = json_object_get(obj, "task_latency_quantiles_s");

	if (json_is_array(wall) && json_array_size(wall) > 0) {
		r->nwall = json_array_size(wall);
		r->wall = malloc(r->nwall * sizeof(*r->wall));
		if (!r->wall)
			return -1;
		for (size_t k = 0; k < r->nwall; k++)
			r->wall[k] = json_number_value(json_array_get(wall, k));
	}
	if (json_is_array(samples) && json_array_size(samples) > 0) {
		r->nsamples = json_array_size(samples);
		r->samples = calloc(r->nsamples, sizeof(*r->samples));
		if (!r->samples)
			return -1;
		for (size_t k = 0; k < r->nsamples; k++) {
			const json_t *s = json_array_get(samples, k);
			struct record_sample *o = &r->samples[k];

			*o = (struct record_sample){
				.wall_s = number(s, "wall_s"), .user_s = number(s, "user_s"),
				.sys_s = number(s, "sys_s"), .fixture_cpu_s = number(s, "fixture_cpu_s"),
				.cores_busy = number(s, "cores_busy"), .nvcsw = integer(s, "nvcsw"),
				.nivcsw = integer(s, "nivcsw"), .max_rss_kb = integer(s, "max_rss_kb"),
				.task_p50_s = number(s, "task_p50_s"), .task_p99_s = number(s, "task_p99_s"),
				.foreign_cpu_s = number(s, "foreign_cpu_s"), .steal_s = number(s, "steal_s"),
				.tally = number(s, "tally"), .process_s = number(s, "process_s"),
				.disturbed = json_is_true(json_object_get(s, "disturbed")),
			};
			if (!kb_field(s, "pss_kb", &o->pss_kb) ||
			    !kb_field(s, "rss_kb", &o->rss_kb))
				return -1;
		}
	}
	if (json_is_array(latq) && json_array_size(latq) == LATENCY_QUANTILES) {
		r->nlatq = LATENCY_QUANTILES;
		for (size_t k = 0; k < LATENCY_QUANTILES; k++)
			r->latq[k] = json_number_value(json_array_get(latq, k));
	}
	return 0;
}

static void read_stats(const json_t *obj, struct record *r)
{
	struct stats *st = &r->wall_stats;
	const char *kind;

	st->n = r->nwall;
	st->median = number(obj, "median_s");
	pair(obj, "ci95", &st->ci_lo, &st->ci_hi);
	/* Files before the order-statistic CI have no ci_kind: bootstrap. */
	kind = json_string_value(json_object_get(obj, "ci_kind"));
	r->ci_bootstrap = !kind && r->nwall > 0;
	st->ci_coverage = kind && !strcmp(kind, "order-statistic") ? number(obj, "ci_coverage") : NAN;
	r->precision_target = number(obj, "precision_target");
	stop_reason_parse(json_string_value(json_object_get(obj, "stopped_by")), &r->stop);
	r->retaken = (size_t)integer(obj, "retaken_samples");
	r->disturbed = (size_t)integer(obj, "disturbed_samples");
	r->interference = json_is_true(json_object_get(obj, "interference"));
	r->foreign_cores = number(obj, "foreign_cores");
	r->steal_s = number(obj, "steal_s");
	st->min = number(obj, "min_s");
	st->max = number(obj, "max_s");
	st->mean = number(obj, "mean_s");
	st->stddev = number(obj, "stddev_s");
	st->cv = number(obj, "cv");
	st->outliers = (size_t)integer(obj, "outliers");
	r->user_s = number(obj, "user_s");
	r->sys_s = number(obj, "sys_s");
	r->cores_busy = number(obj, "cores_busy");
	r->nvcsw = number(obj, "nvcsw");
	r->nivcsw = number(obj, "nivcsw");
	r->task_p50_s = number(obj, "task_p50_s");
	r->task_p99_s = number(obj, "task_p99_s");
	r->fixture_cpu_s = number(obj, "fixture_cpu_s");
	r->max_rss_kb = number(obj, "max_rss_kb");
	r->fixture_max_rss_kb = number(obj, "fixture_max_rss_kb");
	r->rss_processes = integer(obj, "rss_processes");
}

/* The fields added with PSS and the fixture's clock; absent in older
 * files (NAN, none), refused when present and out of range. */
static int read_memory_and_clock(const json_t *obj, struct record *r)
{
	const json_t *clock = json_object_get(obj, "fixture_cpu_clock");

	const json_t *tally = json_object_get(obj, "tally");
	const json_t *stages = json_object_get(obj, "stages");

	if (!kb_field(obj, "pss_kb", &r->pss_kb) || !kb_field(obj, "rss_kb", &r->rss_kb))
		return -1;
	if (tally && !json_is_null(tally)) {
		const char *unit = json_string_value(json_object_get(tally, "unit"));

		if (!json_is_object(tally) || !unit || !unit[0] ||
		    strlen(unit) >= sizeof(r->tally_unit))
			return -1;
		snprintf(r->tally_unit, sizeof(r->tally_unit), "%s", unit);
		r->tally_expected = number(tally, "expected");
		r->tally_median = number(tally, "median");
		r->tally_min = number(tally, "min");
	}
	if (stages && !json_is_null(stages)) {
		if (!json_is_object(stages))
			return -1;
		r->has_stages = true;
		for (int f = 0; f < STAGE_FIELDS; f++)
			r->stages[f] = number(stages, stage_field_names[f]);
	}
	r->fixture_clock = FIXTURE_CLOCK_NONE;
	if (clock && !json_is_null(clock) &&
	    !fixture_clock_parse(json_string_value(clock), &r->fixture_clock))
		return -1;
	return 0;
}

int record_from_json(const json_t *obj, struct record *r)
{
	const json_t *workers = json_object_get(obj, "workers"), *tasks = json_object_get(obj, "tasks");
	const json_t *wp = json_object_get(obj, "whole_process");
	const char *source = json_string_value(json_object_get(obj, "source"));
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	const char *path = json_string_value(json_object_get(obj, "task_path"));
	enum record_source src = SOURCE_INPROCESS;
	const struct workload *w;

	record_init(r);
	if (!json_is_object(obj) || !json_is_string(json_object_get(obj, "workload")) ||
	    !json_is_string(json_object_get(obj, "strategy")) || !json_is_integer(workers) ||
	    json_integer_value(workers) < 1 || json_integer_value(workers) > RECORD_MAX_WORKERS ||
	    (tasks && (!json_is_integer(tasks) || json_integer_value(tasks) < 1 ||
		       json_integer_value(tasks) > RECORD_MAX_TASKS)) ||
	    (source && !record_source_parse(source, &src)) ||
	    !cell_status_parse(json_string_value(json_object_get(obj, "status")), &r->status))
		return -1;
	w = workload_find(json_string_value(json_object_get(obj, "workload")));
	if (kind ? !workload_kind_parse(kind, &r->kind) : !w)
		return -1;
	if (!kind)
		r->kind = w->kind;
	r->params = json_incref(json_object_get(obj, "params"));
	r->strategy_params = json_incref(json_object_get(obj, "strategy_params"));
	cell_id_fill(&r->id, src, json_string_value(json_object_get(obj, "workload")),
		     (size_t)json_integer_value(tasks), r->params,
		     json_string_value(json_object_get(obj, "strategy")), r->strategy_params,
		     json_string_value(json_object_get(obj, "runtime")),
		     (unsigned)json_integer_value(workers));
	copy_string(obj, "run_id", r->run_id, sizeof(r->run_id));
	copy_string(obj, "error", r->error, sizeof(r->error));
	copy_string(obj, "digest", r->digest, sizeof(r->digest));
	copy_string(obj, "reference_digest", r->reference_digest, sizeof(r->reference_digest));
	copy_string(obj, "reference_strategy", r->reference_strategy, sizeof(r->reference_strategy));
	copy_string(obj, "command", r->command, sizeof(r->command));
	r->digest_ok = json_is_true(json_object_get(obj, "digest_ok"));
	r->has_path = task_path_parse(path, &r->path);
	r->whole = (struct whole_process){
		.startup_s = number(wp, "startup_s"), .fixture_s = number(wp, "fixture_s"),
		.setup_s = number(wp, "setup_s"), .prepare_s = number(wp, "prepare_s"),
		.teardown_s = number(wp, "teardown_s"),
	};
	if (read_samples(obj, r) < 0 || read_memory_and_clock(obj, r) < 0)
		return -1;
	read_stats(obj, r);
	return 0;
}

/* ==== Writing ==== */

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *pair_json(double a, double b)
{
	if (!isfinite(a) || !isfinite(b))
		return json_null();
	return json_pack("[ff]", a, b);
}

const char *const stage_field_names[STAGE_FIELDS] = {
	[STAGE_FETCH_S] = "fetch_s", [STAGE_COMPUTE_S] = "compute_s", [STAGE_QUEUE_S] = "queue_s",
	[STAGE_FULL_WAITS] = "full_waits", [STAGE_FULL_WAIT_S] = "full_wait_s",
	[STAGE_EMPTY_WAITS] = "empty_waits", [STAGE_EMPTY_WAIT_S] = "empty_wait_s",
	[STAGE_DEPTH] = "depth",
};

void stage_values(const struct stage_stats *s, double v[STAGE_FIELDS])
{
	v[STAGE_FETCH_S] = s->fetch_s;
	v[STAGE_COMPUTE_S] = s->compute_s;
	v[STAGE_QUEUE_S] = s->queue_s;
	v[STAGE_FULL_WAITS] = (double)s->full_waits;
	v[STAGE_FULL_WAIT_S] = s->full_wait_s;
	v[STAGE_EMPTY_WAITS] = (double)s->empty_waits;
	v[STAGE_EMPTY_WAIT_S] = s->empty_wait_s;
	v[STAGE_DEPTH] = (double)s->depth;
}

static json_t *stages_json(const struct record *r)
{
	json_t *o;

	if (!r->has_stages)
		return json_null();
	o = json_object();
	for (int f = 0; f < STAGE_FIELDS; f++)
		json_object_set_new(o, stage_field_names[f], num(r->stages[f]));
	return o;
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

/* KiB as a whole number, or null. */
static json_t *kb(double v)
{
	return isfinite(v) ? json_integer((json_int_t)llround(v)) : json_null();
}

static json_t *samples_json(const struct record *r)
{
	json_t *a = json_array();

	for (size_t k = 0; k < r->nsamples; k++) {
		const struct record_sample *s = &r->samples[k];

		json_t *o = json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
			"wall_s", num(s->wall_s), "user_s", num(s->user_s), "sys_s", num(s->sys_s),
			"fixture_cpu_s", num(s->fixture_cpu_s), "cores_busy", num(s->cores_busy),
			"nvcsw", (json_int_t)s->nvcsw, "nivcsw", (json_int_t)s->nivcsw,
			"max_rss_kb", (json_int_t)s->max_rss_kb, "pss_kb", kb(s->pss_kb),
			"rss_kb", kb(s->rss_kb),
			"task_p50_s", num(s->task_p50_s), "task_p99_s", num(s->task_p99_s),
			"foreign_cpu_s", num(s->foreign_cpu_s), "steal_s", num(s->steal_s),
			"tally", num(s->tally), "disturbed", s->disturbed);

		/* Only a cell whose tasks ran in another program has its second clock. */
		if (isfinite(s->process_s))
			json_object_set_new(o, "process_s", json_real(s->process_s));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *whole_json(const struct whole_process *w)
{
	if (!isfinite(w->startup_s) && !isfinite(w->fixture_s) && !isfinite(w->setup_s) &&
	    !isfinite(w->prepare_s) && !isfinite(w->teardown_s))
		return NULL;
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "startup_s", num(w->startup_s),
			 "fixture_s", num(w->fixture_s), "setup_s", num(w->setup_s),
			 "prepare_s", num(w->prepare_s), "teardown_s", num(w->teardown_s));
}

json_t *record_to_json(const struct record *r)
{
	const struct stats *st = &r->wall_stats;
	bool have = r->nwall > 0;
	json_t *obj = json_object(), *wall = json_array(), *whole = whole_json(&r->whole);

	for (size_t k = 0; k < r->nwall; k++)
		json_array_append_new(wall, json_real(r->wall[k]));
	json_object_set_new(obj, "run_id", json_string(r->run_id));
	json_object_set_new(obj, "source", json_string(record_source_name(r->id.source)));
	json_object_set_new(obj, "workload", json_string(r->id.workload));
	json_object_set_new(obj, "kind", json_string(workload_kind_name(r->kind)));
	json_object_set_new(obj, "strategy", json_string(r->id.strategy));
	json_object_set_new(obj, "runtime", text_or_null(r->id.runtime));
	json_object_set_new(obj, "workers", json_integer(r->id.workers));
	json_object_set_new(obj, "tasks", json_integer((json_int_t)r->id.tasks));
	json_object_set_new(obj, "params", r->params ? json_incref(r->params) : json_object());
	json_object_set_new(obj, "strategy_params",
			    r->strategy_params ? json_incref(r->strategy_params) : json_object());
	json_object_set_new(obj, "status", json_string(cell_status_name(r->status)));
	json_object_set_new(obj, "error", r->status == CELL_OK ? json_null() : json_string(r->error));
	json_object_set_new(obj, "digest", text_or_null(r->digest));
	json_object_set_new(obj, "reference_digest", text_or_null(r->reference_digest));
	json_object_set_new(obj, "reference_strategy", text_or_null(r->reference_strategy));
	json_object_set_new(obj, "digest_ok", json_boolean(r->digest_ok));
	json_object_set_new(obj, "task_path",
			    r->has_path ? json_string(task_path_name(r->path)) : json_null());
	json_object_set_new(obj, "wall_s", wall);
	json_object_set_new(obj, "median_s", have ? num(st->median) : json_null());
	json_object_set_new(obj, "n", json_integer((json_int_t)r->nwall));
	json_object_set_new(obj, "ci95", have ? pair_json(st->ci_lo, st->ci_hi) : json_null());
	json_object_set_new(obj, "ci_kind", !have ? json_null()
					    : json_string(r->ci_bootstrap ? "bootstrap"
						 : isnan(st->ci_coverage) ? "range" : "order-statistic"));
	json_object_set_new(obj, "ci_coverage", have ? num(st->ci_coverage) : json_null());
	json_object_set_new(obj, "precision", have ? num(record_precision(r)) : json_null());
	json_object_set_new(obj, "precision_target", num(r->precision_target));
	json_object_set_new(obj, "precision_met",
			    isfinite(r->precision_target) ? json_boolean(record_precise(r)) : json_null());
	json_object_set_new(obj, "stopped_by", stop_reason_name(r->stop)
						       ? json_string(stop_reason_name(r->stop)) : json_null());
	json_object_set_new(obj, "retaken_samples", json_integer((json_int_t)r->retaken));
	json_object_set_new(obj, "disturbed_samples", json_integer((json_int_t)r->disturbed));
	json_object_set_new(obj, "interference", json_boolean(r->interference));
	json_object_set_new(obj, "foreign_cores", num(r->foreign_cores));
	json_object_set_new(obj, "steal_s", num(r->steal_s));
	json_object_set_new(obj, "min_s", have ? num(st->min) : json_null());
	json_object_set_new(obj, "max_s", have ? num(st->max) : json_null());
	json_object_set_new(obj, "mean_s", have ? num(st->mean) : json_null());
	json_object_set_new(obj, "stddev_s", have ? num(st->stddev) : json_null());
	json_object_set_new(obj, "cv", have ? num(st->cv) : json_null());
	json_object_set_new(obj, "outliers", json_integer((json_int_t)st->outliers));
	json_object_set_new(obj, "user_s", num(r->user_s));
	json_object_set_new(obj, "sys_s", num(r->sys_s));
	json_object_set_new(obj, "cores_busy", num(r->cores_busy));
	json_object_set_new(obj, "nvcsw", num(r->nvcsw));
	json_object_set_new(obj, "nivcsw", num(r->nivcsw));
	json_object_set_new(obj, "max_rss_kb",
			    isfinite(r->max_rss_kb) ? json_integer((json_int_t)r->max_rss_kb) : json_null());
	json_object_set_new(obj, "rss_processes", json_integer(r->rss_processes));
	json_object_set_new(obj, "pss_kb", kb(r->pss_kb));
	json_object_set_new(obj, "rss_kb", kb(r->rss_kb));
	json_object_set_new(obj, "tally", r->tally_unit[0]
		? json_pack("{s:s, s:o, s:o, s:o}", "unit", r->tally_unit,
			    "expected", num(r->tally_expected), "median", num(r->tally_median),
			    "min", num(r->tally_min))
		: json_null());
	json_object_set_new(obj, "stages", stages_json(r));
	json_object_set_new(obj, "fixture_cpu_s", num(r->fixture_cpu_s));
	json_object_set_new(obj, "fixture_cpu_clock", fixture_clock_name(r->fixture_clock)
				    ? json_string(fixture_clock_name(r->fixture_clock))
				    : json_null());
	json_object_set_new(obj, "fixture_max_rss_kb",
			    isfinite(r->fixture_max_rss_kb)
				    ? json_integer((json_int_t)r->fixture_max_rss_kb) : json_null());
	json_object_set_new(obj, "task_p50_s", num(r->task_p50_s));
	json_object_set_new(obj, "task_p99_s", num(r->task_p99_s));
	if (r->nlatq) {
		json_t *latq = json_array();

		for (size_t q = 0; q < r->nlatq; q++)
			json_array_append_new(latq, json_real(r->latq[q]));
		json_object_set_new(obj, "task_latency_quantiles_s", latq);
	} else {
		json_object_set_new(obj, "task_latency_quantiles_s", json_null());
	}
	json_object_set_new(obj, "samples", samples_json(r));
	if (r->command[0])
		json_object_set_new(obj, "command", json_string(r->command));
	if (whole)
		json_object_set_new(obj, "whole_process", whole);
	return obj;
}

/* ==== Sets ==== */

int records_add(struct record_set *set, struct record *r)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 64;
		struct record *grown = realloc(set->r, cap * sizeof(*grown));

		if (!grown)
			return -1;
		set->r = grown;
		set->cap = cap;
	}
	set->r[set->n++] = *r;
	record_init(r);
	return 0;
}

static int load_fail(FILE *f, char *line, struct record_set *set)
{
	free(line);
	fclose(f);
	records_free(set);
	return -1;
}

int records_load(const char *path, struct record_set *set, size_t *torn, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;

	memset(set, 0, sizeof(*set));
	if (torn)
		*torn = 0;
	if (!f) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t jerr;
		json_t *obj;
		struct record r;

		lineno++;
		if (line[len - 1] != '\n') {
			if (torn)
				(*torn)++; /* the cell in flight when a run was killed */
			break;
		}
		obj = json_loadb(line, (size_t)len, 0, &jerr);
		if (!obj || record_from_json(obj, &r) < 0) {
			snprintf(err, errlen, "%s line %zu is not a cell: %s", path, lineno,
				 obj ? "fields missing or out of range" : jerr.text);
			if (obj)
				record_free(&r);
			json_decref(obj);
			return load_fail(f, line, set);
		}
		json_decref(obj);
		if (records_add(set, &r) < 0) {
			record_free(&r);
			snprintf(err, errlen, "out of memory");
			return load_fail(f, line, set);
		}
	}
	free(line);
	fclose(f);
	records_derive(set);
	return 0;
}

void records_free(struct record_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		record_free(&set->r[i]);
	free(set->r);
	memset(set, 0, sizeof(*set));
}

size_t records_group(const struct record_set *set, size_t *group)
{
	size_t ngroups = 0;

	for (size_t i = 0; i < set->n; i++) {
		group[i] = ngroups;
		for (size_t j = 0; j < i; j++) {
			if (cell_id_same_experiment(&set->r[i].id, &set->r[j].id)) {
				group[i] = group[j];
				break;
			}
		}
		if (group[i] == ngroups)
			ngroups++;
	}
	return ngroups;
}

size_t records_of_group(const struct record_set *set, const size_t *group, size_t g, size_t *idx)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		if (group[i] == g)
			idx[n++] = i;
	return n;
}

static int registry_rank(const char *name)
{
	for (int i = 0; strategy_registry[i]; i++)
		if (!strcmp(strategy_registry[i]->name, name))
			return i;
	return -1;
}

size_t records_variants(const struct record_set *set, const size_t *idx, size_t n,
			struct variant *out, size_t max)
{
	size_t nv = 0;

	/* Distinct variants as first seen... */
	for (size_t k = 0; k < n && nv < max; k++) {
		const struct cell_id *id = &set->r[idx[k]].id;
		size_t v = 0;

		while (v < nv && !cell_id_same_variant(out[v].id, id))
			v++;
		if (v == nv)
			out[nv++] = (struct variant){ .id = id, .rank = registry_rank(id->strategy) };
	}
	/* ...then known strategies in registry order, unknown ones after them
	 * (a stable insertion sort keeps first-seen order among equals). */
	for (size_t a = 1; a < nv; a++) {
		struct variant x = out[a];
		unsigned kx = x.rank >= 0 ? (unsigned)x.rank : ~0u;
		size_t b = a;

		while (b > 0 && (out[b - 1].rank >= 0 ? (unsigned)out[b - 1].rank : ~0u) > kx) {
			out[b] = out[b - 1];
			b--;
		}
		out[b] = x;
	}
	for (size_t v = 0; v < nv; v++) {
		const struct strategy *st = out[v].rank >= 0 ? strategy_registry[out[v].rank] : NULL;
		int paired = st && st->traits.counterpart ? registry_rank(st->traits.counterpart) : -1;

		out[v].style = out[v].rank >= 0 ? out[v].rank + 1 : VARIANT_UNKNOWN_STYLE;
		out[v].nth = 0;
		for (size_t u = 0; u < v; u++)
			out[v].nth += !strcmp(out[u].id->strategy, out[v].id->strategy);
		/* Another runtime's strategy takes the colour of the one here that
		 * models it, dashed: py.threading is gil's colour. */
		if (paired >= 0) {
			out[v].style = paired + 1;
			out[v].nth++;
		}
	}
	return nv;
}

/* ==== Derived ==== */

/* Whether b's strategy is the baseline of runtime (this program's: the
 * reference strategy; another runtime's: its STRATEGY_RUNTIME_BASELINE
 * strategy). */
static bool is_baseline(const struct record *b, const char *runtime)
{
	const struct strategy *st = strategy_find(b->id.strategy);

	if (strcmp(b->id.runtime, runtime))
		return false;
	if (!runtime[0])
		return st == strategy_reference();
	return st && (st->flags & STRATEGY_RUNTIME_BASELINE);
}

/* The experiment's reference cell for r: its runtime's baseline's ok
 * cell of the same experiment. */
static const struct record *baseline_of(const struct record_set *set, const struct record *r)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct record *b = &set->r[i];

		if (record_ok(b) && is_baseline(b, r->id.runtime) &&
		    cell_id_same_experiment(&b->id, &r->id))
			return b;
	}
	return NULL;
}

void records_derive(struct record_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct record *r = &set->r[i];
		const struct record *b = baseline_of(set, r);

		r->speedup = r->speedup_lo = r->speedup_hi = NAN;
		if (!b || !record_ok(r))
			continue;
		r->speedup = b->wall_stats.median / r->wall_stats.median;
		if (stats_ratio_ci(b->wall, b->nwall, r->wall, r->nwall, &r->speedup_lo,
				   &r->speedup_hi) < 0)
			r->speedup_lo = r->speedup_hi = NAN;
	}
}
