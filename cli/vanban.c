/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vanban: the command-line tool for operators.  Parses the settings shared
 * by every subcommand (config file, environment, --db, --data-dir, ...) and
 * dispatches to the subcommand, which lives with the area that owns it
 * (store: migrate; importers: import; indexer: index, reindex, search).
 */
#include "commands.h"
#include "config.h"
#include "error.h"
#include "audit.h"

#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*run)(vb_config *cfg, int argc, char **argv);
	const char *help;
} commands[] = {
	{ "migrate", vb_cmd_migrate, "apply pending database schema migrations" },
	{ "import", vb_cmd_import, "import manifests (*.jsonl), directories, files and archives" },
	{ "index", vb_cmd_index, "apply pending index jobs (--follow: keep running)" },
	{ "reindex", vb_cmd_reindex, "rebuild the search index from PostgreSQL and swap it in" },
	{ "search", vb_cmd_search, "search the index and print the result as JSON" },
	{ "extract", vb_cmd_extract, "print the metadata found in a document file as JSON" },
	{ "extract-score", vb_cmd_extract_score, "score metadata extraction against the corpus" },
	{ "check", vb_cmd_check, "verify index, files and outbox against the database (--repair)" },
	{ "backup", vb_cmd_backup, "back up database, files and index into DEST/vanban-TIME/" },
	{ "portal", vb_cmd_portal, "manage the portal registry (list, show, create, merge, import, ...)" },
	{ "restore", vb_cmd_restore, "restore a backup onto an empty database and data directory" },
	{ "report", vb_cmd_report, "the yearly activity report (--year, --portal, --format)" },
	{ "user", vb_cmd_user, "manage accounts and roles (add, passwd, disable, grant, list, ...)" },
	{ "token", vb_cmd_token, "manage API tokens (create, list, revoke)" },
	{ "audit", vb_cmd_audit, "show or export the audit log (--document, --user, --format csv); scrub" },
	{ "status", vb_cmd_status, "show a document's validity and relations; override its status (--reason)" },
	{ "sync", vb_cmd_sync, "sync from the national legal database (vbpl) or the gazette (congbao); --report; review" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: vanban [OPTIONS] COMMAND [ARGS...]\n\n"
		"options (also settable in a config file or the environment):\n"
		"  --config FILE      read settings from FILE (VANBAN_CONFIG)\n"
		"  --db CONNINFO      PostgreSQL connection string (VANBAN_DB)\n"
		"  --data-dir DIR     files and index directory (VANBAN_DATA_DIR, default ./var/data)\n"
		"  --sql-dir DIR      schema migrations to apply instead of the built-in ones\n\n"
		"commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nRun 'vanban COMMAND --help' for a command's own options.\n");
}

int main(int argc, char **argv)
{
	vb_config cfg;
	vb_error err;
	int rest, i;
	size_t k;

	vb_error_clear(&err);
	if (vb_config_init(&cfg, &err) ||
	    vb_config_parse_args(&cfg, argc - 1, argv + 1, &rest, &err)) {
		fprintf(stderr, "vanban: %s\n", err.msg);
		return 2;
	}
	/* accounts: every write of this process is audited as "cli:<unix user>" */
	{
		vb_principal cli;

		vb_principal_cli(&cli);
		vb_audit_default_env(&cli);
	}
	/* argv + 1 now holds the arguments that were not common options. */
	for (i = 1; i <= rest; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			if (i == 1) {
				usage(stdout);
				return 0;
			}
			break;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("vanban %s\n", PACKAGE_VERSION);
			return 0;
		}
		break;
	}
	if (rest < 1) {
		usage(stderr);
		return 2;
	}
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (!strcmp(argv[1], commands[k].name))
			return commands[k].run(&cfg, rest, argv + 1);
	fprintf(stderr, "vanban: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 2;
}
