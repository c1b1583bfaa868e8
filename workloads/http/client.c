/*
 * client.c - io.http: each task GETs one URL with libcurl and digests the
 * body. By default the URL is the embedded latency server's (started by
 * the harness as this workload's fixture): /delay/<latency_ms>?bytes=
 * <bytes>&seed=<task>. `url` points it at any other server instead.
 *
 * Blocking strategies get one easy handle per worker (keep-alive across
 * the worker's tasks). The event loop drives multi handles with
 * curl_multi_socket_action on libevent: socket events and a timer each.
 *
 * ==== Layout ====
 * parameters, instance, URL template
 * body accounting (digest, length) shared by both paths
 * blocking path: worker_init / run_task / worker_fini
 * event-loop path: loop_init / start_task / loop_fini and curl's callbacks
 */
#include "http.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "concbench/fault.h"
#include "concbench/workload.h"
#include "concbench/workload_libevent.h"

enum { P_LATENCY_MS, P_BYTES, P_REUSE, P_URL };

static const struct param_spec http_params[] = {
	[P_LATENCY_MS] = { .name = "latency_ms", .type = PARAM_INT, .def = 50,
	                   .max = HTTP_MAX_DELAY_MS, .unit = "ms",
	                   .help = "the server's delay before it answers" },
	[P_BYTES] = { .name = "bytes", .type = PARAM_INT, .def = 1024, .max = HTTP_MAX_BYTES,
	              .unit = "bytes", .help = "body size the server sends" },
	[P_REUSE] = { .name = "reuse", .type = PARAM_BOOL, .def = 1, .max = 1,
	              .help = "keep connections alive between a worker's requests (off: a new "
	                      "connection per request)" },
	[P_URL] = { .name = "url", .type = PARAM_STRING, .def_str = "",
	            .help = "another server instead of the embedded one; {ms}, {bytes} and "
	                    "{seed} are replaced (e.g. "
	                    "http://127.0.0.1:8080/delay/{ms}?bytes={bytes}&seed={seed})" },
	{ 0 }
};

#define HTTP_URL_MAX 1024
#define HTTP_FD_SPARE 64          /* descriptors beyond one per connection */
#define HTTP_CONNECT_TIMEOUT_MS 10000L
#define HTTP_EXTRA_TIMEOUT_MS 30000L /* beyond the delay, before a transfer gives up */

struct http_instance {
	char url[HTTP_URL_MAX]; /* template with {ms} {bytes} {seed} */
	int64_t latency_ms, bytes;
	bool reuse;
	bool check_length;      /* the server promises exactly `bytes` bytes */
};

/* ==== Parameters, instance, URL template ==== */

void http_client_process_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool http_needs_server(const struct param_values *params)
{
	return params->sval[P_URL][0] == '\0';
}

/* One connection per worker (or per task in flight), each a descriptor. */
static int http_validate(const struct param_values *params, unsigned max_workers, char *err,
			 size_t errlen)
{
	rlim_t need = (rlim_t)max_workers + HTTP_FD_SPARE;
	struct rlimit rl;
	const char *url = params ? params->sval[P_URL] : ""; /* NULL: another workload's client */

	if (url[0] && strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
		snprintf(err, errlen, "--param url: expected an http:// or https:// URL, got '%.80s'",
			 url);
		return -1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		snprintf(err, errlen,
			 "%u connections need %llu open files, but RLIMIT_NOFILE's hard limit is %llu "
			 "(raise it with ulimit -Hn or limits.conf, or use fewer workers)",
			 max_workers, (unsigned long long)need, (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "%u connections need %llu open files; raising RLIMIT_NOFILE failed",
			 max_workers, (unsigned long long)need);
		return -1;
	}
	return 0;
}

static int http_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	struct http_client_params p = {
		.latency_ms = ws->params->ival[P_LATENCY_MS],
		.bytes = ws->params->ival[P_BYTES],
		.reuse = ws->params->ival[P_REUSE] != 0,
		.url = ws->params->sval[P_URL],
	};

	return http_client_setup(&p, ws->fixture, instance, err, errlen);
}

