/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The upstream sync engine (importers/sync.c): walks a source's list
 * pages newest first, fetches each record's pages and files, and stores
 * the documents with the store API, linking records that match a local
 * document of another source instead of duplicating them and putting
 * their disagreements on the review list.  Used by `vanban sync` and by
 * the daemon's schedule.  See docs/sync.md.
 */
#ifndef VB_SYNC_H
#define VB_SYNC_H

#include <stdio.h>

#include "error.h"
#include "store.h"

typedef struct vb_sync_opts {
	const char *source;       /* "vbpl" or "congbao" */
	const char *base_url;     /* HTTP(S) site, or */
	const char *mirror_dir;   /* a saved mirror */
	const char *list_path;    /* vbpl: list page path with "{page}"; congbao:
				     issues of a year with "{year}"; NULL: default */
	const char *item_path;    /* congbao: documents of an issue with "{unid}" */
	const char *files_root;   /* the file store (vb_config_files_path) */
	int window_days;          /* re-scan this many days before the checkpoint */
	int max_items;            /* stop after this many records (0: no limit) */
	int max_pages;            /* list pages (congbao: issues) read at most (0: 1000) */
	double min_interval;      /* seconds between requests */
	int retries, backoff_ms;
	long timeout;             /* seconds per request */
	FILE *log;                /* progress and per-record errors, or NULL */
	const volatile int *stop; /* when set (checked between records) the
				     run ends early, like a --max cut */
} vb_sync_opts;

/* Default list page of vbpl.vn (the central database, newest first). */
#define VB_SYNC_VBPL_LIST "/TW/Pages/vbpq-timkiem.aspx?type=0&s=1&Page={page}"
/* Default pages of a provincial gazette (Lotus Domino congbao.nsf): the
 * issues of a year, and the document list of one issue (the address of
 * the latter is not shown by the saved pages: configure it). */
#define VB_SYNC_CONGBAO_ISSUES \
	"/congbao.nsf/GazettesByYearMonth?OpenView&Start=1&Count=1000&RestrictToCategory={year}"
#define VB_SYNC_CONGBAO_ISSUE "/congbao.nsf/DocumentsByGazette?OpenAgent&ParentUNID={unid}"

/* Run one sync.  c gets the counts, *run_id the run.  0 when every
 * record went in (or was unchanged), 1 when some failed (the rest went
 * in), else a VB_E* code with err set (nothing could be done: lock held
 * by another sync -> VB_EAGAIN, list page unreachable, database). */
int vb_sync_run(vb_store *st, const vb_sync_opts *o, vb_sync_counts *c, int64_t *run_id,
		vb_error *err);

#endif
