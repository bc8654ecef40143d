/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indexer: the single writer of the live Xapian index.  It drains the
 * PostgreSQL outbox of index jobs in batches: under the advisory index lock
 * it opens a writer on the directory DATA/index points to (so a swap made by
 * a reindex is picked up at the next batch), applies the jobs, commits the
 * index once and only then acknowledges the jobs.  Applying is idempotent:
 * the indexed version (value slot VB_SLOT_VERSION) is compared with the
 * stored one, so a batch re-applied after a crash changes nothing.
 *
 * Every index it creates or commits records VB_INDEX_FORMAT.  An index of
 * an older format (written before indexdoc.c last changed what is indexed)
 * is rebuilt under the same lock before any job is applied to it, so the
 * index never mixes documents of two formats; one of a newer format is left
 * alone (VB_EUNSUPPORTED).  The rebuild itself (vb_reindex_locked: a
 * fresh DATA/index.<N+1>, atomic symlink swap) lives here too, because the
 * daemon's indexer thread needs it; reindex.c only adds the locking for
 * `vanban reindex`.
 */
#include "indexer.h"

#include "document.h"
#include "indexdoc.h"
#include "log.h"
#include "store.h"
#include "workflow.h"
#include "xap.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RETRY_MS 1000
#define FORMAT_MAX_LEN 16 /* digits accepted in VB_INDEX_FORMAT_KEY */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep up to ms, waking early when *stop is set. */
static void nap(int ms, volatile int *stop)
{
	struct timespec ts = { 0, 50 * 1000000L };

	for (int t = 0; t < ms && !(stop && *stop); t += 50)
		nanosleep(&ts, NULL);
}

/* mkdir -p for the data directory. */
static int make_dirs(const char *path, vb_error *err)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(tmp))
		return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", path);
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s",
					    tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s",
				    tmp, strerror(errno));
	return 0;
}

int vb_index_target(const vb_config *cfg, char *out, size_t outsz, vb_error *err)
{
	char link[PATH_MAX], dest[PATH_MAX];
	struct stat stl;
	ssize_t n;
	int r;

	if (vb_config_index_path(cfg, link, sizeof(link)))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if (lstat(link, &stl) != 0) {
		if (errno == ENOENT)
			return vb_error_set(err, VB_ENOTFOUND, "index \"%s\" does not exist", link);
		return vb_error_set(err, VB_EIO, "could not stat \"%s\": %s", link, strerror(errno));
	}
	if (!S_ISLNK(stl.st_mode)) {
		r = snprintf(out, outsz, "%s", link);
		goto check;
	}
	n = readlink(link, dest, sizeof(dest) - 1);
	if (n < 0)
		return vb_error_set(err, VB_EIO, "could not read symlink \"%s\": %s", link,
				    strerror(errno));
	dest[n] = '\0';
	if (dest[0] == '/')
		r = snprintf(out, outsz, "%s", dest);
	else
		r = snprintf(out, outsz, "%s/%s", cfg->data_dir, dest);
check:
	if (r < 0 || (size_t)r >= outsz)
		return vb_error_set(err, VB_ETOOBIG, "index path is too long");
	return 0;
}

int vb_index_format_get(vb_xap_writer *w, int *format, vb_error *err)
{
	char *v = NULL, *end;
	long f;
	int rc;

	*format = 0;
	if ((rc = vb_xap_writer_get_metadata(w, VB_INDEX_FORMAT_KEY, &v, err)))
		goto out;
	if (!v[0]) {
		*format = 1;
		goto out;
	}
	errno = 0;
	f = strtol(v, &end, 10);
	if (strlen(v) > FORMAT_MAX_LEN || v[0] < '0' || v[0] > '9' || *end || errno || f < 1 ||
	    f > INT_MAX) {
		rc = vb_error_set(err, VB_EUNSUPPORTED, "index format \"%.*s\" is not a number",
				  FORMAT_MAX_LEN, v);
		goto out;
	}
	*format = (int)f;
out:
	free(v);
	return rc;
}

