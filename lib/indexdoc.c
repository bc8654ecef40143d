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
 * spelling is folded and given its exact term once per document (word
 * table), and the terms without positions ("XB" pairs, "XV" spellings) are
 * summed per document and handed to Xapian once each with their total wdf
 * (term table).  What is indexed is exactly what one call per word gave. */

/* One distinct spelling of the document. */
typedef struct word_ent {
	char *key;      /* the word as written (cut to VB_WORD_MAX_BYTES) */
	size_t klen;
	char *folded;   /* NULL: not a word to index (empty fold, too long) */
	char *exact;    /* canonical exact term, NULL without diacritics */
	uint64_t hash;
} word_ent;

/* One position-less term and its summed wdf. */
typedef struct term_ent {
	char *term;
	unsigned wdf;
	uint64_t hash;
} term_ent;

typedef struct hash_tab {
	void *slots;    /* word_ent[] or term_ent[], cap entries */
	size_t cap, used;
} hash_tab;

#define HASH_MIN_CAP 1024
#define HASH_MAX_CAP ((size_t)1 << 24) /* 16M distinct words or terms */

/* State while adding the words of one field. */
typedef struct field_ctx {
	vb_xdoc *xdoc;
	unsigned pos;        /* last position used */
	unsigned wdf_inc;
	const char *prefix;  /* field-prefixed copy of each word, or NULL */
	vb_error *err;
	int rc;
	hash_tab *words;     /* word_ent, the cache's */
	hash_tab terms;      /* term_ent */
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

static void terms_free(hash_tab *t)
{
	term_ent *e = t->slots;

	for (size_t i = 0; i < t->cap; i++)
		free(e[i].term);
	free(e);
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

/* Add wdf to the position-less term s (at most VB_XAP_TERM_MAX bytes). */
static int term_add(hash_tab *t, const char *s, unsigned wdf)
{
	size_t n = strlen(s);
	uint64_t h = hash_bytes(s, n);
	term_ent *e;
	size_t j;

	if ((t->used + 1) * 2 > t->cap &&
	    tab_grow(t, sizeof(term_ent), offsetof(term_ent, hash)))
		return -1;
	e = t->slots;
	for (j = h & (t->cap - 1); e[j].term; j = (j + 1) & (t->cap - 1))
		if (e[j].hash == h && !strcmp(e[j].term, s)) {
			e[j].wdf += wdf;
			return 0;
		}
	if (!(e[j].term = malloc(n + 1)))
		return -1;
	memcpy(e[j].term, s, n + 1);
	e[j].wdf = wdf;
	e[j].hash = h;
	t->used++;
	return 0;
}

/* Hand the summed position-less terms to Xapian. */
static int terms_flush(field_ctx *c)
{
	term_ent *e = c->terms.slots;
	int rc;

	for (size_t i = 0; i < c->terms.cap; i++)
		if (e[i].term && (rc = vb_xdoc_add_term(c->xdoc, e[i].term, e[i].wdf, c->err)))
			return rc;
	return 0;
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

void vb_indexdoc_fold_digits(char *term)
{
	size_t i, z = 0;

	for (i = 0; term[i]; i++)
		if (term[i] < '0' || term[i] > '9')
			return;
	while (z + 1 < i && term[z] == '0')
		z++;
	if (z)
		memmove(term, term + z, i - z + 1);
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
	c->rc = vb_xdoc_add_posting(c->xdoc, folded, c->pos, c->wdf_inc, c->err);
	if (c->rc == 0 && c->prefix && !join_term(c->term, c->prefix, folded, NULL))
		c->rc = vb_xdoc_add_posting(c->xdoc, c->term, c->pos, c->wdf_inc, c->err);
	/* folded bigram: evidence that two syllables form one word */
	if (c->rc == 0 && c->prev[0] &&
	    !vb_indexdoc_bigram_term(c->term, c->prev, folded) &&
	    term_add(&c->terms, c->term, c->wdf_inc))
		c->rc = vb_error_set(c->err, VB_ENOMEM, "out of memory");
	if (join_term(c->prev, "", folded, NULL))
		c->prev[0] = '\0';
	if (c->rc == 0 && exact && !join_term(c->term, VB_PREFIX_EXACT, exact, NULL))
		c->rc = vb_xdoc_add_posting(c->xdoc, c->term, c->pos, c->wdf_inc, c->err);
	/* fold -> spelling map for "did you mean" (unaccented forms too, so
	 * that "tin" can win over "tín") */
	if (c->rc == 0 && (folded[0] < '0' || folded[0] > '9') &&
	    !join_term(c->term, VB_PREFIX_VARIANT, folded, exact ? exact : folded) &&
	    term_add(&c->terms, c->term, 1))
		c->rc = vb_error_set(c->err, VB_ENOMEM, "out of memory");
	return c->rc != 0;
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
	free(cache);
}

int vb_indexdoc_build(const vb_document *doc, vb_xdoc **out, vb_error *err)
{
	vb_indexdoc_cache cache = { { 0 } };
	int rc = vb_indexdoc_build_cached(doc, &cache, out, err);

	words_free(&cache.words);
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
	c.xdoc = x;
	c.err = err;
	if (cache->words.used > CACHE_MAX_WORDS)
		words_free(&cache->words);
	c.words = &cache->words;
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
	if ((rc = terms_flush(&c)))
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
	terms_free(&c.terms);
	free(t);
	free(canon);
	free(data);
	vb_xdoc_free(x);
	return rc;
}
