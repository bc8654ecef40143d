/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests for lib/legacy.h: table-driven cases for decoding, detection, the
 * Windows-1252 misreading repair and the capitals repair; every letter of
 * the corpus charset table through every encoding; the 1945 TCVN3 decrees
 * of the corpus (raw bytes -> Unicode compared word by word with the
 * corpus's reference conversion, >= 98 % of words equal, differences shown
 * as TAP comments); the mixed file; real Unicode documents that must pass
 * through untouched.  Corpus parts are skipped (with a SKIP line) when
 * $VB_CORPUS (default $VB_SRCDIR/../shared/corpus) is not there.
 */
#include "legacy.h"
#include "tap.h"
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

static char corpus[1024];

/* ---- table-driven cases ---- */

struct dec_case {
	enum vb_legacy_enc enc;
	const char *in, *want;
};

static const struct dec_case dec_cases[] = {
	{ VB_LEGACY_TCVN3, "S\xbe" "C L\xd6NH", "SắC LệNH" },
	{ VB_LEGACY_TCVN3, "\xa7i\xd2u th\xf8 nh\xca" "t", "Điều thứ nhất" },
	{ VB_LEGACY_TCVN3, "v\xa8n ph\xdfng qu\xe8" "c h\xe9i", "văn phòng quốc hội" },
	{ VB_LEGACY_TCVN3, "\xa4ng B\xe9 tr\xad\xeb" "ng", "Ông Bộ trưởng" },
	{ VB_LEGACY_VNI, "Vie\xe4t Nam", "Việt Nam" },
	{ VB_LEGACY_VNI, "Quye\xe1t \xf1\xf2nh", "Quyết định" },
	{ VB_LEGACY_VNI, "\xd1I\xc0U", "ĐIÀU" },   /* I + C0 is not a pair: À */
	{ VB_LEGACY_VNI, "\xd1IE\xc0U", "ĐIỀU" },
	{ VB_LEGACY_VNI, "ng\xf6\xf4\xf8i", "người" },
	{ VB_LEGACY_VISCII, "Vi\xaet Nam", "Việt Nam" },
	{ VB_LEGACY_CP1258, "Vi\xea\xf2t Nam", "Việt Nam" },
	{ VB_LEGACY_CP1258, "Quy\xea\xect \xf0i\xf2nh", "Quyết định" },
	{ VB_LEGACY_CP1252, "caf\xe9 \x93ok\x94", "café “ok”" },
	{ VB_LEGACY_TCVN3, "a\0b", "ab" },
};

static void test_decode_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof dec_cases / sizeof dec_cases[0]; i++) {
		const struct dec_case *c = &dec_cases[i];
		char *out = NULL;
		size_t n = strlen(c->in);
		int rc;

		if (!strcmp(c->want, "ab"))
			n = 3;
		rc = vb_legacy_decode(c->in, n, c->enc, &out, NULL);
		tap_is_int(rc, 0, "decode %s case %zu returns 0",
			   vb_legacy_enc_name(c->enc), i);
		tap_is_str(out, c->want, "decode %s case %zu",
			   vb_legacy_enc_name(c->enc), i);
		free(out);
	}
	{
		char *out = (char *)"x";
		vb_error err;
		int rc = vb_legacy_decode("a", 1, VB_LEGACY_UNKNOWN, &out, &err);

		tap_ok(rc == VB_EINVAL && out == NULL,
		       "decode with an unknown encoding fails: %s", err.msg);
		rc = vb_legacy_decode("a", (size_t)VB_LEGACY_MAX_BYTES + 1,
				      VB_LEGACY_TCVN3, &out, &err);
		tap_ok(rc == VB_ETOOBIG && out == NULL,
		       "decode over the size limit fails: %s", err.msg);
	}
}

struct detect_case {
	const char *in;
	enum vb_legacy_enc want;
};

