/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bar charts as inline SVG for the yearly report (lib/report.c): a
 * self-contained <svg> element (no script, no external style, no fonts to
 * load) that prints as it shows, with a <title> and <desc> named by
 * aria-labelledby so screen readers announce the chart, and a <title> on
 * every bar with its label and value.  Charts are vertical (few short
 * labels: months) or horizontal (long labels: forms, issuers).  Every bar
 * is a <rect class="bar">, so a test can count them.  The report puts a
 * table with the same figures beside each chart.
 *
 * Pure and thread-safe: writes into a caller's vb_buf.
 */
#ifndef VB_SVGCHART_H
#define VB_SVGCHART_H

#include <stddef.h>

#include "buf.h"

/* Most bars one chart draws. */
#define VB_SVGCHART_MAX_BARS 100
/* Longest label shown, in characters; longer ones end in "…" (the bar's
 * <title> keeps the whole label). */
#define VB_SVGCHART_LABEL_CHARS 38

typedef struct vb_chart_bar {
	const char *label; /* UTF-8; NULL shows as "" */
	double value;      /* >= 0; negative, NaN and infinite count as 0 */
} vb_chart_bar;

typedef struct vb_chart {
	const char *id;      /* unique in the page: [A-Za-z0-9_-], 1-40 bytes */
	const char *title;   /* what the chart shows (required) */
	const char *desc;    /* one sentence for screen readers (may be NULL) */
	const vb_chart_bar *bars;
	size_t n;            /* 0 draws an empty chart with its title */
	int horizontal;      /* 1: one row per bar, labels on the left */
} vb_chart;

/* Append the chart to out.  0, VB_EINVAL (bad id, no title, more than
 * VB_SVGCHART_MAX_BARS bars; nothing appended), or VB_ETOOBIG /
 * VB_ENOMEM from the buffer (out then holds part of the chart). */
int vb_svgchart_write(vb_buf *out, const vb_chart *c);

#endif
