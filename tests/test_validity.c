/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/validity.c: dates x relations x overrides ->
 * status, since, computed expiry and the decisive evidence.
 */
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "tap.h"
#include "validity.h"

#define TODAY "2024-06-01"

static const vb_validity_event replaced_2023[] = {
	{ "replaces", 7, "05/2023/QĐ-UBND", "2023-03-01", "Điều 2 ... thay thế Quyết định số 31A", "text" },
};
static const vb_validity_event replaced_future[] = {
	{ "replaces", 7, "09/2024/QĐ-UBND", "2024-09-01", NULL, "vbpl" },
};
static const vb_validity_event repealed_nodate[] = {
	{ "repeals", 0, "3/2024/QĐ-UBND", NULL, NULL, "vbpl" },
};
static const vb_validity_event part_2023[] = {
	{ "repeals_part", 8, "1/2023/QĐ-UBND", "2023-05-01", NULL, "vbpl" },
};
static const vb_validity_event suspended[] = {
	{ "suspends", 9, "2/2024/QĐ-TTg", "2024-01-10", NULL, "vbpl" },
};
static const vb_validity_event two_whole[] = {
	{ "repeals", 11, "B", "2023-06-01", NULL, "vbpl" },
	{ "replaces", 10, "A", "2023-03-01", NULL, "text" },
	{ "amends", 12, "C", "2022-01-01", NULL, "vbpl" },
};
static const vb_validity_event part_and_susp[] = {
	{ "repeals_part", 8, "P", "2023-05-01", NULL, "vbpl" },
	{ "suspends", 9, "S", "2024-01-10", NULL, "vbpl" },
};

static const struct {
	const char *name;
	const char *declared, *effective, *expiry;
	const vb_validity_event *ev;
	size_t nev;
	const char *ovr, *reason;
	const char *want, *since, *until, *kind; /* kind of the decisive evidence, NULL none */
} cases[] = {
	{ "31A replaced by 05/2023", "in_force", "2020-09-15", NULL, replaced_2023, 1, NULL, NULL,
	  "expired", "2023-03-01", "2023-03-01", "relation" },
	{ "label as declared status", "Còn hiệu lực", "2020-09-15", NULL, replaced_2023, 1, NULL, NULL,
	  "expired", "2023-03-01", "2023-03-01", "relation" },
	{ "replacement not yet effective", "in_force", "2020-09-15", NULL, replaced_future, 1, NULL,
	  NULL, "in_force", "", "2024-09-01", "source" },
	{ "repealed, date unknown", NULL, "2020-01-01", NULL, repealed_nodate, 1, NULL, NULL,
	  "expired", "", "", "relation" },
	{ "repealed in part", "in_force", "2020-01-01", NULL, part_2023, 1, NULL, NULL,
	  "partly_expired", "2023-05-01", "", "relation" },
	{ "suspended", "in_force", "2020-01-01", NULL, suspended, 1, NULL, NULL, "suspended",
	  "2024-01-10", "", "relation" },
	{ "suspension beats part repeal", NULL, "2020-01-01", NULL, part_and_susp, 2, NULL, NULL,
	  "suspended", "2024-01-10", "", "relation" },
	{ "earliest whole repeal decides", "in_force", "2020-01-01", NULL, two_whole, 3, NULL, NULL,
	  "expired", "2023-03-01", "2023-03-01", "relation" },
	{ "not yet in force", "in_force", "2024-07-01", NULL, NULL, 0, NULL, NULL,
	  "not_yet_in_force", "", "", "effective_date" },
	{ "declared not yet, date passed", "not_yet_in_force", "2024-05-01", NULL, NULL, 0, NULL,
	  NULL, "in_force", "2024-05-01", "", "effective_date" },
	{ "own expiry passed", "in_force", "2020-01-01", "2024-01-01", NULL, 0, NULL, NULL,
	  "expired", "2024-01-01", "2024-01-01", "expiry_date" },
	{ "own expiry today", "in_force", "2020-01-01", TODAY, NULL, 0, NULL, NULL,
	  "expired", TODAY, TODAY, "expiry_date" },
	{ "own expiry ahead", NULL, "2020-01-01", "2025-01-01", NULL, 0, NULL, NULL,
	  "in_force", "2020-01-01", "2025-01-01", "effective_date" },
	{ "declared expired kept", "expired", "2020-01-01", NULL, NULL, 0, NULL, NULL,
	  "expired", "", "", "source" },
	{ "nothing known", NULL, NULL, NULL, NULL, 0, NULL, NULL, "unknown", "", "", NULL },
	{ "unknown declared, dated", "unknown", "2021-01-01", NULL, NULL, 0, NULL, NULL,
	  "in_force", "2021-01-01", "", "effective_date" },
	{ "override wins over replacement", "in_force", "2020-09-15", NULL, replaced_2023, 1,
	  "in_force", "Điều 2 chỉ thay thế một phần", "in_force", "", "2023-03-01", "override" },
	{ "override by label", NULL, NULL, NULL, NULL, 0, "Ngưng hiệu lực", "Quyết định đình chỉ",
	  "suspended", "", "", "override" },
	{ "earlier expiry than replacement", "in_force", "2020-01-01", "2022-01-01", replaced_2023,
	  1, NULL, NULL, "expired", "2023-03-01", "2022-01-01", "relation" },
};

