/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Relevance test: indexes the bundled sample (data/sample/documents.jsonl,
 * parsed with vb_manifest_parse_line, indexed with vb_indexdoc_build) into a
 * temporary Xapian index, runs the judged queries of
 * tests/relevance/queries.tsv (type TAB variant TAB query TAB relevant
 * source ids) through vb_search_run with the synonyms of
 * data/synonyms.tsv, and prints nDCG@10, MRR and recall@10 per query type
 * and variant (accented "acc", unaccented "unacc", number spellings
 * "var").  As a TAP test it fails when a figure falls below the committed
 * baseline (tests/relevance/baseline.tsv, compared with a tolerance of
 * 0.005), when an unaccented group scores more than 3% below its accented
 * twin, or when a number-lookup variant does not find its document at
 * rank 1.
 *
 *   tests/test_relevance [--verbose] [--write-baseline FILE]
 *                        [--queries FILE] [--sample FILE] [--baseline FILE]
 *                        [--no-synonyms] [--no-status-rank]
 *                        [--query TEXT]   (show hits, warnings and "did
 *                                          you mean" for one query)
 * Paths default to $VB_SRCDIR (or the source tree this was built from).
 */
#include "document.h"
#include "error.h"
#include "indexdoc.h"
#include "manifest.h"
#include "query.h"
#include "search.h"
#include "synonyms.h"
#include "tap.h"
#include "text.h"
#include "xap.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DOCS 5000
#define MAX_QUERIES 2000
#define MAX_REL 32
#define MAX_GROUPS 32
#define DEPTH 100
#define TOLERANCE 0.005

typedef struct jq {
	char type[16], variant[16];
	char *query;
	int64_t rel[MAX_REL];
	size_t n_rel;
} jq;

typedef struct group {
	char type[16], variant[16];
	double ndcg, mrr, recall;
	size_t n, first;  /* first: queries with a relevant document at rank 1 */
	double dym;       /* unaccented queries: share whose "did you mean" (or
			     the query itself when none) is the accented twin */
	size_t dym_n;
} group;

static char *source_ids[MAX_DOCS + 1];
static size_t n_docs;
static jq queries[MAX_QUERIES];
static size_t n_queries;
static group groups[MAX_GROUPS];
static size_t n_groups;
static int verbose;

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int64_t doc_by_source_id(const char *sid)
{
	for (size_t i = 1; i <= n_docs; i++)
		if (source_ids[i] && !strcmp(source_ids[i], sid))
			return (int64_t)i;
	return 0;
}

static int build_index(const char *sample, const char *dir)
{
	FILE *f = fopen(sample, "rb");
	vb_xap_writer *w = NULL;
	vb_error err;
	char *line = NULL, *base = NULL, *slash;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	if (!f) {
		printf("# cannot open %s\n", sample);
		return -1;
	}
	base = strdup(sample);
	if (base && (slash = strrchr(base, '/')))
		*slash = '\0';
	if ((rc = vb_xap_writer_open(&w, dir, VB_XAP_CREATE_OR_OPEN, &err))) {
		printf("# %s\n", err.msg);
		goto out;
	}
	while ((len = getline(&line, &cap, f)) > 0 && n_docs < MAX_DOCS) {
		vb_document d;
		vb_xdoc *x = NULL;
		char idterm[32];

		if (vb_manifest_line_blank(line, (size_t)len))
			continue;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if ((rc = vb_manifest_parse_line(line, (size_t)len, base, "sample", &d, &err))) {
			/* attached files may be absent in a stripped tree: retry without */
			printf("# line %zu: %s\n", n_docs + 1, err.msg);
			goto out;
		}
		d.id = (int64_t)++n_docs;
		d.version = 1;
		source_ids[n_docs] = strdup(d.source_id);
		rc = vb_indexdoc_build(&d, &x, &err);
		if (!rc) {
			vb_indexdoc_id_term(d.id, idterm, sizeof(idterm));
			rc = vb_xap_writer_replace(w, idterm, x, &err);
		}
		vb_xdoc_free(x);
		vb_document_dispose(&d);
		if (rc) {
			printf("# %s\n", err.msg);
			goto out;
		}
	}
	rc = vb_xap_writer_close(w, &err);
	w = NULL;
out:
	vb_xap_writer_free(w);
	free(line);
	free(base);
	fclose(f);
	return rc;
}

static int load_queries(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f) {
		printf("# cannot open %s\n", path);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0 && n_queries < MAX_QUERIES) {
		char *fld[4], *save = NULL, *p = line;
		jq *q = &queries[n_queries];
		int k;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!*line || *line == '#')
			continue;
		for (k = 0; k < 4; k++) {
			fld[k] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (k < 3) {
			printf("# malformed query line: %s\n", line);
			continue;
		}
		snprintf(q->type, sizeof(q->type), "%s", fld[0]);
		snprintf(q->variant, sizeof(q->variant), "%s", fld[1]);
		q->query = strdup(fld[2]);
		for (char *sid = strtok_r(fld[3], ",", &save); sid && q->n_rel < MAX_REL;
		     sid = strtok_r(NULL, ",", &save)) {
			int64_t id = doc_by_source_id(sid);

			if (id)
				q->rel[q->n_rel++] = id;
			else
				printf("# unknown source_id %s\n", sid);
		}
		n_queries++;
	}
	free(line);
	fclose(f);
	return 0;
}

