/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text extraction (see extract.h): detection of the type, the choice of
 * the extractor and the child process.  The extractors proper run in
 * vb_extract_text_inprocess: PDF in extract_pdf.c, DOCX, ODT, Word .doc
 * and RTF in extract_office.c, HTML and plain text in extract_text.c
 * (internals shared through extract_int.h).  vb_extract_text forks a
 * child that runs it under setrlimit (CPU, address space) and alarm(), and
 * reads the result back from a pipe:
 *
 *   'T' text...                   success
 *   'E' int32 code, message...    a clean error from the extractor
 *
 * Anything else (a signal, a short message) is reported as an error of the
 * file.  The parent reads the pipe with vb_child_collect (child.c), which
 * also enforces the wall-clock deadline with SIGKILL, so a child stuck in
 * uninterruptible code cannot hang an import.
 */
#include "extract_int.h"
#include "legacy.h"
#include "rtf.h"

#include "buf.h"
#include "child.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory: an RLIMIT_AS would kill every child.  The CPU and wall-clock
 * limits still apply in sanitizer builds. */
#define NO_ADDRESS_LIMIT 1
#endif

#define SNIFF_BYTES 4096

/* ---- small helpers ---------------------------------------------------- */

/* Read at most max bytes of path into *out (NUL-terminated).  VB_ETOOBIG
 * when the file is larger. */
int extract_read_file(const char *path, size_t max, char **out, size_t *len, vb_error *err)
{
	vb_buf b;
	char chunk[65536];
	int fd, rc = 0;
	ssize_t r;

	*out = NULL;
	*len = 0;
	vb_buf_init(&b, max);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = vb_error_set(err, VB_EIO, "could not read file \"%s\": %s",
					  path, strerror(errno));
			goto out;
		}
		if ((rc = vb_buf_append(&b, chunk, (size_t)r))) {
			if (rc == VB_ETOOBIG)
				vb_error_set(err, rc, "file \"%s\" is larger than %zu bytes", path, max);
			else
				vb_error_set(err, rc, "out of memory");
			goto out;
		}
	}
	*len = b.len;
	if (!(*out = vb_buf_steal(&b)) && !(*out = strdup("")))
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	close(fd);
	vb_buf_dispose(&b);
	return rc;
}

static int has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncasecmp(s, prefix, n);
}

static int contains_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n))
			return 1;
	return 0;
}

/* Append a newline unless the text is empty or already ends with one. */
int extract_ensure_newline(vb_buf *b)
{
	if (b->len == 0 || b->data[b->len - 1] == '\n')
		return 0;
	return vb_buf_putc(b, '\n');
}

void extract_walk_put(struct extract_walk *w, const char *s, size_t n)
{
	if (!w->rc)
		w->rc = vb_buf_append(w->out, s, n);
}

/* ---- detection -------------------------------------------------------- */

static const char *detect_bytes(const char *s, size_t n)
{
	size_t i = 0, k, ctl = 0;

	if (n >= 5 && !memcmp(s, "%PDF-", 5))
		return VB_MEDIA_PDF;
	if (n >= 8 && !memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return VB_MEDIA_DOC;
	if (vb_rtf_is_rtf(s, n))
		return VB_MEDIA_RTF;
	if (memchr(s, '\0', n))
		return VB_MEDIA_OCTET;
	/* Text in a legacy 8-bit encoding (TCVN3, VNI) is still text: it is
	 * refused later as not UTF-8, with a clearer message.  Binary data has
	 * control characters. */
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
			ctl++;
	}
	if (ctl * 100 > n)
		return VB_MEDIA_OCTET;
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i < n && s[i] == '<' &&
	    (has_prefix_ci(s + i, n - i, "<!doctype html") || contains_ci(s + i, n - i, "<html") ||
	     contains_ci(s + i, n - i, "<body") || contains_ci(s + i, n - i, "<head")))
		return VB_MEDIA_HTML;
	return VB_MEDIA_TEXT;
}

