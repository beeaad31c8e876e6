"""The benchmark script works (on a tiny corpus); its timings are never asserted."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from benchmarks import baselines, pages, run
from benchmarks.corpus import article, write_corpus
from benchmarks.writer import extract_then_write
from tracker import db as database
from tracker import ingest, kept
from tracker.articles import parse_article
from tracker.extract import extract_claims

from .conftest import ROOT, SEEDS


def test_generated_articles_are_unique_house_style_and_extractable(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 25, seed=3)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(set(texts)) == 25 and article(4, seed=3) == texts[4]
    originals = [p for p, text in zip(paths, texts) if "what was said" not in text]
    claims = [c.text for p in originals for c in extract_claims(parse_article(p.read_bytes(), p.name))]
    assert len(claims) == len(set(claims)) >= len(originals) * 4  # unique text in every original article


def test_the_corpus_exercises_every_extraction_mode_and_reposts(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 100)
    extracted = {p.name: extract_claims(parse_article(p.read_bytes(), p.name)) for p in paths}
    claims = [c for found in extracted.values() for c in found]
    forms = {form: sum(c.form == form for c in claims) for form in ("list", "reported", "quote")}
    assert all(count >= len(claims) // 10 for count in forms.values()), forms
    assert all(found for found in extracted.values())  # every article has claims
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    transcripts = [name for name, text in texts.items() if "\nQuestion:\n" in text]
    assert len(transcripts) >= 5 and not any(c.text.endswith("?") for name in transcripts for c in extracted[name])
    assert sum(c.deadline is not None for c in claims) >= len(claims) // 5
    # A repost states an earlier article's statements (the same project numbers), partly reworded.
    reposts = [name for name, text in texts.items() if "what was said" in text]
    assert len(reposts) >= 8
    for name in reposts:
        numbers = set(re.findall(r"project (\d+-\d+-\d+-0)", texts[name]))
        earlier = [other for other in texts if other < name and numbers <= set(re.findall(r"project (\S+-0)", texts[other]))]
        assert earlier, name
    boilerplate = ("Follow our channel", "Read more on the site", "Share this article", "Our Standards", "(Reporting by")
    assert not any(c.text.startswith(boilerplate) for c in claims)
    assert sum(any(b in text for b in boilerplate) for text in texts.values()) >= 50


def test_the_naive_rule_takes_every_line_after_a_colon() -> None:
    text = "Title\nLead line\nPeskov said:\n- One.\n\nTwo.\nUshakov added:\nThree.\n"
    found = baselines.naive_claims(text)
    assert [(c.text, c.line, c.speaker) for c in found] == [
        ("- One.", 4, "Peskov said"), ("Two.", 6, "Peskov said"), ("Ushakov added:", 7, "Peskov said"),
        ("Three.", 8, "Ushakov added")]  # fmt: skip
    assert all(text[c.char_start : c.char_end] == c.text for c in found)


def test_naive_baseline_writes_every_line_after_a_colon(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 12)
    found = [c for p in paths for c in baselines.naive_claims(p.read_text(encoding="utf-8"))]
    items = sum("project" in c.text for c in found)
    assert items >= 12 and len(found) > items  # list items, and boilerplate after them
    count = baselines.naive_ingest(paths, tmp_path / "baseline.db")
    conn = sqlite3.connect(tmp_path / "baseline.db")
    assert count == len(found)
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == len(found)
    assert conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'project'").fetchone()[0] == items
    conn.close()


def test_naive_baseline_claims_have_the_indexes_of_schema_sql(tmp_path: Path, db: sqlite_utils.Database) -> None:
    baselines.naive_ingest(write_corpus(tmp_path / "corpus", 2), tmp_path / "baseline.db")
    baseline = sqlite_utils.Database(tmp_path / "baseline.db")

    def shapes(database: sqlite_utils.Database) -> set[tuple[tuple[str, ...], int, int]]:
        return {(tuple(i.columns), i.unique, i.partial) for i in database["claims"].indexes}

    assert shapes(baseline) == shapes(db)


def test_limit_writes_every_table_the_tracker_fills(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 12)
    expected = sum(len(baselines.naive_claims(p.read_text(encoding="utf-8"))) for p in paths)
    assert baselines.limit_ingest(paths, tmp_path / "limit.db", group_files=5) == expected
    limit = sqlite_utils.Database(tmp_path / "limit.db")
    assert limit.execute("PRAGMA foreign_key_check").fetchall() == []
    assert limit["sources"].count == 12 and limit["claims"].count == expected
    assert limit.execute("SELECT count(*) FROM claims WHERE statement_id IS NULL").fetchone()[0] == 0
    assert limit["statements"].count == expected and limit["claim_subjects"].count >= expected // 2
    assert limit.execute("SELECT count(*) FROM people").fetchone()[0] >= 5  # the markers, as written
    # Every column the tracker fills, filled; the full-text index complete, per group.
    assert limit.execute("SELECT count(*) FROM claims WHERE quote != substr((SELECT raw_text FROM sources "
                         "WHERE id = source_id), char_start + 1, char_end - char_start)").fetchone()[0] == 0
    assert limit.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'project'").fetchone()[0] > 12 * 4
    assert limit.execute("INSERT INTO claims_fts(claims_fts, rank) VALUES ('integrity-check', 1)").fetchall() == []
    assert "sqlite_stat1" in limit.table_names()  # analysed, as ingest leaves its database
    tracker_db = database.connect(tmp_path / "tracker.db")
    assert {i.name for i in limit["claims"].indexes} == {i.name for i in tracker_db["claims"].indexes}
    assert kept.differences(limit.conn) == [] and limit["commitment_counts"].count > 0  # the kept figures, per group


def test_the_writer_alone_writes_what_ingest_writes(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 30)
    ingest.ingest(database.connect(tmp_path / "ingested.db"), [tmp_path / "corpus"], workers=1)
    clocks = extract_then_write(paths, tmp_path / "replayed.db")

    def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(path)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    for sql in ("SELECT * FROM claims ORDER BY id", "SELECT * FROM statements ORDER BY id",
                "SELECT * FROM claim_subjects ORDER BY 1, 2", "SELECT * FROM people ORDER BY id",
                "SELECT * FROM subjects ORDER BY id", "SELECT rowid, text FROM claims_fts ORDER BY rowid",
                "SELECT id, sha256, raw_text FROM sources ORDER BY id",
                *(f"SELECT * FROM {table} WHERE count > 0" for table in kept.TABLES)):  # fmt: skip
        assert sorted(rows(tmp_path / "replayed.db", sql)) == sorted(rows(tmp_path / "ingested.db", sql)), sql
    assert clocks.claims == len(rows(tmp_path / "ingested.db", "SELECT id FROM claims")) > 100
    assert clocks.extract_s > clocks.fingerprint_s > 0 and clocks.write_s > clocks.assign_statements_s > 0


def test_benchmark_runs_end_to_end_on_a_small_corpus(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    figures = run.main(["--articles", "30", "--requests", "2", "--first-views", "2", "--workdir", str(tmp_path),
                        "--json", str(out)])  # fmt: skip
    assert json.loads(out.read_text()) == figures
    assert figures["articles"] == 30 and figures["claims"] > 100
    assert figures["claims"] <= figures["naive_claims"] == figures["limit_claims"]  # they also take boilerplate
    for key in ("tracker_ingest_s", "naive_ingest_s", "limit_ingest_s", "writer_alone_s", "ratio_tracker_to_naive",
                "ratio_tracker_to_limit", "ratio_writer_to_limit", "extract_ms_per_article",
                "fingerprint_ms_per_article", "assign_statements_s"):  # fmt: skip
        assert figures[key] > 0, key
    assert set(figures["pages"]) == {"claims table with facets", "full-text search", "full-text search, rare word",
                                     "commitments by deadline", "overdue canned query", "a claim's own page",
                                     "a speaker's page", "a source's page", "home page", "dashboard",
                                     "open commitments", "scorecard", "commitments filter",
                                     "a speaker's commitments", "a rating's commitments", "overdue commitments",
                                     "statements table"}
    assert all(page["p95_ms"] >= page["p50_ms"] > 0 and page["first_p95_ms"] >= page["first_p50_ms"] > 0
               for page in figures["pages"].values())  # fmt: skip
    assert {name.split(": ")[0] for name in figures["scale_out"]} == {"server 1", "server 2"}
    assert all(page["views"] >= 1 and page["first_ms"] > 0 for page in figures["scale_out"].values())


def test_pages_compares_versions_of_the_code_each_with_its_database(tmp_path: Path, capsys: Any) -> None:
    for name in ("before", "after"):
        (tmp_path / name).mkdir()
        ingest.ingest(database.connect(tmp_path / name / "claims.db"), [SEEDS], workers=1)
    figures = pages.main(["--requests", "1", "--first-views", "1",
                          "--version", "before", str(ROOT), str(tmp_path / "before" / "claims.db"),
                          "--version", "after", str(ROOT), str(tmp_path / "after" / "claims.db")])  # fmt: skip
    assert set(figures) == {"before", "after"} and set(figures["before"]) == set(figures["after"])
    assert all(page["first_p50_ms"] > 0 for version in figures.values() for page in version.values())
    printed = capsys.readouterr().out
    assert "before: p50 / p95 / first p50 / first p95" in printed and printed.count("\n") == 1 + len(pages.page_paths(tmp_path / "before" / "claims.db"))
