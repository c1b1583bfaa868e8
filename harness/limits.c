/*
 * limits.c - a run's needs against the machine's limits (concbench/limits.h).
 */
#include "concbench/limits.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

char *limits_bytes_text(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	else
		snprintf(buf, len, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

/* A "Key:   N kB" line of a /proc file, in bytes; 0 when absent. */
static uint64_t proc_kb(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t klen = strlen(key);
	unsigned long long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			if (sscanf(line + klen + 1, "%llu", &kb) != 1)
				kb = 0;
			break;
		}
	fclose(f);
	return (uint64_t)kb * 1024;
}

/* What RLIMIT_AS leaves this process; UINT64_MAX when unlimited. */
static uint64_t address_space_left(uint64_t *limit)
{
	struct rlimit rl;
	uint64_t used;

	*limit = UINT64_MAX;
	if (getrlimit(RLIMIT_AS, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	*limit = (uint64_t)rl.rlim_cur;
	used = proc_kb("/proc/self/status", "VmSize");
	return used < *limit ? *limit - used : 0;
}

int limits_check_memory(uint64_t bytes, const char *what, char *err, size_t errlen)
{
	uint64_t avail = proc_kb("/proc/meminfo", "MemAvailable"), limit, left;
	char need[32], have[32], lim[32];

	if (avail) {
		avail += proc_kb("/proc/meminfo", "SwapFree");
		if (bytes > avail) {
			snprintf(err, errlen, "%s need %s of memory, but this machine has %s available "
					      "(MemAvailable and free swap); use fewer workers or a smaller size",
				 what, limits_bytes_text(bytes, need, sizeof(need)),
				 limits_bytes_text(avail, have, sizeof(have)));
			return -1;
		}
	}
	left = address_space_left(&limit);
	if (bytes > left) {
		snprintf(err, errlen, "%s need %s of memory, but RLIMIT_AS (%s) leaves this process %s "
				      "(raise it with ulimit -v, or use fewer workers or a smaller size)",
			 what, limits_bytes_text(bytes, need, sizeof(need)),
			 limits_bytes_text(limit, lim, sizeof(lim)),
			 limits_bytes_text(left, have, sizeof(have)));
		return -1;
	}
	return 0;
}

int limits_check_stacks(unsigned n, size_t stack_bytes, const char *what, char *err, size_t errlen)
{
	uint64_t limit, left = address_space_left(&limit), total;
	char each[32], all[32], lim[32], have[32];

	if (left == UINT64_MAX)
		return 0;
	if (!stack_bytes) {
		pthread_attr_t attr;

		if (pthread_getattr_default_np(&attr) != 0)
			return 0;
		pthread_attr_getstacksize(&attr, &stack_bytes);
		pthread_attr_destroy(&attr);
	}
	total = (uint64_t)n * stack_bytes;
	if (total <= left)
		return 0;
	snprintf(err, errlen, "%u %s reserve %s of stack (%s each), but RLIMIT_AS (%s) leaves this "
			      "process %s (raise it with ulimit -v, use fewer workers, or smaller stacks: "
			      "ulimit -s, OMP_STACKSIZE for OpenMP, or --param stack_kb for threads)",
		 n, what, limits_bytes_text(total, all, sizeof(all)),
		 limits_bytes_text(stack_bytes, each, sizeof(each)),
		 limits_bytes_text(limit, lim, sizeof(lim)), limits_bytes_text(left, have, sizeof(have)));
	return -1;
}

/* The kernel's limit on threads (and processes) system-wide; 0 if unknown. */
static unsigned long threads_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/threads-max", "r");
	unsigned long n = 0;

	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

/* The threads of every process whose real user is ours: what RLIMIT_NPROC
 * counts. */
static unsigned long user_tasks(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	unsigned long n = 0;
	uid_t me = getuid();

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[64], line[128];
		unsigned long uid = (unsigned long)-1, threads = 0;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/status", e->d_name);
		if (!(f = fopen(path, "r")))
			continue; /* gone meanwhile */
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "Uid:", 4))
				sscanf(line + 4, "%lu", &uid);
			else if (!strncmp(line, "Threads:", 8))
				sscanf(line + 8, "%lu", &threads);
		}
		fclose(f);
		if (uid == (unsigned long)me)
			n += threads;
	}
	closedir(d);
	return n;
}

int limits_check_tasks(unsigned n, const char *what, char *err, size_t errlen)
{
	struct rlimit rl;
	unsigned long kmax = threads_max();

	/* Root is exempt from RLIMIT_NPROC (CAP_SYS_RESOURCE). */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && geteuid() != 0) {
		unsigned long have = user_tasks();

		if ((rlim_t)n + have >= rl.rlim_cur) {
			snprintf(err, errlen, "%u %s need as many tasks of this user, who already runs %lu, "
					      "but RLIMIT_NPROC allows %llu (raise it with ulimit -u, or use "
					      "fewer workers)", n, what, have, (unsigned long long)rl.rlim_cur);
			return -1;
		}
	}
	if (kmax && n >= kmax) {
		snprintf(err, errlen, "%u %s exceed the kernel's limit of %lu threads "
				      "(/proc/sys/kernel/threads-max)", n, what, kmax);
		return -1;
	}
	return 0;
}
