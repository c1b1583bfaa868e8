/*
 * common.c - the fuzz targets' shared pieces (fuzz.h).
 */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "options.h"

jmp_buf fuzz_usage_exit;

static void jump_back(void)
{
	longjmp(fuzz_usage_exit, 1);
}

void fuzz_catch_usage_errors(void)
{
	opt_exit_hook = jump_back;
}

const char *fuzz_as_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		fd = memfd_create("fuzz-input", 0);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
		perror("fuzz input");
		abort();
	}
	return path;
}
