from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from tracker import db as database
from tracker import followups
from tracker.cli import app
from tracker.integrity import check

from .conftest import ARTICLES, SEEDS

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def populated(path: Path) -> None:
    db = database.connect(path)
    database.ingest(db, [SEEDS, ARTICLES])
    commitment = next(r["id"] for r in db["claims"].rows_where("is_commitment = 1"))
    followups.record_follow_up(db, commitment, "in-the-works", note="first", checked_on=date(2025, 6, 20))
    followups.record_follow_up(db, commitment, "broken", evidence=["https://example.org/x"],
                               checked_on=date(2025, 8, 1), checked_by="Desk")  # fmt: skip


def test_export_import_round_trip_is_exact(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    populated(first)
    exported = run("export", "--db", first).stdout
    (tmp_path / "claims.jsonl").write_text(exported, encoding="utf-8")
    result = run("import", tmp_path / "claims.jsonl", "--db", second)
    assert result.exit_code == 0 and result.stderr.strip() == "109 claims imported, 0 skipped (already present)"
    assert run("export", "--db", second).stdout == exported
    a, b = database.connect(first), database.connect(second)
    for table, order in (("follow_ups", "id"), ("people", "name"), ("subjects", "name"), ("claims", "id")):
        assert list(a[table].rows_where(order_by=order)) == list(b[table].rows_where(order_by=order)), table
    assert check(b) == []
    again = run("import", tmp_path / "claims.jsonl", "--db", second)
    assert again.stderr.strip() == "0 claims imported, 109 skipped (already present)"


def test_import_rejects_bad_lines_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    result = run("import", bad, "--db", tmp_path / "x.db")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: line 1: claim_key: Field required;")
    assert database.connect(tmp_path / "x.db")["claims"].count == 0
    missing = run("import", tmp_path / "nope.jsonl", "--db", tmp_path / "x.db")
    assert missing.stderr.strip() == f"Error: {tmp_path / 'nope.jsonl'}: cannot read (No such file or directory)"


def test_check_passes_on_a_sound_database_and_names_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "claims.db"
    populated(path)
    ok = run("check", "--db", path)
    assert ok.exit_code == 0 and ok.stderr.strip() == "ok: 13 sources and 109 claims check out"
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER claims_status_is_derived")
    conn.execute("UPDATE claims SET quote = 'tampered' WHERE id = 3")
    unrated = conn.execute(
        "SELECT id FROM claims WHERE is_commitment = 1 AND id NOT IN (SELECT claim_id FROM follow_ups)"
    ).fetchone()[0]
    conn.execute("UPDATE claims SET status = 'kept' WHERE id = ?", [unrated])
    conn.execute("UPDATE sources SET raw_text = raw_text || ' ' WHERE id = 2")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO claim_subjects (claim_id, subject_id) VALUES (99999, 1)")
    conn.execute("UPDATE fts_deferred SET active = 1")  # would leave new claims unsearchable
    conn.commit()
    conn.close()
    bad = run("check", "--db", path)
    assert bad.exit_code == 1
    lines = bad.stderr.strip().splitlines()
    assert "Error: 1 rows with broken foreign keys in claim_subjects" in lines
    assert "Error: 1 × claim whose quote is not its source's raw_text[char_start:char_end]: 3" in lines
    assert "Error: source 2: raw_text does not match its sha256" in lines
    assert f"Error: 1 × commitment whose status is not its latest follow-up's: {unrated}" in lines
    assert any(line.startswith("Error: 1 × committed fts_deferred flag") for line in lines)
