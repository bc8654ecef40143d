#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate tests/relevance/queries.tsv from data/sample/documents.jsonl.

The judged query set is generated once and committed; rerun only when the
sample changes, and review the diff.  Judgements:
  number  the document(s) carrying that number, in several spellings
  title   a window of 4-6 words of the abstract that occurs (folded) in
          exactly one abstract: that document
  tone    the same with one word in the other tone placement (hoá/hóa)
  abbrev  a window whose expansion (Quyết định, Ủy ban nhân dân ...) is
          replaced by its abbreviation (QĐ, UBND ...)
  topic   a subject; relevant = documents whose abstract contains every
          judging phrase (folded)
Every query except number variants comes twice: accented (acc) and folded
(unacc).  Output: type TAB variant TAB query TAB source_id[,source_id...]
"""
import json, random, re, sys, unicodedata

random.seed(20260)
SAMPLE = sys.argv[1] if len(sys.argv) > 1 else 'data/sample/documents.jsonl'
docs = [json.loads(l) for l in open(SAMPLE, encoding='utf-8')]


def fold(s):
    s = unicodedata.normalize('NFD', s.replace('Đ', 'D').replace('đ', 'd').replace('Ð', 'D'))
    s = ''.join(c for c in s if unicodedata.category(c) != 'Mn')
    return s.lower()


def words(s):
    return re.findall(r'\w+', s)


def fwords(s):
    return ' ' + ' '.join(words(fold(s))) + ' '


abstracts = [fwords(d.get('abstract') or '') for d in docs]
out = []


def emit(t, variant, q, rel):
    out.append((t, variant, q, ','.join(rel)))


def twin(t, q, rel):
    emit(t, 'acc', q, rel)
    emit(t, 'unacc', ' '.join(words(fold(q))), rel)


STOP = set('và của do một với đối trên các về cho theo tại số ngày năm là được '
           'trong khi từ đến này có những thuộc bị nhằm để'.split())


def edge_ok(win):
    a, b = win[0].strip(',.;:()').lower(), win[-1].strip(',.;:()').lower()
    return a not in STOP and b not in STOP and a and b and not a[0].isdigit()


def unique_window(i, ws, lo=4, hi=6, need=None):
    n = len(ws)
    cands = []
    for L in range(lo, hi + 1):
        for s in range(0, max(0, n - L) + 1):
            win = ws[s:s + L]
            if len(win) < L or not edge_ok(win):
                continue
            if need and not any(need(w) for w in win):
                continue
            key = ' ' + ' '.join(words(fold(' '.join(win)))) + ' '
            if sum(1 for a in abstracts if key in a) == 1:
                cands.append(' '.join(win))
    return random.choice(cands) if cands else None


# --- numbers
by_number = {}
for d in docs:
    if d.get('number'):
        by_number.setdefault(d['number'], []).append(d['source_id'])
numbered = [d for d in docs if d.get('number')]
picked, seen_forms = [], {}
for d in numbered:
    tail = d['number'].split('/')[-1]
    if seen_forms.get(tail, 0) < 2:
        seen_forms[tail] = seen_forms.get(tail, 0) + 1
        picked.append(d)
random.shuffle(picked)
picked = picked[:26]
for d in picked:
    num = d['number']
    rel = by_number[num]
    vs = [num, num.replace('Đ', 'D').replace('đ', 'd'), num.lower()]
    first = num.split('/')[0]
    if first.isdigit() and first.startswith('0'):
        vs.append(num.replace(first, first.lstrip('0'), 1))
    elif first.isdigit() and len(first) == 1:
        vs.append('0' + num)
    if 'Đ' in num:
        vs.append(num.replace('Đ', '\u00d0'))
    vs.append(num.replace('/', ' / ').replace('-', ' - '))
    parts = num.split('/')
    if len(parts) == 3 and parts[1].isdigit() and '-' in parts[2]:
        vs.append('%s %s/%s' % (parts[2].split('-')[0], parts[0], parts[1]))
    for v in dict.fromkeys(vs):
        emit('number', 'var', v, rel)

# --- title words
cands = [i for i, d in enumerate(docs) if len(words(d.get('abstract') or '')) >= 6]
random.shuffle(cands)
n = 0
for i in cands:
    w = unique_window(i, (docs[i].get('abstract') or '').split())
    if w:
        twin('title', w.strip(' ,.;:'), [docs[i]['source_id']])
        n += 1
    if n >= 40:
        break

# --- tone placement (old <-> new)
SWAP = {'hóa': 'hoá', 'hoá': 'hóa', 'hòa': 'hoà', 'hoà': 'hòa', 'thủy': 'thuỷ',
        'thuỷ': 'thủy', 'khỏe': 'khoẻ', 'khoẻ': 'khỏe', 'hỏa': 'hoả', 'hoả': 'hỏa',
        'ủy': 'uỷ', 'uỷ': 'ủy', 'Ủy': 'Uỷ', 'Uỷ': 'Ủy', 'lũy': 'luỹ', 'lụy': 'luỵ',
        'thọa': 'thoạ', 'xóa': 'xoá', 'xoá': 'xóa', 'tòa': 'toà', 'toà': 'tòa',
        'quỹ': 'quỹ', 'thỏa': 'thoả', 'thoả': 'thỏa', 'hủy': 'huỷ', 'huỷ': 'hủy',
        'Hòa': 'Hoà', 'Hoà': 'Hòa', 'tụy': 'tuỵ', 'thúy': 'thuý', 'khóa': 'khoá',
        'khoá': 'khóa', 'họa': 'hoạ', 'hoạ': 'họa', 'lòa': 'loà'}
n = 0
for i, d in enumerate(docs):
    ws = (d.get('abstract') or '').split()
    w = unique_window(i, ws, 4, 6, need=lambda x: x.strip(',.;:') in SWAP and SWAP[x.strip(',.;:')] != x.strip(',.;:'))
    if w:
        q = ' '.join(SWAP.get(x.strip(',.;:'), x.strip(',.;:')) for x in w.split())
        twin('tone', q, [d['source_id']])
        n += 1
    if n >= 16:
        break

# --- abbreviations
ABBR = [('Ủy ban nhân dân', 'UBND'), ('Hội đồng nhân dân', 'HĐND'), ('Quyết định', 'QĐ'),
        ('Nghị quyết', 'NQ'), ('Nghị định', 'NĐ'), ('Thông tư', 'TT'),
        ('Thủ tướng Chính phủ', 'TTg'), ('Văn phòng Chính phủ', 'VPCP'),
        ('Bộ Tài chính', 'BTC'), ('thủ tục hành chính', 'TTHC'),
        ('Thủ tục hành chính', 'TTHC'), ('Chính phủ', 'CP'),
        ('Công nghệ thông tin', 'CNTT'), ('thu nhập cá nhân', 'TNCN'),
        ('giá trị gia tăng', 'GTGT'), ('bảo hiểm xã hội', 'BHXH'),
        ('Bộ Xây dựng', 'BXD'), ('Bộ Nội vụ', 'BNV'), ('Quốc hội', 'QH')]
n = 0
used = set()
order = list(range(len(docs)))
random.shuffle(order)
for i in order:
    ab = docs[i].get('abstract') or ''
    for full, short in ABBR:
        if full in ab and (full, i) not in used:
            pos = ab.index(full)
            left = [x for x in ab[:pos].split()[-2:] if x.lower() not in STOP and not x[0].isdigit()]
            right = ab[pos + len(full):].split()[:3]
            while right and (right[-1].lower() in STOP or '/' in right[-1]):
                right.pop()
            if '/' in ' '.join(right) or len(left) + len(right) < 2:
                continue
            win = ' '.join(left + [full] + right)
            key = fwords(win)
            if sum(1 for a in abstracts if key in a) != 1:
                continue
            q = ' '.join(left + [short] + right).strip(' ,.;:')
            twin('abbrev', q, [docs[i]['source_id']])
            used.add((full, i))
            n += 1
            break
    if n >= 22:
        break

# --- topics
TOPICS = [
    ('thuế thu nhập cá nhân', ['thue thu nhap ca nhan']),
    ('thủ tục hải quan', ['hai quan']),
    ('lệ phí trước bạ', ['le phi truoc ba']),
    ('giá dịch vụ', ['gia dich vu']),
    ('thủ tục hành chính lĩnh vực đất đai', ['thu tuc hanh chinh', 'dat dai']),
    ('thủ tục hành chính giáo dục và đào tạo', ['thu tuc hanh chinh', 'giao duc']),
    ('bảo hiểm xã hội', ['bao hiem xa hoi']),
    ('khoa học và công nghệ', ['khoa hoc', 'cong nghe']),
    ('mưa lũ thiên tai', ['mua lu']),
    ('chuyển đổi số', ['chuyen doi so']),
    ('đường cao tốc', ['cao toc']),
    ('biên chế công chức', ['bien che']),
    ('tiền sử dụng đất', ['tien su dung dat']),
    ('bảng giá đất', ['bang gia dat']),
    ('tài sản công', ['tai san cong']),
    ('chính quyền địa phương hai cấp', ['chinh quyen dia phuong']),
    ('phí thẩm định', ['phi tham dinh']),
    ('nước sạch nông thôn', ['nuoc sach']),
    ('vốn đầu tư công', ['dau tu cong']),
    ('an toàn thực phẩm', ['an toan thuc pham']),
    ('y tế', [' y te ']),
    ('xuất nhập khẩu', ['xuat nhap khau']),
    ('môi trường', ['moi truong']),
    ('cổng thông tin điện tử', ['cong thong tin dien tu']),
    ('đấu thầu', ['dau thau']),
    ('giáo dục nghề nghiệp', ['giao duc nghe nghiep']),
    ('phòng cháy chữa cháy', ['phong chay']),
    ('chính sách thuế', ['chinh sach thue']),
    ('tổ chức bộ máy', ['to chuc bo may']),
    ('hợp nhất', ['hop nhat']),
]
for q, judge in TOPICS:
    rel = [docs[i]['source_id'] for i, a in enumerate(abstracts) if all(j in a for j in judge)]
    if 2 <= len(rel) <= 12:
        twin('topic', q, rel)
    else:
        print('# topic %r: %d relevant, skipped' % (q, len(rel)), file=sys.stderr)

print('# judged queries over data/sample/documents.jsonl, made by tests/relevance/make-queries.py')
print('# type\tvariant\tquery\trelevant source_ids')
for row in out:
    print('\t'.join(row))
print('# %d queries' % len(out), file=sys.stderr)
