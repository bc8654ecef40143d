/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench/scale: deterministic corpus scaler for the comparative benchmarks
 * (bench/README.md).  Writes N documents as a vanban import manifest
 * (data/README.md) on stdout or -o FILE, one line at a time (1M documents
 * need no more memory than 10k: only the paragraph pool of the real
 * documents is held).
 *
 *   bench/scale -n 10000 [--seed S] [--avg-kb 48] [--source NAME]
 *               [-o OUT.jsonl] [--numbers K] [MANIFEST_OR_CORPUS_JSONL...]
 *
 * Inputs (default: $VB_SRCDIR/data/sample/documents.jsonl,
 * $VB_CORPUS/tvpl_2025/documents.jsonl and
 * $VB_CORPUS/congbao_chinhphu/documents.jsonl): any JSON Lines file whose
 * objects carry the text under "text" or "text_markdown" and a title under
 * "abstract", "mo_ta" or "title".  The texts are cut into paragraphs; a
 * generated body is a run of consecutive paragraphs of one real document,
 * then another, ... until its target size (uniform in [0.25, 1.75] x
 * --avg-kb, so the mean is --avg-kb), after a header in the shape of a
 * real one (number, place and date, form, abstract).
 *
 * Document i depends only on (seed, i), never on N: the first documents of
 * a 1M corpus are those of the 10k corpus, so bench/queries-mix.tsv's
 * number lookups (from --numbers) hit at every size.  Issuers are those of
 * one province (UBND/HĐND tỉnh, sở, UBND huyện/thành phố, xã); numbers have
 * the shape of their form (year in normative ones) and are unique.
 *
 * --numbers K prints the number, form and issuer of documents 0..K-1 (TSV)
 * instead of the manifest.  Statistics go to stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (64u << 20)
#define MIN_PARA 30

typedef struct para { const char *s; size_t len; } para;
typedef struct srcdoc { size_t first, n; } srcdoc;

static para *paras;
static size_t n_paras, cap_paras;
static srcdoc *docs;
static size_t n_docs, cap_docs;
static char **titles;
static size_t n_titles, cap_titles;

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fprintf(stderr, "scale: out of memory\n");
		exit(1);
	}
	return q;
}

static void add_title(const char *t)
{
	size_t len = strlen(t);

	if (len < 20 || len > 400 || strchr(t, '\n'))
		return;
	if (n_titles == cap_titles) {
		cap_titles = cap_titles ? cap_titles * 2 : 256;
		titles = xrealloc(titles, cap_titles * sizeof(*titles));
	}
	titles[n_titles++] = strdup(t);
}

/* Cut text (a private copy) into paragraphs at blank-ish line breaks. */
static void add_text(const char *text)
{
	char *copy = strdup(text);
	size_t first = n_paras;

	if (!copy)
		exit(1);
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		size_t len = strlen(line);

		while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len < MIN_PARA || line[0] == '|' || line[0] == '#' || line[0] == '!')
			continue; /* short lines, markdown tables and headings */
		if (n_paras == cap_paras) {
			cap_paras = cap_paras ? cap_paras * 2 : 4096;
			paras = xrealloc(paras, cap_paras * sizeof(*paras));
		}
		paras[n_paras++] = (para){ line, len };
	}
	if (n_paras - first < 3) {
		n_paras = first;
		return;
	}
	if (n_docs == cap_docs) {
		cap_docs = cap_docs ? cap_docs * 2 : 256;
		docs = xrealloc(docs, cap_docs * sizeof(*docs));
	}
	docs[n_docs++] = (srcdoc){ first, n_paras - first };
}

