/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scans among staff uploads (part of upload.c, contract in upload.h and
 * upload_int.h): the page count of a PDF, its pages rendered and the text
 * recognised by tesseract.
 *
 * OCR runs in two kinds of child process, never in the daemon: one that
 * renders the PDF's pages to PNG files (poppler + cairo, under the same
 * CPU / address-space / wall-clock limits as extraction), and one
 * tesseract per page (exec'd with CPU and memory limits, killed at its
 * wall-clock deadline).
 */
#include "upload_int.h"

#include "buf.h"
#include "child.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
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
/* ---- child processes -------------------------------------------------- */

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

/* Read the child's stdout pipe into out (may be NULL; past its maximum
 * the rest is drained and dropped) until EOF or the deadline, then reap it
 * (vb_child_collect).  Returns 0 when it exited with status 0, VB_ETOOBIG
 * when killed at the deadline or for CPU, VB_EINVAL otherwise. */
static int child_collect(pid_t pid, int fd, vb_buf *out, double seconds)
{
	vb_child_status st;
	int status;

	vb_child_collect(pid, fd, out, seconds, 0, &st);
	status = st.status;
	if (st.timed_out || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU ||
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
int upload_pdf_pages(const char *path, const char *dir, int *pages, int *rendered)
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
int upload_ocr_pages(const char *dir, int n, char **text)
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
