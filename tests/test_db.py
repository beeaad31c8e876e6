from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from tracker import db as database
from tracker import ingest as ingesting
from tracker import integrity, queries
from tracker import reextract as reextracting

from .conftest import ARTICLES, SEED, SEEDS


def test_schema_shape(db: sqlite_utils.Database) -> None:
    assert set(db.table_names()) >= {
        "sources", "people", "subjects", "claims", "claim_subjects", "follow_ups", "claims_fts",
    }
    assert "claim_details" in db.view_names()
    fks = {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys}
    assert fks == {("source_id", "sources"), ("speaker_id", "people"), ("attributed_to_id", "people"),
                   ("statement_id", "statements")}
    assert {fk.other_table for fk in db["claim_subjects"].foreign_keys} == {"claims", "subjects"}
    assert db["claims"].detect_fts() == "claims_fts"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    indexed = {i.name: tuple(i.columns) for i in db["claims"].indexes}
    assert {("speaker_id",), ("source_id",), ("status",), ("is_commitment", "retracted_at")} <= set(indexed.values())
    # dates are indexed for open commitments only (partial indexes)
    assert indexed["idx_open_commitments_deadline"] == ("deadline",)
    assert indexed["idx_open_commitments_due"] == ("follow_up_due",)
    assert not {"idx_claims_deadline", "idx_claims_follow_up_due"} & set(indexed)


def test_every_foreign_key_is_indexed_in_its_table(db: sqlite_utils.Database) -> None:
    """Inserting a parent row while deferred violations are outstanding (a claim and its statement
    name each other) makes SQLite look for the parent's children: without an index on the child
    column, a scan of the whole child table per row. statement_numbers had none, and the limit
    writer of the benchmark slowed quadratically (20,000 articles: 1,283 s instead of ~10 s)."""
    conn = db.conn
    unindexed = []
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]  # fmt: skip
    for table in tables:
        leading = {conn.execute(f"PRAGMA index_info('{index}')").fetchone()[2]
                   for (_, index, *_rest) in conn.execute(f"PRAGMA index_list('{table}')")}  # fmt: skip
        primary = [row[1] for row in conn.execute(f"PRAGMA table_info('{table}')") if row[5] == 1]
        leading |= set(primary)  # an INTEGER PRIMARY KEY is the rowid: indexed without an index
        unindexed += [f"{table}.{row[3]}" for row in conn.execute(f"PRAGMA foreign_key_list('{table}')")
                      if row[3] not in leading]  # fmt: skip
    assert unindexed == []


def test_schema_change_retires_old_indexes(db_path: Path) -> None:
    db = database.connect(db_path)
    db.execute("CREATE INDEX idx_claims_follow_up_due ON claims(follow_up_due)")
    db.execute("PRAGMA user_version = 1")  # as written by an earlier schema.sql
    db.conn.close()
    db = database.connect(db_path)
    assert "idx_claims_follow_up_due" not in {i.name for i in db["claims"].indexes}


def test_ensure_schema_is_idempotent(db_path: Path) -> None:
    database.connect(db_path)
    db = database.connect(db_path)
    db.conn.executescript(database.resource("schema.sql").read_text())
    assert db["claims"].count == 0


def test_ingest_seed_writes_source_and_claims(seeded: sqlite_utils.Database) -> None:
    (source,) = list(seeded["sources"].rows)
    assert source["file_name"] == SEED.name
    assert source["raw_text"] == SEED.read_text(encoding="utf-8")
    assert source["sha256"] == ingesting.sha256_bytes(SEED.read_bytes())
    assert source["published_at"] == "2025-06-14T16:05:00+00:00"
    assert seeded["claims"].count == 12
    assert [r["name"] for r in seeded["people"].rows_where(order_by="name")] == [
        "Vladimir Putin", "Yuri Ushakov",
    ]
    for claim in seeded["claims"].rows:
        linked = [
            r["name"] for r in seeded.query(
                "SELECT subjects.name FROM claim_subjects JOIN subjects ON subjects.id = subject_id "
                "WHERE claim_id = ?", [claim["id"]])
        ]  # fmt: skip
        assert sorted(linked) == sorted(json.loads(claim["subjects"]))
        assert source["raw_text"][claim["char_start"] : claim["char_end"]] == claim["quote"]


def test_reingest_changes_nothing(seeded: sqlite_utils.Database) -> None:
    before = list(seeded.query("SELECT * FROM claim_details ORDER BY id"))
    report = ingesting.ingest(seeded, [SEEDS, SEED])
    assert report.files == 0 and report.skipped == 2
    assert list(seeded.query("SELECT * FROM claim_details ORDER BY id")) == before


def test_claim_keys_are_the_same_in_any_database(tmp_path: Path, seeded: sqlite_utils.Database) -> None:
    other = database.connect(tmp_path / "other.db")
    ingesting.ingest(other, [ARTICLES, SEED])  # different order, different ids
    keys = {r["claim_key"]: r["text"] for r in seeded["claims"].rows}
    other_keys = {r["claim_key"]: r["text"] for r in other["claims"].rows}
    assert keys.items() <= other_keys.items()


