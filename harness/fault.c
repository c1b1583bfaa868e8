/*
 * fault.c - injected faults (concbench/fault.h).
 */
#include "concbench/fault.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define FAULT_MAX_RULES 8

struct fault_rule {
	enum fault_site site;
	unsigned long at;  /* the call that fails, from 1 */
	bool onwards;      /* and every later one */
	int err;
	int depth;         /* -1: any process */
};

static const struct {
	const char *name;
	int err;
} sites[FAULT_NSITES] = {
	[FAULT_FORK] = { "fork", EAGAIN },     [FAULT_PIPE] = { "pipe", EMFILE },
	[FAULT_WRITE] = { "write", ENOSPC },   [FAULT_APPEND] = { "append", ENOSPC },
	[FAULT_FSYNC] = { "fsync", EIO },
	[FAULT_RENAME] = { "rename", EIO },    [FAULT_MMAP] = { "mmap", ENOMEM },
	[FAULT_THREAD] = { "thread", EAGAIN }, [FAULT_ALLOC] = { "alloc", ENOMEM },
	[FAULT_SOCKET] = { "socket", EMFILE }, [FAULT_CURL] = { "curl", EIO },
};

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "ENOSPC", ENOSPC }, { "EIO", EIO },       { "ENOMEM", ENOMEM },
	{ "EAGAIN", EAGAIN }, { "EMFILE", EMFILE }, { "ENFILE", ENFILE },
};

static pthread_once_t parsed = PTHREAD_ONCE_INIT;
static struct fault_rule rules[FAULT_MAX_RULES];
static size_t nrules;
static bool armed[FAULT_NSITES];
static atomic_ulong calls[FAULT_NSITES];
static int depth; /* forks through fault_fork below concbench's first process */

static _Noreturn void bad_spec(const char *spec, const char *why)
{
	fprintf(stderr, "concbench: CONCBENCH_FAULT: %s in '%.200s'; expected "
			"SITE@K[+][:ERRNO][/DEPTH], sites fork, pipe, write, append, fsync, rename, "
			"mmap, thread, alloc, socket, curl\n", why, spec);
	exit(2);
}

static bool parse_rule(char *item, struct fault_rule *r)
{
	char *at = strchr(item, '@'), *colon, *slash, *end;
	size_t s;

	if (!at)
		return false;
	*at++ = '\0';
	for (s = 0; s < FAULT_NSITES && strcmp(sites[s].name, item); s++)
		;
	if (s == FAULT_NSITES)
		return false;
	*r = (struct fault_rule){ .site = (enum fault_site)s, .err = sites[s].err, .depth = -1 };
	if ((slash = strchr(at, '/'))) {
		*slash++ = '\0';
		r->depth = (int)strtol(slash, &end, 10);
		if (end == slash || *end || r->depth < 0)
			return false;
	}
	if ((colon = strchr(at, ':'))) {
		size_t k;

		*colon++ = '\0';
		for (k = 0; k < sizeof(errnos) / sizeof(errnos[0]) && strcmp(errnos[k].name, colon); k++)
			;
		if (k == sizeof(errnos) / sizeof(errnos[0]))
			return false;
		r->err = errnos[k].value;
	}
	r->at = strtoul(at, &end, 10);
	if (end == at || r->at == 0)
		return false;
	if (*end == '+') {
		r->onwards = true;
		end++;
	}
	return *end == '\0';
}

static void parse(void)
{
	const char *spec = getenv("CONCBENCH_FAULT");
	char buf[512], *save = NULL;

	if (!spec || !*spec)
		return;
	if (strlen(spec) >= sizeof(buf))
		bad_spec(spec, "too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (nrules == FAULT_MAX_RULES)
			bad_spec(spec, "too many faults");
		if (!parse_rule(item, &rules[nrules]))
			bad_spec(spec, "a fault not understood");
		armed[rules[nrules++].site] = true;
	}
}

void fault_init(void)
{
	pthread_once(&parsed, parse);
}

bool fault_armed(enum fault_site site)
{
	fault_init();
	if (!armed[site])
		return false;
	for (size_t k = 0; k < nrules; k++)
		if (rules[k].site == site && (rules[k].depth < 0 || rules[k].depth == depth))
			return true;
	return false;
}

int fault_now(enum fault_site site)
{
	unsigned long n;

	if (!fault_armed(site))
		return 0;
	n = atomic_fetch_add(&calls[site], 1) + 1;
	for (size_t k = 0; k < nrules; k++) {
		const struct fault_rule *r = &rules[k];

		if (r->site == site && (r->depth < 0 || r->depth == depth) &&
		    (n == r->at || (r->onwards && n > r->at))) {
			/* Said, so a test (or a person) sees the fault land. */
			char line[160];
			int len = snprintf(line, sizeof(line), "concbench: fault injected: %s call %lu "
						"fails with %s (pid %d, depth %d)\n", sites[site].name, n,
					   strerrorname_np(r->err), (int)getpid(), depth);

			if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
				return r->err;
			return r->err;
		}
	}
	return 0;
}

bool fault_fails(enum fault_site site)
{
	int e = fault_now(site);

	if (e)
		errno = e;
	return e != 0;
}

pid_t fault_fork(void)
{
	pid_t pid;

	if (fault_fails(FAULT_FORK))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* The child counts its own calls, one level down. */
		depth++;
		for (size_t s = 0; s < FAULT_NSITES; s++)
			atomic_store(&calls[s], 0);
	}
	return pid;
}

int fault_pipe2(int fds[2], int flags)
{
	return fault_fails(FAULT_PIPE) ? -1 : pipe2(fds, flags);
}

void *fault_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	return fault_fails(FAULT_MMAP) ? MAP_FAILED : mmap(addr, len, prot, flags, fd, offset);
}

int fault_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	int e = fault_now(FAULT_THREAD);

	return e ? e : pthread_create(t, attr, fn, arg);
}

void *fault_calloc(size_t n, size_t size)
{
	return fault_fails(FAULT_ALLOC) ? NULL : calloc(n, size);
}

int fault_socket(int domain, int type, int protocol)
{
	return fault_fails(FAULT_SOCKET) ? -1 : socket(domain, type, protocol);
}