static const struct detect_case detect_cases[] = {
	{ "\xa7i\xd2u th\xf8 nh\xcat: Nay c\xf6 \xabng Ho\xb5ng Minh Gi\xb8m "
	  "l\xb5 \xae\xe6ng l\xfd V\xa8n ph\xdfng B\xe9 N\xe9i v\xf4.",
	  VB_LEGACY_TCVN3 },
	{ "\xd1ie\xe0u 1. Quye\xe1t \xf1\xf2nh na\xf8y co\xf9 hie\xe4u "
	  "l\xf6\xef" "c thi ha\xf8nh ke\xe5 t\xf6\xf8 nga\xf8y ky\xf9.",
	  VB_LEGACY_VNI },
	{ "\xd0i\xea\xccu 1. Quy\xea\xect \xf0i\xf2nh na\xccy co\xec hi\xea\xf2u "
	  "l\xfd\xf2" "c thi ha\xccnh k\xea\xd2 t\xfd\xcc nga\xccy ky\xec.",
	  VB_LEGACY_CP1258 },
	{ "\xd0i\xabu 1. Quy\xaa" "t \xf0\xb8nh n\xe0y c\xf3 hi\xae" "u "
	  "l\xf1" "c thi h\xe0nh k\xac t\xd7 ng\xe0y k\xfd.",
	  VB_LEGACY_VISCII },
	{ "Caf\xe9 cr\xe8me br\xfbl\xe9" "e, na\xefve fa\xe7" "ade", VB_LEGACY_UNKNOWN },
	{ "plain ASCII text", VB_LEGACY_UNKNOWN },
};

static void test_detect_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof detect_cases / sizeof detect_cases[0]; i++) {
		const struct detect_case *c = &detect_cases[i];
		enum vb_legacy_enc got = vb_legacy_detect(c->in, strlen(c->in));

		tap_ok(got == c->want, "detect case %zu: %s (want %s)", i,
		       vb_legacy_enc_name(got), vb_legacy_enc_name(c->want));
	}
	tap_ok(vb_legacy_detect(NULL, 0) == VB_LEGACY_UNKNOWN,
	       "detect of nothing is unknown");
}

struct fix_case {
	const char *in, *want;
	int changed;
};

static const struct fix_case fix_cases[] = {
	/* TCVN3 read as Windows-1252 */
	{ "S¾C LÖNH", "SẮC LỆNH", 1 },
	{ "§iÒu thø nhÊt: Nay cö «ng Hoµng Minh Gi¸m", "Điều thứ nhất: Nay cử ông Hoàng Minh Giám", 1 },
	{ "CHñ TÞCH CHÝNH Phñ\nVIÖT NAM D¢N CHñ CéNG HOµ",
	  "CHỦ TỊCH CHÍNH PHỦ\nVIỆT NAM DÂN CHỦ CỘNG HOÀ", 2 },
	/* VNI read as Windows-1252 */
	{ "Quyeát ñònh naøy coù hieäu löïc", "Quyết định này có hiệu lực", 1 },
	/* already Unicode: capitals repair only */
	{ "SắC LệNH", "SẮC LỆNH", 0 },
	{ "CủA CHủ TịCH CHíNH PHủ Số 1 NGàY 30 THáNG 8 NăM 1945",
	  "CỦA CHỦ TỊCH CHÍNH PHỦ SỐ 1 NGÀY 30 THÁNG 8 NĂM 1945", 0 },
	{ "ĐịNH RằNG:", "ĐỊNH RẰNG:", 0 },
	{ "theo SắC LệNH số 1", "theo SẮC LỆNH số 1", 0 },
	/* mixed: one paragraph Unicode, one TCVN3-as-1252 */
	{ "Chủ tịch Hồ Chí Minh\r\nv¨n phßng quèc héi",
	  "Chủ tịch Hồ Chí Minh\r\nvăn phòng quốc hội", 1 },
	/* must not be touched */
	{ "Chủ tịch Uỷ ban nhân dân tỉnh Quảng Ninh", NULL, 0 },
	{ "Bộ GTVT, Sở Xây dựng, Hà Nội, Số 05/2023/QĐ-UBND", NULL, 0 },
	{ "Tháng ba, Hà, ngày", NULL, 0 },
	{ "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", NULL, 0 },
	{ "The café serves crème brûlée — naïve façade, résumé ½ £5 ©", NULL, 0 },
	{ "Plain ASCII English text.\nSecond line.", NULL, 0 },
	{ "Copyright © 2023, £5 ½ § 3", NULL, 0 },
	{ "", NULL, 0 },
};

