/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/suggest?q=&limit=: completion as the user types, answered
 * from PostgreSQL (lib/store_lookup.c) with one or two indexed queries:
 *  - numbers: when q starts like a document number ("05/20", "2828/QĐ",
 *    or a form first: "QĐ 05"), documents whose canonical number key
 *    starts with q's key (lib/docnum.h);
 *  - titles: documents whose folded abstract starts with q folded, or has
 *    a word that does ("cong thong" completes "... Cổng thông tin ...");
 *    when q carries diacritics, titles spelled exactly like it come first.
 * Answer: {"q", "results":[{id, uri, number, form, abstract, issue_date,
 * kind:"number"|"title", label}]}, numbers first, no document twice.
 * limit: 1-20, default 8.  An empty q answers an empty list.
 */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "docnum.h"
#include "text.h"

#define SUGGEST_DEFAULT 8
#define SUGGEST_MAX 20
#define SUGGEST_Q_MAX 256
#define LABEL_MAX 160

struct suggest_args {
	const char *q, *limit;
	int nq, nlimit;
	char bad[32];
};

static enum MHD_Result args_cb(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct suggest_args *a = cls;

	(void)kind;
	if (key && !strcmp(key, "q")) {
		a->q = value ? value : "";
		a->nq++;
	} else if (key && !strcmp(key, "limit")) {
		a->limit = value ? value : "";
		a->nlimit++;
	} else if (!a->bad[0]) {
		vb_params_key_shown(a->bad, sizeof(a->bad), key && *key ? key : "?");
	}
	return MHD_YES;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* s cut to at most max bytes at a character boundary, with "…" when cut. */
static void cut_label(char *out, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n < cap && n <= LABEL_MAX) {
		memcpy(out, s, n + 1);
		return;
	}
	n = LABEL_MAX < cap - 4 ? LABEL_MAX : cap - 4;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, s, n);
	memcpy(out + n, "\xe2\x80\xa6", 4); /* U+2026 and NUL */
}

static json_t *result_json(const vb_doc_brief *b, const char *kind)
{
	char uri[48], label[LABEL_MAX + 8], tmp[LABEL_MAX * 2];
	json_t *o = json_object();

	if (!o)
		return NULL;
	snprintf(uri, sizeof(uri), "/documents/%lld", (long long)b->id);
	if (!strcmp(kind, "number"))
		snprintf(tmp, sizeof(tmp), "%s%s%s", b->number ? b->number : "",
			 b->abstract ? " \xe2\x80\x93 " : "", b->abstract ? b->abstract : "");
	else
		snprintf(tmp, sizeof(tmp), "%s", b->abstract ? b->abstract : "");
	/* snprintf may have cut a character: cut_label backs up to a boundary */
	cut_label(label, sizeof(label), tmp);
	json_object_set_new(o, "id", json_integer(b->id));
	json_object_set_new(o, "uri", json_string(uri));
	json_object_set_new(o, "number", str_or_null(b->number));
	json_object_set_new(o, "form", str_or_null(b->form));
	json_object_set_new(o, "abstract", str_or_null(b->abstract));
	json_object_set_new(o, "issue_date", str_or_null(b->issue_date));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "label", json_string(label));
	return o;
}

/* Lower-case NFC of s, for "spelled exactly like q" (new string or NULL). */
static char *lower_nfc(const char *s)
{
	char *n = vb_text_normalize(s, strlen(s)), *out;
	size_t i = 0, o = 0, len;

	if (!n)
		return NULL;
	len = strlen(n);
	if (!(out = malloc(len * 2 + 1))) { /* lower case never needs more than 2x here */
		free(n);
		return NULL;
	}
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)n + i,
						      (utf8proc_ssize_t)(len - i), &c);

		if (k <= 0) {
			i++;
			continue;
		}
		o += (size_t)utf8proc_encode_char(utf8proc_tolower(c), (utf8proc_uint8_t *)out + o);
		i += (size_t)k;
	}
	out[o] = '\0';
	free(n);
	return out;
}

/* The number key prefix and type hint for q, or 0 when q does not start
 * like a number. */
