/*
 * concbench/params.h - declared parameters of workloads, strategies and
 * plug-in commands.
 *
 * A plug-in declares its parameters as a table; the harness parses
 * `--param name=value` (or a command's `--name value`) against it, rejects
 * unknown names and values outside the declared range or choices, and hands
 * the plug-in the parsed values in declaration order. A table holds at most
 * PARAM_MAX entries: the harness refuses to start with a plug-in that
 * declares more (see harness/plugins.c).
 */
#ifndef CONCBENCH_PARAMS_H
#define CONCBENCH_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARAM_MAX 16
#define PARAM_STR_MAX 256

enum param_type {
	PARAM_INT,    /* an integer in [min, max] */
	PARAM_BOOL,   /* 0/1, on/off, true/false, yes/no; stored as 0 or 1 */
	PARAM_STRING, /* free text up to PARAM_STR_MAX - 1 bytes */
	PARAM_ENUM,   /* one of `choices`; stored as its index */
};

struct param_spec {
	const char *name;       /* NULL ends a table; [a-z0-9_], unique in the table */
	enum param_type type;
	int64_t def;            /* default: PARAM_INT, PARAM_BOOL, PARAM_ENUM (an index) */
	int64_t min, max;       /* inclusive range for PARAM_INT */
	const char *def_str;    /* default for PARAM_STRING ("" when NULL) */
	const char *unit;       /* shown in help, e.g. "ms"; MAY be NULL */
	const char *help;       /* one line; MUST */
	const char *const *choices; /* PARAM_ENUM: the names, NULL-terminated; MUST for it */
};

/* Parsed values, indexed like the spec table they were parsed against. */
struct param_values {
	size_t count;
	int64_t ival[PARAM_MAX];             /* INT, BOOL (0/1), ENUM (the choice's index) */
	char sval[PARAM_MAX][PARAM_STR_MAX]; /* STRING */
	bool given[PARAM_MAX];               /* set explicitly, not defaulted */
};

/* ==== Implemented by the harness (harness/params.c) ==== */

/* Entries before the terminator (may exceed PARAM_MAX in a bad table). */
size_t param_count(const struct param_spec *specs);
int param_index(const struct param_spec *specs, const char *name);
/* Fills every value with its default (at most PARAM_MAX of them). */
void param_defaults(const struct param_spec *specs, struct param_values *vals);
/*
 * Parses one value text for spec. Returns 0, or -1 with a one-line reason
 * ("expected an integer in 1..8192, got 'x'") in err.
 */
int param_parse_value(const struct param_spec *spec, const char *text,
		      struct param_values *vals, size_t index, char *err, size_t errlen);
/* Describes what a spec accepts ("integer 1..8192 ms, default 512"). */
void param_describe(const struct param_spec *spec, char *buf, size_t len);
/* Formats value `index` for printing; the text param_parse_value reads back. */
void param_format(const struct param_spec *spec, const struct param_values *vals,
		  size_t index, char *buf, size_t len);
/* Whether value `index` differs from the spec's default. */
bool param_is_default(const struct param_spec *spec, const struct param_values *vals,
		      size_t index);
/* The number of choices of a PARAM_ENUM spec. */
size_t param_nchoices(const struct param_spec *spec);
/* The index of name in a table of n names (NULL entries skipped), or -1:
 * how an enum parameter, and every name table of an enum, reads a name. */
int names_find(const char *const *names, size_t n, const char *name);
/* The n names joined by sep into buf ("a, b, c"; "static|dynamic"), cut to
 * fit. Returns buf. */
char *names_join(const char *const *names, size_t n, const char *sep, char *buf, size_t len);

/*
 * Strict integer parsing shared by every numeric flag: decimal only, no
 * sign unless min < 0, no trailing junk, within [min, max].
 */
bool parse_int64(const char *text, int64_t min, int64_t max, int64_t *out);

#endif
