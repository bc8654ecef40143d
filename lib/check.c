/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The integrity check and its repair (see check.h): PostgreSQL against the
 * Xapian index (ids and versions), PostgreSQL against the file store
 * (existence, size, SHA-256), the file store against PostgreSQL (orphans,
 * leftovers) and the outbox (stuck jobs).  Reads only, except in
 * vb_check_repair, which enqueues index jobs and moves files into the
 * quarantine directory (never deletes).
 */
#include "check.h"

#include "filestore.h"
#include "indexdoc.h"
#include "sha256.h"
#include "xap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define DOCS_NAMED 10 /* documents named per missing / corrupt file */
#define RECHECK_MAX 1000

static const char *const kind_names[VB_FIND_KINDS] = {
	"index-missing", "index-stale", "index-orphan", "index-duplicate",
	"file-missing", "file-corrupt", "file-orphan", "temporary", "outbox-stuck",
};

const char *vb_finding_kind_name(int kind)
{
	return kind >= 0 && kind < VB_FIND_KINDS ? kind_names[kind] : "unknown";
}

void vb_check_opts_init(vb_check_opts *o)
{
	o->grace_s = 3600;
	o->stuck_s = 600;
	o->verify_hashes = 1;
}

void vb_check_report_init(vb_check_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void vb_check_report_dispose(vb_check_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++)
		free(rep->findings[i].path);
	free(rep->findings);
	vb_check_report_init(rep);
}

static int add_finding(vb_check_report *rep, int kind, int64_t doc, const char *sha,
		       const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int add_finding(vb_check_report *rep, int kind, int64_t doc, const char *sha,
		       const char *path, const char *fmt, ...)
{
	vb_finding *f;
	va_list ap;

	rep->by_kind[kind]++;
	if (rep->n >= VB_CHECK_MAX_FINDINGS) {
		rep->dropped++;
		return 0;
	}
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 32;
		vb_finding *v = realloc(rep->findings, cap * sizeof(*v));

		if (!v)
			return VB_ENOMEM;
		rep->findings = v;
		rep->cap = cap;
	}
	f = &rep->findings[rep->n];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->document_id = doc;
	if (sha)
		snprintf(f->sha256, sizeof(f->sha256), "%s", sha);
	if (path && !(f->path = strdup(path)))
		return VB_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, ap);
	va_end(ap);
	rep->n++;
	return 0;
}

