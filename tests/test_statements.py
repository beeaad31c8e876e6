"""One statement, many outlets (issue 14): claims of several outlets grouped into statements,
follow-ups on the statement, commitments counted once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import sqlite_utils

from tracker import followups, integrity, queries
from tracker import ingest as ingesting

from .conftest import FIXTURES, SEED

OUTLETS = FIXTURES / "outlets"


def three_outlets(db: sqlite_utils.Database) -> list[dict]:
    report = ingesting.ingest(db, [SEED, OUTLETS / "outlet_b.txt", OUTLETS / "outlet_c.txt"], workers=1)
    assert report.rejected == []
    return [json.loads(line) for line in (OUTLETS / "expected.jsonl").read_text(encoding="utf-8").splitlines()]


def statement_of(db: sqlite_utils.Database, text: str) -> int:
    rows = db.execute("SELECT statement_id FROM claims WHERE text = ?", [text]).fetchall()
    assert len(rows) == 1, text
    return rows[0][0]


def test_the_seeds_assertions_group_across_three_outlets(db: sqlite_utils.Database) -> None:
    expected = three_outlets(db)
    grouped = 0
    for row in expected:
        ids = {statement_of(db, row[outlet]) for outlet in ("seed", "outlet_b", "outlet_c")}
        grouped += len(ids) == 1
    # measured: README, "One statement, many outlets"
    assert grouped == 10, f"{grouped} of {len(expected)} assertions in one statement each"
    june = statement_of(db, next(r["seed"] for r in expected if "after June 22" in r["seed"]))
    assert db.execute("SELECT appearances FROM statements WHERE id = ?", [june]).fetchone() == (3,)
    assert integrity.check(db) == []


def test_the_overdue_commitment_is_listed_once_and_a_follow_up_on_any_copy_shows_on_all(db: sqlite_utils.Database) -> None:
    expected = three_outlets(db)
    row = next(r for r in expected if "after June 22" in r["seed"])
    ids = [db.execute("SELECT id FROM claims WHERE text = ?", [row[o]]).fetchone()[0] for o in ("seed", "outlet_b", "outlet_c")]
    overdue = [r["id"] for r in followups.overdue(db, date(2025, 7, 1)) if r["statement_id"] == statement_of(db, row["seed"])]
    assert len(overdue) == 1
    listed = [r["id"] for r in db.query("SELECT id FROM commitments WHERE text LIKE '%June 22%'")]
    assert len(listed) == 1
    followups.record_follow_up(db, ids[2], "in-the-works", note="second round scheduled", checked_on=date(2025, 6, 23))
    for claim_id in ids:
        claim = queries.get_claim(db, claim_id)
        assert claim["status"] == "in-the-works", claim_id
        assert [h["note"] for h in claim["history"]] == ["second round scheduled"]
    assert integrity.check(db) == []


def test_near_misses_stay_apart(db: sqlite_utils.Database) -> None:
    three_outlets(db)
    june_2 = db.execute("SELECT DISTINCT statement_id FROM claims WHERE text LIKE '%June 2' OR text LIKE '%June 2.'").fetchall()
    june_22 = db.execute("SELECT DISTINCT statement_id FROM claims WHERE text LIKE '%June 22%'").fetchall()
    assert not set(june_2) & set(june_22)


def test_statements_survive_reextract(db: sqlite_utils.Database) -> None:
    from tracker import reextract as reextracting

    three_outlets(db)
    before = dict(db.execute("SELECT id, statement_id FROM claims").fetchall())
    report = reextracting.reextract(db)
    assert report.added == report.retracted == 0
    assert dict(db.execute("SELECT id, statement_id FROM claims").fetchall()) == before
    assert integrity.check(db) == []


def test_reextract_after_a_follow_up_keeps_the_statements_status_on_every_appearance(db: sqlite_utils.Database) -> None:
    from tracker import reextract as reextracting

    expected = three_outlets(db)
    row = next(r for r in expected if "after June 22" in r["seed"])
    ids = [db.execute("SELECT id FROM claims WHERE text = ?", [row[o]]).fetchone()[0] for o in ("seed", "outlet_b", "outlet_c")]
    followups.record_follow_up(db, ids[0], "broken", note="no talks", checked_on=date(2025, 7, 1))
    # the follow-up sits on one appearance; the others take the status through their statement
    report = reextracting.reextract(db)
    assert report.added == report.retracted == 0
    for claim_id in ids:
        assert queries.get_claim(db, claim_id)["status"] == "broken", claim_id
    assert integrity.check(db) == []


def test_every_claim_has_a_statement_and_counts_match(db: sqlite_utils.Database, tmp_path: Path) -> None:
    three_outlets(db)
    assert db.execute("SELECT count(*) FROM claims WHERE statement_id IS NULL").fetchone() == (0,)
    db.conn.execute("UPDATE statements SET appearances = appearances + 1 WHERE id = 1")
    assert any("appearances" in problem for problem in integrity.check(db))


def test_a_follow_up_on_an_appearance_worded_as_a_report_goes_on_its_statement(db: sqlite_utils.Database) -> None:
    three_outlets(db)
    report = db.execute(
        """SELECT claims.id, statements.claim_id FROM claims JOIN statements ON statements.id = claims.statement_id
           JOIN claims AS representative ON representative.id = statements.claim_id
           WHERE claims.is_commitment = 0 AND representative.is_commitment = 1"""
    ).fetchone()
    assert report is not None, "the fixture has a statement worded as a commitment by one outlet only"
    claim_id, representative = report
    followups.record_follow_up(db, claim_id, "kept", note="talks resumed", checked_on=date(2025, 7, 1))
    assert db.execute("SELECT claim_id FROM follow_ups").fetchall() == [(representative,)]
    assert queries.get_claim(db, claim_id)["status"] == "kept"
    assert integrity.check(db) == []


def test_split_and_merge_through_the_cli_are_logged(db_path: Path) -> None:
    from typer.testing import CliRunner

    from tracker import db as database
    from tracker.cli import app

    db = database.connect(db_path)
    three_outlets(db)
    claim_id, statement_id = db.execute(
        "SELECT id, statement_id FROM claims WHERE text LIKE '%after June 22%' ORDER BY id LIMIT 1").fetchone()
    runner = CliRunner()
    split = runner.invoke(app, ["statement", "split", str(claim_id), "--note", "checking", "--db", str(db_path)])
    assert split.exit_code == 0, split.output
    new = db.execute("SELECT statement_id FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    assert new != statement_id
    assert db.execute("SELECT appearances FROM statements WHERE id IN (?, ?) ORDER BY id", [statement_id, new]).fetchall() == [(2,), (1,)]
    merged = runner.invoke(app, ["statement", "merge", str(statement_id), str(new), "--db", str(db_path)])
    assert merged.exit_code == 0, merged.output
    assert db.execute("SELECT appearances FROM statements WHERE id = ?", [statement_id]).fetchone() == (3,)
    assert [r[0] for r in db.execute("SELECT action FROM statement_log ORDER BY id")] == ["split", "merge"]
    assert integrity.check(db) == []
    bad = runner.invoke(app, ["statement", "merge", str(statement_id), "99999", "--db", str(db_path)])
    assert (bad.exit_code, bad.stderr.strip()) == (1, "Error: statement 99999: no such statement")


def test_import_keeps_the_exported_databases_groups(tmp_path: Path) -> None:
    from tracker import db as database
    from tracker.statements import split
    from tracker.transfer import import_claims, iter_export, parse_lines

    a = database.connect(tmp_path / "a.db")
    three_outlets(a)
    claim_id = a.execute("SELECT id FROM claims WHERE text LIKE '%after June 22%' ORDER BY id LIMIT 1").fetchone()[0]
    with database.transaction(a.conn):
        split(a.conn, claim_id, "by hand")
    exported = [json.dumps(row, default=str) for row in iter_export(a)]
    b = database.connect(tmp_path / "b.db")
    import_claims(b, parse_lines(exported, "a.jsonl"), "a.jsonl")

    def groups(db: sqlite_utils.Database) -> set[frozenset[str]]:
        found: dict[int, set[str]] = {}
        for key, statement in db.execute("SELECT claim_key, statement_id FROM claims"):
            found.setdefault(statement, set()).add(key)
        return {frozenset(keys) for keys in found.values()}

    assert groups(b) == groups(a)
    assert integrity.check(b) == []


def test_datasette_lists_statements_with_a_reported_by_facet(db_path: Path) -> None:
    import asyncio

    from datasette.app import Datasette

    from tracker import db as database
    from tracker.serve import SETTINGS, load_metadata

    db = database.connect(db_path)
    three_outlets(db)
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    data = asyncio.run(ds.client.get("/claims/statements.json?_facet_size=50")).json()
    counts = {v["value"]: v["count"] for v in data["facet_results"]["appearances"]["results"]}
    expected = dict(db.execute("SELECT appearances, count(*) FROM statements GROUP BY appearances").fetchall())
    assert counts == expected and counts[3] >= 8


def test_a_claims_page_lists_the_other_outlets_and_the_statements_follow_ups(db_path: Path) -> None:
    import asyncio
    import html

    from datasette.app import Datasette

    from tracker import db as database
    from tracker.serve import SETTINGS, load_metadata

    db = database.connect(db_path)
    expected = three_outlets(db)
    row = next(r for r in expected if "after June 22" in r["seed"])
    seed_id, mirror_id = (db.execute("SELECT id FROM claims WHERE text = ?", [row[o]]).fetchone()[0] for o in ("seed", "outlet_b"))
    followups.record_follow_up(db, seed_id, "in-the-works", note="second round scheduled", checked_on=date(2025, 6, 23))
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    page = html.unescape(asyncio.run(ds.client.get(f"/claims/claims/{mirror_id}")).text)
    assert "Reported by 3 sources" in page
    assert f'<a href="/claims/claims/{seed_id}">{row["seed"]}</a>' in page
    assert "second round scheduled" in page


def _readout(folder: Path, name: str, day: str, lines: list[str]) -> Path:
    path = folder / name
    body = "\n".join(f"- {line}" for line in lines)
    path.write_text(f" date {day} https://example.org/{name}\nReadout\nSybiha told reporters:\n{body}\n", encoding="utf-8")
    return path


def test_a_figure_or_a_not_one_outlet_words_otherwise_joins_the_statement_in_the_database(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    """The database finds as candidates what the grouping would join: a statement giving more
    numbers than the new claim (and fewer), and one saying no in other words."""
    first = _readout(tmp_path, "agency.txt", "2025-07-09", [
        "Russia launched 479 drones and 20 missiles at Ukraine overnight.",
        "Ukraine will not attend the meeting in Istanbul on Friday.",
    ])  # fmt: skip
    second = _readout(tmp_path, "mirror.txt", "2025-07-10", [
        "Russia fired 479 drones at Ukraine overnight.",
        "Ukraine to boycott the meeting in Istanbul on Friday.",
        "Russia launched 479 drones and 20 missiles and 3 glide bombs at Ukraine overnight.",
    ])  # fmt: skip
    report = ingesting.ingest(db, [first, second], workers=1)
    assert report.rejected == []
    pairs = [("Russia launched 479 drones and 20 missiles at Ukraine overnight.", "Russia fired 479 drones at Ukraine overnight."),
             ("Ukraine will not attend the meeting in Istanbul on Friday.", "Ukraine to boycott the meeting in Istanbul on Friday."),
             ("Russia launched 479 drones and 20 missiles at Ukraine overnight.",
              "Russia launched 479 drones and 20 missiles and 3 glide bombs at Ukraine overnight.")]  # fmt: skip
    for earlier, later in pairs:
        assert statement_of(db, earlier) == statement_of(db, later), later
    assert integrity.check(db) == []


def test_a_database_made_before_statement_numbers_is_given_them_when_opened(tmp_path: Path) -> None:
    """An older database: fact keys with "not " for negation, no statement_numbers. Opened, its
    keys are the numbers alone and each number is indexed, so a later claim with fewer numbers
    finds its statement."""
    from tracker import db as database

    path = tmp_path / "claims.db"
    conn = database.connect(path)
    first = _readout(tmp_path, "agency.txt", "2025-07-09", [
        "Russia launched 479 drones and 20 missiles at Ukraine overnight.",
        "Ukraine will not attend the meeting in Istanbul on Friday.",
    ])  # fmt: skip
    assert ingesting.ingest(conn, [first], workers=1).rejected == []
    conn.execute("DROP TABLE statement_numbers")  # as an older database has it,
    conn.execute("UPDATE statements SET fact_key = 'not ' || fact_key WHERE text LIKE '%not attend%'")
    conn.execute("PRAGMA user_version = 0")  # made by another schema.sql
    conn.conn.commit()
    reopened = database.connect(path)
    assert reopened.execute("SELECT count(*) FROM statements WHERE fact_key LIKE 'not%'").fetchone() == (0,)
    assert sorted(r[0] for r in reopened.execute("SELECT number FROM statement_numbers")) == ["20", "479"]
    second = _readout(tmp_path, "mirror.txt", "2025-07-10", ["Russia fired 479 drones at Ukraine overnight."])
    assert ingesting.ingest(reopened, [second], workers=1).rejected == []
    assert statement_of(reopened, "Russia fired 479 drones at Ukraine overnight.") == statement_of(
        reopened, "Russia launched 479 drones and 20 missiles at Ukraine overnight.")
    assert integrity.check(reopened) == []


def test_check_finds_a_statement_numbers_index_out_of_step(db: sqlite_utils.Database, tmp_path: Path) -> None:
    first = _readout(tmp_path, "agency.txt", "2025-07-09", ["Russia launched 479 drones and 20 missiles at Ukraine overnight."])
    assert ingesting.ingest(db, [first], workers=1).rejected == []
    assert integrity.check(db) == []
    db.execute("DELETE FROM statement_numbers WHERE number = '20'")
    assert any("missing from statement_numbers" in problem for problem in integrity.check(db))
    db.execute("INSERT INTO statement_numbers VALUES (1, '21', (SELECT first_seen FROM statements), 1)")
    assert any("not a number of its statement" in problem for problem in integrity.check(db))


def test_a_weekday_and_the_date_it_names_join_one_statement_in_the_database(db: sqlite_utils.Database, tmp_path: Path) -> None:
    monday = _readout(tmp_path, "wire.txt", "2025-03-17", ["Trump will speak with Putin on Tuesday about a ceasefire."])
    later = _readout(tmp_path, "mirror.txt", "2025-03-17", ["Trump will speak with Putin on March 18 about a ceasefire.",
                                                           "Trump will speak with Putin on March 25 about a ceasefire."])  # fmt: skip
    assert ingesting.ingest(db, [monday, later], workers=1).rejected == []
    tuesday = statement_of(db, "Trump will speak with Putin on Tuesday about a ceasefire.")
    assert statement_of(db, "Trump will speak with Putin on March 18 about a ceasefire.") == tuesday
    assert statement_of(db, "Trump will speak with Putin on March 25 about a ceasefire.") != tuesday
    assert integrity.check(db) == []


def test_the_database_groups_a_fixture_set_as_evaluate_grouping_measures_it(db: sqlite_utils.Database, tmp_path: Path) -> None:
    """Each labelled claim of the Russian and the third blind set ingested as a one-line readout:
    the statements the database makes (its candidate indexes, dated wordings, thresholds) are the
    groups `tracker evaluate-grouping` scores."""
    from tracker.grouping import Claimed, group_claims, load_labelled

    rows = [c for name in ("grouping_blind3", "grouping_ru_blind") for c, _ in load_labelled(FIXTURES / name / "claims.jsonl")]
    files = []
    for claimed in rows:
        path = tmp_path / f"{claimed.key}.txt"
        day = claimed.published.date().isoformat()  # the header's date: the time of day is not in it
        path.write_text(f" date {day} https://example.org/{claimed.key}\nReadout\n{claimed.speaker} told reporters:\n- {claimed.text}\n",
                        encoding="utf-8")  # fmt: skip
        files.append(path)
    assert ingesting.ingest(db, files, workers=1).rejected == []
    in_database = {Path(name).stem: statement for name, statement in db.execute(
        "SELECT sources.file_name, claims.statement_id FROM claims JOIN sources ON sources.id = claims.source_id")}  # fmt: skip
    by_day = [Claimed(c.key, c.speaker, c.published.replace(hour=0, minute=0, second=0), c.text) for c in rows]
    expected = group_claims(by_day)
    pairs = {(a, b) for a in expected for b in expected if a < b}
    assert {p for p in pairs if expected[p[0]] == expected[p[1]]} == {p for p in pairs if in_database[p[0]] == in_database[p[1]]}


def test_a_statement_giving_more_numbers_is_found_behind_many_sharing_a_common_one(db: sqlite_utils.Database) -> None:
    """The statements giving all of a claim's numbers and more were read through its first number
    and limited before they were checked: 300 newer statements with "2025" hid the one giving
    "2025", "479" and "20". Now the limit applies to the statements that qualify."""
    from tracker import statements
    from tracker.wording import fingerprint

    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # statements without claims: only the index is read
    speaker = conn.execute("INSERT INTO people (name) VALUES ('Sergei Shoigu')").lastrowid
    rows = [("2025 479 20", "2025-03-01T00:00:00")] + [(f"2025 {n}", "2025-03-02T00:00:00") for n in range(1000, 1300)]
    for key, first_seen in rows:
        statement = conn.execute(
            """INSERT INTO statements (claim_id, speaker_id, text, match_words, fact_key, first_seen, last_seen,
               appearances) VALUES (0, ?, '', 'words', ?, ?, ?, 1)""", [speaker, key, first_seen, first_seen]).lastrowid
        statements._index_numbers(conn, statement, speaker, key, first_seen)
    mine = fingerprint("Russia will produce 479 drones in 2025.")
    found = statements._candidates(conn, speaker, mine, "2025-02-20T00:00:00", "2025-03-10T00:00:00")
    keys = {conn.execute("SELECT fact_key FROM statements WHERE id = ?", [id_]).fetchone()[0] for id_, _ in found}
    assert "2025 479 20" in keys


def test_remembered_fingerprints_are_the_fingerprints_and_stay_few(monkeypatch) -> None:
    from tracker import statements
    from tracker.wording import fingerprint

    monkeypatch.setattr(statements, "RECENT_WORDINGS", 3)
    monkeypatch.setattr(statements, "_recent", statements.OrderedDict())
    texts = [f"Russia will deliver {n} tonnes of grain to Egypt by May {n}." for n in range(1, 6)]
    for text in texts:
        assert statements.remembered_fingerprint(text) == fingerprint(text)
    assert list(statements._recent) == texts[2:]
    statements.remembered_fingerprint(texts[2])  # read again: the newest
    assert list(statements._recent) == [texts[3], texts[4], texts[2]]
