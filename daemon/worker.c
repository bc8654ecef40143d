/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Per-thread resources of the HTTP workers: each worker thread (dispatch.c),
 * and each of MHD's threads that answers a request refused at its start, gets its
 * own PostgreSQL connection and its own Xapian reader (neither is
 * thread-safe), opened lazily on first use and released by a thread-key
 * destructor when the thread ends.  The reader is refreshed before every
 * search so that the indexer's new commits and a swapped DATA/index
 * symlink (after `vanban reindex`) are seen without a restart.
 */
#include "daemon.h"

#include <pthread.h>
#include <stdlib.h>

#include "log.h"

typedef struct vb_worker {
	vb_store *store;
	vb_xap_reader *reader;
} vb_worker;

static pthread_key_t worker_key;
static int worker_key_ok;

static void worker_free(void *p)
{
	vb_worker *w = p;

	if (!w)
		return;
	vb_store_free(w->store);
	vb_xap_reader_free(w->reader);
	free(w);
}

int vb_worker_setup(void)
{
	if (worker_key_ok)
		return 0;
	if (pthread_key_create(&worker_key, worker_free))
		return VB_ENOMEM;
	worker_key_ok = 1;
	return 0;
}

void vb_worker_teardown(void)
{
	vb_worker *w;

	if (!worker_key_ok)
		return;
	/* The calling thread's own resources (if it served anything). */
	w = pthread_getspecific(worker_key);
	pthread_setspecific(worker_key, NULL);
	worker_free(w);
	pthread_key_delete(worker_key);
	worker_key_ok = 0;
}

static vb_worker *worker_get(vb_error *err)
{
	vb_worker *w = pthread_getspecific(worker_key);

	if (w)
		return w;
	w = calloc(1, sizeof(*w));
	if (!w) {
		vb_error_set(err, VB_ENOMEM, "out of memory");
		return NULL;
	}
	if (pthread_setspecific(worker_key, w)) {
		free(w);
		vb_error_set(err, VB_ENOMEM, "could not set thread data");
		return NULL;
	}
	return w;
}

int vb_worker_store(const vb_daemon *d, vb_store **out, vb_error *err)
{
	vb_worker *w = worker_get(err);
	int rc;

	*out = NULL;
	if (!w)
		return VB_ENOMEM;
	if (!w->store && (rc = vb_store_open(&w->store, d->cfg.db, err))) {
		w->store = NULL;
		return rc;
	}
	*out = w->store;
	return 0;
}

void vb_worker_store_failed(void)
{
	vb_worker *w = pthread_getspecific(worker_key);

	if (w && w->store) {
		vb_store_free(w->store);
		w->store = NULL;
	}
}

int vb_worker_reader(const vb_daemon *d, vb_xap_reader **out, vb_error *err)
{
	vb_worker *w = worker_get(err);
	vb_error rerr;
	int rc;

	*out = NULL;
	if (!w)
		return VB_ENOMEM;
	if (!w->reader) {
		if ((rc = vb_xap_reader_open(&w->reader, d->index_path, err))) {
			w->reader = NULL;
			vb_error_set(err, VB_EAGAIN, "search index is not available");
			return VB_EAGAIN;
		}
	} else if (vb_xap_reader_refresh(w->reader, &rerr)) {
		/* Keep answering from what the reader had. */
		vb_warn("could not refresh the search index: %s", rerr.msg);
	}
	*out = w->reader;
	return 0;
}
