/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven tests of lib/i18n.c: every message of the catalogue exists
 * in the three languages (and differs from Vietnamese where it should),
 * printf conversions match across languages, language tags, Accept-Language
 * negotiation (q-values, wildcards, ties, malformed ranges, limits), the
 * choice order lang= > Accept-Language > portal default, and dates and
 * numbers per language.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tap.h"

static const struct {
	const char *header;
	vb_lang fallback, want;
} negotiate_cases[] = {
	{ NULL, VB_LANG_VI, VB_LANG_VI },
	{ "", VB_LANG_EN, VB_LANG_EN },
	{ "en", VB_LANG_VI, VB_LANG_EN },
	{ "en-US,en;q=0.9", VB_LANG_VI, VB_LANG_EN },
	{ "zh-CN,zh;q=0.9,en;q=0.8", VB_LANG_VI, VB_LANG_ZH },
	{ "zh-Hans-CN", VB_LANG_VI, VB_LANG_ZH },
	{ "fr-FR,fr;q=0.9,en;q=0.5,vi;q=0.7", VB_LANG_EN, VB_LANG_VI },
	{ "fr, de", VB_LANG_ZH, VB_LANG_ZH },
	{ "*", VB_LANG_EN, VB_LANG_EN },
	{ "fr, *;q=0.5", VB_LANG_ZH, VB_LANG_ZH },
	{ "en;q=0, vi;q=0.1", VB_LANG_ZH, VB_LANG_VI },
	{ "en;q=0", VB_LANG_VI, VB_LANG_VI },
	{ "EN-gb ; q=0.8 , ZH ; Q=0.9", VB_LANG_VI, VB_LANG_ZH },
	{ "en;q=0.5, zh;q=0.5", VB_LANG_VI, VB_LANG_EN }, /* tie: the earlier */
	{ "en;q=2, zh;q=0.3", VB_LANG_VI, VB_LANG_ZH },   /* bad q skipped */
	{ "en;q=abc, vi;q=0.2", VB_LANG_ZH, VB_LANG_VI },
	{ "en;foo=1, zh", VB_LANG_VI, VB_LANG_ZH },
	{ "eng, zho, vie", VB_LANG_EN, VB_LANG_EN },       /* not ISO 639-1 here */
	{ ",,, ;;, en", VB_LANG_VI, VB_LANG_EN },
	{ "en;q=0.123", VB_LANG_VI, VB_LANG_EN },
	{ "en;q=0.1234", VB_LANG_VI, VB_LANG_VI },
};

static const struct {
	vb_lang lang;
	const char *iso, *want;
} date_cases[] = {
	{ VB_LANG_VI, "2023-02-16", "16/02/2023" },
	{ VB_LANG_EN, "2023-02-16", "16 February 2023" },
	{ VB_LANG_ZH, "2023-02-16", "2023年2月16日" },
	{ VB_LANG_VI, "2023-12", "12/2023" },
	{ VB_LANG_EN, "2023-12", "December 2023" },
	{ VB_LANG_ZH, "2023-12", "2023年12月" },
	{ VB_LANG_VI, "2023", "2023" },
	{ VB_LANG_ZH, "2023", "2023年" },
	{ VB_LANG_EN, "2023-13-01", "2023-13-01" },
	{ VB_LANG_EN, "2023-00-01", "2023-00-01" },
	{ VB_LANG_EN, "16/02/2023", "16/02/2023" },
	{ VB_LANG_VI, "", "" },
	{ VB_LANG_ZH, "abcd-ef-gh", "abcd-ef-gh" },
};

static const struct {
	vb_lang lang;
	long long n;
	const char *want;
} number_cases[] = {
	{ VB_LANG_VI, 0, "0" },
	{ VB_LANG_VI, 999, "999" },
	{ VB_LANG_VI, 1000, "1.000" },
	{ VB_LANG_VI, 1234567, "1.234.567" },
	{ VB_LANG_EN, 1234567, "1,234,567" },
	{ VB_LANG_ZH, 12345, "12,345" },
	{ VB_LANG_EN, -1234, "-1,234" },
	{ VB_LANG_EN, -9223372036854775807LL - 1, "-9,223,372,036,854,775,808" },
};

/* The printf conversions of s, in order ("%s%zu"...). */
static void conversions(const char *s, char *out, size_t cap)
{
	size_t k = 0;

	for (; *s && k + 4 < cap; s++) {
		if (*s != '%')
			continue;
		out[k++] = *++s;
		if (*s == 'z')
			out[k++] = *++s;
		if (!*s)
			break;
	}
	out[k] = '\0';
}

