"""Two writers of the benchmark corpus to measure `tracker ingest` against, in the same run.

Both replace extraction with the naive rule "every non-blank line after a line ending in ':'
is a claim", so they measure writing, not reading articles.

- `naive_ingest`, the naive baseline: the benchmark's first yardstick, kept so figures stay
  comparable with earlier runs. It commits once per file and fills the full-text index with a
  per-row trigger, the two costs the tracker avoids, so it is no limit at all.
- `limit_ingest`, the limit: the fastest plain `sqlite3` writer of the rows the tracker writes.
  The tracker's own schema (schema.sql: every table, column, index and constraint), its
  pragmas, its commit groups of 256 files with a savepoint per file, the full-text index filled
  per group with one INSERT…SELECT (and so is each figure kept for pages, tracker/kept.py),
  every claim with all its columns, its speaker, subjects and a statement of its own, and
  ANALYZE at the end as `tracker ingest` runs it. What it leaves out is the tracker's work
  beyond writing rows: extraction, validation and grouping.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracker import ingest as tracker_ingest
from tracker import kept
from tracker.db import connect

NAIVE_SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE sources (id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, published_at TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE, raw_text TEXT NOT NULL);
CREATE TABLE claims (id INTEGER PRIMARY KEY, claim_key TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES sources(id), text TEXT NOT NULL, line INTEGER NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, speaker_id INTEGER,
    attributed_to_id INTEGER, is_commitment INTEGER NOT NULL DEFAULT 0, deadline TEXT,
    follow_up_due TEXT, status TEXT, retracted_at TEXT, statement_id INTEGER);
-- The indexes of schema.sql's claims table.
CREATE INDEX idx_claims_source ON claims(source_id);
CREATE INDEX idx_claims_speaker ON claims(speaker_id);
CREATE INDEX idx_claims_attributed_state ON claims(attributed_to_id, retracted_at);
CREATE INDEX idx_claims_commitment_state ON claims(is_commitment, retracted_at);
CREATE INDEX idx_claims_status ON claims(status);
CREATE INDEX idx_claims_statement ON claims(statement_id);
CREATE INDEX idx_open_commitments_deadline ON claims(deadline) WHERE is_commitment = 1 AND retracted_at IS NULL;
CREATE INDEX idx_open_commitments_due ON claims(follow_up_due) WHERE is_commitment = 1 AND retracted_at IS NULL;
CREATE INDEX idx_commitments_by_due ON claims(is_commitment, follow_up_due, status, retracted_at)
    WHERE status IS NOT NULL;
CREATE VIRTUAL TABLE claims_fts USING fts5(text, content="claims", content_rowid="id");
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text) VALUES (NEW.id, NEW.text);
END;
"""


@dataclass
class NaiveClaim:
    text: str
    line: int
    char_start: int
    char_end: int
    speaker: str  # the marker line without its colon


def naive_claims(text: str) -> list[NaiveClaim]:
    """Every non-blank line after the first line ending in ':'; its speaker is the latest such line."""
    claims, marker, offset = [], "", 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.rstrip()
        if marker and stripped:
            claims.append(NaiveClaim(line, number, offset, offset + len(line), marker))
        if stripped.endswith(":"):
            marker = stripped[:-1].strip()[:60]
        offset += len(line) + 1
    return claims


def naive_ingest(files: list[Path], db_path: Path) -> int:
    """The naive baseline: one commit per file, a trigger per row for the full-text index."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.executescript(NAIVE_SCHEMA)
    claims = 0
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-8")
        sha256 = hashlib.sha256(data).hexdigest()
        rows = []
        for claim in naive_claims(text):
            key = hashlib.sha256(f"{sha256}\n{claim.line}".encode()).hexdigest()[:24]
            rows.append((key, claim.text, claim.line, claim.char_start, claim.char_end))
        conn.execute("BEGIN")
        source_id = conn.execute(
            "INSERT INTO sources (file_name, published_at, sha256, raw_text) VALUES (?, ?, ?, ?)",
            (path.name, text[6:16], sha256, text),
        ).lastrowid
        conn.executemany(
            "INSERT INTO claims (source_id, claim_key, text, line, char_start, char_end) VALUES (?, ?, ?, ?, ?, ?)",
            [(source_id, *row) for row in rows],
        )
        conn.execute("COMMIT")
        claims += len(rows)
    conn.close()
    return claims


# Subjects by the naive rule: the capitalised words of a line after its first word (about as
# many per claim as the tracker finds on this corpus: 1.7).
CAPITALISED = re.compile(r"(?<=\s)[A-Z][a-z]{2,}")
WORD = re.compile(r"\w+")
DIGITS = re.compile(r"\d+")


@dataclass
class Ids:
    """Name -> id of the people and subjects written so far: a plain writer's one lookup table."""

    people: dict[str, int] = field(default_factory=dict)
    subjects: dict[str, int] = field(default_factory=dict)


