/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Snippet construction (contract in snippet.h).  One tokenising pass over
 * the normalised text folds every token into a stack buffer
 * (vb_text_tokenize_folded, which stops folding past the longest query
 * word) and records the tokens that match a query word, compared by length
 * first; a two-pointer scan kept up to date with each match finds the
 * window of at most max bytes with the most distinct words.  Once a window
 * holds every distinct word nothing later can beat it, so the pass stops
 * as soon as it is past the bytes the final snippet can reach.  The window
 * is then widened with context by tokenising only the bytes just before
 * and after it, so the cost stays linear in the text (and usually far
 * less), the memory proportional to the number of matches.  Stored texts
 * are already normalised, so the text is used in place and checked during
 * the same pass (VB_TOKENIZE_NORMALIZED): only when something needing
 * normalisation comes before the scan stops is a normalised copy made and
 * scanned again.  When the scan stops early, everything the snippet reads
 * lies before the stopping token's end, in the part that was checked.
 */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "indexdoc.h"
#include "text.h"

#define FOLD_MAX 256 /* folded tokens this long cannot match a query word */
#define ZERO_PAD 8   /* leading zeros a number in the text may carry */

typedef struct match {
	size_t start, len;
	size_t word; /* index into the distinct query words */
} match;

typedef struct scan {
	char **words;      /* distinct folded query words */
	size_t *word_len;
	size_t n_words;
	size_t max_token;  /* longer tokens cannot fold to a query word */
	size_t max_bytes;  /* window size */
	match *m;
	size_t n, cap;
	/* the sliding window over m: matches [l, n) lie within max_bytes */
	size_t *count;     /* per word, matches in the window */
	size_t l, distinct, best, bl, br;
	size_t stop_at;    /* SIZE_MAX, or where tokens stop mattering */
	int stopped;       /* a token past stop_at was reached */
	int oom;
} scan;

/* Add the match just appended (index i) to the window scan. */
static void window_add(scan *sc, size_t i)
{
	if (sc->count[sc->m[i].word]++ == 0)
		sc->distinct++;
	while (sc->l < i && sc->m[i].start + sc->m[i].len - sc->m[sc->l].start > sc->max_bytes) {
		if (--sc->count[sc->m[sc->l].word] == 0)
			sc->distinct--;
		sc->l++;
	}
	if (sc->distinct > sc->best) {
		sc->best = sc->distinct;
		sc->bl = sc->l;
		sc->br = i;
		/* every word seen: the final snippet (at most max_bytes from
		 * the window's start, plus one character) ends before this */
		if (sc->best == sc->n_words)
			sc->stop_at = sc->m[sc->bl].start + sc->max_bytes + 4;
	}
}

/* Forget the matches (the scan starts again on the normalised text). */
static void scan_reset(scan *sc)
{
	memset(sc->count, 0, sc->n_words * sizeof(*sc->count));
	sc->n = sc->l = sc->distinct = sc->best = sc->bl = sc->br = 0;
	sc->stop_at = SIZE_MAX;
	sc->stopped = 0;
}

static int collect_cb(const char *s, const vb_token *tok, const char *f, size_t fl,
                      void *ud)
{
	scan *sc = ud;
	size_t i;

	(void)s;
	if (tok->start > sc->stop_at) {
		sc->stopped = 1;
		return 1;
	}
	if (!f || tok->len > sc->max_token)
		return 0;
	/* the index keeps "05" as "5" (vb_indexdoc_fold_digits): so does the
	 * match, so a query word "5" or "05" marks the text's "05", "005" */
	if (f[0] == '0') {
		size_t z = vb_indexdoc_digit_zeros(f, fl);

		f += z;
		fl -= z;
	}
	for (i = 0; i < sc->n_words; i++) {
		if (sc->word_len[i] != fl || memcmp(f, sc->words[i], fl) != 0)
			continue;
		if (sc->n == sc->cap) {
			size_t nc = sc->cap ? sc->cap * 2 : 64;
			match *nm = realloc(sc->m, nc * sizeof(*nm));

			if (!nm) {
				sc->oom = 1;
				return 1;
			}
			sc->m = nm;
			sc->cap = nc;
		}
		sc->m[sc->n].start = tok->start;
		sc->m[sc->n].len = tok->len;
		sc->m[sc->n].word = i;
		window_add(sc, sc->n);
		sc->n++;
		break;
	}
	return 0;
}

