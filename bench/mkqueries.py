#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate bench/queries-mix.tsv, the query set of the comparative benchmarks.

    bench/scale --numbers 2000 > numbers.tsv
    bench/mkqueries.py numbers.tsv MANIFEST.jsonl... > bench/queries-mix.tsv

Columns: type, q, form, issuer (the last two empty unless the query is
facet-filtered).  Types: accented and unaccented (topics of a provincial
portal that occur in the real texts, TOPICS below, padded with frequent title
word pairs if fewer than 110 occur), phrase (a quoted topic of 3+ words),
number (document numbers of the first 2,000 generated documents, so they hit
at every corpus size; as written or unaccented and lowercased) and facet (a
topic with a form or issuer filter of the generated corpus).  Deterministic
(seed 8).
"""
import collections
import json
import random
import re
import sys
import unicodedata

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
STOP = {"của", "và", "các", "về", "cho", "trong", "theo", "với", "được", "có",
        "là", "từ", "tại", "đến", "một", "số", "năm", "này", "những", "để",
        "do", "thì", "khi", "không", "đã", "trên", "bị", "hoặc", "ngày", "tháng"}


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn")


def ngrams(text, n):
    words = [w.lower() for w in WORD.findall(text)]
    for i in range(len(words) - n + 1):
        g = words[i:i + n]
        if g[0] in STOP or g[-1] in STOP or any(len(w) < 2 for w in g):
            continue
        yield " ".join(g)


# Typical searches of a provincial document portal (topics of the real
# titles); only those that occur in the real texts are kept.
TOPICS = """thủ tục hành chính; chuyển đổi số; đất đai; bồi thường giải phóng mặt bằng;
giá đất; thu hồi đất; quy hoạch sử dụng đất; xây dựng nông thôn mới; ngân sách nhà nước;
dự toán ngân sách; đầu tư công; kế hoạch đầu tư công trung hạn; phòng chống thiên tai;
an toàn thực phẩm; bảo hiểm xã hội; bảo hiểm y tế; thuế giá trị gia tăng;
thuế thu nhập cá nhân; thuế thu nhập doanh nghiệp; hóa đơn điện tử; cán bộ công chức;
viên chức; tuyển dụng công chức; biên chế; tinh giản biên chế; chế độ phụ cấp;
tiền lương; mức lương cơ sở; hộ nghèo; giảm nghèo bền vững; người có công;
trợ cấp xã hội; giáo dục mầm non; học phí; sách giáo khoa; khám bệnh chữa bệnh;
phòng chống dịch; tiêm chủng; bảo vệ môi trường; chất thải rắn; nước thải;
tài nguyên nước; khoáng sản; khai thác khoáng sản; rừng phòng hộ; lâm nghiệp;
thủy sản; nông nghiệp; khuyến nông; giao thông vận tải; đăng kiểm; trật tự an toàn giao thông;
xử phạt vi phạm hành chính; thanh tra; khiếu nại tố cáo; tiếp công dân;
phòng chống tham nhũng; cải cách hành chính; dịch vụ công trực tuyến; một cửa liên thông;
cổng thông tin điện tử; chữ ký số; an toàn thông tin; cơ sở dữ liệu quốc gia;
định danh điện tử; căn cước công dân; đăng ký kinh doanh; doanh nghiệp nhỏ và vừa;
hỗ trợ doanh nghiệp; khu công nghiệp; khu kinh tế; xuất nhập khẩu; hải quan;
du lịch; di tích lịch sử; văn hóa; thể dục thể thao; lễ hội; quốc phòng an ninh;
dân quân tự vệ; phòng cháy chữa cháy; cứu nạn cứu hộ; nhà ở xã hội; cấp phép xây dựng;
quản lý chất lượng công trình; đấu thầu; mua sắm tài sản công; tài sản công;
đơn vị sự nghiệp công lập; tự chủ tài chính; phí lệ phí; kiểm toán; kế toán;
sáp nhập đơn vị hành chính; chính quyền địa phương hai cấp; hội đồng nhân dân;
ủy ban nhân dân; quy chế làm việc; văn bản quy phạm pháp luật; hợp đồng lao động;
người lao động; bảo hiểm thất nghiệp; an toàn vệ sinh lao động; trẻ em; bình đẳng giới;
dân tộc thiểu số; miền núi; biên giới; tôn giáo; khoa học công nghệ; đổi mới sáng tạo;
sở hữu trí tuệ; tiêu chuẩn đo lường chất lượng; năng lượng; điện lực; xăng dầu;
nước sạch; vệ sinh môi trường; biến đổi khí hậu; thương mại điện tử; chợ; giá cả thị trường"""


def main():
    rnd = random.Random(8)
    numbers = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
    title_grams = collections.Counter()
    text_grams = collections.Counter()
    for path in sys.argv[2:]:
        for line in open(path, encoding="utf-8"):
            o = json.loads(line)
            title = o.get("abstract") or o.get("mo_ta") or o.get("title") or ""
            text = o.get("text") or o.get("text_markdown") or ""
            for n in (2, 3):
                title_grams.update(set(ngrams(title, n)))
            text_grams.update(set(ngrams(text[:20000], 4)))
    texts = []
    for path in sys.argv[2:]:
        for line in open(path, encoding="utf-8"):
            o = json.loads(line)
            texts.append(((o.get("text") or o.get("text_markdown") or "") + " " +
                          (o.get("abstract") or o.get("mo_ta") or o.get("title") or "")).lower())
    common = [t.strip() for t in TOPICS.split(";")]
    common = [t for t in common if any(t in x for x in texts)]
    rnd.shuffle(common)
    sys.stderr.write(f"mkqueries: {len(common)} topics occur in the texts\n")
    while len(common) < 110:
        common.append(rnd.choice([g for g, c in title_grams.most_common(200)]))
    phrases = [g for g, c in text_grams.most_common(600) if c >= 5]
    rnd.shuffle(phrases)
    forms = sorted({n[1] for n in numbers})
    issuers = sorted({n[2] for n in numbers})
    out = ["type\tq\tform\tissuer"]
    for g in common[:60]:
        out.append(f"accented\t{g}\t\t")
    for g in common[60:110]:
        out.append(f"unaccented\t{fold(g)}\t\t")
    multi = [g for g in common[:119] if len(g.split()) >= 3]
    for g in (multi + phrases)[:30]:
        out.append(f"phrase\t\"{g}\"\t\t")
    picks = rnd.sample(numbers, 40)
    for k, (num, _, _) in enumerate(picks):
        out.append(f"number\t{num if k % 2 == 0 else fold(num).lower()}\t\t")
    for k, g in enumerate(common[:30]):
        if k % 2 == 0:
            out.append(f"facet\t{g}\t{rnd.choice(forms)}\t")
        else:
            out.append(f"facet\t{g}\t\t{rnd.choice(issuers)}")
    sys.stdout.write("\n".join(out) + "\n")


main()