/* Expands the template for task i. */
static void http_task_url(const struct http_instance *h, size_t i, char *out, size_t len)
{
	size_t used = 0;

	for (const char *p = h->url; *p && used + 1 < len;) {
		int n = 0;

		if (!strncmp(p, "{ms}", 4))
			n = snprintf(out + used, len - used, "%" PRId64, h->latency_ms), p += 4;
		else if (!strncmp(p, "{bytes}", 7))
			n = snprintf(out + used, len - used, "%" PRId64, h->bytes), p += 7;
		else if (!strncmp(p, "{seed}", 6))
			n = snprintf(out + used, len - used, "%zu", i), p += 6;
		else
			out[used] = *p++, n = 1;
		used += n > 0 ? (size_t)n : 0;
	}
	out[used < len ? used : len - 1] = '\0';
}

/* ==== Body accounting ==== */

struct body {
	uint64_t hash;
	uint64_t length;
	/* A fetch stage keeps the bytes too, for the next stage. */
	bool keep;
	unsigned char *data;
	size_t cap;
};

static void body_reset(struct body *b, bool keep)
{
	b->hash = DIGEST_FNV_OFFSET;
	b->length = 0;
	b->keep = keep;
	free(b->data);
	b->data = NULL;
	b->cap = 0;
}

/* The body arrives in pieces: one FNV-1a over all of them. Returning
 * less than n makes curl fail the transfer (out of memory). */
static size_t body_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;

	if (b->keep) {
		if (b->length + n > b->cap) {
			size_t cap = b->cap ? b->cap : 4096;
			unsigned char *p;

			while (cap < b->length + n)
				cap *= 2;
			if (!(p = realloc(b->data, cap)))
				return 0;
			b->data = p;
			b->cap = cap;
		}
		memcpy(b->data + b->length, data, n);
	}
	b->hash = digest_bytes_update(b->hash, data, n);
	b->length += n;
	return n;
}

/* Hands the kept bytes over to a stage item. */
static void body_take(struct body *b, struct stage_item *item)
{
	item->data = b->data;
	item->len = (size_t)b->length;
	b->data = NULL;
	b->cap = 0;
}

/*
 * Closing with SO_LINGER 0 sends a reset instead of a FIN, so the client
 * keeps no TIME_WAIT socket. Without it every sample leaves one per
 * connection for a minute, and the next sample's connect() walks them all
 * looking for a free port (__inet_hash_connect): at 10,000 connections a
 * sample took 2 s instead of a fraction of one, measuring the previous
 * sample's leftovers rather than the strategy. Replies are complete before
 * any close, so the reset loses nothing.
 */
static int no_time_wait(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	(void)arg;
	if (purpose == CURLSOCKTYPE_IPCXN)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	return CURL_SOCKOPT_OK;
}

/* A socket for curl through the fault seam (installed only when a socket
 * fault is planned). */
static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	(void)purpose;
	return fault_socket(a->family, a->socktype, a->protocol);
}

/* Configures an easy handle the same way for both paths. */
static CURL *http_easy_new(const struct http_instance *h, struct body *b, char *errbuf)
{
	CURL *e = curl_easy_init();

	if (!e)
		return NULL;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");       /* never an environment proxy */
	/* HTTP alone, whatever the url says or a redirect would lead to
	 * (file://, dict://, ...): validate refuses others up front too. */
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	/* A receive buffer near the reply's size: curl's 16 KiB default,
	 * times 10,000 handles, is 160 MB of pages to fault in. */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE,
			 h->bytes + 1024 < 4096 ? 4096L : h->bytes + 1024 > 16384 ? 16384L
										 : (long)h->bytes + 1024);
	curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, no_time_wait);
	if (fault_armed(FAULT_SOCKET))
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)h->latency_ms + HTTP_EXTRA_TIMEOUT_MS);
	if (!h->reuse) {
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	}
	return e;
}

/*
 * Turns a finished transfer into a digest or a one-line reason: curl's
 * own error, an HTTP error status, or a body shorter (or longer) than the
 * server promised.
 */
static int http_verdict(const struct http_instance *h, CURL *e, CURLcode rc, const struct body *b,
			const char *errbuf, uint64_t *digest, char *err, size_t errlen)
{
	long status = 0;

	if (rc == CURLE_OK && fault_now(FAULT_CURL))
		rc = CURLE_RECV_ERROR; /* as a transfer the network broke */
	if (rc != CURLE_OK) {
		long os_errno = 0;

		/* The system's reason too: "Couldn't connect" alone cannot tell a
		 * refused connection from a machine out of local ports. */
		curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);
		snprintf(err, errlen, "%s%s%.150s%s%s%s", curl_easy_strerror(rc), errbuf[0] ? ": " : "",
			 errbuf, os_errno ? " (" : "", os_errno ? strerror((int)os_errno) : "",
			 os_errno ? ")" : "");
		return -1;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(err, errlen, "HTTP status %ld", status);
		return -1;
	}
	if (h->check_length && b->length != (uint64_t)h->bytes) {
		snprintf(err, errlen, "body of %" PRIu64 " bytes, expected %" PRId64, b->length, h->bytes);
		return -1;
	}
	*digest = digest_mix(b->hash ^ b->length);
	return 0;
}

