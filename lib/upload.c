/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff uploads (see upload.h): store each file, extract its text in the
 * limited child of lib/extract.c, detect scans and OCR them when tesseract
 * can, propose metadata with vb_meta_extract, look for duplicates, and
 * keep the whole as a pending upload; confirm turns it into a document
 * through the manifest validators and vb_store_put_document.
 *
 * OCR runs in two kinds of child process, never in the daemon: one that
 * renders the PDF's pages to PNG files (poppler + cairo, under the same
 * CPU / address-space / wall-clock limits as extraction), and one
 * tesseract per page (exec'd with CPU and memory limits, killed at its
 * wall-clock deadline).
 */
#include "upload.h"

#include "buf.h"
#include "date.h"
#include "docnum.h"
#include "extract.h"
#include "filestore.h"
#include "legacy.h"
#include "log.h"
#include "manifest.h"
#include "meta.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <poppler.h>

#if defined(__SANITIZE_ADDRESS__)
#define NO_ADDRESS_LIMIT 1 /* ASan's shadow memory does not fit an RLIMIT_AS */
#endif

#define CHILD_CPU_SECONDS 60
#define CHILD_WALL_SECONDS 90
#define CHILD_MEMORY ((size_t)1024 * 1024 * 1024)
#define OCR_MEMORY ((size_t)2048 * 1024 * 1024)
#define OCR_TEXT_MAX ((size_t)4 * 1024 * 1024)  /* per page */
#define OCR_MAX_PIXELS 5000                      /* per side of a rendered page */
#define CMD_OUT_MAX ((size_t)64 * 1024)

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

/* ---- child processes -------------------------------------------------- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void child_limits(int cpu, size_t mem)
{
	struct rlimit rl;
	int fd;

	rl.rlim_cur = (rlim_t)cpu;
	rl.rlim_max = (rlim_t)cpu + 5;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef NO_ADDRESS_LIMIT
	rl.rlim_cur = rl.rlim_max = mem;
	setrlimit(RLIMIT_AS, &rl);
#else
	(void)mem;
#endif
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		if (!getenv("VANBAN_EXTRACT_DEBUG"))
			dup2(fd, 2);
		close(fd);
	}
}

/* Read the child's stdout pipe into out (at most max bytes, the rest is
 * drained) until EOF or the deadline, then reap it.  Returns 0 when it
 * exited with status 0, VB_ETOOBIG when killed at the deadline or for CPU,
 * VB_EINVAL otherwise. */
static int child_collect(pid_t pid, int fd, vb_buf *out, double seconds)
{
	double deadline = now_seconds() + seconds;
	char chunk[16384];
	int status = 0, killed = 0;

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double left = deadline - now_seconds();
		ssize_t r;
		int p;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		p = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (p <= 0)
			continue;
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out)
			vb_buf_append(out, chunk, (size_t)r); /* past the cap: dropped */
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (killed || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU ||
					       WTERMSIG(status) == SIGKILL ||
					       WTERMSIG(status) == SIGALRM)))
		return VB_ETOOBIG;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return VB_EINVAL;
	return 0;
}

/* Run argv (PATH search) with limits; its stdout goes to out. */
static int run_cmd(char *const argv[], vb_buf *out, int cpu, size_t mem, double seconds)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return VB_EAGAIN;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return VB_EAGAIN;
	}
	if (pid == 0) {
		child_limits(cpu, mem);
		dup2(fds[1], 1);
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	return child_collect(pid, fds[0], out, seconds);
}

static int ocr_state = -1;
static pthread_once_t ocr_once = PTHREAD_ONCE_INIT;

static void ocr_probe(void)
{
	char *argv[] = { "tesseract", "--list-langs", NULL };
	const char *p;
	vb_buf out;

	ocr_state = 0;
	if (getenv("VANBAN_NO_OCR"))
		return;
	vb_buf_init(&out, CMD_OUT_MAX);
	if (run_cmd(argv, &out, 10, OCR_MEMORY, 20) == 0 && out.data) {
		for (p = vb_buf_str(&out); p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, "vie", 3) && (p[3] == '\n' || p[3] == '\r' || !p[3]))
				ocr_state = 1;
	}
	vb_buf_dispose(&out);
}

