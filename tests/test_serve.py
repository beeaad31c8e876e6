"""End to end: a real `tracker serve` process answering over HTTP."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from benchmarks.run import running_server

from .conftest import SEED, SEEDS


def tracker(*args: object) -> list[str]:
    return [sys.executable, "-m", "tracker.cli", *map(str, args)]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "claims.db"
    subprocess.run(tracker("ingest", SEEDS, "--db", db), check=True, capture_output=True)
    with running_server(db) as base:
        yield base


def fetch_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_serve_answers_json_over_http(server: str) -> None:
    rows = fetch_json(server + "/claims/claims.json?_shape=array&_labels=on")
    assert len(rows) == 12
    assert rows[0]["speaker_id"]["label"] == "Yuri Ushakov"
    hits = fetch_json(server + "/claims/claims.json?_search=Iranian&_shape=array")
    assert len(hits) == 2
    assert fetch_json(server + "/-/metadata.json")["title"] == "Claim tracker"
    settings = fetch_json(server + "/-/settings.json")
    assert settings["sql_time_limit_ms"] == 3000


def test_follow_up_queries_and_calendar_over_http(server: str) -> None:
    overdue = fetch_json(server + "/claims/overdue.json?as_of=2025-07-01&_shape=array")
    assert [r["deadline"] for r in overdue] == ["2025-06-22"]
    assert fetch_json(server + "/claims/overdue.json?as_of=2025-06-20&_shape=array") == []
    assert fetch_json(server + "/claims/due_soon.json?as_of=2025-06-15&days=10&_shape=array")[0]["id"] == overdue[0]["id"]
    assert fetch_json(server + "/claims/scorecard.json?_shape=array")[0]["commitments"] == 2
    with urllib.request.urlopen(server + "/claims/deadlines.ics", timeout=10) as response:
        assert response.headers["content-type"].startswith("text/calendar")
        body = response.read().decode()
    assert body.startswith("BEGIN:VCALENDAR") and "DTSTART:20250622" in body


def test_serve_refuses_missing_database(tmp_path: Path) -> None:
    result = subprocess.run(
        tracker("serve", "--db", str(tmp_path / "none.db")),
        check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'none.db'}: no such database (run `tracker ingest` first)"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PAGES = ["/claims/claims", "/claims/claims.json?_search=Iranian", "/claims/claims/8", "/claims/overdue?as_of=2025-07-01",
         "/claims/deadlines.ics", "/claims"]


def browse(base: str) -> None:
    for path in PAGES:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            assert response.status == 200, path
            response.read()


@pytest.mark.parametrize("state", ["rollback journal", "older schema", "current"])
def test_serve_never_changes_the_database_file(tmp_path: Path, state: str) -> None:
    db = tmp_path / "claims.db"
    subprocess.run(tracker("ingest", SEEDS, "--db", db), check=True, capture_output=True)
    conn = sqlite3.connect(db)
    if state == "rollback journal":  # e.g. a copy published with `datasette publish`
        conn.execute("PRAGMA journal_mode = DELETE")
    elif state == "older schema":  # written by an earlier version of schema.sql
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = sha256_of(db)
    with running_server(db) as base:
        browse(base)
    assert sha256_of(db) == before


def test_serve_a_read_only_file_in_a_read_only_directory() -> None:
    """As root (chmod does not stop root) and, when possible, as an unprivileged user, for whom
    SQLite cannot create a write-ahead log's shared-memory file next to the database."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "claims.db"
        subprocess.run(tracker("ingest", SEED, "--db", db), check=True, capture_output=True)
        before = sha256_of(db)
        with closing(sqlite3.connect(db)) as conn:
            claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert sorted(p.name for p in Path(folder).iterdir()) == ["claims.db"]
        db.chmod(0o444)
        Path(folder).chmod(0o555)
        users: list[list[str]] = [[]]
        if os.geteuid() == 0 and shutil.which("setpriv"):
            users.append(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        try:
            for prefix in users:
                with running_server(db, prefix=prefix) as base:
                    browse(base)
                    rows = fetch_json(base + "/claims/claims.json?_shape=array")
                    assert len(rows) == claims > 0, prefix
                assert sha256_of(db) == before
                assert sorted(p.name for p in Path(folder).iterdir()) == ["claims.db"]
        finally:
            Path(folder).chmod(0o755)


def test_serve_refuses_a_database_that_is_not_a_claims_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before = sha256_of(other)
    result = subprocess.run(tracker("serve", "--db", other), check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: {other}: not a claims database (no claim_subjects, claims, follow_ups, people, "
        "sources, subjects table; run `tracker ingest` first)"
    )
    assert sha256_of(other) == before
    junk = tmp_path / "junk.db"
    junk.write_text("hello" * 1000)
    result = subprocess.run(tracker("serve", "--db", junk), check=False, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr.strip()) == (1, f"Error: {junk}: cannot use as a claims database (file is not a database)")