int vb_index_format_set(vb_xap_writer *w, vb_error *err)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", VB_INDEX_FORMAT);
	return vb_xap_writer_set_metadata(w, VB_INDEX_FORMAT_KEY, v, err);
}

int vb_index_ensure(const vb_config *cfg, vb_error *err)
{
	char link[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX];
	vb_xap_writer *w = NULL;
	struct stat st;
	int rc;

	if (vb_config_index_path(cfg, link, sizeof(link)) ||
	    snprintf(dir, sizeof(dir), "%s/index.1", cfg->data_dir) >= (int)sizeof(dir) ||
	    snprintf(tmp, sizeof(tmp), "%s/index.new.%ld", cfg->data_dir,
		     (long)getpid()) >= (int)sizeof(tmp))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if (lstat(link, &st) == 0) {
		if (S_ISLNK(st.st_mode) && stat(link, &st) != 0)
			return vb_error_set(err, VB_EIO, "index symlink \"%s\" is dangling", link);
		return 0;
	}
	if (errno != ENOENT)
		return vb_error_set(err, VB_EIO, "could not stat \"%s\": %s", link, strerror(errno));
	if ((rc = make_dirs(cfg->data_dir, err)))
		return rc;
	if ((rc = vb_xap_writer_open(&w, dir, VB_XAP_CREATE_OR_OPEN, err)))
		return rc;
	if ((rc = vb_index_format_set(w, err))) {
		vb_xap_writer_free(w);
		return rc;
	}
	if ((rc = vb_xap_writer_close(w, err)))
		return rc;
	unlink(tmp);
	if (symlink("index.1", tmp) != 0)
		return vb_error_set(err, VB_EIO, "could not create symlink \"%s\": %s", tmp,
				    strerror(errno));
	if (rename(tmp, link) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not rename \"%s\" to \"%s\": %s", tmp, link,
				  strerror(errno));
		unlink(tmp);
		return rc;
	}
	vb_info("created index %s", dir);
	return 0;
}

/* ---- full rebuild (vb_reindex_run, and the indexer on an old format) */

typedef struct reindex_ctx {
	vb_xap_writer *w;
	vb_indexdoc_cache *cache;
	vb_error *err;
	size_t count, failed;
} reindex_ctx;

static int add_document(const vb_document *doc, void *ud)
{
	reindex_ctx *c = ud;
	vb_xdoc *x = NULL;
	char idterm[32];
	int rc;

	rc = vb_indexdoc_build_cached(doc, c->cache, &x, c->err);
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

/* Swap DATA/index to DATA/<name>: a new symlink renamed over the old one
 * is atomic. */
static int swap_index(const vb_config *cfg, const char *link, const char *name, vb_error *err)
{
	char tmp[PATH_MAX];
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s/index.swap.%ld", cfg->data_dir, (long)getpid()) >=
	    (int)sizeof(tmp))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	unlink(tmp);
	if (symlink(name, tmp) != 0)
		return vb_error_set(err, VB_EIO, "could not create symlink \"%s\": %s", tmp,
				    strerror(errno));
	if (rename(tmp, link) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not rename \"%s\" to \"%s\": %s", tmp, link,
				  strerror(errno));
		unlink(tmp);
		return rc;
	}
	return 0;
}

/* Compact the index directory src into the next free DATA/index.<N> after
 * it: dst (path) and name (its base name) get it.  A failed attempt leaves
 * nothing behind. */
