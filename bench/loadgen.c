/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench/loadgen: HTTP/1.1 keep-alive load driver for the comparative
 * benchmarks (bench/README.md).  C threads, one connection each, replay the
 * query set (bench/queries-mix.tsv: type, q, form, issuer) from different
 * starting points for a duration or a number of requests, and report per
 * query type the p50/p99/max latency, the requests per second, the errors
 * (connection failures and non-200 answers), and the driver's own CPU share
 * (getrusage against wall time x cores), so a report can show the client is
 * not the bottleneck.
 *
 *   bench/loadgen --url http://127.0.0.1:8080/api/v1/search -c 4
 *                 [-d SECONDS | -n REQUESTS] [--extra 'per_page=10']
 *                 [--label NAME] [--check] QUERIES.tsv
 *
 * The request is URL?q=..&form=..&issuer=..&EXTRA (empty columns left
 * out).  --check sends every query once and prints status, size and the
 * first bytes of each answer instead of measuring.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_QUERIES 10000
#define MAX_TYPES 16
#define MAX_CLIENTS 256
#define RESP_MAX (64u << 20)

typedef struct query { char *req; size_t len; int type; } query;

static query queries[MAX_QUERIES];
static size_t n_queries;
static char *types[MAX_TYPES];
static int n_types;
static char host[256], port[16], path[1024], extra[1024];
static double duration = 10;
static long max_requests;
static volatile int stop;

typedef struct sample { float ms; unsigned char type; } sample;

typedef struct worker {
	pthread_t tid;
	int idx;
	sample *s;
	size_t n, cap;
	long errors[MAX_TYPES];
	long conn_errors;     /* of the errors: connection failures */
	int last_status;      /* of the errors: the last non-200 status */
	long bytes;
} worker;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void urlenc(char *out, size_t cap, size_t *len, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s && *len + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			out[(*len)++] = (char)c;
		} else {
			out[(*len)++] = '%';
			out[(*len)++] = hex[c >> 4];
			out[(*len)++] = hex[c & 15];
		}
	}
	out[*len] = 0;
}

static int type_of(const char *name)
{
	for (int i = 0; i < n_types; i++)
		if (!strcmp(types[i], name))
			return i;
	if (n_types == MAX_TYPES)
		return MAX_TYPES - 1;
	types[n_types] = strdup(name);
	return n_types++;
}