static void test_fix_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof fix_cases / sizeof fix_cases[0]; i++) {
		const struct fix_case *c = &fix_cases[i];
		const char *want = c->want ? c->want : c->in;
		char *out = NULL;
		int changed = -1;
		int rc = vb_legacy_fix_text(c->in, strlen(c->in), &out, &changed, NULL);

		tap_ok(rc == 0 && changed == c->changed,
		       "fix case %zu: rc %d, %d paragraphs converted (want %d)",
		       i, rc, changed, c->changed);
		tap_is_str(out, want, "fix case %zu text", i);
		free(out);
	}
	{
		char *out = (char *)"x";
		vb_error err;
		int rc = vb_legacy_fix_text("a\xff" "b", 3, &out, NULL, &err);

		tap_ok(rc == VB_EINVAL && out == NULL,
		       "fix of invalid UTF-8 fails: %s", err.msg);
	}
}

static void test_to_utf8_cases(void)
{
	/* TCVN3 paragraphs, a VNI paragraph, an ASCII one */
	static const char in[] =
		"S\xbe" "C L\xd6NH\r"
		"\xa7i\xd2u th\xf8 nh\xca" "t: Nay c\xf6 \xab" "ng Ho\xb5ng Minh Gi\xb8m\r"
		"Quye\xe1t \xf1\xf2nh na\xf8y co\xf9 hie\xe4u l\xf6\xef" "c\r"
		"plain ASCII";
	static const char want[] =
		"SẮC LỆNH\r"
		"Điều thứ nhất: Nay cử ông Hoàng Minh Giám\r"
		"Quyết định này có hiệu lực\r"
		"plain ASCII";
	char *out = NULL;
	int rc = vb_legacy_to_utf8(in, sizeof in - 1, &out, NULL);

	tap_is_int(rc, 0, "to_utf8 of mixed raw bytes returns 0");
	tap_is_str(out, want, "to_utf8 decodes each paragraph with its encoding");
	free(out);
	rc = vb_legacy_to_utf8("S¾C LÖNH", strlen("S¾C LÖNH"), &out, NULL);
	tap_is_str(out, "SẮC LỆNH", "to_utf8 of UTF-8 input repairs it");
	free(out);
}

/* ---- every letter of the charset table ---- */

static int hexval(const char *h, unsigned char *out, size_t max)
{
	size_t n = 0;

	while (h[0] && h[1] && n < max) {
		char t[3] = { h[0], h[1], 0 };

		out[n++] = (unsigned char)strtoul(t, NULL, 16);
		h += 2;
	}
	return (int)n;
}

#define NROWS 200
struct row {
	char letter[8];
	char lower[8];
	char code[4][8];
};