def limit_ingest(files: list[Path], db_path: Path, group_files: int = tracker_ingest.GROUP_FILES) -> int:
    """The limit: the fastest plain writer of the tracker's rows (module docstring)."""
    connect(db_path).conn.close()  # the tracker's own schema, nothing more
    conn = _limit_connection(db_path)
    ids, claims = Ids(), 0
    for group in _groups(files, group_files):
        claims += _write_group(conn, group, ids)
    conn.execute(f"PRAGMA wal_autocheckpoint = {tracker_ingest.DEFAULT_WAL_PAGES}")
    conn.execute("ANALYZE")
    conn.close()
    return claims


def _limit_connection(db_path: Path) -> sqlite3.Connection:
    """tracker.db.connect's pragmas and ingest's checkpoint interval and cache; no per-row trigger
    (the index and the kept figures are filled per group, as ingest does while its deferral
    flags are set)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("busy_timeout = 30000", "foreign_keys = ON", "synchronous = NORMAL", "journal_mode = WAL",
                   f"wal_autocheckpoint = {tracker_ingest.INGEST_WAL_PAGES}",
                   f"cache_size = -{tracker_ingest.INGEST_CACHE_KIB}"):  # fmt: skip
        conn.execute(f"PRAGMA {pragma}")
    for trigger in ("claims_fts_insert", "claim_counts_insert", "claim_counts_subject_insert"):
        conn.execute(f"DROP TRIGGER {trigger}")
    return conn


def _groups(files: list[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(files), size):
        yield files[start : start + size]


def _write_group(conn: sqlite3.Connection, files: list[Path], ids: Ids) -> int:
    conn.execute("BEGIN IMMEDIATE")
    # A claim names its statement and the statement its claim: checked at the commit.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    first_new = conn.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]
    next_statement = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM statements").fetchone()[0]
    claims = 0
    for path in files:
        conn.execute("SAVEPOINT file")
        written = _write_file(conn, path, ids, next_statement)
        conn.execute("RELEASE file")
        claims += written
        next_statement += written
    conn.execute("INSERT INTO claims_fts (rowid, text) SELECT id, text FROM claims WHERE id > ?", [first_new])
    kept.add_new_claims(conn, first_new)
    conn.execute("COMMIT")
    return claims


def _write_file(conn: sqlite3.Connection, path: Path, ids: Ids, first_statement: int) -> int:
    data = path.read_bytes()
    text = data.decode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    published = text[6:16]
    source_id = conn.execute(
        """INSERT INTO sources (file_name, url, title, section, published_at, updated_at, sha256, raw_text,
           ingested_at) VALUES (?, NULL, ?, NULL, ?, NULL, ?, ?, ?)""",
        (path.name, text.split("\n", 2)[1], published, sha256, text, published),
    ).lastrowid
    found = naive_claims(text)
    claim_rows, statement_rows, subject_rows, number_rows = [], [], [], []
    next_claim = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM claims").fetchone()[0]
    for offset, claim in enumerate(found):
        claim_id, statement_id = next_claim + offset, first_statement + offset
        speaker_id = _id(conn, ids.people, "people", claim.speaker, "INSERT INTO people (name, role) VALUES (?, NULL)")
        subjects = list(dict.fromkeys(CAPITALISED.findall(claim.text)))
        key = hashlib.sha256(f"{sha256}\n{claim.line}".encode()).hexdigest()[:24]
        commitment = int(" will " in claim.text)
        claim_rows.append((claim_id, key, source_id, speaker_id, None, claim.text,
                           json.dumps(subjects, ensure_ascii=False), commitment, None, None, published,
                           "not-yet-rated" if commitment else None, claim.line, claim.char_start,
                           claim.char_end, claim.text, "list", statement_id))  # fmt: skip
        subject_rows += [(claim_id, _id(conn, ids.subjects, "subjects", name,
                                        "INSERT INTO subjects (name, kind) VALUES (?, 'unknown')"))
                         for name in subjects]  # fmt: skip
        numbers = sorted(set(DIGITS.findall(claim.text)))
        statement_rows.append((statement_id, claim_id, speaker_id, claim.text,
                                " ".join(WORD.findall(claim.text.lower())), " ".join(numbers), published, published))  # fmt: skip
        number_rows += [(speaker_id, number, published, statement_id) for number in numbers]
    conn.executemany(
        """INSERT INTO claims (id, claim_key, source_id, speaker_id, attributed_to_id, text, subjects,
           is_commitment, deadline, deadline_text, follow_up_due, status, line, char_start, char_end, quote,
           form, statement_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        claim_rows,
    )
    conn.executemany("INSERT INTO claim_subjects (claim_id, subject_id) VALUES (?, ?)", subject_rows)
    conn.executemany(
        """INSERT INTO statements (id, claim_id, speaker_id, text, match_words, fact_key, first_seen,
           last_seen, appearances) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)""",
        statement_rows,
    )
    conn.executemany(
        "INSERT INTO statement_numbers (speaker_id, number, first_seen, statement_id) VALUES (?, ?, ?, ?)", number_rows
    )
    return len(found)


def _id(conn: sqlite3.Connection, known: dict[str, int], table: str, name: str, insert: str) -> int:
    """The id of a person or subject, inserting it the first time it is seen."""
    if name not in known:
        known[name] = int(conn.execute(insert, [name]).lastrowid or 0)
    return known[name]
