/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit tests of the pure parts of lib/upload.c: the simhash used for
 * near-duplicate detection (identical text -> distance 0, a line added to a
 * long text -> within VB_UPLOAD_NEAR_DISTANCE, case does not matter,
 * another document -> far, short texts -> no hash) and the
 * Hamming distance.  The pipeline itself is tested end to end by
 * tests/upload.sh.
 */
#include "upload.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A long pseudo-document: n numbered articles of varied words. */
static char *article_text(int n, const char *topic)
{
	static const char *const words[] = {
		"Ủy", "ban", "nhân", "dân", "tỉnh", "quyết", "định", "ban", "hành", "quy", "chế",
		"hoạt", "động", "cổng", "thông", "tin", "điện", "tử", "trách", "nhiệm", "cơ",
		"quan", "đơn", "vị", "thực", "hiện", "báo", "cáo", "định", "kỳ", "hằng", "năm"
	};
	size_t cap = (size_t)n * 400 + 64, len = 0;
	char *s = malloc(cap);
	int i, k;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(s + len, cap - len, "Điều %d. %s ", i + 1, topic);
		for (k = 0; k < 12; k++)
			len += (size_t)snprintf(s + len, cap - len, "%s ",
						words[(i * 7 + k * 13 + (int)strlen(topic) * k) % 32]);
		s[len++] = '\n';
		s[len] = '\0';
	}
	return s;
}

int main(void)
{
	char *a = article_text(60, "Phạm vi điều chỉnh"), *b, *c = article_text(60, "Xử lý vi phạm hành chính");
	char *upper;
	uint64_t ha = 0, hb = 0, hc = 0, hu = 0, hs = 1;
	size_t i;

	tap_ok(a && c, "built the texts");
	tap_ok(vb_upload_simhash(a, &ha), "a long text has a simhash");
	tap_ok(vb_upload_simhash(a, &hb) && ha == hb, "the simhash is deterministic");
	b = malloc(strlen(a) + 64);
	sprintf(b, "%sGhi chú: bản sao.\n", a);
	tap_ok(vb_upload_simhash(b, &hb), "the edited text has a simhash");
	tap_ok(vb_upload_simhash_distance(ha, hb) <= VB_UPLOAD_NEAR_DISTANCE,
	       "a line added: near-identical (distance %d)", vb_upload_simhash_distance(ha, hb));
	upper = strdup(a);
	for (i = 0; upper[i]; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 32);
	tap_ok(vb_upload_simhash(upper, &hu) && hu == ha, "case does not change the simhash");
	tap_ok(vb_upload_simhash(c, &hc), "another text has a simhash");
	tap_ok(vb_upload_simhash_distance(ha, hc) > VB_UPLOAD_NEAR_DISTANCE,
	       "another document is not near (distance %d)", vb_upload_simhash_distance(ha, hc));
	tap_ok(!vb_upload_simhash("Số: 05/2023/QĐ-UBND ngày 16/02/2023", &hs) && hs == 0,
	       "a short text gets no simhash");
	tap_ok(!vb_upload_simhash(NULL, &hs), "NULL gets no simhash");
	tap_is_int(vb_upload_simhash_distance(0, ~(uint64_t)0), 64, "distance of complements is 64");
	tap_is_int(vb_upload_simhash_distance(0x5, 0x6), 2, "distance counts differing bits");
	free(a);
	free(b);
	free(c);
	free(upper);
	return tap_done();
}
