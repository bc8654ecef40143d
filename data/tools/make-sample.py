#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-sample.py: build the bundled sample data/sample/documents.jsonl (and
# data/sample/files/) from the shared corpus of real Vietnamese legal
# documents.  A developer tool, run once; its output is committed.  Standard
# library only, deterministic (no randomness, sorted output), so running it
# again on the same corpus gives byte-identical files.
#
# It maps each corpus source onto the manifest format that `vanban import`
# reads (one JSON object per line; see data/README.md).  Metadata is cleaned
# (dates to ISO, form names spelled out, masked TVPL fields dropped), but the
# text keeps the corpus's encoding quirks (NFD, U+00D0 look-alikes, NBSP,
# old/new tone placement) on purpose: the importer must cope with them.
#
# usage: data/tools/make-sample.py [--corpus DIR] [--out DIR]

import argparse
import csv
import html
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

STATUSES = {
    "Còn hiệu lực", "Hết hiệu lực toàn bộ", "Hết hiệu lực một phần",
    "Chưa có hiệu lực", "Ngưng hiệu lực",
}

# How many records to take from the big metadata-only / long-text sources.
N_CONGBAO = 100
N_SONLA = 60
N_BINHDUONG = 60
N_PDFS = 3
PDF_MAX = 600 * 1024
TEXT_MAX = 400 * 1024          # bytes of UTF-8
CONGBAO_MIN_TEXT = 2000        # characters; shorter ones are signature pages

NORMATIVE_FORMS = {
    "Luật", "Bộ luật", "Pháp lệnh", "Nghị định", "Thông tư",
    "Thông tư liên tịch", "Nghị quyết", "Quyết định",
}
ADMINISTRATIVE_FORMS = {
    "Công văn", "Thông báo", "Kế hoạch", "Công điện", "Chỉ thị",
    "Chương trình", "Quyết định", "Nghị quyết", "Báo cáo", "Tờ trình",
}


def read_jsonl(path):
    """Objects of a JSON Lines file, split on \\n only (texts hold U+0085)."""
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    return [json.loads(line) for line in data.split("\n") if line.strip()]


def dmy_to_iso(s):
    """'16/02/2023' -> '2023-02-16'; None for anything else."""
    if not s:
        return None
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", s)
    if not m:
        return None
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return valid_iso(y, mo, d)


def valid_iso(y, mo, d):
    import datetime
    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


def iso_or_none(s):
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s.strip())
    if not m:
        return None
    return valid_iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def has_year(number):
    """Whether a số ký hiệu has the /YYYY/ part of a normative document."""
    return bool(number and re.search(r"/(19|20)\d\d/", number))


def category_of(form, number):
    """'normative' for văn bản quy phạm pháp luật, 'administrative' for the
    rest, None when unsure (e.g. consolidated texts)."""
    if not form or not number:
        return None
    if form in ("Luật", "Bộ luật", "Pháp lệnh", "Nghị định", "Thông tư",
                "Thông tư liên tịch"):
        return "normative"
    if form in ("Quyết định", "Nghị quyết"):
        return "normative" if has_year(number) else "administrative"
    if form in ADMINISTRATIVE_FORMS:
        return "administrative"
    return None


def capitalise_first(s):
    s = s.strip()
    return s[:1].upper() + s[1:] if s else s


def collapse_ws(s):
    return re.sub(r"\s+", " ", s).strip()


