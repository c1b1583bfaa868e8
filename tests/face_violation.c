/*
 * face_violation.c - a plug-in that reaches into the harness. It must not
 * compile: built with exactly what a plug-in sees (the face's include
 * path), runner.h is not there. The test plugin.cannot_include_harness
 * builds it and passes only on that error.
 */
#include "concbench/workload.h"
#include "runner.h"

int face_violation(void);

int face_violation(void)
{
	return 0;
}
