/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for lib/cfb.c on compound files built here byte by byte (a
 * regular-FAT stream, a mini-stream stream, a nested storage) and on
 * damaged variants of them: truncation, FAT cycles, sector indexes out of
 * range, huge declared sizes, a DIFAT cycle, zero-length input.  Also
 * opens every .doc of the corpus, when present, and reads WordDocument.
 */
#include "cfb.h"
#include "tap.h"
#include "testutil.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SS 512
#define NSECT 13 /* sectors after the header */
#define END 0xFFFFFFFEu
#define FREE 0xFFFFFFFFu
#define NOSTREAM 0xFFFFFFFFu

static unsigned char *sect(unsigned char *f, unsigned n)
{
	return f + (size_t)(n + 1) * SS;
}

static void dirent_set(unsigned char *e, const char *name, int type, uint32_t left,
		       uint32_t right, uint32_t child, uint32_t start, uint32_t size)
{
	size_t i, n = strlen(name);

	memset(e, 0, 128);
	for (i = 0; i < n; i++)
		tu_put16(e + 2 * i, (uint16_t)(unsigned char)name[i]);
	tu_put16(e + 0x40, (uint16_t)(2 * n + 2));
	e[0x42] = (unsigned char)type;
	e[0x43] = 1;
	tu_put32(e + 0x44, left);
	tu_put32(e + 0x48, right);
	tu_put32(e + 0x4C, child);
	tu_put32(e + 0x74, start);
	tu_put32(e + 0x78, size);
}

/* Layout: s0 FAT, s1 + s12 directory, s2 mini FAT, s3 mini stream,
 * s4..s11 the 4096-byte stream "Big".  Entries: 0 root, 1 "Big", 2
 * "small" (100 bytes in mini sectors 0-1), 3 storage "Sub", 4 its child
 * "Inner" (mini sector 2), 5-7 unused. */