/* Token boundaries near the window, found by tokenising a small region. */
typedef struct edge {
	size_t base;    /* offset of the region in the text */
	size_t limit;   /* stop condition, relative to the text */
	int partial_ok; /* whether a token touching the region edge is whole */
	size_t region_len;
	size_t best;    /* chosen boundary (text offset) */
	int found;
} edge;

/* Left context: the earliest token start >= limit. */
static int left_cb(const char *s, const vb_token *tok, void *ud)
{
	edge *e = ud;
	size_t st = e->base + tok->start;

	(void)s;
	if (tok->start == 0 && !e->partial_ok)
		return 0; /* may be the tail of a longer token */
	if (st >= e->limit) {
		e->best = st;
		e->found = 1;
		return 1;
	}
	return 0;
}

/* Right context: the last token end <= limit. */
static int right_cb(const char *s, const vb_token *tok, void *ud)
{
	edge *e = ud;
	size_t en = e->base + tok->start + tok->len;

	(void)s;
	if (en > e->limit)
		return 1;
	if (tok->start + tok->len == e->region_len && !e->partial_ok)
		return 1; /* may continue past the region */
	e->best = en;
	e->found = 1;
	return 0;
}

static int first_cb(const char *s, const vb_token *tok, void *ud)
{
	(void)s;
	*(size_t *)ud = tok->start;
	return 1;
}

