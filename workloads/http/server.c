/*
 * server.c - the latency server, `concbench serve`: a libevent evhttp
 * server that answers GET /delay/<ms>?bytes=<n>&seed=<s> after <ms>
 * milliseconds, from a timer (never a sleep, so one thread holds thousands
 * of delayed requests), with a body of n bytes generated from seed.
 *
 * ==== Layout ====
 * options      parsing, exit 2 on bad input
 * connections  an open-addressing set of live connections: the cap, and
 *              the pending timer to cancel when a client goes away
 * requests     parse, validate (4xx with a one-line reason), delay, reply
 * main         socket with a deep backlog, RLIMIT_NOFILE, signals, loop
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "concbench/params.h"
#include "concbench/workload.h"

#define SERVER_BACKLOG 65535 /* the kernel caps it at net.core.somaxconn */
#define SERVER_MAX_CONNECTIONS_CAP 100000 /* the default, where the fd limit allows */
#define SERVER_SPARE_FDS 64
/* A request's headers and body, at most: a GET of /delay/<ms> needs a few
 * hundred bytes; more is refused (431/413) and its connection closed, so a
 * client cannot make the server hold memory it did not ask for. */
#define SERVER_MAX_HEADERS_BYTES 16384
#define SERVER_MAX_BODY_BYTES 4096
/* How long accepting pauses when the process is out of descriptors. */
#define SERVER_ACCEPT_BACKOFF_MS 100
#define SERVER_BODY_CHUNK 65536

void http_body_fill(uint64_t seed, uint64_t offset, unsigned char *buf, size_t len)
{
	uint64_t k = offset / 8;

	for (size_t pos = 0; pos < len; k++) {
		uint64_t v = digest_mix(seed ^ digest_mix(k));

		for (int b = 0; b < 8 && pos < len; b++, pos++)
			buf[pos] = (unsigned char)(v >> (8 * b));
	}
}

/* ==== Connections ==== */

struct pending;
struct stream;

struct conn_slot {
	struct evhttp_connection *evcon; /* NULL: empty */
	struct pending *pending;         /* the request waiting on a timer */
	struct stream *stream;           /* the body being sent, chunk by chunk */
};

struct http_server {
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	struct conn_slot *slots;
	size_t nslots; /* a power of two, at least twice max_conns */
	size_t nconns, max_conns;
	bool paused;   /* the listener is off because we hit max_conns */
	bool closing;  /* evhttp_free is tearing everything down */
	/* Accepting failed (no descriptor left): the listener is off until
	 * this timer fires; said once per episode. */
	struct event *backoff;
	bool backing_off;
	unsigned long accept_failures;
	uint64_t max_bytes; /* a body's bytes, at most */
};

struct pending {
	struct http_server *srv;
	struct evhttp_request *req;
	struct evhttp_connection *evcon;
	struct event *timer;
	struct event *hangup; /* EV_CLOSED on the client's socket, or NULL */
	uint64_t bytes, seed;
};

static size_t slot_of(const struct http_server *srv, const struct evhttp_connection *evcon)
{
	uintptr_t h = (uintptr_t)evcon;

	return (size_t)(digest_mix((uint64_t)h) & (srv->nslots - 1));
}

static struct conn_slot *conn_find(struct http_server *srv, const struct evhttp_connection *evcon)
{
	for (size_t i = slot_of(srv, evcon);; i = (i + 1) & (srv->nslots - 1)) {
		if (srv->slots[i].evcon == evcon)
			return &srv->slots[i];
		if (!srv->slots[i].evcon)
			return NULL;
	}
}

static struct conn_slot *conn_insert(struct http_server *srv, struct evhttp_connection *evcon)
{
	size_t i = slot_of(srv, evcon);

	while (srv->slots[i].evcon)
		i = (i + 1) & (srv->nslots - 1);
	srv->slots[i].evcon = evcon;
	srv->slots[i].pending = NULL;
	srv->slots[i].stream = NULL;
	srv->nconns++;
	return &srv->slots[i];
}

/* Linear-probing delete: shift later members of the cluster back so no
 * lookup stops early at the hole. */