def test_failure_mid_file_leaves_nothing_behind(db: sqlite_utils.Database, monkeypatch) -> None:
    def explode(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(ingesting, "upsert_subjects", explode)
    with pytest.raises(sqlite3.OperationalError):
        ingesting.ingest(db, [SEED])
    assert db["sources"].count == 0 and db["claims"].count == 0 and db["people"].count == 0
    monkeypatch.undo()
    assert ingesting.ingest(db, [SEED]).claims == 12


def test_failure_in_one_file_keeps_the_files_finished_before_it(db: sqlite_utils.Database, monkeypatch) -> None:
    files = sorted(ARTICLES.glob("*.txt"))[:4]
    calls = []
    upsert = ingesting.upsert_subjects

    def explode_on_third(*args: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        upsert(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ingesting, "upsert_subjects", explode_on_third)
    with pytest.raises(sqlite3.OperationalError):
        ingesting.ingest(db, files)
    assert [r["file_name"] for r in db["sources"].rows] == [f.name for f in files[:2]]
    assert integrity.check(db) == []  # searchable, linked, whole
    monkeypatch.undo()
    report = ingesting.ingest(db, files)
    assert (report.files, report.skipped) == (2, 2) and integrity.check(db) == []


def test_ingest_inside_a_callers_transaction_leaves_the_commit_to_the_caller(db: sqlite_utils.Database) -> None:
    ingesting.ingest(db, [SEED])
    db.conn.execute("BEGIN")
    ingesting.ingest(db, sorted(ARTICLES.glob("*.txt"))[:3])
    assert db.conn.in_transaction  # still the caller's
    db.conn.execute("COMMIT")
    assert db["sources"].count == 4 and integrity.check(db) == []  # every claim indexed once


def test_foreign_keys_are_enforced(seeded: sqlite_utils.Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        seeded.execute("INSERT INTO claim_subjects (claim_id, subject_id) VALUES (999, 999)")


def test_fts_stays_in_sync(seeded: sqlite_utils.Database) -> None:
    hits = queries.query_claims(seeded, search="Iranian")
    assert len(hits) == 2 and all("Iranian" in h["text"] for h in hits)
    assert queries.query_claims(seeded, search='"birthday') [0]["text"].startswith("Putin congratulated")


def test_query_filters(seeded: sqlite_utils.Database) -> None:
    assert len(queries.query_claims(seeded, commitments=True)) == 2
    assert len(queries.query_claims(seeded, speaker="ushakov")) == 12
    assert queries.query_claims(seeded, speaker="Zakharova") == []
    israel = queries.query_claims(seeded, subject="Israel")
    assert [r["text"][:30] for r in israel] == ["Putin informed Trump about his"]


def test_subject_filter_matches_a_whole_name_in_any_case(seeded: sqlite_utils.Database) -> None:
    def ids(subject: str) -> list[int]:
        return [r["id"] for r in queries.query_claims(seeded, subject=subject)]

    about_iran = [r["id"] for r in seeded.query(
        "SELECT claims.id FROM claims JOIN sources ON sources.id = source_id, json_each(claims.subjects)"
        " WHERE json_each.value = 'Iran' ORDER BY published_at, claims.id")]  # fmt: skip
    assert about_iran and ids("Iran") == ids("iran") == ids("IRAN") == about_iran
    assert ids("Ira") == [] and ids("Iranian") == []  # no longer a part of "Iranian nuclear program"
    assert ids("iranian nuclear program") == ids("Iranian nuclear program") != []


def test_ingest_reports_bad_files_and_keeps_going(tmp_path: Path, db: sqlite_utils.Database, article_file) -> None:
    empty = article_file("", "empty.txt")
    no_date = article_file("Title\nBody\n", "nodate.txt")
    (tmp_path / "nothing").mkdir()
    report = ingesting.ingest(db, [empty, no_date, SEED, tmp_path / "missing.txt", tmp_path / "nothing"])
    assert (report.files, report.claims) == (1, 12)
    assert sorted(report.rejected) == sorted([
        (str(empty), "file is empty"),
        (str(no_date), "no ' date YYYY-MM-DD' header on line 1"),
        (str(tmp_path / "missing.txt"), "no such file or directory"),
        (str(tmp_path / "nothing"), "directory has no .txt or .html files"),
    ])


def test_oversized_file_is_rejected(db: sqlite_utils.Database) -> None:
    report = ingesting.ingest(db, [SEED], max_bytes=100)
    assert report.rejected[0][1].endswith("over the 100-byte limit")
    assert db["sources"].count == 0


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(database.TrackerError, match="cannot use as a claims database"):
        database.connect(bogus)


def many_names_article(count: int, per_line: int = 20) -> str:
    """A readout whose list names `count` distinct capitalised names (each becomes a subject)."""
    letters = "abcdefghijklmnopqrstuvwxyz"

    def name(n: int) -> str:
        return "".join(letters[n // 26**k % 26] for k in range(4)).capitalize() + "ov"

    names = [name(n) for n in range(count)]
    items = ["Putin discussed cooperation with " + ", ".join(names[i : i + per_line]) + "."
             for i in range(0, count, per_line)]  # fmt: skip
    return "\n".join([" date 2025-06-14 International", "Talks", "Talks", "", "16:05 GMT 14.06.2025",
                      "Kremlin aide Yuri Ushakov told journalists about the call.",
                      "Ushakov also revealed that:", *items]) + "\n"  # fmt: skip


LIMIT = 500  # parameters per statement the code may use


def test_no_statement_takes_more_than_500_parameters(tmp_path: Path, db: sqlite_utils.Database, article_file) -> None:
    """A file naming 3,000 people (the same goes for 260,000 against SQLite's real limit), then
    more files in the same batch; then re-extraction and duplicate checks over it."""
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
    crafted = article_file(many_names_article(3000), "a_crafted.txt")
    report = ingesting.ingest(db, [crafted, SEED, *sorted(ARTICLES.glob("*.txt"))[:2]])
    assert report.rejected == [] and report.files == 4
    assert db["subjects"].count > 3000
    crafted_claims = db.execute("SELECT count(*) FROM claims WHERE source_id = 1").fetchone()[0]
    assert crafted_claims == 150
    many = [f"{n:064x}" for n in range(2000)] + [ingesting.sha256_bytes(SEED.read_bytes())]
    assert ingesting._known_hashes(db.conn, many) == {ingesting.sha256_bytes(SEED.read_bytes())}
    reextracted = reextracting.reextract(db)
    assert reextracted.sources == 4 and reextracted.retracted == 0
    assert integrity.check(db) == []


def test_reextract_retracts_among_many_claims(db: sqlite_utils.Database, article_file, monkeypatch) -> None:
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
    ingesting.ingest(db, [article_file(many_names_article(20_000, per_line=10), "crafted.txt")])
    assert db["claims"].count == 2000
    extract = reextracting.extract_claims
    monkeypatch.setattr(reextracting, "extract_claims", lambda *args: extract(*args)[1:])  # an extractor that drops one
    report = reextracting.reextract(db)
    assert (report.added, report.retracted, report.unchanged) == (0, 1, 1999)
    assert db.execute("SELECT line FROM claims WHERE retracted_at IS NOT NULL").fetchall() == [(8,)]
    assert integrity.check(db) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_reports_progress_once_per_file(db: sqlite_utils.Database, article_file, workers: int) -> None:
    ingesting.ingest(db, [SEED])
    bad = article_file("", "empty.txt")
    files = [SEED, *sorted(ARTICLES.glob("*.txt")), bad]  # one already in, twelve new, one rejected
    calls: list[tuple[Path, int, int, int, int]] = []

    def progress(path: Path, report: ingesting.IngestReport) -> None:
        calls.append((Path(path), report.files, report.claims, report.skipped, len(report.rejected)))

    report = ingesting.ingest(db, files, workers=workers, progress=progress)
    assert sorted(c[0] for c in calls) == sorted(files)
    for done, (_, ingested, _, skipped, rejected) in enumerate(calls, start=1):
        assert ingested + skipped + rejected == done  # each call follows the file it reports
    assert calls[-1][1:] == (report.files, report.claims, report.skipped, len(report.rejected)) == (12, report.claims, 1, 1)
    assert [c[2] for c in calls] == sorted(c[2] for c in calls) and report.claims > 100


@pytest.mark.parametrize(
    "where",
    [
        '"is_commitment" = :p0 and "status" = :p1',  # the promise meter's link to a rating's commitments
        ('"is_commitment" = :p0 and "retracted_at" is null and "status" not in (:p1, :p2, :p3)'
         ' and "follow_up_due" < :p4'),  # its link to the overdue ones
    ],
)
def test_the_site_s_commitment_links_read_an_index_in_follow_up_order(db: sqlite_utils.Database, where: str) -> None:
    """Datasette binds a filter's values as parameters, so the partial indexes on open commitments
    (literal `is_commitment = 1`) cannot serve the claims table filtered and sorted by follow-up
    date: at 841,052 claims those pages sorted 400,000 rows (210-220 ms a view). An index whose
    condition a comparison on `status` implies serves them in order."""
    params = {"p0": "1", "p1": "kept", "p2": "compromise", "p3": "broken", "p4": "2025-06-01"}
    for sql in (f"select id from claims where {where} order by follow_up_due, id limit 51",
                f"select count(*) from claims where {where}"):  # fmt: skip
        plan = " / ".join(row[3] for row in db.execute(f"explain query plan {sql}", params))
        assert "COVERING INDEX idx_commitments_by_due" in plan and "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_the_statements_table_reads_its_sort_and_facet_from_indexes(db: sqlite_utils.Database) -> None:
    """metadata.yml sorts statements by last_seen and facets them by appearances: without an index
    each first view read all 864,000 statements at a million claims (0.11 s and 0.2 s)."""
    for sql, index in (("select id from statements order by last_seen desc limit 51", "idx_statements_last_seen"),
                       ("select appearances, count(*) from statements group by appearances", "idx_statements_appearances")):  # fmt: skip
        plan = " / ".join(row[3] for row in db.execute(f"explain query plan {sql}"))
        assert index in plan and "TEMP B-TREE" not in plan, plan
