/*
 * test_params.c - parameter and number parsing.
 */
#include "concbench/params.h"
#include "unit.h"

static const struct param_spec specs[] = {
	{ .name = "size", .type = PARAM_INT, .def = 512, .min = 16, .max = 8192, .unit = "px",
	  .help = "image size" },
	{ .name = "reuse", .type = PARAM_BOOL, .def = 1, .max = 1, .help = "keep-alive" },
	{ .name = "url", .type = PARAM_STRING, .def_str = "", .help = "a server" },
	{ .name = "schedule", .type = PARAM_ENUM, .def = 1, .help = "how tasks are handed out",
	  .choices = (const char *const[]){ "static", "dynamic", "guided", NULL } },
	{ 0 }
};

static int int64_strict(void)
{
	int64_t v;

	CHECK(parse_int64("42", 0, 100, &v) && v == 42);
	CHECK(parse_int64("0", 0, 100, &v) && v == 0);
	CHECK(!parse_int64("", 0, 100, &v));
	CHECK(!parse_int64("4x", 0, 100, &v));
	CHECK(!parse_int64(" 4", 0, 100, &v));
	CHECK(!parse_int64("+4", 0, 100, &v));
	CHECK(!parse_int64("-1", 0, 100, &v));
	CHECK(!parse_int64("101", 0, 100, &v));
	CHECK(!parse_int64("99999999999999999999", 0, INT64_MAX, &v));
	CHECK(parse_int64("-5", -10, 10, &v) && v == -5);
	return 0;
}

static int defaults_and_lookup(void)
{
	struct param_values vals;

	param_defaults(specs, &vals);
	CHECK(vals.count == 4);
	CHECK(vals.ival[0] == 512 && vals.ival[1] == 1 && vals.sval[2][0] == '\0');
	CHECK(param_index(specs, "reuse") == 1);
	CHECK(param_index(specs, "nope") == -1);
	CHECK(param_count(specs) == 4);
	return 0;
}

static int values(void)
{
	struct param_values vals;
	char err[128], buf[64];

	param_defaults(specs, &vals);
	CHECK(param_parse_value(&specs[0], "1024", &vals, 0, err, sizeof(err)) == 0);
	CHECK(vals.ival[0] == 1024 && vals.given[0]);
	CHECK(param_parse_value(&specs[0], "8", &vals, 0, err, sizeof(err)) < 0);
	CHECK(strstr(err, "16..8192") != NULL);
	CHECK(param_parse_value(&specs[1], "off", &vals, 1, err, sizeof(err)) == 0 && vals.ival[1] == 0);
	CHECK(param_parse_value(&specs[1], "YES", &vals, 1, err, sizeof(err)) == 0 && vals.ival[1] == 1);
	CHECK(param_parse_value(&specs[1], "maybe", &vals, 1, err, sizeof(err)) < 0);
	CHECK(param_parse_value(&specs[2], "http://127.0.0.1:8080/", &vals, 2, err, sizeof(err)) == 0);
	param_format(&specs[2], &vals, 2, buf, sizeof(buf));
	CHECK(strcmp(buf, "http://127.0.0.1:8080/") == 0);
	param_format(&specs[1], &vals, 1, buf, sizeof(buf));
	CHECK(strcmp(buf, "on") == 0);
	param_describe(&specs[0], buf, sizeof(buf));
	CHECK(strstr(buf, "16..8192 px") != NULL);
	return 0;
}

/* An enum takes one of its names, stores its index, names its choices. */
static int enum_values(void)
{
	struct param_values vals;
	char err[128], buf[96];

	param_defaults(specs, &vals);
	CHECK(vals.ival[3] == 1 && param_is_default(&specs[3], &vals, 3));
	param_format(&specs[3], &vals, 3, buf, sizeof(buf));
	CHECK(strcmp(buf, "dynamic") == 0);
	CHECK(param_parse_value(&specs[3], "guided", &vals, 3, err, sizeof(err)) == 0);
	CHECK(vals.ival[3] == 2 && !param_is_default(&specs[3], &vals, 3));
	CHECK(param_parse_value(&specs[3], "Static", &vals, 3, err, sizeof(err)) < 0);
	CHECK(strcmp(err, "expected one of static|dynamic|guided, got 'Static'") == 0);
	param_describe(&specs[3], buf, sizeof(buf));
	CHECK(strcmp(buf, "static|dynamic|guided, default dynamic") == 0);
	return 0;
}

/* A table longer than PARAM_MAX never writes past the value arrays. */
static int defaults_capped(void)
{
	struct param_spec many[PARAM_MAX + 2];
	struct {
		struct param_values vals;
		int64_t guard;
	} v = { .guard = 12345 };

	for (size_t i = 0; i < PARAM_MAX + 1; i++)
		many[i] = (struct param_spec){ .name = "p", .type = PARAM_INT, .def = 7, .max = 9,
					       .help = "x" };
	many[PARAM_MAX + 1] = (struct param_spec){ 0 };
	CHECK(param_count(many) == PARAM_MAX + 1);
	param_defaults(many, &v.vals);
	CHECK(v.vals.count == PARAM_MAX && v.guard == 12345);
	return 0;
}

static const struct unit_test tests[] = {
	{ "enum_values", enum_values },
	{ "defaults_capped", defaults_capped },
	{ "int64_strict", int64_strict },
	{ "defaults_and_lookup", defaults_and_lookup },
	{ "values", values },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