static void conn_remove(struct http_server *srv, struct conn_slot *slot)
{
	size_t mask = srv->nslots - 1, hole = (size_t)(slot - srv->slots);

	slot->evcon = NULL;
	slot->pending = NULL;
	slot->stream = NULL;
	srv->nconns--;
	for (size_t i = (hole + 1) & mask; srv->slots[i].evcon; i = (i + 1) & mask) {
		size_t home = slot_of(srv, srv->slots[i].evcon);

		/* Move i into the hole unless its home lies cyclically in (hole, i]. */
		if (hole <= i ? (home <= hole || home > i) : (home <= hole && home > i)) {
			srv->slots[hole] = srv->slots[i];
			srv->slots[i].evcon = NULL;
			srv->slots[i].pending = NULL;
			srv->slots[i].stream = NULL;
			hole = i;
		}
	}
}

static void pending_free(struct pending *p)
{
	event_free(p->timer);
	if (p->hangup)
		event_free(p->hangup);
	free(p);
}

static void stream_free(struct stream *s);

/* A pending reply whose connection goes: when evhttp has detached the
 * request (a read or write failed), the request is ours to free. */
static void pending_free_request(struct pending *p)
{
	if (!evhttp_request_get_connection(p->req))
		evhttp_request_free(p->req);
	pending_free(p);
}

/* libevent calls this as it tears a connection down: the client went
 * away, or the connection timed out. A reply still waiting on its timer
 * must never be sent on the freed request. */
static void on_conn_close(struct evhttp_connection *evcon, void *arg)
{
	struct http_server *srv = arg;
	struct conn_slot *slot = conn_find(srv, evcon);

	if (!slot)
		return;
	if (slot->pending)
		pending_free_request(slot->pending);
	if (slot->stream) {
		stream_free(slot->stream);
		slot->stream = NULL;
	}
	conn_remove(srv, slot);
	if (srv->paused && !srv->closing && srv->nconns < srv->max_conns) {
		srv->paused = false;
		if (!srv->backing_off)
			evconnlistener_enable(srv->listener);
	}
}

/* ==== Accepting ==== */

static void on_backoff_done(evutil_socket_t fd, short what, void *arg)
{
	struct http_server *srv = arg;

	(void)fd;
	(void)what;
	srv->backing_off = false;
	if (!srv->paused && !srv->closing)
		evconnlistener_enable(srv->listener);
}

/*
 * accept() failed. Out of descriptors (connections that never finish
 * their headers hold them until they time out), the listening socket
 * stays readable: retrying at once would spin a core and fill the log.
 * Accepting pauses for SERVER_ACCEPT_BACKOFF_MS instead, said once per
 * episode; connections wait in the kernel's backlog meanwhile.
 */
static struct http_server *accepting; /* the one server of this process, for on_accept_error */

static void on_accept_error(struct evconnlistener *listener, void *arg)
{
	/* arg is the listener's user data, which evhttp owns: not ours. */
	struct http_server *srv = accepting;
	int e = EVUTIL_SOCKET_ERROR();
	struct timeval tv = { 0, SERVER_ACCEPT_BACKOFF_MS * 1000 };

	/* libevent calls this only for errors it does not retry itself
	 * (EMFILE, ENFILE, ENOBUFS, ENOMEM); errno may no longer say which. */
	(void)listener;
	(void)arg;
	srv->accept_failures++;
	if (!srv->backing_off)
		fprintf(stderr, "concbench serve: accept: %s; pausing new connections for %d ms "
				"(%lu failures so far)\n", evutil_socket_error_to_string(e),
			SERVER_ACCEPT_BACKOFF_MS, srv->accept_failures);
	if (srv->backing_off || !srv->backoff)
		return;
	evconnlistener_disable(srv->listener);
	srv->backing_off = true;
	evtimer_add(srv->backoff, &tv);
}

/* ==== Requests ==== */

static void reply_error(struct evhttp_request *req, int code, const char *reason, const char *text)
{
	struct evbuffer *body = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
	if (body)
		evbuffer_add_printf(body, "%s\n", text);
	evhttp_send_reply(req, code, reason, body);
	if (body)
		evbuffer_free(body);
}

