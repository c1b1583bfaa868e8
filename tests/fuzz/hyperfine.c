/*
 * hyperfine.c - fuzzes the reader of hyperfine's --export-json
 * (hyperfine_parse), expecting 3 runs a command as `concbench hyperfine
 * --repeat 3` would. A damaged export must be refused with a reason
 * naming the field, never crash, leak or reach undefined behaviour.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "hyperfine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hf_result *r;
	size_t n;
	char err[512];

	if (hyperfine_parse(fuzz_as_file(data, size), 3, &r, &n, err, sizeof(err)) == 0)
		hyperfine_free(r, n);
	return 0;
}
