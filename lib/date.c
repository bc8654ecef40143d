/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Date parsing (contract in date.h).  A small hand-written scanner: the
 * input is split into three digit groups with one separator kind; the
 * order is decided by which group has four digits (year first, as in ISO,
 * when the first one does; day-month-year when the last one does); then the
 * calendar is checked.  Messages quote at most the first 40 bytes of the
 * input.
 */
#include "date.h"

#include <string.h>

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Write v (non-negative, < 10^n) as exactly n digits. */
static void put_digits(char *dst, int v, int n)
{
	while (n-- > 0) {
		dst[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Read 1..maxd digits at *p into *v; returns the digit count (0: none). */
static int read_num(const char **p, int maxd, int *v)
{
	int n = 0;

	*v = 0;
	while (**p >= '0' && **p <= '9') {
		if (n == maxd)
			return -1;
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

int vb_date_parse(const char *s, char out[11], vb_error *err)
{
	const char *p, *end, *start;
	int a, b, c, na, nb, nc, y, m, d;
	char sep;
	int len;

	out[0] = '\0';
	if (!s)
		return vb_error_set(err, VB_EINVAL, "invalid date: no value");
	p = s;
	while (is_space(*p))
		p++;
	end = p + strlen(p);
	while (end > p && is_space(end[-1]))
		end--;
	if (end == p)
		return vb_error_set(err, VB_EINVAL, "invalid date: empty value");
	start = p;
	len = end - p > 40 ? 40 : (int)(end - p);
	while (len < end - p && len > 0 && ((unsigned char)start[len] & 0xC0) == 0x80)
		len--; /* never quote part of a UTF-8 character */

	na = read_num(&p, 4, &a);
	sep = *p;
	if (na <= 0 || (sep != '-' && sep != '/' && sep != '.'))
		goto bad_format;
	p++;
	nb = read_num(&p, 2, &b);
	if (nb <= 0 || *p != sep)
		goto bad_format;
	p++;
	nc = read_num(&p, 4, &c);
	if (nc <= 0 || p != end)
		goto bad_format;
	if (na == 4 && nc <= 2) {
		y = a; m = b; d = c;            /* ISO */
	} else if (na <= 2 && nc == 4) {
		d = a; m = b; y = c;            /* Vietnamese day first */
	} else {
		goto bad_format;
	}
	if (y < VB_DATE_YEAR_MIN || y > VB_DATE_YEAR_MAX)
		return vb_error_set(err, VB_EINVAL,
		                    "invalid date \"%.*s\": year %d is out of range %d-%d",
		                    len, start,
		                    y, VB_DATE_YEAR_MIN, VB_DATE_YEAR_MAX);
	if (m < 1 || m > 12)
		return vb_error_set(err, VB_EINVAL,
		                    "invalid date \"%.*s\": month %d is out of range",
		                    len, start, m);
	if (d < 1 || d > days_in_month(y, m))
		return vb_error_set(err, VB_EINVAL,
		                    "invalid date \"%.*s\": day %d is out of range for %s %d",
		                    len, start, d, month_names[m - 1], y);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
	vb_error_clear(err);
	return 0;

bad_format:
	return vb_error_set(err, VB_EINVAL,
	                    "invalid date \"%.*s\": expected YYYY-MM-DD or dd/mm/yyyy",
	                    len, start);
}

int vb_date_year(const char *iso)
{
	int i, y = 0;

	if (!iso)
		return 0;
	for (i = 0; i < 4; i++) {
		if (iso[i] < '0' || iso[i] > '9')
			return 0;
		y = y * 10 + (iso[i] - '0');
	}
	return iso[4] == '-' ? y : 0;
}
