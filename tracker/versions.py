"""Storing web pages as sources, with every version kept: a page seen for the first time becomes
a source; the same article again unchanged changes nothing; an edited one becomes a new version
of its source, whose claims are re-extracted the way `tracker reextract` does it (claims keep
their identity and follow-ups, claims that vanished are retracted, new ones are added)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from tracker.articles import parse_article, sha256_bytes
from tracker.db import now, transaction
from tracker.errors import ArticleError
from tracker.extract import DEFAULT_REVIEW_DAYS, extract_claims
from tracker.ingest import _extract as extract_file
from tracker.ingest import claim_row, write_prepared
from tracker.reextract import ReextractReport, key_sha256, reconcile
from tracker.web import Page, WebArticle, is_url, page_article

Outcome = Literal["new", "updated", "unchanged"]


@dataclass
class Stored:
    source_id: int
    outcome: Outcome
    version: int
    claims: int = 0  # claims the page's current text gives
    retracted: int = 0  # claims of the previous version no longer in the text


def store_page(
    conn: sqlite3.Connection, page: Page, published: date | None = None,
    review_days: int = DEFAULT_REVIEW_DAYS,
) -> Stored:  # fmt: skip
    """Ingest one page, all or nothing. Raises ArticleError (naming the page) for a page with no
    article text or no date, or whose text another source already has."""
    article = page_article(page, published)
    text_sha256 = sha256_bytes(article.raw_text.encode("utf-8"))
    source_id = _same_article(conn, page, article)
    if source_id is None:
        other = conn.execute("SELECT id FROM sources WHERE sha256 = ?", [text_sha256]).fetchone()
        if other:
            return Stored(other[0], "unchanged", 0)
        return _new_source(conn, page, article, review_days)
    seen = conn.execute(
        "SELECT version FROM source_versions WHERE source_id = ? AND (text_sha256 = ? OR original_sha256 = ?)"
        " ORDER BY version DESC", [source_id, text_sha256, page.sha256],
    ).fetchone()  # fmt: skip
    if seen:  # the same text, or the same bytes, as a version we have: nothing new
        return Stored(source_id, "unchanged", seen[0])
    return _new_version(conn, source_id, page, article, review_days)


def display_name(page: Page) -> str:
    """What the source's file_name says: the URL asked for, or the saved file's name."""
    return page.location if is_url(page.location) else Path(page.location).name


def _same_article(conn: sqlite3.Connection, page: Page, article: WebArticle) -> int | None:
    """A web source this page is a version of: fetched from the same address, or naming the same
    canonical URL (unless that is a site's home page, which some sites name on every article).
    A saved file's path says nothing: another article may be saved under the same name."""
    canonical = article.url if article.url and urlsplit(article.url).path.strip("/") else None
    addresses = [a for a in (page.location, page.final_url) if a and is_url(a)]
    row = conn.execute(
        """SELECT source_versions.source_id FROM source_versions
           JOIN sources ON sources.id = source_versions.source_id
           WHERE source_versions.location IN (SELECT value FROM json_each(:addresses))
              OR source_versions.final_url IN (SELECT value FROM json_each(:addresses))
              OR (:canonical IS NOT NULL AND sources.url = :canonical)
           ORDER BY source_versions.source_id DESC LIMIT 1""",
        {"addresses": json.dumps(addresses), "canonical": canonical},
    ).fetchone()
    return row[0] if row else None


def _new_source(conn: sqlite3.Connection, page: Page, article: WebArticle, review_days: int) -> Stored:
    data = article.raw_text.encode("utf-8")
    name = display_name(page)
    extracted = extract_file((Path(name), name, data, review_days))
    if extracted.error is not None or extracted.source is None or extracted.claims is None:
        raise ArticleError(f"{page.location}: {extracted.error or 'could not be extracted'}")
    source = {**extracted.source, "file_name": name}
    with transaction(conn):
        source_id = write_prepared(conn, source, extracted.claims)
        _insert_version(conn, source_id, 1, page, article.raw_text)
    return Stored(source_id, "new", 1, claims=len(extracted.claims.values))


def _new_version(
    conn: sqlite3.Connection, source_id: int, page: Page, article: WebArticle, review_days: int
) -> Stored:
    """The outlet edited the article: the source takes the new text, and its claims are
    reconciled with the ones the new text gives, keyed as the first version's were."""
    data = article.raw_text.encode("utf-8")
    parsed = parse_article(data, page.location)
    sha256 = parsed.sha256
    with transaction(conn):
        version = 1 + conn.execute(
            "SELECT max(version) FROM source_versions WHERE source_id = ?", [source_id]
        ).fetchone()[0]
        try:
            conn.execute(
                """UPDATE sources SET raw_text = ?, sha256 = ?, title = ?, url = ?, published_at = ?,
                   updated_at = NULL WHERE id = ?""",
                [parsed.raw_text, sha256, parsed.title, parsed.url, parsed.published_at, source_id],
            )
        except sqlite3.IntegrityError:
            raise ArticleError(f"{page.location}: another source already has this text") from None
        _insert_version(conn, source_id, version, page, article.raw_text)
        keyed = replace(parsed, sha256=key_sha256(conn, source_id, sha256))
        rows = [claim_row(claim, page.location) for claim in extract_claims(keyed, review_days)]
        report = ReextractReport()
        reconcile(conn, source_id, rows, report, reason=f"no longer in its source as edited (version {version})")
    return Stored(source_id, "updated", version, claims=len(rows), retracted=report.retracted)


def _insert_version(conn: sqlite3.Connection, source_id: int, version: int, page: Page, raw_text: str) -> None:
    conn.execute(
        """INSERT INTO source_versions (source_id, version, location, final_url, http_status,
           content_type, last_modified, etag, fetched_at, original, original_sha256, raw_text,
           text_sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [source_id, version, page.location, page.final_url, page.http_status, page.content_type,
         page.last_modified, page.etag, page.fetched_at, page.content, page.sha256, raw_text,
         sha256_bytes(raw_text.encode("utf-8")), now().isoformat()],
    )  # fmt: skip


def latest_version(conn: sqlite3.Connection, url: str) -> sqlite3.Row | None:
    """The newest version fetched from this address: its validators for a conditional GET."""
    conn_row = conn.execute(
        """SELECT source_id, version, etag, last_modified FROM source_versions
           WHERE location = ? OR final_url = ? ORDER BY id DESC LIMIT 1""",
        [url, url],
    ).fetchone()
    return conn_row
