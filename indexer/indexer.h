/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The index writer side: applying the PostgreSQL outbox of index jobs to the
 * live Xapian index (vb_indexer_run), rebuilding the index from scratch and
 * swapping it in (vb_reindex_run).  Both serialise on the store's advisory
 * index lock, so at most one of them writes at a time.
 *
 * Layout: DATA/index is a symlink to DATA/index.<N>; a reindex builds
 * DATA/index.<N+1>, replaces the symlink atomically (rename of a new
 * symlink over it) and removes the old directory.
 */
#ifndef VB_INDEXER_H
#define VB_INDEXER_H

#include <stddef.h>

#include "config.h"
#include "error.h"

#define VB_INDEXER_BATCH 500 /* jobs per Xapian commit */

/* Apply pending index jobs.  Opens its own store connection (cfg->db),
 * creates the index (DATA/index.1 + DATA/index symlink) if missing, then
 * loops: take the index lock (waiting while a reindex holds it), fetch up to
 * VB_INDEXER_BATCH jobs, apply them (a document that no longer exists is
 * deleted, one whose indexed version equals the stored one is skipped),
 * commit the index once, and only then acknowledge the jobs in PostgreSQL;
 * a crash in between re-applies the batch harmlessly.
 *
 * follow = 0: return 0 when the outbox is empty.  follow = 1: wait for
 * NOTIFY (1 s timeout) and keep going until *stop becomes non-zero (stop may
 * be NULL when follow = 0); transient database or index errors are logged
 * and retried.  Returns 0, or VB_EDB / VB_EINDEX / VB_EIO / VB_ENOMEM with
 * err filled.
 *
 * Thread-safe: all state is local, so it can run in a thread of the daemon.
 * Installs no signal handlers. */
int vb_indexer_run(const vb_config *cfg, int follow, volatile int *stop, vb_error *err);

/* Rebuild the index from every stored document into DATA/index.<N+1>
 * while holding the index lock (blocking until it is free), swap the
 * DATA/index symlink to it atomically and remove the previous directory.
 * Jobs still in the outbox are left for vb_indexer_run (idempotent by
 * version).  *count (may be NULL) gets the number of documents indexed.
 * Returns 0, VB_EDB, VB_EINDEX, VB_EIO or VB_ENOMEM. */
int vb_reindex_run(const vb_config *cfg, size_t *count, vb_error *err);

/* Create the index if DATA/index does not exist yet (DATA/index.1 and the
 * symlink, made atomically).  Call with the index lock held.  0 or
 * VB_EIO / VB_EINDEX. */
int vb_index_ensure(const vb_config *cfg, vb_error *err);

/* The directory DATA/index currently points to, as a full path into out
 * (DATA/index itself when it is a plain directory).  VB_ENOTFOUND when it
 * does not exist, VB_ETOOBIG, VB_EIO. */
int vb_index_target(const vb_config *cfg, char *out, size_t outsz, vb_error *err);

#endif