static int load(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	size_t before = n_docs;

	if (!f) {
		fprintf(stderr, "scale: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		const char *t;

		if (!o)
			continue;
		t = json_string_value(json_object_get(o, "text"));
		if (!t)
			t = json_string_value(json_object_get(o, "text_markdown"));
		if (t)
			add_text(t);
		t = json_string_value(json_object_get(o, "abstract"));
		if (!t)
			t = json_string_value(json_object_get(o, "mo_ta"));
		if (!t)
			t = json_string_value(json_object_get(o, "title"));
		if (t)
			add_title(t);
		json_decref(o);
	}
	free(line);
	fclose(f);
	fprintf(stderr, "scale: %s: %zu documents with text\n", path, n_docs - before);
	return 0;
}

/* splitmix64: document i's generator is seeded from (seed, i) alone. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n)
{
	return (size_t)(next(s) % n);
}

/* Forms: name, weight (per mille), code, normative (number with year). */
static const struct form {
	const char *name, *heading, *code;
	unsigned weight;
	int normative;
} forms[] = {
	{ "Quyết định", "QUYẾT ĐỊNH", "QĐ", 380, 0 },
	{ "Quyết định", "QUYẾT ĐỊNH", "QĐ", 60, 1 },
	{ "Công văn", "", "", 250, 0 },
	{ "Kế hoạch", "KẾ HOẠCH", "KH", 80, 0 },
	{ "Thông báo", "THÔNG BÁO", "TB", 70, 0 },
	{ "Báo cáo", "BÁO CÁO", "BC", 60, 0 },
	{ "Nghị quyết", "NGHỊ QUYẾT", "NQ", 50, 1 },
	{ "Chỉ thị", "CHỈ THỊ", "CT", 20, 1 },
	{ "Tờ trình", "TỜ TRÌNH", "TTr", 20, 0 },
	{ "Công điện", "CÔNG ĐIỆN", "CĐ", 10, 0 },
};

#define PROVINCE "Quảng Ninh"
/* Issuers: name, code in numbers, weight (per mille), can issue
 * normative acts (HĐND: resolutions only). */
static const struct issuer {
	const char *name, *code, *heading;
	unsigned weight;
	int kind; /* 0 UBND tỉnh, 1 HĐND tỉnh, 2 sở, 3 huyện/thành phố, 4 xã */
} issuers[] = {
	{ "UBND tỉnh " PROVINCE, "UBND", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", 300, 0 },
	{ "HĐND tỉnh " PROVINCE, "HĐND", "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH", 40, 1 },
	{ "Sở Tài chính tỉnh " PROVINCE, "STC", "SỞ TÀI CHÍNH", 50, 2 },
	{ "Sở Nội vụ tỉnh " PROVINCE, "SNV", "SỞ NỘI VỤ", 40, 2 },
	{ "Sở Tư pháp tỉnh " PROVINCE, "STP", "SỞ TƯ PHÁP", 30, 2 },
	{ "Sở Xây dựng tỉnh " PROVINCE, "SXD", "SỞ XÂY DỰNG", 40, 2 },
	{ "Sở Y tế tỉnh " PROVINCE, "SYT", "SỞ Y TẾ", 40, 2 },
	{ "Sở Giáo dục và Đào tạo tỉnh " PROVINCE, "SGDĐT", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", 40, 2 },
	{ "Sở Nông nghiệp và Môi trường tỉnh " PROVINCE, "SNNMT", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", 40, 2 },
	{ "Sở Khoa học và Công nghệ tỉnh " PROVINCE, "SKHCN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", 30, 2 },
	{ "Sở Văn hóa, Thể thao và Du lịch tỉnh " PROVINCE, "SVHTTDL", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", 20, 2 },
	{ "UBND thành phố Hạ Long", "UBND", "ỦY BAN NHÂN DÂN THÀNH PHỐ HẠ LONG", 70, 3 },
	{ "UBND thành phố Cẩm Phả", "UBND", "ỦY BAN NHÂN DÂN THÀNH PHỐ CẨM PHẢ", 50, 3 },
	{ "UBND thành phố Uông Bí", "UBND", "ỦY BAN NHÂN DÂN THÀNH PHỐ UÔNG BÍ", 40, 3 },
	{ "UBND thành phố Móng Cái", "UBND", "ỦY BAN NHÂN DÂN THÀNH PHỐ MÓNG CÁI", 40, 3 },
	{ "UBND huyện Vân Đồn", "UBND", "ỦY BAN NHÂN DÂN HUYỆN VÂN ĐỒN", 30, 3 },
	{ "UBND huyện Tiên Yên", "UBND", "ỦY BAN NHÂN DÂN HUYỆN TIÊN YÊN", 30, 3 },
	{ "UBND huyện Ba Chẽ", "UBND", "ỦY BAN NHÂN DÂN HUYỆN BA CHẼ", 20, 3 },
	{ "UBND huyện Cô Tô", "UBND", "ỦY BAN NHÂN DÂN HUYỆN CÔ TÔ", 20, 3 },
	{ "UBND xã Quảng Tân", "UBND", "ỦY BAN NHÂN DÂN XÃ QUẢNG TÂN", 20, 4 },
	{ "UBND xã Đông Ngũ", "UBND", "ỦY BAN NHÂN DÂN XÃ ĐÔNG NGŨ", 20, 4 },
	{ "UBND xã Hải Lạng", "UBND", "ỦY BAN NHÂN DÂN XÃ HẢI LẠNG", 20, 4 },
};
#define N_FORMS (sizeof(forms) / sizeof(forms[0]))
#define N_ISSUERS (sizeof(issuers) / sizeof(issuers[0]))

static const char *const cv_suffix[] = { "KT", "TH", "VX", "NC", "XD", "TM", "VP" };
static const char *const fields[] = { "Bộ máy hành chính", "Tài chính nhà nước",
	"Đầu tư", "Xây dựng - Đô thị", "Đất đai", "Y tế", "Giáo dục",
	"Công nghệ thông tin", "Văn hóa - Xã hội", "Tài nguyên - Môi trường" };

static size_t weighted(uint64_t *s, unsigned (*w)(size_t), size_t n)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < n; i++)
		total += w(i);
	r = (unsigned)(next(s) % total);
	for (size_t i = 0; i < n; i++) {
		if (r < w(i))
			return i;
		r -= w(i);
	}
	return n - 1;
}

static unsigned form_w(size_t i) { return forms[i].weight; }
static unsigned issuer_w(size_t i) { return issuers[i].weight; }

typedef struct gen {
	const struct form *form;
	const struct issuer *issuer;
	char number[96];
	int year, month, day;
	const char *title;
} gen;

/* Metadata of document i (depends on seed and i only). */
static void gen_meta(uint64_t seed, uint64_t i, gen *g, uint64_t *rng)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t f, is;
	uint64_t serial;

	*rng = seed * 0x100000001b3ULL ^ (i + 1) * 0x9e3779b97f4a7c15ULL;
	next(rng);
	is = weighted(rng, issuer_w, N_ISSUERS);
	f = weighted(rng, form_w, N_FORMS);
	if (issuers[is].kind == 1)              /* HĐND: resolutions */
		f = 6;
	else if (f == 6)                        /* resolutions: HĐND only */
		f = 0;
	if (forms[f].normative && issuers[is].kind == 2)
		f = 0;                          /* sở: no normative acts */
	g->form = &forms[f];
	g->issuer = &issuers[is];
	/* 12 years 2015-2026, one year per residue: (year, serial) is unique. */
	g->year = 2015 + (int)(i % 12);
	serial = i / 12 + 1;
	g->month = 1 + (int)pick(rng, g->year == 2026 ? 11 : 12);
	g->day = 1 + (int)pick(rng, (size_t)mdays[g->month - 1]);
	/* Numbers are unique: the year shapes by (year, serial), the others
	 * carry the serial of all years (i + 1). */
	if (g->form->normative)
		snprintf(g->number, sizeof(g->number), "%" PRIu64 "/%d/%s-%s", serial,
			 g->year, g->form->code, g->issuer->code);
	else if (!g->form->code[0])             /* công văn: số/CQ-đơn vị */
		snprintf(g->number, sizeof(g->number), "%" PRIu64 "/%s-%s", i + 1,
			 g->issuer->code, cv_suffix[pick(rng, 7)]);
	else
		snprintf(g->number, sizeof(g->number), "%" PRIu64 "/%s-%s", i + 1,
			 g->form->code, g->issuer->code);
	g->title = n_titles ? titles[pick(rng, n_titles)] : "Về việc triển khai nhiệm vụ";
}

/* Output buffer with JSON string escaping. */
static char *ob;
static size_t ob_len, ob_cap;

static void ob_grow(size_t n)
{
	if (ob_len + n > ob_cap) {
		while (ob_len + n > ob_cap)
			ob_cap = ob_cap ? ob_cap * 2 : 1 << 20;
		ob = xrealloc(ob, ob_cap);
	}
}

static void ob_raw(const char *s, size_t n)
{
	ob_grow(n);
	memcpy(ob + ob_len, s, n);
	ob_len += n;
}

static void ob_str(const char *s) { ob_raw(s, strlen(s)); }

/* JSON string body (no quotes). */
static void ob_esc(const char *s, size_t n)
{
	ob_grow(n * 6);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			ob[ob_len++] = '\\';
			ob[ob_len++] = (char)c;
		} else if (c == '\n') {
			ob[ob_len++] = '\\';
			ob[ob_len++] = 'n';
		} else if (c < 0x20) {
			ob_len += (size_t)sprintf(ob + ob_len, "\\u%04x", c);
		} else {
			ob[ob_len++] = (char)c;
		}
	}
}