static group *group_of(const char *type, const char *variant)
{
	for (size_t i = 0; i < n_groups; i++)
		if (!strcmp(groups[i].type, type) && !strcmp(groups[i].variant, variant))
			return &groups[i];
	if (n_groups >= MAX_GROUPS)
		return NULL;
	/* a type or variant longer than its field is a broken query file */
	if (snprintf(groups[n_groups].type, sizeof(groups[0].type), "%s", type) >=
		    (int)sizeof(groups[0].type) ||
	    snprintf(groups[n_groups].variant, sizeof(groups[0].variant), "%s", variant) >=
		    (int)sizeof(groups[0].variant))
		return NULL;
	return &groups[n_groups++];
}

static int is_rel(const jq *q, int64_t id)
{
	for (size_t i = 0; i < q->n_rel; i++)
		if (q->rel[i] == id)
			return 1;
	return 0;
}

/* Append the canonical exact forms of the words of s to out (cap bytes). */
typedef struct words_ctx {
	char *out;
	size_t cap, len;
} words_ctx;

static int exact_word_cb(const char *s, const vb_token *tok, void *ud)
{
	words_ctx *c = ud;
	char *e = vb_text_exact_term(s + tok->start, tok->len);
	int n;

	if (!e)
		return 1;
	n = snprintf(c->out + c->len, c->cap - c->len, "%s ", e);
	free(e);
	if (n < 0 || (size_t)n >= c->cap - c->len)
		return 1;
	c->len += (size_t)n;
	return 0;
}

/* Whether a and b have the same words with the same diacritics (case and
 * tone placement aside). */
static int same_spelling(const char *a, const char *b)
{
	char ba[2048], bb[2048];
	words_ctx ca = { ba, sizeof(ba), 0 }, cb = { bb, sizeof(bb), 0 };

	ba[0] = bb[0] = '\0';
	if (vb_text_tokenize(a, strlen(a), exact_word_cb, &ca) < 0 ||
	    vb_text_tokenize(b, strlen(b), exact_word_cb, &cb) < 0)
		return 0;
	return !strcmp(ba, bb);
}

/* "Did you mean" of an unaccented query q against its accented twin acc
 * (the line before it): counted into g. */
static int check_suggestion(vb_xap_reader *r, const vb_synonyms *syn, int no_syn,
			    const jq *q, const jq *acc, group *g)
{
	vb_search_req req;
	vb_search_result res;
	vb_error err;
	int ok;

	vb_search_req_init(&req);
	req.q = q->query;
	req.limit = 0;
	req.synonyms = syn;
	req.no_synonyms = no_syn;
	vb_search_result_init(&res);
	if (vb_search_run(r, &req, &res, &err)) {
		printf("# query %s: %s\n", q->query, err.msg);
		vb_search_result_dispose(&res);
		return -1;
	}
	ok = same_spelling(res.suggestion ? res.suggestion : q->query, acc->query);
	g->dym += ok;
	g->dym_n++;
	if (verbose && !ok)
		printf("# %-6s did you mean %-40s -> %s (want %s)\n", q->type, q->query,
		       res.suggestion ? res.suggestion : "(none)", acc->query);
	vb_search_result_dispose(&res);
	return 0;
}

