/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subcommands of the `vanban` command-line tool.  Each takes the
 * settings already parsed from the config file, the environment and the
 * common options (--db, --data-dir, ...), plus the remaining arguments
 * (argv[0] is the subcommand name), and returns the process exit status:
 * 0 success, 1 partly failed (e.g. some import items rejected), 2 usage or
 * fatal error.  They print user-facing errors on stderr themselves.
 */
#ifndef VB_COMMANDS_H
#define VB_COMMANDS_H

#include "config.h"

/* vanban migrate: apply pending schema migrations (store area). */
int vb_cmd_migrate(vb_config *cfg, int argc, char **argv);
/* vanban import [--source NAME] PATH...: manifests, directories, files,
 * archives (importers area). */
int vb_cmd_import(vb_config *cfg, int argc, char **argv);
/* vanban index [--follow]: apply pending index jobs (indexer area). */
int vb_cmd_index(vb_config *cfg, int argc, char **argv);
/* vanban reindex: rebuild the index from PostgreSQL and swap it in. */
int vb_cmd_reindex(vb_config *cfg, int argc, char **argv);
/* vanban search [--form X ...] QUERY...: run a search, print JSON. */
int vb_cmd_search(vb_config *cfg, int argc, char **argv);
/* vanban extract FILE: print the metadata found in a document as JSON
 * (meta area; stores nothing). */
int vb_cmd_extract(vb_config *cfg, int argc, char **argv);
/* vanban extract-score [CORPUS_DIR]: score metadata extraction against the
 * corpus metadata (meta area). */
int vb_cmd_extract_score(vb_config *cfg, int argc, char **argv);

/* vanban check [--repair] [--json] ...: verify the crash-safety invariants,
 * repair what can be repaired (safety area, cli/check.c). */
int vb_cmd_check(vb_config *cfg, int argc, char **argv);
/* vanban backup DEST [--keep N] [--no-index]; vanban restore SRC: backups
 * with a checksummed MANIFEST (safety area, cli/backup.c). */
int vb_cmd_backup(vb_config *cfg, int argc, char **argv);
int vb_cmd_restore(vb_config *cfg, int argc, char **argv);
/* vanban report [--year Y] [--portal ID] [--format json|csv|html] [--out
 * FILE]; vanban report --purge: the yearly activity report and the
 * retention of query texts (report area, cli/report.c). */
int vb_cmd_report(vb_config *cfg, int argc, char **argv);
/* vanban portal list|show|create|rename|scope|domain|merge|split|retire|
 * import ...: the portal registry (portals area, cli/portal.c). */
int vb_cmd_portal(vb_config *cfg, int argc, char **argv);
/* vanban sync vbpl|congbao [--base-url URL | --mirror DIR] ... / vanban sync
 * --report: upstream sync (owned by sync, importers/sync_cmd.c). */
int vb_cmd_sync(vb_config *cfg, int argc, char **argv);

/* vanban status ID [CODE --reason TEXT | --clear] / --recompute: a
 * document's validity and relations, staff override (owned by relations). */
int vb_cmd_status(vb_config *cfg, int argc, char **argv);

/* vanban user add|passwd|disable|enable|sysadmin|grant|revoke|list|show,
 * vanban token create|list|revoke, vanban audit [filters] [--format] /
 * audit scrub: accounts, API tokens and the audit log (owned by accounts,
 * cli/user.c). */
int vb_cmd_user(vb_config *cfg, int argc, char **argv);
int vb_cmd_token(vb_config *cfg, int argc, char **argv);
int vb_cmd_audit(vb_config *cfg, int argc, char **argv);

#endif
