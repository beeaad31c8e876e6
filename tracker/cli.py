"""The `tracker` command: a thin layer over tracker.db, tracker.extract and tracker.serve."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console, Group
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from tracker import db as database
from tracker import followups, queries, statements, transfer
from tracker import ingest as ingesting
from tracker import reextract as reextracting
from tracker.articles import DEFAULT_MAX_BYTES, decode_utf8
from tracker.errors import TrackerError
from tracker.extract import DEFAULT_REVIEW_DAYS
from tracker.web import is_url

app = typer.Typer(
    help="Turn readouts of officials' statements into a sourced, queryable claims database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Nothing printed is ever read as console markup or highlighted: claim text, titles, names and
# file names come from articles, and "[/]" or "[bold red]" in them must print as written.
out = Console(soft_wrap=True, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)

DbOption = Annotated[
    Path, typer.Option("--db", help="SQLite database file.", show_default=True)
]
DEFAULT_DB = Path("claims.db")


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    claimreview = "claimreview"


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Reference date, YYYY-MM-DD (default: today).")
]
ListFormatOption = Annotated[
    ListFormat,
    typer.Option("--format", help="table: one block per claim, for reading; jsonl or csv: the export's columns."),
]


DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Publication date of the web pages, YYYY-MM-DD (overrides what a page says)."),
]


def parse_date_option(flag: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{flag}: {value!r} is not a date (YYYY-MM-DD)")


def fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


_opened: list[Path] = []  # the database this command opened, to name it in SQLite errors


def open_db(path: Path, must_exist: bool = True) -> Any:
    try:
        connection = database.connect(path, must_exist=must_exist)
    except TrackerError as error:
        fail(str(error))
    _opened.append(path)
    return connection


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Article .txt or saved .html files, directories of them, or article URLs.")
    ],
    db: DbOption = DEFAULT_DB,
    review_days: Annotated[
        int, typer.Option(min=1, help="Days after publication to review a claim with no deadline.")
    ] = DEFAULT_REVIEW_DAYS,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Reject article files larger than this.")
    ] = DEFAULT_MAX_BYTES,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Extraction processes (default: one per CPU for 64+ new files)."),
    ] = None,
    published: DateOption = None,
) -> None:
    """Extract claims from articles into the database; already-ingested files are skipped.

    Each file is written in its own transaction: all its claims or none. Files that cannot be
    read are reported and the rest are still ingested; the exit code is 1 if any file was
    rejected. An article in which nothing is attributed to anyone is stored with a warning.

    Example:

        tracker ingest seeds/ --db claims.db
        tracker ingest saved-page.html https://example.org/news/article.html --date 2025-06-12
    """
    conn = open_db(db, must_exist=False)
    latest = ingesting.IngestReport()  # what the progress callback last saw: files written so far
    options = {"review_days": review_days, "max_bytes": max_bytes, "workers": workers,
               "published": parse_date_option("--date", published)}  # fmt: skip
    try:
        if err.is_terminal:  # a bar for people watching; logs and pipes get the summary only
            report = ingest_with_bar(conn, paths, latest, options)
        else:
            report = ingesting.ingest(conn, paths, progress=lambda _, seen: _remember(latest, seen), **options)
    except TrackerError as error:
        fail(str(error))
    except KeyboardInterrupt:
        err.print(
            f"Interrupted: {latest.files} files ingested ({latest.claims} claims) and committed before "
            "it; run the same command to ingest the rest"
        )
        raise typer.Exit(130) from None
    for name, reason in report.rejected:
        err.print(f"Error: {name}: {reason}")
    for name in report.without_claims:
        err.print(f"Warning: {name}: no attributed statements")
    err.print(
        f"{report.files} files ingested ({report.claims} claims), "
        f"{report.skipped} skipped (already present), {len(report.rejected)} rejected",
    )
    if report.rejected:
        raise typer.Exit(1)


def _remember(latest: ingesting.IngestReport, seen: ingesting.IngestReport) -> None:
    latest.files, latest.claims = seen.files, seen.claims


class FilesPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} files/s")


def ingest_with_bar(
    conn: Any, paths: list[str], latest: ingesting.IngestReport, options: dict[str, Any]
) -> ingesting.IngestReport:
    """database.ingest under a progress bar on standard error: files done of all, claims so
    far, files per second and the time left. The files are counted first (a directory walk)."""
    files = [p for p in paths if not is_url(p)]
    total = sum(1 for _ in ingesting.find_articles(files, ingesting.IngestReport())) + len(paths) - len(files)
    columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TextColumn("{task.fields[claims]:,} claims"), FilesPerSecond(), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=total, claims=0)

        def advance(path: Path, seen: ingesting.IngestReport) -> None:
            _remember(latest, seen)
            bar.update(task, advance=1, claims=seen.claims)

        return ingesting.ingest(conn, paths, progress=advance, **options)


@app.command()
def fetch(
    targets: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs and article URLs.")],
    db: DbOption = DEFAULT_DB,
    since: Annotated[
        str | None, typer.Option("--since", help="Skip feed entries published before this date, YYYY-MM-DD.")
    ] = None,
    archive: Annotated[
        Path, typer.Option("--archive", help="Folder to keep each article's original HTML in.")
    ] = Path("archive"),
    review_days: Annotated[
        int, typer.Option(min=1, help="Days after publication to review a claim with no deadline.")
    ] = DEFAULT_REVIEW_DAYS,
    delay: Annotated[float, typer.Option(min=0, help="Seconds between two requests to one host.")] = 2.0,
    timeout: Annotated[float, typer.Option(min=0.001, help="Seconds to wait for a server.")] = 20.0,
    retries: Annotated[int, typer.Option(min=0, help="Further tries after a 429, 5xx or network error.")] = 3,
    max_bytes: Annotated[int, typer.Option(min=1, help="Largest page or feed downloaded.")] = DEFAULT_MAX_BYTES,
    user_agent: Annotated[
        str | None, typer.Option("--user-agent", help="User-Agent to send (say how to reach you).")
    ] = None,
) -> None:
    """Follow outlets: read feeds and article URLs, download each new or changed article, keep
    the original under --archive and ingest it. Unchanged articles change nothing; an edited
    one becomes a new version of its source. Each failure is one line; the run goes on, and
    the exit code is 1 if any article failed.

    Example:

        tracker fetch https://www.state.gov/rss-feed/press-releases/feed/ --since 2025-06-01
    """
    from tracker import follow  # the HTTP and feed libraries: loaded for this command only
    from tracker.fetch import Fetcher, Politeness

    start = parse_date_option("--since", since)
    conn = open_db(db, must_exist=False)
    polite = Politeness(delay=delay, timeout=timeout, retries=retries, max_bytes=max_bytes)
    if user_agent:
        polite.user_agent = user_agent
    fetcher = Fetcher(polite)
    options = follow.Options(archive=archive, since=start, review_days=review_days, max_bytes=max_bytes)
    try:
        report = follow.follow(conn.conn, targets, fetcher, options, announce=_announce)
    except TrackerError as error:
        fail(str(error))
    except KeyboardInterrupt:  # each article is stored in its own transaction: none is half-written
        err.print("Interrupted: the articles listed above are stored; run the same command for the rest")
        raise typer.Exit(130) from None
    finally:
        fetcher.close()
    for name in report.without_claims:
        err.print(f"Warning: {name}: no attributed statements")
    err.print(
        f"{report.new} new, {report.updated} updated ({report.claims} claims), "
        f"{report.unchanged} unchanged, {len(report.failed)} failed"
    )
    if report.failed:
        raise typer.Exit(1)


def _announce(location: str, line: str) -> None:
    (err if line.startswith("Error: ") else out).print(line)


@app.command()
def claims(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Speaker name contains this.")] = None,
    subject: Annotated[
        str | None, typer.Option(help="Claims about this subject (its whole name, in any case).")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search in claim text.")] = None,
    commitments: Annotated[bool, typer.Option("--commitments", help="Only commitments.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Show at most this many.")] = None,
    format: ListFormatOption = ListFormat.table,
) -> None:
    """List claims, oldest article first: one block per claim to read, or jsonl/csv.

    Example:

        tracker claims --subject Iran --commitments
    """
    conn = open_db(db)
    try:
        rows = queries.query_claims(conn, speaker, subject, search, commitments, limit)
    except TrackerError as error:
        fail(str(error))
    print_listing(rows, format, None, "claims")


@app.command()
def show(
    claim_id: Annotated[int, typer.Argument(help="The claim's id.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.text,
) -> None:
    """Show one claim with its provenance, subjects and follow-up history.

    Example:

        tracker show 7 --format json
    """
    conn = open_db(db)
    try:
        claim = queries.get_claim(conn, claim_id)
    except TrackerError as error:
        fail(str(error))
    if format is ShowFormat.json:
        typer.echo(json.dumps(claim, ensure_ascii=False, indent=2))
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    fields = [
        ("claim", claim["text"]), ("speaker", _person(claim["speaker"], claim["speaker_role"])),
        ("attributed to", claim["attributed_to"] or ""),
        ("subjects", ", ".join(f"{n} ({k})" for n, k in claim["subject_kinds"].items())),
        ("commitment", "yes" if claim["is_commitment"] else "no"),
        ("deadline", f"{claim['deadline'] or '—'}  {claim['deadline_text'] or ''}".rstrip()),
        ("follow-up due", claim["follow_up_due"]), ("status", claim["status"] or "—"),
        ("source", f"{claim['source_title']} ({claim['source_file']})"),
        ("published", claim["published_at"]), ("url", claim["source_url"] or ""),
        ("position", f"line {claim['line']}, characters {claim['char_start']}–{claim['char_end']}"),
        ("quote", claim["quote"]), ("claim key", claim["claim_key"]),
    ]  # fmt: skip
    for name, value in fields:
        table.add_row(name, str(value))
    for entry in claim["history"]:
        evidence = " ".join(entry["evidence"])
        table.add_row("follow-up", f"{entry['checked_on']} {entry['status']} {entry['note'] or ''} {evidence}")
    out.print(table)


def _person(name: str, role: str | None) -> str:
    return f"{name} ({role})" if role else name


EXPORT_KEYS = [
    "id", "claim_key", "text", "speaker", "speaker_role", "attributed_to", "attributed_to_role",
    "subjects",
    "is_commitment", "deadline", "deadline_text", "follow_up_due", "status", "last_checked",
    "source_file", "source_title", "source_url", "source_sha256", "published_at", "line",
    "char_start", "char_end", "quote", "retracted_at", "retraction_reason", "form", "speaker_kind",
    "statement_id", "appearances",
]  # fmt: skip


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="jsonl: one claim per line; csv: a table; claimreview: schema.org ClaimReview "
            "JSON-LD for rated commitments.",
        ),
    ] = ExportFormat.jsonl,
) -> None:
    """Print every claim to standard output, with names, subjects and provenance.

    Example:

        tracker export --format jsonl > claims.jsonl
    """
    conn = open_db(db)
    if format is ExportFormat.claimreview:
        typer.echo(json.dumps(followups.claim_reviews(conn), ensure_ascii=False, indent=2))
        return
    rows = transfer.iter_export(conn)
    if format is ExportFormat.jsonl:
        write_jsonl(rows, EXPORT_KEYS + ["subject_kinds", "history", "source"])
        return
    write_csv(rows)


def write_csv(rows: Any) -> None:
    """The export's columns (subjects joined with "; "), as `tracker export --format csv`."""
    writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_KEYS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**{k: row.get(k) for k in EXPORT_KEYS}, "subjects": "; ".join(row["subjects"])})


