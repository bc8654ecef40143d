/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/date.c: accepted formats, calendar checks (month
 * lengths, 29 February in leap and common years, year range), garbage and
 * the error messages.
 */
#include <string.h>

#include "date.h"
#include "tap.h"

static const struct {
	const char *in;
	const char *want;    /* ISO, or NULL for VB_EINVAL */
	const char *msg;     /* substring expected in the message */
} cases[] = {
	{ "2023-02-16", "2023-02-16", NULL },
	{ "16/02/2023", "2023-02-16", NULL },
	{ "1/3/2023", "2023-03-01", NULL },
	{ "04/9/2020", "2020-09-04", NULL },
	{ "16-02-2023", "2023-02-16", NULL },
	{ "16.02.2023", "2023-02-16", NULL },
	{ "  01/01/2018 ", "2018-01-01", NULL },
	{ "2023-2-5", "2023-02-05", NULL },
	{ "29/02/2024", "2024-02-29", NULL },
	{ "29/02/2000", "2000-02-29", NULL },
	{ "2020-02-29", "2020-02-29", NULL },
	{ "31/12/1945", "1945-12-31", NULL },
	{ "01/01/1800", "1800-01-01", NULL },
	{ "31/12/2200", "2200-12-31", NULL },
	{ "31/02/2023", NULL, "day 31 is out of range for February 2023" },
	{ "29/02/2023", NULL, "day 29 is out of range for February 2023" },
	{ "29/02/1900", NULL, "day 29 is out of range for February 1900" },
	{ "31/04/2023", NULL, "day 31 is out of range for April" },
	{ "00/01/2023", NULL, "day 0" },
	{ "15/13/2023", NULL, "month 13 is out of range" },
	{ "2023-00-10", NULL, "month 0" },
	{ "01/01/1799", NULL, "year 1799" },
	{ "01/01/2201", NULL, "year 2201" },
	{ "16/02/23", NULL, "expected YYYY-MM-DD" },
	{ "16/02-2023", NULL, "expected" },
	{ "2023-02-16T10:00", NULL, "expected" },
	{ "16/002/2023", NULL, "expected" },
	{ "ngày 16 tháng 02 năm 2023", NULL, "invalid date \"ngày 16 tháng 02" },
	{ "abc", NULL, "\"abc\"" },
	{ "", NULL, "empty" },
	{ "   ", NULL, "empty" },
};

int main(void)
{
	size_t i;
	vb_error err;
	char out[11];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		vb_error_clear(&err);
		memset(out, 'x', sizeof(out));
		rc = vb_date_parse(cases[i].in, out, &err);
		if (cases[i].want) {
			tap_is_int(rc, 0, "parse(\"%s\") succeeds", cases[i].in);
			tap_is_str(out, cases[i].want, "parse(\"%s\") -> %s", cases[i].in,
			           cases[i].want);
		} else {
			tap_is_int(rc, VB_EINVAL, "parse(\"%s\") is VB_EINVAL", cases[i].in);
			tap_ok(err.code == VB_EINVAL && strstr(err.msg, cases[i].msg) &&
			       out[0] == '\0', "message for \"%s\": %s", cases[i].in, err.msg);
		}
	}
	tap_is_int(vb_date_parse(NULL, out, NULL), VB_EINVAL, "NULL input, NULL err");
	tap_is_int(vb_date_parse("31/02/2023", out, NULL), VB_EINVAL, "NULL err is fine");
	tap_is_int(vb_date_year("2023-02-16"), 2023, "year of ISO date");
	tap_is_int(vb_date_year("16/02/2023"), 0, "year of non-ISO is 0");
	tap_is_int(vb_date_year(""), 0, "year of empty is 0");
	tap_is_int(vb_date_year(NULL), 0, "year of NULL is 0");
	return tap_done();
}
