/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synonym tables (lib/synonyms.h): parsing, folding, longest match, limits,
 * the bundled data/synonyms.tsv, and the shared snapshot following a
 * changed file.
 */
#include "config.h"
#include "synonyms.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t match(const vb_synonyms *s, const char *words, size_t *g, size_t *a)
{
	char buf[256], *w[16], *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *t = strtok_r(buf, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return vb_synonyms_match(s, w, n, g, a);
}

int main(void)
{
	const char *src = getenv("VB_SRCDIR");
	char path[1024];
	vb_synonyms *s = NULL;
	vb_error err;
	size_t g = 0, a = 0;
	int rc;
	static const char text[] =
		"# comment\n"
		"UBND\tỦy ban nhân dân\n"
		"\n"
		"NĐ-CP\tNghị định của Chính phủ\n"
		"NĐ\tNghị định\r\n"
		"lonely\n"
		"X\t\t  \tY\n";

	rc = vb_synonyms_parse(&s, text, strlen(text), &err);
	tap_is_int(rc, 0, "parse a small table");
	tap_is_int((int)vb_synonyms_count(s), 4, "groups with two alternatives are kept, "
		   "one-word lines and comments skipped");
	tap_is_int((int)match(s, "ubnd tinh", &g, &a), 1, "'ubnd' matches");
	tap_ok(g == 0 && a == 0, "in group 0, alternative 0");
	tap_is_int((int)match(s, "uy ban nhan dan tinh", &g, &a), 4,
		   "'uy ban nhan dan' matches folded");
	tap_ok(g == 0 && a == 1, "as the long alternative");
	tap_is_int((int)match(s, "nd cp", &g, &a), 2, "'nđ-cp' (nd cp) beats 'nđ': longest match");
	tap_ok(g == 1, "group NĐ-CP");
	tap_is_int((int)match(s, "nd 15", &g, &a), 1, "'nđ' alone");
	tap_is_int((int)match(s, "uy ban", &g, &a), 0, "a partial alternative does not match");
	tap_is_int((int)match(s, "x", &g, &a), 1, "empty fields between tabs are ignored");
	{
		const vb_syn_group *gr = vb_synonyms_group(s, 0);

		tap_ok(gr && gr->n == 2 && !strcmp(gr->alts[1].text, "Ủy ban nhân dân") &&
		       gr->alts[1].n == 4 && !strcmp(gr->alts[1].folded[0], "uy"),
		       "alternatives keep their text and folded words");
	}
	vb_synonyms_free(s);
	s = NULL;

	/* limits */
	{
		char line[4096], *o = line;

		for (int i = 0; i < VB_SYN_MAX_ALTS + 2; i++)
			o += sprintf(o, "a%d\t", i);
		*o = '\0';
		rc = vb_synonyms_parse(&s, line, strlen(line), &err);
		tap_is_int(rc, VB_ETOOBIG, "too many alternatives: %s", rc ? err.msg : "");
		tap_ok(s == NULL, "no table on error");
	}

	/* the bundled file */
	snprintf(path, sizeof(path), "%s/data/synonyms.tsv", src ? src : ".");
	rc = vb_synonyms_load(&s, path, &err);
	tap_is_int(rc, 0, "bundled synonyms.tsv loads");
	tap_ok(vb_synonyms_count(s) >= 40, "with the common abbreviations (%zu groups)",
	       vb_synonyms_count(s));
	tap_is_int((int)match(s, "bo thong tin va truyen thong", &g, &a), 6, "BTTTT");
	tap_is_int((int)match(s, "hdnd", &g, &a), 1, "HĐND folded");
	tap_is_int((int)match(s, "vbhn", &g, &a), 1, "VBHN");
	tap_is_int((int)match(s, "ttg", &g, &a), 1, "TTg");
	vb_synonyms_free(s);
	rc = vb_synonyms_load(&s, "/nonexistent/synonyms.tsv", &err);
	tap_is_int(rc, VB_EIO, "missing file: VB_EIO");

	/* shared snapshot follows changes */
	{
		char tmp[] = "/tmp/vb-syn-XXXXXX";
		int fd = mkstemp(tmp);
		FILE *f = fdopen(fd, "w");
		vb_synonyms *a1, *a2;

		fputs("AA\tanh anh\n", f);
		fclose(f);
		a1 = vb_synonyms_shared(tmp);
		tap_ok(a1 && vb_synonyms_count(a1) == 1, "shared table loaded");
		sleep(3);
		f = fopen(tmp, "w");
		fputs("AA\tanh anh\nBB\tbanh bao\n", f);
		fclose(f);
		a2 = vb_synonyms_shared(tmp);
		tap_ok(a2 && vb_synonyms_count(a2) == 2, "changed file reloaded");
		tap_ok(a1 && vb_synonyms_count(a1) == 1, "old snapshot still valid for its holder");
		vb_synonyms_free(a1);
		vb_synonyms_free(a2);
		unlink(tmp);
	}
	/* the config keys that name the file and the ranking switch */
	{
		vb_config cfg;

		memset(&cfg, 0, sizeof(cfg));
		tap_is_int(vb_config_set(&cfg, "synonyms", "/etc/vanban/synonyms.tsv", &err), 0,
			   "config key synonyms");
		tap_is_str(cfg.synonyms, "/etc/vanban/synonyms.tsv", "synonyms path kept");
		cfg.prefer_in_force = 1;
		tap_ok(vb_config_set(&cfg, "prefer_in_force", "no", &err) == 0 &&
		       cfg.prefer_in_force == 0, "prefer_in_force = no");
		tap_is_int(vb_config_set(&cfg, "prefer_in_force", "maybe", &err), VB_EINVAL,
			   "prefer_in_force = maybe is rejected");
	}
	return tap_done();
}
