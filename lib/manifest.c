/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import manifests: one JSON Lines record -> one vb_document.  Every key is
 * checked against a table of known keys first (so that all unknown keys are
 * reported together), then each known key is converted with a type check
 * and normalised.  Errors carry the key name so that an operator can fix
 * the line without guessing.
 */
#include "manifest.h"

#include "date.h"
#include "docnum.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#define PATH_MAX_BYTES 4096

static const char *const known_keys[] = {
	"source", "source_id", "number", "form", "issuer", "issue_date",
	"effective_date", "expiry_date", "abstract", "signer", "signer_title",
	"signers", "status", "fields", "category", "language", "text", "files",
};

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

/* A normalised copy of a JSON string value. */
static int norm_copy(const json_t *v, char **out, const char *key, vb_error *err)
{
	char *s = vb_text_normalize(json_string_value(v), json_string_length(v));

	if (!s)
		return vb_error_set(err, VB_ENOMEM, "%s: out of memory", key);
	free(*out);
	*out = s;
	return 0;
}

/* Optional string key -> normalised *out (NULL when absent, null or ""). */
static int get_string(json_t *obj, const char *key, char **out, vb_error *err)
{
	json_t *v = json_object_get(obj, key);
	int rc;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return vb_error_set(err, VB_EINVAL, "%s: expected a string, got %s",
				    key, json_type_name(v));
	if ((rc = norm_copy(v, out, key, err)))
		return rc;
	if (!**out) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

static int get_date(json_t *obj, const char *key, char out[VB_DATE_LEN], vb_error *err)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	vb_error derr;

	out[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return vb_error_set(err, VB_EINVAL, "%s: expected a date string, got %s",
				    key, json_type_name(v));
	s = json_string_value(v);
	if (!*s)
		return 0;
	vb_error_clear(&derr);
	if (strlen(s) > 64 || vb_date_parse(s, out, &derr)) {
		out[0] = '\0';
		return vb_error_set(err, VB_EINVAL, "%s: invalid date \"%.64s\"", key, s);
	}
	return 0;
}

/* The signers: "signers" objects, or "signer"/"signer_title" strings or
 * arrays of equal length. */
static int get_signers(json_t *obj, vb_document *doc, vb_error *err)
{
	json_t *list = json_object_get(obj, "signers");
	json_t *name = json_object_get(obj, "signer");
	json_t *title = json_object_get(obj, "signer_title");
	char *n = NULL, *t = NULL;
	size_t i;
	int rc = 0;

	if (list && json_is_null(list))
		list = NULL;
	if (name && json_is_null(name))
		name = NULL;
	if (title && json_is_null(title))
		title = NULL;
	if (list && (name || title))
		return vb_error_set(err, VB_EINVAL,
				    "signers: cannot be combined with signer or signer_title");
	if (list) {
		json_t *item;

		if (!json_is_array(list))
			return vb_error_set(err, VB_EINVAL, "signers: expected an array, got %s",
					    json_type_name(list));
		json_array_foreach(list, i, item) {
			const char *k;
			json_t *val;

			if (!json_is_object(item))
				return vb_error_set(err, VB_EINVAL,
						    "signers[%zu]: expected an object, got %s",
						    i, json_type_name(item));
			json_object_foreach(item, k, val) {
				if (strcmp(k, "name") && strcmp(k, "title"))
					return vb_error_set(err, VB_EINVAL,
							    "signers[%zu]: unknown key \"%.40s\"", i, k);
			}
			val = json_object_get(item, "name");
			if (!json_is_string(val) || !json_string_length(val))
				return vb_error_set(err, VB_EINVAL,
						    "signers[%zu].name: expected a non-empty string", i);
			val = json_object_get(item, "title");
			if (val && !json_is_null(val) && !json_is_string(val))
				return vb_error_set(err, VB_EINVAL,
						    "signers[%zu].title: expected a string, got %s",
						    i, json_type_name(val));
			if ((rc = norm_copy(json_object_get(item, "name"), &n, "signers", err)))
				goto out;
			if (val && json_is_string(val) && json_string_length(val) &&
			    (rc = norm_copy(val, &t, "signers", err)))
				goto out;
			if ((rc = vb_document_add_signer(doc, n, t))) {
				vb_error_set(err, rc, "signers: out of memory");
				goto out;
			}
			free(n);
			free(t);
			n = t = NULL;
		}
		return 0;
	}
	if (!name) {
		if (title)
			return vb_error_set(err, VB_EINVAL, "signer_title: given without signer");
		return 0;
	}
	if (json_is_string(name)) {
		if (title && !json_is_string(title))
			return vb_error_set(err, VB_EINVAL,
					    "signer_title: expected a string like signer, got %s",
					    json_type_name(title));
		if (!json_string_length(name))
			return 0;
		if ((rc = norm_copy(name, &n, "signer", err)))
			goto out;
		if (title && json_string_length(title) &&
		    (rc = norm_copy(title, &t, "signer_title", err)))
			goto out;
		if ((rc = vb_document_add_signer(doc, n, t)))
			vb_error_set(err, rc, "signer: out of memory");
		goto out;
	}
	if (!json_is_array(name))
		return vb_error_set(err, VB_EINVAL,
				    "signer: expected a string or an array of strings, got %s",
				    json_type_name(name));
	if (title && (!json_is_array(title) || json_array_size(title) != json_array_size(name)))
		return vb_error_set(err, VB_EINVAL,
				    "signer_title: expected an array of %zu strings like signer",
				    json_array_size(name));
	for (i = 0; i < json_array_size(name); i++) {
		json_t *nv = json_array_get(name, i);
		json_t *tv = title ? json_array_get(title, i) : NULL;

		if (!json_is_string(nv) || !json_string_length(nv))
			return vb_error_set(err, VB_EINVAL,
					    "signer[%zu]: expected a non-empty string", i);
		if (tv && !json_is_null(tv) && !json_is_string(tv))
			return vb_error_set(err, VB_EINVAL,
					    "signer_title[%zu]: expected a string, got %s",
					    i, json_type_name(tv));
		if ((rc = norm_copy(nv, &n, "signer", err)))
			goto out;
		if (tv && json_is_string(tv) && json_string_length(tv) &&
		    (rc = norm_copy(tv, &t, "signer_title", err)))
			goto out;
		if ((rc = vb_document_add_signer(doc, n, t))) {
			vb_error_set(err, rc, "signer: out of memory");
			goto out;
		}
		free(n);
		free(t);
		n = t = NULL;
	}
out:
	free(n);
	free(t);
	return rc;
}

static int get_fields(json_t *obj, vb_document *doc, vb_error *err)
{
	json_t *v = json_object_get(obj, "fields"), *item;
	char *s = NULL;
	size_t i;
	int rc;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return vb_error_set(err, VB_EINVAL, "fields: expected an array of strings, got %s",
				    json_type_name(v));
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			return vb_error_set(err, VB_EINVAL, "fields[%zu]: expected a string, got %s",
					    i, json_type_name(item));
		if (!json_string_length(item))
			continue;
		if ((rc = norm_copy(item, &s, "fields", err)))
			return rc;
		rc = vb_document_add_field(doc, s);
		free(s);
		s = NULL;
		if (rc)
			return vb_error_set(err, rc, "fields: out of memory");
	}
	return 0;
}

