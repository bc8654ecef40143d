/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's look-ups for the citation resolver and for completion
 * (contract at the end of store.h): documents by exact or partial number
 * key, and by a prefix of their number or of a word of their title.  Every
 * statement is parameterised; user input reaches LIKE only through
 * like_escape(), so '%' and '_' typed by a user match themselves.  The
 * prefix searches use the text_pattern_ops and pg_trgm indexes of
 * sql/002_lookup.sql.
 */
#include "store.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "text.h"


#define BRIEF_COLUMNS \
	"id, number, number_canonical, form, issuer, abstract, " \
	"coalesce(to_char(issue_date, 'YYYY-MM-DD'), ''), status, language"

/* Whether the typed prefix $1 ends at a segment boundary of the key:
 * "5" completes "5/2023/QD-UBND" before "5721/QD-UBND". */
#define NUMBER_WHOLE "substr(number_canonical, length($1) + 1, 1) IN ('/', '-', '')"

/* workflow (sql/011_workflow.sql): withdrawn documents are never looked
 * up or suggested; the planner flattens this into the outer query. */
#define PUBLISHED_DOCUMENTS "(SELECT * FROM documents WHERE state = 'published') documents"
/* Longest key or prefix accepted, bytes. */
#define KEY_MAX 256

void vb_doc_briefs_free(vb_doc_brief *v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].number);
		free(v[i].number_canonical);
		free(v[i].form);
		free(v[i].issuer);
		free(v[i].abstract);
	}
	free(v);
}

static char *col_dup(const PGresult *res, int row, int col, int *oom)
{
	char *s;

	if (PQgetisnull(res, row, col))
		return NULL;
	if (!(s = strdup(PQgetvalue(res, row, col))))
		*oom = 1;
	return s;
}

static void col_copy(char *dst, size_t cap, const PGresult *res, int row, int col)
{
	dst[0] = '\0';
	if (!PQgetisnull(res, row, col))
		snprintf(dst, cap, "%s", PQgetvalue(res, row, col));
}

/* Run a SELECT of BRIEF_COLUMNS and convert its rows. */
static int run_briefs(vb_store *st, const char *sql, int np, const char *const *params,
		      const char *what, vb_doc_brief **out, size_t *n, vb_error *err)
{
	PGresult *res;
	vb_doc_brief *v = NULL;
	int rows, i, oom = 0, rc = 0;

	*out = NULL;
	*n = 0;
	res = PQexecParams(st->conn, sql, np, NULL, params, NULL, NULL, 0);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

		rc = vb_error_set(err, VB_EDB, "could not %s: %s", what,
				  m ? m : PQerrorMessage(st->conn));
		goto out;
	}
	rows = PQntuples(res);
	if (!rows)
		goto out;
	if (!(v = calloc((size_t)rows, sizeof(*v)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < rows; i++) {
		vb_doc_brief *b = &v[i];

		b->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		b->number = col_dup(res, i, 1, &oom);
		b->number_canonical = col_dup(res, i, 2, &oom);
		b->form = col_dup(res, i, 3, &oom);
		b->issuer = col_dup(res, i, 4, &oom);
		b->abstract = col_dup(res, i, 5, &oom);
		col_copy(b->issue_date, sizeof(b->issue_date), res, i, 6);
		col_copy(b->status, sizeof(b->status), res, i, 7);
		col_copy(b->language, sizeof(b->language), res, i, 8);
	}
	if (oom) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		vb_doc_briefs_free(v, (size_t)rows);
		v = NULL;
		goto out;
	}
	*out = v;
	*n = (size_t)rows;
out:
	PQclear(res);
	return rc;
}

/* s with LIKE's metacharacters escaped (backslash is LIKE's default escape),
 * into out.  0 or VB_ETOOBIG. */
static int like_escape(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	for (; *s; s++) {
		if (o + 3 > cap)
			return VB_ETOOBIG;
		if (*s == '%' || *s == '_' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
	return 0;
}

static int check_args(const char *key, size_t max, vb_error *err)
{
	if (!key || !*key)
		return vb_error_set(err, VB_EINVAL, "empty look-up key");
	if (strlen(key) >= KEY_MAX)
		return vb_error_set(err, VB_EINVAL, "look-up key is longer than %d bytes", KEY_MAX - 1);
	if (!max || max > VB_LOOKUP_MAX)
		return vb_error_set(err, VB_EINVAL, "look-up limit must be from 1 to %d",
				    VB_LOOKUP_MAX);
	return 0;
}

int vb_store_find_by_number(vb_store *st, const char *key, int prefix, size_t max,
			    vb_doc_brief **out, size_t *n, vb_error *err)
{
	char esc[KEY_MAX * 2 + 4], dash[KEY_MAX * 2 + 8], slash[KEY_MAX * 2 + 8], lim[24];
	const char *p[4];
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_args(key, max, err)))
		return rc;
	snprintf(lim, sizeof(lim), "%zu", max);
	if (!prefix) {
		p[0] = key;
		p[1] = lim;
		return run_briefs(st,
				  "SELECT " BRIEF_COLUMNS " FROM " PUBLISHED_DOCUMENTS
				  " WHERE number_canonical = $1"
				  " ORDER BY issue_date DESC NULLS LAST, id DESC LIMIT $2::integer",
				  2, p, "look up documents by number", out, n, err);
	}
	if (like_escape(key, esc, sizeof(esc)))
		return vb_error_set(err, VB_EINVAL, "look-up key is too long");
	snprintf(dash, sizeof(dash), "%s-%%", esc);
	snprintf(slash, sizeof(slash), "%s/%%", esc);
	p[0] = key;
	p[1] = dash;
	p[2] = slash;
	p[3] = lim;
	return run_briefs(st,
			  "SELECT " BRIEF_COLUMNS " FROM " PUBLISHED_DOCUMENTS
			  " WHERE number_canonical = $1 OR number_canonical LIKE $2"
			  " OR number_canonical LIKE $3"
			  " ORDER BY number_canonical = $1 DESC, issue_date DESC NULLS LAST, id DESC"
			  " LIMIT $4::integer",
			  4, p, "look up documents by partial number", out, n, err);
}

