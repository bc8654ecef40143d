/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Did you mean" (suggest.h), worked out from the index vocabulary after a
 * search: spelling corrections by edit distance over the folded terms when
 * the search found little, then accents for an unaccented query ("XV"
 * terms give the spellings of each folded word with their document
 * frequencies; phrase counts of adjacent pairs, and of the whole query,
 * choose between them).
 */
#include "suggest.h"

#include "indexdoc.h"
#include "text.h"
#include "xap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define SUGGEST_MAX_WORDS 12    /* longer queries get no suggestion */
#define SUGGEST_CANDIDATES 6    /* spellings kept per word (most frequent) */
#define SUGGEST_MAX_PAIR_COUNTS 160 /* phrase look-ups for adjacent pairs */
#define SUGGEST_MAX_PHRASE_TRIES 24 /* whole-phrase look-ups */
#define SUGGEST_PHRASE_SAMPLE 100   /* documents a phrase count examines */
#define PAIR_SMOOTHING 1.0      /* Dirichlet prior mass of a pair's next word */
#define ASSOC_WEIGHT 0.25       /* tie-break: how much two spellings go together */
#define SPELL_MAX_SCAN 200000   /* vocabulary terms looked at per word */
#define FEW_RESULTS 3

typedef struct cand {
	char text[VB_XAP_TERM_MAX + 1]; /* exact (accented) form, no prefix */
	size_t freq;
} cand;

typedef struct variant_ctx {
	size_t plen;
	cand c[SUGGEST_CANDIDATES];
	size_t n;
} variant_ctx;

/* Keep the most frequent "XV<folded> <exact>" forms. */
static int variant_cb(const char *term, size_t len, size_t freq, void *ud)
{
	variant_ctx *v = ud;
	size_t el = len - v->plen, slot;

	if (el == 0 || el > VB_XAP_TERM_MAX)
		return 0;
	if (v->n < SUGGEST_CANDIDATES)
		slot = v->n++;
	else {
		slot = SUGGEST_CANDIDATES - 1;
		if (v->c[slot].freq >= freq)
			return 0;
	}
	memcpy(v->c[slot].text, term + v->plen, el);
	v->c[slot].text[el] = '\0';
	v->c[slot].freq = freq;
	/* keep sorted by frequency, most frequent first */
	for (size_t i = slot; i > 0 && v->c[i].freq > v->c[i - 1].freq; i--) {
		cand t = v->c[i];

		v->c[i] = v->c[i - 1];
		v->c[i - 1] = t;
	}
	return 0;
}

/* The index term of spelling s of the folded word f: "XE" + s when s
 * carries diacritics, else the folded term (which also counts accented
 * occurrences: callers correct for that). */
/* Copy the word src into dst of cap bytes, cut short when it does not fit
 * (words come from the query, at most a term long: never in practice). */
