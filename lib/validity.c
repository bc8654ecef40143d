/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Validity computed from dates, relations and a staff override (contract
 * and rules in validity.h).  Only string comparisons of ISO dates and
 * jansson: no database, no clock except vb_validity_today.
 */
#include "validity.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "document.h"
#include "relation.h"

static int has(const char *s)
{
	return s && *s;
}

static int iso_ok(const char *s)
{
	char iso[11];

	return s && strlen(s) == 10 && !vb_date_parse(s, iso, NULL) && !strcmp(iso, s);
}

/* "2023-03-01" -> "01/03/2023" (the way dates are written in Vietnamese). */
static void vi_date(const char *iso, char out[11])
{
	if (iso_ok(iso))
		snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		out[0] = '\0';
}

static void set_date(char dst[11], const char *iso)
{
	snprintf(dst, 11, "%s", iso_ok(iso) ? iso : "");
}

static int add(json_t *arr, json_t *item)
{
	if (!item)
		return VB_ENOMEM;
	return json_array_append_new(arr, item) ? VB_ENOMEM : 0;
}

static json_t *event_item(const vb_validity_event *e, const char *status)
{
	char d[11], text[768];
	const char *label = vb_relation_label(e->type, "vi", 1);

	vi_date(e->by_date, d);
	snprintf(text, sizeof(text), "%s %s%s%s", label,
		 has(e->by_number) ? e->by_number : "một văn bản chưa xác định số",
		 *d ? ", từ ngày " : "", d);
	return json_pack("{s:s, s:s, s:b, s:s, s:s, s:o, s:s?, s:s?, s:s?, s:s?}",
			 "kind", "relation", "status", status, "decisive", 0, "text", text,
			 "relation", e->type,
			 "document", e->by_id > 0 ? json_integer(e->by_id) : json_null(),
			 "number", has(e->by_number) ? e->by_number : NULL,
			 "date", iso_ok(e->by_date) ? e->by_date : NULL,
			 "origin", has(e->origin) ? e->origin : NULL,
			 "evidence", has(e->evidence) ? e->evidence : NULL);
}

static json_t *date_item(const char *kind, const char *date, const char *status,
			 const char *what)
{
	char d[11], text[128];

	vi_date(date, d);
	snprintf(text, sizeof(text), "%s %s", what, d);
	return json_pack("{s:s, s:s, s:b, s:s, s:s}", "kind", kind, "status", status,
			 "decisive", 0, "text", text, "date", date);
}

/* Does event e act now (its date known and <= today, or unknown)? */
static int acts_now(const vb_validity_event *e, const char *today)
{
	return !iso_ok(e->by_date) || strcmp(e->by_date, today) <= 0;
}

static int is_type(const vb_validity_event *e, const char *t)
{
	return e->type && !strcmp(e->type, t);
}

static int whole(const vb_validity_event *e)
{
	return is_type(e, VB_REL_REPLACES) || is_type(e, VB_REL_REPEALS);
}

