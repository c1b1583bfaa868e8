/*
 * options.c - the option parser and the suggestions for typos (see
 * options.h).
 */
#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VAL_BASE 1000 /* getopt_long's val for option k is VAL_BASE + k */

void (*opt_exit_hook)(void);

_Noreturn void opt_verror(const char *where, const char *flag, const char *fmt, va_list ap)
{
	char text[2048], line[4096];

	vsnprintf(text, sizeof(text), fmt, ap);
	snprintf(line, sizeof(line), "%s%s%s%s%s", where ? where : "", where ? ": " : "",
		 flag ? flag : "", flag ? ": " : "", text);
	/* What the user typed is echoed in the line: a control byte (an
	 * escape sequence, a file's binary) is shown as '?', never sent to
	 * the terminal. */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = '?';
	fprintf(stderr, "concbench: %s\n", line);
	if (opt_exit_hook)
		opt_exit_hook();
	exit(2);
}

_Noreturn void opt_where_error(const char *where, const char *flag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	opt_verror(where, flag, fmt, ap);
}

_Noreturn void opt_error(const char *flag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	opt_verror(NULL, flag, fmt, ap);
}

/* ==== Suggestions ==== */

/* Edit distance where swapping two neighbours counts once (optimal string
 * alignment), capped at 99 for long words. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[64][64];

	if (la >= 64 || lb >= 64)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *opt_suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t wl = strlen(word), best_d = 99;
	const char *best = NULL;

	/* A typo of a short word changes a larger share of it: allow fewer. */
	size_t allowed = wl <= 4 ? 1 : wl <= 8 ? 2 : 3;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);

		/* The start of a longer name ("latency" for "latency_ms"). */
		if (wl >= 3 && strncmp(candidates[i], word, wl) == 0)
			d = 1;
		if (d <= allowed && d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}

void opt_did_you_mean(const char *word, const char *const *candidates, size_t n, char *buf,
		      size_t len)
{
	const char *s = opt_suggest(word, candidates, n);

	if (s)
		snprintf(buf, len, " (did you mean '%s'?)", s);
	else if (len)
		buf[0] = '\0';
}

/* ==== Help text ==== */

