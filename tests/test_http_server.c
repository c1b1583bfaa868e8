/*
 * test_http_server.c - the latency server, started for real as
 * `concbench serve --ready-fd N` and queried with libcurl.
 * Usage: test_http_server CONCBENCH TEST
 */
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http.h"
#include "concbench/sample.h"
#include "unit.h"

static const char *concbench;
static char base_url[256];
static pid_t server;

static int start_server(void)
{
	int fds[2];
	ssize_t n;

	if (pipe(fds) < 0)
		return -1;
	server = fork();
	if (server == 0) {
		char fd[16];

		close(fds[0]);
		snprintf(fd, sizeof(fd), "%d", fds[1]);
		execl(concbench, concbench, "serve", "--ready-fd", fd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], base_url, sizeof(base_url) - 1);
	close(fds[0]);
	if (n <= 0)
		return -1;
	base_url[n] = '\0';
	base_url[strcspn(base_url, "\n")] = '\0';
	return 0;
}

static void stop_server(void)
{
	int status;

	kill(server, SIGTERM);
	waitpid(server, &status, 0);
}

struct fetched {
	unsigned char *data;
	size_t len;
	long status;
	double seconds;
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	struct fetched *f = arg;
	unsigned char *grown = realloc(f->data, f->len + size * n);

	if (!grown)
		return 0;
	f->data = grown;
	memcpy(f->data + f->len, p, size * n);
	f->len += size * n;
	return size * n;
}

/* GETs base_url + path (or POSTs when post); CURLcode returned. */
static int fetch(const char *path, bool post, long timeout_ms, struct fetched *f)
{
	char url[512];
	CURL *e = curl_easy_init();
	double t0;
	CURLcode rc;

	memset(f, 0, sizeof(*f));
	snprintf(url, sizeof(url), "%s%s", base_url, path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (post)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "x");
	t0 = sample_now();
	rc = curl_easy_perform(e);
	f->seconds = sample_now() - t0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &f->status);
	curl_easy_cleanup(e);
	return (int)rc;
}

static int reply_never_early(void)
{
	static const int delays[] = { 0, 1, 30, 120 };
	struct fetched f;

	for (size_t k = 0; k < 4; k++) {
		char path[64];

		snprintf(path, sizeof(path), "/delay/%d?bytes=10", delays[k]);
		CHECK(fetch(path, false, 10000, &f) == CURLE_OK);
		CHECK(f.status == 200 && f.len == 10);
		/* The lower bound only: a loaded machine may answer late, never early. */
		CHECK(f.seconds >= delays[k] / 1000.0);
		free(f.data);
	}
	return 0;
}

static int bodies_deterministic(void)
{
	struct fetched a, b, c;
	unsigned char *want = malloc(100000);

	CHECK(want != NULL);
	CHECK(fetch("/delay/0?bytes=100000&seed=42", false, 10000, &a) == CURLE_OK);
	CHECK(fetch("/delay/1?bytes=100000&seed=42", false, 10000, &b) == CURLE_OK);
	CHECK(fetch("/delay/0?bytes=100000&seed=43", false, 10000, &c) == CURLE_OK);
	CHECK(a.len == 100000 && b.len == 100000 && c.len == 100000);
	CHECK(memcmp(a.data, b.data, a.len) == 0);
	CHECK(memcmp(a.data, c.data, a.len) != 0);
	http_body_fill(42, 0, want, 100000);
	CHECK(memcmp(a.data, want, a.len) == 0);
	free(a.data);
	free(b.data);
	free(c.data);
	free(want);
	return 0;
}

static int bad_requests_4xx(void)
{
	static const struct {
		const char *path;
		long status;
	} cases[] = {
		{ "/nowhere", 404 },
		{ "/delay/abc", 400 },
		{ "/delay/-5", 400 },
		{ "/delay/60001", 400 },
		{ "/delay/0?bytes=67108865", 400 },
		{ "/delay/0?bytes=ten", 400 },
		{ "/delay/0?seed=-1", 400 },
	};
	struct fetched f;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		CHECK(fetch(cases[k].path, false, 10000, &f) == CURLE_OK);
		if (f.status != cases[k].status)
			fprintf(stderr, "%s: HTTP %ld, expected %ld\n", cases[k].path, f.status,
				cases[k].status);
		CHECK(f.status == cases[k].status);
		/* A one-line reason. */
		CHECK(f.len > 1 && f.data[f.len - 1] == '\n' && !memchr(f.data, '\n', f.len - 1));
		free(f.data);
	}
	CHECK(fetch("/delay/0", true, 10000, &f) == CURLE_OK);
	CHECK(f.status == 405);
	free(f.data);
	return 0;
}

/* A client that hangs up while its reply waits on a timer must not take
 * the server down when the timer fires. */
static int client_gone_server_lives(void)
{
	struct fetched f;
	int status;

	for (int k = 0; k < 20; k++) {
		CHECK(fetch("/delay/300?bytes=100", false, 20, &f) == CURLE_OPERATION_TIMEDOUT);
		free(f.data);
	}
	usleep(500000); /* every timer has fired by now */
	CHECK(waitpid(server, &status, WNOHANG) == 0);
	CHECK(fetch("/delay/0?bytes=5", false, 10000, &f) == CURLE_OK);
	CHECK(f.status == 200 && f.len == 5);
	free(f.data);
	return 0;
}

static const struct unit_test tests[] = {
	{ "reply_never_early", reply_never_early },
	{ "bodies_deterministic", bodies_deterministic },
	{ "bad_requests_4xx", bad_requests_4xx },
	{ "client_gone_server_lives", client_gone_server_lives },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: test_http_server CONCBENCH TEST\n");
		return 2;
	}
	concbench = argv[1];
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (start_server() < 0) {
		fprintf(stderr, "cannot start '%s serve'\n", concbench);
		return 1;
	}
	rc = unit_main(tests, argc - 1, argv + 1);
	stop_server();
	curl_global_cleanup();
	return rc;
}
