/*
 * profile.c - parsing matrix profiles (see profile.h, docs/profiles.md).
 *
 * A profile is lines of whitespace-separated words. `repeat N`, `warmup N`
 * and `timeout N` set defaults for the experiment lines after them. Any
 * other line is an experiment: a workload name, then key=value words:
 * strategies, workers, tasks, repeat, warmup, timeout, reference, or a
 * workload or strategy parameter. `#` starts a comment.
 */
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"

const char *profile_builtin(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "profiles/%s.profile", name);
	return embedded_find(path);
}

const char *profile_builtin_names(void)
{
	return "quick, full";
}

static _Noreturn void profile_error(const char *where, const char *what, const char *got)
{
	fprintf(stderr, "concbench: %s: %s, got '%s'\n", where, what, got);
	exit(2);
}

void profile_parse(const char *name, const char *text, struct profile *p)
{
	const char *repeat = NULL, *warmup = NULL, *timeout = NULL;
	size_t lineno = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->text = strdup(text);
	if (!p->text)
		profile_error(name, "out of memory", "");
	for (char *line = p->text, *next; line; line = next) {
		struct profile_line *pl;
		char where[96], *save = NULL, *word;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "#")] = '\0';
		snprintf(where, sizeof(where), "profile '%s' line %zu", name, lineno);
		word = strtok_r(line, " \t\r", &save);
		if (!word)
			continue;
		if (!strcmp(word, "repeat") || !strcmp(word, "warmup") || !strcmp(word, "timeout")) {
			const char *v = strtok_r(NULL, " \t\r", &save);

			if (!v || strtok_r(NULL, " \t\r", &save))
				profile_error(where, "expected one value after the setting", word);
			if (!strcmp(word, "repeat"))
				repeat = v;
			else if (!strcmp(word, "warmup"))
				warmup = v;
			else
				timeout = v;
			continue;
		}
		if (p->n == PROFILE_MAX_EXPERIMENTS)
			profile_error(where, "too many experiments (at most 64)", word);
		pl = &p->lines[p->n++];
		snprintf(pl->where, sizeof(pl->where), "%s", where);
		pl->lineno = lineno;
		pl->spec.where = pl->where;
		pl->spec.workload = word;
		pl->spec.repeat = repeat;
		pl->spec.warmup = warmup;
		pl->spec.timeout = timeout;
		while ((word = strtok_r(NULL, " \t\r", &save))) {
			char *eq = strchr(word, '=');
			const char **slot = NULL;

			if (!eq || eq == word)
				profile_error(where, "expected key=value", word);
			*eq = '\0';
			if (!strcmp(word, "strategies"))
				slot = &pl->spec.strategies;
			else if (!strcmp(word, "workers"))
				slot = &pl->spec.workers;
			else if (!strcmp(word, "tasks"))
				slot = &pl->spec.tasks;
			else if (!strcmp(word, "repeat"))
				slot = &pl->spec.repeat;
			else if (!strcmp(word, "warmup"))
				slot = &pl->spec.warmup;
			else if (!strcmp(word, "timeout"))
				slot = &pl->spec.timeout;
			else if (!strcmp(word, "reference"))
				slot = &pl->spec.reference;
			if (slot && *slot && slot != &pl->spec.repeat && slot != &pl->spec.warmup &&
			    slot != &pl->spec.timeout)
				profile_error(where, "a key given twice on one line", word);
			if (slot) {
				*slot = eq + 1;
				continue;
			}
			*eq = '='; /* a parameter: cli_resolve checks it */
			if (pl->spec.nparams == CLI_MAX_PARAMS)
				profile_error(where, "too many parameters", word);
			pl->spec.params[pl->spec.nparams++] = word;
		}
	}
	if (p->n == 0) {
		fprintf(stderr, "concbench: --profile: '%s' has no experiment lines\n", name);
		exit(2);
	}
}

void profile_free(struct profile *p)
{
	free(p->text);
	p->text = NULL;
}
