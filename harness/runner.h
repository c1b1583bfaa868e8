/*
 * runner.h - executes cells: each in a long-lived forked process that sets
 * its workload up once, then takes one sample per command, until the
 * sampling rule says it has enough; with a timeout, and a record of what
 * happened.
 *
 * The cell process is the leader of its own process group, so a timeout
 * or an interrupt kills it and every worker it forked in one call.
 * Samples come back over a pipe as fixed-size records, so a crash after k
 * samples still leaves the k samples (and the crash) on record.
 *
 * Several cells may be alive at once: the caller steps each in turn (one
 * sample per step), so samples of different cells interleave in time
 * (run.c shuffles the order of every round).
 *
 * The sampling rule: at least `repeat` samples (3 when the budget runs
 * out first), then on until the median's 95% CI is within +-precision, or
 * the cell's sampling time reaches max_time_s, or max_repeat samples.
 * A sample during which other processes used more CPU than the
 * interference threshold is marked and taken again, up to `retakes`
 * times per cell; marked samples left over flag the cell.
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
#include "stats.h"

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
	unsigned repeat;     /* measured samples, at least (3 when max_time_s runs out first) */
	unsigned max_repeat; /* measured samples, at most */
	double precision;    /* enough: the median's 95% CI within +- this share of it */
	double max_time_s;   /* the cell's sampling budget, retaken samples included */
	unsigned retakes;    /* disturbed samples that may be dropped and taken again */
	unsigned warmup;     /* unrecorded samples before them */
	double timeout_s;    /* hard limit for the whole cell, setup and warmup included */
};

/* Others' CPU in a sample above this many cores (averaged over the sample)
 * marks it as disturbed; see docs/statistics.md for why. */
#define INTERFERENCE_CORES 0.2
/* ... and above this many seconds: the /proc/stat counters tick in 10 ms. */
#define INTERFERENCE_MIN_S 0.02
/* A cell whose samples are each too short to judge is flagged when others
 * used more than this many cores over all its samples together, and more
 * than INTERFERENCE_CELL_MIN_S seconds: short samples' tick rounding and
 * the kernel's own work for a cell (thread teardown) stay below it. */
#define INTERFERENCE_CELL_CORES 0.5
#define INTERFERENCE_CELL_MIN_S 0.05
/* The most cells alive at once (CLI_MAX_STRATEGIES * CLI_MAX_WORKERS). */
#define RUNNER_MAX_LIVE 2048

/* Task latency quantiles kept per sample: 0, 1, ..., 100 percent. */
#define LATENCY_QUANTILES 101

/* How the fixture's CPU was read. */
enum fixture_clock {
	FIXTURE_CLOCK_NONE,  /* no fixture (or, in an older file, not said) */
	FIXTURE_CLOCK_CPU,   /* its CPU clock (clock_getcpuclockid): nanoseconds */
	FIXTURE_CLOCK_TICKS, /* /proc/<pid>/stat, where its clock could not be had: 10 ms ticks */
};

/* What one measured sample reports back to the parent. */
struct sample_record {
	double wall_s, user_s, sys_s;
	double process_s;   /* an external program's whole life by the runner's clock, while
			     * wall_s is its own clock's time for the tasks; NAN otherwise */
	long nvcsw, nivcsw, max_rss_kb;
	long rss_processes; /* child processes whose peaks max_rss_kb adds up */
	double pss_kb;      /* at the sample's end: the cell process's PSS plus its
			     * workers' (each at its own end); NAN: unknown */
	double rss_kb;      /* the same with RSS: shared pages counted in each */
	double task_p50_s, task_p99_s;
	double prepare_s;                    /* the untimed prepare step (a thread pool's start) */
	enum task_path path;                 /* how the tasks reached the workload */
	double task_latq[LATENCY_QUANTILES]; /* task latency at 0, 1, ..., 100 percent */
	double fixture_cpu_s;                 /* the fixture's CPU (user + sys) during the
					       * sample; 0 without one, NAN: unknown */
	enum fixture_clock fixture_clock;     /* how fixture_cpu_s was read */
	long fixture_max_rss_kb;              /* the fixture's peak RSS so far */
	double foreign_cpu_s;                 /* CPU others used meanwhile (system busy time
					       * less this cell's and the fixture's); NAN: unknown */
	double foreign_raw_s;                 /* the same before it is clamped at 0: the
					       * busy time counts 10 ms ticks, so its rounding
					       * goes both ways, and only a signed sum over
					       * samples cancels it */
	double steal_s;                       /* time the hypervisor gave others; NAN: unknown */
	bool disturbed;                       /* foreign CPU above the threshold */
	double tally_count, tally_expected;   /* the workload's sample_end; NAN: none */
	struct stage_stats stages;            /* a strategy that ran the stages apart */
	bool has_stages;
	uint64_t digest;
	bool ok;
	char error[SAMPLE_ERROR_MAX];
};

