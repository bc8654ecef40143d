/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/bundle: documents and their original files as one ZIP (owned
 * by discovery).
 *
 *   ?ids=1,2,3                 those documents (1 to VB_BUNDLE_MAX_DOCS,
 *                              in that order; repeats dropped; an unknown id
 *                              is a 404 naming it)
 *   ?<the parameters of /api/v1/search>
 *                              the whole search result when it holds at
 *                              most VB_BUNDLE_MAX_DOCS documents (more: 413,
 *                              narrow the search); with page= or per_page=
 *                              only that page of it; an empty result gives
 *                              a ZIP with the manifests only
 *
 * The ZIP holds each document's files as "NUMBER - FILE NAME" (both made
 * safe as file names; "document-ID" without a number; " (2)" added to a
 * name already taken), and manifest.csv (UTF-8 with a byte order mark, one
 * row per file, a document without files gets one row) and manifest.json
 * beside them, with every field of the regulation: form, issuer, number,
 * issue / effective / expiry dates, abstract, status, signers, fields, the
 * page URL and each file's name in the ZIP, original name, size, media
 * type and SHA-256.
 *
 * Limits: VB_BUNDLE_MAX_DOCS documents (VANBAN_BUNDLE_MAX_DOCS lowers it),
 * VB_BUNDLE_MAX_FILES files, and VB_BUNDLE_MAX_BYTES bytes of files in all
 * (VANBAN_BUNDLE_MAX_BYTES lowers or raises it), checked before anything is
 * built: 413 with the limit.  A page (page= / per_page=) is never over the
 * document limit: per_page is at most 100.
 *
 * How it is sent: libzip builds the archive in a temporary file (TMPDIR,
 * default /tmp), which is opened, unlinked at once and streamed by MHD
 * from the descriptor (closed by MHD), so a bundle never sits in memory
 * and never outlives its request.  Files that are already compressed (PDF,
 * Office and OpenDocument formats, images, archives) are stored, the rest
 * deflated.
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "buf.h"
#include "document.h"
#include "filestore.h"
#include "log.h"

#define VB_BUNDLE_MAX_DOCS 100
#define VB_BUNDLE_MAX_FILES 1000
#define VB_BUNDLE_MAX_BYTES (512ll * 1024 * 1024)
#define VB_BUNDLE_NAME_MAX 180 /* bytes of one name in the ZIP */
#define SOURCE_LINE "Theo Cổng thông tin điện tử tỉnh Quảng Ninh"

typedef struct bundle {
	vb_document *docs;
	size_t n_docs;
	char **names;        /* name in the ZIP of each file, all documents in order */
	size_t n_names;
	int64_t bytes;
} bundle;

static void bundle_dispose(bundle *bd)
{
	size_t i;

	for (i = 0; i < bd->n_docs; i++)
		vb_document_dispose(&bd->docs[i]);
	free(bd->docs);
	for (i = 0; i < bd->n_names; i++)
		free(bd->names[i]);
	free(bd->names);
	memset(bd, 0, sizeof(*bd));
}

/* VB_BUNDLE_MAX_DOCS, or less with VANBAN_BUNDLE_MAX_DOCS (1-100). */
static size_t max_docs(void)
{
	const char *env = getenv("VANBAN_BUNDLE_MAX_DOCS");
	char *end;
	long v;

	if (!env || !*env)
		return VB_BUNDLE_MAX_DOCS;
	v = strtol(env, &end, 10);
	if (*end || v < 1 || v > VB_BUNDLE_MAX_DOCS)
		return VB_BUNDLE_MAX_DOCS;
	return (size_t)v;
}

static int64_t max_bytes(void)
{
	const char *env = getenv("VANBAN_BUNDLE_MAX_BYTES");
	char *end;
	long long v;

	if (!env || !*env)
		return VB_BUNDLE_MAX_BYTES;
	errno = 0;
	v = strtoll(env, &end, 10);
	if (errno || *end || v < 1)
		return VB_BUNDLE_MAX_BYTES;
	return (int64_t)v;
}

/* Append s made safe as one file name: no '/', '\\', control characters or
 * characters Windows refuses; no leading dot or space; at most max bytes
 * (cut at a character boundary). */
