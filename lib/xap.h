/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small pure-C API over Xapian 1.4 (implemented in xap.cc, the only C++
 * file of the project).  Every C++ exception is caught at this boundary and
 * turned into a VB_EINDEX (Xapian or other failure) or VB_ENOMEM code with a
 * message in the caller's vb_error: nothing throws into C.
 *
 * No Vietnamese or document logic lives here: C code builds documents
 * (vb_xdoc) and queries (vb_xquery) through opaque handles, a writer applies
 * documents to an index directory, a reader runs queries with sorting,
 * paging, an exact total and exact facet counts.
 *
 * Thread-safety: Xapian handles are not thread-safe.  A vb_xdoc, vb_xquery,
 * vb_xap_writer or vb_xap_reader belongs to one thread at a time; use one
 * reader per thread (readers of the same index are independent).  Only one
 * writer may have an index open at a time (Xapian takes a lock; a second
 * writer fails with VB_EAGAIN).
 */
#ifndef VB_XAP_H
#define VB_XAP_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Xapian's hard limit on a term is 245 bytes; callers hash longer ones. */
#define VB_XAP_TERM_MAX 240

/* ------------------------------------------------------------------ */
/* Documents */

typedef struct vb_xdoc vb_xdoc;

/* A new empty document, or NULL (with err set) on allocation failure. */
vb_xdoc *vb_xdoc_new(vb_error *err);
void vb_xdoc_free(vb_xdoc *doc);

/* Add term at position pos (1-based), increasing its wdf by wdf_inc. */
int vb_xdoc_add_posting(vb_xdoc *doc, const char *term, unsigned pos,
			unsigned wdf_inc, vb_error *err);
/* Add term without position, increasing its wdf by wdf. */
int vb_xdoc_add_term(vb_xdoc *doc, const char *term, unsigned wdf, vb_error *err);
/* Add term (len bytes) increasing its wdf by wdf, and the npos positions
 * pos[] (increasing) without changing its wdf again: one call for all the
 * occurrences of a term, as vb_xdoc_add_posting for each would give when
 * their wdf_inc add up to wdf. */
int vb_xdoc_add_term_positions(vb_xdoc *doc, const char *term, size_t len, unsigned wdf,
			       const unsigned *pos, size_t npos, vb_error *err);
/* Add a boolean (filter) term: wdf 0, does not affect weights. */
int vb_xdoc_add_boolean(vb_xdoc *doc, const char *term, vb_error *err);
/* Set value slot to len bytes. */
int vb_xdoc_set_value(vb_xdoc *doc, unsigned slot, const char *bytes,
		      size_t len, vb_error *err);
/* Set the document data (returned with hits). */
int vb_xdoc_set_data(vb_xdoc *doc, const char *bytes, size_t len, vb_error *err);

/* ------------------------------------------------------------------ */
/* Queries.  Constructors return a new handle (free with vb_xquery_free)
 * or NULL with err set.  Subqueries passed in are copied (Xapian queries
 * are reference-counted), so the caller still frees its own handles. */

typedef struct vb_xquery vb_xquery;

enum vb_xop {
	VB_XOP_AND = 0,
	VB_XOP_OR,
	VB_XOP_AND_NOT,   /* first AND NOT (rest) */
	VB_XOP_AND_MAYBE, /* first, weighted up by matches of the rest */
	VB_XOP_FILTER,    /* first, restricted to the rest, no weight from rest */
	VB_XOP_PHRASE,    /* terms in order within window positions */
	VB_XOP_NEAR       /* terms in any order within window positions */
};

/* A term query; wqf is the within-query frequency (1 normally). */
vb_xquery *vb_xquery_term(const char *term, unsigned wqf, vb_error *err);
/* Combine n >= 1 subqueries with op.  window is used by PHRASE and NEAR
 * (0 = number of subqueries).  NULL entries are skipped; if all are NULL
 * the result matches nothing. */
vb_xquery *vb_xquery_combine(enum vb_xop op, vb_xquery *const *subs, size_t n,
			     unsigned window, vb_error *err);
/* Documents whose value in slot is within [lo, hi] (string order); lo or
 * hi may be NULL for an open end (not both). */
vb_xquery *vb_xquery_value_range(unsigned slot, const char *lo, const char *hi,
				 vb_error *err);
