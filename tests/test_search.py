"""Search that finds inflected forms (tracker/search.py): in Datasette and `tracker claims`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette

from tracker import db as database
from tracker import ingest as ingesting
from tracker.integrity import check
from tracker.queries import fts_query, query_claims
from tracker.search import expand_query, search_lemmas
from tracker.serve import SETTINGS, load_metadata

from .conftest import SEEDS

# Russian claims under an English marker: claims the English extraction already finds.
ARTICLE = """ date 2025-06-14 International
Песков о переговорах с Украиной и США
16:05 GMT 14.06.2025
Kremlin spokesman Dmitry Peskov told journalists:
Очередной раунд переговоров с Украиной пройдет на следующей неделе в Стамбуле.
Россия готова к новым контактам с американской стороной.
"""
TALKS = "Очередной раунд переговоров с Украиной пройдет на следующей неделе в Стамбуле."


def test_a_claim_keeps_the_dictionary_forms_it_does_not_already_have() -> None:
    lemmas = search_lemmas("Раунд переговоров пройдет в Стамбуле.").split()
    assert {"переговоры", "пройти", "стамбул"} <= set(lemmas)
    assert "раунд" not in lemmas  # written so already (lower-cased by the index)
    assert search_lemmas("The talks will resume after June 22.") == ""


def test_a_query_word_is_widened_to_its_dictionary_forms() -> None:
    assert expand_query('"переговорах"') == '("переговорах" OR "переговоры")'
    assert expand_query('"Iranian" "talks"') == '"Iranian" "talks"'
    assert expand_query('"переговоры в Стамбуле"') == '"переговоры в Стамбуле"'  # a phrase stays
    assert expand_query('"Стамбул" "раунды"') == '"Стамбул" AND ("раунды" OR "раунд")'


@pytest.fixture
def russian(db: sqlite_utils.Database, article_file) -> sqlite_utils.Database:
    ingesting.ingest(db, [article_file(ARTICLE), SEEDS])
    return db


@pytest.mark.parametrize("query", ["переговоры", "переговорах", "переговоров", "Переговоры Стамбул"])
def test_tracker_claims_search_finds_inflected_forms(russian: sqlite_utils.Database, query: str) -> None:
    assert [c["text"] for c in query_claims(russian, search=query)] == [TALKS]


def test_english_search_is_unchanged(russian: sqlite_utils.Database) -> None:
    found = [c["text"] for c in query_claims(russian, search="Iranian")]
    assert found and all("Iranian" in text for text in found)
    assert fts_query("Iranian nuclear") == '"Iranian" "nuclear"'


def get(ds: Datasette, path: str) -> Any:
    async def fetch() -> Any:
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


@pytest.mark.parametrize("query", ["переговоры", "переговорах", "Стамбул раунды"])
def test_datasette_search_finds_inflected_forms(russian: sqlite_utils.Database, db_path: Path, query: str) -> None:
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    rows = get(ds, f"/claims/claims.json?_search={query}&_shape=array").json()
    assert [row["text"] for row in rows] == [TALKS]
    page = get(ds, f"/claims/claims?_search={query}")
    assert page.status_code == 200 and "пройдет на следующей неделе" in page.text


def test_datasette_raw_search_mode_is_left_alone(russian: sqlite_utils.Database, db_path: Path) -> None:
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    rows = get(ds, "/claims/claims.json?_search=переговорах&_searchmode=raw&_shape=array").json()
    assert rows == []  # raw FTS5 syntax is the user's own: no widening


def test_an_older_database_gets_lemmas_and_a_two_column_index(db_path: Path, article_file) -> None:
    db = database.connect(db_path)
    ingesting.ingest(db, [article_file(ARTICLE)])
    # as an earlier schema.sql made it: one indexed column, no lemmas
    db.conn.executescript(
        """DROP TRIGGER claims_fts_insert; DROP TRIGGER claims_fts_delete; DROP TRIGGER claims_fts_update;
        DROP TABLE claims_fts; ALTER TABLE claims DROP COLUMN lemmas;
        CREATE VIRTUAL TABLE claims_fts USING fts5(text, content="claims", content_rowid="id");
        INSERT INTO claims_fts(claims_fts) VALUES ('rebuild'); PRAGMA user_version = 1;"""
    )
    db.conn.close()
    db = database.connect(db_path)
    assert [c["text"] for c in query_claims(db, search="переговоры")] == [TALKS]
    assert check(db) == []
