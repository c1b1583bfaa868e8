/*
 * test_result.c - how a cell's outcome becomes its record: the
 * interference verdict over its samples. result.c's helpers are static,
 * so this file includes it and links in place of the library's copy.
 */
#include "result.c"

#include "unit.h"

/* n samples of wall_s each, others' CPU as measured before clamping. */
static void outcome(struct cell_outcome *o, struct sample_record *s, size_t n, double wall_s,
		    const double *raw, size_t nraw)
{
	memset(o, 0, sizeof(*o));
	for (size_t k = 0; k < n; k++) {
		double f = raw[k % nraw];

		memset(&s[k], 0, sizeof(s[k]));
		s[k].wall_s = wall_s;
		s[k].foreign_raw_s = f;
		s[k].foreign_cpu_s = f > 0 ? f : 0;
		s[k].steal_s = 0;
	}
	o->samples = s;
	o->nsamples = n;
}

/* 3 ms samples on an idle machine, the cell using one core: the busy
 * time, counted in 10 ms ticks, shows one tick (7 ms above the cell's
 * CPU) in 3 samples of 10 and none (3 ms below) in the other 7. Summed
 * signed, others used nothing; clamped one by one, it was 0.7 cores,
 * and the cell was flagged. */
static int tick_rounding_cancels(void)
{
	const double raw[] = { 0.007, -0.003, -0.003, 0.007, -0.003,
			       -0.003, 0.007, -0.003, -0.003, -0.003 };
	struct sample_record s[20];
	struct cell_outcome o;
	struct record r;
	double v[20];

	record_init(&r);
	outcome(&o, s, 20, 0.003, raw, 10);
	interference(&r, &o, v);
	CHECK(!r.interference);
	CHECK(r.foreign_cores < 0.05);
	return 0;
}

/* A core busy elsewhere the whole time is still seen, however the ticks
 * fall: 3 ms of others' CPU per 3 ms sample, give or take a tick. */
static int a_busy_core_is_seen(void)
{
	const double raw[] = { 0.008, -0.002, 0.003 };
	struct sample_record s[30];
	struct cell_outcome o;
	struct record r;
	double v[30];

	record_init(&r);
	outcome(&o, s, 30, 0.003, raw, 3);
	interference(&r, &o, v);
	CHECK(r.interference);
	CHECK(r.foreign_cores > 0.9 && r.foreign_cores < 1.1);
	return 0;
}

static const struct unit_test tests[] = {
	{ "tick_rounding_cancels", tick_rounding_cancels },
	{ "a_busy_core_is_seen", a_busy_core_is_seen },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