static int compact_next(const vb_config *cfg, const char *src, char *dst, size_t dstsz,
			char *name, size_t namesz, vb_error *err)
{
	long n = index_number(src);
	struct stat sb;
	int rc;

	do {
		n++;
		snprintf(name, namesz, "index.%ld", n);
		if (snprintf(dst, dstsz, "%s/%s", cfg->data_dir, name) >= (int)dstsz)
			return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	} while (lstat(dst, &sb) == 0);
	if ((rc = vb_xap_compact(src, dst, err)))
		nftw(dst, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

int vb_index_compact_locked(const vb_config *cfg, vb_error *err)
{
	char old[PATH_MAX], fresh[PATH_MAX], link[PATH_MAX], name[64];
	long t0 = now_ms();
	int rc;

	if (vb_config_index_path(cfg, link, sizeof(link)))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if ((rc = vb_index_target(cfg, old, sizeof(old), err)))
		return rc;
	if (index_number(old) <= 0)
		return vb_error_set(err, VB_EIO, "index \"%s\" is not a DATA/index.<N> directory",
				    old);
	if ((rc = compact_next(cfg, old, fresh, sizeof(fresh), name, sizeof(name), err)))
		return rc;
	if ((rc = swap_index(cfg, link, name, err))) {
		nftw(fresh, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		return rc;
	}
	vb_info("index compacted into %s in %ld ms", name, now_ms() - t0);
	if (nftw(old, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		vb_warn("could not remove old index %s: %s", old, strerror(errno));
	return 0;
}

int vb_reindex_locked(const vb_config *cfg, vb_store *st, size_t *count, vb_error *err)
{
	char old[PATH_MAX], fresh[PATH_MAX], link[PATH_MAX], name[64];
	char packed[PATH_MAX];
	reindex_ctx c = { 0 };
	vb_error local, cerr;
	struct stat sb;
	long n = 0, t0;
	int rc, have_old = 0;
	struct timespec ts;

	if (!err)
		err = &local;
	if (count)
		*count = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	if (!(c.cache = vb_indexdoc_cache_new()))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	else
		rc = vb_store_each_document(st, add_document, &c, err);
	vb_indexdoc_cache_free(c.cache);
	if (rc == 0)
		rc = vb_index_format_set(c.w, err);
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
	/* A full build leaves its B-trees part-filled: a compacted copy takes
	 * its place under the same name (an optimisation: on failure the build
	 * itself is used). */
	if (snprintf(packed, sizeof(packed), "%s/index.compact.%ld", cfg->data_dir,
		     (long)getpid()) >= (int)sizeof(packed)) {
		vb_warn("reindex: data directory path too long to compact the index");
	} else {
		nftw(packed, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (vb_xap_compact(fresh, packed, &cerr) != 0) {
			vb_warn("reindex: %s (using the index as built)", cerr.msg);
			nftw(packed, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		} else if (nftw(fresh, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 ||
			   rename(packed, fresh) != 0) {
			/* the old index stays live */
			rc = vb_error_set(err, VB_EIO, "could not move the compacted index to \"%s\": %s",
					  fresh, strerror(errno));
			nftw(packed, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
			goto out;
		}
	}

	if ((rc = swap_index(cfg, link, name, err)))
		goto out;
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
	return rc;
}

/* ---- applying the outbox ------------------------------------------- */

/* ---- the writer thread ----------------------------------------------
 *
 * Xapian's replace_document (its inverter) is about half of the indexing
 * time and building the next document (folding, terms) most of the rest:
 * a writer thread replaces document i while the batch fetches and builds
 * document i + 1.  One document in flight; every other use of the writer
 * (version look-up, delete, metadata, close) first waits for it
 * (writer_idle), so the writer is only ever used by one thread at a time. */

typedef struct writer_pipe {
	pthread_mutex_t m;
	pthread_cond_t cv;
	pthread_t thread;
	int started, quit, busy;
	vb_xap_writer *w;
	vb_xdoc *x;               /* the document in flight (owned) */
	char idterm[32];
	int rc;                   /* first error of the thread (sticky) */
	vb_error err;
} writer_pipe;

static void *writer_main(void *arg)
{
	writer_pipe *p = arg;

	pthread_mutex_lock(&p->m);
	for (;;) {
		while (!p->busy && !p->quit)
			pthread_cond_wait(&p->cv, &p->m);
		if (!p->busy)
			break;
		pthread_mutex_unlock(&p->m);
		if (!p->rc)
			p->rc = vb_xap_writer_replace(p->w, p->idterm, p->x, &p->err);
		vb_xdoc_free(p->x);
		pthread_mutex_lock(&p->m);
		p->x = NULL;
		p->busy = 0;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->m);
	return NULL;
}

/* Start the thread on w; 0 or VB_ENOMEM (then the batch writes itself). */
static int writer_start(writer_pipe *p, vb_xap_writer *w)
{
	memset(p, 0, sizeof(*p));
	p->w = w;
	if (pthread_mutex_init(&p->m, NULL))
		return VB_ENOMEM;
	if (pthread_cond_init(&p->cv, NULL)) {
		pthread_mutex_destroy(&p->m);
		return VB_ENOMEM;
	}
	if (pthread_create(&p->thread, NULL, writer_main, p)) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->m);
		return VB_ENOMEM;
	}
	p->started = 1;
	return 0;
}

/* Wait until nothing is in flight; the thread's error, if any. */
static int writer_idle(writer_pipe *p, vb_error *err)
{
	if (!p || !p->started)
		return 0;
	pthread_mutex_lock(&p->m);
	while (p->busy)
		pthread_cond_wait(&p->cv, &p->m);
	pthread_mutex_unlock(&p->m);
	if (p->rc && err)
		*err = p->err;
	return p->rc;
}

/* Replace idterm by x (taken over) in the thread, or here without one. */
static int writer_replace(writer_pipe *p, vb_xap_writer *w, const char *idterm, vb_xdoc *x,
			  vb_error *err)
{
	int rc;

	if (!p || !p->started) {
		rc = vb_xap_writer_replace(w, idterm, x, err);
		vb_xdoc_free(x);
		return rc;
	}
	if ((rc = writer_idle(p, err))) {
		vb_xdoc_free(x);
		return rc;
	}
	pthread_mutex_lock(&p->m);
	p->x = x;
	snprintf(p->idterm, sizeof(p->idterm), "%s", idterm);
	p->busy = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->m);
	return 0;
}

/* Finish what is in flight and stop the thread; its error, if any. */
static int writer_stop(writer_pipe *p, vb_error *err)
{
	int rc;

	if (!p->started)
		return 0;
	rc = writer_idle(p, err);
	pthread_mutex_lock(&p->m);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->m);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->m);
	p->started = 0;
	return rc;
}

typedef struct batch_stats {
	size_t updated, deleted, unchanged, failed;
	vb_indexdoc_cache *cache; /* word forms, shared by the batch */
	writer_pipe *pipe;        /* the writer thread, or NULL */
} batch_stats;

/* Apply one job to the open writer.  Errors that concern only this
 * document (it cannot be indexed) are logged and the job counts as done;
 * database and index errors are returned. */
static int apply_job(vb_store *st, vb_xap_writer *w, const vb_index_job *job,
		     batch_stats *bs, vb_error *err)
{
	vb_document doc;
	vb_xdoc *x = NULL;
	char idterm[32], ver[32], portal[64], state[16];
	char *indexed = NULL;
	int rc;

	vb_indexdoc_id_term(job->document_id, idterm, sizeof(idterm));
	rc = vb_store_get_document(st, job->document_id, 1, &doc, err);
	if (rc == VB_ENOTFOUND) {
		if ((rc = writer_idle(bs->pipe, err)) == 0 &&
		    (rc = vb_xap_writer_delete(w, idterm, err)) == 0)
			bs->deleted++;
		goto out;
	}
	if (rc == VB_EINVAL) {
		/* a row the store cannot read back: skip it rather than block
		 * the outbox forever */
		vb_warn("document %lld cannot be read: %s", (long long)job->document_id, err->msg);
		bs->failed++;
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	/* workflow: a withdrawn document leaves the index like a deleted one */
	rc = vb_store_document_state(st, job->document_id, portal, sizeof(portal), state,
				     sizeof(state), err);
	if (rc == VB_ENOTFOUND || (!rc && strcmp(state, VB_DOC_PUBLISHED))) {
		if ((rc = writer_idle(bs->pipe, err)) == 0 &&
		    (rc = vb_xap_writer_delete(w, idterm, err)) == 0)
			bs->deleted++;
		goto out;
	}
	if (rc)
		goto out;
	/* Built before the version look-up, while the writer thread is still
	 * replacing the previous document (wasted only for an unchanged one,
	 * i.e. a batch re-applied after a crash).  Failing to build concerns
	 * this document only (except memory). */
	rc = vb_indexdoc_build_cached(&doc, bs->cache, &x, err);
	if (rc && rc != VB_ENOMEM) {
		vb_warn("document %lld cannot be indexed: %s", (long long)job->document_id,
			err->msg);
		bs->failed++;
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	if ((rc = writer_idle(bs->pipe, err)) ||
	    (rc = vb_xap_writer_get_value(w, idterm, VB_SLOT_VERSION, &indexed, err)))
		goto out;
	snprintf(ver, sizeof(ver), "%d", doc.version);
	if (indexed && !strcmp(indexed, ver)) {
		bs->unchanged++;
		goto out;
	}
	rc = writer_replace(bs->pipe, w, idterm, x, err);
	x = NULL;
	if (rc == 0)
		bs->updated++;
out:
	free(indexed);
	vb_xdoc_free(x);
	vb_document_dispose(&doc);
	return rc;
}

/* The format of the index open in w: *stale gets it when it is older than
 * VB_INDEX_FORMAT (0 otherwise); VB_EUNSUPPORTED when it is newer. */
static int check_format(vb_xap_writer *w, const char *target, int *stale, vb_error *err)
{
	int format, rc;

	*stale = 0;
	if ((rc = vb_index_format_get(w, &format, err))) {
		vb_error_prefix(err, "index \"%s\"", target);
		return rc;
	}
	if (format > VB_INDEX_FORMAT)
		return vb_error_set(err, VB_EUNSUPPORTED,
				    "index format %d is newer than %d (this vanban): refusing to write "
				    "to \"%s\"; run a newer vanban, or \"vanban reindex\" to rebuild it "
				    "in format %d",
				    format, VB_INDEX_FORMAT, target, VB_INDEX_FORMAT);
	if (format < VB_INDEX_FORMAT)
		*stale = format;
	return 0;
}

/* One batch under the lock.  *n gets the number of jobs fetched.  The
 * index format is checked whenever the index is opened, and with check set
 * even when there is no job; *stale gets an older format found (nothing
 * was applied then: the caller rebuilds and comes back). */
static int run_batch(const vb_config *cfg, vb_store *st, vb_index_job *jobs,
		     int check, size_t *n, int *stale, size_t *written, size_t *docs,
		     vb_error *err)
{
	char target[PATH_MAX];
	vb_xap_writer *w = NULL;
	batch_stats bs = { 0 };
	writer_pipe pipe = { .started = 0 };
	long t0 = now_ms();
	int rc;

	*n = 0;
	*stale = 0;
	if ((rc = vb_index_ensure(cfg, err)))
		return rc;
	if ((rc = vb_store_outbox_fetch(st, jobs, VB_INDEXER_BATCH, n, err)) ||
	    (*n == 0 && !check))
		return rc;
	/* Resolve the symlink now, under the lock: a reindex may have swapped
	 * it since the previous batch. */
	if ((rc = vb_index_target(cfg, target, sizeof(target), err)) ||
	    (rc = vb_xap_writer_open(&w, target, VB_XAP_OPEN, err)))
		return rc;
	if ((rc = check_format(w, target, stale, err)) || *stale || *n == 0)
		goto out;
	if (!(bs.cache = vb_indexdoc_cache_new())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	if (*n > 1 && writer_start(&pipe, w) == 0)
		bs.pipe = &pipe;
	for (size_t i = 0; i < *n; i++)
		if ((rc = apply_job(st, w, &jobs[i], &bs, err)))
			goto out;
	if ((rc = writer_stop(&pipe, err)) || (rc = vb_index_format_set(w, err)) || (rc = vb_xap_writer_doccount(w, docs, err)))
		goto out;
	*written += bs.updated + bs.deleted;
	/* Durable in Xapian first, then forget the jobs: a crash in between
	 * only re-applies them. */
	rc = vb_xap_writer_close(w, err);
	w = NULL;
	if (rc)
		goto out;
	if ((rc = vb_store_outbox_ack(st, jobs, *n, err)))
		goto out;
	vb_info("index batch: %zu jobs (%zu updated, %zu deleted, %zu unchanged, %zu failed) in %ld ms",
		*n, bs.updated, bs.deleted, bs.unchanged, bs.failed, now_ms() - t0);
out:
	/* On error the pending changes must not become durable without the
	 * matching acks being possible later: they are harmless either way
	 * (idempotent), so just close. */
	writer_stop(&pipe, NULL);
	vb_indexdoc_cache_free(bs.cache);
	vb_xap_writer_free(w);
	return rc;
}

int vb_indexer_run(const vb_config *cfg, int follow, volatile int *stop, vb_error *err)
{
	vb_store *st = NULL;
	vb_index_job *jobs = NULL;
	vb_error e2, local;
	int rc = 0, listening = 0, checked = 0;
	size_t written = 0, docs = 0; /* documents written since the last compaction */

	if (!err)
		err = &local;
	if (!(jobs = calloc(VB_INDEXER_BATCH, sizeof(*jobs))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if ((rc = vb_store_open(&st, cfg->db, err)))
		goto out;
	while (!(stop && *stop)) {
		int taken = 0, stale = 0;
		size_t n = 0;

		if (follow && !listening) {
			if ((rc = vb_store_outbox_listen(st, err)))
				goto transient;
			listening = 1;
		}
		if ((rc = vb_store_index_lock_try(st, &taken, err)))
			goto transient;
		if (!taken) {
			vb_debug("index lock busy (reindex running), waiting");
			nap(RETRY_MS, stop);
			continue;
		}
		rc = run_batch(cfg, st, jobs, !checked, &n, &stale, &written, &docs, err);
		if (rc == 0 && stale) {
			/* Still under the lock: nobody writes in between. */
			vb_info("index format %d is older than %d: rebuilding", stale,
				VB_INDEX_FORMAT);
			rc = vb_reindex_locked(cfg, st, NULL, err);
			written = 0;
		}
		/* Drained after a bulk load: compact (see VB_INDEXER_COMPACT_MIN). */
		if (rc == 0 && !stale && n < VB_INDEXER_BATCH &&
		    written >= VB_INDEXER_COMPACT_MIN && written * 2 >= docs) {
			if (vb_index_compact_locked(cfg, &e2))
				vb_warn("indexer: %s", e2.msg);
			written = 0;
		}
		if (vb_store_index_unlock(st, &e2) && !rc)
			vb_warn("%s", e2.msg);
		if (rc == VB_EUNSUPPORTED)
			goto out; /* retrying cannot help */
		if (rc)
			goto transient;
		checked = 1;
		if (stale || n == VB_INDEXER_BATCH)
			continue; /* jobs waiting */
		if (!follow)
			break;
		if ((rc = vb_store_outbox_wait(st, RETRY_MS, err)))
			goto transient;
		continue;
transient:
		if (!follow)
			goto out;
		vb_err("indexer: %s", err->msg);
		nap(RETRY_MS, stop);
		if (vb_store_ping(st, &e2) == 0)
			listening = 0; /* LISTEN again in case the session was reset */
		rc = 0;
	}
out:
	vb_store_free(st);
	free(jobs);
	return rc;
}
