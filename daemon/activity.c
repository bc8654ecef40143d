/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage counters of vanband for the yearly report, off the request path:
 * a search, a document view or a download adds one to an in-memory
 * counter (a mutex held for a hash look-up, no I/O), and a background
 * thread moves the counters to PostgreSQL every activity_flush_seconds
 * (lib/store_activity.c: upserts of daily rows, one transaction per
 * flush).  What is counted: per day, portal and language the searches,
 * those that found nothing and the sum of their result counts; per
 * normalised query text (vb_report_normalize_query) the same; per day,
 * portal and document the views and downloads.  Never an IP address, a
 * user agent, a token or a time finer than the day.
 *
 * Memory is bounded: at most ACT_MAX_ENTRIES distinct rows wait between
 * two flushes; beyond that a count is dropped (counted in /metrics as
 * vanban_activity_dropped_total).  Two tables alternate: the flusher swaps
 * them under the lock and writes the full one without it.  A flush that
 * fails (database away) is dropped and counted, and so is whatever was
 * still buffered when the process is killed: the report may miss a few
 * seconds of usage, the service never waits for it.  On a clean stop the
 * last counts are flushed.  The flusher also deletes query texts older
 * than activity_query_days, at start and then every hour.
 */
#include "daemon.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "report.h"

#define ACT_MAX_ENTRIES 4096
#define ACT_SLOTS (2 * ACT_MAX_ENTRIES) /* power of two, load <= 0.5 */
#define ACT_PORTAL_MAX VB_PORTAL_ID_MAX
#define ACT_LANG_MAX 16
#define ACT_PURGE_EVERY 3600 /* seconds */

enum act_kind { ACT_TOTALS = 1, ACT_QUERY, ACT_DOC };

typedef struct act_entry {
	unsigned char kind;       /* 0: free slot */
	char day[11];
	char portal[ACT_PORTAL_MAX + 1];
	char lang[ACT_LANG_MAX + 1];
	char query[VB_ACTIVITY_QUERY_MAX + 1];
	int64_t doc;
	int64_t a, b, c;          /* searches, zero, results / views, downloads */
} act_entry;

typedef struct act_table {
	act_entry *slots;         /* ACT_SLOTS */
	size_t used;
} act_table;

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	act_table tables[2];
	int active;               /* the table requests write into */
	int running, stop;
	int interval;             /* seconds */
	int query_days;
	pthread_t thread;
	const vb_daemon *d;
} act = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static _Atomic unsigned long long n_searches, n_zero, n_views, n_downloads, n_dropped,
	n_flushes, n_flush_failed, n_buffered;