static void copy_word(char *dst, size_t cap, const char *src)
{
	size_t l = strlen(src);

	if (l >= cap)
		l = cap - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

static void spelling_term(char *buf, size_t cap, const char *s, const char *f)
{
	snprintf(buf, cap, "%s%s", strcmp(s, f) ? VB_PREFIX_EXACT : "", s);
}

/* What every phrase count of the folded words f[0..n) shares, whatever
 * the spellings: the AND of their folded bigram terms "XB" (two words at
 * adjacent positions always give the document their bigram, so documents
 * without it cannot hold the phrase: the same matches, fewer position
 * lists read), and, when more than SUGGEST_PHRASE_SAMPLE documents hold
 * them, the window of the newest document ids expected to hold that
 * many, with the scale from the window to the whole index.  The counts
 * are then estimates whose cost does not grow with the index; every
 * spelling of the words is counted in the same window, so they compare. */
typedef struct phrase_filter {
	vb_xquery *q;  /* NULL: no filter */
	double scale;
	int failed;    /* could not be built: every count is 0 */
} phrase_filter;

static void phrase_filter_build(vb_xap_reader *r, const char *const *f, size_t n,
				phrase_filter *pf)
{
	char term[VB_XAP_TERM_MAX + 1];
	vb_xquery *bi[SUGGEST_MAX_WORDS + 1] = { 0 };
	size_t k, nb = 0, rarest = 0;
	unsigned last = 0;

	pf->q = NULL;
	pf->scale = 1;
	pf->failed = 1;
	if (n < 2 || n > SUGGEST_MAX_WORDS)
		return;
	for (k = 0; k + 1 < n; k++) {
		size_t freq = 0;

		if (vb_indexdoc_bigram_term(term, f[k], f[k + 1]))
			continue;
		if (!(bi[nb++] = vb_xquery_term(term, 1, NULL)))
			goto out;
		if (vb_xap_reader_termfreq(r, term, &freq, NULL) == 0 &&
		    (!rarest || freq < rarest))
			rarest = freq;
	}
	if (rarest > SUGGEST_PHRASE_SAMPLE && vb_xap_reader_lastdocid(r, &last, NULL) == 0 &&
	    last > 0) {
		double win = (double)last * SUGGEST_PHRASE_SAMPLE / (double)rarest;
		unsigned w = win < 1 ? 1 : (unsigned)win;

		if (w < last) {
			if (!(bi[nb++] = vb_xquery_docid_range(last - w + 1, last, NULL)))
				goto out;
			pf->scale = (double)last / (double)w;
		}
	}
	if (nb && !(pf->q = vb_xquery_combine(VB_XOP_AND, bi, nb, 0, NULL)))
		goto out;
	pf->failed = 0;
out:
	for (k = 0; k < nb; k++)
		vb_xquery_free(bi[k]);
}

static void phrase_filter_dispose(phrase_filter *pf)
{
	vb_xquery_free(pf->q);
	pf->q = NULL;
}

/* Documents where the spellings s[0..n) of the folded words f[0..n) occur
 * as a phrase (0 on error), within pf (phrase_filter_build of f). */
static double phrase_count(vb_xap_reader *r, const char *const *s, const char *const *f,
			   size_t n, const phrase_filter *pf)
{
	char term[2 * VB_XAP_TERM_MAX + 8];
	vb_xquery *t[SUGGEST_MAX_WORDS] = { 0 }, *ph = NULL;
	vb_xap_search q;
	vb_xap_result xr;
	double got = 0;
	size_t k;

	vb_xap_result_init(&xr);
	if (pf->failed || n < 2 || n > SUGGEST_MAX_WORDS)
		return 0;
	for (k = 0; k < n; k++) {
		spelling_term(term, sizeof(term), s[k], f[k]);
		if (!(t[k] = vb_xquery_term(term, 1, NULL)))
			goto out;
	}
	if (!(ph = vb_xquery_combine(VB_XOP_PHRASE, t, n, (unsigned)n, NULL)))
		goto out;
	memset(&q, 0, sizeof(q));
	q.query = ph;
	q.filter = pf->q;
	if (vb_xap_reader_search(r, &q, &xr, NULL) == 0)
		got = (double)xr.total * pf->scale;
out:
	vb_xap_result_dispose(&xr);
	for (k = 0; k < n; k++)
		vb_xquery_free(t[k]);
	vb_xquery_free(ph);
	return got;
}

/* Adjacent-pair evidence between the spellings of two neighbouring words:
 * pc[j][k] documents have spelling j of the left word followed by
 * spelling k of the right one.  evidence is 0 when nothing is known
 * (no choice to make, the folded pair is not in the index, or the budget
 * of phrase look-ups is spent); then only single-word frequencies
 * count. */
typedef struct pair_link {
	int evidence;
	double pc[SUGGEST_CANDIDATES][SUGGEST_CANDIDATES];
} pair_link;

static void pair_evidence(vb_xap_reader *r, const variant_ctx *a, const char *fa,
			  const variant_ctx *b, const char *fb, size_t *budget, pair_link *l)
{
	char bigram[VB_XAP_TERM_MAX + 1];
	double raw[SUGGEST_CANDIDATES][SUGGEST_CANDIDATES];
	int acc_a[SUGGEST_CANDIDATES], acc_b[SUGGEST_CANDIDATES];
	const char *f[2] = { fa, fb };
	phrase_filter pf;
	size_t freq = 0;

	memset(l, 0, sizeof(*l));
	if ((a->n < 2 && b->n < 2) || a->n * b->n > *budget)
		return;
	/* the folded pair "XB<a> <b>" must exist for any spelling of it to */
	if (vb_indexdoc_bigram_term(bigram, fa, fb) ||
	    vb_xap_reader_termfreq(r, bigram, &freq, NULL) || freq == 0)
		return;
	*budget -= a->n * b->n;
	phrase_filter_build(r, f, 2, &pf);
	for (size_t j = 0; j < a->n; j++)
		acc_a[j] = strcmp(a->c[j].text, fa) != 0;
	for (size_t k = 0; k < b->n; k++)
		acc_b[k] = strcmp(b->c[k].text, fb) != 0;
	for (size_t j = 0; j < a->n; j++)
		for (size_t k = 0; k < b->n; k++) {
			const char *s[2] = { a->c[j].text, b->c[k].text };

			raw[j][k] = phrase_count(r, s, f, 2, &pf);
		}
	phrase_filter_dispose(&pf);
	/* An unaccented spelling is looked up by its folded term, which
	 * also matches the accented ones: take those out (approximately: a
	 * document may hold both).  At most one spelling per word is
	 * unaccented. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < a->n; j++)
			for (size_t k = 0; k < b->n; k++) {
				double v = raw[j][k];
				int both = !acc_a[j] && !acc_b[k];

				if (acc_a[j] && acc_b[k]) {
					if (!pass)
						l->pc[j][k] = v;
					continue;
				}
				if (both != pass)
					continue;
				for (size_t jj = 0; jj < a->n; jj++)
					for (size_t kk = 0; kk < b->n; kk++) {
						if (jj == j && kk == k)
							continue;
						if (both || (!acc_a[j] && kk == k && acc_a[jj]) ||
						    (!acc_b[k] && jj == j && acc_b[kk]))
							v -= both ? l->pc[jj][kk] : raw[jj][kk];
					}
				l->pc[j][k] = v > 0 ? v : 0;
			}
	for (size_t j = 0; j < a->n; j++)
		for (size_t k = 0; k < b->n; k++)
			if (l->pc[j][k] > 0)
				l->evidence = 1;
}

/* When the chosen spellings pick[] match no document as a phrase but the
 * typed (folded) words do, try each single change of spelling and keep
 * the one found as a phrase in most documents: the suggestion should be
 * something the index holds. */
static void prefer_whole_phrase(vb_xap_reader *r, char (*w)[VB_XAP_TERM_MAX + 1], size_t n,
				const variant_ctx *v, int *pick)
{
	const char *s[SUGGEST_MAX_WORDS], *f[SUGGEST_MAX_WORDS];
	phrase_filter pf;
	double best = 0;
	size_t tries = 0;
	int bi = -1, bk = -1;

	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		s[i] = f[i] = w[i];
	phrase_filter_build(r, f, n, &pf);
	if (phrase_count(r, s, f, n, &pf) == 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		s[i] = v[i].c[pick[i]].text;
	if (phrase_count(r, s, f, n, &pf) > 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].n && tries < SUGGEST_MAX_PHRASE_TRIES; k++) {
			double got;

			if ((int)k == pick[i])
				continue;
			tries++;
			s[i] = v[i].c[k].text;
			got = phrase_count(r, s, f, n, &pf);
			if (got > best) {
				best = got;
				bi = (int)i;
				bk = (int)k;
			}
		}
		s[i] = v[i].c[pick[i]].text;
	}
	if (bi >= 0)
		pick[bi] = bk;
out:
	phrase_filter_dispose(&pf);
}

/* Accented forms of the folded words w[0..n) into out[] (the word itself
 * when the index knows no accented form), from the 6 most frequent
 * spellings of each word ("XV" terms).  The words are read as a Markov
 * chain over document counts: log P(first spelling), then for each next
 * word log P(spelling | previous spelling) = pair count of the two as a
 * phrase / frequency of the previous one, smoothed towards P(spelling)
 * (so an unseen pair after a rare word does not look likely).  Where the
 * index holds no evidence for a pair (the folded pair "XB" is absent, or
 * the budget of phrase look-ups is spent), the chain breaks and the next
 * word counts by its own frequency.  So "điện tử" beats "điện tư" by the
 * pair even where "tư" alone is more frequent.  Near ties (a small index
 * where a document also has the typo "Công thông tin") are decided by how
 * strongly the two spellings go together (pointwise mutual information,
 * weighted ASSOC_WEIGHT): "cổng" is rarely anything but "cổng thông",
 * "công" is everywhere.  The best path (Viterbi) is then checked as a
 * whole phrase (prefer_whole_phrase).  Returns the number of words
 * changed. */
static size_t restore_accents(vb_xap_reader *r, char (*w)[VB_XAP_TERM_MAX + 1], size_t n,
			      char (*out)[VB_XAP_TERM_MAX + 1])
{
	variant_ctx v[SUGGEST_MAX_WORDS];
	pair_link link[SUGGEST_MAX_WORDS]; /* link[i]: words i - 1 and i */
	double score[SUGGEST_MAX_WORDS][SUGGEST_CANDIDATES];
	int back[SUGGEST_MAX_WORDS][SUGGEST_CANDIDATES];
	int pick[SUGGEST_MAX_WORDS];
	size_t budget = SUGGEST_MAX_PAIR_COUNTS, changed = 0, docs = 0;
	double ndocs;
	int best;

	if (vb_xap_reader_doccount(r, &docs, NULL))
		docs = 0;
	ndocs = (double)docs + 1.0;

	for (size_t i = 0; i < n; i++) {
		char prefix[VB_XAP_TERM_MAX + 8];

		memset(&v[i], 0, sizeof(v[i]));
		/* a word too long for a term has no variants */
		if (snprintf(prefix, sizeof(prefix), "%s%s ", VB_PREFIX_VARIANT, w[i]) <
		    (int)sizeof(prefix)) {
			v[i].plen = strlen(prefix);
			vb_xap_reader_terms(r, prefix, 1000, variant_cb, &v[i], NULL);
		}
		if (!v[i].n) { /* no accented form: keep the word */
			copy_word(v[i].c[0].text, sizeof(v[i].c[0].text), w[i]);
			v[i].c[0].freq = 0;
			v[i].n = 1;
		}
	}
	memset(&link[0], 0, sizeof(link[0]));
	for (size_t i = 1; i < n; i++)
		pair_evidence(r, &v[i - 1], w[i - 1], &v[i], w[i], &budget, &link[i]);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].n; k++) {
			/* log P(spelling), add-one over the documents */
			double uni = log(((double)v[i].c[k].freq + 1.0) / ndocs);

			back[i][k] = 0;
			if (!i) {
				score[i][k] = uni;
				continue;
			}
			score[i][k] = -1e300;
			for (size_t j = 0; j < v[i - 1].n; j++) {
				double sc = score[i - 1][j];

				if (link[i].evidence) {
					/* log P(k | j), smoothed towards P(k) */
					double cond = log((link[i].pc[j][k] +
							   PAIR_SMOOTHING * exp(uni)) /
							  ((double)v[i - 1].c[j].freq +
							   PAIR_SMOOTHING));

					sc += cond + ASSOC_WEIGHT * (cond - uni);
				} else
					sc += uni;
				if (sc > score[i][k]) {
					score[i][k] = sc;
					back[i][k] = (int)j;
				}
			}
		}
	}
	best = 0;
	for (size_t k = 1; k < v[n - 1].n; k++)
		if (score[n - 1][k] > score[n - 1][best])
			best = (int)k;
	for (size_t i = n; i-- > 0;) {
		pick[i] = best;
		best = back[i][best];
	}
	prefer_whole_phrase(r, w, n, v, pick);
	for (size_t i = 0; i < n; i++) {
		snprintf(out[i], VB_XAP_TERM_MAX + 1, "%s", v[i].c[pick[i]].text);
		changed += strcmp(out[i], w[i]) != 0;
	}
	return changed;
}

