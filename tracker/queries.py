"""Reading claims back: the filters of `tracker claims`, one claim with its history, and the
export's row shape."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from tracker.errors import NotFoundError, TrackerError
from tracker.search import expand_query


def as_export(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["subjects"] = json.loads(row["subjects"] or "[]")
    row["is_commitment"] = bool(row["is_commitment"])
    return row


def query_claims(
    db: sqlite_utils.Database,
    speaker: str | None = None,
    subject: str | None = None,
    search: str | None = None,
    commitments: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Claims with names, filtered like the CLI's `claims` options; oldest source first."""
    where, params = [], []
    if speaker:
        where.append("speaker LIKE ?")
        params.append(f"%{speaker}%")
    if subject:  # a whole subject name in any case: "Iran" is not "Iranian nuclear program"
        where.append(
            """id IN (SELECT claim_id FROM claim_subjects JOIN subjects
               ON subjects.id = claim_subjects.subject_id WHERE subjects.name = ? COLLATE NOCASE)"""
        )
        params.append(subject)
    if search:
        where.append("id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)")
        params.append(fts_query(search))
    if commitments:
        where.append("is_commitment = 1")
    sql = "SELECT * FROM claim_details WHERE retracted_at IS NULL"
    if where:
        sql += " AND " + " AND ".join(where)
    sql += " ORDER BY published_at, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [as_export(row) for row in db.query(sql, params)]


def fts_query(text: str) -> str:
    """Quote each word so user input is never read as FTS5 syntax (like Datasette's escaping);
    a Russian word also matches its dictionary forms (tracker/search.py)."""
    words = text.replace('"', " ").split()
    if not words:
        raise TrackerError("--search: give at least one word")
    return expand_query(" ".join(f'"{w}"' for w in words))




def get_claim(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any]:
    """One claim with its provenance, subjects (with kinds) and follow-up history."""
    rows = list(db.query("SELECT * FROM claim_details WHERE id = ?", [claim_id]))
    if not rows:
        raise NotFoundError(f"claim {claim_id}: no such claim")
    claim = as_export(rows[0])
    claim["subject_kinds"] = {
        r["name"]: r["kind"]
        for r in db.query(
            """SELECT subjects.name, subjects.kind FROM claim_subjects JOIN subjects
               ON subjects.id = claim_subjects.subject_id WHERE claim_id = ?""",
            [claim_id],
        )
    }
    # The statement's history: follow-ups recorded on any of its appearances.
    claim["history"] = [
        {**r, "evidence": json.loads(r["evidence"] or "[]")}
        for r in db.query(
            """SELECT follow_ups.id, follow_ups.status, checked_on, note, evidence, checked_by, recorded_at
               FROM follow_ups JOIN claims ON claims.id = follow_ups.claim_id
               WHERE claims.id = ? OR (claims.statement_id IS NOT NULL AND claims.statement_id = ?)
               ORDER BY follow_ups.id""",
            [claim_id, claim["statement_id"]],
        )
    ]
    return claim