/* Whether a relative path is safe: not absolute, no ".." component, not
 * empty. */
static const char *path_problem(const char *p)
{
	const char *c = p;

	if (!*p)
		return "empty path";
	if (*p == '/')
		return "absolute paths are not allowed";
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return "\"..\" is not allowed in paths";
		c += n;
		if (*c == '/')
			c++;
	}
	if (strlen(p) >= PATH_MAX_BYTES)
		return "path too long";
	return NULL;
}

static int add_file(vb_document *doc, size_t i, json_t *pathv, json_t *namev,
		    json_t *typev, const char *base_dir, vb_error *err)
{
	const char *path = json_string_value(pathv);
	const char *why = path_problem(path);
	const char *base;
	char full[PATH_MAX_BYTES * 2];
	struct stat stt;
	vb_file *f;

	if (why)
		return vb_error_set(err, VB_EINVAL, "files[%zu]: %s: \"%.100s\"", i, why, path);
	snprintf(full, sizeof(full), "%s/%s", base_dir ? base_dir : ".", path);
	if (stat(full, &stt) < 0)
		return vb_error_set(err, VB_EINVAL, "files[%zu]: could not find file \"%.100s\": %s",
				    i, path, strerror(errno));
	if (!S_ISREG(stt.st_mode))
		return vb_error_set(err, VB_EINVAL, "files[%zu]: \"%.100s\" is not a regular file",
				    i, path);
	if (!(f = vb_document_add_file(doc)))
		return vb_error_set(err, VB_ENOMEM, "files: out of memory");
	f->size = (int64_t)stt.st_size;
	if (!(f->src_path = strdup(full)))
		return vb_error_set(err, VB_ENOMEM, "files: out of memory");
	if (namev && json_string_length(namev)) {
		if (norm_copy(namev, &f->name, "files", err))
			return VB_ENOMEM;
	} else {
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (!*base)
			return vb_error_set(err, VB_EINVAL, "files[%zu]: no file name in \"%.100s\"",
					    i, path);
		if (!(f->name = vb_text_normalize(base, strlen(base))))
			return vb_error_set(err, VB_ENOMEM, "files: out of memory");
	}
	if (strchr(f->name, '/'))
		return vb_error_set(err, VB_EINVAL, "files[%zu].name: must not contain '/'", i);
	if (typev && json_string_length(typev)) {
		const char *t = json_string_value(typev);
		size_t k;

		/* type/subtype with token characters only */
		for (k = 0; t[k]; k++)
			if (!isalnum((unsigned char)t[k]) && !strchr("/.+-_", t[k]))
				break;
		if (t[k] || !strchr(t, '/') || k > 127)
			return vb_error_set(err, VB_EINVAL,
					    "files[%zu].media_type: invalid media type \"%.60s\"", i, t);
		if (!(f->media_type = strdup(t)))
			return vb_error_set(err, VB_ENOMEM, "files: out of memory");
	}
	return 0;
}