static void test_charset_table(void)
{
	static const char *const colname[4] = { "tcvn3", "vni", "viscii", "cp1258" };
	static const int colidx[4] = { 3, 4, 5, 7 };
	static const enum vb_legacy_enc colenc[4] = {
		VB_LEGACY_TCVN3, VB_LEGACY_VNI, VB_LEGACY_VISCII, VB_LEGACY_CP1258
	};
	static struct row rows[NROWS];
	char path[2048], line[512];
	size_t nrows = 0, r, q;
	int col;
	FILE *f;

	snprintf(path, sizeof path, "%s/legacy_encodings/vn_legacy_charsets.tsv", corpus);
	f = fopen(path, "r");
	if (!f) {
		printf("ok %d # SKIP no charset table at %s\n", ++tap_n, path);
		return;
	}
	while (fgets(line, sizeof line, f) && nrows < NROWS) {
		char *field[8], *p = line;
		int k = 0;
		utf8proc_uint8_t *low;

		if (!strncmp(line, "unicode\t", 8))
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		while (k < 8 && p) {
			field[k++] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (k < 8)
			continue;
		snprintf(rows[nrows].letter, sizeof rows[nrows].letter, "%s", field[0]);
		low = utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)field[0]);
		snprintf(rows[nrows].lower, sizeof rows[nrows].lower, "%s",
			 low ? (char *)low : "");
		free(low);
		for (col = 0; col < 4; col++)
			snprintf(rows[nrows].code[col], 8, "%s", field[colidx[col]]);
		nrows++;
	}
	fclose(f);
	tap_is_int(nrows, 186, "charset table has 186 letters");
	for (col = 0; col < 4; col++) {
		int bad = 0, shared = 0;

		for (r = 0; r < nrows; r++) {
			unsigned char b[4];
			int n = hexval(rows[r].code[col], b, sizeof b);
			const char *want = rows[r].letter;
			char *out = NULL;

			/* a code shared with another letter (TCVN3 toned
			 * capitals, a few VISCII ones) decodes lower case */
			for (q = 0; q < nrows; q++)
				if (q != r && !strcmp(rows[q].code[col], rows[r].code[col])) {
					want = rows[r].lower;
					shared++;
					break;
				}
			if (vb_legacy_decode((const char *)b, (size_t)n, colenc[col],
					     &out, NULL) < 0 || strcmp(out, want)) {
				if (bad++ < 5)
					printf("# %s: %s (%s) decodes to '%s', want '%s'\n",
					       colname[col], rows[r].letter,
					       rows[r].code[col], out ? out : "(null)", want);
			}
			free(out);
		}
		tap_ok(bad == 0, "every letter round-trips through %s (%d share a code)",
		       colname[col], shared);
	}
}

/* ---- the 1945 decrees ---- */

/* What a Word text reader gives for the raw text stream: field
 * instructions (0x13 .. 0x14) and field marks dropped, paragraph and line
 * ends as \n, cell marks as tabs, other control characters dropped. */
static char *word_text(const char *raw, size_t n, size_t *outlen)
{
	char *o = malloc(n + 1);
	size_t i, k = 0;
	int infield = 0;

	if (!o)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == 0x13) {
			infield = 1;
			continue;
		}
		if (c == 0x14 || c == 0x15) {
			infield = 0;
			continue;
		}
		if (infield)
			continue;
		if (c == '\r' || c == '\v' || c == '\f')
			o[k++] = '\n';
		else if (c == 7 || c == '\t')
			o[k++] = '\t';
		else if (c >= 0x20 || c == '\n')
			o[k++] = (char)c;
	}
	o[k] = '\0';
	*outlen = k;
	return o;
}

/* Windows-1252 bytes -> UTF-8, as a Word reader shows .VnTime text. */
static char *cp1252_utf8(const char *s, size_t n, size_t *outlen)
{
	char *out = NULL;

	if (vb_legacy_decode(s, n, VB_LEGACY_CP1252, &out, NULL) < 0)
		return NULL;
	*outlen = strlen(out);
	return out;
}

#define MAXWORDS 20000
struct words {
	char *buf;
	char *w[MAXWORDS];
	size_t n;
};

static void words_split(struct words *ws, const char *s)
{
	char *p;

	ws->buf = strdup(s);
	ws->n = 0;
	for (p = strtok(ws->buf, " \t\r\n\v\f"); p && ws->n < MAXWORDS;
	     p = strtok(NULL, " \t\r\n\v\f"))
		ws->w[ws->n++] = p;
}