int vb_check_hash_file(const char *path, char sha256[65], int64_t *size, vb_error *err)
{
	unsigned char digest[VB_SHA256_LEN];
	vb_sha256 h;
	char *buf = NULL;
	ssize_t k;
	int fd, rc = 0;

	sha256[0] = '\0';
	*size = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, errno == ENOENT ? VB_ENOTFOUND : VB_EIO,
				    "could not open \"%s\": %s", path, strerror(errno));
	if (!(buf = malloc(CHUNK))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	vb_sha256_init(&h);
	for (;;) {
		k = read(fd, buf, CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = vb_error_set(err, VB_EIO, "could not read \"%s\": %s", path,
					  strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		vb_sha256_update(&h, buf, (size_t)k);
		*size += k;
	}
	vb_sha256_final(&h, digest);
	vb_sha256_hex(digest, sha256);
out:
	free(buf);
	close(fd);
	return rc;
}

/* ---- index ----------------------------------------------------------- */

typedef struct ientry {
	int64_t id;
	int version; /* 0 when the value is missing or not a number */
} ientry;

typedef struct ilist {
	ientry *v;
	size_t n, cap;
	int64_t only;  /* when non-zero: keep only this id */
	int oom;
} ilist;

static int parse_id(const char *term, size_t len, int64_t *id)
{
	char buf[24];
	char *end;
	long long v;

	if (len < 2 || len - 1 >= sizeof(buf))
		return -1;
	memcpy(buf, term + 1, len - 1);
	buf[len - 1] = '\0';
	if (buf[0] < '1' || buf[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int collect_posting(const char *term, size_t len, const char *value, size_t vlen,
			   void *ud)
{
	ilist *l = ud;
	char buf[16];
	int64_t id;
	long ver = 0;

	if (parse_id(term, len, &id))
		return 0; /* not an id term of ours */
	if (l->only && id != l->only)
		return 0;
	if (vlen && vlen < sizeof(buf)) {
		char *end;

		memcpy(buf, value, vlen);
		buf[vlen] = '\0';
		ver = strtol(buf, &end, 10);
		if (*end || ver < 0 || ver > INT_MAX)
			ver = 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		ientry *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->oom = 1;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].id = id;
	l->v[l->n].version = (int)ver;
	l->n++;
	return 0;
}

static int ientry_cmp(const void *a, const void *b)
{
	const ientry *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Every "Q<id>" document of the index (only one id with only != 0) with
 * its version, sorted by id.  A walk interrupted by a concurrent commit is
 * retried after a refresh. */
static int read_index(vb_xap_reader *r, int64_t only, ilist *l, vb_error *err)
{
	char prefix[32];
	int rc = 0;

	if (only)
		vb_indexdoc_id_term(only, prefix, sizeof(prefix));
	else
		snprintf(prefix, sizeof(prefix), "%s", VB_PREFIX_ID);
	for (int attempt = 0; attempt < 5; attempt++) {
		l->n = 0;
		l->only = only;
		l->oom = 0;
		if (attempt && (rc = vb_xap_reader_refresh(r, err)))
			continue;
		rc = vb_xap_reader_each_posting(r, prefix, VB_SLOT_VERSION, collect_posting, l, err);
		if (l->oom)
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		if (rc == 0)
			break;
	}
	if (rc)
		return rc;
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), ientry_cmp);
	return 0;
}

/* A fresh look at one document whose index entry looked wrong: 1 when it
 * is still wrong with no job in flight (or one older than stuck_s). */
static int still_wrong(vb_store *st, vb_xap_reader *r, int64_t id, int64_t stuck_s,
		       int *version, int *indexed, size_t *copies, vb_error *err)
{
	ilist one = { 0 };
	int64_t age;
	int rc;

	*indexed = 0;
	*copies = 0;
	if ((rc = vb_store_check_document(st, id, version, &age, err)))
		return rc;
	if ((rc = vb_xap_reader_refresh(r, err)) || (rc = read_index(r, id, &one, err))) {
		free(one.v);
		return rc;
	}
	*copies = one.n;
	if (one.n)
		*indexed = one.v[0].version;
	free(one.v);
	if (age >= 0 && age < stuck_s)
		return 0;
	if (*version == 0)
		return one.n > 0;
	return one.n != 1 || *indexed != *version;
}

static int check_index(const vb_config *cfg, vb_store *st, const vb_check_opts *o,
		       vb_check_report *rep, vb_error *err)
{
	char path[PATH_MAX];
	vb_xap_reader *r = NULL;
	vb_check_doc *docs = NULL;
	size_t ndocs = 0, i = 0, j = 0, rechecks = 0;
	ilist idx = { 0 };
	int rc;

	if (vb_config_index_path(cfg, path, sizeof(path)))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if (access(path, F_OK) != 0)
		return vb_error_set(err, VB_ENOTFOUND,
				    "index \"%s\" does not exist: run \"vanban index\" first", path);
	if ((rc = vb_store_check_documents(st, &docs, &ndocs, err)))
		goto out;
	if ((rc = vb_xap_reader_open(&r, path, err)) || (rc = read_index(r, 0, &idx, err)))
		goto out;
	rep->documents = (int64_t)ndocs;
	rep->index_documents = (int64_t)idx.n;
	/* Merge the two id-sorted lists. */
	while (i < ndocs || j < idx.n) {
		int64_t id;
		int stored = 0, indexed = 0, pending;
		size_t copies = 0;

		if (j >= idx.n || (i < ndocs && docs[i].id < idx.v[j].id)) {
			id = docs[i].id;
			stored = docs[i].version;
			pending = docs[i].job_age >= 0 && docs[i].job_age < o->stuck_s;
			i++;
		} else {
			id = idx.v[j].id;
			indexed = idx.v[j].version;
			while (j < idx.n && idx.v[j].id == id) {
				copies++;
				j++;
			}
			pending = 0;
			if (i < ndocs && docs[i].id == id) {
				stored = docs[i].version;
				pending = docs[i].job_age >= 0 && docs[i].job_age < o->stuck_s;
				i++;
			}
		}
		if (stored && copies == 1 && indexed == stored)
			continue;
		if (pending) {
			rep->index_pending++;
			continue;
		}
		/* Look again before calling it a finding: the indexer may
		 * have committed in between. */
		if (rechecks++ < RECHECK_MAX) {
			rc = still_wrong(st, r, id, o->stuck_s, &stored, &indexed, &copies, err);
			if (rc < 0)
				goto out;
			if (rc == 0) {
				if (!(stored && copies == 1 && indexed == stored))
					rep->index_pending++;
				continue;
			}
			rc = 0;
		}
		if (!stored)
			rc = add_finding(rep, VB_FIND_INDEX_ORPHAN, id, NULL, NULL,
					 "document %lld is in the index (version %d) but not in "
					 "PostgreSQL", (long long)id, indexed);
		else if (!copies)
			rc = add_finding(rep, VB_FIND_INDEX_MISSING, id, NULL, NULL,
					 "document %lld (version %d) is not in the index",
					 (long long)id, stored);
		else if (copies > 1)
			rc = add_finding(rep, VB_FIND_INDEX_DUPLICATE, id, NULL, NULL,
					 "document %lld is in the index %zu times", (long long)id,
					 copies);
		else
			rc = add_finding(rep, VB_FIND_INDEX_STALE, id, NULL, NULL,
					 "document %lld is version %d in PostgreSQL but version %d "
					 "in the index", (long long)id, stored, indexed);
		if (rc) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	free(idx.v);
	free(docs);
	vb_xap_reader_free(r);
	return rc;
}

/* ---- files ----------------------------------------------------------- */

/* "documents 3, 7, 9" (at most DOCS_NAMED) into out. */
static int name_documents(vb_store *st, const vb_check_file *f, char *out, size_t outsz,
			  vb_error *err)
{
	int64_t ids[DOCS_NAMED];
	size_t n = 0, len;
	int rc;

	out[0] = '\0';
	if ((rc = vb_store_check_file_documents(st, f->sha256, ids, DOCS_NAMED, &n, err)))
		return rc;
	snprintf(out, outsz, "%s", n ? (n == 1 ? "document " : "documents ") : "");
	for (size_t k = 0; k < n; k++) {
		len = strlen(out);
		snprintf(out + len, outsz - len, "%s%lld", k ? ", " : "", (long long)ids[k]);
	}
	if ((int64_t)n < f->documents) {
		len = strlen(out);
		snprintf(out + len, outsz - len, " and %lld more", (long long)(f->documents - (int64_t)n));
	}
	if (f->uploads) {
		len = strlen(out);
		snprintf(out + len, outsz - len, "%s%lld upload file%s", n ? ", " : "",
			 (long long)f->uploads, f->uploads == 1 ? "" : "s");
	}
	return 0;
}

static int check_referenced(vb_store *st, const char *root, const vb_check_opts *o,
			    const vb_check_file *files, size_t n, vb_check_report *rep,
			    vb_error *err)
{
	char path[PATH_MAX], hex[65], who[160];
	struct stat sb;
	int64_t size;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		const vb_check_file *f = &files[i];
		int kind = -1;
		char what[128];

		if (vb_filestore_path(root, f->sha256, path, sizeof(path)))
			continue; /* the schema only admits valid digests */
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			kind = VB_FIND_FILE_MISSING;
			snprintf(what, sizeof(what), "is missing");
		} else if (sb.st_size != f->size) {
			kind = VB_FIND_FILE_CORRUPT;
			snprintf(what, sizeof(what), "has %lld bytes instead of %lld",
				 (long long)sb.st_size, (long long)f->size);
		} else if (o->verify_hashes) {
			rc = vb_check_hash_file(path, hex, &size, err);
			if (rc == VB_ENOTFOUND) {
				kind = VB_FIND_FILE_MISSING;
				snprintf(what, sizeof(what), "is missing");
			} else if (rc) {
				kind = VB_FIND_FILE_CORRUPT;
				snprintf(what, sizeof(what), "cannot be read: %.80s", err->msg);
			} else if (strcmp(hex, f->sha256) != 0) {
				kind = VB_FIND_FILE_CORRUPT;
				snprintf(what, sizeof(what), "has SHA-256 %.16s...", hex);
			}
			rc = 0;
		}
		rep->files++;
		rep->file_bytes += f->size;
		if (kind < 0)
			continue;
		if ((rc = name_documents(st, f, who, sizeof(who), err)))
			return rc;
		if (add_finding(rep, kind, 0, f->sha256, path, "file %s %s (used by %s)",
				f->sha256, what, who[0] ? who : "nothing"))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	return rc;
}

static int sha_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const vb_check_file *)elem)->sha256);
}