int main(void)
{
	size_t i;
	vb_validity v;
	vb_validity_in in;
	vb_error e;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *first;
		const char *kind;

		memset(&in, 0, sizeof(in));
		in.today = TODAY;
		in.declared_status = cases[i].declared;
		in.source = "test";
		in.effective_date = cases[i].effective;
		in.expiry_date = cases[i].expiry;
		in.events = cases[i].ev;
		in.n_events = cases[i].nev;
		in.override_status = cases[i].ovr;
		in.override_reason = cases[i].reason;
		rc = vb_validity_compute(&in, &v, &e);
		tap_is_int(rc, 0, "%s: computes", cases[i].name);
		tap_is_str(v.status, cases[i].want, "%s: status", cases[i].name);
		tap_is_str(v.since, cases[i].since, "%s: since", cases[i].name);
		tap_is_str(v.until, cases[i].until, "%s: until", cases[i].name);
		first = json_array_get(v.evidence, 0);
		kind = json_string_value(json_object_get(first, "kind"));
		if (cases[i].kind)
			tap_ok(kind && !strcmp(kind, cases[i].kind) &&
			       json_is_true(json_object_get(first, "decisive")),
			       "%s: decisive evidence %s (got %s)", cases[i].name, cases[i].kind,
			       kind ? kind : "none");
		else
			tap_ok(first == NULL, "%s: no evidence", cases[i].name);
		vb_validity_dispose(&v);
	}

	/* the evidence names the replacing document and its date */
	memset(&in, 0, sizeof(in));
	in.today = TODAY;
	in.effective_date = "2020-09-15";
	in.events = replaced_2023;
	in.n_events = 1;
	tap_is_int(vb_validity_compute(&in, &v, &e), 0, "31A again");
	{
		json_t *j = vb_validity_to_json(&v);
		json_t *ev0 = json_array_get(json_object_get(j, "evidence"), 0);
		const char *text = json_string_value(json_object_get(ev0, "text"));

		tap_ok(text && strstr(text, "05/2023/QĐ-UBND") && strstr(text, "01/03/2023") &&
		       strstr(text, "thay thế"), "evidence text: %s", text ? text : "(none)");
		tap_is_int((int)json_integer_value(json_object_get(ev0, "document")), 7, "evidence document id");
		tap_is_str(json_string_value(json_object_get(json_object_get(j, "label"), "vi")),
			   "Hết hiệu lực toàn bộ", "label vi");
		json_decref(j);
	}
	vb_validity_dispose(&v);

	/* bad input */
	memset(&in, 0, sizeof(in));
	in.today = "2024-13-01";
	tap_is_int(vb_validity_compute(&in, &v, &e), VB_EINVAL, "bad today");
	vb_validity_dispose(&v);
	in.today = TODAY;
	in.override_status = "whatever";
	in.override_reason = "x";
	tap_is_int(vb_validity_compute(&in, &v, &e), VB_EINVAL, "bad override");
	vb_validity_dispose(&v);
	{
		char today[11];

		vb_validity_today(today);
		tap_ok(strlen(today) == 10 && today[4] == '-' && today[7] == '-', "today %s", today);
	}
	return tap_done();
}
