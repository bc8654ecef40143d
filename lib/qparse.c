/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Query language parser (contract and grammar in qparse.h): a lexer over the
 * normalised query, a recursive-descent parser with bounded depth, node and
 * word counts, and a fallback that re-reads a malformed query as plain words
 * with a warning.
 *
 *   or    := and ("OR" and)*
 *   and   := unary (["AND"] unary)*
 *   unary := ("NOT" | "-") unary | "(" or ")" | phrase | field | words
 */
#include "qparse.h"

#include "document.h"
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEXEMES 256

enum lt { L_WORDS, L_PHRASE, L_FIELD, L_LP, L_RP, L_AND, L_OR, L_NOT, L_END };

typedef struct lexeme {
	enum lt t;
	size_t start, len;     /* the token; for L_FIELD / L_PHRASE the value */
	enum vb_qfield field;
} lexeme;

typedef struct parser {
	vb_qparse *p;
	lexeme lx[MAX_LEXEMES + 1];
	size_t n, pos;
	int depth;
	int failed;            /* a syntax problem: degrade */
	char why[120];
	int nomem;
} parser;

static const struct {
	const char *name;
	enum vb_qfield field;
} field_names[] = {
	{ "so", VB_QF_NUMBER }, { "number", VB_QF_NUMBER }, { "sohieu", VB_QF_NUMBER },
	{ "coquan", VB_QF_ISSUER }, { "issuer", VB_QF_ISSUER },
	{ "loai", VB_QF_FORM }, { "form", VB_QF_FORM }, { "type", VB_QF_FORM },
	{ "nam", VB_QF_YEAR }, { "year", VB_QF_YEAR },
	{ "ngay", VB_QF_DATE }, { "date", VB_QF_DATE },
	{ "tinhtrang", VB_QF_STATUS }, { "status", VB_QF_STATUS },
	{ "hieuluc", VB_QF_STATUS },
};

