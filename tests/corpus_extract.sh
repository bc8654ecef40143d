#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every original file of the shared corpus extracts: each PDF and Word .doc
# (vbpl originals, Công báo prints, LuatVietNam samples, the TCVN3 decrees
# of 1945) goes through `vanban extract` with exit status 0 and JSON out.
# Text-layer files must yield text; the image-only scans of the LuatVietNam
# samples may yield (almost) none, which uploads flag as needs_ocr.
# The TCVN3 decrees must come out in Unicode (no Windows-1252 look-alikes).
. "$VB_SRCDIR/tests/lib/tap.sh"

corpus=${VB_CORPUS:-$VB_SRCDIR/../shared/corpus}
if [ ! -d "$corpus" ]; then
	echo "1..0 # SKIP no corpus at $corpus"
	exit 0
fi
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is not installed"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-corpus.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

for f in "$corpus"/congbao_chinhphu/pdf/*.pdf "$corpus"/vbpl_original_files/*.pdf \
	"$corpus"/vbpl_original_files/*.doc "$corpus"/legacy_encodings/luatvietnam_doc_pdf_samples/*.pdf \
	"$corpus"/legacy_encodings/luatvietnam_doc_pdf_samples/*.doc \
	"$corpus"/legacy_encodings/tcvn3_1945_sac_lenh/*.DOC; do
	[ -f "$f" ] || continue
	name=${f#"$corpus"/}
	if ! vanban extract "$f" >"$tmp/out.json" 2>"$tmp/err"; then
		nok "$name extracts ($(tail -n 1 "$tmp/err"))"
		continue
	fi
	len=$(jq -r '.text | length' "$tmp/out.json" 2>/dev/null)
	case $name in
	legacy_encodings/luatvietnam_doc_pdf_samples/*.pdf)
		# Mostly scans: extraction must succeed; text is optional.
		[ -n "$len" ] && ok "$name extracts ($len characters; scans may have none)" ||
			nok "$name extracts to JSON" ;;
	legacy_encodings/tcvn3_1945_sac_lenh/*)
		if [ "${len:-0}" -gt 100 ] && ! jq -r .text "$tmp/out.json" | grep -q '[¾§Ö]' &&
			jq -r .text "$tmp/out.json" | grep -q 'Đ\|đ\|ư\|ơ'; then
			ok "$name extracts as Unicode Vietnamese ($len characters)"
		else
			nok "$name extracts as Unicode Vietnamese ($len characters)"
		fi ;;
	*)
		[ "${len:-0}" -gt 200 ] && ok "$name extracts ($len characters)" ||
			nok "$name extracts with a text layer (got ${len:-no} characters)" ;;
	esac
done
[ "$n" -ge 90 ] && ok "the corpus had $n files to extract" || nok "the corpus had only $n files to extract"
echo "1..$n"
