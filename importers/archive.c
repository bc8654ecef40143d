/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unpacking archives for `vanban import` (see archive.h).  Entries are
 * written below a fresh mkdtemp() directory only: names are checked before
 * anything is created (no absolute paths, no ".." components, no
 * backslash tricks), links and special files are refused, directories are
 * created with mkdir (never through a link, since none are ever
 * extracted) and files with O_CREAT | O_EXCL | O_NOFOLLOW.  Sizes are
 * counted as the data is decompressed, not taken from headers, which can
 * lie.
 */
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

int vb_archive_name_is_archive(const char *path)
{
	static const char *const ext[] = { ".zip", ".tar", ".tar.gz", ".tgz" };
	size_t n = strlen(path), i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);

		if (n > k && !strcasecmp(path + n - k, ext[i]))
			return 1;
	}
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

int vb_archive_remove_dir(const char *dir)
{
	if (!dir)
		return 0;
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		return VB_EIO;
	return 0;
}

/* Why an entry name is unsafe, or NULL.  Leading "./" is allowed. */
static const char *name_problem(const char *name)
{
	const char *c = name;

	if (!name || !*name)
		return "empty name";
	if (strlen(name) > VB_ARCHIVE_MAX_PATH)
		return "name too long";
	if (name[0] == '/' || name[0] == '\\')
		return "absolute path";
	if (strchr(name, ':') && ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
	    name[1] == ':')
		return "absolute path";
	while (*c) {
		size_t n = strcspn(c, "/\\");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return "path contains \"..\"";
		c += n;
		if (*c)
			c++;
	}
	for (c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return "control character or backslash in name";
	return NULL;
}

/* A printable copy of an entry name for messages. */
static void printable(const char *name, char *out, size_t outsz)
{
	size_t i;

	snprintf(out, outsz, "%s", name ? name : "(no name)");
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

/* mkdir -p of the directories of rel below root. */
static int make_parents(const char *root, const char *rel, int leaf_too)
{
	char path[VB_ARCHIVE_MAX_PATH + 4096];
	size_t rootlen = strlen(root), i;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >= sizeof(path))
		return -1;
	for (i = rootlen + 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -1;
		path[i] = '/';
	}
	if (leaf_too && mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static void reject_entry(vb_archive_reject_cb cb, void *ud, const char *name, const char *why)
{
	char shown[VB_ARCHIVE_MAX_PATH + 1];

	if (!cb)
		return;
	printable(name, shown, sizeof(shown));
	cb(shown, why, ud);
}

int vb_archive_extract(const char *path, char **dir_out, vb_archive_reject_cb reject,
		       void *ud, vb_error *err)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL, *buf = NULL;
	size_t nentries = 0;
	int64_t total = 0;
	int rc = 0, r;

	*dir_out = NULL;
	if (!(buf = malloc(65536)) || !(a = archive_read_new())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		rc = vb_error_set(err, VB_EINVAL, "could not open archive \"%s\": %s",
				  path, archive_error_string(a) ? archive_error_string(a) : "unknown format");
		goto out;
	}
	if (!tmp || !*tmp || strlen(tmp) > 1024)
		tmp = "/tmp";
	if (asprintf(&dir, "%s/vanban-import.XXXXXX", tmp) < 0) {
		dir = NULL;
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	if (!mkdtemp(dir)) { /* mode 0700 */
		rc = vb_error_set(err, VB_EIO, "could not create a temporary directory in \"%s\": %s",
				  tmp, strerror(errno));
		free(dir);
		dir = NULL;
		goto out;
	}
	*dir_out = dir;

	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *name, *why;
		char full[VB_ARCHIVE_MAX_PATH + 4096];
		mode_t type;
		int64_t esize = 0;
		int fd;
		la_ssize_t n;

		if (r < ARCHIVE_WARN) {
			rc = vb_error_set(err, VB_EINVAL, "could not read archive \"%s\": %s", path,
					  archive_error_string(a) ? archive_error_string(a) : "broken archive");
			goto out;
		}
		if (++nentries > VB_ARCHIVE_MAX_ENTRIES) {
			rc = vb_error_set(err, VB_ETOOBIG, "archive \"%s\" has more than %d entries; the rest is ignored",
					  path, VB_ARCHIVE_MAX_ENTRIES);
			goto out;
		}
		name = archive_entry_pathname(e);
		type = archive_entry_filetype(e);
		if ((why = name_problem(name))) {
			reject_entry(reject, ud, name, why);
			continue;
		}
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		if (archive_entry_hardlink(e)) {
			reject_entry(reject, ud, name, "hard link");
			continue;
		}
		if (type == AE_IFLNK) {
			reject_entry(reject, ud, name, "symbolic link");
			continue;
		}
		if (type == AE_IFDIR) {
			if (*name && make_parents(dir, name, 1) < 0)
				reject_entry(reject, ud, name, "could not create directory");
			continue;
		}
		if (type != AE_IFREG) {
			reject_entry(reject, ud, name, "device or special file");
			continue;
		}
		if (!*name || name[strlen(name) - 1] == '/') {
			reject_entry(reject, ud, name, "no file name");
			continue;
		}
		if (archive_entry_size_is_set(e) && archive_entry_size(e) > VB_ARCHIVE_MAX_ENTRY_BYTES) {
			reject_entry(reject, ud, name, "larger than the limit of 200 MiB");
			continue;
		}
		if (make_parents(dir, name, 0) < 0 ||
		    (size_t)snprintf(full, sizeof(full), "%s/%s", dir, name) >= sizeof(full) ||
		    (fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
			reject_entry(reject, ud, name, errno == EEXIST ? "duplicate entry"
					      : "could not create file");
			continue;
		}
		while ((n = archive_read_data(a, buf, 65536)) > 0) {
			esize += n;
			total += n;
			if (esize > VB_ARCHIVE_MAX_ENTRY_BYTES || total > VB_ARCHIVE_MAX_TOTAL_BYTES)
				break;
			if (write(fd, buf, (size_t)n) != n) {
				n = -2;
				break;
			}
		}
		close(fd);
		if (n == -2 || n < 0 || esize > VB_ARCHIVE_MAX_ENTRY_BYTES) {
			unlink(full);
			if (n == -2) {
				rc = vb_error_set(err, VB_EIO, "could not write \"%s\": %s", full, strerror(errno));
				goto out;
			}
			if (n < 0) {
				rc = vb_error_set(err, VB_EINVAL, "could not read archive \"%s\": %s", path,
						  archive_error_string(a) ? archive_error_string(a) : "broken archive");
				goto out;
			}
			reject_entry(reject, ud, name, "larger than the limit of 200 MiB");
			if (total > VB_ARCHIVE_MAX_TOTAL_BYTES)
				goto total_limit;
			continue;
		}
		if (total > VB_ARCHIVE_MAX_TOTAL_BYTES) {
			unlink(full);
			goto total_limit;
		}
	}
	goto out;
total_limit:
	rc = vb_error_set(err, VB_ETOOBIG,
			  "archive \"%s\" decompresses to more than %lld bytes; the rest is ignored",
			  path, (long long)VB_ARCHIVE_MAX_TOTAL_BYTES);
out:
	if (a)
		archive_read_free(a);
	free(buf);
	return rc;
}
