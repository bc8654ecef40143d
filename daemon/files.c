/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET|HEAD /api/v1/documents/{id}/files/{index}: an original file streamed
 * from the content-addressed file store (MHD sends it from the descriptor,
 * with sendfile where it can).  The SHA-256 is the strong ETag
 * (If-None-Match -> 304); a single byte range is honoured (206 with
 * Content-Range, 416 when unsatisfiable; several ranges get the whole
 * file); Content-Disposition carries an ASCII fallback name and the UTF-8
 * name per RFC 6266 / RFC 5987.
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "document.h"
#include "filestore.h"
#include "log.h"

/* Content-Disposition for name: attachment; filename="ascii";
 * filename*=UTF-8''pct-encoded. */
static int content_disposition(vb_buf *b, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int rc = vb_buf_puts(b, "attachment; filename=\"");

	if (!name || !*name)
		name = "file";
	for (p = (const unsigned char *)name; *p && !rc; p++) {
		if (*p >= 0x80) {
			/* One '_' per non-ASCII character, not per byte. */
			if ((*p & 0xc0) != 0x80)
				rc = vb_buf_putc(b, '_');
		} else if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' ||
			   *p == '/' || *p == '%') {
			rc = vb_buf_putc(b, '_');
		} else {
			rc = vb_buf_putc(b, (char)*p);
		}
	}
	if (!rc)
		rc = vb_buf_puts(b, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)name; *p && !rc; p++) {
		/* attr-char of RFC 5987. */
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p))
			rc = vb_buf_putc(b, (char)*p);
		else
			rc = vb_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	return rc;
}

