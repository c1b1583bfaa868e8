/*
 * format.h - numbers for people: times and sizes with units, shared by
 * the tables, report.md, the charts and compare.
 */
#ifndef CONCBENCH_FORMAT_H
#define CONCBENCH_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

/* Seconds with the unit that keeps three significant digits ("12.3 ms");
 * "-" for NAN. */
void format_seconds(double s, char *buf, size_t len);
/* Milliseconds with one decimal ("12.3 ms"); "-" for NAN. */
void format_ms(double s, char *buf, size_t len);
/* A rate per second with three significant digits and a k/M/G prefix:
 * "948", "12.3k", "4.56M"; "-" when not finite. */
void format_rate(double per_s, char *buf, size_t len);
/* KiB as whole MB ("59 MB"); "-" for NAN. */
void format_mb(double kb, char *buf, size_t len);
/* Text for Markdown: its markup characters backslash-escaped, control
 * characters made spaces, so a name from a results file reads as itself
 * and never breaks a table. */
void format_markdown(const char *text, char *buf, size_t len);
/* A chart axis unit for values up to max_s: "s", "ms" or "µs", and its scale. */
void format_time_unit(double max_s, const char **unit, double *scale);

/*
 * Columns of text for people. printf's %-*s counts bytes, and the micro
 * sign is two bytes of UTF-8 in one column: a padded "1.00 µs" would
 * stand one column short of "1.00 ms". These count code points instead
 * (all our text is single-width).
 */
/* The columns text takes on a terminal. */
size_t format_width(const char *text);
/* The bytes of text's first cols columns: for "%.*s", never cutting a
 * character in two. */
size_t format_prefix_bytes(const char *text, size_t cols);
/* text padded with spaces to width columns (never cut): the spaces after
 * it when align_left, before it otherwise. */
void format_pad(const char *text, int width, bool align_left, char *buf, size_t len);

#endif
