/*
 * record.c - reading cells back from results.jsonl (see record.h).
 */
#include "record.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void pair(const json_t *obj, const char *key, double *lo, double *hi)
{
	const json_t *v = json_object_get(obj, key);

	*lo = *hi = NAN;
	if (json_is_array(v) && json_array_size(v) == 2) {
		*lo = json_number_value(json_array_get(v, 0));
		*hi = json_number_value(json_array_get(v, 1));
	}
}

/* "name=value name=value", in the object's (declaration) order. */
void record_params_text(const json_t *obj, char *buf, size_t len)
{
	const char *key;
	json_t *v;
	size_t used = 0;

	buf[0] = '\0';
	if (!json_is_object(obj))
		return;
	json_object_foreach((json_t *)obj, key, v) {
		char val[256];

		if (json_is_string(v) && !json_string_value(v)[0])
			continue; /* an empty text is the default: nothing to say */
		if (json_is_string(v))
			snprintf(val, sizeof(val), "%s", json_string_value(v));
		else if (json_is_boolean(v))
			snprintf(val, sizeof(val), "%s", json_is_true(v) ? "on" : "off");
		else if (json_is_integer(v))
			snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		else
			snprintf(val, sizeof(val), "%g", json_number_value(v));
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "", key,
						 val);
	}
}

int record_from_json(const json_t *obj, struct record *r)
{
	const json_t *wall = json_object_get(obj, "wall_s");
	const json_t *latq = json_object_get(obj, "task_latency_quantiles_s");

	memset(r, 0, sizeof(*r));
	if (!json_is_object(obj) || !json_is_string(json_object_get(obj, "workload")) ||
	    !json_is_string(json_object_get(obj, "strategy")) ||
	    !json_is_integer(json_object_get(obj, "workers")))
		return -1;
	copy_string(obj, "source", r->source, sizeof(r->source));
	if (!r->source[0])
		snprintf(r->source, sizeof(r->source), "concbench");
	copy_string(obj, "command", r->command, sizeof(r->command));
	{
		const json_t *wp = json_object_get(obj, "whole_process");

		r->startup_s = number(wp, "startup_s");
		r->fixture_s = number(wp, "fixture_s");
		r->setup_s = number(wp, "setup_s");
		r->prepare_s = number(wp, "prepare_s");
		r->teardown_s = number(wp, "teardown_s");
	}
	copy_string(obj, "workload", r->workload, sizeof(r->workload));
	copy_string(obj, "kind", r->kind, sizeof(r->kind));
	copy_string(obj, "strategy", r->strategy, sizeof(r->strategy));
	copy_string(obj, "status", r->status, sizeof(r->status));
	copy_string(obj, "reference_strategy", r->reference_strategy, sizeof(r->reference_strategy));
	copy_string(obj, "digest", r->digest, sizeof(r->digest));
	copy_string(obj, "error", r->error, sizeof(r->error));
	record_params_text(json_object_get(obj, "params"), r->params, sizeof(r->params));
	record_params_text(json_object_get(obj, "strategy_params"), r->strategy_params,
		    sizeof(r->strategy_params));
	r->workers = (unsigned)json_integer_value(json_object_get(obj, "workers"));
	r->tasks = (size_t)json_integer_value(json_object_get(obj, "tasks"));
	r->digest_ok = json_is_true(json_object_get(obj, "digest_ok"));
	r->median = number(obj, "median_s");
	pair(obj, "ci95", &r->ci_lo, &r->ci_hi);
	r->speedup = number(obj, "speedup");
	pair(obj, "speedup_ci95", &r->speedup_lo, &r->speedup_hi);
	r->user_s = number(obj, "user_s");
	r->sys_s = number(obj, "sys_s");
	r->cores_busy = number(obj, "cores_busy");
	r->task_p50_s = number(obj, "task_p50_s");
	r->task_p99_s = number(obj, "task_p99_s");
	r->fixture_cpu_s = number(obj, "fixture_cpu_s");
	r->max_rss_kb = number(obj, "max_rss_kb");
	r->fixture_max_rss_kb = number(obj, "fixture_max_rss_kb");
	r->rss_processes = (long)json_integer_value(json_object_get(obj, "rss_processes"));
	if (json_is_array(wall) && json_array_size(wall) > 0) {
		r->nwall = json_array_size(wall);
		r->wall = malloc(r->nwall * sizeof(*r->wall));
		if (!r->wall)
			return -1;
		for (size_t k = 0; k < r->nwall; k++)
			r->wall[k] = json_number_value(json_array_get(wall, k));
	}
	if (json_is_array(latq) && json_array_size(latq) == RECORD_LATQ) {
		r->nlatq = RECORD_LATQ;
		for (size_t k = 0; k < RECORD_LATQ; k++)
			r->latq[k] = json_number_value(json_array_get(latq, k));
	}
	return 0;
}

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
	r->wall = NULL;
	return 0;
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
				 obj ? "fields missing" : jerr.text);
			json_decref(obj);
			free(line);
			fclose(f);
			records_free(set);
			return -1;
		}
		json_decref(obj);
		if (records_add(set, &r) < 0) {
			free(r.wall);
			snprintf(err, errlen, "out of memory");
			free(line);
			fclose(f);
			records_free(set);
			return -1;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

void records_free(struct record_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->r[i].wall);
	free(set->r);
	memset(set, 0, sizeof(*set));
}

void record_experiment_key(const struct record *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s|%s|%zu|%s", r->source, r->workload, r->tasks, r->params);
}

bool record_same_workload(const struct record *a, const struct record *b)
{
	return !strcmp(a->workload, b->workload) && a->tasks == b->tasks &&
	       !strcmp(a->params, b->params);
}

bool record_same_experiment(const struct record *a, const struct record *b)
{
	return !strcmp(a->source, b->source) && record_same_workload(a, b);
}

void record_cell_key(const struct record *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s|%s|%zu|%s|%s|%s|%u", r->source, r->workload, r->tasks, r->params,
		 r->strategy, r->strategy_params, r->workers);
}

bool record_ok(const struct record *r)
{
	return !strcmp(r->status, "ok") && r->nwall > 0 && isfinite(r->median);
}