static int get_files(json_t *obj, vb_document *doc, const char *base_dir, vb_error *err)
{
	json_t *v = json_object_get(obj, "files"), *item;
	size_t i;
	int rc;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return vb_error_set(err, VB_EINVAL, "files: expected an array, got %s",
				    json_type_name(v));
	json_array_foreach(v, i, item) {
		json_t *p, *n = NULL, *t = NULL;

		if (json_is_string(item)) {
			p = item;
		} else if (json_is_object(item)) {
			const char *k;
			json_t *val;

			json_object_foreach(item, k, val) {
				if (strcmp(k, "path") && strcmp(k, "name") && strcmp(k, "media_type"))
					return vb_error_set(err, VB_EINVAL,
							    "files[%zu]: unknown key \"%.40s\"", i, k);
				if (!json_is_string(val) && !(json_is_null(val) && strcmp(k, "path")))
					return vb_error_set(err, VB_EINVAL,
							    "files[%zu].%s: expected a string, got %s",
							    i, k, json_type_name(val));
			}
			if (!(p = json_object_get(item, "path")))
				return vb_error_set(err, VB_EINVAL, "files[%zu].path: missing", i);
			n = json_object_get(item, "name");
			t = json_object_get(item, "media_type");
			if (n && json_is_null(n))
				n = NULL;
			if (t && json_is_null(t))
				t = NULL;
		} else {
			return vb_error_set(err, VB_EINVAL,
					    "files[%zu]: expected a path or an object, got %s",
					    i, json_type_name(item));
		}
		if ((rc = add_file(doc, i, p, n, t, base_dir, err)))
			return rc;
	}
	return 0;
}

/* BCP 47-ish: the same shape the schema checks. */
static int language_valid(const char *s)
{
	size_t n = 0, seg = 0, nseg = 0;

	for (; *s; s++, n++) {
		if (*s == '-') {
			if (seg == 0 || (nseg == 0 && seg < 2) || seg > 8)
				return 0;
			nseg++;
			seg = 0;
		} else if (isalpha((unsigned char)*s) || (nseg > 0 && isdigit((unsigned char)*s))) {
			seg++;
		} else {
			return 0;
		}
	}
	if (nseg == 0)
		return seg >= 2 && seg <= 8;
	return seg >= 1 && seg <= 8 && n <= 64;
}

