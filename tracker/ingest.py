"""Ingesting articles: read and hash files, extract claims in worker processes, write each file
all-or-nothing in commit groups, and group new claims into statements."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from tracker import kept
from tracker.articles import DEFAULT_MAX_BYTES, Article, parse_article, read_article, sha256_bytes
from tracker.db import chunks, ids_by_name, now, refresh_statistics, transaction
from tracker.errors import TrackerError
from tracker.extract import DEFAULT_REVIEW_DAYS, ExtractedClaim, extract_claims
from tracker.identity import linked_person, person_identity
from tracker.language import detect_language
from tracker.models import ClaimRow, SourceRow, validated
from tracker.search import search_lemmas
from tracker.statements import assign_statements
from tracker.web import is_html_file, is_url
from tracker.wording import Fingerprint, fingerprint

if TYPE_CHECKING:
    from tracker.fetch import Politeness


@dataclass
class IngestReport:
    """Counts, not lists of files: memory stays flat however many files are ingested."""

    files: int = 0
    claims: int = 0
    skipped: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    # Stored, but nothing in them is attributed to anyone: not an error (`tracker reextract`
    # may find claims in them later).
    without_claims: list[str] = field(default_factory=list)


ARTICLE_SUFFIXES = (".txt", ".html", ".htm")  # the house style, and saved web pages


def find_articles(paths: Sequence[str | Path], report: IngestReport) -> Iterator[Path]:
    """Each path's .txt and .html files (directories in sorted order, one directory listed at a
    time); record paths that hold nothing to ingest."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for folder, subfolders, names in os.walk(path):
                subfolders.sort()
                base = Path(folder)
                for name in sorted(n for n in names if n.lower().endswith(ARTICLE_SUFFIXES)):
                    found = True
                    yield base / name
            if not found:
                report.rejected.append((str(path), "directory has no .txt or .html files"))
        elif path.is_file():
            yield path
        else:
            report.rejected.append((str(path), "no such file or directory"))


PARALLEL_FROM = 64  # new files; below this a worker pool costs more than it saves
BATCH = 128  # files handed to the pool at once; two batches in flight keep memory flat
CHUNK = 32  # files per task: a task's pickling, queueing and bookkeeping is paid once per chunk
# Files are committed in groups, each file in its own savepoint: still all-or-nothing per file,
# but one commit (and one full-text index flush) per group instead of per file, which was most
# of the write time. A crash loses at most the group in progress; ingesting again finishes it.
GROUP_FILES = 256
GROUP_SECONDS = 1.0  # readers see new claims, and other writers get the lock, at least this often
# While ingesting, checkpoint the write-ahead log every ~80 MB rather than every 4 MB: each
# checkpoint syncs to disk, and a page written by many files in between is copied back once.
INGEST_WAL_PAGES = 20_000
DEFAULT_WAL_PAGES = 1_000
# While ingesting, a 64 MB page cache instead of SQLite's 2 MB: each claim lands on a random page
# of the claim-key and statement indexes, and with 2 MB most of those pages were read back from
# the log or the file every time (the writer alone took 19% longer at 20,000 articles).
INGEST_CACHE_KIB = 65_536


@dataclass
class PreparedClaims:
    """Validated claims as plain column values: all the writer needs, and cheap to send from a
    worker process (pickling the pydantic rows cost the writer more than writing them)."""

    people: dict[str, str | None] = field(default_factory=dict)  # name -> role
    people_kinds: dict[str, str] = field(default_factory=dict)  # name -> person/organisation/unresolved
    subjects: dict[str, str] = field(default_factory=dict)  # name -> kind
    values: list[dict[str, Any]] = field(default_factory=list)  # columns, plus speaker names
    subject_names: list[list[str]] = field(default_factory=list)  # per claim
    # How each claim's wording is grouped into statements, worked out in the worker process
    # (stemming is the costly part) so the single writer only compares and writes.
    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)  # text -> fingerprint


@dataclass
class Extracted:
    path: Path
    name: str
    source: dict[str, Any] | None = None
    claims: PreparedClaims | None = None
    error: str | None = None


