"""The database file: opening it, its shape (schema.sql, applied idempotently, with the columns
added since), transactions, and the small helpers every writer shares."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker import kept
from tracker.errors import NotFoundError, TrackerError
from tracker.identity import person_identity
from tracker.language import detect_language
from tracker.search import search_lemmas

HERE = Path(__file__).parent


def resource(name: str) -> Path:
    """A top-level project file (schema.sql, metadata.yml): in the package when installed from a
    wheel, next to it in a source checkout."""
    for candidate in (HERE / name, HERE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(name)


def connect(path: str | Path, must_exist: bool = False) -> sqlite_utils.Database:
    """Open (or create) the database, apply the schema and the connection settings."""
    path = Path(path)
    if must_exist and not path.exists():
        raise NotFoundError(f"{path}: no such database (run `tracker ingest` first)")
    if path.is_dir():
        raise TrackerError(f"{path}: is a directory, not a database file")
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL never corrupts and keeps every committed transaction across a
        # process crash; it skips an fsync per commit (only a power cut can lose the last ones).
        conn.execute("PRAGMA synchronous = NORMAL")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        db = sqlite_utils.Database(conn)
        ensure_schema(db)
    except sqlite3.DatabaseError as error:
        raise TrackerError(f"{path}: cannot use as a claims database ({error})") from None
    return db


CLAIMS_TABLES = ("sources", "people", "subjects", "claims", "claim_subjects", "follow_ups")


def unwritable(path: Path) -> bool:
    """Whether a database file is read-only and has no write-ahead log to read with it: then it
    can be opened immutable, which needs no shared-memory file beside it (a read-only WAL
    database in a read-only directory cannot be opened otherwise) and creates nothing there.
    Root may write anything, so the file's permission bits count as well as access()."""
    wal = Path(f"{path}-wal")
    read_only = not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222
    return read_only and not (wal.exists() and wal.stat().st_size)


def open_read_only(path: str | Path) -> sqlite3.Connection:
    """Open an existing claims database for reading: nothing is applied (no schema, no journal
    mode), so the file is never changed. For `tracker serve`, which only reads."""
    path = Path(path)
    if not path.exists():
        raise NotFoundError(f"{path}: no such database (run `tracker ingest` first)")
    if path.is_dir():
        raise TrackerError(f"{path}: is a directory, not a database file")
    mode = "immutable=1" if unwritable(path) else "mode=ro"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise TrackerError(f"{path}: cannot use as a claims database ({error})") from None
    missing = sorted(set(CLAIMS_TABLES) - tables)
    if missing:
        conn.close()
        raise TrackerError(
            f"{path}: not a claims database (no {', '.join(missing)} table; run `tracker ingest` first)"
        )
    return conn


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Bring the database to the shape of schema.sql; a no-op when it already is.

    Every statement in schema.sql is CREATE … IF NOT EXISTS. Views and triggers hold no data, so
    when schema.sql changes they are dropped and recreated from it, in one transaction; the
    file's hash is kept in PRAGMA user_version to tell. (A change to a table's columns will need
    a migration as well: see sqlite-utils' Migrations.)"""
    schema = resource("schema.sql").read_text(encoding="utf-8")
    version = int(hashlib.sha256(schema.encode()).hexdigest()[:7], 16)
    if db.conn.execute("PRAGMA user_version").fetchone()[0] == version:
        return
    derived = db.conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
    ).fetchall()
    drops = "".join(f'DROP {kind.upper()} IF EXISTS "{name}";\n' for kind, name in derived)
    added = "".join(_missing_columns(db.conn))
    db.conn.create_function("detect_language", 1, detect_language, deterministic=True)  # backfills
    db.conn.create_function("search_lemmas", 1, search_lemmas, deterministic=True)
    db.conn.create_function("person_identity", 1, person_identity, deterministic=True)
    reindex = _fts_reshape(db.conn)
    uncounted = _uncounted_figures(db.conn)
    filled = "".join(_missing_tables(db.conn))
    db.conn.executescript(f"BEGIN IMMEDIATE;\n{drops}{added}{reindex[0]}{schema}\n{reindex[1]}{filled}")
    try:
        kept.fill(db.conn, uncounted)
        db.conn.execute(f"PRAGMA user_version = {version}")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _uncounted_figures(conn: sqlite3.Connection) -> set[str]:
    """Kept figures (tracker/kept.py) a database made before them lacks, or has never filled:
    counted from its claims once schema.sql has created them."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {table for table in kept.TABLES
            if table not in tables or not conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()}  # fmt: skip


def _fts_reshape(conn: sqlite3.Connection) -> tuple[str, str]:
    """A full-text index made before it had the `lemmas` column: dropped before schema.sql
    creates it anew, and rebuilt from the claims after (FTS5 tables cannot gain columns)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims_fts'").fetchone()
    columns = {row[1] for row in conn.execute("PRAGMA table_info(claims_fts)")} if exists else set()
    if not exists or "lemmas" in columns:
        return "", ""
    return "DROP TABLE claims_fts;\n", "INSERT INTO claims_fts(claims_fts) VALUES ('rebuild');\n"


