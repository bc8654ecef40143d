/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Directories and archives for `vanban import`: a directory is walked in
 * sorted order (hidden files skipped, links to directories not followed),
 * its manifests imported first, then its other files except those the
 * manifests reference (the path set), each as a single file or an
 * archive; an archive is unpacked by archive.c into a private temporary
 * directory, imported like a directory and removed.
 */
#include "import_int.h"

#include "archive.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMPORT_MAX_DIR_ENTRIES 1000000 /* files listed per directory PATH */
#define IMPORT_MAX_DEPTH 32            /* directory nesting */

/* ---- path set --------------------------------------------------------- */

/* A sorted list of paths (files referenced by manifests). */
struct pathset {
	char **v;
	size_t n, cap;
};

int import_pathset_add(struct pathset *s, const char *p)
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

void import_dir(struct importer *im, const char *dir, const char *prefix)
{
	struct entry_list l = { 0 };
	struct pathset refs = { 0 };
	char disp[IMPORT_PATH_MAX * 2], real[PATH_MAX];
	vb_error err;
	size_t i;

	vb_error_clear(&err);
	if (collect(dir, "", 0, &l, &err)) {
		import_say(im, "%s: %s", prefix, err.msg);
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
			import_say(im, "%s: unsupported file type (not imported)", disp);
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

	import_say(rc->im, "%s!%s: %s", rc->display, entry, reason);
	rc->im->rejected++;
}

void import_archive(struct importer *im, const char *path, const char *display)
{
	struct reject_ctx rctx = { im, display };
	char prefix[IMPORT_PATH_MAX + 2];
	char *dir = NULL;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	if (im->archive_depth > 0) {
		import_say(im, "%s: archives inside archives are not imported", display);
		im->rejected++;
		return;
	}
	rc = vb_archive_extract(path, &dir, archive_reject, &rctx, &err);
	if (rc) {
		import_say(im, "%s: %s", display, err.msg);
		im->rejected++;
	}
	if (dir) {
		snprintf(prefix, sizeof(prefix), "%s!", display);
		im->archive_depth++;
		import_dir(im, dir, prefix);
		im->archive_depth--;
		if (vb_archive_remove_dir(dir))
			import_say(im, "vanban import: could not remove temporary directory \"%s\"",
				   dir);
		free(dir);
	}
}
