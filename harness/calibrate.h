/*
 * calibrate.h - the machine's price list: what a clock read, an atomic
 * add, a mutex, a thread, a fork, a context switch, a timer dispatch, a
 * loopback HTTP request, a page fault and a memory copy cost here, each a
 * median over repeated batches with its distribution-free 95% interval
 * (docs/calibration.md).
 *
 * A calibration is cached per machine state: it is measured again only
 * when the boot, the concbench binary, the kernel release or the number
 * of online CPUs changed (or with `calibrate --force`).
 */
#ifndef CONCBENCH_CALIBRATE_H
#define CONCBENCH_CALIBRATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CALIBRATION_FILE "calibration.json"
#define CALIBRATION_SCHEMA 1

/*
 * Writes run_dir/calibration.json (temp file, fsync, rename): the cached
 * calibration when its key matches this boot, binary, kernel and CPU
 * count (*reused = true), else a fresh one, which then refreshes the cache
 * when every probe succeeded. The cache ($XDG_CACHE_HOME/concbench/, else
 * ~/.cache/concbench/) is best effort: one that cannot be read or written
 * is silently skipped. A probe that fails is an item with an "error" and
 * no figures; it does not fail the call. Returns 0, or a negative errno
 * when the file could not be written, with the reason in err.
 */
int calibration_ensure(const char *run_dir, bool *reused, char *err, size_t errlen);
/* A price from a calibration document (run_dir/calibration.json as
 * json_load_file read it): the median of the item `name`, in its unit;
 * NAN when the document, the item or its figure is missing. */
double calibration_price(const json_t *doc, const char *name);
/* Whether `name` is one of calibrate's items (a strategy's traits name
 * their prices by it; the plug-in check asks). */
bool calibration_knows(const char *name);
/* What one operation of item `name` is, plural, for sentences ("forks");
 * the name itself for one calibrate does not know. */
const char *calibration_noun(const char *name);

#endif
