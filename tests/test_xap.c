/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the Xapian wrapper (lib/xap.h) and of index documents
 * (lib/indexdoc.h): writing, replacing and deleting documents, values and
 * metadata, sorting, exact totals and facet counts, reader refresh after a
 * commit and after the DATA/index symlink is swapped, and C++ exceptions
 * turned into error codes (no crash).  No PostgreSQL needed.
 */
#include "indexdoc.h"
#include "tap.h"
#include "xap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/vb-test-xap.XXXXXX";

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* A small document: term words, value slots 0 (date) and 2 (form). */
static vb_xdoc *mkdoc(const char *words, const char *date, const char *form,
		      const char *data)
{
	vb_xdoc *d = vb_xdoc_new(NULL);
	char buf[256], *save = NULL, *w;
	unsigned pos = 0;

	if (!d)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		vb_xdoc_add_posting(d, w, ++pos, 1, NULL);
	vb_xdoc_set_value(d, 0, date, strlen(date), NULL);
	vb_xdoc_set_value(d, 2, form, strlen(form), NULL);
	vb_xdoc_set_data(d, data, strlen(data), NULL);
	return d;
}

static int add(vb_xap_writer *w, const char *id, const char *words, const char *date,
	       const char *form)
{
	vb_xdoc *d = mkdoc(words, date, form, id);
	int rc;

	if (!d)
		return -1;
	vb_xdoc_add_boolean(d, id, NULL);
	rc = vb_xap_writer_replace(w, id, d, NULL);
	vb_xdoc_free(d);
	return rc;
}

static vb_xquery *term(const char *t)
{
	return vb_xquery_term(t, 1, NULL);
}