/* Largest character boundary <= pos. */
static size_t char_floor(const char *s, size_t len, size_t pos)
{
	if (pos >= len)
		return len;
	while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

/* Smallest character boundary >= pos. */
static size_t char_ceil(const char *s, size_t len, size_t pos)
{
	while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos++;
	return pos;
}

static size_t extend_left(const char *s, size_t len, size_t ws, size_t budget)
{
	edge e = { 0 };
	size_t from;

	if (budget == 0 || ws == 0)
		return ws;
	from = char_floor(s, len, ws > budget ? ws - budget : 0);
	e.base = from;
	e.limit = ws > budget ? ws - budget : 0;
	e.partial_ok = from == 0;
	e.region_len = ws - from;
	vb_text_tokenize(s + from, ws - from, left_cb, &e);
	return e.found ? e.best : ws;
}

static size_t extend_right(const char *s, size_t len, size_t we, size_t budget)
{
	edge e = { 0 };
	size_t to;

	if (budget == 0 || we >= len)
		return we;
	to = char_ceil(s, len, we + budget + 1 < len ? we + budget + 1 : len);
	e.base = we;
	e.limit = we + budget;
	e.partial_ok = to == len;
	e.region_len = to - we;
	vb_text_tokenize(s + we, to - we, right_cb, &e);
	return e.found ? e.best : we;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_ascii_punct(char c)
{
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') &&
	       !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
}

/* Windows start and end on words; take in the punctuation around them when
 * the budget allows: everything up to the text's edge when no word lies
 * beyond, else adjacent ASCII punctuation ("(", ".", ",").  *after is the
 * offset of the next word relative to *we (SIZE_MAX: none) and becomes
 * relative to the new end. */
static void widen_edges(const char *s, size_t len, size_t *ws, size_t *we,
                        size_t max, size_t first, size_t *after)
{
	size_t p;

	if (*after == SIZE_MAX) {
		p = len;
		while (p > *we && is_ws(s[p - 1]))
			p--;
	} else {
		p = *we;
		while (p < len && p - *we < *after && is_ascii_punct(s[p]))
			p++;
		if (p < len && !is_ws(s[p]))
			p = *we; /* "QĐ-UBND": do not end on the dash */
	}
	if (p - *ws <= max) {
		if (*after != SIZE_MAX)
			*after -= p - *we;
		*we = p;
	}
	if (first >= *ws) {
		p = 0;
		while (p < *ws && is_ws(s[p]))
			p++;
	} else {
		p = *ws;
		while (p > 0 && is_ascii_punct(s[p - 1]))
			p--;
		if (p > 0 && !is_ws(s[p - 1]))
			p = *ws;
	}
	if (*we - p <= max)
		*ws = p;
}

/* Render s[start, end) with marks; m[0..n) are the matches (sorted). */
static int render(vb_buf *b, const char *s, size_t start, size_t end,
                  const match *m, size_t n, int lead, int trail)
{
	size_t lo = 0, hi = n, pos = start;
	int rc = 0;

	while (lo < hi) { /* first match starting at or after start */
		size_t mid = lo + (hi - lo) / 2;

		if (m[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lead && (rc = vb_buf_puts(b, "\u2026 ")))
		return rc;
	while (pos < end) {
		size_t stop;

		if (lo < n && m[lo].start == pos) {
			size_t e = m[lo].start + m[lo].len;

			if (e > end)
				e = end;
			if ((rc = vb_buf_puts(b, "<mark>")) ||
			    (rc = vb_buf_put_html(b, s + pos, e - pos)) ||
			    (rc = vb_buf_puts(b, "</mark>")))
				return rc;
			pos = e;
			lo++;
			continue;
		}
		if (is_ws(s[pos])) {
			while (pos < end && is_ws(s[pos]))
				pos++;
			if (pos < end && (rc = vb_buf_putc(b, ' ')))
				return rc;
			continue;
		}
		stop = pos;
		while (stop < end && !is_ws(s[stop]) &&
		       !(lo < n && m[lo].start == stop))
			stop++;
		if ((rc = vb_buf_put_html(b, s + pos, stop - pos)))
			return rc;
		pos = stop;
	}
	if (trail && (rc = vb_buf_puts(b, " \u2026")))
		return rc;
	return rc;
}

/* vb_snippet_make; with prefix set, text is only the beginning of the
 * text and *undecided is set (NULL returned) unless the scan stopped
 * early, i.e. the snippet depends only on the part read. */
static char *make(const char *text, size_t len, char *const *words, size_t n_words,
                  size_t max_bytes, int prefix, int *undecided)
{
	scan sc = { 0 };
	char *copy = NULL, *res = NULL;
	const char *norm;
	size_t nlen, i, max_fold = 0;
	size_t ws, we, first = SIZE_MAX, after = SIZE_MAX, rem;
	vb_buf b;

	vb_buf_init(&b, 0);
	if (max_bytes == 0)
		max_bytes = VB_SNIPPET_DEFAULT_BYTES;
	if (max_bytes > VB_SNIPPET_MAX_BYTES)
		max_bytes = VB_SNIPPET_MAX_BYTES;
	if (!text)
		len = 0;
	if (len > VB_TEXT_MAX_BYTES)
		len = char_floor(text, len, VB_TEXT_MAX_BYTES);
	/* stored texts are normalised: used in place, checked on the way */
	norm = text ? text : "";
	nlen = text ? len : 0;
	/* escaping grows text at most 6x, marks add 13 bytes per word */
	vb_buf_init(&b, max_bytes * 20 + 64);

	/* distinct folded query words */
	if (n_words > VB_SNIPPET_MAX_WORDS)
		n_words = VB_SNIPPET_MAX_WORDS;
	sc.stop_at = SIZE_MAX;
	sc.max_bytes = max_bytes;
	if (n_words) {
		sc.words = calloc(n_words, sizeof(*sc.words));
		sc.word_len = calloc(n_words, sizeof(*sc.word_len));
		sc.count = calloc(n_words, sizeof(*sc.count));
		if (!sc.words || !sc.word_len || !sc.count)
			goto out;
	}
	for (i = 0; words && i < n_words; i++) {
		char *f;
		size_t k, fl;

		if (!words[i])
			continue;
		f = vb_text_fold(words[i], strlen(words[i]));
		if (!f)
			goto out;
		vb_indexdoc_fold_digits(f);
		fl = strlen(f);
		for (k = 0; k < sc.n_words && strcmp(sc.words[k], f); k++)
			;
		if (fl == 0 || fl >= FOLD_MAX || k < sc.n_words) {
			free(f);
			continue;
		}
		sc.word_len[sc.n_words] = fl;
		sc.words[sc.n_words++] = f;
		if (fl > max_fold)
			max_fold = fl;
		/* a number's tokens may carry leading zeros ("05") */
		if (!f[strspn(f, "0123456789")] && fl + ZERO_PAD > max_fold)
			max_fold = fl + ZERO_PAD;
		/* a folded byte comes from at most one character plus
		 * a few combining marks */
		if (fl * 12 > sc.max_token)
			sc.max_token = fl * 12;
	}

	if (sc.n_words &&
	    vb_text_tokenize_folded(norm, nlen, max_fold, VB_TOKENIZE_NORMALIZED, collect_cb,
	                            &sc) == VB_TOKENIZE_NOT_NORMALIZED) {
		/* something to normalise came before the scan could stop
		 * (when it stops first, the snippet depends only on the part
		 * read, which was normalised): normalise, scan again */
		if (!(copy = vb_text_normalize(norm, nlen)))
			goto out;
		norm = copy;
		nlen = strlen(copy);
		scan_reset(&sc);
		vb_text_tokenize_folded(norm, nlen, max_fold, 0, collect_cb, &sc);
	} else if (!sc.n_words && !vb_text_is_normalized(norm, nlen)) {
		if (!(copy = vb_text_normalize(norm, nlen)))
			goto out;
		norm = copy;
		nlen = strlen(copy);
	}
	if (sc.oom)
		goto out;
	if (prefix && !sc.stopped) {
		*undecided = 1;
		goto out;
	}

	if (sc.n) {
		ws = sc.m[sc.bl].start;
		we = sc.m[sc.br].start + sc.m[sc.br].len;
	} else {
		vb_text_tokenize(norm, nlen, first_cb, &first);
		if (first == SIZE_MAX) { /* no word at all: plain cut */
			size_t s0 = 0, e;

			while (s0 < nlen && is_ws(norm[s0]))
				s0++;
			we = char_floor(norm, nlen, s0 + max_bytes);
			while (we > s0 && is_ws(norm[we - 1]))
				we--;
			for (e = we; e < nlen && is_ws(norm[e]); e++)
				;
			if (render(&b, norm, s0, we, NULL, 0, 0, e < nlen))
				goto out;
			res = vb_buf_steal(&b);
			if (!res)
				res = strdup("");
			goto out;
		}
		ws = we = first;
	}

	if (we - ws > max_bytes) {
		/* a single huge token: cut it at a character boundary */
		we = char_floor(norm, nlen, ws + max_bytes);
		if (we == ws)
			we = char_ceil(norm, nlen, ws + 1);
	} else {
		rem = max_bytes - (we - ws);
		if (sc.n) {
			size_t nws = extend_left(norm, nlen, ws, rem / 2);

			rem -= ws - nws;
			ws = nws;
		}
		{
			size_t nwe = extend_right(norm, nlen, we, rem);

			rem -= nwe - we;
			we = nwe;
		}
		ws = extend_left(norm, nlen, ws, rem);
	}

	if (first == SIZE_MAX)
		vb_text_tokenize(norm, nlen, first_cb, &first);
	vb_text_tokenize(norm + we, nlen - we, first_cb, &after);
	widen_edges(norm, nlen, &ws, &we, max_bytes, first, &after);
	if (render(&b, norm, ws, we, sc.m, sc.n, first < ws, after != SIZE_MAX))
		goto out;
	res = vb_buf_steal(&b);
	if (!res)
		res = strdup("");
out:
	vb_buf_dispose(&b);
	for (i = 0; i < sc.n_words; i++)
		free(sc.words[i]);
	free(sc.words);
	free(sc.word_len);
	free(sc.count);
	free(sc.m);
	free(copy);
	return res;
}

char *vb_snippet_make(const char *text, size_t len, char *const *words,
                      size_t n_words, size_t max_bytes)
{
	return make(text, len, words, n_words, max_bytes, 0, NULL);
}

char *vb_snippet_make_prefix(const char *text, size_t len, char *const *words,
                             size_t n_words, size_t max_bytes, int *undecided)
{
	*undecided = 0;
	if (!text || len > VB_TEXT_MAX_BYTES) {
		*undecided = 1;
		return NULL;
	}
	return make(text, len, words, n_words, max_bytes, 1, undecided);
}
