/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Index documents: the mapping from the document model to Xapian terms,
 * positions, values and stored data (conventions in indexdoc.h).  All
 * Vietnamese-specific decisions (folding, exact terms with canonical tone
 * placement) come from text.h, so the query side can mirror them.
 */
#include "indexdoc.h"

#include "docnum.h"
#include "text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define FIELD_GAP 100
#define WDF_ABSTRACT 6
#define WDF_NUMBER 6
#define WDF_FORM 3
#define WDF_ISSUER 3
#define WDF_BODY 1

/* ---- per-document caches ------------------------------------------------
 *
 * A body of 10 000 words has under a thousand distinct ones: each distinct
 * spelling is folded and given its exact term once (word table, shared by
 * the documents built with one cache).  Every term of the document, with
 * or without positions, is gathered first in a term table (summed wdf, the
 * positions in order) and handed to Xapian once, in byte order, after the
 * last field (terms_emit).  Xapian keeps a document's terms in a std::map:
 * a term added once with all its positions, in sorted order, costs a
 * look-up in a map whose nodes were allocated in order, which also makes
 * the writer's walk over the terms (replace_document) cache-friendly.
 * What is indexed is exactly what one call per word gave. */

/* One distinct spelling of the document. */
typedef struct word_ent {
	char *key;      /* the word as written (cut to VB_WORD_MAX_BYTES) */
	size_t klen;
	char *folded;   /* NULL: not a word to index (empty fold, too long) */
	char *exact;    /* canonical exact term, NULL without diacritics */
	uint64_t hash;
} word_ent;

typedef struct hash_tab {
	void *slots;    /* word_ent[], cap entries */
	size_t cap, used;
} hash_tab;

#define HASH_MIN_CAP 1024
#define HASH_MAX_CAP ((size_t)1 << 24) /* 16M distinct words or terms */

/* One term of the document: summed wdf and, for a positional term, the
 * chain of its occurrences (indexes + 1 into term_tab.occ; 0: none). */
typedef struct term_ent {
	uint64_t hash;
	size_t off;     /* of the term's bytes in term_tab.bytes */
	uint32_t len;   /* 0: free slot (a term is never empty) */
	uint32_t wdf;
	uint32_t first, last;
} term_ent;

typedef struct term_occ {
	uint32_t pos, next;
} term_occ;

typedef struct term_tab {
	term_ent *slots;
	size_t cap, used;
	char *bytes;    /* the terms, NUL-terminated, one after the other */
	size_t blen, bcap;
	term_occ *occ;
	size_t nocc, ocap;
} term_tab;

/* A table that grew past this many slots, term bytes or positions for a
 * big document is freed after it rather than cleared for the next one. */
#define TERMS_KEEP_CAP ((size_t)1 << 16)
#define TERMS_KEEP_BYTES ((size_t)4 << 20)
#define TERMS_KEEP_OCC ((size_t)1 << 20)

/* State while adding the words of one field. */
typedef struct field_ctx {
	unsigned pos;        /* last position used */
	unsigned wdf_inc;
	const char *prefix;  /* field-prefixed copy of each word, or NULL */
	vb_error *err;
	int rc;
	hash_tab *words;     /* word_ent, the cache's */
	term_tab *terms;     /* the cache's */
	char prev[VB_XAP_TERM_MAX + 1]; /* previous folded word of the field */
	char term[VB_XAP_TERM_MAX + 1];
} field_ctx;

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Double a table of entries of size esz whose hash is at offset hoff and
 * whose key pointer is at offset 0 (NULL: free slot).  0 or -1. */
static int tab_grow(hash_tab *t, size_t esz, size_t hoff)
{
	size_t ncap = t->cap ? t->cap * 2 : HASH_MIN_CAP;
	char *ns, *os = t->slots;

	if (ncap > HASH_MAX_CAP || !(ns = calloc(ncap, esz)))
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		char *e = os + i * esz;
		uint64_t h;
		size_t j;

		if (!*(char **)e)
			continue;
		memcpy(&h, e + hoff, sizeof(h));
		for (j = h & (ncap - 1); *(char **)(ns + j * esz); j = (j + 1) & (ncap - 1))
			;
		memcpy(ns + j * esz, e, esz);
	}
	free(os);
	t->slots = ns;
	t->cap = ncap;
	return 0;
}

static void words_free(hash_tab *t)
{
	word_ent *w = t->slots;

	for (size_t i = 0; i < t->cap; i++) {
		free(w[i].key);
		free(w[i].folded);
		free(w[i].exact);
	}
	free(w);
	memset(t, 0, sizeof(*t));
}

