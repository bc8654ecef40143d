/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL store against a real server (run by tests/store.sh, which
 * starts a throwaway cluster and exports VANBAN_DB): migrations, the
 * insert / unchanged / update cycle with its outbox jobs, rejected
 * documents leaving nothing behind, round trips of every field, batch
 * reads, the snapshot walk, LISTEN/NOTIFY wake-ups, the index lock and
 * reconnection.
 */
#include "document.h"
#include "sha256.h"
#include "store.h"
#include "tap.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *TEXT_A =
	"Điều 1. Phê duyệt Quy hoạch tỉnh Quảng Ninh thời kỳ 2021–2030, tầm nhìn đến năm 2050.\n"
	"Điều 2. Quyết định này có hiệu lực kể từ ngày ký.";

static void fill_doc(vb_document *d, const char *source_id, const char *issuer)
{
	vb_file *f;

	vb_document_init(d);
	vb_strset(&d->source, "test");
	vb_strset(&d->source_id, source_id);
	vb_strset(&d->number, "05/2023/QĐ-UBND");
	vb_strset(&d->number_canonical, "05/2023/qd-ubnd");
	vb_strset(&d->form, "Quyết định");
	vb_strset(&d->issuer, issuer);
	strcpy(d->issue_date, "2023-02-28");
	strcpy(d->effective_date, "2023-03-10");
	vb_strset(&d->abstract, "Ban hành Quy chế quản lý cổng thông tin điện tử tỉnh Quảng Ninh");
	vb_document_add_signer(d, "Nguyễn Tường Văn", "Chủ tịch");
	vb_document_add_signer(d, "Cao Tường Huy", NULL);
	vb_document_add_field(d, "Công nghệ thông tin");
	vb_document_add_field(d, "Bộ máy hành chính");
	vb_strset(&d->status, VB_STATUS_IN_FORCE);
	vb_strset(&d->category, "normative");
	vb_strset(&d->language, "vi");
	vb_strset(&d->text, TEXT_A);
	f = vb_document_add_file(d);
	vb_strset(&f->name, "QĐ 05-2023.pdf");
	vb_strset(&f->media_type, "application/pdf");
	vb_sha256_hex_of("%PDF-1.4 fake", 13, f->sha256);
	f->size = 13;
}

static int64_t pending(vb_store *st)
{
	int64_t n = -1;

	vb_store_outbox_pending(st, &n, NULL);
	return n;
}