static int number_prefix(const char *q, char *prefix, size_t cap, char *type, size_t tcap)
{
	vb_docnum_keys k;
	const char *end = q + strlen(q);
	int n;

	type[0] = '\0';
	if (vb_docnum_split(&k, q))
		return 0;
	while (end > q && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (k.partial) {
		/* "QĐ 05/20" has the key "5/20/QD": complete "5/20" among the
		 * numbers of type QD */
		const char *abbr = strrchr(k.key, '/');

		if (!abbr || abbr == k.key || (size_t)(abbr - k.key) >= cap)
			return 0;
		memcpy(prefix, k.key, (size_t)(abbr - k.key));
		prefix[abbr - k.key] = '\0';
		snprintf(type, tcap, "%s", abbr + 1);
		return 1;
	}
	if (!k.key[0] || k.key[0] < '0' || k.key[0] > '9')
		return 0;
	/* a separator typed last is part of what the user means: "05/" */
	n = snprintf(prefix, cap, "%s%s", k.key,
		     end > q && (end[-1] == '/' || end[-1] == '-') ? (end[-1] == '/' ? "/" : "-") : "");
	return n > 0 && (size_t)n < cap;
}

static int seen(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

enum MHD_Result vb_api_suggest(vb_request *rq)
{
	struct suggest_args a;
	vb_store *st;
	vb_error err;
	vb_doc_brief *nums = NULL, *titles = NULL;
	size_t nn = 0, nt = 0, limit = SUGGEST_DEFAULT, i, count = 0, pass;
	int64_t ids[SUGGEST_MAX];
	char prefix[VB_DOCNUM_PART_MAX + 8], type[VB_DOCNUM_PART_MAX], folded[SUGGEST_Q_MAX + 1];
	char *exact = NULL;
	json_t *o = NULL, *res = NULL;
	enum MHD_Result ret;
	int rc = 0;

	memset(&a, 0, sizeof(a));
	vb_error_clear(&err);
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, args_cb, &a);
	if (a.bad[0])
		return vb_http_send_unknown_param(rq, a.bad);
	if (a.nq > 1 || a.nlimit > 1)
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", a.nq > 1 ? "q" : "limit",
					  a.nq > 1 ? "q must not be given more than once" :
					  "limit must not be given more than once");
	if (a.limit && *a.limit) {
		const char *c = a.limit;
		size_t v = 0;

		for (; *c >= '0' && *c <= '9' && v <= SUGGEST_MAX; c++)
			v = v * 10 + (size_t)(*c - '0');
		if (*c || v < 1 || v > SUGGEST_MAX)
			return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "limit",
						  "limit must be an integer from 1 to 20");
		limit = v;
	}
	if (!a.q)
		a.q = "";
	if (strlen(a.q) > SUGGEST_Q_MAX)
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "q",
					  "q must be at most 256 bytes");
	if (!vb_params_text_ok(a.q, strlen(a.q)))
		return vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "q",
					  "q must be valid UTF-8 text");
	o = json_object();
	res = json_array();
	if (!o || !res) {
		ret = MHD_NO;
		goto out;
	}
	json_object_set_new(o, "q", json_string(a.q));
	if (vb_store_fold_words(a.q, folded, sizeof(folded)) == (size_t)-1) {
		ret = MHD_NO;
		goto out;
	}
	if (!folded[0])
		goto answer;
	if ((rc = vb_worker_store(rq->d, &st, &err)))
		goto db_error;
	if (number_prefix(a.q, prefix, sizeof(prefix), type, sizeof(type)) &&
	    (rc = vb_store_suggest_numbers(st, prefix, type, limit, &nums, &nn, &err)))
		goto db_error;
	for (i = 0; i < nn && count < limit; i++) {
		ids[count++] = nums[i].id;
		json_array_append_new(res, result_json(&nums[i], "number"));
	}
	if (count < limit && strlen(folded) >= 2) {
		/* fetch a few more so that exact spellings can move up */
		size_t want = limit - count + (vb_text_has_diacritics(a.q, strlen(a.q)) ? 8 : 0);

		if (want > VB_LOOKUP_MAX)
			want = VB_LOOKUP_MAX;
		if ((rc = vb_store_suggest_titles(st, folded, want, &titles, &nt, &err)))
			goto db_error;
		if (vb_text_has_diacritics(a.q, strlen(a.q)))
			exact = lower_nfc(a.q);
		/* pass 0: spelled like q (when q has diacritics); pass 1: the rest */
		for (pass = exact ? 0 : 1; pass < 2; pass++)
			for (i = 0; i < nt && count < limit; i++) {
				char *la;
				int hit;

				if (seen(ids, count, titles[i].id) || !titles[i].abstract)
					continue;
				la = exact ? lower_nfc(titles[i].abstract) : NULL;
				hit = la && strstr(la, exact);
				free(la);
				if (pass == 0 && !hit)
					continue;
				ids[count++] = titles[i].id;
				json_array_append_new(res, result_json(&titles[i], "title"));
			}
	}
answer:
	json_object_set_new(o, "results", res);
	res = NULL;
	ret = vb_http_send_json(rq, MHD_HTTP_OK, o);
	o = NULL;
	goto out;
db_error:
	if (rc == VB_EDB)
		vb_worker_store_failed();
	ret = vb_http_send_vb_error(rq, &err);
out:
	free(exact);
	json_decref(res);
	json_decref(o);
	vb_doc_briefs_free(nums, nn);
	vb_doc_briefs_free(titles, nt);
	return ret;
}