int main(void)
{
	char buf[128], a[16], b[16];
	size_t i;
	int m, l;
	vb_lang lang;

	for (m = 0; m < VB_MSG_COUNT; m++) {
		int all = 1, same = 1;

		conversions(vb_i18n(VB_LANG_VI, (vb_msg)m), a, sizeof(a));
		for (l = 0; l < VB_LANG_COUNT; l++) {
			const char *s = vb_i18n((vb_lang)l, (vb_msg)m);

			all &= *s != '\0';
			conversions(s, b, sizeof(b));
			same &= !strcmp(a, b);
		}
		tap_ok(all, "message %d exists in vi, en and zh", m);
		tap_ok(same, "message %d has the same conversions in every language", m);
	}
	tap_ok(strcmp(vb_i18n(VB_LANG_EN, VB_MSG_SEARCH_BUTTON),
		      vb_i18n(VB_LANG_VI, VB_MSG_SEARCH_BUTTON)) != 0, "English is not Vietnamese");
	tap_is_str(vb_i18n(VB_LANG_VI, VB_MSG_SOURCE_LINE),
		   "Theo Cổng thông tin điện tử tỉnh Quảng Ninh", "source line (vi)");
	tap_is_str(vb_i18n(VB_LANG_VI, VB_MSG_IN_FORCE_ON), "Còn hiệu lực vào ngày",
		   "in-force date label (vi)");
	tap_is_str(vb_i18n(VB_LANG_EN, VB_MSG_IN_FORCE_ON), "In force on", "in-force date label (en)");
	tap_is_str(vb_i18n(VB_LANG_ZH, VB_MSG_IN_FORCE_ON), "于该日有效", "in-force date label (zh)");
	tap_is_str(vb_i18n((vb_lang)7, VB_MSG_SEARCH_BUTTON), "Tìm kiếm",
		   "an unknown language falls back to Vietnamese");
	tap_is_str(vb_i18n(VB_LANG_EN, (vb_msg)VB_MSG_COUNT), "", "an unknown message is empty");

	tap_is_str(vb_lang_code(VB_LANG_ZH), "zh", "code of zh");
	tap_is_str(vb_lang_name(VB_LANG_VI), "Tiếng Việt", "name of vi");
	tap_ok(!vb_lang_parse("en-GB", &lang) && lang == VB_LANG_EN, "en-GB is English");
	tap_ok(!vb_lang_parse("ZH", &lang) && lang == VB_LANG_ZH, "ZH is Chinese");
	tap_ok(vb_lang_parse("english", &lang) == -1, "\"english\" is no tag of ours");
	tap_ok(vb_lang_parse("", &lang) == -1, "empty tag");
	tap_ok(vb_lang_parse(NULL, &lang) == -1, "NULL tag");

	for (i = 0; i < sizeof(negotiate_cases) / sizeof(negotiate_cases[0]); i++)
		tap_is_int(vb_lang_negotiate(negotiate_cases[i].header, negotiate_cases[i].fallback),
			   negotiate_cases[i].want, "Accept-Language \"%s\"",
			   negotiate_cases[i].header ? negotiate_cases[i].header : "(none)");
	{
		/* Beyond the limits only the first ranges count. */
		char big[4096];
		size_t k = 0;

		for (i = 0; i < VB_I18N_ACCEPT_ENTRIES; i++)
			k += (size_t)snprintf(big + k, sizeof(big) - k, "fr;q=0.1,");
		snprintf(big + k, sizeof(big) - k, "en");
		tap_is_int(vb_lang_negotiate(big, VB_LANG_ZH), VB_LANG_ZH,
			   "ranges after the first %d are not read", VB_I18N_ACCEPT_ENTRIES);
		memset(big, ' ', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big + sizeof(big) - 3, "en", 2);
		tap_is_int(vb_lang_negotiate(big, VB_LANG_VI), VB_LANG_VI,
			   "bytes after the first %d are not read", VB_I18N_ACCEPT_MAX);
	}
	tap_is_int(vb_lang_choose("zh", "en", VB_LANG_VI), VB_LANG_ZH, "lang= wins");
	tap_is_int(vb_lang_choose("", "en", VB_LANG_VI), VB_LANG_EN, "then Accept-Language");
	tap_is_int(vb_lang_choose("xx", NULL, VB_LANG_ZH), VB_LANG_ZH, "then the portal default");

	for (i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++)
		tap_is_str(vb_i18n_date(date_cases[i].lang, date_cases[i].iso, buf, sizeof(buf)),
			   date_cases[i].want, "date %s in %s", date_cases[i].iso,
			   vb_lang_code(date_cases[i].lang));
	tap_is_str(vb_i18n_date(VB_LANG_EN, "2023-02-16", buf, 6), "16 Fe", "date cut to fit");
	tap_is_str(vb_i18n_format(VB_LANG_EN, VB_MSG_SHOWING, buf, sizeof(buf), "1", "20"),
		   "showing 1–20", "format with two arguments");
	tap_is_str(vb_i18n_format(VB_LANG_ZH, VB_MSG_FOUND, buf, sizeof(buf), "1,234", NULL),
		   "找到 1,234 份文件", "format in Chinese");
	tap_is_str(vb_i18n_format(VB_LANG_VI, VB_MSG_ERROR, buf, sizeof(buf), NULL, NULL),
		   "Lỗi ", "NULL argument is empty");
	tap_is_str(vb_i18n_format(VB_LANG_EN, VB_MSG_BAD_PARAMETER, buf, 12, "lang", "bad"),
		   "The paramet", "format cut to fit");
	tap_is_str(vb_i18n_format(VB_LANG_ZH, VB_MSG_FOUND, buf, 5, "1", NULL), "找",
		   "a cut never splits a character");
	tap_is_str(vb_i18n_date(VB_LANG_ZH, "2023-02-16", buf, 8), "2023年", "a cut date stays UTF-8");
	tap_is_str(vb_i18n_date(VB_LANG_EN, NULL, buf, sizeof(buf)), "", "NULL date");
	for (i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++)
		tap_is_str(vb_i18n_number(number_cases[i].lang, number_cases[i].n, buf, sizeof(buf)),
			   number_cases[i].want, "number %lld in %s", number_cases[i].n,
			   vb_lang_code(number_cases[i].lang));
	return tap_done();
}
