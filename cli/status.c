/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanban status: a document's validity and relations, and the staff
 * override of its status.
 *
 *   vanban status ID                       print eli, validity, relations,
 *                                          timeline as JSON
 *   vanban status ID CODE --reason TEXT    override the status (CODE: in_force,
 *                                          expired, partly_expired,
 *                                          not_yet_in_force, suspended, unknown)
 *   vanban status ID --clear               remove the override
 *   vanban status --recompute              recompute every document's validity
 *                                          (run daily: "not yet in force" and
 *                                          expiry depend on today's date)
 *   vanban status --from-text              store the relations the text of every
 *                                          document states (for documents
 *                                          imported before relations existed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "document.h"
#include "store.h"

static int usage(void)
{
	fprintf(stderr, "usage: vanban status ID [CODE --reason TEXT | --clear]\n"
		"       vanban status --recompute | --from-text\n");
	return 2;
}

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*id = (int64_t)v;
	return 0;
}

/* The relations stated by the text of every document, one at a time. */
static int texts_all(vb_store *st)
{
	int64_t ids[500], after = 0, done = 0, failed = 0;
	vb_document doc;
	vb_error err;
	size_t n, i;

	vb_error_clear(&err);
	for (;;) {
		if (vb_store_document_ids(st, after, sizeof(ids) / sizeof(ids[0]), ids, &n, &err)) {
			fprintf(stderr, "vanban status: %s\n", err.msg);
			return 2;
		}
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			int rc = vb_store_get_document(st, ids[i], 1, &doc, &err);

			after = ids[i];
			if (rc == VB_ENOTFOUND)
				continue; /* deleted meanwhile */
			if (rc) {
				fprintf(stderr, "vanban status: %s\n", err.msg);
				return 2;
			}
			if (doc.text && vb_store_relations_from_text(st, ids[i], doc.text, &err)) {
				fprintf(stderr, "vanban status: document %lld: %s\n",
					(long long)ids[i], err.msg);
				failed++;
			} else {
				done++;
			}
			vb_document_dispose(&doc);
		}
	}
	printf("%lld documents read, %lld failed\n", (long long)done, (long long)failed);
	return failed ? 1 : 0;
}

int vb_cmd_status(vb_config *cfg, int argc, char **argv)
{
	const char *code = NULL, *reason = NULL, *ids = NULL;
	int clear = 0, recompute = 0, from_text = 0, i, status = 0, rc;
	vb_store *st = NULL;
	vb_error err;
	int64_t id = 0;
	json_t *o = NULL;

	vb_error_clear(&err);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reason") && i + 1 < argc)
			reason = argv[++i];
		else if (!strcmp(argv[i], "--clear"))
			clear = 1;
		else if (!strcmp(argv[i], "--recompute"))
			recompute = 1;
		else if (!strcmp(argv[i], "--from-text"))
			from_text = 1;
		else if (argv[i][0] == '-')
			return usage();
		else if (!ids)
			ids = argv[i];
		else if (!code)
			code = argv[i];
		else
			return usage();
	}
	if (recompute && from_text)
		return usage();
	if (recompute || from_text ? (ids || code || clear || reason) :
	    (!ids || (clear && (code || reason)) || (reason && !code)))
		return usage();
	if (ids && parse_id(ids, &id)) {
		fprintf(stderr, "vanban status: invalid document id \"%s\"\n", ids);
		return 2;
	}
	if (code && vb_status_code(code))
		code = vb_status_code(code); /* a label ("Hết hiệu lực toàn bộ") is fine too */
	if (code && (!reason || !*reason)) {
		fprintf(stderr, "vanban status: a status override needs --reason TEXT\n");
		return 2;
	}
	if (vb_store_open(&st, cfg->db, &err)) {
		fprintf(stderr, "vanban status: %s\n", err.msg);
		return 2;
	}
	if (from_text) {
		status = texts_all(st);
		goto out;
	}
	if (recompute) {
		size_t changed = 0;

		if ((rc = vb_store_validity_recompute(st, 0, &changed, &err))) {
			fprintf(stderr, "vanban status: %s\n", err.msg);
			status = 2;
		} else {
			printf("%zu documents changed\n", changed);
		}
		goto out;
	}
	if ((code || clear) && (rc = vb_store_status_override(st, id, code, reason, &err))) {
		fprintf(stderr, "vanban status: %s\n", err.msg);
		status = rc == VB_EINVAL || rc == VB_ETOOBIG || rc == VB_ENOTFOUND ? 1 : 2;
		goto out;
	}
	if ((rc = vb_store_document_relations(st, id, &o, &err))) {
		fprintf(stderr, "vanban status: %s\n", err.msg);
		status = rc == VB_ENOTFOUND ? 1 : 2;
		goto out;
	}
	json_dumpf(o, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
	putchar('\n');
out:
	json_decref(o);
	vb_store_free(st);
	return status;
}