def _extract(job: tuple[Path, str, bytes, int]) -> Extracted:
    """Parse, extract and validate one file: the CPU-heavy part, run in worker processes."""
    path, name, data, review_days = job
    try:
        article = parse_article(data, name)
        claims = extract_claims(article, review_days)
        rows = [claim_row(c, name) for c in claims]
        prepared = prepare_claims(rows)
        prepared.fingerprints = {c.text: fingerprint(c.text) for c in claims}
        return Extracted(path, name, _source_values(_source_row(article, path.name)), prepared)
    except TrackerError as error:
        return Extracted(path, name, error=str(error).removeprefix(f"{name}: "))


# Called after each file is ingested, skipped or rejected, with the report so far (`tracker
# ingest` draws its progress bar with it).
Progress = Callable[[Path, IngestReport], None]


def _no_progress(path: Path, report: IngestReport) -> None:
    pass


def _new_files(
    db: sqlite_utils.Database, files: Iterator[Path], max_bytes: int, review_days: int, report: IngestReport,
    progress: Progress = _no_progress,
) -> Iterator[tuple[Path, str, bytes, int]]:
    """Read and hash each file; only files not yet in the database go on to extraction (looked
    up a batch at a time), so re-ingesting a corpus costs little more than hashing it."""
    for batch in _batched(_read_files(files, max_bytes, report, progress), BATCH):
        known = _known_hashes(db.conn, [sha256 for *_, sha256 in batch])
        for path, name, data, sha256 in batch:
            if sha256 in known:
                report.skipped += 1
                progress(path, report)
            else:
                yield path, name, data, review_days


def _read_files(
    files: Iterator[Path], max_bytes: int, report: IngestReport, progress: Progress = _no_progress
) -> Iterator[tuple[Path, str, bytes, str]]:
    for path in files:
        try:
            data, name = read_article(path, max_bytes)
        except TrackerError as error:
            report.rejected.append((str(path), str(error).removeprefix(f"{path}: ")))
            progress(path, report)
            continue
        yield path, name, data, sha256_bytes(data)


def _known_hashes(conn: sqlite3.Connection, hashes: list[str]) -> set[str]:
    known = set()
    for chunk in chunks(hashes):
        marks = ", ".join("?" * len(chunk))
        known.update(row[0] for row in conn.execute(f"SELECT sha256 FROM sources WHERE sha256 IN ({marks})", chunk))
    return known


def _extracted(jobs: Iterator[tuple[Path, str, bytes, int]], workers: int) -> Iterator[Extracted]:
    """Extraction results in input order: in this process, or from a pool of `workers`
    processes with one batch extracting while the previous one is written."""
    if workers <= 1:
        yield from map(_extract, jobs)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
        pending: list[Future[list[Extracted]]] = []
        for batch in _batched(jobs, BATCH):
            submitted = [pool.submit(_extract_chunk, chunk) for chunk in _batched(iter(batch), CHUNK)]
            for future in pending:
                yield from future.result()
            pending = submitted
        for future in pending:
            yield from future.result()