int vb_extract_detect(const char *path, const char **media_type, vb_error *err)
{
	char buf[SNIFF_BYTES];
	ssize_t n;
	int fd;

	*media_type = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return vb_error_set(err, VB_EIO, "could not open file \"%s\": %s", path, strerror(errno));
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return vb_error_set(err, VB_EIO, "could not read file \"%s\": %s", path, strerror(errno));
	if (n >= 4 && !memcmp(buf, "PK\x03\x04", 4))
		*media_type = extract_zip_type(path);
	else
		*media_type = detect_bytes(buf, (size_t)n);
	return 0;
}

int vb_extract_supported(const char *media_type)
{
	return media_type && (!strcmp(media_type, VB_MEDIA_PDF) || !strcmp(media_type, VB_MEDIA_DOCX) ||
			      !strcmp(media_type, VB_MEDIA_ODT) || !strcmp(media_type, VB_MEDIA_HTML) ||
			      !strcmp(media_type, VB_MEDIA_TEXT) || !strcmp(media_type, VB_MEDIA_DOC) ||
			      !strcmp(media_type, VB_MEDIA_RTF));
}

/* ---- the choice of the extractor -------------------------------------- */

/* Text typed in a .VnTime (TCVN3) or VNI font comes out of every reader as
 * Windows-1252 look-alikes ("S¾C LÖNH"): repair those paragraphs, and
 * capitals-font headings, in place. */
static int fix_legacy(vb_buf *out, vb_error *err)
{
	char *fixed = NULL;
	int changed = 0, rc;

	if (!out->len)
		return 0;
	if ((rc = vb_legacy_fix_text(out->data, out->len, &fixed, &changed, err)))
		return rc;
	vb_buf_reset(out);
	rc = vb_buf_puts(out, fixed);
	free(fixed);
	return rc;
}

int vb_extract_text_inprocess(const char *path, const char *media_type,
			      char **text_out, size_t *len_out, vb_error *err)
{
	const char *detected = NULL;
	vb_buf out;
	int rc;

	*text_out = NULL;
	if (len_out)
		*len_out = 0;
	vb_buf_init(&out, VB_EXTRACT_MAX_TEXT);
	if ((rc = vb_extract_detect(path, &detected, err)))
		return rc;
	if (media_type && !strcmp(detected, VB_MEDIA_TEXT) && !strcmp(media_type, VB_MEDIA_HTML))
		detected = VB_MEDIA_HTML;
	if (!strcmp(detected, VB_MEDIA_PDF))
		rc = extract_pdf(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_DOCX))
		rc = extract_office(path, 0, &out, err);
	else if (!strcmp(detected, VB_MEDIA_ODT))
		rc = extract_office(path, 1, &out, err);
	else if (!strcmp(detected, VB_MEDIA_HTML))
		rc = extract_html(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_TEXT))
		rc = extract_txt(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_DOC))
		rc = extract_doc(path, &out, err);
	else if (!strcmp(detected, VB_MEDIA_RTF))
		rc = extract_rtf(path, &out, err);
	else
		rc = vb_error_set(err, VB_EUNSUPPORTED, "file \"%s\" has an unsupported type (%s)",
				  path, detected);
	if (!rc)
		rc = fix_legacy(&out, err);
	if (rc) {
		vb_buf_dispose(&out);
		return rc;
	}
	if (len_out)
		*len_out = out.len;
	if (!(*text_out = vb_buf_steal(&out)) && !(*text_out = strdup("")))
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	return 0;
}