void help_wrap(FILE *f, const char *left, const char *text, int indent)
{
	int col = 0;

	if (left)
		col = fprintf(f, "  %-*s", indent - 2, left);
	if (left && col > indent) {
		fputc('\n', f);
		col = 0;
	}
	while (*text) {
		size_t word = strcspn(text, " ");

		if (col > indent && col + 1 + (int)word > 79) {
			fputc('\n', f);
			col = 0;
		}
		if (col < indent) {
			col += fprintf(f, "%*s", indent - col, "");
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", (int)word, text);
		text += word;
		while (*text == ' ')
			text++;
	}
	if (col)
		fputc('\n', f);
}

/* ==== Parsing ==== */

static size_t count_defs(const struct opt_def *defs)
{
	size_t n = 0;

	while (defs[n].name)
		n++;
	return n;
}

/* "--name" of every option of the table, for suggestions. */
static size_t flag_names(const struct opt_def *defs, char names[][48], const char **ptrs)
{
	size_t n = 0;

	for (size_t k = 0; defs[k].name; k++) {
		if (defs[k].hidden)
			continue;
		snprintf(names[n], 48, "--%s", defs[k].name);
		ptrs[n] = names[n];
		n++;
	}
	return n;
}

/* The message for an option getopt_long did not accept. */
static _Noreturn void unknown_option(const char *who, const struct opt_def *defs, const char *arg)
{
	char names[OPT_MAX][48], flag[64], hint[96] = "", matches[256] = "";
	const char *ptrs[OPT_MAX];
	size_t n = flag_names(defs, names, ptrs), nmatch = 0, used = 0;
	size_t len = strcspn(arg, "=");

	snprintf(flag, sizeof(flag), "%.*s", (int)(len < 60 ? len : 60), arg);
	/* A prefix of several long options is ambiguous, not unknown. */
	for (size_t k = 0; k < n && strncmp(flag, "--", 2) == 0 && strlen(flag) > 2; k++) {
		if (strncmp(ptrs[k], flag, strlen(flag)) == 0 && used < sizeof(matches)) {
			used += (size_t)snprintf(matches + used, sizeof(matches) - used, "%s%s",
						 nmatch ? " or " : "", ptrs[k]);
			nmatch++;
		}
	}
	if (nmatch > 1)
		opt_error(flag, "ambiguous for '%s': %s", who, matches);
	opt_did_you_mean(flag, ptrs, n, hint, sizeof(hint));
	opt_error(flag, "unknown option for '%s'%s; see 'concbench help %s'", who, hint, who);
}

void opt_parse(const char *who, const struct opt_def *defs, int argc, char **argv,
	       struct opt_values *out)
{
	struct option longopts[OPT_MAX + 1];
	char shortopts[2 * OPT_MAX + 2] = ":";
	size_t ndefs = count_defs(defs), s = 1;
	int c;

	memset(out, 0, sizeof(*out));
	if (ndefs > OPT_MAX)
		opt_error(NULL, "internal error: '%s' has more than %d options", who, OPT_MAX);
	for (size_t k = 0; k < ndefs; k++) {
		longopts[k] = (struct option){ defs[k].name,
					       defs[k].arg == OPT_VALUE ? required_argument : no_argument,
					       NULL, VAL_BASE + (int)k };
		if (defs[k].short_name) {
			shortopts[s++] = (char)defs[k].short_name;
			if (defs[k].arg == OPT_VALUE)
				shortopts[s++] = ':';
		}
	}
	longopts[ndefs] = (struct option){ 0 };
	shortopts[s] = '\0';

	optind = 0; /* glibc: start afresh, whatever parsed before */
	opterr = 0; /* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		size_t k = ndefs;
		char flag[64];

		if (c >= VAL_BASE) {
			k = (size_t)(c - VAL_BASE);
		} else if (c != '?' && c != ':') {
			for (k = 0; k < ndefs && defs[k].short_name != c; k++)
				;
		}
		if (c == ':' || c == '?') {
			int o = optopt;

			if (o >= VAL_BASE) {
				k = (size_t)(o - VAL_BASE);
				snprintf(flag, sizeof(flag), "--%s", defs[k].name);
				if (c == ':')
					opt_error(flag, "needs a value (%s)",
						  defs[k].metavar ? defs[k].metavar : "a value");
				opt_error(flag, "takes no value");
			}
			if (o) {
				for (k = 0; k < ndefs && defs[k].short_name != o; k++)
					;
				snprintf(flag, sizeof(flag), "-%c", o);
				if (c == ':' && k < ndefs)
					opt_error(flag, "needs a value (%s)",
						  defs[k].metavar ? defs[k].metavar : "a value");
				opt_error(flag, "unknown option for '%s'; see 'concbench help %s'", who,
					  who);
			}
			unknown_option(who, defs, argv[optind - 1]);
		}
		if (k >= ndefs)
			unknown_option(who, defs, argv[optind - 1]);
		snprintf(flag, sizeof(flag), "--%s", defs[k].name);
		if (defs[k].repeat) {
			if (out->nrepeated == OPT_REPEAT_MAX)
				opt_error(flag, "given more than %d times", OPT_REPEAT_MAX);
			out->repeated_of[out->nrepeated] = (int)k;
			out->repeated[out->nrepeated++] = optarg;
		} else if (out->given[k]) {
			opt_error(flag, "given twice; give it once%s",
				  defs[k].arg == OPT_VALUE ? " (a list is comma-separated)" : "");
		}
		out->given[k] = true;
		out->value[k] = defs[k].arg == OPT_VALUE ? optarg : "";
	}
	out->positional = argv + optind;
	out->npositional = argc - optind;
}

static size_t find_def(const struct opt_def *defs, const char *name)
{
	size_t k = 0;

	while (defs[k].name && strcmp(defs[k].name, name) != 0)
		k++;
	return k;
}

const char *opt_get(const struct opt_def *defs, const struct opt_values *v, const char *name)
{
	size_t k = find_def(defs, name);

	return defs[k].name ? v->value[k] : NULL;
}

bool opt_given(const struct opt_def *defs, const struct opt_values *v, const char *name)
{
	size_t k = find_def(defs, name);

	return defs[k].name && v->given[k];
}
