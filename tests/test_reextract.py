from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import sqlite_utils
from typer.testing import CliRunner

from tracker import db as database
from tracker import followups
from tracker.cli import app

from .conftest import ARTICLES, GOLD

runner = CliRunner()


def snapshot(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM claim_details ORDER BY id"))


def test_reextract_with_the_same_extractor_changes_nothing(seeded: sqlite_utils.Database) -> None:
    before = snapshot(seeded)
    report = database.reextract(seeded)
    assert (report.sources, report.unchanged, report.added, report.retracted) == (1, 12, 0, 0)
    assert snapshot(seeded) == before


def test_reextract_keeps_identity_and_follow_ups_and_retracts(seeded: sqlite_utils.Database, monkeypatch) -> None:
    june = next(r for r in seeded["claims"].rows if "after June 22" in r["text"])
    followups.record_follow_up(seeded, june["id"], "in-the-works", note="talks set", checked_on=date(2025, 6, 23))
    original = database.extract_claims

    def changed_extractor(article, review_days=30):
        claims = original(article, review_days)
        kept = [c for c in claims if "birthday" not in c.text]  # the new extractor drops one
        # ...and reclassifies the followed-up commitment as a report
        return [dataclasses.replace(c, is_commitment=False, status=None) if c.claim_key == june["claim_key"] else c
                for c in kept]

    monkeypatch.setattr(database, "extract_claims", changed_extractor)
    report = database.reextract(seeded)
    assert (report.retracted, report.added) == (1, 0)
    rows = {r["claim_key"]: r for r in seeded["claims"].rows}
    assert len(rows) == 12  # nothing deleted
    birthday = next(r for r in rows.values() if "birthday" in r["text"])
    assert birthday["retracted_at"] and birthday["retraction_reason"] == database.RETRACTION_REASON
    still = rows[june["claim_key"]]
    assert still["id"] == june["id"] and still["is_commitment"] == 1 and still["status"] == "in-the-works"
    assert seeded["follow_ups"].count == 1
    assert all("birthday" not in r["text"] for r in database.query_claims(seeded))

    monkeypatch.setattr(database, "extract_claims", original)
    report = database.reextract(seeded)
    assert report.restored == 1
    assert seeded["claims"].get(birthday["id"])["retracted_at"] is None


def test_reextract_cli(db_path: Path) -> None:
    assert runner.invoke(app, ["ingest", str(ARTICLES), "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(app, ["reextract", "--db", str(db_path)])
    assert result.exit_code == 0
    assert result.stderr.startswith("12 sources re-extracted: 0 claims added, 0 updated, 0 retracted")


def test_evaluate_cli_reports_scores_and_misses(tmp_path: Path) -> None:
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    first = gold[0]
    wrong = [{**first, "speaker": "Somebody Else"}, *gold[1:5]]  # one wrong speaker, rest of that file missing
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g) for g in wrong), encoding="utf-8")
    article = ARTICLES / first["source_file"]
    result = runner.invoke(app, ["evaluate", str(path), str(article), "--format", "jsonl", "--fail-under", "0.95"])
    assert result.exit_code == 1
    scores = json.loads(result.stdout)
    assert scores["recall"] == 1.0 and scores["speaker_accuracy"] == 0.8
    assert scores["precision"] == 5 / scores["extracted"]
    assert any("speaker 'Maria Zakharova', gold 'Somebody Else'" in m for m in scores["misses"])


def test_evaluate_cli_bad_gold(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), str(ARTICLES)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {path}: line 1: not a gold row with source_file"
