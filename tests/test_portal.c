/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The portal registry logic (lib/portal.h), without a database: slugs and
 * domains, record checks and defaults, scope (own + province + merged
 * predecessors, a province showing everything below it), lifecycle
 * (rename, merge A+B->C and A into B, split, retire; what an old id or
 * domain resolves to; refused transitions), former place names, the TSV
 * reader of data/portals.tsv (every line of the bundled file must load),
 * and what a search on a portal gets (vb_portal_search_*).
 */
#include "portal.h"
#include "query.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *reg;

/* Run op; returns its code. */
static int op(const char *name, const char *id, const char *args_json)
{
	json_t *args = args_json ? json_loads(args_json, 0, NULL) : json_object();
	json_t *changed = json_array();
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (!args) {
		printf("# bad test JSON: %s\n", args_json);
		return -100;
	}
	rc = vb_portal_op(reg, name, id, args, changed, &err);
	if (rc)
		printf("#   %s %s: %s\n", name, id ? id : "", err.msg);
	json_decref(args);
	json_decref(changed);
	return rc;
}

static const char *resolve(const char *id)
{
	return vb_portal_resolve(reg, id, NULL);
}

/* The scope of id as "a|b|c" (sorted by insertion), into a static buffer. */
static const char *scope(const char *id)
{
	static char buf[2048];
	json_t *a = NULL, *v;
	size_t i;

	buf[0] = '\0';
	if (vb_portal_scope(reg, id, &a, NULL))
		return "(error)";
	json_array_foreach(a, i, v) {
		if (i)
			strncat(buf, "|", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, json_string_value(v), sizeof(buf) - strlen(buf) - 1);
	}
	json_decref(a);
	return buf;
}

static int scope_has(const char *id, const char *issuer)
{
	char want[300];
	const char *s = scope(id);

	snprintf(want, sizeof(want), "|%s|", issuer);
	{
		char full[2100];

		snprintf(full, sizeof(full), "|%s|", s);
		return strstr(full, want) != NULL;
	}
}

static const char *field(const char *id, const char *key)
{
	return json_string_value(json_object_get(vb_portal_get(reg, id), key));
}

static void test_slugs(void)
{
	static const struct { const char *id; int ok; } ids[] = {
		{ "quangninh", 1 }, { "hongha.halong", 1 }, { "so-tu-phap", 1 },
		{ "a.b.c.d", 1 }, { "a.b.c.d.e", 0 }, { "", 0 }, { "Quangninh", 0 },
		{ "-x", 0 }, { "x-", 0 }, { "x..y", 0 }, { ".x", 0 }, { "x.", 0 },
		{ "hồngha", 0 }, { "a b", 0 }, { "x/y", 0 },
		{ "abcdefghijabcdefghijabcdefghijab", 1 },
		{ "abcdefghijabcdefghijabcdefghijabc", 0 },
	};
	char d[300];

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		tap_is_int(vb_portal_id_valid(ids[i].id), ids[i].ok, "slug \"%s\"", ids[i].id);
	tap_ok(!vb_portal_domain_normalize("HongHa.HaLong.QuangNinh.gov.vn:8080", d, sizeof(d)) &&
	       !strcmp(d, "hongha.halong.quangninh.gov.vn"), "Host: lower case, port dropped");
	tap_ok(!vb_portal_domain_normalize("quangninh.gov.vn.", d, sizeof(d)) &&
	       !strcmp(d, "quangninh.gov.vn"), "Host: final dot dropped");
	tap_ok(vb_portal_domain_normalize("a..b", d, sizeof(d)) != 0, "empty label refused");
	tap_ok(vb_portal_domain_normalize("a_b.vn", d, sizeof(d)) != 0, "underscore refused");
	tap_ok(vb_portal_domain_normalize("", d, sizeof(d)) != 0, "empty host refused");
}