/*
 * A body over one chunk is sent a chunk at a time, the next generated when
 * the last has gone to the socket, with its Content-Length (so evhttp does
 * not switch to chunked encoding): a client that asks for 64 MiB and reads
 * nothing makes the server hold one chunk, not 64 MiB.
 */
struct stream {
	struct http_server *srv;
	struct evhttp_request *req;
	struct evhttp_connection *evcon;
	uint64_t bytes, sent, seed;
};

static void stream_next(struct stream *s);

/* A stream whose connection goes. A client that hangs up mid-body makes
 * evhttp detach the request (the write failed while we were sending): it
 * is then ours, and ending the reply frees it. Otherwise evhttp frees it
 * with the connection. */
static void stream_free(struct stream *s)
{
	if (!evhttp_request_get_connection(s->req))
		evhttp_send_reply_end(s->req);
	free(s);
}

static void on_chunk_sent(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	stream_next(arg);
}

static void stream_next(struct stream *s)
{
	unsigned char chunk[SERVER_BODY_CHUNK];
	struct evbuffer *buf;
	size_t n;

	if (s->sent == s->bytes) {
		struct conn_slot *slot = conn_find(s->srv, s->evcon);
		struct evhttp_request *req = s->req;

		/* Before the end: it may close the connection (on_conn_close). */
		if (slot && slot->stream == s)
			slot->stream = NULL;
		free(s);
		evhttp_send_reply_end(req);
		return;
	}
	n = s->bytes - s->sent < SERVER_BODY_CHUNK ? (size_t)(s->bytes - s->sent) : SERVER_BODY_CHUNK;
	http_body_fill(s->seed, s->sent, chunk, n);
	s->sent += n;
	buf = evbuffer_new();
	if (!buf || evbuffer_add(buf, chunk, n) < 0) {
		/* Out of memory: the client sees a short body. */
		if (buf)
			evbuffer_free(buf);
		evhttp_connection_free(s->evcon); /* frees s (on_conn_close) */
		return;
	}
	evhttp_send_reply_chunk_with_cb(s->req, buf, on_chunk_sent, s);
	evbuffer_free(buf);
}

static void reply_body(struct http_server *srv, struct evhttp_request *req, uint64_t bytes,
		       uint64_t seed)
{
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct conn_slot *slot = conn_find(srv, evcon);
	unsigned char chunk[SERVER_BODY_CHUNK];
	struct stream *s;
	char length[24];

	evhttp_add_header(headers, "Content-Type", "application/octet-stream");
	if (bytes <= SERVER_BODY_CHUNK || !slot || !(s = calloc(1, sizeof(*s)))) {
		/* One chunk (or no memory for the stream): whole, at once. */
		for (uint64_t off = 0; off < bytes; off += SERVER_BODY_CHUNK) {
			size_t n = bytes - off < SERVER_BODY_CHUNK ? (size_t)(bytes - off)
								   : SERVER_BODY_CHUNK;

			http_body_fill(seed, off, chunk, n);
			evbuffer_add(out, chunk, n);
		}
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
		return;
	}
	*s = (struct stream){ .srv = srv, .req = req, .evcon = evcon, .bytes = bytes, .seed = seed };
	slot->stream = s;
	snprintf(length, sizeof(length), "%llu", (unsigned long long)bytes);
	evhttp_add_header(headers, "Content-Length", length);
	evhttp_send_reply_start(req, HTTP_OK, "OK");
	stream_next(s);
}

/*
 * The client hung up while its reply waited on the timer. evhttp stops
 * reading a connection once it has a request, so it would notice only
 * when the reply is written, after the delay: until then the connection
 * would hold its slot under --max-connections and its descriptor (a
 * killed cell's requests would load the next cell's server). EV_CLOSED
 * (epoll's EPOLLRDHUP) sees the hang-up without reading: the connection
 * is freed now, and on_conn_close frees this pending reply. A client
 * that only shuts down its sending side is taken as gone too.
 */
