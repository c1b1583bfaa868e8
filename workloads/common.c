/*
 * common.c - what every workload may use beside the inline helpers of
 * concbench/workload.h: error text.
 */
#include "concbench/workload.h"

#include <stdarg.h>
#include <stdio.h>

int task_fail(struct task_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	return -1;
}
