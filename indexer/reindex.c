/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full rebuild of the index: every stored document (one consistent
 * PostgreSQL snapshot) is written into a fresh directory DATA/index.<N+1>
 * while the advisory index lock keeps the indexer out; the DATA/index
 * symlink is then replaced atomically (a new symlink renamed over it), so
 * readers see either the old or the new index, never a half-built one.  The
 * old directory is removed after the swap (open readers keep their files
 * until they refresh).
 */
#include "indexer.h"

#include "document.h"
#include "indexdoc.h"
#include "log.h"
#include "store.h"
#include "xap.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct reindex_ctx {
	vb_xap_writer *w;
	vb_error *err;
	size_t count, failed;
} reindex_ctx;

static int add_document(const vb_document *doc, void *ud)
{
	reindex_ctx *c = ud;
	vb_xdoc *x = NULL;
	char idterm[32];
	int rc;

	rc = vb_indexdoc_build(doc, &x, c->err);
	if (rc && rc != VB_ENOMEM) {
		vb_warn("document %lld cannot be indexed: %s", (long long)doc->id, c->err->msg);
		c->failed++;
		return 0;
	}
	if (rc)
		return rc;
	vb_indexdoc_id_term(doc->id, idterm, sizeof(idterm));
	rc = vb_xap_writer_replace(c->w, idterm, x, c->err);
	vb_xdoc_free(x);
	if (rc == 0 && ++c->count % 10000 == 0)
		vb_info("reindex: %zu documents", c->count);
	return rc;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) != 0 ? -1 : 0;
}

/* N of a directory name "index.<N>", or 0. */
static long index_number(const char *path)
{
	const char *base = strrchr(path, '/');
	char *end;
	long n;

	base = base ? base + 1 : path;
	if (strncmp(base, "index.", 6) != 0)
		return 0;
	errno = 0;
	n = strtol(base + 6, &end, 10);
	return errno || *end || n <= 0 ? 0 : n;
}

int vb_reindex_run(const vb_config *cfg, size_t *count, vb_error *err)
{
	char old[PATH_MAX], fresh[PATH_MAX], link[PATH_MAX], tmp[PATH_MAX], name[64];
	reindex_ctx c = { 0 };
	vb_store *st = NULL;
	vb_error local, e2;
	struct stat sb;
	long n = 0, t0;
	int rc, locked = 0, have_old = 0;
	struct timespec ts;

	if (!err)
		err = &local;
	if (count)
		*count = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if ((rc = vb_store_open(&st, cfg->db, err)))
		goto out;
	if ((rc = vb_store_index_lock(st, err)))
		goto out;
	locked = 1;
	if ((rc = vb_config_index_path(cfg, link, sizeof(link)))) {
		rc = vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
		goto out;
	}
	rc = vb_index_target(cfg, old, sizeof(old), err);
	if (rc == 0) {
		have_old = 1;
		n = index_number(old);
		if (lstat(link, &sb) == 0 && !S_ISLNK(sb.st_mode)) {
			rc = vb_error_set(err, VB_EIO,
					  "index \"%s\" is a directory, not a symlink: move it away first",
					  link);
			goto out;
		}
	} else if (rc != VB_ENOTFOUND) {
		goto out;
	}
	/* The next free number. */
	do {
		n++;
		snprintf(name, sizeof(name), "index.%ld", n);
		if (snprintf(fresh, sizeof(fresh), "%s/%s", cfg->data_dir, name) >=
		    (int)sizeof(fresh)) {
			rc = vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
			goto out;
		}
	} while (lstat(fresh, &sb) == 0);
	if (mkdir(cfg->data_dir, 0755) != 0 && errno != EEXIST) {
		rc = vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s",
				  cfg->data_dir, strerror(errno));
		goto out;
	}

	vb_info("reindex: building %s", fresh);
	if ((rc = vb_xap_writer_open(&c.w, fresh, VB_XAP_OVERWRITE, err)))
		goto out;
	c.err = err;
	rc = vb_store_each_document(st, add_document, &c, err);
	if (rc) {
		vb_xap_writer_free(c.w);
		c.w = NULL;
		nftw(fresh, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		goto out;
	}
	rc = vb_xap_writer_close(c.w, err);
	c.w = NULL;
	if (rc)
		goto out;

	/* Swap: a new symlink renamed over the old one is atomic. */
	snprintf(tmp, sizeof(tmp), "%s/index.swap.%ld", cfg->data_dir, (long)getpid());
	unlink(tmp);
	if (symlink(name, tmp) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not create symlink \"%s\": %s", tmp,
				  strerror(errno));
		goto out;
	}
	if (rename(tmp, link) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not rename \"%s\" to \"%s\": %s", tmp, link,
				  strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (vb_store_index_unlock(st, &e2))
		vb_warn("%s", e2.msg);
	locked = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	vb_info("reindex: %zu documents (%zu failed) into %s in %ld ms", c.count, c.failed, name,
		(long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - t0);
	if (count)
		*count = c.count;
	/* Only ever remove a directory we recognise as an old index. */
	if (have_old && index_number(old) > 0 && strcmp(old, fresh) != 0 &&
	    nftw(old, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		vb_warn("could not remove old index %s: %s", old, strerror(errno));
out:
	if (locked && vb_store_index_unlock(st, &e2))
		vb_warn("%s", e2.msg);
	vb_store_free(st);
	return rc;
}
