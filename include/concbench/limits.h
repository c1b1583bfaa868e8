/*
 * concbench/limits.h - what a run needs, checked against the machine's
 * limits before anything runs, so a run that cannot fit is refused as bad
 * input naming the limit and both figures, instead of failing half-way
 * (a pthread_create that fails after 482 threads, a malloc that fails on
 * the 40th image). Plug-ins call these from their validate slots.
 */
#ifndef CONCBENCH_LIMITS_H
#define CONCBENCH_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * bytes of memory that will be written (buffers, not just reserved) for
 * `what` ("64 workers' 8192x8192 image buffers"): refused when over the
 * memory the machine has available (MemAvailable plus free swap) or over
 * what RLIMIT_AS leaves this process. Returns 0, or -1 with a one-line
 * reason.
 */
int limits_check_memory(uint64_t bytes, const char *what, char *err, size_t errlen);

/*
 * n threads in this process, each reserving a stack of stack_bytes (0:
 * the default pthread stack), for `what` ("threads", "OpenMP threads"):
 * refused when their stacks are over what RLIMIT_AS leaves. Returns 0,
 * or -1 with a one-line reason.
 */
int limits_check_stacks(unsigned n, size_t stack_bytes, const char *what, char *err, size_t errlen);

/*
 * n more threads or processes of this user, for `what`: refused when, with
 * the ones this user already runs, they reach RLIMIT_NPROC (which root is
 * exempt from) or the kernel's threads-max. Returns 0, or -1 with a
 * one-line reason.
 */
int limits_check_tasks(unsigned n, const char *what, char *err, size_t errlen);

/* bytes as "1.5 GiB", "768 MiB", "12 KiB" into buf. */
char *limits_bytes_text(uint64_t bytes, char *buf, size_t len);

#endif
