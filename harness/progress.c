/*
 * progress.c - the progress bar (see progress.h).
 */
#include "progress.h"

#include <string.h>
#include <unistd.h>

#include "concbench/sample.h"
#include "format.h"

#define BAR_WIDTH 24

static void format_duration(double s, char *buf, size_t len)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

void progress_init(struct progress *p, FILE *out, size_t total)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->tty = isatty(fileno(out));
	p->total = total;
	p->started = sample_now();
}

static void draw(struct progress *p)
{
	char bar[BAR_WIDTH + 1], elapsed[32], eta[32] = "?";
	size_t fill = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;

	for (size_t k = 0; k < BAR_WIDTH; k++)
		bar[k] = k < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	format_duration(sample_now() - p->started, elapsed, sizeof(elapsed));
	if (p->timed > 0)
		format_duration(p->cell_time / (double)p->timed * (double)(p->total - p->done), eta,
				sizeof(eta));
	/* \r, then clear to the end of the line: the label's length varies. */
	fprintf(p->out, "\r[%s] %zu/%zu cells  %s elapsed  ETA %s  %.*s\033[K", bar, p->done,
		p->total, elapsed, eta, (int)format_prefix_bytes(p->label, 130), p->label);
	fflush(p->out);
}

void progress_begin(struct progress *p, const char *label)
{
	snprintf(p->label, sizeof(p->label), "%s", label);
	if (p->tty)
		draw(p);
	else
		fprintf(p->out, "[%zu/%zu] %s ...\n", ++p->begun, p->total, label);
}

void progress_update(struct progress *p, const char *line)
{
	double now = sample_now();

	/* A few redraws a second are enough to look alive. */
	if (!p->tty || now - p->drawn < 0.1)
		return;
	p->drawn = now;
	snprintf(p->label, sizeof(p->label), "%s", line);
	draw(p);
}

void progress_end(struct progress *p, double seconds, const char *outcome)
{
	p->done++;
	p->cell_time += seconds;
	p->timed++;
	if (p->tty) {
		snprintf(p->label, sizeof(p->label), "%s", outcome);
		draw(p);
	} else {
		fprintf(p->out, "[%zu/%zu]   %s\n", p->done, p->total, outcome);
	}
}

void progress_finish(struct progress *p)
{
	if (p->tty) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
}
