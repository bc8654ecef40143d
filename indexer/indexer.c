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

/* ---- the writer thread ----------------------------------------------
 *
 * Xapian's replace_document (its inverter) is the larger half of the
 * indexing time and building the next documents (folding, terms) most of
 * the rest: a writer thread applies the writes of a batch in order while
 * the batch fetches and builds the next documents.  Up to WRITER_QUEUE
 * writes wait in a queue, so that neither side waits for the other on
 * every document (a document that builds slowly, or the writer's periodic
 * commit, no longer stalls the other side).  The version look-up of a
 * document (is it indexed already?) is made by the writer thread just
 * before its replace; every other use of the writer (metadata, doccount,
 * close) first stops the thread (writer_stop), so the writer is only ever
 * used by one thread at a time.  The documents written are freed by the
 * batch's thread, off the writer's path. */

#define WRITER_QUEUE 4

/* One write: replace idterm by x unless the indexed version is ver (not
 * looked up when ver is ""), or (x NULL) delete idterm. */
typedef struct write_job {
	vb_xdoc *x;
	char idterm[32];
	char ver[16];
} write_job;

typedef struct write_counts {
	size_t updated, deleted, unchanged;
} write_counts;

typedef struct writer_pipe {
	pthread_mutex_t m;
	pthread_cond_t cv;        /* jobs queued, or the queue has room */
	pthread_t thread;
	int started, quit;
	vb_xap_writer *w;
	write_job q[WRITER_QUEUE];
	size_t head, count;       /* queued, not yet taken */
	vb_xdoc *spent[WRITER_QUEUE + 2]; /* written, for the batch's thread to free */
	size_t nspent;
	write_counts counts;      /* the thread's */
	int rc;                   /* first error of the thread (sticky) */
	vb_error err;
} writer_pipe;

/* Apply one write to w. */
static int write_apply(vb_xap_writer *w, const write_job *j, write_counts *wc, vb_error *err)
{
	char *indexed = NULL;
	int rc;

	if (!j->x) {
		if ((rc = vb_xap_writer_delete(w, j->idterm, err)) == 0)
			wc->deleted++;
		return rc;
	}
	if (j->ver[0] &&
	    (rc = vb_xap_writer_get_value(w, j->idterm, VB_SLOT_VERSION, &indexed, err)))
		return rc;
	if (indexed && !strcmp(indexed, j->ver)) {
		wc->unchanged++;
	} else if ((rc = vb_xap_writer_replace(w, j->idterm, j->x, err)) == 0) {
		wc->updated++;
	}
	free(indexed);
	return rc;
}