static void add_warning(vb_qparse *p, const char *code, const char *fmt, ...)
{
	va_list ap;
	vb_qwarning *w;

	if (p->n_warnings >= VB_QPARSE_MAX_WARNINGS)
		return;
	w = &p->warnings[p->n_warnings++];
	snprintf(w->code, sizeof(w->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

static void fail(parser *ps, const char *why)
{
	if (!ps->failed)
		snprintf(ps->why, sizeof(ps->why), "%s", why);
	ps->failed = 1;
}

/* ------------------------------------------------------------------ */
/* Lexer */

/* Length of a quote character at s (ASCII " or curly quotes), or 0. */
static size_t quote_len(const char *s, size_t left)
{
	if (left >= 1 && s[0] == '"')
		return 1;
	if (left >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D ||
	     (unsigned char)s[2] == 0x9E))
		return 3;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The field named by len bytes at s (folded), or -1. */
static int field_lookup(const char *s, size_t len)
{
	char buf[32];
	size_t n;

	if (len == 0 || len > 24)
		return -1;
	n = vb_text_fold_buf(s, len, buf, sizeof(buf));
	if (n >= sizeof(buf))
		return -1;
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (!strcmp(buf, field_names[i].name))
			return (int)field_names[i].field;
	return -1;
}

static int push(parser *ps, enum lt t, size_t start, size_t len)
{
	if (ps->n >= MAX_LEXEMES) {
		fail(ps, "the query has too many parts");
		return -1;
	}
	ps->lx[ps->n].t = t;
	ps->lx[ps->n].start = start;
	ps->lx[ps->n].len = len;
	ps->n++;
	return 0;
}

/* Read a quoted string starting at i (at the opening quote); sets the
 * content span and returns the index after the closing quote, or 0 when
 * unclosed. */
static size_t read_quoted(const char *s, size_t n, size_t i, size_t *start, size_t *len)
{
	size_t q = quote_len(s + i, n - i), j;

	*start = i + q;
	for (j = *start; j < n; j++) {
		size_t ql = quote_len(s + j, n - j);

		if (ql) {
			*len = j - *start;
			return j + ql;
		}
	}
	return 0;
}

static void lex(parser *ps)
{
	const char *s = ps->p->text;
	size_t n = strlen(s), i = 0;

	while (i < n && !ps->failed) {
		size_t j, q;

		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '(' || s[i] == ')') {
			push(ps, s[i] == '(' ? L_LP : L_RP, i, 1);
			i++;
			continue;
		}
		if (quote_len(s + i, n - i)) {
			size_t st, ln;

			j = read_quoted(s, n, i, &st, &ln);
			if (!j) {
				fail(ps, "a quote is not closed");
				return;
			}
			push(ps, L_PHRASE, st, ln);
			i = j;
			continue;
		}
		if ((s[i] == '-' || s[i] == '+') && i + 1 < n && !is_space(s[i + 1]) &&
		    s[i + 1] != '-' && s[i + 1] != ')') {
			if (s[i] == '-')
				push(ps, L_NOT, i, 1);
			i++;
			continue;
		}
		for (j = i; j < n && !is_space(s[j]) && s[j] != '(' && s[j] != ')' &&
			    !quote_len(s + j, n - j); j++)
			;
		if (j - i == 3 && !memcmp(s + i, "AND", 3)) {
			push(ps, L_AND, i, 3);
		} else if (j - i == 2 && !memcmp(s + i, "OR", 2)) {
			push(ps, L_OR, i, 2);
		} else if (j - i == 3 && !memcmp(s + i, "NOT", 3)) {
			push(ps, L_NOT, i, 3);
		} else {
			const char *colon = memchr(s + i, ':', j - i);
			int f = colon ? field_lookup(s + i, (size_t)(colon - (s + i))) : -1;

			if (f < 0) {
				push(ps, L_WORDS, i, j - i);
			} else {
				size_t vs = (size_t)(colon - s) + 1, vl = j - vs;

				if (vl == 0 && (q = quote_len(s + j, n - j))) {
					size_t e = read_quoted(s, n, j, &vs, &vl);

					if (!e) {
						fail(ps, "a quote is not closed");
						return;
					}
					j = e;
				}
				if (vl == 0) {
					fail(ps, "a field has no value");
					return;
				}
				if (push(ps, L_FIELD, vs, vl) == 0)
					ps->lx[ps->n - 1].field = (enum vb_qfield)f;
			}
		}
		i = j;
	}
	ps->lx[ps->n].t = L_END;
}

/* ------------------------------------------------------------------ */
/* Nodes and words */

static int new_node(parser *ps, enum vb_qnode_type t)
{
	vb_qparse *p = ps->p;
	vb_qnode *nd;

	if (p->n_nodes >= VB_QPARSE_MAX_NODES) {
		fail(ps, "the query is too complex");
		return -1;
	}
	nd = &p->nodes[p->n_nodes];
	memset(nd, 0, sizeof(*nd));
	nd->type = t;
	nd->child = -1;
	nd->next = -1;
	return (int)p->n_nodes++;
}

static void add_child(vb_qparse *p, int parent, int child)
{
	int *link = &p->nodes[parent].child;

	while (*link >= 0)
		link = &p->nodes[*link].next;
	*link = child;
}

typedef struct wctx {
	parser *ps;
	size_t base;    /* offset of the tokenised span in p->text */
	size_t first, n;
} wctx;

static int add_word_cb(const char *s, const vb_token *tok, void *ud)
{
	wctx *c = ud;
	vb_qparse *p = c->ps->p;
	char f[8];

	(void)s;
	/* a token that folds to nothing (e.g. a lone mark) is not a word */
	if (vb_text_fold_buf(s + tok->start, tok->len, f, sizeof(f)) == 0)
		return 0;
	if (p->n_words >= VB_QPARSE_MAX_WORDS) {
		fail(c->ps, "the query has too many words");
		return 1;
	}
	p->words[p->n_words].start = c->base + tok->start;
	p->words[p->n_words].len = tok->len;
	p->n_words++;
	c->n++;
	return 0;
}

/* Split the span into words appended to p->words; *first and *n get the
 * range. */
static void split_words(parser *ps, size_t start, size_t len, size_t *first, size_t *n)
{
	wctx c = { ps, start, ps->p->n_words, 0 };

	vb_text_tokenize(ps->p->text + start, len, add_word_cb, &c);
	*first = c.first;
	*n = c.n;
}

/* ------------------------------------------------------------------ */
/* Field values */

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	/* More than 9 digits would overflow an int ("ngay:888...8/02", found
	 * by fuzz/fuzz_qparse); no date part is that long. */
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* One date bound: YYYY, YYYY-MM, YYYY-MM-DD, MM/YYYY or DD/MM/YYYY into
 * "YYYYMMDD"; a lower bound starts its year/month, an upper one ends it. */
static int date_bound(const char *s, size_t n, int upper, char out[9])
{
	int y = 0, m = 0, d = 0;
	const char *a = memchr(s, '/', n);

	if (n == 4 && !digits(s, 4, &y)) {
		m = upper ? 12 : 1;
		d = upper ? 31 : 1;
	} else if (n == 7 && s[4] == '-' && !digits(s, 4, &y) && !digits(s + 5, 2, &m)) {
		d = upper ? 31 : 1;
	} else if (n == 10 && s[4] == '-' && s[7] == '-' && !digits(s, 4, &y) &&
		   !digits(s + 5, 2, &m) && !digits(s + 8, 2, &d)) {
		;
	} else if (a) {
		const char *b = memchr(a + 1, '/', n - (size_t)(a + 1 - s));
		size_t l1 = (size_t)(a - s);

		if (b) {
			if (digits(s, l1, &d) || digits(a + 1, (size_t)(b - a - 1), &m) ||
			    (size_t)(s + n - b - 1) != 4 || digits(b + 1, 4, &y))
				return -1;
		} else {
			if (digits(s, l1, &m) || (size_t)(s + n - a - 1) != 4 ||
			    digits(a + 1, 4, &y))
				return -1;
			d = upper ? 31 : 1;
		}
	} else {
		return -1;
	}
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	snprintf(out, 9, "%04d%02d%02d", y, m, d);
	return 0;
}

/* A range "A..B", "A..", "..B" or a single value A (both bounds). */
static int range(const char *s, size_t n, int year, char lo[9], char hi[9])
{
	const char *dots = NULL;

	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			dots = s + i;
			break;
		}
	if (!dots && year && n == 9 && s[4] == '-') /* nam:2020-2023 */
		dots = s + 4;
	lo[0] = hi[0] = '\0';
	if (!dots) {
		if (year) {
			int y;

			if (n != 4 || digits(s, 4, &y) || y < 1000)
				return -1;
			memcpy(lo, s, 4);
			lo[4] = '\0';
			memcpy(hi, lo, 5);
			return 0;
		}
		return date_bound(s, n, 0, lo) || date_bound(s, n, 1, hi) ? -1 : 0;
	}
	{
		size_t l1 = (size_t)(dots - s);
		size_t skip = dots[0] == '.' ? 2 : 1;
		const char *b = dots + skip;
		size_t l2 = n - l1 - skip;
		int y;

		if (!l1 && !l2)
			return -1;
		if (year) {
			if ((l1 && (l1 != 4 || digits(s, 4, &y))) ||
			    (l2 && (l2 != 4 || digits(b, 4, &y))))
				return -1;
			if (l1) {
				memcpy(lo, s, 4);
				lo[4] = '\0';
			}
			if (l2) {
				memcpy(hi, b, 4);
				hi[4] = '\0';
			}
		} else if ((l1 && date_bound(s, l1, 0, lo)) || (l2 && date_bound(b, l2, 1, hi))) {
			return -1;
		}
		if (lo[0] && hi[0] && strcmp(lo, hi) > 0)
			return -1;
	}
	return 0;
}

static const struct {
	const char *folded;
	const char *code;
} status_words[] = {
	{ "con hieu luc", VB_STATUS_IN_FORCE }, { "dang hieu luc", VB_STATUS_IN_FORCE },
	{ "hieu luc", VB_STATUS_IN_FORCE }, { "in force", VB_STATUS_IN_FORCE },
	{ "het hieu luc", VB_STATUS_EXPIRED }, { "het hieu luc toan bo", VB_STATUS_EXPIRED },
	{ "het hieu luc mot phan", VB_STATUS_PARTLY_EXPIRED },
	{ "chua co hieu luc", VB_STATUS_NOT_YET }, { "ngung hieu luc", VB_STATUS_SUSPENDED },
	{ "chua xac dinh", VB_STATUS_UNKNOWN },
};

static const char *status_value(const char *s, size_t n)
{
	char buf[64], fb[64];
	const char *code;
	size_t k;

	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((code = vb_status_code(buf)))
		return code;
	for (k = 0; k < n; k++)
		if (buf[k] == '_' || buf[k] == '-')
			buf[k] = ' ';
	if ((code = vb_status_code(buf)))
		return code;
	if (vb_text_fold_buf(buf, n, fb, sizeof(fb)) >= sizeof(fb))
		return NULL;
	for (k = 0; k < sizeof(status_words) / sizeof(status_words[0]); k++)
		if (!strcmp(fb, status_words[k].folded))
			return status_words[k].code;
	return NULL;
}

static int field_node(parser *ps, const lexeme *l)
{
	vb_qparse *p = ps->p;
	const char *v = p->text + l->start;
	int i = new_node(ps, VB_QN_FIELD);
	vb_qnode *nd;

	if (i < 0)
		return -1;
	nd = &p->nodes[i];
	nd->field = l->field;
	nd->value.start = l->start;
	nd->value.len = l->len;
	switch (l->field) {
	case VB_QF_YEAR:
	case VB_QF_DATE:
		if (range(v, l->len, l->field == VB_QF_YEAR, nd->lo, nd->hi)) {
			fail(ps, l->field == VB_QF_YEAR ? "a year is not valid (nam:2023, nam:2020..2023)"
				 : "a date is not valid (ngay:2023-01-01..2023-12-31)");
			return -1;
		}
		break;
	case VB_QF_STATUS:
		if (!(nd->status = status_value(v, l->len))) {
			fail(ps, "a status is not known (tinhtrang:\"còn hiệu lực\", status:expired)");
			return -1;
		}
		break;
	default:
		break;
	}
	return i;
}

/* ------------------------------------------------------------------ */
/* Parser */

static enum lt peek(parser *ps)
{
	return ps->lx[ps->pos].t;
}

static int parse_or(parser *ps);

static int parse_unary(parser *ps)
{
	lexeme *l = &ps->lx[ps->pos];
	int i, c;

	if (ps->failed)
		return -1;
	switch (l->t) {
	case L_NOT:
		ps->pos++;
		if (++ps->depth > VB_QPARSE_MAX_DEPTH) {
			fail(ps, "the query is nested too deeply");
			return -1;
		}
		c = parse_unary(ps);
		ps->depth--;
		if (c < 0) {
			fail(ps, "NOT has nothing to exclude");
			return -1;
		}
		if ((i = new_node(ps, VB_QN_NOT)) < 0)
			return -1;
		add_child(ps->p, i, c);
		return i;
	case L_LP:
		ps->pos++;
		if (++ps->depth > VB_QPARSE_MAX_DEPTH) {
			fail(ps, "the query is nested too deeply");
			return -1;
		}
		c = parse_or(ps);
		ps->depth--;
		if (ps->failed)
			return -1;
		if (peek(ps) != L_RP) {
			fail(ps, "a parenthesis is not closed");
			return -1;
		}
		ps->pos++;
		if (c < 0)
			fail(ps, "empty parentheses");
		return c;
	case L_FIELD:
		ps->pos++;
		return field_node(ps, l);
	case L_PHRASE:
	case L_WORDS: {
		size_t first, n;

		ps->pos++;
		split_words(ps, l->start, l->len, &first, &n);
		if (ps->failed || n == 0)
			return -1;
		if (n == 1) {
			if ((i = new_node(ps, VB_QN_TERM)) < 0)
				return -1;
			ps->p->nodes[i].word = first;
			return i;
		}
		if ((i = new_node(ps, VB_QN_PHRASE)) < 0)
			return -1;
		ps->p->nodes[i].word = first;
		ps->p->nodes[i].n_words = n;
		return i;
	}
	default:
		return -1;
	}
}

static int parse_and(parser *ps)
{
	int kids[MAX_LEXEMES];
	size_t nk = 0;
	int i;

	for (;;) {
		enum lt t = peek(ps);

		if (ps->failed)
			return -1;
		if (t == L_END || t == L_RP || t == L_OR)
			break;
		if (t == L_AND) {
			enum lt after;

			ps->pos++;
			after = peek(ps);
			if (!nk || after == L_END || after == L_RP || after == L_OR || after == L_AND) {
				fail(ps, "AND needs a word on each side");
				return -1;
			}
			continue;
		}
		if (t == L_WORDS) {
			/* plain words are separate terms (synonym runs span them) */
			lexeme *l = &ps->lx[ps->pos];
			size_t first, n;

			ps->pos++;
			split_words(ps, l->start, l->len, &first, &n);
			for (size_t k = 0; k < n && !ps->failed; k++) {
				if ((i = new_node(ps, VB_QN_TERM)) < 0)
					return -1;
				ps->p->nodes[i].word = first + k;
				kids[nk++] = i;
			}
			continue;
		}
		i = parse_unary(ps);
		if (i >= 0 && nk < MAX_LEXEMES)
			kids[nk++] = i;
	}
	if (ps->failed || nk == 0)
		return -1;
	if (nk == 1)
		return kids[0];
	if ((i = new_node(ps, VB_QN_AND)) < 0)
		return -1;
	for (size_t k = 0; k < nk; k++)
		add_child(ps->p, i, kids[k]);
	return i;
}

static int parse_or(parser *ps)
{
	int first = parse_and(ps), node = -1;

	while (!ps->failed && peek(ps) == L_OR) {
		int c;

		ps->pos++;
		if (first < 0 && node < 0) {
			fail(ps, "OR needs a word on each side");
			return -1;
		}
		c = parse_and(ps);
		if (c < 0) {
			fail(ps, "OR needs a word on each side");
			return -1;
		}
		if (node < 0) {
			if ((node = new_node(ps, VB_QN_OR)) < 0)
				return -1;
			add_child(ps->p, node, first);
		}
		add_child(ps->p, node, c);
	}
	return node >= 0 ? node : first;
}

/* ------------------------------------------------------------------ */
/* Plain fallback */

typedef struct plain_ctx {
	vb_qparse *p;
	int truncated;
} plain_ctx;

static int plain_word(const char *s, const vb_token *tok, void *ud)
{
	plain_ctx *c = ud;
	vb_qparse *p = c->p;
	const char *w = s + tok->start;
	char f[8];

	if (vb_text_fold_buf(w, tok->len, f, sizeof(f)) == 0)
		return 0;
	/* operators and known field names before ':' are syntax, not words */
	if ((tok->len == 2 && !memcmp(w, "OR", 2)) ||
	    (tok->len == 3 && (!memcmp(w, "AND", 3) || !memcmp(w, "NOT", 3))))
		return 0;
	if (w[tok->len] == ':' && field_lookup(w, tok->len) >= 0)
		return 0;
	if (p->n_words >= VB_QPARSE_MAX_WORDS) {
		c->truncated = 1;
		return 1;
	}
	p->words[p->n_words].start = tok->start;
	p->words[p->n_words].len = tok->len;
	p->n_words++;
	return 0;
}

static void parse_plain(vb_qparse *p)
{
	plain_ctx c = { p, 0 };
	int and_node = -1;

	p->plain = 1;
	p->n_nodes = 0;
	p->n_words = 0;
	p->root = -1;
	vb_text_tokenize(p->text, strlen(p->text), plain_word, &c);
	if (c.truncated)
		add_warning(p, "truncated", "only the first %d words of the query were searched",
			    VB_QPARSE_MAX_WORDS);
	for (size_t k = 0; k < p->n_words && p->n_nodes + 1 < VB_QPARSE_MAX_NODES; k++) {
		vb_qnode *nd = &p->nodes[p->n_nodes];

		memset(nd, 0, sizeof(*nd));
		nd->type = VB_QN_TERM;
		nd->child = nd->next = -1;
		nd->word = k;
		p->n_nodes++;
	}
	if (p->n_nodes == 1) {
		p->root = 0;
	} else if (p->n_nodes > 1) {
		and_node = (int)p->n_nodes++;
		memset(&p->nodes[and_node], 0, sizeof(vb_qnode));
		p->nodes[and_node].type = VB_QN_AND;
		p->nodes[and_node].next = -1;
		p->nodes[and_node].child = 0;
		for (int k = 0; k + 1 < and_node; k++)
			p->nodes[k].next = k + 1;
		p->root = and_node;
	}
}

/* ------------------------------------------------------------------ */

/* p->joined: adjacent words with only punctuation between them (no space,
 * quote or parenthesis). */
static void mark_joined(vb_qparse *p)
{
	for (size_t i = 0; i + 1 < p->n_words; i++) {
		size_t a = p->words[i].start + p->words[i].len, b = p->words[i + 1].start;

		p->joined[i] = 0;
		if (b < a)
			continue;
		p->joined[i] = 1;
		for (size_t k = a; k < b; k++)
			if (is_space(p->text[k]) || p->text[k] == '(' || p->text[k] == ')' ||
			    quote_len(p->text + k, b - k)) {
				p->joined[i] = 0;
				break;
			}
	}
}

int vb_qparse_run(vb_qparse *p, const char *q, size_t len, vb_error *err)
{
	parser *ps = NULL;

	memset(p, 0, sizeof(*p));
	p->root = -1;
	if (!q)
		q = "";
	if (len > VB_QPARSE_MAX_BYTES) {
		len = VB_QPARSE_MAX_BYTES;
		while (len > 0 && ((unsigned char)q[len] & 0xC0) == 0x80)
			len--;
		add_warning(p, "truncated", "the query was cut to %d bytes", VB_QPARSE_MAX_BYTES);
	}
	if (!(p->text = vb_text_normalize(q, len)) || !(ps = calloc(1, sizeof(*ps)))) {
		free(ps);
		return vb_error_set(err, VB_ENOMEM, "could not parse query: out of memory");
	}
	ps->p = p;
	lex(ps);
	if (!ps->failed) {
		p->root = parse_or(ps);
		if (!ps->failed && peek(ps) != L_END)
			fail(ps, peek(ps) == L_RP ? "a parenthesis is not opened"
				 : "the query could not be read");
	}
	if (ps->failed) {
		add_warning(p, "syntax", "%s: searched as plain words", ps->why);
		parse_plain(p);
	}
	mark_joined(p);
	free(ps);
	return 0;
}

void vb_qparse_dispose(vb_qparse *p)
{
	if (!p)
		return;
	free(p->text);
	p->text = NULL;
}

const vb_qnode *vb_qparse_node(const vb_qparse *p, int i)
{
	return i >= 0 && (size_t)i < p->n_nodes ? &p->nodes[i] : NULL;
}

/* ------------------------------------------------------------------ */
/* Description */

typedef struct dbuf {
	char *b;
	size_t sz, at;
} dbuf;

static void dput(dbuf *d, const char *s, size_t n)
{
	for (size_t i = 0; i < n && d->at + 1 < d->sz; i++)
		d->b[d->at++] = s[i];
	if (d->sz)
		d->b[d->at] = '\0';
}

static void dputs(dbuf *d, const char *s)
{
	dput(d, s, strlen(s));
}

static void dword(dbuf *d, const vb_qparse *p, size_t w)
{
	char f[VB_WORD_MAX_BYTES * 2 + 1];
	size_t n = vb_text_fold_buf(p->text + p->words[w].start, p->words[w].len, f,
				    sizeof(f));

	if (n >= sizeof(f))
		n = sizeof(f) - 1;
	dputs(d, "\"");
	dput(d, f, n);
	dputs(d, "\"");
}

static const char *field_tag[] = { "so", "coquan", "loai", "nam", "ngay", "tinhtrang" };

static void describe(dbuf *d, const vb_qparse *p, int i)
{
	const vb_qnode *nd = vb_qparse_node(p, i);

	if (!nd)
		return;
	switch (nd->type) {
	case VB_QN_TERM:
		dword(d, p, nd->word);
		return;
	case VB_QN_PHRASE:
		dputs(d, "(PHRASE");
		for (size_t k = 0; k < nd->n_words; k++) {
			dputs(d, " ");
			dword(d, p, nd->word + k);
		}
		dputs(d, ")");
		return;
	case VB_QN_FIELD:
		dputs(d, field_tag[nd->field]);
		dputs(d, ":");
		if (nd->field == VB_QF_YEAR || nd->field == VB_QF_DATE) {
			dputs(d, nd->lo);
			dputs(d, "..");
			dputs(d, nd->hi);
		} else if (nd->field == VB_QF_STATUS) {
			dputs(d, nd->status);
		} else {
			dputs(d, "\"");
			dput(d, p->text + nd->value.start, nd->value.len);
			dputs(d, "\"");
		}
		return;
	default:
		dputs(d, nd->type == VB_QN_AND ? "(AND" : nd->type == VB_QN_OR ? "(OR" : "(NOT");
		for (int c = nd->child; c >= 0; c = p->nodes[c].next) {
			dputs(d, " ");
			describe(d, p, c);
		}
		dputs(d, ")");
	}
}

void vb_qparse_describe(const vb_qparse *p, char *buf, size_t bufsz)
{
	dbuf d = { buf, bufsz, 0 };

	if (bufsz)
		buf[0] = '\0';
	if (p->root < 0)
		dputs(&d, "(EMPTY)");
	else
		describe(&d, p, p->root);
}