/* ==== Blocking path ==== */

struct http_worker {
	CURL *easy;
	struct body body;
	char url[HTTP_URL_MAX];
	char errbuf[CURL_ERROR_SIZE];
};

static int http_worker_init(void *instance, void **worker, char *err, size_t errlen)
{
	struct http_worker *w = calloc(1, sizeof(*w));

	if (w)
		w->easy = http_easy_new(instance, &w->body, w->errbuf);
	if (!w || !w->easy) {
		free(w);
		snprintf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	*worker = w;
	return 0;
}

static void http_worker_fini(void *instance, void *worker)
{
	struct http_worker *w = worker;

	(void)instance;
	curl_easy_cleanup(w->easy);
	body_reset(&w->body, false);
	free(w);
}

/* One blocking GET; with keep, the body stays in w->body for a stage. */
static int http_get(const struct http_instance *h, struct http_worker *w, size_t i, bool keep,
		    uint64_t *digest, struct task_ctx *ctx)
{
	CURLcode rc;

	http_task_url(h, i, w->url, sizeof(w->url));
	curl_easy_setopt(w->easy, CURLOPT_URL, w->url);
	body_reset(&w->body, keep);
	w->errbuf[0] = '\0';
	task_io_begin(ctx);
	rc = curl_easy_perform(w->easy);
	task_io_end(ctx);
	if (http_verdict(h, w->easy, rc, &w->body, w->errbuf, digest, ctx->error,
			 sizeof(ctx->error)) < 0)
		return -1;
	return 0;
}

static int http_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			 struct task_ctx *ctx)
{
	return http_get(instance, worker, i, false, digest, ctx);
}

int http_client_fetch(void *client, void *worker, size_t i, struct stage_item *item,
		      struct task_ctx *ctx)
{
	struct http_worker *w = worker;
	uint64_t digest;

	if (http_get(client, w, i, true, &digest, ctx) < 0)
		return -1;
	body_take(&w->body, item);
	return 0;
}

/* ==== Event-loop path ==== */

/*
 * Transfers are spread over several multi handles ("shards") on the one
 * loop. On libcurl 7.88, curl_multi_remove_handle walks the multi's whole
 * connection cache for every finished keep-alive transfer (looking for
 * connect-only connections to close): with 10,000 connections in one
 * cache that walk was an eighth of the client's CPU time. A shard's cache
 * holds only its own slots' connections, so the walk stays short, and a
 * slot always returns to its shard, so keep-alive reuse is unchanged.
 */
#define HTTP_SHARD_SLOTS 1000

struct http_loop;
struct shard;

/* One in-flight slot: an easy handle kept for reuse by later tasks. */
struct transfer {
	struct shard *shard;
	CURL *easy;
	struct body body;
	struct task_done *done;
	struct transfer *next_free;
	char url[HTTP_URL_MAX];
	char errbuf[CURL_ERROR_SIZE];
};

struct shard {
	struct http_loop *loop;
	CURLM *multi;
	struct event *timer;
};

struct http_loop {
	const struct http_instance *h;
	struct event_base *base;
	struct shard *shards;
	unsigned nshards;
	struct transfer *slots; /* max_in_flight of them */
	struct transfer *free_list;
	unsigned max_in_flight;
	unsigned started;       /* transfers ever started on this loop */
};

static void shard_check_done(struct shard *sh)
{
	struct http_loop *l = sh->loop;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(sh->multi, &left))) {
		struct transfer *t = NULL;
		struct task_done *done;
		char err[TASK_ERROR_MAX];
		uint64_t digest = 0;
		int ok;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		ok = http_verdict(l->h, t->easy, msg->data.result, &t->body, t->errbuf, &digest, err,
				  sizeof(err)) == 0;
		curl_multi_remove_handle(sh->multi, t->easy);
		if (ok && t->body.keep)
			body_take(&t->body, &t->done->item);
		done = t->done;
		t->done = NULL;
		t->next_free = l->free_list;
		l->free_list = t;
		/* May start the next task, reusing this very slot. */
		done->fn(done, ok, digest, ok ? NULL : err);
	}
}