static unsigned char *build(size_t *len)
{
	size_t n = (size_t)(NSECT + 1) * SS, i;
	unsigned char *f = calloc(1, n), *fat, *dir, *mfat, *mini;

	memcpy(f, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	tu_put16(f + 0x18, 0x3E);
	tu_put16(f + 0x1A, 3);
	tu_put16(f + 0x1C, 0xFFFE);
	tu_put16(f + 0x1E, 9);
	tu_put16(f + 0x20, 6);
	tu_put32(f + 0x2C, 1);     /* FAT sectors */
	tu_put32(f + 0x30, 1);     /* first directory sector */
	tu_put32(f + 0x38, 4096);  /* mini stream cutoff */
	tu_put32(f + 0x3C, 2);     /* first mini FAT sector */
	tu_put32(f + 0x40, 1);
	tu_put32(f + 0x44, END);   /* no DIFAT sectors */
	tu_put32(f + 0x48, 0);
	for (i = 0; i < 109; i++)
		tu_put32(f + 0x4C + 4 * i, i == 0 ? 0 : FREE);
	fat = sect(f, 0);
	for (i = 0; i < 128; i++)
		tu_put32(fat + 4 * i, FREE);
	tu_put32(fat + 0, 0xFFFFFFFDu);
	tu_put32(fat + 4, 12);
	tu_put32(fat + 48, END);
	tu_put32(fat + 8, END);
	tu_put32(fat + 12, END);
	for (i = 4; i < 11; i++)
		tu_put32(fat + 4 * i, (uint32_t)i + 1);
	tu_put32(fat + 44, END);
	mfat = sect(f, 2);
	for (i = 0; i < 128; i++)
		tu_put32(mfat + 4 * i, FREE);
	tu_put32(mfat + 0, 1);
	tu_put32(mfat + 4, END);
	tu_put32(mfat + 8, END);
	mini = sect(f, 3);
	for (i = 0; i < 100; i++)
		mini[i] = (unsigned char)('a' + i % 26);
	memcpy(mini + 128, "inner data", 10);
	for (i = 0; i < 4096; i++)
		sect(f, 4)[i] = (unsigned char)(i % 251);
	dir = sect(f, 1);
	dirent_set(dir, "Root Entry", 5, NOSTREAM, NOSTREAM, 1, 3, 192);
	dirent_set(dir + 128, "Big", 2, NOSTREAM, 2, NOSTREAM, 4, 4096);
	dirent_set(dir + 256, "small", 2, NOSTREAM, 3, NOSTREAM, 0, 100);
	dirent_set(dir + 384, "Sub", 1, NOSTREAM, NOSTREAM, 4, 0, 0);
	dirent_set(sect(f, 12), "Inner", 2, NOSTREAM, NOSTREAM, NOSTREAM, 2, 10);
	*len = n;
	return f;
}

/* Open f and read path; returns the vb_cfb_open/vb_cfb_read code. */
static int try_read(const unsigned char *f, size_t len, const char *path, vb_buf *b,
		    vb_error *err)
{
	vb_cfb *cfb = NULL;
	int rc;

	vb_error_clear(err);
	rc = vb_cfb_open(&cfb, f, len, err);
	if (rc == 0)
		rc = vb_cfb_read_path(cfb, path, b, err);
	vb_cfb_free(cfb);
	return rc;
}

static void test_good(void)
{
	size_t len, i;
	unsigned char *f = build(&len);
	vb_cfb *cfb = NULL;
	vb_error err;
	vb_buf b;
	vb_cfb_entry e;
	uint32_t id;
	int rc, ok;

	vb_buf_init(&b, 1 << 20);
	tap_ok(vb_cfb_is_cfb(f, len), "signature recognised");
	rc = vb_cfb_open(&cfb, f, len, &err);
	tap_is_int(rc, 0, "valid compound file opens");
	if (rc) {
		printf("# %s\n", err.msg);
		free(f);
		return;
	}
	tap_ok(vb_cfb_count(cfb) == 8, "two directory sectors hold 8 entries: count %zu",
	       vb_cfb_count(cfb));
	tap_ok(vb_cfb_entry_get(cfb, 1, &e) == 0 && !strcmp(e.name, "Big") &&
	       e.type == VB_CFB_STREAM && e.size == 4096 && e.parent == 0, "entry 1 is Big");
	tap_ok(vb_cfb_entry_get(cfb, 99, &e) == VB_ENOTFOUND, "entry out of range");
	rc = vb_cfb_read_path(cfb, "BIG", &b, &err);
	ok = rc == 0 && b.len == 4096;
	for (i = 0; ok && i < 4096; i++)
		ok = (unsigned char)b.data[i] == i % 251;
	tap_ok(ok, "regular stream read across 8 sectors (case-insensitive name)");
	vb_buf_reset(&b);
	rc = vb_cfb_read_path(cfb, "small", &b, &err);
	tap_ok(rc == 0 && b.len == 100 && b.data[0] == 'a' && b.data[99] == 'a' + 99 % 26,
	       "mini stream read across 2 mini sectors");
	vb_buf_reset(&b);
	rc = vb_cfb_read_path(cfb, "Sub/Inner", &b, &err);
	tap_ok(rc == 0 && !strcmp(vb_buf_str(&b), "inner data"), "nested path Sub/Inner");
	tap_ok(vb_cfb_lookup(cfb, "Inner", &id) == VB_ENOTFOUND,
	       "lookup does not find nested entries at the root");
	vb_buf_reset(&b);
	rc = vb_cfb_read_path(cfb, "missing", &b, &err);
	tap_ok(rc == VB_ENOTFOUND, "missing stream: %s", err.msg);
	rc = vb_cfb_read_path(cfb, "Sub", &b, &err);
	tap_ok(rc == VB_EINVAL, "storage is not a stream: %s", err.msg);
	vb_buf_dispose(&b);
	vb_buf_init(&b, 1000);
	rc = vb_cfb_read_path(cfb, "Big", &b, &err);
	tap_ok(rc == VB_ETOOBIG, "caller's buffer limit applies: %s", err.msg);
	vb_buf_dispose(&b);
	vb_cfb_free(cfb);
	vb_cfb_free(NULL);
	free(f);
}

static void test_hostile(void)
{
	size_t len;
	unsigned char *f;
	vb_error err;
	vb_buf b;
	int rc;

	vb_buf_init(&b, (size_t)300 * 1024 * 1024);

	f = build(&len);
	rc = try_read(f, 0, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL, "zero-length input: %s", err.msg);
	rc = try_read(f, 300, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL, "input shorter than the header: %s", err.msg);
	tu_put32(sect(f, 0) + 4, END); /* one directory sector: cuts hit "Big" */
	rc = try_read(f, 6 * SS, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL, "file cut inside a stream: %s", err.msg);
	rc = try_read(f, 6 * SS + 100, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL && strstr(err.msg, "truncated"), "file cut mid-sector: %s", err.msg);

	tu_put32(sect(f, 0) + 4 * 7, 5); /* 5 -> 6 -> 7 -> 5 */
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL && strstr(err.msg, "cycle"), "FAT cycle detected: %s", err.msg);
	tu_put32(sect(f, 0) + 4 * 7, 0x7FFFFFFF);
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL && strstr(err.msg, "out of range"),
	       "sector index out of range: %s", err.msg);
	tu_put32(sect(f, 0) + 4 * 7, END);
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL && strstr(err.msg, "early"), "chain shorter than the size: %s",
	       err.msg);
	free(f);

	f = build(&len);
	tu_put32(sect(f, 1) + 128 + 0x78, 0xFFFFFFF0u);
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_ETOOBIG, "huge declared stream size: %s", err.msg);
	tu_put32(sect(f, 1) + 128 + 0x78, 4096);
	tu_put32(f + 0x2C, 0x10000000u);
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL, "huge FAT sector count: %s", err.msg);
	tu_put32(f + 0x2C, 1);
	tu_put32(f + 0x4C, 0x00FFFFFF);
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL, "FAT sector out of range: %s", err.msg);
	tu_put32(f + 0x4C, 0);
	tu_put32(sect(f, 0) + 4, 1); /* directory sector links to itself */
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL && strstr(err.msg, "cycle"), "directory chain cycle: %s", err.msg);
	tu_put32(sect(f, 0) + 4, 12);
	tu_put32(sect(f, 2), 0); /* mini chain 0 -> 0 */
	rc = try_read(f, len, "small", &b, &err);
	tap_ok(rc == VB_EINVAL && strstr(err.msg, "cycle"), "mini FAT cycle: %s", err.msg);
	tu_put32(sect(f, 2), 900);
	rc = try_read(f, len, "small", &b, &err);
	tap_ok(rc == VB_EINVAL, "mini sector out of range: %s", err.msg);
	tu_put32(sect(f, 2), 1);
	tu_put32(sect(f, 1) + 0x78, 0x7FFFFFFF); /* root: mini stream size */
	rc = try_read(f, len, "small", &b, &err);
	tap_ok(rc == VB_EINVAL, "huge mini stream size: %s", err.msg);
	tu_put32(sect(f, 1) + 0x78, 192);
	/* Directory tree loop: "small" names "Big" as its sibling. */
	tu_put32(sect(f, 1) + 256 + 0x48, 1);
	rc = try_read(f, len, "small", &b, &err);
	tap_ok(rc == 0, "sibling loop in the directory tree is tolerated");
	tu_put32(sect(f, 1) + 256 + 0x48, 3);
	/* More FAT sectors than the header and one DIFAT sector hold, with
	 * the DIFAT sector pointing to itself (in a file big enough). */
	{
		size_t blen = 300 * SS;
		unsigned char *big = calloc(1, blen);

		memcpy(big, f, len);
		tu_put32(big + 0x2C, 240);
		tu_put32(big + 0x44, 20);
		tu_put32(big + 0x48, 5);
		tu_put32(sect(big, 20) + SS - 4, 20);
		rc = try_read(big, blen, "Big", &b, &err);
		tap_ok(rc == VB_EINVAL && strstr(err.msg, "DIFAT"), "DIFAT cycle: %s", err.msg);
		free(big);
	}
	tu_put16(f + 0x1E, 20);
	rc = try_read(f, len, "Big", &b, &err);
	tap_ok(rc == VB_EINVAL, "bad sector shift: %s", err.msg);
	free(f);
	vb_buf_dispose(&b);
}