/* Edit distance between a and b, or limit + 1 when above limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[VB_XAP_TERM_MAX + 2];

	if (la > VB_XAP_TERM_MAX || lb > VB_XAP_TERM_MAX)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], lo;

		row[0] = i;
		lo = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t m = diag + cost;

			if (up + 1 < m)
				m = up + 1;
			if (row[j - 1] + 1 < m)
				m = row[j - 1] + 1;
			row[j] = m;
			diag = up;
			if (m < lo)
				lo = m;
		}
		if (lo > limit)
			return limit + 1;
	}
	return row[lb];
}

typedef struct spell_ctx {
	const char *word;
	size_t limit;
	size_t best_dist;
	size_t best_freq;
	char best[VB_XAP_TERM_MAX + 1];
} spell_ctx;

static int spell_cb(const char *term, size_t len, size_t freq, void *ud)
{
	spell_ctx *s = ud;
	size_t d;

	if (len > VB_XAP_TERM_MAX)
		return 0;
	d = edit_distance(s->word, term, s->limit);
	if (d == 0 || d > s->limit)
		return 0;
	if (d < s->best_dist || (d == s->best_dist && freq > s->best_freq)) {
		s->best_dist = d;
		s->best_freq = freq;
		memcpy(s->best, term, len);
		s->best[len] = '\0';
	}
	return 0;
}

/* The closest more frequent folded term for a word the index does not
 * know (edit distance 1, or 2 for words of 6 letters or more; the first
 * letter is trusted).  0 when corrected into out. */
