/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synonym tables (contract in synonyms.h): parsing the tab-separated file
 * into groups of alternatives, each split into words with the indexing
 * tokeniser and folded; longest-match look-up over query words; and a
 * process-wide, reference-counted snapshot that follows changes of the file.
 */
#include "synonyms.h"

#include "log.h"
#include "text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef VB_PKGDATADIR
#define VB_PKGDATADIR "/usr/local/share/vanban"
#endif

#define RECHECK_SECONDS 2

struct vb_synonyms {
	atomic_int refs;
	vb_syn_group *groups;
	size_t n, cap;
};

static void alt_dispose(vb_syn_alt *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->folded[i]);
		free(a->words[i]);
	}
	free(a->folded);
	free(a->words);
	free(a->text);
}

static void table_destroy(vb_synonyms *s)
{
	for (size_t g = 0; g < s->n; g++) {
		for (size_t i = 0; i < s->groups[g].n; i++)
			alt_dispose(&s->groups[g].alts[i]);
		free(s->groups[g].alts);
	}
	free(s->groups);
	free(s);
}

void vb_synonyms_free(vb_synonyms *syn)
{
	if (syn && atomic_fetch_sub(&syn->refs, 1) == 1)
		table_destroy(syn);
}

size_t vb_synonyms_count(const vb_synonyms *syn)
{
	return syn ? syn->n : 0;
}

const vb_syn_group *vb_synonyms_group(const vb_synonyms *syn, size_t i)
{
	return syn && i < syn->n ? &syn->groups[i] : NULL;
}

typedef struct split_ctx {
	vb_syn_alt *alt;
	int rc;
} split_ctx;

static int split_word(const char *s, const vb_token *tok, void *ud)
{
	split_ctx *c = ud;
	vb_syn_alt *a = c->alt;
	char *f, *w;

	if (a->n >= VB_SYN_MAX_WORDS) {
		c->rc = VB_ETOOBIG;
		return 1;
	}
	f = vb_text_fold(s + tok->start, tok->len);
	w = strndup(s + tok->start, tok->len);
	if (!f || !w) {
		free(f);
		free(w);
		c->rc = VB_ENOMEM;
		return 1;
	}
	a->folded[a->n] = f;
	a->words[a->n] = w;
	a->n++;
	return 0;
}

/* Fill alt from one field (len bytes at s).  0 with alt->n == 0 for a
 * field without words. */
static int alt_parse(vb_syn_alt *alt, const char *s, size_t len)
{
	split_ctx c = { alt, 0 };
	char *norm = vb_text_normalize(s, len);

	memset(alt, 0, sizeof(*alt));
	if (!norm)
		return VB_ENOMEM;
	alt->folded = calloc(VB_SYN_MAX_WORDS, sizeof(char *));
	alt->words = calloc(VB_SYN_MAX_WORDS, sizeof(char *));
	if (!alt->folded || !alt->words) {
		free(norm);
		return VB_ENOMEM;
	}
	vb_text_tokenize(norm, strlen(norm), split_word, &c);
	if (c.rc) {
		free(norm);
		return c.rc;
	}
	/* trim the text for display */
	{
		char *b = norm, *e = norm + strlen(norm);

		while (*b == ' ')
			b++;
		while (e > b && e[-1] == ' ')
			e--;
		*e = '\0';
		alt->text = strdup(b);
	}
	free(norm);
	return alt->text ? 0 : VB_ENOMEM;
}

static int add_group(vb_synonyms *s, vb_syn_group *g)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		vb_syn_group *ng = realloc(s->groups, cap * sizeof(*ng));

		if (!ng)
			return VB_ENOMEM;
		s->groups = ng;
		s->cap = cap;
	}
	s->groups[s->n++] = *g;
	return 0;
}

/* Parse one line (without its newline) into a group; adds it to s when it
 * has at least two alternatives. */
static int parse_line(vb_synonyms *s, const char *line, size_t len)
{
	vb_syn_group g = { 0 };
	const char *p = line, *end = line + len;
	int rc = 0;

	while (p < end && (*p == ' ' || *p == '\r'))
		p++;
	if (p == end || *p == '#')
		return 0;
	g.alts = calloc(VB_SYN_MAX_ALTS, sizeof(vb_syn_alt));
	if (!g.alts)
		return VB_ENOMEM;
	while (p <= end) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *fe = tab ? tab : end;
		vb_syn_alt a;

		if (g.n >= VB_SYN_MAX_ALTS) {
			rc = VB_ETOOBIG;
			goto out;
		}
		rc = alt_parse(&a, p, (size_t)(fe - p));
		if (rc) {
			alt_dispose(&a);
			goto out;
		}
		if (a.n)
			g.alts[g.n++] = a;
		else
			alt_dispose(&a);
		if (!tab)
			break;
		p = tab + 1;
	}
	if (g.n >= 2) {
		if (s->n >= VB_SYN_MAX_GROUPS) {
			rc = VB_ETOOBIG;
			goto out;
		}
		rc = add_group(s, &g);
		if (!rc)
			return 0;
	}