static void test_create(void)
{
	json_t *h;

	tap_is_int(op("create", NULL, "{\"id\":\"quangninh\",\"kind\":\"province\","
		      "\"names\":{\"vi\":\"Tỉnh Quảng Ninh\",\"en\":\"Quang Ninh Province\"},"
		      "\"domains\":[\"WWW.QuangNinh.gov.vn\"],\"languages\":[\"vi\",\"en\",\"zh\"]}"),
		   0, "create the province");
	tap_is_str(field("quangninh", "place"), "Quảng Ninh", "place derived from the name");
	tap_is_str(scope("quangninh"), "UBND tỉnh Quảng Ninh|HĐND tỉnh Quảng Ninh",
		   "default issuers: UBND and HĐND of the unit, lower-case unit word");
	tap_is_str(json_string_value(json_array_get(json_object_get(vb_portal_get(reg, "quangninh"),
								    "domains"), 0)),
		   "www.quangninh.gov.vn", "domain stored in lower case");
	tap_is_str(field("quangninh", "default_language"), "vi", "default language: the first");
	tap_is_int(op("create", NULL, "{\"id\":\"sotuphap\",\"kind\":\"department\","
		      "\"parent\":\"quangninh\",\"names\":{\"vi\":\"Sở Tư pháp tỉnh Quảng Ninh\"},"
		      "\"domains\":[\"sotuphap.quangninh.gov.vn\"]}"), 0, "create a department");
	tap_is_str(scope("sotuphap"), "Sở Tư pháp tỉnh Quảng Ninh|UBND tỉnh Quảng Ninh|"
		   "HĐND tỉnh Quảng Ninh", "department: its own issuer plus the province's");
	tap_ok(field("sotuphap", "place") == NULL, "a department has no place name");
	tap_is_int(op("create", NULL, "{\"id\":\"halong\",\"kind\":\"district\",\"parent\":"
		      "\"quangninh\",\"names\":{\"vi\":\"Thành phố Hạ Long\"}}"), 0, "create a district");
	tap_is_int(op("create", NULL, "{\"id\":\"hongha.halong\",\"kind\":\"commune\",\"parent\":"
		      "\"halong\",\"names\":{\"vi\":\"Phường Hồng Hà\"},"
		      "\"domains\":[\"hongha.halong.quangninh.gov.vn\"]}"), 0, "create commune A");
	tap_is_int(op("create", NULL, "{\"id\":\"honghai.halong\",\"kind\":\"commune\",\"parent\":"
		      "\"halong\",\"names\":{\"vi\":\"Phường Hồng Hải\"},"
		      "\"domains\":[\"honghai.halong.quangninh.gov.vn\"]}"), 0, "create commune B");
	tap_is_str(field("hongha.halong", "place"), "Hồng Hà", "commune place without \"Phường\"");
	tap_is_str(scope("hongha.halong"), "UBND phường Hồng Hà|HĐND phường Hồng Hà|"
		   "UBND thành phố Hạ Long|HĐND thành phố Hạ Long|UBND tỉnh Quảng Ninh|"
		   "HĐND tỉnh Quảng Ninh", "commune: own, district's and province's (Điều 18)");
	tap_ok(scope_has("quangninh", "UBND phường Hồng Hải") &&
	       scope_has("quangninh", "Sở Tư pháp tỉnh Quảng Ninh"),
	       "the province shows every portal below it");
	tap_ok(!scope_has("sotuphap", "UBND phường Hồng Hà"), "siblings do not see each other");

	/* refused records */
	tap_is_int(op("create", NULL, "{\"id\":\"quangninh\",\"kind\":\"province\",\"names\":"
		      "{\"vi\":\"X\"}}"), VB_EINVAL, "an existing id");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"planet\",\"names\":{\"vi\":\"X\"}}"),
		   VB_EINVAL, "an unknown kind");
	tap_is_int(op("create", NULL, "{\"id\":\"Bad Id\",\"kind\":\"topic\",\"names\":{\"vi\":\"X\"}}"),
		   VB_EINVAL, "a bad slug");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"topic\",\"names\":{\"en\":\"X\"}}"),
		   VB_EINVAL, "no Vietnamese name");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"topic\",\"names\":{\"vi\":\"X\"},"
		      "\"domains\":[\"sotuphap.quangninh.gov.vn\"]}"), VB_EINVAL,
		   "a domain of another portal");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"topic\",\"names\":{\"vi\":\"X\"},"
		      "\"parent\":\"nowhere\"}"), VB_ENOTFOUND, "an unknown parent");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"topic\",\"names\":{\"vi\":\"X\"},"
		      "\"languages\":[\"fr\"]}"), VB_EINVAL, "an unknown language");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"topic\",\"names\":{\"vi\":\"X\"},"
		      "\"colour\":\"red\"}"), VB_EINVAL, "an unknown field");
	tap_is_int(op("create", NULL, "{\"id\":\"x\",\"kind\":\"topic\",\"names\":{\"vi\":\"   \"}}"),
		   VB_EINVAL, "a blank name");
	tap_ok(vb_portal_get(reg, "x") == NULL, "nothing refused was added");
	h = vb_portal_get(reg, "hongha.halong");
	tap_is_str(vb_portal_by_domain(reg, "HONGHA.halong.quangninh.gov.vn:443"), "hongha.halong",
		   "domain -> portal");
	tap_ok(vb_portal_by_domain(reg, "127.0.0.1:8080") == NULL, "an unknown host: no portal");
	tap_ok(json_is_true(json_object_get(h, "inherit")), "inherit by default");
}

