/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search query language: a parser from the text a user types to a
 * small syntax tree that query.c turns into Xapian queries.
 *
 *   word word          both (implicit AND; OR fallback when nothing has all)
 *   "cong thong tin"   phrase (accented or not; also “curly” quotes)
 *   a AND b, a OR b    explicit operators (upper case only); AND binds
 *                      tighter than OR; parentheses group
 *   NOT a, -a          exclusion
 *   so:/number:        document number          so:05/2023/QĐ-UBND
 *   coquan:/issuer:    issuing body (words)     coquan:"Bộ Tài chính"
 *   loai:/form:        kind of document         loai:"quyết định", loai:QĐ
 *   nam:/year:         year or range            nam:2023, nam:2020..2023
 *   ngay:/date:        issue date or range      ngay:2023-01-01..2023-12-31,
 *                      (YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY; an open
 *                      end: ngay:2023-06-01.. or ngay:..2020)
 *   tinhtrang:/status: validity                 tinhtrang:"còn hiệu lực",
 *                                               status:in_force
 *
 * Field names are matched folded (ngày: = ngay:).  An unknown "xxx:" is
 * ordinary text.  A malformed query (unbalanced quotes or parentheses, an
 * operator without operand, a bad field value, nesting or size beyond the
 * limits) is not an error: the whole query is re-read as plain words and a
 * warning says why.  Pure, thread-safe, no allocation besides the parse
 * structure itself.
 */
#ifndef VB_QPARSE_H
#define VB_QPARSE_H

#include <stddef.h>

#include "error.h"

#define VB_QPARSE_MAX_BYTES 1024   /* longer input: cut, with a warning */
#define VB_QPARSE_MAX_WORDS 32     /* words in all (terms and phrases) */
#define VB_QPARSE_MAX_NODES 96
#define VB_QPARSE_MAX_DEPTH 8      /* nesting of parentheses / NOT */
#define VB_QPARSE_MAX_WARNINGS 4

enum vb_qnode_type {
	VB_QN_TERM = 0,  /* one word: word */
	VB_QN_PHRASE,    /* words[word .. word + n_words) */
	VB_QN_FIELD,     /* field restriction */
	VB_QN_AND,       /* children */
	VB_QN_OR,        /* children */
	VB_QN_NOT        /* one child; under AND: excluded from the others */
};

enum vb_qfield {
	VB_QF_NUMBER = 0,
	VB_QF_ISSUER,
	VB_QF_FORM,
	VB_QF_YEAR,      /* lo/hi "YYYY" */
	VB_QF_DATE,      /* lo/hi "YYYYMMDD" */
	VB_QF_STATUS     /* value: status code */
};

typedef struct vb_qspan {
	size_t start, len;   /* bytes in vb_qparse.text */
} vb_qspan;

typedef struct vb_qnode {
	enum vb_qnode_type type;
	int child;           /* first child (AND/OR/NOT), -1 if none */
	int next;            /* next sibling, -1 at the end */
	size_t word;         /* TERM: index in words; PHRASE: first word */
	size_t n_words;      /* PHRASE */
	enum vb_qfield field;
	vb_qspan value;      /* FIELD: the value as typed (NUMBER, ISSUER, FORM) */
	char lo[9], hi[9];   /* FIELD YEAR/DATE: bounds, "" = open */
	const char *status;  /* FIELD STATUS: static code */
} vb_qnode;

typedef struct vb_qwarning {
	char code[24];       /* "syntax", "truncated", "field" ... */
	char msg[160];       /* English, for logs and API clients */
} vb_qwarning;

typedef struct vb_qparse {
	char *text;          /* normalised query (owned) */
	vb_qnode nodes[VB_QPARSE_MAX_NODES];
	size_t n_nodes;
	int root;            /* -1: empty query */
	vb_qspan words[VB_QPARSE_MAX_WORDS];
	size_t n_words;
	unsigned char joined[VB_QPARSE_MAX_WORDS]; /* 1: word i and word i + 1
				are written as one token, joined by '-', '/',
				'.' ... without space (KT-XH, 01/2024/CT-UBND);
				synonyms never match part of such a token */
	int plain;           /* 1: degraded to plain words */
	vb_qwarning warnings[VB_QPARSE_MAX_WARNINGS];
	size_t n_warnings;
} vb_qparse;

/* Parse len bytes of q (any UTF-8; normalised with vb_text_normalize) into
 * p (caller-owned; release with vb_qparse_dispose, also after an error).
 * Syntax problems never fail: they set p->plain and add a warning.
 * VB_ENOMEM only. */
int vb_qparse_run(vb_qparse *p, const char *q, size_t len, vb_error *err);
void vb_qparse_dispose(vb_qparse *p);

/* Node i (borrowed). */
const vb_qnode *vb_qparse_node(const vb_qparse *p, int i);

/* A readable rendering of the tree for tests and debugging, e.g.
 * (AND "quyet" (NOT "x") (PHRASE "cong" "thong") date:20230101..20231231)
 * into buf (snprintf semantics, always NUL-terminated). */
void vb_qparse_describe(const vb_qparse *p, char *buf, size_t bufsz);

#endif