static int put_safe(vb_buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = b->len, n;
	int rc = 0;

	for (; *p && !rc; p++) {
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if (strchr("/\\:*?\"<>|", *p))
			rc = vb_buf_putc(b, *p == '/' ? '-' : '_');
		else if ((*p == '.' || *p == ' ') && b->len == start)
			continue;
		else
			rc = vb_buf_putc(b, (char)*p);
	}
	if (rc)
		return rc;
	n = b->len - start;
	if (n > max) {
		n = max;
		while (n && ((unsigned char)b->data[start + n] & 0xc0) == 0x80)
			n--;
		b->len = start + n;
		b->data[b->len] = '\0';
	}
	return 0;
}

static int name_taken(const bundle *bd, const char *name)
{
	size_t i;

	/* Without regard to ASCII case: Windows and macOS unpack "A.txt" and
	 * "a.txt" into one file. */
	if (!strcasecmp(name, "manifest.csv") || !strcasecmp(name, "manifest.json"))
		return 1;
	for (i = 0; i < bd->n_names; i++)
		if (!strcasecmp(bd->names[i], name))
			return 1;
	return 0;
}

/* Choose the names of every file in the ZIP; count the bytes. */
static int plan_names(bundle *bd, vb_error *err)
{
	size_t i, j, total = 0;
	vb_buf b;
	int rc = 0;

	for (i = 0; i < bd->n_docs; i++)
		total += bd->docs[i].n_files;
	if (total > VB_BUNDLE_MAX_FILES)
		return vb_error_set(err, VB_ETOOBIG,
				    "the documents have %zu files; a bundle holds at most %d", total,
				    VB_BUNDLE_MAX_FILES);
	if (total && !(bd->names = calloc(total, sizeof(char *))))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	vb_buf_init(&b, 1024);
	for (i = 0; i < bd->n_docs; i++) {
		const vb_document *d = &bd->docs[i];

		for (j = 0; j < d->n_files; j++) {
			size_t name_at, stem, k;
			const char *dot;
			char *full;

			vb_buf_reset(&b);
			if (d->number && *d->number)
				rc = put_safe(&b, d->number, 80);
			if (!rc && !b.len)
				rc = vb_buf_printf(&b, "document-%lld", (long long)d->id);
			if (!rc)
				rc = vb_buf_puts(&b, " - ");
			name_at = b.len;
			if (!rc)
				rc = put_safe(&b, d->files[j].name ? d->files[j].name : "file",
					      VB_BUNDLE_NAME_MAX - b.len);
			if (rc)
				goto fail;
			if (b.len == name_at && (rc = vb_buf_puts(&b, "file")))
				goto fail;
			/* " (2)" before the extension while the name is taken. */
			if (!(full = strdup(vb_buf_str(&b)))) {
				rc = VB_ENOMEM;
				goto fail;
			}
			dot = strrchr(full + name_at, '.');
			stem = dot && dot > full + name_at ? (size_t)(dot - full) : strlen(full);
			for (k = 2; !rc && name_taken(bd, vb_buf_str(&b)) && k < 100000; k++) {
				vb_buf_reset(&b);
				rc = vb_buf_append(&b, full, stem);
				if (!rc)
					rc = vb_buf_printf(&b, " (%zu)%s", k, full + stem);
			}
			free(full);
			if (rc)
				goto fail;
			if (!(bd->names[bd->n_names] = strdup(vb_buf_str(&b)))) {
				rc = VB_ENOMEM;
				goto fail;
			}
			bd->n_names++;
			bd->bytes += d->files[j].size;
		}
	}
	vb_buf_dispose(&b);
	return 0;
fail:
	vb_buf_dispose(&b);
	return vb_error_set(err, rc == VB_ETOOBIG ? VB_ETOOBIG : VB_ENOMEM, "out of memory");
}

/* ---- manifests ---- */

/* One quoted field.  A value a spreadsheet would run as a formula (it
 * starts with =, + or @) gets a leading apostrophe (OWASP's advice against
 * CSV injection); manifest.json keeps every value exactly. */
