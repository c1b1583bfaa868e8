/*
 * embedded.h - text files compiled into the binary (the built-in matrix
 * profiles, the gnuplot templates), so a concbench binary needs nothing
 * from the source tree at run time. CMake generates the table.
 */
#ifndef CONCBENCH_EMBEDDED_H
#define CONCBENCH_EMBEDDED_H

struct embedded_file {
	const char *path; /* relative to its folder in the source tree: "profiles/quick.profile" */
	const char *text;
};

extern const struct embedded_file embedded_files[]; /* NULL-path terminated */

/* The text of an embedded file, or NULL. */
const char *embedded_find(const char *path);

#endif
