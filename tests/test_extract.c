/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit tests for lib/extract.c: type detection and text extraction through
 * the sandboxed child process.  Fixtures are built in a temporary directory
 * (DOCX and ODT with libzip, HTML, TXT, binaries); the PDF comes from the
 * corpus ($VB_CORPUS, default $VB_SRCDIR/../shared/corpus) and a truncated
 * copy of it must give a clean error.  PDF tests are skipped when the
 * corpus is absent.
 */
#include "extract.h"
#include "tap.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

static char dir[64];

/* A zip with members name[i] = content[i]. */
static int write_zip(const char *name, const char *const *members, const char *const *contents,
		     size_t n)
{
	char p[256];
	zip_t *z;
	int zerr;
	size_t i;

	tu_path(p, sizeof(p), dir, name);
	if (!(z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &zerr)))
		return -1;
	for (i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, contents[i], strlen(contents[i]), 0);

		if (!s || zip_file_add(z, members[i], s, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
	}
	return zip_close(z) == 0 ? 0 : -1;
}

/* Extract name; returns rc and fills text / media type / message. */
static int extract(const char *name, const char *hint, char **text, char **mt, vb_error *err)
{
	char p[256];

	tu_path(p, sizeof(p), dir, name);
	vb_error_clear(err);
	return vb_extract_text(p, hint, text, mt, err);
}

static const char docx_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:body>"
	"<w:p><w:r><w:t>Số: 05/2023/QĐ-UBND</w:t></w:r></w:p>"
	"<w:p><w:r><w:t xml:space=\"preserve\">Điều 1.</w:t></w:r><w:r><w:tab/><w:t>Phạm vi</w:t></w:r></w:p>"
	"<w:p><w:r><w:t>dòng một</w:t><w:br/><w:t>dòng hai</w:t></w:r></w:p>"
	"<w:p><w:r><w:delText>đã xoá</w:delText><w:instrText>PAGE</w:instrText><w:t>quye\xcc\x82\xcc\x81t</w:t></w:r></w:p>"
	"</w:body></w:document>";

static const char odt_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">\n"
	"  <office:body>\n    <office:text>\n"
	"      <text:h>CHƯƠNG I</text:h>\n"
	"      <text:p>a<text:s text:c=\"3\"/>b<text:tab/>c</text:p>\n"
	"      <text:p>x<text:line-break/>y<office:annotation><text:p>ghi chú</text:p></office:annotation></text:p>\n"
	"    </office:text>\n  </office:body>\n</office:document-content>";

static const char html[] =
	"<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head>"
	"<body><script>var secret = 1;</script><div id=\"toanvancontent\">"
	"<p>Điều&#160;1.   Phạm\n  vi</p><p>Khoản 2<br>tiếp</p>"
	"<table><tr><td>Số</td><td>05</td></tr></table></div></body></html>";

static void test_docx(void)
{
	const char *names[] = { "[Content_Types].xml", "word/document.xml" };
	const char *contents[] = { "<Types/>", docx_xml };
	char *t = NULL, *mt = NULL;
	vb_error err;
	int rc;

	tap_ok(write_zip("a.docx", names, contents, 2) == 0, "built a DOCX with libzip");
	rc = extract("a.docx", NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "DOCX extracts (%s)", err.msg);
	tap_is_str(mt, VB_MEDIA_DOCX, "DOCX media type detected");
	tap_is_str(t, "Số: 05/2023/QĐ-UBND\nĐiều 1.\tPhạm vi\ndòng một\ndòng hai\nquyết\n",
		   "DOCX paragraphs, tab, break; deleted text and field codes dropped; NFC");
	free(t);
	free(mt);
}

