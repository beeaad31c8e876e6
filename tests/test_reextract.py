from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import sqlite_utils
from typer.testing import CliRunner

from tracker import followups, queries
from tracker import reextract as reextracting
from tracker.cli import app

from .conftest import ARTICLES, GOLD, SEED

runner = CliRunner()


def snapshot(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM claim_details ORDER BY id"))


def test_reextract_with_the_same_extractor_changes_nothing(seeded: sqlite_utils.Database) -> None:
    before = snapshot(seeded)
    report = reextracting.reextract(seeded)
    assert (report.sources, report.unchanged, report.added, report.retracted) == (1, 12, 0, 0)
    assert snapshot(seeded) == before


def test_reextract_keeps_identity_and_follow_ups_and_retracts(seeded: sqlite_utils.Database, monkeypatch) -> None:
    june = next(r for r in seeded["claims"].rows if "after June 22" in r["text"])
    followups.record_follow_up(seeded, june["id"], "in-the-works", note="talks set", checked_on=date(2025, 6, 23))
    original = reextracting.extract_claims

    def changed_extractor(article, review_days=30):
        claims = original(article, review_days)
        kept = [c for c in claims if "birthday" not in c.text]  # the new extractor drops one
        # ...and reclassifies the followed-up commitment as a report
        return [dataclasses.replace(c, is_commitment=False, status=None) if c.claim_key == june["claim_key"] else c
                for c in kept]

    monkeypatch.setattr(reextracting, "extract_claims", changed_extractor)
    report = reextracting.reextract(seeded)
    assert (report.retracted, report.added) == (1, 0)
    rows = {r["claim_key"]: r for r in seeded["claims"].rows}
    assert len(rows) == 12  # nothing deleted
    birthday = next(r for r in rows.values() if "birthday" in r["text"])
    assert birthday["retracted_at"] and birthday["retraction_reason"] == reextracting.RETRACTION_REASON
    still = rows[june["claim_key"]]
    assert still["id"] == june["id"] and still["is_commitment"] == 1 and still["status"] == "in-the-works"
    assert seeded["follow_ups"].count == 1
    assert all("birthday" not in r["text"] for r in queries.query_claims(seeded))

    monkeypatch.setattr(reextracting, "extract_claims", original)
    report = reextracting.reextract(seeded)
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


def seed_gold(**extra: object) -> list[dict[str, object]]:
    """Gold rows for three of the seed's claims, with the given extra keys on each."""
    rows = [
        {"text": "Russia is ready to continue negotiations with the Ukrainian side, Putin said.",
         "is_commitment": True, "deadline": None, "speaker_role": "PUTIN'S AIDE", "attributed_to": "Vladimir Putin",
         "deadline_text": None, "subjects": ["Russia", "Ukraine"]},
        {"text": "Putin informed Trump that Russia is ready to resume negotiations with Ukraine, as agreed, after June 22.",
         "is_commitment": True, "deadline": "2025-06-22", "speaker_role": "Kremlin aide", "attributed_to": None,
         "deadline_text": "After June 22", "subjects": ["Vladimir Putin", "Donald Trump", "Russia", "Ukraine", "Kremlin"]},
        {"text": "Trump assessed the situation in the Middle East as highly alarming.",
         "is_commitment": False, "deadline": None, "speaker_role": "Putin's aide", "attributed_to": "Donald Trump",
         "deadline_text": "soon", "subjects": ["Donald Trump", "Middle East"]},
    ]  # fmt: skip
    keys = {"text", "is_commitment", "deadline", *extra}
    return [{"source_file": SEED.name, "speaker": "Yuri Ushakov", **{k: v for k, v in r.items() if k in keys}} for r in rows]


def evaluate_seed(tmp_path: Path, rows: list[dict[str, object]], *args: str):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return runner.invoke(app, ["evaluate", str(path), str(SEED), *args])


def test_evaluate_scores_roles_attribution_deadline_phrases_and_subjects(tmp_path: Path) -> None:
    rows = seed_gold(speaker_role=1, attributed_to=1, deadline_text=1, subjects=1)
    scores = json.loads(evaluate_seed(tmp_path, rows, "--format", "jsonl").stdout)
    assert scores["matched"] == 3
    assert scores["speaker_role_accuracy"] == 2 / 3  # case-insensitive; "Kremlin aide" is wrong
    assert scores["attributed_to_accuracy"] == 2 / 3  # Trump is not who the third claim reports on
    assert scores["deadline_text_accuracy"] == 2 / 3  # "After June 22" matches in any case; "soon" does not
    # subjects, summed over matched claims: 8 extracted and 9 in gold, 8 in both
    assert scores["subjects_precision"] == 1.0 and scores["subjects_recall"] == 8 / 9
    assert scores["subjects_f1"] == 2 * 1.0 * (8 / 9) / (1.0 + 8 / 9)
    misses = scores["misses"]
    assert f"{SEED.name}: speaker_role \"Putin's aide\", gold 'Kremlin aide': {rows[1]['text']!r}" in misses
    assert f"{SEED.name}: subjects missing ['Kremlin']: {rows[1]['text']!r}" in misses
    table = evaluate_seed(tmp_path, rows)
    for label in ("speaker role accuracy", "attributed to accuracy", "deadline text accuracy", "subjects f1"):
        assert label in table.stdout, label


def test_evaluate_without_the_new_keys_scores_as_before(tmp_path: Path) -> None:
    result = evaluate_seed(tmp_path, seed_gold(), "--format", "jsonl", "--fail-under", "0.25")
    scores = json.loads(result.stdout)
    assert set(scores) == {"precision", "recall", "speaker_accuracy", "commitment_accuracy", "deadline_accuracy",
                           "gold", "extracted", "matched", "misses"}  # fmt: skip
    assert result.exit_code == 0 and scores["precision"] == 3 / scores["extracted"] < 0.5


def test_fail_under_covers_a_new_figure_only_when_gold_has_it(tmp_path: Path) -> None:
    from tracker.evaluate import extract_file

    exact = [{"source_file": SEED.name, **claim} for claim in extract_file(SEED)]  # every figure 1.0
    assert len(exact) >= 10 and {"speaker_role", "subjects"} <= set(exact[0])
    wrong_role = [{**row, "speaker_role": "Kremlin aide"} if i == 0 else row for i, row in enumerate(exact)]
    result = evaluate_seed(tmp_path, wrong_role, "--format", "jsonl", "--fail-under", "0.95")
    scores = json.loads(result.stdout)
    assert scores["speaker_role_accuracy"] == 1 - 1 / len(exact) < 0.95 and result.exit_code == 1
    assert min(v for k, v in scores.items() if k.endswith(("_accuracy", "_f1", "precision", "recall"))
               and k != "speaker_role_accuracy") == 1.0  # fmt: skip
    without_roles = [{k: v for k, v in row.items() if k != "speaker_role"} for row in wrong_role]
    assert evaluate_seed(tmp_path, without_roles, "--fail-under", "0.95").exit_code == 0
