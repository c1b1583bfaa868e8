/*
 * external.c - the seam for strategies whose tasks run in another program
 * (docs/external.md). The program is a plain child of the cell's process:
 * it stays in the cell's process group, so the runner's deadline kills it
 * and everything it started, and its usage is reaped into the sample.
 * Its stdin carries what the strategy feeds it (the program's own text,
 * for an interpreter reading `-`), stdout its one result line, stderr
 * anything else: the last line of which names a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "concbench/fault.h"
#include "concbench/strategy.h"

#define OUT_MAX (64 * 1024) /* stdout kept: a result line, or an answer */
#define LINE_MAX_KEPT 240   /* of stderr's last line */
#define RESULT_PREFIX "concbench-external "

/* A child and the three pipes to it, and what came back. */
struct child {
	pid_t pid;
	int pidfd;              /* readable once the child has exited; -1: none */
	int in, out, err;       /* our ends; -1 once closed */
	const char *input;
	size_t input_len, input_done;
	char *stdout_text;      /* OUT_MAX + 1 bytes */
	size_t stdout_len;
	bool stdout_cut;        /* more than OUT_MAX came */
	char line[LINE_MAX_KEPT + 1], last[LINE_MAX_KEPT + 1]; /* stderr: current, last whole */
	size_t line_len;
	struct sample *heard;   /* each whole stderr line is noted there; NULL: nowhere */
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Forks and execs argv with its stdin, stdout and stderr on pipes. */
static int child_start(struct child *c, char *const argv[], const void *input, size_t input_len,
		       char *err, size_t errlen)
{
	pid_t parent;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, er[2] = { -1, -1 };

	memset(c, 0, sizeof(*c));
	c->in = c->out = c->err = c->pidfd = -1;
	c->input = input;
	c->input_len = input ? input_len : 0;
	c->stdout_text = malloc(OUT_MAX + 1);
	if (c->stdout_text)
		c->stdout_text[0] = '\0';
	if (!c->stdout_text || fault_pipe2(in, O_CLOEXEC) < 0 || fault_pipe2(out, O_CLOEXEC) < 0 ||
	    fault_pipe2(er, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0],
			 c->stdout_text ? strerror(errno) : "out of memory");
		goto fail;
	}
	parent = getpid();
	c->pid = fault_fork();
	if (c->pid < 0) {
		snprintf(err, errlen, "cannot start %s: fork: %s", argv[0], strerror(errno));
		goto fail;
	}
	if (c->pid == 0) {
		/* The child: only async-signal-safe calls until exec. It dies
		 * with its parent: a cell killed with the harness (SIGKILL
		 * leaves no one to kill its group) leaves no program behind. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(er[1], 2) < 0)
			_exit(127);
		/* Nothing of the cell's (its pipe to the harness, a fixture's
		 * socket) goes with it. */
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		{
			sigset_t none;

			/* The program starts with our mask otherwise: SIGPIPE is
			 * blocked while we feed it. */
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
		}
		execv(argv[0], argv);
		{
			char msg[160];
			int n = snprintf(msg, sizeof(msg), "cannot run %s: %s\n", argv[0],
					 strerror(errno));

			if (n > 0 && write(2, msg, (size_t)n) < 0)
				_exit(127);
		}
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(er[1]);
	/* Whatever the program leaves running may hold its stdout and stderr
	 * open: its own end, not theirs, ends the talk. */
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	c->in = in[1];
	c->out = out[0];
	c->err = er[0];
	if (!c->input_len)
		close_fd(&c->in);
	else
		fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	return 0;
fail:
	for (int k = 0; k < 2; k++) {
		close_fd(&in[k]);
		close_fd(&out[k]);
		close_fd(&er[k]);
	}
	free(c->stdout_text);
	c->stdout_text = NULL;
	return -1;
}

/* Keeps stderr's last non-empty line. */
static void take_stderr(struct child *c, const char *buf, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (buf[k] == '\n') {
			if (c->line_len) {
				memcpy(c->last, c->line, c->line_len);
				c->last[c->line_len] = '\0';
				/* Named if the cell must be killed (a hang). */
				if (c->heard)
					sample_note(c->heard, c->last);
			}
			c->line_len = 0;
		} else if (c->line_len < LINE_MAX_KEPT) {
			/* What is not printable is shown as '?': the line goes into
			 * results and onto the terminal. */
			unsigned char ch = (unsigned char)buf[k];

			c->line[c->line_len++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
	}
}

/* The last line the child wrote on stderr, finished or not. */
static const char *stderr_last(struct child *c)
{
	if (c->line_len) {
		memcpy(c->last, c->line, c->line_len);
		c->last[c->line_len] = '\0';
		c->line_len = 0;
	}
	return c->last;
}

/*
 * Feeds stdin and drains stdout and stderr until both reach their end,
 * or deadline (monotonic seconds; 0: none) passes. Returns 0, or -1 on
 * a timeout.
 */
static int child_pump(struct child *c, double deadline)
{
	char buf[4096];

	bool exited = false;

	while (c->out >= 0 || c->err >= 0) {
		struct pollfd p[4];
		int n = 0, wait_ms = -1, ready;

		/* It has exited: take what is left in the pipes, wait no more. */
		if (exited)
			wait_ms = 0;
		else if (c->pidfd >= 0)
			p[n++] = (struct pollfd){ .fd = c->pidfd, .events = POLLIN };
		if (c->in >= 0)
			p[n++] = (struct pollfd){ .fd = c->in, .events = POLLOUT };
		if (c->out >= 0)
			p[n++] = (struct pollfd){ .fd = c->out, .events = POLLIN };
		if (c->err >= 0)
			p[n++] = (struct pollfd){ .fd = c->err, .events = POLLIN };
		if (deadline > 0 && !exited) {
			double left = deadline - sample_now();

			if (left <= 0)
				return -1;
			wait_ms = (int)(left * 1000) + 1;
		}
		ready = poll(p, (nfds_t)n, wait_ms);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* Nothing more in the pipes after its exit: done. */
		if (ready == 0 && exited)
			break;
		for (int k = 0; k < n; k++) {
			ssize_t got;

			if (!p[k].revents)
				continue;
			if (p[k].fd == c->pidfd) {
				exited = true;
				continue;
			}
			if (p[k].fd == c->in) {
				got = write(c->in, c->input + c->input_done, c->input_len - c->input_done);
				if (got > 0)
					c->input_done += (size_t)got;
				/* All fed, or the program stopped reading. */
				if ((got < 0 && errno != EAGAIN && errno != EINTR) ||
				    c->input_done == c->input_len)
					close_fd(&c->in);
				continue;
			}
			got = read(p[k].fd, buf, sizeof(buf));
			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0) {
				close_fd(p[k].fd == c->out ? &c->out : &c->err);
				continue;
			}
			if (p[k].fd == c->err) {
				take_stderr(c, buf, (size_t)got);
			} else {
				size_t room = OUT_MAX - c->stdout_len, take = (size_t)got < room ? (size_t)got : room;

				memcpy(c->stdout_text + c->stdout_len, buf, take);
				c->stdout_len += take;
				c->stdout_text[c->stdout_len] = '\0';
				c->stdout_cut |= take < (size_t)got;
			}
		}
	}
	return 0;
}

/* child_pump with SIGPIPE held off. */
static int child_talk(struct child *c, double deadline)
{
	sigset_t pipe_signal, was;
	int rc;

	/* A program that stops reading makes write() fail with EPIPE, not
	 * kill the cell; a SIGPIPE left pending is taken before it is
	 * unblocked again. */
	sigemptyset(&pipe_signal);
	sigaddset(&pipe_signal, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_signal, &was);
	rc = child_pump(c, deadline);
	if (!sigismember(&was, SIGPIPE)) {
		sigset_t pending;
		struct timespec now = { 0, 0 };

		sigpending(&pending);
		if (sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipe_signal, NULL, &now);
	}
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

static void child_close(struct child *c)
{
	close_fd(&c->pidfd);
	close_fd(&c->in);
	close_fd(&c->out);
	close_fd(&c->err);
	free(c->stdout_text);
	c->stdout_text = NULL;
}

/* "exited with status 3", "was killed by signal 9 (SIGKILL)"; "" for a clean exit. */
static void how_it_ended(int status, char *buf, size_t len)
{
	buf[0] = '\0';
	if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (SIG%s)", WTERMSIG(status),
			 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
}

/* The program's name for messages: argv[0]'s last part. */
static const char *program_name(char *const argv[])
{
	const char *slash = strrchr(argv[0], '/');

	return slash ? slash + 1 : argv[0];
}

/* Reads "concbench-external wall_s=S digest=H\n", and nothing else. */
static bool parse_result(const char *text, double *wall_s, uint64_t *digest)
{
	const char *p = text;
	char *end;

	if (strncmp(p, RESULT_PREFIX "wall_s=", strlen(RESULT_PREFIX "wall_s=")))
		return false;
	p += strlen(RESULT_PREFIX "wall_s=");
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*wall_s = strtod(p, &end);
	if (errno || end == p || !isfinite(*wall_s) || *wall_s < 0 || strncmp(end, " digest=", 8))
		return false;
	p = end + 8;
	*digest = 0;
	for (int k = 0; k < 16; k++, p++) {
		int v = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;

		if (v < 0)
			return false;
		*digest = *digest << 4 | (uint64_t)v;
	}
	return p[0] == '\n' && p[1] == '\0';
}

/* The first line of what the program printed, quoted for a message. */
static void first_line(const char *text, char *buf, size_t len)
{
	size_t n = strcspn(text, "\n");

	if (n > 60)
		n = 60;
	snprintf(buf, len, "%.*s", (int)n, text);
	for (char *q = buf; *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '?';
}

int strategy__external_run(char *const argv[], const void *input, size_t input_len,
			   const char *who, struct sample *out)
{
	struct child c;
	char why[SAMPLE_ERROR_MAX], ended[64], seen[64];
	int status = 0;
	double wall_s = 0;
	uint64_t digest = 0;

	if (child_start(&c, argv, input, input_len, why, sizeof(why)) < 0) {
		sample_fail(out, "%s: %s", who, why);
		return -1;
	}
	c.heard = out;
	child_talk(&c, 0);
	if (strategy__wait(c.pid, &status, out) < 0) {
		sample_fail(out, "%s: wait4 failed: %s", who, strerror(errno));
		child_close(&c);
		return -1;
	}
	how_it_ended(status, ended, sizeof(ended));
	first_line(c.stdout_text, seen, sizeof(seen));
	if (ended[0])
		sample_fail(out, "%s: %s %s: %s", who, program_name(argv), ended,
			    stderr_last(&c)[0] ? stderr_last(&c) : "(nothing on stderr)");
	else if (c.stdout_cut || !parse_result(c.stdout_text, &wall_s, &digest))
		sample_fail(out, "%s: %s printed %s%s%s, not its result line; its stderr: %s", who,
			    program_name(argv), seen[0] ? "'" : "nothing", seen, seen[0] ? "'" : "",
			    stderr_last(&c)[0] ? stderr_last(&c) : "(nothing)");
	child_close(&c);
	if (atomic_load(&out->failed))
		return -1;
	out->external = true;
	out->external_digest = digest;
	out->external_wall_s = wall_s;
	out->path = TASK_PATH_EXTERNAL;
	return 0;
}

char *strategy__external_ask(char *const argv[], const void *input, size_t input_len,
			     double timeout_s, char *err, size_t errlen)
{
	struct child c;
	char ended[64];
	int status = 0;
	char *answer;

	if (child_start(&c, argv, input, input_len, err, errlen) < 0)
		return NULL;
	if (child_talk(&c, sample_now() + timeout_s) < 0) {
		kill(c.pid, SIGKILL);
		strategy__wait(c.pid, &status, NULL);
		snprintf(err, errlen, "%s did not answer within %.0f s", program_name(argv), timeout_s);
		child_close(&c);
		return NULL;
	}
	if (strategy__wait(c.pid, &status, NULL) < 0) {
		snprintf(err, errlen, "wait4 failed: %s", strerror(errno));
		child_close(&c);
		return NULL;
	}
	how_it_ended(status, ended, sizeof(ended));
	if (ended[0]) {
		snprintf(err, errlen, "%s %s: %s", program_name(argv), ended,
			 stderr_last(&c)[0] ? stderr_last(&c) : "(nothing on stderr)");
		child_close(&c);
		return NULL;
	}
	answer = c.stdout_text;
	c.stdout_text = NULL;
	child_close(&c);
	return answer;
}
