/*
 * image.c - a real image filter per task. Task i generates its own
 * deterministic RGB image of size x size pixels, applies a separable
 * Gaussian blur of the given radius (fixed-point, so every strategy and
 * every run computes the same bytes), then halves it with a 2x2 box
 * downscale. The digest is a hash of the output pixels.
 *
 * Generating the input inside the task keeps memory bounded by the worker
 * count rather than the task count; it costs a few percent of the task.
 */
#include "image.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concbench/limits.h"

enum { P_SIZE, P_RADIUS, P_RESULT_BYTES };

static const struct param_spec image_params[] = {
	[P_SIZE] = { .name = "size", .type = PARAM_INT, .def = 512, .min = 16, .max = 8192,
	             .unit = "px",
	             .help = "image width and height (even sizes keep the whole image after the "
	                     "2x downscale)" },
	[P_RADIUS] = { .name = "radius", .type = PARAM_INT, .def = 3, .min = 1, .max = 32,
	               .unit = "px", .help = "Gaussian blur radius; sigma is radius / 2" },
	[P_RESULT_BYTES] = { .name = "result_bytes", .type = PARAM_INT, .def = 0,
	                     .max = 256 * 1024 * 1024, .unit = "bytes",
	                     .help = "bytes of its output each task hands back to the harness (the "
	                             "downscaled image, repeated): shared by threads, copied back "
	                             "by processes; 0: none" },
	{ 0 }
};

#define KERNEL_SHIFT 14 /* weights sum to 1 << KERNEL_SHIFT */

void image_filter_init(struct image_filter *im, size_t size, int radius)
{
	double w[IMAGE_KERNEL_MAX], sum = 0, sigma;
	uint32_t isum = 0;
	int r = radius, n = 2 * r + 1;

	im->size = size;
	im->radius = r;
	sigma = r / 2.0;
	for (int j = 0; j < n; j++)
		sum += w[j] = exp(-(double)((j - r) * (j - r)) / (2 * sigma * sigma));
	for (int j = 0; j < n; j++)
		isum += im->kernel[j] = (uint32_t)lround(w[j] / sum * (1 << KERNEL_SHIFT));
	/* Rounding may leave the sum off by a little: the centre absorbs it so
	 * a flat image stays exactly flat. */
	im->kernel[r] += (uint32_t)(1 << KERNEL_SHIFT) - isum;
}

struct image_instance {
	struct image_filter filter;
	size_t result_bytes;
};

static int image_setup(const struct workload_setup *ws, void **instance, char *err, size_t errlen)
{
	struct image_instance *im = calloc(1, sizeof(*im));

	if (!im) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	image_filter_init(&im->filter, (size_t)ws->params->ival[P_SIZE],
			  (int)ws->params->ival[P_RADIUS]);
	im->result_bytes = (size_t)ws->params->ival[P_RESULT_BYTES];
	*instance = im;
	return 0;
}

static bool image_returns_results(const struct param_values *params)
{
	return params->ival[P_RESULT_BYTES] > 0;
}

static void image_teardown(void *instance)
{
	free(instance);
}

/* What one worker's buffers take (image_buffers_new's allocations). */
static uint64_t image_worker_bytes(size_t size, int radius)
{
	uint64_t px = (uint64_t)size * size * 3;

	return 3 * px + px / 4 + 3 + (size + 2 * (uint64_t)radius) * 3;
}

/* Every worker's buffers, and a result each in flight, must fit: refused
 * before the run rather than as a malloc that fails in the 40th worker. */
static int image_validate(const struct param_values *params, unsigned max_workers, char *err,
			  size_t errlen)
{
	size_t size = (size_t)params->ival[P_SIZE];
	uint64_t need = max_workers * (image_worker_bytes(size, (int)params->ival[P_RADIUS]) +
				       (uint64_t)params->ival[P_RESULT_BYTES]);
	char what[96];

	snprintf(what, sizeof(what), "%u worker%s %zux%zu image buffers", max_workers,
		 max_workers == 1 ? "'s" : "s'", size, size);
	return limits_check_memory(need, what, err, errlen);
}

int image_buffers_new(const struct image_filter *im, struct image_buffers **out, char *err,
		      size_t errlen)
{
	size_t bytes = im->size * im->size * 3;
	struct image_buffers *wk = calloc(1, sizeof(*wk));

	if (wk) {
		wk->src = malloc(bytes);
		wk->tmp = malloc(bytes);
		wk->blur = malloc(bytes);
		wk->out = malloc(bytes / 4 + 3);
		wk->pad = malloc((im->size + 2 * (size_t)im->radius) * 3);
	}
	if (!wk || !wk->src || !wk->tmp || !wk->blur || !wk->out || !wk->pad) {
		if (wk) {
			free(wk->src);
			free(wk->tmp);
			free(wk->blur);
			free(wk->out);
			free(wk->pad);
		}
		free(wk);
		snprintf(err, errlen, "out of memory for %zux%zu image buffers", im->size, im->size);
		return -1;
	}
	*out = wk;
	return 0;
}

void image_buffers_free(struct image_buffers *wk)
{
	if (!wk)
		return;
	free(wk->src);
	free(wk->tmp);
	free(wk->blur);
	free(wk->out);
	free(wk->pad);
	free(wk);
}

static int image_worker_init(void *instance, void **worker, char *err, size_t errlen)
{
	struct image_instance *im = instance;

	return image_buffers_new(&im->filter, (struct image_buffers **)worker, err, errlen);
}

static void image_worker_fini(void *instance, void *worker)
{
	(void)instance;
	image_buffers_free(worker);
}

