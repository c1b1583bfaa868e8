/*
 * pipeline.c - mixed.pipeline: download, then process. Task i GETs its
 * body from the latency server (io.http's request: `latency_ms`, `bytes`,
 * seed i), then runs cpu.image's filter over a size x size RGB image whose
 * bytes are the body's, repeated to fill it. The digest is the filtered
 * image's (docs/digest.md).
 *
 * The two halves are its stages (struct workload_stages): the `pipeline`
 * strategy fetches on one kind of worker and filters on another, with a
 * bounded queue between them. Every other strategy runs the fused task.
 * On an event loop the download starts without blocking and the filter
 * runs on the loop's thread when the body is in: asyncio's way.
 */
#include "concbench/workload.h"
#include "concbench/workload_libevent.h"
#include "http/http.h"
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_LATENCY_MS, P_BYTES, P_SIZE, P_RADIUS };

static const struct param_spec pipeline_params[] = {
	[P_LATENCY_MS] = { .name = "latency_ms", .type = PARAM_INT, .def = 20,
	                   .max = HTTP_MAX_DELAY_MS, .unit = "ms",
	                   .help = "the server's delay before it answers (the fetch stage's wait)" },
	[P_BYTES] = { .name = "bytes", .type = PARAM_INT, .def = 16384, .min = 1,
	              .max = HTTP_MAX_BYTES, .unit = "bytes",
	              .help = "body size downloaded per task (the item handed to the filter)" },
	[P_SIZE] = { .name = "size", .type = PARAM_INT, .def = 192, .min = 16, .max = 8192,
	             .unit = "px", .help = "image width and height the filter makes of the body" },
	[P_RADIUS] = { .name = "radius", .type = PARAM_INT, .def = 3, .min = 1, .max = 32,
	               .unit = "px", .help = "Gaussian blur radius of the filter stage" },
	{ 0 }
};

struct pipeline {
	void *client; /* io.http's */
	struct image_filter filter;
};

struct pipeline_worker {
	void *http;                  /* the fetch stage's connection */
	struct image_buffers *image; /* the compute stage's buffers */
};

static int pipeline_validate(const struct param_values *params, unsigned max_workers, char *err,
			     size_t errlen)
{
	(void)params;
	return http_client_validate(max_workers, err, errlen);
}

static int pipeline_setup(const struct workload_setup *ws, void **instance, char *err,
			  size_t errlen)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	struct http_client_params hp = {
		.latency_ms = ws->params->ival[P_LATENCY_MS],
		.bytes = ws->params->ival[P_BYTES],
		.reuse = true,
	};

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (http_client_setup(&hp, ws->fixture, &p->client, err, errlen) < 0) {
		free(p);
		return -1;
	}
	image_filter_init(&p->filter, (size_t)ws->params->ival[P_SIZE],
			  (int)ws->params->ival[P_RADIUS]);
	*instance = p;
	return 0;
}

static void pipeline_teardown(void *instance)
{
	struct pipeline *p = instance;

	http_client_teardown(p->client);
	free(p);
}

static void pipeline_worker_fini(void *instance, void *worker)
{
	struct pipeline *p = instance;
	struct pipeline_worker *w = worker;

	if (w->http)
		http_client_worker_fini(p->client, w->http);
	image_buffers_free(w->image);
	free(w);
}

static int pipeline_worker_init(void *instance, void **worker, char *err, size_t errlen)
{
	struct pipeline *p = instance;
	struct pipeline_worker *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (http_client_worker_init(p->client, &w->http, err, errlen) < 0 ||
	    image_buffers_new(&p->filter, &w->image, err, errlen) < 0) {
		pipeline_worker_fini(instance, w);
		return -1;
	}
	*worker = w;
	return 0;
}

static int pipeline_fetch(void *instance, void *worker, size_t i, struct stage_item *item,
			  struct task_ctx *ctx)
{
	struct pipeline *p = instance;
	struct pipeline_worker *w = worker;

	return http_client_fetch(p->client, w->http, i, item, ctx);
}

/* The image's bytes are the body's, repeated. */
static int filter_item(const struct pipeline *p, struct image_buffers *b, size_t i,
		       const struct stage_item *item, uint64_t *digest, struct task_ctx *ctx)
{
	size_t total = p->filter.size * p->filter.size * 3;

	if (!item->len)
		return task_fail(ctx, "task %zu: an empty body, nothing to filter", i);
	for (size_t at = 0; at < total; at += item->len)
		memcpy(b->src + at, item->data, total - at < item->len ? total - at : item->len);
	*digest = image_filter_run(&p->filter, b, ctx);
	return 0;
}

