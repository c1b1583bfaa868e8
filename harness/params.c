/*
 * params.c - parsing and describing declared parameters (the plug-in
 * face's concbench/params.h).
 */
#include "concbench/params.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t param_count(const struct param_spec *specs)
{
	size_t n = 0;

	while (specs && specs[n].name)
		n++;
	return n;
}

int param_index(const struct param_spec *specs, const char *name)
{
	for (size_t i = 0; specs && specs[i].name; i++)
		if (strcmp(specs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int names_find(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

char *names_join(const char *const *names, size_t n, const char *sep, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? sep : "", names[i]);
	return buf;
}

size_t param_nchoices(const struct param_spec *spec)
{
	size_t n = 0;

	while (spec->choices && spec->choices[n])
		n++;
	return n;
}

void param_defaults(const struct param_spec *specs, struct param_values *vals)
{
	size_t n = param_count(specs);

	memset(vals, 0, sizeof(*vals));
	/* A table longer than the arrays is refused at start-up
	 * (harness/plugins.c); this only keeps a bad one from overflowing. */
	vals->count = n < PARAM_MAX ? n : PARAM_MAX;
	for (size_t i = 0; i < vals->count; i++) {
		vals->ival[i] = specs[i].def;
		snprintf(vals->sval[i], PARAM_STR_MAX, "%s",
			 specs[i].def_str ? specs[i].def_str : "");
	}
}

bool parse_int64(const char *text, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!text || !*text || isspace((unsigned char)*text))
		return false;
	if (*text == '+' || (*text == '-' && min >= 0))
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_bool(const char *text, int64_t *out)
{
	static const char *const yes[] = { "1", "on", "true", "yes" };
	static const char *const no[] = { "0", "off", "false", "no" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(text, yes[i]) == 0)
			return *out = 1, true;
		if (strcasecmp(text, no[i]) == 0)
			return *out = 0, true;
	}
	return false;
}

void param_describe(const struct param_spec *spec, char *buf, size_t len)
{
	const char *unit = spec->unit ? spec->unit : "";
	const char *sp = spec->unit ? " " : "";

	switch (spec->type) {
	case PARAM_INT:
		snprintf(buf, len, "integer %" PRId64 "..%" PRId64 "%s%s, default %" PRId64,
			 spec->min, spec->max, sp, unit, spec->def);
		break;
	case PARAM_BOOL:
		snprintf(buf, len, "on|off, default %s", spec->def ? "on" : "off");
		break;
	case PARAM_STRING:
		snprintf(buf, len, "text, default '%s'", spec->def_str ? spec->def_str : "");
		break;
	case PARAM_ENUM: {
		size_t n = param_nchoices(spec), used;

		names_join(spec->choices, n, "|", buf, len);
		used = strlen(buf);
		if (used < len)
			snprintf(buf + used, len - used, ", default %s",
				 spec->def >= 0 && (size_t)spec->def < n ? spec->choices[spec->def] : "?");
		break;
	}
	}
}

int param_parse_value(const struct param_spec *spec, const char *text,
		      struct param_values *vals, size_t index, char *err, size_t errlen)
{
	switch (spec->type) {
	case PARAM_INT:
		if (!parse_int64(text, spec->min, spec->max, &vals->ival[index])) {
			snprintf(err, errlen, "expected an integer in %" PRId64 "..%" PRId64 ", got '%s'",
				 spec->min, spec->max, text);
			return -1;
		}
		break;
	case PARAM_BOOL:
		if (!parse_bool(text, &vals->ival[index])) {
			snprintf(err, errlen, "expected on|off (or 1|0, true|false, yes|no), got '%s'", text);
			return -1;
		}
		break;
	case PARAM_STRING:
		if (strlen(text) >= PARAM_STR_MAX) {
			snprintf(err, errlen, "expected at most %d characters", PARAM_STR_MAX - 1);
			return -1;
		}
		snprintf(vals->sval[index], PARAM_STR_MAX, "%s", text);
		break;
	case PARAM_ENUM: {
		size_t n = param_nchoices(spec);
		int i = names_find(spec->choices, n, text);
		char names[200];

		if (i >= 0) {
			vals->ival[index] = i;
			break;
		}
		snprintf(err, errlen, "expected one of %s, got '%s'",
			 names_join(spec->choices, n, "|", names, sizeof(names)), text);
		return -1;
	}
	}
	vals->given[index] = true;
	return 0;
}

void param_format(const struct param_spec *spec, const struct param_values *vals,
		  size_t index, char *buf, size_t len)
{
	switch (spec->type) {
	case PARAM_INT:
		snprintf(buf, len, "%" PRId64, vals->ival[index]);
		break;
	case PARAM_BOOL:
		snprintf(buf, len, "%s", vals->ival[index] ? "on" : "off");
		break;
	case PARAM_STRING:
		snprintf(buf, len, "%s", vals->sval[index]);
		break;
	case PARAM_ENUM:
		snprintf(buf, len, "%s",
			 vals->ival[index] >= 0 && (size_t)vals->ival[index] < param_nchoices(spec)
				 ? spec->choices[vals->ival[index]] : "?");
		break;
	}
}

bool param_is_default(const struct param_spec *spec, const struct param_values *vals,
		      size_t index)
{
	if (spec->type == PARAM_STRING)
		return strcmp(vals->sval[index], spec->def_str ? spec->def_str : "") == 0;
	return vals->ival[index] == spec->def;
}