static int is_hex2(const char *s)
{
	return strlen(s) == 2 && strspn(s, "0123456789abcdef") == 2;
}

typedef struct walk {
	const vb_check_opts *o;
	const vb_check_file *files;
	size_t n;
	vb_check_report *rep;
	time_t now;
} walk;

/* An unreferenced or temporary entry: a finding when older than the grace
 * period, in flight otherwise. */
static int leftover(walk *w, int kind, const char *path, const struct stat *sb,
		    const char *why)
{
	if (w->now - sb->st_mtime < w->o->grace_s) {
		w->rep->files_in_flight++;
		return 0;
	}
	return add_finding(w->rep, kind, 0, NULL, path, "%s %s", path, why) ? 1 : 0;
}

/* Walk DIR, calling back for each entry (not . and ..). */
static int each_entry(const char *dir, int (*cb)(walk *, const char *, const char *, void *),
		      walk *w, void *ud, vb_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];
	int rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return vb_error_set(err, VB_EIO, "could not open directory \"%s\": %s", dir,
				    strerror(errno));
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		if ((rc = cb(w, path, e->d_name, ud)))
			break;
	}
	closedir(d);
	if (rc > 0)
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	return rc;
}

static int level3(walk *w, const char *path, const char *name, void *ud)
{
	const char *prefix = ud; /* "abcd" */
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return 0;
	if (S_ISREG(sb.st_mode) && vb_sha256_hex_valid(name) && !strncmp(name, prefix, 4) && w->n &&
	    bsearch(name, w->files, w->n, sizeof(*w->files), sha_cmp))
		return 0;
	return leftover(w, VB_FIND_FILE_ORPHAN, path, &sb,
			S_ISREG(sb.st_mode) && vb_sha256_hex_valid(name)
			? "is referenced by no document or upload" : "is not a stored file");
}