static void test_docx_dtd(void)
{
	const char *names[] = { "word/document.xml" };
	const char *contents[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>" };
	char *t = NULL, *mt = NULL;
	vb_error err;

	write_zip("dtd.docx", names, contents, 1);
	tap_is_int(extract("dtd.docx", NULL, &t, &mt, &err), VB_EINVAL, "DOCX with a DTD refused");
	tap_ok(strstr(err.msg, "declares a DTD") != NULL, "message says DTD (%s)", err.msg);
	tap_ok(t == NULL, "no text on error");
}

static void test_docx_broken_xml(void)
{
	const char *names[] = { "word/document.xml" };
	const char *contents[] = { "<w:document><w:body><w:p>" };
	char *t = NULL, *mt = NULL;
	vb_error err;

	write_zip("broken.docx", names, contents, 1);
	tap_is_int(extract("broken.docx", NULL, &t, &mt, &err), VB_EINVAL, "DOCX with broken XML refused");
	tap_ok(strstr(err.msg, "not well-formed") != NULL, "message says not well-formed (%s)", err.msg);
}

static void test_odt(void)
{
	const char *names[] = { "mimetype", "content.xml" };
	const char *contents[] = { VB_MEDIA_ODT, odt_xml };
	char *t = NULL, *mt = NULL;
	vb_error err;
	int rc;

	tap_ok(write_zip("b.odt", names, contents, 2) == 0, "built an ODT with libzip");
	rc = extract("b.odt", NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "ODT extracts (%s)", err.msg);
	tap_is_str(mt, VB_MEDIA_ODT, "ODT media type detected");
	tap_is_str(t, "CHƯƠNG I\na   b\tc\nx\ny\n", "ODT headings, spaces, tabs, line breaks; annotation dropped");
	free(t);
	free(mt);
}

static void test_html(void)
{
	char *t = NULL, *mt = NULL;
	vb_error err;
	int rc;

	tu_write_file(dir, "c.html", html, strlen(html));
	rc = extract("c.html", NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "HTML extracts (%s)", err.msg);
	tap_is_str(mt, VB_MEDIA_HTML, "HTML media type detected");
	tap_is_str(t, "Điều 1. Phạm vi\nKhoản 2\ntiếp\nSố\t05", "HTML text: blocks, br, cells, NBSP, no script/style");
	tap_ok(t && !strstr(t, "secret") && !strstr(t, "color"), "script and style dropped");
	free(t);
	free(mt);

	/* a fragment without <html> is text unless the caller says HTML */
	tu_write_file(dir, "frag.txt", "<p>a</p><p>b</p>", 16);
	rc = extract("frag.txt", VB_MEDIA_HTML, &t, &mt, &err);
	tap_is_int(rc, 0, "fragment with an HTML hint extracts");
	tap_is_str(t, "a\nb", "hint makes it HTML");
	tap_is_str(mt, VB_MEDIA_HTML, "media type follows the hint");
	free(t);
	free(mt);
}

static void test_txt(void)
{
	const char nfd[] = "\xEF\xBB\xBFQuye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh s\xe1\xbb\x91 2403/Q\xc3\x90-UBND\n";
	const char bad[] = "Quy\xea\x74 \xf0\x69nh\n"; /* TCVN3-ish bytes */
	char *t = NULL, *mt = NULL;
	vb_error err;
	int rc;

	tu_write_file(dir, "d.txt", nfd, strlen(nfd));
	rc = extract("d.txt", NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "UTF-8 TXT extracts (%s)", err.msg);
	tap_is_str(mt, VB_MEDIA_TEXT, "TXT media type");
	tap_is_str(t, "Quyết định số 2403/QĐ-UBND\n", "TXT normalised: BOM dropped, NFC, Ð -> Đ");
	free(t);
	free(mt);
	t = mt = NULL;

	tu_write_file(dir, "bad.txt", bad, strlen(bad));
	rc = extract("bad.txt", VB_MEDIA_TEXT, &t, &mt, &err);
	tap_ok(rc == VB_EINVAL || rc == VB_EUNSUPPORTED, "invalid UTF-8 refused (rc %d)", rc);
	tap_ok(strstr(err.msg, "bad.txt") != NULL, "message names the file (%s)", err.msg);
	tap_ok(t == NULL, "no text for invalid UTF-8");

	/* valid at the start, invalid past the sniffed prefix */
	{
		char *big = malloc(10000);

		memset(big, 'a', 10000);
		big[9000] = '\xff';
		tu_write_file(dir, "late.txt", big, 10000);
		free(big);
	}
	rc = extract("late.txt", NULL, &t, &mt, &err);
	tap_is_int(rc, VB_EINVAL, "invalid UTF-8 after 9000 bytes refused");
	tap_ok(strstr(err.msg, "neither UTF-8 nor a known Vietnamese legacy encoding") != NULL,
	       "message: neither UTF-8 nor a legacy encoding (%s)", err.msg);

	tu_write_file(dir, "empty.txt", "", 0);
	rc = extract("empty.txt", NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "empty file is empty text");
	tap_is_str(t, "", "empty text");
	free(t);
	free(mt);
}

/* The parent survives a child that crashes or answers nonsense. */
static void test_child_failures(void)
{
	char *t = NULL, *mt = NULL;
	vb_error err;
	int rc;

	tu_write_file(dir, "ok.txt", "bình thường\n", strlen("bình thường\n"));
	setenv("VANBAN_EXTRACT_SELFTEST", "crash", 1);
	rc = extract("ok.txt", NULL, &t, &mt, &err);
	tap_is_int(rc, VB_EINVAL, "crashing extractor is an error of the file");
	tap_ok(strstr(err.msg, "crashed") != NULL && strstr(err.msg, "ok.txt"),
	       "message says the extractor crashed (%s)", err.msg);
	tap_ok(t == NULL && mt == NULL, "no output from a crashed extractor");
	setenv("VANBAN_EXTRACT_SELFTEST", "garbage", 1);
	rc = extract("ok.txt", NULL, &t, &mt, &err);
	tap_is_int(rc, VB_EINVAL, "nonsense from the extractor is an error");
	unsetenv("VANBAN_EXTRACT_SELFTEST");
	rc = extract("ok.txt", NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "extraction works again afterwards");
	tap_is_str(t, "bình thường\n", "text after recovery");
	free(t);
	free(mt);
}

static void test_unsupported(void)
{
	static const unsigned char bin[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0xff, 0xfe };
	static const unsigned char ole[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0 };
	const char *names[] = { "readme.md" };
	const char *contents[] = { "hello" };
	char *t = NULL, *mt = NULL;
	vb_error err;
	const char *det;
	char p[256];

	tu_write_file(dir, "e.bin", bin, sizeof(bin));
	tap_is_int(extract("e.bin", NULL, &t, &mt, &err), VB_EUNSUPPORTED, "binary file unsupported");
	tap_ok(strstr(err.msg, "unsupported type") != NULL, "message says unsupported (%s)", err.msg);
	tu_write_file(dir, "f.doc", ole, sizeof(ole));
	tap_is_int(extract("f.doc", NULL, &t, &mt, &err), VB_EINVAL, "truncated Word .doc is a clean error");
	tap_ok(strstr(err.msg, "could not read Word document") != NULL && strstr(err.msg, "f.doc"),
	       "message names the file and the Word reader (%s)",
	       err.msg);
	write_zip("g.zip", names, contents, 1);
	tap_is_int(extract("g.zip", NULL, &t, &mt, &err), VB_EUNSUPPORTED, "plain zip unsupported");
	tu_path(p, sizeof(p), dir, "g.zip");
	tap_ok(vb_extract_detect(p, &det, NULL) == 0 && !strcmp(det, VB_MEDIA_ZIP), "zip detected as zip");
	tap_is_int(extract("nonexistent.pdf", NULL, &t, &mt, &err), VB_EIO, "missing file is VB_EIO");
	tap_ok(vb_extract_supported(VB_MEDIA_DOC) && vb_extract_supported(VB_MEDIA_RTF) &&
	       vb_extract_supported(VB_MEDIA_PDF) && !vb_extract_supported(VB_MEDIA_ZIP) &&
	       !vb_extract_supported(NULL), "vb_extract_supported");
}

static const char *corpus_dir(char *buf, size_t n)
{
	const char *corpus = tu_corpus();

	if (corpus)
		return corpus;
	snprintf(buf, n, "%s/../shared/corpus", getenv("VB_SRCDIR") ? getenv("VB_SRCDIR") : ".");
	return buf;
}

/* Real Word files (Unicode and TCVN3), TCVN3 bytes in a .txt, and RTF. */
static void test_legacy_formats(void)
{
	static const char rtf[] =
		"{\\rtf1\\ansi\\ansicpg1252\\uc1{\\fonttbl{\\f0 Times;}}"
		"\\f0 QUY\\u7870?T \\u272?\\u7882?NH\\par "
		"{\\*\\generator hidden}C\\u7893?ng th\\'f4ng tin\\par}";
	static const struct { const char *rel, *want, *what; } files[] = {
		{ "vbpl_original_files/(32801)-Hien_phap_nam_2013.doc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		  "Word 97 .doc (Hiến pháp 2013)" },
		{ "legacy_encodings/tcvn3_1945_sac_lenh/45000001.DOC", "SẮC LỆNH",
		  "Word 6 .doc typed in TCVN3 comes out in Unicode" },
		{ "legacy_encodings/tcvn3_1945_sac_lenh/45000002.DOC", "Điều",
		  "Word 97 .doc with TCVN3 text comes out in Unicode" },
	};
	char cbuf[1024], p[2048], *t = NULL, *mt = NULL, *raw = NULL;
	const char *corpus = corpus_dir(cbuf, sizeof(cbuf));
	vb_error err;
	size_t i;
	FILE *f;
	long n;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", corpus, files[i].rel);
		if (access(p, R_OK)) {
			printf("ok %d # SKIP %s not in the corpus\n", ++tap_n, files[i].rel);
			continue;
		}
		vb_error_clear(&err);
		t = mt = NULL;
		tap_ok(vb_extract_text(p, NULL, &t, &mt, &err) == 0 && t && strstr(t, files[i].want) &&
		       !strcmp(mt, VB_MEDIA_DOC), "%s (%s)", files[i].what, err.msg);
		free(t);
		free(mt);
	}

	/* The raw 8-bit TCVN3 stream of a 1945 decree, saved as a .txt. */
	snprintf(p, sizeof(p), "%s/legacy_encodings/tcvn3_1945_sac_lenh/45000001.raw_text.bin", corpus);
	if ((f = fopen(p, "rb"))) {
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		raw = malloc((size_t)n);
		if (raw && fread(raw, 1, (size_t)n, f) == (size_t)n) {
			/* Keep the text, drop Word's field and cell marks. */
			long k, m = 0;

			for (k = 0; k < n; k++)
				if ((unsigned char)raw[k] >= 0x20 || raw[k] == '\r' || raw[k] == '\n')
					raw[m++] = raw[k] == '\r' ? '\n' : raw[k];
			tu_write_file(dir, "tcvn3.txt", raw, (size_t)m);
		}
		fclose(f);
		free(raw);
		t = mt = NULL;
		tap_ok(extract("tcvn3.txt", NULL, &t, &mt, &err) == 0 && t && strstr(t, "SẮC LỆNH") &&
		       strstr(t, "Điều"), "TCVN3 bytes in a .txt are detected and converted (%s)", err.msg);
		free(t);
		free(mt);
	} else {
		printf("ok %d # SKIP no TCVN3 sample in the corpus\n", ++tap_n);
	}

	tu_write_file(dir, "a.rtf", rtf, sizeof(rtf) - 1);
	t = mt = NULL;
	tap_ok(extract("a.rtf", NULL, &t, &mt, &err) == 0 && t && strstr(t, "QUYẾT ĐỊNH") &&
	       strstr(t, "Cổng thông tin") && !strstr(t, "hidden") && !strcmp(mt, VB_MEDIA_RTF),
	       "RTF with \\u escapes and a skipped destination (%s)", err.msg);
	free(t);
	free(mt);
}

/* The smallest PDF in the corpus directory d, or 0 when there is none. */
static int find_pdf(const char *d, char *out, size_t n)
{
	DIR *dd = opendir(d);
	struct dirent *e;
	off_t best = 0;

	if (!dd)
		return 0;
	while ((e = readdir(dd))) {
		char p[1024];
		struct stat st;
		size_t l = strlen(e->d_name);

		if (l < 5 || strcmp(e->d_name + l - 4, ".pdf"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", d, e->d_name);
		if (stat(p, &st) == 0 && (!best || st.st_size < best)) {
			best = st.st_size;
			snprintf(out, n, "%s", p);
		}
	}
	closedir(dd);
	return best > 0;
}

static void test_pdf(void)
{
	char sub[1024], pdf[1024] = "", trunc[256];
	const char *corpus = corpus_dir(sub, sizeof(sub));
	char *t = NULL, *mt = NULL;
	unsigned char *data = NULL;
	vb_error err;
	size_t size;
	int rc, i;

	{
		char d[2048];

		snprintf(d, sizeof(d), "%s/congbao_chinhphu/pdf", corpus);
		if (!find_pdf(d, pdf, sizeof(pdf))) {
			snprintf(d, sizeof(d), "%s/vbpl_original_files", corpus);
			find_pdf(d, pdf, sizeof(pdf));
		}
	}
	if (!pdf[0]) {
		for (i = 0; i < 7; i++)
			printf("ok %d # SKIP no PDF in the corpus (%s)\n", ++tap_n, corpus);
		return;
	}
	vb_error_clear(&err);
	rc = vb_extract_text(pdf, NULL, &t, &mt, &err);
	tap_is_int(rc, 0, "corpus PDF extracts (%s)", err.msg);
	tap_is_str(mt, VB_MEDIA_PDF, "PDF media type");
	tap_ok(t && strlen(t) > 200, "PDF has a text layer (%zu bytes)", t ? strlen(t) : 0);
	tap_ok(t && strstr(t, "Số") != NULL, "PDF text is Vietnamese UTF-8");
	free(t);
	free(mt);
	t = mt = NULL;

	/* a truncated copy */
	if ((data = tu_slurp(pdf, &size)) && size > 0)
		tu_write_file(dir, "trunc.pdf", data, size / 2);
	free(data);
	tu_path(trunc, sizeof(trunc), dir, "trunc.pdf");
	vb_error_clear(&err);
	rc = vb_extract_text(trunc, NULL, &t, &mt, &err);
	tap_is_int(rc, VB_EINVAL, "truncated PDF is VB_EINVAL");
	tap_ok(strstr(err.msg, "could not read PDF \"") != NULL && strstr(err.msg, "trunc.pdf"),
	       "truncated PDF message (%s)", err.msg);
	tap_ok(t == NULL, "no text from a truncated PDF");

	/* a PDF that ends properly but is garbage inside: poppler's own error */
	tu_write_file(dir, "garbage.pdf", "%PDF-1.4\ngarbage\n%%EOF\n", 23);
	rc = extract("garbage.pdf", NULL, &t, &mt, &err);
	tap_is_int(rc, VB_EINVAL, "damaged PDF is VB_EINVAL");
	tap_ok(strstr(err.msg, "could not read PDF") != NULL, "damaged PDF message (%s)", err.msg);
}

int main(void)
{
	if (tu_mkdtemp(dir, sizeof(dir), "/tmp/test_extract")) {
		perror("mkdtemp");
		return 1;
	}
	test_docx();
	test_docx_dtd();
	test_docx_broken_xml();
	test_odt();
	test_html();
	test_txt();
	test_unsupported();
	test_legacy_formats();
	test_child_failures();
	test_pdf();
	tu_dir_remove(dir);
	return tap_done();
}
