/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Calendar dates as they appear in Vietnamese legal documents and their
 * metadata: ISO "YYYY-MM-DD" and the usual Vietnamese "dd/mm/yyyy",
 * "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy" (a year-first date may also use
 * '/' or '.').  Everything is converted to ISO
 * "YYYY-MM-DD", which is what the store and the index keep.  Pure,
 * thread-safe.
 */
#ifndef VB_DATE_H
#define VB_DATE_H

#include "error.h"

/* Years outside this range are rejected as typos. */
#define VB_DATE_YEAR_MIN 1800
#define VB_DATE_YEAR_MAX 2200

/* Parse s (surrounding white space allowed) and write the ISO form
 * "YYYY-MM-DD" plus NUL into out.  The calendar is checked (month 1-12, day
 * within the month, 29 February only in leap years, year within
 * VB_DATE_YEAR_MIN..MAX).  Returns 0, or VB_EINVAL with a message naming the
 * value in err (e.g. invalid date "31/02/2023": day 31 is out of range for
 * February 2023); out is then set to "".  s may be NULL (VB_EINVAL). */
int vb_date_parse(const char *s, char out[11], vb_error *err);

/* Year of an ISO date ("2023-02-16" -> 2023), or 0 when iso is NULL or does
 * not start with four digits and a '-'. */
int vb_date_year(const char *iso);

#endif