/* Every .doc file of the corpus folders opens and has a WordDocument. */
static void test_corpus(void)
{
	static const char *const dirs[] = {
		"vbpl_original_files", "legacy_encodings/luatvietnam_doc_pdf_samples",
		"legacy_encodings/tcvn3_1945_sac_lenh"
	};
	const char *corpus = tu_corpus();
	char path[4096];
	size_t k, nfiles = 0, good = 0;

	if (!corpus) {
		tap_ok(1, "# SKIP VB_CORPUS not set");
		return;
	}
	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		DIR *d;
		struct dirent *de;

		snprintf(path, sizeof(path), "%s/%s", corpus, dirs[k]);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t nl = strlen(de->d_name), len = 0;
			unsigned char *data;
			vb_buf b;
			vb_error err;
			int rc;

			if (nl < 4 || strcasecmp(de->d_name + nl - 4, ".doc"))
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", corpus, dirs[k], de->d_name);
			data = tu_slurp(path, &len);
			nfiles++;
			vb_buf_init(&b, VB_CFB_MAX_STREAM);
			rc = data ? try_read(data, len, "WordDocument", &b, &err) : VB_EIO;
			/* wIdent: 0xA5EC (Word 97+), 0xA5DC (Word 6.0/95). */
			if (rc == 0 && b.len > 0x20 && ((unsigned char)b.data[0] == 0xEC ||
							(unsigned char)b.data[0] == 0xDC) &&
			    (unsigned char)b.data[1] == 0xA5)
				good++;
			else
				printf("# %s: %s (%02x)\n", de->d_name, rc ? err.msg : "bad FIB",
				       b.len ? (unsigned char)b.data[0] : 0);
			vb_buf_dispose(&b);
			free(data);
		}
		closedir(d);
	}
	if (nfiles == 0) {
		tap_ok(1, "# SKIP no corpus .doc files under %s", corpus);
		return;
	}
	tap_ok(good == nfiles, "%zu/%zu corpus .doc files give a WordDocument stream", good,
	       nfiles);
}

int main(void)
{
	test_good();
	test_hostile();
	test_corpus();
	return tap_done();
}
