/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Word 97-2003 and Word 6.0/95 .doc text extraction; see msdoc.h.  Written
 * from [MS-DOC]:
 *
 * - FibBase (32 bytes at offset 0 of WordDocument): wIdent 0xA5EC, nFib,
 *   flags at 0x0A (fComplex 0x0004, fEncrypted 0x0100, fWhichTblStm 0x0200,
 *   fObfuscated 0x8000), fcMin/fcMac at 0x18/0x1C in Word 6/95.
 * - Word 97+: csw + fibRgW, cslw + fibRgLw (ccpText is its fourth
 *   long), cbRgFcLcb + fibRgFcLcbBlob whose pair 33 is fcClx/lcbClx (an
 *   offset into the table stream).
 * - Word 6/95 (nFib 101..191): ccpText at 0x34, fcClx/lcbClx at 0x160
 *   (in WordDocument itself) for fast-saved files; otherwise the text is
 *   the ccpText bytes from fcMin.
 * - Clx: Prc entries (0x01, cbGrpprl, grpprl) then one Pcdt (0x02, lcb,
 *   PlcPcd: n + 1 CPs and n 8-byte Pcds whose bytes 2..5 are FcCompressed:
 *   bit 30 set means 8-bit text at byte fc / 2, clear means UTF-16LE at
 *   byte fc).
 */
#include "msdoc.h"

#include "buf.h"
#include "cfb.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_DEPTH 64

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

/* Windows-1252 0x80..0x9F; the undefined bytes keep their C1 value. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

static uint32_t cp1252_decode(unsigned char b)
{
	return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

/* The text being assembled, with the state that spans pieces. */
typedef struct writer {
	vb_buf out;
	int legacy;               /* non-ASCII came from 8-bit text */
	int depth;                /* open fields */
	int in_code[FIELD_DEPTH]; /* field at this level is before its separator */
	int ncode;                /* levels (within FIELD_DEPTH) in code */
	uint32_t prev;            /* previous raw character */
	uint32_t high;            /* pending UTF-16 high surrogate */
} writer;

static int put_utf8(writer *w, uint32_t c)
{
	char s[4];

	return vb_buf_append(&w->out, s, vb_utf8_encode(c, s));
}

/* One character of the main story (a code point, surrogates already
 * paired).  eight_bit: it came from 8-bit text. */
static int writer_char(writer *w, uint32_t c, int eight_bit)
{
	uint32_t prev = w->prev;

	w->prev = c;
	switch (c) {
	case 0x13:
		if (w->depth < FIELD_DEPTH) {
			w->in_code[w->depth] = 1;
			w->ncode++;
		}
		w->depth++;
		return 0;
	case 0x14:
		if (w->depth > 0 && w->depth <= FIELD_DEPTH && w->in_code[w->depth - 1]) {
			w->in_code[w->depth - 1] = 0;
			w->ncode--;
		}
		return 0;
	case 0x15:
		if (w->depth > 0) {
			if (w->depth <= FIELD_DEPTH && w->in_code[w->depth - 1]) {
				w->in_code[w->depth - 1] = 0;
				w->ncode--;
			}
			w->depth--;
		}
		return 0;
	default:
		break;
	}
	if (w->ncode > 0 || w->depth > FIELD_DEPTH)
		return 0;
	switch (c) {
	case 0x0D: case 0x0B: case 0x0C: case 0x0E:
		return vb_buf_putc(&w->out, '\n');
	case 0x07:
		/* The row-end mark directly follows the row's last cell mark. */
		if (prev == 0x07 && w->out.len > 0 && w->out.data[w->out.len - 1] == '\t') {
			w->out.data[w->out.len - 1] = '\n';
			w->prev = 0; /* a third mark starts a new row's empty cell */
			return 0;
		}
		return vb_buf_putc(&w->out, '\t');
	case 0x09:
		return vb_buf_putc(&w->out, '\t');
	case 0x1E:
		return vb_buf_putc(&w->out, '-');
	default:
		break;
	}
	if (c < 0x20 || c == 0x7F)
		return 0;
	if (eight_bit && c >= 0x80)
		w->legacy = 1;
	return put_utf8(w, c);
}

