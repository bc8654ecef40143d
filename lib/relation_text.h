/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relations a document's text states (docs/relations.md): the
 * documents it replaces, repeals, amends and is based on, found by
 * vb_meta_extract, as relation inputs of origin "text" with the sentence
 * each came from as evidence.  No database: the importer works them out
 * while the previous document is being stored;
 * vb_store_relations_from_text stores them.
 */
#ifndef VB_RELATION_TEXT_H
#define VB_RELATION_TEXT_H

#include <stddef.h>

#include "error.h"
#include "meta.h"
#include "relation.h"

typedef struct vb_text_relations {
	vb_relation_in *v; /* n relations, at most VB_REL_MAX; they point into m and keep */
	size_t n;
	vb_meta m;
	char **keep;       /* max evidence sentences (or NULL) */
	size_t max;
} vb_text_relations;

/* Fill out (disposed by vb_text_relations_dispose, also after an error)
 * from text (normalised UTF-8, NUL-terminated).  0 or VB_ENOMEM. */
int vb_text_relations_extract(const char *text, vb_text_relations *out, vb_error *err);
void vb_text_relations_dispose(vb_text_relations *r);

#endif
