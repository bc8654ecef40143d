/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full rebuild of the index: every stored document (one consistent
 * PostgreSQL snapshot) is written into a fresh directory DATA/index.<N+1>
 * while the advisory index lock keeps the indexer out; the DATA/index
 * symlink is then replaced atomically (a new symlink renamed over it), so
 * readers see either the old or the new index, never a half-built one.  The
 * old directory is removed after the swap (open readers keep their files
 * until they refresh).  The new index records VB_INDEX_FORMAT.
 *
 * The rebuild itself is vb_reindex_locked in indexer.c (the daemon's
 * indexer thread calls it too, when it finds an index of an older format,
 * and the daemon links indexer.c only); this file takes the lock around it
 * for `vanban reindex`.
 */
#include "indexer.h"

#include "log.h"
#include "store.h"

int vb_reindex_run(const vb_config *cfg, size_t *count, vb_error *err)
{
	vb_store *st = NULL;
	vb_error local, e2;
	int rc, locked = 0;

	if (!err)
		err = &local;
	if (count)
		*count = 0;
	if ((rc = vb_store_open(&st, cfg->db, err)))
		goto out;
	if ((rc = vb_store_index_lock(st, err)))
		goto out;
	locked = 1;
	rc = vb_reindex_locked(cfg, st, count, err);
out:
	if (locked && vb_store_index_unlock(st, &e2))
		vb_warn("%s", e2.msg);
	vb_store_free(st);
	return rc;
}
