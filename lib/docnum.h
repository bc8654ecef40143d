/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Canonical keys for Vietnamese document numbers (số ký hiệu), so that the
 * many ways one number is written in the sources ("05/2023/QĐ-UBND",
 * "5/2023/QD-UBND", "Số: 05 /2023/ QÐ – UBND", lower case, NFD ...) meet on
 * one key for exact look-ups, and a test of whether a search query looks
 * like such a number.  Pure functions, thread-safe.
 */
#ifndef VB_DOCNUM_H
#define VB_DOCNUM_H

/* Canonical key of a document number: folded (no diacritics, Đ -> D),
 * upper case, all white space removed, dash look-alikes (U+2010-2015,
 * U+2212, U+FE63, U+FF0D) -> '-', slash look-alikes -> '/', a leading label
 * ("Số", "Số ký hiệu", "Số hiệu", "So", "No.", "Number") removed, leading
 * and trailing punctuation removed, and leading zeros of every numeric
 * segment removed ("05/2023/QĐ-UBND" -> "5/2023/QD-UBND",
 * "31A/2020/QĐ-UBND" -> "31A/2020/QD-UBND").
 * Returns a new string (free()), or NULL when number is NULL, empty, has no
 * letter or digit, is longer than VB_DOCNUM_MAX_BYTES, or on allocation
 * failure. */
#define VB_DOCNUM_MAX_BYTES 1024
char *vb_docnum_canonical(const char *number);

/* 1 when the query string s looks like a document number (a '/' preceded by
 * a digit, spaces allowed in between: "05/2023", "101/CP", "2828 / QĐ"),
 * else 0 (also for NULL).  Dates such as "16/02/2023" also answer 1: the
 * caller only adds a number look-up next to the full-text search. */
int vb_docnum_looks_like(const char *s);

#endif
