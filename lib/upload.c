/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff uploads (see upload.h): store each file, extract its text in the
 * limited child of lib/extract.c, detect scans and OCR them when tesseract
 * can (upload_ocr.c), propose metadata with vb_meta_extract, look for
 * duplicates (the simhash here, the look-ups in lib/store_upload.c), and
 * keep the whole as a pending upload; confirm (upload_confirm.c) turns it
 * into a document through the manifest validators and
 * vb_store_put_document.  Internals shared by the three: upload_int.h.
 */
#include "upload_int.h"

#include "buf.h"
#include "date.h"
#include "docnum.h"
#include "extract.h"
#include "filestore.h"
#include "legacy.h"
#include "log.h"
#include "meta.h"
#include "text.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

const char *const vb_upload_fields[] = {
	"number", "form", "issuer", "issue_date", "effective_date", "abstract",
	"signer", "signer_title", "status", "category", NULL
};

/* ---- simhash ---------------------------------------------------------- */

static uint64_t fnv1a(const char *s, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int vb_upload_simhash(const char *text, uint64_t *out)
{
	size_t len, cap, flen, nw = 0, i;
	const char *w[3];
	size_t wl[3];
	int64_t v[64] = { 0 };
	char *f = NULL, *p;
	uint64_t h = 0;
	int ok = 0, b;

	*out = 0;
	if (!text)
		return 0;
	len = strlen(text);
	cap = len + 16;
	if (!(f = malloc(cap)))
		return 0;
	flen = vb_store_fold_words(text, f, cap);
	if (flen == (size_t)-1 || flen >= cap)
		goto out;
	for (p = f; *p;) {
		size_t n = strcspn(p, " ");

		if (n) {
			w[nw % 3] = p;
			wl[nw % 3] = n;
			nw++;
			if (nw >= 3) {
				uint64_t sh = 0xcbf29ce484222325ULL;

				/* the shingle in order: oldest word first */
				for (i = nw - 3; i < nw; i++) {
					sh = fnv1a(w[i % 3], wl[i % 3], sh);
					sh = fnv1a(" ", 1, sh);
				}
				for (b = 0; b < 64; b++)
					v[b] += (sh >> b) & 1 ? 1 : -1;
			}
		}
		p += n;
		p += strspn(p, " ");
	}
	if (nw < VB_UPLOAD_SIMHASH_MIN_WORDS)
		goto out;
	for (b = 0; b < 64; b++)
		if (v[b] > 0)
			h |= (uint64_t)1 << b;
	*out = h;
	ok = 1;
out:
	free(f);
	return ok;
}

int vb_upload_simhash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}
/* ---- the pipeline ----------------------------------------------------- */

/* Letters and digits, counted per character (not per byte). */
static size_t text_chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > ' ' && (c & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* err's message with every occurrence of the temporary path replaced by
 * the file's name (no server paths in answers). */
static json_t *message_for(const char *msg, const char *path, const char *name)
{
	vb_buf b;
	const char *p = msg, *hit;
	size_t pl = strlen(path);
	json_t *j;

	vb_buf_init(&b, 4096);
	while (pl && (hit = strstr(p, path))) {
		vb_buf_append(&b, p, (size_t)(hit - p));
		vb_buf_puts(&b, name);
		p = hit + pl;
	}
	vb_buf_puts(&b, p);
	j = json_string(b.data ? vb_buf_str(&b) : "");
	vb_buf_dispose(&b);
	return j;
}

static void warn_add(json_t *warnings, const char *code, const char *file, json_t *message)
{
	json_t *o = json_object();

	if (!o) {
		json_decref(message);
		return;
	}
	json_object_set_new(o, "code", json_string(code));
	if (file)
		json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "message", message ? message : json_string(""));
	json_array_append_new(warnings, o);
}

/* A legacy-encoded plain-text file: warn that it was converted. */
static void check_legacy(const char *path, const char *name, json_t *warnings)
{
	char buf[65536];
	ssize_t n;
	int fd;
	enum vb_legacy_enc enc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return;
	enc = vb_legacy_detect(buf, (size_t)n);
	if (enc != VB_LEGACY_UNKNOWN && enc != VB_LEGACY_CP1252) {
		char m[128];

		snprintf(m, sizeof(m), "text converted to Unicode from %s", vb_legacy_enc_name(enc));
		warn_add(warnings, "legacy_encoding", name, json_string(m));
	}
}