int main(void)
{
	char path[256], path2[256], link[256], tmplink[256];
	vb_xap_writer *w = NULL, *w2 = NULL;
	vb_xap_reader *r = NULL, *bad = NULL;
	vb_xquery *q = NULL, *a, *b, *all = NULL;
	vb_xap_search s;
	vb_xap_result res;
	vb_error err;
	size_t count = 0;
	char *v = NULL;
	int rc;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/index.1", tmpdir);
	snprintf(path2, sizeof(path2), "%s/index.2", tmpdir);
	snprintf(link, sizeof(link), "%s/index", tmpdir);
	snprintf(tmplink, sizeof(tmplink), "%s/index.tmp", tmpdir);

	/* errors, not exceptions */
	vb_error_clear(&err);
	rc = vb_xap_reader_open(&bad, "/nonexistent/vanban/index", &err);
	tap_is_int(rc, VB_EINDEX, "opening a missing index fails with VB_EINDEX");
	tap_ok(bad == NULL && strstr(err.msg, "could not open index") != NULL,
	       "with a message: %s", err.msg);
	rc = vb_xap_writer_open(&w, "/nonexistent/vanban/index", VB_XAP_OPEN, &err);
	tap_is_int(rc, VB_EINDEX, "opening a missing index for writing fails");

	rc = vb_xap_writer_open(&w, path, VB_XAP_CREATE_OR_OPEN, &err);
	tap_is_int(rc, 0, "create index: %s", rc ? err.msg : "ok");
	if (rc)
		goto out;
	rc = vb_xap_writer_open(&w2, path, VB_XAP_CREATE_OR_OPEN, &err);
	tap_is_int(rc, VB_EAGAIN, "a second writer is refused with VB_EAGAIN");

	tap_ok(add(w, "Q1", "alpha beta gamma", "20230216", "qd") == 0 &&
	       add(w, "Q2", "alpha beta", "20210101", "nq") == 0 &&
	       add(w, "Q3", "beta gamma delta", "20220505", "qd") == 0 &&
	       add(w, "Q4", "gamma", "20240101", "ct") == 0, "add four documents");
	tap_ok(vb_xap_writer_set_metadata(w, "last", "42", &err) == 0, "set metadata");
	tap_ok(vb_xap_writer_commit(w, &err) == 0, "commit");
	vb_xap_writer_doccount(w, &count, NULL);
	tap_is_int(count, 4, "four documents");

	rc = vb_xap_writer_get_value(w, "Q3", 0, &v, &err);
	tap_is_str(v, "20220505", "get_value by id term");
	free(v);
	rc = vb_xap_writer_get_value(w, "Q99", 0, &v, &err);
	tap_ok(rc == 0 && v == NULL, "get_value of a missing document gives NULL");

	/* symlink to index.1 */
	tap_ok(symlink("index.1", link) == 0, "symlink index -> index.1");
	rc = vb_xap_reader_open(&r, link, &err);
	tap_is_int(rc, 0, "reader opens through the symlink: %s", rc ? err.msg : "ok");
	if (rc)
		goto out;
	rc = vb_xap_reader_get_metadata(r, "last", &v, &err);
	tap_is_str(v, "42", "metadata readable");
	free(v);

	/* search: gamma, sorted by date desc, facets on slot 2 */
	memset(&s, 0, sizeof(s));
	q = term("gamma");
	s.query = q;
	s.sort = VB_XSORT_VALUE_DESC;
	s.sort_slot = 0;
	s.limit = 2;
	s.facet_slots[0] = 2;
	s.n_facets = 1;
	s.facet_max = 10;
	vb_xap_result_init(&res);
	rc = vb_xap_reader_search(r, &s, &res, &err);
	tap_is_int(rc, 0, "search runs");
	tap_is_int(res.total, 3, "exact total with a page smaller than the matches");
	tap_is_int(res.n_hits, 2, "page of two hits");
	tap_ok(res.n_hits == 2 && !strcmp(res.hits[0].data, "Q4") &&
	       !strcmp(res.hits[1].data, "Q1"), "sorted by date descending");
	tap_ok(res.n_facet_values[0] == 2 && !strcmp(res.facets[0][0].value, "qd") &&
	       res.facets[0][0].count == 2 && res.facets[0][1].count == 1,
	       "facet counts over all matches, most frequent first");
	vb_xap_result_dispose(&res);

	s.sort = VB_XSORT_VALUE_ASC;
	s.offset = 1;
	rc = vb_xap_reader_search(r, &s, &res, &err);
	tap_ok(rc == 0 && res.n_hits == 2 && !strcmp(res.hits[0].data, "Q1") &&
	       !strcmp(res.hits[1].data, "Q4"), "ascending, second page offset");
	vb_xap_result_dispose(&res);

	/* filter, AND_NOT, phrase */
	a = term("alpha");
	b = term("gamma");
	{
		vb_xquery *pair[2] = { a, b };
		vb_xquery *ph = vb_xquery_combine(VB_XOP_PHRASE, pair, 2, 2, NULL);
		vb_xquery *gb[2] = { term("beta"), term("gamma") };
		vb_xquery *ph2 = vb_xquery_combine(VB_XOP_PHRASE, gb, 2, 2, NULL);
		vb_xquery *an = vb_xquery_combine(VB_XOP_AND_NOT, pair, 2, 0, NULL);

		memset(&s, 0, sizeof(s));
		s.limit = 10;
		s.query = ph;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 0, "no phrase 'alpha gamma'");
		vb_xap_result_dispose(&res);
		s.query = ph2;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 2, "phrase 'beta gamma' in two documents");
		vb_xap_result_dispose(&res);
		s.query = an;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 1 && !strcmp(res.hits[0].data, "Q2"),
		       "alpha AND NOT gamma");
		vb_xap_result_dispose(&res);
		vb_xquery_free(ph);
		vb_xquery_free(ph2);
		vb_xquery_free(an);
		vb_xquery_free(gb[0]);
		vb_xquery_free(gb[1]);
	}
	vb_xquery_free(a);
	vb_xquery_free(b);
	{
		/* document id windows (the sampled counts of "did you mean"):
		 * Q1..Q4 are ids 1..4; gamma is in 1, 3 and 4 */
		unsigned last = 0;
		vb_xquery *g = term("gamma");
		vb_xquery *w23 = vb_xquery_docid_range(2, 3, NULL);
		vb_xquery *w39 = vb_xquery_docid_range(3, 9, NULL);
		vb_xquery *w0 = vb_xquery_docid_range(0, 1, NULL);
		vb_xquery *wbad = vb_xquery_docid_range(3, 2, NULL);

		rc = vb_xap_reader_lastdocid(r, &last, &err);
		tap_ok(rc == 0 && last == 4, "last document id is 4 (%u)", last);
		memset(&s, 0, sizeof(s));
		s.query = g;
		s.limit = 10;
		s.filter = w23;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 1 && res.n_hits == 1 &&
		       !strcmp(res.hits[0].data, "Q3"), "gamma in ids 2..3: Q3 only");
		vb_xap_result_dispose(&res);
		s.filter = w39;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 2, "gamma in ids 3..9 (past the end): two");
		vb_xap_result_dispose(&res);
		s.filter = w0;
		s.limit = 0;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 1, "ids 0..1 count from 1: Q1 (count only)");
		vb_xap_result_dispose(&res);
		s.filter = wbad;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(wbad && rc == 0 && res.total == 0, "an empty window matches nothing");
		vb_xap_result_dispose(&res);
		vb_xquery_free(g);
		vb_xquery_free(w23);
		vb_xquery_free(w39);
		vb_xquery_free(w0);
		vb_xquery_free(wbad);
	}
	{
		vb_xquery *range = vb_xquery_value_range(0, "20220101", NULL, NULL);

		all = vb_xquery_match_all(NULL);
		memset(&s, 0, sizeof(s));
		s.query = all;
		s.filter = range;
		s.limit = 10;
		rc = vb_xap_reader_search(r, &s, &res, &err);
		tap_ok(rc == 0 && res.total == 3, "value range >= 2022 filters match-all");
		vb_xap_result_dispose(&res);
		vb_xquery_free(range);
		tap_ok(vb_xquery_value_range(0, NULL, NULL, &err) == NULL && err.code == VB_EINVAL,
		       "value range without bounds is refused");
	}

	/* replace and delete, then refresh */
	tap_ok(add(w, "Q2", "omega", "20210101", "nq") == 0, "replace Q2");
	tap_ok(vb_xap_writer_delete(w, "Q4", &err) == 0, "delete Q4");
	tap_ok(vb_xap_writer_commit(w, &err) == 0, "commit");
	tap_ok(vb_xap_reader_refresh(r, &err) == 0, "refresh");
	vb_xap_reader_doccount(r, &count, NULL);
	tap_is_int(count, 3, "reader sees the delete after refresh");
	vb_xquery_free(q);
	q = term("omega");
	memset(&s, 0, sizeof(s));
	s.query = q;
	s.limit = 10;
	rc = vb_xap_reader_search(r, &s, &res, &err);
	tap_ok(rc == 0 && res.total == 1, "reader sees the replaced document");
	/* a hit's value read back by its docid (api_search.c's text head) */
	if (rc == 0 && res.n_hits == 1) {
		unsigned id = res.hits[0].docid;
		char *hv = NULL;
		size_t vl = 0;

		rc = vb_xap_reader_value(r, id, 2, &hv, &vl, &err);
		tap_ok(rc == 0 && hv && vl == 2 && !strcmp(hv, "nq"), "value of the hit's slot 2: %s",
		       hv ? hv : "(null)");
		free(hv);
		rc = vb_xap_reader_value(r, id, 9, &hv, &vl, &err);
		tap_ok(rc == 0 && hv && vl == 0 && !*hv, "an unset slot reads as \"\"");
		free(hv);
		rc = vb_xap_reader_value(r, 1000, 2, &hv, &vl, &err);
		tap_ok(rc == VB_ENOTFOUND && hv == NULL, "a docid not in the index: VB_ENOTFOUND");
		free(hv);
	} else {
		tap_ok(0, "value of the hit's slot 2: no hit");
	}
	/* nothing committed since: the refresh sees the same version file */
	tap_ok(vb_xap_reader_refresh(r, &err) == 0, "refresh with nothing new");
	vb_xap_result_dispose(&res);
	rc = vb_xap_reader_search(r, &s, &res, &err);
	tap_ok(rc == 0 && res.total == 1, "the reader still answers after it");
	vb_xap_result_dispose(&res);

	/* facet counts follow the reader's revision (the per-revision value
	 * tables of xap.cc): a value changed in place is counted anew */
	{
		vb_xquery *every = vb_xquery_match_all(NULL);
		vb_xap_search fs; /* s is used again below */

		memset(&fs, 0, sizeof(fs));
		fs.query = every;
		fs.facet_slots[0] = 2;
		fs.n_facets = 1;
		fs.facet_max = 10;
		rc = vb_xap_reader_search(r, &fs, &res, &err);
		tap_ok(rc == 0 && res.total == 3 && res.n_facet_values[0] == 2 &&
		       !strcmp(res.facets[0][0].value, "qd") && res.facets[0][0].count == 2 &&
		       !strcmp(res.facets[0][1].value, "nq") && res.facets[0][1].count == 1,
		       "facets without a page: qd 2, nq 1");
		vb_xap_result_dispose(&res);
		tap_ok(add(w, "Q3", "beta gamma delta", "20220505", "cv") == 0 &&
		       vb_xap_writer_commit(w, &err) == 0 && vb_xap_reader_refresh(r, &err) == 0,
		       "change Q3's form in place, commit, refresh");
		fs.limit = 2;
		rc = vb_xap_reader_search(r, &fs, &res, &err);
		tap_ok(rc == 0 && res.total == 3 && res.n_hits == 2 && res.n_facet_values[0] == 3 &&
		       !strcmp(res.facets[0][0].value, "cv") && res.facets[0][0].count == 1 &&
		       !strcmp(res.facets[0][1].value, "nq") && res.facets[0][1].count == 1 &&
		       !strcmp(res.facets[0][2].value, "qd") && res.facets[0][2].count == 1,
		       "facets after the commit: cv 1, nq 1, qd 1");
		vb_xap_result_dispose(&res);
		vb_xquery_free(every);
	}
	tap_ok(vb_xap_writer_close(w, &err) == 0, "close writer");
	w = NULL;

	/* a new index swapped in through the symlink */
	rc = vb_xap_writer_open(&w, path2, VB_XAP_OVERWRITE, &err);
	tap_is_int(rc, 0, "create second index");
	if (rc)
		goto out;
	add(w, "Q7", "omega psi", "20200101", "qd");
	add(w, "Q8", "omega", "20200101", "qd");
	vb_xap_writer_close(w, &err);
	w = NULL;
	tap_ok(symlink("index.2", tmplink) == 0 && rename(tmplink, link) == 0,
	       "swap the symlink atomically");
	tap_ok(vb_xap_reader_refresh(r, &err) == 0, "refresh after swap");
	rc = vb_xap_reader_search(r, &s, &res, &err);
	tap_ok(rc == 0 && res.total == 2, "reader follows the symlink to the new index");
	vb_xap_result_dispose(&res);

	/* the old index removed under an open reader: refresh errors, no crash */
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s' && ln -sfn index.1 '%s'", path2, link);
		tap_ok(system(cmd) == 0, "point the symlink at a removed index");
		/* index.1 still exists: make it vanish too */
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
		tap_ok(system(cmd) == 0, "remove the other index");
		rc = vb_xap_reader_refresh(r, &err);
		tap_is_int(rc, VB_EINDEX, "refresh onto a missing index is an error: %s",
			   rc ? err.msg : "none");
	}

out:
	vb_xquery_free(q);
	vb_xquery_free(all);
	vb_xap_reader_free(r);
	vb_xap_writer_free(w);
	vb_xap_writer_free(w2);
	cleanup();
	return tap_done();
}
