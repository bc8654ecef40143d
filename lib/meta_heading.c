/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heading of a document (part of meta.c, contract in meta.h): the
 * form (the upper-case heading, or what the "V/v" line, "Kính gửi" or
 * the number imply), the abstract under it (trích yếu) or the "V/v" line
 * of a công văn, and the authority line under the abstract; also the
 * table of forms (meta_form_names, meta_form_lookup).
 */
#include "meta_int.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Tables                                                              */

const struct meta_form_name meta_form_names[] = {
	{ "quyet dinh", "Quyết định" }, { "nghi quyet", "Nghị quyết" },
	{ "chi thi", "Chỉ thị" }, { "ke hoach", "Kế hoạch" },
	{ "thong bao", "Thông báo" }, { "thong tu lien tich", "Thông tư liên tịch" },
	{ "thong tu", "Thông tư" }, { "nghi dinh", "Nghị định" },
	{ "bo luat", "Bộ luật" }, { "luat", "Luật" }, { "phap lenh", "Pháp lệnh" },
	{ "lenh", "Lệnh" }, { "cong dien", "Công điện" },
	{ "van ban hop nhat", "Văn bản hợp nhất" }, { "bao cao", "Báo cáo" },
	{ "to trinh", "Tờ trình" }, { "huong dan", "Hướng dẫn" },
	{ "quy che", "Quy chế" }, { "quy dinh", "Quy định" },
	{ "chuong trinh", "Chương trình" }, { "de an", "Đề án" },
	{ "phuong an", "Phương án" }, { "hien phap", "Hiến pháp" },
	{ "sac lenh", "Sắc lệnh" }, { "cong van", "Công văn" },
	{ "bien ban", "Biên bản" }, { "giay moi", "Giấy mời" },
	{ "ket luan", "Kết luận" }, { "thong cao", "Thông cáo" },
};
const size_t meta_n_form_names = sizeof(meta_form_names) / sizeof(meta_form_names[0]);

const char *meta_form_lookup(const char *fold, size_t n)
{
	size_t i;

	for (i = 0; i < meta_n_form_names; i++)
		if (strlen(meta_form_names[i].fold) == n && !memcmp(meta_form_names[i].fold, fold, n))
			return meta_form_names[i].name;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Authority lines                                                     */

static const char *const authority_starts[] = {
	"uy ban nhan dan", "hoi dong nhan dan", "chu tich", "bo truong",
	"thu tuong", "chinh phu", "quoc hoi", "giam doc", "cuc truong",
	"tong cuc truong", "truong ban", "thong doc", "ban chap hanh",
	"ban thuong vu", "thuong truc", "tong kiem toan", "vien truong",
	"chanh an", "uy ban thuong vu", "pho chu tich", "chanh van phong",
	"tong giam doc", "chu nhiem", "bo chinh tri", "ban bi thu",
};

static int is_authority(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(authority_starts) / sizeof(authority_starts[0]); i++)
		if (meta_starts(s, n, authority_starts[i]))
			return 1;
	return 0;
}

/* An authority line at [a, b), also when a line break (a TVPL export that
 * split bold markup) cut its first words: "THỦ" / "TƯỚNG CHÍNH PHỦ điện:". */
static int authority_at(const ctx *c, size_t a, size_t b, size_t next)
{
	size_t a2, b2, n2;
	char tmp[96];

	if (is_authority(c->f + a, b - a))
		return 1;
	if (b - a > 8 || !meta_line_at(c, next, &a2, &b2, &n2) || a2 == b2)
		return 0;
	if (b2 - a2 > sizeof(tmp) - (b - a) - 1)
		b2 = a2 + sizeof(tmp) - (b - a) - 1;
	memcpy(tmp, c->f + a, b - a);
	tmp[b - a] = ' ';
	memcpy(tmp + (b - a) + 1, c->f + a2, b2 - a2);
	return is_authority(tmp, b - a + 1 + b2 - a2);
}

/* Whether another upper-case authority line follows the candidate
 * authority line ending at next, after at least one upper-case line that
 * is not one, before the abstract block ends (a blank line, a mixed-case
 * line, "Căn cứ"): then the candidate is a wrapped line of the abstract
 * ("... KẾT LUẬN CỦA ĐẠI BIỂU" / "QUỐC HỘI TẠI TỔ ..." / ... / "CHÍNH
 * PHỦ"). */
static int authority_later(const ctx *c, size_t next)
{
	size_t a, b, nx, pos = next;
	int gap = 0;

	for (int k = 0; k < 8 && pos < c->fn && meta_line_at(c, pos, &a, &b, &nx); k++) {
		if (a == b || meta_starts(c->f + a, b - a, "can cu") ||
		    !meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]))
			return 0;
		if (authority_at(c, a, b, nx))
			return gap;
		gap = 1;
		pos = nx;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */

/* The opening paragraph of a consolidated text (Văn bản hợp nhất) under
 * its heading: "<Luật ...> số ... ngày ..., có hiệu lực kể từ ngày ...,
 * được sửa đổi, bổ sung bởi: ...", searched from F offset from up to the
 * first "Căn cứ" line.  The print of a long consolidated text split over
 * several gazette issues lacks the "XÁC THỰC VĂN BẢN HỢP NHẤT" block. */
static int consolidated_intro(const ctx *c, size_t from)
{
	static const char *const marks[] = {
		"duoc sua doi, bo sung boi", "duoc sua doi bo sung boi", "duoc sua doi boi",
		"duoc bo sung boi",
	};
	size_t a, b, next, pos = from, n = 0;
	char buf[2048];
	size_t k;

	while (pos < c->fn && meta_line_at(c, pos, &a, &b, &next)) {
		if (meta_starts(c->f + a, b - a, "can cu") || n + (b - a) + 1 >= sizeof(buf))
			break;
		memcpy(buf + n, c->f + a, b - a);
		n += b - a;
		buf[n++] = ' ';
		pos = next;
	}
	buf[n] = '\0';
	if (!strstr(buf, "co hieu luc"))
		return 0;
	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
		if (strstr(buf, marks[k]))
			return 1;
	return 0;
}