int vb_validity_compute(const vb_validity_in *in, vb_validity *out, vb_error *err)
{
	const vb_validity_event *ev_whole = NULL, *ev_part = NULL, *ev_susp = NULL, *dec = NULL;
	const char *today = in ? in->today : NULL, *status = NULL, *since = "";
	const char *declared;
	json_t *decisive = NULL;
	size_t i;
	int rc = 0, whole_now = 0;

	memset(out, 0, sizeof(*out));
	if (!(out->evidence = json_array()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if (!iso_ok(today))
		return vb_error_set(err, VB_EINVAL, "invalid validity input: today is not a date");
	if (in->n_events > VB_VALIDITY_MAX_EVENTS || (in->n_events && !in->events))
		return vb_error_set(err, VB_EINVAL, "invalid validity input: too many relations (at most %d)",
				    VB_VALIDITY_MAX_EVENTS);
	declared = vb_status_code(in->declared_status);

	/* The computed expiry: earliest of the declared expiry and whole
	 * replacements/repeals with a date. */
	if (iso_ok(in->expiry_date))
		set_date(out->until, in->expiry_date);
	for (i = 0; i < in->n_events; i++) {
		const vb_validity_event *e = &in->events[i];

		if (whole(e)) {
			if (iso_ok(e->by_date) && (!out->until[0] || strcmp(e->by_date, out->until) < 0))
				set_date(out->until, e->by_date);
			if (acts_now(e, today)) {
				/* the earliest acting one is the decisive one */
				if (!ev_whole || (iso_ok(e->by_date) &&
						  (!iso_ok(ev_whole->by_date) ||
						   strcmp(e->by_date, ev_whole->by_date) < 0)))
					ev_whole = e;
				whole_now = 1;
			}
		} else if (is_type(e, VB_REL_REPEALS_PART) && acts_now(e, today)) {
			if (!ev_part)
				ev_part = e;
		} else if (is_type(e, VB_REL_SUSPENDS) && acts_now(e, today)) {
			if (!ev_susp)
				ev_susp = e;
		}
	}

	if (in->override_status) {
		char text[VB_ERROR_MSG_MAX + 4096];

		if (!vb_status_code(in->override_status))
			return vb_error_set(err, VB_EINVAL, "invalid status override \"%.32s\"",
					    in->override_status);
		status = vb_status_code(in->override_status);
		snprintf(text, sizeof(text), "Cán bộ xác định tình trạng \"%s\": %s",
			 vb_status_label(status, "vi"), has(in->override_reason) ? in->override_reason : "");
		decisive = json_pack("{s:s, s:s, s:b, s:s, s:s?, s:s?}", "kind", "override",
				     "status", status, "decisive", 1, "text", text,
				     "reason", in->override_reason, "at", in->override_at);
		if ((rc = add(out->evidence, decisive)))
			goto nomem;
	} else if (whole_now) {
		status = VB_STATUS_EXPIRED;
		since = iso_ok(ev_whole->by_date) ? ev_whole->by_date : "";
		dec = ev_whole;
	} else if (out->until[0] && strcmp(out->until, today) <= 0) {
		status = VB_STATUS_EXPIRED;
		since = out->until;
		if ((rc = add(out->evidence, date_item("expiry_date", out->until, status,
						       "Hết hiệu lực từ ngày"))))
			goto nomem;
	} else if (ev_susp) {
		status = VB_STATUS_SUSPENDED;
		since = iso_ok(ev_susp->by_date) ? ev_susp->by_date : "";
		dec = ev_susp;
	} else if (iso_ok(in->effective_date) && strcmp(in->effective_date, today) > 0) {
		status = VB_STATUS_NOT_YET;
		if ((rc = add(out->evidence, date_item("effective_date", in->effective_date, status,
						       "Có hiệu lực từ ngày"))))
			goto nomem;
	} else if (ev_part) {
		status = VB_STATUS_PARTLY_EXPIRED;
		since = iso_ok(ev_part->by_date) ? ev_part->by_date : "";
		dec = ev_part;
	} else if (declared && strcmp(declared, VB_STATUS_UNKNOWN) &&
		   !(!strcmp(declared, VB_STATUS_NOT_YET) && iso_ok(in->effective_date))) {
		char text[256];

		status = declared;
		snprintf(text, sizeof(text), "Theo nguồn %s: %s", has(in->source) ? in->source : "",
			 vb_status_label(declared, "vi"));
		if ((rc = add(out->evidence, json_pack("{s:s, s:s, s:b, s:s, s:s?}", "kind", "source",
						       "status", status, "decisive", 0, "text", text,
						       "source", in->source))))
			goto nomem;
	} else if (iso_ok(in->effective_date)) {
		status = VB_STATUS_IN_FORCE;
		since = in->effective_date;
		if ((rc = add(out->evidence, date_item("effective_date", in->effective_date, status,
						       "Có hiệu lực từ ngày"))))
			goto nomem;
	} else {
		status = VB_STATUS_UNKNOWN;
	}

	/* Every acting relation is evidence; the decisive one first. */
	if (dec && (rc = json_array_insert_new(out->evidence, 0, event_item(dec, status)) ? VB_ENOMEM : 0))
		goto nomem;
	for (i = 0; i < in->n_events; i++) {
		const vb_validity_event *e = &in->events[i];
		const char *st;

		if (e == dec)
			continue;
		if (whole(e))
			st = VB_STATUS_EXPIRED;
		else if (is_type(e, VB_REL_REPEALS_PART))
			st = VB_STATUS_PARTLY_EXPIRED;
		else if (is_type(e, VB_REL_SUSPENDS))
			st = VB_STATUS_SUSPENDED;
		else if (is_type(e, VB_REL_SUSPENDS_PART))
			st = VB_STATUS_SUSPENDED;
		else
			continue;
		if ((rc = add(out->evidence, event_item(e, st))))
			goto nomem;
	}
	/* decisive: the first item when it supports the status */
	if (json_array_size(out->evidence)) {
		json_t *first = json_array_get(out->evidence, 0);
		const char *fs = json_string_value(json_object_get(first, "status"));

		if (fs && !strcmp(fs, status))
			json_object_set_new(first, "decisive", json_true());
	}
	snprintf(out->status, sizeof(out->status), "%s", status);
	set_date(out->since, since);
	return 0;
nomem:
	return vb_error_set(err, VB_ENOMEM, "out of memory");
}

void vb_validity_dispose(vb_validity *v)
{
	if (!v)
		return;
	json_decref(v->evidence);
	memset(v, 0, sizeof(*v));
}

json_t *vb_validity_to_json(const vb_validity *v)
{
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:s?, s:s?, s:O?}", "status", v->status,
			 "label", "vi", vb_status_label(v->status, "vi"),
			 "en", vb_status_label(v->status, "en"),
			 "zh", vb_status_label(v->status, "zh"),
			 "since", v->since[0] ? v->since : NULL,
			 "until", v->until[0] ? v->until : NULL,
			 "evidence", v->evidence);
}

void vb_validity_today(char out[11])
{
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
