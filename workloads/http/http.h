/*
 * http.h - what the io.http client and its latency server share (the
 * request's limits and the deterministic body both sides agree on), and
 * the client as a stage for other workloads (mixed.pipeline).
 */
#ifndef CONCBENCH_HTTP_H
#define CONCBENCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "concbench/command.h"
#include "concbench/workload.h"

struct event_base;

#define HTTP_MAX_DELAY_MS 60000
#define HTTP_MAX_BYTES (64 * 1024 * 1024)

/*
 * Fills buf with bytes [offset, offset + len) of the body for seed: a
 * splitmix64 stream, 8 bytes per step. offset must be a multiple of 8.
 */
void http_body_fill(uint64_t seed, uint64_t offset, unsigned char *buf, size_t len);

/* `concbench serve`: the latency server, the fixture of io.http. */
extern const struct concbench_command http_serve_command;

/*
 * The latency server on a caller's event loop (what `serve` runs, and the
 * request-parsing fuzz target): answers at most max_conns connections at
 * once and bodies of at most max_bytes. http_server_listen serves a
 * listening socket, which it owns from then on; http_server_free closes
 * every connection and frees every pending reply.
 */
struct http_server;
struct http_server *http_server_new(struct event_base *base, size_t max_conns, uint64_t max_bytes);
int http_server_listen(struct http_server *srv, int fd);
void http_server_free(struct http_server *srv);

/*
 * io.http's client, for a workload whose first stage downloads (struct
 * workload_stages): the same requests, keep-alive and checks as io.http's
 * tasks, with the body kept as the stage's item (free() it).
 */
struct http_client_params {
	int64_t latency_ms, bytes;
	bool reuse;
	const char *url; /* NULL or "": the fixture's server */
};

/* libcurl's process-wide set-up: struct workload's process_init. */
void http_client_process_init(void);
int http_client_setup(const struct http_client_params *p, const char *fixture, void **client,
		      char *err, size_t errlen);
void http_client_teardown(void *client);
/* Raises RLIMIT_NOFILE for max_workers connections, or says why not. */
int http_client_validate(unsigned max_workers, char *err, size_t errlen);
int http_client_worker_init(void *client, void **worker, char *err, size_t errlen);
void http_client_worker_fini(void *client, void *worker);
/* Blocking: task i's body into item. */
int http_client_fetch(void *client, void *worker, size_t i, struct stage_item *item,
		      struct task_ctx *ctx);
/* On a libevent loop (workload_libevent.h's loop_init, loop_fini and
 * start_fetch, with the client for the instance). */
int http_client_loop_init(void *client, struct event_base *base, unsigned max_in_flight,
			  void **loop, char *err, size_t errlen);
void http_client_loop_fini(void *client, void *loop);
int http_client_start_fetch(void *client, void *loop, size_t i, struct task_done *done, char *err,
			    size_t errlen);

#endif
