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
 * A form written before the number ("QĐ 05/2023", "Quyết định số 05/2023",
 * "NQ 12/2020") is moved behind it as its abbreviation: "5/2023/QD".  Such
 * a key lacks the issuer part, so it is a prefix key: it equals the key of
 * no stored number but vb_docnum_key_matches() the keys of
 * "05/2023/QĐ-UBND", "05/2023/QĐ-TTg" ... (vb_docnum_split sets partial).
 * When the number after the form has its own symbol ("Quyết định số
 * 05/2023/QĐ-UBND") the form is simply dropped.
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

/* The parts of a document number that a look-up by partial number needs.
 * Every string is "" when the number does not have that part. */
#define VB_DOCNUM_PART_MAX 128
typedef struct vb_docnum_keys {
	char key[VB_DOCNUM_PART_MAX];         /* vb_docnum_canonical: "5/2023/QD-UBND" */
	char number[VB_DOCNUM_PART_MAX];      /* the number proper: "5", "31A", "2828" */
	int year;                             /* 4-digit year segment, 0 if none */
	char symbol[VB_DOCNUM_PART_MAX];      /* after number and year: "QD-UBND", "CP" */
	char type[VB_DOCNUM_PART_MAX];        /* symbol up to its first '-': "QD", "CP" */
	char number_year[VB_DOCNUM_PART_MAX]; /* "5/2023"; "" without a year */
	char number_type[VB_DOCNUM_PART_MAX]; /* "5/2023/QD", "2828/QD"; "" without a type */
	int partial; /* 1: the form came first ("QĐ 05/2023"), key is a prefix key */
} vb_docnum_keys;

/* Fill k (caller-owned, no destructor needed) from number.  number, year,
 * symbol and type are only set for numbers of the usual shape (a digit
 * first and a '/'); key always is.  0, VB_EINVAL (no key: NULL, empty, no
 * letter or digit) or VB_ETOOBIG (longer than VB_DOCNUM_MAX_BYTES, or a
 * part longer than VB_DOCNUM_PART_MAX - 1); on error k is all zero.
 * Thread-safe. */
int vb_docnum_split(vb_docnum_keys *k, const char *number);

/* 1 when a stored key equals partial or extends it at a segment boundary
 * ('-' or '/'): "5/2023/QD-UBND" matches "5/2023/QD", "5/2023" and itself,
 * but not "5/2023/Q" nor "5/202".  This is what the store's LIKE
 * (partial || '-%' / '/%') look-ups compute.  0 for NULL or "". */
int vb_docnum_key_matches(const char *stored, const char *partial);

#endif