/* The time a sample's CPU and others' CPU were read over: an external
 * program's whole life, else the timed run. */
static inline double sample_span_s(const struct sample_record *s)
{
	return s->process_s > 0 ? s->process_s : s->wall_s;
}

enum cell_status { CELL_OK, CELL_FAILED, CELL_TIMEOUT };

/* Why a cell's sampling ended. */
enum stop_reason {
	STOP_NONE,       /* not yet, or the cell failed */
	STOP_PRECISION,  /* the CI reached the precision asked */
	STOP_MAX_TIME,   /* the sampling budget was spent */
	STOP_MAX_REPEAT, /* max_repeat samples */
};

struct cell_outcome {
	enum cell_status status;
	char error[SAMPLE_ERROR_MAX + 64];
	struct sample_record *samples; /* nsamples counted ones, owned */
	size_t nsamples, cap;
	size_t retaken;                /* disturbed samples dropped and taken again */
	enum stop_reason stop;
	double sampling_s;             /* time spent sampling (the budget's measure) */
	double precision_target;       /* the precision asked (run_options.precision) */
	struct stats now;              /* of the counted samples' wall times so far */
};

/* A cell in flight: its process, and where its sampling stands. */
struct cell_run {
	const struct cell *cell;
	const struct run_options *opt;
	struct cell_outcome out;
	int pid;          /* 0 before the first step and after the last */
	int cmd_fd;       /* commands to the cell process */
	int res_fd;       /* its records back */
	int slot;         /* in the live table the signal handler kills */
	unsigned warmed;  /* warmup samples done */
	double used_s;    /* the cell's own time so far, for its timeout */
	char scratch[4096]; /* its scratch folder while it lives (WORKLOAD_SCRATCH), or "" */
	bool idle;        /* timed out with its processes using no CPU: a probable deadlock */
	bool done;
};

/* Prepares r for cell; nothing starts until the first step. */
void cell_run_init(struct cell_run *r, const struct cell *cell, const struct run_options *opt);
/*
 * One visit: starts the cell process on the first (setup, warmup), then
 * takes one measured sample and applies the sampling rule. When the cell
 * is done (enough samples, failure, timeout), its process is gone and
 * r->done is set; r->out holds its fate.
 */
void cell_run_step(struct cell_run *r);
/* Ends a cell before its time: its process killed, its fate failed for why. */
void cell_run_abort(struct cell_run *r, const char *why);

/* Runs the cell to its end (every step in a row) and fills out. */
void runner_run_cell(const struct cell *cell, const struct run_options *opt,
		     struct cell_outcome *out);
void cell_outcome_free(struct cell_outcome *out);
/* "precision", "max-time", "max-repeat"; NULL for STOP_NONE. */
const char *stop_reason_name(enum stop_reason stop);
bool stop_reason_parse(const char *name, enum stop_reason *stop);

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
/*
 * Cells whose workload asks for a scratch folder (WORKLOAD_SCRATCH) get
 * one of their own under <run_dir>/scratch, made before the cell's
 * process starts and removed with everything in it once that process and
 * its workers are gone, however the cell ended. Setting the base removes
 * what a killed harness left there. Without a base, folders go under
 * $TMPDIR/concbench-scratch.
 */
void runner_set_scratch_base(const char *run_dir);

/* "cpu-clock", "proc-ticks"; NULL for FIXTURE_CLOCK_NONE. */
const char *fixture_clock_name(enum fixture_clock clock);
bool fixture_clock_parse(const char *name, enum fixture_clock *clock);

/* "ok", "failed", "timeout": the one name table of the statuses. */
const char *cell_status_name(enum cell_status status);
bool cell_status_parse(const char *name, enum cell_status *status);

#endif
