/*
 * queue.c - sync.queue: producer-consumer throughput. Each task is one
 * item: its fetch stage produces `item_bytes` bytes (8-byte words
 * digest_mix(task << 20 | k), little-endian, cut to length), its compute
 * stage digests them (FNV-1a). Both stages are nearly free, so under the
 * `pipeline` strategy what is measured is the hand-over itself: items per
 * second through a bounded queue, and how often the producer found it full
 * and the consumers empty. With compute=threads the queue is a ring under
 * a mutex with two condition variables; with compute=processes each item
 * is also copied down a pipe to a forked consumer and its reply read back.
 * Every other strategy runs the fused task: the same digests with no
 * hand-over, the baseline the queue's cost shows against.
 */
#include "concbench/workload.h"

#include <stdio.h>
#include <stdlib.h>

enum { P_ITEM_BYTES };

static const struct param_spec queue_params[] = {
	[P_ITEM_BYTES] = { .name = "item_bytes", .type = PARAM_INT, .def = 64, .min = 1,
	                   .max = 64 * 1024 * 1024, .unit = "bytes",
	                   .help = "size of each item handed from producer to consumer" },
	{ 0 }
};

static int queue_setup(const struct workload_setup *ws, void **instance, char *err,
		       size_t errlen)
{
	(void)err;
	(void)errlen;
	*instance = (void *)(uintptr_t)ws->params->ival[P_ITEM_BYTES];
	return 0;
}

static void queue_teardown(void *instance)
{
	(void)instance;
}

static int queue_produce(void *instance, void *worker, size_t i, struct stage_item *item,
			 struct task_ctx *ctx)
{
	size_t len = (size_t)(uintptr_t)instance;
	unsigned char *b = malloc(len);

	(void)worker;
	if (!b)
		return task_fail(ctx, "out of memory for an item of %zu bytes", len);
	for (size_t at = 0; at < len; at += 8) {
		uint64_t word = digest_mix(((uint64_t)i << 20) | (at / 8));

		for (size_t j = 0; j < 8 && at + j < len; j++)
			b[at + j] = (unsigned char)(word >> (8 * j));
	}
	item->data = b;
	item->len = len;
	return 0;
}

static int queue_consume(void *instance, void *worker, size_t i, const struct stage_item *item,
			 uint64_t *digest, struct task_ctx *ctx)
{
	(void)instance;
	(void)worker;
	(void)i;
	(void)ctx;
	*digest = digest_bytes(item->data, item->len);
	return 0;
}

static const struct workload_stages queue_stages = {
	.fetch = queue_produce,
	.compute = queue_consume,
};

static int queue_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			  struct task_ctx *ctx)
{
	return workload_stages_run(&queue_stages, instance, worker, i, digest, ctx);
}

const struct workload workload_sync_queue = {
	.name = "sync.queue",
	.kind = WORKLOAD_SYNC,
	.description = "one small item per task, produced then consumed: the pipeline strategy "
		       "measures its bounded queue's items per second",
	.params = queue_params,
	.default_tasks = 20000,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = queue_setup,
	.teardown = queue_teardown,
	.run_task = queue_run_task,
	.stages = &queue_stages,
};
