/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The content-addressed file store (see filestore.h).  Writing goes through
 * a temporary file in ROOT/tmp on the same file system, so the final
 * rename(2) is atomic; the temporary file is fsync'ed before the rename and
 * the directory after it, so a stored file survives a crash once the call
 * has returned.
 */
#include "filestore.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FS_PATH_MAX 4096
#define FS_CHUNK 65536

typedef struct fs_writer {
	const char *root;
	char tmp[FS_PATH_MAX];
	int fd;
	vb_sha256 hash;
	int64_t size;
	int64_t max;
} fs_writer;

static int mkdir_one(const char *path, vb_error *err)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	return vb_error_set(err, VB_EIO, "could not create directory \"%s\": %s", path, strerror(errno));
}

/* mkdir -p */
static int mkdir_p(const char *path, vb_error *err)
{
	char buf[FS_PATH_MAX];
	size_t i, n = strlen(path);
	int rc;

	if (n >= sizeof(buf))
		return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", path);
	memcpy(buf, path, n + 1);
	for (i = 1; i < n; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		rc = mkdir_one(buf, err);
		buf[i] = '/';
		if (rc)
			return rc;
	}
	return mkdir_one(buf, err);
}

static int writer_begin(fs_writer *w, const char *root, int64_t max, vb_error *err)
{
	char dir[FS_PATH_MAX];
	int rc;

	memset(w, 0, sizeof(*w));
	w->root = root;
	w->fd = -1;
	w->max = max;
	vb_sha256_init(&w->hash);
	if (!root || !*root)
		return vb_error_set(err, VB_EINVAL, "file store directory is not set");
	if (snprintf(dir, sizeof(dir), "%s/tmp", root) >= (int)sizeof(dir) ||
	    snprintf(w->tmp, sizeof(w->tmp), "%s/tmp/put.XXXXXX", root) >= (int)sizeof(w->tmp)) {
		w->tmp[0] = '\0';
		return vb_error_set(err, VB_ETOOBIG, "path too long: \"%s\"", root);
	}
	if ((rc = mkdir_p(dir, err))) {
		w->tmp[0] = '\0';
		return rc;
	}
	if ((w->fd = mkstemp(w->tmp)) < 0) {
		rc = vb_error_set(err, VB_EIO, "could not create file in \"%s\": %s", dir, strerror(errno));
		w->tmp[0] = '\0';
		return rc;
	}
	return 0;
}

static int writer_write(fs_writer *w, const void *data, size_t n, vb_error *err)
{
	const char *p = data;
	ssize_t k;

	if (w->max >= 0 && (int64_t)n > w->max - w->size)
		return vb_error_set(err, VB_ETOOBIG, "file is larger than %lld bytes", (long long)w->max);
	vb_sha256_update(&w->hash, data, n);
	w->size += (int64_t)n;
	while (n) {
		k = write(w->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return vb_error_set(err, VB_EIO, "could not write file \"%s\": %s", w->tmp,
					    k < 0 ? strerror(errno) : "no space written");
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void writer_abort(fs_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->tmp[0])
		unlink(w->tmp);
	w->tmp[0] = '\0';
}

static void sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Sync, then move the temporary file to its content address (or drop it
 * when that content is there already). */
static int writer_commit(fs_writer *w, char sha256_out[65], vb_error *err)
{
	unsigned char digest[VB_SHA256_LEN];
	char hex[VB_SHA256_HEX_LEN], final[FS_PATH_MAX], dir[FS_PATH_MAX];
	struct stat sb;
	int rc = 0;

	vb_sha256_final(&w->hash, digest);
	vb_sha256_hex(digest, hex);
	if (fchmod(w->fd, 0644) < 0 || fsync(w->fd) < 0) {
		rc = vb_error_set(err, VB_EIO, "could not sync file \"%s\": %s", w->tmp, strerror(errno));
		goto out;
	}
	if (close(w->fd) < 0) {
		w->fd = -1;
		rc = vb_error_set(err, VB_EIO, "could not close file \"%s\": %s", w->tmp, strerror(errno));
		goto out;
	}
	w->fd = -1;
	if ((rc = vb_filestore_path(w->root, hex, final, sizeof(final)))) {
		rc = vb_error_set(err, rc, "path too long: \"%s\"", w->root);
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s", final);
	*strrchr(dir, '/') = '\0';
	if ((rc = mkdir_p(dir, err)))
		goto out;
	if (stat(final, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == w->size)
		goto out; /* same content stored already: drop our copy */
	if (rename(w->tmp, final) < 0) {
		rc = vb_error_set(err, VB_EIO, "could not rename file \"%s\" to \"%s\": %s",
				  w->tmp, final, strerror(errno));
		goto out;
	}
	w->tmp[0] = '\0';
	sync_dir(dir);
out:
	writer_abort(w);
	if (!rc)
		memcpy(sha256_out, hex, VB_SHA256_HEX_LEN);
	return rc;
}

int vb_filestore_put_path(const char *root, const char *src_path, int64_t max_bytes,
			  char sha256_out[65], int64_t *size_out, vb_error *err)
{
	fs_writer w;
	struct stat sb;
	char *chunk = NULL;
	ssize_t k;
	int fd = -1, rc;

	sha256_out[0] = '\0';
	if (size_out)
		*size_out = 0;
	if ((fd = open(src_path, O_RDONLY)) < 0)
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", src_path, strerror(errno));
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && max_bytes >= 0 && sb.st_size > max_bytes) {
		close(fd);
		return vb_error_set(err, VB_ETOOBIG, "file \"%s\" is larger than %lld bytes",
				    src_path, (long long)max_bytes);
	}
	if ((rc = writer_begin(&w, root, max_bytes, err)))
		goto out;
	if (!(chunk = malloc(FS_CHUNK))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		k = read(fd, chunk, FS_CHUNK);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = vb_error_set(err, VB_EIO, "could not read file \"%s\": %s", src_path, strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		if ((rc = writer_write(&w, chunk, (size_t)k, err))) {
			if (rc == VB_ETOOBIG)
				vb_error_set(err, rc, "file \"%s\" is larger than %lld bytes",
					     src_path, (long long)max_bytes);
			goto out;
		}
	}
	if ((rc = writer_commit(&w, sha256_out, err)))
		goto out;
	if (size_out)
		*size_out = w.size;
out:
	if (rc)
		writer_abort(&w);
	free(chunk);
	close(fd);
	return rc;
}

int vb_filestore_put_mem(const char *root, const void *data, size_t len, int64_t max_bytes,
			 char sha256_out[65], vb_error *err)
{
	fs_writer w;
	int rc;

	sha256_out[0] = '\0';
	if (max_bytes >= 0 && len > (uint64_t)max_bytes)
		return vb_error_set(err, VB_ETOOBIG, "file is larger than %lld bytes", (long long)max_bytes);
	if ((rc = writer_begin(&w, root, max_bytes, err)) ||
	    (rc = writer_write(&w, data, len, err)) ||
	    (rc = writer_commit(&w, sha256_out, err)))
		writer_abort(&w);
	return rc;
}

int vb_filestore_path(const char *root, const char *sha256, char *out, size_t outsz)
{
	int n;

	if (outsz)
		out[0] = '\0';
	if (!vb_sha256_hex_valid(sha256))
		return VB_EINVAL;
	n = snprintf(out, outsz, "%s/%.2s/%.2s/%s", root, sha256, sha256 + 2, sha256);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz)
			out[0] = '\0';
		return VB_ETOOBIG;
	}
	return 0;
}
