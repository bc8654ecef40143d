/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document model: construction, destruction, status vocabulary and the
 * JSON view used by the API.
 */
#include "document.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

void vb_document_init(vb_document *doc)
{
	memset(doc, 0, sizeof(*doc));
}

void vb_document_dispose(vb_document *doc)
{
	size_t i;

	if (!doc)
		return;
	free(doc->source);
	free(doc->source_id);
	free(doc->number);
	free(doc->number_canonical);
	free(doc->form);
	free(doc->issuer);
	free(doc->abstract);
	for (i = 0; i < doc->n_signers; i++) {
		free(doc->signers[i].name);
		free(doc->signers[i].title);
	}
	free(doc->signers);
	for (i = 0; i < doc->n_fields; i++)
		free(doc->fields[i]);
	free(doc->fields);
	free(doc->status);
	free(doc->category);
	free(doc->language);
	free(doc->text);
	for (i = 0; i < doc->n_files; i++) {
		free(doc->files[i].name);
		free(doc->files[i].media_type);
		free(doc->files[i].src_path);
	}
	free(doc->files);
	vb_document_init(doc);
}

int vb_strset(char **slot, const char *value)
{
	char *copy = NULL;

	if (value && !(copy = strdup(value)))
		return VB_ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

int vb_document_add_signer(vb_document *doc, const char *name, const char *title)
{
	vb_signer *s = realloc(doc->signers, (doc->n_signers + 1) * sizeof(*s));

	if (!s)
		return VB_ENOMEM;
	doc->signers = s;
	s = &doc->signers[doc->n_signers];
	s->name = strdup(name ? name : "");
	s->title = title ? strdup(title) : NULL;
	if (!s->name || (title && !s->title)) {
		free(s->name);
		free(s->title);
		return VB_ENOMEM;
	}
	doc->n_signers++;
	return 0;
}

int vb_document_add_field(vb_document *doc, const char *field)
{
	char **f = realloc(doc->fields, (doc->n_fields + 1) * sizeof(*f));

	if (!f)
		return VB_ENOMEM;
	doc->fields = f;
	if (!(f[doc->n_fields] = strdup(field)))
		return VB_ENOMEM;
	doc->n_fields++;
	return 0;
}

vb_file *vb_document_add_file(vb_document *doc)
{
	vb_file *f = realloc(doc->files, (doc->n_files + 1) * sizeof(*f));

	if (!f)
		return NULL;
	doc->files = f;
	f = &doc->files[doc->n_files++];
	memset(f, 0, sizeof(*f));
	return f;
}

static const struct status_entry {
	const char *code;
	const char *vi, *en, *zh;
} status_table[] = {
	{ VB_STATUS_IN_FORCE, "Còn hiệu lực", "In force", "有效" },
	{ VB_STATUS_EXPIRED, "Hết hiệu lực toàn bộ", "No longer in force", "全部失效" },
	{ VB_STATUS_PARTLY_EXPIRED, "Hết hiệu lực một phần", "Partly no longer in force", "部分失效" },
	{ VB_STATUS_NOT_YET, "Chưa có hiệu lực", "Not yet in force", "尚未生效" },
	{ VB_STATUS_SUSPENDED, "Ngưng hiệu lực", "Suspended", "暂停生效" },
	{ VB_STATUS_UNKNOWN, "Chưa xác định", "Unknown", "未确定" },
};

/* Spellings seen in the sources (vbpl.vn, Công báo Sơn La, Bình Dương).
 * Compared after NFC; the label table above is consulted as well. */
static const struct { const char *label, *code; } status_aliases[] = {
	{ "Đang hiệu lực", VB_STATUS_IN_FORCE },
	{ "Văn bản đang có hiệu lực", VB_STATUS_IN_FORCE },
	{ "Văn bản còn hiệu lực", VB_STATUS_IN_FORCE },
	{ "Có hiệu lực", VB_STATUS_IN_FORCE },
	{ "Hết hiệu lực", VB_STATUS_EXPIRED },
	{ "Văn bản hết hiệu lực", VB_STATUS_EXPIRED },
	{ "Văn bản còn hiệu lực một phần", VB_STATUS_PARTLY_EXPIRED },
	{ "Ngừng hiệu lực", VB_STATUS_SUSPENDED },
	{ "Tạm ngưng hiệu lực", VB_STATUS_SUSPENDED },
	{ "Không xác định", VB_STATUS_UNKNOWN },
	{ "Đã biết", VB_STATUS_UNKNOWN },
};

const char *vb_status_code(const char *label)
{
	size_t i;

	if (!label)
		return NULL;
	for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++)
		if (!strcmp(label, status_table[i].code) ||
		    !strcasecmp(label, status_table[i].vi) ||
		    !strcasecmp(label, status_table[i].en))
			return status_table[i].code;
	for (i = 0; i < sizeof(status_aliases) / sizeof(status_aliases[0]); i++)
		if (!strcasecmp(label, status_aliases[i].label))
			return status_aliases[i].code;
	return NULL;
}

