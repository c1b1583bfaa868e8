/*
 * store.c - JSONL, CSV and JSON files, written so that nothing is ever
 * half-written (see store.h).
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int write_all(int fd, const char *data, size_t len)
{
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
	rc = write_all(fd, data, len);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, final) < 0)
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
		/* One write of the whole line, then fsync: a crash leaves the
		 * line out or in, and the lines before it untouched. */
		rc = write_all(fd, text, len);
		if (rc == 0 && fsync(fd) < 0)
			rc = -errno;
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
	}
	if (rc < 0)
		snprintf(err, errlen, "cannot append to '%s': %s", path, strerror(-rc));
	free(text);
	return rc;
}

/* ==== One cell as JSON ==== */

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *pair(double a, double b)
{
	if (!isfinite(a) || !isfinite(b))
		return json_null();
	return json_pack("[ff]", a, b);
}

json_t *store_params_json(const struct param_spec *specs, const struct param_values *vals)
{
	json_t *o = json_object();

	for (size_t i = 0; specs[i].name; i++) {
		if (specs[i].type == PARAM_STRING)
			json_object_set_new(o, specs[i].name, json_string(vals->sval[i]));
		else if (specs[i].type == PARAM_BOOL)
			json_object_set_new(o, specs[i].name, json_boolean(vals->ival[i]));
		else
			json_object_set_new(o, specs[i].name, json_integer(vals->ival[i]));
	}
	return o;
}

