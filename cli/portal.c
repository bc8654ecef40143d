/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanban portal: manage the portal registry (lib/portal.h,
 * docs/portals.md).  Every change goes through vb_portal_apply, the same
 * code path as the admin API, so the CLI and POST /api/v1/portals... check
 * and record changes identically (history in portal_events).
 *
 *   vanban portal list
 *   vanban portal show ID
 *   vanban portal create ID --kind K --name NAME [RECORD OPTIONS]
 *   vanban portal rename ID [--name NAME] [--name-en X] [--name-zh X] [--place P]
 *   vanban portal scope ID [--add ISSUER]... [--remove ISSUER]... [--inherit|--no-inherit]
 *   vanban portal domain ID [--add DOMAIN]... [--remove DOMAIN]...
 *   vanban portal merge ID [ID...] --into TARGET [RECORD OPTIONS for a new TARGET]
 *   vanban portal split ID --into A --into B [...]
 *   vanban portal retire ID [--successor ID]
 *   vanban portal import FILE
 *
 * RECORD OPTIONS: --kind, --name, --name-en, --name-zh, --place, --parent,
 * --domain (repeat), --issuer (repeat), --language (repeat; the first is
 * the default), --no-inherit.
 */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "portal.h"
#include "store.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vanban portal list\n"
		"       vanban portal show ID\n"
		"       vanban portal create ID --kind KIND --name NAME [RECORD OPTIONS]\n"
		"       vanban portal rename ID [--name NAME] [--name-en X] [--name-zh X] [--place P]\n"
		"       vanban portal scope ID [--add ISSUER]... [--remove ISSUER]... "
		"[--inherit|--no-inherit]\n"
		"       vanban portal domain ID [--add DOMAIN]... [--remove DOMAIN]...\n"
		"       vanban portal merge ID [ID...] --into TARGET [RECORD OPTIONS for a new TARGET]\n"
		"       vanban portal split ID --into ID --into ID [...]\n"
		"       vanban portal retire ID [--successor ID]\n"
		"       vanban portal import FILE\n\n"
		"RECORD OPTIONS: --kind province|department|district|commune|topic, --name NAME,\n"
		"  --name-en X, --name-zh X, --place PLACE, --parent ID, --domain D (repeat),\n"
		"  --issuer ISSUER (repeat), --language vi|en|zh (repeat, first = default), --no-inherit\n");
}

static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2));

	if (s) {
		puts(s);
		free(s);
	}
}

/* Arguments: positional ids, and option values collected into JSON. */
typedef struct cli_args {
	const char *pos[VB_PORTAL_LIST_MAX];
	size_t n_pos;
	json_t *rec;      /* record options */
	json_t *names;
	json_t *add, *remove, *into;
	const char *successor;
	int inherit;      /* -1 not given */
} cli_args;

static int append(json_t *o, const char *key, const char *v)
{
	json_t *a = json_object_get(o, key);

	if (!a) {
		a = json_array();
		json_object_set_new(o, key, a);
	}
	return json_array_append_new(a, json_string(v));
}