void meta_find_form_and_abstract(ctx *c)
{
	size_t pos = c->num_line == SIZE_MAX ? 0 : c->num_line, a, b, next;
	size_t ha = 0, hb = 0, a2, b2, n2;
	const char *form = NULL, *numform = NULL;
	regmatch_t rm[4];
	int vv = 0;

	if (c->num_line != SIZE_MAX) {
		/* the heading may sit before the number in flattened tables */
		size_t back = c->num_line > 600 ? c->num_line - 600 : 0;

		while (back > 0 && c->f[back - 1] != '\n')
			back--;
		pos = back;
	}
	for (int tries = 0; tries < 2 && !form; tries++) {
	size_t lim = c->head_end;

	if (tries == 1) {
		/* gazette prints may put the header table after the heading */
		if (c->num_line == SIZE_MAX)
			break;
		pos = 0;
		lim = c->num_line;
	}
	while (pos < lim && meta_line_at(c, pos, &a, &b, &next)) {
		if (tries == 1 && meta_starts(c->f + a, b - a, "can cu"))
			break;
		if (b > a && c->f[b - 1] != ':' && meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a])) {
			form = meta_form_lookup(c->f + a, b - a);
			if (!form && b - a < 70) {
				static const char *const pre[] = {
					"thong bao ", "ke hoach ", "quyet dinh ", "nghi quyet ",
					"chi thi ", "cong dien ", "bao cao ", "to trinh ",
				};
				size_t k;

				for (k = 0; k < sizeof(pre) / sizeof(pre[0]) && !form; k++)
					if (meta_starts(c->f + a, b - a, pre[k])) {
						form = meta_form_lookup(pre[k], strlen(pre[k]) - 1);
						b = a + strlen(pre[k]) - 1;
						next = b + 1;
					}
			}
			if (!form && meta_line_at(c, next, &a2, &b2, &n2) && b2 > a2 && b - a < 20) {
				char tmp[64];

				if (b - a + 1 + b2 - a2 < sizeof(tmp)) {
					memcpy(tmp, c->f + a, b - a);
					tmp[b - a] = ' ';
					memcpy(tmp + (b - a) + 1, c->f + a2, b2 - a2);
					form = meta_form_lookup(tmp, b - a + 1 + b2 - a2);
					if (form) {
						b = b2;
						next = n2;
					}
				}
			}
			if (form) {
				ha = a;
				hb = b;
				break;
			}
		}
		pos = next;
	}
	}
	if (c->m->number.value)
		numform = vb_meta_form_from_number(c->m->number.value);
	if (numform && !strcmp(numform, "Văn bản hợp nhất")) {
		meta_field_set(c, &c->m->form, strdup(numform), 0.95, ha, hb);
		if (!form)
			c->m->form.start = c->m->number.start, c->m->form.end = c->m->number.end;
	} else if (form && strcmp(form, "Văn bản hợp nhất") && consolidated_intro(c, hb)) {
		meta_field_set(c, &c->m->form, strdup("Văn bản hợp nhất"), 0.85, ha, hb);
	} else if (form) {
		double conf = numform && !strcmp(numform, form) ? 0.98 : 0.9;

		meta_field_set(c, &c->m->form, strdup(form), conf, ha, hb);
	}

	/* abstract */
	if (form) {
		size_t s = SIZE_MAX, e = 0;
		int upper_abs = -1;

		pos = next;
		while (meta_line_at(c, pos, &a, &b, &next) && pos < c->fn) {
			int up;

			if (a == b) {
				if (s != SIZE_MAX)
					break;
				pos = next;
				continue;
			}
			if (b - a >= 6 && meta_starts(c->f + a, b - a, "can cu"))
				break;
			up = meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a]);
			{
				size_t i;
				int stop = 0;

				for (i = 0; i < meta_n_body_marks; i++)
					if (meta_starts(c->f + a, b - a, meta_body_marks[i]))
						stop = 1;
				/* "THỰC HIỆN ..." wrapping an upper-case abstract
				 * is not the body's "Thực hiện ..." */
				if (stop && s != SIZE_MAX && upper_abs == 1 && up &&
				    meta_starts(c->f + a, b - a, "thuc hien "))
					stop = 0;
				if (stop)
					break;
			}
			if (s != SIZE_MAX && up && authority_at(c, a, b, next) &&
			    !authority_later(c, next) &&
			    c->f[e - 1] != ',' && c->f[e - 1] != ';' &&
			    !(e - s > 3 && !memcmp(c->f + e - 3, " va", 3)) &&
			    !(e - s > 4 && !memcmp(c->f + e - 4, " cua", 4)) &&
			    !(e - s > 4 && !memcmp(c->f + e - 4, " cho", 4)))
				break;
			if (s != SIZE_MAX && upper_abs == 1 && !up)
				break;
			if (s != SIZE_MAX && upper_abs == 0 && up && b - a > 8)
				break;
			if (s == SIZE_MAX && (meta_starts(c->f + a, b - a, "ngay ") ||
					      is_authority(c->f + a, b - a)))
				break;
			if (s == SIZE_MAX) {
				s = a;
				upper_abs = up;
			}
			e = b;
			pos = next;
			if (e - s > ABSTRACT_MAX)
				break;
		}
		if (s != SIZE_MAX && e - s > 4 && meta_starts(c->f + s, e - s, "v/v")) {
			s += 3;
			while (s < e && (c->f[s] == ' ' || c->f[s] == ':' || c->f[s] == '.' ||
					 c->f[s] == '\n'))
				s++;
		}
		if (s != SIZE_MAX) {
			meta_field_set(c, &c->m->abstract, meta_clean_f(c, s, e), 0.85, s, e);
			c->abs_start = s;
			c->abs_end = e;
			/* the authority line right under it */
			if (meta_line_at(c, pos, &a, &b, &next)) {
				while (a == b && meta_line_at(c, next, &a, &b, &next))
					;
				if (a < b && is_authority(c->f + a, b - a) &&
				    meta_is_upper(c->t + c->map[a], meta_oend(c, b) - c->map[a])) {
					c->auth_start = a;
					c->auth_end = b;
				}
			}
		}
	}

	/* công văn: the V/v line */
	if (meta_rx(c, c->re_vv, c->num_line == SIZE_MAX ? 0 : c->num_line,
		    c->head_end, rm, 4)) {
		size_t s = (size_t)rm[0].rm_eo, e;

		vv = 1;
		/* up to the next blank line or the date line */
		pos = s;
		e = s;
		while (meta_line_at(c, pos, &a, &b, &next)) {
			if (pos != s && (a == b || strstr(c->f + a, ", ngay") == c->f + a ||
					 meta_starts(c->f + a, b - a, "kinh gui") ||
					 (b - a > 8 && memmem(c->f + a, b - a, "ngay ", 5) &&
					  memmem(c->f + a, b - a, " thang ", 7))))
				break;
			if (a < b)
				e = b;
			pos = next;
			if (e - s > ABSTRACT_MAX)
				break;
		}
		while (s < e && (c->f[s] == ' ' || c->f[s] == '\n'))
			s++;
		if (!form && e > s) {
			meta_field_set(c, &c->m->abstract, meta_clean_f(c, s, e), 0.85, s, e);
			c->abs_start = s;
			c->abs_end = e;
		}
	}
	if (!c->m->form.value) {
		if (vv)
			meta_field_set(c, &c->m->form, strdup("Công văn"), 0.9, (size_t)rm[0].rm_so,
				       (size_t)rm[0].rm_eo);
		else if (memmem(c->f, c->fn < 3000 ? c->fn : 3000, "kinh gui", 8))
			meta_field_set(c, &c->m->form, strdup("Công văn"), 0.75, 0, 0),
				c->m->form.start = c->m->number.start,
				c->m->form.end = c->m->number.end;
		else if (numform)
			meta_field_set(c, &c->m->form, strdup(numform), 0.6, 0, 0),
				c->m->form.start = c->m->number.start,
				c->m->form.end = c->m->number.end;
		else
			meta_warn(c->m, "no form heading found");
	}
	if (!c->m->abstract.value)
		meta_warn(c->m, "no abstract (trích yếu) found");
}
