/*
 * store.h - results on disk.
 *
 * results.jsonl gets one line per cell, appended and fsync'd as soon as
 * the cell ends, so a killed run loses at most the cell in flight. Derived
 * files (summary.csv, env.json) are written to a temporary name, synced and
 * renamed: a reader sees the old file or the new one, never half of one.
 * The schema is documented in docs/results-schema.md.
 */
#ifndef CONCBENCH_STORE_H
#define CONCBENCH_STORE_H

#include <jansson.h>
#include <stddef.h>

#include "record.h"

/* Creates dir (and its parents). Returns 0 or -errno, with text in err. */
int store_prepare_dir(const char *dir, char *err, size_t errlen);
/* Takes the run folder for this process: store_prepare_dir, then a flock
 * on the folder (two runs writing one folder at once would store cells
 * twice). Once per process and folder. Returns 0, or < 0 with the reason
 * in err ("in use by another concbench run"). */
int store_take_dir(const char *dir, char *err, size_t errlen);
/* Appends obj as one line of dir/results.jsonl and syncs it. */
int store_append_line(const char *dir, json_t *obj, char *err, size_t errlen);
/* Appends r's line (record_to_json: the one writer) to dir/results.jsonl. */
int store_append_record(const char *dir, const struct record *r, char *err, size_t errlen);
/* Writes dir/name atomically (temp file, fsync, rename). */
int store_write_file(const char *dir, const char *name, const char *data, size_t len,
		     char *err, size_t errlen);
int store_write_json(const char *dir, const char *name, json_t *obj, char *err, size_t errlen);
/* dir/summary.csv: one row per cell, every field as read back. */
int store_write_csv(const char *dir, const struct record_set *set, char *err, size_t errlen);

#endif
