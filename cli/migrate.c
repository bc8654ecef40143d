/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban migrate`: apply the schema migrations that are not applied yet
 * (the built-in ones, or those in --sql-dir), then say how many were.
 */
#include "commands.h"
#include "store.h"

#include <stdio.h>

int vb_cmd_migrate(vb_config *cfg, int argc, char **argv)
{
	vb_store *st = NULL;
	vb_error err;
	int applied = 0, status = 2;

	vb_error_clear(&err);
	if (argc > 1) {
		fprintf(stderr, "usage: vanban migrate [--db CONNINFO] [--sql-dir DIR]\n");
		return 2;
	}
	if (vb_store_open(&st, cfg->db, &err) ||
	    vb_store_migrate(st, cfg->sql_dir, &applied, &err)) {
		fprintf(stderr, "vanban migrate: %s\n", err.msg);
		goto out;
	}
	if (applied)
		printf("applied %d migration(s)\n", applied);
	else
		printf("schema is up to date\n");
	status = 0;
out:
	vb_store_free(st);
	return status;
}