/* Word-level similarity: LCS / max(len), with differences as comments. */
static double similarity(const char *got, const char *want, const char *name,
			 int verbose)
{
	static struct words a, b;
	unsigned short *t;
	size_t i, j, n, m, lcs, shown = 0;
	double sim;

	words_split(&a, got);
	words_split(&b, want);
	n = a.n;
	m = b.n;
	t = calloc((n + 1) * (m + 1), sizeof *t);
	if (!t) {
		free(a.buf);
		free(b.buf);
		return 0;
	}
#define T(x, y) t[(x) * (m + 1) + (y)]
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			T(i, j) = !strcmp(a.w[i], b.w[j]) ? T(i + 1, j + 1) + 1 :
				  (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	lcs = T(0, 0);
	for (i = 0, j = 0; i < n || j < m;) {
		if (i < n && j < m && !strcmp(a.w[i], b.w[j])) {
			i++;
			j++;
		} else if (j >= m || (i < n && T(i + 1, j) >= T(i, j + 1))) {
			if (verbose && shown++ < 12)
				printf("#   %s: got extra '%s'\n", name, a.w[i]);
			i++;
		} else {
			if (verbose && shown++ < 12)
				printf("#   %s: missing '%s'\n", name, b.w[j]);
			j++;
		}
	}
#undef T
	sim = (n > m ? n : m) ? (double)lcs / (double)(n > m ? n : m) : 1.0;
	free(t);
	free(a.buf);
	free(b.buf);
	return sim;
}

struct decree {
	char name[32];
	int mixed;
	int legacy_paragraphs;
};

static size_t read_index(const char *dir, struct decree *d, size_t max)
{
	char path[2048], line[2048];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/index.tsv", dir);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof line, f) && n < max) {
		char *tab = strchr(line, '\t'), *dot = strstr(line, ".DOC\t");
		char *p;
		int k;

		if (!tab || !dot || dot > tab)
			continue;
		snprintf(d[n].name, sizeof d[n].name, "%.*s", (int)(dot - line), line);
		d[n].mixed = strstr(line, "\tmixed") != NULL;
		/* 4th field: legacy_paragraphs */
		for (p = line, k = 0; p && k < 3; k++)
			if ((p = strchr(p, '\t')))
				p++;
		d[n].legacy_paragraphs = p ? atoi(p) : -1;
		n++;
	}
	fclose(f);
	return n;
}

static char *read_ref(const char *dir, const char *name, const char *suffix)
{
	char path[2048];
	size_t n;

	snprintf(path, sizeof path, "%s/%s.%s", dir, name, suffix);
	return (char *)tu_slurp(path, &n);
}

static double best_sim(const char *got, const char *dir, const char *name,
		       const char **which)
{
	char *caps = read_ref(dir, name, "unicode_converted_capsfixed.txt");
	char *plain = read_ref(dir, name, "unicode_converted.txt");
	double s1 = 0, s2 = 0;

	/* the closer reference decides; its differences are shown */
	if (caps)
		s1 = similarity(got, caps, name, 0);
	if (plain && s1 < 1.0)
		s2 = similarity(got, plain, name, 0);
	if (s1 < 1.0 && (caps || plain))
		similarity(got, s1 >= s2 ? caps : plain, s1 >= s2 ?
			   "differs from capsfixed" : "differs from unicode_converted", 1);
	*which = s1 >= s2 ? "capsfixed" : "unicode_converted";
	free(caps);
	free(plain);
	return s1 > s2 ? s1 : s2;
}

/* The mixed file: the body is Unicode already (with the capitals bug), the
 * footer TCVN3.  Build what a Word reader gives: the reference body with
 * the footer paragraph as the raw TCVN3 bytes read as Windows-1252. */
