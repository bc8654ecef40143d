#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-sample.py: validate a manifest (default data/sample/documents.jsonl)
# against the manifest format: every line parses as a JSON object, required
# keys are present, only known keys are used, dates are valid ISO dates,
# status and category use the accepted vocabulary, (source, source_id) is
# unique and every file named in "files" exists beside the manifest.
# Standard library only.  Exit status 0 when valid, 1 otherwise.
#
# usage: data/tools/check-sample.py [MANIFEST]

import datetime
import json
import os
import sys

REQUIRED = ("source", "source_id", "language")
KNOWN = {"source", "source_id", "number", "form", "issuer", "issue_date",
         "effective_date", "expiry_date", "abstract", "signer",
         "signer_title", "status", "fields", "category", "language", "text",
         "files"}
STATUSES = {"Còn hiệu lực", "Hết hiệu lực toàn bộ", "Hết hiệu lực một phần",
            "Chưa có hiệu lực", "Ngưng hiệu lực"}
CATEGORIES = {"normative", "administrative"}


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(top, "data", "sample", "documents.jsonl")
    base = os.path.dirname(os.path.abspath(path))
    errors = []
    seen = set()
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    if not data.endswith("\n"):
        errors.append("last line does not end in a newline")
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        def bad(msg):
            errors.append("line %d: %s" % (n, msg))
        try:
            rec = json.loads(line)
        except ValueError as e:
            bad("invalid JSON: %s" % e)
            continue
        if not isinstance(rec, dict):
            bad("not an object")
            continue
        for k in REQUIRED:
            if not isinstance(rec.get(k), str) or not rec[k]:
                bad("missing %s" % k)
        if not rec.get("abstract") and not rec.get("text"):
            bad("neither abstract nor text")
        for k in sorted(set(rec) - KNOWN):
            bad("unknown key %s" % k)
        for k in ("issue_date", "effective_date", "expiry_date"):
            if k in rec:
                try:
                    datetime.date.fromisoformat(rec[k])
                    if len(rec[k]) != 10:
                        raise ValueError
                except (TypeError, ValueError):
                    bad("%s is not yyyy-mm-dd: %r" % (k, rec[k]))
        if "status" in rec and rec["status"] not in STATUSES:
            bad("bad status %r" % rec["status"])
        if "category" in rec and rec["category"] not in CATEGORIES:
            bad("bad category %r" % rec["category"])
        for k in ("fields", "files"):
            if k in rec and (not isinstance(rec[k], list) or
                             not all(isinstance(x, str) and x for x in rec[k])):
                bad("%s is not a list of strings" % k)
        for name in rec.get("files", []) if isinstance(rec.get("files"), list) else []:
            if os.path.isabs(name) or ".." in name.split("/"):
                bad("file path %r escapes the manifest directory" % name)
            elif not os.path.isfile(os.path.join(base, name)):
                bad("file %r not found" % name)
        for k, v in rec.items():
            if k not in ("fields", "files") and not isinstance(v, str):
                bad("%s is not a string" % k)
        key = (rec.get("source"), rec.get("source_id"))
        if key in seen:
            bad("duplicate (source, source_id) %r" % (key,))
        seen.add(key)
    for e in errors[:50]:
        print("check-sample: " + e, file=sys.stderr)
    print("check-sample: %s: %d records, %d errors" % (path, len(lines), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