/* ---- the child process ------------------------------------------------ */

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void child_run(int fd, const char *path, const char *media_type)
{
	struct rlimit rl;
	char *text = NULL;
	size_t len = 0;
	vb_error err;
	const char *selftest;
	int rc, devnull;

	if (!getenv("VANBAN_EXTRACT_DEBUG") && (devnull = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(devnull, 2); /* poppler chatters about broken files on stderr */
		close(devnull);
	}
	rl.rlim_cur = VB_EXTRACT_CPU_SECONDS;
	rl.rlim_max = VB_EXTRACT_CPU_SECONDS + 5;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef NO_ADDRESS_LIMIT
	rl.rlim_cur = rl.rlim_max = VB_EXTRACT_MAX_MEMORY;
	setrlimit(RLIMIT_AS, &rl);
#endif
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	alarm(VB_EXTRACT_WALL_SECONDS);

	/* Fault injection for the tests of the parent's handling of a child
	 * that dies or answers nonsense. */
	if ((selftest = getenv("VANBAN_EXTRACT_SELFTEST"))) {
		if (!strcmp(selftest, "crash"))
			abort();
		if (!strcmp(selftest, "garbage")) {
			write_all(fd, "X", 1);
			_exit(0);
		}
	}
	vb_error_clear(&err);
	rc = vb_extract_text_inprocess(path, media_type, &text, &len, &err);
	if (rc == 0) {
		if (write_all(fd, "T", 1) || write_all(fd, text, len))
			_exit(3);
	} else {
		int32_t code = rc;

		if (write_all(fd, "E", 1) || write_all(fd, &code, sizeof(code)) ||
		    write_all(fd, err.msg, strlen(err.msg)))
			_exit(3);
	}
	free(text);
	_exit(0);
}

int vb_extract_text(const char *path, const char *media_type_or_null, char **text_out,
		    char **media_type_out, vb_error *err)
{
	const char *detected = NULL;
	vb_buf in;
	vb_child_status st;
	int fds[2] = { -1, -1 }, rc = 0, status;
	pid_t pid;

	*text_out = NULL;
	if (media_type_out)
		*media_type_out = NULL;
	vb_buf_init(&in, VB_EXTRACT_MAX_TEXT + 1 + VB_ERROR_MSG_MAX);
	if ((rc = vb_extract_detect(path, &detected, err)))
		return rc;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return vb_error_set(err, VB_EAGAIN, "could not create a pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = vb_error_set(err, VB_EAGAIN, "could not start the extraction process: %s",
				  strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0) {
		close(fds[0]);
		child_run(fds[1], path, media_type_or_null);
	}
	close(fds[1]);
	vb_child_collect(pid, fds[0], &in, VB_EXTRACT_WALL_SECONDS + 5, VB_CHILD_KILL_WHEN_FULL, &st);
	status = st.status;
	if (st.overflow) {
		rc = vb_error_set(err, VB_ETOOBIG, "text of \"%s\" is larger than %zu bytes",
				  path, VB_EXTRACT_MAX_TEXT);
		goto out;
	}
	if (st.timed_out) {
		rc = vb_error_set(err, VB_ETOOBIG, "extracting text from \"%s\" took longer than %d s",
				  path, VB_EXTRACT_WALL_SECONDS);
		goto out;
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig == SIGXCPU || sig == SIGKILL)
			rc = vb_error_set(err, VB_ETOOBIG,
					  "extracting text from \"%s\" used more than %d s of CPU time",
					  path, VB_EXTRACT_CPU_SECONDS);
		else if (sig == SIGALRM)
			rc = vb_error_set(err, VB_ETOOBIG, "extracting text from \"%s\" took longer than %d s",
					  path, VB_EXTRACT_WALL_SECONDS);
		else
			rc = vb_error_set(err, VB_EINVAL,
					  "extracting text from \"%s\" failed: the extractor crashed (%s)",
					  path, strsignal(sig));
		goto out;
	}
	if (in.len >= 1 + sizeof(int32_t) && in.data[0] == 'E') {
		int32_t code;

		memcpy(&code, in.data + 1, sizeof(code));
		if (code >= 0 || code < VB_EUNSUPPORTED)
			code = VB_EINVAL;
		rc = vb_error_set(err, code, "%.*s", (int)(in.len - 1 - sizeof(code)),
				  in.data + 1 + sizeof(code));
		goto out;
	}
	if (in.len < 1 || in.data[0] != 'T' || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = vb_error_set(err, VB_EINVAL,
				  "extracting text from \"%s\" failed: the extractor ran out of memory or stopped",
				  path);
		goto out;
	}
	if (!(*text_out = vb_text_normalize(in.data + 1, in.len - 1))) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	if (media_type_out && !(*media_type_out = strdup(
			media_type_or_null && !strcmp(detected, VB_MEDIA_TEXT) &&
			!strcmp(media_type_or_null, VB_MEDIA_HTML) ? VB_MEDIA_HTML : detected))) {
		free(*text_out);
		*text_out = NULL;
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
	}
out:
	vb_buf_dispose(&in);
	return rc;
}
