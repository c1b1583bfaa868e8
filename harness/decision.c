/*
 * decision.c - the decision map (see decision.h).
 */
#include "decision.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The map of (workload, runtime, workers), made when absent and room is left. */
static struct decision_map *map_for(struct decision_map *maps, size_t *n, size_t max,
				    const char *workload, const char *runtime, unsigned workers)
{
	for (size_t k = 0; k < *n; k++)
		if (maps[k].workers == workers && !strcmp(maps[k].workload, workload) &&
		    !strcmp(maps[k].runtime, runtime))
			return &maps[k];
	if (*n == max)
		return NULL;
	memset(&maps[*n], 0, sizeof(maps[*n]));
	snprintf(maps[*n].workload, sizeof(maps[*n].workload), "%s", workload);
	snprintf(maps[*n].runtime, sizeof(maps[*n].runtime), "%s", runtime);
	maps[*n].workers = workers;
	return &maps[(*n)++];
}

/* The point at share, made when absent; -1 when there is no room. */
static int point_for(struct decision_map *m, double share)
{
	for (size_t p = 0; p < m->npoints; p++)
		if (m->point[p].share == share)
			return (int)p;
	if (m->npoints == DECISION_POINTS)
		return -1;
	m->point[m->npoints].share = share;
	for (size_t l = 0; l < DECISION_LINES; l++)
		m->point[m->npoints].speedup[l] = NAN;
	m->point[m->npoints].all.winner = m->point[m->npoints].whole.winner = -1;
	return (int)m->npoints++;
}

static int line_for(struct decision_map *m, const struct variant *v)
{
	for (size_t l = 0; l < m->nlines; l++)
		if (!strcmp(m->label[l], v->id->label))
			return (int)l;
	if (m->nlines == DECISION_LINES)
		return -1;
	snprintf(m->label[m->nlines], sizeof(m->label[0]), "%s", v->id->label);
	m->style[m->nlines] = v->style;
	m->nth[m->nlines] = v->nth;
	return (int)m->nlines++;
}

/* Points in ascending share. */
static void sort_points(struct decision_map *m)
{
	for (size_t a = 1; a < m->npoints; a++)
		for (size_t b = a; b > 0 && m->point[b - 1].share > m->point[b].share; b--) {
			struct decision_point t = m->point[b];

			m->point[b] = m->point[b - 1];
			m->point[b - 1] = t;
		}
}

/* The fastest of the cells at[] (the lines that ran apart only when
 * apart_too), and which others tie with it. */
static void pick(const struct decision_map *m, const struct record *const *at, bool apart_too,
		 struct decision_pick *out)
{
	const struct record *best = NULL;

	memset(out, 0, sizeof(*out));
	out->winner = -1;
	for (size_t l = 0; l < m->nlines; l++)
		if (at[l] && (apart_too || !m->apart[l]) &&
		    (!best || at[l]->wall_stats.median < best->wall_stats.median)) {
			best = at[l];
			out->winner = (int)l;
			out->disturbed = at[l]->interference;
		}
	for (size_t l = 0; best && l < m->nlines; l++)
		out->tie[l] = at[l] && at[l] != best && (apart_too || !m->apart[l]) &&
			      record_overlap(at[l], best);
}

/* One experiment's ok cells into the maps of its workload. */
static void add_experiment(const struct record_set *set, const size_t *idx, size_t n,
			   double share, const struct variant *vars, size_t nv,
			   struct decision_map *maps, size_t *nmaps, size_t max)
{
	for (size_t k = 0; k < n; k++) {
		const struct record *r = &set->r[idx[k]];
		const struct record *at[DECISION_LINES] = { 0 };
		struct decision_map *m;
		int p;

		if (!record_ok(r))
			continue;
		m = map_for(maps, nmaps, max, r->id.workload, r->id.runtime, r->id.workers);
		if (!m || (p = point_for(m, share)) < 0 || m->point[p].all.winner >= 0)
			continue; /* full, or this point was filled by an experiment before */
		/* Every variant's cell at this worker count. */
		for (size_t j = 0; j < n; j++) {
			const struct record *c = &set->r[idx[j]];
			int l = -1;

			if (!record_ok(c) || c->id.workers != r->id.workers ||
			    strcmp(c->id.runtime, r->id.runtime))
				continue;
			for (size_t v = 0; v < nv; v++)
				if (cell_id_same_variant(&c->id, vars[v].id))
					l = line_for(m, &vars[v]);
			if (l < 0)
				continue;
			m->point[p].speedup[l] = c->speedup;
			at[l] = c;
			m->apart[l] |= c->has_stages;
			m->any_apart |= c->has_stages;
		}
		pick(m, at, true, &m->point[p].all);
		pick(m, at, false, &m->point[p].whole);
	}
}

/* Whether two lines have a speedup at some share. */
static bool drawable(const struct decision_map *m)
{
	size_t lines = 0;

	for (size_t l = 0; l < m->nlines; l++) {
		bool any = false;

		for (size_t p = 0; p < m->npoints; p++)
			any |= isfinite(m->point[p].speedup[l]) != 0;
		lines += any;
	}
	return lines >= 2;
}

size_t decision_maps(const struct record_set *set, const size_t *group, size_t ngroups,
		     struct decision_map *maps, size_t max)
{
	size_t *idx = calloc(set->n ? set->n : 1, sizeof(*idx));
	size_t *all = calloc(set->n ? set->n : 1, sizeof(*all));
	struct variant vars[DECISION_LINES];
	size_t nmaps = 0, kept = 0;

	if (!idx || !all)
		goto out;
	for (size_t g = 0; g < ngroups; g++) {
		size_t n = records_of_group(set, group, g, idx), nall = 0, nv;
		const struct record *first = &set->r[idx[0]];
		double share = n ? cell_compute_share(first->id.workload, first->params) : NAN;

		if (!isfinite(share))
			continue;
		/* Variants over every cell of the workload: one colour each
		 * across the map, whichever experiment a cell is in. */
		for (size_t i = 0; i < set->n; i++)
			if (!strcmp(set->r[i].id.workload, first->id.workload))
				all[nall++] = i;
		nv = records_variants(set, all, nall, vars, DECISION_LINES);
		add_experiment(set, idx, n, share, vars, nv, maps, &nmaps, max);
	}
	/* A map needs two shares at least, two strategies to choose from, and
	 * speedups to draw (another runtime's need its baseline's cells). */
	for (size_t k = 0; k < nmaps; k++)
		if (maps[k].npoints >= 2 && maps[k].nlines >= 2 && drawable(&maps[k])) {
			if (kept != k)
				maps[kept] = maps[k];
			sort_points(&maps[kept]);
			kept++;
		}
out:
	free(idx);
	free(all);
	return kept;
}

void decision_chart_name(const struct decision_map *m, char *buf, size_t len)
{
	/* Within a file stem's 96 bytes. */
	snprintf(buf, len, "map-%.40s%s%.30s-w%u", m->workload, m->runtime[0] ? "-" : "",
		 m->runtime, m->workers);
	/* A stored workload name becomes a file name: keep it plain. */
	for (char *p = buf; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			*p = '_';
}