int vb_upload_ocr_available(void)
{
	pthread_once(&ocr_once, ocr_probe);
	return ocr_state == 1;
}

/* Child: open the PDF, print "pages N\n", and when dir is not NULL render
 * up to max_pages pages to dir/page-NNN.png, printing "page I\n" for each. */
static void pdf_child(int fd, const char *path, const char *dir, int max_pages)
{
	PopplerDocument *doc;
	GError *gerr = NULL;
	char real[PATH_MAX], line[64], png[PATH_MAX + 32];
	gchar *uri;
	int n, i;

	child_limits(CHILD_CPU_SECONDS, CHILD_MEMORY);
	alarm(CHILD_WALL_SECONDS);
	if (!realpath(path, real) || !(uri = g_filename_to_uri(real, NULL, &gerr)))
		_exit(2);
	if (!(doc = poppler_document_new_from_file(uri, NULL, &gerr)))
		_exit(2);
	n = poppler_document_get_n_pages(doc);
	snprintf(line, sizeof(line), "pages %d\n", n);
	if (write(fd, line, strlen(line)) < 0)
		_exit(3);
	for (i = 0; dir && i < n && i < max_pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		cairo_surface_t *s;
		cairo_t *cr;
		double w = 0, h = 0, scale = VB_UPLOAD_OCR_DPI / 72.0;
		int pw, ph;

		if (!page)
			_exit(2);
		poppler_page_get_size(page, &w, &h);
		if (w <= 0 || h <= 0)
			_exit(2);
		if (w * scale > OCR_MAX_PIXELS)
			scale = OCR_MAX_PIXELS / w;
		if (h * scale > OCR_MAX_PIXELS)
			scale = OCR_MAX_PIXELS / h;
		pw = (int)(w * scale);
		ph = (int)(h * scale);
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw > 0 ? pw : 1, ph > 0 ? ph : 1);
		cr = cairo_create(s);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, scale, scale);
		poppler_page_render_for_printing(page, cr);
		cairo_destroy(cr);
		snprintf(png, sizeof(png), "%s/page-%03d.png", dir, i + 1);
		if (cairo_surface_write_to_png(s, png) != CAIRO_STATUS_SUCCESS)
			_exit(2);
		cairo_surface_destroy(s);
		g_object_unref(page);
		snprintf(line, sizeof(line), "page %d\n", i + 1);
		if (write(fd, line, strlen(line)) < 0)
			_exit(3);
	}
	_exit(0);
}

/* Page count of a PDF (and, with dir, its pages rendered); *rendered gets
 * how many pages were rendered.  0 or a VB_E* code. */
static int pdf_pages(const char *path, const char *dir, int *pages, int *rendered)
{
	int fds[2], rc;
	pid_t pid;
	vb_buf out;
	const char *p;

	*pages = 0;
	*rendered = 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return VB_EAGAIN;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return VB_EAGAIN;
	}
	if (pid == 0) {
		close(fds[0]);
		pdf_child(fds[1], path, dir, VB_UPLOAD_OCR_MAX_PAGES);
	}
	close(fds[1]);
	vb_buf_init(&out, CMD_OUT_MAX);
	rc = child_collect(pid, fds[0], &out, CHILD_WALL_SECONDS + 5);
	for (p = out.data ? vb_buf_str(&out) : NULL; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, "pages ", 6))
			*pages = atoi(p + 6);
		else if (!strncmp(p, "page ", 5))
			*rendered = atoi(p + 5);
	}
	vb_buf_dispose(&out);
	return *pages > 0 ? 0 : (rc ? rc : VB_EINVAL);
}