def cap_text(text, limit=TEXT_MAX):
    """Cut text to at most limit UTF-8 bytes, at a line end when possible."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    cut = raw[:limit].decode("utf-8", errors="ignore")
    nl = cut.rfind("\n")
    if nl > len(cut) // 2:
        cut = cut[:nl + 1]
    return cut


def clean_markdown(text):
    """Remove the worst markdown noise (bold/italic markers, table pipes,
    rule lines) but keep every word and the line structure."""
    out = []
    for line in text.split("\n"):
        s = line.replace("**", "")
        s = re.sub(r"(?<!\w)\*|\*(?!\w)", "", s)   # *italic* markers
        s = s.replace("|", " ")
        if re.fullmatch(r"\s*[-_=]{3,}\s*", s):
            s = ""
        s = s.rstrip()
        out.append(s)
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def add(rec, key, value):
    """Set rec[key] unless value is empty (omitted keys mean unknown)."""
    if value is None:
        return
    if isinstance(value, str) and not value.strip():
        return
    if isinstance(value, list) and not value:
        return
    rec[key] = value


# ---------------------------------------------------------------- Quảng Ninh

def quangninh(corpus):
    path = os.path.join(corpus, "quangninh", "05-2023-QD-UBND.txt")
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    text = clean_markdown(raw)
    # The title block as written in the text, joined on one line.
    m = re.search(r"QUYẾT ĐỊNH\s*\n\s*\n?(Ban hành Quy chế.*?)\n\s*\n", text, re.S)
    abstract = collapse_ws(m.group(1)) if m else \
        "Ban hành Quy chế tổ chức và quản lý hoạt động của Cổng thông tin điện tử tỉnh Quảng Ninh"
    rec = {"source": "quangninh", "source_id": "05-2023-QD-UBND"}
    add(rec, "number", "05/2023/QĐ-UBND")
    add(rec, "form", "Quyết định")
    add(rec, "issuer", "UBND tỉnh Quảng Ninh")
    add(rec, "issue_date", "2023-02-16")
    add(rec, "effective_date", "2023-03-01")
    add(rec, "abstract", abstract)
    add(rec, "signer", "Cao Tường Huy")
    add(rec, "signer_title", "Q. Chủ tịch")
    add(rec, "status", "Còn hiệu lực")
    add(rec, "fields", ["Công nghệ thông tin"])
    add(rec, "category", "normative")
    rec["language"] = "vi"
    rec["text"] = text
    return [rec]


# ---------------------------------------------------------------- TVPL

TVPL_TRAILERS = (
    "\nVăn bản này chưa cập nhật nội dung Tiếng Anh",
    "\n## Văn bản liên quan",
    "\nNỘI DUNG SỬA ĐỔI, HƯỚNG DẪN",
    "\n**FILE ĐƯỢC ĐÍNH KÈM THEO VĂN BẢN**",
    "\n**FILE ATTACHED TO DOCUMENT**",
)


def tvpl_body(doc):
    """text_markdown without the TVPL page furniture after the document."""
    t = doc["text_markdown"]
    cut = len(t)
    for marker in TVPL_TRAILERS:
        i = t.find(marker)
        if 0 <= i < cut:
            cut = i
    body = t[:cut]
    # TVPL repeats the page title (form + number + ...) just before the
    # trailer; drop that line.
    lines = body.rstrip("\n").split("\n")
    prefix = "%s %s" % (doc["loai_van_ban"], doc["so_hieu"])
    while lines and lines[-1].startswith(prefix):
        lines.pop()
    return "\n".join(lines)


def tvpl_abstract(doc):
    title = collapse_ws(doc["title"])
    prefix = "%s %s" % (doc["loai_van_ban"], doc["so_hieu"])
    if not title.startswith(prefix):
        return title
    rest = title[len(prefix):].strip()
    rest = re.sub(r"^năm \d{4}\s+", "", rest)
    rest = re.sub(r"\s+do [^,]{2,80} ban hành$", "", rest)
    return capitalise_first(rest) if len(rest) >= 8 else title


def tvpl_issuer(doc):
    issuer = collapse_ws(doc["noi_ban_hanh"])
    number = doc["so_hieu"]
    local = re.match(r"(Tỉnh|Thành phố) (.+)$", issuer)
    if local:
        place = local.group(1).lower() + " " + local.group(2)
        if "HĐND" in number:
            return "HĐND " + place
        if "UBND" in number:
            return "UBND " + place
    return issuer


def tvpl(corpus):
    out = []
    for doc in read_jsonl(os.path.join(corpus, "tvpl_2025", "documents.jsonl")):
        if not doc.get("text_markdown") or not doc.get("so_hieu"):
            continue
        body = tvpl_body(doc)
        if len(body) < 500:
            continue
        rec = {"source": "tvpl", "source_id": doc["id"].split(":", 1)[1]}
        form = collapse_ws(doc["loai_van_ban"])
        add(rec, "number", doc["so_hieu"].strip())
        add(rec, "form", form)
        add(rec, "issuer", tvpl_issuer(doc))
        add(rec, "issue_date", dmy_to_iso(doc.get("ngay_ban_hanh")))
        add(rec, "effective_date", dmy_to_iso(doc.get("ngay_hieu_luc")))
        add(rec, "abstract", tvpl_abstract(doc))
        add(rec, "signer", (doc.get("nguoi_ky") or "").strip())
        # tinh_trang is "Đã biết" (masked by a login wall): not a status.
        st = (doc.get("tinh_trang") or "").strip()
        if st in STATUSES:
            rec["status"] = st
        add(rec, "category", category_of(form, doc["so_hieu"]))
        rec["language"] = "vi"
        rec["text"] = cap_text(clean_markdown(body))
        out.append(rec)
    return out


# ---------------------------------------------------------------- Công báo

CONGBAO_LOAI = {
    "QĐ": "Quyết định", "NQ": "Nghị quyết", "VB HN": "Văn bản hợp nhất",
    "TT Liên tịch": "Thông tư liên tịch", "TT": "Thông tư",
    "NĐ": "Nghị định",
}

# Form from the type code in the number, which is more reliable than the
# crawler's "loai" label (e.g. a VBHN filed under "Bộ luật").
NUMBER_FORMS = (
    (r"/VBHN-", "Văn bản hợp nhất"),
    (r"/TTLT-", "Thông tư liên tịch"),
    (r"/TT-", "Thông tư"),
    (r"/NĐ-", "Nghị định"),
    (r"/NQ-|/UBTVQH", "Nghị quyết"),
    (r"/QĐ-", "Quyết định"),
    (r"/CT-", "Chỉ thị"),
    (r"/TB-", "Thông báo"),
    (r"/CĐ-", "Công điện"),
)

ISSUERS = {
    "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ",
    "VPQH": "Văn phòng Quốc hội", "BTC": "Bộ Tài chính",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BCA": "Bộ Công an", "BNV": "Bộ Nội vụ", "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BCT": "Bộ Công Thương", "BXD": "Bộ Xây dựng", "BYT": "Bộ Y tế",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BNNMT": "Bộ Nông nghiệp và Môi trường", "BQP": "Bộ Quốc phòng",
    "LPQT": "Bộ Ngoại giao",
}

HEADINGS = ("BỘ LUẬT", "LUẬT", "NGHỊ ĐỊNH", "THÔNG TƯ LIÊN TỊCH", "THÔNG TƯ",
            "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHỈ THỊ", "THÔNG BÁO")


def congbao_number(doc):
    for cand in (doc.get("so_hieu_from_text"), doc.get("so_hieu_raw")):
        if not cand:
            continue
        m = re.search(r"\d+[A-Za-z]?/[\w/Đđ-]+", cand)
        if m and "/" in m.group(0) and not re.fullmatch(r"[a-z0-9-]+", cand):
            return m.group(0).rstrip("-/")
    return None


def congbao_form(doc, number):
    for pat, form in NUMBER_FORMS:
        if re.search(pat, number):
            return form
    if re.search(r"/QH\d+$", number):
        return "Bộ luật" if doc.get("loai") == "Bộ luật" else "Luật"
    loai = (doc.get("loai") or "").strip()
    if loai in ("", "Khác"):
        return None
    return CONGBAO_LOAI.get(loai, loai)


def congbao_issuer(number):
    last = number.split("/")[-1]
    if re.fullmatch(r"QH\d+", last):
        return "Quốc hội"
    if re.fullmatch(r"UBTVQH\d+", last):
        return "Ủy ban Thường vụ Quốc hội"
    parts = last.split("-")
    if len(parts) == 2:
        return ISSUERS.get(parts[1])
    return None


DATE_RE = r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"


def congbao_date(text, form):
    """Issue date: the "<place>, ngày ..." line of the header; for a
    consolidated text the date of its XÁC THỰC block at the end (the first
    date in its body is the consolidated document's own)."""
    if form == "Văn bản hợp nhất":
        m = re.search(r"XÁC THỰC VĂN BẢN HỢP NHẤT\s*(?:[^\n]*\n){0,6}?[^\n]*?, " + DATE_RE, text)
    else:
        head = text[:3000]
        m = re.search(r"[^\W\d_]+, " + DATE_RE, head) or re.search(DATE_RE, head)
    if not m:
        return None
    return valid_iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))