static void on_hangup(evutil_socket_t fd, short what, void *arg)
{
	struct pending *p = arg;

	(void)fd;
	(void)what;
	evhttp_connection_free(p->evcon);
}

/* Watches the connection for a hang-up while p waits; without
 * EV_FEATURE_EARLY_CLOSE (a backend other than epoll) the hang-up is
 * seen when the reply is written, as before. */
static void watch_hangup(struct http_server *srv, struct pending *p)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(p->evcon);
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;

	if (fd < 0 || !(event_base_get_features(srv->base) & EV_FEATURE_EARLY_CLOSE))
		return;
	p->hangup = event_new(srv->base, fd, EV_CLOSED, on_hangup, p);
	if (p->hangup && event_add(p->hangup, NULL) < 0) {
		event_free(p->hangup);
		p->hangup = NULL;
	}
}

static void on_delay_done(evutil_socket_t fd, short what, void *arg)
{
	struct pending *p = arg;
	struct conn_slot *slot = conn_find(p->srv, p->evcon);

	(void)fd;
	(void)what;
	if (slot && slot->pending == p)
		slot->pending = NULL;
	reply_body(p->srv, p->req, p->bytes, p->seed);
	pending_free(p);
}

/* Parses a decimal query value within [0, max]; false on anything else. */
static bool query_number(const struct evkeyvalq *q, const char *key, uint64_t max, uint64_t *out)
{
	const char *v = evhttp_find_header(q, key);
	int64_t parsed;

	if (!v)
		return true; /* absent: keep the default */
	if (!parse_int64(v, 0, max > INT64_MAX ? INT64_MAX : (int64_t)max, &parsed))
		return false;
	*out = (uint64_t)parsed;
	return true;
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct http_server *srv = arg;
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq q = { 0 };
	struct conn_slot *slot = conn_find(srv, evcon);
	uint64_t bytes = 0, seed = 0;
	int64_t ms;
	char text[160];
	struct pending *p;

	if (!slot) {
		if (srv->nconns >= srv->max_conns) {
			evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
			reply_error(req, 503, "Service Unavailable", "too many connections");
			return;
		}
		slot = conn_insert(srv, evcon);
		evhttp_connection_set_closecb(evcon, on_conn_close, srv);
		if (srv->nconns >= srv->max_conns && !srv->paused) {
			/* New connections wait in the kernel's backlog. */
			evconnlistener_disable(srv->listener);
			srv->paused = true;
		}
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		reply_error(req, 405, "Method Not Allowed", "only GET is served");
		return;
	}
	if (!path || strncmp(path, "/delay/", 7) != 0) {
		reply_error(req, 404, "Not Found", "the path must be /delay/<ms>");
		return;
	}
	if (!parse_int64(path + 7, 0, HTTP_MAX_DELAY_MS, &ms)) {
		snprintf(text, sizeof(text), "delay: expected milliseconds in 0..%d, got '%.40s'",
			 HTTP_MAX_DELAY_MS, path + 7);
		reply_error(req, 400, "Bad Request", text);
		return;
	}
	if (query && evhttp_parse_query_str(query, &q) < 0) {
		reply_error(req, 400, "Bad Request", "the query string is malformed");
		return;
	}
	if (!query_number(&q, "bytes", srv->max_bytes, &bytes)) {
		snprintf(text, sizeof(text), "bytes: expected an integer in 0..%llu",
			 (unsigned long long)srv->max_bytes);
		reply_error(req, 400, "Bad Request", text);
	} else if (!query_number(&q, "seed", INT64_MAX, &seed)) {
		reply_error(req, 400, "Bad Request", "seed: expected an integer in 0..9223372036854775807");
	} else if (ms == 0) {
		reply_body(srv, req, bytes, seed);
	} else if (!(p = calloc(1, sizeof(*p))) ||
		   !(p->timer = evtimer_new(srv->base, on_delay_done, p))) {
		free(p);
		reply_error(req, 500, "Internal Server Error", "out of memory");
	} else {
		struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

		*p = (struct pending){ .srv = srv, .req = req, .evcon = evcon, .timer = p->timer,
				       .bytes = bytes, .seed = seed };
		slot->pending = p;
		evtimer_add(p->timer, &tv);
		watch_hangup(srv, p);
	}
	evhttp_clear_headers(&q);
}

