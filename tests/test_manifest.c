/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit tests for lib/manifest.c: one JSON Lines record -> vb_document.
 * Table-driven: a table of records that must be rejected with a message
 * fragment, then valid records whose fields are checked one by one (dates,
 * status labels, normalisation, signers, files, U+0085 inside a string).
 */
#include "manifest.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int parse(const char *line, vb_document *doc, vb_error *err)
{
	vb_error_clear(err);
	return vb_manifest_parse_line(line, strlen(line), dir, "testsrc", doc, err);
}

static const struct bad_case {
	const char *line;
	int code;
	const char *fragment;
} bad_cases[] = {
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\"", VB_EINVAL, "invalid JSON" },
	{ "not json", VB_EINVAL, "invalid JSON" },
	{ "[1, 2]", VB_EINVAL, "expected a JSON object, got array" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"foo\": 1, \"bar\": 2}", VB_EINVAL,
	  "unknown keys: \"foo\", \"bar\"" },
	{ "{\"source_id\": \"1\", \"numbr\": \"1/QĐ\"}", VB_EINVAL, "unknown key: \"numbr\"" },
	{ "{\"number\": \"1/QĐ\"}", VB_EINVAL, "source_id: missing" },
	{ "{\"source_id\": \"\", \"number\": \"1/QĐ\"}", VB_EINVAL, "source_id: missing" },
	{ "{\"source_id\": \"1\", \"form\": \"Quyết định\"}", VB_EINVAL,
	  "none of number, abstract, text" },
	{ "{\"source_id\": \"1\", \"number\": 12}", VB_EINVAL,
	  "number: expected a string, got integer" },
	{ "{\"source_id\": [1], \"number\": \"1/QĐ\"}", VB_EINVAL,
	  "source_id: expected a string, got array" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"issue_date\": \"2023-02-30\"}", VB_EINVAL,
	  "issue_date: invalid date \"2023-02-30\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"effective_date\": \"2023-13-01\"}", VB_EINVAL,
	  "effective_date: invalid date \"2023-13-01\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"expiry_date\": \"yesterday\"}", VB_EINVAL,
	  "expiry_date: invalid date \"yesterday\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"issue_date\": 20230216}", VB_EINVAL,
	  "issue_date: expected a date string, got integer" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"issue_date\": \"2023-02-29\"}", VB_EINVAL,
	  "issue_date: invalid date" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"effective_date\": \"2023-03-01\", "
	  "\"expiry_date\": \"2023-02-01\"}", VB_EINVAL, "expiry_date: 2023-02-01 is before" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"status\": \"sắp hết\"}", VB_EINVAL,
	  "status: unknown status \"sắp hết\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"category\": \"law\"}", VB_EINVAL,
	  "category: unknown category \"law\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"language\": \"v\"}", VB_EINVAL,
	  "language: invalid language tag" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"fields\": \"Thuế\"}", VB_EINVAL,
	  "fields: expected an array of strings, got string" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"fields\": [\"Thuế\", 3]}", VB_EINVAL,
	  "fields[1]: expected a string, got integer" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [\"/etc/passwd\"]}", VB_EINVAL,
	  "files[0]: absolute paths are not allowed" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [\"a.pdf\", \"../a.pdf\"]}", VB_EINVAL,
	  "files[1]: \"..\" is not allowed" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [\"sub/../../x\"]}", VB_EINVAL,
	  "\"..\" is not allowed" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [{\"path\": \"/tmp/x\"}]}", VB_EINVAL,
	  "files[0]: absolute paths" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [\"missing.pdf\"]}", VB_EINVAL,
	  "files[0]: could not find file \"missing.pdf\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [\"sub\"]}", VB_EINVAL,
	  "is not a regular file" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [{\"name\": \"x\"}]}", VB_EINVAL,
	  "files[0].path: missing" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [{\"path\": \"a.pdf\", \"size\": 1}]}",
	  VB_EINVAL, "files[0]: unknown key \"size\"" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [7]}", VB_EINVAL,
	  "files[0]: expected a path or an object, got integer" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"files\": [{\"path\": \"a.pdf\", "
	  "\"media_type\": \"bad type\"}]}", VB_EINVAL, "files[0].media_type: invalid media type" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"signer\": [\"A\", \"B\"], "
	  "\"signer_title\": [\"Chủ tịch\"]}", VB_EINVAL, "signer_title: expected an array of 2" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"signer\": 5}", VB_EINVAL,
	  "signer: expected a string or an array" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"signer_title\": \"Chủ tịch\"}", VB_EINVAL,
	  "signer_title: given without signer" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"signers\": [{\"title\": \"Chủ tịch\"}]}",
	  VB_EINVAL, "signers[0].name: expected a non-empty string" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"signers\": [{\"name\": \"A\"}], "
	  "\"signer\": \"B\"}", VB_EINVAL, "signers: cannot be combined" },
	{ "{\"source_id\": \"1\", \"number\": \"1/QĐ\", \"number\": \"2/QĐ\"}", VB_EINVAL,
	  "duplicate" },
	{ "{\"source_id\": \"1\", \"number\": \"---\"}", VB_EINVAL, "number: not a document number" },
	{ "{\"source_id\": \"1\", \"text\": \"a\\u0000b\"}", VB_EINVAL, "invalid JSON" },
	{ "{\"source_id\": \"1\", \"text\": \"\xff\xfe\"}", VB_EINVAL, "invalid JSON" },
};

static void test_bad(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		vb_document doc;
		vb_error err;
		int rc = parse(bad_cases[i].line, &doc, &err);

		tap_is_int(rc, bad_cases[i].code, "bad case %zu rejected", i);
		tap_ok(strstr(err.msg, bad_cases[i].fragment) != NULL,
		       "bad case %zu message contains '%s'", i, bad_cases[i].fragment);
		if (!strstr(err.msg, bad_cases[i].fragment))
			printf("#   message: %s\n", err.msg);
		tap_ok(doc.source_id == NULL && doc.n_files == 0, "bad case %zu leaves doc empty", i);
		vb_document_dispose(&doc);
	}
}

static void test_full(void)
{
	const char *line =
		"\xEF\xBB\xBF{\"source\": \"qn\", \"source_id\": \"05-2023\", \"number\": \"05/2023/QĐ-UBND\","
		" \"form\": \"Quyết định\", \"issuer\": \"UBND tỉnh Quảng Ninh\","
		" \"issue_date\": \"2023-02-16\", \"effective_date\": \"01/03/2023\","
		" \"abstract\": \"Ban hành Quy chế\", \"signer\": \"Cao Tường Huy\","
		" \"signer_title\": \"Q. Chủ tịch\", \"status\": \"Còn hiệu lực\","
		" \"fields\": [\"Công nghệ thông tin\", \"\", \"Bộ máy hành chính\"],"
		" \"category\": \"normative\", \"text\": \"Điều 1.\","
		" \"files\": [\"a.pdf\", {\"path\": \"sub/b.docx\", \"name\": \"Bản gốc.docx\","
		" \"media_type\": \"application/vnd.openxmlformats-officedocument.wordprocessingml.document\"}]}\r";
	vb_document doc;
	vb_error err;
	char want[256];
	int rc = parse(line, &doc, &err);

	tap_is_int(rc, 0, "full record parses (%s)", err.msg);
	tap_is_str(doc.source, "qn", "source");
	tap_is_str(doc.source_id, "05-2023", "source_id");
	tap_is_str(doc.number, "05/2023/QĐ-UBND", "number");
	tap_is_str(doc.number_canonical, "5/2023/QD-UBND", "number_canonical");
	tap_is_str(doc.form, "Quyết định", "form");
	tap_is_str(doc.issuer, "UBND tỉnh Quảng Ninh", "issuer");
	tap_is_str(doc.issue_date, "2023-02-16", "issue_date");
	tap_is_str(doc.effective_date, "2023-03-01", "effective_date from dd/mm/yyyy");
	tap_is_str(doc.expiry_date, "", "no expiry_date");
	tap_is_str(doc.abstract, "Ban hành Quy chế", "abstract");
	tap_is_int(doc.n_signers, 1, "one signer");
	if (doc.n_signers == 1) {
		tap_is_str(doc.signers[0].name, "Cao Tường Huy", "signer name");
		tap_is_str(doc.signers[0].title, "Q. Chủ tịch", "signer title");
	}
	tap_is_str(doc.status, "in_force", "status label -> code");
	tap_is_int(doc.n_fields, 2, "two fields (empty one skipped)");
	if (doc.n_fields == 2)
		tap_is_str(doc.fields[1], "Bộ máy hành chính", "second field");
	tap_is_str(doc.category, "normative", "category");
	tap_is_str(doc.language, "vi", "language defaults to vi");
	tap_is_str(doc.text, "Điều 1.", "text");
	tap_is_int(doc.n_files, 2, "two files");
	if (doc.n_files == 2) {
		snprintf(want, sizeof(want), "%s/a.pdf", dir);
		tap_is_str(doc.files[0].src_path, want, "file 0 path under the manifest dir");
		tap_is_str(doc.files[0].name, "a.pdf", "file 0 name from path");
		tap_ok(doc.files[0].media_type == NULL, "file 0 media type left to detection");
		tap_is_int(doc.files[0].size, 4, "file 0 size");
		tap_is_str(doc.files[1].name, "Bản gốc.docx", "file 1 explicit name");
		tap_ok(doc.files[1].media_type && strstr(doc.files[1].media_type, "wordprocessingml"),
		       "file 1 explicit media type");
	}
	vb_document_dispose(&doc);
}

static const struct value_case {
	const char *line;
	const char *what;
	const char *want;
} value_cases[] = {
	/* status labels in the spellings of the sources */
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"status\":\"Đang hiệu lực\"}", "status", "in_force" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"status\":\"Hết hiệu lực một phần\"}", "status",
	  "partly_expired" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"status\":\"Văn bản hết hiệu lực\"}", "status", "expired" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"status\":\"not_yet_in_force\"}", "status",
	  "not_yet_in_force" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"status\":\"Co\xcc\x80n hie\xcc\xa3\xcc\x82u lu\xcc\x9b\xcc\xa3" "c\"}",
	  "status", "in_force" }, /* NFD "Còn hiệu lực" (odd mark order) */
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\"}", "status", "unknown" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"status\":null}", "status", "unknown" },
	/* dates */
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"issue_date\":\"2024-02-29\"}", "issue_date", "2024-02-29" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"issue_date\":\"4/9/2020\"}", "issue_date", "2020-09-04" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"issue_date\":\"\"}", "issue_date", "" },
	/* normalisation: NFD -> NFC, U+00D0 -> Đ, NBSP -> space */
	{ "{\"source_id\":\"1\",\"abstract\":\"quye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh\"}", "abstract",
	  "quyết định" },
	{ "{\"source_id\":\"1\",\"number\":\"2403/Q\xc3\x90-UBND\"}", "number", "2403/QĐ-UBND" },
	{ "{\"source_id\":\"1\",\"number\":\"2403/Q\xc3\x90-UBND\"}", "number_canonical", "2403/QD-UBND" },
	{ "{\"source_id\":\"1\",\"abstract\":\"kho\xe1\xba\xa3n\xc2\xa0" "1 \xc3\x90i\xe1\xbb\x81u 40\"}",
	  "abstract", "khoản 1 Điều 40" },
	{ "{\"source_id\":\"1\",\"abstract\":\"a\\u00a0b\"}", "abstract", "a b" },
	/* source defaults to the caller's, integer source_id */
	{ "{\"source_id\":42,\"number\":\"1/QĐ\"}", "source", "testsrc" },
	{ "{\"source_id\":42,\"number\":\"1/QĐ\"}", "source_id", "42" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"language\":\"en-GB\"}", "language", "en-GB" },
	/* U+0085 (NEL) raw and escaped inside strings is content, not a line break */
	{ "{\"source_id\":\"nel\",\"text\":\"Điều 1.\xc2\x85\xc4\x90i\xe1\xbb\x81u 2.\",\"abstract\":\"x\"}",
	  "abstract", "x" },
	{ "{\"source_id\":\"nel\",\"text\":\"a\\u0085b\",\"number\":\"9/CP\"}", "number", "9/CP" },
	/* several signers */
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"signer\":[\"Nguyễn Văn A\",\"Trần Thị B\"],"
	  "\"signer_title\":[\"Chủ tịch\",\"Phó Chủ tịch\"]}", "signers", "Nguyễn Văn A|Chủ tịch;Trần Thị B|Phó Chủ tịch" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"signer\":[\"A\",\"B\"]}", "signers", "A|;B|" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"signers\":[{\"name\":\"A\",\"title\":\"T\"},"
	  "{\"name\":\"B\"}]}", "signers", "A|T;B|" },
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"signer\":\"\"}", "signers", "" },
	/* files: nested relative path */
	{ "{\"source_id\":\"1\",\"number\":\"1/QĐ\",\"files\":[\"./sub/b.docx\"]}", "file0", "b.docx" },
};

static void value_of(const vb_document *d, const char *what, char *out, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	if (!strcmp(what, "status"))
		snprintf(out, n, "%s", d->status ? d->status : "(null)");
	else if (!strcmp(what, "issue_date"))
		snprintf(out, n, "%s", d->issue_date);
	else if (!strcmp(what, "abstract"))
		snprintf(out, n, "%s", d->abstract ? d->abstract : "(null)");
	else if (!strcmp(what, "number"))
		snprintf(out, n, "%s", d->number ? d->number : "(null)");
	else if (!strcmp(what, "number_canonical"))
		snprintf(out, n, "%s", d->number_canonical ? d->number_canonical : "(null)");
	else if (!strcmp(what, "source"))
		snprintf(out, n, "%s", d->source);
	else if (!strcmp(what, "source_id"))
		snprintf(out, n, "%s", d->source_id);
	else if (!strcmp(what, "language"))
		snprintf(out, n, "%s", d->language);
	else if (!strcmp(what, "file0"))
		snprintf(out, n, "%s", d->n_files ? d->files[0].name : "(none)");
	else if (!strcmp(what, "signers"))
		for (i = 0; i < d->n_signers && used < n; i++)
			used += (size_t)snprintf(out + used, n - used, "%s%s|%s", i ? ";" : "",
						 d->signers[i].name,
						 d->signers[i].title ? d->signers[i].title : "");
}

static void test_values(void)
{
	size_t i;
	char got[512];

	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		vb_document doc;
		vb_error err;
		int rc = parse(value_cases[i].line, &doc, &err);

		tap_is_int(rc, 0, "value case %zu parses (%s)", i, rc ? err.msg : "ok");
		if (rc)
			continue;
		value_of(&doc, value_cases[i].what, got, sizeof(got));
		tap_is_str(got, value_cases[i].want, "value case %zu: %s", i, value_cases[i].what);
		vb_document_dispose(&doc);
	}
}

static void test_nel_text(void)
{
	const char *line = "{\"source_id\":\"nel\",\"text\":\"A\xc2\x85" "B\"}";
	vb_document doc;
	vb_error err;

	tap_is_int(parse(line, &doc, &err), 0, "U+0085 inside text parses");
	tap_ok(doc.text && strstr(doc.text, "A") && strstr(doc.text, "B") &&
	       strlen(doc.text) >= 3, "text keeps both sides of U+0085");
	vb_document_dispose(&doc);
}

static void test_blank(void)
{
	tap_ok(vb_manifest_line_blank(" \t\r", 3), "blank line detected");
	tap_ok(vb_manifest_line_blank("", 0), "empty line is blank");
	tap_ok(!vb_manifest_line_blank(" {", 2), "non-blank line");
}

static void test_too_big(void)
{
	vb_document doc;
	vb_error err;
	/* the size is checked before anything is read, so no big buffer is needed */
	int rc = vb_manifest_parse_line("{}", VB_MANIFEST_LINE_MAX + 1, dir, NULL, &doc, &err);

	tap_is_int(rc, VB_ETOOBIG, "line over the limit is VB_ETOOBIG");
}

int main(void)
{
	char path[128];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/test_manifest.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/a.pdf", dir);
	if ((f = fopen(path, "w"))) {
		fputs("%PDF", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/sub/b.docx", dir);
	if ((f = fopen(path, "w"))) {
		fputs("PK", f);
		fclose(f);
	}

	test_bad();
	test_full();
	test_values();
	test_nel_text();
	test_blank();
	test_too_big();

	snprintf(path, sizeof(path), "%s/sub/b.docx", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a.pdf", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