def congbao_abstract(doc, text):
    """The title block under the form heading ("NGHỊ ĐỊNH\\nQuy định ...")."""
    lines = [collapse_ws(x) for x in text[:6000].replace("\r", "").split("\n")]
    for i, line in enumerate(lines):
        if line not in HEADINGS:
            continue
        parts = []
        for nxt in lines[i + 1:i + 12]:
            if not nxt:
                if parts:
                    break
                continue
            if re.match(r"(Căn cứ|Theo đề nghị|CÔNG BÁO|_{3,})", nxt):
                break
            # A consolidated text continues with "Thông tư số N/... ngày".
            if parts and re.match(r"(Luật|Bộ luật|Thông tư|Nghị định|Quyết định|"
                                  r"Nghị quyết)\b.*\bsố:? ?\d+/\S+ ngày", nxt):
                break
            parts.append(nxt)
        s = collapse_ws(" ".join(parts))
        if len(s) < 6:
            continue
        if s.upper() == s:          # "AN TOÀN, VỆ SINH LAO ĐỘNG"
            s = s[0] + s[1:].lower()
            if line in ("LUẬT", "BỘ LUẬT"):
                s = line.capitalize() + " " + s
        return capitalise_first(s)[:600]
    mo_ta = html.unescape(doc.get("mo_ta") or "")
    if len(mo_ta) > 25 and not mo_ta.startswith("Trong số Công báo"):
        return collapse_ws(mo_ta)
    return None


