/*
 * fixture.h - starting and stopping a workload's helper process (see
 * struct workload_fixture) without knowing what it is.
 */
#ifndef CONCBENCH_FIXTURE_H
#define CONCBENCH_FIXTURE_H

#include <stddef.h>

#include "concbench/workload.h"

#define FIXTURE_READY_TIMEOUT_S 10

struct fixture {
	int pid;          /* 0 when not running */
	char ready[512];  /* the line it reported, without its newline */
};

/*
 * Starts w's fixture as `concbench <argv...> --ready-fd N` in its own
 * process group, dying with us (PR_SET_PDEATHSIG), and waits for its ready
 * line. Returns 0, or < 0 with the reason in err (the process is gone).
 */
int fixture_start(const struct workload *w, struct fixture *fx, char *err, size_t errlen);
/* Whether the fixture still runs; if it ended, describes how in err. */
bool fixture_alive(struct fixture *fx, char *err, size_t errlen);
/* SIGTERM, a short grace period, then SIGKILL; always reaps it. */
void fixture_stop(struct fixture *fx);

#endif
