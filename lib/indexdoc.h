/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turning a vb_document into a Xapian document (vb_xdoc): which terms,
 * positions, weights, values and stored data the index holds.  The query
 * side (query.c) relies on exactly these conventions:
 *
 *   terms   folded word (no prefix, positional; numbers without leading
 *           zeros) for every word of the
 *           abstract, number, form, issuer and body;
 *           "XE" + exact word (positional, same positions) when the word has
 *           diacritics;
 *           "XB" + folded word + " " + next folded word of the same field
 *           (no positions, wdf of the field): bigram evidence that two
 *           syllables form one Vietnamese word;
 *           "XC" + folded word of the issuer (positional), for coquan:;
 *           "XV" + folded + " " + exact (or folded again when the word
 *           has no diacritics), for every word not starting with a digit:
 *           the spellings of a folded word and their document
 *           frequencies (accent restoration, "did you mean");
 *           "Q<id>" unique id; "XN<canonical number>";
 *           boolean filters "XF<form>", "XI<issuer>", "Y<year>",
 *           "XS<status>" (see vb_indexdoc_filter_term)
 *   fields  abstract (wdf x6), number (x6), form (x3), issuer (x3), then the
 *           body (x1, first VB_INDEXDOC_MAX_BODY bytes), each field 100
 *           positions after the previous one
 *   values  VB_SLOT_* below
 *   data    compact JSON {"id","number","form","issuer","issue_date",
 *           "effective_date","status","abstract","source","source_id",
 *           "version"}
 */
#ifndef VB_INDEXDOC_H
#define VB_INDEXDOC_H

#include "document.h"
#include "error.h"
#include "xap.h"

enum {
	VB_SLOT_ISSUED = 0,  /* "YYYYMMDD" or "" */
	VB_SLOT_VERSION = 1, /* decimal */
	VB_SLOT_FORM = 2,
	VB_SLOT_ISSUER = 3,
	VB_SLOT_YEAR = 4,    /* "YYYY" or "" */
	VB_SLOT_STATUS = 5,
	VB_SLOT_RANK = 6,    /* status rank digit (2 in force, 1 other or
				unknown, 0 expired/suspended) + "YYYYMMDD"
				(or "00000000"): tie-break of relevance */
	VB_SLOT_IN_FORCE_FROM = 7,  /* "YYYYMMDD": effective date, else issue
				       date; unset when neither is known */
	VB_SLOT_IN_FORCE_UNTIL = 8, /* "YYYYMMDD": first day no longer in force
				       (expiry_date, which the store keeps as
				       the computed expiry, lib/validity.h);
				       "99999999" when none */
	VB_SLOT_HEAD = 9 /* the text's first VB_INDEXDOC_HEAD_BYTES bytes (cut
			    at a character boundary): a number look-up's
			    snippet is made from it without the database
			    when vb_snippet_make_prefix can (daemon/api_search.c) */
};

#define VB_INDEXDOC_HEAD_BYTES 640

#define VB_INDEXDOC_MAX_BODY (8u * 1024 * 1024)

/* The version of what vb_indexdoc_build puts into the index, stored by the
 * indexer in the index metadata ("vanban.format").  BUMP IT whenever
 * indexdoc.c changes what is indexed (terms, prefixes, positions, weights,
 * values, data): the indexer then rebuilds an older index by itself instead
 * of mixing old and new documents.  1 = before word pairs (XB) and
 * spellings (XV); 2 = with them; 3 = with the in-force slots (7, 8).
 * The text's head (slot 9) came later without a bump: a document without
 * it only has its snippet made from the database, as before. */
#define VB_INDEX_FORMAT 3

#define VB_PREFIX_EXACT "XE"
#define VB_PREFIX_ID "Q"
#define VB_PREFIX_NUMBER "XN"
#define VB_PREFIX_FORM "XF"
#define VB_PREFIX_ISSUER "XI"
#define VB_PREFIX_YEAR "Y"
#define VB_PREFIX_STATUS "XS"
#define VB_PREFIX_BIGRAM "XB"      /* "XB<folded> <folded>", adjacent words */
#define VB_PREFIX_ISSUER_WORD "XC" /* "XC<folded>", words of the issuer */
#define VB_PREFIX_VARIANT "XV"     /* "XV<folded> <exact>", spellings */

/* Build the index document for doc (doc->id must be set).  *out gets a
 * new vb_xdoc (vb_xdoc_free) on success, NULL on error.  VB_EINVAL when
 * doc->id is not positive, VB_ENOMEM, VB_EINDEX. */
int vb_indexdoc_build(const vb_document *doc, vb_xdoc **out, vb_error *err);

/* Building many documents (the indexer, a reindex): a cache of the folded
 * and exact forms of the words seen, shared by the documents built with
 * it (one thread at a time; bounded, it starts over past some 200 000
 * distinct spellings), and the table in which a document's terms are
 * gathered before they go to Xapian, sorted, once each.  The index documents are exactly those of
 * vb_indexdoc_build.  vb_indexdoc_cache_new returns NULL when out of
 * memory. */
typedef struct vb_indexdoc_cache vb_indexdoc_cache;
vb_indexdoc_cache *vb_indexdoc_cache_new(void);
void vb_indexdoc_cache_free(vb_indexdoc_cache *cache);
int vb_indexdoc_build_cached(const vb_document *doc, vb_indexdoc_cache *cache,
			     vb_xdoc **out, vb_error *err);

/* The unique id term "Q<id>" into buf (at least 24 bytes). */
void vb_indexdoc_id_term(int64_t id, char *buf, size_t bufsz);

/* The boolean filter term for value under prefix (VB_PREFIX_FORM, ...):
 * prefix + value normalised, folded and with whitespace collapsed, so that
 * "Quyết  định" and "quyet dinh" give the same term; terms longer than
 * VB_XAP_TERM_MAX bytes are cut and end with a hash of the whole.  New
 * string (free()) or NULL on allocation failure. */
char *vb_indexdoc_filter_term(const char *prefix, const char *value);

/* Leading zeros are stripped from all-digit folded terms, in place
 * ("05" -> "5", "000" -> "0"), at indexing and query time alike, so that
 * "5/2023" finds "05/2023". */
void vb_indexdoc_fold_digits(char *term);
/* How many leading zeros vb_indexdoc_fold_digits strips from the len
 * bytes at s (not necessarily NUL-terminated): 0 unless they are all
 * digits, and never the last one. */
size_t vb_indexdoc_digit_zeros(const char *s, size_t len);

/* The folded bigram term "XB<a> <b>" of two adjacent folded words into
 * out; 0, or -1 (out untouched) when it would be longer than a term: the
 * index then holds no bigram for the pair, and a query must not ask for
 * one.  The one rule for indexing and searching bigrams. */
int vb_indexdoc_bigram_term(char out[VB_XAP_TERM_MAX + 1], const char *a, const char *b);

/* The display form of a metadata value as stored in the value slots:
 * normalised (NFC) with whitespace trimmed and collapsed.  New string or
 * NULL on allocation failure. */
char *vb_indexdoc_clean_value(const char *value);

#endif
