/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The progress line of `vanban import`: documents done, documents per
 * second and, when the total is known, an ETA, redrawn in place on stderr
 * at most ten times a second.  Only used when stderr is a terminal; the
 * caller decides (isatty, --quiet) and a disabled progress does nothing.
 * Before printing anything else on stderr, call vb_progress_clear so that
 * messages do not run into the bar.  Not thread-safe.
 */
#ifndef VB_PROGRESS_H
#define VB_PROGRESS_H

typedef struct vb_progress {
	int enabled;
	int drawn;          /* a bar is on the screen */
	double start;       /* monotonic seconds */
	double last_draw;
	long total;         /* 0: unknown */
	long done;
} vb_progress;

/* Start the clock; enabled: whether to draw at all. */
void vb_progress_init(vb_progress *p, int enabled);
/* Set the expected number of items (0: unknown, no ETA). */
void vb_progress_set_total(vb_progress *p, long total);
/* Count n more items done and redraw if the last draw is 0.1 s old. */
void vb_progress_step(vb_progress *p, long n);
/* Erase the bar (if drawn); the next step draws it again. */
void vb_progress_clear(vb_progress *p);
/* Seconds since vb_progress_init (also when disabled). */
double vb_progress_elapsed(const vb_progress *p);

#endif