/* ==== Options and main ==== */

enum { O_BIND, O_PORT, O_MAX_CONNECTIONS };

static const struct param_spec serve_options[] = {
	[O_BIND] = { .name = "bind", .type = PARAM_STRING, .def_str = "127.0.0.1",
	             .help = "the IPv4 or IPv6 address to listen on" },
	[O_PORT] = { .name = "port", .type = PARAM_INT, .max = 65535,
	             .help = "the port to listen on; 0 takes any free one" },
	[O_MAX_CONNECTIONS] = { .name = "max_connections", .type = PARAM_INT, .max = 1000000,
	                        .help = "open connections at most (more wait in the backlog); 0 "
	                                "takes what the open-file limit allows, at most 100000" },
	{ 0 }
};

/* A listening socket with a deeper backlog than evhttp's own 128, so a
 * burst of thousands of connects is not dropped (and retried a second
 * later by the client's kernel). */
static evutil_socket_t listen_socket(const char *bind_addr, int port, char *err, size_t errlen)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int one = 1;
	evutil_socket_t fd;

	if (strchr(bind_addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, bind_addr, &s6->sin6_addr);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, bind_addr, &s4->sin_addr);
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Hand us a connection only once its request has arrived. libevent's
	 * listener accepts until the queue is empty; under a burst of 10,000
	 * connects it would accept for as long as clients keep connecting and
	 * read no request meanwhile, so no delay timer would start. */
	setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &one, sizeof(one));
	/* Accepted connections inherit it. libevent writes a reply's headers
	 * and body as they come; without it, a body over 16 KiB waited for
	 * the client's delayed ACK: 40 ms more per request on loopback. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SERVER_BACKLOG) < 0) {
		snprintf(err, errlen, "cannot listen on %.100s port %d: %s", bind_addr, port,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

struct http_server *http_server_new(struct event_base *base, size_t max_conns, uint64_t max_bytes)
{
	struct http_server *srv = calloc(1, sizeof(*srv));

	if (!srv)
		return NULL;
	srv->base = base;
	srv->max_conns = max_conns;
	srv->max_bytes = max_bytes;
	for (srv->nslots = 64; srv->nslots < 2 * srv->max_conns; srv->nslots *= 2)
		;
	srv->slots = calloc(srv->nslots, sizeof(*srv->slots));
	srv->http = evhttp_new(base);
	srv->backoff = evtimer_new(base, on_backoff_done, srv);
	if (!srv->slots || !srv->http || !srv->backoff) {
		http_server_free(srv);
		return NULL;
	}
	evhttp_set_max_headers_size(srv->http, SERVER_MAX_HEADERS_BYTES);
	evhttp_set_max_body_size(srv->http, SERVER_MAX_BODY_BYTES);
	evhttp_set_gencb(srv->http, on_request, srv);
	/* Idle keep-alive connections go after 2 minutes; a delay is at most 60 s. */
	evhttp_set_timeout(srv->http, 120);
	return srv;
}

int http_server_listen(struct http_server *srv, int fd)
{
	struct evhttp_bound_socket *bound = evhttp_accept_socket_with_handle(srv->http, fd);

	if (!bound)
		return -1;
	srv->listener = evhttp_bound_socket_get_listener(bound);
	accepting = srv;
	evconnlistener_set_error_cb(srv->listener, on_accept_error);
	return 0;
}

void http_server_free(struct http_server *srv)
{
	if (!srv)
		return;
	if (accepting == srv)
		accepting = NULL;
	if (srv->backoff)
		event_free(srv->backoff);
	/* evhttp_free closes every connection (and so frees each pending
	 * timer in on_conn_close) after it has freed the listener. */
	srv->closing = true;
	if (srv->http)
		evhttp_free(srv->http);
	free(srv->slots);
	free(srv);
}