static uint64_t hash_key(const act_entry *e)
{
	uint64_t h = 1469598103934665603ull;
	const char *parts[4] = { e->day, e->portal, e->lang, e->query };
	size_t i;
	const char *p;

	h = (h ^ e->kind) * 1099511628211ull;
	for (i = 0; i < 4; i++) {
		for (p = parts[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		h = (h ^ 0xff) * 1099511628211ull;
	}
	return (h ^ (uint64_t)e->doc) * 1099511628211ull;
}

static int same_key(const act_entry *a, const act_entry *b)
{
	return a->kind == b->kind && a->doc == b->doc && !strcmp(a->day, b->day) &&
	       !strcmp(a->portal, b->portal) && !strcmp(a->lang, b->lang) &&
	       !strcmp(a->query, b->query);
}

/* Add k's counts to its row of the active table (lock held).  0, or -1
 * when the table is full. */
static int table_add(act_table *t, const act_entry *k)
{
	size_t i = (size_t)(hash_key(k) & (ACT_SLOTS - 1));
	act_entry *e;

	for (;;) {
		e = &t->slots[i];
		if (!e->kind)
			break;
		if (same_key(e, k)) {
			e->a += k->a;
			e->b += k->b;
			e->c += k->c;
			return 0;
		}
		i = (i + 1) & (ACT_SLOTS - 1);
	}
	if (t->used >= ACT_MAX_ENTRIES)
		return -1;
	*e = *k;
	t->used++;
	atomic_fetch_add_explicit(&n_buffered, 1, memory_order_relaxed);
	return 0;
}

static void fill_key(act_entry *k, enum act_kind kind, const char *portal)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(k, 0, sizeof(*k));
	k->kind = (unsigned char)kind;
	localtime_r(&now, &tm);
	strftime(k->day, sizeof(k->day), "%Y-%m-%d", &tm);
	snprintf(k->portal, sizeof(k->portal), "%s", portal ? portal : "");
}

/* Add k to the active table; nothing when the flusher is not running
 * (stopping, or recording off). */
static void record(const act_entry *k)
{
	int full = 0;

	pthread_mutex_lock(&act.lock);
	if (act.running)
		full = table_add(&act.tables[act.active], k);
	pthread_mutex_unlock(&act.lock);
	if (full)
		atomic_fetch_add_explicit(&n_dropped, 1, memory_order_relaxed);
}

void vb_activity_count_search(const char *portal, const char *language, const char *q, size_t total)
{
	act_entry k;
	char norm[VB_ACTIVITY_QUERY_MAX + 1];

	atomic_fetch_add_explicit(&n_searches, 1, memory_order_relaxed);
	if (!total)
		atomic_fetch_add_explicit(&n_zero, 1, memory_order_relaxed);
	if (!act.interval)
		return;
	fill_key(&k, ACT_TOTALS, portal);
	snprintf(k.lang, sizeof(k.lang), "%s", language && *language ? language : "vi");
	k.a = 1;
	k.b = total ? 0 : 1;
	k.c = (int64_t)total;
	record(&k);
	if (vb_report_normalize_query(q, norm, sizeof(norm))) {
		k.kind = ACT_QUERY;
		memcpy(k.query, norm, sizeof(norm));
		k.c = 0;
		record(&k);
	}
}

static void record_doc(const char *portal, int64_t id, int download)
{
	act_entry k;

	atomic_fetch_add_explicit(download ? &n_downloads : &n_views, 1, memory_order_relaxed);
	if (!act.interval)
		return;
	fill_key(&k, ACT_DOC, portal);
	k.doc = id;
	k.a = download ? 0 : 1;
	k.b = download ? 1 : 0;
	record(&k);
}

void vb_activity_count_view(const char *portal, int64_t document_id)
{
	record_doc(portal, document_id, 0);
}

void vb_activity_count_download(const char *portal, int64_t document_id)
{
	record_doc(portal, document_id, 1);
}

/* ---- the flusher ------------------------------------------------------- */

/* Write table t to the store and empty it (without the lock: only the
 * flusher touches the inactive table). */
static void flush_table(vb_store **st, act_table *t)
{
	vb_activity_search *s = NULL;
	vb_activity_doc *dv = NULL;
	size_t i, ns = 0, nd = 0, used = t->used;
	vb_error err;
	int rc;

	if (!used)
		return;
	vb_error_clear(&err);
	s = calloc(used, sizeof(*s));
	dv = calloc(used, sizeof(*dv));
	if (!s || !dv) {
		rc = vb_error_set(&err, VB_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < ACT_SLOTS; i++) {
		const act_entry *e = &t->slots[i];

		if (e->kind == ACT_DOC) {
			memcpy(dv[nd].day, e->day, sizeof(dv[nd].day));
			dv[nd].portal = e->portal;
			dv[nd].document_id = e->doc;
			dv[nd].views = e->a;
			dv[nd].downloads = e->b;
			nd++;
		} else if (e->kind) {
			memcpy(s[ns].day, e->day, sizeof(s[ns].day));
			s[ns].portal = e->portal;
			s[ns].language = e->lang;
			s[ns].query = e->kind == ACT_QUERY ? e->query : NULL;
			s[ns].searches = e->a;
			s[ns].zero_results = e->b;
			s[ns].results = e->c;
			ns++;
		}
	}
	rc = 0;
	if (!*st)
		rc = vb_store_open(st, act.d->cfg.db, &err);
	if (!rc)
		rc = vb_store_activity_add(*st, s, ns, dv, nd, &err);
	if (rc == VB_EDB) {
		vb_store_free(*st);
		*st = NULL;
	}
done:
	if (rc) {
		vb_warn("activity: %zu usage row(s) lost: %s", used, err.msg);
		atomic_fetch_add_explicit(&n_flush_failed, 1, memory_order_relaxed);
	} else {
		atomic_fetch_add_explicit(&n_flushes, 1, memory_order_relaxed);
	}
	free(s);
	free(dv);
	memset(t->slots, 0, ACT_SLOTS * sizeof(*t->slots));
	t->used = 0;
	atomic_fetch_sub_explicit(&n_buffered, used, memory_order_relaxed);
}

static void purge(vb_store **st)
{
	vb_error err;
	int64_t n = 0;
	int rc = 0;

	vb_error_clear(&err);
	if (!*st)
		rc = vb_store_open(st, act.d->cfg.db, &err);
	if (!rc)
		rc = vb_store_activity_purge(*st, act.query_days, &n, &err);
	if (rc) {
		vb_warn("activity: could not purge old query texts: %s", err.msg);
		if (rc == VB_EDB) {
			vb_store_free(*st);
			*st = NULL;
		}
	} else if (n) {
		vb_info("activity: deleted %lld query text row(s) older than %d days", (long long)n,
			act.query_days);
	}
}

static void *flusher_main(void *arg)
{
	vb_store *st = NULL;
	time_t last_purge = 0;
	int stop;

	(void)arg;
	for (;;) {
		struct timespec until;
		act_table *full;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += act.interval;
		pthread_mutex_lock(&act.lock);
		while (!act.stop &&
		       pthread_cond_timedwait(&act.wake, &act.lock, &until) != ETIMEDOUT)
			;
		stop = act.stop;
		full = &act.tables[act.active];
		act.active = !act.active;
		pthread_mutex_unlock(&act.lock);
		flush_table(&st, full);
		if (time(NULL) - last_purge >= ACT_PURGE_EVERY) {
			purge(&st);
			last_purge = time(NULL);
		}
		if (stop)
			break;
	}
	vb_store_free(st);
	return NULL;
}

int vb_activity_start(const vb_daemon *d, vb_error *err)
{
	int i;

	act.d = d;
	act.interval = d->cfg.activity_flush_seconds;
	act.query_days = d->cfg.activity_query_days > 0 ? d->cfg.activity_query_days : 90;
	if (!act.interval)
		return 0; /* recording off */
	for (i = 0; i < 2; i++) {
		act.tables[i].slots = calloc(ACT_SLOTS, sizeof(act_entry));
		act.tables[i].used = 0;
		if (!act.tables[i].slots) {
			free(act.tables[0].slots);
			act.tables[0].slots = NULL;
			act.interval = 0;
			return vb_error_set(err, VB_ENOMEM, "out of memory for the usage counters");
		}
	}
	pthread_mutex_lock(&act.lock);
	act.stop = 0;
	act.active = 0;
	act.running = 1;
	pthread_mutex_unlock(&act.lock);
	if (pthread_create(&act.thread, NULL, flusher_main, NULL)) {
		pthread_mutex_lock(&act.lock);
		act.running = 0;
		pthread_mutex_unlock(&act.lock);
		act.interval = 0;
		return vb_error_set(err, VB_EIO, "could not start the usage counter thread");
	}
	return 0;
}

void vb_activity_stop(void)
{
	int i;

	pthread_mutex_lock(&act.lock);
	if (!act.running) {
		pthread_mutex_unlock(&act.lock);
		return;
	}
	act.stop = 1;
	pthread_cond_signal(&act.wake);
	pthread_mutex_unlock(&act.lock);
	pthread_join(act.thread, NULL);
	/* Counts that came after the flusher's last swap (the HTTP server is
	 * normally stopped before this is called): one more flush. */
	pthread_mutex_lock(&act.lock);
	act.running = 0;
	pthread_mutex_unlock(&act.lock);
	{
		vb_store *st = NULL;

		flush_table(&st, &act.tables[act.active]);
		vb_store_free(st);
	}
	for (i = 0; i < 2; i++) {
		free(act.tables[i].slots);
		act.tables[i].slots = NULL;
	}
}

void vb_activity_stats_get(vb_activity_stats *out)
{
	out->searches = atomic_load_explicit(&n_searches, memory_order_relaxed);
	out->zero_results = atomic_load_explicit(&n_zero, memory_order_relaxed);
	out->views = atomic_load_explicit(&n_views, memory_order_relaxed);
	out->downloads = atomic_load_explicit(&n_downloads, memory_order_relaxed);
	out->dropped = atomic_load_explicit(&n_dropped, memory_order_relaxed);
	out->flushes = atomic_load_explicit(&n_flushes, memory_order_relaxed);
	out->flush_failures = atomic_load_explicit(&n_flush_failed, memory_order_relaxed);
	out->buffered = atomic_load_explicit(&n_buffered, memory_order_relaxed);
}