/* The entry of word w (n bytes), folding it the first time; NULL on
 * allocation failure. */
static const word_ent *word_lookup(hash_tab *t, const char *w, size_t n)
{
	uint64_t h = hash_bytes(w, n);
	word_ent *e;
	size_t j;

	if ((t->used + 1) * 2 > t->cap &&
	    tab_grow(t, sizeof(word_ent), offsetof(word_ent, hash)))
		return NULL;
	e = t->slots;
	for (j = h & (t->cap - 1); e[j].key; j = (j + 1) & (t->cap - 1))
		if (e[j].hash == h && e[j].klen == n && !memcmp(e[j].key, w, n))
			return &e[j];
	e = &e[j];
	if (!(e->key = malloc(n + 1)))
		return NULL;
	memcpy(e->key, w, n);
	e->key[n] = '\0';
	e->klen = n;
	e->hash = h;
	t->used++;
	e->folded = vb_text_fold(w, n);
	if (!e->folded)
		goto fail;
	vb_indexdoc_fold_digits(e->folded);
	if (!*e->folded || strlen(e->folded) > VB_XAP_TERM_MAX) { /* garbage, not a word */
		free(e->folded);
		e->folded = NULL;
		return e;
	}
	if (vb_text_has_diacritics(w, n) && !(e->exact = vb_text_exact_term(w, n)))
		goto fail;
	return e;
fail:
	/* empty the slot again: it was the last one filled, so the table is
	 * exactly as before (the cache may outlive this document) */
	free(e->key);
	free(e->folded);
	memset(e, 0, sizeof(*e));
	t->used--;
	return NULL;
}

static void terms_free(term_tab *t)
{
	free(t->slots);
	free(t->bytes);
	free(t->occ);
	memset(t, 0, sizeof(*t));
}

/* Empty the table for the next document (keeping its memory unless a big
 * document made it big). */
static void terms_clear(term_tab *t)
{
	if (t->cap > TERMS_KEEP_CAP || t->bcap > TERMS_KEEP_BYTES || t->ocap > TERMS_KEEP_OCC) {
		terms_free(t);
		return;
	}
	if (t->used)
		memset(t->slots, 0, t->cap * sizeof(*t->slots));
	t->used = 0;
	t->blen = 0;
	t->nocc = 0;
}

static int terms_grow(term_tab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : HASH_MIN_CAP;
	term_ent *ns;

	if (ncap > HASH_MAX_CAP || !(ns = calloc(ncap, sizeof(*ns))))
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slots[i].len)
			continue;
		for (j = t->slots[i].hash & (ncap - 1); ns[j].len; j = (j + 1) & (ncap - 1))
			;
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return 0;
}

/* Add wdf to the term s (n bytes, at most VB_XAP_TERM_MAX) and, when pos
 * is not 0, the position pos (positions come in increasing order).  0 or
 * -1 (out of memory). */
static int term_add(term_tab *t, const char *s, size_t n, unsigned wdf, unsigned pos)
{
	uint64_t h = hash_bytes(s, n);
	term_ent *e;
	size_t j;

	if ((t->used + 1) * 2 > t->cap && terms_grow(t))
		return -1;
	for (j = h & (t->cap - 1); t->slots[j].len; j = (j + 1) & (t->cap - 1)) {
		e = &t->slots[j];
		if (e->hash == h && e->len == n && !memcmp(t->bytes + e->off, s, n))
			goto found;
	}
	if (t->blen + n + 1 > t->bcap) {
		size_t ncap = t->bcap ? t->bcap * 2 : 64 * 1024;
		char *nb;

		while (ncap < t->blen + n + 1)
			ncap *= 2;
		if (!(nb = realloc(t->bytes, ncap)))
			return -1;
		t->bytes = nb;
		t->bcap = ncap;
	}
	e = &t->slots[j];
	e->hash = h;
	e->off = t->blen;
	e->len = (uint32_t)n;
	e->wdf = 0;
	e->first = e->last = 0;
	memcpy(t->bytes + t->blen, s, n);
	t->bytes[t->blen + n] = '\0';
	t->blen += n + 1;
	t->used++;
found:
	e->wdf += wdf;
	if (pos) {
		if (t->nocc == t->ocap) {
			size_t ncap = t->ocap ? t->ocap * 2 : 16 * 1024;
			term_occ *no;

			if (ncap >= UINT32_MAX || !(no = realloc(t->occ, ncap * sizeof(*no))))
				return -1;
			t->occ = no;
			t->ocap = ncap;
		}
		t->occ[t->nocc].pos = pos;
		t->occ[t->nocc].next = 0;
		t->nocc++;
		if (e->last)
			t->occ[e->last - 1].next = (uint32_t)t->nocc;
		else
			e->first = (uint32_t)t->nocc;
		e->last = (uint32_t)t->nocc;
	}
	return 0;
}