static void *writer_main(void *arg)
{
	writer_pipe *p = arg;
	write_job j;
	vb_error err;
	int rc;

	pthread_mutex_lock(&p->m);
	for (;;) {
		while (!p->count && !p->quit)
			pthread_cond_wait(&p->cv, &p->m);
		if (!p->count)
			break;
		j = p->q[p->head];
		p->head = (p->head + 1) % WRITER_QUEUE;
		p->count--;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->m);
		/* p->rc is only written by this thread, under the lock */
		rc = p->rc ? 0 : write_apply(p->w, &j, &p->counts, &err);
		pthread_mutex_lock(&p->m);
		if (rc) {
			p->rc = rc;
			p->err = err;
		}
		if (j.x && p->nspent < sizeof(p->spent) / sizeof(p->spent[0])) {
			p->spent[p->nspent++] = j.x;
			j.x = NULL;
		}
		pthread_cond_broadcast(&p->cv);
		if (j.x) {
			pthread_mutex_unlock(&p->m);
			vb_xdoc_free(j.x);
			pthread_mutex_lock(&p->m);
		}
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

/* The documents written so far, moved to out (at most WRITER_QUEUE + 2)
 * to be freed after unlocking p->m, which the caller holds. */
static size_t take_spent(writer_pipe *p, vb_xdoc **out)
{
	size_t n = p->nspent;

	memcpy(out, p->spent, n * sizeof(*out));
	p->nspent = 0;
	return n;
}

/* Queue a write (x taken over, NULL for a delete; version < 0: replace
 * whatever is indexed), or apply it here without a thread (counted in wc
 * then). */
static int writer_put(writer_pipe *p, vb_xap_writer *w, const char *idterm, vb_xdoc *x,
		      int version, write_counts *wc, vb_error *err)
{
	vb_xdoc *spent[WRITER_QUEUE + 2];
	write_job j;
	size_t n;
	int rc;

	memset(&j, 0, sizeof(j));
	j.x = x;
	snprintf(j.idterm, sizeof(j.idterm), "%s", idterm);
	if (version >= 0)
		snprintf(j.ver, sizeof(j.ver), "%d", version);
	if (!p || !p->started) {
		rc = write_apply(w, &j, wc, err);
		vb_xdoc_free(x);
		return rc;
	}
	pthread_mutex_lock(&p->m);
	while (p->count == WRITER_QUEUE && !p->rc)
		pthread_cond_wait(&p->cv, &p->m);
	rc = p->rc;
	if (!rc) {
		p->q[(p->head + p->count) % WRITER_QUEUE] = j;
		p->count++;
		pthread_cond_broadcast(&p->cv);
	}
	n = take_spent(p, spent);
	pthread_mutex_unlock(&p->m);
	for (size_t i = 0; i < n; i++)
		vb_xdoc_free(spent[i]);
	if (rc) {
		vb_xdoc_free(x);
		if (err)
			*err = p->err;
	}
	return rc;
}

/* Apply what is queued and stop the thread; its counts are added to wc;
 * its error, if any. */
static int writer_stop(writer_pipe *p, write_counts *wc, vb_error *err)
{
	vb_xdoc *spent[WRITER_QUEUE + 2];
	size_t n;

	if (!p->started)
		return 0;
	pthread_mutex_lock(&p->m);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->m);
	pthread_join(p->thread, NULL);
	/* after an error the thread skipped the rest: free what it left */
	for (; p->count; p->count--, p->head = (p->head + 1) % WRITER_QUEUE)
		vb_xdoc_free(p->q[p->head].x);
	n = take_spent(p, spent);
	for (size_t i = 0; i < n; i++)
		vb_xdoc_free(spent[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->m);
	p->started = 0;
	if (wc) {
		wc->updated += p->counts.updated;
		wc->deleted += p->counts.deleted;
		wc->unchanged += p->counts.unchanged;
	}
	if (p->rc && err)
		*err = p->err;
	return p->rc;
}

/* The indexer's commit cadence on w (see VB_INDEXER_FLUSH_DIV). */
static int set_flush(vb_xap_writer *w, vb_error *err)
{
	return vb_xap_writer_set_flush(w, VB_INDEXER_FLUSH_MIN, VB_INDEXER_FLUSH_MAX,
				       VB_INDEXER_FLUSH_DIV, err);
}

/* ---- full rebuild (vb_reindex_run, and the indexer on an old format) */

/* A full build: the documents are built here and written by a writer
 * thread (see above), with a commit every few dozen documents (Xapian's
 * own default, 10 000, keeps them all in slow, big maps). */
typedef struct reindex_ctx {
	vb_xap_writer *w;
	writer_pipe pipe;
	write_counts wc;
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
	/* a fresh index: no version to look up */
	rc = writer_put(&c->pipe, c->w, idterm, x, -1, &c->wc, c->err);
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
	if ((rc = set_flush(c.w, err))) {
		vb_xap_writer_free(c.w);
		c.w = NULL;
		nftw(fresh, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		goto out;
	}
	writer_start(&c.pipe, c.w); /* without a thread, add_document writes */
	c.err = err;
	if (!(c.cache = vb_indexdoc_cache_new()))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	else
		rc = vb_store_each_document(st, add_document, &c, err);
	if (writer_stop(&c.pipe, &c.wc, rc ? NULL : err) && !rc)
		rc = c.pipe.rc;
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

typedef struct batch_stats {
	write_counts wc;          /* applied by the batch's thread */
	size_t failed;
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
	char idterm[32], portal[64], state[16];
	int rc;

	vb_indexdoc_id_term(job->document_id, idterm, sizeof(idterm));
	rc = vb_store_get_document(st, job->document_id, 1, &doc, err);
	if (rc == VB_ENOTFOUND) {
		rc = writer_put(bs->pipe, w, idterm, NULL, 0, &bs->wc, err);
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
		rc = writer_put(bs->pipe, w, idterm, NULL, 0, &bs->wc, err);
		goto out;
	}
	if (rc)
		goto out;
	/* Built before the version look-up (made by the writer thread just
	 * before the replace), while the thread is still writing the previous
	 * documents: wasted only for an unchanged one, i.e. a batch re-applied
	 * after a crash.  Failing to build concerns this document only
	 * (except memory). */
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
	rc = writer_put(bs->pipe, w, idterm, x, doc.version, &bs->wc, err);
	x = NULL;
out:
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
	if ((rc = set_flush(w, err)))
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
	if ((rc = writer_stop(&pipe, &bs.wc, err)) || (rc = vb_index_format_set(w, err)) ||
	    (rc = vb_xap_writer_doccount(w, docs, err)))
		goto out;
	*written += bs.wc.updated + bs.wc.deleted;
	/* Durable in Xapian first, then forget the jobs: a crash in between
	 * only re-applies them. */
	rc = vb_xap_writer_close(w, err);
	w = NULL;
	if (rc)
		goto out;
	if ((rc = vb_store_outbox_ack(st, jobs, *n, err)))
		goto out;
	vb_info("index batch: %zu jobs (%zu updated, %zu deleted, %zu unchanged, %zu failed) in %ld ms",
		*n, bs.wc.updated, bs.wc.deleted, bs.wc.unchanged, bs.failed, now_ms() - t0);
out:
	/* On error the pending changes must not become durable without the
	 * matching acks being possible later: they are harmless either way
	 * (idempotent), so just close. */
	writer_stop(&pipe, NULL, NULL);
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
