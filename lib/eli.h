/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stable, readable identifiers in the spirit of the European Legislation
 * Identifier (ELI): /eli/vn/{place}/{issuer}/{form}/{year}/{number}, e.g.
 * "/eli/vn/quang-ninh/ubnd/qd/2023/05" for Quyết định 05/2023/QĐ-UBND of
 * UBND tỉnh Quảng Ninh.  Every part is an ASCII slug of the folded
 * Vietnamese text (lower case, no diacritics, đ -> d, runs of anything
 * else -> '-'):
 *
 *   place   the province or city named in the issuer after "tỉnh",
 *           "thành phố" or "TP." ("quang-ninh", "ho-chi-minh"); "tw" for
 *           central organs (an issuer naming no province); "khong-ro"
 *           when the issuer is unknown
 *   issuer  the symbol of the number without its form part ("QĐ-UBND" ->
 *           "ubnd", "NĐ-CP" -> "cp", "BTC-CTK" -> "btc-ctk", "QH13" ->
 *           "qh13"); "khong-ro" when the number has no symbol
 *   form    the abbreviation of the form name ("Quyết định" -> "qd",
 *           "Nghị quyết" -> "nq", "Thông tư" -> "tt", ...), else the first
 *           part of the symbol, else a slug of the form name
 *   year    the year in the number, else of the issue date
 *   number  the number proper as written ("05", "31a"); "khong-so" when
 *           the document has none
 *
 * Look-ups compare normalised paths (vb_eli_normalize: every segment
 * slugged, leading zeros of a segment starting with a digit removed), so
 * ".../2023/5" and ".../2023/05" are the same.  The store keeps every ELI
 * a document has had, so a URI stays valid after a rename or a merger; an
 * ELI shared by several documents answers with the list of candidates.
 *
 * Pure and thread-safe.
 */
#ifndef VB_ELI_H
#define VB_ELI_H

#include <stddef.h>

#include "error.h"

#define VB_ELI_MAX 512 /* bytes of an ELI path, NUL included */
#define VB_ELI_PREFIX "/eli/vn/"

/* The ELI path of a document into out (cap >= VB_ELI_MAX).  number, form,
 * issuer and issue_date (ISO) may each be NULL or "".  0, or VB_EINVAL
 * when there is neither a year nor a number (no useful identifier; out is
 * ""). */
int vb_eli_build(const char *number, const char *form, const char *issuer,
		 const char *issue_date, char *out, size_t cap);

/* The look-up form of an ELI path (as typed or from a URL, any case,
 * Vietnamese letters allowed) into out (cap >= VB_ELI_MAX).  A trailing
 * '/' is ignored.  0, or VB_EINVAL when path does not start with
 * "/eli/vn/", has an empty segment, more than 5 segments after the prefix
 * or is longer than VB_ELI_MAX - 1 bytes. */
int vb_eli_normalize(const char *path, char *out, size_t cap);

/* ASCII slug of s (folded, runs of other characters -> '-', trimmed) into
 * out; "" when nothing is left.  Returns the length written. */
size_t vb_eli_slug(const char *s, char *out, size_t cap);

#endif
