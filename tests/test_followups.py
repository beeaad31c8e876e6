from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from markupsafe import escape
from typer.testing import CliRunner

from tracker import followups
from tracker.cli import EXPORT_KEYS, app
from tracker.errors import InputError, NotFoundError

from .conftest import SEEDS
from .test_datasette import get

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def june_claim(db: sqlite_utils.Database) -> int:
    return next(r["id"] for r in db["claims"].rows if "after June 22" in r["text"])


def overdue_texts(db: sqlite_utils.Database, day: str) -> list[str]:
    return [r["text"] for r in followups.overdue(db, date.fromisoformat(day))]


def test_lifecycle_of_the_june_22_commitment(seeded: sqlite_utils.Database) -> None:
    claim_id = june_claim(seeded)
    assert not any("after June 22" in t for t in overdue_texts(seeded, "2025-06-20"))
    assert any("after June 22" in t for t in overdue_texts(seeded, "2025-07-01"))
    followups.record_follow_up(seeded, claim_id, "in-the-works", note="talks scheduled",
                               checked_on=date(2025, 6, 23))  # fmt: skip
    assert any("after June 22" in t for t in overdue_texts(seeded, "2025-07-01"))
    followups.record_follow_up(seeded, claim_id, "kept", evidence=["https://example.org/talks-resumed"],
                               checked_on=date(2025, 6, 30), checked_by="A. Checker")  # fmt: skip
    assert not any("after June 22" in t for t in overdue_texts(seeded, "2025-07-01"))
    claim = seeded["claims"].get(claim_id)
    assert (claim["status"], claim["last_checked"]) == ("kept", "2025-06-30")


def test_due_window(seeded: sqlite_utils.Database) -> None:
    texts = [r["text"][:20] for r in followups.due(seeded, date(2025, 6, 15), 7)]
    assert texts == ["Putin informed Trump"]  # due 2025-06-22
    later = [r["text"][:20] for r in followups.due(seeded, date(2025, 6, 23), 30)]
    assert later == ["Russia is ready to c"]  # no deadline: published + 30 days = 2025-07-14


def test_follow_ups_are_append_only_and_status_is_derived(seeded: sqlite_utils.Database) -> None:
    claim_id = june_claim(seeded)
    followups.record_follow_up(seeded, claim_id, "stalled", checked_on=date(2025, 7, 1))
    for statement in ("UPDATE follow_ups SET status = 'kept'", "DELETE FROM follow_ups",
                      f"UPDATE claims SET status = 'kept' WHERE id = {claim_id}"):  # fmt: skip
        with pytest.raises(sqlite3.DatabaseError):
            seeded.execute(statement)
    assert seeded["follow_ups"].count == 1
    assert seeded["claims"].get(claim_id)["status"] == "stalled"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"status": "bogus"}, InputError, "--status: 'bogus' is not one of not-yet-rated, in-the-works, stalled, kept, compromise, broken"),
        ({"status": "kept"}, InputError, "a final rating (kept) needs --evidence or --note"),
        ({"status": "broken", "evidence": ["not a url"]}, InputError, "--evidence: 'not a url' is not an http(s) URL"),
        ({"status": "stalled", "checked_on": date(2025, 6, 1)}, InputError, "--checked-on: 2025-06-01 is before the claim was published (2025-06-14)"),
        ({"status": "stalled", "checked_on": date(2099, 1, 1)}, InputError, "--checked-on: 2099-01-01 is in the future"),
        ({"status": "kept", "note": "x", "claim_id": 999999}, NotFoundError, "claim 999999: no such claim"),
        ({"status": "kept", "note": "x", "claim_id": 1}, InputError, "claim 1: not a commitment, so it has no status to follow up"),
    ],
)
def test_invalid_follow_ups_write_nothing(seeded: sqlite_utils.Database, kwargs, error, message) -> None:
    kwargs = {"claim_id": june_claim(seeded), **kwargs}
    with pytest.raises(error) as raised:
        followups.record_follow_up(seeded, **kwargs)
    assert str(raised.value) == message
    assert seeded["follow_ups"].count == 0


