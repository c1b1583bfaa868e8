/*
 * runner.h - executes one cell: in a forked child, with a timeout, warmup
 * samples then measured ones, and reports what happened.
 *
 * The child is the leader of its own process group, so a timeout or an
 * interrupt kills it and every worker it forked in one call. Samples come
 * back over a pipe as fixed-size records, so a crash after k samples still
 * leaves the k samples (and the crash) on record.
 */
#ifndef CONCBENCH_RUNNER_H
#define CONCBENCH_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "concbench/params.h"
#include "concbench/sample.h"
#include "concbench/strategy.h"
#include "concbench/workload.h"

struct cell {
	const struct workload *workload;
	const struct strategy *strategy;
	const char *runtime;                /* strategy->runtime's answer, or "" */
	unsigned workers;
	size_t ntasks;
	const struct param_values *wparams; /* against workload->params */
	const struct param_values *sparams; /* against strategy->params */
	const char *fixture;                /* the fixture's ready line, or NULL */
	int fixture_pid;                    /* its pid for CPU accounting, or 0 */
};

struct run_options {
	unsigned repeat;   /* measured samples */
	unsigned warmup;   /* unrecorded samples before them */
	double timeout_s;  /* for the whole cell, warmup included */
};

/* Task latency quantiles kept per sample: 0, 1, ..., 100 percent. */
#define LATENCY_QUANTILES 101

/* What one measured sample reports back to the parent. */
struct sample_record {
	double wall_s, user_s, sys_s;
	long nvcsw, nivcsw, max_rss_kb;
	long rss_processes; /* child processes whose peaks max_rss_kb adds up */
	double task_p50_s, task_p99_s;
	double prepare_s;                    /* the untimed prepare step (a thread pool's start) */
	enum task_path path;                 /* how the tasks reached the workload */
	double task_latq[LATENCY_QUANTILES]; /* task latency at 0, 1, ..., 100 percent */
	double fixture_user_s, fixture_sys_s; /* the fixture's CPU during the sample */
	long fixture_max_rss_kb;              /* the fixture's peak RSS so far */
	uint64_t digest;
	bool ok;
	char error[SAMPLE_ERROR_MAX];
};

enum cell_status { CELL_OK, CELL_FAILED, CELL_TIMEOUT };

struct cell_outcome {
	enum cell_status status;
	char error[SAMPLE_ERROR_MAX + 64];
	struct sample_record *samples; /* nsamples measured ones, owned */
	size_t nsamples;
};

/*
 * Runs the cell and fills out. Returns 0 whatever the cell did (its fate
 * is out->status), or -1 if the runner itself could not start it (no
 * pipe, no fork), with the reason in out->error.
 */
int runner_run_cell(const struct cell *cell, const struct run_options *opt,
		    struct cell_outcome *out);
void cell_outcome_free(struct cell_outcome *out);

/* Where the time of `concbench once` goes, beside the strategy's run. */
struct once_times {
	double setup_s, teardown_s;
	double fixture_s; /* starting and stopping the fixture (once sets it) */
};
/*
 * One sample of the cell in this process, no fork, no timeout: workload
 * setup, the timed run, teardown. The unit a whole-process timer (hyperfine)
 * measures. Returns 0, or -1 with the reason in rec->error.
 */
int runner_once(const struct cell *c, struct sample_record *rec, struct once_times *times);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that kill the cell in flight
 * and the fixture (see fixture.h) before the harness dies. */
void runner_install_signal_handlers(void);
/* Tells the handlers which fixture process group to kill (0: none). */
void runner_set_fixture_pid(int pid);

/* "ok", "failed", "timeout": the one name table of the statuses. */
const char *cell_status_name(enum cell_status status);
bool cell_status_parse(const char *name, enum cell_status *status);

#endif
