/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Validity (tình trạng hiệu lực) computed from a document's dates, the
 * relations that act on it and a staff override, with the evidence kept.
 * The rules, strongest first:
 *
 *   1. a staff override (status + reason) wins;
 *   2. replaced or repealed as a whole by a document whose effective date
 *      (else issue date) is today or earlier, or unknown: "expired" (Hết
 *      hiệu lực toàn bộ) from that date;
 *   3. the document's own expiry date is today or earlier: "expired";
 *   4. suspended: "suspended";
 *   5. the effective date is after today: "not_yet_in_force";
 *   6. repealed in part: "partly_expired";
 *   7. the status the source declared (a declared "not yet in force" whose
 *      effective date has come is "in_force");
 *   8. an effective date today or earlier: "in_force"; else "unknown".
 *
 * The computed expiry ("until": the first day the document no longer
 * applies) is the earliest of the declared expiry date and the dates of
 * whole replacements/repeals, future ones included, so that a search for
 * what was in force on a day is right before and after that day.
 *
 * Pure and thread-safe.
 */
#ifndef VB_VALIDITY_H
#define VB_VALIDITY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"

/* A relation acting on the document (the document is its target). */
typedef struct vb_validity_event {
	const char *type;         /* relation type code (lib/relation.h) */
	int64_t by_id;            /* the acting document, 0 when unknown */
	const char *by_number;    /* its number, may be NULL */
	const char *by_date;      /* its effective date (else issue date), ISO; NULL/"" unknown */
	const char *evidence;     /* where the relation came from, may be NULL */
	const char *origin;       /* "vbpl", "text", ..., may be NULL */
} vb_validity_event;

#define VB_VALIDITY_MAX_EVENTS 500

/* The version of the rules above.  Raise it with any change of what
 * vb_validity_compute decides, or of the dates it compares with today
 * (the store's daily pass selects documents by those dates, see
 * vb_store_validity_pass): the next pass then recomputes every document. */
#define VB_VALIDITY_RULES 1

typedef struct vb_validity_in {
	const char *today;             /* ISO; required */
	const char *declared_status;   /* status code the source gave, may be NULL */
	const char *source;            /* the source's name, may be NULL */
	const char *effective_date;    /* ISO, NULL or "" unknown */
	const char *expiry_date;       /* declared expiry, ISO, NULL or "" */
	const vb_validity_event *events; /* at most VB_VALIDITY_MAX_EVENTS */
	size_t n_events;
	const char *override_status;   /* staff override code, NULL = none */
	const char *override_reason;
	const char *override_at;       /* when it was set, ISO timestamp, may be NULL */
} vb_validity_in;

typedef struct vb_validity {
	char status[24];       /* VB_STATUS_* code */
	char since[11];        /* from when the status applies, "" unknown */
	char until[11];        /* computed expiry (first day not in force), "" none */
	json_t *evidence;      /* array of {"kind", "status", "decisive", "text", ...} */
} vb_validity;

/* Compute the validity of in into out (initialised by the callee; release
 * with vb_validity_dispose, also on error).  Evidence items: "kind" is
 * "override", "relation", "expiry_date", "effective_date" or "source";
 * relation items also have "relation" (type), "document" (id or null),
 * "number", "date", "origin", "evidence"; "text" is a Vietnamese sentence
 * saying it ("Bị thay thế bởi Quyết định 05/2023/QĐ-UBND, từ ngày
 * 01/03/2023").  The decisive item comes first with "decisive": true.
 * VB_EINVAL (today missing or malformed, too many events), VB_ENOMEM. */
int vb_validity_compute(const vb_validity_in *in, vb_validity *out, vb_error *err);

void vb_validity_dispose(vb_validity *v);

/* {"status", "label": {"vi", "en", "zh"}, "since", "until", "evidence"}:
 * a new reference (dates null when unknown), NULL on allocation failure. */
json_t *vb_validity_to_json(const vb_validity *v);

/* Today's date in Việt Nam (UTC+7), ISO, into out. */
void vb_validity_today(char out[11]);

#endif
