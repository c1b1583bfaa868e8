/*
 * server.c - fuzzes the latency server's request handling: the input is
 * what a client sends on one connection, over real loopback TCP to the
 * server (http_server_new, evhttp's parser, our path and query checks,
 * the delayed reply, the hang-up watch). The client then shuts down its
 * sending side and reads until the server closes the connection; every
 * byte the server sends is read. Nothing may crash, leak, reach undefined
 * behaviour or keep the connection open once the client has gone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "http.h"

/* Bodies this big at most: the fuzzer's time goes to parsing, not to
 * generating megabytes; over one 64 KiB chunk, so streaming is reached. */
#define FUZZ_MAX_BYTES 200000
/* The connection must be closed within this long (a hang is a bug). */
#define FUZZ_DEADLINE_MS 5000

static struct event_base *base;
static struct http_server *srv;
static struct sockaddr_in addr;

static void start(void)
{
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	signal(SIGPIPE, SIG_IGN);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	base = event_base_new();
	srv = base ? http_server_new(base, 64, FUZZ_MAX_BYTES) : NULL;
	if (fd < 0 || !srv || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 64) < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) < 0 ||
	    http_server_listen(srv, fd) < 0) {
		perror("fuzz server");
		abort();
	}
}

static void end(void)
{
	http_server_free(srv);
	event_base_free(base);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t sent = 0;
	bool shut = false;
	double deadline;
	char buf[65536];
	int c;

	if (!base) {
		start();
		atexit(end);
	}
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c < 0 || (connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0 &&
		      errno != EINPROGRESS)) {
		perror("fuzz client");
		abort();
	}
	deadline = now_ms() + FUZZ_DEADLINE_MS;
	for (;;) {
		ssize_t n;

		/* The server's turn: accept, read, parse, reply. */
		event_base_loop(base, EVLOOP_NONBLOCK);
		if (sent < size) {
			n = send(c, data + sent, size - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != ENOTCONN)
				sent = size; /* the server closed on us: stop sending */
		}
		if (sent == size && !shut) {
			shutdown(c, SHUT_WR);
			shut = true;
		}
		n = recv(c, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != ENOTCONN))
			break; /* closed by the server */
		if (n < 0)
			poll(&(struct pollfd){ .fd = c, .events = POLLIN }, 1, 1);
		if (now_ms() > deadline) {
			fprintf(stderr, "the server kept the connection %d ms after the client "
					"had sent %zu bytes and shut down its side\n", FUZZ_DEADLINE_MS, size);
			abort();
		}
	}
	close(c);
	/* Let the server see the close and free the connection. */
	for (int k = 0; k < 4; k++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	return 0;
}
