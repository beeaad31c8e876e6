"""The language of a source (tracker/language.py, sources.language)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import py3langid
import pytest
import sqlite_utils

from tracker import db as database
from tracker import ingest as ingesting
from tracker.language import SAMPLE, _classify, detect_language
from tracker.language_model import WINDOW, ScanningIdentifier, scanning_identifier
from tracker.transfer import import_claims, iter_export, parse_lines

FIXTURES = Path(__file__).parent / "fixtures"
RU = FIXTURES / "ru"
# Every fixture article: the Russian sets (ru, ru_blind, ru_blind2) in Russian, the others in English.
ARTICLES = sorted(FIXTURES.rglob("*.txt"))
# Russian claims under an English marker: claims the English extraction already finds.
RUSSIAN_ARTICLE = """ date 2025-06-14 International
Песков о переговорах с Украиной и США
16:05 GMT 14.06.2025
Kremlin spokesman Dmitry Peskov told journalists:
Переговоры с Украиной продолжатся на следующей неделе в Стамбуле.
Россия готова к новым контактам с американской стороной.
"""


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_article_gets_its_language(path: Path) -> None:
    expected = "ru" if path.parent.name.startswith("ru") else "en"
    assert detect_language(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Песков заявил, что контакты с Вашингтоном продолжаются (https://tass.ru).", "ru"),
        ("Пєсков заявив, що Україна готова до переговорів і їхня позиція незмінна.", "uk"),
        ("Der Sprecher sagte, die Gespräche würden in der nächsten Woche fortgesetzt.", "de"),
        ("The spokesman said the talks would resume next week.", "en"),
        ("2025-06-14 16:05", "en"),  # no letters: the default
    ],
)
def test_languages_by_script_and_by_the_classifier(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_ingest_stores_each_source_language(db: sqlite_utils.Database) -> None:
    english = FIXTURES / "articles" / "001_zakharova-black-sea-consultations.txt"
    report = ingesting.ingest(db, [english, RU / "r01_ushakov_call.txt"])
    assert report.rejected == []
    assert [(r["file_name"], r["language"]) for r in db["sources"].rows_where(order_by="id")] == [
        (english.name, "en"), ("r01_ushakov_call.txt", "ru"),
    ]


def test_an_older_database_gets_the_column_filled_from_its_articles(db_path: Path) -> None:
    db = database.connect(db_path)
    ingesting.ingest(db, [RU / "r01_ushakov_call.txt", FIXTURES / "articles"])
    db.execute("DROP INDEX idx_sources_language")
    db.execute("ALTER TABLE sources DROP COLUMN language")  # as an earlier schema.sql made it
    db.execute("PRAGMA user_version = 1")
    db.conn.close()
    db = database.connect(db_path)
    languages = dict(db.execute("SELECT file_name, language FROM sources").fetchall())
    assert languages.pop("r01_ushakov_call.txt") == "ru"
    assert set(languages.values()) == {"en"}


def test_export_carries_the_language(db: sqlite_utils.Database, article_file) -> None:
    ingesting.ingest(db, [article_file(RUSSIAN_ARTICLE)])
    (first, second) = list(iter_export(db))
    assert first["source"]["language"] == "ru"
    assert (first["language"], second["language"]) == ("ru", "ru")
    assert "source" not in second


def _export_lines(db: sqlite_utils.Database, without_language: bool = False) -> list[str]:
    lines = []
    for claim in iter_export(db):
        if without_language:  # an export written before sources had a language
            claim.pop("language")
            claim.get("source", {}).pop("language", None)
        lines.append(json.dumps(claim, ensure_ascii=False))
    return lines


@pytest.mark.parametrize("without_language", [False, True])
def test_import_keeps_or_detects_the_language(
    db: sqlite_utils.Database, article_file, tmp_path: Path, without_language: bool
) -> None:
    ingesting.ingest(db, [article_file(RUSSIAN_ARTICLE)])
    db.execute("UPDATE sources SET language = 'bg'")  # kept as exported, not detected again
    target = database.connect(tmp_path / "other.db")
    import_claims(target, parse_lines(_export_lines(db, without_language), "claims.jsonl"), "claims.jsonl")
    assert [r[0] for r in target.execute("SELECT language FROM sources")] == ["ru" if without_language else "bg"]


def test_language_is_required(db: sqlite_utils.Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO sources (file_name, title, published_at, sha256, raw_text, ingested_at, language)"
            " VALUES ('a', 'b', 'c', 'd', 'e', 'f', NULL)"
        )


def _states_after(identifier: ScanningIdentifier, states: np.ndarray) -> np.ndarray:
    """The automaton's state after each byte from each of `states`: one row per state."""
    moves = np.asarray(identifier.tk_nextmove).reshape(-1, 256)
    return moves[np.asarray(identifier.tk_row)[states]].astype(np.int64)


def test_the_language_model_forgets_all_but_its_last_window_of_bytes() -> None:
    """What tracker/language_model.py relies on: after any WINDOW bytes the automaton is where those
    bytes lead from the start, whatever state it set out from. Pairs (from the start, from any
    state) that still differ are followed byte by byte; none is left after WINDOW bytes."""
    identifier = scanning_identifier()
    count = len(identifier.tk_output)
    differing = np.arange(1, count, dtype=np.int64)  # pairs (0, q) as 0 * count + q
    for _ in range(WINDOW):
        following = []
        for chunk in np.array_split(differing, max(1, len(differing) // 20_000)):
            starts, others = _states_after(identifier, chunk // count), _states_after(identifier, chunk % count)
            following.append(np.unique((starts * count + others)[starts != others]))
        differing = np.unique(np.concatenate(following))
    assert len(differing) == 0


@pytest.mark.parametrize("path", ARTICLES[::5], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_scanning_classifier_gives_py3langid_s_scores(path: Path) -> None:
    text = path.read_text(encoding="utf-8")[:SAMPLE]
    assert _classify()(text) == py3langid.classify(text)


@pytest.mark.parametrize("text", ["", "a", "abcde", "abcdef", "Привет", "Ἀθῆναι", "日本語のテキスト", "1 2 3"])
def test_the_scanning_classifier_on_short_and_unusual_texts(text: str) -> None:
    identifier = scanning_identifier()
    encoded = identifier._encode(text)
    library = py3langid.langid.visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, encoded)
    ours = identifier.visit_counts(encoded)
    assert (ours and list(ours.items())) == (library and list(library.items()))  # the same order too
    assert _classify()(text) == py3langid.classify(text)