static void on_socket_event(evutil_socket_t fd, short what, void *arg)
{
	struct shard *sh = arg;
	int running, action = (what & EV_READ ? CURL_CSELECT_IN : 0) |
			      (what & EV_WRITE ? CURL_CSELECT_OUT : 0);

	curl_multi_socket_action(sh->multi, fd, action, &running);
	shard_check_done(sh);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct shard *sh = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(sh->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	shard_check_done(sh);
}

/* curl tells us which sockets to watch for what; one event per socket. */
static int curl_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct shard *sh = userp;
	struct event *ev = socketp;
	short kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (ev) {
			event_free(ev);
			curl_multi_assign(sh->multi, s, NULL);
		}
		return 0;
	}
	kind = (short)((what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0) |
		       EV_PERSIST);
	if (ev) {
		if (event_get_events(ev) == kind)
			return 0; /* curl repeats itself; a no-op costs two epoll_ctl calls */
		event_del(ev);
		event_assign(ev, sh->loop->base, s, kind, on_socket_event, sh);
	} else {
		ev = event_new(sh->loop->base, s, kind, on_socket_event, sh);
		if (!ev)
			return -1;
		curl_multi_assign(sh->multi, s, ev);
	}
	event_add(ev, NULL);
	return 0;
}

static int curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct shard *sh = userp;
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };

	(void)multi;
	if (timeout_ms < 0)
		evtimer_del(sh->timer);
	else
		evtimer_add(sh->timer, &tv);
	return 0;
}

static void http_loop_fini(void *instance, void *loop)
{
	struct http_loop *l = loop;

	(void)instance;
	if (!l)
		return;
	for (unsigned k = 0; l->slots && k < l->max_in_flight; k++) {
		struct transfer *t = &l->slots[k];

		if (!t->easy)
			continue;
		if (t->done)
			curl_multi_remove_handle(t->shard->multi, t->easy);
		curl_easy_cleanup(t->easy);
		body_reset(&t->body, false);
	}
	for (unsigned k = 0; l->shards && k < l->nshards; k++) {
		if (l->shards[k].multi)
			curl_multi_cleanup(l->shards[k].multi);
		if (l->shards[k].timer)
			event_free(l->shards[k].timer);
	}
	free(l->shards);
	free(l->slots);
	free(l);
}