static void test_scope_ops(void)
{
	tap_is_int(op("scope", "sotuphap", "{\"add\":[\"Hội đồng phổ biến giáo dục pháp luật tỉnh\"]}"),
		   0, "add an issuer to a scope");
	tap_ok(scope_has("sotuphap", "Hội đồng phổ biến giáo dục pháp luật tỉnh"), "it is in scope");
	tap_is_int(op("scope", "sotuphap", "{\"inherit\":false}"), 0, "stop inheriting");
	tap_ok(!scope_has("sotuphap", "UBND tỉnh Quảng Ninh"), "the province's issuers are gone");
	tap_is_int(op("scope", "sotuphap", "{\"inherit\":true}"), 0, "inherit again");
	tap_ok(scope_has("sotuphap", "UBND tỉnh Quảng Ninh"), "the province's issuers are back");
	tap_is_int(op("scope", "sotuphap", "{}"), VB_EINVAL, "an empty scope change is refused");
	tap_is_int(op("domain", "sotuphap", "{\"add\":[\"stp.quangninh.gov.vn\"]}"), 0, "add a domain");
	tap_is_str(vb_portal_by_domain(reg, "stp.quangninh.gov.vn"), "sotuphap", "it answers");
	tap_is_int(op("domain", "sotuphap", "{\"remove\":[\"stp.quangninh.gov.vn\"]}"), 0,
		   "remove it");
	tap_ok(vb_portal_by_domain(reg, "stp.quangninh.gov.vn") == NULL, "it is gone");
	tap_is_int(op("domain", "sotuphap", "{\"add\":[\"quangninh.gov.vn:80\"]}"), VB_EINVAL,
		   "a domain with a port is refused");
}

