/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manifests of `vanban import`: JSON Lines files, one document per
 * line (lib/manifest.h), imported in line order through a pipeline
 * (pipeline.h) whose second thread reads, parses and prepares the next
 * lines while the command's thread stores the ones before them.  Also the
 * line count behind the progress bar's ETA.
 *
 * Manifests are split on '\n' only, by our own bounded line reader: U+0085
 * (NEL) occurs inside JSON strings in real data, and a reader that splits
 * on Unicode line breaks would cut those records in two.
 */
#include "import_int.h"
#include "pipeline.h"

#include "error.h"
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)1 << 20)

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

long import_count_lines(const char *path)
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

/* ---- manifests -------------------------------------------------------- *
 *
 * A manifest goes through a pipeline (pipeline.h): its second thread reads
 * and parses the lines and prepares each document (import_prepare_document:
 * no database) while this thread stores the ones before it, in line order.
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
	if (!import_prepare_document(mr->im->files_root, &p->doc, &p->rels, &p->rels_ok,
				     p->rels_err, sizeof(p->rels_err), p->msg, sizeof(p->msg)))
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
		if (realpath(p->doc.files[i].src_path, real) &&
		    import_pathset_add(mw->refs, real)) {
			import_say(im, "vanban import: out of memory");
			im->fatal = 1;
		}
	switch (p->kind) {
	case P_DOC:
		import_store_document(im, &p->doc, &p->rels, p->rels_ok, p->rels_err, p->where);
		break;
	case P_REJECTED:
		import_say(im, "%s: %s", p->where, p->msg);
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

void import_manifest(struct importer *im, const char *path, const char *display,
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
		import_say(im, "%s: %s", display, mr.err.msg);
		im->rejected++;
		return;
	}
	if (vb_pipeline_run(&ops, MANIFEST_PIPE_DEPTH)) {
		if (!im->fatal) { /* the pipeline itself could not start */
			import_say(im, "vanban import: out of memory");
			im->fatal = 1;
		}
	}
	if (mr.failed) {
		import_say(im, "%s: %s", display, mr.err.msg);
		im->rejected++;
	}
	line_reader_close(&mr.lr);
}
