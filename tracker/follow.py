"""Following outlets (`tracker fetch`) and ingesting pages (`tracker ingest page.html URL`): read
feeds, download each article once (conditionally after that), keep the original in an archive
folder, and store it with tracker/versions.py. One failure is one line; the run goes on."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from tracker.articles import DEFAULT_MAX_BYTES, read_article
from tracker.errors import TrackerError
from tracker.extract import DEFAULT_REVIEW_DAYS
from tracker.fetch import Fetcher, FetchError, feed_entries, fetch_page, is_feed, page_from
from tracker.versions import Stored, latest_version, store_page
from tracker.web import Page, is_url


@dataclass
class FollowReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    claims: int = 0  # claims of the new and updated articles
    failed: list[tuple[str, str]] = field(default_factory=list)
    without_claims: list[str] = field(default_factory=list)

    def count(self, location: str, stored: Stored) -> None:
        if stored.outcome == "unchanged":
            self.unchanged += 1
            return
        setattr(self, stored.outcome, getattr(self, stored.outcome) + 1)
        self.claims += stored.claims
        if not stored.claims:
            self.without_claims.append(location)


# Called once per article with its address and one line saying what became of it.
Announce = Callable[[str, str], None]


def _quiet(location: str, line: str) -> None:
    pass


@dataclass
class Options:
    archive: Path | None = None
    since: date | None = None
    published: date | None = None  # the publication date to use, overriding the page's
    review_days: int = DEFAULT_REVIEW_DAYS
    max_bytes: int = DEFAULT_MAX_BYTES


def follow(
    conn: sqlite3.Connection, targets: Sequence[str], fetcher: Fetcher, options: Options | None = None,
    announce: Announce = _quiet,
) -> FollowReport:  # fmt: skip
    """Fetch feeds and article URLs: every entry of a feed, and each article, once."""
    options = options or Options()
    report = FollowReport()
    done: set[str] = set()  # an article two feeds list is fetched once a run
    for target in targets:
        try:
            if latest_version(conn, target) is not None:  # a known article: ask if it changed
                _article(conn, fetcher, target, None, options, report, announce)
                continue
            response = fetcher.get(target)
            if response.status != 200 or not is_feed(response):
                page = page_from(response, target)
                _store(conn, page, options, report, announce)
                continue
            entries = list(feed_entries(response, options.since))
        except TrackerError as error:
            _failed(report, target, error, announce)
            continue
        for entry in entries:
            if entry.url in done:
                continue
            done.add(entry.url)
            try:
                _article(conn, fetcher, entry.url, entry.published, options, report, announce)
            except TrackerError as error:
                _failed(report, entry.url, error, announce)
    return report


def ingest_pages(
    conn: sqlite3.Connection, locations: Sequence[str], fetcher_factory: Callable[[], Fetcher],
    options: Options | None = None, announce: Announce = _quiet,
) -> FollowReport:  # fmt: skip
    """Saved .html files and article URLs, for `tracker ingest`: each on its own, all or nothing."""
    options = options or Options()
    report = FollowReport()
    fetcher: Fetcher | None = None
    try:
        for location in locations:
            try:
                if is_url(location):
                    fetcher = fetcher or fetcher_factory()
                    _article(conn, fetcher, location, None, options, report, announce)
                else:
                    data, _ = read_article(Path(location), options.max_bytes)
                    # the absolute path: where the original came from, whatever the working folder
                    _store(conn, Page(data, str(Path(location).resolve())), options, report, announce)
            except TrackerError as error:
                _failed(report, location, error, announce, also=str(Path(location).resolve()))
    finally:
        if fetcher is not None:
            fetcher.close()
    return report


def _article(
    conn: sqlite3.Connection, fetcher: Fetcher, url: str, feed_date: date | None, options: Options,
    report: FollowReport, announce: Announce,
) -> None:  # fmt: skip
    known = latest_version(conn, url)
    etag, last_modified = (known[2], known[3]) if known else (None, None)
    page = fetch_page(fetcher, url, etag, last_modified, feed_date)
    if page is None:
        report.unchanged += 1
        announce(url, f"unchanged {url} (not modified)")
        return
    _store(conn, page, options, report, announce)


def _store(conn: sqlite3.Connection, page: Page, options: Options, report: FollowReport, announce: Announce) -> None:
    if options.archive is not None:
        save_original(options.archive, page)
    stored = store_page(conn, page, options.published, options.review_days)
    report.count(page.location, stored)
    announce(page.location, describe(page.location, stored))


def describe(location: str, stored: Stored) -> str:
    if stored.outcome == "new":
        return f"new {location} (source {stored.source_id}, {stored.claims} claims)"
    if stored.outcome == "updated":
        return (f"updated {location} (source {stored.source_id} version {stored.version}: "
                f"{stored.claims} claims, {stored.retracted} retracted)")  # fmt: skip
    return f"unchanged {location}"


def _failed(
    report: FollowReport, location: str, error: TrackerError, announce: Announce, also: str = ""
) -> None:
    """One line naming the page as the user gave it (`also`: another name the error may use)."""
    reason = str(error).removeprefix(f"{location}: ").removeprefix(f"{also}: ")
    report.failed.append((location, reason))
    announce(location, f"Error: {location}: {reason}")


SLUG_RE = re.compile(r"[^A-Za-z0-9._-]+")


def save_original(archive: Path, page: Page) -> Path:
    """The page's bytes under archive/HOST/NAME-SHA.html: each version its own file, the same
    bytes the same file, so running again writes nothing new."""
    address = page.final_url or page.location
    parts = urlsplit(address) if is_url(address) else None
    host = SLUG_RE.sub("_", parts.netloc) if parts else "files"
    stem = SLUG_RE.sub("-", (parts.path if parts else Path(address).stem).strip("/")).strip("-")[:80] or "index"
    stem = stem.removesuffix(".html").removesuffix(".htm")
    path = archive / host / f"{stem}-{page.sha256[:12]}.html"
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".part")
            temporary.write_bytes(page.content)
            temporary.replace(path)  # never a half-written original
        except OSError as error:
            raise FetchError(f"{page.location}: cannot save to the archive ({error.strerror})") from None
    return path