static void test_mixed(const char *dir, const struct decree *d,
		       const char *text, size_t tlen)
{
	char *ref = read_ref(dir, d->name, "unicode_converted.txt");
	char *foot = strstr(text, "v\xa8n ph\xdfng");
	char *out = NULL, *footu = NULL, *mixed = NULL, *raw_out = NULL;
	size_t fl = 0, rl;
	char *line, *save = NULL;
	int changed = -1, rc;

	if (!ref || !foot) {
		tap_ok(0, "%s: reference and TCVN3 footer present", d->name);
		goto out;
	}
	footu = cp1252_utf8(foot, strcspn(foot, "\n"), &fl);
	rl = strlen(ref);
	mixed = malloc(rl + fl + 2);
	if (!mixed || !footu)
		goto out;
	mixed[0] = '\0';
	for (line = strtok_r(ref, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		strcat(mixed, strstr(line, "văn phòng quốc hội") ? footu : line);
		strcat(mixed, "\n");
	}
	rc = vb_legacy_fix_text(mixed, strlen(mixed), &out, &changed, NULL);
	tap_ok(rc == 0 && changed == d->legacy_paragraphs,
	       "%s (mixed): fix_text converts only the %d legacy paragraph(s): %d",
	       d->name, d->legacy_paragraphs, changed);
	if (out) {
		const char *which = "";
		double sim = best_sim(out, dir, d->name, &which);

		tap_ok(sim >= 0.98, "%s (mixed): %.2f%% of words equal the %s reference",
		       d->name, sim * 100, which);
		tap_ok(strstr(out, "SẮC LỆNH") != NULL,
		       "%s (mixed): Unicode heading re-capitalised", d->name);
	}
	/* The raw stream of this file holds the Unicode body as Windows-1252
	 * with '?' for what it cannot show: it is lost, but must not be
	 * misread as TCVN3, while the footer must be converted. */
	rc = vb_legacy_to_utf8(text, tlen, &raw_out, NULL);
	tap_ok(rc == 0 && raw_out && strstr(raw_out, "văn phòng quốc hội") &&
	       strstr(raw_out, "CHÍNH PH? LÂM TH?I") && strstr(raw_out, "Chi?u theo l?i"),
	       "%s (mixed raw): footer converted, lossy body kept as Windows-1252",
	       d->name);
out:
	free(ref);
	free(footu);
	free(mixed);
	free(out);
	free(raw_out);
}

static void test_decrees(void)
{
	static struct decree d[64];
	char dir[1200], path[2048];
	size_t nd, i;

	snprintf(dir, sizeof dir, "%s/legacy_encodings/tcvn3_1945_sac_lenh", corpus);
	nd = read_index(dir, d, 64);
	if (!nd) {
		printf("ok %d # SKIP no 1945 decrees under %s\n", ++tap_n, dir);
		return;
	}
	tap_ok(nd >= 20, "index lists %zu decrees", nd);
	for (i = 0; i < nd; i++) {
		char *raw, *text = NULL, *out = NULL, *u = NULL, *out2 = NULL;
		size_t rawlen = 0, tlen = 0, ulen = 0;
		int rc, changed = 0;

		if (snprintf(path, sizeof path, "%s/%s.raw_text.bin", dir, d[i].name) >=
		    (int)sizeof path) {
			tap_ok(0, "%s: path too long", d[i].name);
			continue;
		}
		raw = (char *)tu_slurp(path, &rawlen);
		if (!raw) {
			tap_ok(0, "%s: read %s", d[i].name, path);
			continue;
		}
		text = word_text(raw, rawlen, &tlen);
		if (d[i].mixed) {
			test_mixed(dir, &d[i], text, tlen);
			goto next;
		}
		/* raw bytes */
		rc = vb_legacy_to_utf8(text, tlen, &out, NULL);
		if (rc == 0) {
			const char *which = "";
			double sim = best_sim(out, dir, d[i].name, &which);

			tap_ok(sim >= 0.98, "%s: raw bytes -> %.2f%% of words equal the %s reference",
			       d[i].name, sim * 100, which);
		} else {
			tap_ok(0, "%s: to_utf8 failed (%d)", d[i].name, rc);
		}
		tap_ok(vb_legacy_detect(text, tlen) == VB_LEGACY_TCVN3,
		       "%s: detected as TCVN3", d[i].name);
		/* the same as a Word reader shows it: TCVN3 read as Windows-1252 */
		u = cp1252_utf8(text, tlen, &ulen);
		rc = u ? vb_legacy_fix_text(u, ulen, &out2, &changed, NULL) : -1;
		tap_ok(rc == 0 && changed > 0 && out && out2 && !strcmp(out, out2),
		       "%s: fix_text of the Windows-1252 reading gives the same (%d paragraphs)",
		       d[i].name, changed);
next:
		free(raw);
		free(text);
		free(out);
		free(u);
		free(out2);
	}
}

/* ---- real Unicode documents must pass through ---- */

static int is_nfc(const char *s)
{
	utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)s);
	int same = n && !strcmp((char *)n, s);

	free(n);
	return same;
}