static int level2(walk *w, const char *path, const char *name, void *ud)
{
	char prefix[5];
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return 0;
	if (!S_ISDIR(sb.st_mode) || !is_hex2(name))
		return leftover(w, VB_FIND_FILE_ORPHAN, path, &sb, "is not a stored file");
	snprintf(prefix, sizeof(prefix), "%s%s", (const char *)ud, name);
	return each_entry(path, level3, w, prefix, NULL) ? 1 : 0;
}

static int tmp_entry(walk *w, const char *path, const char *name, void *ud)
{
	struct stat sb;

	(void)name;
	(void)ud;
	if (lstat(path, &sb) != 0)
		return 0;
	return leftover(w, VB_FIND_TEMP, path, &sb, "is a leftover temporary file");
}

static int level1(walk *w, const char *path, const char *name, void *ud)
{
	struct stat sb;

	(void)ud;
	if (lstat(path, &sb) != 0)
		return 0;
	if (!strcmp(name, "tmp") && S_ISDIR(sb.st_mode))
		return each_entry(path, tmp_entry, w, NULL, NULL) ? 1 : 0;
	if (!S_ISDIR(sb.st_mode) || !is_hex2(name))
		return leftover(w, VB_FIND_FILE_ORPHAN, path, &sb, "is not a stored file");
	return each_entry(path, level2, w, (void *)name, NULL) ? 1 : 0;
}

