/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backup directories with a checksummed MANIFEST (see backup.h): writing
 * one (copy or hard link, hash, record), verifying one before a restore,
 * and retention.
 */
#include "backup.h"

#include "check.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define NAME_PREFIX "vanban-"
#define STAMP_LEN 16 /* YYYYmmddTHHMMSSZ */

struct vb_backup {
	char dest[PATH_MAX];
	char dir[PATH_MAX];   /* DEST/.vanban-STAMP.partial */
	char name[64];        /* vanban-STAMP */
	char prev[PATH_MAX];  /* newest complete backup, "" when none */
	char prev_name[64];
	json_t *manifest;
	json_t *entries;
};

static int mkdir_p(const char *path, vb_error *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s", buf,
					    strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s", buf,
				    strerror(errno));
	return 0;
}

static void sync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) != 0 ? -1 : 0;
}

static int remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A name "vanban-YYYYmmddTHHMMSSZ". */
static int is_backup_name(const char *name)
{
	const char *s = name + strlen(NAME_PREFIX);

	if (strncmp(name, NAME_PREFIX, strlen(NAME_PREFIX)) || strlen(s) != STAMP_LEN)
		return 0;
	for (int i = 0; i < STAMP_LEN; i++) {
		int want_digit = i != 8 && i != 15;

		if (want_digit ? (s[i] < '0' || s[i] > '9') : s[i] != (i == 8 ? 'T' : 'Z'))
			return 0;
	}
	return 1;
}

/* The MANIFEST of dir parsed, if it is one of ours (new reference), or
 * NULL. */
