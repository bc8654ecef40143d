/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers shared by the C test programs: files in a temporary
 * directory (create, path, write, remove), reading a whole file, the corpus
 * location ($VB_CORPUS) and little-endian writers for building binary
 * fixtures.  Header-only like tap.h: each test program includes it once
 * and every function is static inline, so unused ones cost nothing.
 */
#ifndef VB_TESTUTIL_H
#define VB_TESTUTIL_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* out = dir/name (truncated to n bytes). */
static inline void tu_path(char *out, size_t n, const char *dir, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* Write len bytes of data to dir/name; 0 or -1. */
static inline int tu_write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char p[256];
	FILE *f;
	int ok;

	tu_path(p, sizeof(p), dir, name);
	if (!(f = fopen(p, "wb")))
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Create a fresh private directory "<prefix>.XXXXXX" in dir (n bytes);
 * 0 or -1 with errno set. */
static inline int tu_mkdtemp(char *dir, size_t n, const char *prefix)
{
	snprintf(dir, n, "%s.XXXXXX", prefix);
	return mkdtemp(dir) ? 0 : -1;
}

/* Remove the files of a flat temporary directory (names not starting with
 * '.') and then the directory itself; 0 or -1. */
static inline int tu_dir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			tu_path(p, sizeof(p), dir, e->d_name);
			unlink(p);
		}
	closedir(d);
	return rmdir(dir);
}

/* The whole file, malloc'd with a NUL after its *len bytes; NULL (and
 * *len 0) when it cannot be read. */
static inline unsigned char *tu_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *d = NULL;
	long n;

	*len = 0;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		d = malloc((size_t)n + 1);
		if (d && fread(d, 1, (size_t)n, fp) != (size_t)n) {
			free(d);
			d = NULL;
		}
		if (d) {
			d[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(fp);
	return d;
}

/* $VB_CORPUS, or NULL when it is unset or empty. */
static inline const char *tu_corpus(void)
{
	const char *corpus = getenv("VB_CORPUS");

	return corpus && *corpus ? corpus : NULL;
}

/* Little-endian stores into a byte buffer. */
static inline void tu_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void tu_put32(unsigned char *p, uint32_t v)
{
	tu_put16(p, (uint16_t)v);
	tu_put16(p + 2, (uint16_t)(v >> 16));
}

#endif
