"""Export every claim with what it needs to be rebuilt, and import such an export.

`tracker export --format jsonl` followed by `tracker import` into an empty database gives back
the same claims (same ids and keys), subjects, people, follow-ups and sources, byte for byte.
Into a database with claims of its own, identity is the claim_key (a source's, its sha256):
present claims are skipped, new ones get new ids where theirs are taken.
Each line is one claim; the first line of each source also carries the source itself (raw text
included) under "source", so the export is self-contained without repeating articles.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, Literal

import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tracker.db import transaction
from tracker.errors import InputError
from tracker.identity import person_identity
from tracker.language import detect_language
from tracker.models import Status, SubjectKind, describe
from tracker.queries import as_export
from tracker.search import search_lemmas
from tracker.statements import assign_statements, move

EXPORT_SQL = """
SELECT claim_details.*,
    (SELECT language FROM sources WHERE sources.id = claims.source_id) AS language,
    (SELECT json_group_object(subjects.name, subjects.kind) FROM claim_subjects
       JOIN subjects ON subjects.id = claim_subjects.subject_id
       WHERE claim_subjects.claim_id = claim_details.id) AS subject_kinds,
    (SELECT json_group_array(json_object('id', id, 'status', status, 'checked_on', checked_on,
       'note', note, 'evidence', json(evidence), 'checked_by', checked_by,
       'recorded_at', recorded_at))
       FROM (SELECT * FROM follow_ups WHERE claim_id = claim_details.id ORDER BY id)) AS history,
    claims.source_id
FROM claim_details JOIN claims ON claims.id = claim_details.id
ORDER BY claim_details.id
"""
SOURCE_COLUMNS = ("file_name", "url", "title", "section", "published_at", "updated_at", "sha256",
                  "raw_text", "ingested_at", "language")  # fmt: skip


def iter_export(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Claims in id order, each with subject kinds and follow-up history; a source's first claim
    also carries the source."""
    seen: set[int] = set()
    for row in db.query(EXPORT_SQL):
        source_id = row.pop("source_id")
        claim = as_export(row)
        claim["subject_kinds"] = json.loads(row["subject_kinds"] or "{}")
        claim["history"] = json.loads(row["history"] or "[]")
        if source_id not in seen:
            seen.add(source_id)
            source = db.execute(
                f"SELECT {', '.join(SOURCE_COLUMNS)} FROM sources WHERE id = ?", [source_id]
            ).fetchone()
            claim["source"] = dict(zip(SOURCE_COLUMNS, source))
            versions = _versions(db, source_id)
            if versions:
                claim["source"]["versions"] = versions
        yield claim


VERSION_COLUMNS = ("version", "location", "final_url", "http_status", "content_type", "last_modified",
                   "etag", "fetched_at", "original", "original_sha256", "raw_text", "text_sha256",
                   "recorded_at")  # fmt: skip


def _versions(db: sqlite_utils.Database, source_id: int) -> list[dict[str, Any]]:
    """A web source's versions, originals in base64: an edited article keeps its history (and the
    claims its edit retracted their quotes) in the importing database too."""
    rows = db.execute(f"SELECT {', '.join(VERSION_COLUMNS)} FROM source_versions WHERE source_id = ? ORDER BY version",
                      [source_id]).fetchall()  # fmt: skip
    versions = [dict(zip(VERSION_COLUMNS, row)) for row in rows]
    for version in versions:
        version["original"] = base64.b64encode(version["original"]).decode("ascii")
    return versions


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int
    status: Status
    checked_on: date
    note: str | None
    evidence: list[str]
    checked_by: str | None
    recorded_at: datetime


class VersionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1)
    location: str
    final_url: str | None
    http_status: int | None
    content_type: str | None
    last_modified: str | None
    etag: str | None
    fetched_at: str | None
    original: str  # base64
    original_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    raw_text: str
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    recorded_at: str


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file_name: str
    url: str | None
    title: str
    section: str | None
    published_at: str
    updated_at: str | None
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    raw_text: str
    ingested_at: str
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")  # detected when absent
    versions: list[VersionIn] = []  # a web source's versions, the current one last