typedef struct file_result {
	json_t *row;      /* upload_files row */
	char *text;       /* NULL when none */
	char sha256[65];  /* "" when not stored */
	int ocr;          /* text came from OCR */
} file_result;

static void process_file(const char *files_root, const vb_upload_file_in *in,
			 json_t *warnings, file_result *fr)
{
	const char *detected = NULL;
	char *text = NULL, *mt = NULL;
	int64_t size = 0;
	vb_error err;
	int rc, pages = 0;

	memset(fr, 0, sizeof(*fr));
	fr->row = json_pack("{s:s}", "name", in->name);
	if (!fr->row)
		return;
	vb_error_clear(&err);
	if ((rc = vb_filestore_put_path(files_root, in->path, VB_UPLOAD_MAX_FILE_BYTES,
					fr->sha256, &size, &err))) {
		fr->sha256[0] = '\0';
		json_object_set_new(fr->row, "error", message_for(err.msg, in->path, in->name));
		warn_add(warnings, "file_error", in->name, message_for(err.msg, in->path, in->name));
		return;
	}
	json_object_set_new(fr->row, "sha256", json_string(fr->sha256));
	json_object_set_new(fr->row, "size", json_integer(size));
	if (vb_extract_detect(in->path, &detected, NULL))
		detected = VB_MEDIA_OCTET;
	json_object_set_new(fr->row, "media_type", json_string(detected));
	vb_error_clear(&err);
	rc = vb_extract_text(in->path, NULL, &text, &mt, &err);
	if (rc) {
		json_object_set_new(fr->row, "error", message_for(err.msg, in->path, in->name));
		warn_add(warnings, "extract_failed", in->name, message_for(err.msg, in->path, in->name));
		goto out;
	}
	if (!strcmp(detected, VB_MEDIA_TEXT))
		check_legacy(in->path, in->name, warnings);
	if (!strcmp(detected, VB_MEDIA_PDF)) {
		int rendered = 0;

		if (!upload_pdf_pages(in->path, NULL, &pages, &rendered))
			json_object_set_new(fr->row, "pages", json_integer(pages));
		if (pages > 0 && text_chars(text) < (size_t)pages * VB_UPLOAD_SCAN_CHARS_PER_PAGE) {
			char m[256], dir[PATH_MAX];
			char *ocr = NULL;
			int made = 0;

			if (!vb_upload_ocr_available()) {
				snprintf(m, sizeof(m), "PDF has %d page%s but almost no text (a scan): "
					 "it needs OCR, and tesseract with Vietnamese data is not installed",
					 pages, pages == 1 ? "" : "s");
				warn_add(warnings, "needs_ocr", in->name, json_string(m));
				free(text);
				text = NULL;
				goto out;
			}
			snprintf(dir, sizeof(dir), "%s/tmp/ocr-XXXXXX", files_root);
			if (!(made = mkdtemp(dir) != NULL) || upload_pdf_pages(in->path, dir, &pages, &rendered) || rendered < 1 ||
			    upload_ocr_pages(dir, rendered, &ocr) || text_chars(ocr) == 0) {
				snprintf(m, sizeof(m), "PDF has %d page%s but almost no text (a scan) "
					 "and OCR gave no text", pages, pages == 1 ? "" : "s");
				warn_add(warnings, "needs_ocr", in->name, json_string(m));
				free(text);
				text = NULL;
			} else {
				snprintf(m, sizeof(m), "PDF has %d page%s but almost no text (a scan): "
					 "text recognised by OCR (tesseract, vie) from %d page%s",
					 pages, pages == 1 ? "" : "s", rendered, rendered == 1 ? "" : "s");
				warn_add(warnings, "ocr", in->name, json_string(m));
				free(text);
				text = ocr;
				ocr = NULL;
				fr->ocr = 1;
			}
			free(ocr);
			if (made) {
				DIR *d = opendir(dir);
				struct dirent *de;
				char f[PATH_MAX + 300];

				while (d && (de = readdir(d))) {
					if (de->d_name[0] == '.')
						continue;
					snprintf(f, sizeof(f), "%s/%s", dir, de->d_name);
					unlink(f);
				}
				if (d)
					closedir(d);
				rmdir(dir);
			}
		}
	}
out:
	json_object_set_new(fr->row, "text_length", json_integer(text ? (json_int_t)text_chars(text) : 0));
	fr->text = text;
	free(mt);
}

