/*
 * progress.h - where a long run is: a redrawn bar on a terminal (cells
 * done of total, elapsed, ETA, the cell in flight), plain lines otherwise.
 */
#ifndef CONCBENCH_PROGRESS_H
#define CONCBENCH_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool tty;
	size_t total, done;
	double started;   /* monotonic seconds */
	double cell_time; /* seconds the finished cells of this invocation took */
	size_t timed;     /* how many cells that is */
	char label[160];
};

void progress_init(struct progress *p, FILE *out, size_t total);
void progress_begin(struct progress *p, const char *label);
/* outcome: a short line ("median 12.3 ms", "failed: ...") */
void progress_end(struct progress *p, double seconds, const char *outcome);
/* Clears the bar, if any, before other output. */
void progress_finish(struct progress *p);

#endif