out:
	for (size_t i = 0; i < g.n; i++)
		alt_dispose(&g.alts[i]);
	free(g.alts);
	return rc;
}

int vb_synonyms_parse(vb_synonyms **out, const char *text, size_t len, vb_error *err)
{
	vb_synonyms *s;
	size_t lineno = 0;
	const char *p = text, *end = text + len;
	int rc = 0;

	*out = NULL;
	if (len > VB_SYN_MAX_FILE)
		return vb_error_set(err, VB_ETOOBIG, "synonym file is too big (%zu bytes, at most %u)",
				    len, VB_SYN_MAX_FILE);
	if (!(s = calloc(1, sizeof(*s))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	atomic_init(&s->refs, 1);
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		lineno++;
		if ((rc = parse_line(s, p, (size_t)(le - p)))) {
			if (rc == VB_ETOOBIG)
				vb_error_set(err, rc, "synonym line %zu exceeds a limit (at most %d "
					     "alternatives of %d words, %d groups)", lineno,
					     VB_SYN_MAX_ALTS, VB_SYN_MAX_WORDS, VB_SYN_MAX_GROUPS);
			else
				vb_error_set(err, rc, "could not parse synonym line %zu: out of memory",
					     lineno);
			table_destroy(s);
			return rc;
		}
		p = le + 1;
	}
	*out = s;
	return 0;
}

int vb_synonyms_load(vb_synonyms **out, const char *path, vb_error *err)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	if (!(f = fopen(path, "rb")))
		return vb_error_set(err, VB_EIO, "could not open synonym file \"%s\": %m", path);
	if (!(buf = malloc(VB_SYN_MAX_FILE + 1))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	n = fread(buf, 1, VB_SYN_MAX_FILE + 1, f);
	if (ferror(f)) {
		rc = vb_error_set(err, VB_EIO, "could not read synonym file \"%s\"", path);
		goto out;
	}
	rc = vb_synonyms_parse(out, buf, n, err);
out:
	free(buf);
	fclose(f);
	return rc;
}

size_t vb_synonyms_match(const vb_synonyms *syn, char *const *w, size_t n,
			 size_t *group, size_t *alt)
{
	size_t best = 0;

	if (!syn)
		return 0;
	for (size_t g = 0; g < syn->n; g++) {
		const vb_syn_group *gr = &syn->groups[g];

		for (size_t a = 0; a < gr->n; a++) {
			const vb_syn_alt *al = &gr->alts[a];
			size_t k;

			if (al->n > n || al->n <= best)
				continue;
			for (k = 0; k < al->n && !strcmp(al->folded[k], w[k]); k++)
				;
			if (k == al->n) {
				best = al->n;
				*group = g;
				*alt = a;
			}
		}
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* Shared snapshot */

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static vb_synonyms *shared_table;
static char shared_path[1024];
static struct timespec shared_mtime;
static off_t shared_size = -1;
static time_t shared_checked;
static int shared_failed;

vb_synonyms *vb_synonyms_shared(const char *path)
{
	char def[1024];
	struct stat st;
	vb_synonyms *r = NULL;
	time_t now = time(NULL);

	if (!path || !*path) {
		const char *env = getenv("VANBAN_SYNONYMS");

		if (env && *env)
			path = env;
		else {
			snprintf(def, sizeof(def), "%s/synonyms.tsv", VB_PKGDATADIR);
			path = def;
		}
	}
	pthread_mutex_lock(&shared_lock);
	if (strcmp(path, shared_path) != 0) {
		vb_synonyms_free(shared_table);
		shared_table = NULL;
		snprintf(shared_path, sizeof(shared_path), "%s", path);
		shared_size = -1;
		shared_checked = 0;
		shared_failed = 0;
	}
	if (shared_checked == 0 || now - shared_checked >= RECHECK_SECONDS) {
		shared_checked = now;
		if (stat(path, &st) != 0) {
			if (!shared_failed)
				vb_warn("synonym file \"%s\" is not readable: searching without synonyms",
					path);
			shared_failed = 1;
			vb_synonyms_free(shared_table);
			shared_table = NULL;
			shared_size = -1;
		} else if (st.st_size != shared_size ||
			   st.st_mtim.tv_sec != shared_mtime.tv_sec ||
			   st.st_mtim.tv_nsec != shared_mtime.tv_nsec) {
			vb_synonyms *fresh = NULL;
			vb_error err;

			shared_size = st.st_size;
			shared_mtime = st.st_mtim;
			if (vb_synonyms_load(&fresh, path, &err) == 0) {
				vb_synonyms_free(shared_table);
				shared_table = fresh;
				shared_failed = 0;
				vb_info("loaded %zu synonym groups from \"%s\"", fresh->n, path);
			} else {
				vb_warn("%s: keeping the previous synonyms", err.msg);
			}
		}
	}
	if (shared_table) {
		atomic_fetch_add(&shared_table->refs, 1);
		r = shared_table;
	}
	pthread_mutex_unlock(&shared_lock);
	return r;
}
