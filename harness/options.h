/*
 * options.h - the one option parser, on getopt_long, for every command:
 * `--flag value` and `--flag=value`, a unique prefix of a flag, `-h`,
 * a single-value flag given twice refused, and for anything it does not
 * know one line on stderr naming it, with the nearest name it does know
 * ("did you mean --workers?"), and exit status 2.
 */
#ifndef CONCBENCH_OPTIONS_H
#define CONCBENCH_OPTIONS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OPT_MAX 24        /* options of one command */
#define OPT_REPEAT_MAX 32 /* values of its repeatable options, together */

enum opt_arg {
	OPT_VALUE,  /* --name VALUE */
	OPT_SWITCH, /* --name */
};

struct opt_def {
	const char *name;    /* the long name, without dashes; NULL ends a table */
	int short_name;      /* a letter ('h'), or 0 */
	enum opt_arg arg;
	bool repeat;         /* may be given more than once (--param); else twice is an error */
	bool hidden;         /* left out of help and completion (--ready-fd) */
	const char *metavar; /* "W", "DIR" */
	const char *help;    /* one line */
};

struct opt_values {
	const char *value[OPT_MAX]; /* by position in the table; NULL: not given */
	bool given[OPT_MAX];
	const char *repeated[OPT_REPEAT_MAX]; /* every repeatable option's values, in order */
	int repeated_of[OPT_REPEAT_MAX];      /* the table position each belongs to */
	size_t nrepeated;
	char **positional;   /* what is left, in order (points into argv) */
	int npositional;
};

/*
 * Parses argv[1..argc) (argv[0] is the command's name) against defs.
 * `who` is the command's name, for messages. On bad input: one line on
 * stderr, exit 2. argv may be permuted (options first).
 */
void opt_parse(const char *who, const struct opt_def *defs, int argc, char **argv,
	       struct opt_values *out);
/* The value of option `name` (NULL when not given); name must be in defs. */
const char *opt_get(const struct opt_def *defs, const struct opt_values *v, const char *name);
bool opt_given(const struct opt_def *defs, const struct opt_values *v, const char *name);

/*
 * Every usage error ends here: one line on stderr, "concbench: WHERE:
 * FLAG: message" (WHERE, a profile line, and FLAG MAY be NULL), control
 * bytes shown as '?', then exit 2.
 */
_Noreturn void opt_error(const char *flag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void opt_where_error(const char *where, const char *flag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void opt_verror(const char *where, const char *flag, const char *fmt, va_list ap);
/* Called, when set, in place of exit(2): a fuzz target's longjmp back to
 * its next input. It must not return. */
extern void (*opt_exit_hook)(void);

/*
 * Prints help text wrapped at 79 columns: after `left` (an option's flags,
 * padded to `indent`; MAY be NULL) on the first line, then every line
 * indented by `indent`.
 */
void help_wrap(FILE *f, const char *left, const char *text, int indent);

/*
 * The candidate nearest to word by edit distance (a swap of two letters
 * counts once), or NULL when none is near enough to be a likely typo.
 */
const char *opt_suggest(const char *word, const char *const *candidates, size_t n);
/* " (did you mean 'X'?)" for opt_suggest's answer, or "" - for messages. */
void opt_did_you_mean(const char *word, const char *const *candidates, size_t n, char *buf,
		      size_t len);

#endif
