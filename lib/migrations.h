/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema migrations compiled into the library: the build turns every
 * sql/NNN_name.sql file into lib/migrations_sql.c (see mk/store.am), so the
 * programs need no SQL files at run time.  vb_store_migrate uses them
 * unless it is given a directory to read instead.
 */
#ifndef VB_MIGRATIONS_H
#define VB_MIGRATIONS_H

#include <stddef.h>

typedef struct vb_migration {
	const char *name; /* file name, "001_init.sql" */
	const char *sql;  /* its content */
} vb_migration;

/* In file-name order. */
extern const vb_migration vb_migrations[];
extern const size_t vb_migrations_count;

#endif
