/*
 * file.c - io.file: disk I/O. Task i writes its own file of `bytes` in the
 * cell's scratch folder (WORKLOAD_SCRATCH: inside the run folder, removed
 * by the harness however the cell ends), optionally fsyncs it, reads it
 * back, checks every byte and removes it. The content is one pattern made
 * by setup (word k is mix(k)), with the task's index in its first 8
 * bytes, so making it costs nothing per task.
 *
 * It blocks under every strategy: libevent has no asynchronous disk I/O,
 * so an event loop runs it inline, one task at a time. The writes, fsync
 * and reads sit between task_io_begin and task_io_end.
 */
#include "concbench/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { P_BYTES, P_FSYNC };

static const struct param_spec file_params[] = {
	[P_BYTES] = { .name = "bytes", .type = PARAM_INT, .def = 262144, .min = 8,
	              .max = 1LL << 30, .unit = "bytes", .help = "each task's file size" },
	[P_FSYNC] = { .name = "fsync", .type = PARAM_BOOL, .def = 1,
	              .help = "fsync each file before reading it back (off: the page cache "
	                      "absorbs the write)" },
	{ 0 }
};

struct file_instance {
	char dir[4096];
	size_t bytes;
	bool fsync;
	uint64_t *pattern; /* bytes rounded up to whole words */
};

struct file_worker {
	uint64_t *out, *in;
};

static int file_setup(const struct workload_setup *ws, void **instance, char *err,
		      size_t errlen)
{
	struct file_instance *f = calloc(1, sizeof(*f));
	size_t words;

	if (!f || !ws->scratch_dir) {
		snprintf(err, errlen, "%s", f ? "no scratch folder was given" : "out of memory");
		free(f);
		return -1;
	}
	snprintf(f->dir, sizeof(f->dir), "%s", ws->scratch_dir);
	f->bytes = (size_t)ws->params->ival[P_BYTES];
	f->fsync = ws->params->ival[P_FSYNC] != 0;
	words = (f->bytes + 7) / 8;
	f->pattern = malloc(words * 8);
	if (!f->pattern) {
		snprintf(err, errlen, "out of memory for a %zu-byte pattern", f->bytes);
		free(f);
		return -1;
	}
	for (size_t k = 0; k < words; k++)
		f->pattern[k] = digest_mix(k);
	*instance = f;
	return 0;
}

static void file_teardown(void *instance)
{
	struct file_instance *f = instance;

	free(f->pattern);
	free(f);
}

static int file_worker_init(void *instance, void **worker, char *err, size_t errlen)
{
	const struct file_instance *f = instance;
	struct file_worker *wk = calloc(1, sizeof(*wk));
	size_t words = (f->bytes + 7) / 8;

	if (wk) {
		wk->out = malloc(words * 8);
		wk->in = malloc(words * 8);
	}
	if (!wk || !wk->out || !wk->in) {
		if (wk) {
			free(wk->out);
			free(wk->in);
		}
		free(wk);
		snprintf(err, errlen, "out of memory for two %zu-byte buffers", f->bytes);
		return -1;
	}
	memcpy(wk->out, f->pattern, words * 8);
	*worker = wk;
	return 0;
}

static void file_worker_fini(void *instance, void *worker)
{
	struct file_worker *wk = worker;

	(void)instance;
	free(wk->out);
	free(wk->in);
	free(wk);
}

/* Writes or reads all of len bytes, through short counts and EINTR. */
static int full_io(int fd, void *buf, size_t len, bool writing)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* a read that ended early */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int file_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			 struct task_ctx *ctx)
{
	const struct file_instance *f = instance;
	struct file_worker *wk = worker;
	char path[4200];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/task-%zu", f->dir, i);
	wk->out[0] = digest_mix(i); /* this task's own first word */
	task_io_begin(ctx);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		rc = -errno;
	else {
		rc = full_io(fd, wk->out, f->bytes, true);
		if (rc == 0 && f->fsync && fsync(fd) < 0)
			rc = -errno;
		if (close(fd) < 0 && rc == 0)
			rc = -errno;
	}
	if (rc == 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			rc = -errno;
		else {
			rc = full_io(fd, wk->in, f->bytes, false);
			close(fd);
		}
	}
	unlink(path);
	task_io_end(ctx);
	if (rc < 0)
		return task_fail(ctx, "%s: %s", path, strerror(-rc));
	if (memcmp(wk->in, wk->out, f->bytes) != 0)
		return task_fail(ctx, "%s: read back other bytes than were written", path);
	*digest = digest_mix(digest_bytes(wk->in, f->bytes < 64 ? f->bytes : 64) ^ f->bytes);
	return 0;
}

const struct workload workload_io_file = {
	.name = "io.file",
	.kind = WORKLOAD_IO,
	.description = "write, fsync and read back a file per task in the run folder",
	.params = file_params,
	.default_tasks = 32,
	.flags = WORKLOAD_WORKER_MOVES | WORKLOAD_SCRATCH, /* plain buffers */
	.inline_reason = "libevent has no asynchronous disk I/O",
	.setup = file_setup,
	.teardown = file_teardown,
	.worker_init = file_worker_init,
	.worker_fini = file_worker_fini,
	.run_task = file_run_task,
};