static int parse(cli_args *a, int argc, char **argv)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->inherit = -1;
	a->rec = json_object();
	a->names = json_object();
	a->add = json_array();
	a->remove = json_array();
	a->into = json_array();
	for (i = 2; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--inherit") || !strcmp(o, "--no-inherit")) {
			a->inherit = o[2] == 'i';
			continue;
		}
		if (!strncmp(o, "--", 2)) {
			if (!v) {
				fprintf(stderr, "vanban portal: option %s needs a value\n", o);
				return -1;
			}
			i++;
			if (!strcmp(o, "--kind"))
				json_object_set_new(a->rec, "kind", json_string(v));
			else if (!strcmp(o, "--name"))
				json_object_set_new(a->names, "vi", json_string(v));
			else if (!strcmp(o, "--name-en"))
				json_object_set_new(a->names, "en", json_string(v));
			else if (!strcmp(o, "--name-zh"))
				json_object_set_new(a->names, "zh", json_string(v));
			else if (!strcmp(o, "--place"))
				json_object_set_new(a->rec, "place", json_string(v));
			else if (!strcmp(o, "--parent"))
				json_object_set_new(a->rec, "parent", json_string(v));
			else if (!strcmp(o, "--domain"))
				append(a->rec, "domains", v);
			else if (!strcmp(o, "--issuer"))
				append(a->rec, "issuers", v);
			else if (!strcmp(o, "--language"))
				append(a->rec, "languages", v);
			else if (!strcmp(o, "--add"))
				json_array_append_new(a->add, json_string(v));
			else if (!strcmp(o, "--remove"))
				json_array_append_new(a->remove, json_string(v));
			else if (!strcmp(o, "--into"))
				json_array_append_new(a->into, json_string(v));
			else if (!strcmp(o, "--successor"))
				a->successor = v;
			else {
				fprintf(stderr, "vanban portal: unknown option %s\n", o);
				return -1;
			}
			continue;
		}
		if (a->n_pos == VB_PORTAL_LIST_MAX) {
			fprintf(stderr, "vanban portal: too many portal ids\n");
			return -1;
		}
		a->pos[a->n_pos++] = o;
	}
	if (a->inherit >= 0)
		json_object_set_new(a->rec, "inherit", json_boolean(a->inherit));
	if (json_object_size(a->names))
		json_object_set(a->rec, "names", a->names);
	return 0;
}

static void dispose(cli_args *a)
{
	json_decref(a->rec);
	json_decref(a->names);
	json_decref(a->add);
	json_decref(a->remove);
	json_decref(a->into);
}

static int cmd_list(vb_store *st)
{
	json_t *reg = NULL, *rec;
	const char *id;
	vb_error err;

	vb_error_clear(&err);
	if (vb_store_portal_load(st, &reg, &err)) {
		fprintf(stderr, "vanban portal: %s\n", err.msg);
		return 2;
	}
	printf("%-28s %-10s %-8s %-28s %s\n", "ID", "KIND", "STATE", "CURRENT", "NAME");
	json_object_foreach(reg, id, rec) {
		const char *cur = vb_portal_resolve(reg, id, NULL);

		printf("%-28s %-10s %-8s %-28s %s\n", id,
		       json_string_value(json_object_get(rec, "kind")),
		       json_string_value(json_object_get(rec, "state")), cur ? cur : "-",
		       json_string_value(json_object_get(json_object_get(rec, "names"), "vi")));
	}
	json_decref(reg);
	return 0;
}

static int cmd_show(vb_store *st, const char *id)
{
	json_t *reg = NULL, *o, *hist = NULL;
	vb_error err;

	vb_error_clear(&err);
	if (vb_store_portal_load(st, &reg, &err) || !(o = vb_portal_describe(reg, id, &err))) {
		fprintf(stderr, "vanban portal: %s\n", err.msg);
		json_decref(reg);
		return err.code == VB_ENOTFOUND ? 1 : 2;
	}
	json_decref(reg);
	if (!vb_store_portal_history(st, id, &hist, &err))
		json_object_set_new(o, "history", hist);
	print_json(o);
	json_decref(o);
	return 0;
}

static int cmd_import(vb_store *st, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, counts[4] = { 0 }, failed = 0;
	ssize_t len;

	if (!f) {
		fprintf(stderr, "vanban portal: could not open \"%s\"\n", path);
		return 2;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		enum vb_portal_import_result r;
		json_t *rec = NULL;
		vb_error err;

		lineno++;
		vb_error_clear(&err);
		if (vb_portal_tsv_row(line, &rec, &err) ||
		    (rec && vb_portal_import(st, rec, &r, &err))) {
			fprintf(stderr, "%s:%zu: %s\n", path, lineno, err.msg);
			failed++;
			json_decref(rec);
			if (err.code == VB_EDB)
				break;
			continue;
		}
		if (rec)
			counts[r]++;
		json_decref(rec);
	}
	free(line);
	fclose(f);
	printf("%zu created, %zu updated, %zu unchanged, %zu failed\n", counts[VB_PORTAL_CREATED],
	       counts[VB_PORTAL_UPDATED], counts[VB_PORTAL_UNCHANGED], failed);
	return failed ? 1 : 0;
}