def test_cli_lifecycle_history_and_claimreview(db_path: Path) -> None:
    assert run("ingest", SEEDS, "--db", db_path).exit_code == 0
    rows = [json.loads(line) for line in run("overdue", "--db", db_path, "--as-of", "2025-07-01", "--format", "jsonl").stdout.splitlines()]
    assert [list(r) for r in rows] == [EXPORT_KEYS]
    claim_id = rows[0]["id"]
    first = run("follow-up", claim_id, "--db", db_path, "--status", "in-the-works", "--note", "talks scheduled", "--checked-on", "2025-06-23")
    assert first.exit_code == 0 and first.stderr.strip() == f"follow-up 1: claim {claim_id} is now in-the-works"
    second = run("follow-up", claim_id, "--db", db_path, "--status", "kept", "--evidence", "https://example.org/a",
                 "--evidence", "https://example.org/b", "--checked-on", "2025-06-30", "--by", "Fact Desk")
    assert second.exit_code == 0, second.output
    shown = json.loads(run("show", claim_id, "--db", db_path, "--format", "json").stdout)
    assert shown["status"] == "kept"
    assert [(h["status"], h["checked_on"], h["evidence"]) for h in shown["history"]] == [
        ("in-the-works", "2025-06-23", []),
        ("kept", "2025-06-30", ["https://example.org/a", "https://example.org/b"]),
    ]
    assert run("overdue", "--db", db_path, "--as-of", "2025-07-01", "--format", "jsonl").stdout == ""
    (review,) = json.loads(run("export", "--db", db_path, "--format", "claimreview").stdout)
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == shown["text"]
    assert review["itemReviewed"]["author"]["name"] == "Yuri Ushakov"
    assert review["itemReviewed"]["appearance"]["headline"] == shown["source_title"]
    assert review["reviewRating"]["alternateName"] == "kept"
    assert review["datePublished"] == "2025-06-30"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["follow-up", "999999", "--status", "kept", "--note", "x"], "Error: claim 999999: no such claim"),
        (["follow-up", "8", "--status", "kept", "--note", "x", "--checked-on", "2025-13-01"], "Error: --checked-on: '2025-13-01' is not a date (use YYYY-MM-DD)"),
        (["overdue", "--as-of", "yesterday"], "Error: --as-of: 'yesterday' is not a date (use YYYY-MM-DD)"),
        (["due", "--as-of", "2025-02-30"], "Error: --as-of: '2025-02-30' is not a date (use YYYY-MM-DD)"),
    ],
)
def test_cli_errors(db_path: Path, args: list[str], error: str) -> None:
    assert run("ingest", SEEDS, "--db", db_path).exit_code == 0
    result = run(*args, "--db", db_path)
    assert (result.exit_code, result.stderr.strip()) == (1, error)
    assert "Traceback" not in result.output


@pytest.fixture
def ds(seeded: sqlite_utils.Database, db_path: Path):
    from datasette.app import Datasette

    from tracker.serve import load_metadata

    return Datasette([str(db_path)], metadata=load_metadata())


def test_canned_queries_and_calendar(ds, seeded: sqlite_utils.Database) -> None:
    columns = {"id", "text", "speaker", "deadline", "status"}
    overdue = get(ds, "/claims/overdue.json?as_of=2025-07-01&_shape=array").json()
    assert columns <= set(overdue[0]) and [r["deadline"] for r in overdue] == ["2025-06-22"]
    assert get(ds, "/claims/overdue.json?as_of=2025-06-20&_shape=array").json() == []
    soon = get(ds, "/claims/due_soon.json?as_of=2025-07-01&days=20&_shape=array").json()
    assert [r["follow_up_due"] for r in soon] == ["2025-07-14"]
    (card,) = get(ds, "/claims/scorecard.json?_shape=array").json()
    assert (card["speaker"], card["commitments"], card["not_yet_rated"]) == ("Yuri Ushakov", 2, 2)
    calendar = get(ds, "/claims/deadlines.ics")
    assert calendar.status_code == 200 and calendar.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in calendar.text and "DTSTART:20250622" in calendar.text
    assert "X-WR-CALNAME:Commitment deadlines" in calendar.text


def test_facet_counts_follow_new_follow_ups(ds, seeded: sqlite_utils.Database) -> None:
    def statuses() -> dict:
        facet = get(ds, "/claims/claims.json").json()["facet_results"]["status"]["results"]
        return {v["value"]: v["count"] for v in facet}

    assert statuses() == {"not-yet-rated": 2}
    assert statuses() == {"not-yet-rated": 2}  # the second view is answered from memory
    followups.record_follow_up(seeded, june_claim(seeded), "stalled", checked_on=date(2025, 7, 1))
    assert statuses() == {"not-yet-rated": 1, "stalled": 1}


def test_claim_page_lists_its_follow_ups(ds, seeded: sqlite_utils.Database) -> None:
    claim_id = june_claim(seeded)
    other = next(r["id"] for r in seeded["claims"].rows_where("is_commitment = 1 AND id != ?", [claim_id]))
    values = ["Talks stalled <b>in Geneva</b>", "https://example.org/evidence?round=2&side=ru", "Fact Desk 7"]
    followups.record_follow_up(seeded, claim_id, "stalled", note=values[0], evidence=[values[1]],
                               checked_on=date(2025, 7, 1), checked_by=values[2])  # fmt: skip
    page = get(ds, f"/claims/claims/{claim_id}").text
    for value in values:
        assert str(escape(value)) in page, value
    assert "<b>in Geneva</b>" not in page
    assert "stalled" in page and "2025-07-01" in page
    assert f'href="{escape(values[1])}"' in page  # the evidence is a link
    unchecked = get(ds, f"/claims/claims/{other}").text
    assert not any(str(escape(v)) in unchecked for v in values)
    rows = get(ds, f"/claims/follow_ups.json?claim_id={claim_id}&_shape=array&_labels=on").json()
    assert rows[0]["claim_id"]["value"] == claim_id and rows[0]["status"] == "stalled"
