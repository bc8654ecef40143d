/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compound File Binary reader ([MS-CFB]); see cfb.h.  Written from the
 * published specification: a 512-byte header (signature, version, sector
 * shifts, FAT/DIFAT/directory/mini FAT locations and the first 109 DIFAT
 * entries), sector n stored at byte (n + 1) << sector_shift, the FAT as an
 * array of next-sector links, 128-byte directory entries, and the mini
 * stream (the root entry's stream) cut into 64-byte mini sectors.
 *
 * Every chain walk marks the sectors it visits, so a cyclic chain is an
 * error instead of an endless loop, and every sector is checked against
 * the file length before it is touched.
 */
#include "cfb.h"

#include <stdlib.h>
#include <string.h>

#define CFB_MAXREGSECT 0xFFFFFFFAu
#define CFB_DIFSECT 0xFFFFFFFCu
#define CFB_FATSECT 0xFFFFFFFDu
#define CFB_ENDOFCHAIN 0xFFFFFFFEu
#define CFB_FREESECT 0xFFFFFFFFu

#define CFB_HEADER 512
#define CFB_DIRENT 128
#define CFB_UNKNOWN UINT64_MAX

static const unsigned char cfb_magic[8] = {
	0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1
};

struct vb_cfb {
	const unsigned char *data;
	size_t len;
	unsigned major;
	size_t ss;            /* sector size: 512 or 4096 */
	size_t nsect;         /* sectors (possibly partial last) present in the file */
	uint32_t *fat;
	size_t nfat;
	uint32_t *minifat;
	size_t nminifat;
	uint32_t cutoff;      /* mini stream cutoff */
	unsigned char *dir;   /* directory stream */
	size_t ndir;          /* entries */
	uint32_t *parent;     /* per entry */
	unsigned char *mini;  /* mini stream */
	size_t mini_len;
};

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

int vb_cfb_is_cfb(const unsigned char *data, size_t len)
{
	return data && len >= sizeof(cfb_magic) && !memcmp(data, cfb_magic, sizeof(cfb_magic));
}

static int cfb_fail(vb_error *err, int code, const char *what)
{
	return vb_error_set(err, code, "could not read compound file: %s", what);
}

/* Append the bytes of a sector chain to out.  table/ntable is the FAT (mini
 * = 0: sectors of cfb->ss bytes in the file) or the mini FAT (mini = 1:
 * 64-byte sectors in the mini stream).  want is the byte count to read, or
 * CFB_UNKNOWN to read whole sectors until ENDOFCHAIN. */
static int chain_read(const vb_cfb *cfb, int mini, uint32_t start, uint64_t want,
		      const char *what, vb_buf *out, vb_error *err)
{
	const uint32_t *table = mini ? cfb->minifat : cfb->fat;
	size_t ntable = mini ? cfb->nminifat : cfb->nfat;
	size_t unit = mini ? 64 : cfb->ss;
	unsigned char *seen = NULL;
	uint64_t left = want;
	uint32_t cur = start;
	int rc = 0;

	if (want == 0)
		return 0;
	seen = calloc(ntable / 8 + 1, 1);
	if (!seen)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	while (left > 0) {
		const unsigned char *src;
		size_t avail, off, n;

		if (cur == CFB_ENDOFCHAIN) {
			if (want == CFB_UNKNOWN)
				break;
			rc = vb_error_set(err, VB_EINVAL,
					  "could not read compound file: sector chain of %s ends %llu bytes early",
					  what, (unsigned long long)left);
			goto out;
		}
		if (cur > CFB_MAXREGSECT || cur >= ntable) {
			rc = vb_error_set(err, VB_EINVAL,
					  "could not read compound file: %ssector %u of %s is out of range",
					  mini ? "mini " : "", cur, what);
			goto out;
		}
		if (seen[cur / 8] & (1u << (cur % 8))) {
			rc = vb_error_set(err, VB_EINVAL,
					  "could not read compound file: sector chain of %s has a cycle", what);
			goto out;
		}
		seen[cur / 8] |= (unsigned char)(1u << (cur % 8));
		if (mini) {
			src = cfb->mini;
			avail = cfb->mini_len;
			off = (size_t)cur * 64;
		} else {
			src = cfb->data;
			avail = cfb->len;
			off = ((size_t)cur + 1) * cfb->ss;
		}
		if (off >= avail) {
			rc = vb_error_set(err, VB_EINVAL,
					  "could not read compound file: %ssector %u of %s lies past the end of the file",
					  mini ? "mini " : "", cur, what);
			goto out;
		}
		n = unit;
		if (want != CFB_UNKNOWN && left < n)
			n = (size_t)left;
		if (n > avail - off) {
			if (want != CFB_UNKNOWN) {
				rc = vb_error_set(err, VB_EINVAL,
						  "could not read compound file: %s is truncated", what);
				goto out;
			}
			n = avail - off;
		}
		rc = vb_buf_append(out, src + off, n);
		if (rc) {
			if (rc == VB_ETOOBIG)
				rc = vb_error_set(err, rc, "could not read compound file: %s is too large",
						  what);
			else
				rc = vb_error_set(err, rc, "out of memory");
			goto out;
		}
		if (want != CFB_UNKNOWN)
			left -= n;
		cur = table[cur];
	}
out:
	free(seen);
	return rc;
}

/* Collect the FAT sector numbers from the header and the DIFAT chain. */
static int load_fat(vb_cfb *cfb, vb_error *err)
{
	const unsigned char *h = cfb->data;
	uint32_t nfatsect = rd32(h + 0x2C);
	uint32_t difat = rd32(h + 0x44);
	uint32_t ndifat = rd32(h + 0x48);
	size_t per = cfb->ss / 4;
	uint32_t *ids = NULL;
	unsigned char *seen = NULL;
	size_t nids = 0, i, j;
	int rc = 0;

	if (nfatsect == 0 || nfatsect > cfb->nsect)
		return vb_error_set(err, VB_EINVAL,
				    "could not read compound file: header declares %u FAT sectors for a file of %zu sectors",
				    nfatsect, cfb->nsect);
	ids = malloc((size_t)nfatsect * sizeof(*ids));
	seen = calloc(cfb->nsect / 8 + 1, 1);
	if (!ids || !seen) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < 109 && nids < nfatsect; i++)
		ids[nids++] = rd32(h + 0x4C + 4 * i);
	for (i = 0; nids < nfatsect; i++) {
		const unsigned char *s;

		if (i >= ndifat || difat > CFB_MAXREGSECT || difat >= cfb->nsect ||
		    ((size_t)difat + 2) * cfb->ss > cfb->len) {
			rc = cfb_fail(err, VB_EINVAL, "DIFAT chain is shorter than the FAT");
			goto out;
		}
		if (seen[difat / 8] & (1u << (difat % 8))) {
			rc = cfb_fail(err, VB_EINVAL, "DIFAT chain has a cycle");
			goto out;
		}
		seen[difat / 8] |= (unsigned char)(1u << (difat % 8));
		s = cfb->data + ((size_t)difat + 1) * cfb->ss;
		for (j = 0; j < per - 1 && nids < nfatsect; j++)
			ids[nids++] = rd32(s + 4 * j);
		difat = rd32(s + 4 * (per - 1));
	}
	cfb->nfat = (size_t)nfatsect * per;
	cfb->fat = malloc(cfb->nfat * sizeof(uint32_t));
	if (!cfb->fat) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nids; i++) {
		const unsigned char *s;

		if (ids[i] > CFB_MAXREGSECT || ids[i] >= cfb->nsect ||
		    ((size_t)ids[i] + 2) * cfb->ss > cfb->len) {
			rc = vb_error_set(err, VB_EINVAL,
					  "could not read compound file: FAT sector %u is out of range",
					  ids[i]);
			goto out;
		}
		s = cfb->data + ((size_t)ids[i] + 1) * cfb->ss;
		for (j = 0; j < per; j++)
			cfb->fat[i * per + j] = rd32(s + 4 * j);
	}