/* The name DATA/index points to ("index.3"), "" when not a symlink. */
static void index_link(const vb_config *cfg, char *out, size_t outsz)
{
	char link[PATH_MAX];
	ssize_t k;

	out[0] = '\0';
	if (vb_config_index_path(cfg, link, sizeof(link)))
		return;
	k = readlink(link, out, outsz - 1);
	out[k > 0 ? k : 0] = '\0';
	if (strrchr(out, '/'))
		memmove(out, strrchr(out, '/') + 1, strlen(strrchr(out, '/')));
}

static int data_entry(walk *w, const char *path, const char *name, void *ud)
{
	const char *live = ud;
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return 0;
	if (!strncmp(name, "index.new.", 10) || !strncmp(name, "index.swap.", 11))
		return leftover(w, VB_FIND_TEMP, path, &sb, "is a leftover index symlink");
	if (!strncmp(name, "index.", 6) && strspn(name + 6, "0123456789") == strlen(name + 6) &&
	    name[6] && S_ISDIR(sb.st_mode) && live[0] && strcmp(name, live) != 0)
		return leftover(w, VB_FIND_TEMP, path, &sb,
				"is an index directory the live index does not use");
	return 0;
}

static int check_store_files(const vb_config *cfg, vb_store *st, const vb_check_opts *o,
			     vb_check_report *rep, vb_error *err)
{
	char root[PATH_MAX], live[PATH_MAX];
	vb_check_file *files = NULL;
	size_t n = 0;
	walk w;
	int rc;

	if (vb_config_files_path(cfg, root, sizeof(root)))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if ((rc = vb_store_check_files(st, &files, &n, err)))
		return rc;
	if ((rc = check_referenced(st, root, o, files, n, rep, err)))
		goto out;
	w.o = o;
	w.files = files;
	w.n = n;
	w.rep = rep;
	w.now = time(NULL);
	if ((rc = each_entry(root, level1, &w, NULL, err)))
		goto out;
	index_link(cfg, live, sizeof(live));
	rc = each_entry(cfg->data_dir, data_entry, &w, live, err);
out:
	free(files);
	return rc;
}

int vb_check_run(const vb_config *cfg, vb_store *st, const vb_check_opts *o,
		 vb_check_report *rep, vb_error *err)
{
	vb_check_opts def;
	int rc;

	if (!o) {
		vb_check_opts_init(&def);
		o = &def;
	}
	if ((rc = check_index(cfg, st, o, rep, err)) ||
	    (rc = check_store_files(cfg, st, o, rep, err)) ||
	    (rc = vb_store_check_outbox(st, &rep->jobs_pending, &rep->oldest_job_s, err)))
		return rc;
	if (rep->jobs_pending && rep->oldest_job_s >= o->stuck_s &&
	    add_finding(rep, VB_FIND_OUTBOX_STUCK, 0, NULL, NULL,
			"%lld index jobs pending, the oldest for %lld s: is an indexer running?",
			(long long)rep->jobs_pending, (long long)rep->oldest_job_s))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	return 0;
}

/* ---- repair ---------------------------------------------------------- */

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Move path (inside the data directory) to qdir keeping its path relative
 * to the data directory. */
static int quarantine(const vb_config *cfg, const char *qdir, const char *path, char *to,
		      size_t tosz)
{
	size_t dl = strlen(cfg->data_dir);
	const char *rel = path;
	char dir[PATH_MAX];

	if (!strncmp(path, cfg->data_dir, dl) && path[dl] == '/')
		rel = path + dl + 1;
	else if (strrchr(path, '/'))
		rel = strrchr(path, '/') + 1;
	if (snprintf(to, tosz, "%s/%s", qdir, rel) >= (int)tosz)
		return -1;
	snprintf(dir, sizeof(dir), "%s", to);
	*strrchr(dir, '/') = '\0';
	if (mkdir_p(dir))
		return -1;
	return rename(path, to);
}

