/*
 * fixture.c - a workload's helper process: start, wait until ready, stop.
 */
#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"
#include "concbench/fault.h"
#include "concbench/sample.h"

static void describe_exit(int status, char *err, size_t errlen)
{
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "killed by signal %d (SIG%s)", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)));
	else
		snprintf(err, errlen, "exited with status %d", WEXITSTATUS(status));
}

static _Noreturn void fixture_exec(const struct workload *w, int ready_fd, pid_t parent)
{
	const char *const *fa = w->fixture->argv;
	char fdtext[16];
	char *argv[64];
	size_t n = 0;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	snprintf(fdtext, sizeof(fdtext), "%d", ready_fd);
	argv[n++] = "concbench";
	for (size_t i = 0; fa[i] && n < 60; i++)
		argv[n++] = (char *)fa[i];
	argv[n++] = "--ready-fd";
	argv[n++] = fdtext;
	argv[n] = NULL;
	execv("/proc/self/exe", argv);
	fprintf(stderr, "concbench: cannot start the %s fixture: %s\n", w->name, strerror(errno));
	_exit(127);
}

int fixture_start(const struct workload *w, struct fixture *fx, char *err, size_t errlen)
{
	double deadline = sample_now() + FIXTURE_READY_TIMEOUT_S;
	pid_t parent = getpid(), pid;
	size_t got = 0;
	int fds[2], status;

	memset(fx, 0, sizeof(*fx));
	if (fault_pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fault_fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		fcntl(fds[1], F_SETFD, 0); /* this one end survives exec */
		fixture_exec(w, fds[1], parent);
	}
	setpgid(pid, pid);
	close(fds[1]);
	fx->pid = pid;
	runner_set_fixture_pid(pid);

	/* One line, then EOF or not: the line is what counts. */
	while (got < sizeof(fx->ready) - 1 && !memchr(fx->ready, '\n', got)) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		double left = deadline - sample_now();
		ssize_t n;
		int pr = left > 0 ? poll(&pfd, 1, (int)(left * 1000) + 1) : 0;

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			snprintf(err, errlen, "'concbench %s' was not ready within %d s",
				 w->fixture->argv[0], FIXTURE_READY_TIMEOUT_S);
			goto fail;
		}
		n = read(fds[0], fx->ready + got, sizeof(fx->ready) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	fx->ready[got] = '\0';
	if (!strchr(fx->ready, '\n')) {
		char how[64] = "closed its ready pipe";

		if (waitpid(pid, &status, WNOHANG) == pid) {
			describe_exit(status, how, sizeof(how));
			fx->pid = 0;
			runner_set_fixture_pid(0);
		}
		snprintf(err, errlen, "'concbench %s' %s before it was ready", w->fixture->argv[0], how);
		goto fail;
	}
	fx->ready[strcspn(fx->ready, "\n")] = '\0';
	close(fds[0]);
	return 0;
fail:
	close(fds[0]);
	fixture_stop(fx);
	return -1;
}

bool fixture_alive(struct fixture *fx, char *err, size_t errlen)
{
	int status;

	if (fx->pid <= 0)
		return false;
	if (waitpid(fx->pid, &status, WNOHANG) != fx->pid)
		return true;
	describe_exit(status, err, errlen);
	fx->pid = 0;
	runner_set_fixture_pid(0);
	return false;
}

void fixture_stop(struct fixture *fx)
{
	siginfo_t si;
	int status;

	if (fx->pid <= 0)
		return;
	kill(fx->pid, SIGTERM);
	/* Up to 2 s to shut down cleanly, checked every millisecond: the stop
	 * is part of what a whole-process timing of `once` measures. */
	for (int i = 0; i < 2000; i++) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)fx->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
			break;
		usleep(1000);
	}
	/* Exited but not reaped, so its pid (and group id) cannot be reused
	 * yet: anything it forked goes with it. */
	kill(-fx->pid, SIGKILL);
	waitpid(fx->pid, &status, 0);
	fx->pid = 0;
	runner_set_fixture_pid(0);
}
