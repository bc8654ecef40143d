/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Abbreviations and synonyms for query expansion, read from a tab-separated
 * file that administrators can extend without a rebuild (data/synonyms.tsv,
 * installed to $(pkgdatadir); config key "synonyms").  Each non-blank line
 * that does not start with '#' is one group of equivalent spellings
 * separated by tabs: "UBND<TAB>Ủy ban nhân dân".  Every alternative is
 * split into words with the indexing tokeniser and folded (text.h), so a
 * group matches the query words whatever their case or diacritics
 * ("ubnd", "uy ban nhan dan", "Uỷ ban nhân dân").
 *
 * A vb_synonyms table is immutable once loaded, so one table may be read
 * by any number of threads.  vb_synonyms_shared() hands out a
 * reference-counted snapshot of a file that is reloaded when its mtime or
 * size changes (checked at most every few seconds), for long-running
 * processes.
 */
#ifndef VB_SYNONYMS_H
#define VB_SYNONYMS_H

#include <stddef.h>

#include "error.h"

#define VB_SYN_MAX_FILE (4u * 1024 * 1024) /* bytes of the file */
#define VB_SYN_MAX_GROUPS 20000
#define VB_SYN_MAX_ALTS 16                 /* alternatives per group */
#define VB_SYN_MAX_WORDS 12                /* words per alternative */

typedef struct vb_syn_alt {
	char **folded;    /* folded words */
	char **words;     /* the words as written (NFC) */
	size_t n;
	char *text;       /* the alternative as written, NFC */
} vb_syn_alt;

typedef struct vb_syn_group {
	vb_syn_alt *alts;
	size_t n;
} vb_syn_group;

typedef struct vb_synonyms vb_synonyms;

/* Parse len bytes of TSV text into a new table (*out; vb_synonyms_free).
 * Alternatives without any word are skipped, groups with fewer than two
 * alternatives are skipped.  VB_ETOOBIG past the limits above (naming the
 * line), VB_ENOMEM. */
int vb_synonyms_parse(vb_synonyms **out, const char *text, size_t len, vb_error *err);

/* Read and parse the file at path.  VB_EIO when it cannot be read. */
int vb_synonyms_load(vb_synonyms **out, const char *path, vb_error *err);

/* Drop a reference (tables from parse/load have one).  NULL is fine. */
void vb_synonyms_free(vb_synonyms *syn);

/* Number of groups. */
size_t vb_synonyms_count(const vb_synonyms *syn);

/* The group i (borrowed, valid while syn is). */
const vb_syn_group *vb_synonyms_group(const vb_synonyms *syn, size_t i);

/* The longest alternative that matches the folded words w[0..n-1] at their
 * start: returns the number of words matched (0 when none) and sets
 * *group and *alt to its group index and alternative index. */
size_t vb_synonyms_match(const vb_synonyms *syn, char *const *w, size_t n,
			 size_t *group, size_t *alt);

/* A process-wide shared table for path (NULL or "" = the default
 * $(pkgdatadir)/synonyms.tsv, or $VANBAN_SYNONYMS when set): loaded on
 * first use and reloaded when the file changed (mtime/size, looked at no
 * more often than every 2 seconds).  Returns a new reference (release
 * with vb_synonyms_free) or NULL when the file cannot be read or parsed
 * (a warning is logged once per change; searching goes on without
 * synonyms).  Thread-safe.  Only one path is cached: asking for another
 * path replaces it. */
vb_synonyms *vb_synonyms_shared(const char *path);

#endif
