/*
 * profile.c - parsing matrix profiles (see profile.h, docs/profiles.md).
 *
 * A profile is lines of whitespace-separated words. A setting line (`repeat
 * N`, `max-repeat N`, `precision PCT`, `max-time S`, `retakes N`, `warmup N`, `timeout
 * S`) sets a default for the experiment lines after it. Any other line is
 * an experiment: a workload name, then key=value words: strategies,
 * workers, tasks, reference, a setting, or a workload or strategy
 * parameter. `#` starts a comment.
 */
#include "profile.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "options.h"

const char *profile_builtin(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "profiles/%s.profile", name);
	return embedded_find(path);
}

const char *profile_builtin_names(void)
{
	return "quick, full, map";
}

static _Noreturn void profile_error(const char *where, const char *what, const char *got)
{
	opt_where_error(where, NULL, "%s, got '%s'", what, got);
}

/* The settings a line may set, in struct run_spec. */
static const struct {
	const char *key;
	size_t offset;
	bool setting; /* also a line of its own: a default for the lines after it */
} keys[] = {
	{ "strategies", offsetof(struct run_spec, strategies), false },
	{ "workers", offsetof(struct run_spec, workers), false },
	{ "tasks", offsetof(struct run_spec, tasks), false },
	{ "reference", offsetof(struct run_spec, reference), false },
	{ "repeat", offsetof(struct run_spec, repeat), true },
	{ "max-repeat", offsetof(struct run_spec, max_repeat), true },
	{ "precision", offsetof(struct run_spec, precision), true },
	{ "max-time", offsetof(struct run_spec, max_time), true },
	{ "retakes", offsetof(struct run_spec, retakes), true },
	{ "warmup", offsetof(struct run_spec, warmup), true },
	{ "timeout", offsetof(struct run_spec, timeout), true },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char **slot_of(struct run_spec *spec, size_t k)
{
	return (const char **)((char *)spec + keys[k].offset);
}

static int key_find(const char *word, bool setting_only)
{
	for (size_t k = 0; k < NKEYS; k++)
		if (!strcmp(keys[k].key, word) && (keys[k].setting || !setting_only))
			return (int)k;
	return -1;
}

void profile_parse(const char *name, const char *text, struct profile *p)
{
	struct run_spec defaults = { 0 };
	size_t lineno = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->text = strdup(text);
	if (!p->text)
		profile_error(name, "out of memory", "");
	for (char *line = p->text, *next; line; line = next) {
		struct profile_line *pl;
		char where[96], *save = NULL, *word;
		bool given[NKEYS] = { false };
		int k;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "#")] = '\0';
		snprintf(where, sizeof(where), "profile '%s' line %zu", name, lineno);
		word = strtok_r(line, " \t\r", &save);
		if (!word)
			continue;
		if ((k = key_find(word, true)) >= 0) {
			const char *v = strtok_r(NULL, " \t\r", &save);

			if (!v || strtok_r(NULL, " \t\r", &save))
				profile_error(where, "expected one value after the setting", word);
			*slot_of(&defaults, (size_t)k) = v;
			continue;
		}
		if (p->n == PROFILE_MAX_EXPERIMENTS)
			profile_error(where, "too many experiments (at most 64)", word);
		pl = &p->lines[p->n++];
		snprintf(pl->where, sizeof(pl->where), "%s", where);
		pl->lineno = lineno;
		pl->spec = defaults;
		pl->spec.where = pl->where;
		pl->spec.workload = word;
		while ((word = strtok_r(NULL, " \t\r", &save))) {
			char *eq = strchr(word, '=');

			if (!eq || eq == word)
				profile_error(where, "expected key=value", word);
			*eq = '\0';
			if ((k = key_find(word, false)) >= 0) {
				if (given[k])
					profile_error(where, "a key given twice on one line", word);
				given[k] = true;
				*slot_of(&pl->spec, (size_t)k) = eq + 1;
				continue;
			}
			*eq = '='; /* a parameter: cli_resolve checks it */
			if (pl->spec.nparams == CLI_MAX_PARAMS)
				profile_error(where, "too many parameters", word);
			pl->spec.params[pl->spec.nparams++] = word;
		}
	}
	if (p->n == 0) {
		opt_error("--profile", "'%s' has no experiment lines", name);
	}
}

void profile_free(struct profile *p)
{
	free(p->text);
	p->text = NULL;
}
