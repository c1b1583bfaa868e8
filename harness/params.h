/*
 * params.h - declared parameters of workloads and strategies.
 *
 * A plug-in declares its parameters as a table; the harness parses
 * `--param name=value` against it, rejects unknown names and out-of-range
 * values, and hands the plug-in the parsed values in declaration order.
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
};

struct param_spec {
	const char *name;       /* NULL ends a table */
	enum param_type type;
	int64_t def;            /* default for PARAM_INT and PARAM_BOOL */
	int64_t min, max;       /* inclusive range for PARAM_INT */
	const char *def_str;    /* default for PARAM_STRING ("" when NULL) */
	const char *unit;       /* shown in help, e.g. "ms"; MAY be NULL */
	const char *help;
};

/* Parsed values, indexed like the spec table they were parsed against. */
struct param_values {
	size_t count;
	int64_t ival[PARAM_MAX];
	char sval[PARAM_MAX][PARAM_STR_MAX];
	bool given[PARAM_MAX]; /* set on the command line, not defaulted */
};

size_t param_count(const struct param_spec *specs);
int param_index(const struct param_spec *specs, const char *name);
/* Fills every value with its default. */
void param_defaults(const struct param_spec *specs, struct param_values *vals);
/*
 * Parses one value text for spec. Returns 0, or -1 with a one-line reason
 * ("expected an integer in 1..8192") in err.
 */
int param_parse_value(const struct param_spec *spec, const char *text,
		      struct param_values *vals, size_t index, char *err, size_t errlen);
/* Describes what a spec accepts ("integer 1..8192 ms, default 512"). */
void param_describe(const struct param_spec *spec, char *buf, size_t len);
/* Formats value `index` for printing. */
void param_format(const struct param_spec *spec, const struct param_values *vals,
		  size_t index, char *buf, size_t len);

/*
 * Strict integer parsing shared by every numeric flag: decimal only, no
 * sign unless min < 0, no trailing junk, within [min, max].
 */
bool parse_int64(const char *text, int64_t min, int64_t max, int64_t *out);

#endif
