/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `vanban import [--source NAME] [--quiet] PATH...`: load documents into
 * the store from JSON Lines manifests, single files (PDF, DOCX, ODT, HTML,
 * TXT), directories of those, and archives (zip, tar, tar.gz).
 *
 * Data flow per document: parse (manifest line) or extract (single file)
 * -> detect the media type of each attached file -> extract the text from
 * the first supported file when the record has none -> copy the files into
 * the content-addressed file store -> vb_store_put_document, which upserts
 * by (source, source_id) in one transaction.  A bad line or file is
 * reported on stderr as FILE:LINE: reason (ARCHIVE!ENTRY: reason inside
 * archives) and skipped; the rest goes in.  A summary line always ends the
 * run on stdout.  Exit status: 0 all imported, 1 something was rejected,
 * 2 fatal (no such PATH, database unreachable).
 *
 * Manifests are split on '\n' only, by our own bounded line reader: U+0085
 * (NEL) occurs inside JSON strings in real data, and a reader that splits
 * on Unicode line breaks would cut those records in two.
 */
#include "../cli/commands.h"

#include "archive.h"
#include "pipeline.h"
#include "progress.h"

#include "config.h"
#include "docnum.h"
#include "document.h"
#include "error.h"
#include "extract.h"
#include "filestore.h"
#include "manifest.h"
#include "relation.h"
#include "relation_text.h"
#include "store.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_MAX_FILE_BYTES ((int64_t)200 * 1024 * 1024)
#define IMPORT_PATH_MAX 4096
#define IMPORT_MAX_DIR_ENTRIES 1000000 /* files listed per directory PATH */
#define IMPORT_MAX_DEPTH 32            /* directory nesting */
#define NUMBER_SCAN_LINES 60           /* where "Số: ..." is looked for */
#define READ_CHUNK ((size_t)1 << 20)

/* A sorted list of paths (files referenced by manifests). */
struct pathset {
	char **v;
	size_t n, cap;
};

struct importer {
	vb_store *st;
	char files_root[IMPORT_PATH_MAX];
	const char *source;
	long inserted, updated, unchanged, rejected;
	int fatal;                /* stop: the database is gone */
	int archive_depth;
	vb_progress prog;
};

