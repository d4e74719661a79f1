#!/usr/bin/env python3
"""The baseline for `tongxin-cli bench import`: a plain openpyxl + sqlite3 script doing the
same job on the same file — read the sheet, find the header, normalise names and phones,
match the group, and insert experts and sign-ups in one transaction (synchronous=FULL, WAL).
Prints the elapsed milliseconds as JSON. Usage: import_openpyxl.py FILE.xlsx OUT.db"""
import json
import re
import sqlite3
import sys
import time
import uuid

import openpyxl

GROUPS = {"低空经济": "p1", "新材料": "p2", "生物医药": "p3", "文旅产业": "p4", "乡村振兴": "p5"}


def main(path, db_path):
    t0 = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(
        """CREATE TABLE IF NOT EXISTS expert (id TEXT PRIMARY KEY, code TEXT UNIQUE, name TEXT,
             organisation TEXT, title TEXT, phone TEXT);
           CREATE INDEX IF NOT EXISTS expert_phone ON expert(phone);
           CREATE TABLE IF NOT EXISTS signup (id TEXT PRIMARY KEY, expert_id TEXT, point_id TEXT);"""
    )
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[wb.sheetnames[0]]
    rows = ws.iter_rows(values_only=True)
    header = None
    for r in rows:
        if r and any(c == "姓名" for c in r):
            header = [str(c or "") for c in r]
            break
    col = {h: i for i, h in enumerate(header)}
    added = 0
    db.execute("BEGIN")
    for n, r in enumerate(rows):
        name = re.sub(r"\s", "", str(r[col["姓名"]] or ""))
        if not name:
            continue
        phone = re.sub(r"\D", "", str(r[col["手机"]] or "").split(".")[0])
        group = str(r[col["专题组"]] or "").rstrip("组")
        exists = db.execute("SELECT id FROM expert WHERE phone = ?", (phone,)).fetchone()
        if exists:
            continue
        eid = str(uuid.uuid4())
        db.execute(
            "INSERT INTO expert VALUES (?,?,?,?,?,?)",
            (eid, f"E-{n + 1:06d}", name, r[col["工作单位"]], r[col["职务"]], phone),
        )
        db.execute("INSERT INTO signup VALUES (?,?,?)", (str(uuid.uuid4()), eid, GROUPS.get(group)))
        added += 1
    db.execute("COMMIT")
    print(json.dumps({"ms": round((time.perf_counter() - t0) * 1000, 1), "added": added}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