static int writer_utf16(writer *w, uint16_t u)
{
	int rc;

	if (u >= 0xD800 && u < 0xDC00) {
		rc = w->high ? writer_char(w, 0xFFFD, 0) : 0;
		w->high = u;
		return rc;
	}
	if (u >= 0xDC00 && u < 0xE000) {
		if (!w->high)
			return writer_char(w, 0xFFFD, 0);
		rc = writer_char(w, 0x10000 + ((w->high - 0xD800) << 10) + (u - 0xDC00), 0);
		w->high = 0;
		return rc;
	}
	if (w->high) {
		w->high = 0;
		rc = writer_char(w, 0xFFFD, 0);
		if (rc)
			return rc;
	}
	return writer_char(w, u, 0);
}

static int text_fail(vb_error *err, int rc)
{
	if (rc == VB_ETOOBIG)
		return vb_error_set(err, rc,
				    "could not read Word document: text is larger than %zu bytes",
				    VB_MSDOC_MAX_TEXT);
	return vb_error_set(err, VB_ENOMEM, "out of memory");
}

/* Append the characters of main-story CPs [0, ccp_text) described by the
 * piece table in clx[0..clx_len) with text in stream doc[0..doc_len).
 * word6: pieces are always 8-bit at byte fc. */
static int read_pieces(writer *w, const unsigned char *clx, size_t clx_len,
		       const unsigned char *doc, size_t doc_len, uint32_t ccp_text,
		       int word6, vb_error *err)
{
	size_t pos = 0, n, i;
	const unsigned char *plc = NULL;
	uint32_t lcb = 0;
	int rc;

	while (pos < clx_len) {
		if (clx[pos] == 0x01) {
			if (clx_len - pos < 3)
				break;
			pos += 3 + (size_t)rd16(clx + pos + 1);
		} else if (clx[pos] == 0x02) {
			if (clx_len - pos < 5)
				break;
			lcb = rd32(clx + pos + 1);
			if (lcb > clx_len - pos - 5)
				return vb_error_set(err, VB_EINVAL,
						    "could not read Word document: piece table is larger than its Clx");
			plc = clx + pos + 5;
			break;
		} else {
			return vb_error_set(err, VB_EINVAL,
					    "could not read Word document: unknown entry 0x%02x in the Clx",
					    clx[pos]);
		}
	}
	if (!plc || lcb < 16 || (lcb - 4) % 12 != 0)
		return vb_error_set(err, VB_EINVAL,
				    "could not read Word document: no valid piece table in the Clx");
	n = (lcb - 4) / 12;
	for (i = 0; i < n; i++) {
		uint32_t cp0 = rd32(plc + 4 * i), cp1 = rd32(plc + 4 * (i + 1));
		const unsigned char *pcd = plc + 4 * (n + 1) + 8 * i;
		uint32_t fc = rd32(pcd + 2);
		int compressed = word6 || (fc & 0x40000000u);
		size_t off, count, k, bytes;

		if (cp1 < cp0)
			return vb_error_set(err, VB_EINVAL,
					    "could not read Word document: piece table entry %zu ends before it starts",
					    i);
		if (cp0 >= ccp_text)
			break;
		if (cp1 > ccp_text)
			cp1 = ccp_text;
		count = (size_t)cp1 - cp0;
		if (word6)
			off = fc;
		else if (compressed)
			off = (fc & 0x3FFFFFFFu) / 2;
		else
			off = fc & 0x3FFFFFFFu;
		bytes = compressed ? count : count * 2;
		if (off > doc_len || bytes > doc_len - off)
			return vb_error_set(err, VB_EINVAL,
					    "could not read Word document: piece table entry %zu points past the end of the stream",
					    i);
		for (k = 0; k < count; k++) {
			if (compressed)
				rc = writer_char(w, cp1252_decode(doc[off + k]), 1);
			else
				rc = writer_utf16(w, rd16(doc + off + 2 * k));
			if (rc)
				return text_fail(err, rc);
		}
	}
	return 0;
}