static void ob_kv(const char *key, const char *val)
{
	ob_str(", \"");
	ob_str(key);
	ob_str("\": \"");
	ob_esc(val, strlen(val));
	ob_str("\"");
}

static int usage(void)
{
	fprintf(stderr, "usage: scale -n N [--seed S] [--avg-kb KB] [--source NAME] "
		"[-o OUT] [--numbers K] [JSONL...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t n = 0, seed = 1, numbers = 0;
	double avg_kb = 48;
	const char *out_path = NULL, *source = "bench";
	const char *inputs[64];
	size_t n_inputs = 0;
	int own_inputs = 0;
	FILE *out = stdout;
	uint64_t total_text = 0;

	for (int a = 1; a < argc; a++) {
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(argv[a], "-n") && v)
			n = strtoull(v, NULL, 10), a++;
		else if (!strcmp(argv[a], "--seed") && v)
			seed = strtoull(v, NULL, 10), a++;
		else if (!strcmp(argv[a], "--avg-kb") && v)
			avg_kb = strtod(v, NULL), a++;
		else if (!strcmp(argv[a], "--source") && v)
			source = v, a++;
		else if (!strcmp(argv[a], "-o") && v)
			out_path = v, a++;
		else if (!strcmp(argv[a], "--numbers") && v)
			numbers = strtoull(v, NULL, 10), a++;
		else if (argv[a][0] == '-')
			return usage();
		else if (n_inputs < 64)
			inputs[n_inputs++] = argv[a];
	}
	if ((!n && !numbers) || avg_kb < 1 || avg_kb > 4096 || n > 100000000)
		return usage();
	if (!n_inputs) {
		const char *src = getenv("VB_SRCDIR"), *corpus = getenv("VB_CORPUS");
		char *p[3];

		if (!src)
			src = ".";
		if (asprintf(&p[0], "%s/data/sample/documents.jsonl", src) < 0 ||
		    (corpus ? asprintf(&p[1], "%s/tvpl_2025/documents.jsonl", corpus)
			    : asprintf(&p[1], "%s/../shared/corpus/tvpl_2025/documents.jsonl", src)) < 0 ||
		    (corpus ? asprintf(&p[2], "%s/congbao_chinhphu/documents.jsonl", corpus)
			    : asprintf(&p[2], "%s/../shared/corpus/congbao_chinhphu/documents.jsonl",
				       src)) < 0)
			return 1;
		for (int k = 0; k < 3; k++)
			inputs[n_inputs++] = p[k];
		own_inputs = 1;
	}
	for (size_t k = 0; k < n_inputs; k++)
		if (load(inputs[k]))
			return 1;
	for (size_t k = 0; own_inputs && k < n_inputs; k++)
		free((char *)inputs[k]);
	if (!n_docs) {
		fprintf(stderr, "scale: no texts in the inputs\n");
		return 1;
	}
	fprintf(stderr, "scale: pool of %zu paragraphs from %zu documents, %zu titles\n",
		n_paras, n_docs, n_titles);
	if (out_path && !(out = fopen(out_path, "w"))) {
		fprintf(stderr, "scale: %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	if (numbers) {
		for (uint64_t i = 0; i < numbers; i++) {
			gen g;
			uint64_t rng;

			gen_meta(seed, i, &g, &rng);
			fprintf(out, "%s\t%s\t%s\n", g.number, g.form->name, g.issuer->name);
		}
		return fclose(out) ? 1 : 0;
	}
	for (uint64_t i = 0; i < n; i++) {
		gen g;
		uint64_t rng;
		char buf[512];
		size_t target, body_start;

		gen_meta(seed, i, &g, &rng);
		ob_len = 0;
		snprintf(buf, sizeof(buf), "%s-%08" PRIu64, source, i);
		ob_str("{\"source\": \"");
		ob_esc(source, strlen(source));
		ob_str("\", \"source_id\": \"");
		ob_str(buf + strlen(source) + 1);
		ob_str("\"");
		ob_kv("number", g.number);
		ob_kv("form", g.form->name);
		ob_kv("issuer", g.issuer->name);
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", g.year, g.month, g.day);
		ob_kv("issue_date", buf);
		ob_kv("abstract", g.title);
		ob_str(", \"fields\": [\"");
		ob_str(fields[pick(&rng, sizeof(fields) / sizeof(fields[0]))]);
		ob_str("\"]");
		ob_kv("category", g.form->normative ? "normative" : "administrative");
		ob_kv("language", "vi");
		ob_str(", \"text\": \"");
		body_start = ob_len;
		snprintf(buf, sizeof(buf), "%s\n\nSố: %s\n\n%s, ngày %02d tháng %02d năm %d\n\n",
			 g.issuer->heading, g.number, PROVINCE, g.day, g.month, g.year);
		ob_esc(buf, strlen(buf));
		if (g.form->heading[0]) {
			ob_esc(g.form->heading, strlen(g.form->heading));
			ob_str("\\n\\n");
		} else {
			ob_str("V/v ");
		}
		ob_esc(g.title, strlen(g.title));
		ob_str("\\n\\n");
		/* Uniform in [0.25, 1.75] x avg: mean avg (escaping adds a little
		 * to the line, not to the text). */
		target = (size_t)(avg_kb * 1024 * (0.25 + 1.5 * (double)(next(&rng) >> 11) / 9007199254740992.0));
		{
			size_t text = ob_len - body_start;

			while (text < target) {
				const srcdoc *d = &docs[pick(&rng, n_docs)];
				size_t p = d->first + pick(&rng, d->n);
				size_t run = 3 + pick(&rng, 20);

				for (; run-- && p < d->first + d->n && text < target; p++) {
					ob_esc(paras[p].s, paras[p].len);
					ob_str("\\n\\n");
					text += paras[p].len + 2;
				}
			}
			total_text += text;
		}
		ob_str("\"}\n");
		if (fwrite(ob, 1, ob_len, out) != ob_len) {
			fprintf(stderr, "scale: write: %s\n", strerror(errno));
			return 1;
		}
	}
	if (fclose(out)) {
		fprintf(stderr, "scale: write: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "scale: %" PRIu64 " documents, %.1f MB of text, average %.1f KB\n", n,
		(double)total_text / 1e6, n ? (double)total_text / (double)n / 1024 : 0.0);
	return 0;
}
