"""`tracker check`: prove the database is whole, consistent and traceable to its sources."""

from __future__ import annotations

import hashlib
import sqlite3

import sqlite_utils

CHECKS: list[tuple[str, str]] = [
    ("claim whose quote is not its source's raw_text[char_start:char_end]",
     """SELECT claims.id FROM claims JOIN sources ON sources.id = claims.source_id
        WHERE substr(sources.raw_text, claims.char_start + 1, claims.char_end - claims.char_start)
              IS NOT claims.quote"""),
    ("source with no claims",
     "SELECT id FROM sources WHERE NOT EXISTS (SELECT 1 FROM claims WHERE source_id = sources.id)"),
    ("claim whose subjects column disagrees with claim_subjects",
     """SELECT claims.id FROM claims WHERE claims.retracted_at IS NULL AND
        (SELECT json_group_array(name) FROM (SELECT subjects.name FROM claim_subjects
           JOIN subjects ON subjects.id = claim_subjects.subject_id
           WHERE claim_subjects.claim_id = claims.id ORDER BY subjects.name))
        IS NOT (SELECT json_group_array(value) FROM (SELECT value FROM json_each(claims.subjects)
           ORDER BY value))"""),
    ("commitment whose status is not its latest follow-up's",
     """SELECT id FROM claims WHERE status IS NOT coalesce(
          (SELECT status FROM follow_ups WHERE claim_id = claims.id ORDER BY id DESC LIMIT 1),
          CASE WHEN is_commitment = 1 THEN 'not-yet-rated' END)"""),
    ("claim missing from the full-text index",
     "SELECT id FROM claims WHERE id NOT IN (SELECT rowid FROM claims_fts)"),
    ("committed fts_deferred flag (only `tracker ingest`'s open transactions may set it)",
     "SELECT id FROM fts_deferred WHERE active"),
]  # fmt: skip


def _ids(values: list[int]) -> str:
    shown = ", ".join(str(v) for v in values[:10])
    return shown + (f" and {len(values) - 10} more" if len(values) > 10 else "")


def check(db: sqlite_utils.Database) -> list[str]:
    """Every problem found, one line each; an empty list means the database is sound."""
    conn = db.conn
    problems = []
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append("integrity_check: " + "; ".join(integrity[:5]))
    broken_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken_keys:
        tables = sorted({row[0] for row in broken_keys})
        problems.append(f"{len(broken_keys)} rows with broken foreign keys in {', '.join(tables)}")
    try:
        conn.execute("INSERT INTO claims_fts(claims_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as error:
        problems.append(f"full-text index out of sync with claims ({error})")
    fts_rows = conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0]
    claim_rows = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    if fts_rows != claim_rows:
        problems.append(f"full-text index has {fts_rows} rows for {claim_rows} claims")
    for description, sql in CHECKS:
        ids = [row[0] for row in conn.execute(sql)]
        if ids:
            problems.append(f"{len(ids)} × {description}: {_ids(ids)}")
    for source_id, raw_text, sha256 in conn.execute("SELECT id, raw_text, sha256 FROM sources"):
        if hashlib.sha256(raw_text.encode("utf-8")).hexdigest() != sha256:
            problems.append(f"source {source_id}: raw_text does not match its sha256")
    return problems
