/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parent's side of a limited child process (see child.h): its output
 * read from a pipe with a size cap, the wall-clock deadline, the reaping.
 * While the child writes, the deadline is the timeout of poll(); once it
 * has closed its end of the pipe, waitpid(WNOHANG) is polled with short
 * pauses, so neither a child that loops without writing nor one that
 * closed its output and kept running holds the caller past the deadline.
 */
#include "child.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536            /* one read: a Linux pipe's default capacity */
#define NAP_MIN_NS 100000L     /* first pause between waitpid polls: 0.1 ms */
#define NAP_MAX_NS 50000000L   /* doubled up to 50 ms */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append what fits of p (n bytes) to out; 1 when not all of it did. */
static int take(vb_buf *out, const char *p, size_t n)
{
	size_t room, fit;

	if (!out)
		return 0;
	room = out->max > out->len ? out->max - out->len : 0;
	fit = n < room ? n : room;
	if (fit && vb_buf_append(out, p, fit))
		return 1; /* out of memory: full too */
	return fit < n;
}

/* Wait for pid: blocking when it has been killed, else polled until the
 * deadline, where it is killed. */
static void reap(pid_t pid, double deadline, int killed, vb_child_status *st)
{
	long nap = NAP_MIN_NS;

	for (;;) {
		pid_t r = waitpid(pid, &st->status, killed ? 0 : WNOHANG);
		struct timespec ts;
		double left;

		if (r == pid)
			return;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			st->status = 0; /* not our child: nothing to reap */
			return;
		}
		left = deadline - now_seconds();
		if (left <= 0) {
			kill(pid, SIGKILL);
			st->timed_out = killed = 1;
			continue;
		}
		if (left * 1e9 < nap)
			nap = (long)(left * 1e9) + 1;
		ts.tv_sec = 0;
		ts.tv_nsec = nap;
		nanosleep(&ts, NULL);
		nap = nap * 2 < NAP_MAX_NS ? nap * 2 : NAP_MAX_NS;
	}
}

void vb_child_collect(pid_t pid, int fd, vb_buf *out, double seconds, unsigned flags,
		      vb_child_status *st)
{
	double deadline = now_seconds() + seconds;
	char chunk[CHUNK];
	int killed = 0;

	st->status = 0;
	st->timed_out = 0;
	st->overflow = 0;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double left = deadline - now_seconds();
		ssize_t r;

		if (left <= 0) {
			kill(pid, SIGKILL);
			st->timed_out = killed = 1;
			break;
		}
		/* An error (EINTR) or a timeout: the check above decides. */
		if (poll(&pfd, 1, left > 86400 ? 86400000 : (int)(left * 1000) + 1) <= 0)
			continue;
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* end of file, or the pipe is unreadable */
		if (!st->overflow && take(out, chunk, (size_t)r))
			st->overflow = 1;
		if (st->overflow && (flags & VB_CHILD_KILL_WHEN_FULL)) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
	}
	close(fd);
	reap(pid, deadline, killed, st);
}