static int64_t count_docs(vb_store *st)
{
	int64_t n = -1;

	vb_store_count_documents(st, &n, NULL);
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct walk {
	int n, ordered, with_text;
	int64_t last;
	int stop_after;
};

static int walk_cb(const vb_document *doc, void *ud)
{
	struct walk *w = ud;

	w->n++;
	if (doc->id <= w->last)
		w->ordered = 0;
	w->last = doc->id;
	if (doc->text && doc->source && doc->status)
		w->with_text++;
	if (w->stop_after && w->n == w->stop_after)
		return 7;
	return 0;
}

/* Expect put to fail with VB_EINVAL naming field, writing nothing. */
static void put_rejected(vb_store *st, vb_document *d, const char *field, const char *what)
{
	int64_t docs = count_docs(st), jobs = pending(st);
	enum vb_put_result r;
	vb_error err;
	int rc;

	vb_error_clear(&err);
	rc = vb_store_put_document(st, d, &r, &err);
	tap_is_int(rc, VB_EINVAL, "%s: VB_EINVAL", what);
	tap_ok(strstr(err.msg, field) != NULL, "%s: message names %s: %s", what, field, err.msg);
	tap_ok(count_docs(st) == docs && pending(st) == jobs, "%s: nothing written", what);
}

int main(void)
{
	const char *db = getenv("VANBAN_DB");
	const char *srcdir = getenv("VB_SRCDIR");
	vb_store *st = NULL, *st2 = NULL, *st3 = NULL;
	vb_document a, a2, b, c, got;
	enum vb_put_result r;
	vb_index_job jobs[100];
	size_t n, i;
	vb_error err;
	int applied = -1, rc, taken, found;
	int64_t id_a, id_c, ids[4];
	char *texts[4];
	char sqldir[4096], conninfo[4096];
	struct walk w;
	double t0;
	PGconn *admin;
	PGresult *res;

	if (!db || !*db) {
		printf("1..0 # SKIP VANBAN_DB is not set (run tests/store.sh)\n");
		return 0;
	}
	vb_error_clear(&err);
	vb_document_init(&got);
	rc = vb_store_open(&st, NULL, &err);
	tap_is_int(rc, 0, "open with VANBAN_DB");
	if (rc) {
		printf("# %s\n", err.msg);
		return tap_done();
	}
	tap_is_int(vb_store_open(&st2, db, &err), 0, "second connection");
	tap_ok(vb_store_open(&st3, "host=/nonexistent-dir dbname=x connect_timeout=2", &err) == VB_EDB &&
	       strstr(err.msg, "could not connect") != NULL, "bad conninfo: VB_EDB (%s)", err.msg);
	st3 = NULL;

	/* Migrations. */
	rc = vb_store_migrate(st, NULL, &applied, &err);
	tap_ok(rc == 0 && applied >= 1, "first migrate applies the built-in migrations (%d)", applied);
	if (rc)
		printf("# %s\n", err.msg);
	rc = vb_store_migrate(st2, NULL, &applied, &err);
	tap_ok(rc == 0 && applied == 0, "second migrate applies nothing");
	snprintf(sqldir, sizeof(sqldir), "%s/sql", srcdir ? srcdir : ".");
	rc = vb_store_migrate(st, sqldir, &applied, &err);
	tap_ok(rc == 0 && applied == 0, "migrate from the sql directory: up to date too");
	tap_is_int(vb_store_migrate(st, "/nonexistent-dir", &applied, &err), VB_EIO, "missing sql dir: VB_EIO");
	tap_is_int(vb_store_ping(st, &err), 0, "ping");

	/* Insert. */
	fill_doc(&a, "a1", "UBND tỉnh Quảng Ninh");
	rc = vb_store_put_document(st, &a, &r, &err);
	tap_is_int(rc, 0, "put a new document");
	if (rc)
		printf("# %s\n", err.msg);
	tap_is_int(r, VB_PUT_INSERTED, "result is INSERTED");
	tap_ok(a.id > 0, "id filled in");
	tap_is_int(a.version, 1, "version 1");
	tap_ok(a.created_at[0] && a.updated_at[0], "timestamps filled in (%s)", a.created_at);
	tap_is_int(pending(st), 1, "one outbox job");
	rc = vb_store_outbox_fetch(st, jobs, 100, &n, &err);
	tap_ok(rc == 0 && n == 1 && jobs[0].document_id == a.id, "the job is for the new document");
	id_a = a.id;

	/* Same again: unchanged. */
	fill_doc(&a2, "a1", "UBND tỉnh Quảng Ninh");
	rc = vb_store_put_document(st2, &a2, &r, &err);
	tap_ok(rc == 0 && r == VB_PUT_UNCHANGED, "same document again: UNCHANGED");
	tap_ok(a2.id == id_a && a2.version == 1, "unchanged: same id, version 1");
	tap_is_int(pending(st), 1, "unchanged: no new job");
	tap_is_int(count_docs(st), 1, "one document");

	/* Changed abstract: updated. */
	vb_strset(&a2.abstract, "Ban hành Quy chế (sửa đổi)");
	rc = vb_store_put_document(st2, &a2, &r, &err);
	tap_ok(rc == 0 && r == VB_PUT_UPDATED, "changed abstract: UPDATED");
	tap_ok(a2.id == id_a && a2.version == 2, "updated: same id, version 2 (%d)", a2.version);
	tap_is_int(pending(st), 2, "updated: a new job");
	/* A changed file list is a change too. */
	vb_sha256_hex_of("other", 5, a2.files[0].sha256);
	a2.files[0].size = 5;
	rc = vb_store_put_document(st2, &a2, &r, &err);
	tap_ok(rc == 0 && r == VB_PUT_UPDATED && a2.version == 3, "changed file: UPDATED version 3");

	/* Rejected documents. */
	fill_doc(&b, "b1", "Sở Tư pháp");
	vb_strset(&b.status, "bogus");
	put_rejected(st, &b, "status", "invalid status");
	vb_strset(&b.status, VB_STATUS_EXPIRED);
	vb_strset(&b.category, "law");
	put_rejected(st, &b, "category", "invalid category");
	vb_strset(&b.category, NULL);
	strcpy(b.issue_date, "2023-02-30");
	put_rejected(st, &b, "issue_date", "impossible date");
	strcpy(b.issue_date, "2023-02-01");
	strcpy(b.expiry_date, "2023-03-01");
	put_rejected(st, &b, "expiry_date", "expiry before effective date");
	b.expiry_date[0] = '\0';
	b.files[0].sha256[0] = '\0';
	put_rejected(st, &b, "files.sha256", "file not in the file store");
	vb_sha256_hex_of("b", 1, b.files[0].sha256);
	/* An existing document with a bad change keeps its old version. */
	vb_strset(&a2.status, "bogus");
	put_rejected(st, &a2, "status", "invalid status on update");
	vb_document_dispose(&got);
	rc = vb_store_get_document(st, id_a, 0, &got, &err);
	tap_ok(rc == 0 && got.version == 3 && !strcmp(got.status, "in_force"),
	       "rejected update left the stored document alone");
	vb_document_dispose(&got);
	rc = vb_store_put_document(st, &b, &r, &err);
	tap_ok(rc == 0 && r == VB_PUT_INSERTED, "document b stored once fixed");
	if (rc)
		printf("# %s\n", err.msg);

	/* Round trip. */
	rc = vb_store_get_document(st, id_a, 1, &got, &err);
	tap_is_int(rc, 0, "get document a");
	tap_is_str(got.source, "test", "source");
	tap_is_str(got.source_id, "a1", "source_id");
	tap_is_str(got.number, "05/2023/QĐ-UBND", "number as written");
	tap_is_str(got.number_canonical, "05/2023/qd-ubnd", "number_canonical");
	tap_is_str(got.form, "Quyết định", "form");
	tap_is_str(got.issuer, "UBND tỉnh Quảng Ninh", "issuer");
	tap_is_str(got.issue_date, "2023-02-28", "issue_date");
	tap_is_str(got.effective_date, "2023-03-10", "effective_date");
	tap_is_str(got.expiry_date, "", "expiry_date unknown");
	tap_is_str(got.abstract, "Ban hành Quy chế (sửa đổi)", "abstract");
	tap_is_str(got.status, "in_force", "status");
	tap_is_str(got.category, "normative", "category");
	tap_is_str(got.language, "vi", "language");
	tap_is_str(got.text, TEXT_A, "Vietnamese text intact");
	tap_is_int(got.n_signers, 2, "two signers");
	if (got.n_signers == 2) {
		tap_is_str(got.signers[0].name, "Nguyễn Tường Văn", "signer 1 name");
		tap_is_str(got.signers[0].title, "Chủ tịch", "signer 1 title");
		tap_is_str(got.signers[1].name, "Cao Tường Huy", "signer 2 name");
		tap_ok(got.signers[1].title == NULL, "signer 2 without title");
	}
	tap_is_int(got.n_fields, 2, "two fields");
	if (got.n_fields == 2) {
		tap_is_str(got.fields[0], "Công nghệ thông tin", "field 1");
		tap_is_str(got.fields[1], "Bộ máy hành chính", "field 2");
	}
	tap_is_int(got.n_files, 1, "one file");
	if (got.n_files == 1) {
		char want[65];

		vb_sha256_hex_of("other", 5, want);
		tap_is_str(got.files[0].name, "QĐ 05-2023.pdf", "file name");
		tap_is_str(got.files[0].media_type, "application/pdf", "file media type");
		tap_is_str(got.files[0].sha256, want, "file sha256");
		tap_is_int(got.files[0].size, 5, "file size");
	}
	tap_is_int(got.version, 3, "version");
	tap_ok(got.created_at[0] && strcmp(got.updated_at, got.created_at) >= 0, "timestamps");
	vb_document_dispose(&got);
	rc = vb_store_get_document(st, id_a, 0, &got, &err);
	tap_ok(rc == 0 && got.text == NULL && got.abstract, "without text: no text, metadata present");
	vb_document_dispose(&got);
	rc = vb_store_get_document(st, 999999, 1, &got, &err);
	tap_is_int(rc, VB_ENOTFOUND, "missing document: VB_ENOTFOUND");
	vb_document_dispose(&got);

	/* Numbers are not unique: same number, another issuer. */
	fill_doc(&c, "c1", "UBND huyện Vân Đồn");
	rc = vb_store_put_document(st, &c, &r, &err);
	tap_ok(rc == 0 && r == VB_PUT_INSERTED && c.id != id_a, "same number, another issuer: stored");
	id_c = c.id;
	tap_is_int(count_docs(st), 3, "three documents");

	/* Texts in one go. */
	ids[0] = id_c;
	ids[1] = 999999;
	ids[2] = id_a;
	ids[3] = id_a;
	rc = vb_store_get_texts(st, ids, 4, texts, &err);
	tap_is_int(rc, 0, "get_texts");
	tap_ok(texts[0] && !strcmp(texts[0], TEXT_A), "text of c");
	tap_ok(texts[1] == NULL, "missing id: NULL");
	tap_ok(texts[2] && texts[3] && !strcmp(texts[2], TEXT_A) && !strcmp(texts[3], TEXT_A),
	       "repeated id: text twice");
	for (i = 0; i < 4; i++)
		free(texts[i]);

	/* Walk. */
	memset(&w, 0, sizeof(w));
	w.ordered = 1;
	rc = vb_store_each_document(st, walk_cb, &w, &err);
	tap_ok(rc == 0 && w.n == 3 && w.ordered && w.with_text == 3,
	       "each_document visits every document in id order with text (%d)", w.n);
	memset(&w, 0, sizeof(w));
	w.ordered = 1;
	w.stop_after = 1;
	rc = vb_store_each_document(st, walk_cb, &w, &err);
	tap_ok(rc == 7 && w.n == 1, "a non-zero callback return stops the walk and is returned");
	tap_is_int(vb_store_ping(st, &err), 0, "connection usable after a stopped walk");

	/* Outbox. */
	tap_is_int(pending(st), 5, "five jobs pending: a three times, b, c; none for rejected puts");
	rc = vb_store_outbox_fetch(st, jobs, 2, &n, &err);
	tap_ok(rc == 0 && n == 2 && jobs[0].id < jobs[1].id, "fetch at most 2, oldest first");
	tap_is_int(vb_store_outbox_ack(st, jobs, n, &err), 0, "ack 2");
	tap_is_int(pending(st), 3, "three left");
	rc = vb_store_outbox_fetch(st, jobs, 100, &n, &err);
	tap_ok(rc == 0 && n == 3, "fetch the rest");
	found = 0;
	for (i = 0; i < n; i++)
		found += jobs[i].document_id == id_c;
	tap_is_int(found, 1, "the job of c is among them");
	vb_store_outbox_ack(st, jobs, n, &err);
	tap_is_int(pending(st), 0, "outbox empty");
	tap_is_int(vb_store_outbox_ack(st, jobs, 0, &err), 0, "ack of nothing");

	/* LISTEN / NOTIFY. */
	tap_is_int(vb_store_outbox_listen(st, &err), 0, "listen");
	vb_store_outbox_wait(st, 0, &err);
	t0 = now_s();
	rc = vb_store_outbox_wait(st, 300, &err);
	tap_ok(rc == 0 && now_s() - t0 >= 0.25, "wait without a change times out");
	vb_document_dispose(&c);
	fill_doc(&c, "d1", "Sở Xây dựng");
	rc = vb_store_put_document(st2, &c, &r, &err);
	tap_ok(rc == 0 && r == VB_PUT_INSERTED, "insert from a second connection");
	t0 = now_s();
	rc = vb_store_outbox_wait(st, 10000, &err);
	tap_ok(rc == 0 && now_s() - t0 < 5.0, "wait wakes up on the insert (%.3fs)", now_s() - t0);

	/* The same content twice in one document (e.g. a PDF attached twice). */
	{
		vb_document e;
		vb_file *f;

		fill_doc(&e, "e1", "Sở Tài chính");
		f = vb_document_add_file(&e);
		vb_strset(&f->name, "bản sao.pdf");
		vb_strset(&f->media_type, "application/pdf");
		memcpy(f->sha256, e.files[0].sha256, sizeof(f->sha256));
		f->size = e.files[0].size;
		rc = vb_store_put_document(st, &e, &r, &err);
		tap_ok(rc == 0 && r == VB_PUT_INSERTED, "one content attached twice: stored");
		if (rc)
			printf("# %s\n", err.msg);
		rc = vb_store_get_document(st, e.id, 0, &got, &err);
		tap_ok(rc == 0 && got.n_files == 2 && !strcmp(got.files[1].name, "bản sao.pdf"),
		       "both attachments read back in order");
		vb_document_dispose(&got);
		vb_document_dispose(&e);
	}

	/* Index lock. */
	rc = vb_store_index_lock_try(st, &taken, &err);
	tap_ok(rc == 0 && taken == 1, "first session takes the index lock");
	rc = vb_store_index_lock_try(st2, &taken, &err);
	tap_ok(rc == 0 && taken == 0, "second session cannot");
	tap_is_int(vb_store_index_unlock(st, &err), 0, "first releases it");
	rc = vb_store_index_lock_try(st2, &taken, &err);
	tap_ok(rc == 0 && taken == 1, "now the second takes it");
	tap_is_int(vb_store_index_unlock(st, &err), VB_EINVAL, "releasing a lock not held: VB_EINVAL");
	tap_is_int(vb_store_index_unlock(st2, &err), 0, "second releases it");
	tap_is_int(vb_store_index_lock(st, &err), 0, "blocking lock when free");
	tap_is_int(vb_store_index_unlock(st, &err), 0, "and release");

	/* Reconnect: kill the backend under a third connection. */
	snprintf(conninfo, sizeof(conninfo), "%s application_name=vb_ping_test", db);
	rc = vb_store_open(&st3, conninfo, &err);
	tap_is_int(rc, 0, "third connection");
	admin = PQconnectdb(db);
	res = PQexec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
		     " WHERE application_name = 'vb_ping_test'");
	tap_ok(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1, "backend terminated");
	PQclear(res);
	PQfinish(admin);
	rc = vb_store_ping(st3, &err);
	tap_is_int(rc, 0, "ping reconnects once after the connection was lost");
	if (rc)
		printf("# %s\n", err.msg);
	tap_is_int(count_docs(st3), 5, "reconnected connection works");

	vb_document_dispose(&a);
	vb_document_dispose(&a2);
	vb_document_dispose(&b);
	vb_document_dispose(&c);
	vb_store_free(st);
	vb_store_free(st2);
	vb_store_free(st3);
	vb_store_free(NULL);
	return tap_done();
}