static int correct_word(vb_xap_reader *r, const char *w, char out[VB_XAP_TERM_MAX + 1])
{
	spell_ctx s;
	char prefix[2] = { w[0], '\0' };
	size_t freq = 0;

	if (vb_xap_reader_termfreq(r, w, &freq, NULL) || freq > 0)
		return -1;
	memset(&s, 0, sizeof(s));
	s.word = w;
	s.limit = strlen(w) >= 6 ? 2 : 1;
	s.best_dist = s.limit + 1;
	if (strlen(w) < 3)
		return -1;
	vb_xap_reader_terms(r, prefix, SPELL_MAX_SCAN, spell_cb, &s, NULL);
	if (s.best_dist > s.limit)
		return -1;
	snprintf(out, VB_XAP_TERM_MAX + 1, "%s", s.best);
	return 0;
}

/* Upper-case the first character of s in place when the upper-case form
 * has the same UTF-8 length (true of Vietnamese letters). */
static void capitalise(char *s)
{
	utf8proc_int32_t cp;
	utf8proc_uint8_t buf[4];
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);

	if (n <= 0)
		return;
	if (utf8proc_encode_char(utf8proc_toupper(cp), buf) == n)
		memcpy(s, buf, (size_t)n);
}

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Whether the typed word has two capitals or more (BTC, UBND, TTg): an
 * abbreviation the index may not hold, not a typo to "correct". */