def congbao(corpus, pdf_ids):
    docs = read_jsonl(os.path.join(corpus, "congbao_chinhphu", "documents.jsonl"))
    seen = set()
    cands = []
    for doc in docs:
        if doc["id"] in seen:        # two slugs sit in two topic folders
            continue
        seen.add(doc["id"])
        text = doc.get("text") or ""
        number = congbao_number(doc)
        if not number or len(text) < CONGBAO_MIN_TEXT:
            continue
        size = len(text.encode("utf-8"))
        forced = doc["id"] in pdf_ids
        if size > TEXT_MAX and not forced:
            continue
        cands.append([0 if forced else 2, size, doc["id"], doc, number])
    cands.sort(key=lambda c: (c[1], c[2]))
    # Prefer a few documents with encoding quirks (U+00D0 for Đ, NBSP) so
    # the sample exercises the importer's normalisation.
    for quirk in ("\u00d0", "\u00a0"):
        for c in [c for c in cands if c[0] == 2 and quirk in c[3]["text"]][:3]:
            c[0] = 1
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    out = []
    for _, _, _, doc, number in cands[:N_CONGBAO]:
        text = cap_text(doc["text"])
        rec = {"source": "congbao", "source_id": doc["slug"]}
        form = congbao_form(doc, number)
        add(rec, "number", number)
        add(rec, "form", form)
        add(rec, "issuer", congbao_issuer(number))
        add(rec, "issue_date", congbao_date(text, form))
        add(rec, "abstract", congbao_abstract(doc, text))
        if doc.get("topic_name"):
            rec["fields"] = [doc["topic_name"]]
        add(rec, "category", category_of(form, number))
        rec["language"] = "vi"
        rec["text"] = text
        out.append(rec)
    return out


