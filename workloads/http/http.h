/*
 * http.h - what the io.http client and its latency server share: the
 * request's limits and the deterministic body both sides agree on.
 */
#ifndef CONCBENCH_HTTP_H
#define CONCBENCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "concbench/command.h"

#define HTTP_MAX_DELAY_MS 60000
#define HTTP_MAX_BYTES (64 * 1024 * 1024)

/*
 * Fills buf with bytes [offset, offset + len) of the body for seed: a
 * splitmix64 stream, 8 bytes per step. offset must be a multiple of 8.
 */
void http_body_fill(uint64_t seed, uint64_t offset, unsigned char *buf, size_t len);

/* `concbench serve`: the latency server, the fixture of io.http. */
extern const struct concbench_command http_serve_command;

#endif
