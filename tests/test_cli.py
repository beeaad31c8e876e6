from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlite_utils
from typer.testing import CliRunner

from tracker.cli import EXPORT_KEYS, app

from .conftest import ARTICLES, SEED, SEEDS

runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture
def cli_db(db_path: Path) -> Path:
    result = run("ingest", SEEDS, "--db", db_path)
    assert result.exit_code == 0, result.output
    return db_path


def test_ingest_summary_and_idempotence(db_path: Path) -> None:
    first = run("ingest", SEEDS, ARTICLES, "--db", db_path)
    assert first.exit_code == 0, first.output
    assert first.stderr.strip().startswith("13 files ingested (")
    assert first.stderr.strip().endswith("0 skipped (already present), 0 rejected")
    second = run("ingest", SEEDS, "--db", db_path)
    assert second.stderr.strip() == "0 files ingested (0 claims), 1 skipped (already present), 0 rejected"


def test_claims_table(cli_db: Path) -> None:
    result = run("claims", "--db", cli_db, "--commitments")
    assert result.exit_code == 0
    assert "Yuri Ushakov" in result.stdout and "2025-06-22" in result.stdout
    assert result.stderr.strip() == "2 claims"
    searched = run("claims", "--db", cli_db, "--search", "birthday", "--subject", "donald trump")
    assert searched.stderr.strip() == "1 claims"
    assert run("claims", "--db", cli_db, "--search", "birthday", "--subject", "Trump").stderr.strip() == "0 claims"


def test_show_text_and_json(cli_db: Path) -> None:
    export = [json.loads(line) for line in run("export", "--db", cli_db).stdout.splitlines()]
    june = next(r for r in export if "after June 22" in r["text"])
    as_json = json.loads(run("show", june["id"], "--db", cli_db, "--format", "json").stdout)
    assert as_json["deadline"] == "2025-06-22" and as_json["status"] == "not-yet-rated"
    assert as_json["history"] == []
    assert as_json["subject_kinds"]["Ukraine"] == "country"
    text = run("show", june["id"], "--db", cli_db).stdout
    assert "Yuri Ushakov (Putin's aide)" in text and "after June 22" in text


def test_export_jsonl_has_the_agreed_keys_and_exact_quotes(cli_db: Path) -> None:
    result = run("export", "--db", cli_db, "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 12
    raw = SEED.read_text(encoding="utf-8")
    assert list(rows[0]) == [*EXPORT_KEYS, "subject_kinds", "history", "source"]
    assert rows[0]["source"]["raw_text"] == SEED.read_text(encoding="utf-8")
    for row in rows[1:]:
        assert list(row) == [*EXPORT_KEYS, "subject_kinds", "history"]  # the source travels once
    for row in rows:
        assert row["source_file"] == SEED.name
        assert raw[row["char_start"] : row["char_end"]] == row["quote"]
        assert row["subjects"] and len(set(row["subjects"])) == len(row["subjects"])  # no repeats
        assert sorted(row["subjects"]) == sorted(row["subject_kinds"])  # the same subjects, with kinds
        assert row["is_commitment"] is (row["status"] == "not-yet-rated")  # a bool, matching the status
        # the deadline, or publication (2025-06-14) plus the default 30 review days
        assert row["follow_up_due"] == (row["deadline"] or "2025-07-14")
    june = next(r for r in rows if "after June 22" in r["text"])
    assert {k: june[k] for k in ("speaker", "speaker_role", "is_commitment", "deadline", "deadline_text",
                                 "follow_up_due", "status", "subjects", "published_at")} == {
        "speaker": "Yuri Ushakov", "speaker_role": "Putin's aide", "is_commitment": True,
        "deadline": "2025-06-22", "deadline_text": "after June 22", "follow_up_due": "2025-06-22",
        "status": "not-yet-rated", "subjects": june["subjects"], "published_at": "2025-06-14T16:05:00+00:00",
    }  # fmt: skip
    assert {"Russia", "Ukraine"} <= set(june["subjects"])


def test_export_csv(cli_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", cli_db, "--format", "csv").stdout)))
    assert len(rows) == 12 and list(rows[0]) == EXPORT_KEYS
    assert rows[0]["text"] == "The conversation lasted for about an hour"
    assert rows[2]["subjects"] == "Middle East"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["show", "999999"], "Error: claim 999999: no such claim"),
        (["show", "7", "--db", "{tmp}/absent.db"], "Error: {tmp}/absent.db: no such database (run `tracker ingest` first)"),
        (["claims", "--db", "{tmp}/absent.db"], "Error: {tmp}/absent.db: no such database (run `tracker ingest` first)"),
        (["export", "--db", "{tmp}/absent.db"], "Error: {tmp}/absent.db: no such database (run `tracker ingest` first)"),
        (["claims", "--search", "  "], "Error: --search: give at least one word"),
    ],
)
def test_one_line_errors(cli_db: Path, tmp_path: Path, args: list[str], error: str) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    if "--db" not in args:
        args += ["--db", str(cli_db)]
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == error.format(tmp=tmp_path)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "file is empty"),
        ("Putin Holds Talks\nSomeone said:\nA claim.\n", "no ' date YYYY-MM-DD' header on line 1"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file (contains NUL bytes)"),
        (" date 2025-06-14 World\nT\n".encode("utf-16"), "UTF-16 text; convert it to UTF-8"),
    ],
)
def test_bad_files_give_one_line_error_and_exit_1(db_path: Path, article_file, content, reason: str) -> None:
    path = article_file(content, "bad.txt")
    result = run("ingest", path, SEED, "--db", db_path)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"Error: {path}: {reason}", "1 files ingested (12 claims), 0 skipped (already present), 1 rejected"]
    assert "Traceback" not in result.output