# Columns schema.sql gained after databases existed: added to an older database before the
# schema's views (which read them) are recreated. Each must have a default.
ADDED_COLUMNS = {
    ("people", "kind"): "TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation', 'unresolved'))",
    ("claims", "form"): "TEXT NOT NULL DEFAULT 'list' CHECK (form IN ('list', 'reported', 'quote'))",
    ("claims", "statement_id"): "INTEGER REFERENCES statements(id)",
    ("statements", "match_words"): "TEXT NOT NULL DEFAULT ''",
    ("people", "identity"): "TEXT",
    ("sources", "language"): "TEXT NOT NULL DEFAULT 'en'",
    ("claims", "lemmas"): "TEXT NOT NULL DEFAULT ''",
}
# How an added column is filled from the rows already there, in the same transaction.
BACKFILLS = {
    ("sources", "language"): "UPDATE sources SET language = detect_language(raw_text);\n",
    # only claims with Russian words have any: the others keep the default, unwritten
    ("claims", "lemmas"): "UPDATE claims SET lemmas = search_lemmas(text) WHERE search_lemmas(text) != '';\n",
    ("people", "identity"): "UPDATE people SET identity = person_identity(name);\n",
}


# Tables schema.sql gained after databases existed, and how each is filled from the rows already
# there once schema.sql has created it (in the same transaction). statement_numbers: fact keys
# were "not " and the numbers before; now the numbers alone, each one indexed.
ADDED_TABLES = {
    "statement_numbers": """UPDATE statements SET fact_key = substr(fact_key, 5) WHERE fact_key LIKE 'not %';
INSERT INTO statement_numbers (speaker_id, number, first_seen, statement_id)
    SELECT DISTINCT statements.speaker_id, number.value, statements.first_seen, statements.id
    FROM statements, json_each('["' || replace(statements.fact_key, ' ', '","') || '"]') AS number
    WHERE statements.fact_key != '';
""",
}


def _missing_tables(conn: sqlite3.Connection) -> list[str]:
    """How to fill the tables added since an existing database was made (none for a new one)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'statements'").fetchone():
        return []
    existing = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [fill for table, fill in ADDED_TABLES.items() if table not in existing]


def _missing_columns(conn: sqlite3.Connection) -> list[str]:
    statements = []
    for (table, column), declaration in ADDED_COLUMNS.items():
        existing = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if existing and column not in existing:
            statements.append(f"ALTER TABLE {table} ADD COLUMN {column} {declaration};\n")
            statements.append(BACKFILLS.get((table, column), ""))
    return statements


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """All or nothing; IMMEDIATE takes the write lock up front so readers never block us midway.
    Inside an open transaction (ingest's commit groups) a savepoint gives the same guarantee."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT unit")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO unit")
            conn.execute("RELEASE unit")
            raise
        conn.execute("RELEASE unit")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# Bound parameters per statement, at most: an `IN (…)` list grows with the input (one file can
# name 260,000 people), and SQLite refuses a statement over its limit (32,766 by default, 250,000
# in some builds) with "too many SQL variables". Longer lists are looked up in chunks.
MAX_PARAMETERS = 500


def chunks(values: Sequence[Any], size: int = MAX_PARAMETERS) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def ids_by_name(conn: sqlite3.Connection, table: str, names: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in chunks(names):
        marks = ", ".join("?" * len(chunk))
        ids.update(conn.execute(f"SELECT name, id FROM {table} WHERE name IN ({marks})", chunk).fetchall())
    return ids


def refresh_statistics(db: sqlite_utils.Database) -> None:
    """Let the query planner know the tables' sizes, so Datasette's pages use the indexes made
    for them (the partial commitment indexes go unused without statistics). A full ANALYZE,
    only when the claims table has grown by a quarter since the last one."""
    claims = db.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    known = db.conn.execute(
        "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'claims'"
    ).fetchone() if "sqlite_stat1" in db.table_names() else None
    if not known or not known[0] or claims > 1.25 * known[0]:
        db.conn.execute("ANALYZE")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