typedef struct term_ref {
	const char *s;
	uint32_t len, slot;
} term_ref;

static int term_ref_cmp(const void *a, const void *b)
{
	const term_ref *x = a, *y = b;
	int r = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return r ? r : (x->len > y->len) - (x->len < y->len);
}

/* Hand every term of the table to Xapian, in byte order, each once with
 * its wdf and positions. */
static int terms_emit(term_tab *t, vb_xdoc *x, vb_error *err)
{
	term_ref *refs = NULL;
	unsigned *pos = NULL;
	size_t n = 0;
	int rc = 0;

	if (!t->used)
		return 0;
	if (!(refs = malloc(t->used * sizeof(*refs))))
		goto nomem;
	for (size_t i = 0; i < t->cap; i++) {
		const term_ent *e = &t->slots[i];

		if (!e->len)
			continue;
		refs[n].s = t->bytes + e->off;
		refs[n].len = e->len;
		refs[n].slot = (uint32_t)i;
		n++;
	}
	qsort(refs, n, sizeof(*refs), term_ref_cmp);
	if (t->nocc && !(pos = malloc(t->nocc * sizeof(*pos))))
		goto nomem;
	for (size_t i = 0; i < n && !rc; i++) {
		const term_ent *e = &t->slots[refs[i].slot];
		size_t np = 0;

		for (uint32_t o = e->first; o; o = t->occ[o - 1].next)
			pos[np++] = t->occ[o - 1].pos;
		rc = vb_xdoc_add_term_positions(x, refs[i].s, refs[i].len, e->wdf, pos, np, err);
	}
	free(pos);
	free(refs);
	return rc;
nomem:
	free(refs);
	return vb_error_set(err, VB_ENOMEM, "out of memory");
}

/* Length of the longest prefix of s (len bytes) that is at most max bytes
 * and does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

size_t vb_indexdoc_digit_zeros(const char *s, size_t len)
{
	size_t i, z = 0;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	while (z + 1 < len && s[z] == '0')
		z++;
	return z;
}

void vb_indexdoc_fold_digits(char *term)
{
	size_t len, z;

	if (term[0] != '0')
		return; /* most terms: nothing to strip */
	len = strlen(term);
	if ((z = vb_indexdoc_digit_zeros(term, len)))
		memmove(term, term + z, len - z + 1);
}

/* out = a + b (+ " " + c when c); 0, or -1 (out untouched) when the
 * result would exceed VB_XAP_TERM_MAX bytes. */
static int join_term(char out[VB_XAP_TERM_MAX + 1], const char *a, const char *b,
		     const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) + 1 : 0;

	if (la + lb + lc > VB_XAP_TERM_MAX)
		return -1;
	memcpy(out, a, la);
	memcpy(out + la, b, lb);
	if (c) {
		out[la + lb] = ' ';
		memcpy(out + la + lb + 1, c, lc - 1);
	}
	out[la + lb + lc] = '\0';
	return 0;
}

int vb_indexdoc_bigram_term(char out[VB_XAP_TERM_MAX + 1], const char *a, const char *b)
{
	return join_term(out, VB_PREFIX_BIGRAM, a, b);
}

