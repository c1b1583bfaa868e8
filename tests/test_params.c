/*
 * test_params.c - parameter and number parsing.
 */
#include "params.h"
#include "unit.h"

static const struct param_spec specs[] = {
	{ "size", PARAM_INT, 512, 16, 8192, NULL, "px", "image size" },
	{ "reuse", PARAM_BOOL, 1, 0, 1, NULL, NULL, "keep-alive" },
	{ "url", PARAM_STRING, 0, 0, 0, "", NULL, "a server" },
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
	CHECK(vals.count == 3);
	CHECK(vals.ival[0] == 512 && vals.ival[1] == 1 && vals.sval[2][0] == '\0');
	CHECK(param_index(specs, "reuse") == 1);
	CHECK(param_index(specs, "nope") == -1);
	CHECK(param_count(specs) == 3);
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

static const struct unit_test tests[] = {
	{ "int64_strict", int64_strict },
	{ "defaults_and_lookup", defaults_and_lookup },
	{ "values", values },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	return unit_main(tests, argc, argv);
}
