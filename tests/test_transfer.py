from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from tracker import db as database
from tracker import followups
from tracker import ingest as ingesting
from tracker.cli import app
from tracker.integrity import check

from .conftest import ARTICLES, SEEDS

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def populated(path: Path) -> None:
    db = database.connect(path)
    ingesting.ingest(db, [SEEDS, ARTICLES])
    commitment = next(r["id"] for r in db["claims"].rows_where("is_commitment = 1"))
    followups.record_follow_up(db, commitment, "in-the-works", note="first", checked_on=date(2025, 6, 20))
    followups.record_follow_up(db, commitment, "broken", evidence=["https://example.org/x"],
                               checked_on=date(2025, 8, 1), checked_by="Desk")  # fmt: skip


def test_export_import_round_trip_is_exact(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    populated(first)
    exported = run("export", "--db", first).stdout
    count = len(exported.splitlines())
    assert count == database.connect(first)["claims"].count > 100  # however many the extractor finds
    (tmp_path / "claims.jsonl").write_text(exported, encoding="utf-8")
    result = run("import", tmp_path / "claims.jsonl", "--db", second)
    assert result.exit_code == 0 and result.stderr.strip() == f"{count} claims imported, 0 skipped (already present)"
    assert run("export", "--db", second).stdout == exported
    a, b = database.connect(first), database.connect(second)
    for table, order in (("follow_ups", "id"), ("people", "name"), ("subjects", "name"), ("claims", "id")):
        assert list(a[table].rows_where(order_by=order)) == list(b[table].rows_where(order_by=order)), table
    assert check(b) == []
    again = run("import", tmp_path / "claims.jsonl", "--db", second)
    assert again.stderr.strip() == f"0 claims imported, {count} skipped (already present)"


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
    count = database.connect(path)["claims"].count
    assert ok.exit_code == 0 and ok.stderr.strip() == f"ok: 13 sources and {count} claims check out"
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
    assert f"Error: 1 × commitment whose status is not its statement's latest follow-up's: {unrated}" in lines
    assert any(line.startswith("Error: 1 × committed fts_deferred flag") for line in lines)


def history_by_key(db) -> dict[str, list[tuple]]:
    rows = db.query(
        """SELECT claims.claim_key, follow_ups.status, follow_ups.checked_on, follow_ups.note,
           follow_ups.evidence, follow_ups.checked_by FROM follow_ups
           JOIN claims ON claims.id = follow_ups.claim_id ORDER BY follow_ups.id"""
    )
    history: dict[str, list[tuple]] = {}
    for row in rows:
        history.setdefault(row.pop("claim_key"), []).append(tuple(row.values()))
    return history


def claims_by_key(db) -> dict[str, dict]:
    return {r["claim_key"]: {k: v for k, v in r.items() if k != "id"}
            for r in db.query("SELECT * FROM claim_details")}  # fmt: skip


def test_importing_another_databases_export_merges_every_claim(tmp_path: Path) -> None:
    """Two databases with overlapping ids (and follow-up ids), one source in common."""
    a_path, b_path = tmp_path / "a.db", tmp_path / "b.db"
    a = database.connect(a_path)
    ingesting.ingest(a, [SEEDS])
    b = database.connect(b_path)
    articles = sorted(ARTICLES.glob("*.txt"))[:3]
    ingesting.ingest(b, [*articles, SEEDS])  # the seed's claims get other ids in b
    for db, note in ((a, "checked in a"), (b, "checked in b")):  # a seed claim, an article's claim
        commitment = db.execute("SELECT min(id) FROM claims WHERE is_commitment = 1").fetchone()[0]
        followups.record_follow_up(db, commitment, "in-the-works", note=note, checked_on=date(2025, 6, 20))
        followups.record_follow_up(db, commitment, "stalled", note=note + " again", checked_on=date(2025, 6, 21),
                                   checked_by="Desk")  # fmt: skip
    a_before, b_claims, a_history_before = claims_by_key(a), claims_by_key(b), history_by_key(a)
    assert set(a_before) < set(b_claims)  # b has the seed too, and more
    ids_a = {r["id"] for r in a["claims"].rows}
    assert ids_a & {r["id"] for r in b["claims"].rows if r["claim_key"] not in a_before}, "no id conflict"
    export = tmp_path / "b.jsonl"
    export.write_text(run("export", "--db", b_path).stdout, encoding="utf-8")

    result = run("import", export, "--db", a_path)
    new = len(set(b_claims) - set(a_before))
    assert (result.exit_code, result.stderr.strip()) == (0, f"{new} claims imported, {len(a_before)} skipped (already present)")
    merged = claims_by_key(a)
    assert set(merged) == set(a_before) | set(b_claims)
    # a person has one office here: a's, if a knew them; statements are numbered per database
    roles = ("speaker_role", "attributed_to_role", "statement_id", "appearances")
    together = {(k1, k2) for k1, c1 in b_claims.items() for k2, c2 in b_claims.items() if c1["statement_id"] == c2["statement_id"]}
    assert together <= {(k1, k2) for k1, c1 in merged.items() for k2, c2 in merged.items() if c1["statement_id"] == c2["statement_id"]}
    for key, claim in b_claims.items():
        if key not in a_before:
            assert {k: v for k, v in merged[key].items() if k not in roles} == \
                {k: v for k, v in claim.items() if k not in roles}, key
    for key, claim in a_before.items():
        assert merged[key] == claim, key
    assert check(a) == []
    checked = run("check", "--db", a_path)
    assert checked.exit_code == 0, checked.stderr
    history = history_by_key(a)
    b_history = history_by_key(b)
    for key, entries in b_history.items():
        expected = a_history_before.get(key) if key in a_before else entries
        assert history[key] == expected, key
    assert len(history) == 2 and sum(map(len, history.values())) == 4
    again = run("import", export, "--db", a_path)
    assert again.stderr.strip() == f"0 claims imported, {len(b_claims)} skipped (already present)"
    assert claims_by_key(a) == merged and check(a) == []


def test_import_of_a_utf16_export_names_the_encoding(tmp_path: Path) -> None:
    """What PowerShell's `tracker export > claims.jsonl` writes."""
    source = tmp_path / "a.db"
    populated(source)
    export = tmp_path / "claims.jsonl"
    export.write_text(run("export", "--db", source).stdout, encoding="utf-16")
    result = run("import", export, "--db", tmp_path / "b.db")
    assert (result.exit_code, result.stderr.strip()) == (1, f"Error: {export}: UTF-16 text; convert it to UTF-8")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"text": "Caf\xe9"}\n'.encode("latin-1"))
    result = run("import", latin, "--db", tmp_path / "b.db")
    assert (result.exit_code, result.stderr.strip()) == (1, f"Error: {latin}: not valid UTF-8 (byte 13); re-save the file as UTF-8")