static int add_word(const char *s, const vb_token *tok, void *ud)
{
	field_ctx *c = ud;
	const char *w = s + tok->start;
	size_t n = utf8_cut(w, tok->len, VB_WORD_MAX_BYTES);
	const word_ent *we;
	const char *folded, *exact;
	size_t flen;

	if (n == 0)
		return 0;
	if (c->pos >= UINT32_MAX - 1)
		return 1; /* positions exhausted: stop quietly */
	c->pos++;
	if (!(we = word_lookup(c->words, w, n))) {
		c->rc = vb_error_set(c->err, VB_ENOMEM, "out of memory");
		return 1;
	}
	if (!(folded = we->folded))
		return 0;
	exact = we->exact;
	flen = strlen(folded);
	if (term_add(c->terms, folded, flen, c->wdf_inc, c->pos))
		goto nomem;
	if (c->prefix && !join_term(c->term, c->prefix, folded, NULL) &&
	    term_add(c->terms, c->term, strlen(c->term), c->wdf_inc, c->pos))
		goto nomem;
	/* folded bigram: evidence that two syllables form one word */
	if (c->prev[0] && !vb_indexdoc_bigram_term(c->term, c->prev, folded) &&
	    term_add(c->terms, c->term, strlen(c->term), c->wdf_inc, 0))
		goto nomem;
	if (join_term(c->prev, "", folded, NULL))
		c->prev[0] = '\0';
	if (exact && !join_term(c->term, VB_PREFIX_EXACT, exact, NULL) &&
	    term_add(c->terms, c->term, strlen(c->term), c->wdf_inc, c->pos))
		goto nomem;
	/* fold -> spelling map for "did you mean" (unaccented forms too, so
	 * that "tin" can win over "tín") */
	if ((folded[0] < '0' || folded[0] > '9') &&
	    !join_term(c->term, VB_PREFIX_VARIANT, folded, exact ? exact : folded) &&
	    term_add(c->terms, c->term, strlen(c->term), 1, 0))
		goto nomem;
	return 0;
nomem:
	c->rc = vb_error_set(c->err, VB_ENOMEM, "out of memory");
	return 1;
}

/* Add the words of text (len bytes) as one field. */
static int add_field(field_ctx *c, const char *text, size_t len, unsigned wdf_inc)
{
	char *norm;
	long r;

	if (!text || !len)
		return 0;
	/* stored text is normalised already: tokenise it in place then */
	if (vb_text_is_normalized(text, len)) {
		norm = NULL;
	} else {
		norm = vb_text_normalize(text, len);
		if (!norm)
			return vb_error_set(c->err, VB_ENOMEM,
					    "could not normalise text for indexing");
		text = norm;
		len = strlen(norm);
	}
	c->wdf_inc = wdf_inc;
	c->rc = 0;
	c->prev[0] = '\0';
	r = vb_text_tokenize(text, len, add_word, c);
	free(norm);
	if (r < 0 && c->rc)
		return c->rc;
	if (c->pos < UINT32_MAX - FIELD_GAP)
		c->pos += FIELD_GAP;
	return 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Collapse runs of whitespace into one space and trim; in place. */
static void collapse_spaces(char *s)
{
	char *o = s;
	int space = 0;

	for (char *p = s; *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = o != s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
}

char *vb_indexdoc_clean_value(const char *value)
{
	char *s;

	if (!value)
		value = "";
	s = vb_text_normalize(value, strlen(value));
	if (s)
		collapse_spaces(s);
	return s;
}

char *vb_indexdoc_filter_term(const char *prefix, const char *value)
{
	char *folded, *term;
	size_t plen = strlen(prefix), flen;

	if (!value)
		value = "";
	folded = vb_text_fold(value, strlen(value));
	if (!folded)
		return NULL;
	collapse_spaces(folded);
	flen = strlen(folded);
	term = malloc(plen + flen + 1);
	if (!term)
		goto out;
	memcpy(term, prefix, plen);
	memcpy(term + plen, folded, flen + 1);
	if (plen + flen > VB_XAP_TERM_MAX) {
		/* keep a readable head, then a hash of the whole value */
		size_t head = utf8_cut(folded, flen, VB_XAP_TERM_MAX - plen - 17);

		snprintf(term + plen + head, 18, "#%016" PRIx64, fnv1a(folded));
	}
out:
	free(folded);
	return term;
}

void vb_indexdoc_id_term(int64_t id, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s%" PRId64, VB_PREFIX_ID, id);
}

static int add_filter(vb_xdoc *x, const char *prefix, const char *value, vb_error *err)
{
	char *t;
	int rc;

	if (!value || !*value)
		return 0;
	t = vb_indexdoc_filter_term(prefix, value);
	if (!t)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	rc = vb_xdoc_add_boolean(x, t, err);
	free(t);
	return rc;
}

static int set_clean_value(vb_xdoc *x, unsigned slot, const char *value, vb_error *err)
{
	char *v;
	int rc;

	if (!value || !*value)
		return 0;
	v = vb_indexdoc_clean_value(value);
	if (!v)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	rc = vb_xdoc_set_value(x, slot, v, strlen(v), err);
	free(v);
	return rc;
}

/* The in-force range (in_force_on= searches, lib/query.c): from the
 * effective date (else the issue date) to the expiry date, which the
 * store keeps as the computed expiry (lib/validity.h). */
static int set_in_force_values(vb_xdoc *x, const vb_document *doc, vb_error *err)
{
	const char *from = strlen(doc->effective_date) == 10 ? doc->effective_date
		: strlen(doc->issue_date) == 10 ? doc->issue_date : NULL;
	char buf[16];
	int rc;

	if (from) {
		snprintf(buf, sizeof(buf), "%.4s%.2s%.2s", from, from + 5, from + 8);
		if ((rc = vb_xdoc_set_value(x, VB_SLOT_IN_FORCE_FROM, buf, 8, err)))
			return rc;
	}
	if (strlen(doc->expiry_date) == 10)
		snprintf(buf, sizeof(buf), "%.4s%.2s%.2s", doc->expiry_date, doc->expiry_date + 5,
			 doc->expiry_date + 8);
	else
		snprintf(buf, sizeof(buf), "99999999");
	return vb_xdoc_set_value(x, VB_SLOT_IN_FORCE_UNTIL, buf, 8, err);
}

/* The year of an ISO date, or 0. */
static int date_year(const char *iso)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)iso[i]))
			return 0;
		y = y * 10 + (iso[i] - '0');
	}
	return y;
}

