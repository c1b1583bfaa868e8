/*
 * load.h - how busy the machine is before a run: the CPU other processes
 * use, steal time, the load average, the runnable count, and the top
 * consumers by name, so a run on a busy machine says so (or waits).
 */
#ifndef CONCBENCH_LOAD_H
#define CONCBENCH_LOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define LOAD_TOP 3

struct machine_load {
	double window_s;     /* how long it was watched */
	double others_cores; /* CPU other processes used, in cores, over the window */
	double steal_cores;  /* time the hypervisor gave others, in cores */
	double loadavg1;     /* the 1-minute load average */
	long runnable;       /* runnable tasks other than this one */
	struct {
		char name[32];
		double cores;
	} top[LOAD_TOP];     /* the biggest consumers over the window */
	size_t ntop;
};

/* The machine's busy (user, nice, system, irq, softirq) and steal
 * seconds so far, and the runnable count (may be NULL), from /proc/stat;
 * false where it cannot be read. */
bool load_system_cpu(double *busy, double *steal, long *runnable);
/* A process's user and system CPU seconds so far and its name (may be
 * NULL), from /proc/<pid>/stat; false when it is gone. */
bool load_process_cpu(int pid, double *user, double *sys, char *name, size_t namelen);

/* Watches the machine for window_s seconds. Returns 0, or -1 where /proc
 * cannot be read. */
int load_measure(double window_s, struct machine_load *m);
/* Whether others' CPU (steal included) is above the interference threshold. */
bool load_busy(const struct machine_load *m);
/* "1.02 cores used by others (load average 1.30, 2 runnable); top: stress 0.98, ..." */
void load_describe(const struct machine_load *m, char *buf, size_t len);
json_t *load_json(const struct machine_load *m);

#endif
