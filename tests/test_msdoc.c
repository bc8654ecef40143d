/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for lib/msdoc.c.  A Word 97 document is built here (compound
 * file, FIB, 8-bit and UTF-16 pieces, a field, a table row) to check the
 * character mapping and, in damaged variants, the error paths.  Then the
 * real corpus ($VB_CORPUS): every .doc extracts; expected phrases per
 * file; the LuatVietNam samples match their reference .txt by >= 95% of
 * words; TCVN3 files report legacy_8bit and give back, through
 * vb_msdoc_unmap_8bit, the bytes of *.raw_text.bin (modulo white space);
 * mutated copies of real files fail cleanly or succeed, never crash.
 */
#include "msdoc.h"
#include "cfb.h"
#include "buf.h"
#include "tap.h"
#include "testutil.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SS 512
#define END 0xFFFFFFFEu
#define FREE 0xFFFFFFFFu
#define NOSTREAM 0xFFFFFFFFu

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static void dirent_set(unsigned char *e, const char *name, int type, uint32_t right,
		       uint32_t child, uint32_t start, uint32_t size)
{
	size_t i, n = strlen(name);

	memset(e, 0, 128);
	for (i = 0; i < n; i++)
		tu_put16(e + 2 * i, (uint16_t)(unsigned char)name[i]);
	tu_put16(e + 0x40, (uint16_t)(2 * n + 2));
	e[0x42] = (unsigned char)type;
	tu_put32(e + 0x44, NOSTREAM);
	tu_put32(e + 0x48, right);
	tu_put32(e + 0x4C, child);
	tu_put32(e + 0x74, start);
	tu_put32(e + 0x78, size);
}

/* A version 3 compound file with two streams, both in regular sectors
 * (mini stream cutoff 0): s0 FAT, s1 directory, then the streams. */
