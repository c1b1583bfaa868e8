/*
 * profile.c - fuzzes the profile parser: the input is a profile's text,
 * parsed by profile_parse, then every experiment line resolved by
 * cli_resolve as `matrix --profile` would. Bad input must end in a usage
 * error naming the line (caught here), never a crash, a leak or undefined
 * behaviour.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static char *text;
	static struct profile p;
	static struct run_request req;

	if (!ready) {
		fuzz_catch_usage_errors();
		ready = true;
	}
	/* What a usage error left of the previous input. */
	profile_free(&p);
	free(text);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) != size)
		return 0; /* a NUL: the reader refuses it before parsing (matrix.c) */
	if (setjmp(fuzz_usage_exit))
		return 0;
	profile_parse("fuzz", text, &p);
	for (size_t i = 0; i < p.n; i++)
		cli_resolve(&p.lines[i].spec, &req);
	return 0;
}
