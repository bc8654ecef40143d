/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hostile and broken files against vb_extract_text (lib/extract.c): each
 * is built here, in a temporary directory, and must fail cleanly within
 * its limits: an error code and a message naming the file and the
 * problem, no crash of the caller, and no more than the extractor's
 * wall-clock limit.
 *
 *  - DOCX whose word/document.xml is 2 GiB of zeros deflated (a zip bomb),
 *    once with its true size in the zip directory and once with a lying
 *    one (so the limit on decompressed bytes, not the header, must stop it)
 *  - DOCX with 100 000 nested elements; HTML with 100 000 nested <div>
 *  - DOCX and ODT with a billion-laughs entity bomb
 *  - PDF whose xref /Prev points at itself; PDF whose page tree contains
 *    itself; a truncated PDF
 *  - RTF with 100 000 nested groups
 *  - Word .doc (compound file) whose FAT chain is a cycle
 */
#include "extract.h"
#include "tap.h"
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#define NEST 100000
#define BOMB_BYTES ((zip_uint64_t)2 * 1024 * 1024 * 1024)
#define WALL_LIMIT (VB_EXTRACT_WALL_SECONDS + 10)

static char dir[64];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A zip source of n zero bytes, produced on demand. */
struct zeros {
	zip_uint64_t n, done;
};

static zip_int64_t zeros_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct zeros *z = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->done = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > z->n - z->done)
			len = z->n - z->done;
		memset(data, 0, (size_t)len);
		z->done += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = z->n;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return 2 * sizeof(int);
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

/* A zip with members: contents[i] (NUL-terminated), or, when contents[i]
 * is NULL, bomb zero bytes. */