static void test_lifecycle(void)
{
	json_t *places = NULL, *h;

	tap_is_int(op("merge", "hongha.halong", "{\"with\":[\"honghai.halong\"],\"into\":"
		      "{\"id\":\"honggai.halong\",\"kind\":\"commune\",\"parent\":\"halong\","
		      "\"names\":{\"vi\":\"Phường Hồng Gai\"},"
		      "\"domains\":[\"honggai.halong.quangninh.gov.vn\"]}}"), 0,
		   "merge A+B into a new C");
	tap_is_str(field("hongha.halong", "state"), "merged", "A is merged");
	tap_is_str(field("honghai.halong", "state"), "merged", "B is merged");
	tap_is_str(resolve("hongha.halong"), "honggai.halong", "A's id leads to C");
	tap_is_str(resolve("honghai.halong"), "honggai.halong", "B's id leads to C");
	tap_is_str(vb_portal_by_domain(reg, "hongha.halong.quangninh.gov.vn"), "hongha.halong",
		   "A keeps its domain (history)");
	tap_ok(scope_has("honggai.halong", "UBND phường Hồng Hà") &&
	       scope_has("honggai.halong", "UBND phường Hồng Hải") &&
	       scope_has("honggai.halong", "UBND phường Hồng Gai") &&
	       scope_has("honggai.halong", "UBND tỉnh Quảng Ninh"),
	       "C's scope: its own, A's, B's and the province's");
	tap_is_str(scope("hongha.halong"), scope("honggai.halong"), "A's scope is C's");
	tap_is_int(vb_portal_places(reg, "honggai.halong", &places, NULL), 0, "C's former places");
	tap_is_int(json_array_size(places), 2, "two former places");
	tap_is_str(json_string_value(json_object_get(json_array_get(places, 0), "name")), "Hồng Hà",
		   "the first is Hồng Hà");
	tap_is_str(json_string_value(json_array_get(json_object_get(json_array_get(places, 0),
								    "issuers"), 0)),
		   "UBND phường Hồng Hà", "standing for its own issuers");
	json_decref(places);
	tap_is_int(op("rename", "hongha.halong", "{\"names\":{\"vi\":\"X\"}}"), VB_EINVAL,
		   "a merged portal cannot be renamed");
	tap_is_int(op("merge", "honghai.halong", "{\"into\":\"quangninh\"}"), VB_EINVAL,
		   "nor merged again");
	tap_is_int(op("retire", "hongha.halong", NULL), VB_EINVAL, "nor retired");
	tap_is_int(op("merge", "halong", "{\"into\":\"halong\"}"), VB_EINVAL,
		   "a portal cannot be merged into itself");
	tap_is_int(op("merge", "halong", "{}"), VB_EINVAL, "merge needs into");
	tap_ok(vb_portal_get(reg, "hongha.halong") != NULL, "nothing is deleted");

	/* rename keeps the old place name searchable */
	tap_is_int(op("create", NULL, "{\"id\":\"quangtrung.uongbi\",\"kind\":\"commune\","
		      "\"parent\":\"quangninh\",\"names\":{\"vi\":\"Xã Quang Trung\"}}"), 0, "a commune");
	tap_is_int(op("rename", "quangtrung.uongbi", "{\"names\":{\"vi\":\"Phường Quang Trung\","
		      "\"en\":\"Quang Trung Ward\"}}"), 0, "rename it");
	h = vb_portal_get(reg, "quangtrung.uongbi");
	tap_is_str(json_string_value(json_object_get(json_object_get(h, "names"), "vi")),
		   "Phường Quang Trung", "new name");
	tap_is_int(json_array_size(json_object_get(h, "former_names")), 1, "old name kept");
	tap_ok(scope_has("quangtrung.uongbi", "UBND xã Quang Trung") &&
	       scope_has("quangtrung.uongbi", "UBND phường Quang Trung"),
	       "old and new issuers in scope");

	/* A into existing B, then split and retire */
	tap_is_int(op("create", NULL, "{\"id\":\"t1\",\"kind\":\"topic\",\"names\":{\"vi\":\"Chuyên trang 1\"},"
		      "\"domains\":[\"t1.quangninh.gov.vn\"]}"), 0, "topic t1");
	tap_is_int(op("create", NULL, "{\"id\":\"t2\",\"kind\":\"topic\",\"names\":{\"vi\":\"Chuyên trang 2\"}}"),
		   0, "topic t2");
	tap_is_int(op("merge", "t1", "{\"into\":\"t2\"}"), 0, "merge t1 into existing t2");
	tap_is_str(resolve("t1"), "t2", "t1 leads to t2");
	tap_ok(scope_has("t2", "Chuyên trang 1"), "t2 shows t1's documents");
	tap_is_int(op("split", "t2", "{\"into\":[{\"id\":\"t3\",\"kind\":\"topic\",\"names\":"
		      "{\"vi\":\"Chuyên trang 3\"}},{\"id\":\"t4\",\"kind\":\"topic\",\"names\":"
		      "{\"vi\":\"Chuyên trang 4\"}}]}"), 0, "split t2 into new t3 and t4");
	tap_is_str(resolve("t1"), "t3", "t1 -> t2 -> first successor t3");
	tap_ok(scope_has("t3", "Chuyên trang 1") && scope_has("t4", "Chuyên trang 2"),
	       "both successors show the split portal's (and its predecessor's) documents");
	tap_is_int(op("split", "t3", "{\"into\":[\"t4\"]}"), VB_EINVAL, "a split needs 2 successors");
	tap_is_int(op("retire", "t4", NULL), 0, "retire t4 without successor");
	tap_is_str(resolve("t4"), "quangninh", "a retired topic leads to its parent, the province");
	tap_is_int(op("retire", "t3", "{\"successor\":\"sotuphap\"}"), 0, "retire t3 into sotuphap");
	tap_is_str(resolve("t1"), "sotuphap", "t1 -> t2 -> t3 -> sotuphap");
	tap_ok(vb_portal_resolve(reg, "nowhere", NULL) == NULL, "unknown id resolves to nothing");
	tap_is_int(op("frobnicate", "t1", NULL), VB_EINVAL, "an unknown operation");
}

