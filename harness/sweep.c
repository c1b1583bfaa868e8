/*
 * sweep.c - experiments that differ in one workload parameter (see
 * sweep.h).
 */
#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Experiments that share everything but one parameter's value. */
struct family {
	char *signature;           /* workload, tasks and the other parameters */
	char key[64];
	size_t ngroups;
	size_t group[SWEEP_VALUES];
	json_t *value[SWEEP_VALUES]; /* borrowed from the first cell's params */
};

static char *signature_without(const struct record *r, const char *key)
{
	json_t *rest = json_deep_copy(r->params);
	char *params, *sig = NULL;

	if (!rest)
		return NULL;
	json_object_del(rest, key);
	params = json_dumps(rest, JSON_SORT_KEYS | JSON_COMPACT);
	if (params && asprintf(&sig, "%s|%zu|%s", r->id.workload, r->id.tasks, params) < 0)
		sig = NULL;
	free(params);
	json_decref(rest);
	return sig;
}

static void add_to_family(struct family *fam, size_t *nfam, size_t maxfam, const char *key,
			  char *sig, size_t g, json_t *value)
{
	struct family *f = NULL;

	for (size_t k = 0; k < *nfam && !f; k++)
		if (!strcmp(fam[k].key, key) && !strcmp(fam[k].signature, sig))
			f = &fam[k];
	if (!f) {
		if (*nfam == maxfam) {
			free(sig);
			return;
		}
		f = &fam[(*nfam)++];
		memset(f, 0, sizeof(*f));
		f->signature = sig;
		snprintf(f->key, sizeof(f->key), "%s", key);
	} else {
		free(sig);
	}
	for (size_t k = 0; k < f->ngroups; k++)
		if (json_equal(f->value[k], value))
			return; /* one experiment per value */
	if (f->ngroups < SWEEP_VALUES) {
		f->group[f->ngroups] = g;
		f->value[f->ngroups++] = value;
	}
}

/* Numeric order when every value is a number; else as first seen. */
static void sort_family(struct family *f)
{
	for (size_t k = 0; k < f->ngroups; k++)
		if (!json_is_number(f->value[k]))
			return;
	for (size_t a = 1; a < f->ngroups; a++)
		for (size_t b = a; b > 0 && json_number_value(f->value[b - 1]) >
						 json_number_value(f->value[b]); b--) {
			json_t *v = f->value[b];
			size_t g = f->group[b];

			f->value[b] = f->value[b - 1];
			f->group[b] = f->group[b - 1];
			f->value[b - 1] = v;
			f->group[b - 1] = g;
		}
}

static int line_of(struct sweep *s, const char *label)
{
	for (size_t l = 0; l < s->nlines; l++)
		if (!strcmp(s->label[l], label))
			return (int)l;
	if (s->nlines == SWEEP_LINES)
		return -1;
	snprintf(s->label[s->nlines], sizeof(s->label[0]), "%s", label);
	return (int)s->nlines++;
}

/* The family's sweep at `workers`; false when it has too little. */
static bool fill_sweep(const struct record_set *set, const size_t *group, const struct family *f,
		       unsigned workers, size_t *idx, struct sweep *s)
{
	size_t values_with_two = 0;

	memset(s, 0, sizeof(*s));
	s->workers = workers;
	snprintf(s->key, sizeof(s->key), "%s", f->key);
	s->nvalues = f->ngroups;
	for (size_t v = 0; v < f->ngroups; v++) {
		size_t n = records_of_group(set, group, f->group[v], idx), here = 0;
		json_t *one = json_object();
		char text[120];

		json_object_set(one, f->key, f->value[v]);
		cell_params_text(one, text, sizeof(text));
		json_decref(one);
		/* "key=value": the value alone. */
		snprintf(s->value[v], sizeof(s->value[v]), "%s",
			 strchr(text, '=') ? strchr(text, '=') + 1 : text);
		s->experiment[v] = f->group[v] + 1;
		if (v == 0 && n)
			snprintf(s->workload, sizeof(s->workload), "%s", set->r[idx[0]].id.workload);
		for (size_t k = 0; k < n; k++) {
			const struct record *r = &set->r[idx[k]];
			int l;

			if (r->id.workers != workers || !record_ok(r) ||
			    (l = line_of(s, r->id.label)) < 0)
				continue;
			if (!s->cell[v][l] || r->wall_stats.median < s->cell[v][l]->wall_stats.median)
				s->cell[v][l] = r;
			here++;
		}
		values_with_two += here >= 2;
	}
	return s->nlines >= 2 && values_with_two >= 2;
}

size_t sweeps_find(const struct record_set *set, const size_t *group, size_t ngroups,
		   struct sweep *out, size_t max)
{
	enum { MAX_FAMILIES = 64 };
	struct family *fam = calloc(MAX_FAMILIES, sizeof(*fam));
	size_t *idx = calloc(set->n ? set->n : 1, sizeof(*idx));
	size_t nfam = 0, nout = 0;

	if (!fam || !idx)
		goto out;
	for (size_t g = 0; g < ngroups; g++) {
		size_t n = records_of_group(set, group, g, idx);
		const struct record *first = n ? &set->r[idx[0]] : NULL;
		const char *key;
		json_t *v;

		if (!first || first->id.source == SOURCE_HYPERFINE || !json_is_object(first->params))
			continue;
		json_object_foreach(first->params, key, v) {
			char *sig = signature_without(first, key);

			if (sig)
				add_to_family(fam, &nfam, MAX_FAMILIES, key, sig, g, v);
		}
	}
	for (size_t k = 0; k < nfam && nout < max; k++) {
		unsigned counts[64];
		size_t ncounts = 0;

		if (fam[k].ngroups < 2)
			continue;
		sort_family(&fam[k]);
		/* Every worker count any of its cells ran at, once. */
		for (size_t v = 0; v < fam[k].ngroups; v++) {
			size_t n = records_of_group(set, group, fam[k].group[v], idx);

			for (size_t j = 0; j < n; j++) {
				unsigned w = set->r[idx[j]].id.workers;
				size_t c = 0;

				while (c < ncounts && counts[c] != w)
					c++;
				if (c == ncounts && ncounts < 64)
					counts[ncounts++] = w;
			}
		}
		for (size_t a = 1; a < ncounts; a++)
			for (size_t b = a; b > 0 && counts[b - 1] > counts[b]; b--) {
				unsigned t = counts[b];

				counts[b] = counts[b - 1];
				counts[b - 1] = t;
			}
		for (size_t c = 0; c < ncounts && nout < max; c++)
			if (fill_sweep(set, group, &fam[k], counts[c], idx, &out[nout]))
				nout++;
	}
out:
	for (size_t k = 0; fam && k < nfam; k++)
		free(fam[k].signature);
	free(fam);
	free(idx);
	return nout;
}