static int csv_field(vb_buf *b, const char *s, int last)
{
	const char *p = s ? s : "";
	int rc = vb_buf_putc(b, '"');

	if (!rc && (*p == '=' || *p == '+' || *p == '@'))
		rc = vb_buf_putc(b, '\'');
	for (; *p && !rc; p++)
		rc = *p == '"' ? vb_buf_puts(b, "\"\"") : vb_buf_putc(b, *p);
	if (!rc)
		rc = vb_buf_putc(b, '"');
	if (!rc)
		rc = vb_buf_puts(b, last ? "\r\n" : ",");
	return rc;
}

static int csv_join_signers(vb_buf *t, const vb_document *d)
{
	size_t i;
	int rc = 0;

	vb_buf_reset(t);
	for (i = 0; i < d->n_signers && !rc; i++) {
		rc = vb_buf_printf(t, "%s%s", i ? "; " : "", d->signers[i].name);
		if (!rc && d->signers[i].title && *d->signers[i].title)
			rc = vb_buf_printf(t, " (%s)", d->signers[i].title);
	}
	return rc;
}

static int csv_join_fields(vb_buf *t, const vb_document *d)
{
	size_t i;
	int rc = 0;

	vb_buf_reset(t);
	for (i = 0; i < d->n_fields && !rc; i++)
		rc = vb_buf_printf(t, "%s%s", i ? "; " : "", d->fields[i]);
	return rc;
}

static char *manifest_csv(const bundle *bd, const char *base, size_t *len)
{
	static const char *const head[] = { "id", "number", "form", "issuer", "issue_date",
		"effective_date", "expiry_date", "abstract", "status", "status_label", "signers",
		"fields", "url", "file", "original_name", "size", "media_type", "sha256" };
	vb_buf b, sig, fld;
	char num[32], url[VB_CONFIG_STR + 64];
	size_t i, j, k = 0, h;
	int rc;

	vb_buf_init(&b, 64u * 1024 * 1024);
	vb_buf_init(&sig, 64 * 1024);
	vb_buf_init(&fld, 64 * 1024);
	rc = vb_buf_puts(&b, "\xef\xbb\xbf"); /* BOM: spreadsheets read UTF-8 */
	for (h = 0; !rc && h < sizeof(head) / sizeof(head[0]); h++)
		rc = vb_buf_printf(&b, "%s%s", head[h],
				   h + 1 < sizeof(head) / sizeof(head[0]) ? "," : "\r\n");
	for (i = 0; !rc && i < bd->n_docs; i++) {
		const vb_document *d = &bd->docs[i];
		const char *status = d->status ? d->status : VB_STATUS_UNKNOWN;

		if ((rc = csv_join_signers(&sig, d)) || (rc = csv_join_fields(&fld, d)))
			break;
		snprintf(url, sizeof(url), "%s/documents/%lld", base, (long long)d->id);
		for (j = 0; !rc && (j < d->n_files || (j == 0 && d->n_files == 0)); j++) {
			const vb_file *f = d->n_files ? &d->files[j] : NULL;
			char size[32];

			snprintf(num, sizeof(num), "%lld", (long long)d->id);
			snprintf(size, sizeof(size), "%lld", f ? (long long)f->size : 0ll);
			if ((rc = csv_field(&b, num, 0)) || (rc = csv_field(&b, d->number, 0)) ||
			    (rc = csv_field(&b, d->form, 0)) || (rc = csv_field(&b, d->issuer, 0)) ||
			    (rc = csv_field(&b, d->issue_date, 0)) ||
			    (rc = csv_field(&b, d->effective_date, 0)) ||
			    (rc = csv_field(&b, d->expiry_date, 0)) ||
			    (rc = csv_field(&b, d->abstract, 0)) || (rc = csv_field(&b, status, 0)) ||
			    (rc = csv_field(&b, vb_status_label(status, "vi"), 0)) ||
			    (rc = csv_field(&b, vb_buf_str(&sig), 0)) ||
			    (rc = csv_field(&b, vb_buf_str(&fld), 0)) || (rc = csv_field(&b, url, 0)) ||
			    (rc = csv_field(&b, f ? bd->names[k] : "", 0)) ||
			    (rc = csv_field(&b, f ? f->name : "", 0)) ||
			    (rc = csv_field(&b, f ? size : "", 0)) ||
			    (rc = csv_field(&b, f ? f->media_type : "", 0)) ||
			    (rc = csv_field(&b, f ? f->sha256 : "", 1)))
				break;
			if (f)
				k++;
		}
	}
	vb_buf_dispose(&sig);
	vb_buf_dispose(&fld);
	if (rc) {
		vb_buf_dispose(&b);
		return NULL;
	}
	*len = b.len;
	return vb_buf_steal(&b);
}

