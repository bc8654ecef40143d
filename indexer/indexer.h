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
#include "store.h"
#include "xap.h"

#define VB_INDEXER_BATCH 500 /* jobs per batch (then the jobs are acknowledged) */
/* Documents written between two Xapian commits within a batch or a
 * reindex (vb_xap_writer_set_flush): the index's size / VB_INDEXER_FLUSH_DIV,
 * within [VB_INDEXER_FLUSH_MIN, VB_INDEXER_FLUSH_MAX].  Xapian buffers the
 * changes since its last commit in maps that get slower to update as they
 * grow (cache misses), while a commit costs more as the index grows (it
 * rewrites B-tree blocks all over it); see docs/benchmarks.md, "Indexing,
 * third round". */
#define VB_INDEXER_FLUSH_DIV 8
#define VB_INDEXER_FLUSH_MIN 32
#define VB_INDEXER_FLUSH_MAX 500
/* The indexer compacts the index (vb_index_compact_locked) when the outbox
 * is drained and it has written at least this many documents since it
 * started or last compacted, and at least as many as the index held
 * before them (half of it): once after a bulk load; while documents keep
 * coming, at each doubling, so compaction costs at most twice the final
 * index's compaction in all. */
#define VB_INDEXER_COMPACT_MIN 1000

/* Index metadata key holding VB_INDEX_FORMAT (lib/indexdoc.h) in decimal. */
#define VB_INDEX_FORMAT_KEY "vanban.format"

/* Apply pending index jobs.  Opens its own store connection (cfg->db),
 * creates the index (DATA/index.1 + DATA/index symlink) if missing, then
 * loops: take the index lock (waiting while a reindex holds it), fetch up to
 * VB_INDEXER_BATCH jobs, apply them (a document that no longer exists is
 * deleted, one whose indexed version equals the stored one is skipped),
 * commit the index once, and only then acknowledge the jobs in PostgreSQL;
 * a crash in between re-applies the batch harmlessly.
 *
 * Index format: at the first batch (even with an empty outbox) and at every
 * batch that opens the index, the format recorded in the index
 * (VB_INDEX_FORMAT_KEY) is compared with VB_INDEX_FORMAT.  Older or missing
 * (format 1): the index is rebuilt under the same lock exactly as by
 * vb_reindex_run (logged at info level), then the jobs are applied.  Newer
 * (an index written by a later vanban): nothing is written and
 * VB_EUNSUPPORTED is returned, also in follow mode.
 *
 * follow = 0: return 0 when the outbox is empty.  follow = 1: wait for
 * NOTIFY (1 s timeout) and keep going until *stop becomes non-zero (stop may
 * be NULL when follow = 0); transient database or index errors are logged
 * and retried.  Returns 0, or VB_EDB / VB_EINDEX / VB_EIO / VB_ENOMEM /
 * VB_EUNSUPPORTED with err filled.
 *
 * Thread-safe: all state is local, so it can run in a thread of the daemon.
 * Each batch starts one writer thread of its own for Xapian's
 * replace_document (joined before the commit).
 * Installs no signal handlers. */
int vb_indexer_run(const vb_config *cfg, int follow, volatile int *stop, vb_error *err);

/* Rebuild the index from every stored document into DATA/index.<N+1>
 * while holding the index lock (blocking until it is free), swap the
 * DATA/index symlink to it atomically and remove the previous directory.
 * Jobs still in the outbox are left for vb_indexer_run (idempotent by
 * version).  *count (may be NULL) gets the number of documents indexed.
 * The new index records VB_INDEX_FORMAT, whatever the format of the old one
 * (so this is also the way back after running an older vanban).
 * Returns 0, VB_EDB, VB_EINDEX, VB_EIO or VB_ENOMEM. */
int vb_reindex_run(const vb_config *cfg, size_t *count, vb_error *err);

/* The body of vb_reindex_run for a caller that already holds the index
 * lock on st (the indexer rebuilding an index of an older format): build
 * DATA/index.<N+1>, swap the symlink, remove the old directory.  The lock
 * is neither taken nor released.  Same results as vb_reindex_run. */
int vb_reindex_locked(const vb_config *cfg, vb_store *st, size_t *count, vb_error *err);

/* Compact the live index (the lock held, no writer open): write a
 * compacted copy to DATA/index.<N+1>, swap the symlink to it atomically and
 * remove the old directory.  Readers pick the new one up as after a
 * reindex.  0, VB_ENOTFOUND, VB_EINDEX, VB_EIO, VB_ETOOBIG. */
int vb_index_compact_locked(const vb_config *cfg, vb_error *err);

/* The format recorded in the index open in w: *format gets the value of
 * VB_INDEX_FORMAT_KEY, or 1 when it is missing (indexes written before the
 * format was recorded).  VB_EUNSUPPORTED when the value is not a positive
 * decimal integer, VB_EINDEX, VB_ENOMEM. */
int vb_index_format_get(vb_xap_writer *w, int *format, vb_error *err);

/* Record VB_INDEX_FORMAT in the index open in w; durable at the next
 * commit or close.  0, VB_EINDEX or VB_ENOMEM. */
int vb_index_format_set(vb_xap_writer *w, vb_error *err);

/* Create the index if DATA/index does not exist yet (DATA/index.1 and the
 * symlink, made atomically), recording VB_INDEX_FORMAT in it.  Call with
 * the index lock held.  0 or VB_EIO / VB_EINDEX. */
int vb_index_ensure(const vb_config *cfg, vb_error *err);

/* The directory DATA/index currently points to, as a full path into out
 * (DATA/index itself when it is a plain directory).  VB_ENOTFOUND when it
 * does not exist, VB_ETOOBIG, VB_EIO. */
int vb_index_target(const vb_config *cfg, char *out, size_t outsz, vb_error *err);

#endif