static void test_search_setup(void)
{
	vb_portal_search ps;
	vb_search_req req;
	vb_error err;

	vb_portal_search_init(&ps);
	vb_search_req_init(&req);
	tap_is_int(vb_portal_search_setup(&ps, reg, "hongha.halong", NULL, &err), 0,
		   "search on an old portal id");
	tap_is_str(ps.id, "honggai.halong", "resolved to the successor");
	tap_is_str(ps.requested, "hongha.halong", "as requested");
	tap_is_str(ps.default_language, "vi", "its default language");
	vb_portal_search_apply(&ps, &req);
	tap_ok(req.has_scope && req.n_scope_issuers >= 6, "the request has the scope (%zu issuers)",
	       req.n_scope_issuers);
	tap_is_int(req.n_places, 2, "and the two former places");
	tap_is_str(req.places[1].name, "Hồng Hải", "second place");
	tap_is_str(req.places[1].issuers[0], "UBND phường Hồng Hải", "its issuer");
	tap_is_int(vb_portal_search_setup(&ps, reg, NULL, "honghai.halong.quangninh.gov.vn", &err), 0,
		   "search by an old domain");
	tap_ok(!strcmp(ps.id, "honggai.halong") && ps.by_host, "also the successor, by host");
	tap_is_int(vb_portal_search_setup(&ps, reg, NULL, "localhost:8080", &err), 0,
		   "an unknown host");
	tap_is_str(ps.id, "", "no portal, no scope");
	vb_search_req_init(&req);
	vb_portal_search_apply(&ps, &req);
	tap_ok(!req.has_scope, "the request is not scoped");
	tap_is_int(vb_portal_search_setup(&ps, reg, "nowhere", NULL, &err), VB_ENOTFOUND,
		   "an unknown portal id");
	tap_is_int(vb_portal_search_setup(&ps, reg, "No!", NULL, &err), VB_EINVAL, "a bad id");
	vb_portal_search_dispose(&ps);
}

/* The former place names in the query (lib/query_place.c vb_query_expand_places): the
 * query's place words also stand for the place's issuers. */
static void test_query_places(void)
{
	static const char *const iss[] = { "UBND phường Hồng Hà" };
	vb_search_place pl = { "Hồng Hà", iss, 1 };
	static const char *const scope_v[] = { "UBND phường Hồng Gai", "UBND phường Hồng Hà" };
	vb_search_req req;
	vb_query q;
	vb_error err;
	char *d;

	vb_search_req_init(&req);
	req.q = "Hồng Hà vệ sinh";
	req.places = &pl;
	req.n_places = 1;
	req.no_synonyms = 1;
	tap_is_int(vb_query_build(&q, &req, NULL, &err), 0, "build a query naming a former place");
	d = vb_xquery_describe(q.strict);
	tap_ok(d && strstr(d, "XIubnd phuong hong ha") && strstr(d, "FILTER"),
	       "it also matches the place's issuer, filtered by the rest of the query");
	printf("#   %s\n", d ? d : "(null)");
	free(d);
	vb_query_dispose(&q);
	req.q = "hong  ha";
	tap_is_int(vb_query_build(&q, &req, NULL, &err), 0, "the place alone, unaccented");
	d = vb_xquery_describe(q.strict);
	tap_ok(d && strstr(d, "XIubnd phuong hong ha"), "matches the issuer");
	free(d);
	vb_query_dispose(&q);
	req.q = "vệ sinh hồng";
	tap_is_int(vb_query_build(&q, &req, NULL, &err), 0, "a query with part of the place");
	d = vb_xquery_describe(q.strict);
	tap_ok(d && !strstr(d, "XIubnd"), "no expansion");
	free(d);
	vb_query_dispose(&q);
	req.q = "";
	req.has_scope = 1;
	req.scope_issuers = scope_v;
	req.n_scope_issuers = 2;
	tap_is_int(vb_query_build(&q, &req, NULL, &err), 0, "a scoped match-all");
	d = q.filter ? vb_xquery_describe(q.filter) : NULL;
	tap_ok(d && strstr(d, "XIubnd phuong hong gai") && strstr(d, "XIubnd phuong hong ha"),
	       "the scope is an issuer filter");
	free(d);
	vb_query_dispose(&q);
	req.n_scope_issuers = 0;
	tap_is_int(vb_query_build(&q, &req, NULL, &err), 0, "an empty scope");
	d = q.filter ? vb_xquery_describe(q.filter) : NULL;
	tap_ok(d != NULL, "still filters (matches nothing): %s", d ? d : "(none)");
	free(d);
	vb_query_dispose(&q);
}

