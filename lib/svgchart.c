/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inline SVG bar charts (contract in svgchart.h).  Geometry is fixed per
 * orientation so that a chart has the same size whatever its values: the
 * bars are scaled to the largest value, values are printed beside the bars
 * (a printed page has no hover), colours are dark enough to survive a
 * black-and-white printer.
 */
#include "svgchart.h"

#include <math.h>
#include <string.h>

#include "error.h"

/* Vertical charts. */
#define V_SLOT 44      /* width per bar, px */
#define V_BAR 30
#define V_LEFT 10
#define V_TOP 24       /* room for the value above the tallest bar */
#define V_PLOT 150     /* height of the tallest bar */
#define V_BOTTOM 30    /* labels under the bars */
/* Horizontal charts. */
#define H_LABEL 270    /* label column */
#define H_PLOT 300     /* width of the longest bar */
#define H_VALUE 70     /* room for the value after the bar */
#define H_ROW 22
#define H_BAR 15
#define H_TOP 6

#define BAR_FILL "#1d4f91"
#define AXIS "#444444"

static int id_ok(const char *id)
{
	size_t i, n = id ? strlen(id) : 0;

	if (!n || n > 40)
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static double clean(double v)
{
	return isfinite(v) && v > 0 ? v : 0;
}

/* A value as printed: integers without decimals, else one decimal. */
static int put_value(vb_buf *b, double v)
{
	if (v == floor(v) && v < 1e15)
		return vb_buf_printf(b, "%.0f", v);
	return vb_buf_printf(b, "%.1f", v);
}

static int put_text(vb_buf *b, const char *s)
{
	return s ? vb_buf_put_html(b, s, strlen(s)) : 0;
}

/* The label cut to VB_SVGCHART_LABEL_CHARS characters (UTF-8 lead bytes
 * counted), with "…" when cut. */
static int put_label(vb_buf *b, const char *s)
{
	size_t i, chars = 0, cut = 0;

	if (!s)
		return 0;
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == VB_SVGCHART_LABEL_CHARS - 1)
				cut = i;
			if (++chars > VB_SVGCHART_LABEL_CHARS)
				break;
		}
	}
	if (!s[i])
		return vb_buf_put_html(b, s, i);
	{
		int rc = vb_buf_put_html(b, s, cut);

		return rc ? rc : vb_buf_puts(b, "…");
	}
}

static int put_bar_title(vb_buf *b, const vb_chart_bar *bar, double v)
{
	int rc = vb_buf_puts(b, "<title>");

	if (!rc)
		rc = put_text(b, bar->label);
	if (!rc)
		rc = vb_buf_puts(b, ": ");
	if (!rc)
		rc = put_value(b, v);
	return rc ? rc : vb_buf_puts(b, "</title>");
}

static int put_head(vb_buf *b, const vb_chart *c, unsigned w, unsigned h)
{
	int rc = vb_buf_printf(b,
			       "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
			       "role=\"img\" aria-labelledby=\"%s-t %s-d\" width=\"%u\" "
			       "height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"sans-serif\" "
			       "font-size=\"11\">\n<title id=\"%s-t\">",
			       c->id, c->id, w, h, w, h, c->id);

	if (!rc)
		rc = put_text(b, c->title);
	if (!rc)
		rc = vb_buf_printf(b, "</title>\n<desc id=\"%s-d\">", c->id);
	if (!rc)
		rc = put_text(b, c->desc ? c->desc : c->title);
	return rc ? rc : vb_buf_puts(b, "</desc>\n");
}

static int write_vertical(vb_buf *b, const vb_chart *c, double max)
{
	unsigned w = V_LEFT * 2 + (unsigned)c->n * V_SLOT, h = V_TOP + V_PLOT + V_BOTTOM;
	unsigned base = V_TOP + V_PLOT;
	size_t i;
	int rc;

	if ((rc = put_head(b, c, w, h)))
		return rc;
	for (i = 0; i < c->n; i++) {
		double v = clean(c->bars[i].value);
		double bh = max > 0 ? v / max * V_PLOT : 0;
		double x = V_LEFT + (double)i * V_SLOT + (V_SLOT - V_BAR) / 2.0;
		double cx = V_LEFT + (double)i * V_SLOT + V_SLOT / 2.0;

		rc = vb_buf_printf(b,
				   "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" "
				   "height=\"%.1f\" fill=\"" BAR_FILL "\">",
				   x, base - bh, V_BAR, bh);
		if (!rc)
			rc = put_bar_title(b, &c->bars[i], v);
		if (!rc)
			rc = vb_buf_printf(b, "</rect>\n<text x=\"%.1f\" y=\"%.1f\" "
					      "text-anchor=\"middle\">", cx, base - bh - 4);
		if (!rc)
			rc = put_value(b, v);
		if (!rc)
			rc = vb_buf_printf(b, "</text>\n<text x=\"%.1f\" y=\"%u\" "
					      "text-anchor=\"middle\">", cx, base + 16);
		if (!rc)
			rc = put_label(b, c->bars[i].label);
		if (!rc)
			rc = vb_buf_puts(b, "</text>\n");
		if (rc)
			return rc;
	}
	rc = vb_buf_printf(b, "<line x1=\"%d\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"" AXIS
			      "\"/>\n</svg>\n", V_LEFT, base, w - V_LEFT, base);
	return rc;
}

static int write_horizontal(vb_buf *b, const vb_chart *c, double max)
{
	unsigned w = H_LABEL + H_PLOT + H_VALUE, h = H_TOP * 2 + (unsigned)c->n * H_ROW;
	size_t i;
	int rc;

	if (!c->n)
		h = H_TOP * 2 + H_ROW;
	if ((rc = put_head(b, c, w, h)))
		return rc;
	for (i = 0; i < c->n; i++) {
		double v = clean(c->bars[i].value);
		double bw = max > 0 ? v / max * H_PLOT : 0;
		unsigned y = H_TOP + (unsigned)i * H_ROW;

		rc = vb_buf_printf(b, "<text x=\"%d\" y=\"%u\" text-anchor=\"end\">", H_LABEL - 6,
				   y + H_BAR - 3);
		if (!rc)
			rc = put_label(b, c->bars[i].label);
		if (!rc)
			rc = vb_buf_printf(b,
					   "</text>\n<rect class=\"bar\" x=\"%d\" y=\"%u\" "
					   "width=\"%.1f\" height=\"%d\" fill=\"" BAR_FILL "\">",
					   H_LABEL, y, bw, H_BAR);
		if (!rc)
			rc = put_bar_title(b, &c->bars[i], v);
		if (!rc)
			rc = vb_buf_printf(b, "</rect>\n<text x=\"%.1f\" y=\"%u\">", H_LABEL + bw + 4,
					   y + H_BAR - 3);
		if (!rc)
			rc = put_value(b, v);
		if (!rc)
			rc = vb_buf_puts(b, "</text>\n");
		if (rc)
			return rc;
	}
	return vb_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%u\" stroke=\"" AXIS
			     "\"/>\n</svg>\n", H_LABEL, H_TOP - 2, H_LABEL, h - H_TOP + 2);
}

int vb_svgchart_write(vb_buf *out, const vb_chart *c)
{
	double max = 0;
	size_t i;

	if (!c || !id_ok(c->id) || !c->title || !*c->title || c->n > VB_SVGCHART_MAX_BARS ||
	    (c->n && !c->bars))
		return VB_EINVAL;
	for (i = 0; i < c->n; i++)
		if (clean(c->bars[i].value) > max)
			max = clean(c->bars[i].value);
	return c->horizontal ? write_horizontal(out, c, max) : write_vertical(out, c, max);
}