def write_jsonl(rows: Any, keys: list[str] = EXPORT_KEYS) -> None:
    for row in rows:
        line = {k: row[k] for k in keys if k in row}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def as_of_date(value: str | None) -> date:
    try:
        return followups.parse_date(value, "--as-of") if value else date.today()
    except TrackerError as error:
        fail(str(error))


@app.command("follow-up")
def follow_up(
    claim_id: Annotated[int, typer.Argument(help="The commitment's claim id.")],
    status: Annotated[
        str, typer.Option("--status", help=f"One of: {', '.join(followups.STATUSES)}.")
    ],
    evidence: Annotated[
        list[str] | None, typer.Option("--evidence", help="Evidence URL; repeat for several.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What the evidence shows.")] = None,
    checked_on: Annotated[
        str | None, typer.Option("--checked-on", help="Date checked, YYYY-MM-DD (default: today).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who checked.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record a follow-up on a commitment; its status becomes the claim's current status.

    Follow-ups are append-only: to correct one, record another. A final rating (kept,
    compromise, broken) needs at least one --evidence URL or a --note.

    Example:

        tracker follow-up 8 --status kept --evidence https://example.org/talks --checked-on 2025-06-30
    """
    conn = open_db(db)
    try:
        checked = followups.parse_date(checked_on, "--checked-on") if checked_on else None
        follow_up_id = followups.record_follow_up(
            conn, claim_id, status, evidence=evidence, note=note, checked_on=checked, checked_by=by
        )
    except TrackerError as error:
        fail(str(error))
    err.print(f"follow-up {follow_up_id}: claim {claim_id} is now {status}")


statement_app = typer.Typer(help="Correct how claims are grouped into statements.", no_args_is_help=True)
app.add_typer(statement_app, name="statement")


@statement_app.command("split")
def statement_split(
    claim_id: Annotated[int, typer.Argument(help="The claim to take out of its statement.")],
    note: Annotated[str | None, typer.Option("--note", help="Why (kept in statement_log).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Take a claim out of its statement into a statement of its own; logged in statement_log.

    Example:

        tracker statement split 20 --note "a different round of talks"
    """
    conn = open_db(db)
    try:
        with database.transaction(conn.conn):
            new = statements.split(conn.conn, claim_id, note)
    except TrackerError as error:
        fail(str(error))
    err.print(f"claim {claim_id} is now statement {new}")


@statement_app.command("merge")
def statement_merge(
    into: Annotated[int, typer.Argument(help="The statement to keep.")],
    other: Annotated[int, typer.Argument(help="The statement whose appearances move into it.")],
    note: Annotated[str | None, typer.Option("--note", help="Why (kept in statement_log).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Make two statements of one speaker one: every appearance of OTHER joins INTO; logged.

    Example:

        tracker statement merge 4 14 --note "the same call, reworded by a mirror"
    """
    conn = open_db(db)
    try:
        with database.transaction(conn.conn):
            moved = statements.merge(conn.conn, into, other, note)
    except TrackerError as error:
        fail(str(error))
    err.print(f"{moved} claims of statement {other} joined statement {into}")


def print_listing(rows: list[dict[str, Any]], format: ListFormat, title: str | None, noun: str) -> None:
    """`claims`, `due` and `overdue`: blocks to read in any terminal width, or the export's
    columns as jsonl or csv; the count goes to standard error."""
    if format is ListFormat.jsonl:
        write_jsonl(rows)
    elif format is ListFormat.csv:
        write_csv(rows)
    else:
        if title:
            out.print(Text(title, style="bold"))
        out.print(claim_blocks(rows))
    err.print(f"{len(rows)} {noun}")


def claim_blocks(rows: list[dict[str, Any]]) -> Table:
    """Each claim as a block beside its id: the text whole and wrapped, then who said it and
    when, the commitment's dates and status, and its subjects. A table of many columns left the
    text a few words wide in an 80-column terminal."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for number, row in enumerate(rows):
        said = [_person(row["speaker"], row["speaker_role"]), str(row["published_at"])[:10]]
        if row["attributed_to"]:
            said.append(f"reporting {row['attributed_to']}")
        lines = [Text(row["text"]), Text(" · ".join(said), style="dim")]
        if row["is_commitment"]:
            due = [f"commitment, {row['status']}", f"follow-up due {row['follow_up_due']}"]
            if row["deadline"] or row["deadline_text"]:
                phrase = f" ({row['deadline_text']})" if row["deadline_text"] else ""
                due.insert(1, f"deadline {row['deadline'] or '—'}{phrase}")
            lines.append(Text(" · ".join(due), style="dim"))
        if row["subjects"]:
            lines.append(Text("about " + ", ".join(row["subjects"]), style="dim"))
        if number:
            grid.add_row("", "")
        grid.add_row(str(row["id"]), Group(*lines))
    return grid


@app.command()
def due(
    db: DbOption = DEFAULT_DB,
    as_of: AsOfOption = None,
    within: Annotated[
        int, typer.Option("--within", min=0, help="Days ahead of --as-of to include.")
    ] = followups.DEFAULT_DUE_WITHIN_DAYS,
    format: ListFormatOption = ListFormat.table,
) -> None:
    """Open commitments falling due between --as-of and --within days later.

    Example:

        tracker due --as-of 2025-06-15 --within 14 --format jsonl
    """
    day = as_of_date(as_of)
    rows = followups.due(open_db(db), day, within)
    print_listing(rows, format, f"Due {day} to {day + timedelta(days=within)}", "commitments")


@app.command()
def overdue(
    db: DbOption = DEFAULT_DB, as_of: AsOfOption = None, format: ListFormatOption = ListFormat.table
) -> None:
    """Open commitments (no final rating) whose follow-up date is before --as-of.

    Example:

        tracker overdue --as-of 2025-07-01
    """
    day = as_of_date(as_of)
    print_listing(followups.overdue(open_db(db), day), format, f"Overdue as of {day}", "commitments")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="A `tracker export --format jsonl` file, or - for standard input.")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Load claims exported with `tracker export --format jsonl`, with sources and follow-ups.

    A claim already present (same claim_key) is skipped; ids already used here are replaced, so
    another database's export merges in whole. Every line is validated before anything is
    written, and each source is imported in its own transaction.

    Example:

        tracker export --db old.db > claims.jsonl && tracker import claims.jsonl --db new.db
    """
    name = "standard input" if str(file) == "-" else str(file)
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        lines = decode_utf8(data, name).splitlines()
    except OSError as error:
        fail(f"{name}: cannot read ({error.strerror or error})")
    except TrackerError as error:
        fail(str(error))
    conn = open_db(db, must_exist=False)
    try:
        imported, skipped = transfer.import_claims(conn, transfer.parse_lines(lines, name), name)
    except TrackerError as error:
        fail(str(error))
    err.print(f"{imported} claims imported, {skipped} skipped (already present)")


@app.command()
def check(db: DbOption = DEFAULT_DB) -> None:
    """Verify the database: integrity, foreign keys, full-text index, quotes against sources.

    Exits 1 and lists each problem if anything is wrong.

    Example:

        tracker check --db claims.db
    """
    from tracker.integrity import check as run_checks

    conn = open_db(db)
    problems = run_checks(conn)
    for problem in problems:
        err.print(f"Error: {problem}")
    if problems:
        raise typer.Exit(1)
    counts = conn.execute("SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM claims)").fetchone()
    err.print(f"ok: {counts[0]} sources and {counts[1]} claims check out")


@app.command()
def reextract(
    db: DbOption = DEFAULT_DB,
    review_days: Annotated[
        int, typer.Option(min=1, help="Days after publication to review a claim with no deadline.")
    ] = DEFAULT_REVIEW_DAYS,
) -> None:
    """Re-run extraction over the stored raw sources, after the extractor has improved.

    Claims keep their identity (claim_key) and their follow-ups; a claim no longer extracted is
    marked retracted with a reason, never deleted.

    Example:

        tracker reextract --db claims.db
    """
    conn = open_db(db)
    try:
        report = reextracting.reextract(conn, review_days=review_days)
    except TrackerError as error:
        fail(str(error))
    err.print(
        f"{report.sources} sources re-extracted: {report.added} claims added, {report.updated} "
        f"updated, {report.retracted} retracted, {report.restored} restored, "
        f"{report.unchanged} unchanged",
    )


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold annotations, one JSON object per line.")],
    articles: Annotated[list[Path], typer.Argument(help="Article files or directories.")],
    format: Annotated[ListFormat, typer.Option("--format", help="table or jsonl.")] = ListFormat.table,
    fail_under: Annotated[
        float | None, typer.Option("--fail-under", min=0, max=1, help="Exit 1 if any score is below this.")
    ] = None,
) -> None:
    """Score extraction against gold annotations and list every miss.

    Gold lines have source_file, text, speaker, is_commitment and deadline. Claims match gold by
    fuzzy text similarity; speaker, commitment and deadline are scored on matched claims, and so
    are speaker_role, attributed_to, deadline_text and subjects (F1) when gold lines have them.

    Example:

        tracker evaluate tests/fixtures/gold.jsonl tests/fixtures/articles/
    """
    from tracker.evaluate import evaluate as run_evaluation

    report = ingesting.IngestReport()
    files = list(ingesting.find_articles(articles, report))
    for name, reason in report.rejected:
        fail(f"{name}: {reason}")
    try:
        score = run_evaluation(gold, files)
    except TrackerError as error:
        fail(str(error))
    figures = score.figures()
    if format is ListFormat.jsonl:
        typer.echo(json.dumps({**figures, "gold": score.gold, "extracted": score.extracted,
                               "matched": score.matched, "misses": score.misses}))  # fmt: skip
    else:
        table = Table(title=f"{len(files)} articles, {score.gold} gold claims, {score.extracted} extracted")
        table.add_column("measure")
        table.add_column("score", justify="right")
        for name, value in figures.items():
            table.add_row(name.replace("_", " "), f"{value:.3f}")
        out.print(table)
        for miss in score.misses:
            out.print(f"miss: {miss}")
    if fail_under is not None and min(score.held_to_threshold().values()) < fail_under:
        raise typer.Exit(1)


@app.command("evaluate-grouping")
def evaluate_grouping(
    labelled: Annotated[Path, typer.Argument(help="Claims with gold groups, one JSON object per line.")],
    window_days: Annotated[int, typer.Option("--window-days", min=1, help="Days a statement stays open.")] = 14,
    format: Annotated[ListFormat, typer.Option("--format", help="table or jsonl.")] = ListFormat.table,
    fail_under: Annotated[
        float | None, typer.Option("--fail-under", min=0, max=1, help="Exit 1 if either score is below this.")
    ] = None,
) -> None:
    """Score how claims are grouped into statements: pairwise precision and recall, every miss.

    Lines have id, speaker, published_at, text and group (claims of one group report one
    statement).

    Example:

        tracker evaluate-grouping tests/fixtures/grouping/claims.jsonl
    """
    from tracker.grouping import evaluate_grouping as run_grouping

    if not labelled.is_file():
        fail(f"{labelled}: no such file")
    try:
        score = run_grouping(labelled, window_days)
    except TrackerError as error:
        fail(str(error))
    figures = {"precision": score.precision, "recall": score.recall}
    if format is ListFormat.jsonl:
        typer.echo(json.dumps({**figures, "pairs_predicted": score.pairs_predicted, "pairs_gold": score.pairs_gold,
                               "pairs_both": score.pairs_both, "misses": score.misses}))  # fmt: skip
    else:
        for name, value in figures.items():
            out.print(f"{name}: {value:.3f}")
        for miss in score.misses:
            out.print(f"miss: {miss}")
    if fail_under is not None and min(figures.values()) < fail_under:
        raise typer.Exit(1)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8001,
    host: Annotated[
        str, typer.Option(help="Interface to bind; the default serves this machine only.")
    ] = "127.0.0.1",
) -> None:
    """Browse the database with Datasette (read-only), configured by metadata.yml.

    Example:

        tracker serve --db claims.db --port 8001
    """
    from tracker.serve import serve as run_datasette

    try:
        run_datasette(db, host=host, port=port)
    except TrackerError as error:
        fail(str(error))


def main() -> None:
    """The console script: SQLite failures mid-command (a read-only file, a full disk) become one
    line, like every other error. Each file's transaction has already been rolled back."""
    try:
        app()
    except sqlite3.Error as error:
        where = f"{_opened[-1]}: " if _opened else ""
        typer.echo(f"Error: {where}{error}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
