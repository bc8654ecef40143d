/* SPDX-License-Identifier: GPL-3.0-or-later
 * Unit tests for lib/child.c: children forked here write a pattern to a
 * pipe and end in every way vb_child_collect must handle (exit, exit code,
 * signal, hang, hang after closing the pipe, too much output with out in
 * "kill" and in "drain" mode, output of exactly the cap), some of them
 * while an interval timer interrupts the parent's system calls.  After
 * each case the pipe is closed and no child, not even a zombie, is left. */
#include "buf.h"
#include "child.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ANY (-2)    /* exit: the status is not checked */
#define SIGNALED (-1)

struct tcase {
	const char *name;
	void (*child)(int fd, long n);
	long n;
	size_t cap;          /* maximum of out; 0: out is NULL */
	double seconds;
	unsigned flags;
	int interrupt;       /* a 2 ms interval timer (SIGALRM, no SA_RESTART) runs */
	int exit;            /* exit code, SIGNALED (then sig) or ANY */
	int sig;
	int timed_out, overflow;
	size_t len;          /* bytes collected: a prefix of the pattern */
	double min_s, max_s; /* time vb_child_collect took */
};

static char pattern(size_t i)
{
	return (char)('a' + i % 26);
}

static void write_pattern(int fd, long n)
{
	char b[4096];
	long done = 0;

	while (done < n) {
		size_t k = n - done < (long)sizeof(b) ? (size_t)(n - done) : sizeof(b);
		ssize_t w;
		size_t i;

		for (i = 0; i < k; i++)
			b[i] = pattern((size_t)done + i);
		if ((w = write(fd, b, k)) < 0) {
			if (errno == EINTR)
				continue;
			_exit(99);
		}
		done += w;
	}
}

/* The children.  n is the number of bytes written unless said otherwise. */
static void ch_write(int fd, long n)
{
	write_pattern(fd, n);
	_exit(0);
}

static void ch_exit3(int fd, long n)
{
	write_pattern(fd, n);
	_exit(3);
}

static void ch_sigterm(int fd, long n)
{
	write_pattern(fd, n);
	kill(getpid(), SIGTERM);
	pause();
	_exit(0);
}

static void ch_hang(int fd, long n)
{
	write_pattern(fd, n);
	sleep(30);
	_exit(0);
}

static void ch_close_hang(int fd, long n)
{
	write_pattern(fd, n);
	close(fd);
	sleep(30);
	_exit(0);
}

/* n bytes, one every 30 ms */
static void ch_slow(int fd, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		char c = pattern((size_t)i);
		struct timespec ts = { 0, 30000000L };

		if (write(fd, &c, 1) != 1)
			_exit(99);
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

static const struct tcase cases[] = {
	{ "writes and exits 0", ch_write, 5, 100, 5, 0, 0, 0, 0, 0, 0, 5, 0, 2 },
	{ "exits 3", ch_exit3, 3, 100, 5, 0, 0, 3, 0, 0, 0, 3, 0, 2 },
	{ "killed by SIGTERM", ch_sigterm, 2, 100, 5, 0, 0, SIGNALED, SIGTERM, 0, 0, 2, 0, 2 },
	{ "sleeps past the deadline", ch_hang, 4, 100, 0.3, 0, 0,
	  SIGNALED, SIGKILL, 1, 0, 4, 0.3, 1.3 },
	{ "closes stdout, runs past the deadline", ch_close_hang, 4, 100, 0.5, 0, 0,
	  SIGNALED, SIGKILL, 1, 0, 4, 0.5, 1.5 },
	{ "more than the cap, kill mode", ch_hang, 200000, 1000, 5, VB_CHILD_KILL_WHEN_FULL, 0,
	  SIGNALED, SIGKILL, 0, 1, 1000, 0, 2 },
	{ "cap + 1, kill mode", ch_write, 70001, 70000, 5, VB_CHILD_KILL_WHEN_FULL, 0,
	  ANY, 0, 0, 1, 70000, 0, 2 },
	{ "more than the cap, drain mode", ch_write, 200000, 1000, 5, 0, 0, 0, 0, 0, 1, 1000, 0, 2 },
	{ "exactly the cap, kill mode", ch_write, 70000, 70000, 5, VB_CHILD_KILL_WHEN_FULL, 0,
	  0, 0, 0, 0, 70000, 0, 2 },
	{ "exactly the cap, drain mode", ch_write, 70000, 70000, 5, 0, 0, 0, 0, 0, 0, 70000, 0, 2 },
	{ "no out: drained", ch_write, 200000, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 2 },
	{ "nothing written", ch_write, 0, 100, 5, 0, 0, 0, 0, 0, 0, 0, 0, 2 },
	{ "slow writer, interrupted", ch_slow, 10, 100, 5, 0, 1, 0, 0, 0, 0, 10, 0.25, 2 },
	{ "closes stdout, runs past the deadline, interrupted", ch_close_hang, 4, 100, 0.5, 0, 1,
	  SIGNALED, SIGKILL, 1, 0, 4, 0.5, 1.5 },
	{ "sleeps past the deadline, interrupted", ch_hang, 4, 100, 0.3, 0, 1,
	  SIGNALED, SIGKILL, 1, 0, 4, 0.3, 1.3 },
};

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_timer(int on)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	if (on)
		it.it_interval.tv_usec = it.it_value.tv_usec = 2000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static int is_prefix(const vb_buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] != pattern(i))
			return 0;
	return 1;
}

