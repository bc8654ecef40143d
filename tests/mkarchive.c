/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helper for tests/import.sh: writes hostile archives with libarchive's
 * writer, which (unlike tar and zip command-line tools) stores names and
 * entry types exactly as given.
 *
 *   mkarchive KIND OUT
 *
 * OUT's extension picks the format (.zip, .tar, .tar.gz / .tgz).  KIND:
 *   hostile  two safe documents (good.txt, sub/page.html) plus "../evil.txt",
 *            "/tmp/vanban-abs-evil.txt", a symlink to /etc/passwd, a hard
 *            link, a character device and "sub/../../up.txt"
 *   many     good.txt, then 10001 tiny files named *.dat (over the entry limit; a
 *            directory import skips *.dat, so the test stays fast)
 *   big      a 201 MiB zero-filled entry, then a safe document
 *            (with .zip the size is left out of the header, so the reader
 *            has to count)
 */
#include <archive.h>
#include <archive_entry.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct archive *out_open(const char *path, int *is_zip)
{
	struct archive *a = archive_write_new();
	size_t n = strlen(path);

	*is_zip = n > 4 && !strcmp(path + n - 4, ".zip");
	if (*is_zip) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		if ((n > 7 && !strcmp(path + n - 7, ".tar.gz")) || (n > 4 && !strcmp(path + n - 4, ".tgz")))
			archive_write_add_filter_gzip(a);
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fprintf(stderr, "mkarchive: %s\n", archive_error_string(a));
		exit(1);
	}
	return a;
}

static void add(struct archive *a, const char *name, mode_t type, const char *data, size_t len,
		const char *link, int is_zip)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (type == AE_IFREG)
		archive_entry_set_size(e, (la_int64_t)len);
	else
		archive_entry_set_size(e, 0);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, link);
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, 0x0103); /* like /dev/null */
	if (link && type == AE_IFREG) {
		archive_entry_set_hardlink(e, link);
		archive_entry_set_size(e, 0);
		len = 0;
	}
	(void)is_zip;
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		fprintf(stderr, "mkarchive: %s: %s\n", name, archive_error_string(a));
		/* some formats cannot hold some entry types: skip them */
		archive_entry_free(e);
		return;
	}
	if (len && archive_write_data(a, data, len) != (la_ssize_t)len) {
		fprintf(stderr, "mkarchive: %s: %s\n", name, archive_error_string(a));
		exit(1);
	}
	archive_entry_free(e);
}

static const char good_txt[] =
	"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH\nSố: 12/2024/QĐ-UBND    Quảng Ninh, ngày 1 tháng 3 năm 2024\n"
	"QUYẾT ĐỊNH\nVề việc thử nghiệm nhập văn bản từ tệp nén\n";
static const char good_html[] =
	"<!DOCTYPE html><html><body><p>Số: 7/CT-UBND</p><p>Chỉ thị về nhập tệp nén</p></body></html>";

int main(int argc, char **argv)
{
	struct archive *a;
	int is_zip, i;

	if (argc != 3) {
		fprintf(stderr, "usage: mkarchive hostile|many|big OUT\n");
		return 2;
	}
	a = out_open(argv[2], &is_zip);
	if (!strcmp(argv[1], "hostile")) {
		static const char evil[] = "evil\n";

		add(a, "good.txt", AE_IFREG, good_txt, strlen(good_txt), NULL, is_zip);
		add(a, "../evil.txt", AE_IFREG, evil, strlen(evil), NULL, is_zip);
		add(a, "/tmp/vanban-abs-evil.txt", AE_IFREG, evil, strlen(evil), NULL, is_zip);
		add(a, "sub/../../up.txt", AE_IFREG, evil, strlen(evil), NULL, is_zip);
		add(a, "passwd-link", AE_IFLNK, NULL, 0, "/etc/passwd", is_zip);
		add(a, "hard-link.txt", AE_IFREG, NULL, 0, "good.txt", is_zip);
		if (!is_zip)
			add(a, "null-device", AE_IFCHR, NULL, 0, NULL, is_zip);
		add(a, "sub/", AE_IFDIR, NULL, 0, NULL, is_zip);
		add(a, "sub/page.html", AE_IFREG, good_html, strlen(good_html), NULL, is_zip);
	} else if (!strcmp(argv[1], "many")) {
		add(a, "good.txt", AE_IFREG, good_txt, strlen(good_txt), NULL, is_zip);
		for (i = 0; i < 10001; i++) {
			char name[32], body[64];

			snprintf(name, sizeof(name), "f%05d.dat", i);
			snprintf(body, sizeof(body), "tệp số %d\n", i);
			add(a, name, AE_IFREG, body, strlen(body), NULL, is_zip);
		}
	} else if (!strcmp(argv[1], "big")) {
		size_t chunk = 1 << 20, total = (size_t)201 << 20, done;
		char *zeros = calloc(1, chunk);
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, "zeros.txt");
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		if (!is_zip)
			archive_entry_set_size(e, (la_int64_t)total);
		if (!zeros || archive_write_header(a, e) != ARCHIVE_OK) {
			fprintf(stderr, "mkarchive: %s\n", archive_error_string(a));
			return 1;
		}
		for (done = 0; done < total; done += chunk)
			if (archive_write_data(a, zeros, chunk) != (la_ssize_t)chunk) {
				fprintf(stderr, "mkarchive: %s\n", archive_error_string(a));
				return 1;
			}
		archive_entry_free(e);
		free(zeros);
		add(a, "good.txt", AE_IFREG, good_txt, strlen(good_txt), NULL, is_zip);
	} else {
		fprintf(stderr, "mkarchive: unknown kind \"%s\"\n", argv[1]);
		return 2;
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		fprintf(stderr, "mkarchive: %s\n", archive_error_string(a));
		return 1;
	}
	archive_write_free(a);
	return 0;
}
