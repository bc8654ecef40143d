/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A two-stage pipeline in order: a second thread makes items (produce)
 * while the calling thread uses them (consume), one at a time, in the
 * order they were made, with at most depth items made and not yet used.
 * The importer prepares the next documents of a manifest (parsing, text
 * extraction, relations from the text: no database) while it stores the
 * previous ones, so PostgreSQL's work and its own overlap.
 */
#ifndef VB_PIPELINE_H
#define VB_PIPELINE_H

#include <stddef.h>

typedef struct vb_pipeline_ops {
	/* On the second thread: the next item, or NULL at the end.  Not
	 * called again once consume asked to stop. */
	void *(*produce)(void *ud);
	/* On the calling thread, in order: use item (and free it).  Nonzero
	 * stops the pipeline: the items made after it are given to discard. */
	int (*consume)(void *item, void *ud);
	void (*discard)(void *item, void *ud);
	void *produce_ud, *consume_ud;
} vb_pipeline_ops;

/* Run until produce returns NULL (0) or consume stops it (its value).
 * Without a second thread (pthread_create failed), runs both stages in
 * turn on the calling thread.  VB_ENOMEM when depth items cannot be
 * queued. */
int vb_pipeline_run(const vb_pipeline_ops *ops, size_t depth);

#endif