static char *manifest_json(const bundle *bd, const char *base, size_t *len)
{
	json_t *o = json_object(), *docs = json_array();
	char url[VB_CONFIG_STR + 64], *s = NULL;
	size_t i, j, k = 0;

	if (!o || !docs) {
		json_decref(o);
		json_decref(docs);
		return NULL;
	}
	json_object_set_new(o, "source", json_string(SOURCE_LINE));
	json_object_set_new(o, "count", json_integer((json_int_t)bd->n_docs));
	json_object_set_new(o, "documents", docs);
	for (i = 0; i < bd->n_docs; i++) {
		const vb_document *d = &bd->docs[i];
		const char *status = d->status ? d->status : VB_STATUS_UNKNOWN;
		json_t *e = vb_document_to_json(d, 0), *files;

		if (!e)
			goto out;
		snprintf(url, sizeof(url), "%s/documents/%lld", base, (long long)d->id);
		json_object_set_new(e, "url", json_string(url));
		json_object_set_new(e, "status_label", json_string(vb_status_label(status, "vi")));
		files = json_object_get(e, "files");
		for (j = 0; j < d->n_files && j < json_array_size(files); j++) {
			json_t *f = json_array_get(files, j);

			json_object_set_new(f, "file", json_string(bd->names[k++]));
			json_object_set_new(f, "original_name",
					    json_string(d->files[j].name ? d->files[j].name : ""));
		}
		json_array_append_new(docs, e);
	}
	s = json_dumps(o, JSON_INDENT(1));
	if (s)
		*len = strlen(s);
out:
	json_decref(o);
	return s;
}

/* ---- the archive ---- */

static int stored_type(const char *mt)
{
	static const char *const packed[] = { "pdf", "zip", "openxmlformats", "opendocument",
		"image/", "compressed", "x-7z", "x-rar", "gzip", NULL };
	size_t i;

	for (i = 0; mt && packed[i]; i++)
		if (strstr(mt, packed[i]))
			return 1;
	return 0;
}

static int add_buffer(zip_t *za, const char *name, char *data, size_t len, vb_error *err)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 1);
	zip_int64_t idx;

	if (!src) {
		free(data);
		return vb_error_set(err, VB_ENOMEM, "could not add %s: %s", name, zip_strerror(za));
	}
	if ((idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return vb_error_set(err, VB_EIO, "could not add %s: %s", name, zip_strerror(za));
	}
	/* rw-r--r--, like the files taken from the store */
	zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
					 (zip_uint32_t)0100644 << 16);
	return 0;
}

/* Build the ZIP at path.  0 or VB_E*. */
static int build_zip(const vb_daemon *dm, const bundle *bd, const char *base, const char *path,
		     vb_error *err)
{
	char fpath[VB_CONFIG_STR + 128];
	zip_t *za;
	char *data;
	size_t i, j, k = 0, len = 0;
	int zerr = 0, rc = 0;
	struct stat sb;

	if (!(za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr)))
		return vb_error_set(err, VB_EIO, "could not create a bundle (libzip error %d)", zerr);
	for (i = 0; i < bd->n_docs; i++) {
		const vb_document *d = &bd->docs[i];

		for (j = 0; j < d->n_files; j++, k++) {
			const vb_file *f = &d->files[j];
			zip_source_t *src;
			zip_int64_t idx;

			if (vb_filestore_path(dm->files_path, f->sha256, fpath, sizeof(fpath)) ||
			    stat(fpath, &sb) || !S_ISREG(sb.st_mode)) {
				rc = vb_error_set(err, VB_EIO, "file %zu of document %lld is missing "
						  "from the file store", j, (long long)d->id);
				goto fail;
			}
			if (!(src = zip_source_file(za, fpath, 0, -1))) {
				rc = vb_error_set(err, VB_EIO, "could not add a file: %s",
						  zip_strerror(za));
				goto fail;
			}
			if ((idx = zip_file_add(za, bd->names[k], src, ZIP_FL_ENC_UTF_8)) < 0) {
				zip_source_free(src);
				rc = vb_error_set(err, VB_EIO, "could not add a file: %s",
						  zip_strerror(za));
				goto fail;
			}
			if (stored_type(f->media_type))
				zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
		}
	}
	if (!(data = manifest_csv(bd, base, &len))) {
		rc = vb_error_set(err, VB_ENOMEM, "could not write manifest.csv");
		goto fail;
	}
	if ((rc = add_buffer(za, "manifest.csv", data, len, err)))
		goto fail;
	if (!(data = manifest_json(bd, base, &len))) {
		rc = vb_error_set(err, VB_ENOMEM, "could not write manifest.json");
		goto fail;
	}
	if ((rc = add_buffer(za, "manifest.json", data, len, err)))
		goto fail;
	if (zip_close(za)) {
		rc = vb_error_set(err, VB_EIO, "could not write a bundle: %s", zip_strerror(za));
		goto fail;
	}
	return 0;
