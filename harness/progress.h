/*
 * progress.h - where a long run is: a redrawn bar on a terminal (cells
 * done of total, elapsed, ETA, the cell in flight with its samples so far,
 * its estimate and its interval), plain lines otherwise.
 */
#ifndef CONCBENCH_PROGRESS_H
#define CONCBENCH_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool tty;
	size_t total, done, begun;
	double started;   /* monotonic seconds */
	double cell_time; /* seconds the finished cells of this invocation took */
	size_t timed;     /* how many cells that is */
	double drawn;     /* when the bar was last drawn */
	char label[300];
};

void progress_init(struct progress *p, FILE *out, size_t total);
void progress_begin(struct progress *p, const char *label);
/* Where the cell in flight stands ("7/10 samples, median 1.3 ms, +-1.8%"):
 * redrawn on a terminal, silent otherwise. */
void progress_update(struct progress *p, const char *line);
/* outcome: a short line ("median 12.3 ms", "failed: ...") */
void progress_end(struct progress *p, double seconds, const char *outcome);
/* Clears the bar, if any, before other output. */
void progress_finish(struct progress *p);

#endif