static int pipeline_compute(void *instance, void *worker, size_t i, const struct stage_item *item,
			    uint64_t *digest, struct task_ctx *ctx)
{
	struct pipeline_worker *w = worker;

	return filter_item(instance, w->image, i, item, digest, ctx);
}

static const struct workload_stages pipeline_stages = {
	.fetch = pipeline_fetch,
	.compute = pipeline_compute,
};

static int pipeline_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			     struct task_ctx *ctx)
{
	return workload_stages_run(&pipeline_stages, instance, worker, i, digest, ctx);
}

/* ==== On a libevent loop ==== */

/* The loop's client state, and the buffers its thread filters in. */
struct pipeline_loop {
	struct pipeline *p;
	void *http;
	struct image_buffers *image;
};

/* A download in flight for a whole task: filtered when it completes. */
struct pending {
	struct task_done fetched; /* what the client completes */
	struct task_done *done;   /* the strategy's, for the whole task */
	struct pipeline_loop *loop;
};

static void pipeline_loop_fini(void *instance, void *loop)
{
	struct pipeline_loop *l = loop;

	(void)instance;
	if (!l)
		return;
	if (l->http)
		http_client_loop_fini(l->p->client, l->http);
	image_buffers_free(l->image);
	free(l);
}

static int pipeline_loop_init(void *instance, struct event_base *base, unsigned max_in_flight,
			      void **loop, char *err, size_t errlen)
{
	struct pipeline *p = instance;
	struct pipeline_loop *l = calloc(1, sizeof(*l));

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->p = p;
	if (http_client_loop_init(p->client, base, max_in_flight, &l->http, err, errlen) < 0 ||
	    image_buffers_new(&p->filter, &l->image, err, errlen) < 0) {
		pipeline_loop_fini(instance, l);
		return -1;
	}
	*loop = l;
	return 0;
}

static void pending_fetched(struct task_done *fetched, bool ok, uint64_t digest, const char *error)
{
	struct pending *pd = fetched->strategy;
	struct task_done *done = pd->done;
	struct task_ctx ctx = { 0 };
	uint64_t d = 0;

	(void)digest;
	if (ok) {
		ok = filter_item(pd->loop->p, pd->loop->image, fetched->index, &fetched->item, &d,
				 &ctx) == 0;
		error = ctx.error;
	}
	free(fetched->item.data);
	free(pd);
	done->fn(done, ok, d, ok ? NULL : error);
}

static int pipeline_start_task(void *instance, struct event_base *base, void *loop, size_t i,
			       struct task_done *done, char *err, size_t errlen)
{
	struct pipeline_loop *l = loop;
	struct pending *pd = calloc(1, sizeof(*pd));

	(void)instance;
	(void)base;
	if (!pd) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*pd = (struct pending){
		.fetched = { .fn = pending_fetched, .index = i, .strategy = pd },
		.done = done,
		.loop = l,
	};
	if (http_client_start_fetch(l->p->client, l->http, i, &pd->fetched, err, errlen) < 0) {
		free(pd);
		return -1;
	}
	return 0;
}

static int pipeline_start_fetch(void *instance, struct event_base *base, void *loop, size_t i,
				struct task_done *done, char *err, size_t errlen)
{
	struct pipeline_loop *l = loop;

	(void)instance;
	(void)base;
	return http_client_start_fetch(l->p->client, l->http, i, done, err, errlen);
}

static const struct workload_libevent pipeline_libevent = {
	.loop_init = pipeline_loop_init,
	.loop_fini = pipeline_loop_fini,
	.start_task = pipeline_start_task,
	.start_fetch = pipeline_start_fetch,
};

static const char *const pipeline_fixture_argv[] = { "serve", NULL };

static const struct workload_fixture pipeline_fixture = {
	.argv = pipeline_fixture_argv,
};

const struct workload workload_mixed_pipeline = {
	.name = "mixed.pipeline",
	.kind = WORKLOAD_MIXED,
	.description = "download a body (io.http), then filter it as an image (cpu.image): two stages",
	.params = pipeline_params,
	.default_tasks = 64,
	.flags = WORKLOAD_WORKER_MOVES, /* a curl handle and plain buffers */
	.fixture = &pipeline_fixture,
	.command = &http_serve_command, /* io.http's server: one command, two workloads */
	.process_init = http_client_process_init,
	.validate = pipeline_validate,
	.setup = pipeline_setup,
	.teardown = pipeline_teardown,
	.worker_init = pipeline_worker_init,
	.worker_fini = pipeline_worker_fini,
	.run_task = pipeline_run_task,
	.stages = &pipeline_stages,
	.libevent = &pipeline_libevent,
};