def _exit_with_parent(parent: int) -> None:
    """A worker outlives a `kill -9` of its ingest (it waits on a queue nobody will write to):
    watch the parent, and leave when it is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _extract_chunk(jobs: list[tuple[Path, str, bytes, int]]) -> list[Extracted]:
    return [_extract(job) for job in jobs]


def _batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


class CommitGroup:
    """One transaction around several files, committed every GROUP_FILES files or GROUP_SECONDS.
    Their claims join the full-text index in one statement just before the commit (schema.sql,
    fts_deferred), and the kept figures in one statement each (tracker/kept.py)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.open = False  # a transaction this group began (a caller's own is left to the caller)
        self.files = 0
        self.started = 0.0
        self.last_indexed_id = 0

    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.open, self.files, self.started = True, 0, time.monotonic()
            # New claims get ids above the largest one now (ids are never reused: claims are
            # retracted, not deleted).
            self.last_indexed_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]
            self.conn.execute("UPDATE fts_deferred SET active = 1")
            self.conn.execute("UPDATE claim_counts_deferred SET after_id = ?", [self.last_indexed_id])

    def written(self) -> None:
        self.files += 1
        if self.open and (self.files >= GROUP_FILES or time.monotonic() - self.started >= GROUP_SECONDS):
            self.commit()

    def commit(self) -> None:
        # in_transaction: an interrupt between COMMIT and the next line leaves `open` set on a
        # transaction that has ended; it must not be committed (or its claims indexed) twice.
        if self.open and not self.conn.in_transaction:
            self.open = False
        if self.open:
            self.conn.execute(
                "INSERT INTO claims_fts (rowid, text, lemmas) SELECT id, text, lemmas FROM claims WHERE id > ?",
                [self.last_indexed_id],
            )
            self.conn.execute("UPDATE fts_deferred SET active = 0")
            kept.add_new_claims(self.conn, self.last_indexed_id)
            self.conn.execute("UPDATE claim_counts_deferred SET after_id = NULL")
            self.conn.execute("COMMIT")
            self.open = False

    def keep_finished_files(self) -> None:
        """After an error or an interrupt (the file being written already undone by its
        savepoint): commit the files finished before it, or roll back if even that fails."""
        try:
            self.commit()
        except sqlite3.Error:
            if self.open and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.open = False


def ingest(
    db: sqlite_utils.Database,
    paths: Sequence[str | Path],
    review_days: int = DEFAULT_REVIEW_DAYS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    progress: Progress | None = None,
    published: date | None = None,
    politeness: Politeness | None = None,
) -> IngestReport:
    """Ingest files and directories; each file is all-or-nothing, bad files are reported, not fatal.

    Extraction runs in `workers` processes (default: one per CPU for large batches); writing
    stays in this process, in input order, in commit groups of whole files. `progress`, if
    given, is called once per file, after it is ingested, skipped or rejected.

    Saved web pages (.html) and article URLs are read after the text files, one at a time
    (tracker/follow.py); `published` is their publication date when given; URLs are fetched
    with `politeness` (default: tracker.fetch.Politeness, with `max_bytes`)."""
    progress = progress or _no_progress
    report = IngestReport()
    pages = [str(p) for p in paths if is_url(p)]
    files = _set_aside_pages(find_articles([p for p in paths if not is_url(p)], report), pages)
    if workers is None:
        head = list(itertools.islice(files, PARALLEL_FROM))
        workers = (os.cpu_count() or 1) if len(head) == PARALLEL_FROM else 1
        files = itertools.chain(head, files)
    conn = db.conn
    group = CommitGroup(conn)
    conn.execute(f"PRAGMA wal_autocheckpoint = {INGEST_WAL_PAGES}")
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{INGEST_CACHE_KIB}")
    try:
        for result in _extracted(_new_files(db, files, max_bytes, review_days, report, progress), workers):
            if result.error is not None or result.source is None or result.claims is None:
                report.rejected.append((str(result.path), result.error or "could not be extracted"))
                progress(result.path, report)
                continue
            group.begin()
            if _write_new_source(conn, result.source, result.claims):
                report.files += 1
                report.claims += len(result.claims.values)
                if not result.claims.values:
                    report.without_claims.append(str(result.path))
            else:
                report.skipped += 1
            group.written()
            progress(result.path, report)
        group.commit()
        if pages:
            _ingest_pages(conn, pages, report, review_days, max_bytes, published, progress, politeness)
    except BaseException:
        group.keep_finished_files()
        raise
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {DEFAULT_WAL_PAGES}")
        conn.execute(f"PRAGMA cache_size = {cache}")
    if report.files:
        refresh_statistics(db)
    return report


def _set_aside_pages(files: Iterator[Path], pages: list[str]) -> Iterator[Path]:
    """The text files; saved web pages are put in `pages`, for after them."""
    for path in files:
        if is_html_file(path):
            pages.append(str(path))
        else:
            yield path