static unsigned char *cfb_build(const char *n1, const unsigned char *d1, size_t l1,
				const char *n2, const unsigned char *d2, size_t l2, size_t *len)
{
	size_t s1 = (l1 + SS - 1) / SS, s2 = (l2 + SS - 1) / SS, total = 2 + s1 + s2, i;
	unsigned char *f = calloc(1, (total + 1) * SS), *fat, *dir;

	memcpy(f, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	tu_put16(f + 0x1A, 3);
	tu_put16(f + 0x1C, 0xFFFE);
	tu_put16(f + 0x1E, 9);
	tu_put16(f + 0x20, 6);
	tu_put32(f + 0x2C, 1);
	tu_put32(f + 0x30, 1);
	tu_put32(f + 0x38, 0);
	tu_put32(f + 0x3C, END);
	tu_put32(f + 0x44, END);
	for (i = 0; i < 109; i++)
		tu_put32(f + 0x4C + 4 * i, i == 0 ? 0 : FREE);
	fat = f + SS;
	for (i = 0; i < 128; i++)
		tu_put32(fat + 4 * i, FREE);
	tu_put32(fat, 0xFFFFFFFDu);
	tu_put32(fat + 4, END);
	for (i = 0; i < s1; i++)
		tu_put32(fat + 4 * (2 + i), i + 1 < s1 ? (uint32_t)(3 + i) : END);
	for (i = 0; i < s2; i++)
		tu_put32(fat + 4 * (2 + s1 + i), i + 1 < s2 ? (uint32_t)(3 + s1 + i) : END);
	memcpy(f + 3 * SS, d1, l1);
	if (l2)
		memcpy(f + (3 + s1) * SS, d2, l2);
	dir = f + 2 * SS;
	dirent_set(dir, "Root Entry", 5, NOSTREAM, 1, END, 0);
	dirent_set(dir + 128, n1, 2, n2 ? 2 : NOSTREAM, NOSTREAM, 2, (uint32_t)l1);
	if (n2)
		dirent_set(dir + 256, n2, 2, NOSTREAM, NOSTREAM, (uint32_t)(2 + s1), (uint32_t)l2);
	*len = (total + 1) * SS;
	return f;
}

/* The synthetic Word 97 document: 8-bit piece at 0x400, UTF-16 piece at
 * 0x600 of WordDocument; Clx in 1Table. */
static const char piece8[] = "Dieu 1\r\x13 PAGE \x14" "7\x15" "a\x07" "b\x07\x07" "\x93q\x94\x1f\r";
static const char want_text[] = "Dieu 1\n7a\tb\n\xE2\x80\x9Cq\xE2\x80\x9D\n\xC4\x90i\xE1\xBB\x81u 2\n";

typedef struct synth {
	unsigned char doc[2048];
	unsigned char table[512];
} synth;

static void synth_init(synth *s)
{
	static const uint16_t piece16[] = { 0x0110, 'i', 0x1EC1, 'u', ' ', '2', '\r' };
	uint32_t n0 = (uint32_t)strlen(piece8), n1 = 7;
	unsigned char *d = s->doc, *c = s->table;
	size_t i;

	memset(s, 0, sizeof(*s));
	tu_put16(d, 0xA5EC);
	tu_put16(d + 2, 0xC1);
	tu_put16(d + 0x0A, 0x0200);          /* fWhichTblStm: 1Table */
	tu_put16(d + 0x20, 14);              /* csw */
	tu_put16(d + 0x3E, 22);              /* cslw */
	tu_put32(d + 0x4C, n0 + n1);         /* ccpText */
	tu_put16(d + 0x98, 93);              /* cbRgFcLcb */
	tu_put32(d + 0x1A2, 0);              /* fcClx */
	tu_put32(d + 0x1A6, 5 + 28 + 5);     /* lcbClx */
	memcpy(d + 0x400, piece8, n0);
	for (i = 0; i < n1; i++)
		tu_put16(d + 0x600 + 2 * i, piece16[i]);
	c[0] = 0x01;                      /* a Prc with 2 bytes of grpprl */
	tu_put16(c + 1, 2);
	c[5] = 0x02;
	tu_put32(c + 6, 28);
	tu_put32(c + 10, 0);
	tu_put32(c + 14, n0);
	tu_put32(c + 18, n0 + n1);
	tu_put32(c + 22 + 2, 0x40000000u | (0x400 * 2));
	tu_put32(c + 30 + 2, 0x600);
}

static int synth_run(const synth *s, int with_table, char **out, int *legacy, vb_error *err)
{
	size_t len;
	unsigned char *f = cfb_build("WordDocument", s->doc, sizeof(s->doc),
				     with_table ? "1Table" : NULL, s->table,
				     with_table ? sizeof(s->table) : 0, &len);
	int rc;

	vb_error_clear(err);
	rc = vb_msdoc_text(f, len, out, legacy, err);
	free(f);
	return rc;
}

static void test_synthetic(void)
{
	synth s;
	vb_error err;
	char *out = NULL;
	int legacy = -1, rc;

	synth_init(&s);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	if (rc)
		printf("# %s\n", err.msg);
	tap_is_str(out, want_text, "synthetic Word 97: pieces, field, table row, cp1252");
	tap_is_int(legacy, 1, "8-bit piece with a high byte sets legacy_8bit");
	free(out);

	synth_init(&s);
	tu_put32(s.doc + 0x4C, 0xFFFFFFF0u);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == 0 && out && !strcmp(out, want_text), "huge ccpText is clipped to the pieces");
	free(out);

	synth_init(&s);
	tu_put32(s.doc + 0x4C, 4);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_is_str(out, "Dieu", "ccpText limits the main story");
	tap_is_int(legacy, 0, "ASCII-only 8-bit text does not set legacy_8bit");
	free(out);

	synth_init(&s);
	tu_put32(s.table + 30 + 2, 0x7FFF0);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out && strstr(err.msg, "piece table entry 1 points past the end"),
	       "piece pointing past the end: %s", err.msg);

	synth_init(&s);
	tu_put32(s.table + 22 + 2, 0x40000000u | 0x3FFFFFF0u);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "compressed piece past the end: %s", err.msg);

	synth_init(&s);
	tu_put32(s.table + 14, 0xFFFFFF00u);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "piece CPs out of order: %s", err.msg);

	synth_init(&s);
	tu_put32(s.table + 6, 0xFFFFFFF0u);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "huge piece table length: %s", err.msg);

	synth_init(&s);
	tu_put32(s.doc + 0x1A6, 0x7FFFFFFF);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "Clx past the end of the table stream: %s", err.msg);

	synth_init(&s);
	s.table[0] = 0x07;
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "garbage Clx: %s", err.msg);

	synth_init(&s);
	tu_put16(s.doc + 0x0A, 0x0300);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EUNSUPPORTED && !out, "encrypted document: %s", err.msg);

	synth_init(&s);
	rc = synth_run(&s, 0, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "missing table stream: %s", err.msg);

	synth_init(&s);
	tu_put16(s.doc, 0x1234);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "bad FIB signature: %s", err.msg);

	synth_init(&s);
	tu_put16(s.doc + 0x3E, 0xFFFF);
	rc = synth_run(&s, 1, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "FIB counts past its stream: %s", err.msg);

	/* Word 6: 8-bit text from fcMin. */
	synth_init(&s);
	tu_put16(s.doc + 2, 101);
	tu_put32(s.doc + 0x18, 0x400);
	tu_put32(s.doc + 0x1C, 0x400 + 6);
	tu_put32(s.doc + 0x34, 6);
	s.doc[0x401] = 0xBE;
	rc = synth_run(&s, 0, &out, &legacy, &err);
	tap_ok(rc == 0 && out && !strcmp(out, "D\xC2\xBE" "eu 1") && legacy == 1,
	       "synthetic Word 6 text from fcMin, legacy_8bit set");
	free(out);
	tu_put32(s.doc + 0x34, 0xFFFFFF00u);
	rc = synth_run(&s, 0, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "Word 6 ccpText past the end: %s", err.msg);
	tu_put32(s.doc + 0x34, 6);
	tu_put16(s.doc + 0x0A, 0x0004);      /* fast-saved: Clx at fcClx */
	tu_put32(s.doc + 0x160, 0x700);
	tu_put32(s.doc + 0x164, 33);
	memcpy(s.doc + 0x700, s.table + 5, 33);
	tu_put32(s.doc + 0x700 + 17 + 2, 0x400);
	tu_put32(s.doc + 0x700 + 25 + 2, 0x400);
	tu_put32(s.doc + 0x700 + 13, 6);
	tu_put32(s.doc + 0x700 + 9, 3);
	rc = synth_run(&s, 0, &out, &legacy, &err);
	tap_ok(rc == 0 && out && !strcmp(out, "D\xC2\xBE" "eD\xC2\xBE" "e"),
	       "Word 6 fast-saved piece table: %s", rc ? err.msg : out);
	free(out);
	tu_put16(s.doc + 2, 45);
	rc = synth_run(&s, 0, &out, &legacy, &err);
	tap_ok(rc == VB_EUNSUPPORTED && !out, "Word 2 FIB: %s", err.msg);

	rc = vb_msdoc_text((const unsigned char *)"", 0, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "zero-length input: %s", err.msg);
	rc = vb_msdoc_text((const unsigned char *)"{\\rtf1 x}", 9, &out, &legacy, &err);
	tap_ok(rc == VB_EINVAL && !out, "not a compound file: %s", err.msg);
	{
		size_t len;
		unsigned char *f = cfb_build("Workbook", s.doc, 600, NULL, NULL, 0, &len);

		rc = vb_msdoc_text(f, len, &out, &legacy, &err);
		tap_ok(rc == VB_EUNSUPPORTED && !out, "compound file without WordDocument: %s",
		       err.msg);
		free(f);
		f = cfb_build("WordDocument", s.doc, 16, NULL, NULL, 0, &len);
		rc = vb_msdoc_text(f, len, &out, &legacy, &err);
		tap_ok(rc == VB_EINVAL && !out, "truncated FIB: %s", err.msg);
		free(f);
	}
}

