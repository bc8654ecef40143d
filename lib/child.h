/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parent's side of a limited child process: read what the child writes
 * to a pipe until end of file or a wall-clock deadline, kill it (SIGKILL)
 * at the deadline, and reap it.  Text extraction (extract.c) and the scans
 * of uploads (upload_ocr.c: the PDF renderer, tesseract) fork their
 * children themselves and hand the pipe to vb_child_collect, which owns the
 * poll / read / kill / waitpid loop; what the child's end means (messages,
 * error codes) stays with each caller.
 */
#ifndef VB_CHILD_H
#define VB_CHILD_H

#include <sys/types.h>

#include "buf.h"

/* What to do when out cannot take more bytes (flags of vb_child_collect).
 * Without it the bytes past out's maximum are dropped and the pipe is
 * drained to end of file (or the deadline), so the child is not stopped
 * by a full pipe. */
#define VB_CHILD_KILL_WHEN_FULL 1u /* kill the child and stop reading */

typedef struct vb_child_status {
	int status;    /* from waitpid (WIFEXITED, WTERMSIG, ...) */
	int timed_out; /* 1: killed by us at the deadline */
	int overflow;  /* 1: out was full: bytes dropped, or (KILL_WHEN_FULL) the child killed */
} vb_child_status;

/* Collect the child pid: read fd (the read end of its output pipe, the
 * write end already closed in the parent) into out until end of file,
 * then wait for the child to exit; SIGKILL it when seconds have passed
 * since the call, whether it was still writing or not.  out may be NULL
 * (the output is drained and dropped); when a read would take out past its
 * maximum, the bytes that fit are kept (out holds a prefix of the output)
 * and the flags decide about the rest.  An allocation failure of out
 * counts as full.
 *
 * Always closes fd and reaps the child, on every path, so no zombie is
 * left; *st is filled.  st->status is 0 when the child could not be waited
 * for (pid not a child of this process).  Interrupted poll, read and
 * waitpid calls (EINTR) are retried.  Blocks the calling thread for about
 * seconds at most (plus the time a killed child takes to die); thread-safe
 * (it touches only pid, fd, out and st). */
void vb_child_collect(pid_t pid, int fd, vb_buf *out, double seconds, unsigned flags,
		      vb_child_status *st);

#endif