/* A good copy of sha256 in files_from, put into the store: 1 when put. */
static int restore_file(const char *root, const char *files_from, const char *sha256)
{
	char cand[PATH_MAX], got[65], hex[65];
	int64_t size;
	int k;

	for (int i = 0; i < 2; i++) {
		/* a backup (DIR/files/ab/cd/SHA) or a file store (DIR/ab/cd/SHA) */
		k = snprintf(cand, sizeof(cand), "%s%s/%.2s/%.2s/%s", files_from,
			     i == 0 ? "/files" : "", sha256, sha256 + 2, sha256);
		if (k < 0 || k >= (int)sizeof(cand))
			continue;
		if (vb_check_hash_file(cand, hex, &size, NULL) || strcmp(hex, sha256) != 0)
			continue;
		if (vb_filestore_put_path(root, cand, -1, got, NULL, NULL) == 0 &&
		    !strcmp(got, sha256))
			return 1;
	}
	return 0;
}

int vb_check_repair(const vb_config *cfg, vb_store *st, vb_check_report *rep,
		    const char *files_from, size_t *jobs, vb_error *err)
{
	char qdir[PATH_MAX], root[PATH_MAX], to[PATH_MAX], stamp[32];
	int64_t *ids = NULL;
	size_t nids = 0;
	time_t now = time(NULL);
	struct tm tm;
	int rc = 0;

	*jobs = 0;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (snprintf(qdir, sizeof(qdir), "%s/quarantine/%s", cfg->data_dir, stamp) >=
	    (int)sizeof(qdir) || vb_config_files_path(cfg, root, sizeof(root)))
		return vb_error_set(err, VB_ETOOBIG, "data directory path is too long");
	if (rep->n && !(ids = calloc(rep->n, sizeof(*ids))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (size_t i = 0; i < rep->n; i++) {
		vb_finding *f = &rep->findings[i];

		switch (f->kind) {
		case VB_FIND_INDEX_MISSING:
		case VB_FIND_INDEX_STALE:
		case VB_FIND_INDEX_ORPHAN:
		case VB_FIND_INDEX_DUPLICATE:
			ids[nids++] = f->document_id;
			f->repaired = 1;
			snprintf(f->repair, sizeof(f->repair), "index job enqueued");
			break;
		case VB_FIND_FILE_ORPHAN:
		case VB_FIND_TEMP:
			if (f->path && quarantine(cfg, qdir, f->path, to, sizeof(to)) == 0) {
				f->repaired = 1;
				snprintf(f->repair, sizeof(f->repair), "moved to %.200s", to);
			} else {
				snprintf(f->repair, sizeof(f->repair), "could not move it: %s",
					 strerror(errno));
			}
			break;
		case VB_FIND_FILE_CORRUPT:
		case VB_FIND_FILE_MISSING: {
			const char *moved = "";

			if (f->kind == VB_FIND_FILE_CORRUPT) {
				if (!f->path || quarantine(cfg, qdir, f->path, to, sizeof(to)) != 0) {
					snprintf(f->repair, sizeof(f->repair),
						 "could not move the damaged file aside: %s",
						 strerror(errno));
					break;
				}
				moved = "damaged copy moved to quarantine; ";
			}
			if (files_from && restore_file(root, files_from, f->sha256)) {
				f->repaired = 1;
				snprintf(f->repair, sizeof(f->repair), "%sput back from %s", moved,
					 files_from);
			} else {
				snprintf(f->repair, sizeof(f->repair),
					 "%sno good copy%s%s: import the original file again "
					 "(vanban check --repair --files-from BACKUP takes it from "
					 "a backup)", moved, files_from ? " in " : "",
					 files_from ? files_from : "");
			}
			break;
		}
		case VB_FIND_OUTBOX_STUCK:
			snprintf(f->repair, sizeof(f->repair), "left to the indexer");
			break;
		}
	}
	if (nids) {
		if ((rc = vb_store_outbox_enqueue(st, ids, nids, err)))
			goto out;
		*jobs = nids;
	}
out:
	free(ids);
	return rc;
}