/* 2 in force, 0 no longer in force, 1 anything else (see VB_SLOT_RANK). */
static int status_rank(const char *status)
{
	if (!status)
		return 1;
	if (!strcmp(status, VB_STATUS_IN_FORCE))
		return 2;
	if (!strcmp(status, VB_STATUS_EXPIRED) || !strcmp(status, VB_STATUS_SUSPENDED))
		return 0;
	return 1;
}

static void json_set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v && *v ? json_string(v) : json_null());
}

static char *build_data(const vb_document *doc)
{
	json_t *o = json_object();
	char *s = NULL;

	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(doc->id));
	json_set_str(o, "number", doc->number);
	json_set_str(o, "form", doc->form);
	json_set_str(o, "issuer", doc->issuer);
	json_set_str(o, "issue_date", doc->issue_date);
	json_set_str(o, "effective_date", doc->effective_date);
	json_set_str(o, "status", doc->status);
	json_set_str(o, "abstract", doc->abstract);
	json_set_str(o, "source", doc->source);
	json_set_str(o, "source_id", doc->source_id);
	json_object_set_new(o, "version", json_integer(doc->version));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

struct vb_indexdoc_cache {
	hash_tab words;
	term_tab terms; /* emptied for each document */
};

/* Distinct spellings kept across documents before the cache starts over
 * (a few MB). */
#define CACHE_MAX_WORDS 200000

vb_indexdoc_cache *vb_indexdoc_cache_new(void)
{
	return calloc(1, sizeof(vb_indexdoc_cache));
}

void vb_indexdoc_cache_free(vb_indexdoc_cache *cache)
{
	if (!cache)
		return;
	words_free(&cache->words);
	terms_free(&cache->terms);
	free(cache);
}

int vb_indexdoc_build(const vb_document *doc, vb_xdoc **out, vb_error *err)
{
	vb_indexdoc_cache cache;
	int rc;

	memset(&cache, 0, sizeof(cache));
	rc = vb_indexdoc_build_cached(doc, &cache, out, err);
	words_free(&cache.words);
	terms_free(&cache.terms);
	return rc;
}

