/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replays the fuzz inputs kept in the source tree through the same entry
 * points as the libFuzzer targets (fuzz/fuzz_*.c compiled with
 * VB_FUZZ_REPLAY), without libFuzzer: every file of fuzz/regressions/<t>/
 * (inputs that once crashed, see fuzz/README.md) and fuzz/seeds/<t>/,
 * and for the HTML targets the saved pages of $VB_CORPUS.
 * One TAP line per file; a regression that comes back crashes the program
 * (or trips the sanitizers in an --enable-asan build), failing the test.
 * Usage: fuzz_replay [TARGET [FILE...]] (default: everything under
 * $VB_SRCDIR/fuzz). */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"

#include "../fuzz/fuzz.h"

int vb_fuzz_manifest(const uint8_t *data, size_t size);
int vb_fuzz_vbpl(const uint8_t *data, size_t size);
int vb_fuzz_congbao(const uint8_t *data, size_t size);
int vb_fuzz_meta(const uint8_t *data, size_t size);
int vb_fuzz_ooxml(const uint8_t *data, size_t size);
int vb_fuzz_qparse(const uint8_t *data, size_t size);
int vb_fuzz_params(const uint8_t *data, size_t size);
int vb_fuzz_legacy(const uint8_t *data, size_t size);
int vb_fuzz_init_ooxml(void);
int vb_fuzz_init_qparse(void);

static const struct target {
	const char *name;
	int (*run)(const uint8_t *, size_t);
	int (*init)(void);
} targets[] = {
	{ "manifest", vb_fuzz_manifest, NULL },
	{ "vbpl", vb_fuzz_vbpl, NULL },
	{ "congbao", vb_fuzz_congbao, NULL },
	{ "meta", vb_fuzz_meta, NULL },
	{ "ooxml", vb_fuzz_ooxml, vb_fuzz_init_ooxml },
	{ "qparse", vb_fuzz_qparse, vb_fuzz_init_qparse },
	{ "params", vb_fuzz_params, NULL },
	{ "legacy", vb_fuzz_legacy, NULL },
};
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

#define MAX_FILE ((size_t)4 * 1024 * 1024)

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n;

	*out = NULL;
	*len = 0;
	if (!f)
		return -1;
	if (!(buf = malloc(MAX_FILE + 1))) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, MAX_FILE + 1, f);
	if (ferror(f) || n > MAX_FILE) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static void replay_file(const struct target *t, const char *path, const char *shown)
{
	uint8_t *data;
	size_t len;

	if (read_all(path, &data, &len)) {
		tap_ok(0, "%s: could not read \"%s\": %s", t->name, shown, strerror(errno));
		return;
	}
	t->run(data, len);
	free(data);
	tap_ok(1, "%s: %s (%zu bytes) replayed", t->name, shown, len);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir (sorted, for stable TAP output); *n_found gets
 * how many. */
/* Replay every regular file of dir (README.md aside), shown as KIND/NAME. */
static void replay_at(const struct target *t, const char *dir, const char *kind,
		      size_t *n_found)
{
	char path[8192], shown[512];
	char *names[4096];
	size_t n = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d)) && n < sizeof(names) / sizeof(names[0])) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.md"))
			continue;
		if ((names[n] = strdup(de->d_name)))
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			snprintf(shown, sizeof(shown), "%s/%s", kind, names[i]);
			replay_file(t, path, shown);
			(*n_found)++;
		}
		free(names[i]);
	}
}

static void replay_dir(const struct target *t, const char *root, const char *kind,
		       size_t *n_found)
{
	char dir[4096 + 128];

	snprintf(dir, sizeof(dir), "%s/%s/%s", root, kind, t->name);
	replay_at(t, dir, kind, n_found);
}

/* The saved web pages stay in the shared corpus (not in the tree): the
 * HTML targets replay them from there. */
static void replay_corpus(const struct target *t, size_t *n_found)
{
	const char *corpus = getenv("VB_CORPUS");
	char dir[4096];

	if (!corpus || !*corpus)
		return;
	if (!strcmp(t->name, "vbpl"))
		snprintf(dir, sizeof(dir), "%s/vbpl_html_fixtures", corpus);
	else if (!strcmp(t->name, "congbao"))
		snprintf(dir, sizeof(dir), "%s/congbao_sonla/html_samples", corpus);
	else
		return;
	replay_at(t, dir, "corpus", n_found);
}

int main(int argc, char **argv)
{
	const char *src = getenv("VB_SRCDIR");
	char root[4096];
	size_t i, found;
	int a;

	snprintf(root, sizeof(root), "%s/fuzz", src && *src ? src : VB_FUZZ_SRCDIR);
	for (i = 0; i < N_TARGETS; i++) {
		const struct target *t = &targets[i];

		if (argc > 1 && strcmp(argv[1], t->name))
			continue;
		if (t->init && t->init()) {
			tap_ok(0, "%s: set-up failed", t->name);
			continue;
		}
		if (argc > 2) {
			for (a = 2; a < argc; a++)
				replay_file(t, argv[a], argv[a]);
			continue;
		}
		found = 0;
		replay_dir(t, root, "seeds", &found);
		replay_dir(t, root, "regressions", &found);
		replay_corpus(t, &found);
		tap_ok(found > 0, "%s: %zu inputs under %s", t->name, found, root);
	}
	return tap_done();
}
