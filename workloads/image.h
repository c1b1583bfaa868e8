/*
 * image.h - cpu.image's filter (a separable Gaussian blur, then a 2x2 box
 * downscale, in fixed point), for workloads that filter pixels of their
 * own: mixed.pipeline filters the bytes it downloaded.
 */
#ifndef CONCBENCH_IMAGE_H
#define CONCBENCH_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "concbench/workload.h"

#define IMAGE_KERNEL_MAX (2 * 32 + 1)

struct image_filter {
	size_t size; /* width and height, pixels */
	int radius;
	uint32_t kernel[IMAGE_KERNEL_MAX];
};

/* One worker's buffers: the caller fills src (size * size RGB pixels). */
struct image_buffers {
	uint8_t *src, *tmp, *blur, *out, *pad;
};

void image_filter_init(struct image_filter *f, size_t size, int radius);
int image_buffers_new(const struct image_filter *f, struct image_buffers **b, char *err,
		      size_t errlen);
void image_buffers_free(struct image_buffers *b);
/* Filters b->src; returns the digest of the downscaled pixels. */
uint64_t image_filter_run(const struct image_filter *f, struct image_buffers *b,
			  struct task_ctx *ctx);

#endif