static void test_unmap(void)
{
	static const char in[] = "S\xC2\xBE" "C \xE2\x80\x9C\xC2\x81\xE1\xBB\x81";
	char *b = NULL;
	size_t n = 0, bad = 0;
	int rc;

	rc = vb_msdoc_unmap_8bit(in, strlen(in), &b, &n, &bad, NULL);
	tap_ok(rc == 0 && n == 7 && !memcmp(b, "S\xBE" "C \x93\x81", 6) && bad == 1 &&
	       b[6] == '?', "unmap_8bit inverts Windows-1252 and counts the rest");
	free(b);
	rc = vb_msdoc_unmap_8bit("\xC3", 1, &b, &n, &bad, NULL);
	tap_ok(rc == VB_EINVAL && !b, "unmap_8bit rejects truncated UTF-8");
}

static char *extract(const char *path, int *legacy, vb_error *err)
{
	size_t len;
	unsigned char *d = tu_slurp(path, &len);
	char *out = NULL;

	if (!d) {
		vb_error_set(err, VB_EIO, "cannot read %s", path);
		return NULL;
	}
	if (vb_msdoc_text(d, len, &out, legacy, err) != 0)
		out = NULL;
	free(d);
	return out;
}

/* Words split on white space, sorted, for a multiset intersection. */
static size_t words(char *s, char ***out)
{
	size_t n = 0, cap = 1024;
	char **v = malloc(cap * sizeof(*v)), *tok, *save = NULL;

	for (tok = strtok_r(s, " \t\r\n\v\f", &save); tok; tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
		}
		v[n++] = tok;
	}
	*out = v;
	return n;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fraction of the reference's words (with multiplicity) found in got. */
