/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fixture_httpd: a small HTTP server on 127.0.0.1 for the sync tests.  It
 * serves the real saved vbpl.vn pages of the corpus under the site's URL
 * layout, found through vbpl_html_fixtures/index.tsv (file name prefix ->
 * page, ItemID column -> ItemID):
 *
 *   /TW/Pages/vbpq-timkiem.aspx?...&Page=N     LIST_DIR/vbpl_list_pN.html
 *   /TW/Pages/vbpq-thuoctinh.aspx?ItemID=N     thuoctinh_N_*.html
 *   /TW/Pages/vbpq-thuoctinh-hopnhat.aspx?...  thuoctinh_hopnhat_N_*.html
 *   /TW/Pages/vbpq-toanvan.aspx?ItemID=N       toanvan_N_*.html
 *   /TW/Pages/vbpq-luocdo.aspx?ItemID=N        luocdo_N_*.html
 *   /TW/Pages/vbpq-luocdo-hopnhat.aspx?...     luocdo_hopnhat_N_*.html
 *   /TW/Pages/vbpq-vanbanlienquan.aspx?...     vanbanlienquan_N_*.html
 *   [/FileData]/TW/Lists/vbpq/Attachments/N/NAME
 *                                    vbpl_original_files/(N)-NAME (' ' -> '_')
 *
 * and the saved Sơn La gazette pages (congbao_sonla/html_samples):
 *
 *   /congbao.nsf/GazettesByYearMonth?...&RestrictToCategory=2026
 *                                    gazettes_by_year_2026.html
 *   /congbao.nsf/DocumentsByGazette?...&ParentUNID=9dfcfd66...
 *                                    documents_by_gazette_sample.html (the
 *                                    newest issue, Số 47; other issues 404)
 *
 * Failures, switchable while it runs: each request re-reads the control
 * file (--control FILE), lines "SUBSTRING MODE" matched against
 * "PATH?QUERY": 500 (HTTP 500), 404, stall (no answer for 60 s),
 * truncate (half the body, then the connection is closed although the
 * Content-Length promised more), layout (the page with its classes
 * renamed: vbProperties, toanvancontent, vbLuocDo, luocdo, listLaw).
 * Every request is appended to --log FILE as "User-Agent<TAB>PATH?QUERY".
 *
 * Usage: fixture_httpd CORPUS_DIR LIST_DIR [--control FILE] [--log FILE]
 * Prints the port it listens on (random) on the first line of stdout.
 */
#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *corpus, *list_dir, *control_file, *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

struct entry {
	char file[256];
	long item;
};
static struct entry entries[64];
static size_t n_entries;

static void load_index(void)
{
	char p[1024], line[2048];
	FILE *f;

	snprintf(p, sizeof(p), "%s/vbpl_html_fixtures/index.tsv", corpus);
	if (!(f = fopen(p, "r"))) {
		fprintf(stderr, "fixture_httpd: cannot open %s: %s\n", p, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f) && n_entries < 64) {
		char *file = strtok(line, "\t"), *type = strtok(NULL, "\t"), *item = strtok(NULL, "\t");

		if (!file || !type || !item || !strcmp(file, "file"))
			continue;
		snprintf(entries[n_entries].file, sizeof(entries[n_entries].file), "%s", file);
		entries[n_entries].item = atol(item);
		n_entries++;
	}
	fclose(f);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(b = malloc((size_t)n + 1)) || fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	b[n] = '\0';
	*len = (size_t)n;
	return b;
}