static int run_queries(vb_xap_reader *r, const vb_synonyms *syn, int no_syn, int no_status)
{
	for (size_t i = 0; i < n_queries; i++) {
		jq *q = &queries[i];
		vb_search_req req;
		vb_search_result res;
		vb_error err;
		double dcg = 0, idcg = 0, rr = 0;
		size_t found10 = 0;
		group *g;

		if (!q->n_rel)
			continue;
		vb_search_req_init(&req);
		req.q = q->query;
		req.limit = DEPTH;
		req.synonyms = syn;
		req.no_synonyms = no_syn;
		req.no_status_rank = no_status;
		req.no_suggest = 1;
		vb_search_result_init(&res);
		if (vb_search_run(r, &req, &res, &err)) {
			printf("# query %s: %s\n", q->query, err.msg);
			vb_search_result_dispose(&res);
			return -1;
		}
		for (size_t k = 0; k < res.n_hits; k++) {
			if (!is_rel(q, res.hits[k].id))
				continue;
			if (rr == 0)
				rr = 1.0 / (double)(k + 1);
			if (k < 10) {
				dcg += 1.0 / log2((double)k + 2.0);
				found10++;
			}
		}
		for (size_t k = 0; k < q->n_rel && k < 10; k++)
			idcg += 1.0 / log2((double)k + 2.0);
		if (!(g = group_of(q->type, q->variant))) {
			vb_search_result_dispose(&res);
			return -1;
		}
		g->ndcg += dcg / idcg;
		g->mrr += rr;
		g->recall += (double)found10 / (double)(q->n_rel < 10 ? q->n_rel : 10);
		g->first += rr == 1.0;
		g->n++;
		if (i > 0 && !strcmp(q->variant, "unacc") && !strcmp(queries[i - 1].variant, "acc") &&
		    !strcmp(queries[i - 1].type, q->type) &&
		    check_suggestion(r, syn, no_syn, q, &queries[i - 1], g)) {
			vb_search_result_dispose(&res);
			return -1;
		}
		if (verbose && rr < 1.0) {
			printf("# %-6s %-5s rank %-3s %-40s top:", q->type, q->variant,
			       rr > 0 ? "" : "-", q->query);
			if (rr > 0)
				printf(" (first relevant at %.0f)", 1.0 / rr);
			for (size_t k = 0; k < res.n_hits && k < 3; k++)
				printf(" %s", source_ids[res.hits[k].id] ? source_ids[res.hits[k].id] : "?");
			printf("\n");
		}
		vb_search_result_dispose(&res);
	}
	for (size_t i = 0; i < n_groups; i++) {
		groups[i].ndcg /= (double)groups[i].n;
		groups[i].mrr /= (double)groups[i].n;
		groups[i].recall /= (double)groups[i].n;
		if (groups[i].dym_n)
			groups[i].dym /= (double)groups[i].dym_n;
	}
	return 0;
}

/* --query: one search over the sample, shown for people. */
static void show_query(vb_xap_reader *r, const vb_synonyms *syn, int no_syn, const char *text)
{
	vb_search_req req;
	vb_search_result res;
	vb_error err;

	vb_search_req_init(&req);
	req.q = text;
	req.limit = 5;
	req.synonyms = syn;
	req.no_synonyms = no_syn;
	vb_search_result_init(&res);
	if (vb_search_run(r, &req, &res, &err)) {
		printf("# error: %s\n", err.msg);
		return;
	}
	printf("# query: %s\n# total: %zu%s\n", text, res.total, res.relaxed ? " (relaxed)" : "");
	for (size_t i = 0; i < res.n_warnings; i++)
		printf("# warning %s: %s\n", res.warnings[i].code, res.warnings[i].msg);
	if (res.suggestion)
		printf("# did you mean (%s): %s\n", res.suggestion_kind, res.suggestion);
	for (size_t i = 0; i < res.n_hits; i++)
		printf("# %zu. %.3f %s\n", i + 1, res.hits[i].score,
		       res.hits[i].data ? res.hits[i].data : "");
	vb_search_result_dispose(&res);
}

static void print_table(void)
{
	printf("# %-8s %-6s %5s %8s %8s %10s %9s %12s\n", "type", "variant", "n", "nDCG@10", "MRR",
	       "recall@10", "at rank 1", "did-you-mean");
	for (size_t i = 0; i < n_groups; i++) {
		printf("# %-8s %-6s %5zu %8.4f %8.4f %10.4f %5zu/%-3zu", groups[i].type,
		       groups[i].variant, groups[i].n, groups[i].ndcg, groups[i].mrr,
		       groups[i].recall, groups[i].first, groups[i].n);
		if (groups[i].dym_n)
			printf(" %8.4f", groups[i].dym);
		printf("\n");
	}
}

static double metric(const group *g, const char *m)
{
	if (!strcmp(m, "dym"))
		return g->dym_n ? g->dym : -1.0;
	return !strcmp(m, "ndcg10") ? g->ndcg : !strcmp(m, "mrr") ? g->mrr : g->recall;
}

static const char *const metrics[] = { "ndcg10", "mrr", "recall10" };

static int write_baseline(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "# relevance baseline: type variant metric value "
		"(tests/test_relevance --write-baseline)\n");
	for (size_t i = 0; i < n_groups; i++)
		for (size_t m = 0; m < 3; m++)
			fprintf(f, "%s\t%s\t%s\t%.4f\n", groups[i].type, groups[i].variant,
				metrics[m], metric(&groups[i], metrics[m]));
	for (size_t i = 0; i < n_groups; i++)
		if (groups[i].dym_n)
			fprintf(f, "%s\t%s\tdym\t%.4f\n", groups[i].type, groups[i].variant,
				groups[i].dym);
	return fclose(f);
}

