/*
 * processes.c - a pool of W forked workers. They take task indices from an
 * atomic counter in MAP_SHARED memory and write digests and stamps into the
 * sample, which the runner also keeps in shared memory. Each worker adds
 * its own memory (PSS, RSS) into the sample as it ends; the parent reaps
 * every child with wait4 and adds up their resource use.
 */
#include "concbench/strategy.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct param_spec processes_params[] = { { 0 } };

static void processes_worker(const struct workload *w, void *instance, size_t ntasks,
			     atomic_size_t *next, struct sample *out, pid_t parent)
{
	struct task_ctx ctx = { 0 };
	void *worker;
	size_t i;

	/* No orphan: if the parent dies, so do we. The check closes the race
	 * with a parent that died before prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (strategy__worker_init(w, instance, &worker, out) < 0)
		_exit(1);
	while ((i = atomic_fetch_add_explicit(next, 1, memory_order_relaxed)) < ntasks)
		strategy__run_one(w, instance, worker, i, &ctx, out);
	strategy__worker_fini(w, instance, worker);
	/* Its memory now, after its last task, when only exiting is left:
	 * the runner sums the workers' PSS (a peak PSS does not exist). */
	sample_add_child_memory(out);
	_exit(0);
}

static int processes_validate(const struct workload *w, const struct param_values *params,
			      unsigned max_workers, char *err, size_t errlen)
{
	(void)w;
	(void)params;
	return strategy__check_task_limit(max_workers, "processes", err, errlen);
}

static void add_usage(struct child_usage *u, const struct rusage *ru)
{
	u->user_s += (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec * 1e-6;
	u->sys_s += (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec * 1e-6;
	u->nvcsw += ru->ru_nvcsw;
	u->nivcsw += ru->ru_nivcsw;
	u->maxrss_kb += ru->ru_maxrss;
	u->count++;
}

static int processes_run(const struct workload *w, void *instance,
			 const struct strategy_config *cfg, struct sample *out)
{
	pid_t parent = getpid();
	atomic_size_t *next;
	pid_t *pids;
	unsigned started = 0;
	int rc = 0;

	pids = calloc(cfg->workers, sizeof(*pids));
	if (!pids) {
		sample_fail(out, "processes: out of memory for %u pids", cfg->workers);
		return -1;
	}
	next = mmap(NULL, sizeof(*next), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (next == MAP_FAILED) {
		sample_fail(out, "processes: mmap of the shared counter failed: %s", strerror(errno));
		free(pids);
		return -1;
	}
	atomic_init(next, 0);

	for (; started < cfg->workers; started++) {
		pid_t pid = fork();

		if (pid == 0)
			processes_worker(w, instance, cfg->ntasks, next, out, parent);
		pids[started] = pid;
		if (pid < 0) {
			/* The workers already running finish every task between them. */
			sample_fail(out, "processes: fork failed after %u workers: %s",
				    started, strerror(errno));
			rc = -1;
			break;
		}
	}

	/* Reap exactly the children we started, and no other child of ours. */
	for (unsigned k = 0; k < started; k++) {
		struct rusage ru;
		int status;
		pid_t pid;

		do
			pid = wait4(pids[k], &status, 0, &ru);
		while (pid < 0 && errno == EINTR);
		if (pid < 0) {
			sample_fail(out, "processes: wait4 failed: %s", strerror(errno));
			rc = -1;
			continue;
		}
		add_usage(&out->children, &ru);
		if (WIFSIGNALED(status)) {
			sample_fail(out, "processes: worker pid %d killed by signal %d (SIG%s)",
				    (int)pid, WTERMSIG(status), sigabbrev_np(WTERMSIG(status)));
			/* It may have died between claiming the first failure and
			 * writing its text; no worker is left to race with now. */
			if (!out->error[0] && k + 1 == started)
				snprintf(out->error, sizeof(out->error),
					 "processes: worker pid %d killed by signal %d (SIG%s)", (int)pid,
					 WTERMSIG(status), sigabbrev_np(WTERMSIG(status)));
		}
		else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			sample_fail(out, "processes: worker pid %d exited with status %d",
				    (int)pid, WEXITSTATUS(status));
	}
	munmap(next, sizeof(*next));
	free(pids);
	return rc;
}

const struct strategy strategy_processes = {
	.name = "processes",
	.description = "a pool of W forked workers sharing an atomic task counter in MAP_SHARED memory",
	.params = processes_params,
	.traits = { .worker = "forked processes", .blocking = true,
		    .suits = STRATEGY_SUITS_COMPUTING, .start_price = "fork_wait",
		    .task_price = "atomic_add_contended" },
	.validate = processes_validate,
	.run = processes_run,
};