/* The failure mode for key, or "" (buffer mode). */
static void failure_mode(const char *key, char mode[32])
{
	char line[1024];
	FILE *f;

	mode[0] = '\0';
	if (!control_file || !(f = fopen(control_file, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char pat[900], m[32];

		if (sscanf(line, "%899s %31s", pat, m) == 2 && strstr(key, pat)) {
			snprintf(mode, 32, "%s", m);
			break;
		}
	}
	fclose(f);
}

/* The file serving path (with ItemID item, Page page). */
static int find_file(const char *url, long item, long page, const char *cat, const char *unid,
		     char *out, size_t n)
{
	static const struct {
		const char *page, *prefix;
	} pages[] = {
		{ "/vbpq-thuoctinh.aspx", "thuoctinh_" },
		{ "/vbpq-thuoctinh-hopnhat.aspx", "thuoctinh_hopnhat_" },
		{ "/vbpq-toanvan.aspx", "toanvan_" },
		{ "/vbpq-luocdo.aspx", "luocdo_" },
		{ "/vbpq-luocdo-hopnhat.aspx", "luocdo_hopnhat_" },
		{ "/vbpq-vanbanlienquan.aspx", "vanbanlienquan_" },
	};
	const char *att;
	size_t i, k;

	if (!strcmp(url, "/congbao.nsf/GazettesByYearMonth")) {
		if (!cat || strcmp(cat, "2026"))
			return -1;
		if (snprintf(out, n, "%s/congbao_sonla/html_samples/gazettes_by_year_2026.html", corpus) >=
		    (int)n)
			return -1;
		return 0;
	}
	if (!strcmp(url, "/congbao.nsf/DocumentsByGazette")) {
		if (!unid || strcasecmp(unid, "9dfcfd66b883637547258e3e0036f709"))
			return -1;
		if (snprintf(out, n, "%s/congbao_sonla/html_samples/documents_by_gazette_sample.html",
			     corpus) >= (int)n)
			return -1;
		return 0;
	}
	if (strstr(url, "/vbpq-timkiem.aspx")) {
		if (snprintf(out, n, "%s/vbpl_list_p%ld.html", list_dir, page > 0 ? page : 1) >= (int)n)
			return -1;
		return access(out, R_OK) ? -1 : 0;
	}
	if ((att = strstr(url, "/TW/Lists/vbpq/Attachments/"))) {
		const char *p = att + strlen("/TW/Lists/vbpq/Attachments/");
		long id = atol(p);
		const char *name = strchr(p, '/');
		char fixed[512];

		if (!name || id <= 0 || strstr(name + 1, "/") || strstr(name, ".."))
			return -1;
		snprintf(fixed, sizeof(fixed), "%s", name + 1);
		for (k = 0; fixed[k]; k++)
			if (fixed[k] == ' ')
				fixed[k] = '_';
		if (snprintf(out, n, "%s/vbpl_original_files/(%ld)-%s", corpus, id, fixed) >= (int)n)
			return -1;
		return access(out, R_OK) ? -1 : 0;
	}
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		const char *slash = strrchr(url, '/');

		if (!slash || strcasecmp(slash, pages[i].page))
			continue;
		for (k = 0; k < n_entries; k++) {
			char want[64];
			size_t wl;

			wl = (size_t)snprintf(want, sizeof(want), "%s%ld_", pages[i].prefix, item);
			if (entries[k].item == item && !strncmp(entries[k].file, want, wl)) {
				if (snprintf(out, n, "%s/vbpl_html_fixtures/%s", corpus,
					     entries[k].file) >= (int)n)
					return -1;
				return 0;
			}
		}
	}
	return -1;
}

static void rename_classes(char *b)
{
	static const char *const words[] = { "vbProperties", "toanvancontent", "vbLuocDo",
					     "luocdo", "listLaw", NULL };
	size_t i;

	for (i = 0; words[i]; i++) {
		char *p = b;
		size_t n = strlen(words[i]);

		while ((p = strstr(p, words[i]))) {
			p[n - 1] = 'X';
			p += n;
		}
	}
}

struct trunc {
	char *data;
	size_t len;
};

static ssize_t trunc_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct trunc *t = cls;
	size_t half = t->len / 2;

	if (pos >= half)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (max > half - pos)
		max = half - (size_t)pos;
	memcpy(buf, t->data + pos, max);
	return (ssize_t)max;
}

static void trunc_free(void *cls)
{
	struct trunc *t = cls;

	free(t->data);
	free(t);
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *s)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(s), (void *)s, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret = MHD_queue_response(c, status, r);

	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	const char *q_item = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ItemID");
	const char *q_page = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "Page");
	const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	const char *q_cat = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "RestrictToCategory");
	const char *q_unid = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ParentUNID");
	char key[2048], mode[32], path[2048];
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body;
	size_t len;

	(void)cls;
	(void)version;
	(void)upload;
	(void)upload_size;
	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (strcmp(method, "GET"))
		return send_text(c, 405, "GET only\n");
	if (snprintf(key, sizeof(key), "%s?%s%s%s%s%s%s%s%s", url, q_item ? "ItemID=" : "",
		     q_item ? q_item : "", q_page ? "Page=" : "", q_page ? q_page : "",
		     q_cat ? "RestrictToCategory=" : "", q_cat ? q_cat : "",
		     q_unid ? "ParentUNID=" : "", q_unid ? q_unid : "") >= (int)sizeof(key))
		return send_text(c, 414, "too long\n");
	if (log_file) {
		FILE *f;

		pthread_mutex_lock(&log_lock);
		if ((f = fopen(log_file, "a"))) {
			fprintf(f, "%s\t%s\n", ua ? ua : "-", key);
			fclose(f);
		}
		pthread_mutex_unlock(&log_lock);
	}
	failure_mode(key, mode);
	if (!strcmp(mode, "500"))
		return send_text(c, 500, "<html><body>Server Error</body></html>\n");
	if (!strcmp(mode, "404"))
		return send_text(c, 404, "not found\n");
	if (!strcmp(mode, "stall")) {
		sleep(60);
		return MHD_NO;
	}
	if (find_file(url, q_item ? atol(q_item) : 0, q_page ? atol(q_page) : 0, q_cat, q_unid, path,
		      sizeof(path)) ||
	    !(body = slurp(path, &len)))
		return send_text(c, 404, "not found\n");
	if (!strcmp(mode, "layout"))
		rename_classes(body);
	if (!strcmp(mode, "truncate")) {
		struct trunc *t = malloc(sizeof(*t));

		if (!t) {
			free(body);
			return MHD_NO;
		}
		t->data = body;
		t->len = len;
		r = MHD_create_response_from_callback(len, 32 * 1024, trunc_reader, t, trunc_free);
	} else {
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	MHD_add_response_header(r, "Content-Type",
				strstr(path, ".html") ? "text/html; charset=utf-8"
						      : "application/octet-stream");
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	int i, sig;

	if (argc < 3) {
		fprintf(stderr, "usage: fixture_httpd CORPUS_DIR LIST_DIR [--control FILE] [--log FILE]\n");
		return 2;
	}
	corpus = argv[1];
	list_dir = argv[2];
	for (i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--control"))
			control_file = argv[i + 1];
		else if (!strcmp(argv[i], "--log"))
			log_file = argv[i + 1];
	}
	load_index();
	/* 127.0.0.1 only, a port the kernel picks */
	{
		struct sockaddr_in sa;

		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa.sin_port = 0;
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
					     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
				     0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
				     MHD_OPTION_END);
	}
	if (!d || !(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
		fprintf(stderr, "fixture_httpd: could not listen\n");
		return 1;
	}
	printf("%u\n", (unsigned)info->port);
	fflush(stdout);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