json_t *store_cell_json(const char *run_id, const struct cell_result *r)
{
	const struct cell *c = &r->cell;
	const struct cell_outcome *o = &r->outcome;
	bool have = r->wall_stats.n > 0;
	json_t *obj = json_object(), *wall = json_array(), *samples = json_array();
	char hex[32];

	for (size_t k = 0; k < o->nsamples; k++) {
		const struct sample_record *s = &o->samples[k];

		json_array_append_new(wall, json_real(s->wall_s));
		json_array_append_new(samples, json_pack(
			"{s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I, s:f, s:f}",
			"wall_s", s->wall_s, "user_s", s->user_s, "sys_s", s->sys_s,
			"fixture_cpu_s", s->fixture_user_s + s->fixture_sys_s,
			"cores_busy", s->wall_s > 0 ? (s->user_s + s->sys_s) / s->wall_s : 0.0,
			"nvcsw", (json_int_t)s->nvcsw, "nivcsw", (json_int_t)s->nivcsw,
			"max_rss_kb", (json_int_t)s->max_rss_kb,
			"task_p50_s", s->task_p50_s, "task_p99_s", s->task_p99_s));
	}
	json_object_set_new(obj, "run_id", json_string(run_id));
	json_object_set_new(obj, "source", json_string("concbench"));
	json_object_set_new(obj, "workload", json_string(c->workload->name));
	json_object_set_new(obj, "kind", json_string(workload_kind_name(c->workload->kind)));
	json_object_set_new(obj, "strategy", json_string(c->strategy->name));
	json_object_set_new(obj, "workers", json_integer(c->workers));
	json_object_set_new(obj, "tasks", json_integer((json_int_t)c->ntasks));
	json_object_set_new(obj, "params", store_params_json(c->workload->params, c->wparams));
	json_object_set_new(obj, "strategy_params", store_params_json(c->strategy->params, c->sparams));
	json_object_set_new(obj, "status", json_string(cell_status_name(r->status)));
	json_object_set_new(obj, "error", r->status == CELL_OK ? json_null() : json_string(r->error));
	snprintf(hex, sizeof(hex), "%016" PRIx64, r->digest);
	json_object_set_new(obj, "digest", o->nsamples ? json_string(hex) : json_null());
	snprintf(hex, sizeof(hex), "%016" PRIx64, r->reference_digest);
	json_object_set_new(obj, "reference_digest", r->has_reference ? json_string(hex) : json_null());
	json_object_set_new(obj, "reference_strategy",
			    r->reference_strategy ? json_string(r->reference_strategy) : json_null());
	json_object_set_new(obj, "digest_ok", json_boolean(r->digest_ok));
	json_object_set_new(obj, "task_path",
			    o->nsamples ? json_string(task_path_name(o->samples[0].path)) : json_null());
	json_object_set_new(obj, "wall_s", wall);
	json_object_set_new(obj, "median_s", have ? num(r->wall_stats.median) : json_null());
	json_object_set_new(obj, "ci95", have ? pair(r->wall_stats.ci_lo, r->wall_stats.ci_hi) : json_null());
	json_object_set_new(obj, "min_s", have ? num(r->wall_stats.min) : json_null());
	json_object_set_new(obj, "max_s", have ? num(r->wall_stats.max) : json_null());
	json_object_set_new(obj, "mean_s", have ? num(r->wall_stats.mean) : json_null());
	json_object_set_new(obj, "stddev_s", have ? num(r->wall_stats.stddev) : json_null());
	json_object_set_new(obj, "cv", have ? num(r->wall_stats.cv) : json_null());
	json_object_set_new(obj, "outliers", json_integer((json_int_t)r->wall_stats.outliers));
	json_object_set_new(obj, "speedup", num(r->speedup));
	json_object_set_new(obj, "speedup_ci95", pair(r->speedup_lo, r->speedup_hi));
	json_object_set_new(obj, "user_s", num(r->user_s));
	json_object_set_new(obj, "sys_s", num(r->sys_s));
	json_object_set_new(obj, "cores_busy", num(r->cores_busy));
	json_object_set_new(obj, "nvcsw", num(r->nvcsw));
	json_object_set_new(obj, "nivcsw", num(r->nivcsw));
	json_object_set_new(obj, "max_rss_kb", have ? json_integer(r->max_rss_kb) : json_null());
	json_object_set_new(obj, "rss_processes",
			    json_integer(o->nsamples ? o->samples[0].rss_processes : 0));
	json_object_set_new(obj, "fixture_cpu_s", num(r->fixture_cpu_s));
	json_object_set_new(obj, "fixture_max_rss_kb",
			    have && r->fixture_max_rss_kb ? json_integer(r->fixture_max_rss_kb) : json_null());
	json_object_set_new(obj, "task_p50_s", num(r->task_p50_s));
	json_object_set_new(obj, "task_p99_s", num(r->task_p99_s));
	if (have) {
		json_t *latq = json_array();

		for (size_t q = 0; q < 101; q++)
			json_array_append_new(latq, json_real(r->task_latq[q]));
		json_object_set_new(obj, "task_latency_quantiles_s", latq);
	} else {
		json_object_set_new(obj, "task_latency_quantiles_s", json_null());
	}
	json_object_set_new(obj, "samples", samples);
	return obj;
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

static void csv_row(FILE *f, const struct record *r)
{
	double mean = NAN, sd = NAN, lo = NAN, hi = NAN;

	if (r->nwall > 0) {
		double sum = 0, ss = 0;

		lo = hi = r->wall[0];
		for (size_t k = 0; k < r->nwall; k++) {
			sum += r->wall[k];
			lo = r->wall[k] < lo ? r->wall[k] : lo;
			hi = r->wall[k] > hi ? r->wall[k] : hi;
		}
		mean = sum / (double)r->nwall;
		for (size_t k = 0; k < r->nwall; k++)
			ss += (r->wall[k] - mean) * (r->wall[k] - mean);
		sd = r->nwall > 1 ? sqrt(ss / (double)(r->nwall - 1)) : 0;
	}
	csv_text(f, r->workload, true);
	csv_text(f, r->strategy, false);
	fprintf(f, ",%u,%zu", r->workers, r->tasks);
	csv_text(f, r->params, false);
	fprintf(f, ",%s,%s,%zu", r->status, r->digest_ok ? "true" : "false", r->nwall);
	csv_num(f, r->median);
	csv_num(f, r->ci_lo);
	csv_num(f, r->ci_hi);
	csv_num(f, lo);
	csv_num(f, hi);
	csv_num(f, mean);
	csv_num(f, sd);
	csv_num(f, mean > 0 ? sd / mean : NAN);
	csv_num(f, r->speedup);
	csv_num(f, r->speedup_lo);
	csv_num(f, r->speedup_hi);
	csv_num(f, r->user_s);
	csv_num(f, r->sys_s);
	csv_num(f, r->cores_busy);
	csv_num(f, r->max_rss_kb);
	csv_num(f, r->task_p50_s);
	csv_num(f, r->task_p99_s);
	csv_num(f, r->fixture_cpu_s);
	csv_text(f, strcmp(r->status, "ok") ? r->error : "", false);
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
	fputs("workload,strategy,workers,tasks,params,status,digest_ok,samples,median_s,ci95_lo,"
	      "ci95_hi,min_s,max_s,mean_s,stddev_s,cv,speedup,speedup_lo,speedup_hi,"
	      "user_s,sys_s,cores_busy,max_rss_kb,task_p50_s,task_p99_s,fixture_cpu_s,error\n", f);
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