static int http_server_main(const struct param_values *opts, const struct command_context *ctx)
{
	const char *bind_addr = opts->sval[O_BIND];
	int64_t max_conns = opts->ival[O_MAX_CONNECTIONS];
	struct http_server *srv = NULL;
	struct event_base *base = NULL;
	struct in_addr a4;
	struct in6_addr a6;
	struct rlimit rl;
	struct event_config *ec;
	struct event *sigterm = NULL, *sigint = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char err[256], url[128], host[INET6_ADDRSTRLEN];
	evutil_socket_t fd;
	int rc = 1, port;

	if (inet_pton(AF_INET, bind_addr, &a4) != 1 && inet_pton(AF_INET6, bind_addr, &a6) != 1) {
		fprintf(stderr, "concbench: --bind: expected an IPv4 or IPv6 address, got '%s'\n",
			bind_addr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	/* Every connection is a descriptor: take all the kernel allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		rl.rlim_cur = RLIM_INFINITY;
	if (max_conns == 0) {
		max_conns = SERVER_MAX_CONNECTIONS_CAP;
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < SERVER_MAX_CONNECTIONS_CAP + SERVER_SPARE_FDS)
			max_conns = rl.rlim_cur > 2 * SERVER_SPARE_FDS ? (int64_t)rl.rlim_cur - SERVER_SPARE_FDS
								       : SERVER_SPARE_FDS;
	} else if (rl.rlim_cur != RLIM_INFINITY && (uint64_t)max_conns + SERVER_SPARE_FDS > rl.rlim_cur) {
		fprintf(stderr, "concbench: --max-connections: %lld needs %lld file descriptors, "
				"but RLIMIT_NOFILE allows %llu\n", (long long)max_conns,
			(long long)max_conns + SERVER_SPARE_FDS, (unsigned long long)rl.rlim_cur);
		return 2;
	}
	ec = event_config_new();
	if (ec)
		event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
	base = ec ? event_base_new_with_config(ec) : NULL;
	if (ec)
		event_config_free(ec);
	srv = base ? http_server_new(base, (size_t)max_conns, HTTP_MAX_BYTES) : NULL;
	if (!srv) {
		fprintf(stderr, "concbench serve: out of memory\n");
		goto out;
	}
	fd = listen_socket(bind_addr, (int)opts->ival[O_PORT], err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "concbench serve: %s\n", err);
		goto out;
	}
	if (http_server_listen(srv, fd) < 0) {
		fprintf(stderr, "concbench serve: evhttp cannot accept on the socket\n");
		close(fd);
		goto out;
	}

	getsockname(fd, (struct sockaddr *)&ss, &sslen);
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		snprintf(url, sizeof(url), "http://[%s]:%d", host, port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		snprintf(url, sizeof(url), "http://%s:%d", host, port);
	}

	sigterm = evsignal_new(base, SIGTERM, on_stop_signal, base);
	sigint = evsignal_new(base, SIGINT, on_stop_signal, base);
	if (!sigterm || !sigint || evsignal_add(sigterm, NULL) < 0 || evsignal_add(sigint, NULL) < 0) {
		fprintf(stderr, "concbench serve: cannot watch SIGTERM/SIGINT\n");
		goto out;
	}
	if (ctx->ready_fd >= 0) {
		dprintf(ctx->ready_fd, "%s\n", url);
		close(ctx->ready_fd);
	} else {
		printf("%s\n", url);
		fflush(stdout);
	}
	event_base_dispatch(base);
	rc = 0;
out:
	if (sigterm)
		event_free(sigterm);
	if (sigint)
		event_free(sigint);
	http_server_free(srv);
	if (base)
		event_base_free(base);
	return rc;
}

const struct concbench_command http_serve_command = {
	.name = "serve",
	.summary = "the latency server io.http uses",
	.description = "Answers GET /delay/<ms>?bytes=<n>&seed=<s> after <ms> milliseconds "
		       "(0..60000), from a timer, with n bytes (0..67108864) generated from seed: "
		       "the body io.http's client digests. Prints its URL on stdout when ready. "
		       "Binds 127.0.0.1 and an ephemeral port by default.",
	.options = serve_options,
	.main = http_server_main,
};