static int passthrough(const char *path, int *nfc_skipped)
{
	size_t n = 0;
	char *s = (char *)tu_slurp(path, &n), *out = NULL;
	int changed = -1, ok;

	if (!s)
		return 0;
	ok = vb_legacy_fix_text(s, n, &out, &changed, NULL) == 0 && changed == 0;
	if (ok && is_nfc(s))
		ok = !strcmp(out, s);
	else if (ok)
		(*nfc_skipped)++;
	if (!ok && out) {
		/* show the first differing line */
		size_t k = 0;

		while (s[k] && s[k] == out[k])
			k++;
		while (k && s[k - 1] != '\n')
			k--;
		printf("# %s changed (%d paragraphs) at: %.80s\n#   became: %.80s\n",
		       path, changed, s + k, out + k);
	}
	free(s);
	free(out);
	return ok;
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && !strcmp(name + n - k, suffix);
}

static void passthrough_file(const char *rel, const char *what)
{
	char path[2048];
	int nfc_skipped = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", corpus, rel);
	if (!(f = fopen(path, "r"))) {
		printf("ok %d # SKIP no %s\n", ++tap_n, path);
		return;
	}
	fclose(f);
	tap_ok(passthrough(path, &nfc_skipped), "%s passes through unchanged", what);
}

static void passthrough_dir(const char *rel, const char *suffix, const char *what)
{
	char path[2048], dir[1200];
	int nfc_skipped = 0, bad = 0, count = 0;
	struct dirent *e;
	DIR *dp;

	snprintf(dir, sizeof dir, "%s/%s", corpus, rel);
	if (!(dp = opendir(dir))) {
		printf("ok %d # SKIP no %s\n", ++tap_n, dir);
		return;
	}
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		count++;
		if (!passthrough(path, &nfc_skipped))
			bad++;
	}
	closedir(dp);
	tap_ok(count > 0 && bad == 0,
	       "%d %s pass through with no paragraph converted "
	       "(%d failed, %d not NFC on input)", count, what, bad, nfc_skipped);
}

static void test_unicode_passthrough(void)
{
	passthrough_file("quangninh/05-2023-QD-UBND.txt",
			 "Quảng Ninh 05/2023/QĐ-UBND");
	passthrough_file("binhduong_vbcddh/records.csv",
			 "Bình Dương records (3245 titles)");
	passthrough_dir("tvpl_2025/raw_markdown", ".md", "TVPL Unicode documents");
	passthrough_dir("legacy_encodings/luatvietnam_doc_pdf_samples", ".txt",
			"LuatVietNam 2010/2014 Unicode texts");
}

int main(void)
{
	const char *c = getenv("VB_CORPUS"), *src = getenv("VB_SRCDIR");

	if (c && *c)
		snprintf(corpus, sizeof corpus, "%s", c);
	else
		snprintf(corpus, sizeof corpus, "%s/../shared/corpus", src ? src : ".");
	test_decode_cases();
	test_detect_cases();
	test_fix_cases();
	test_to_utf8_cases();
	test_charset_table();
	test_decrees();
	test_unicode_passthrough();
	return tap_done();
}