class ClaimIn(BaseModel):
    """One exported line, validated before anything is written."""

    model_config = ConfigDict(extra="ignore")
    id: int = Field(ge=1)
    claim_key: str
    statement_id: int | None = None  # the exporting database's: claims sharing one stay together
    text: str
    speaker: str
    speaker_role: str | None
    speaker_kind: Literal["person", "organisation", "unresolved"] = "person"
    form: Literal["list", "reported", "quote"] = "list"
    attributed_to: str | None
    attributed_to_role: str | None = None
    subjects: list[str]
    subject_kinds: dict[str, SubjectKind]
    is_commitment: bool
    deadline: date | None
    deadline_text: str | None
    follow_up_due: date
    source_sha256: str
    line: int
    char_start: int
    char_end: int
    quote: str
    retracted_at: str | None = None
    retraction_reason: str | None = None
    history: list[FollowUpIn]
    source: SourceIn | None = None


def parse_lines(lines: Iterable[str], name: str) -> list[ClaimIn]:
    claims = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            claims.append(ClaimIn.model_validate_json(line))
        except ValidationError as error:
            raise InputError(f"{name}: line {number}: {describe(error)}") from None
    return claims


def import_claims(db: sqlite_utils.Database, claims: list[ClaimIn], name: str) -> tuple[int, int]:
    """Import parsed export lines, one transaction per source; return (imported, skipped)."""
    by_source: dict[str, list[ClaimIn]] = {}
    sources: dict[str, SourceIn] = {}
    for claim in claims:
        by_source.setdefault(claim.source_sha256, []).append(claim)
        if claim.source:
            sources[claim.source_sha256] = claim.source
    imported = skipped = 0
    for sha, group in by_source.items():
        source_id = _source_id(db, sha)
        if source_id is None and sha not in sources:
            raise InputError(f"{name}: source {sha[:12]}… is neither in the file nor in the database")
        with transaction(db.conn):
            if source_id is None:
                source_id = _insert_source(db.conn, sources[sha])
            for claim in group:
                if _claim_exists(db, claim):
                    skipped += 1
                    continue
                _insert_claim(db.conn, claim, source_id)
                imported += 1
            assign_statements(db.conn, [source_id])
    with transaction(db.conn):
        _keep_exported_groups(db.conn, claims)
    return imported, skipped


def _keep_exported_groups(conn: sqlite3.Connection, claims: list[ClaimIn]) -> None:
    """Claims of one statement in the exporting database are one statement here, and claims of
    two are two, whatever the grouping would have decided (they may have been split or merged
    by hand there)."""
    targets: dict[int, int] = {}  # exported statement -> statement here
    taken: set[int] = set()
    for claim in claims:
        if claim.statement_id is None:
            continue
        claim_id, here = conn.execute("SELECT id, statement_id FROM claims WHERE claim_key = ?", [claim.claim_key]).fetchone()
        target = targets.get(claim.statement_id)
        if target is None:
            if here in taken:  # grouped here with a claim the export kept apart
                here = move(conn, claim_id, None, "split", IMPORT_NOTE)
            targets[claim.statement_id] = here
            taken.add(here)
        elif here != target:
            move(conn, claim_id, target, "merge", IMPORT_NOTE)


IMPORT_NOTE = "tracker import: as grouped in the exported database"


def _source_id(db: sqlite_utils.Database, sha: str) -> int | None:
    row = db.execute("SELECT id FROM sources WHERE sha256 = ?", [sha]).fetchone()
    return row[0] if row else None


def _claim_exists(db: sqlite_utils.Database, claim: ClaimIn) -> bool:
    """A claim's identity is its claim_key; its id is only where it was in another database."""
    return db.execute("SELECT 1 FROM claims WHERE claim_key = ?", [claim.claim_key]).fetchone() is not None


def _free_id(conn: sqlite3.Connection, table: str, wanted: int) -> int | None:
    """The exported id when it is free here (an export imported into an empty database keeps
    every id), else None: SQLite then gives the row a new one."""
    taken = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [wanted]).fetchone()
    return None if taken else wanted