def congbao_pdfs(corpus):
    """The N_PDFS smallest original PDFs under PDF_MAX: {doc id: file}."""
    path = os.path.join(corpus, "congbao_chinhphu", "pdf", "index.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    rows = [r for r in rows if int(r["bytes"]) < PDF_MAX]
    rows.sort(key=lambda r: (int(r["bytes"]), r["file"]))
    return {r["document_id"]: r["file"] for r in rows[:N_PDFS]}


# ---------------------------------------------------------------- Sơn La

def fill(picked, keys, n):
    """Add evenly spaced keys (in order) to the set picked until it has n."""
    if len(picked) >= n or not keys:
        return
    want = n - len(picked)
    step = len(keys) / float(want + 1)
    i = 0
    while len(picked) < n and i < len(keys) * 2:
        k = keys[int(step * (i % want + 1) + i // want) % len(keys)]
        picked.add(k)
        i += 1

SIGNER_RE = re.compile(r"^(.*?(?:UBND tỉnh|TTHĐND|UBND|HĐND))\s+(\S.*)$")


def sonla_issuer(co_quan):
    c = collapse_ws(co_quan or "")
    if c == "UBND Tỉnh":
        return "UBND tỉnh Sơn La"
    if c == "HĐND Tỉnh":
        return "HĐND tỉnh Sơn La"
    return c or None


def sonla(corpus):
    recs = read_jsonl(os.path.join(corpus, "congbao_sonla", "records.jsonl"))
    recs.sort(key=lambda r: r["id"])
    # Every "Chưa có hiệu lực" record and every number with /YYYY/
    # (normative), so the sample shows those cases; then evenly spaced
    # records up to N_SONLA.
    picked = {r["id"] for r in recs
              if r["tinh_trang"] == "Chưa có hiệu lực" or has_year(r["so_hieu"])}
    fill(picked, [r["id"] for r in recs], N_SONLA)
    out = []
    for r in recs:
        if r["id"] not in picked:
            continue
        rec = {"source": "congbao_sonla", "source_id": r["id"].split(":", 1)[1]}
        loai = r["loai_van_ban"] or ""
        form = "Quyết định" if loai.startswith("Quyết định") else \
            "Nghị quyết" if loai.startswith("Nghị quyết") else None
        add(rec, "number", r["so_hieu"].strip())
        add(rec, "form", form)
        add(rec, "issuer", sonla_issuer(r["co_quan_ban_hanh"]))
        add(rec, "issue_date", iso_or_none(r["ngay_ban_hanh"]))
        add(rec, "effective_date", iso_or_none(r["ngay_hieu_luc"]))
        add(rec, "expiry_date", iso_or_none(r["ngay_het_hieu_luc"]))
        add(rec, "abstract", collapse_ws(r["trich_yeu"] or ""))
        signer = collapse_ws(r["nguoi_ky"] or "")
        m = SIGNER_RE.match(signer)
        if m:
            add(rec, "signer", m.group(2))
            add(rec, "signer_title", m.group(1))
        else:
            add(rec, "signer", signer)
        st = {"Đang hiệu lực": "Còn hiệu lực"}.get(r["tinh_trang"], r["tinh_trang"])
        if st in STATUSES:
            rec["status"] = st
        add(rec, "category", category_of(form, r["so_hieu"]))
        rec["language"] = "vi"
        out.append(rec)
    return out


# ---------------------------------------------------------------- Bình Dương

BD_STATUS = {
    "Văn bản đang có hiệu lực": "Còn hiệu lực",
    "Văn bản hết hiệu lực": "Hết hiệu lực toàn bộ",
    "Văn bản còn hiệu lực một phần": "Hết hiệu lực một phần",
}


def bd_form(number):
    code = number.split("/", 1)[1] if "/" in number else ""
    code = code.replace("Ð", "Đ")   # only to classify; the number is kept
    for prefix, form in (("QĐ-", "Quyết định"), ("KH-", "Kế hoạch"),
                         ("TB-", "Thông báo"), ("CT-", "Chỉ thị"),
                         ("CTr-", "Chương trình"), ("Ctr-", "Chương trình"),
                         ("NQ-", "Nghị quyết"), ("UBND-", "Công văn")):
        if code.startswith(prefix):
            return form
    return None


def binhduong(corpus):
    path = os.path.join(corpus, "binhduong_vbcddh", "records.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = [r for r in rows
            if re.search(r"(UBND|HĐND)", r["so_ky_hieu"]) and bd_form(r["so_ky_hieu"])
            and dmy_to_iso(r["ngay_ban_hanh"]) and r["trich_yeu"].strip()]
    rows.sort(key=lambda r: int(r["source_row"]))
    picked = set()
    # A few rows for each quirk: U+00D0 numbers, expired / partly expired,
    # HĐND resolutions.
    extra = {"Ð": 3, "het": 3, "phan": 2, "hdnd": 2}
    for r in rows:
        if "Ð" in r["so_ky_hieu"] and extra["Ð"]:
            picked.add(r["source_row"]); extra["Ð"] -= 1
        elif r["hieu_luc"] == "Văn bản hết hiệu lực" and extra["het"]:
            picked.add(r["source_row"]); extra["het"] -= 1
        elif r["hieu_luc"] == "Văn bản còn hiệu lực một phần" and extra["phan"]:
            picked.add(r["source_row"]); extra["phan"] -= 1
        elif "HĐND" in r["so_ky_hieu"] and extra["hdnd"]:
            picked.add(r["source_row"]); extra["hdnd"] -= 1
    fill(picked, [r["source_row"] for r in rows], N_BINHDUONG)
    out = []
    for r in rows:
        if r["source_row"] not in picked:
            continue
        number = r["so_ky_hieu"].strip()
        form = bd_form(number)
        rec = {"source": "binhduong", "source_id": r["source_row"]}
        add(rec, "number", number)
        add(rec, "form", form)
        add(rec, "issuer", "HĐND tỉnh Bình Dương" if "HĐND" in number
            else "UBND tỉnh Bình Dương")
        add(rec, "issue_date", dmy_to_iso(r["ngay_ban_hanh"]))
        add(rec, "abstract", capitalise_first(collapse_ws(r["trich_yeu"])))
        st = BD_STATUS.get(r["hieu_luc"].strip())
        if st:
            rec["status"] = st
        add(rec, "category", category_of(form, number))
        rec["language"] = "vi"
        out.append(rec)
    return out


# ---------------------------------------------------------------- main

SOURCE_ORDER = {"quangninh": 0, "tvpl": 1, "congbao": 2,
                "congbao_sonla": 3, "binhduong": 4}
KEY_ORDER = ("source", "source_id", "number", "form", "issuer", "issue_date",
             "effective_date", "expiry_date", "abstract", "signer",
             "signer_title", "status", "fields", "category", "language",
             "files", "text")


def sort_key(rec):
    sid = rec["source_id"]
    return (SOURCE_ORDER[rec["source"]],
            int(sid) if sid.isdigit() else 0, sid)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=os.environ.get(
        "VB_CORPUS", os.path.join(os.path.dirname(TOP), "shared", "corpus")))
    ap.add_argument("--out", default=os.path.join(TOP, "data", "sample"))
    args = ap.parse_args()

    pdfs = congbao_pdfs(args.corpus)
    records = quangninh(args.corpus) + tvpl(args.corpus) + \
        congbao(args.corpus, set(pdfs)) + sonla(args.corpus) + \
        binhduong(args.corpus)

    files_dir = os.path.join(args.out, "files")
    if os.path.isdir(files_dir):
        shutil.rmtree(files_dir)
    os.makedirs(files_dir)
    by_id = {"congbao:" + r["source_id"]: r for r in records if r["source"] == "congbao"}
    for doc_id, name in sorted(pdfs.items()):
        if doc_id not in by_id:
            sys.exit("make-sample: pdf %s has no document in the sample" % name)
        shutil.copyfile(os.path.join(args.corpus, "congbao_chinhphu", "pdf", name),
                        os.path.join(files_dir, name))
        by_id[doc_id]["files"] = ["files/" + name]

    records.sort(key=sort_key)
    tmp = os.path.join(args.out, "documents.jsonl.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            ordered = {k: rec[k] for k in KEY_ORDER if k in rec}
            f.write(json.dumps(ordered, ensure_ascii=False, sort_keys=False) + "\n")
    os.replace(tmp, os.path.join(args.out, "documents.jsonl"))
    counts = {}
    for rec in records:
        counts[rec["source"]] = counts.get(rec["source"], 0) + 1
    print("make-sample: wrote %d records %s, %d files"
          % (len(records), counts, len(pdfs)))


if __name__ == "__main__":
    main()