static int load_queries(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[4096];

	if (!f) {
		fprintf(stderr, "loadgen: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n_queries < MAX_QUERIES) {
		char *col[4] = { 0 }, *p = line, url[3072];
		size_t len = 0;
		int n = 0;

		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		while (n < 4) {
			col[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = 0;
		}
		if (n < 2 || !strcmp(col[0], "type"))
			continue; /* header or malformed */
		len = (size_t)snprintf(url, sizeof(url), "%s?q=", path);
		urlenc(url, sizeof(url), &len, col[1]);
		if (col[2] && col[2][0]) {
			len += (size_t)snprintf(url + len, sizeof(url) - len, "&form=");
			urlenc(url, sizeof(url), &len, col[2]);
		}
		if (col[3] && col[3][0]) {
			len += (size_t)snprintf(url + len, sizeof(url) - len, "&issuer=");
			urlenc(url, sizeof(url), &len, col[3]);
		}
		if (extra[0])
			len += (size_t)snprintf(url + len, sizeof(url) - len, "&%s", extra);
		if (len >= sizeof(url) - 1) {
			fprintf(stderr, "loadgen: query too long, skipped: %s\n", col[1]);
			continue;
		}
		queries[n_queries].type = type_of(col[0]);
		queries[n_queries].len = (size_t)asprintf(&queries[n_queries].req,
			"GET %s HTTP/1.1\r\nHost: %s:%s\r\nAccept: application/json\r\n\r\n",
			url, host, port);
		n_queries++;
	}
	fclose(f);
	/* Deterministic shuffle, so that every stretch of the replay mixes
	 * the query types (the file is grouped by type). */
	uint64_t rng = 8;

	for (size_t i = n_queries; i > 1; i--) {
		size_t j;

		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (size_t)((rng >> 33) % i);
		query t = queries[i - 1];

		queries[i - 1] = queries[j];
		queries[j] = t;
	}
	return n_queries ? 0 : -1;
}

static int connect_server(void)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int fd, one = 1;

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

typedef struct conn {
	int fd;
	char *buf;      /* received bytes not yet consumed */
	size_t len, cap;
} conn;

static int fill(conn *c)
{
	ssize_t r;

	if (c->cap - c->len < 65536) {
		if (c->cap >= RESP_MAX)
			return -1;
		c->cap = c->cap ? c->cap * 2 : 262144;
		c->buf = realloc(c->buf, c->cap);
		if (!c->buf)
			return -1;
	}
	do
		r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	c->len += (size_t)r;
	return 0;
}

static void consume(conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* Read one response; *status gets the HTTP status, *body_len the body size
 * (copied to *body when body is not NULL).  -1 on a connection error. */
static int read_response(conn *c, int *status, size_t *body_len, char **body)
{
	char *end;
	size_t hlen, clen = 0;
	int chunked = 0, have_len = 0;

	for (;;) {
		end = c->len ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
		if (end)
			break;
		if (fill(c))
			return -1;
	}
	hlen = (size_t)(end - c->buf) + 4;
	if (sscanf(c->buf, "HTTP/1.%*d %d", status) != 1)
		return -1;
	for (char *l = c->buf; l < end; ) {
		char *nl = memmem(l, (size_t)(end - l), "\r\n", 2);

		if (!nl)
			nl = end;
		if (!strncasecmp(l, "content-length:", 15)) {
			clen = strtoul(l + 15, NULL, 10);
			have_len = 1;
		} else if (!strncasecmp(l, "transfer-encoding:", 18) &&
			   memmem(l, (size_t)(nl - l), "chunked", 7)) {
			chunked = 1;
		}
		l = nl + 2;
	}
	consume(c, hlen);
	*body_len = 0;
	if (chunked) {
		for (;;) {
			char *nl;
			size_t sz;

			while (!(nl = c->len ? memmem(c->buf, c->len, "\r\n", 2) : NULL))
				if (fill(c))
					return -1;
			sz = strtoul(c->buf, NULL, 16);
			while (c->len < (size_t)(nl - c->buf) + 2 + sz + 2)
				if (fill(c))
					return -1;
			if (body && sz) {
				*body = realloc(*body, *body_len + sz + 1);
				memcpy(*body + *body_len, nl + 2, sz);
				(*body)[*body_len + sz] = 0;
			}
			*body_len += sz;
			consume(c, (size_t)(nl - c->buf) + 2 + sz + 2);
			if (!sz)
				return 0;
		}
	}
	if (!have_len)
		return -1; /* we only speak keep-alive: a length is needed */
	while (c->len < clen)
		if (fill(c))
			return -1;
	if (body) {
		*body = malloc(clen + 1);
		memcpy(*body, c->buf, clen);
		(*body)[clen] = 0;
	}
	*body_len = clen;
	consume(c, clen);
	return 0;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static long issued;
static pthread_mutex_t issued_lock = PTHREAD_MUTEX_INITIALIZER;

static void *run(void *arg)
{
	worker *w = arg;
	conn c = { .fd = -1 };
	size_t qi = (size_t)w->idx * 7919u % n_queries;

	while (!stop) {
		const query *q = &queries[qi];
		double t0;
		int status = 0;
		size_t blen;

		qi = (qi + 1) % n_queries;
		if (max_requests) {
			pthread_mutex_lock(&issued_lock);
			if (issued >= max_requests) {
				pthread_mutex_unlock(&issued_lock);
				break;
			}
			issued++;
			pthread_mutex_unlock(&issued_lock);
		}
		if (c.fd < 0 && (c.fd = connect_server()) < 0) {
			w->errors[q->type]++;
			w->conn_errors++;
			usleep(10000);
			continue;
		}
		t0 = now();
		if (send_all(c.fd, q->req, q->len) || read_response(&c, &status, &blen, NULL)) {
			w->errors[q->type]++;
			w->conn_errors++;
			close(c.fd);
			c.fd = -1;
			c.len = 0;
			continue;
		}
		if (status != 200) {
			w->errors[q->type]++;
			w->last_status = status;
			continue;
		}
		w->bytes += (long)blen;
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 65536;
			w->s = realloc(w->s, w->cap * sizeof(sample));
			if (!w->s)
				abort();
		}
		w->s[w->n++] = (sample){ (float)((now() - t0) * 1000), (unsigned char)q->type };
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.buf);
	return NULL;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

static float pct(const float *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return n ? v[i] : 0;
}

static int check_mode(void)
{
	conn c = { .fd = connect_server() };

	if (c.fd < 0) {
		fprintf(stderr, "loadgen: cannot connect to %s:%s\n", host, port);
		return 1;
	}
	for (size_t i = 0; i < n_queries; i++) {
		int status = 0;
		size_t blen = 0;
		char *body = NULL;

		if (send_all(c.fd, queries[i].req, queries[i].len) ||
		    read_response(&c, &status, &blen, &body)) {
			fprintf(stderr, "loadgen: connection error on query %zu\n", i);
			return 1;
		}
		printf("%s\t%d\t%zu\t%.160s\n", types[queries[i].type], status, blen,
		       body ? body : "");
		free(body);
	}
	close(c.fd);
	free(c.buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *url = NULL, *file = NULL, *label = "";
	int clients = 1, check = 0;
	worker *w;
	double t0, wall;
	struct rusage ru;
	size_t total = 0;
	long errors = 0, bytes = 0, conn_errors = 0;
	int last_status = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	for (int a = 1; a < argc; a++) {
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(argv[a], "--url") && v)
			url = v, a++;
		else if (!strcmp(argv[a], "-c") && v)
			clients = atoi(v), a++;
		else if (!strcmp(argv[a], "-d") && v)
			duration = atof(v), a++;
		else if (!strcmp(argv[a], "-n") && v)
			max_requests = atol(v), a++;
		else if (!strcmp(argv[a], "--extra") && v)
			snprintf(extra, sizeof(extra), "%s", v), a++;
		else if (!strcmp(argv[a], "--label") && v)
			label = v, a++;
		else if (!strcmp(argv[a], "--check"))
			check = 1;
		else if (argv[a][0] != '-' && !file)
			file = argv[a];
		else
			goto usage;
	}
	if (!url || !file || clients < 1 || clients > MAX_CLIENTS || duration <= 0 ||
	    sscanf(url, "http://%255[^:/]:%15[0-9]%1023s", host, port, path) < 2)
		goto usage;
	if (!path[0])
		strcpy(path, "/");
	if (load_queries(file))
		return 1;
	if (check)
		return check_mode();

	w = calloc((size_t)clients, sizeof(*w));
	t0 = now();
	for (int i = 0; i < clients; i++) {
		w[i].idx = i;
		pthread_create(&w[i].tid, NULL, run, &w[i]);
	}
	if (!max_requests) {
		struct timespec ts = { (time_t)duration,
				       (long)((duration - (double)(time_t)duration) * 1e9) };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		stop = 1;
	}
	for (int i = 0; i < clients; i++)
		pthread_join(w[i].tid, NULL);
	wall = now() - t0;
	getrusage(RUSAGE_SELF, &ru);

	for (int i = 0; i < clients; i++) {
		total += w[i].n;
		bytes += w[i].bytes;
		conn_errors += w[i].conn_errors;
		if (w[i].last_status)
			last_status = w[i].last_status;
		for (int t = 0; t < MAX_TYPES; t++)
			errors += w[i].errors[t];
	}
	{
		double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		float *v = malloc((total + 1) * sizeof(float));

		printf("%-10s c=%-2d %8.1f q/s  %7zu ok %5ld err  %6.1f s  %.1f KB/answer  "
		       "client CPU %.1f%% of %ld cores\n",
		       label, clients, (double)total / wall, total, errors, wall,
		       total ? (double)bytes / (double)total / 1024 : 0.0,
		       100 * cpu / wall / (double)ncpu, ncpu);
		for (int t = -1; t < n_types; t++) {
			size_t n = 0;
			long e = 0;

			for (int i = 0; i < clients; i++) {
				for (size_t k = 0; k < w[i].n; k++)
					if (t < 0 || w[i].s[k].type == t)
						v[n++] = w[i].s[k].ms;
				if (t >= 0)
					e += w[i].errors[t];
				else
					for (int u = 0; u < MAX_TYPES; u++)
						e += w[i].errors[u];
			}
			qsort(v, n, sizeof(float), cmp_float);
			printf("  %-12s n=%-7zu p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms  err %ld\n",
			       t < 0 ? "all" : types[t], n, pct(v, n, 0.5), pct(v, n, 0.99),
			       n ? v[n - 1] : 0.0f, e);
		}
		free(v);
		if (errors)
			printf("  errors: %ld connection failures, %ld HTTP errors (last status %d)\n",
			       conn_errors, errors - conn_errors, last_status);
	}
	for (int i = 0; i < clients; i++)
		free(w[i].s);
	free(w);
	return 0;
usage:
	fprintf(stderr, "usage: loadgen --url http://HOST:PORT/PATH [-c CLIENTS] "
		"[-d SECONDS | -n REQUESTS] [--extra 'k=v&..'] [--label NAME] [--check] "
		"QUERIES.tsv\n");
	return 2;
}