def _insert_source(conn: sqlite3.Connection, source: SourceIn) -> int:
    values = source.model_dump(exclude={"versions"})
    values["language"] = values["language"] or detect_language(values["raw_text"])  # an older export
    cursor = conn.execute(
        f"INSERT INTO sources ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )
    source_id = int(cursor.lastrowid or 0)
    conn.executemany(
        f"""INSERT INTO source_versions (source_id, {', '.join(VERSION_COLUMNS)})
            VALUES (?, {', '.join('?' * len(VERSION_COLUMNS))})""",
        [(source_id, *(_original(v) if c == "original" else getattr(v, c) for c in VERSION_COLUMNS))
         for v in source.versions],
    )
    return source_id


def _original(version: VersionIn) -> bytes:
    try:
        return base64.b64decode(version.original, validate=True)
    except binascii.Error:
        raise InputError(f"version {version.version} of {version.location}: original is not base64") from None


def _person_id(conn: sqlite3.Connection, name: str, role: str | None, kind: str = "person") -> int:
    conn.execute(
        """INSERT INTO people (name, role, kind, identity) VALUES (?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET role = coalesce(people.role, excluded.role)""",
        (name, role, kind, person_identity(name)),
    )
    return conn.execute("SELECT id FROM people WHERE name = ?", [name]).fetchone()[0]


def _insert_claim(conn: sqlite3.Connection, claim: ClaimIn, source_id: int) -> None:
    """Insert one claim with its subjects and its follow-ups; ids already used here (by claims
    or follow-ups of another database) are replaced by new ones."""
    speaker_id = _person_id(conn, claim.speaker, claim.speaker_role, claim.speaker_kind)
    attributed_id = (
        _person_id(conn, claim.attributed_to, claim.attributed_to_role) if claim.attributed_to else None
    )
    cursor = conn.execute(
        """INSERT INTO claims (id, claim_key, source_id, speaker_id, attributed_to_id, text,
           subjects, is_commitment, deadline, deadline_text, follow_up_due, status, line,
           char_start, char_end, quote, retracted_at, retraction_reason, form, lemmas)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        (_free_id(conn, "claims", claim.id), claim.claim_key, source_id, speaker_id, attributed_id, claim.text,
         json.dumps(claim.subjects, ensure_ascii=False), int(claim.is_commitment),
         claim.deadline.isoformat() if claim.deadline else None, claim.deadline_text,
         claim.follow_up_due.isoformat(), "not-yet-rated" if claim.is_commitment else None,
         claim.line, claim.char_start, claim.char_end, claim.quote, claim.retracted_at,
         claim.retraction_reason, claim.form, search_lemmas(claim.text)),
    )  # fmt: skip
    claim_id = cursor.lastrowid
    conn.executemany(
        """INSERT INTO subjects (name, kind) VALUES (?, ?)
           ON CONFLICT(name) DO UPDATE SET kind = excluded.kind
           WHERE subjects.kind = 'unknown' AND excluded.kind != 'unknown'""",
        list(claim.subject_kinds.items()),
    )
    conn.executemany(
        """INSERT INTO claim_subjects (claim_id, subject_id)
           SELECT ?, id FROM subjects WHERE name = ?""",
        [(claim_id, name) for name in claim.subject_kinds],
    )
    # In order, so the status trigger leaves the claim at its latest follow-up's status; once
    # one needs a new id, the later ones take new ids too, so ids keep the history's order.
    previous = 0
    for f in claim.history:
        wanted = _free_id(conn, "follow_ups", f.id) if f.id > previous else None
        previous = conn.execute(
            """INSERT INTO follow_ups (id, claim_id, status, checked_on, note, evidence, checked_by,
               recorded_at) VALUES (?,?,?,?,?,?,?,?)""",
            (wanted, claim_id, f.status, f.checked_on.isoformat(), f.note, json.dumps(f.evidence),
             f.checked_by, f.recorded_at.isoformat()),
        ).lastrowid or 0  # fmt: skip