static int is_abbreviation(const char *s, size_t n)
{
	size_t caps = 0;

	for (size_t i = 0; i < n; i++)
		caps += s[i] >= 'A' && s[i] <= 'Z';
	return caps >= 2;
}

/* Rewrite the query text with words[i] replaced by repl[i]. */
static char *rewrite(const vb_qparse *p, char (*repl)[VB_XAP_TERM_MAX + 1], size_t n)
{
	size_t len = strlen(p->text), cap = len + 1, at = 0, prev = 0;
	char *out;

	for (size_t i = 0; i < n; i++)
		cap += strlen(repl[i]);
	if (!(out = malloc(cap)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(repl[i]);

		memcpy(out + at, p->text + prev, p->words[i].start - prev);
		at += p->words[i].start - prev;
		memcpy(out + at, repl[i], l);
		at += l;
		prev = p->words[i].start + p->words[i].len;
	}
	memcpy(out + at, p->text + prev, len - prev + 1);
	return out;
}

void vb_suggest(vb_xap_reader *r, const vb_search_req *req, const vb_query *q,
		vb_search_result *res)
{
	const vb_qparse *p = &q->parse;
	char w[SUGGEST_MAX_WORDS][VB_XAP_TERM_MAX + 1];
	char out[SUGGEST_MAX_WORDS][VB_XAP_TERM_MAX + 1];
	size_t n = p->n_words, spelled = 0, accented = 0;
	int any_dia = 0;

	if (n == 0 || n > SUGGEST_MAX_WORDS || q->match_all)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *s = p->text + p->words[i].start;

		any_dia |= vb_text_has_diacritics(s, p->words[i].len);
		if (vb_text_fold_buf(s, p->words[i].len, w[i], sizeof(w[i])) >= sizeof(w[i]))
			return;
		vb_indexdoc_fold_digits(w[i]);
	}
	if (res->total < FEW_RESULTS || res->relaxed) {
		for (size_t i = 0; i < n; i++) {
			char fixed[VB_XAP_TERM_MAX + 1];

			if (all_digits(w[i]) ||
			    is_abbreviation(p->text + p->words[i].start, p->words[i].len) ||
			    correct_word(r, w[i], fixed))
				continue;
			snprintf(w[i], sizeof(w[i]), "%s", fixed);
			spelled++;
		}
	}
	if (!any_dia) {
		accented = restore_accents(r, w, n, out);
		for (size_t i = 0; i < n; i++) {
			const char *typed = p->text + p->words[i].start;
			size_t l = p->words[i].len;
			char f[VB_XAP_TERM_MAX + 1];

			int same = vb_text_fold_buf(typed, l, f, sizeof(f)) < sizeof(f);

			if (same)
				vb_indexdoc_fold_digits(f); /* "08" is "8" in the index */
			if (same && !strcmp(f, out[i]) && l < sizeof(out[i])) {
				/* same letters: keep the typed case ("UBND") */
				memcpy(out[i], typed, l);
				out[i][l] = '\0';
			} else if (typed[0] >= 'A' && typed[0] <= 'Z') {
				capitalise(out[i]);
			}
		}
	} else
		for (size_t i = 0; i < n; i++) {
			/* keep what was typed unless spelling changed it */
			size_t l = p->words[i].len;

			if (vb_text_fold_buf(p->text + p->words[i].start, l, out[i],
					     sizeof(out[i])) < sizeof(out[i]))
				vb_indexdoc_fold_digits(out[i]);
			if (!strcmp(out[i], w[i]) && l < sizeof(out[i])) {
				memcpy(out[i], p->text + p->words[i].start, l);
				out[i][l] = '\0';
			} else {
				copy_word(out[i], sizeof(out[i]), w[i]);
			}
		}
	if (!spelled && !accented)
		return;
	res->suggestion = rewrite(p, out, n);
	res->suggestion_kind = spelled ? "spelling" : "accents";
	if (spelled && res->suggestion) {
		vb_search_req sreq = *req;
		vb_search_result sres;
		vb_error err;

		/* offer a spelling fix only when it finds more */
		sreq.q = res->suggestion;
		sreq.no_suggest = 1;
		sreq.limit = 0;
		sreq.offset = 0;
		vb_search_result_init(&sres);
		if (vb_search_run(r, &sreq, &sres, &err) == 0)
			res->suggestion_total = sres.total;
		if (!(sres.total > res->total ||
		      (res->relaxed && !sres.relaxed && sres.total > 0))) {
			free(res->suggestion);
			res->suggestion = NULL;
			res->suggestion_kind = NULL;
			res->suggestion_total = 0;
		}
		vb_search_result_dispose(&sres);
	}
}
