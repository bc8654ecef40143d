/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Micro-benchmark of the text hot paths of a search response: snippet
 * construction (vb_snippet_make), normalisation (vb_text_normalize) and
 * folding (vb_text_fold) over the texts of a manifest (by default the
 * bundled sample, data/sample/documents.jsonl).  The texts are normalised
 * once first, as the store keeps them, and a synthetic ~400 KB text (the
 * sample's texts concatenated) stands in for the largest extracted
 * documents.  Each function is timed per call with CLOCK_MONOTONIC; the
 * report gives the median and 95th percentile in microseconds.
 *
 *   bench/snippet [MANIFEST] [--rounds N] [--dump]
 *
 * --dump prints every snippet instead of timings, so that two builds can be
 * compared byte for byte (diff their outputs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "snippet.h"
#include "text.h"

#define BIG_BYTES (400u * 1024)
#define MAX_DOCS 100000

typedef struct doc {
	char *raw;  /* text as in the manifest */
	char *norm; /* normalised, as stored */
	size_t raw_len, norm_len;
} doc;

static const char *const query_sets[][6] = {
	{ "chuyen", "doi", "so", NULL },
	{ "quyet", "dinh", NULL },
	{ "quang", "ninh", NULL },
	{ "cong", "thong", "tin", "dien", "tu", NULL },
	{ "ubnd", NULL },
	{ "xyzzy", NULL }, /* no match: the whole text is scanned */
};
#define N_SETS (sizeof(query_sets) / sizeof(query_sets[0]))

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	printf("%-44s %7zu calls  median %9.1f us  p95 %9.1f us  max %9.1f us\n",
	       what, n, n ? t[n / 2] : 0.0, n ? t[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1] : 0.0,
	       n ? t[n - 1] : 0.0);
}

static size_t load(const char *path, doc *docs, size_t max)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;

	if (!f) {
		fprintf(stderr, "bench: could not open \"%s\"\n", path);
		return 0;
	}
	while (n < max && (r = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *o = json_loadb(line, (size_t)r, 0, &je), *t;

		if (!o)
			continue;
		t = json_object_get(o, "text");
		if (json_is_string(t) && json_string_length(t) > 0) {
			docs[n].raw_len = json_string_length(t);
			docs[n].raw = malloc(docs[n].raw_len + 1);
			if (docs[n].raw) {
				memcpy(docs[n].raw, json_string_value(t), docs[n].raw_len);
				docs[n].raw[docs[n].raw_len] = '\0';
				n++;
			}
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	return n;
}

/* The sample's texts concatenated (whole texts, in order, again and again)
 * until no further one fits into BIG_BYTES. */
static int make_big(const doc *docs, size_t n, doc *big)
{
	size_t i, o = 0;
	int added = 1;

	big->raw = malloc(BIG_BYTES + 1);
	if (!big->raw)
		return -1;
	while (added) {
		added = 0;
		for (i = 0; i < n; i++) {
			size_t k = docs[i].raw_len;

			if (o + k + 1 > BIG_BYTES)
				continue;
			memcpy(big->raw + o, docs[i].raw, k);
			o += k;
			big->raw[o++] = '\n';
			added = 1;
		}
	}
	big->raw[o] = '\0';
	big->raw_len = o;
	big->norm = vb_text_normalize(big->raw, o);
	if (!big->norm)
		return -1;
	big->norm_len = strlen(big->norm);
	return 0;
}

static char **set_words(size_t s, size_t *n)
{
	*n = 0;
	while (query_sets[s][*n])
		(*n)++;
	return (char **)query_sets[s];
}

static void dump(doc *docs, size_t n)
{
	size_t s, i, nw;

	for (s = 0; s < N_SETS; s++) {
		char **w = set_words(s, &nw);

		for (i = 0; i < n; i++) {
			char *a = vb_snippet_make(docs[i].norm, docs[i].norm_len, w, nw, 0);
			char *b = vb_snippet_make(docs[i].raw, docs[i].raw_len, w, nw, 80);

			printf("%zu %zu\t%s\n%zu %zu raw80\t%s\n", s, i, a ? a : "(null)", s, i,
			       b ? b : "(null)");
			free(a);
			free(b);
		}
	}
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	doc *docs;
	size_t n, i, s, r, rounds = 3, nt, cap, nw;
	double *t;
	int dump_only = 0;
	char label[128];

	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--dump"))
			dump_only = 1;
		else if (!strcmp(argv[i], "--rounds") && i + 1 < (size_t)argc)
			rounds = strtoul(argv[++i], NULL, 10);
		else
			path = argv[i];
	}
	if (!path) {
		static char def[1024];
		const char *src = getenv("VB_SRCDIR");

		snprintf(def, sizeof(def), "%s/data/sample/documents.jsonl", src ? src : ".");
		path = def;
	}
	docs = calloc(MAX_DOCS + 1, sizeof(*docs));
	if (!docs)
		return 1;
	n = load(path, docs, MAX_DOCS);
	if (n == 0) {
		fprintf(stderr, "bench: no texts in \"%s\"\n", path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		docs[i].norm = vb_text_normalize(docs[i].raw, docs[i].raw_len);
		if (!docs[i].norm)
			return 1;
		docs[i].norm_len = strlen(docs[i].norm);
	}
	if (make_big(docs, n, &docs[n]))
		return 1;
	if (dump_only) {
		dump(docs, n + 1);
		return 0;
	}
	{
		size_t total = 0, maxl = 0;

		for (i = 0; i < n; i++) {
			total += docs[i].norm_len;
			if (docs[i].norm_len > maxl)
				maxl = docs[i].norm_len;
		}
		printf("# %s: %zu texts, %zu KiB, largest %zu KiB; synthetic text %zu KiB; %zu rounds\n",
		       path, n, total / 1024, maxl / 1024, docs[n].norm_len / 1024, rounds);
	}
	cap = (n + 1) * rounds * 2 + 16;
	t = malloc(cap * sizeof(*t));
	if (!t)
		return 1;

	for (s = 0; s < N_SETS; s++) {
		char **w = set_words(s, &nw);
		size_t k;
		int off;

		off = snprintf(label, sizeof(label), "snippet [");
		for (k = 0; k < nw && off > 0 && (size_t)off < sizeof(label); k++)
			off += snprintf(label + off, sizeof(label) - (size_t)off, "%s%s",
			                k ? " " : "", w[k]);
		if (off > 0 && (size_t)off < sizeof(label))
			snprintf(label + off, sizeof(label) - (size_t)off, "] sample");
		for (nt = 0, r = 0; r < rounds; r++)
			for (i = 0; i < n; i++) {
				double t0 = now_us();
				char *p = vb_snippet_make(docs[i].norm, docs[i].norm_len, w, nw, 0);

				t[nt++] = now_us() - t0;
				free(p);
			}
		report(label, t, nt);
		for (nt = 0, r = 0; r < rounds * 10; r++) {
			double t0 = now_us();
			char *p = vb_snippet_make(docs[n].norm, docs[n].norm_len, w, nw, 0);

			t[nt++] = now_us() - t0;
			free(p);
		}
		if (off > 0 && (size_t)off < sizeof(label))
			snprintf(label + off, sizeof(label) - (size_t)off, "] 400 KB");
		report(label, t, nt);
	}

	for (nt = 0, r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			double t0 = now_us();
			char *p = vb_text_normalize(docs[i].raw, docs[i].raw_len);

			t[nt++] = now_us() - t0;
			free(p);
		}
	report("normalize raw sample", t, nt);
	for (nt = 0, r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			double t0 = now_us();
			char *p = vb_text_normalize(docs[i].norm, docs[i].norm_len);

			t[nt++] = now_us() - t0;
			free(p);
		}
	report("normalize normalised sample", t, nt);
	for (nt = 0, r = 0; r < rounds * 10; r++) {
		double t0 = now_us();
		char *p = vb_text_normalize(docs[n].norm, docs[n].norm_len);

		t[nt++] = now_us() - t0;
		free(p);
	}
	report("normalize normalised 400 KB", t, nt);
	for (nt = 0, r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			double t0 = now_us();
			char *p = vb_text_fold(docs[i].norm, docs[i].norm_len);

			t[nt++] = now_us() - t0;
			free(p);
		}
	report("fold normalised sample", t, nt);
	for (nt = 0, r = 0; r < rounds * 10; r++) {
		double t0 = now_us();
		char *p = vb_text_fold(docs[n].norm, docs[n].norm_len);

		t[nt++] = now_us() - t0;
		free(p);
	}
	report("fold normalised 400 KB", t, nt);

	for (i = 0; i <= n; i++) {
		free(docs[i].raw);
		free(docs[i].norm);
	}
	free(docs);
	free(t);
	return 0;
}