static double word_ratio(char *got, char *ref)
{
	char **g, **r;
	size_t ng = words(got, &g), nr = words(ref, &r), i = 0, j = 0, common = 0;

	qsort(g, ng, sizeof(*g), cmpstr);
	qsort(r, nr, sizeof(*r), cmpstr);
	while (i < ng && j < nr) {
		int c = strcmp(g[i], r[j]);

		if (c == 0) {
			common++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	free(g);
	free(r);
	return nr ? (double)common / (double)nr : 1.0;
}

static const struct {
	const char *prefix;
	const char *phrases[3];
} vbpl_expect[] = {
	{ "(11234)", { "HIẾN PHÁP", "NƯỚC CỘNG HOÀ", "Điều 1" } },
	{ "(147301)", { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XỬ LÝ VI PHẠM HÀNH CHÍNH", "Điều 1" } },
	{ "(27621)", { "15/2012/QH13", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Điều 1" } },
	{ "(32801)", { "HIẾN PHÁP", "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Điều 1" } },
	{ "(889)", { "HIẾN PHÁP", "VIỆT NAM DÂN CHỦ CỘNG HOÀ", "Điều 1" } },
	{ "(96122)", { "100/2015/QH13", "BỘ LUẬT", "HÌNH SỰ" } },
	{ "(96172)", { "101/2015/QH13", "TỐ TỤNG HÌNH SỰ", "Điều 1" } },
};

static void test_vbpl(const char *corpus)
{
	char dir[4096], path[8192];
	size_t k, seen = 0;

	snprintf(dir, sizeof(dir), "%s/vbpl_original_files", corpus);
	for (k = 0; k < sizeof(vbpl_expect) / sizeof(vbpl_expect[0]); k++) {
		DIR *d = opendir(dir);
		struct dirent *de;
		char *text = NULL;
		vb_error err;
		int legacy = -1, found = 0, ok, i;

		if (!d)
			break;
		while ((de = readdir(d))) {
			size_t nl = strlen(de->d_name);

			if (strncmp(de->d_name, vbpl_expect[k].prefix, strlen(vbpl_expect[k].prefix)) ||
			    nl < 4 || strcmp(de->d_name + nl - 4, ".doc"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			found = 1;
			break;
		}
		closedir(d);
		if (!found)
			continue;
		seen++;
		text = extract(path, &legacy, &err);
		ok = text != NULL && legacy == 0;
		for (i = 0; ok && i < 3; i++)
			if (!strstr(text, vbpl_expect[k].phrases[i])) {
				printf("# missing \"%s\"\n", vbpl_expect[k].phrases[i]);
				ok = 0;
			}
		tap_ok(ok, "vbpl %s: Unicode text with expected phrases (%zu bytes)%s%s",
		       vbpl_expect[k].prefix, text ? strlen(text) : 0, text ? "" : ": ",
		       text ? "" : err.msg);
		free(text);
	}
	if (!seen)
		tap_ok(1, "# SKIP no vbpl_original_files in %s", corpus);
}

static void test_luatvietnam(const char *corpus)
{
	char dir[4096], path[8192];
	size_t ilen, nfiles = 0;
	char *index, *line, *save = NULL;

	snprintf(dir, sizeof(dir), "%s/legacy_encodings/luatvietnam_doc_pdf_samples", corpus);
	snprintf(path, sizeof(path), "%s/index.tsv", dir);
	index = (char *)tu_slurp(path, &ilen);
	if (!index) {
		tap_ok(1, "# SKIP no %s", path);
		return;
	}
	/* index.tsv: file, format, bytes, so_hieu_guess, ... */
	for (line = strtok_r(index, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = { 0 }, *p = line, *text, *ref;
		size_t rlen, i;
		int legacy = -1;
		double ratio;
		vb_error err;

		for (i = 0; i < 4 && p; i++) {
			f[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (!f[1] || strcmp(f[1], "word97"))
			continue;
		nfiles++;
		snprintf(path, sizeof(path), "%s/%s", dir, f[0]);
		text = extract(path, &legacy, &err);
		snprintf(path, sizeof(path), "%s/%s.txt", dir, f[0]);
		ref = (char *)tu_slurp(path, &rlen);
		if (!text || !ref) {
			tap_ok(0, "%s extracts: %s", f[0], text ? "no reference" : err.msg);
			free(text);
			free(ref);
			continue;
		}
		tap_ok(!f[3] || !*f[3] || strstr(text, f[3]), "%s: contains its number \"%s\"", f[0],
		       f[3] ? f[3] : "");
		ratio = word_ratio(text, ref);
		printf("# %s: word match %.4f\n", f[0], ratio);
		tap_ok(ratio >= 0.95 && legacy == 0, "%s: >= 95%% of reference words (%.1f%%)", f[0],
		       100.0 * ratio);
		free(text);
		free(ref);
	}
	free(index);
	if (!nfiles)
		tap_ok(0, "index.tsv lists Word files");
}

/* Bytes with the field codes, C0 controls and white space taken out
 * (0x1E non-breaking hyphen kept as '-'), as the comparison key. */
static size_t squeeze(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0;
	int depth = 0, code = 0; /* code: depth at which a code part is open (bitmask) */

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == 0x13) {
			if (depth < 31)
				code |= 1 << depth;
			depth++;
			continue;
		}
		if (c == 0x14) {
			if (depth > 0 && depth <= 31)
				code &= ~(1 << (depth - 1));
			continue;
		}
		if (c == 0x15) {
			if (depth > 0) {
				depth--;
				if (depth < 31)
					code &= ~(1 << depth);
			}
			continue;
		}
		if (code || depth > 31)
			continue;
		if (c == 0x1E)
			c = '-';
		if (c <= 0x20 || c == 0x7F)
			continue;
		out[o++] = c;
	}
	return o;
}

static void test_tcvn3(const char *corpus)
{
	char dir[4096], path[8192];
	DIR *d;
	struct dirent *de;
	size_t nfiles = 0, nword6 = 0;

	snprintf(dir, sizeof(dir), "%s/legacy_encodings/tcvn3_1945_sac_lenh", corpus);
	d = opendir(dir);
	if (!d) {
		tap_ok(1, "# SKIP no %s", dir);
		return;
	}
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name), len, rawlen, blen, sq1, sq2;
		unsigned char *data, *raw, *k1 = NULL, *k2 = NULL;
		char *text = NULL, *bytes = NULL, stem[256];
		vb_cfb *cfb = NULL;
		vb_buf wd;
		vb_error err;
		uint32_t ccp;
		int legacy = -1, word6, rc;

		if (nl < 5 || nl >= sizeof(stem) || strcmp(de->d_name + nl - 4, ".DOC"))
			continue;
		nfiles++;
		memcpy(stem, de->d_name, nl - 4);
		stem[nl - 4] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		data = tu_slurp(path, &len);
		snprintf(path, sizeof(path), "%s/%s.raw_text.bin", dir, stem);
		raw = tu_slurp(path, &rawlen);
		vb_buf_init(&wd, VB_CFB_MAX_STREAM);
		rc = data && raw ? vb_cfb_open(&cfb, data, len, &err) : VB_EIO;
		if (rc == 0)
			rc = vb_cfb_read_path(cfb, "WordDocument", &wd, &err);
		if (rc == 0)
			rc = vb_msdoc_text(data, len, &text, &legacy, &err);
		if (rc != 0 || wd.len < 0x50) {
			tap_ok(0, "%s extracts: %s", de->d_name, err.msg);
			goto next;
		}
		/* The reference is the whole 8-bit text stream; the main story
		 * is its first ccpText characters. */
		word6 = ((unsigned char)wd.data[2] | ((unsigned char)wd.data[3] << 8)) < 0xC0;
		ccp = get32((const unsigned char *)wd.data + (word6 ? 0x34 : 0x4C));
		nword6 += word6;
		if (!legacy) {
			/* 45000003: Unicode body, TCVN3 only in the footer. */
			tap_ok(!word6 && strstr(text, "SắC LệNH") != NULL,
			       "%s: Unicode Word 97 text (legacy_8bit 0)", de->d_name);
			goto next;
		}
		rc = vb_msdoc_unmap_8bit(text, strlen(text), &bytes, &blen, NULL, &err);
		k1 = malloc(blen + 1);
		k2 = malloc(rawlen + 1);
		sq1 = rc == 0 ? squeeze((unsigned char *)bytes, blen, k1) : 0;
		sq2 = squeeze(raw, ccp < rawlen ? ccp : rawlen, k2);
		tap_ok(rc == 0 && sq1 == sq2 && sq1 > 100 && !memcmp(k1, k2, sq1),
		       "%s (%s): legacy_8bit, bytes equal raw_text.bin modulo white space (%zu)",
		       de->d_name, word6 ? "Word 6" : "Word 97", sq1);
next:
		free(k1);
		free(k2);
		free(bytes);
		free(text);
		vb_buf_dispose(&wd);
		vb_cfb_free(cfb);
		free(data);
		free(raw);
	}
	closedir(d);
	tap_ok(nfiles == 23 && nword6 == 21, "23 TCVN3 files, 21 of them Word 6 (%zu, %zu)", nfiles,
	       nword6);
}

/* Mutated copies of a real file: any result but a crash is fine, and an
 * error must come with a message. */
static void test_mutations(const char *corpus, const char *rel)
{
	char path[4096];
	size_t len, i, fails = 0, clean = 1;
	unsigned char *orig, *copy;
	uint32_t seed = 12345;

	snprintf(path, sizeof(path), "%s/%s", corpus, rel);
	orig = tu_slurp(path, &len);
	if (!orig) {
		tap_ok(1, "# SKIP no %s", path);
		return;
	}
	copy = malloc(len);
	for (i = 0; i < 300; i++) {
		size_t j, cut = len;
		char *out = NULL;
		vb_error err;
		int legacy, rc;

		memcpy(copy, orig, len);
		for (j = 0; j < 1 + i % 8; j++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 4) % len] = (unsigned char)(seed >> 20);
		}
		if (i % 10 == 9)
			cut = (seed >> 3) % len;
		vb_error_clear(&err);
		rc = vb_msdoc_text(copy, cut, &out, &legacy, &err);
		if (rc) {
			fails++;
			if (out || !err.msg[0] || err.code != rc)
				clean = 0;
		}
		free(out);
	}
	tap_ok(clean, "300 mutations of %s: %zu clean errors, no crash", rel, fails);
	free(copy);
	free(orig);
}

int main(void)
{
	const char *corpus = tu_corpus();

	test_synthetic();
	test_unmap();
	if (!corpus) {
		tap_ok(1, "# SKIP VB_CORPUS not set");
		return tap_done();
	}
	test_vbpl(corpus);
	test_luatvietnam(corpus);
	test_tcvn3(corpus);
	test_mutations(corpus, "legacy_encodings/tcvn3_1945_sac_lenh/45000001.DOC");
	test_mutations(corpus, "legacy_encodings/luatvietnam_doc_pdf_samples/10209633.doc");
	return tap_done();
}