static void no_child_left(const char *name)
{
	errno = 0;
	tap_ok(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "%s: no child left", name);
}

static void run_case(const struct tcase *c)
{
	vb_child_status st;
	vb_buf out;
	int fds[2];
	pid_t pid;
	double t0, took;

	vb_buf_init(&out, c->cap);
	if (pipe(fds) < 0 || (fflush(NULL), pid = fork()) < 0) {
		tap_ok(0, "%s: could not start the child: %s", c->name, strerror(errno));
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		c->child(fds[1], c->n);
		_exit(98);
	}
	close(fds[1]);
	ticks = 0;
	set_timer(c->interrupt);
	t0 = now_seconds();
	vb_child_collect(pid, fds[0], c->cap ? &out : NULL, c->seconds, c->flags, &st);
	took = now_seconds() - t0;
	set_timer(0);

	if (c->exit == SIGNALED)
		tap_ok(WIFSIGNALED(st.status) && WTERMSIG(st.status) == c->sig,
		       "%s: killed by signal %d (status 0x%x)", c->name, c->sig, st.status);
	else if (c->exit != ANY)
		tap_ok(WIFEXITED(st.status) && WEXITSTATUS(st.status) == c->exit,
		       "%s: exit status %d (status 0x%x)", c->name, c->exit, st.status);
	tap_is_int(st.timed_out, c->timed_out, "%s: timed_out", c->name);
	tap_is_int(st.overflow, c->overflow, "%s: overflow", c->name);
	tap_is_int(out.len, c->len, "%s: bytes collected", c->name);
	tap_ok(is_prefix(&out), "%s: the bytes are the child's, in order", c->name);
	tap_ok(took >= c->min_s && took <= c->max_s, "%s: took %.3f s (%.1f-%.1f)",
	       c->name, took, c->min_s, c->max_s);
	if (c->interrupt)
		tap_ok(ticks > 10, "%s: interrupted %d times", c->name, (int)ticks);
	errno = 0;
	tap_ok(fcntl(fds[0], F_GETFD) == -1 && errno == EBADF, "%s: the pipe is closed", c->name);
	no_child_left(c->name);
	vb_buf_dispose(&out);
}

/* A pid that is not (or no longer) a child: no wait, status 0. */
static void not_a_child(void)
{
	vb_child_status st;
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0 || (fflush(NULL), pid = fork()) < 0) {
		tap_ok(0, "not a child: could not start the child: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		_exit(7);
	waitpid(pid, NULL, 0); /* reaped here, not by vb_child_collect */
	close(fds[1]);
	vb_child_collect(pid, fds[0], NULL, 5, 0, &st);
	tap_ok(st.status == 0 && !st.timed_out && !st.overflow,
	       "not a child: status 0, not timed out (status 0x%x)", st.status);
	no_child_left("not a child");
}

int main(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: calls fail with EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	not_a_child();
	return tap_done();
}