def _ingest_pages(
    conn: sqlite3.Connection, pages: list[str], report: IngestReport, review_days: int, max_bytes: int,
    published: date | None, progress: Progress, politeness: Politeness | None,
) -> None:  # fmt: skip
    # Imported when first needed: follow builds on this module, and the HTTP and extraction
    # libraries would slow every command's start.
    from tracker import follow
    from tracker.fetch import Fetcher, Politeness

    options = follow.Options(published=published, review_days=review_days, max_bytes=max_bytes)
    polite = politeness or Politeness(max_bytes=max_bytes)
    done = follow.ingest_pages(conn, pages, lambda: Fetcher(polite), options,
                               announce=lambda location, _: progress(Path(location), report))  # fmt: skip
    report.files += done.new + done.updated
    report.claims += done.claims
    report.skipped += done.unchanged
    report.rejected += done.failed
    report.without_claims += done.without_claims


def _write_new_source(conn: sqlite3.Connection, source: dict[str, Any], claims: PreparedClaims) -> bool:
    """Write a source and its claims; False when the same bytes were already written in this run
    (seeds/ and seeds/a.txt): the first one counts."""
    try:
        write_prepared(conn, source, claims)
    except sqlite3.IntegrityError:
        if source["sha256"] not in _known_hashes(conn, [source["sha256"]]):
            raise
        return False
    return True


def _source_row(article: Article, file_name: str) -> SourceRow:
    return validated(
        SourceRow, article.file_name, file_name=file_name, url=article.url, title=article.title,
        section=article.section, published_at=article.published_at, updated_at=article.updated_at,
        sha256=article.sha256, raw_text=article.raw_text, ingested_at=now(),
        language=detect_language(article.raw_text),
    )  # fmt: skip


def _source_values(source: SourceRow) -> dict[str, Any]:
    values = source.model_dump()
    for key in ("published_at", "updated_at", "ingested_at"):
        values[key] = values[key].isoformat() if values[key] else None
    return values


def write_prepared(conn: sqlite3.Connection, source: dict[str, Any], claims: PreparedClaims) -> int:
    """Write one source and all its claims, all or nothing; return the source id."""
    with transaction(conn):
        source_id = _insert_source(conn, source)
        people = upsert_people(conn, claims)
        upsert_subjects(conn, claims)
        insert_claims(conn, claims.values, source_id, people)
        link_subjects(conn, source_id, claims)
        assign_statements(conn, [source_id], fingerprints=claims.fingerprints)
    return source_id


def prepare_claims(rows: list[ClaimRow]) -> PreparedClaims:
    prepared = PreparedClaims()
    for row in rows:
        for person in (row.speaker, row.attributed_to):
            if person:
                prepared.people[person.name] = person.role
                prepared.people_kinds[person.name] = person.kind
        prepared.subjects.update((s.name, s.kind) for s in row.subjects)
        prepared.values.append(_claim_values(row))
        prepared.subject_names.append([s.name for s in row.subjects])
    return prepared


CLAIM_COLUMNS = ("claim_key", "source_id", "speaker_id", "attributed_to_id", "text", "subjects",
                 "is_commitment", "deadline", "deadline_text", "follow_up_due", "status", "line",
                 "char_start", "char_end", "quote", "form", "lemmas")  # fmt: skip
INSERT_CLAIM = (
    f"INSERT INTO claims ({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join(':' + c for c in CLAIM_COLUMNS)})"
)


def insert_claims(
    conn: sqlite3.Connection, values: list[dict[str, Any]], source_id: int, people: dict[str, int]
) -> None:
    conn.executemany(INSERT_CLAIM, [with_ids(v, people, source_id=source_id) for v in values])


def with_ids(values: dict[str, Any], people: dict[str, int], **overrides: Any) -> dict[str, Any]:
    """Claim values with the speaker's and attributed person's ids in place of their names."""
    attributed = values["attributed_to"]
    return {**values, "speaker_id": people[values["speaker"]],
            "attributed_to_id": people[attributed] if attributed else None, **overrides}  # fmt: skip