static int http_loop_init(void *instance, struct event_base *base, unsigned max_in_flight,
			  void **loop, char *err, size_t errlen)
{
	struct http_loop *l = calloc(1, sizeof(*l));
	unsigned nshards = (max_in_flight + HTTP_SHARD_SLOTS - 1) / HTTP_SHARD_SLOTS;

	if (!l || !(l->slots = calloc(max_in_flight, sizeof(*l->slots))) ||
	    !(l->shards = calloc(nshards, sizeof(*l->shards))))
		goto fail;
	l->h = instance;
	l->base = base;
	l->max_in_flight = max_in_flight;
	l->nshards = nshards;
	for (unsigned k = 0; k < nshards; k++) {
		struct shard *sh = &l->shards[k];
		unsigned slots = k + 1 < nshards ? HTTP_SHARD_SLOTS : max_in_flight - k * HTTP_SHARD_SLOTS;

		sh->loop = l;
		sh->multi = curl_multi_init();
		sh->timer = evtimer_new(base, on_timer, sh);
		if (!sh->multi || !sh->timer)
			goto fail;
		curl_multi_setopt(sh->multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb);
		curl_multi_setopt(sh->multi, CURLMOPT_SOCKETDATA, sh);
		curl_multi_setopt(sh->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
		curl_multi_setopt(sh->multi, CURLMOPT_TIMERDATA, sh);
		/* Room in the cache for one idle connection per slot. */
		curl_multi_setopt(sh->multi, CURLMOPT_MAXCONNECTS, (long)slots);
	}
	for (unsigned k = max_in_flight; k-- > 0;) {
		l->slots[k].shard = &l->shards[k / HTTP_SHARD_SLOTS];
		l->slots[k].next_free = l->free_list;
		l->free_list = &l->slots[k];
	}
	*loop = l;
	return 0;
fail:
	snprintf(err, errlen, "out of memory for %u transfers", max_in_flight);
	http_loop_fini(instance, l);
	return -1;
}

static int http_start(void *instance, void *loop, size_t i, bool keep, struct task_done *done,
		      char *err, size_t errlen)
{
	const struct http_instance *h = instance;
	struct http_loop *l = loop;
	struct transfer *t = l->free_list;
	CURLMcode mc;

	if (!t) {
		snprintf(err, errlen, "more than %u transfers in flight", l->max_in_flight);
		return -1;
	}
	if (!t->easy) {
		t->easy = http_easy_new(h, &t->body, t->errbuf);
		if (!t->easy) {
			snprintf(err, errlen, "curl_easy_init failed");
			return -1;
		}
		curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	}
	/*
	 * While the pool fills, no connection can be idle yet: every one is
	 * busy with a transfer this loop started. Looking for one to reuse
	 * would only walk the connection cache, so ask for a fresh one.
	 */
	if (h->reuse)
		curl_easy_setopt(t->easy, CURLOPT_FRESH_CONNECT, l->started < l->max_in_flight ? 1L : 0L);
	http_task_url(h, i, t->url, sizeof(t->url));
	curl_easy_setopt(t->easy, CURLOPT_URL, t->url);
	body_reset(&t->body, keep);
	t->errbuf[0] = '\0';
	t->done = done;
	mc = curl_multi_add_handle(t->shard->multi, t->easy);
	if (mc != CURLM_OK) {
		t->done = NULL;
		snprintf(err, errlen, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
		return -1;
	}
	l->free_list = t->next_free;
	l->started++;
	return 0;
}

static int http_start_task(void *instance, struct event_base *base, void *loop, size_t i,
			   struct task_done *done, char *err, size_t errlen)
{
	(void)base;
	return http_start(instance, loop, i, false, done, err, errlen);
}

int http_client_start_fetch(void *client, void *loop, size_t i, struct task_done *done, char *err,
			    size_t errlen)
{
	return http_start(client, loop, i, true, done, err, errlen);
}

/* ==== The client for another workload's fetch stage ==== */

int http_client_setup(const struct http_client_params *p, const char *fixture, void **client,
		      char *err, size_t errlen)
{
	struct http_instance *h = calloc(1, sizeof(*h));

	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->latency_ms = p->latency_ms;
	h->bytes = p->bytes;
	h->reuse = p->reuse;
	if (p->url && p->url[0]) {
		snprintf(h->url, sizeof(h->url), "%s", p->url);
		h->check_length = strstr(h->url, "{bytes}") != NULL;
	} else if (fixture && fixture[0]) {
		snprintf(h->url, sizeof(h->url), "%s/delay/{ms}?bytes={bytes}&seed={seed}", fixture);
		h->check_length = true;
	} else {
		snprintf(err, errlen, "no server: the latency server did not start and no url was given");
		free(h);
		return -1;
	}
	*client = h;
	return 0;
}

void http_client_teardown(void *client)
{
	free(client);
}

int http_client_worker_init(void *client, void **worker, char *err, size_t errlen)
{
	return http_worker_init(client, worker, err, errlen);
}

void http_client_worker_fini(void *client, void *worker)
{
	http_worker_fini(client, worker);
}

int http_client_loop_init(void *client, struct event_base *base, unsigned max_in_flight,
			  void **loop, char *err, size_t errlen)
{
	return http_loop_init(client, base, max_in_flight, loop, err, errlen);
}

void http_client_loop_fini(void *client, void *loop)
{
	http_loop_fini(client, loop);
}

int http_client_validate(unsigned max_workers, char *err, size_t errlen)
{
	return http_validate(NULL, max_workers, err, errlen);
}

static const char *const http_fixture_argv[] = { "serve", NULL };

static const struct workload_fixture http_fixture = {
	.argv = http_fixture_argv,
	.needed = http_needs_server,
};

static const struct workload_libevent http_libevent = {
	.loop_init = http_loop_init,
	.loop_fini = http_loop_fini,
	.start_task = http_start_task,
};

const struct workload workload_io_http = {
	.name = "io.http",
	.kind = WORKLOAD_IO,
	.description = "HTTP GETs with libcurl against a latency server (embedded, or url=...)",
	.params = http_params,
	.default_tasks = 200,
	/* A curl easy handle may change threads between transfers. */
	.flags = WORKLOAD_WORKER_MOVES,
	.fixture = &http_fixture,
	.command = &http_serve_command,
	.process_init = http_client_process_init,
	.validate = http_validate,
	.setup = http_setup,
	.teardown = http_client_teardown,
	.worker_init = http_worker_init,
	.worker_fini = http_worker_fini,
	.run_task = http_run_task,
	.libevent = &http_libevent,
};
