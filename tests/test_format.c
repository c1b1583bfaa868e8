/*
 * test_format.c - numbers for people: time units, and columns counted in
 * characters, so "µs" (two bytes of UTF-8) lines up with "ms".
 */
#include <math.h>

#include "format.h"
#include "unit.h"

static int seconds_units(void)
{
	char buf[32];

	format_seconds(1.5, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1.5 s"));
	format_seconds(0.0123, buf, sizeof(buf));
	CHECK(!strcmp(buf, "12.3 ms"));
	format_seconds(45.5e-6, buf, sizeof(buf));
	CHECK(!strcmp(buf, "45.5 µs"));
	format_seconds(21e-9, buf, sizeof(buf));
	CHECK(!strcmp(buf, "21 ns"));
	format_seconds(NAN, buf, sizeof(buf));
	CHECK(!strcmp(buf, "-"));
	return 0;
}

static int axis_unit_micro(void)
{
	const char *unit;
	double scale;

	format_time_unit(5e-4, &unit, &scale);
	CHECK(!strcmp(unit, "µs"));
	CHECK_NEAR(scale, 1e6, 0);
	format_time_unit(5e-3, &unit, &scale);
	CHECK(!strcmp(unit, "ms"));
	return 0;
}

/* The issue itself: padded to 10 columns, both read 10 columns wide
 * (by bytes the micro one is 11). */
static int pad_micro_same_width(void)
{
	char us[32], ms[32], us_left[32], ms_left[32];

	format_pad("1.00 µs", 10, false, us, sizeof(us));
	format_pad("1.00 ms", 10, false, ms, sizeof(ms));
	CHECK(format_width(us) == 10);
	CHECK(format_width(ms) == 10);
	CHECK(strlen(us) == strlen(ms) + 1);
	CHECK(!strcmp(us, "   1.00 µs"));
	format_pad("1.00 µs", 10, true, us_left, sizeof(us_left));
	format_pad("1.00 ms", 10, true, ms_left, sizeof(ms_left));
	CHECK(format_width(us_left) == format_width(ms_left));
	CHECK(!strcmp(us_left, "1.00 µs   "));
	/* Wider than asked: never cut. */
	format_pad("[1.00 µs, 2.00 µs]", 4, true, us, sizeof(us));
	CHECK(!strcmp(us, "[1.00 µs, 2.00 µs]"));
	return 0;
}

static int prefix_never_splits(void)
{
	CHECK(format_width("µs") == 2);
	CHECK(format_prefix_bytes("1 µs", 2) == 2);
	CHECK(format_prefix_bytes("1 µs", 3) == 4); /* "1 µ": the whole two-byte µ */
	CHECK(format_prefix_bytes("1 µs", 10) == 5);
	CHECK(format_prefix_bytes("", 3) == 0);
	return 0;
}

static const struct unit_test tests[] = {
	{ "seconds_units", seconds_units },
	{ "axis_unit_micro", axis_unit_micro },
	{ "pad_micro_same_width", pad_micro_same_width },
	{ "prefix_never_splits", prefix_never_splits },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