def link_subjects(conn: sqlite3.Connection, source_id: int, claims: PreparedClaims) -> None:
    claim_ids = dict(conn.execute("SELECT claim_key, id FROM claims WHERE source_id = ?", [source_id]))
    subject_ids = ids_by_name(conn, "subjects", list(claims.subjects))
    conn.executemany(
        "INSERT OR IGNORE INTO claim_subjects (claim_id, subject_id) VALUES (?, ?)",
        [(claim_ids[values["claim_key"]], subject_ids[name])
         for values, names in zip(claims.values, claims.subject_names) for name in names],
    )  # fmt: skip


def claim_row(claim: ExtractedClaim, context: str) -> ClaimRow:
    # Plain values, not PersonRow(...): a person pydantic refuses is then our one-line error too.
    def person(p: Any) -> dict[str, Any] | None:
        return {"name": p.name, "role": p.role, "kind": p.kind} if p else None

    return validated(
        ClaimRow, f"{context}: line {claim.line}", claim_key=claim.claim_key,
        speaker=person(claim.speaker), attributed_to=person(claim.attributed_to),
        text=claim.text, subjects=[{"name": s.name, "kind": s.kind} for s in claim.subjects],
        is_commitment=claim.is_commitment, deadline=claim.deadline,
        deadline_text=claim.deadline_text, follow_up_due=claim.follow_up_due,
        status=claim.status, line=claim.line, char_start=claim.char_start,
        char_end=claim.char_end, quote=claim.quote, form=claim.form,
    )  # fmt: skip


def _insert_source(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    columns = ", ".join(values)
    cursor = conn.execute(
        f"INSERT INTO sources ({columns}) VALUES ({', '.join('?' * len(values))})", list(values.values())
    )
    return int(cursor.lastrowid or 0)


def upsert_people(conn: sqlite3.Connection, claims: PreparedClaims) -> dict[str, int]:
    """The people's ids, new ones inserted; a person written in another script than a known one
    ("Юрий Ушаков" once "Yuri Ushakov" is in) is that row (tracker/identity.py)."""
    known = ids_by_name(conn, "people", list(claims.people))
    linked = {name: person_id for name in claims.people if name not in known
              and claims.people_kinds.get(name, "person") == "person"
              and (person_id := linked_person(conn, name)) is not None}  # fmt: skip
    conn.executemany(
        """INSERT INTO people (name, role, kind, identity) VALUES (?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET role = coalesce(people.role, excluded.role)""",
        [(name, role, claims.people_kinds.get(name, "person"), person_identity(name))
         for name, role in claims.people.items() if name not in linked],
    )
    return {**ids_by_name(conn, "people", [n for n in claims.people if n not in linked]), **linked}


def upsert_subjects(conn: sqlite3.Connection, claims: PreparedClaims) -> None:
    conn.executemany(
        """INSERT INTO subjects (name, kind) VALUES (?, ?)
           ON CONFLICT(name) DO UPDATE SET kind = excluded.kind
           WHERE subjects.kind = 'unknown' AND excluded.kind != 'unknown'""",
        list(claims.subjects.items()),
    )


def _claim_values(row: ClaimRow) -> dict[str, Any]:
    """A claim row's column values by name (with its people's names: _with_ids swaps in ids)."""
    return {
        "claim_key": row.claim_key,
        "speaker": row.speaker.name,
        "attributed_to": row.attributed_to.name if row.attributed_to else None,
        "text": row.text,
        "subjects": json.dumps([s.name for s in row.subjects], ensure_ascii=False),
        "is_commitment": int(row.is_commitment),
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "deadline_text": row.deadline_text,
        "follow_up_due": row.follow_up_due.isoformat(),
        "status": row.status,
        "line": row.line,
        "char_start": row.char_start,
        "char_end": row.char_end,
        "quote": row.quote,
        "form": row.form,
        "lemmas": search_lemmas(row.text),  # in the worker process: analysing words is the cost
    }