static void check_baseline(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t n = 0;

	tap_ok(f != NULL, "baseline %s is readable", path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char type[16], variant[16], m[16];
		double v;
		group *g = NULL;

		if (line[0] == '#' || sscanf(line, "%15s %15s %15s %lf", type, variant, m, &v) != 4)
			continue;
		for (size_t i = 0; i < n_groups; i++)
			if (!strcmp(groups[i].type, type) && !strcmp(groups[i].variant, variant))
				g = &groups[i];
		n++;
		tap_ok(g && metric(g, m) >= v - TOLERANCE, "%s %s %s %.4f >= baseline %.4f", type,
		       variant, m, g ? metric(g, m) : 0.0, v);
	}
	fclose(f);
	tap_ok(n > 0, "the baseline has figures");
}

int main(int argc, char **argv)
{
	const char *src = getenv("VB_SRCDIR");
	char sample[1024], qpath[1024], bpath[1024], synpath[1024];
	const char *write_to = NULL, *one_query = NULL;
	char dir[] = "/tmp/vb-relevance.XXXXXX";
	vb_xap_reader *r = NULL;
	vb_synonyms *syn = NULL;
	vb_error err;
	int no_syn = 0, no_status = 0, rc;

	if (!src)
		src = VB_TOP_SRCDIR;
	snprintf(sample, sizeof(sample), "%s/data/sample/documents.jsonl", src);
	snprintf(qpath, sizeof(qpath), "%s/tests/relevance/queries.tsv", src);
	snprintf(bpath, sizeof(bpath), "%s/tests/relevance/baseline.tsv", src);
	snprintf(synpath, sizeof(synpath), "%s/data/synonyms.tsv", src);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else if (!strcmp(argv[i], "--no-synonyms"))
			no_syn = 1;
		else if (!strcmp(argv[i], "--no-status-rank"))
			no_status = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--query"))
			one_query = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--write-baseline"))
			write_to = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--queries"))
			snprintf(qpath, sizeof(qpath), "%s", argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--sample"))
			snprintf(sample, sizeof(sample), "%s", argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--baseline"))
			snprintf(bpath, sizeof(bpath), "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--verbose] [--write-baseline FILE] [--queries FILE] "
				"[--sample FILE] [--baseline FILE] [--no-synonyms] [--no-status-rank] "
				"[--query TEXT]\n",
				argv[0]);
			return 2;
		}
	}
	if (!mkdtemp(dir)) {
		tap_ok(0, "temporary directory");
		return tap_done();
	}
	rc = vb_synonyms_load(&syn, synpath, &err);
	tap_ok(rc == 0 && vb_synonyms_count(syn) > 0, "synonyms load from %s", synpath);
	rc = build_index(sample, dir);
	tap_ok(rc == 0 && (one_query ? n_docs > 0 : n_docs > 400), "sample indexed (%zu documents)",
	       n_docs);
	if (rc)
		goto out;
	if (one_query) {
		if (!(rc = vb_xap_reader_open(&r, dir, &err)))
			show_query(r, syn, no_syn, one_query);
		goto out;
	}
	rc = load_queries(qpath);
	tap_ok(rc == 0 && n_queries >= 150, "judged queries loaded (%zu)", n_queries);
	if ((rc = vb_xap_reader_open(&r, dir, &err))) {
		tap_ok(0, "open index: %s", err.msg);
		goto out;
	}
	rc = run_queries(r, syn, no_syn, no_status);
	tap_ok(rc == 0, "all queries ran");
	print_table();
	if (write_to) {
		tap_ok(write_baseline(write_to) == 0, "baseline written to %s", write_to);
		goto out;
	}
	check_baseline(bpath);
	/* unaccented twins within 3% of the accented ones */
	for (size_t i = 0; i < n_groups; i++) {
		group *a = &groups[i], *u = NULL;

		if (strcmp(a->variant, "acc"))
			continue;
		for (size_t k = 0; k < n_groups; k++)
			if (!strcmp(groups[k].type, a->type) && !strcmp(groups[k].variant, "unacc"))
				u = &groups[k];
		if (!u)
			continue;
		tap_ok(u->ndcg >= a->ndcg * 0.97,
		       "%s: unaccented nDCG@10 %.4f within 3%% of accented %.4f", a->type, u->ndcg,
		       a->ndcg);
	}
	for (size_t i = 0; i < n_groups; i++)
		if (!strcmp(groups[i].type, "number"))
			tap_ok(groups[i].first == groups[i].n,
			       "every number-lookup variant finds its document at rank 1 (%zu/%zu)",
			       groups[i].first, groups[i].n);
out:
	vb_xap_reader_free(r);
	vb_synonyms_free(syn);
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < n_queries; i++)
		free(queries[i].query);
	for (size_t i = 1; i <= n_docs; i++)
		free(source_ids[i]);
	return tap_done();
}
