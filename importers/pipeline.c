/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two-stage pipeline of pipeline.h: a ring of depth item pointers
 * under one mutex, a condition for "room" and one for "an item or the
 * end".
 */
#include "pipeline.h"

#include "error.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct ring {
	pthread_mutex_t lock;
	pthread_cond_t room, ready;
	void **v;
	size_t cap, head, n;
	int done;         /* the producer has returned NULL */
	int stop;         /* the consumer asked to stop (atomic: read unlocked) */
	const vb_pipeline_ops *ops;
} ring;

static void *producer_main(void *arg)
{
	ring *r = arg;

	for (;;) {
		void *item = __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE) ?
				     NULL : r->ops->produce(r->ops->produce_ud);

		pthread_mutex_lock(&r->lock);
		while (item && r->n == r->cap && !r->stop)
			pthread_cond_wait(&r->room, &r->lock);
		if (item && r->stop) {
			pthread_mutex_unlock(&r->lock);
			r->ops->discard(item, r->ops->consume_ud);
			item = NULL;
			pthread_mutex_lock(&r->lock);
		}
		if (!item) {
			r->done = 1;
			pthread_cond_signal(&r->ready);
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		r->v[(r->head + r->n) % r->cap] = item;
		r->n++;
		pthread_cond_signal(&r->ready);
		pthread_mutex_unlock(&r->lock);
	}
}

/* Both stages in turn on this thread. */
static int run_inline(const vb_pipeline_ops *ops)
{
	void *item;
	int rc = 0;

	while (!rc && (item = ops->produce(ops->produce_ud)))
		rc = ops->consume(item, ops->consume_ud);
	return rc;
}

int vb_pipeline_run(const vb_pipeline_ops *ops, size_t depth)
{
	ring r = { .cap = depth ? depth : 1, .ops = ops };
	pthread_t th;
	int rc = 0;

	if (!(r.v = calloc(r.cap, sizeof(*r.v))))
		return VB_ENOMEM;
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.room, NULL);
	pthread_cond_init(&r.ready, NULL);
	if (pthread_create(&th, NULL, producer_main, &r)) {
		rc = run_inline(ops);
		goto out;
	}
	for (;;) {
		void *item;

		pthread_mutex_lock(&r.lock);
		while (!r.n && !r.done)
			pthread_cond_wait(&r.ready, &r.lock);
		if (!r.n) { /* done and drained */
			pthread_mutex_unlock(&r.lock);
			break;
		}
		item = r.v[r.head];
		r.head = (r.head + 1) % r.cap;
		r.n--;
		pthread_cond_signal(&r.room);
		pthread_mutex_unlock(&r.lock);
		if (rc) {
			ops->discard(item, ops->consume_ud);
			continue;
		}
		if ((rc = ops->consume(item, ops->consume_ud))) {
			pthread_mutex_lock(&r.lock);
			__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
			pthread_cond_signal(&r.room);
			pthread_mutex_unlock(&r.lock);
		}
	}
	pthread_join(th, NULL);
out:
	pthread_cond_destroy(&r.ready);
	pthread_cond_destroy(&r.room);
	pthread_mutex_destroy(&r.lock);
	free(r.v);
	return rc;
}
