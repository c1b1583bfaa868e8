/*
 * store.c - JSONL, CSV and JSON files, written so that nothing is ever
 * half-written (see store.h).
 */
#include "store.h"

#include "concbench/fault.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int store_prepare_dir(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path)) {
		snprintf(err, errlen, "bad directory path");
		return -EINVAL;
	}
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
		return -errno;
	}
	/* Prove we can write there now, not after the first cell has run. */
	snprintf(path, sizeof(path), "%s/.concbench-probe.%d", dir, (int)getpid());
	{
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

		if (fd < 0) {
			int e = errno;

			snprintf(err, errlen, "cannot write in '%s': %s", dir, strerror(e));
			return -e;
		}
		close(fd);
		unlink(path);
	}
	return 0;
}

/*
 * A process killed while writing a file left its temporary (".NAME.tmp.PID",
 * ".hyperfine-N.json.tmp"): removed when its writer is gone. Called with
 * the folder's lock held, so no live run is writing one meanwhile; a
 * report of the folder (which takes no lock) keeps its own by its pid.
 */
static void sweep_stale_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		const char *tmp = strstr(e->d_name, ".tmp");
		char path[PATH_MAX];
		long pid = 0;

		if (e->d_name[0] != '.' || !tmp)
			continue;
		if (tmp[4] == '.') {
			char *end;

			pid = strtol(tmp + 5, &end, 10);
			if (*end || pid <= 0)
				continue;
			if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
				continue; /* its writer lives */
		} else if (tmp[4] != '\0') {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

int store_take_dir(const char *dir, char *err, size_t errlen)
{
	int fd, rc = store_prepare_dir(dir, err, errlen);

	if (rc < 0)
		return rc;
	/* On the folder itself: no file to leave behind. Held until this
	 * process (and the cells it forks) exit; exec'd helpers do not get it. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK)
			snprintf(err, errlen, "'%s' is in use by another concbench run; wait for it "
					      "to end", dir);
		else
			snprintf(err, errlen, "cannot lock '%s': %s", dir, strerror(e));
		return -1;
	}
	sweep_stale_tmp(dir);
	return 0;
}

/* The file calls a run's results depend on, through the fault seam. */
static int write_all(int fd, const char *data, size_t len, bool line)
{
	int e = fault_now(FAULT_WRITE);

	if (!e && line)
		e = fault_now(FAULT_APPEND);

	if (e) {
		/* As a disk that fills mid-line: half of it lands, then the error. */
		if (len > 1 && write(fd, data, len / 2) < 0)
			return -errno;
		return -e;
	}
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_file(int fd)
{
	return fault_fails(FAULT_FSYNC) ? -1 : fsync(fd);
}

static int rename_file(const char *from, const char *to)
{
	return fault_fails(FAULT_RENAME) ? -1 : rename(from, to);
}

int store_write_file(const char *dir, const char *name, const char *data, size_t len,
		     char *err, size_t errlen)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	int fd, rc;

	snprintf(final, sizeof(final), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.%d", dir, name, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(-rc));
		return rc;
	}
	rc = write_all(fd, data, len, false);
	if (rc == 0 && sync_file(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename_file(tmp, final) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		snprintf(err, errlen, "cannot write '%s': %s", final, strerror(-rc));
	}
	return rc;
}

int store_write_json(const char *dir, const char *name, json_t *obj, char *err, size_t errlen)
{
	char *text = json_dumps(obj, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
	int rc;

	if (!text) {
		snprintf(err, errlen, "cannot encode %s", name);
		return -ENOMEM;
	}
	rc = store_write_file(dir, name, text, strlen(text), err, errlen);
	free(text);
	return rc;
}

int store_append_line(const char *dir, json_t *obj, char *err, size_t errlen)
{
	char path[PATH_MAX];
	char *text = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(9));
	size_t len;
	int fd, rc;

	if (!text) {
		snprintf(err, errlen, "cannot encode a result line");
		return -ENOMEM;
	}
	len = strlen(text);
	text = realloc(text, len + 2);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	text[len++] = '\n';
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0) {
		rc = -errno;
	} else {
		/* Where the file ended: a line that cannot be written whole is
		 * cut back off, or its fragment would be glued to the next one
		 * (a disk that fills, then frees space) and the folder would be
		 * unreadable from there on. The run folder's lock keeps other
		 * writers out meanwhile. */
		off_t before = lseek(fd, 0, SEEK_END);

		/* One write of the whole line, then fsync: a crash leaves the
		 * line out or in, and the lines before it untouched. */
		rc = write_all(fd, text, len, true);
		if (rc == 0 && sync_file(fd) < 0)
			rc = -errno;
		if (rc < 0 && before >= 0 && ftruncate(fd, before) == 0)
			fsync(fd);
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
	}
	if (rc < 0)
		snprintf(err, errlen, "cannot append to '%s': %s", path, strerror(-rc));
	free(text);
	return rc;
}

/* ==== One cell ==== */

int store_append_record(const char *dir, const struct record *r, char *err, size_t errlen)
{
	json_t *line = record_to_json(r);
	int rc = store_append_line(dir, line, err, errlen);

	json_decref(line);
	return rc;
}

/* ==== summary.csv ==== */

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.9g", v);
	else
		fputc(',', f);
}

/* A text field, quoted as RFC 4180 asks. */
static void csv_text(FILE *f, const char *text, bool first)
{
	if (!first)
		fputc(',', f);
	fputc('"', f);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* Every field read back from the record: stored statistics, derived speedup. */
static void csv_row(FILE *f, const struct record *r)
{
	const struct stats *st = &r->wall_stats;

	csv_text(f, record_source_name(r->id.source), true);
	csv_text(f, r->id.workload, false);
	fprintf(f, ",%s,%zu", workload_kind_name(r->kind), r->id.tasks);
	csv_text(f, r->id.params, false);
	csv_text(f, r->id.label, false);
	csv_text(f, r->id.strategy, false);
	csv_text(f, r->id.strategy_params, false);
	csv_text(f, r->id.runtime, false);
	fprintf(f, ",%u,%s,%s,%s,%zu", r->id.workers, cell_status_name(r->status),
		r->digest_ok ? "true" : "false", r->has_path ? task_path_name(r->path) : "", r->nwall);
	csv_num(f, st->median);
	csv_num(f, st->ci_lo);
	csv_num(f, st->ci_hi);
	csv_text(f, r->nwall == 0 ? "" : r->ci_bootstrap ? "bootstrap"
				 : isnan(st->ci_coverage) ? "range" : "order-statistic", false);
	csv_num(f, st->ci_coverage);
	csv_num(f, isfinite(record_precision(r)) ? record_precision(r) : NAN);
	csv_num(f, r->precision_target);
	csv_text(f, !isfinite(r->precision_target) ? "" : record_precise(r) ? "true" : "false", false);
	csv_text(f, stop_reason_name(r->stop) ? stop_reason_name(r->stop) : "", false);
	fprintf(f, ",%s,%zu,%zu", r->interference ? "true" : "false", r->disturbed, r->retaken);
	csv_num(f, r->foreign_cores);
	csv_num(f, r->steal_s);
	csv_num(f, st->min);
	csv_num(f, st->max);
	csv_num(f, st->mean);
	csv_num(f, st->stddev);
	csv_num(f, st->cv);
	fprintf(f, ",%zu", st->outliers);
	csv_num(f, r->speedup);
	csv_num(f, r->speedup_lo);
	csv_num(f, r->speedup_hi);
	csv_num(f, r->user_s);
	csv_num(f, r->sys_s);
	csv_num(f, r->cores_busy);
	csv_num(f, r->max_rss_kb);
	csv_num(f, r->pss_kb);
	csv_num(f, r->rss_kb);
	csv_num(f, r->task_p50_s);
	csv_num(f, r->task_p99_s);
	csv_num(f, r->fixture_cpu_s);
	csv_text(f, r->status != CELL_OK ? r->error : "", false);
	fputc('\n', f);
}

int store_write_csv(const char *dir, const struct record_set *set, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f) {
		snprintf(err, errlen, "out of memory writing summary.csv");
		return -ENOMEM;
	}
	fputs("source,workload,kind,tasks,params,label,strategy,strategy_params,runtime,workers,"
	      "status,digest_ok,task_path,samples,median_s,ci95_lo,ci95_hi,ci_kind,ci_coverage,"
	      "precision,precision_target,precision_met,stopped_by,interference,disturbed_samples,"
	      "retaken_samples,foreign_cores,steal_s,min_s,max_s,mean_s,"
	      "stddev_s,cv,outliers,speedup,speedup_lo,speedup_hi,user_s,sys_s,cores_busy,"
	      "max_rss_kb,pss_kb,rss_kb,task_p50_s,task_p99_s,fixture_cpu_s,error\n", f);
	for (size_t i = 0; i < set->n; i++)
		csv_row(f, &set->r[i]);
	if (fclose(f) != 0 || !buf) {
		free(buf);
		snprintf(err, errlen, "out of memory writing summary.csv");
		return -ENOMEM;
	}
	rc = store_write_file(dir, "summary.csv", buf, len, err, errlen);
	free(buf);
	return rc;
}
