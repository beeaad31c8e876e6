"""A server's first views: counts kept at ingest (schema.sql claim_counts) and what Datasette
serves from them, and the work a server does at start instead of on its first page."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette

import tracker.datasette_plugin as plugin
from benchmarks.corpus import write_corpus
from tracker import db as database
from tracker import followups, ingest, integrity
from tracker.datasette_plugin.counts import kept
from tracker.serve import SETTINGS, load_metadata

RECOUNT = """SELECT 'rows', 0, count(*) FROM claims
    UNION ALL SELECT 'speaker_id', speaker_id, count(*) FROM claims GROUP BY 2
    UNION ALL SELECT 'is_commitment', is_commitment, count(*) FROM claims GROUP BY 2
    UNION ALL SELECT 'status', status, count(*) FROM claims WHERE status IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'form', form, count(*) FROM claims GROUP BY 2
    UNION ALL SELECT 'subject', subject_id, count(*) FROM claim_subjects GROUP BY 2"""


def counts(db: sqlite_utils.Database) -> set[tuple[Any, ...]]:
    return set(db.execute("SELECT facet, value, count FROM claim_counts WHERE count > 0").fetchall())


def recount(db: sqlite_utils.Database) -> set[tuple[Any, ...]]:
    return set(db.execute(RECOUNT).fetchall())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("counts") / "corpus"
    write_corpus(folder, 90)
    return folder


def test_ingest_keeps_the_counts_in_commit_groups_and_triggers_after(
    corpus: Path, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "GROUP_FILES", 7)  # many groups, each counted at its commit
    ingest.ingest(db, [corpus], workers=1)
    assert counts(db) == recount(db) and db["claims"].count > 500
    assert db.execute("SELECT after_id FROM claim_counts_deferred").fetchone()[0] is None
    # A follow-up changes statuses through the follow_ups trigger: counted by the claims trigger.
    claim_id = db.execute("SELECT id FROM claims WHERE is_commitment = 1 LIMIT 1").fetchone()[0]
    followups.record_follow_up(db, claim_id, "kept", note="done")
    assert any(row[:2] == ("status", "kept") for row in counts(db)) and counts(db) == recount(db)
    assert integrity.check(db) == []
    db.execute("DELETE FROM claim_subjects WHERE claim_id = ?", [claim_id])
    db.execute("PRAGMA foreign_keys = OFF")  # nothing deletes claims today; the trigger is there if it ever does
    db.execute("DELETE FROM claims WHERE id = (SELECT max(id) FROM claims)")
    assert counts(db) == recount(db)


def test_check_reports_a_kept_count_that_is_wrong(db: sqlite_utils.Database, corpus: Path) -> None:
    ingest.ingest(db, [corpus], workers=1)
    db.execute("UPDATE claim_counts SET count = count + 1 WHERE facet = 'form' AND value = 'quote'")
    assert [p for p in integrity.check(db) if "kept count" in p] == [
        "1 × kept count (claim_counts, what Datasette shows) that differs from a recount: form quote"]


def test_a_database_made_before_the_counts_is_counted_when_opened(db_path: Path, corpus: Path) -> None:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    db.execute("DELETE FROM claim_counts")
    db.execute("PRAGMA user_version = 0")  # as if schema.sql had changed since
    db.conn.close()
    reopened = database.connect(db_path)
    assert counts(reopened) == recount(reopened) and reopened["claim_counts"].count > 10


def get(ds: Datasette, path: str) -> Any:
    async def fetch() -> Any:
        await ds.invoke_startup()
        return (await ds.client.get(path)).json()

    return asyncio.run(fetch())


def facets(data: dict[str, Any]) -> dict[str, dict[Any, int]]:
    return {name: {v["value"]: v["count"] for v in facet["results"]} for name, facet in data["facet_results"].items()}


def test_datasette_serves_the_claims_tables_counts_from_the_kept_ones(db_path: Path, corpus: Path) -> None:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    served = get(Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS), "/claims/claims.json")
    assert served["filtered_table_rows_count"] == db["claims"].count
    expected = {facet: {value: n for f, value, n in recount(db) if f == facet}
                for facet in ("speaker_id", "is_commitment", "status", "form", "subject")}  # fmt: skip
    for name, facet in (("speaker_id", "speaker_id"), ("is_commitment", "is_commitment"), ("status", "status"),
                        ("form", "form"), ("subjects", "subject")):  # fmt: skip
        top = sorted(expected[facet].items(), key=lambda item: (-item[1], item[0]))[:10]  # facet_size
        assert sorted(facets(served)[name].items(), key=lambda item: (-item[1], item[0])) == top, name
    # Read from claim_counts, not counted: a changed kept figure shows.
    db.execute("UPDATE claim_counts SET count = 12345 WHERE facet IN ('rows', 'form')")
    db.conn.close()
    served = get(Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS), "/claims/claims.json")
    assert served["filtered_table_rows_count"] == 12345 and set(facets(served)["form"].values()) == {12345}


@pytest.mark.parametrize("search", ["Ankara", "project", "talks Ankara", "ANKARA", "talks project"])
def test_a_searchs_count_is_the_number_of_claims_it_finds(db_path: Path, corpus: Path, search: str) -> None:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    served = get(Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS),
                 f"/claims/claims.json?_search={search}&_size=1")  # fmt: skip
    found = db.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?",
                       [" ".join(f'"{word}"' for word in search.split())]).fetchone()[0]  # fmt: skip
    assert served["filtered_table_rows_count"] == found > 0


def test_searches_of_the_whole_table_are_counted_from_the_full_text_index_alone() -> None:
    sql = ("select count(*) from claims where rowid in (select rowid from claims_fts "
           "where claims_fts match escape_fts(:search))")  # fmt: skip
    assert "claims_fts_vocab" in kept(sql, {"search": "Humanitarian"})[0]  # type: ignore[index]
    assert kept(sql, {"search": "Humanitarian"})[1] == {"term": "humanitarian"}  # type: ignore[index]
    for search in ("two words", "Zürich"):  # not one word of the vocabulary: counted in the index
        assert kept(sql, {"search": search}) == (
            "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH escape_fts(:search)", {"search": search})
    assert kept(sql + " and speaker_id = :p0", {"search": "word", "p0": 1}) is None
    assert kept(sql.replace("escape_fts(:search)", ":search"), {"search": "raw"}) is None
    assert kept("select count(*) from claims where speaker_id = :p0", {"p0": 1}) is None
    assert kept("select count(*) from claims", {}) is not None


def test_the_commitments_views_counts_are_the_kept_ones() -> None:
    rated = 'select count(*) from commitments where "is_rated" = :p0'
    assert "commitment_counts" in kept("select count(*) from commitments ", {})[0]  # type: ignore[index]
    assert "NOT IN" in kept(rated, {"p0": "0"})[0] and "NOT IN" not in kept(rated, {"p0": "1"})[0]  # type: ignore[index]
    assert kept(rated, {"p0": "yes"}) is None and kept(rated + ' and "speaker" = :p1', {"p0": "0", "p1": "x"}) is None


def test_a_database_without_kept_counts_is_counted_as_before(db_path: Path, corpus: Path) -> None:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    total = db["claims"].count
    for trigger in ("claim_counts_insert", "claim_counts_delete", "claim_counts_update",
                    "claim_counts_subject_insert", "claim_counts_subject_delete"):  # fmt: skip
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP TABLE claim_counts")
    db.conn.close()
    served = get(Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS), "/claims/claims.json")
    assert served["filtered_table_rows_count"] == total and sum(facets(served)["form"].values()) == total


def test_a_server_starts_with_its_catalog_read_and_its_templates_compiled(db_path: Path, corpus: Path) -> None:
    ingest.ingest(database.connect(db_path), [corpus], workers=1)
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)

    async def start() -> Any:
        await ds.invoke_startup()
        return await ds.databases["_internal"].execute("SELECT table_name FROM tables WHERE table_name = 'claims'")

    assert [tuple(row) for row in asyncio.run(start()).rows] == [("claims",)]
    compiled = {template.name for template in ds.jinja_env.cache.values()}  # type: ignore[union-attr]
    assert {"table.html", "_table.html", "row.html", "base.html"} <= compiled


# -- facets of many matches: counted among the most recently added, and labelled so ----------

SPEAKER_FACET = "SELECT speaker_id, count(*) FROM ({rows}) GROUP BY 1"
SUBJECT_FACET = "SELECT subject_id, count(*) FROM claim_subjects WHERE claim_id IN (SELECT id FROM ({rows})) GROUP BY 1"


def facet_counts(db: sqlite_utils.Database, rows: str, params: list[Any]) -> dict[str, dict[Any, int]]:
    return {"speaker_id": dict(db.execute(SPEAKER_FACET.format(rows=rows), params).fetchall()),
            "subjects": dict(db.execute(SUBJECT_FACET.format(rows=rows), params).fetchall())}  # fmt: skip


def served_counts(served: dict[str, Any]) -> dict[str, dict[Any, int]]:
    return {name: facet for name, facet in facets(served).items() if name in ("speaker_id", "subjects")}


@pytest.fixture
def served_db(db_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> sqlite_utils.Database:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    monkeypatch.setattr(plugin, "FACET_SAMPLE", 40)
    return db


MATCHES = "SELECT * FROM claims WHERE id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)"
SPEAKER = "SELECT * FROM claims WHERE speaker_id = ?"


@pytest.mark.parametrize(("path", "rows", "params"), [
    ("/claims/claims.json?_search=project&_facet_size=max", MATCHES, ['"project"']),
    ("/claims/claims.json?_search=talks+project&_facet_size=max", MATCHES, ['"talks" "project"']),
    ("/claims/claims.json?speaker_id=2&_facet_size=max", SPEAKER, [2]),
    ("/claims/claims.json?_search=project&speaker_id=2&_facet_size=max", MATCHES + " AND speaker_id = ?", ['"project"', 2]),
])  # fmt: skip
def test_facets_of_many_rows_count_the_most_recently_added_and_say_so(
    served_db: sqlite_utils.Database, path: str, rows: str, params: list[Any]
) -> None:
    ds = Datasette([str(served_db.conn.execute("PRAGMA database_list").fetchone()[2])],
                   metadata=load_metadata(), settings=SETTINGS)  # fmt: skip
    served = get(ds, path)
    total = served_db.execute(f"SELECT count(*) FROM ({rows})", params).fetchone()[0]
    assert served["filtered_table_rows_count"] == total > 40
    newest = f"{rows} ORDER BY id DESC LIMIT 40"
    assert served_counts(served) == facet_counts(served_db, newest, params)
    assert {facet["sample"]["counted"] for facet in served["facet_results"].values()} == {40}
    assert {facet["sample"]["of"] for facet in served["facet_results"].values()} == {total}
    exact = get(ds, path + "&_count_all=1")
    assert served_counts(exact) == facet_counts(served_db, rows, params)
    assert not any(facet.get("sample") for facet in exact["facet_results"].values())


def test_facets_are_exact_below_the_sample_and_for_the_whole_table(served_db: sqlite_utils.Database) -> None:
    ds = Datasette([str(served_db.conn.execute("PRAGMA database_list").fetchone()[2])],
                   metadata=load_metadata(), settings=SETTINGS)  # fmt: skip
    rare = served_db.execute("SELECT speaker_id FROM claims GROUP BY 1 HAVING count(*) < 40 LIMIT 1").fetchone()[0]
    for path, rows, params in (("/claims/claims.json?_facet_size=max", "SELECT * FROM claims", []),
                               (f"/claims/claims.json?speaker_id={rare}&_facet_size=max", SPEAKER, [rare])):  # fmt: skip
        served = get(ds, path)
        assert served_counts(served) == facet_counts(served_db, rows, params)
        assert not any(facet.get("sample") for facet in served["facet_results"].values())


def test_the_page_says_what_its_facets_count(served_db: sqlite_utils.Database) -> None:
    ds = Datasette([str(served_db.conn.execute("PRAGMA database_list").fetchone()[2])],
                   metadata=load_metadata(), settings=SETTINGS)  # fmt: skip
    total = served_db.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'project'").fetchone()[0]

    async def page(path: str) -> str:
        await ds.invoke_startup()
        return (await ds.client.get(path)).text  # type: ignore[no-any-return]

    text = asyncio.run(page("/claims/claims?_search=project"))
    assert (f'<p class="facet-sample">Facets count the 40 most recently added of the {total:,} claims found. '
            f'<a href="/claims/claims?_search=project&amp;_count_all=1">Count all {total:,}</a></p>') in text  # fmt: skip
    assert "facet-sample" not in asyncio.run(page("/claims/claims?_search=project&_count_all=1"))