static json_t *load_manifest(const char *dir, vb_error *err)
{
	char path[PATH_MAX];
	json_error_t je;
	json_t *m;
	struct stat sb;

	if (snprintf(path, sizeof(path), "%s/%s", dir, VB_BACKUP_MANIFEST) >= (int)sizeof(path)) {
		vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", dir);
		return NULL;
	}
	if (stat(path, &sb) != 0) {
		vb_error_set(err, VB_EINVAL, "\"%s\" is not a vanban backup: no %s", dir,
			     VB_BACKUP_MANIFEST);
		return NULL;
	}
	if (sb.st_size > VB_BACKUP_MANIFEST_MAX) {
		vb_error_set(err, VB_EINVAL, "%s is too large", path);
		return NULL;
	}
	if (!(m = json_load_file(path, JSON_REJECT_DUPLICATES, &je))) {
		vb_error_set(err, VB_EINVAL, "%s is corrupted: %s (line %d)", path, je.text,
			     je.line);
		return NULL;
	}
	if (!json_is_object(m) ||
	    strcmp(json_string_value(json_object_get(m, "format")) ?
		   json_string_value(json_object_get(m, "format")) : "", "vanban-backup") ||
	    !json_is_array(json_object_get(m, "entries"))) {
		vb_error_set(err, VB_EINVAL, "%s is not a vanban backup manifest", path);
		json_decref(m);
		return NULL;
	}
	if (json_integer_value(json_object_get(m, "format_version")) != VB_BACKUP_FORMAT_VERSION) {
		vb_error_set(err, VB_EUNSUPPORTED, "%s: backup format version %lld is not %d", path,
			     (long long)json_integer_value(json_object_get(m, "format_version")),
			     VB_BACKUP_FORMAT_VERSION);
		json_decref(m);
		return NULL;
	}
	return m;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The complete backups in dest, sorted oldest first: *names new array of
 * new strings. */
static int list_backups(const char *dest, char ***names, size_t *n, vb_error *err)
{
	DIR *d = opendir(dest);
	struct dirent *e;
	char path[PATH_MAX];
	char **v = NULL;
	size_t cap = 0;
	json_t *m;

	*names = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 :
		       vb_error_set(err, VB_EIO, "could not open directory \"%s\": %s", dest,
				    strerror(errno));
	while ((e = readdir(d))) {
		if (!is_backup_name(e->d_name))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dest, e->d_name) >= (int)sizeof(path))
			continue;
		if (!(m = load_manifest(path, NULL)))
			continue;
		json_decref(m);
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv)
				goto oom;
			v = nv;
		}
		if (!(v[*n] = strdup(e->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), name_cmp);
	*names = v;
	return 0;
oom:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	*n = 0;
	return vb_error_set(err, VB_ENOMEM, "out of memory");
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int vb_backup_begin(vb_backup **out, const char *dest, vb_error *err)
{
	vb_backup *b;
	char final[PATH_MAX], stamp[32];
	char **names = NULL;
	size_t n = 0;
	struct stat sb;
	int rc;

	*out = NULL;
	if (!(b = calloc(1, sizeof(*b))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	if (snprintf(b->dest, sizeof(b->dest), "%s", dest) >= (int)sizeof(b->dest)) {
		rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", dest);
		goto fail;
	}
	if ((rc = mkdir_p(dest, err)) || (rc = list_backups(dest, &names, &n, err)))
		goto fail;
	if (n) {
		snprintf(b->prev_name, sizeof(b->prev_name), "%s", names[n - 1]);
		snprintf(b->prev, sizeof(b->prev), "%s/%s", dest, names[n - 1]);
	}
	free_names(names, n);
	/* A name of its own: two backups within one second wait for the next. */
	for (int tries = 0;; tries++) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(b->name, sizeof(b->name), NAME_PREFIX "%s", stamp);
		if (snprintf(final, sizeof(final), "%s/%s", dest, b->name) >= (int)sizeof(final) ||
		    snprintf(b->dir, sizeof(b->dir), "%s/.%s.partial", dest, b->name) >=
		    (int)sizeof(b->dir)) {
			rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", dest);
			goto fail;
		}
		if (lstat(final, &sb) != 0) {
			if (mkdir(b->dir, 0755) == 0)
				break;
			if (errno != EEXIST) {
				rc = vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s",
						  b->dir, strerror(errno));
				goto fail;
			}
		}
		if (tries >= 3) {
			rc = vb_error_set(err, VB_EIO, "backup \"%s\" is being written already", final);
			goto fail;
		}
		sleep(1);
	}
	b->manifest = json_object();
	b->entries = json_array();
	if (!b->manifest || !b->entries) {
		vb_backup_abort(b);
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	*out = b;
	return 0;
fail:
	free(b);
	return rc;
}

const char *vb_backup_dir(const vb_backup *b)
{
	return b->dir;
}

const char *vb_backup_previous(const vb_backup *b)
{
	return b->prev_name[0] ? b->prev_name : NULL;
}

static int record(vb_backup *b, const char *rel, const char *sha256, int64_t size,
		  vb_error *err)
{
	json_t *e = json_pack("{s:s, s:s, s:I}", "path", rel, "sha256", sha256, "size",
			      (json_int_t)size);

	if (!e || json_array_append_new(b->entries, e))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	return 0;
}

/* Copy src to dst (new file), hashing; synced. */
static int copy_hash(const char *src, const char *dst, char sha256[65], int64_t *size,
		     vb_error *err)
{
	unsigned char digest[VB_SHA256_LEN];
	vb_sha256 h;
	char *buf = NULL;
	int in = -1, out = -1, rc = 0;
	ssize_t k, w;

	*size = 0;
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, VB_EIO, "could not open \"%s\": %s", src, strerror(errno));
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
		rc = vb_error_set(err, VB_EIO, "could not create \"%s\": %s", dst, strerror(errno));
		goto out;
	}
	if (!(buf = malloc(CHUNK))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	vb_sha256_init(&h);
	for (;;) {
		k = read(in, buf, CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = vb_error_set(err, VB_EIO, "could not read \"%s\": %s", src, strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		vb_sha256_update(&h, buf, (size_t)k);
		*size += k;
		for (ssize_t off = 0; off < k; off += w) {
			w = write(out, buf + off, (size_t)(k - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w <= 0) {
				rc = vb_error_set(err, VB_EIO, "could not write \"%s\": %s", dst,
						  w < 0 ? strerror(errno) : "nothing written");
				goto out;
			}
		}
	}
	if (fsync(out) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not sync \"%s\": %s", dst, strerror(errno));
		goto out;
	}
	vb_sha256_final(&h, digest);
	vb_sha256_hex(digest, sha256);
out:
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && !rc)
		rc = vb_error_set(err, VB_EIO, "could not write \"%s\": %s", dst, strerror(errno));
	if (rc && out >= 0)
		unlink(dst);
	return rc;
}

int vb_backup_add_file(vb_backup *b, const char *rel, const char *src, const char *sha256,
		       int *linked, vb_error *err)
{
	char dst[PATH_MAX], dir[PATH_MAX], prev[PATH_MAX], hex[65];
	struct stat ss, ps;
	int64_t size;
	int rc;

	if (linked)
		*linked = 0;
	if (snprintf(dst, sizeof(dst), "%s/%s", b->dir, rel) >= (int)sizeof(dst))
		return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", rel);
	snprintf(dir, sizeof(dir), "%s", dst);
	*strrchr(dir, '/') = '\0';
	if ((rc = mkdir_p(dir, err)))
		return rc;
	if (sha256 && b->prev[0] && stat(src, &ss) == 0 &&
	    snprintf(prev, sizeof(prev), "%s/%s", b->prev, rel) < (int)sizeof(prev) &&
	    stat(prev, &ps) == 0 && S_ISREG(ps.st_mode) && ps.st_size == ss.st_size &&
	    link(prev, dst) == 0) {
		if (linked)
			*linked = 1;
		return record(b, rel, sha256, (int64_t)ps.st_size, err);
	}
	if ((rc = copy_hash(src, dst, hex, &size, err)))
		return rc;
	if (sha256 && strcmp(hex, sha256) != 0) {
		unlink(dst);
		return vb_error_set(err, VB_EINVAL,
				    "file \"%s\" is corrupted (its SHA-256 is %.16s...): not backed "
				    "up; see vanban check", src, hex);
	}
	return record(b, rel, hex, size, err);
}

int vb_backup_add_written(vb_backup *b, const char *rel, vb_error *err)
{
	char path[PATH_MAX], hex[65];
	int64_t size;
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s", b->dir, rel) >= (int)sizeof(path))
		return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", rel);
	sync_path(path, 0);
	if ((rc = vb_check_hash_file(path, hex, &size, err)))
		return rc;
	return record(b, rel, hex, size, err);
}

int vb_backup_add_dir(vb_backup *b, const char *rel, const char *src, vb_error *err)
{
	DIR *d = opendir(src);
	struct dirent *e;
	char from[PATH_MAX], to[PATH_MAX];
	struct stat sb;
	int rc = 0;

	if (!d)
		return vb_error_set(err, VB_EIO, "could not open directory \"%s\": %s", src,
				    strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(from, sizeof(from), "%s/%s", src, e->d_name) >= (int)sizeof(from) ||
		    snprintf(to, sizeof(to), "%s/%s", rel, e->d_name) >= (int)sizeof(to)) {
			rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", src);
			break;
		}
		if (lstat(from, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if ((rc = vb_backup_add_file(b, to, from, NULL, NULL, err)))
			break;
	}
	closedir(d);
	return rc;
}

void vb_backup_set(vb_backup *b, const char *key, json_t *value)
{
	json_object_set_new(b->manifest, key, value ? value : json_null());
}

int vb_backup_finish(vb_backup *b, char *final, size_t finalsz, vb_error *err)
{
	char path[PATH_MAX], created[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc = 0;

	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(b->manifest, "format", json_string("vanban-backup"));
	json_object_set_new(b->manifest, "format_version", json_integer(VB_BACKUP_FORMAT_VERSION));
	json_object_set_new(b->manifest, "vanban_version", json_string(PACKAGE_VERSION));
	json_object_set_new(b->manifest, "created", json_string(created));
	json_object_set_new(b->manifest, "entries", json_incref(b->entries));
	if (snprintf(path, sizeof(path), "%s/%s", b->dir, VB_BACKUP_MANIFEST) >= (int)sizeof(path)) {
		rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", b->dir);
		goto fail;
	}
	if (json_dump_file(b->manifest, path, JSON_INDENT(1) | JSON_SORT_KEYS) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not write \"%s\"", path);
		goto fail;
	}
	sync_path(path, 0);
	sync_path(b->dir, 1);
	if (snprintf(final, finalsz, "%s/%s", b->dest, b->name) >= (int)finalsz) {
		rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", b->dest);
		goto fail;
	}
	if (rename(b->dir, final) != 0) {
		rc = vb_error_set(err, VB_EIO, "could not rename \"%s\" to \"%s\": %s", b->dir, final,
				  strerror(errno));
		goto fail;
	}
	sync_path(b->dest, 1);
	json_decref(b->manifest);
	json_decref(b->entries);
	free(b);
	return 0;
fail:
	vb_backup_abort(b);
	return rc;
}

void vb_backup_abort(vb_backup *b)
{
	if (!b)
		return;
	if (b->dir[0])
		remove_tree(b->dir);
	json_decref(b->manifest);
	json_decref(b->entries);
	free(b);
}

/* A relative path without "..", "//", leading "/" or control characters. */
static int safe_rel(const char *p)
{
	const char *s = p;

	if (!p || !*p || *p == '/')
		return 0;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return 0;
	while (*s) {
		size_t len = strcspn(s, "/");

		if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && !strncmp(s, "..", 2)))
			return 0;
		s += len;
		if (*s == '/' && !*++s)
			return 0;
	}
	return 1;
}

int vb_backup_verify(const char *dir, json_t **manifest, vb_error *err)
{
	json_t *m, *entries, *e;
	char path[PATH_MAX], hex[65];
	size_t i;
	int64_t size;
	int rc = 0;

	*manifest = NULL;
	if (!(m = load_manifest(dir, err)))
		return err ? err->code : VB_EINVAL;
	entries = json_object_get(m, "entries");
	if (json_array_size(entries) > VB_BACKUP_MAX_ENTRIES) {
		rc = vb_error_set(err, VB_EINVAL, "%s/%s lists too many files", dir,
				  VB_BACKUP_MANIFEST);
		goto out;
	}
	json_array_foreach(entries, i, e) {
		const char *rel = json_string_value(json_object_get(e, "path"));
		const char *sha = json_string_value(json_object_get(e, "sha256"));
		json_t *sz = json_object_get(e, "size");

		if (!safe_rel(rel) || !sha || !vb_sha256_hex_valid(sha) || !json_is_integer(sz)) {
			rc = vb_error_set(err, VB_EINVAL, "%s/%s: entry %zu is malformed", dir,
					  VB_BACKUP_MANIFEST, i + 1);
			goto out;
		}
		if (snprintf(path, sizeof(path), "%s/%s", dir, rel) >= (int)sizeof(path)) {
			rc = vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", rel);
			goto out;
		}
		rc = vb_check_hash_file(path, hex, &size, err);
		if (rc == VB_ENOTFOUND) {
			rc = vb_error_set(err, VB_EINVAL, "backup file \"%s\" is missing", path);
			goto out;
		}
		if (rc)
			goto out;
		if (size != json_integer_value(sz) || strcmp(hex, sha) != 0) {
			rc = vb_error_set(err, VB_EINVAL,
					  "backup file \"%s\" is corrupted (size %lld, SHA-256 %.16s... "
					  "where the manifest says %lld, %.16s...)", path,
					  (long long)size, hex, (long long)json_integer_value(sz), sha);
			goto out;
		}
	}
	*manifest = m;
	m = NULL;
out:
	json_decref(m);
	return rc;
}

int vb_backup_prune(const char *dest, size_t keep, size_t *removed, vb_error *err)
{
	char **names = NULL;
	char path[PATH_MAX];
	size_t n = 0;
	int rc;

	if (removed)
		*removed = 0;
	if (keep < 1)
		return vb_error_set(err, VB_EINVAL, "at least one backup must be kept");
	if ((rc = list_backups(dest, &names, &n, err)))
		return rc;
	for (size_t i = 0; i + keep < n && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s", dest, names[i]);
		if (remove_tree(path) != 0)
			rc = vb_error_set(err, VB_EIO, "could not remove old backup \"%s\": %s", path,
					  strerror(errno));
		else if (removed)
			(*removed)++;
	}
	free_names(names, n);
	return rc;
}