/* OCR the rendered pages in dir with tesseract; *text gets the NFC text. */
static int ocr_pages(const char *dir, int n, char **text)
{
	vb_buf all;
	char png[PATH_MAX + 32];
	int i, rc = 0;

	*text = NULL;
	vb_buf_init(&all, OCR_TEXT_MAX * 8);
	for (i = 1; i <= n && !rc; i++) {
		char *argv[] = { "tesseract", png, "stdout", "-l", "vie", NULL };
		vb_buf page;

		snprintf(png, sizeof(png), "%s/page-%03d.png", dir, i);
		vb_buf_init(&page, OCR_TEXT_MAX);
		rc = run_cmd(argv, &page, VB_UPLOAD_OCR_SECONDS, OCR_MEMORY, VB_UPLOAD_OCR_SECONDS + 5);
		if (!rc && page.len) {
			if (all.len)
				vb_buf_putc(&all, '\n');
			vb_buf_append(&all, page.data, page.len);
		}
		vb_buf_dispose(&page);
		unlink(png);
	}
	if (!rc && !(*text = vb_text_normalize(all.data ? all.data : "", all.len)))
		rc = VB_ENOMEM;
	vb_buf_dispose(&all);
	return rc;
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

		if (!pdf_pages(in->path, NULL, &pages, &rendered))
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
			if (!(made = mkdtemp(dir) != NULL) || pdf_pages(in->path, dir, &pages, &rendered) || rendered < 1 ||
			    ocr_pages(dir, rendered, &ocr) || text_chars(ocr) == 0) {
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
static const char *proposed(json_t *proposal, const char *key)
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
	if (proposed(proposal, "number"))
		number_canonical = vb_docnum_canonical(proposed(proposal, "number"));
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
	probe.issuer = proposed(proposal, "issuer");
	probe.issue_date = proposed(proposal, "issue_date");
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
			"issuer", proposed(proposal, "issuer"),
			"issue_date", proposed(proposal, "issue_date"),
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

/* ---- confirm / reject ------------------------------------------------- */

static int is_true(json_t *body, const char *key)
{
	return json_is_true(json_object_get(body, key));
}

/* Attach the upload's stored files (those with a SHA-256) to doc, skipping
 * content it has already. */
static int attach_files(vb_document *doc, json_t *files, vb_error *err)
{
	json_t *f;
	size_t i, k;

	json_array_foreach(files, i, f) {
		const char *sha = json_string_value(json_object_get(f, "sha256"));
		vb_file *df;
		int have = 0;

		if (!sha)
			continue;
		for (k = 0; k < doc->n_files; k++)
			if (!strcmp(doc->files[k].sha256, sha))
				have = 1;
		if (have)
			continue;
		if (!(df = vb_document_add_file(doc)) ||
		    vb_strset(&df->name, json_string_value(json_object_get(f, "name"))) ||
		    vb_strset(&df->media_type, json_string_value(json_object_get(f, "media_type"))))
			return vb_error_set(err, VB_ENOMEM, "out of memory");
		snprintf(df->sha256, sizeof(df->sha256), "%s", sha);
		df->size = (int64_t)json_integer_value(json_object_get(f, "size"));
	}
	return 0;
}

/* The manifest record for a confirmed upload: the proposal's values, the
 * body's corrections over them, source and text from the upload. */
static int confirm_record(int64_t id, json_t *up, const char *text, json_t *body,
			  json_t **out, vb_error *err)
{
	static const char *const refused[] = { "source", "source_id", "text", "files", NULL };
	json_t *proposal = json_object_get(up, "proposal"), *m, *v;
	const char *key;
	char idbuf[32];
	size_t i;

	*out = NULL;
	if (!(m = json_object()))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	for (i = 0; vb_upload_fields[i]; i++) {
		const char *val = proposed(proposal, vb_upload_fields[i]);

		if (val)
			json_object_set_new(m, vb_upload_fields[i], json_string(val));
	}
	json_object_foreach(body, key, v) {
		if (!strcmp(key, "link_duplicate") || !strcmp(key, "not_duplicate") ||
		    !strcmp(key, "document_id"))
			continue;
		for (i = 0; refused[i]; i++)
			if (!strcmp(key, refused[i])) {
				json_decref(m);
				return vb_error_set(err, VB_EINVAL,
						    "%s: cannot be set when confirming an upload", key);
			}
		if (!strcmp(key, "signers")) {
			json_object_del(m, "signer");
			json_object_del(m, "signer_title");
		}
		json_object_set(m, key, v);
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	json_object_set_new(m, "source", json_string("upload"));
	json_object_set_new(m, "source_id", json_string(idbuf));
	if (text && *text)
		json_object_set_new(m, "text", json_string(text));
	*out = m;
	return 0;
}

int vb_upload_confirm(vb_store *st, int64_t id, json_t *body, vb_upload_outcome *oc,
		      vb_error *err)
{
	json_t *up = NULL, *rec = NULL, *dups, *d;
	char *text = NULL, *line = NULL;
	vb_document doc;
	const char *status;
	int64_t target = 0;
	size_t i;
	uint64_t h = 0;
	int rc, link, notdup, has;

	memset(oc, 0, sizeof(*oc));
	vb_document_init(&doc);
	if (!json_is_object(body))
		return vb_error_set(err, VB_EINVAL, "the body must be a JSON object");
	if ((rc = vb_store_upload_get(st, id, &up, &text, err)))
		goto out;
	status = json_string_value(json_object_get(up, "status"));
	if (!status || (strcmp(status, "draft") && strcmp(status, "submitted"))) {
		oc->conflict = 1;
		rc = vb_error_set(err, VB_EINVAL, "upload %lld is already %s", (long long)id,
				  status ? status : "finished");
		goto out;
	}
	link = is_true(body, "link_duplicate");
	notdup = is_true(body, "not_duplicate");
	dups = json_object_get(up, "duplicates");
	if (link && notdup) {
		rc = vb_error_set(err, VB_EINVAL, "link_duplicate and not_duplicate exclude each other");
		goto out;
	}
	if (json_array_size(dups) && !link && !notdup) {
		oc->conflict = 1;
		rc = vb_error_set(err, VB_EINVAL,
				  "upload %lld may be a duplicate: confirm with \"link_duplicate\": true "
				  "or \"not_duplicate\": true", (long long)id);
		goto out;
	}
	if (link) {
		json_t *want = json_object_get(body, "document_id");

		if (want && !json_is_integer(want)) {
			rc = vb_error_set(err, VB_EINVAL, "document_id: must be an integer");
			goto out;
		}
		json_array_foreach(dups, i, d) {
			json_int_t did = json_integer_value(json_object_get(d, "document_id"));

			if (did > 0 && (!want || did == json_integer_value(want))) {
				target = did;
				break;
			}
		}
		if (!target) {
			oc->conflict = 1;
			rc = vb_error_set(err, VB_EINVAL, want ?
					  "document_id: not among the duplicates of this upload" :
					  "nothing to link to: no stored document duplicates this upload");
			goto out;
		}
		if ((rc = vb_store_get_document(st, target, 1, &doc, err)) ||
		    (rc = attach_files(&doc, json_object_get(up, "files"), err)) ||
		    (rc = vb_store_put_document(st, &doc, NULL, err)))
			goto out;
		oc->linked = 1;
	} else {
		if ((rc = confirm_record(id, up, text, body, &rec, err)))
			goto out;
		if (!(line = json_dumps(rec, JSON_COMPACT))) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = vb_manifest_parse_line(line, strlen(line), ".", "upload", &doc, err)) ||
		    (rc = attach_files(&doc, json_object_get(up, "files"), err)) ||
		    (rc = vb_store_put_document(st, &doc, NULL, err)))
			goto out;
		has = vb_upload_simhash(doc.text, &h);
		if ((rc = vb_store_document_simhash_set(st, doc.id, has, h, err)))
			goto out;
		/* relations: what the text says it replaces, amends, is based on
		 * (a failure here does not undo the confirmation) */
		if (doc.text && vb_store_relations_from_text(st, doc.id, doc.text, NULL))
			vb_log(VB_LOG_WARN, "upload %lld: relations from the text not stored",
			       (long long)id);
	}
	oc->document_id = doc.id;
	if ((rc = vb_store_upload_finish(st, id, "published", doc.id, oc->linked, err)) &&
	    rc == VB_EINVAL)
		oc->conflict = 1;
out:
	json_decref(up);
	json_decref(rec);
	free(text);
	free(line);
	vb_document_dispose(&doc);
	return rc;
}

int vb_upload_reject(vb_store *st, int64_t id, vb_error *err)
{
	return vb_store_upload_finish(st, id, "rejected", 0, 0, err);
}
