"""The commitment lifecycle: follow-ups with evidence, due and overdue lists, ClaimReview."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlparse

import sqlite_utils
from pydantic import Field, ValidationError, field_validator, model_validator

from tracker.db import transaction
from tracker.errors import InputError, NotFoundError
from tracker.models import FINAL_STATUSES, STATUSES, Row, Status
from tracker.queries import as_export

DEFAULT_DUE_WITHIN_DAYS = 14


class FollowUpRow(Row):
    claim_id: int = Field(ge=1)
    status: Status
    checked_on: date
    note: str | None = None
    evidence: list[str] = Field(default_factory=list)
    checked_by: str | None = None

    @field_validator("evidence")
    @classmethod
    def urls(cls, values: list[str]) -> list[str]:
        for value in values:
            parsed = urlparse(value)
            if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
                raise ValueError(f"{value!r} is not an http(s) URL")
        return values

    @model_validator(mode="after")
    def final_rating_needs_support(self) -> FollowUpRow:
        if self.status in FINAL_STATUSES and not (self.evidence or (self.note or "").strip()):
            raise ValueError(f"a final rating ({self.status}) needs --evidence or --note")
        return self


def parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _commitment(db: sqlite_utils.Database, claim_id: int) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM claim_details WHERE id = ?", [claim_id]))
    if not rows:
        raise NotFoundError(f"claim {claim_id}: no such claim")
    if rows[0]["is_commitment"]:
        return rows[0]
    # Worded as a report here, but another outlet's wording of the statement is a commitment:
    # the follow-up goes on the statement's representative (a commitment, if any appearance is).
    representative = list(db.query(
        """SELECT claim_details.* FROM claim_details JOIN statements ON statements.claim_id = claim_details.id
           WHERE statements.id = ? AND claim_details.is_commitment = 1""",
        [rows[0]["statement_id"]],
    ))  # fmt: skip
    if not representative:
        raise InputError(f"claim {claim_id}: not a commitment, so it has no status to follow up")
    return representative[0]


def record_follow_up(
    db: sqlite_utils.Database,
    claim_id: int,
    status: str,
    evidence: list[str] | None = None,
    note: str | None = None,
    checked_on: date | None = None,
    checked_by: str | None = None,
    today: date | None = None,
) -> int:
    """Append a follow-up; the trigger in schema.sql makes it the claim's current status."""
    today = today or date.today()
    checked_on = checked_on or today
    if status not in STATUSES:
        raise InputError(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    claim = _commitment(db, claim_id)
    published = datetime.fromisoformat(claim["published_at"]).date()
    if checked_on < published:
        raise InputError(
            f"--checked-on: {checked_on} is before the claim was published ({published})"
        )
    if checked_on > today:
        raise InputError(f"--checked-on: {checked_on} is in the future")
    try:
        row = FollowUpRow(
            claim_id=claim["id"], status=status, checked_on=checked_on, note=note,
            evidence=evidence or [], checked_by=checked_by,
        )  # fmt: skip
    except ValidationError as error:
        raise _input_error(error) from None
    with transaction(db.conn):
        cursor = db.conn.execute(
            """INSERT INTO follow_ups (claim_id, status, checked_on, note, evidence, checked_by,
               recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (row.claim_id, row.status, row.checked_on.isoformat(), row.note,
             json.dumps(row.evidence), row.checked_by,
             datetime.now(timezone.utc).replace(microsecond=0).isoformat()),
        )  # fmt: skip
    return int(cursor.lastrowid or 0)


OPTIONS = {"evidence": "--evidence", "status": "--status", "checked_on": "--checked-on",
           "note": "--note", "checked_by": "--by"}


def _input_error(error: ValidationError) -> InputError:
    """The first validation error, naming the CLI option at fault."""
    first = error.errors()[0]
    option = OPTIONS.get(str(first["loc"][0])) if first["loc"] else None
    message = first["msg"].removeprefix("Value error, ")
    return InputError(f"{option}: {message}" if option else message)


# A statement printed by several outlets is one commitment: its representative stands for it.
REPRESENTATIVE = (
    "(statement_id IS NULL OR id = (SELECT claim_id FROM statements WHERE statements.id = claim_details.statement_id))"
)
OPEN = (
    f"is_commitment = 1 AND retracted_at IS NULL AND (status IS NULL OR status NOT IN {FINAL_STATUSES!r})"
    f" AND {REPRESENTATIVE}"
)


def overdue(db: sqlite_utils.Database, as_of: date) -> list[dict[str, Any]]:
    """Open commitments whose follow-up date has passed: computed, never stored."""
    sql = f"SELECT * FROM claim_details WHERE {OPEN} AND follow_up_due < ? ORDER BY follow_up_due, id"
    return [as_export(r) for r in db.query(sql, [as_of.isoformat()])]


def due(db: sqlite_utils.Database, as_of: date, within_days: int) -> list[dict[str, Any]]:
    """Open commitments falling due from as_of to as_of + within_days, inclusive."""
    sql = (
        f"SELECT * FROM claim_details WHERE {OPEN} AND follow_up_due BETWEEN ? AND ? "
        "ORDER BY follow_up_due, id"
    )
    end = as_of + timedelta(days=within_days)
    return [as_export(r) for r in db.query(sql, [as_of.isoformat(), end.isoformat()])]


RATING_VALUES = {"broken": 1, "stalled": 2, "compromise": 3, "in-the-works": 4, "kept": 5}


def claim_reviews(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """schema.org ClaimReview for every commitment (statement) rated by a follow-up: one review
    per statement, listing every outlet that printed it."""
    reviews = []
    for claim in db.query(
        f"""SELECT * FROM claim_details WHERE is_commitment = 1 AND status != 'not-yet-rated'
            AND retracted_at IS NULL AND {REPRESENTATIVE} ORDER BY id"""
    ):
        latest = next(db.query(
            """SELECT follow_ups.* FROM follow_ups JOIN claims ON claims.id = follow_ups.claim_id
               WHERE claims.id = ? OR claims.statement_id = ? ORDER BY follow_ups.id DESC LIMIT 1""",
            [claim["id"], claim["statement_id"]],
        ))  # fmt: skip
        appearances = list(db.query(
            """SELECT source_title, published_at, source_file, source_url FROM claim_details
               WHERE statement_id = ? AND retracted_at IS NULL ORDER BY published_at, id""",
            [claim["statement_id"]],
        )) if claim["statement_id"] else [claim]  # fmt: skip
        reviews.append(_claim_review(claim, latest, appearances))
    return reviews


def _appearance(claim: dict[str, Any]) -> dict[str, Any]:
    appearance = {
        "@type": "CreativeWork",
        "headline": claim["source_title"],
        "datePublished": claim["published_at"],
        "name": claim["source_file"],
    }
    if claim["source_url"]:
        appearance["url"] = claim["source_url"]
    return appearance


def _claim_review(claim: dict[str, Any], latest: dict[str, Any], appearances: list[dict[str, Any]]) -> dict[str, Any]:
    every = [_appearance(a) for a in appearances]
    appearance = every[0] if len(every) == 1 else every
    author: dict[str, Any] = {"@type": "Person", "name": claim["speaker"]}
    if claim["speaker_role"]:
        author["jobTitle"] = claim["speaker_role"]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": claim["claim_key"],
        "claimReviewed": claim["text"],
        "datePublished": latest["checked_on"],
        "itemReviewed": {
            "@type": "Claim",
            "author": author,
            "datePublished": claim["published_at"][:10],
            "appearance": appearance,
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": claim["status"],
            "ratingValue": RATING_VALUES[claim["status"]],
            "worstRating": 1,
            "bestRating": 5,
        },
    }
    evidence = json.loads(latest["evidence"] or "[]")
    if latest["note"] or evidence:
        review["reviewRating"]["ratingExplanation"] = " ".join([latest["note"] or "", *evidence]).strip()
    if evidence:
        review["citation"] = evidence
    if latest["checked_by"]:
        review["author"] = {"@type": "Person", "name": latest["checked_by"]}
    return review
