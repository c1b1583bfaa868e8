/*
 * results.c - fuzzes the stored-results reader and everything that reads
 * what it returns: the input is a run folder's results.jsonl, and
 * report_write_markdown loads it (records_load: one record_from_json per
 * line, range checks, the derived speedups), groups it, computes its
 * statistics, model and verdicts, and writes report.md and report.html,
 * as `concbench report` does (no charts: gnuplot is a program of its
 * own). A damaged file must be refused with a reason or reported, never
 * crash, leak or reach undefined behaviour.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "record.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64], path[96];
	char err[512];
	struct record_set set;
	FILE *sink;
	int fd;

	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz-results.XXXXXX", tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			abort();
		}
		snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd) < 0) {
		perror(path);
		abort();
	}
	report_write_markdown(dir, NULL, err, sizeof(err));
	if (records_load(path, &set, NULL, err, sizeof(err)) == 0) {
		sink = fopen("/dev/null", "w");
		if (sink) {
			report_print_tables(sink, &set);
			fclose(sink);
		}
		records_free(&set);
	}
	return 0;
}
