/*
 * profile.h - a matrix profile: data, not code. Built-in profiles live in
 * harness/profiles/ (NAME.profile) and are compiled into the binary; a path
 * names any other file. The format is documented in docs/profiles.md.
 */
#ifndef CONCBENCH_PROFILE_H
#define CONCBENCH_PROFILE_H

#include <stddef.h>

#include "cli.h"

#define PROFILE_MAX_EXPERIMENTS 64
#define PROFILE_MAX_BYTES (1 << 20)

struct profile_line {
	char where[96];    /* "profile 'quick' line 7", for error messages */
	size_t lineno;
	struct run_spec spec;
};

struct profile {
	char name[64];
	char *text;        /* owned; the specs' texts point into it */
	struct profile_line lines[PROFILE_MAX_EXPERIMENTS];
	size_t n;
};

/* The text of a built-in profile, or NULL. */
const char *profile_builtin(const char *name);
/* Comma-separated names of the built-in profiles. */
const char *profile_builtin_names(void);
/*
 * Parses text into experiment specs. Exits 2 on malformed lines, naming
 * the profile and line (bad values are caught later by cli_resolve, which
 * names them the same way).
 */
void profile_parse(const char *name, const char *text, struct profile *p);
void profile_free(struct profile *p);

#endif
