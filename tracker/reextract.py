"""Re-extraction: run the current extractor over every stored source, keeping each claim's
identity, statement and follow-ups."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils

from tracker.articles import parse_article
from tracker.db import now, transaction
from tracker.errors import ArticleError
from tracker.extract import DEFAULT_REVIEW_DAYS, extract_claims
from tracker.ingest import (
    claim_row,
    insert_claims,
    link_subjects,
    prepare_claims,
    upsert_people,
    upsert_subjects,
    with_ids,
)
from tracker.models import ClaimRow
from tracker.statements import assign_statements, derived_status, refresh


@dataclass
class ReextractReport:
    sources: int = 0
    added: int = 0
    updated: int = 0
    retracted: int = 0
    restored: int = 0
    unchanged: int = 0


RETRACTION_REASON = "no longer extracted from its source by the current extractor"
SNAPSHOT = """SELECT claim_key, speaker_id, attributed_to_id, text, subjects, is_commitment,
    deadline, deadline_text, follow_up_due, status, line, char_start, char_end, quote,
    retracted_at FROM claims WHERE source_id = ?"""


def reextract(db: sqlite_utils.Database, review_days: int = DEFAULT_REVIEW_DAYS) -> ReextractReport:
    """Re-run extraction over every stored source, one transaction per source.

    Claims keep their id and follow-ups through their claim_key; a claim the extractor no longer
    produces is marked retracted (never deleted), and restored if a later run finds it again.
    A claim with follow-ups stays a commitment: recorded evidence outranks the classifier.
    """
    report = ReextractReport()
    sources = db.execute("SELECT id, file_name, raw_text FROM sources ORDER BY id").fetchall()
    for source_id, file_name, raw_text in sources:
        article = parse_article(raw_text.encode("utf-8"), file_name)
        article = replace(article, sha256=key_sha256(db.conn, source_id, article.sha256))
        try:
            claims = extract_claims(article, review_days)
        except ArticleError:
            claims = []
        rows = [claim_row(claim, file_name) for claim in claims]
        with transaction(db.conn):
            reconcile(db.conn, source_id, rows, report)
        report.sources += 1
    return report


def key_sha256(conn: sqlite3.Connection, source_id: int, sha256: str) -> str:
    """What a source's claim keys derive from: its text's sha256, or for an article edited since
    it was first stored (tracker/versions.py) its first version's, so claims keep their keys."""
    first = conn.execute(
        "SELECT text_sha256 FROM source_versions WHERE source_id = ? ORDER BY version LIMIT 1", [source_id]
    ).fetchone()
    return first[0] if first else sha256


def reconcile(
    conn: sqlite3.Connection, source_id: int, rows: list[ClaimRow], report: ReextractReport,
    reason: str = RETRACTION_REASON,
) -> None:
    """Make a source's claims the given rows: update those with the same key, add new ones,
    retract those no longer given (with `reason`)."""
    before = {r[0]: r for r in conn.execute(SNAPSHOT, [source_id])}
    followed = {key for (key,) in conn.execute(
        """SELECT DISTINCT claims.claim_key FROM follow_ups JOIN claims ON claims.id = claim_id
           WHERE claims.source_id = ?""", [source_id])}  # fmt: skip
    claims = prepare_claims(rows)
    people = upsert_people(conn, claims)
    upsert_subjects(conn, claims)
    insert_claims(conn, [v for v in claims.values if v["claim_key"] not in before], source_id, people)
    conn.executemany(
        f"""UPDATE claims SET speaker_id = :speaker_id, attributed_to_id = :attributed_to_id,
           text = :text, subjects = :subjects, is_commitment = :is_commitment,
           deadline = :deadline, deadline_text = :deadline_text, follow_up_due = :follow_up_due,
           line = :line, char_start = :char_start, char_end = :char_end, quote = :quote,
           retracted_at = NULL, retraction_reason = NULL,
           status = {derived_status(":is_commitment")}
           WHERE claim_key = :claim_key""",
        [_update_values(v, people, v["claim_key"] in followed) for v in claims.values if v["claim_key"] in before],
    )
    found = {v["claim_key"] for v in claims.values}
    retracted_at = now().isoformat()
    conn.executemany(  # one key per statement: a source can have any number of claims
        "UPDATE claims SET retracted_at = ?, retraction_reason = ? WHERE claim_key = ?",
        [(retracted_at, reason, key) for key, row in before.items() if row[-1] is None and key not in found],
    )
    conn.execute(
        "DELETE FROM claim_subjects WHERE claim_id IN (SELECT id FROM claims WHERE source_id = ?"
        " AND retracted_at IS NULL)", [source_id],
    )  # fmt: skip
    link_subjects(conn, source_id, claims)
    # New claims join or start statements; retracted and restored ones change their counts.
    refresh(conn, [s for (s,) in conn.execute(
        "SELECT DISTINCT statement_id FROM claims WHERE source_id = ? AND statement_id IS NOT NULL", [source_id])])
    assign_statements(conn, [source_id])
    after = {r[0]: r for r in conn.execute(SNAPSHOT, [source_id])}
    _count_changes(before, after, report)


def _update_values(values: dict[str, Any], people: dict[str, int], followed: bool) -> dict[str, Any]:
    """A claim with follow-ups stays a commitment. Its status is not set here: the UPDATE takes its
    statement's latest follow-up, as the claims_status_is_derived trigger requires."""
    is_commitment = bool(values["is_commitment"]) or followed
    return with_ids(values, people, is_commitment=int(is_commitment))


def _count_changes(before: dict[str, Any], after: dict[str, Any], report: ReextractReport) -> None:
    for key, row in after.items():
        old = before.get(key)
        if old is None:
            report.added += 1
        elif old[-1] is None and row[-1] is not None:
            report.retracted += 1
        elif old[-1] is not None and row[-1] is None:
            report.restored += 1
        elif old != row:
            report.updated += 1
        else:
            report.unchanged += 1