int vb_indexdoc_build_cached(const vb_document *doc, vb_indexdoc_cache *cache,
			     vb_xdoc **out, vb_error *err)
{
	field_ctx c;
	vb_xdoc *x = NULL;
	char idterm[32], buf[32];
	char *canon = NULL, *data = NULL, *t = NULL;
	int rc = 0, year;

	*out = NULL;
	if (doc->id <= 0)
		return vb_error_set(err, VB_EINVAL, "document without an id cannot be indexed");
	if (!(x = vb_xdoc_new(err)))
		return err ? err->code : VB_ENOMEM;

	memset(&c, 0, sizeof(c));
	c.err = err;
	if (cache->words.used > CACHE_MAX_WORDS)
		words_free(&cache->words);
	c.words = &cache->words;
	terms_clear(&cache->terms);
	c.terms = &cache->terms;
	if ((rc = add_field(&c, doc->abstract, doc->abstract ? strlen(doc->abstract) : 0,
			    WDF_ABSTRACT)) ||
	    (rc = add_field(&c, doc->number, doc->number ? strlen(doc->number) : 0,
			    WDF_NUMBER)) ||
	    (rc = add_field(&c, doc->form, doc->form ? strlen(doc->form) : 0, WDF_FORM)))
		goto out;
	c.prefix = VB_PREFIX_ISSUER_WORD;
	rc = add_field(&c, doc->issuer, doc->issuer ? strlen(doc->issuer) : 0, WDF_ISSUER);
	c.prefix = NULL;
	if (rc)
		goto out;
	if (doc->text) {
		size_t len = strlen(doc->text);

		len = utf8_cut(doc->text, len, VB_INDEXDOC_MAX_BODY);
		if ((rc = add_field(&c, doc->text, len, WDF_BODY)))
			goto out;
	}
	if ((rc = terms_emit(c.terms, x, err)))
		goto out;

	vb_indexdoc_id_term(doc->id, idterm, sizeof(idterm));
	if ((rc = vb_xdoc_add_boolean(x, idterm, err)))
		goto out;
	if (doc->number_canonical && *doc->number_canonical)
		canon = strdup(doc->number_canonical);
	else if (doc->number && *doc->number)
		canon = vb_docnum_canonical(doc->number);
	if (canon && *canon) {
		size_t n = strlen(VB_PREFIX_NUMBER) + strlen(canon) + 1;

		if (n <= VB_XAP_TERM_MAX && (t = malloc(n))) {
			snprintf(t, n, "%s%s", VB_PREFIX_NUMBER, canon);
			/* wdf 1 (not boolean) so a number query gives it weight */
			if ((rc = vb_xdoc_add_term(x, t, 1, err)))
				goto out;
		}
	}
	if ((rc = add_filter(x, VB_PREFIX_FORM, doc->form, err)) ||
	    (rc = add_filter(x, VB_PREFIX_ISSUER, doc->issuer, err)) ||
	    (rc = add_filter(x, VB_PREFIX_STATUS, doc->status, err)))
		goto out;
	year = date_year(doc->issue_date);
	if (year > 0) {
		snprintf(buf, sizeof(buf), "%s%04d", VB_PREFIX_YEAR, year);
		if ((rc = vb_xdoc_add_boolean(x, buf, err)))
			goto out;
		snprintf(buf, sizeof(buf), "%04d", year);
		if ((rc = vb_xdoc_set_value(x, VB_SLOT_YEAR, buf, strlen(buf), err)))
			goto out;
	}

	/* values */
	if (strlen(doc->issue_date) == 10) {
		const char *d = doc->issue_date;

		snprintf(buf, sizeof(buf), "%.4s%.2s%.2s", d, d + 5, d + 8);
		if ((rc = vb_xdoc_set_value(x, VB_SLOT_ISSUED, buf, 8, err)))
			goto out;
	}
	snprintf(buf, sizeof(buf), "%d%s", status_rank(doc->status),
		 strlen(doc->issue_date) == 10 ? "" : "00000000");
	if (strlen(doc->issue_date) == 10)
		snprintf(buf + 1, sizeof(buf) - 1, "%.4s%.2s%.2s", doc->issue_date,
			 doc->issue_date + 5, doc->issue_date + 8);
	if ((rc = vb_xdoc_set_value(x, VB_SLOT_RANK, buf, strlen(buf), err)))
		goto out;
	if ((rc = set_in_force_values(x, doc, err)))
		goto out;
	if (doc->text && *doc->text) {
		size_t hl = strnlen(doc->text, VB_INDEXDOC_HEAD_BYTES + 1);

		hl = utf8_cut(doc->text, hl, VB_INDEXDOC_HEAD_BYTES);
		if ((rc = vb_xdoc_set_value(x, VB_SLOT_HEAD, doc->text, hl, err)))
			goto out;
	}
	snprintf(buf, sizeof(buf), "%d", doc->version);
	if ((rc = vb_xdoc_set_value(x, VB_SLOT_VERSION, buf, strlen(buf), err)) ||
	    (rc = set_clean_value(x, VB_SLOT_FORM, doc->form, err)) ||
	    (rc = set_clean_value(x, VB_SLOT_ISSUER, doc->issuer, err)) ||
	    (rc = set_clean_value(x, VB_SLOT_STATUS, doc->status, err)))
		goto out;

	if (!(data = build_data(doc))) {
		rc = vb_error_set(err, VB_ENOMEM, "could not build index document data");
		goto out;
	}
	if ((rc = vb_xdoc_set_data(x, data, strlen(data), err)))
		goto out;
	*out = x;
	x = NULL;
out:
	terms_clear(&cache->terms);
	free(t);
	free(canon);
	free(data);
	vb_xdoc_free(x);
	return rc;
}
