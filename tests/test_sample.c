/*
 * test_sample.c - the run digest and the shared sample buffer.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "concbench/sample.h"
#include "unit.h"

static int digest_order_independent(void)
{
	struct sample *a = sample_alloc(4), *b = sample_alloc(4);

	CHECK(a && b);
	/* The same per-task digests, stored in a different order of time,
	 * are the same run. */
	for (size_t i = 0; i < 4; i++)
		a->digest[i] = 100 + i;
	for (size_t i = 4; i-- > 0;)
		b->digest[i] = 100 + i;
	CHECK(sample_digest(a) == sample_digest(b));
	/* Swapping two tasks' results is not the same run. */
	b->digest[0] = 101;
	b->digest[1] = 100;
	CHECK(sample_digest(a) != sample_digest(b));
	sample_free(a);
	sample_free(b);
	return 0;
}

static int digest_catches_lost_task(void)
{
	struct sample *s = sample_alloc(3);
	uint64_t full;

	CHECK(s);
	for (size_t i = 0; i < 3; i++)
		s->digest[i] = 7;
	full = sample_digest(s);
	sample_reset(s);
	s->digest[0] = 7;
	s->digest[2] = 7;
	CHECK(sample_digest(s) != full);
	sample_free(s);
	return 0;
}

static int fail_keeps_first(void)
{
	struct sample *s = sample_alloc(1);
	pid_t pid;
	int status;

	CHECK(s);
	/* A forked child's failure reaches the parent through shared memory. */
	pid = fork();
	if (pid == 0) {
		sample_fail(s, "first %d", 1);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	sample_fail(s, "second");
	CHECK(atomic_load(&s->failed) != 0);
	CHECK(strcmp(s->error, "first 1") == 0);
	sample_reset(s);
	CHECK(atomic_load(&s->failed) == 0 && s->error[0] == '\0');
	sample_free(s);
	return 0;
}

static const struct unit_test tests[] = {
	{ "digest_order_independent", digest_order_independent },
	{ "digest_catches_lost_task", digest_catches_lost_task },
	{ "fail_keeps_first", fail_keeps_first },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
