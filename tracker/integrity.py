"""`tracker check`: prove the database is whole, consistent and traceable to its sources."""

from __future__ import annotations

import hashlib
import sqlite3

import sqlite_utils

from tracker import kept
from tracker.statements import derived_status

QUOTE_PROBLEM = "claim whose quote is not its source's raw_text[char_start:char_end]"
CHECKS: list[tuple[str, str]] = [
    ("claim whose subjects column disagrees with claim_subjects",
     """SELECT claims.id FROM claims WHERE claims.retracted_at IS NULL AND
        (SELECT json_group_array(name) FROM (SELECT subjects.name FROM claim_subjects
           JOIN subjects ON subjects.id = claim_subjects.subject_id
           WHERE claim_subjects.claim_id = claims.id ORDER BY subjects.name))
        IS NOT (SELECT json_group_array(value) FROM (SELECT value FROM json_each(claims.subjects)
           ORDER BY value))"""),
    ("commitment whose status is not its statement's latest follow-up's",
     f"SELECT id FROM claims WHERE status IS NOT {derived_status()}"),
    ("claim that belongs to no statement",
     "SELECT id FROM claims WHERE statement_id IS NULL AND retracted_at IS NULL"),
    ("statement whose appearances do not match its claims",
     """SELECT id FROM statements WHERE appearances IS NOT (SELECT count(*) FROM claims
          WHERE claims.statement_id = statements.id AND claims.retracted_at IS NULL)"""),
    ("statement whose representative is not one of its claims",
     """SELECT id FROM statements WHERE appearances > 0 AND NOT EXISTS (SELECT 1 FROM claims
          WHERE claims.id = statements.claim_id AND claims.statement_id = statements.id)"""),
    ("statement_numbers row that is not a number of its statement's fact key",
     """SELECT statement_numbers.statement_id FROM statement_numbers
          LEFT JOIN statements ON statements.id = statement_numbers.statement_id
          WHERE statements.id IS NULL OR statements.speaker_id != statement_numbers.speaker_id
             OR statements.first_seen != statement_numbers.first_seen
             OR instr(' ' || statements.fact_key || ' ', ' ' || statement_numbers.number || ' ') = 0"""),
    ("statement numbers missing from statement_numbers (rows, against numbers in fact keys)",
     """SELECT (SELECT count(*) FROM statement_numbers) || ' / ' || numbers FROM (SELECT coalesce(sum(
          length(fact_key) - length(replace(fact_key, ' ', '')) + (fact_key != '')), 0) AS numbers FROM statements)
          WHERE numbers != (SELECT count(*) FROM statement_numbers)"""),
    ("claim missing from the full-text index",
     "SELECT id FROM claims WHERE id NOT IN (SELECT rowid FROM claims_fts)"),
    ("committed fts_deferred flag (only `tracker ingest`'s open transactions may set it)",
     "SELECT id FROM fts_deferred WHERE active"),
    ("committed claim_counts_deferred (only `tracker ingest`'s open transactions may set it)",
     "SELECT id FROM claim_counts_deferred WHERE after_id IS NOT NULL"),
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
    sources, misquoted = _check_sources(conn)
    if misquoted:
        problems.append(f"{len(misquoted)} × {QUOTE_PROBLEM}: {_ids(sorted(misquoted))}")
    for description, sql in CHECKS:
        ids = [row[0] for row in conn.execute(sql)]
        if ids:
            problems.append(f"{len(ids)} × {description}: {_ids(ids)}")
    return problems + kept.differences(conn) + sources


def _check_sources(conn: sqlite3.Connection) -> tuple[list[str], list[int]]:
    """Each source's raw text against its sha256, and its claims' quotes against its slices.

    One source's text at a time, sliced in Python: SQLite's substr() walks UTF-8 text from its
    start, so checking every quote in SQL read the whole article once per claim (30 s for one
    2.5 MB article with 13,000 claims)."""
    problems, misquoted = [], []
    for source_id, raw_text, sha256 in conn.execute("SELECT id, raw_text, sha256 FROM sources ORDER BY id"):
        if hashlib.sha256(raw_text.encode("utf-8")).hexdigest() != sha256:
            problems.append(f"source {source_id}: raw_text does not match its sha256")
        claims = conn.execute(
            "SELECT id, char_start, char_end, quote, retracted_at FROM claims WHERE source_id = ?", [source_id]
        ).fetchall()
        wrong = [c for c in claims if raw_text[c[1]:c[2]] != c[3]]
        # A claim an edit of its article retracted quotes the version it came from.
        versions = [t for (t,) in conn.execute("SELECT raw_text FROM source_versions WHERE source_id = ?",
                                               [source_id])] if wrong else []  # fmt: skip
        misquoted += [c[0] for c in wrong if c[4] is None or not any(t[c[1]:c[2]] == c[3] for t in versions)]
    problems += [f"source version {i}: {what} does not match its sha256" for i, what in _version_hashes(conn)]
    return problems, misquoted


def _version_hashes(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """Each stored original and extracted text of a web source against its sha256."""
    wrong = []
    for version_id, original, original_sha256, raw_text, text_sha256 in conn.execute(
        "SELECT id, original, original_sha256, raw_text, text_sha256 FROM source_versions ORDER BY id"
    ):
        if hashlib.sha256(original).hexdigest() != original_sha256:
            wrong.append((version_id, "original"))
        if hashlib.sha256(raw_text.encode("utf-8")).hexdigest() != text_sha256:
            wrong.append((version_id, "raw_text"))
    return wrong