out:
	free(ids);
	free(seen);
	return rc;
}

static const unsigned char *dirent(const vb_cfb *cfb, uint32_t id)
{
	return cfb->dir + (size_t)id * CFB_DIRENT;
}

static uint64_t dirent_size(const vb_cfb *cfb, const unsigned char *e)
{
	uint64_t lo = rd32(e + 0x78), hi = rd32(e + 0x7C);

	/* Version 3 writers may leave garbage in the high half. */
	return cfb->major == 3 ? lo : lo | (hi << 32);
}

/* Record each entry's parent by walking the storage trees from the root.
 * An entry reached twice (a cycle or a shared subtree) is not followed
 * again. */
static int link_parents(vb_cfb *cfb, vb_error *err)
{
	uint32_t *stack = NULL;
	unsigned char *seen = NULL;
	size_t top = 0, i;
	int rc = 0;

	cfb->parent = malloc(cfb->ndir * sizeof(uint32_t));
	stack = malloc(cfb->ndir * 2 * sizeof(uint32_t));
	seen = calloc(cfb->ndir, 1);
	if (!cfb->parent || !stack || !seen) {
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < cfb->ndir; i++)
		cfb->parent[i] = VB_CFB_NOENTRY;
	/* Stack of (entry, parent storage) pairs; each entry is pushed at
	 * most once, so 2 * ndir slots suffice. */
	seen[0] = 1;
	{
		uint32_t child = rd32(dirent(cfb, 0) + 0x4C);

		if (child < cfb->ndir && !seen[child]) {
			seen[child] = 1;
			stack[top++] = child;
			stack[top++] = 0;
		}
	}
	while (top > 0) {
		uint32_t par = stack[--top];
		uint32_t id = stack[--top];
		const unsigned char *e = dirent(cfb, id);
		uint32_t links[3];
		uint32_t owner[3];
		int k;

		cfb->parent[id] = par;
		links[0] = rd32(e + 0x44);
		owner[0] = par;
		links[1] = rd32(e + 0x48);
		owner[1] = par;
		links[2] = e[0x42] == VB_CFB_STORAGE ? rd32(e + 0x4C) : VB_CFB_NOENTRY;
		owner[2] = id;
		for (k = 0; k < 3; k++) {
			if (links[k] >= cfb->ndir || seen[links[k]])
				continue;
			seen[links[k]] = 1;
			stack[top++] = links[k];
			stack[top++] = owner[k];
		}
	}
out:
	free(stack);
	free(seen);
	return rc;
}

