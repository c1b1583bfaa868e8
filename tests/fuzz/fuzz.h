/*
 * fuzz.h - what the libFuzzer targets share: a usage error (exit 2 in
 * the program) jumps back to the target instead, and a buffer becomes a
 * file the readers under test open by path.
 */
#ifndef CONCBENCH_FUZZ_H
#define CONCBENCH_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

/* Set before calling code that may end in a usage error. */
extern jmp_buf fuzz_usage_exit;
/* Makes opt_verror jump to fuzz_usage_exit. (A usage error's line for
 * every input would drown libFuzzer's output: run.sh passes
 * -close_fd_mask=2, which keeps libFuzzer's and the sanitizers'.) */
void fuzz_catch_usage_errors(void);

/* data as the contents of one file (a memfd): its /proc/self/fd path,
 * valid until the next call. */
const char *fuzz_as_file(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
