/*
 * sample.c - the shared-memory sample buffer (the plug-in face's
 * concbench/sample.h).
 */
#include "concbench/fault.h"
#include "concbench/sample.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "concbench/digest.h"
#include "concbench/params.h"

static size_t sample_bytes(size_t ntasks)
{
	size_t head = (sizeof(struct sample) + 63) & ~(size_t)63;

	return head + ntasks * (sizeof(uint64_t) + 2 * sizeof(double));
}

struct sample *sample_alloc(size_t ntasks)
{
	size_t head = (sizeof(struct sample) + 63) & ~(size_t)63;
	void *mem = fault_mmap(NULL, sample_bytes(ntasks), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sample *s;

	if (mem == MAP_FAILED)
		return NULL;
	s = mem;
	s->ntasks = ntasks;
	s->digest = (uint64_t *)((char *)mem + head);
	s->start = (double *)(s->digest + ntasks);
	s->end = s->start + ntasks;
	sample_reset(s);
	return s;
}

void sample_free(struct sample *s)
{
	if (s)
		munmap(s, sample_bytes(s->ntasks));
}

void sample_reset(struct sample *s)
{
	memset(s->digest, 0, s->ntasks * sizeof(*s->digest));
	memset(s->start, 0, s->ntasks * sizeof(*s->start));
	memset(s->end, 0, s->ntasks * sizeof(*s->end));
	memset(&s->children, 0, sizeof(s->children));
	atomic_store(&s->child_memory.pss_kb, 0);
	atomic_store(&s->child_memory.rss_kb, 0);
	atomic_store(&s->child_memory.count, 0);
	s->path = TASK_PATH_RUN_TASK;
	memset(&s->tally, 0, sizeof(s->tally));
	s->has_tally = false;
	memset(&s->stages, 0, sizeof(s->stages));
	s->has_stages = false;
	atomic_store(&s->results, 0);
	atomic_store(&s->result_bytes, 0);
	atomic_store(&s->result_sum, 0);
	if (s->note)
		s->note[0] = '\0';
	s->external = false;
	s->external_digest = 0;
	s->external_wall_s = 0;
	atomic_store(&s->failed, 0);
	s->error[0] = '\0';
}

void sample_note(struct sample *s, const char *text)
{
	size_t n = strlen(text);

	if (!s->note)
		return;
	if (n > SAMPLE_NOTE_MAX - 1)
		n = SAMPLE_NOTE_MAX - 1;
	/* The end first: a reader never runs past it, whatever it sees. */
	s->note[n] = '\0';
	memcpy(s->note, text, n);
}

void sample_fail(struct sample *s, const char *fmt, ...)
{
	int expected = 0;
	va_list ap;

	/* Only the first failure writes the text; later ones are counted out. */
	if (!atomic_compare_exchange_strong(&s->failed, &expected, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	atomic_store(&s->failed, 2);
}

/* The value of the line "KEY:   123 kB" in text, or -1. */
static long rollup_field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *end;
			long kb = strtol(line + klen + 1, &end, 10);

			return end != line + klen + 1 && kb >= 0 ? kb : -1;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return -1;
}

int sample_self_memory(long *pss_kb, long *rss_kb)
{
	/* A worker reads this just before _exit: plain read(2) into a stack
	 * buffer (the rollup is one header and some 20 short lines). */
	char buf[4096];
	size_t got = 0;
	int fd = open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (got < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*pss_kb = rollup_field(buf, "Pss");
	*rss_kb = rollup_field(buf, "Rss");
	return *pss_kb >= 0 && *rss_kb >= 0 ? 0 : -EINVAL;
}

int sample_add_child_memory(struct sample *s)
{
	long pss, rss;
	int rc = sample_self_memory(&pss, &rss);

	if (rc < 0)
		return rc;
	atomic_fetch_add(&s->child_memory.pss_kb, pss);
	atomic_fetch_add(&s->child_memory.rss_kb, rss);
	atomic_fetch_add(&s->child_memory.count, 1);
	return 0;
}

uint64_t sample_digest(const struct sample *s)
{
	uint64_t d;

	if (s->external)
		return s->external_digest;
	d = digest_combine(s->digest, s->ntasks) + atomic_load(&s->result_sum);

	return s->has_tally ? d + digest_task(s->ntasks, s->tally.digest) : d;
}

void sample_take_result(struct sample *s, size_t task, const void *data, size_t len)
{
	atomic_fetch_add(&s->result_sum, digest_task(task, digest_words(data, len)));
	atomic_fetch_add(&s->results, 1);
	atomic_fetch_add(&s->result_bytes, (long long)len);
}

void sample_deliver(struct sample *s, size_t task, struct stage_item *result)
{
	sample_take_result(s, task, result->data, result->len);
	free(result->data);
	result->data = NULL;
	result->len = 0;
}

static const char *const path_names[] = {
	[TASK_PATH_RUN_TASK] = "run_task",
	[TASK_PATH_START_TASK] = "start_task",
	[TASK_PATH_RUN_TASK_INLINE] = "run_task_inline",
	[TASK_PATH_EXTERNAL] = "external",
};

const char *task_path_name(enum task_path path)
{
	return (size_t)path < sizeof(path_names) / sizeof(path_names[0]) ? path_names[path] : "?";
}

bool task_path_parse(const char *name, enum task_path *path)
{
	int k = names_find(path_names, sizeof(path_names) / sizeof(path_names[0]), name);

	if (k >= 0)
		*path = (enum task_path)k;
	return k >= 0;
}