static int write_zip(const char *name, const char *const *members, const char *const *contents,
		     size_t n, zip_uint64_t bomb)
{
	struct zeros zz = { bomb, 0 };
	char p[256];
	zip_t *z;
	int zerr;
	size_t i;

	tu_path(p, sizeof(p), dir, name);
	if (!(z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &zerr)))
		return -1;
	for (i = 0; i < n; i++) {
		zip_source_t *s = contents[i] ? zip_source_buffer(z, contents[i], strlen(contents[i]), 0)
					      : zip_source_function(z, zeros_cb, &zz);
		zip_int64_t idx;

		if (!s || (idx = zip_file_add(z, members[i], s, ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
		if (!contents[i])
			zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
	}
	return zip_close(z) == 0 ? 0 : -1;
}

/* Patch every "uncompressed size" field of a zip file (local headers and
 * central directory) to size: a zip that lies about its members. */
static int zip_lie(const char *from, const char *to, uint32_t size)
{
	char pf[256];
	unsigned char *b;
	size_t len, i, off;
	int rc, patched = 0;

	tu_path(pf, sizeof(pf), dir, from);
	if (!(b = tu_slurp(pf, &len)))
		return -1;
	for (i = 0; i + 46 <= len; i++) {
		if (!memcmp(b + i, "PK\3\4", 4) && i == 0)
			off = i + 22;
		else if (!memcmp(b + i, "PK\1\2", 4))
			off = i + 24;
		else
			continue;
		tu_put32(b + off, size);
		patched++;
	}
	rc = patched >= 2 ? tu_write_file(dir, to, b, len) : -1;
	free(b);
	return rc;
}

/* Extract name and check that it fails within the limit with a message
 * naming the file; returns rc.  what describes the file. */
static int hostile(const char *name, const char *what, vb_error *err)
{
	char p[256], *text = NULL, *mt = NULL;
	double t0, dt;
	int rc;

	tu_path(p, sizeof(p), dir, name);
	vb_error_clear(err);
	t0 = now();
	rc = vb_extract_text(p, NULL, &text, &mt, err);
	dt = now() - t0;
	tap_ok(rc < 0, "%s: refused (rc %d: %s)", what, rc, err->msg);
	tap_ok(dt < WALL_LIMIT, "%s: within the wall-clock limit (%.1f s)", what, dt);
	tap_ok(strstr(err->msg, name) != NULL, "%s: the message names the file", what);
	tap_ok(text == NULL, "%s: no text", what);
	free(text);
	free(mt);
	return rc;
}

static char *repeat(const char *a, size_t na, const char *mid, const char *b, size_t nb,
		    const char *head, const char *tail)
{
	size_t la = strlen(a), lb = strlen(b), lh = strlen(head), lt = strlen(tail), lm = strlen(mid);
	char *s = malloc(lh + la * na + lm + lb * nb + lt + 1), *p;
	size_t i;

	if (!s)
		return NULL;
	p = s;
	memcpy(p, head, lh);
	p += lh;
	for (i = 0; i < na; i++, p += la)
		memcpy(p, a, la);
	memcpy(p, mid, lm);
	p += lm;
	for (i = 0; i < nb; i++, p += lb)
		memcpy(p, b, lb);
	memcpy(p, tail, lt);
	p[lt] = '\0';
	return s;
}

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static void test_zip_bomb(void)
{
	static const char *const names[] = { "[Content_Types].xml", "word/document.xml" };
	static const char *const contents[] = { "<Types/>", NULL };
	vb_error err;
	double t0 = now();
	int built = write_zip("bomb.docx", names, contents, 2, BOMB_BYTES) == 0;

	tap_ok(built, "built a DOCX holding 2 GiB of zeros as document.xml (%.1f s)", now() - t0);
	tap_is_int(hostile("bomb.docx", "zip bomb (true size)", &err), VB_ETOOBIG,
		   "zip bomb is a limit error");
	tap_ok(strstr(err.msg, "larger than") != NULL, "zip bomb message says larger than");
	tap_ok(zip_lie("bomb.docx", "liar.docx", 1000) == 0, "patched the zip to claim 1000 bytes");
	hostile("liar.docx", "zip bomb (lying size)", &err);
	tap_ok(strstr(err.msg, "larger than") || strstr(err.msg, "could not read member"),
	       "lying zip bomb stopped by the decompressed-bytes limit or the size check (%s)", err.msg);
}

static void test_nesting(void)
{
	static const char *const names[] = { "word/document.xml" };
	const char *contents[1];
	char *xml, *html, *rtf;
	vb_error err;

	xml = repeat("<w:p>", NEST, "x", "</w:p>", NEST,
		     "<w:document xmlns:w=\"" W_NS "\"><w:body>", "</w:body></w:document>");
	contents[0] = xml;
	tap_ok(xml && write_zip("deep.docx", names, contents, 1, 0) == 0,
	       "built a DOCX with 100000 nested elements");
	hostile("deep.docx", "deeply nested DOCX XML", &err);
	tap_ok(strstr(err.msg, "not well-formed") != NULL, "deep XML refused by the parser's depth limit");
	free(xml);

	html = repeat("<div>", NEST, "x", "</div>", NEST, "<!DOCTYPE html><html><body>", "</body></html>");
	tap_ok(html && tu_write_file(dir, "deep.html", html, strlen(html)) == 0, "built an HTML page with 100000 nested divs");
	{
		char p[256], *text = NULL, *mt = NULL;
		double t0 = now();
		int rc;

		tu_path(p, sizeof(p), dir, "deep.html");
		vb_error_clear(&err);
		rc = vb_extract_text(p, NULL, &text, &mt, &err);
		/* libxml2's HTML parser flattens what is too deep: text or a clean
		 * error are both fine, a crash or a hang is not. */
		tap_ok(rc == 0 || (rc < 0 && err.msg[0]), "deep HTML: text or a clean error (rc %d %s)", rc, err.msg);
		tap_ok(now() - t0 < WALL_LIMIT, "deep HTML: within the wall-clock limit");
		free(text);
		free(mt);
	}
	free(html);

	rtf = repeat("{", NEST, "x", "}", NEST, "{\\rtf1\\ansi ", "}");
	tap_ok(rtf && tu_write_file(dir, "deep.rtf", rtf, strlen(rtf)) == 0, "built an RTF with 100000 nested groups");
	hostile("deep.rtf", "RTF nesting bomb", &err);
	tap_ok(strstr(err.msg, "nest") || strstr(err.msg, "deep") || strstr(err.msg, "depth"),
	       "RTF message says the nesting is too deep (%s)", err.msg);
	free(rtf);
}

static void test_entity_bomb(void)
{
	static const char lol[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE lolz [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n"
		"<w:document xmlns:w=\"" W_NS "\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>\n";
	static const char *const dnames[] = { "word/document.xml" };
	static const char *const onames[] = { "mimetype", "content.xml" };
	const char *contents[2];
	vb_error err;

	contents[0] = lol;
	tap_ok(write_zip("lol.docx", dnames, contents, 1, 0) == 0, "built a DOCX with a billion-laughs DTD");
	hostile("lol.docx", "billion laughs in DOCX", &err);
	tap_ok(strstr(err.msg, "DTD") != NULL, "billion laughs refused for its DTD");
	contents[0] = "application/vnd.oasis.opendocument.text";
	contents[1] = lol;
	tap_ok(write_zip("lol.odt", onames, contents, 2, 0) == 0, "built an ODT with a billion-laughs DTD");
	hostile("lol.odt", "billion laughs in ODT", &err);
	tap_ok(strstr(err.msg, "DTD") != NULL, "ODT billion laughs refused for its DTD");
}

/* A small PDF: objects given, xref built with the right offsets;
 * trailer_extra is added to the trailer dictionary ("%X" in it is replaced
 * by the xref offset). */
static int write_pdf(const char *name, const char *const *objs, size_t n, const char *trailer_extra)
{
	char buf[8192], extra[256], num[32];
	size_t len = 0, off[16], i, xref;
	const char *p;

	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%%PDF-1.4\n");
	for (i = 0; i < n; i++) {
		off[i] = len;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	xref = len;
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%010zu 00000 n \n", off[i]);
	snprintf(num, sizeof(num), "%zu", xref);
	extra[0] = '\0';
	for (p = trailer_extra; *p && strlen(extra) + 32 < sizeof(extra); p++) {
		if (p[0] == '%' && p[1] == 'X') {
			strcat(extra, num);
			p++;
		} else {
			strncat(extra, p, 1);
		}
	}
	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
				"trailer\n<< /Size %zu /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
				n + 1, extra, xref);
	return len < sizeof(buf) ? tu_write_file(dir, name, buf, len) : -1;
}

static void test_pdf(void)
{
	static const char *const loop_prev[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
	};
	static const char *const loop_tree[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
		"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
	};
	char p[256], *text = NULL, *mt = NULL, *good = NULL;
	vb_error err;
	FILE *f;
	long len;
	double t0;
	int rc;

	/* A looping /Prev or page tree is not necessarily an error: poppler
	 * notices the loop and reads what is there.  What matters is that it
	 * ends, within the limit, with text or a clean error. */
	tap_ok(write_pdf("prev.pdf", loop_prev, 3, "/Prev %X") == 0, "built a PDF whose /Prev points at its own xref");
	tu_path(p, sizeof(p), dir, "prev.pdf");
	vb_error_clear(&err);
	t0 = now();
	rc = vb_extract_text(p, NULL, &text, &mt, &err);
	tap_ok(now() - t0 < WALL_LIMIT, "looping /Prev: ends within the limit (%.1f s)", now() - t0);
	tap_ok(rc == 0 ? text != NULL : (err.msg[0] && strstr(err.msg, "prev.pdf")),
	       "looping /Prev: text or a clean error (rc %d %s)", rc, err.msg);
	free(text);
	free(mt);
	text = mt = NULL;

	tap_ok(write_pdf("tree.pdf", loop_tree, 3, "") == 0, "built a PDF whose page tree contains itself");
	tu_path(p, sizeof(p), dir, "tree.pdf");
	vb_error_clear(&err);
	t0 = now();
	rc = vb_extract_text(p, NULL, &text, &mt, &err);
	tap_ok(now() - t0 < WALL_LIMIT, "page tree cycle: ends within the limit (%.1f s)", now() - t0);
	tap_ok(rc == 0 ? text != NULL : (err.msg[0] && strstr(err.msg, "tree.pdf")),
	       "page tree cycle: text or a clean error (rc %d %s)", rc, err.msg);
	free(text);
	free(mt);

	/* A real PDF cut in half. */
	snprintf(p, sizeof(p), "%s/data/sample/files/thong-tu-so-12-2022-tt-bldtbxh-37536.pdf",
		 getenv("VB_SRCDIR") ? getenv("VB_SRCDIR") : "..");
	if ((f = fopen(p, "rb"))) {
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		if (len > 0 && (good = malloc((size_t)len)) && fread(good, 1, (size_t)len, f) == (size_t)len)
			tu_write_file(dir, "cut.pdf", good, (size_t)len / 2);
		free(good);
		fclose(f);
		hostile("cut.pdf", "truncated PDF", &err);
		tap_ok(strstr(err.msg, "truncated") != NULL, "truncated PDF message says truncated");
	} else {
		int i;

		for (i = 0; i < 5; i++) {
			tap_n++;
			printf("ok %d # SKIP sample PDF not found\n", tap_n);
		}
	}
}

/* A compound file (version 3, 512-byte sectors): sector 0 the FAT,
 * sector 1 the directory, sectors 2-3 the WordDocument stream, whose FAT
 * chain is 2 -> 3 -> 2 (a cycle). */
static void test_doc_fat_cycle(void)
{
	static const unsigned char sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	unsigned char b[512 * 5];
	unsigned char *fat = b + 512, *dirs = b + 1024;
	const char *names[2] = { "Root Entry", "WordDocument" };
	size_t i, k;
	vb_error err;

	memset(b, 0, sizeof(b));
	memcpy(b, sig, 8);
	tu_put16(b + 0x18, 0x3E);
	tu_put16(b + 0x1A, 3);
	tu_put16(b + 0x1C, 0xFFFE);
	tu_put16(b + 0x1E, 9);
	tu_put16(b + 0x20, 6);
	tu_put32(b + 0x2C, 1);          /* FAT sectors */
	tu_put32(b + 0x30, 1);          /* first directory sector */
	tu_put32(b + 0x38, 4096);       /* mini stream cutoff */
	tu_put32(b + 0x3C, 0xFFFFFFFE); /* no mini FAT */
	tu_put32(b + 0x44, 0xFFFFFFFE); /* no DIFAT sectors */
	tu_put32(b + 0x4C, 0);          /* DIFAT[0]: the FAT is sector 0 */
	for (i = 1; i < 109; i++)
		tu_put32(b + 0x4C + 4 * i, 0xFFFFFFFF);
	for (i = 0; i < 128; i++)
		tu_put32(fat + 4 * i, 0xFFFFFFFF);
	tu_put32(fat + 0, 0xFFFFFFFD);  /* sector 0: FAT */
	tu_put32(fat + 4, 0xFFFFFFFE);  /* sector 1: directory, end of chain */
	tu_put32(fat + 8, 3);           /* sector 2 -> 3 */
	tu_put32(fat + 12, 2);          /* sector 3 -> 2: the cycle */
	for (k = 0; k < 4; k++) {
		unsigned char *e = dirs + 128 * k;

		tu_put32(e + 0x44, 0xFFFFFFFF);
		tu_put32(e + 0x48, 0xFFFFFFFF);
		tu_put32(e + 0x4C, 0xFFFFFFFF);
		if (k >= 2)
			continue;
		for (i = 0; names[k][i]; i++)
			tu_put16(e + 2 * i, (uint16_t)names[k][i]);
		tu_put16(e + 0x40, (uint16_t)(2 * (strlen(names[k]) + 1)));
		e[0x42] = k == 0 ? 5 : 2;
		e[0x43] = 1; /* black */
		if (k == 0) {
			tu_put32(e + 0x4C, 1);          /* child: WordDocument */
			tu_put32(e + 0x74, 0xFFFFFFFE); /* no mini stream */
		} else {
			tu_put32(e + 0x74, 2);          /* start sector */
			tu_put32(e + 0x78, 8192);       /* 16 sectors claimed */
		}
	}
	memset(b + 512 * 3, 'A', 1024);
	tap_ok(tu_write_file(dir, "cycle.doc", b, sizeof(b)) == 0, "built a .doc whose FAT chain is a cycle");
	hostile("cycle.doc", "FAT cycle in a .doc", &err);
	tap_ok(strstr(err.msg, "cycle") != NULL || strstr(err.msg, "chain") != NULL,
	       "FAT cycle message names the chain (%s)", err.msg);
}

int main(void)
{
	if (tu_mkdtemp(dir, sizeof(dir), "/tmp/vanban-hostile")) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_zip_bomb();
	test_nesting();
	test_entity_bomb();
	test_pdf();
	test_doc_fat_cycle();
	if (tu_dir_remove(dir) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