/* q with its weights multiplied by factor (>= 0). */
vb_xquery *vb_xquery_scale(const vb_xquery *q, double factor, vb_error *err);
/* Every document. */
vb_xquery *vb_xquery_match_all(vb_error *err);
/* Nothing. */
vb_xquery *vb_xquery_match_nothing(vb_error *err);
/* The documents with ids lo..hi (a filter: it adds no weight). */
vb_xquery *vb_xquery_docid_range(unsigned lo, unsigned hi, vb_error *err);
void vb_xquery_free(vb_xquery *q);
/* A readable description of the query (for debugging), new string. */
char *vb_xquery_describe(const vb_xquery *q);

/* ------------------------------------------------------------------ */
/* Writer */

typedef struct vb_xap_writer vb_xap_writer;

enum vb_xap_open { VB_XAP_OPEN = 0, VB_XAP_CREATE_OR_OPEN, VB_XAP_OVERWRITE };

/* Open the index at path (a directory, possibly through a symlink) for
 * writing.  mode: open an existing index only, create it if missing, or
 * create a fresh empty one.  VB_EAGAIN when another writer holds the lock,
 * VB_EINDEX otherwise. */
int vb_xap_writer_open(vb_xap_writer **out, const char *path,
		       enum vb_xap_open mode, vb_error *err);
/* Commit pending changes and close.  The handle is freed even on error. */
int vb_xap_writer_close(vb_xap_writer *w, vb_error *err);
/* Close without caring about errors (pending changes are committed by
 * Xapian if possible).  NULL is fine. */
void vb_xap_writer_free(vb_xap_writer *w);

/* Commit by itself after every N documents replaced or deleted, N being
 * the index's document count / div, within [min, max], worked out again
 * at each commit (min 0, the default: only vb_xap_writer_commit and close
 * commit).  For bulk writers: Xapian buffers the changes since the last
 * commit in maps that get slower as they grow (cache misses), while a
 * commit costs more as the index grows. */
int vb_xap_writer_set_flush(vb_xap_writer *w, unsigned min, unsigned max, unsigned div,
			    vb_error *err);
/* Replace (or add) the document carrying the unique term idterm. */
int vb_xap_writer_replace(vb_xap_writer *w, const char *idterm,
			  const vb_xdoc *doc, vb_error *err);
/* Delete the document carrying idterm (nothing happens if none does). */
int vb_xap_writer_delete(vb_xap_writer *w, const char *idterm, vb_error *err);
/* Value slot of the document carrying idterm: *out gets a new string
 * (free()), or NULL when there is no such document. */
int vb_xap_writer_get_value(vb_xap_writer *w, const char *idterm,
			    unsigned slot, char **out, vb_error *err);
/* User metadata: *out gets a new string ("" when unset). */
int vb_xap_writer_get_metadata(vb_xap_writer *w, const char *key, char **out,
			       vb_error *err);
int vb_xap_writer_set_metadata(vb_xap_writer *w, const char *key,
			       const char *value, vb_error *err);
/* Make the changes durable and visible to readers. */
int vb_xap_writer_commit(vb_xap_writer *w, vb_error *err);
/* Number of documents. */
int vb_xap_writer_doccount(vb_xap_writer *w, size_t *count, vb_error *err);
/* Write a compacted copy of the index at src (no writer may be open on it)
 * to the new directory dst: same documents, document ids and metadata,
 * B-tree blocks packed full (a freshly built index is typically 20-40%
 * smaller afterwards).  dst must not exist. */
int vb_xap_compact(const char *src, const char *dst, vb_error *err);

/* ------------------------------------------------------------------ */
/* Reader */

typedef struct vb_xap_reader vb_xap_reader;

/* Open the index at path for reading.  path may be a symlink (DATA/index):
 * the directory it resolves to is remembered so that refresh can notice a
 * swap.  VB_EINDEX when it is not an index. */
int vb_xap_reader_open(vb_xap_reader **out, const char *path, vb_error *err);
void vb_xap_reader_free(vb_xap_reader *r);
/* See the latest commit: if path now resolves to another directory (the
 * symlink was swapped by a reindex), open that one; otherwise reopen().
 * While path/iamglass is the file it was at the last refresh (one stat:
 * same inode, size and times) there is nothing new and nothing is done.
 * On failure the reader keeps its previous state. */