const char *vb_status_label(const char *code, const char *lang)
{
	size_t i;

	if (!code)
		return "";
	for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++) {
		if (strcmp(code, status_table[i].code))
			continue;
		if (lang && !strcmp(lang, "en"))
			return status_table[i].en;
		if (lang && !strcmp(lang, "zh"))
			return status_table[i].zh;
		return status_table[i].vi;
	}
	return code;
}

int vb_category_valid(const char *category)
{
	return category && (!strcmp(category, "normative") ||
			    !strcmp(category, "administrative") ||
			    !strcmp(category, "treaty"));
}

static int set_str(json_t *o, const char *key, const char *v)
{
	return json_object_set_new(o, key, v ? json_string(v) : json_null());
}

static int set_date(json_t *o, const char *key, const char *v)
{
	return json_object_set_new(o, key, v[0] ? json_string(v) : json_null());
}

json_t *vb_document_to_json(const vb_document *doc, int with_text)
{
	json_t *o = json_object(), *a;
	size_t i;

	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(doc->id));
	set_str(o, "source", doc->source);
	set_str(o, "source_id", doc->source_id);
	set_str(o, "number", doc->number);
	set_str(o, "number_canonical", doc->number_canonical);
	set_str(o, "form", doc->form);
	set_str(o, "issuer", doc->issuer);
	set_date(o, "issue_date", doc->issue_date);
	set_date(o, "effective_date", doc->effective_date);
	set_date(o, "expiry_date", doc->expiry_date);
	set_str(o, "abstract", doc->abstract);
	a = json_array();
	for (i = 0; i < doc->n_signers; i++) {
		json_t *s = json_object();

		set_str(s, "name", doc->signers[i].name);
		set_str(s, "title", doc->signers[i].title);
		json_array_append_new(a, s);
	}
	json_object_set_new(o, "signers", a);
	a = json_array();
	for (i = 0; i < doc->n_fields; i++)
		json_array_append_new(a, json_string(doc->fields[i]));
	json_object_set_new(o, "fields", a);
	set_str(o, "status", doc->status);
	json_object_set_new(o, "status_label",
			    json_string(vb_status_label(doc->status, "vi")));
	set_str(o, "category", doc->category);
	set_str(o, "language", doc->language);
	json_object_set_new(o, "version", json_integer(doc->version));
	set_str(o, "created_at", doc->created_at[0] ? doc->created_at : NULL);
	set_str(o, "updated_at", doc->updated_at[0] ? doc->updated_at : NULL);
	a = json_array();
	for (i = 0; i < doc->n_files; i++) {
		json_t *f = json_object();

		json_object_set_new(f, "index", json_integer((json_int_t)i));
		set_str(f, "name", doc->files[i].name);
		set_str(f, "media_type", doc->files[i].media_type);
		json_object_set_new(f, "size", json_integer(doc->files[i].size));
		json_object_set_new(f, "sha256", json_string(doc->files[i].sha256));
		json_array_append_new(a, f);
	}
	json_object_set_new(o, "files", a);
	if (with_text)
		set_str(o, "text", doc->text);
	return o;
}