/* Run op on id with args; print the resulting record. */
static int run_op(vb_store *st, const char *op, const char *id, json_t *args)
{
	json_t *out = NULL;
	vb_error err;

	vb_error_clear(&err);
	if (vb_portal_apply(st, op, id, args, &out, &err)) {
		fprintf(stderr, "vanban portal %s: %s\n", op, err.msg);
		return err.code == VB_EDB ? 2 : 1;
	}
	print_json(out);
	json_decref(out);
	return 0;
}

int vb_cmd_portal(vb_config *cfg, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	vb_store *st = NULL;
	json_t *args = NULL;
	cli_args a;
	vb_error err;
	int rc = 2;

	if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		usage(sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	if (parse(&a, argc, argv)) {
		usage(stderr);
		dispose(&a);
		return 2;
	}
	vb_error_clear(&err);
	if (vb_store_open(&st, cfg->db, &err)) {
		fprintf(stderr, "vanban portal: %s\n", err.msg);
		dispose(&a);
		return 2;
	}
	if (!strcmp(sub, "list") && !a.n_pos) {
		rc = cmd_list(st);
	} else if (!strcmp(sub, "show") && a.n_pos == 1) {
		rc = cmd_show(st, a.pos[0]);
	} else if (!strcmp(sub, "import") && a.n_pos == 1) {
		rc = cmd_import(st, a.pos[0]);
	} else if (!strcmp(sub, "create") && a.n_pos == 1) {
		json_object_set_new(a.rec, "id", json_string(a.pos[0]));
		rc = run_op(st, "create", NULL, a.rec);
	} else if (!strcmp(sub, "rename") && a.n_pos == 1) {
		args = json_object();
		if (json_object_size(a.names))
			json_object_set(args, "names", a.names);
		if (json_object_get(a.rec, "place"))
			json_object_set(args, "place", json_object_get(a.rec, "place"));
		rc = run_op(st, "rename", a.pos[0], args);
	} else if ((!strcmp(sub, "scope") || !strcmp(sub, "domain")) && a.n_pos == 1) {
		args = json_pack("{s:O, s:O}", "add", a.add, "remove", a.remove);
		if (a.inherit >= 0 && sub[0] == 's')
			json_object_set_new(args, "inherit", json_boolean(a.inherit));
		rc = run_op(st, sub, a.pos[0], args);
	} else if (!strcmp(sub, "merge") && a.n_pos >= 1 && json_array_size(a.into) == 1) {
		json_t *with = json_array();
		const char *target = json_string_value(json_array_get(a.into, 0));

		for (size_t i = 1; i < a.n_pos; i++)
			json_array_append_new(with, json_string(a.pos[i]));
		args = json_pack("{s:o}", "with", with);
		if (json_object_get(a.rec, "kind") || json_object_size(a.names)) {
			/* a new target, described by the record options */
			json_object_set_new(a.rec, "id", json_string(target));
			json_object_set(args, "into", a.rec);
		} else {
			json_object_set_new(args, "into", json_string(target));
		}
		rc = run_op(st, "merge", a.pos[0], args);
	} else if (!strcmp(sub, "split") && a.n_pos == 1) {
		args = json_pack("{s:O}", "into", a.into);
		rc = run_op(st, "split", a.pos[0], args);
	} else if (!strcmp(sub, "retire") && a.n_pos == 1) {
		args = a.successor ? json_pack("{s:s}", "successor", a.successor) : json_object();
		rc = run_op(st, "retire", a.pos[0], args);
	} else {
		usage(stderr);
	}
	json_decref(args);
	dispose(&a);
	vb_store_free(st);
	return rc;
}
