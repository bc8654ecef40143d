/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The progress line of `vanban import` (see progress.h).  Drawn with a
 * carriage return and "erase to end of line", which every terminal the
 * operators use understands.
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void vb_progress_init(vb_progress *p, int enabled)
{
	p->enabled = enabled;
	p->drawn = 0;
	p->start = now();
	p->last_draw = 0;
	p->total = 0;
	p->done = 0;
}

void vb_progress_set_total(vb_progress *p, long total)
{
	p->total = total > 0 ? total : 0;
}

double vb_progress_elapsed(const vb_progress *p)
{
	return now() - p->start;
}

static void draw(vb_progress *p, double t)
{
	double el = t - p->start;
	double rate = el > 0 ? (double)p->done / el : 0;

	if (p->total > 0) {
		long left = p->total > p->done ? p->total - p->done : 0;
		double eta = rate > 0 ? (double)left / rate : 0;
		int pct = (int)(100.0 * (double)p->done / (double)p->total);
		long e = (long)(eta + 0.5);

		if (pct > 100)
			pct = 100;
		fprintf(stderr, "\r%ld/%ld documents (%d%%), %.0f docs/s, ETA %ld:%02ld\033[K",
			p->done, p->total, pct, rate, e / 60, e % 60);
	} else {
		fprintf(stderr, "\r%ld documents, %.0f docs/s\033[K", p->done, rate);
	}
	fflush(stderr);
	p->drawn = 1;
	p->last_draw = t;
}

void vb_progress_step(vb_progress *p, long n)
{
	double t;

	p->done += n;
	if (!p->enabled)
		return;
	t = now();
	if (t - p->last_draw >= 0.1)
		draw(p, t);
}

void vb_progress_clear(vb_progress *p)
{
	if (!p->enabled || !p->drawn)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	p->drawn = 0;
	p->last_draw = 0; /* redraw at the next step */
}