static int read_word6(writer *w, const unsigned char *doc, size_t doc_len, vb_error *err)
{
	uint32_t fc_min, ccp_text, fc_clx, lcb_clx;
	size_t k;
	int rc;

	if (doc_len < 0x168)
		return vb_error_set(err, VB_EINVAL,
				    "could not read Word document: Word 6 FIB is truncated");
	fc_min = rd32(doc + 0x18);
	ccp_text = rd32(doc + 0x34);
	fc_clx = rd32(doc + 0x160);
	lcb_clx = rd32(doc + 0x164);
	if (rd16(doc + 0x0A) & 0x0004) {
		/* Fast-saved: the piece table tells where the text is. */
		if (fc_clx > doc_len || lcb_clx > doc_len - fc_clx)
			return vb_error_set(err, VB_EINVAL,
					    "could not read Word document: Clx lies past the end of the stream");
		return read_pieces(w, doc + fc_clx, lcb_clx, doc, doc_len, ccp_text, 1, err);
	}
	if (fc_min > doc_len || ccp_text > doc_len - fc_min)
		return vb_error_set(err, VB_EINVAL,
				    "could not read Word document: text (%u bytes at %u) lies past the end of the stream",
				    ccp_text, fc_min);
	for (k = 0; k < ccp_text; k++) {
		rc = writer_char(w, cp1252_decode(doc[fc_min + k]), 1);
		if (rc)
			return text_fail(err, rc);
	}
	return 0;
}

static int read_word97(writer *w, const vb_cfb *cfb, const unsigned char *doc, size_t doc_len,
		       vb_error *err)
{
	vb_buf table;
	size_t off, lw, fclcb;
	uint16_t csw, cslw, cb;
	uint32_t ccp_text, fc_clx, lcb_clx;
	const char *tname = (rd16(doc + 0x0A) & 0x0200) ? "1Table" : "0Table";
	int rc;

	vb_buf_init(&table, VB_CFB_MAX_STREAM);
	off = 0x20;
	if (doc_len < off + 2)
		goto short_fib;
	csw = rd16(doc + off);
	off += 2 + (size_t)csw * 2;
	if (doc_len < off + 2)
		goto short_fib;
	cslw = rd16(doc + off);
	off += 2;
	lw = off;
	off += (size_t)cslw * 4;
	if (cslw < 4 || doc_len < off + 2)
		goto short_fib;
	cb = rd16(doc + off);
	off += 2;
	fclcb = off;
	if (cb < 34 || doc_len < fclcb + 34 * 8)
		goto short_fib;
	ccp_text = rd32(doc + lw + 12);
	fc_clx = rd32(doc + fclcb + 33 * 8);
	lcb_clx = rd32(doc + fclcb + 33 * 8 + 4);

	rc = vb_cfb_read_path(cfb, tname, &table, err);
	if (rc == VB_ENOTFOUND) {
		rc = vb_error_set(err, VB_EINVAL,
				  "could not read Word document: the %s stream is missing", tname);
		goto out;
	}
	if (rc) {
		vb_error_prefix(err, "could not read Word document");
		goto out;
	}
	if (fc_clx > table.len || lcb_clx > table.len - fc_clx) {
		rc = vb_error_set(err, VB_EINVAL,
				  "could not read Word document: Clx lies past the end of the %s stream",
				  tname);
		goto out;
	}
	rc = read_pieces(w, (const unsigned char *)table.data + fc_clx, lcb_clx, doc, doc_len,
			 ccp_text, 0, err);
out:
	vb_buf_dispose(&table);
	return rc;
short_fib:
	rc = vb_error_set(err, VB_EINVAL, "could not read Word document: FIB is truncated");
	goto out;
}

