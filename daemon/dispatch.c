/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The request queue between libmicrohttpd's threads and the workers.
 *
 * MHD's thread pool gives every connection to the thread that accepted
 * it, for as long as it lives.  With keep-alive that binding is for good:
 * two busy clients whose connections one thread accepted share that
 * thread while the other cores idle, and a slow search holds up every
 * request behind it on the same thread (bench/: two clients were no
 * faster than one).  So MHD's threads only read requests and write
 * responses; a GET or HEAD that reaches the routes is parked
 * (MHD_suspend_connection) and put on one queue, first in first out, that
 * cfg.threads workers take from.  A worker runs the route with the
 * connection parked: vb_http_send keeps the finished response in the
 * request (rq->deferred) instead of queueing it, then the worker resumes
 * the connection and MHD's thread, called again, queues it
 * (vb_dispatch_resumed).  The routes with their own access handler
 * (uploads, the JSON APIs, the staff forms) read their body on MHD's
 * threads; their last call, which does the work, comes here too (http.c
 * own_access), so an upload's OCR holds up no other connection.
 *
 * Each worker keeps its own database connection and Xapian reader
 * (worker.c), as MHD's threads did.  The queue holds at most one request
 * per connection, so it is bounded by VB_HTTP_CONNECTION_LIMIT.
 *
 * Stopping: vb_dispatch_stop refuses new work (the caller then answers
 * on MHD's thread), lets the workers finish what is queued, which resumes
 * every parked connection, and joins them; only then may MHD be stopped,
 * which refuses to stop with a connection still parked.
 */
#include "daemon.h"

#include <pthread.h>
#include <stdlib.h>

/* One worker: its thread and, while it is idle, the request handed to it. */
typedef struct worker {
	pthread_t thread;
	pthread_cond_t wake;
	vb_request *job;
	int listed; /* on the idle list */
	struct worker *next_idle;
} worker;

static struct {
	const vb_daemon *d;
	pthread_mutex_t lock;
	vb_request *head, *tail; /* waiting for a worker, oldest first */
	worker *idle;            /* the idle workers, the last one to finish first */
	worker *w;
	unsigned n;
	int running; /* accepting work */
	/* for /metrics (vb_dispatch_get_stats) */
	unsigned busy, queued;
	unsigned long long dispatched, waited;
} q = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* With q.lock: the request handed to w, else the oldest waiting, else NULL. */
static vb_request *take(worker *w)
{
	vb_request *rq = w->job;

	if (rq) {
		w->job = NULL;
	} else if ((rq = q.head)) {
		q.head = rq->dnext;
		if (!q.head)
			q.tail = NULL;
		q.queued--;
	}
	if (rq)
		rq->dnext = NULL;
	return rq;
}

static void listed_idle(worker *w)
{
	if (!w->listed && q.running) {
		w->next_idle = q.idle;
		q.idle = w;
		w->listed = 1;
	}
}

static void run(vb_request *rq)
{
	rq->deferred = 1; /* the response, if any, goes to rq->dresp */
	rq->dret = rq->droute(rq);
}

/* A request goes to the worker that finished last: its Xapian reader's
 * blocks and its database connection are the warmest, and at one client
 * one worker serves every request, as MHD's thread did.  So a worker goes
 * back on the idle list before it resumes the connection it served (once
 * resumed, the client's next request can be there within microseconds,
 * while this thread may have lost its core to MHD's).  Only when every
 * worker is busy does a request wait in the queue. */
static void *worker_main(void *arg)
{
	worker *w = arg;
	vb_request *rq, *done = NULL;
	vb_store *st;
	vb_xap_reader *r;
	vb_error err;

	/* Open this worker's connection and reader now rather than on its
	 * first request, which would otherwise pay for them under load (a
	 * worker rarely needed stays cold for long).  A failure is left to
	 * the first request, which tries again and answers it. */
	vb_worker_store(q.d, &st, &err);
	vb_worker_reader(q.d, &r, &err);
	pthread_mutex_lock(&q.lock);
	for (;;) {
		rq = take(w);
		if (!rq && done) {
			listed_idle(w);
			pthread_mutex_unlock(&q.lock);
			/* After this call the request belongs to MHD's thread. */
			MHD_resume_connection(done->conn);
			done = NULL;
			pthread_mutex_lock(&q.lock);
			continue;
		}
		if (!rq) {
			if (!q.running)
				break; /* stopping and nothing left */
			listed_idle(w);
			while (!w->job && q.running)
				pthread_cond_wait(&w->wake, &q.lock);
			continue;
		}
		q.busy++;
		pthread_mutex_unlock(&q.lock);
		if (done)
			MHD_resume_connection(done->conn);
		run(rq);
		done = rq;
		pthread_mutex_lock(&q.lock);
		q.busy--;
	}
	pthread_mutex_unlock(&q.lock);
	return NULL;
}

int vb_dispatch_start(const vb_daemon *d, unsigned workers, vb_error *err)
{
	unsigned i;

	q.d = d;
	if (!workers)
		return vb_error_set(err, VB_EINVAL, "at least one worker thread is needed");
	q.w = calloc(workers, sizeof(*q.w));
	if (!q.w)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	q.running = 1;
	for (i = 0; i < workers; i++) {
		pthread_cond_init(&q.w[i].wake, NULL);
		if (pthread_create(&q.w[i].thread, NULL, worker_main, &q.w[i])) {
			pthread_cond_destroy(&q.w[i].wake);
			q.n = i;
			vb_dispatch_stop();
			return vb_error_set(err, VB_EIO, "could not start worker thread %u", i + 1);
		}
	}
	q.n = workers;
	return 0;
}

void vb_dispatch_stop(void)
{
	worker *w;
	unsigned i;

	pthread_mutex_lock(&q.lock);
	q.running = 0;
	for (w = q.idle; w; w = w->next_idle) {
		w->listed = 0;
		pthread_cond_signal(&w->wake);
	}
	q.idle = NULL;
	pthread_mutex_unlock(&q.lock);
	for (i = 0; i < q.n; i++) {
		pthread_join(q.w[i].thread, NULL);
		pthread_cond_destroy(&q.w[i].wake);
	}
	free(q.w);
	q.w = NULL;
	q.n = 0;
}

int vb_dispatch_submit(vb_request *rq, enum MHD_Result (*route)(vb_request *))
{
	worker *w;

	pthread_mutex_lock(&q.lock);
	if (!q.running) {
		pthread_mutex_unlock(&q.lock);
		return 0;
	}
	/* Parked before it is handed on: a worker may resume it at once. */
	MHD_suspend_connection(rq->conn);
	rq->droute = route;
	rq->dnext = NULL;
	q.dispatched++;
	if ((w = q.idle)) {
		q.idle = w->next_idle;
		w->listed = 0;
		w->job = rq;
		pthread_cond_signal(&w->wake);
	} else {
		if (q.tail)
			q.tail->dnext = rq;
		else
			q.head = rq;
		q.tail = rq;
		q.queued++;
		q.waited++;
	}
	pthread_mutex_unlock(&q.lock);
	return 1;
}

enum MHD_Result vb_dispatch_resumed(vb_request *rq)
{
	struct MHD_Response *resp = rq->dresp;
	enum MHD_Result ret;

	rq->deferred = 0;
	rq->dresp = NULL;
	if (!resp)
		return rq->dret;
	ret = MHD_queue_response(rq->conn, rq->dstatus, resp);
	MHD_destroy_response(resp);
	return ret == MHD_YES ? rq->dret : MHD_NO;
}

void vb_dispatch_get_stats(vb_dispatch_stats *out)
{
	pthread_mutex_lock(&q.lock);
	out->workers = q.n;
	out->busy = q.busy;
	out->queued = q.queued;
	out->dispatched = q.dispatched;
	out->waited = q.waited;
	pthread_mutex_unlock(&q.lock);
}