fail:
	zip_discard(za);
	return rc;
}

/* ---- choosing the documents ---- */

/* Parse "1,2,3" into ids (repeats dropped).  0 or a 4xx already sent. */
static int parse_ids(vb_request *rq, const char *s, int64_t *ids, size_t *n,
		     enum MHD_Result *ret)
{
	const char *p = s, *end;
	char msg[160];
	int64_t id;
	size_t i;

	*n = 0;
	while (1) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (vb_parse_id(p, (size_t)(end - p), &id)) {
			*ret = vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", "ids",
						  "ids must be document ids separated by commas");
			return 1;
		}
		for (i = 0; i < *n && ids[i] != id; i++)
			;
		if (i == *n) {
			if (*n == max_docs()) {
				snprintf(msg, sizeof(msg), "a bundle holds at most %zu documents",
					 max_docs());
				*ret = vb_http_send_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big",
							  "ids", msg);
				return 1;
			}
			ids[(*n)++] = id;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	return 0;
}

struct only_ids {
	const char *other;
};

static enum MHD_Result only_ids_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct only_ids *c = cls;

	if (key && strcmp(key, "ids")) {
		c->other = key;
		return MHD_NO;
	}
	return MHD_YES;
}

/* The ids of the search in the query string; 0 or a response sent. */
static int search_ids(vb_request *rq, int64_t *ids, size_t *n, enum MHD_Result *ret)
{
	vb_search_page sp;
	vb_param_error perr;
	vb_error err;
	char msg[200];
	size_t i;
	int rc, paged;

	vb_error_clear(&err);
	vb_search_page_init(&sp);
	*n = 0;
	if ((rc = vb_search_page_parse(rq, &sp, &perr))) {
		*ret = vb_search_send_param_error(rq, rc, &perr);
		goto sent;
	}
	paged = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "page") ||
		MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "per_page");
	if (!paged) {
		/* The whole result: the total says whether it is over the cap. */
		sp.params.req.offset = 0;
		sp.params.req.limit = VB_BUNDLE_MAX_DOCS;
	}
	sp.params.req.no_suggest = 1;
	sp.no_snippets = 1;
	if ((rc = vb_search_page_run(rq, &sp, &err))) {
		if (rc == VB_EAGAIN)
			*ret = vb_http_send_error(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
						  NULL, "the search index is not available yet");
		else
			*ret = vb_http_send_vb_error(rq, &err);
		goto sent;
	}
	if (!paged && sp.res.total > max_docs()) {
		snprintf(msg, sizeof(msg), "the search matches %zu documents; a bundle holds at "
			 "most %zu: narrow the search or choose a page", sp.res.total, max_docs());
		*ret = vb_http_send_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL, msg);
		goto sent;
	}
	for (i = 0; i < sp.res.n_hits && i < VB_BUNDLE_MAX_DOCS && (paged || i < max_docs());
	     i++)
		ids[(*n)++] = sp.res.hits[i].id;
	vb_search_page_dispose(&sp);
	return 0;
sent:
	vb_search_page_dispose(&sp);
	return 1;
}