int vb_msdoc_text(const unsigned char *data, size_t len, char **utf8_out, int *legacy_8bit,
		  vb_error *err)
{
	vb_cfb *cfb = NULL;
	vb_buf doc;
	writer w;
	const unsigned char *d;
	uint16_t ident, nfib, flags;
	uint32_t id;
	int rc;

	*utf8_out = NULL;
	if (legacy_8bit)
		*legacy_8bit = 0;
	memset(&w, 0, sizeof(w));
	vb_buf_init(&w.out, VB_MSDOC_MAX_TEXT);
	vb_buf_init(&doc, VB_CFB_MAX_STREAM);
	rc = vb_cfb_open(&cfb, data, len, err);
	if (rc) {
		vb_error_prefix(err, "could not read Word document");
		goto out;
	}
	if (vb_cfb_lookup(cfb, "WordDocument", &id) != 0) {
		if (vb_cfb_lookup(cfb, "EncryptedPackage", &id) == 0)
			rc = vb_error_set(err, VB_EUNSUPPORTED,
					  "could not read Word document: the file is an encrypted Office document");
		else
			rc = vb_error_set(err, VB_EUNSUPPORTED,
					  "could not read Word document: compound file has no WordDocument stream");
		goto out;
	}
	rc = vb_cfb_read(cfb, id, &doc, err);
	if (rc) {
		vb_error_prefix(err, "could not read Word document");
		goto out;
	}
	d = (const unsigned char *)doc.data;
	if (doc.len < 0x20) {
		rc = vb_error_set(err, VB_EINVAL, "could not read Word document: FIB is truncated");
		goto out;
	}
	ident = rd16(d);
	nfib = rd16(d + 2);
	flags = rd16(d + 0x0A);
	if (ident != 0xA5EC && ident != 0xA5DC) {
		rc = vb_error_set(err, VB_EINVAL,
				  "could not read Word document: bad FIB signature 0x%04x", ident);
		goto out;
	}
	if (flags & 0x0100) {
		rc = vb_error_set(err, VB_EUNSUPPORTED,
				  "could not read Word document: the document is %s",
				  (flags & 0x8000) && nfib >= 0xC0 ? "obfuscated" : "password-encrypted");
		goto out;
	}
	if (nfib < 101) {
		rc = vb_error_set(err, VB_EUNSUPPORTED,
				  "could not read Word document: Word 2.x and older files (nFib %u) are not supported",
				  nfib);
		goto out;
	}
	if (nfib < 0xC0)
		rc = read_word6(&w, d, doc.len, err);
	else
		rc = read_word97(&w, cfb, d, doc.len, err);
	if (rc)
		goto out;
	if (w.high) {
		rc = writer_char(&w, 0xFFFD, 0);
		if (rc) {
			rc = text_fail(err, rc);
			goto out;
		}
	}
	if (legacy_8bit)
		*legacy_8bit = w.legacy;
	*utf8_out = vb_buf_steal(&w.out);
	if (!*utf8_out)
		rc = vb_error_set(err, VB_ENOMEM, "out of memory");
out:
	vb_buf_dispose(&w.out);
	vb_buf_dispose(&doc);
	vb_cfb_free(cfb);
	return rc;
}

int vb_msdoc_unmap_8bit(const char *utf8, size_t len, char **bytes_out, size_t *len_out,
			size_t *unmapped, vb_error *err)
{
	const unsigned char *s = (const unsigned char *)utf8;
	char *o;
	size_t i = 0, n = 0, bad = 0;

	*bytes_out = NULL;
	o = malloc(len + 1);
	if (!o)
		return vb_error_set(err, VB_ENOMEM, "out of memory");
	while (i < len) {
		uint32_t c;
		size_t k, need;

		if (s[i] < 0x80) {
			o[n++] = (char)s[i++];
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			c = s[i] & 0x1F;
			need = 1;
		} else if ((s[i] & 0xF0) == 0xE0) {
			c = s[i] & 0x0F;
			need = 2;
		} else if ((s[i] & 0xF8) == 0xF0) {
			c = s[i] & 0x07;
			need = 3;
		} else {
			free(o);
			return vb_error_set(err, VB_EINVAL, "invalid UTF-8 at byte %zu", i);
		}
		if (len - i <= need) {
			free(o);
			return vb_error_set(err, VB_EINVAL, "truncated UTF-8 at byte %zu", i);
		}
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80) {
				free(o);
				return vb_error_set(err, VB_EINVAL, "invalid UTF-8 at byte %zu", i);
			}
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		i += need + 1;
		if (c >= 0xA0 && c <= 0xFF) {
			o[n++] = (char)c;
			continue;
		}
		for (k = 0; k < 32; k++)
			if (cp1252_high[k] == c)
				break;
		if (k < 32) {
			o[n++] = (char)(0x80 + k);
		} else {
			o[n++] = '?';
			bad++;
		}
	}
	o[n] = '\0';
	*bytes_out = o;
	if (len_out)
		*len_out = n;
	if (unmapped)
		*unmapped = bad;
	return 0;
}