/* A smooth gradient plus per-pixel noise, different for every task. */
static void image_generate(uint8_t *px, size_t size, size_t task, struct task_ctx *ctx)
{
	for (size_t y = 0; y < size; y++) {
		uint64_t s = digest_mix(((uint64_t)task << 32) ^ y);

		for (size_t x = 0; x < size; x++) {
			uint8_t *p = px + (y * size + x) * 3;

			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			p[0] = (uint8_t)(x * 255 / size + (s & 31));
			p[1] = (uint8_t)(y * 255 / size + ((s >> 8) & 31));
			p[2] = (uint8_t)((x + y + task * 17) + ((s >> 16) & 63));
		}
		task_checkpoint(ctx);
	}
}

static inline uint8_t kernel_round(uint32_t acc)
{
	return (uint8_t)((acc + (1u << (KERNEL_SHIFT - 1))) >> KERNEL_SHIFT);
}

/* Horizontal pass: each row is copied into a buffer padded by clamping. */
static void blur_rows(const struct image_filter *im, const uint8_t *src, uint8_t *dst,
		      uint8_t *pad, struct task_ctx *ctx)
{
	size_t size = im->size, row = size * 3, r = (size_t)im->radius;

	for (size_t y = 0; y < size; y++) {
		const uint8_t *s = src + y * row;
		uint8_t *d = dst + y * row;

		for (size_t j = 0; j < r; j++) {
			memcpy(pad + j * 3, s, 3);
			memcpy(pad + (r + size + j) * 3, s + row - 3, 3);
		}
		memcpy(pad + r * 3, s, row);
		for (size_t x = 0; x < row; x++) {
			uint32_t acc = 0;

			for (size_t j = 0; j <= 2 * r; j++)
				acc += im->kernel[j] * pad[x + j * 3];
			d[x] = kernel_round(acc);
		}
		task_checkpoint(ctx);
	}
}

/* Vertical pass: output row y mixes input rows y - r .. y + r, clamped. */
static void blur_cols(const struct image_filter *im, const uint8_t *src, uint8_t *dst,
		      struct task_ctx *ctx)
{
	long size = (long)im->size, r = im->radius;
	size_t row = im->size * 3;

	for (long y = 0; y < size; y++) {
		uint8_t *d = dst + (size_t)y * row;
		const uint8_t *rows[IMAGE_KERNEL_MAX];

		for (long j = -r; j <= r; j++) {
			long yy = y + j < 0 ? 0 : y + j >= size ? size - 1 : y + j;

			rows[j + r] = src + (size_t)yy * row;
		}
		for (size_t x = 0; x < row; x++) {
			uint32_t acc = 0;

			for (long j = 0; j <= 2 * r; j++)
				acc += im->kernel[j] * rows[j][x];
			d[x] = kernel_round(acc);
		}
		task_checkpoint(ctx);
	}
}

static void downscale(const uint8_t *src, uint8_t *dst, size_t size, struct task_ctx *ctx)
{
	size_t half = size / 2, row = size * 3;

	for (size_t y = 0; y < half; y++) {
		for (size_t x = 0; x < half; x++)
			for (size_t c = 0; c < 3; c++) {
				const uint8_t *p = src + 2 * y * row + 2 * x * 3 + c;

				dst[(y * half + x) * 3 + c] =
					(uint8_t)((p[0] + p[3] + p[row] + p[row + 3] + 2) / 4);
			}
		task_checkpoint(ctx);
	}
}

uint64_t image_filter_run(const struct image_filter *im, struct image_buffers *wk,
			  struct task_ctx *ctx)
{
	size_t half = im->size / 2;

	blur_rows(im, wk->src, wk->tmp, wk->pad, ctx);
	blur_cols(im, wk->tmp, wk->blur, ctx);
	downscale(wk->blur, wk->out, im->size, ctx);
	/* Row by row, with a checkpoint each: at 8192 px the output is 50 MB. */
	{
		uint64_t h = DIGEST_FNV_OFFSET;

		for (size_t y = 0; y < half; y++) {
			h = digest_bytes_update(h, wk->out + y * half * 3, half * 3);
			task_checkpoint(ctx);
		}
		return h;
	}
}

static int image_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			  struct task_ctx *ctx)
{
	const struct image_instance *im = instance;
	struct image_buffers *wk = worker;
	size_t half = im->filter.size / 2, out = half * half * 3;

	image_generate(wk->src, im->filter.size, i, ctx);
	*digest = image_filter_run(&im->filter, wk, ctx);
	if (im->result_bytes) {
		unsigned char *r = malloc(im->result_bytes);

		if (!r)
			return task_fail(ctx, "out of memory for a result of %zu bytes",
					 im->result_bytes);
		for (size_t at = 0; at < im->result_bytes; at += out)
			memcpy(r + at, wk->out,
			       im->result_bytes - at < out ? im->result_bytes - at : out);
		ctx->result = (struct stage_item){ r, im->result_bytes };
	}
	return 0;
}

const struct workload workload_cpu_image = {
	.name = "cpu.image",
	.kind = WORKLOAD_CPU,
	.description = "Gaussian blur then 2x downscale of a generated RGB image per task",
	.params = image_params,
	.default_tasks = 64,
	.flags = WORKLOAD_WORKER_MOVES, /* plain buffers */
	.validate = image_validate,
	.setup = image_setup,
	.teardown = image_teardown,
	.worker_init = image_worker_init,
	.worker_fini = image_worker_fini,
	.run_task = image_run_task,
	.returns_results = image_returns_results,
};
