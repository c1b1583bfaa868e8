/*
 * processes.c - W forked workers.
 *
 * spawn=pool (the default): W workers take tasks by the schedule (by
 * default the next index from an atomic counter in MAP_SHARED memory).
 * spawn=per_task: a new child for each task, at most W alive, each reaped
 * as it ends. Either way workers write digests and stamps into the sample,
 * which the runner keeps in shared memory; each adds its own memory (PSS,
 * RSS) into the sample as it ends; the parent reaps every child with wait4
 * and adds up their resource use.
 */
#include "concbench/fault.h"
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

enum { P_SCHEDULE, P_CHUNK, P_SPAWN };

static const struct param_spec processes_params[] = {
	STRATEGY_SCHEDULE_PARAMS(P_SCHEDULE, P_CHUNK),
	[P_SPAWN] = { .name = "spawn", .type = PARAM_ENUM, .def = STRATEGY_SPAWN_POOL,
	              .choices = strategy__spawn_names,
	              .help = "pool: W processes share the tasks; per_task: a new process for "
	                      "each task, at most W alive" },
	{ 0 }
};

/* What one child runs: tasks by the schedule (pool), or its one task. */
struct child_job {
	struct task_schedule *sched; /* NULL: only task `task` */
	unsigned index;
	size_t task;
	struct result_channel *results; /* NULL: the tasks hand none back */
};

static void processes_worker(const struct workload *w, void *instance,
			     const struct child_job *job, struct sample *out, pid_t parent)
{
	struct task_cursor cur = { 0 };
	struct task_ctx ctx = { .deliver = job->results ? strategy__channel_deliver : NULL,
				.deliver_arg = job->results };
	void *worker;
	size_t begin, end;

	/* No orphan: if the parent dies, so do we. The check closes the race
	 * with a parent that died before prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (strategy__worker_init(w, instance, &worker, out) < 0)
		_exit(1);
	if (!job->sched)
		strategy__run_one(w, instance, worker, job->task, &ctx, out);
	else
		while (strategy__schedule_next(job->sched, job->index, &cur, &begin, &end))
			for (size_t i = begin; i < end; i++)
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
	if (strategy__check_spawn(params, P_SPAWN, P_SCHEDULE, P_CHUNK, err, errlen) < 0)
		return -1;
	return limits_check_tasks(max_workers, "processes", err, errlen);
}

/* The slot of the next of our children to end: waits without reaping, so
 * no child but ours is ever reaped here. */
static unsigned next_ended(const pid_t *pids, unsigned n)
{
	for (;;) {
		siginfo_t info = { 0 };

		if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) < 0) {
			if (errno == EINTR)
				continue;
			return 0; /* no child at all: strategy__reap reports it */
		}
		for (unsigned k = 0; k < n; k++)
			if (pids[k] == info.si_pid)
				return k;
		/* Another child of this process ended: waiting for our first
		 * one is all that is left to do without touching it. */
		return 0;
	}
}

/*
 * Spawning per task, at most W children lived at once, one after another:
 * the sums of every child's memory and peak would count memory that was
 * never held at the same time. They are scaled to the mean child times
 * the most alive at once, and counted as that many.
 */
static void per_task_memory(struct sample *out, long most_alive)
{
	long n = atomic_load(&out->child_memory.count);

	if (n > most_alive && most_alive > 0) {
		atomic_store(&out->child_memory.pss_kb,
			     atomic_load(&out->child_memory.pss_kb) / n * most_alive);
		atomic_store(&out->child_memory.rss_kb,
			     atomic_load(&out->child_memory.rss_kb) / n * most_alive);
		atomic_store(&out->child_memory.count, most_alive);
	}
	if (out->children.count > most_alive && most_alive > 0) {
		out->children.maxrss_kb = out->children.maxrss_kb / out->children.count * most_alive;
		out->children.count = most_alive;
	}
}

static int processes_run(const struct workload *w, void *instance,
			 const struct strategy_config *cfg, struct sample *out)
{
	bool per_task = cfg->params->ival[P_SPAWN] == STRATEGY_SPAWN_PER_TASK;
	size_t nforks = per_task ? cfg->ntasks : cfg->workers;
	pid_t parent = getpid();
	struct task_schedule *sched = NULL;
	struct result_channel *results = NULL;
	pid_t *pids;
	unsigned alive = 0;
	int rc = 0;

	pids = fault_calloc(cfg->workers, sizeof(*pids));
	if (!pids) {
		sample_fail(out, "processes: out of memory for %u pids", cfg->workers);
		return -1;
	}
	/* Results come back through a pipe: its reader runs before the
	 * first fork, so no worker waits on a full pipe for long. */
	if (strategy__results(w, cfg) && !(results = strategy__channel_open(out))) {
		sample_fail(out, "processes: cannot open the channel for results: %s",
			    strerror(errno));
		free(pids);
		return -1;
	}
	if (!per_task) {
		sched = fault_mmap(NULL, sizeof(*sched), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sched == MAP_FAILED) {
			sample_fail(out, "processes: mmap of the shared schedule failed: %s",
				    strerror(errno));
			strategy__channel_close(results);
			free(pids);
			return -1;
		}
		strategy__schedule_init(sched, (enum strategy_schedule)cfg->params->ival[P_SCHEDULE],
					(size_t)cfg->params->ival[P_CHUNK], cfg->ntasks,
					cfg->workers);
	}

	for (size_t i = 0; i < nforks && rc == 0; i++) {
		/* Per task, a slot must be free first: reap the next to end. */
		if (alive == cfg->workers) {
			unsigned k = next_ended(pids, alive);

			if (strategy__reap(pids[k], "processes", out, false) < 0)
				rc = -1;
			pids[k] = pids[--alive];
		}
		struct child_job job = { .sched = sched, .index = (unsigned)i, .task = i,
					 .results = results };
		pid_t pid = fault_fork();

		if (pid == 0)
			processes_worker(w, instance, &job, out, parent);
		if (pid < 0) {
			/* A pool's running workers finish every task of a dynamic
			 * schedule between them; the failure is recorded anyway. */
			sample_fail(out, "processes: fork failed %s %zu with %u alive: %s",
				    per_task ? "for task" : "for worker", i, alive, strerror(errno));
			rc = -1;
			break;
		}
		pids[alive++] = pid;
	}

	/* Reap exactly the children we started, and no other child of ours. */
	for (unsigned k = 0; k < alive; k++)
		if (strategy__reap(pids[k], "processes", out, k + 1 == alive) < 0)
			rc = -1;
	strategy__channel_close(results);
	if (per_task)
		per_task_memory(out, (long)(cfg->ntasks < cfg->workers ? cfg->ntasks : cfg->workers));
	if (sched)
		munmap(sched, sizeof(*sched));
	free(pids);
	return rc;
}

static void processes_traits(const struct param_values *params, struct strategy_traits *t)
{
	t->start_per_task = params->ival[P_SPAWN] == STRATEGY_SPAWN_PER_TASK;
	if (t->start_per_task)
		t->task_price = NULL; /* no hand-out: each task has its process */
}

const struct strategy strategy_processes = {
	.name = "processes",
	.description = "W forked workers: a pool sharing the tasks by a schedule (default: an "
		       "atomic counter in MAP_SHARED memory), or a new process per task",
	.params = processes_params,
	.traits_for = processes_traits,
	.traits = { .worker = "forked processes", .blocking = true,
		    .suits = STRATEGY_SUITS_COMPUTING, .start_price = "fork_wait",
		    .task_price = "atomic_add_contended" },
	.validate = processes_validate,
	.run = processes_run,
};
