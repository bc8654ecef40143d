/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The relations a text states (relation_text.h).
 */
#include "relation_text.h"

#include <stdlib.h>
#include <string.h>

#define SENTENCE_MAX 600

/* The line of m->text around [start, end) (the sentence a citation came
 * from), at most SENTENCE_MAX bytes cut at character boundaries; a new
 * string or NULL. */
static char *sentence_of(const vb_meta *m, size_t start, size_t end)
{
	const char *t = m->text;
	size_t a = start, b = end;
	char *s;

	if (!t || start > end || end > m->text_len)
		return NULL;
	while (a > 0 && t[a - 1] != '\n' && start - a < SENTENCE_MAX / 3)
		a--;
	while (b < m->text_len && t[b] != '\n' && b - a < SENTENCE_MAX)
		b++;
	while (a < start && ((unsigned char)t[a] & 0xC0) == 0x80)
		a++;
	while (b > end && b < m->text_len && ((unsigned char)t[b] & 0xC0) == 0x80)
		b--;
	if (!(s = malloc(b - a + 1)))
		return NULL;
	memcpy(s, t + a, b - a);
	s[b - a] = '\0';
	return s;
}

static int refs_add(vb_relation_in *v, char **keep, size_t *n, size_t max, const vb_meta *m,
		    const vb_meta_refs *refs, const char *type)
{
	size_t i;

	for (i = 0; i < refs->n && *n < max; i++) {
		const vb_meta_ref *r = &refs->items[i];
		vb_relation_in *x = &v[*n];

		if (!r->number || !*r->number)
			continue; /* laws cited by name only: not identifiable enough */
		memset(x, 0, sizeof(*x));
		x->type = type;
		x->target_number = r->number;
		x->target_date = r->date;
		x->target_title = NULL;
		x->origin = VB_REL_ORIGIN_TEXT;
		keep[*n] = sentence_of(m, r->start, r->end);
		x->evidence = keep[*n] ? keep[*n] : r->text;
		if (x->evidence && strlen(x->evidence) > VB_REL_EVIDENCE_MAX)
			x->evidence = NULL;
		if (vb_relation_check(x, VB_REL_ORIGIN_TEXT, NULL)) {
			x->target_date = NULL; /* a malformed date is not worth losing the number */
			if (vb_relation_check(x, VB_REL_ORIGIN_TEXT, NULL)) {
				free(keep[*n]);
				keep[*n] = NULL;
				continue;
			}
		}
		(*n)++;
	}
	return 0;
}

int vb_text_relations_extract(const char *text, vb_text_relations *out, vb_error *err)
{
	vb_meta *m = &out->m;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = vb_meta_extract(text, strlen(text), m, err)))
		return rc;
	out->max = m->replaces.n + m->repeals.n + m->amends.n + m->bases.n;
	if (out->max > VB_REL_MAX)
		out->max = VB_REL_MAX;
	if (out->max && (!(out->v = calloc(out->max, sizeof(*out->v))) ||
			 !(out->keep = calloc(out->max, sizeof(*out->keep)))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	refs_add(out->v, out->keep, &out->n, out->max, m, &m->replaces, VB_REL_REPLACES);
	refs_add(out->v, out->keep, &out->n, out->max, m, &m->repeals, VB_REL_REPEALS);
	refs_add(out->v, out->keep, &out->n, out->max, m, &m->amends, VB_REL_AMENDS);
	refs_add(out->v, out->keep, &out->n, out->max, m, &m->bases, VB_REL_BASED_ON);
	return 0;
}

void vb_text_relations_dispose(vb_text_relations *r)
{
	for (size_t i = 0; r->keep && i < r->max; i++)
		free(r->keep[i]);
	free(r->keep);
	free(r->v);
	vb_meta_dispose(&r->m);
	memset(r, 0, sizeof(*r));
}
