"""The benchmark script works (on a tiny corpus); its timings are never asserted."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import sqlite_utils

from benchmarks import run
from benchmarks.corpus import article, write_corpus
from tracker.articles import parse_article
from tracker.extract import extract_claims


def test_generated_articles_are_unique_house_style_and_extractable(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 25, seed=3)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(set(texts)) == 25 and article(4, seed=3) == texts[4]
    claims = [c.text for p in paths for c in extract_claims(parse_article(p.read_bytes(), p.name))]
    assert len(claims) == len(set(claims)) >= 25 * 4  # unique text in every article


def test_baseline_counts_every_line_after_a_colon(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", 5)
    # Expected from the generated text: every non-blank line after the first marker (items, a
    # second speaker's marker, boilerplate); the items are the lines with a project number.
    expected = items = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        after = [line for line in text.split(":\n", 1)[1].split("\n") if line.strip()]
        expected += len(after)
        items += len(re.findall(r"\bproject \d+-\d+-\d+-0\b", text))
    assert items >= 5 * 4 and expected > items
    count = run.baseline_ingest(paths, tmp_path / "baseline.db")
    conn = sqlite3.connect(tmp_path / "baseline.db")
    assert count == expected
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == expected
    assert conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'project'").fetchone()[0] == items
    conn.close()


def test_baseline_claims_have_the_indexes_of_schema_sql(tmp_path: Path, db: sqlite_utils.Database) -> None:
    run.baseline_ingest(write_corpus(tmp_path / "corpus", 2), tmp_path / "baseline.db")
    baseline = sqlite_utils.Database(tmp_path / "baseline.db")

    def shapes(database: sqlite_utils.Database) -> set[tuple[tuple[str, ...], int, int]]:
        return {(tuple(i.columns), i.unique, i.partial) for i in database["claims"].indexes}

    assert shapes(baseline) == shapes(db)


def test_benchmark_runs_end_to_end_on_a_small_corpus(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    figures = run.main(["--articles", "30", "--requests", "2", "--workdir", str(tmp_path), "--json", str(out)])
    assert json.loads(out.read_text()) == figures
    assert figures["articles"] == 30 and figures["claims"] > 100
    assert figures["claims"] <= figures["baseline_claims"]  # the baseline also takes boilerplate
    assert set(figures["pages"]) == {"claims table with facets", "full-text search", "full-text search, rare word",
                                     "commitments by deadline", "overdue canned query", "a claim's own page",
                                     "a speaker's page", "a source's page", "home page", "dashboard"}
    assert all(page["p95_ms"] >= page["p50_ms"] > 0 and page["first_ms"] > 0 for page in figures["pages"].values())
