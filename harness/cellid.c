/*
 * cellid.c - a cell's identity and its label (see cellid.h).
 */
#include "cellid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const source_names[] = {
	[SOURCE_INPROCESS] = "concbench",
	[SOURCE_HYPERFINE] = "hyperfine",
};

const char *record_source_name(enum record_source source)
{
	return (size_t)source < sizeof(source_names) / sizeof(source_names[0]) ? source_names[source]
									      : "?";
}

bool record_source_parse(const char *name, enum record_source *source)
{
	int k = names_find(source_names, sizeof(source_names) / sizeof(source_names[0]), name);

	if (k >= 0)
		*source = (enum record_source)k;
	return k >= 0;
}

json_t *cell_params_json(const struct param_spec *specs, const struct param_values *vals)
{
	json_t *o = json_object();

	for (size_t i = 0; specs[i].name && i < vals->count; i++) {
		char text[PARAM_STR_MAX];

		switch (specs[i].type) {
		case PARAM_STRING:
			json_object_set_new(o, specs[i].name, json_string(vals->sval[i]));
			break;
		case PARAM_BOOL:
			json_object_set_new(o, specs[i].name, json_boolean(vals->ival[i]));
			break;
		case PARAM_ENUM:
			param_format(&specs[i], vals, i, text, sizeof(text));
			json_object_set_new(o, specs[i].name, json_string(text));
			break;
		case PARAM_INT:
			json_object_set_new(o, specs[i].name, json_integer(vals->ival[i]));
			break;
		}
	}
	return o;
}

/* A parameter value as text, the way param_format writes it. */
static void value_text(const json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "on" : "off");
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_number(v))
		snprintf(buf, len, "%g", json_number_value(v));
	else
		snprintf(buf, len, "?");
}

void cell_params_text(const json_t *obj, char *buf, size_t len)
{
	const char *key;
	json_t *v;
	size_t used = 0;

	buf[0] = '\0';
	if (!json_is_object(obj))
		return;
	json_object_foreach((json_t *)obj, key, v) {
		char val[PARAM_STR_MAX];

		if (json_is_string(v) && !json_string_value(v)[0])
			continue; /* an empty text is the default: nothing to say */
		value_text(v, val, sizeof(val));
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "", key,
						 val);
	}
}

/* Whether a stored strategy parameter holds its declared default; false
 * for a strategy or a parameter this build does not know. */
static bool is_default(const struct strategy *s, const char *name, const json_t *v)
{
	struct param_values defs;
	char want[PARAM_STR_MAX], have[PARAM_STR_MAX];
	int k = s ? param_index(s->params, name) : -1;

	if (k < 0 || k >= PARAM_MAX)
		return false;
	param_defaults(s->params, &defs);
	param_format(&s->params[k], &defs, (size_t)k, want, sizeof(want));
	value_text(v, have, sizeof(have));
	return !strcmp(want, have);
}

/* Stored parameters parsed against a table: a value this build would
 * refuse, or one it does not declare, keeps its default. */
static void stored_values(const struct param_spec *table, const json_t *stored,
			  struct param_values *vals)
{
	const char *key;
	json_t *v;

	param_defaults(table, vals);
	json_object_foreach((json_t *)stored, key, v) {
		char text[PARAM_STR_MAX], err[128];
		int k = param_index(table, key);

		value_text(v, text, sizeof(text));
		if (k >= 0 && k < PARAM_MAX)
			param_parse_value(&table[k], text, vals, (size_t)k, err, sizeof(err));
	}
}

const struct strategy *cell_strategy_traits(const char *strategy, const json_t *sparams,
					    struct strategy_traits *traits)
{
	const struct strategy *s = strategy_find(strategy);
	struct param_values vals;

	if (!s)
		return NULL;
	*traits = s->traits;
	if (!s->traits_for)
		return s;
	stored_values(s->params, sparams, &vals);
	s->traits_for(&vals, traits);
	return s;
}

double cell_compute_share(const char *workload, const json_t *params)
{
	const struct workload *w = workload_find(workload);
	struct param_values vals;

	if (!w || !w->compute_share)
		return NAN;
	stored_values(w->params, params, &vals);
	return w->compute_share(&vals);
}

static void make_label(struct cell_id *id, const json_t *sparams)
{
	const struct strategy *s = strategy_find(id->strategy);
	size_t used = (size_t)snprintf(id->label, sizeof(id->label), "%s", id->strategy);
	const char *key;
	json_t *v;
	bool any = false;

	json_object_foreach((json_t *)sparams, key, v) {
		char val[PARAM_STR_MAX];

		if (is_default(s, key, v) || used >= sizeof(id->label))
			continue;
		value_text(v, val, sizeof(val));
		used += (size_t)snprintf(id->label + used, sizeof(id->label) - used, "%s%s=%s",
					 any ? "," : "[", key, val);
		any = true;
	}
	if (any && used < sizeof(id->label))
		used += (size_t)snprintf(id->label + used, sizeof(id->label) - used, "]");
	if (id->runtime[0] && used < sizeof(id->label))
		snprintf(id->label + used, sizeof(id->label) - used, "@%s", id->runtime);
}

void cell_id_fill(struct cell_id *id, enum record_source source, const char *workload,
		  size_t tasks, const json_t *wparams, const char *strategy, const json_t *sparams,
		  const char *runtime, unsigned workers)
{
	memset(id, 0, sizeof(*id));
	id->source = source;
	snprintf(id->workload, sizeof(id->workload), "%s", workload ? workload : "");
	id->tasks = tasks;
	cell_params_text(wparams, id->params, sizeof(id->params));
	snprintf(id->strategy, sizeof(id->strategy), "%s", strategy ? strategy : "");
	cell_params_text(sparams, id->strategy_params, sizeof(id->strategy_params));
	snprintf(id->runtime, sizeof(id->runtime), "%s", runtime ? runtime : "");
	id->workers = workers;
	make_label(id, sparams);
}

void cell_id_key(const struct cell_id *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s|%s|%zu|%s|%s|%s|%s|%u", record_source_name(id->source), id->workload,
		 id->tasks, id->params, id->strategy, id->strategy_params, id->runtime, id->workers);
}

bool cell_id_same_experiment(const struct cell_id *a, const struct cell_id *b)
{
	return a->source == b->source && !strcmp(a->workload, b->workload) && a->tasks == b->tasks &&
	       !strcmp(a->params, b->params);
}

bool cell_id_same_variant(const struct cell_id *a, const struct cell_id *b)
{
	return !strcmp(a->strategy, b->strategy) && !strcmp(a->strategy_params, b->strategy_params) &&
	       !strcmp(a->runtime, b->runtime);
}

bool cell_id_same_but_source(const struct cell_id *a, const struct cell_id *b)
{
	return !strcmp(a->workload, b->workload) && a->tasks == b->tasks &&
	       !strcmp(a->params, b->params) && cell_id_same_variant(a, b) && a->workers == b->workers;
}

bool cell_id_equal(const struct cell_id *a, const struct cell_id *b)
{
	return cell_id_same_experiment(a, b) && cell_id_same_variant(a, b) && a->workers == b->workers;
}