int vb_cfb_open(vb_cfb **out, const unsigned char *data, size_t len, vb_error *err)
{
	vb_cfb *cfb = NULL;
	const unsigned char *h = data;
	vb_buf b;
	unsigned shift, mshift;
	uint64_t msize;
	int rc = 0;

	vb_buf_init(&b, VB_CFB_MAX_STREAM);
	*out = NULL;
	if (len > VB_CFB_MAX_FILE)
		return vb_error_set(err, VB_ETOOBIG,
				    "could not read compound file: file is larger than %zu bytes",
				    VB_CFB_MAX_FILE);
	if (!vb_cfb_is_cfb(data, len))
		return cfb_fail(err, VB_EINVAL, "missing signature");
	if (len < CFB_HEADER)
		return cfb_fail(err, VB_EINVAL, "file is shorter than its header");
	if (rd16(h + 0x1C) != 0xFFFE)
		return cfb_fail(err, VB_EINVAL, "bad byte order mark");
	shift = rd16(h + 0x1E);
	mshift = rd16(h + 0x20);
	if ((shift != 9 && shift != 12) || mshift != 6)
		return vb_error_set(err, VB_EINVAL,
				    "could not read compound file: unsupported sector shifts %u/%u",
				    shift, mshift);
	cfb = calloc(1, sizeof(*cfb));
	if (!cfb)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	cfb->data = data;
	cfb->len = len;
	cfb->major = rd16(h + 0x1A);
	cfb->ss = (size_t)1 << shift;
	cfb->cutoff = rd32(h + 0x38);
	if (len <= cfb->ss) {
		rc = cfb_fail(err, VB_EINVAL, "file has no sectors");
		goto out;
	}
	cfb->nsect = (len - cfb->ss + cfb->ss - 1) / cfb->ss;
	rc = load_fat(cfb, err);
	if (rc)
		goto out;

	/* Directory. */
	rc = chain_read(cfb, 0, rd32(h + 0x30), CFB_UNKNOWN, "the directory", &b, err);
	if (rc)
		goto out;
	cfb->ndir = b.len / CFB_DIRENT;
	if (cfb->ndir == 0 || b.data[0x42] != VB_CFB_ROOT) {
		rc = cfb_fail(err, VB_EINVAL, "directory has no root entry");
		goto out;
	}
	cfb->dir = (unsigned char *)vb_buf_steal(&b);
	rc = link_parents(cfb, err);
	if (rc)
		goto out;

	/* Mini FAT and mini stream (only when some stream uses them). */
	msize = dirent_size(cfb, dirent(cfb, 0));
	if (rd32(h + 0x3C) <= CFB_MAXREGSECT && msize > 0) {
		if (msize > VB_CFB_MAX_STREAM || msize > len) {
			rc = cfb_fail(err, VB_EINVAL, "mini stream is larger than the file");
			goto out;
		}
		vb_buf_init(&b, len);
		rc = chain_read(cfb, 0, rd32(h + 0x3C), CFB_UNKNOWN, "the mini FAT", &b, err);
		if (rc)
			goto out;
		cfb->nminifat = b.len / 4;
		cfb->minifat = malloc((cfb->nminifat + 1) * sizeof(uint32_t));
		if (!cfb->minifat) {
			rc = vb_error_set(err, VB_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < cfb->nminifat; i++)
			cfb->minifat[i] = rd32((const unsigned char *)b.data + 4 * i);
		vb_buf_dispose(&b);
		vb_buf_init(&b, VB_CFB_MAX_STREAM);
		rc = chain_read(cfb, 0, rd32(dirent(cfb, 0) + 0x74), msize, "the mini stream", &b, err);
		if (rc)
			goto out;
		cfb->mini_len = b.len;
		cfb->mini = (unsigned char *)vb_buf_steal(&b);
	}
	*out = cfb;
	cfb = NULL;
out:
	vb_buf_dispose(&b);
	vb_cfb_free(cfb);
	return rc;
}

void vb_cfb_free(vb_cfb *cfb)
{
	if (!cfb)
		return;
	free(cfb->fat);
	free(cfb->minifat);
	free(cfb->dir);
	free(cfb->parent);
	free(cfb->mini);
	free(cfb);
}

size_t vb_cfb_count(const vb_cfb *cfb)
{
	return cfb ? cfb->ndir : 0;
}

/* Append code point c as UTF-8 to s (room for 4 bytes is checked). */
static size_t put_utf8(char *s, size_t n, size_t cap, uint32_t c)
{
	if (c < 0x80 && n + 1 < cap) {
		s[n++] = (char)c;
	} else if (c < 0x800 && n + 2 < cap) {
		s[n++] = (char)(0xC0 | (c >> 6));
		s[n++] = (char)(0x80 | (c & 0x3F));
	} else if (c >= 0x800 && n + 3 < cap) {
		if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		s[n++] = (char)(0xE0 | (c >> 12));
		s[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[n++] = (char)(0x80 | (c & 0x3F));
	}
	return n;
}

int vb_cfb_entry_get(const vb_cfb *cfb, uint32_t id, vb_cfb_entry *out)
{
	const unsigned char *e;
	size_t nlen, i, n = 0;

	if (!cfb || id >= cfb->ndir)
		return VB_ENOTFOUND;
	e = dirent(cfb, id);
	memset(out, 0, sizeof(*out));
	out->type = e[0x42];
	if (out->type != VB_CFB_STORAGE && out->type != VB_CFB_STREAM && out->type != VB_CFB_ROOT)
		out->type = VB_CFB_UNUSED;
	nlen = rd16(e + 0x40);
	if (nlen > 64)
		nlen = 64;
	for (i = 0; i + 1 < nlen; i += 2) {
		uint32_t c = rd16(e + i);

		if (c == 0)
			break;
		n = put_utf8(out->name, n, sizeof(out->name), c);
	}
	out->name[n] = '\0';
	out->size = out->type == VB_CFB_STORAGE || out->type == VB_CFB_UNUSED
		    ? 0 : dirent_size(cfb, e);
	out->parent = cfb->parent[id];
	return 0;
}

static int name_eq(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < blen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'a' && x <= 'z')
			x = (unsigned char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (unsigned char)(y - 32);
		if (x != y || x == '\0')
			return 0;
	}
	return a[blen] == '\0';
}

int vb_cfb_lookup(const vb_cfb *cfb, const char *path, uint32_t *id)
{
	uint32_t cur = 0;

	if (!cfb || !path)
		return VB_ENOTFOUND;
	while (*path) {
		const char *slash = strchr(path, '/');
		size_t clen = slash ? (size_t)(slash - path) : strlen(path);
		uint32_t found = VB_CFB_NOENTRY;

		if (clen > 0) {
			for (uint32_t i = 1; i < cfb->ndir; i++) {
				vb_cfb_entry e;

				if (cfb->parent[i] != cur)
					continue;
				vb_cfb_entry_get(cfb, i, &e);
				if (e.type != VB_CFB_UNUSED && name_eq(e.name, path, clen)) {
					found = i;
					break;
				}
			}
			if (found == VB_CFB_NOENTRY)
				return VB_ENOTFOUND;
			cur = found;
		}
		path += clen;
		if (*path == '/')
			path++;
	}
	*id = cur;
	return 0;
}

int vb_cfb_read(const vb_cfb *cfb, uint32_t id, vb_buf *out, vb_error *err)
{
	vb_cfb_entry e;
	const unsigned char *d;

	if (!cfb || vb_cfb_entry_get(cfb, id, &e) != 0)
		return vb_error_set(err, VB_ENOTFOUND,
				    "could not read compound file: no directory entry %u", id);
	if (e.type != VB_CFB_STREAM)
		return vb_error_set(err, VB_EINVAL,
				    "could not read compound file: entry \"%s\" is not a stream", e.name);
	if (e.size > VB_CFB_MAX_STREAM || e.size > out->max - out->len)
		return vb_error_set(err, VB_ETOOBIG,
				    "could not read compound file: stream \"%s\" declares %llu bytes, over the limit",
				    e.name, (unsigned long long)e.size);
	d = dirent(cfb, id);
	if (e.size < cfb->cutoff) {
		if (!cfb->mini)
			return vb_error_set(err, VB_EINVAL,
					    "could not read compound file: stream \"%s\" is in a missing mini stream",
					    e.name);
		return chain_read(cfb, 1, rd32(d + 0x74), e.size, e.name, out, err);
	}
	return chain_read(cfb, 0, rd32(d + 0x74), e.size, e.name, out, err);
}

int vb_cfb_read_path(const vb_cfb *cfb, const char *path, vb_buf *out, vb_error *err)
{
	uint32_t id;

	if (vb_cfb_lookup(cfb, path, &id) != 0)
		return vb_error_set(err, VB_ENOTFOUND,
				    "could not read compound file: no stream \"%s\"", path);
	return vb_cfb_read(cfb, id, out, err);
}
