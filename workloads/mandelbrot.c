/*
 * mandelbrot.c - tasks of very uneven cost: task i of N computes band i of
 * a Mandelbrot image, rows [i*size/N, (i+1)*size/N). A point inside the
 * set runs all `iterations`; one far outside stops after a few, so bands
 * through the set cost many times the others. The view is off centre
 * (imaginary parts 0.9 down to -0.6): the heavy bands sit in the image's
 * lower half, so splitting the tasks into W contiguous blocks up front
 * (schedule=static) hands one worker most of the work.
 *
 * The digest is FNV-1a over each pixel's iteration count (2 bytes, least
 * significant first), row by row; the arithmetic is plain IEEE doubles, in
 * the order docs/digest.md gives, so every strategy computes the same
 * counts.
 */
#include "concbench/workload.h"

#include <stdio.h>
#include <stdlib.h>

enum { P_SIZE, P_ITERATIONS };

static const struct param_spec mandelbrot_params[] = {
	[P_SIZE] = { .name = "size", .type = PARAM_INT, .def = 512, .min = 8, .max = 16384,
	             .unit = "px", .help = "image width and height; tasks split its rows into bands" },
	[P_ITERATIONS] = { .name = "iterations", .type = PARAM_INT, .def = 1000, .min = 1,
	                   .max = 65535, .help = "most iterations per pixel (points in the set)" },
	{ 0 }
};

/* The view: real parts RE0 .. RE0 + WIDTH, imaginary parts IM_TOP down to
 * IM_TOP - WIDTH. */
#define MANDEL_RE0 (-2.1)
#define MANDEL_IM_TOP 0.9
#define MANDEL_WIDTH 1.5

struct mandelbrot {
	size_t size, ntasks;
	unsigned iterations;
};

static int mandelbrot_setup(const struct workload_setup *ws, void **instance, char *err,
			    size_t errlen)
{
	struct mandelbrot *m = malloc(sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->size = (size_t)ws->params->ival[P_SIZE];
	m->iterations = (unsigned)ws->params->ival[P_ITERATIONS];
	m->ntasks = ws->ntasks;
	*instance = m;
	return 0;
}

static void mandelbrot_teardown(void *instance)
{
	free(instance);
}

static unsigned escape_count(double cr, double ci, unsigned most)
{
	double zr = 0, zi = 0;
	unsigned k;

	for (k = 0; k < most; k++) {
		double zr2 = zr * zr, zi2 = zi * zi;

		if (zr2 + zi2 > 4.0)
			break;
		zi = 2.0 * zr * zi + ci;
		zr = zr2 - zi2 + cr;
	}
	return k;
}

static int mandelbrot_run_task(void *instance, void *worker, size_t i, uint64_t *digest,
			       struct task_ctx *ctx)
{
	const struct mandelbrot *m = instance;
	double step = MANDEL_WIDTH / (double)m->size;
	uint64_t h = DIGEST_FNV_OFFSET;

	(void)worker;
	for (size_t y = i * m->size / m->ntasks; y < (i + 1) * m->size / m->ntasks; y++) {
		double ci = MANDEL_IM_TOP - (double)y * step;

		for (size_t x = 0; x < m->size; x++) {
			unsigned k = escape_count(MANDEL_RE0 + (double)x * step, ci, m->iterations);
			unsigned char b[2] = { (unsigned char)(k & 0xff), (unsigned char)(k >> 8) };

			h = digest_bytes_update(h, b, 2);
		}
		task_checkpoint(ctx);
	}
	*digest = h;
	return 0;
}

const struct workload workload_cpu_mandelbrot = {
	.name = "cpu.mandelbrot",
	.kind = WORKLOAD_CPU,
	.description = "bands of rows of a Mandelbrot image: tasks of very uneven cost",
	.params = mandelbrot_params,
	.default_tasks = 64,
	.flags = WORKLOAD_WORKER_MOVES, /* no worker state */
	.setup = mandelbrot_setup,
	.teardown = mandelbrot_teardown,
	.run_task = mandelbrot_run_task,
};