enum MHD_Result vb_api_bundle(vb_request *rq)
{
	int64_t ids[VB_BUNDLE_MAX_DOCS];
	char base[VB_CONFIG_STR + 16], path[512], msg[200];
	const char *ids_s, *tmpdir;
	struct only_ids oi = { NULL };
	struct MHD_Response *resp;
	bundle bd;
	vb_store *st;
	vb_error err;
	enum MHD_Result ret;
	struct stat sb;
	size_t n = 0, i;
	int fd = -1, rc, made = 0;

	vb_error_clear(&err);
	memset(&bd, 0, sizeof(bd));
	path[0] = '\0';
	ids_s = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "ids");
	if (ids_s) {
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, only_ids_cb, &oi);
		if (oi.other) {
			char name[40];

			vb_params_key_shown(name, sizeof(name), oi.other);
			snprintf(msg, sizeof(msg), "ids cannot be combined with search parameters "
				 "(\"%s\")", name);
			ret = vb_http_send_error(rq, MHD_HTTP_BAD_REQUEST, "invalid", name, msg);
			goto out;
		}
		if (parse_ids(rq, ids_s, ids, &n, &ret))
			goto out;
	} else if (search_ids(rq, ids, &n, &ret)) {
		goto out;
	}
	if (n && !(bd.docs = calloc(n, sizeof(*bd.docs)))) {
		ret = MHD_NO;
		goto out;
	}
	if ((rc = vb_worker_store(rq->d, &st, &err))) {
		vb_worker_store_failed();
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		json_t *gone = NULL;

		if (vb_withdrawn_check(rq, ids[i], &gone)) { /* workflow: 410 naming it */
			json_decref(gone);
			snprintf(msg, sizeof(msg), "document %lld has been withdrawn", (long long)ids[i]);
			ret = vb_http_send_error(rq, MHD_HTTP_GONE, "withdrawn", ids_s ? "ids" : NULL, msg);
			goto out;
		}
		rc = vb_store_get_document(st, ids[i], 0, &bd.docs[bd.n_docs], &err);
		if (rc == VB_ENOTFOUND) {
			snprintf(msg, sizeof(msg), "document %lld does not exist", (long long)ids[i]);
			ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found",
						 ids_s ? "ids" : NULL, msg);
			goto out;
		}
		if (rc) {
			if (rc == VB_EDB)
				vb_worker_store_failed();
			ret = vb_http_send_vb_error(rq, &err);
			goto out;
		}
		bd.n_docs++;
	}
	if ((rc = plan_names(&bd, &err))) {
		ret = rc == VB_ETOOBIG ?
			vb_http_send_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL, err.msg) :
			vb_http_send_vb_error(rq, &err);
		goto out;
	}
	if (bd.bytes > max_bytes()) {
		snprintf(msg, sizeof(msg), "the files of these documents take %lld bytes; a bundle "
			 "holds at most %lld", (long long)bd.bytes, (long long)max_bytes());
		ret = vb_http_send_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_big", NULL, msg);
		goto out;
	}
	tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir || strlen(tmpdir) > 400)
		tmpdir = "/tmp";
	snprintf(path, sizeof(path), "%s/vanban-bundle-XXXXXX", tmpdir);
	if ((fd = mkstemp(path)) < 0) {
		vb_error_set(&err, VB_EIO, "could not create a temporary file in %s: %s", tmpdir,
			     strerror(errno));
		path[0] = '\0';
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	made = 1;
	close(fd);
	fd = -1;
	vb_public_base(rq, base, sizeof(base));
	if ((rc = build_zip(rq->d, &bd, base, path, &err))) {
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb)) {
		vb_error_set(&err, VB_EIO, "could not read the bundle: %s", strerror(errno));
		ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	unlink(path);
	made = 0;
	resp = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
	if (!resp) {
		ret = MHD_NO;
		goto out;
	}
	fd = -1; /* MHD closes it */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/zip");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
				"attachment; filename=\"vanban-bundle.zip\"");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	snprintf(msg, sizeof(msg), "%zu", bd.n_docs);
	MHD_add_response_header(resp, "X-Bundle-Documents", msg);
	rq->bytes = (int64_t)sb.st_size; /* access log */
	ret = vb_http_send(rq, MHD_HTTP_OK, resp);
out:
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(path);
	bundle_dispose(&bd);
	return ret;
}
