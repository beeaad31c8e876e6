"""End to end: a real `tracker serve` process answering over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.run import running_server

from .conftest import SEEDS


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
    assert len(rows) == 10
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