def test_missing_path(db_path: Path, tmp_path: Path) -> None:
    result = run("ingest", tmp_path / "nope.txt", "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: {tmp_path / 'nope.txt'}: no such file or directory"


def test_database_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "claims.db"
    bogus.write_text("hello" * 1000)
    result = run("ingest", SEEDS, "--db", bogus)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {bogus}: cannot use as a claims database (file is not a database)"


def test_usage_error_exits_2(cli_db: Path) -> None:
    result = run("show", "not-a-number", "--db", cli_db)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


MARKUP = ["[/]", "[bold red]x[/bold red]", "[link=http://evil.example]y[/link]"]
HOSTILE_ARTICLE = """ date 2025-06-14 International
Putin Holds Talks [/] [bold red]x[/bold red]
Putin Holds Talks [/] [bold red]x[/bold red]

16:05 GMT 14.06.2025
Kremlin aide Yuri Ushakov told journalists about the call.
Ushakov also revealed that:
Russia will resume negotiations with Ukraine [/] after June 22.
The sides discussed [bold red]x[/bold red] and regional security.
Russia is ready to hold new consultations [/] [bold red]x[/bold red] within a week.
"""


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A database whose article text, title, speaker and follow-up carry console markup."""
    db_path = tmp_path / "hostile.db"
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    assert run("ingest", article, "--db", db_path).exit_code == 0
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE people SET name = 'Yuri [/]Ushakov [bold red]x[/bold red]', role = '[/]aide'")
    conn.commit()
    conn.close()
    claims = [json.loads(line) for line in run("export", "--db", db_path).stdout.splitlines()]
    assert len(claims) == 3 and all(c["is_commitment"] for c in claims[::2])
    result = run("follow-up", claims[0]["id"], "--db", db_path, "--status", "stalled", "--checked-on",
                 "2025-06-20", "--note", "[/] note [bold red]x[/bold red]", "--by", "[/]desk")
    assert result.exit_code == 0, result.output
    return db_path


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["claims"], ["Russia will resume negotiations with Ukraine [/] after June 22.",
                      "The sides discussed [bold red]x[/bold red] and regional security.",
                      "Yuri [/]Ushakov [bold red]x[/bold red]"]),
        (["overdue", "--as-of", "2025-07-01"], ["Russia will resume negotiations with Ukraine [/] after June 22.",
                                                "[/] [bold red]x[/bold red] within a week."]),
        (["due", "--as-of", "2025-06-15", "--within", "30"], ["Ukraine [/] after June 22.",
                                                              "Yuri [/]Ushakov [bold red]x[/bold red]"]),
        (["show", "1"], ["Russia will resume negotiations with Ukraine [/] after June 22.",
                         "Putin Holds Talks [/] [bold red]x[/bold red] (hostile.txt)",
                         "Yuri [/]Ushakov [bold red]x[/bold red] ([/]aide)",
                         "2025-06-20 stalled [/] note [bold red]x[/bold red]"]),
    ],
)
def test_article_text_is_never_console_markup(hostile_db: Path, command: list[str], expected: list[str]) -> None:
    result = run(*command, "--db", hostile_db)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stdout.replace("\n", " ") or text in result.stdout, text


def test_markup_in_file_names_and_evaluation_misses_is_printed_as_is(tmp_path: Path) -> None:
    article = tmp_path / "[bold]hostile.txt"
    article.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    empty = tmp_path / "[red]empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("ingest", article, empty, "--db", tmp_path / "c.db")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == f"Error: {empty}: file is empty"
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"source_file": "other.txt", "text": "x", "speaker": "y", "is_commitment": False,
                                "deadline": None}) + "\n", encoding="utf-8")
    evaluated = run("evaluate", gold, article)
    assert "Traceback" not in evaluated.output
    assert f"miss: {article.name}: extra claim: 'The sides discussed [bold red]x[/bold red] and regional security.'" in evaluated.stdout


def test_evaluate_names_a_utf16_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"source_file": "a.txt", "text": "x", "speaker": "y", "is_commitment": false, "deadline": null}\n',
                    encoding="utf-16")  # fmt: skip
    result = run("evaluate", gold, SEED)
    assert (result.exit_code, result.stderr.strip()) == (1, f"Error: {gold}: UTF-16 text; convert it to UTF-8")


def test_article_with_no_statements_is_stored_with_a_warning_and_exit_0(db_path: Path, article_file) -> None:
    path = article_file(" date 2025-06-14 World\nT\nT\n\n10:00 GMT 14.06.2025\nNo one is quoted here.\n", "quiet.txt")
    result = run("ingest", path, SEED, "--db", db_path)
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        f"Warning: {path}: no attributed statements",
        "2 files ingested (12 claims), 0 skipped (already present), 0 rejected",
    ]
    db = sqlite_utils.Database(db_path)
    assert [r["file_name"] for r in db["sources"].rows] == ["quiet.txt", SEED.name]


def test_review_days_sets_follow_up_due_of_claims_without_a_deadline(tmp_path: Path) -> None:
    def due_dates(review_days: str | None) -> dict[str, tuple[str | None, str]]:
        db = tmp_path / f"review-{review_days}.db"
        args = ["--review-days", review_days] if review_days else []
        assert run("ingest", SEEDS, "--db", db, *args).exit_code == 0
        rows = [json.loads(line) for line in run("export", "--db", db).stdout.splitlines()]
        return {r["text"]: (r["deadline"], r["follow_up_due"]) for r in rows}

    default, sixty = due_dates(None), due_dates("60")
    assert default.keys() == sixty.keys()
    for text, (deadline, due) in sixty.items():
        if deadline:  # a stated deadline is the follow-up date whatever the review period
            assert due == deadline == default[text][1], text
        else:  # published 2025-06-14: + 30 days by default, + 60 with --review-days 60
            assert (default[text][1], due) == ("2025-07-14", "2025-08-13"), text
    assert sum(1 for deadline, _ in sixty.values() if deadline) >= 1
    assert sum(1 for deadline, _ in sixty.values() if not deadline) >= 5
    assert run("ingest", SEEDS, "--db", tmp_path / "x.db", "--review-days", "0").exit_code == 2


def test_workers_extract_in_processes_with_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker import ingest as ingesting

    used: list[int] = []
    extracted = ingesting._extracted

    def spy(jobs, workers: int):  # type: ignore[no-untyped-def]
        used.append(workers)
        return extracted(jobs, workers)

    monkeypatch.setattr(ingesting, "_extracted", spy)
    tables = {}
    for workers in ("1", "2"):
        db = tmp_path / f"workers-{workers}.db"
        result = run("ingest", ARTICLES, SEEDS, "--db", db, "--workers", workers)
        assert result.exit_code == 0, result.output
        conn = sqlite_utils.Database(db)
        tables[workers] = (list(conn.query("SELECT * FROM claims ORDER BY id")),
                           list(conn.query("SELECT * FROM claim_subjects ORDER BY claim_id, subject_id")),
                           list(conn.query("SELECT id, file_name, sha256, title FROM sources ORDER BY id")))  # fmt: skip
    assert used == [1, 2]
    assert tables["1"] == tables["2"] and len(tables["1"][0]) > 100


def test_host_and_port_reach_datasette(cli_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datasette import cli as datasette_cli

    from tracker import serve

    calls: list[list[str]] = []
    monkeypatch.setattr(datasette_cli.cli, "main", lambda args, **kwargs: calls.append(args))
    monkeypatch.setattr(serve, "calm_garbage_collector", lambda: None)
    assert run("serve", "--db", cli_db, "--host", "0.0.0.0", "--port", "9123").exit_code == 0
    assert run("serve", "--db", cli_db).exit_code == 0
    (served, default) = calls
    assert served[:2] == ["serve", str(cli_db)] and default[:2] == ["serve", str(cli_db)]
    assert served[served.index("--host") + 1] == "0.0.0.0" and served[served.index("--port") + 1] == "9123"
    assert default[default.index("--host") + 1] == "127.0.0.1" and default[default.index("--port") + 1] == "8001"


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "command",
    [["claims"], ["claims", "--commitments"], ["claims", "--subject", "iran"], ["overdue", "--as-of", "2025-07-01"],
     ["due", "--as-of", "2025-06-15", "--within", "60"]],
)
def test_listings_read_in_80_columns(cli_db: Path, command: list[str]) -> None:
    """Each claim whole, in reading order, with its speaker and dates; no line over 80 columns."""
    listed = [json.loads(line) for line in run(*command, "--db", cli_db, "--format", "jsonl").stdout.splitlines()]
    assert listed
    for columns in ("80", "60"):
        result = runner.invoke(app, [*command, "--db", str(cli_db), "--format", "table"], env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)
        flat = squeeze(result.stdout)
        positions = [flat.index(squeeze(row["text"])) for row in listed]  # each text in one piece
        assert positions == sorted(positions)  # in the listing's order
        for row in listed:
            block = flat[flat.index(squeeze(row["text"])):]
            assert row["speaker"] in block
            assert not row["is_commitment"] or (row["follow_up_due"] in block and row["status"] in block)
            assert not row["deadline"] or row["deadline"] in block


@pytest.mark.parametrize("command", [["claims"], ["overdue", "--as-of", "2025-07-01"], ["due", "--as-of", "2025-06-15"]])
def test_listings_as_csv_have_the_exports_columns(cli_db: Path, command: list[str]) -> None:
    listed = [json.loads(line) for line in run(*command, "--db", cli_db, "--format", "jsonl").stdout.splitlines()]
    assert listed and all(list(row) == EXPORT_KEYS for row in listed)
    rows = list(csv.DictReader(io.StringIO(run(*command, "--db", cli_db, "--format", "csv").stdout)))
    exported = {r["id"]: r for r in csv.DictReader(io.StringIO(run("export", "--db", cli_db, "--format", "csv").stdout))}
    assert [r["id"] for r in rows] == [str(r["id"]) for r in listed]
    assert list(rows[0]) == EXPORT_KEYS and all(row == exported[row["id"]] for row in rows)