static int check_keys(json_t *obj, vb_error *err)
{
	const char *k;
	json_t *v;
	char list[VB_ERROR_MSG_MAX];
	size_t used = 0, i, nbad = 0;

	list[0] = '\0';
	json_object_foreach(obj, k, v) {
		for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
			if (!strcmp(k, known_keys[i]))
				break;
		if (i < sizeof(known_keys) / sizeof(known_keys[0]))
			continue;
		nbad++;
		if (used < sizeof(list)) {
			int w = snprintf(list + used, sizeof(list) - used, "%s\"%.40s\"",
					 nbad > 1 ? ", " : "", k);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	if (!nbad)
		return 0;
	return vb_error_set(err, VB_EINVAL, "unknown key%s: %s", nbad > 1 ? "s" : "", list);
}

int vb_manifest_line_blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return 0;
	return 1;
}

int vb_manifest_parse_line(const char *line, size_t len, const char *base_dir,
			   const char *default_source, vb_document *out,
			   vb_error *err)
{
	json_t *obj = NULL, *v;
	json_error_t jerr;
	const char *code;
	char *tmp = NULL;
	int rc = 0;

	vb_document_init(out);
	if (len > VB_MANIFEST_LINE_MAX)
		return vb_error_set(err, VB_ETOOBIG, "line longer than %zu bytes",
				    (size_t)VB_MANIFEST_LINE_MAX);
	if (len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
		line += 3;
		len -= 3;
	}
	if (len && line[len - 1] == '\r')
		len--;
	if (!(obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr))) {
		rc = vb_error_set(err, VB_EINVAL, "invalid JSON at column %d: %s",
				  jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(obj)) {
		rc = vb_error_set(err, VB_EINVAL, "expected a JSON object, got %s",
				  json_type_name(obj));
		goto out;
	}
	if ((rc = check_keys(obj, err)))
		goto out;

	/* identity */
	if ((rc = get_string(obj, "source", &out->source, err)))
		goto out;
	if (!out->source && (rc = vb_strset(&out->source,
					     default_source && *default_source ? default_source : "manifest"))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	v = json_object_get(obj, "source_id");
	if (v && json_is_integer(v)) {
		char num[32];

		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		if ((rc = vb_strset(&out->source_id, num))) {
			vb_error_set(err, rc, "out of memory");
			goto out;
		}
	} else if ((rc = get_string(obj, "source_id", &out->source_id, err))) {
		goto out;
	}
	if (!out->source_id) {
		rc = vb_error_set(err, VB_EINVAL, "source_id: missing");
		goto out;
	}

	/* plain strings */
	if ((rc = get_string(obj, "number", &out->number, err)) ||
	    (rc = get_string(obj, "form", &out->form, err)) ||
	    (rc = get_string(obj, "issuer", &out->issuer, err)) ||
	    (rc = get_string(obj, "abstract", &out->abstract, err)) ||
	    (rc = get_string(obj, "text", &out->text, err)) ||
	    (rc = get_string(obj, "language", &out->language, err)))
		goto out;
	if (!out->number && !out->abstract && !out->text) {
		rc = vb_error_set(err, VB_EINVAL,
				  "record has none of number, abstract, text");
		goto out;
	}
	if (out->number && !(out->number_canonical = vb_docnum_canonical(out->number))) {
		/* a number without letters or digits ("-", "...") is not a number */
		rc = vb_error_set(err, VB_EINVAL, "number: not a document number \"%.60s\"",
				  out->number);
		goto out;
	}
	if (!out->language && (rc = vb_strset(&out->language, "vi"))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	if (!language_valid(out->language)) {
		rc = vb_error_set(err, VB_EINVAL, "language: invalid language tag \"%.40s\"",
				  out->language);
		goto out;
	}

	/* dates */
	if ((rc = get_date(obj, "issue_date", out->issue_date, err)) ||
	    (rc = get_date(obj, "effective_date", out->effective_date, err)) ||
	    (rc = get_date(obj, "expiry_date", out->expiry_date, err)))
		goto out;
	if (out->effective_date[0] && out->expiry_date[0] &&
	    strcmp(out->expiry_date, out->effective_date) < 0) {
		rc = vb_error_set(err, VB_EINVAL,
				  "expiry_date: %s is before effective_date %s",
				  out->expiry_date, out->effective_date);
		goto out;
	}

	/* vocabularies */
	if ((rc = get_string(obj, "status", &tmp, err)))
		goto out;
	if (tmp) {
		if (!(code = vb_status_code(tmp))) {
			rc = vb_error_set(err, VB_EINVAL, "status: unknown status \"%.80s\"", tmp);
			goto out;
		}
	} else {
		code = VB_STATUS_UNKNOWN;
	}
	if ((rc = vb_strset(&out->status, code))) {
		vb_error_set(err, rc, "out of memory");
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if ((rc = get_string(obj, "category", &out->category, err)))
		goto out;
	if (out->category && !vb_category_valid(out->category)) {
		rc = vb_error_set(err, VB_EINVAL,
				  "category: unknown category \"%.60s\" (expected normative, administrative or treaty)",
				  out->category);
		goto out;
	}

	/* lists */
	if ((rc = get_signers(obj, out, err)) ||
	    (rc = get_fields(obj, out, err)) ||
	    (rc = get_files(obj, out, base_dir, err)))
		goto out;
out:
	free(tmp);
	json_decref(obj);
	if (rc)
		vb_document_dispose(out);
	return rc;
}