int vb_store_suggest_numbers(vb_store *st, const char *key_prefix, const char *type,
			     size_t max, vb_doc_brief **out, size_t *n, vb_error *err)
{
	char esc[KEY_MAX * 2 + 4], pat[KEY_MAX * 2 + 8], tesc[KEY_MAX * 2 + 4],
		tpat[KEY_MAX * 2 + 8], lim[24];
	const char *p[4];
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_args(key_prefix, max, err)))
		return rc;
	if (type && strlen(type) >= KEY_MAX)
		return vb_error_set(err, VB_EINVAL, "number type is too long");
	if (like_escape(key_prefix, esc, sizeof(esc)) ||
	    (type && like_escape(type, tesc, sizeof(tesc))))
		return vb_error_set(err, VB_EINVAL, "look-up key is too long");
	snprintf(pat, sizeof(pat), "%s%%", esc);
	snprintf(lim, sizeof(lim), "%zu", max);
	p[0] = key_prefix;
	p[1] = pat;
	p[2] = lim;
	if (type && *type) {
		snprintf(tpat, sizeof(tpat), "%%/%s%%", tesc);
		p[3] = tpat;
		return run_briefs(st,
				  "SELECT " BRIEF_COLUMNS " FROM " PUBLISHED_DOCUMENTS
				  " WHERE number_canonical LIKE $2 AND number_canonical LIKE $4"
				  " ORDER BY number_canonical = $1 DESC," NUMBER_WHOLE " DESC, length(number_canonical),"
				  " issue_date DESC NULLS LAST, id DESC LIMIT $3::integer",
				  4, p, "complete a document number", out, n, err);
	}
	return run_briefs(st,
			  "SELECT " BRIEF_COLUMNS " FROM " PUBLISHED_DOCUMENTS
			  " WHERE number_canonical LIKE $2"
			  " ORDER BY number_canonical = $1 DESC," NUMBER_WHOLE " DESC, length(number_canonical),"
			  " issue_date DESC NULLS LAST, id DESC LIMIT $3::integer",
			  3, p, "complete a document number", out, n, err);
}

int vb_store_suggest_titles(vb_store *st, const char *folded_prefix, size_t max,
			    vb_doc_brief **out, size_t *n, vb_error *err)
{
	char esc[KEY_MAX * 2 + 4], start[KEY_MAX * 2 + 8], inner[KEY_MAX * 2 + 8], lim[24];
	const char *p[3];
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_args(folded_prefix, max, err)))
		return rc;
	if (like_escape(folded_prefix, esc, sizeof(esc)))
		return vb_error_set(err, VB_EINVAL, "look-up key is too long");
	snprintf(start, sizeof(start), "%s%%", esc);
	snprintf(inner, sizeof(inner), "%% %s%%", esc);
	snprintf(lim, sizeof(lim), "%zu", max);
	p[0] = start;
	p[1] = inner;
	p[2] = lim;
	return run_briefs(st,
			  "SELECT " BRIEF_COLUMNS " FROM " PUBLISHED_DOCUMENTS
			  " WHERE abstract_folded LIKE $1 OR abstract_folded LIKE $2"
			  " ORDER BY abstract_folded LIKE $1 DESC, issue_date DESC NULLS LAST, id DESC"
			  " LIMIT $3::integer",
			  3, p, "complete a title", out, n, err);
}

size_t vb_store_fold_words(const char *s, char *out, size_t cap)
{
	char *f;
	size_t i, o = 0, total = 0;
	int space = 0;

	if (cap)
		out[0] = '\0';
	if (!s)
		return 0;
	if (!(f = vb_text_fold(s, strlen(s))))
		return (size_t)-1;
	for (i = 0; f[i]; i++) {
		unsigned char c = (unsigned char)f[i];
		int keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
			keep = 1;
		}
		if (!keep) {
			space = total > 0;
			continue;
		}
		if (space) {
			if (o + 1 < cap)
				out[o++] = ' ';
			total++;
			space = 0;
		}
		if (o + 1 < cap)
			out[o++] = (char)c;
		total++;
	}
	if (cap)
		out[o < cap ? o : cap - 1] = '\0';
	free(f);
	return total;
}