/* Set proposal[key] from a form value (already validated). */
static int form_override(json_t *proposal, const char *key, const char *value)
{
	return json_object_set_new(proposal, key,
				   json_pack("{s:s, s:f, s:s}", "value", value, "confidence", 1.0,
					     "source", "form"));
}

/* Validate and normalise the form's values into proposal. */
static int apply_form(json_t *proposal, json_t *form, vb_error *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(form, key, v) {
		const char *s;
		char *norm = NULL, iso[11];
		int known = 0, rc = 0;

		for (i = 0; vb_upload_fields[i]; i++)
			if (!strcmp(key, vb_upload_fields[i]))
				known = 1;
		if (!known)
			return vb_error_set(err, VB_EINVAL, "unknown field \"%.64s\"", key);
		if (!json_is_string(v))
			return vb_error_set(err, VB_EINVAL, "%s: must be a string", key);
		s = json_string_value(v);
		if (strlen(s) > VB_UPLOAD_FIELD_MAX)
			return vb_error_set(err, VB_ETOOBIG, "%s: longer than %d bytes", key,
					    VB_UPLOAD_FIELD_MAX);
		if (!(norm = vb_text_normalize(s, strlen(s))))
			return vb_error_set(err, VB_EINVAL, "%s: not valid UTF-8", key);
		if (!*norm) {
			free(norm);
			continue; /* an empty form field counts as absent */
		}
		if (!strcmp(key, "issue_date") || !strcmp(key, "effective_date")) {
			vb_error derr;

			if (vb_date_parse(norm, iso, &derr))
				rc = vb_error_set(err, VB_EINVAL, "%s: %s", key, derr.msg);
			else
				rc = form_override(proposal, key, iso);
		} else if (!strcmp(key, "status")) {
			const char *code = vb_status_code(norm);

			if (!code)
				rc = vb_error_set(err, VB_EINVAL, "status: unknown status \"%.64s\"", norm);
			else
				rc = form_override(proposal, key, code);
		} else if (!strcmp(key, "category") && !vb_category_valid(norm)) {
			rc = vb_error_set(err, VB_EINVAL,
					  "category: must be normative, administrative or treaty");
		} else {
			rc = form_override(proposal, key, norm);
		}
		free(norm);
		if (rc)
			return rc < 0 ? rc : vb_error_set(err, VB_ENOMEM, "out of memory");
	}
	return 0;
}

int vb_upload_form_apply(json_t *proposal, json_t *form, vb_error *err)
{
	if (!json_is_object(form))
		return vb_error_set(err, VB_EINVAL, "the fields must be a JSON object");
	return apply_form(proposal, form, err);
}

/* The value of a proposal field, or NULL. */
const char *upload_proposed(json_t *proposal, const char *key)
{
	return json_string_value(json_object_get(json_object_get(proposal, key), "value"));
}

int vb_upload_create(vb_store *st, const char *files_root, const vb_upload_file_in *files,
		     size_t n, json_t *form, int64_t *id, vb_error *err)
{
	return vb_upload_create_owned(st, files_root, files, n, form, NULL, 0, id, err);
}

