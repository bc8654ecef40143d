/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End-to-end search tests without PostgreSQL: Vietnamese documents built in
 * C (one real text from the corpus, the others real-style sentences) are
 * indexed with vb_indexdoc_build into a temporary index, then searched with
 * vb_search_run: unaccented and accented queries, tone placement, exact
 * diacritics ranking, phrase boost, document-number look-up, relaxed
 * fallback, filters, exact facet counts, paging and date sorting.
 */
#include "indexdoc.h"
#include "query.h"
#include "search.h"
#include "synonyms.h"
#include "tap.h"
#include "xap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/vb-test-search.XXXXXX";

/* Used when the corpus is not available. */
static const char qn_fallback[] =
	"QUYẾT ĐỊNH Ban hành Quy chế tổ chức và quản lý hoạt động của Cổng thông "
	"tin điện tử tỉnh Quảng Ninh. ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH. Căn cứ Luật "
	"Tổ chức chính quyền địa phương ngày 19/6/2015; Căn cứ Luật Giao dịch điện "
	"tử ngày 29/11/2005; Căn cứ Luật Công nghệ thông tin ngày 29/6/2006.";

static char *read_corpus(const char *rel)
{
	const char *base = getenv("VB_CORPUS");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	if (!base)
		base = "/work/shared/corpus";
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	if (!(f = fopen(path, "rb")))
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

typedef struct tdoc {
	int64_t id;
	const char *number, *form, *issuer, *date, *status, *abstract, *text;
} tdoc;

static const tdoc docs[] = {
	{ 1, "05/2023/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", "2023-02-16",
	  "in_force", "Ban hành Quy chế tổ chức và quản lý hoạt động của Cổng thông tin "
	  "điện tử tỉnh Quảng Ninh", NULL /* corpus text */ },
	{ 2, "12/2021/NQ-HĐND", "Nghị quyết", "HĐND tỉnh Quảng Ninh", "2021-07-10",
	  "in_force", "Quy định một số nội dung về công tác hoà giải ở cơ sở trên địa bàn tỉnh",
	  "Hội đồng nhân dân tỉnh quyết nghị hỗ trợ hoà giải viên ở cơ sở." },
	{ 3, "30/2022/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", "2022-03-01",
	  "expired", "Quy định giá bán nước sạch sinh hoạt trên địa bàn tỉnh",
	  "Giá bán nước sạch áp dụng cho hộ gia đình từ ngày 01 tháng 4 năm 2022." },
	{ 4, "1234/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ninh", "2020-06-15",
	  "in_force", "Thành lập Ban chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn",
	  "Ban chỉ đạo có trách nhiệm giúp Ủy ban nhân dân tỉnh chỉ đạo công tác phòng chống." },
	{ 5, "45/KH-UBND", "Kế hoạch", "UBND thành phố Hạ Long", "2024-01-20",
	  "in_force", "Kế hoạch thực hiện dự án đường ven biển",
	  "Tổ chức giải phóng mặt bằng cho dự án đường ven biển đúng tiến độ được giao." },
	{ 6, "46/KH-UBND", "Kế hoạch", "UBND thành phố Hạ Long", "2024-01-22",
	  "in_force", "Kế hoạch kiểm tra công tác quản lý đô thị",
	  "Mặt tiền các tuyến phố phải bằng phẳng; giải quyết kiến nghị và phóng viên được mời dự." },
	{ 7, "100/CV-STTTT", "Công văn", "Sở Thông tin và Truyền thông", "2023-05-05",
	  "unknown", "Về việc triển khai Quyết định số 05/2023/QĐ-UBND",
	  "Thực hiện Quyết định số 05/2023/QĐ-UBND ngày 16/02/2023 về Cổng thông tin điện tử, "
	  "Quyết định số 05/2023/QĐ-UBND được triển khai tại các sở, ngành." },
	/* NFD text (decomposed diacritics) and a Ð look-alike, as some sources have */
	{ 8, "07/2019/TT-BTC", "Thông tư", "Bộ Tài chính", "2019-02-01", "partly_expired",
	  "Quye\xcc\x82\xcc\x81t \xc3\x90i\xcc\xa3nh ve\xcc\x82\xcc\x80 thu\xe1\xba\xbf",
	  "Hướng dẫn về thuế thu nhập." },
};
#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

static int build_index(const char *path, const char *qn_text)
{
	vb_xap_writer *w = NULL;
	vb_error err;
	int rc;

	if ((rc = vb_xap_writer_open(&w, path, VB_XAP_CREATE_OR_OPEN, &err))) {
		printf("# %s\n", err.msg);
		return rc;
	}
	for (size_t i = 0; i < N_DOCS && !rc; i++) {
		vb_document d;
		vb_xdoc *x = NULL;
		char idterm[32];

		vb_document_init(&d);
		d.id = docs[i].id;
		d.version = 1;
		vb_strset(&d.source, "test");
		vb_strset(&d.source_id, docs[i].number);
		vb_strset(&d.number, docs[i].number);
		vb_strset(&d.form, docs[i].form);
		vb_strset(&d.issuer, docs[i].issuer);
		snprintf(d.issue_date, sizeof(d.issue_date), "%s", docs[i].date);
		vb_strset(&d.status, docs[i].status);
		vb_strset(&d.abstract, docs[i].abstract);
		vb_strset(&d.text, docs[i].text ? docs[i].text : qn_text);
		rc = vb_indexdoc_build(&d, &x, &err);
		if (!rc) {
			vb_indexdoc_id_term(d.id, idterm, sizeof(idterm));
			rc = vb_xap_writer_replace(w, idterm, x, &err);
		}
		if (rc)
			printf("# doc %d: %s\n", (int)d.id, err.msg);
		vb_xdoc_free(x);
		vb_document_dispose(&d);
	}
	if (!rc)
		rc = vb_xap_writer_close(w, &err);
	else
		vb_xap_writer_free(w);
	return rc;
}

/* Run a query; returns rc and fills res (disposed by the caller). */
static int run(vb_xap_reader *r, vb_search_req *req, vb_search_result *res)
{
	vb_error err;
	int rc;

	vb_search_result_dispose(res);
	rc = vb_search_run(r, req, res, &err);
	if (rc)
		printf("# search failed: %s\n", err.msg);
	return rc;
}

static int64_t first_id(const vb_search_result *res)
{
	return res->n_hits ? res->hits[0].id : -1;
}

/* Position of id among the hits, or -1. */
static int rank_of(const vb_search_result *res, int64_t id)
{
	for (size_t i = 0; i < res->n_hits; i++)
		if (res->hits[i].id == id)
			return (int)i;
	return -1;
}

static size_t facet_count(const vb_search_result *res, int f, const char *value)
{
	for (size_t i = 0; i < res->facets[f].n; i++)
		if (!strcmp(res->facets[f].values[i].value, value))
			return res->facets[f].values[i].count;
	return 0;
}

static void query(vb_search_req *req, const char *q)
{
	vb_search_req_init(req);
	req->q = q;
	req->limit = 20;
}

int main(void)
{
	char path[256], cmd[320];
	char *qn_text = read_corpus("quangninh/05-2023-QD-UBND.txt");
	vb_xap_reader *r = NULL;
	vb_search_req req;
	vb_search_result res;
	vb_synonyms *syn = NULL;
	vb_error err;
	int rc;

	vb_search_result_init(&res);
	{
		const char *src = getenv("VB_SRCDIR");

		snprintf(path, sizeof(path), "%s/data/synonyms.tsv", src ? src : ".");
		if (vb_synonyms_load(&syn, path, &err))
			printf("# %s\n", err.msg);
		/* the shared table (requests without their own) is this one too */
		setenv("VANBAN_SYNONYMS", path, 1);
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/index.1", tmpdir);
	rc = build_index(path, qn_text ? qn_text : qn_fallback);
	tap_is_int(rc, 0, "index %zu documents", N_DOCS);
	rc = vb_xap_reader_open(&r, path, &err);
	tap_is_int(rc, 0, "open reader");
	if (rc)
		goto out;

	/* unaccented query finds the accented document */
	query(&req, "cong thong tin dien tu");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total >= 1 && first_id(&res) == 1 && !res.relaxed,
	       "unaccented 'cong thong tin dien tu' finds 05/2023/QĐ-UBND first");
	tap_ok(res.n_words == 5 && !strcmp(res.words[0], "cong") && !strcmp(res.words[4], "tu"),
	       "folded query words are returned for snippets");
	tap_ok(res.n_hits && res.hits[0].data && strstr(res.hits[0].data, "\"number\":\"05/2023/QĐ-UBND\""),
	       "hit data is the stored JSON");

	/* tone placement: hòa finds hoà */
	query(&req, "hòa giải");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 2, "accented 'hòa giải' finds 'hoà giải' first");
	query(&req, "HOÀ GIẢI");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 2, "upper case 'HOÀ GIẢI' too");

	/* exact diacritics rank first */
	query(&req, "bán");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 3 && rank_of(&res, 4) > 0,
	       "'bán' ranks the 'giá bán' document above 'Ban chỉ đạo'");
	query(&req, "ban");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && rank_of(&res, 3) >= 0 && rank_of(&res, 4) >= 0,
	       "unaccented 'ban' matches both");

	/* NFD document found by an NFC query, Ð look-alike folded */
	query(&req, "quyết định về thuế");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && rank_of(&res, 8) >= 0, "NFD / Ð text found by an NFC query");

	/* phrase beats scattered words */
	query(&req, "giải phóng mặt bằng");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 5 && rank_of(&res, 6) > 0,
	       "phrase match ranks above scattered words");
	tap_ok(res.n_hits >= 2 && res.hits[0].score > res.hits[rank_of(&res, 6)].score,
	       "with a higher score");

	/* number look-up */
	query(&req, "5/2023/qd-ubnd");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 1 && rank_of(&res, 7) > 0,
	       "number '5/2023/qd-ubnd' ranks 05/2023/QĐ-UBND first, citing document after");
	query(&req, "quyết định 05/2023/QĐ-UBND");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 1, "number inside a longer query");

	/* relaxed fallback */
	query(&req, "cổng thông tin xyzzyq");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.relaxed == 1 && res.total >= 1 && rank_of(&res, 1) >= 0,
	       "no document has all words: OR fallback, relaxed flag");
	query(&req, "xyzzyq");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 0 && res.n_hits == 0, "unknown single word: no match");

	/* match all: facets, sort, paging */
	query(&req, "");
	rc = run(r, &req, &res);
	tap_is_int(res.total, N_DOCS, "empty query matches everything");
	tap_ok(rc == 0 && first_id(&res) == 6 && res.n_hits == N_DOCS &&
	       res.hits[N_DOCS - 1].id == 8, "empty query sorted by issue date, newest first");
	tap_is_int(facet_count(&res, VB_FACET_FORM, "Quyết định"), 3, "facet form Quyết định = 3");
	tap_is_int(facet_count(&res, VB_FACET_FORM, "Kế hoạch"), 2, "facet form Kế hoạch = 2");
	tap_ok(res.facets[VB_FACET_FORM].n == 5 && res.facets[VB_FACET_FORM].values[0].count == 3,
	       "form facet most frequent first");
	tap_is_int(facet_count(&res, VB_FACET_YEAR, "2024"), 2, "facet year 2024 = 2");
	tap_is_int(facet_count(&res, VB_FACET_STATUS, "in_force"), 5, "facet status in_force = 5");
	tap_is_int(facet_count(&res, VB_FACET_ISSUER, "UBND tỉnh Quảng Ninh"), 3,
		   "facet issuer = 3");
	tap_is_str(vb_facet_name(VB_FACET_ISSUER), "issuer", "facet names");

	req.limit = 3;
	req.offset = 3;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == N_DOCS && res.n_hits == 3 && res.hits[0].id == 1 &&
	       res.hits[1].id == 3 && res.hits[2].id == 2, "second page of three");
	tap_is_int(facet_count(&res, VB_FACET_FORM, "Quyết định"), 3,
		   "facet counts cover all matches, not only the page");
	req.sort = VB_SORT_ISSUED_ASC;
	req.offset = 0;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 8 && res.hits[1].id == 4, "sort by issue date ascending");
	req.q = "quản lý";
	req.sort = VB_SORT_ISSUED_DESC;
	req.limit = 20;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total >= 2 && first_id(&res) == 6 && res.hits[0].score == 0.0,
	       "query sorted by date descending (score 0)");

	/* filters */
	query(&req, "");
	req.forms[0] = "Quyết định";
	req.forms[1] = "nghi quyet";
	req.n_forms = 2;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 4, "filter OR within a field (any spelling)");
	req.years[0] = 2022;
	req.years[1] = 2021;
	req.n_years = 2;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2 && rank_of(&res, 2) >= 0 && rank_of(&res, 3) >= 0,
	       "AND across fields");
	req.statuses[0] = "expired";
	req.n_statuses = 1;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 1 && first_id(&res) == 3, "three fields");
	tap_is_int(facet_count(&res, VB_FACET_STATUS, "expired"), 1, "facets follow the filter");
	query(&req, "");
	req.issuers[0] = "ubnd thanh pho ha long";
	req.n_issuers = 1;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2, "issuer filter");
	query(&req, "");
	snprintf(req.issued_from, sizeof(req.issued_from), "2022-01-01");
	snprintf(req.issued_to, sizeof(req.issued_to), "2023-02-16");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2, "issue date range (inclusive)");
	snprintf(req.issued_to, sizeof(req.issued_to), "2023-13");
	vb_search_result_dispose(&res);
	rc = vb_search_run(r, &req, &res, &err);
	tap_is_int(rc, VB_EINVAL, "malformed date filter is VB_EINVAL");
	{
		static char big[VB_SEARCH_MAX_QUERY + 10];

		memset(big, 'a', sizeof(big) - 1);
		query(&req, big);
		vb_search_result_dispose(&res);
		rc = vb_search_run(r, &req, &res, &err);
		tap_is_int(rc, VB_ETOOBIG, "overlong query is VB_ETOOBIG");
	}

	/* query language */
	query(&req, "loai:QĐ");
	req.synonyms = syn;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 3 && rank_of(&res, 1) >= 0 && rank_of(&res, 3) >= 0 &&
	       rank_of(&res, 4) >= 0, "loai:QĐ finds the three Quyết định (synonym of the form)");
	tap_ok(res.n_hits == 3 && res.hits[0].id == 1 && res.hits[1].id == 4 && res.hits[2].id == 3,
	       "ties: in force before expired, then newest");
	req.no_status_rank = 1;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.n_hits == 3 && res.hits[0].id == 1 && res.hits[1].id == 3 &&
	       res.hits[2].id == 4, "switch off: ties by date only");
	query(&req, "coquan:\"Hạ Long\"");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2 && rank_of(&res, 5) >= 0 && rank_of(&res, 6) >= 0,
	       "coquan:\"Hạ Long\" matches the issuer's words");
	query(&req, "nam:2020..2021");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2 && rank_of(&res, 2) >= 0 && rank_of(&res, 4) >= 0,
	       "nam:2020..2021");
	query(&req, "ngay:2023-01-01..2023-12-31");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2 && rank_of(&res, 1) >= 0 && rank_of(&res, 7) >= 0,
	       "ngay:2023-01-01..2023-12-31");
	query(&req, "tinhtrang:\"hết hiệu lực\" OR status:partly_expired");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 2 && rank_of(&res, 3) >= 0 && rank_of(&res, 8) >= 0,
	       "tinhtrang: and status: with OR");
	query(&req, "so:5/2023/QD-UBND");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 1 && first_id(&res) == 1, "so:5/2023/QD-UBND: only that one");
	query(&req, "kế hoạch -biển");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && rank_of(&res, 6) >= 0 && rank_of(&res, 5) < 0, "-word excludes");
	query(&req, "sạch OR thiên");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && rank_of(&res, 3) >= 0 && rank_of(&res, 3) < 2 && rank_of(&res, 4) >= 0 &&
	       rank_of(&res, 4) < 2, "OR: both exact matches first (unaccented 'sach' also "
	       "matches 'chính sách' further down)");
	query(&req, "\"cong thong tin\"");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 1 && rank_of(&res, 7) >= 0 && res.n_warnings == 0,
	       "unaccented quoted phrase");
	query(&req, "\"cong thong tin");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 1 && res.n_warnings == 1 &&
	       !strcmp(res.warnings[0].code, "syntax"),
	       "malformed query: plain search with a warning (%s)",
	       res.n_warnings ? res.warnings[0].msg : "none");

	/* synonyms */
	query(&req, "CNTT");
	req.synonyms = syn;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && syn && rank_of(&res, 1) >= 0, "CNTT finds 'Công nghệ thông tin'");
	tap_ok(res.n_words >= 4, "synonym words are marked in snippets too (%zu words)",
	       res.n_words);
	req.no_synonyms = 1;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.total == 0, "not with synonyms switched off");
	query(&req, "QĐ 5/2023");
	req.synonyms = syn;
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && first_id(&res) == 1, "'QĐ 5/2023' finds 05/2023/QĐ-UBND first");

	/* did you mean */
	query(&req, "cong thong tin");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.suggestion && !strcmp(res.suggestion, "cổng thông tin") &&
	       !strcmp(res.suggestion_kind, "accents"), "accents restored: %s",
	       res.suggestion ? res.suggestion : "(none)");
	query(&req, "giai phng mat bang");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && res.suggestion && strstr(res.suggestion, "phóng") &&
	       !strcmp(res.suggestion_kind, "spelling") && res.suggestion_total >= 1,
	       "typo corrected: %s", res.suggestion ? res.suggestion : "(none)");
	query(&req, "cổng thông tin");
	rc = run(r, &req, &res);
	tap_ok(rc == 0 && !res.suggestion, "no suggestion for a good accented query");

out:
	vb_search_result_dispose(&res);
	vb_synonyms_free(syn);
	vb_xap_reader_free(r);
	free(qn_text);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return tap_done();
}
