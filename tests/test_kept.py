"""Figures the database keeps for pages (tracker/kept.py, schema.sql: commitment_counts,
claim_days, speaker_subjects): equal to a count of the claims after every kind of write, checked
by `tracker check`, counted in a database made before them."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette
from typer.testing import CliRunner

from benchmarks.corpus import write_corpus
from tracker import db as database
from tracker import followups, ingest, integrity, reextract, statements
from tracker.cli import app
from tracker.datasette_plugin import charts, figures, pages
from tracker.errors import TrackerError
from tracker.kept import FIGURES
from tracker.models import STATUSES
from tracker.serve import SETTINGS, load_metadata

PAGE_FIGURES = ("commitment_counts", "claim_days", "speaker_subjects")
EVIDENCE = ["https://example.org/evidence"]


def counted(db: sqlite_utils.Database) -> dict[str, set[tuple[Any, ...]]]:
    """Each figure counted here from the claims, another way than tracker/kept.py: `listed` is
    whether the `commitments` view lists the claim."""
    listed = {row[0] for row in db.execute("SELECT id FROM commitments")}
    day = dict(db.execute("SELECT id, substr(published_at, 1, 10) FROM sources").fetchall())
    commitments: Counter[tuple[Any, ...]] = Counter()
    days: Counter[tuple[Any, ...]] = Counter()
    for claim_id, speaker, source, commitment, status, due in db.execute(
        "SELECT id, speaker_id, source_id, is_commitment, status, follow_up_due FROM claims WHERE retracted_at IS NULL"
    ):
        days[speaker, day[source]] += 1
        if commitment:
            commitments[speaker, due, status or "", int(claim_id in listed)] += 1
    subjects = Counter(db.execute(
        """SELECT claims.speaker_id, claim_subjects.subject_id FROM claim_subjects
           JOIN claims ON claims.id = claim_subjects.claim_id WHERE claims.retracted_at IS NULL""").fetchall())  # fmt: skip
    return {table: {(*key, n) for key, n in figure.items()} for table, figure in
            zip(PAGE_FIGURES, (commitments, days, subjects))}  # fmt: skip


def kept_figures(db: sqlite_utils.Database) -> dict[str, set[tuple[Any, ...]]]:
    return {table: set(db.execute(f"SELECT * FROM {table} WHERE count != 0").fetchall()) for table in PAGE_FIGURES}


def assert_kept(db: sqlite_utils.Database) -> None:
    assert kept_figures(db) == counted(db)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kept") / "corpus"
    write_corpus(folder, 90)
    return folder


@pytest.fixture
def ingested(db: sqlite_utils.Database, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> sqlite_utils.Database:
    monkeypatch.setattr(ingest, "GROUP_FILES", 7)  # many groups, each counted at its commit
    ingest.ingest(db, [corpus], workers=1)
    return db


def commitment(db: sqlite_utils.Database, joined: bool = False) -> int:
    """A commitment; when `joined`, the representative of a statement with several appearances."""
    many = "AND id IN (SELECT claim_id FROM statements WHERE appearances > 1)" if joined else ""
    return db.execute(f"SELECT min(id) FROM claims WHERE is_commitment = 1 {many}").fetchone()[0]  # type: ignore[no-any-return]


def test_ingest_counts_each_commit_group(ingested: sqlite_utils.Database) -> None:
    figures = kept_figures(ingested)
    assert all(figures.values()) and figures == counted(ingested)
    assert {row[3] for row in figures["commitment_counts"]} == {0, 1}  # reposts are not listed
    assert ingested.execute("SELECT after_id FROM claim_counts_deferred").fetchone()[0] is None
    assert integrity.check(ingested) == []


def test_follow_ups_statements_and_deletions_move_the_figures(ingested: sqlite_utils.Database) -> None:
    db = ingested
    today = date(2026, 12, 31)
    for status, claim_id in (("kept", commitment(db, joined=True)), ("broken", commitment(db)),
                             ("in-the-works", commitment(db))):  # fmt: skip
        followups.record_follow_up(db, claim_id, status, evidence=EVIDENCE, today=today, checked_on=today)
        assert_kept(db)
    joined = commitment(db, joined=True)
    statement = db.execute("SELECT statement_id FROM claims WHERE id = ?", [joined]).fetchone()[0]
    assert db.execute("SELECT claim_id FROM statements WHERE id = ?", [statement]).fetchone()[0] == joined
    own = statements.split(db.conn, joined)  # the representative leaves: another appearance stands for it
    assert_kept(db)
    statements.merge(db.conn, statement, own)
    assert_kept(db)
    db.execute("UPDATE sources SET published_at = '2023-01-05T10:00:00+00:00' WHERE id = 3")  # an edited article
    db.execute("DELETE FROM claim_subjects WHERE claim_id IN (SELECT id FROM claims WHERE source_id = 4)")
    assert_kept(db)
    db.execute("PRAGMA foreign_keys = OFF")  # nothing deletes claims today; the triggers are there if it ever does
    db.execute("DELETE FROM claims WHERE id IN (SELECT id FROM claims WHERE source_id = 5 LIMIT 2)")
    db.execute("DELETE FROM claims WHERE id = ?", [joined])
    assert_kept(db)


def test_retraction_and_restoring_move_the_figures(ingested: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    original = reextract.extract_claims

    def changed_extractor(article: Any, review_days: int = 30) -> list[Any]:
        claims = original(article, review_days)  # one claim in three dropped, some reclassified
        return [dataclasses.replace(c, is_commitment=False, status=None) if i % 5 == 1 and c.is_commitment else c
                for i, c in enumerate(claims) if i % 3 != 2]  # fmt: skip

    monkeypatch.setattr(reextract, "extract_claims", changed_extractor)
    report = reextract.reextract(ingested)
    assert report.retracted > 50 and report.updated > 10
    assert_kept(ingested)
    monkeypatch.setattr(reextract, "extract_claims", original)
    assert reextract.reextract(ingested).restored == report.retracted
    assert_kept(ingested)
    assert integrity.check(ingested) == []


def test_import_keeps_the_figures(ingested: sqlite_utils.Database, db_path: Path, tmp_path: Path) -> None:
    followups.record_follow_up(ingested, commitment(ingested), "stalled", checked_on=date(2026, 12, 1),
                               today=date(2026, 12, 31))  # fmt: skip
    export = tmp_path / "claims.jsonl"
    export.write_text(CliRunner().invoke(app, ["export", "--db", str(db_path)]).stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    assert CliRunner().invoke(app, ["import", str(export), "--db", str(other)]).exit_code == 0
    imported = database.connect(other)
    assert_kept(imported)
    assert kept_figures(imported)["commitment_counts"] == kept_figures(ingested)["commitment_counts"]
    assert integrity.check(imported) == []


def test_check_reports_a_wrong_figure(ingested: sqlite_utils.Database) -> None:
    speaker, day = ingested.execute("SELECT speaker_id, day FROM claim_days ORDER BY 1, 2 LIMIT 1").fetchone()
    ingested.execute("UPDATE claim_days SET count = count + 2 WHERE speaker_id = ? AND day = ?", [speaker, day])
    subjects = ingested.execute("DELETE FROM speaker_subjects WHERE speaker_id = ? AND count > 0", [speaker]).rowcount
    dates = ingested.execute("UPDATE commitment_counts SET count = count - 1 WHERE speaker_id = ? AND count > 0",
                             [speaker]).rowcount  # fmt: skip
    problems = [p for p in integrity.check(ingested) if "kept count" in p]
    assert problems[1] == (f"1 × kept count (claim_days, claims on the home page, dashboard and speaker pages) "
                           f"that differs from a recount: {speaker} {day}")  # fmt: skip
    assert problems[0].startswith(f"{dates} × kept count (commitment_counts, commitments on the home page")
    assert problems[2].startswith(f"{subjects} × kept count (speaker_subjects, a speaker's subjects) that differs")
    assert len(problems) == 3 and subjects > 1 and dates > 1


def test_a_database_made_before_the_figures_counts_them_when_opened(db_path: Path, corpus: Path) -> None:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    before = counted(db)
    for table in PAGE_FIGURES:
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 0")  # as if schema.sql had changed since
    db.conn.close()
    reopened = database.connect(db_path)
    assert kept_figures(reopened) == before and all(before.values())
    assert integrity.check(reopened) == []


def test_a_migration_that_fails_changes_nothing(db_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database.connect(db_path)
    ingest.ingest(db, [corpus], workers=1)
    db.execute("DROP TABLE claim_days")
    db.execute("PRAGMA user_version = 0")
    db.conn.close()
    broken = dataclasses.replace(next(f for f in FIGURES if f.table == "claim_days"), count="SELECT nothing")
    monkeypatch.setattr("tracker.kept.FIGURES", (broken,))
    with pytest.raises(TrackerError, match="cannot use as a claims database"):
        database.connect(db_path)
    conn = sqlite3.connect(db_path)
    assert "claim_days" not in {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0


# -- what pages show: the same as counting the claims, as they did before -------------------

FINAL = "'kept', 'compromise', 'broken'"
COLUMNS = """claims.id, claims.text, claims.is_commitment, claims.status, claims.deadline,
    claims.deadline_text, claims.follow_up_due, claims.retracted_at, claims.source_id,
    sources.title AS source_title, sources.published_at"""
# The queries pages ran over the claims before the figures were kept.
COUNTED = {
    "home": f"""SELECT (SELECT count(*) FROM claims WHERE retracted_at IS NULL) AS claims,
        (SELECT count(*) FROM claims WHERE is_commitment = 1 AND retracted_at IS NULL) AS commitments,
        (SELECT count(*) FROM claims WHERE is_commitment = 1 AND retracted_at IS NULL
         AND status NOT IN ({FINAL}) AND follow_up_due < :today) AS overdue""",
    "speaker totals": f"""SELECT count(*) AS claims, coalesce(sum(is_commitment), 0) AS commitments,
        {", ".join(f"coalesce(sum(status = '{s}'), 0) AS [{s}]" for s in STATUSES)},
        coalesce(sum(is_commitment = 1 AND status NOT IN ({FINAL}) AND follow_up_due < :today), 0) AS overdue
        FROM claims WHERE speaker_id = :id AND retracted_at IS NULL""",
    "open commitments": f"""SELECT {COLUMNS} FROM claims JOIN sources ON sources.id = claims.source_id
        WHERE claims.speaker_id = :id AND claims.is_commitment = 1 AND claims.retracted_at IS NULL
        AND claims.status NOT IN ({FINAL}) ORDER BY claims.follow_up_due, claims.id LIMIT :wanted""",
    "recent claims": f"""SELECT {COLUMNS} FROM claims JOIN sources ON sources.id = claims.source_id
        WHERE claims.speaker_id = :id AND claims.retracted_at IS NULL
        ORDER BY sources.published_at DESC, claims.id DESC LIMIT :wanted""",
    "speaker subjects": """SELECT subjects.id, subjects.name, count(*) AS count FROM claims
        JOIN claim_subjects ON claim_subjects.claim_id = claims.id JOIN subjects ON subjects.id = claim_subjects.subject_id
        WHERE claims.speaker_id = :id AND claims.retracted_at IS NULL
        GROUP BY subjects.id ORDER BY count DESC, subjects.name LIMIT :limit""",
    "dashboard commitments": f"""SELECT speaker_id, substr(follow_up_due, 1, 7) AS month, status, count(*) AS n,
        coalesce(sum(status NOT IN ({FINAL}) AND follow_up_due < :today), 0) AS overdue
        FROM claims WHERE is_commitment = 1 AND retracted_at IS NULL GROUP BY speaker_id, month, status""",
    "dashboard weeks": """SELECT date(substr(sources.published_at, 1, 10), '-6 days', 'weekday 1') AS week,
        claims.speaker_id, count(*) AS n FROM sources JOIN claims ON claims.source_id = sources.id
        WHERE sources.published_at >= :since AND claims.retracted_at IS NULL GROUP BY week, claims.speaker_id""",
    "dashboard subjects": """SELECT subjects.id, subjects.name, subjects.kind, counts.n
        FROM (SELECT subject_id, count(*) AS n FROM claim_subjects GROUP BY subject_id
              ORDER BY n DESC, subject_id LIMIT :limit) AS counts
        JOIN subjects ON subjects.id = counts.subject_id ORDER BY counts.n DESC, subjects.name""",
}  # fmt: skip
COUNTED["scorecard"] = """SELECT speaker, count(*) AS commitments, sum(status = 'not-yet-rated') AS not_yet_rated,
    sum(status = 'in-the-works') AS in_the_works, sum(status = 'stalled') AS stalled, sum(status = 'kept') AS kept,
    sum(status = 'compromise') AS compromise, sum(status = 'broken') AS broken,
    sum(NOT is_rated AND follow_up_due < date('now')) AS overdue,
    round(1.0 * sum(status = 'kept') / nullif(sum(is_rated), 0), 3) AS kept_rate
    FROM commitments GROUP BY speaker ORDER BY speaker"""  # the view before it read the kept figures
KEPT = {"scorecard": "SELECT * FROM scorecard ORDER BY speaker", "home": figures.HOME, "speaker totals": figures.SPEAKER_TOTALS, "speaker subjects": figures.SPEAKER_SUBJECTS,
        "dashboard commitments": figures.DASHBOARD_COMMITMENTS, "dashboard weeks": figures.DASHBOARD_WEEKS,
        "dashboard subjects": figures.DASHBOARD_SUBJECTS}  # fmt: skip
DAYS = ("2024-03-01", "2025-06-02", "2027-01-01")  # "today"s; claims run 2024-01 to 2026-10


def days(db: sqlite_utils.Database) -> list[str]:
    """DAYS, and days on which some open commitment falls due and some article was published."""
    due, published = db.execute(
        """SELECT (SELECT follow_up_due FROM claims WHERE is_commitment = 1 AND status = 'not-yet-rated'
                   AND retracted_at IS NULL ORDER BY id LIMIT 1 OFFSET 40),
                  (SELECT substr(published_at, 1, 10) FROM sources ORDER BY id LIMIT 1 OFFSET 40)""").fetchone()  # fmt: skip
    return [*DAYS, due, published]


@pytest.fixture
def varied(ingested: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch) -> sqlite_utils.Database:
    """Every status, retracted claims, a statement split: what the figures must follow."""
    db, today = ingested, date(2026, 12, 31)
    original = reextract.extract_claims
    monkeypatch.setattr(reextract, "extract_claims", lambda article, days=30: original(article, days)[1:])
    reextract.reextract(db)
    assert db.execute("SELECT count(*) FROM claims WHERE retracted_at IS NOT NULL").fetchone()[0] > 50
    ids = [r[0] for r in db.execute("SELECT claim_id FROM statements JOIN claims ON claims.id = claim_id "
                                    "WHERE is_commitment = 1 ORDER BY claim_id LIMIT 30")]  # fmt: skip
    for claim_id, status in zip(ids, [s for s in STATUSES if s != "not-yet-rated"] * 6):
        followups.record_follow_up(db, claim_id, status, evidence=EVIDENCE, today=today, checked_on=today)
    statements.split(db.conn, commitment(db, joined=True))
    return db


def each(db: sqlite_utils.Database, name: str, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = [tuple(row) for row in db.execute(sql, params)]
    return sorted(rows, key=repr) if name.startswith("dashboard") else rows  # the dashboard's are sets


@pytest.mark.parametrize("name", KEPT)
def test_each_figure_is_what_counting_the_claims_gave(varied: sqlite_utils.Database, name: str) -> None:
    speakers = [row[0] for row in varied.execute("SELECT DISTINCT speaker_id FROM claims")]
    for today in days(varied):
        for speaker in speakers if name.startswith("speaker") else [None]:
            params = {"today": today, "id": speaker, "since": today, "limit": 10}
            assert each(varied, name, KEPT[name], params) == each(varied, name, COUNTED[name], params), (today, speaker)


@pytest.mark.parametrize("name", ["open commitments", "recent claims"])
def test_a_speakers_lists_are_the_same_either_way_they_are_read(varied: sqlite_utils.Database, name: str) -> None:
    ways = {"open commitments": (figures.OPEN_BY_DATE, figures.OPEN_BY_SPEAKER),
            "recent claims": (figures.RECENT_BY_DATE, figures.RECENT_BY_SPEAKER)}[name]  # fmt: skip
    listed = 0
    for speaker, wanted in varied.execute("SELECT DISTINCT speaker_id, 3 + speaker_id % 3 * 25 FROM claims").fetchall():
        params = {"id": speaker, "wanted": wanted}
        counted = each(varied, name, COUNTED[name], params)
        assert all(each(varied, name, sql, params) == counted for sql in ways), speaker
        listed += len(counted)
    assert listed > 100


def run(ds: Datasette, work: Any) -> Any:
    async def started() -> Any:
        await ds.invoke_startup()
        return await work()

    return asyncio.run(started())


def test_pages_read_the_kept_figures(varied: sqlite_utils.Database, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "today", lambda: date(2025, 6, 1))
    speaker = varied.execute("SELECT speaker_id FROM claims ORDER BY id DESC LIMIT 1").fetchone()[0]
    counted = dict(zip(("claims", "commitments", "overdue"), varied.execute(COUNTED["home"], {"today": "2025-06-01"}).fetchone()))
    varied.execute("""INSERT INTO commitment_counts VALUES (?, '2025-01-01', 'stalled', 1, 1000)
                      ON CONFLICT DO UPDATE SET count = count + 1000""", [speaker])  # fmt: skip
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    home = run(ds, lambda: pages.home(ds, "claims"))
    assert (home["claims"], home["commitments"], home["overdue"]) == \
        (counted["claims"], counted["commitments"] + 1000, counted["overdue"] + 1000)  # fmt: skip
    totals = run(ds, lambda: pages.speaker_figures(ds.get_database("claims"), speaker, date(2025, 6, 1)))["totals"]
    assert totals["stalled"] >= 1000 and totals["overdue"] >= 1000
    served = run(ds, lambda: ds.client.get("/claims/commitments.json?_size=1")).json()
    assert served["filtered_table_rows_count"] == varied.execute("SELECT count(*) FROM commitments").fetchone()[0] + 1000


def test_a_database_without_the_figures_is_served_the_same_counted(varied: sqlite_utils.Database, db_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Made before them and served read-only before any command added them: counted on demand."""
    monkeypatch.setattr(pages, "today", lambda: date(2025, 6, 1))
    speaker = varied.execute("SELECT speaker_id FROM claims ORDER BY id DESC LIMIT 1").fetchone()[0]
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    kept_pages = run(ds, lambda: shown(ds, speaker))
    for name, in varied.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        varied.execute(f"DROP TRIGGER {name}")
    for table in (*PAGE_FIGURES, "claim_counts"):
        varied.execute(f"DROP TABLE {table}")
    varied.conn.close()
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    assert run(ds, lambda: shown(ds, speaker)) == kept_pages


async def shown(ds: Datasette, speaker: int) -> dict[str, Any]:
    """The figures of the home page, the dashboard, a speaker's page and `commitments`."""
    db = ds.get_database("claims")
    commitments = await ds.client.get("/claims/commitments.json?_size=1")
    return {"home": {k: v for k, v in (await pages.home(ds, "claims")).items() if k in ("claims", "commitments", "overdue")},
            "dashboard": await charts.dashboard_data(db, date(2025, 6, 1)),
            "speaker": await pages.speaker_figures(db, speaker, date(2025, 6, 1)),
            "commitments": commitments.json()["filtered_table_rows_count"]}  # fmt: skip
