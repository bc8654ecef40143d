/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox of index jobs in the PostgreSQL store (part of store.c,
 * contract in store.h): fetching and acknowledging jobs, counting the
 * pending ones, and listening for and waiting on their notifications.
 */
#include "store.h"
#include "store_int.h"
#include "buf.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define VB_OUTBOX_FETCH_MAX 100000

/* ---- outbox ---------------------------------------------------------- */

int vb_store_outbox_fetch(vb_store *st, vb_index_job *jobs, size_t max,
			  size_t *n, vb_error *err)
{
	PGresult *res = NULL;
	char lim[32], m[VB_ERROR_MSG_MAX];
	const char *p[1];
	int rc = 0, r;

	*n = 0;
	if (!max)
		return 0;
	if (max > VB_OUTBOX_FETCH_MAX)
		max = VB_OUTBOX_FETCH_MAX;
	snprintf(lim, sizeof(lim), "%zu", max);
	p[0] = lim;
	res = store_q(st, "SELECT id, document_id FROM index_outbox ORDER BY id LIMIT $1::integer", 1, p);
	if (!store_res_ok(res)) {
		rc = vb_error_set(err, VB_EDB, "could not read index jobs: %s",
				  store_pg_message(st->conn, res, m, sizeof(m)));
		goto out;
	}
	for (r = 0; r < PQntuples(res) && (size_t)r < max; r++) {
		jobs[r].id = store_get_i64(res, r, 0);
		jobs[r].document_id = store_get_i64(res, r, 1);
	}
	*n = (size_t)r;
out:
	PQclear(res);
	return rc;
}

int vb_store_outbox_ack(vb_store *st, const vb_index_job *jobs, size_t n,
			vb_error *err)
{
	const char *p[1];
	int64_t *ids = NULL;
	vb_buf b;
	size_t i;
	int rc = 0;

	vb_buf_init(&b, 32 * (size_t)VB_OUTBOX_FETCH_MAX);
	if (!n)
		goto out;
	if (!(ids = malloc(n * sizeof(*ids)))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		ids[i] = jobs[i].id;
	if ((rc = store_id_array(&b, ids, n))) {
		vb_error_set(err, rc, rc == VB_ETOOBIG ? "too many index jobs at once" : "out of memory");
		goto out;
	}
	p[0] = vb_buf_str(&b);
	rc = store_q_cmd(st, "DELETE FROM index_outbox WHERE id = ANY($1::bigint[])", 1, p,
			 "remove applied index jobs", err);
out:
	free(ids);
	vb_buf_dispose(&b);
	return rc;
}

int vb_store_outbox_pending(vb_store *st, int64_t *n, vb_error *err)
{
	return store_count_query(st, "SELECT count(*) FROM index_outbox", "index jobs", n, err);
}

int vb_store_outbox_listen(vb_store *st, vb_error *err)
{
	return store_listen_now(st, err);
}

/* Drop queued notifications; 1 if there were any. */
static int drain_notifies(vb_store *st)
{
	PGnotify *nt;
	int got = 0;

	while ((nt = PQnotifies(st->conn))) {
		got = 1;
		PQfreemem(nt);
	}
	return got;
}

int vb_store_outbox_wait(vb_store *st, int timeout_ms, vb_error *err)
{
	char m[VB_ERROR_MSG_MAX];
	struct pollfd pfd;
	int rc;

	if (!st->listening && (rc = store_listen_now(st, err)))
		return rc;
	if (!PQconsumeInput(st->conn))
		goto fail;
	if (drain_notifies(st))
		return 0;
	pfd.fd = PQsocket(st->conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		goto fail;
	rc = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (rc < 0 && errno != EINTR)
		return vb_error_set(err, VB_EDB, "could not wait for index jobs: %s", strerror(errno));
	if (rc > 0) {
		if (!PQconsumeInput(st->conn))
			goto fail;
		drain_notifies(st);
	}
	return 0;
fail:
	return vb_error_set(err, VB_EDB, "could not wait for index jobs: %s",
			    store_pg_message(st->conn, NULL, m, sizeof(m)));
}