static void say(struct importer *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A message on stderr (the progress bar erased first). */
static void say(struct importer *im, const char *fmt, ...)
{
	va_list ap;

	vb_progress_clear(&im->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- path set --------------------------------------------------------- */

static int pathset_add(struct pathset *s, const char *p)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return VB_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(p)))
		return VB_ENOMEM;
	s->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pathset_sort(struct pathset *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

static int pathset_has(const struct pathset *s, const char *p)
{
	return s->n && bsearch(&p, s->v, s->n, sizeof(*s->v), cmp_str) != NULL;
}

static void pathset_dispose(struct pathset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- line reader ------------------------------------------------------ */

/* Splits a file on '\n' only, holding at most max bytes of one line. */
struct line_reader {
	int fd;
	char *buf;
	size_t cap, start, end, max;
	int eof;
};

static int line_reader_open(struct line_reader *lr, const char *path, size_t max, vb_error *err)
{
	memset(lr, 0, sizeof(*lr));
	lr->max = max;
	if ((lr->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, VB_EIO, "could not open \"%s\": %s", path, strerror(errno));
	lr->cap = 64 * 1024;
	if (!(lr->buf = malloc(lr->cap))) {
		close(lr->fd);
		lr->fd = -1;
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	return 0;
}

static void line_reader_close(struct line_reader *lr)
{
	if (lr->fd >= 0)
		close(lr->fd);
	free(lr->buf);
	lr->buf = NULL;
	lr->fd = -1;
}

/* Read more bytes after end, compacting and growing (up to max + 1) first.
 * 0, or VB_EIO. */
static int line_reader_fill(struct line_reader *lr, vb_error *err)
{
	ssize_t r;

	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end == lr->cap) {
		size_t cap = lr->cap * 2;
		char *b;

		if (cap > lr->max + 2)
			cap = lr->max + 2;
		if (cap > lr->cap) {
			if (!(b = realloc(lr->buf, cap)))
				return vb_error_set(err, VB_ENOMEM, "out of memory");
			lr->buf = b;
			lr->cap = cap;
		}
	}
	if (lr->end == lr->cap)
		return 0; /* full: the caller sees a too long line */
	do
		r = read(lr->fd, lr->buf + lr->end, lr->cap - lr->end);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return vb_error_set(err, VB_EIO, "could not read: %s", strerror(errno));
	if (r == 0)
		lr->eof = 1;
	lr->end += (size_t)r;
	return 0;
}

/* The next line (without its '\n'): 1 and *line, *len set (borrowed until
 * the next call), 0 at the end of the file, or a negative error code.
 * *too_long is set for a line longer than max, which is skipped (*len is
 * then 0). */
static int line_reader_next(struct line_reader *lr, const char **line, size_t *len,
			    int *too_long, vb_error *err)
{
	size_t scanned = 0;
	int rc;

	*too_long = 0;
	for (;;) {
		char *nl = memchr(lr->buf + lr->start + scanned, '\n',
				  lr->end - lr->start - scanned);

		if (nl) {
			*line = lr->buf + lr->start;
			*len = (size_t)(nl - *line);
			lr->start += *len + 1;
			if (*too_long)
				*len = 0;
			return 1;
		}
		if (lr->end - lr->start > lr->max) {
			/* too long: drop what we have and keep skipping to '\n' */
			*too_long = 1;
			lr->start = lr->end = 0;
			scanned = 0;
		} else {
			scanned = lr->end - lr->start;
		}
		if (lr->eof) {
			if (lr->end == lr->start && !*too_long)
				return 0;
			*line = lr->buf + lr->start;
			*len = *too_long ? 0 : lr->end - lr->start;
			lr->start = lr->end;
			return 1;
		}
		if ((rc = line_reader_fill(lr, err)))
			return rc;
	}
}

/* Number of '\n'-separated lines in the file (for the ETA); -1 on error. */
static long count_lines(const char *path)
{
	char *buf = malloc(READ_CHUNK);
	long n = 0;
	int fd, last = '\n';
	ssize_t r;

	if (!buf)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		free(buf);
		return -1;
	}
	while ((r = read(fd, buf, READ_CHUNK)) > 0) {
		const char *p = buf, *e = buf + r;

		while ((p = memchr(p, '\n', (size_t)(e - p)))) {
			n++;
			p++;
		}
		last = buf[r - 1];
	}
	if (last != '\n')
		n++;
	close(fd);
	free(buf);
	return r < 0 ? -1 : n;
}

/* ---- helpers ---------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcasecmp(s + a - b, suffix);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* The file name in a display name ("a.zip!sub/x.pdf" -> "x.pdf"). */
static const char *display_base(const char *display)
{
	const char *b = base_name(display), *bang = strrchr(b, '!');

	return bang && bang[1] ? bang + 1 : b;
}

/* The directory part of path ("." when none) into out. */
static void dir_name(const char *path, char *out, size_t outsz)
{
	const char *b = strrchr(path, '/');

	if (!b)
		snprintf(out, outsz, ".");
	else if (b == path)
		snprintf(out, outsz, "/");
	else
		snprintf(out, outsz, "%.*s", (int)(b - path), path);
}

/* Whether the database connection is gone (after a VB_EDB). */
static int store_lost(struct importer *im)
{
	vb_error e;

	vb_error_clear(&e);
	if (vb_store_ping(im->st, &e) == 0)
		return 0;
	say(im, "vanban import: lost the database connection: %s", e.msg);
	im->fatal = 1;
	return 1;
}

/* The part of importing one parsed document that needs no database:
 * media types, text from the first supported file when it has none, files
 * into the file store, and the relations the text states (*rels_ok: 0
 * when they could not be worked out, with the reason in rels_err).  0, or
 * 1 when rejected, with the reason in msg. */
static int prepare_document(const char *files_root, vb_document *doc, vb_text_relations *rels,
			    int *rels_ok, char *rels_err, size_t rels_errsz, char *msg,
			    size_t msgsz)
{
	vb_error err;
	size_t i;
	int rc;

	vb_error_clear(&err);
	memset(rels, 0, sizeof(*rels));
	*rels_ok = 0;
	for (i = 0; i < doc->n_files; i++) {
		vb_file *f = &doc->files[i];
		const char *mt;

		if (f->media_type)
			continue;
		if (vb_extract_detect(f->src_path, &mt, &err) ||
		    vb_strset(&f->media_type, mt)) {
			snprintf(msg, msgsz, "files[%zu]: %s", i, err.msg[0] ? err.msg : "out of memory");
			return 1;
		}
	}
	for (i = 0; !doc->text && i < doc->n_files; i++) {
		vb_file *f = &doc->files[i];
		char *mt = NULL;

		if (!vb_extract_supported(f->media_type)) {
			const char *det = NULL;

			/* a manifest may name a type the content contradicts */
			if (vb_extract_detect(f->src_path, &det, NULL) || !vb_extract_supported(det))
				continue;
		}
		rc = vb_extract_text(f->src_path, f->media_type, &doc->text, &mt, &err);
		free(mt);
		if (rc) {
			snprintf(msg, msgsz, "%s", err.msg);
			return 1;
		}
	}
	for (i = 0; i < doc->n_files; i++) {
		vb_file *f = &doc->files[i];

		if ((rc = vb_filestore_put_path(files_root, f->src_path, IMPORT_MAX_FILE_BYTES,
						f->sha256, &f->size, &err))) {
			snprintf(msg, msgsz, "file \"%s\": %s", f->name, err.msg);
			return 1;
		}
	}
	/* relations: what the text says it replaces, amends, is based on */
	if (doc->text && *doc->text) {
		if (vb_text_relations_extract(doc->text, rels, &err))
			snprintf(rels_err, rels_errsz, "%s", err.msg);
		else
			*rels_ok = 1;
	}
	return 0;
}

/* Store a prepared document and its relations from the text (an
 * unchanged document has them already; `vanban status --from-text` fills
 * them in for documents stored before): rels as prepare_document left
 * them, or NULL to work them out here.  where names it in messages.
 * Returns 0 when stored, 1 when rejected (reported and counted). */
static int store_document(struct importer *im, vb_document *doc, const vb_text_relations *rels,
			  int rels_ok, const char *rels_err, const char *where)
{
	enum vb_put_result res = VB_PUT_UNCHANGED;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if ((rc = vb_store_put_document(im->st, doc, &res, &err))) {
		if (rc == VB_EDB && store_lost(im))
			return 1;
		say(im, "%s: %s", where, err.msg);
		im->rejected++;
		vb_progress_step(&im->prog, 1);
		return 1;
	}
	if (res != VB_PUT_UNCHANGED && doc->text) {
		const char *why = NULL;

		if (!rels) { /* not prepared: worked out here */
			if (vb_store_relations_from_text(im->st, doc->id, doc->text, &err))
				why = err.msg;
		} else if (rels_ok || !*doc->text) { /* an empty text states none */
			if (vb_store_relations_set(im->st, doc->id, VB_REL_ORIGIN_TEXT,
						   rels_ok ? rels->v : NULL, rels_ok ? rels->n : 0,
						   &err))
				why = err.msg;
		} else {
			why = rels_err;
		}
		if (why)
			say(im, "%s: warning: relations from the text not stored: %s", where, why);
	}
	if (res == VB_PUT_INSERTED)
		im->inserted++;
	else if (res == VB_PUT_UPDATED)
		im->updated++;
	else
		im->unchanged++;
	vb_progress_step(&im->prog, 1);
	return 0;
}

/* ---- manifests -------------------------------------------------------- *
 *
 * A manifest goes through a pipeline (pipeline.h): its second thread reads
 * and parses the lines and prepares each document (prepare_document: no
 * database) while this thread stores the ones before it, in line order.
 * PostgreSQL's work and the parsing, text and relation extraction overlap
 * (docs/benchmarks.md, "Import, third round").  Messages travel with the
 * lines and are printed here, so the output is what one thread gave. */

#define MANIFEST_PIPE_DEPTH 4

/* One line of a manifest, as the second thread leaves it. */
typedef struct prepared {
	enum { P_DOC, P_REJECTED, P_BLANK } kind;
	int parsed;               /* doc holds the parsed line */
	char where[IMPORT_PATH_MAX + 32];
	char msg[VB_ERROR_MSG_MAX + IMPORT_PATH_MAX + 64]; /* P_REJECTED: why */
	vb_document doc;
	vb_text_relations rels;
	int rels_ok;
	char rels_err[VB_ERROR_MSG_MAX];
} prepared;

/* The second thread's state: it only reads the importer's source and
 * file store path. */
typedef struct manifest_reader {
	struct line_reader lr;
	const struct importer *im;
	const char *display;
	char base[IMPORT_PATH_MAX];
	long lineno;
	int failed;               /* a read error, in err */
	vb_error err;
} manifest_reader;

/* This thread's state. */
typedef struct manifest_writer {
	struct importer *im;
	struct pathset *refs;
} manifest_writer;

static void prepared_free(void *item, void *ud)
{
	prepared *p = item;

	(void)ud;
	vb_document_dispose(&p->doc);
	vb_text_relations_dispose(&p->rels);
	free(p);
}

static void *manifest_prepare_next(void *ud)
{
	manifest_reader *mr = ud;
	const char *line = NULL;
	size_t len = 0;
	int too_long, rc;
	prepared *p;
	vb_error err;

	if (mr->failed)
		return NULL;
	if ((rc = line_reader_next(&mr->lr, &line, &len, &too_long, &mr->err)) != 1) {
		mr->failed = rc < 0;
		return NULL;
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		mr->failed = 1;
		vb_error_set(&mr->err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	vb_document_init(&p->doc);
	vb_error_clear(&err);
	mr->lineno++;
	snprintf(p->where, sizeof(p->where), "%s:%ld", mr->display, mr->lineno);
	p->kind = P_REJECTED;
	if (too_long) {
		snprintf(p->msg, sizeof(p->msg), "line longer than %zu bytes",
			 (size_t)VB_MANIFEST_LINE_MAX);
		return p;
	}
	if (mr->lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
		line += 3;
		len -= 3;
	}
	if (vb_manifest_line_blank(line, len)) {
		p->kind = P_BLANK;
		return p;
	}
	if (vb_manifest_parse_line(line, len, mr->base, mr->im->source, &p->doc, &err)) {
		snprintf(p->msg, sizeof(p->msg), "%s", err.msg);
		return p;
	}
	p->parsed = 1;
	if (!prepare_document(mr->im->files_root, &p->doc, &p->rels, &p->rels_ok, p->rels_err,
			      sizeof(p->rels_err), p->msg, sizeof(p->msg)))
		p->kind = P_DOC;
	return p;
}

static int manifest_store(void *item, void *ud)
{
	manifest_writer *mw = ud;
	struct importer *im = mw->im;
	prepared *p = item;
	char real[PATH_MAX];

	for (size_t i = 0; p->parsed && mw->refs && i < p->doc.n_files; i++)
		if (realpath(p->doc.files[i].src_path, real) && pathset_add(mw->refs, real)) {
			say(im, "vanban import: out of memory");
			im->fatal = 1;
		}
	switch (p->kind) {
	case P_DOC:
		store_document(im, &p->doc, &p->rels, p->rels_ok, p->rels_err, p->where);
		break;
	case P_REJECTED:
		say(im, "%s: %s", p->where, p->msg);
		im->rejected++;
		vb_progress_step(&im->prog, 1);
		break;
	case P_BLANK:
		vb_progress_step(&im->prog, 1);
		break;
	}
	prepared_free(p, NULL);
	return im->fatal;
}

/* Import every line of the manifest at path; display names it in
 * messages.  Paths of the files that parsed lines reference are added to
 * refs (may be NULL). */
static void import_manifest(struct importer *im, const char *path, const char *display,
			    struct pathset *refs)
{
	manifest_reader mr;
	manifest_writer mw = { im, refs };
	vb_pipeline_ops ops = { manifest_prepare_next, manifest_store, prepared_free, &mr, &mw };

	memset(&mr, 0, sizeof(mr));
	vb_error_clear(&mr.err);
	mr.im = im;
	mr.display = display;
	dir_name(path, mr.base, sizeof(mr.base));
	if (line_reader_open(&mr.lr, path, VB_MANIFEST_LINE_MAX, &mr.err)) {
		say(im, "%s: %s", display, mr.err.msg);
		im->rejected++;
		return;
	}
	if (vb_pipeline_run(&ops, MANIFEST_PIPE_DEPTH)) {
		if (!im->fatal) { /* the pipeline itself could not start */
			say(im, "vanban import: out of memory");
			im->fatal = 1;
		}
	}
	if (mr.failed) {
		say(im, "%s: %s", display, mr.err.msg);
		im->rejected++;
	}
	line_reader_close(&mr.lr);
}

/* ---- single files ----------------------------------------------------- */

static int is_dash(const char *t)
{
	return !strcmp(t, "-") || !strcmp(t, "\xE2\x80\x93") || !strcmp(t, "\xE2\x80\x94");
}

static int token_numberish(const char *t)
{
	for (; *t; t++)
		if ((*t >= '0' && *t <= '9') || *t == '/' || *t == '-')
			return 1;
	return 0;
}

/* The document number from a "Số: 05/2023/QĐ-UBND" line among the first
 * lines of text, or NULL.  The value runs until two spaces, a tab or a word
 * that cannot be part of a number ("Quảng Ninh, ngày ..."). */
static char *find_number(const char *text)
{
	const char *p = text;
	int line;

	for (line = 0; *p && line < NUMBER_SCAN_LINES; line++) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *q = p, *end = p + n;

		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		/* "Số" is S + U+1ED1 (ố) or, upper case, U+1ED0 (Ố) */
		if (end - q > 4 && q[0] == 'S' && !memcmp(q + 1, "\xE1\xBB", 2) &&
		    (q[3] == '\x91' || q[3] == '\x90')) {
			const char *v = q + 4;
			char value[256], out[256], *tok, *save = NULL, *prev = NULL;
			size_t vl, used = 0;

			while (v < end && *v == ' ')
				v++;
			if (v < end && *v == ':') {
				v++;
				while (v < end && *v == ' ')
					v++;
				vl = (size_t)(end - v);
				if (vl >= sizeof(value))
					vl = sizeof(value) - 1;
				memcpy(value, v, vl);
				value[vl] = '\0';
				value[strcspn(value, "\t\r")] = '\0';
				if ((tok = strstr(value, "  ")))
					*tok = '\0';
				out[0] = '\0';
				for (tok = strtok_r(value, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
					int joined = prev && (prev[strlen(prev) - 1] == '/' ||
							      prev[strlen(prev) - 1] == '-' ||
							      is_dash(prev));

					if (prev && !joined && !token_numberish(tok) && !is_dash(tok))
						break;
					if (!prev && !token_numberish(tok))
						break;
					used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
								 prev ? " " : "", tok);
					if (used >= sizeof(out))
						break;
					prev = tok;
				}
				if (out[0] && used < sizeof(out)) {
					char *canon = vb_docnum_canonical(out);

					if (canon && strchr(canon, '/')) {
						free(canon);
						return strdup(out);
					}
					free(canon);
				}
			}
		}
		p = eol ? eol + 1 : end;
	}
	return NULL;
}

/* Import one file as a document of its own (source "file", source_id =
 * the SHA-256 of its bytes). */
static void import_single(struct importer *im, const char *path, const char *display)
{
	vb_document doc;
	vb_file *f;
	vb_error err;
	char *text = NULL, *mt = NULL, *name = NULL, *dot;
	const char *b = base_name(path), *shown = display_base(display);
	struct stat st;
	int rc;

	vb_document_init(&doc);
	vb_error_clear(&err);
	if (stat(path, &st) == 0 && st.st_size == 0) {
		say(im, "%s: file is empty", display);
		goto rejected;
	}
	if ((rc = vb_extract_text(path, NULL, &text, &mt, &err))) {
		say(im, "%s: %s", display, err.msg);
		goto rejected;
	}
	if (!(name = vb_text_normalize(*shown ? shown : b, strlen(*shown ? shown : b))))
		goto nomem;
	if (vb_strset(&doc.source, "file") || vb_strset(&doc.language, "vi") ||
	    vb_strset(&doc.status, VB_STATUS_UNKNOWN) || vb_strset(&doc.abstract, name))
		goto nomem;
	if ((dot = strrchr(doc.abstract, '.')) && dot != doc.abstract)
		*dot = '\0';
	doc.text = text;
	text = NULL;
	if ((doc.number = find_number(doc.text)))
		doc.number_canonical = vb_docnum_canonical(doc.number);
	if (!(f = vb_document_add_file(&doc)))
		goto nomem;
	f->name = name;
	name = NULL;
	f->media_type = mt;
	mt = NULL;
	if (!(f->src_path = strdup(path)))
		goto nomem;
	if ((rc = vb_filestore_put_path(im->files_root, path, IMPORT_MAX_FILE_BYTES,
					f->sha256, &f->size, &err))) {
		say(im, "%s: %s", display, err.msg);
		goto rejected;
	}
	if (vb_strset(&doc.source_id, f->sha256))
		goto nomem;
	store_document(im, &doc, NULL, 0, NULL, display);
	goto out;
nomem:
	say(im, "%s: out of memory", display);
rejected:
	im->rejected++;
	vb_progress_step(&im->prog, 1);
out:
	free(text);
	free(mt);
	free(name);
	vb_document_dispose(&doc);
}

/* ---- directories and archives ----------------------------------------- */

struct entry {
	char *path;   /* real path to open */
	char *rel;    /* relative to the walked directory */
};

struct entry_list {
	struct entry *v;
	size_t n, cap;
};

static void entry_list_dispose(struct entry_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].rel);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int skip_dotfiles(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int cmp_dirent(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* List the regular files below dir (sorted by name at each level, hidden
 * files skipped, symbolic links to directories not followed). */
static int collect(const char *dir, const char *rel, int depth, struct entry_list *l,
		   vb_error *err)
{
	struct dirent **names = NULL;
	int n, i, rc = 0;

	if (depth > IMPORT_MAX_DEPTH)
		return vb_error_set(err, VB_ETOOBIG, "directories nested deeper than %d at \"%s\"",
				    IMPORT_MAX_DEPTH, dir);
	if ((n = scandir(dir, &names, skip_dotfiles, cmp_dirent)) < 0)
		return vb_error_set(err, VB_EIO, "could not read directory \"%s\": %s",
				    dir, strerror(errno));
	for (i = 0; i < n; i++) {
		char path[IMPORT_PATH_MAX], r[IMPORT_PATH_MAX];
		struct stat lst, st;

		if (rc)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >= sizeof(path) ||
		    (size_t)snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "",
				     names[i]->d_name) >= sizeof(r)) {
			rc = vb_error_set(err, VB_ETOOBIG, "path too long in \"%s\"", dir);
			continue;
		}
		if (lstat(path, &lst) < 0 || stat(path, &st) < 0)
			continue; /* dangling link or vanished: nothing to import */
		if (S_ISDIR(st.st_mode)) {
			if (!S_ISLNK(lst.st_mode))
				rc = collect(path, r, depth + 1, l, err);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (l->n >= IMPORT_MAX_DIR_ENTRIES) {
			rc = vb_error_set(err, VB_ETOOBIG, "more than %d files below \"%s\"",
					  IMPORT_MAX_DIR_ENTRIES, dir);
			continue;
		}
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 64;
			struct entry *v = realloc(l->v, cap * sizeof(*v));

			if (!v) {
				rc = vb_error_set(err, VB_ENOMEM, "out of memory");
				continue;
			}
			l->v = v;
			l->cap = cap;
		}
		l->v[l->n].path = strdup(path);
		l->v[l->n].rel = strdup(r);
		if (!l->v[l->n].path || !l->v[l->n].rel) {
			free(l->v[l->n].path);
			free(l->v[l->n].rel);
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			continue;
		}
		l->n++;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Extensions a directory walk imports as single files; other files are
 * skipped (and reported when they look like documents we cannot read). */
static int single_file_kind(const char *name)
{
	static const char *const ok[] = { ".pdf", ".docx", ".odt", ".doc", ".rtf", ".html",
					  ".htm", ".xhtml", ".txt" };
	static const char *const unsupported[] = { ".wpd", ".xls",
						   ".xlsx", ".ppt", ".pptx" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ends_with(name, ok[i]))
			return 1;
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (ends_with(name, unsupported[i]))
			return -1;
	return 0;
}

static void import_archive(struct importer *im, const char *path, const char *display);

/* Import the directory dir: manifests first (sorted), then the other
 * files (sorted) except those the manifests reference.  Messages name
 * entries as prefix + relative path. */
static void import_dir(struct importer *im, const char *dir, const char *prefix)
{
	struct entry_list l = { 0 };
	struct pathset refs = { 0 };
	char disp[IMPORT_PATH_MAX * 2], real[PATH_MAX];
	vb_error err;
	size_t i;

	vb_error_clear(&err);
	if (collect(dir, "", 0, &l, &err)) {
		say(im, "%s: %s", prefix, err.msg);
		im->rejected++;
		/* what was listed before the problem is still imported */
	}
	for (i = 0; i < l.n && !im->fatal; i++) {
		if (!ends_with(l.v[i].rel, ".jsonl"))
			continue;
		snprintf(disp, sizeof(disp), "%s%s", prefix, l.v[i].rel);
		import_manifest(im, l.v[i].path, disp, &refs);
	}
	pathset_sort(&refs);
	for (i = 0; i < l.n && !im->fatal; i++) {
		const char *rel = l.v[i].rel;
		int kind;

		if (ends_with(rel, ".jsonl"))
			continue;
		if (realpath(l.v[i].path, real) && pathset_has(&refs, real))
			continue;
		snprintf(disp, sizeof(disp), "%s%s", prefix, rel);
		if (vb_archive_name_is_archive(rel)) {
			import_archive(im, l.v[i].path, disp);
			continue;
		}
		kind = single_file_kind(rel);
		if (kind > 0) {
			import_single(im, l.v[i].path, disp);
		} else if (kind < 0) {
			say(im, "%s: unsupported file type (not imported)", disp);
			im->rejected++;
		}
	}
	pathset_dispose(&refs);
	entry_list_dispose(&l);
}

struct reject_ctx {
	struct importer *im;
	const char *display;
};

static void archive_reject(const char *entry, const char *reason, void *ud)
{
	struct reject_ctx *rc = ud;

	say(rc->im, "%s!%s: %s", rc->display, entry, reason);
	rc->im->rejected++;
}

static void import_archive(struct importer *im, const char *path, const char *display)
{
	struct reject_ctx rctx = { im, display };
	char prefix[IMPORT_PATH_MAX + 2];
	char *dir = NULL;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (im->archive_depth > 0) {
		say(im, "%s: archives inside archives are not imported", display);
		im->rejected++;
		return;
	}
	rc = vb_archive_extract(path, &dir, archive_reject, &rctx, &err);
	if (rc) {
		say(im, "%s: %s", display, err.msg);
		im->rejected++;
	}
	if (dir) {
		snprintf(prefix, sizeof(prefix), "%s!", display);
		im->archive_depth++;
		import_dir(im, dir, prefix);
		im->archive_depth--;
		if (vb_archive_remove_dir(dir))
			say(im, "vanban import: could not remove temporary directory \"%s\"", dir);
		free(dir);
	}
}

/* One PATH argument. */
static void import_path(struct importer *im, const char *path)
{
	struct stat st;
	char prefix[IMPORT_PATH_MAX + 2];

	if (stat(path, &st) < 0) {
		say(im, "%s: %s", path, strerror(errno));
		im->rejected++;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);

		snprintf(prefix, sizeof(prefix), "%s%s", path, n && path[n - 1] == '/' ? "" : "/");
		import_dir(im, path, prefix);
	} else if (ends_with(path, ".jsonl")) {
		import_manifest(im, path, path, NULL);
	} else if (vb_archive_name_is_archive(path)) {
		import_archive(im, path, path);
	} else {
		import_single(im, path, path);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vanban import [--source NAME] [--quiet] PATH...\n\n"
		"PATH is a JSON Lines manifest (*.jsonl), a directory, a single file (PDF, DOCX,\n"
		"ODT, HTML, TXT) or an archive (.zip, .tar, .tar.gz, .tgz).\n"
		"  --source NAME   source of manifest records without a \"source\" key\n"
		"                  (default \"manifest\")\n"
		"  --quiet         no progress bar\n");
}

int vb_cmd_import(vb_config *cfg, int argc, char **argv)
{
	struct importer im;
	const char *source = "manifest";
	char **paths = NULL;
	int npaths = 0, quiet = 0, i, only_dashdash = 0, status = 0;
	double el;
	long total = 0, imported;
	vb_error err;

	memset(&im, 0, sizeof(im));
	vb_error_clear(&err);
	if (!(paths = calloc((size_t)argc + 1, sizeof(*paths)))) {
		fprintf(stderr, "vanban import: out of memory\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_dashdash || a[0] != '-' || !a[1]) {
			paths[npaths++] = argv[i];
		} else if (!strcmp(a, "--")) {
			only_dashdash = 1;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = 1;
		} else if (!strcmp(a, "--source") && i + 1 < argc) {
			source = argv[++i];
		} else if (!strncmp(a, "--source=", 9)) {
			source = a + 9;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(paths);
			return 0;
		} else {
			fprintf(stderr, "vanban import: unknown option \"%s\"\n", a);
			usage(stderr);
			free(paths);
			return 2;
		}
	}
	if (!*source || strlen(source) > 200) {
		fprintf(stderr, "vanban import: --source must be a non-empty name\n");
		free(paths);
		return 2;
	}
	if (!npaths) {
		usage(stderr);
		free(paths);
		return 2;
	}
	for (i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st) < 0) {
			fprintf(stderr, "vanban import: could not access \"%s\": %s\n",
				paths[i], strerror(errno));
			free(paths);
			return 2;
		}
	}
	im.source = source;
	if (vb_config_files_path(cfg, im.files_root, sizeof(im.files_root))) {
		fprintf(stderr, "vanban import: data directory path too long\n");
		free(paths);
		return 2;
	}
	if (vb_store_open(&im.st, cfg->db, &err)) {
		fprintf(stderr, "vanban import: could not connect to the database: %s\n", err.msg);
		free(paths);
		return 2;
	}
	vb_progress_init(&im.prog, !quiet && isatty(2));
	/* the total is known when every PATH is a manifest */
	for (i = 0; im.prog.enabled && i < npaths; i++) {
		long n = ends_with(paths[i], ".jsonl") ? count_lines(paths[i]) : -1;

		if (n < 0) {
			total = 0;
			break;
		}
		total += n;
	}
	vb_progress_set_total(&im.prog, total);

	for (i = 0; i < npaths && !im.fatal; i++)
		import_path(&im, paths[i]);

	vb_progress_clear(&im.prog);
	el = vb_progress_elapsed(&im.prog);
	imported = im.inserted + im.updated + im.unchanged;
	printf("imported %ld document%s (%ld new, %ld updated, %ld unchanged), rejected %ld, "
	       "in %.1f s (%.0f docs/s)\n",
	       imported, imported == 1 ? "" : "s", im.inserted, im.updated, im.unchanged,
	       im.rejected, el, el > 0 ? (double)imported / el : 0.0);
	fflush(stdout);
	if (im.fatal)
		status = 2;
	else if (im.rejected)
		status = 1;
	vb_store_free(im.st);
	free(paths);
	return status;
}