/* Whether an If-None-Match header value matches etag (quoted). */
static int etag_matches(const char *header, const char *etag)
{
	const char *p = header;
	size_t n = strlen(etag);

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' ||
					     p[n] == '\t'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

enum range_kind { RANGE_NONE, RANGE_ONE, RANGE_BAD };

/* Parse a Range header against size: "bytes=a-b", "bytes=a-", "bytes=-n".
 * Several ranges or another unit: RANGE_NONE (send the whole file). */
static enum range_kind parse_range(const char *h, int64_t size, int64_t *from, int64_t *to)
{
	const char *p;
	char *end;
	long long a = -1, b = -1;

	if (!h || strncmp(h, "bytes=", 6))
		return RANGE_NONE;
	p = h + 6;
	while (*p == ' ')
		p++;
	if (strchr(p, ','))
		return RANGE_NONE;
	if (*p == '-') {
		errno = 0;
		b = strtoll(p + 1, &end, 10);
		if (errno || end == p + 1 || *end || b < 0)
			return RANGE_NONE;
		if (b == 0 || size == 0)
			return RANGE_BAD;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return RANGE_ONE;
	}
	errno = 0;
	a = strtoll(p, &end, 10);
	if (errno || end == p || *end != '-' || a < 0)
		return RANGE_NONE;
	p = end + 1;
	if (*p) {
		errno = 0;
		b = strtoll(p, &end, 10);
		if (errno || end == p || *end || b < a)
			return RANGE_NONE;
	}
	if (a >= size)
		return RANGE_BAD;
	*from = a;
	*to = (b < 0 || b >= size) ? size - 1 : b;
	return RANGE_ONE;
}

enum MHD_Result vb_api_file(vb_request *rq, int64_t id, const char *index_s)
{
	vb_document doc;
	json_t *gone = NULL;
	vb_store *st;
	vb_error err;
	vb_buf cd;
	struct MHD_Response *resp = NULL;
	const vb_file *f;
	const char *h;
	char path[VB_CONFIG_STR + 128], etag[72], crange[96];
	int64_t idx = 0, from = 0, to = 0, size;
	struct stat sb;
	enum range_kind rk;
	enum MHD_Result ret;
	int fd = -1, rc;

	vb_error_clear(&err);
	vb_document_init(&doc);
	vb_buf_init(&cd, 4096);
	if (!strcmp(index_s, "0"))
		idx = 0;
	else if (vb_parse_id(index_s, strlen(index_s), &idx)) {
		ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such file");
		goto out;
	}
	if (vb_withdrawn_check(rq, id, &gone)) { /* workflow: 410 with the reason */
		ret = vb_withdrawn_send_json(rq, gone);
		goto out;
	}
	if ((rc = vb_worker_store(rq->d, &st, &err)) ||
	    (rc = vb_store_get_document(st, id, 0, &doc, &err))) {
		if (rc == VB_EDB)
			vb_worker_store_failed();
		if (rc == VB_ENOTFOUND)
			ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
						 "no such document");
		else
			ret = vb_http_send_vb_error(rq, &err);
		goto out;
	}
	if (idx >= (int64_t)doc.n_files) {
		ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such file");
		goto out;
	}
	f = &doc.files[idx];
	if (vb_filestore_path(rq->d->files_path, f->sha256, path, sizeof(path)) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		vb_warn("file %lld/%lld of the file store is missing", (long long)id, (long long)idx);
		ret = vb_http_send_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL,
					 "the file is not available");
		goto out;
	}
	size = (int64_t)sb.st_size;
	snprintf(etag, sizeof(etag), "\"%s\"", f->sha256);
	h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (h && etag_matches(h, etag)) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (!resp) {
			ret = MHD_NO;
			goto out;
		}
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, VB_CACHE_FILE_CONTROL);
		ret = vb_http_send(rq, MHD_HTTP_NOT_MODIFIED, resp);
		goto out;
	}
	h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	rk = parse_range(h, size, &from, &to);
	if (rk != RANGE_NONE) {
		/* If-Range with another validator: the whole file. */
		const char *ir = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_IF_RANGE);

		if (ir && strcmp(ir, etag))
			rk = RANGE_NONE;
	}
	if (rk == RANGE_BAD) {
		static const char body[] = "{\"error\":{\"code\":\"range_not_satisfiable\","
					   "\"message\":\"the requested range is not satisfiable\"}}";

		resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
						       MHD_RESPMEM_PERSISTENT);
		if (!resp) {
			ret = MHD_NO;
			goto out;
		}
		snprintf(crange, sizeof(crange), "bytes */%lld", (long long)size);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, crange);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					"application/json; charset=utf-8");
		ret = vb_http_send(rq, MHD_HTTP_RANGE_NOT_SATISFIABLE, resp);
		goto out;
	}
	if (rk == RANGE_NONE) {
		from = 0;
		to = size - 1;
	}
	resp = MHD_create_response_from_fd_at_offset64((uint64_t)(to - from + 1), fd,
						       (uint64_t)from);
	if (!resp) {
		ret = MHD_NO;
		goto out;
	}
	fd = -1; /* MHD closes it */
	rq->bytes = (int64_t)(to - from + 1); /* access log */
	if (content_disposition(&cd, f->name)) {
		MHD_destroy_response(resp);
		ret = MHD_NO;
		goto out;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				f->media_type && *f->media_type ? f->media_type :
				"application/octet-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, vb_buf_str(&cd));
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, VB_CACHE_FILE_CONTROL);
	if (rk == RANGE_ONE) {
		snprintf(crange, sizeof(crange), "bytes %lld-%lld/%lld", (long long)from,
			 (long long)to, (long long)size);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, crange);
	}
	/* report: a download starts at byte 0 (later ranges continue it) */
	if (!rq->head && from == 0)
		vb_activity_count_download("", id);
	ret = vb_http_send(rq, rk == RANGE_ONE ? MHD_HTTP_PARTIAL_CONTENT : MHD_HTTP_OK, resp);
out:
	if (fd >= 0)
		close(fd);
	vb_buf_dispose(&cd);
	vb_document_dispose(&doc);
	return ret;
}
