/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of importers/pipeline.c: items are used in the order they were
 * made, at every depth; a stop asked by the consumer ends the run with its
 * value, every item made is either used or discarded (none lost, none
 * twice), and the producer is not asked for more once stopped; a slow
 * producer and a slow consumer both keep the order.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../importers/pipeline.h"
#include "tap.h"

typedef struct run {
	long next, made, limit;  /* producer: next value, items made, end */
	long used, discarded, expect;
	long stop_at;            /* consumer: stop (value 7) at this item, -1 never */
	int out_of_order;
	int slow_producer, slow_consumer;
} run;

static void nap(void)
{
	struct timespec ts = { 0, 200000 }; /* 0.2 ms */

	nanosleep(&ts, NULL);
}

static void *produce(void *ud)
{
	run *r = ud;
	long *item;

	if (r->next == r->limit || !(item = malloc(sizeof(*item))))
		return NULL;
	if (r->slow_producer)
		nap();
	*item = r->next++;
	r->made++;
	return item;
}

static int consume(void *p, void *ud)
{
	run *r = ud;
	long v = *(long *)p;

	free(p);
	if (r->slow_consumer)
		nap();
	if (v != r->expect)
		r->out_of_order = 1;
	r->expect = v + 1;
	r->used++;
	return v == r->stop_at ? 7 : 0;
}

static void discard(void *p, void *ud)
{
	run *r = ud;

	free(p);
	/* called by either thread: the producer for what it made after a stop */
	__atomic_add_fetch(&r->discarded, 1, __ATOMIC_RELAXED);
}

static int go(run *r, long limit, long stop_at, size_t depth)
{
	vb_pipeline_ops ops = { produce, consume, discard, r, r };

	memset(r, 0, sizeof(*r));
	r->limit = limit;
	r->stop_at = stop_at;
	return vb_pipeline_run(&ops, depth);
}

int main(void)
{
	static const size_t depths[] = { 1, 2, 4, 64 };
	run r;
	int rc;

	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		rc = go(&r, 5000, -1, depths[i]);
		tap_ok(rc == 0 && r.used == 5000 && r.made == 5000 && !r.discarded && !r.out_of_order,
		       "depth %zu: 5000 items used in order (rc %d, used %ld, made %ld, discarded %ld)",
		       depths[i], rc, r.used, r.made, r.discarded);
	}
	rc = go(&r, 0, -1, 4);
	tap_ok(rc == 0 && r.used == 0 && r.made == 0, "nothing to make: nothing used");

	rc = go(&r, 5000, 100, 4);
	tap_is_int(rc, 7, "a stop ends the run with the consumer's value");
	tap_ok(r.used == 101 && !r.out_of_order, "nothing is used after the stop (used %ld)", r.used);
	tap_ok(r.made == r.used + r.discarded,
	       "every item made is used or discarded (made %ld, used %ld, discarded %ld)", r.made,
	       r.used, r.discarded);
	tap_ok(r.made <= 101 + 4 + 1, "the producer stops soon after (made %ld, depth 4)", r.made);

	rc = go(&r, 5000, 0, 1);
	tap_ok(rc == 7 && r.used == 1 && r.made == r.used + r.discarded,
	       "a stop at the first item (used %ld, made %ld, discarded %ld)", r.used, r.made,
	       r.discarded);

	memset(&r, 0, sizeof(r));
	{
		vb_pipeline_ops ops = { produce, consume, discard, &r, &r };

		r.limit = 300;
		r.stop_at = -1;
		r.slow_producer = 1;
		rc = vb_pipeline_run(&ops, 2);
		tap_ok(rc == 0 && r.used == 300 && !r.out_of_order, "a slow producer: in order");
		memset(&r, 0, sizeof(r));
		r.limit = 300;
		r.stop_at = -1;
		r.slow_consumer = 1;
		rc = vb_pipeline_run(&ops, 2);
		tap_ok(rc == 0 && r.used == 300 && !r.out_of_order, "a slow consumer: in order");
	}
	return tap_done();
}
