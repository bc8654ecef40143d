/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The content-addressed file store in a temporary directory: storing the
 * same bytes twice (from a path and from memory) gives one copy at the
 * expected address with the right content; malformed digests are refused;
 * the size limit holds and leaves nothing behind.
 */
#include "filestore.h"
#include "sha256.h"
#include "tap.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Regular files under dir, recursively. */
static int count_files(const char *dir)
{
	char path[4096];
	struct dirent *de;
	struct stat sb;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &sb) < 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			n += count_files(path);
		else
			n++;
	}
	closedir(d);
	return n;
}

static void remove_tree(const char *dir)
{
	char path[4096];
	struct dirent *de;
	struct stat sb;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	if (buf)
		*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

int main(void)
{
	static const char content[] = "Quyết định số 05/2023/QĐ-UBND\n";
	char base[] = "/tmp/vb-filestore.XXXXXX";
	char root[4200], src[4200], path[4200], expect[65], sha[65], sha2[65], small[8];
	vb_error err;
	int64_t size = 0;
	size_t len;
	char *got;
	FILE *f;
	int rc;

	if (!mkdtemp(base)) {
		tap_ok(0, "created a temporary directory");
		return tap_done();
	}
	snprintf(root, sizeof(root), "%s/files", base);
	snprintf(src, sizeof(src), "%s/source.txt", base);
	f = fopen(src, "wb");
	tap_ok(f && fwrite(content, 1, strlen(content), f) == strlen(content), "wrote a source file");
	if (f)
		fclose(f);
	vb_sha256_hex_of(content, strlen(content), expect);

	rc = vb_filestore_put_path(root, src, 1 << 20, sha, &size, &err);
	tap_is_int(rc, 0, "put_path stores a file");
	if (rc)
		printf("# %s\n", err.msg);
	tap_is_str(sha, expect, "digest is the SHA-256 of the content");
	tap_is_int(size, (long long)strlen(content), "size is reported");
	tap_is_int(vb_filestore_path(root, sha, path, sizeof(path)), 0, "path of a valid digest");
	{
		char want[4300];

		snprintf(want, sizeof(want), "%s/%.2s/%.2s/%s", root, expect, expect + 2, expect);
		tap_is_str(path, want, "path is ROOT/ab/cd/<sha256>");
	}
	got = slurp(path, &len);
	tap_ok(got && len == strlen(content) && !memcmp(got, content, len), "stored content is correct");
	free(got);

	rc = vb_filestore_put_path(root, src, 1 << 20, sha2, NULL, &err);
	tap_ok(rc == 0 && !strcmp(sha2, expect), "same file again: same digest");
	rc = vb_filestore_put_mem(root, content, strlen(content), 1 << 20, sha2, &err);
	tap_ok(rc == 0 && !strcmp(sha2, expect), "same bytes from memory: same digest");
	tap_is_int(count_files(root), 1, "one copy stored, no temporary files left");

	rc = vb_filestore_put_mem(root, "", 0, 10, sha2, &err);
	tap_ok(rc == 0 && !strcmp(sha2, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	       "empty file stored");
	tap_is_int(count_files(root), 2, "two distinct contents, two files");

	/* Size limit. */
	rc = vb_filestore_put_path(root, src, 10, sha2, &size, &err);
	tap_is_int(rc, VB_ETOOBIG, "put_path over the limit: VB_ETOOBIG");
	tap_ok(strstr(err.msg, "larger than 10 bytes") != NULL, "message says the limit: %s", err.msg);
	rc = vb_filestore_put_mem(root, content, strlen(content), 10, sha2, &err);
	tap_is_int(rc, VB_ETOOBIG, "put_mem over the limit: VB_ETOOBIG");
	tap_is_int(count_files(root), 2, "nothing left behind by refused files");
	rc = vb_filestore_put_mem(root, content, strlen(content), (int64_t)strlen(content), sha2, &err);
	tap_is_int(rc, 0, "exactly at the limit is accepted");

	/* Missing source. */
	snprintf(path, sizeof(path), "%s/missing", base);
	rc = vb_filestore_put_path(root, path, -1, sha2, NULL, &err);
	tap_is_int(rc, VB_EIO, "missing source: VB_EIO");

	/* Digests from URLs. */
	tap_is_int(vb_filestore_path(root, "../../etc/passwd", path, sizeof(path)), VB_EINVAL, "path traversal refused");
	tap_is_int(vb_filestore_path(root, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
				     path, sizeof(path)), VB_EINVAL, "upper-case digest refused");
	tap_is_int(vb_filestore_path(root, "e3b0", path, sizeof(path)), VB_EINVAL, "short digest refused");
	tap_is_int(vb_filestore_path(root, "", path, sizeof(path)), VB_EINVAL, "empty digest refused");
	tap_is_int(vb_filestore_path(root, expect, small, sizeof(small)), VB_ETOOBIG, "small buffer: VB_ETOOBIG");

	remove_tree(base);
	return tap_done();
}
