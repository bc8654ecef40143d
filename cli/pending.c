/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TEMPORARY (removed before the foundation is called done): weak fallbacks so
 * that `vanban` links while the areas' subcommands are being written.  A real
 * definition in another object replaces each of these at link time.
 */
#include "commands.h"

#include <stdio.h>

#define PENDING(fn) \
	__attribute__((weak)) int fn(vb_config *cfg, int argc, char **argv) \
	{ (void)cfg; (void)argc; fprintf(stderr, "vanban: %s is not built yet\n", argv[0]); return 2; }

PENDING(vb_cmd_migrate)
PENDING(vb_cmd_import)
PENDING(vb_cmd_index)
PENDING(vb_cmd_reindex)
PENDING(vb_cmd_search)