static void test_tsv(void)
{
	const char *src = getenv("VB_SRCDIR");
	char path[1024], line[4096];
	json_t *rec = NULL;
	vb_error err;
	FILE *f;
	size_t n = 0, bad = 0;

	tap_is_int(vb_portal_tsv_row("# comment", &rec, &err), 0, "comment line");
	tap_ok(rec == NULL, "gives no record");
	tap_is_int(vb_portal_tsv_row("a\tcommune\t-\tXã A\t-\t-\t-\ta.b.vn|c.b.vn\tUBND xã A | HĐND xã A\tvi|en\n",
				     &rec, &err), 0, "a full line");
	tap_is_int(json_array_size(json_object_get(rec, "domains")), 2, "two domains");
	tap_is_str(json_string_value(json_array_get(json_object_get(rec, "issuers"), 1)), "HĐND xã A",
		   "issuers trimmed");
	tap_ok(!json_object_get(rec, "parent") && !json_object_get(json_object_get(rec, "names"), "en"),
	       "\"-\" is absent");
	json_decref(rec);
	tap_is_int(vb_portal_tsv_row("a\tcommune\n", &rec, &err), VB_EINVAL, "too few columns");
	tap_is_int(vb_portal_tsv_row("a\tb\tc\td\te\tf\tg\th\ti\tj\tk\n", &rec, &err), VB_EINVAL,
		   "too many columns");

	/* the bundled registry loads into an empty one */
	json_decref(reg);
	reg = json_object();
	snprintf(path, sizeof(path), "%s/data/portals.tsv", src ? src : ".");
	if (!(f = fopen(path, "r"))) {
		tap_ok(0, "open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		json_t *changed = json_array();

		rec = NULL;
		if (vb_portal_tsv_row(line, &rec, &err) ||
		    (rec && vb_portal_op(reg, "create", NULL, rec, changed, &err))) {
			printf("#   %s: %s\n", line, err.msg);
			bad++;
		}
		n += rec != NULL;
		json_decref(rec);
		json_decref(changed);
	}
	fclose(f);
	tap_ok(!bad && n >= 10, "data/portals.tsv: %zu portals, %zu refused", n, bad);
	tap_ok(scope_has("hongha.halong", "UBND tỉnh Quảng Ninh"), "its communes see the province");
	tap_is_str(vb_portal_by_domain(reg, "www.quangninh.gov.vn"), "quangninh",
		   "www.quangninh.gov.vn is the province (Điều 2)");
}

/* A stored registry edited by hand may hold a list element that is not a
 * string; editing that list must neither crash nor drop it. */
static void test_odd_stored_lists(void)
{
	json_t *doms = json_object_get(json_object_get(reg, "sotuphap"), "domains");
	size_t n = json_array_size(doms);

	tap_ok(json_is_array(doms), "sotuphap has a domains list");
	json_array_append_new(doms, json_integer(7));
	tap_is_int(op("domain", "sotuphap", "{\"add\":[\"tp.quangninh.gov.vn\"]}"), 0,
		   "a domain added beside a non-string element");
	tap_is_int(op("domain", "sotuphap", "{\"remove\":[\"tp.quangninh.gov.vn\"]}"), 0,
		   "and removed again");
	tap_is_int((int)json_array_size(doms), (int)n + 1, "the odd element is left alone");
	tap_ok(json_is_integer(json_array_get(doms, n)), "it is still the last one");
	json_array_remove(doms, n);
}

int main(void)
{
	reg = json_object();
	test_slugs();
	test_create();
	test_scope_ops();
	test_lifecycle();
	test_search_setup();
	test_query_places();
	test_tsv();
	test_odd_stored_lists();
	json_decref(reg);
	return tap_done();
}
