/*
 * concbench/fault.h - the one seam for injected faults, in the spirit of
 * sqlite's system-call table: the calls a run depends on (fork, pipe,
 * writing and syncing results, rename, mmap, pthread_create, the pools'
 * allocations, sockets and curl transfers) go through these wrappers, and
 * CONCBENCH_FAULT makes a chosen one fail, so a test can show what each
 * failure becomes: a recorded cell failure with a clear reason, no lost
 * result, no leak, no hang, no orphan (docs/RELIABILITY.md).
 *
 * CONCBENCH_FAULT is a comma-separated list of SITE@K[+][:ERRNO][/DEPTH]:
 *   SITE   fork, pipe, write (every file of the run folder), append (the
 *          write of a results.jsonl line alone), fsync, rename, mmap,
 *          thread, alloc, socket, curl
 *   @K     the K-th call of that site in a process fails (counted from 1;
 *          a process forked through fault_fork counts afresh)
 *   +      and every later one
 *   ERRNO  the error it fails with (ENOSPC, EIO, ENOMEM, EAGAIN, EMFILE,
 *          ENFILE); the site's own by default
 *   DEPTH  only in processes this many forks below the one concbench
 *          started in (0: the harness; 1: a cell, the latency server; 2:
 *          a cell's worker process)
 * Unset, each wrapper is the plain call after one test of a flag.
 */
#ifndef CONCBENCH_FAULT_H
#define CONCBENCH_FAULT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum fault_site {
	FAULT_FORK,
	FAULT_PIPE,
	FAULT_WRITE,
	FAULT_APPEND,
	FAULT_FSYNC,
	FAULT_RENAME,
	FAULT_MMAP,
	FAULT_THREAD,
	FAULT_ALLOC,
	FAULT_SOCKET,
	FAULT_CURL,
	FAULT_NSITES
};

/* Reads CONCBENCH_FAULT (once; later calls do nothing): a plan it cannot
 * read is bad input, exit 2, before anything runs. */
void fault_init(void);
/* Whether any fault is planned for site in this process (a caller MAY
 * then install a hook it would not need otherwise). */
bool fault_armed(enum fault_site site);
/* Counts a call of site: 0 to go ahead, or the errno it is to fail with. */
int fault_now(enum fault_site site);
/* Counts a call of site: true, with errno set, when it is to fail now. */
bool fault_fails(enum fault_site site);

/* The calls, failing as planned (errno set; pthread_create's error returned). */
pid_t fault_fork(void);
int fault_pipe2(int fds[2], int flags);
void *fault_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int fault_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
void *fault_calloc(size_t n, size_t size);
int fault_socket(int domain, int type, int protocol);

#endif