int vb_upload_create_owned(vb_store *st, const char *files_root, const vb_upload_file_in *files,
			   size_t n, json_t *form, const char *portal, int64_t created_by,
			   int64_t *id, vb_error *err)
{
	file_result fr[VB_UPLOAD_MAX_FILES];
	json_t *rec = NULL, *warnings = NULL, *rows = NULL, *proposal = NULL, *dups = NULL, *mw;
	const char *shas[VB_UPLOAD_MAX_FILES], *text_source = "none", *key;
	char *number_canonical = NULL, hash[32], owner[32];
	vb_meta meta;
	vb_buf all;
	uint64_t simhash = 0;
	int has_simhash, rc = 0, any_text = 0, any_ocr = 0, meta_done = 0;
	size_t i, nsha = 0, backfilled = 0;
	vb_upload_probe probe;
	vb_error berr;

	*id = 0;
	memset(fr, 0, sizeof(fr));
	memset(&meta, 0, sizeof(meta));
	vb_buf_init(&all, VB_EXTRACT_MAX_TEXT);
	if (!n)
		return vb_error_set(err, VB_EINVAL, "no file: send at least one \"file\" part");
	if (n > VB_UPLOAD_MAX_FILES)
		return vb_error_set(err, VB_ETOOBIG, "too many files: at most %d", VB_UPLOAD_MAX_FILES);
	if (!(warnings = json_array()) || !(rows = json_array()) || !(proposal = json_object())) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	/* The form is checked first: a bad value costs no extraction. */
	if (form && (rc = apply_form(proposal, form, err)))
		goto out;
	for (i = 0; i < n; i++) {
		process_file(files_root, &files[i], warnings, &fr[i]);
		if (!fr[i].row) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		json_array_append(rows, fr[i].row);
		if (fr[i].sha256[0])
			shas[nsha++] = fr[i].sha256;
		if (fr[i].text && *fr[i].text) {
			if (all.len)
				vb_buf_puts(&all, "\n\n");
			if (vb_buf_puts(&all, fr[i].text)) {
				rc = vb_error_set(err, VB_ETOOBIG, "the text of the files is too large");
				goto out;
			}
			any_text = 1;
			any_ocr |= fr[i].ocr;
			/* The first file with text is the document; the rest are
			 * annexes. */
			if (!meta_done) {
				if ((rc = vb_meta_extract(fr[i].text, strlen(fr[i].text), &meta, err)))
					goto out;
				meta_done = 1;
			}
		}
	}
	text_source = any_ocr ? "ocr" : any_text ? "text" : "none";
	if (meta_done) {
		json_t *mj = vb_meta_to_json(&meta);
		json_t *v;

		if (!mj) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		json_object_del(mj, "text");
		mw = json_object_get(mj, "warnings");
		for (i = 0; i < json_array_size(mw); i++)
			warn_add(warnings, "metadata", NULL, json_incref(json_array_get(mw, i)));
		json_object_del(mj, "warnings");
		json_object_foreach(mj, key, v) {
			if (json_is_object(v))
				json_object_set_new(v, "source", json_string("text"));
			if (!json_object_get(proposal, key))
				json_object_set(proposal, key, v);
		}
		json_decref(mj);
	}
	if (upload_proposed(proposal, "number"))
		number_canonical = vb_docnum_canonical(upload_proposed(proposal, "number"));
	has_simhash = vb_upload_simhash(all.data ? vb_buf_str(&all) : "", &simhash);

	/* Documents imported by other paths get their simhash a few at a
	 * time; a failure here only weakens the near-text check. */
	vb_error_clear(&berr);
	if (vb_store_simhash_backfill(st, VB_UPLOAD_BACKFILL, vb_upload_simhash, &backfilled, &berr))
		vb_warn("upload: could not fill document simhashes: %s", berr.msg);
	memset(&probe, 0, sizeof(probe));
	probe.sha256s = shas;
	probe.n_sha256s = nsha;
	probe.number_canonical = number_canonical;
	probe.issuer = upload_proposed(proposal, "issuer");
	probe.issue_date = upload_proposed(proposal, "issue_date");
	probe.has_simhash = has_simhash;
	probe.simhash = simhash;
	probe.max_distance = VB_UPLOAD_NEAR_DISTANCE;
	if ((rc = vb_store_upload_duplicates(st, &probe, &dups, err)))
		goto out;
	if (json_array_size(dups))
		warn_add(warnings, "duplicate", NULL,
			 json_string("this upload may duplicate a stored document or an open upload: "
				     "see duplicates; confirm with link_duplicate or not_duplicate"));
	snprintf(hash, sizeof(hash), "%" PRId64, (int64_t)simhash);
	snprintf(owner, sizeof(owner), "%" PRId64, created_by);
	rec = json_pack("{s:s?, s:s, s:s?, s:O, s:O, s:O, s:s?, s:s?, s:s?, s:O, s:s?, s:s?}",
			"text", any_text ? vb_buf_str(&all) : NULL,
			"text_source", text_source,
			"simhash", has_simhash ? hash : NULL,
			"proposal", proposal, "warnings", warnings, "duplicates", dups,
			"number_canonical", number_canonical,
			"issuer", upload_proposed(proposal, "issuer"),
			"issue_date", upload_proposed(proposal, "issue_date"),
			"files", rows,
			"portal_id", portal && *portal ? portal : NULL,
			"created_by", created_by > 0 ? owner : NULL);
	if (!rec) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	rc = vb_store_upload_insert(st, rec, id, err);
out:
	for (i = 0; i < n && i < VB_UPLOAD_MAX_FILES; i++) {
		json_decref(fr[i].row);
		free(fr[i].text);
	}
	json_decref(rec);
	json_decref(warnings);
	json_decref(rows);
	json_decref(proposal);
	json_decref(dups);
	free(number_canonical);
	vb_meta_dispose(&meta);
	vb_buf_dispose(&all);
	return rc;
}