int vb_xap_reader_refresh(vb_xap_reader *r, vb_error *err);
int vb_xap_reader_doccount(vb_xap_reader *r, size_t *count, vb_error *err);
/* The highest document id used so far (0 when empty). */
int vb_xap_reader_lastdocid(vb_xap_reader *r, unsigned *last, vb_error *err);
int vb_xap_reader_get_metadata(vb_xap_reader *r, const char *key, char **out,
			       vb_error *err);

/* The value in slot of document docid (a hit's docid from the same
 * reader, before it is refreshed): a new string in *out (free()), its
 * length in *len; "" when unset.  VB_ENOTFOUND when the document is gone,
 * VB_EINDEX, VB_ENOMEM. */
int vb_xap_reader_value(vb_xap_reader *r, unsigned docid, unsigned slot, char **out,
			size_t *len, vb_error *err);

/* Number of documents containing term (0 when none). */
int vb_xap_reader_termfreq(vb_xap_reader *r, const char *term, size_t *freq,
			   vb_error *err);

/* Called for each term of the index that starts with the prefix given to
 * vb_xap_reader_terms, in byte order, with its document frequency; return
 * non-zero to stop. */
typedef int (*vb_xap_term_cb)(const char *term, size_t len, size_t termfreq,
			      void *ud);

/* Walk the vocabulary under prefix ("" = all terms), at most max terms
 * (0 = no limit). */
int vb_xap_reader_terms(vb_xap_reader *r, const char *prefix, size_t max,
			vb_xap_term_cb cb, void *ud, vb_error *err);

/* Called for each (term, document) pair of the terms under the prefix
 * given to vb_xap_reader_each_posting, in term order, with the document's
 * value in the slot asked for (len 0 when unset); return non-zero to stop.
 * Used by `vanban check` to list the indexed documents ("Q<id>") with
 * their indexed versions. */
typedef int (*vb_xap_posting_cb)(const char *term, size_t len, const char *value,
				 size_t value_len, void *ud);

/* Walk every document carrying a term under prefix (not "": the whole
 * vocabulary is not what this is for) and report its value in slot.  0,
 * VB_EINVAL for an empty prefix, VB_EINDEX. */
int vb_xap_reader_each_posting(vb_xap_reader *r, const char *prefix, unsigned slot,
			       vb_xap_posting_cb cb, void *ud, vb_error *err);

enum vb_xsort {
	VB_XSORT_RELEVANCE = 0, /* weight, ties by sort_slot descending */
	VB_XSORT_VALUE_ASC,     /* sort_slot ascending, ties by weight */
	VB_XSORT_VALUE_DESC     /* sort_slot descending, ties by weight */
};

#define VB_XAP_MAX_FACETS 8

typedef struct vb_xap_search {
	const vb_xquery *query;  /* required */
	const vb_xquery *filter; /* may be NULL: applied as FILTER */
	enum vb_xsort sort;
	unsigned sort_slot;
	size_t offset;
	size_t limit;            /* may be 0: only total and facets */
	unsigned facet_slots[VB_XAP_MAX_FACETS];
	size_t n_facets;
	size_t facet_max;        /* values kept per facet, most frequent first */
} vb_xap_search;

typedef struct vb_xap_hit {
	unsigned docid;
	double weight;
	char *data;       /* NUL-terminated copy of the document data */
	size_t data_len;
} vb_xap_hit;

typedef struct vb_xap_count {
	char *value;
	size_t count;
} vb_xap_count;

typedef struct vb_xap_result {
	size_t total;     /* exact number of matches */
	vb_xap_hit *hits;
	size_t n_hits;
	vb_xap_count *facets[VB_XAP_MAX_FACETS]; /* per facet_slots[i] */
	size_t n_facet_values[VB_XAP_MAX_FACETS];
} vb_xap_result;

void vb_xap_result_init(vb_xap_result *res);
void vb_xap_result_dispose(vb_xap_result *res);

/* Run a search.  The total and the facet counts are exact (every match is
 * checked).  Facets are counted from a table docid -> value per facet slot,
 * read once per index revision and shared by every reader of that revision
 * (4 bytes per document and facet; searches with limit 0 compute no
 * weights).  res must be initialised; it is filled on success and left
 * empty on error.  Retries (twice at most) after reopen() when the index
 * was modified under the reader (DatabaseModifiedError); VB_EAGAIN if it
 * keeps changing. */
int vb_xap_reader_search(vb_xap_reader *r, const vb_xap_search *s,
			 vb_xap_result *res, vb_error *err);

#ifdef __cplusplus
}
#endif

#endif
