"""Counts Datasette asks for, answered from figures the database already keeps.

A page's first view in a server process used to count: the claims table's rows and each facet
over a million claims (0.3-0.4 s each), a common word's matches (90 ms warm, seconds cold). Every
process paid that after every start and every write. Now:

- the claims table's row count and its column facets come from `claim_counts`, kept at ingest
  (schema.sql), and the `commitments` view's row count (all, open or rated) from
  `commitment_counts`;
- a one-word search's match count comes from the full-text index's own vocabulary
  (`fts5vocab`: the number of claims holding the term), read through a temporary table on each
  connection, so the database file is not changed; any other search's from the index alone.

Anything else (filters, several words, other tables) is counted as before. A database without
`claim_counts` (older, served read-only before an ingest migrated it) falls back too.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from tracker.datasette_plugin.figures import LISTED_BY_RATING, LISTED_COMMITMENTS

TABLE_COUNT = re.compile(r"\s*select count\(\*\) from claims\s*", re.IGNORECASE)
COMMITMENTS_COUNT = re.compile(r"\s*select count\(\*\) from commitments\s*", re.IGNORECASE)
RATED_COUNT = re.compile(r'\s*select count\(\*\) from commitments where "is_rated" = :p0\s*', re.IGNORECASE)
SEARCH_COUNT = re.compile(
    r"\s*select count\(\*\) from claims where (?:id|rowid) in \(select rowid from claims_fts "
    r"where claims_fts match escape_fts\(:search\)\)\s*",
    re.IGNORECASE,
)
# Datasette's ColumnFacet SQL (datasette/facets.py) over the unfiltered claims table.
FACET = re.compile(
    r"\s*select (\w+) as value, count\(\*\) as count from \(\s*select (?P<columns>.+?) from claims"
    r"(?: order by [\w ,]+)?\s*\)\s*where \1 is not null\s*group by \1 order by count desc, value limit (\d+)\s*",
    re.IGNORECASE | re.DOTALL,
)
KEPT_FACETS = {"speaker_id", "is_commitment", "status", "form"}
ONE_WORD = re.compile(r"[A-Za-z0-9]+")  # one token, and unicode61 only lower-cases it

# Any other search's matches, counted in the full-text index alone: every row it holds is a claim
# (schema.sql's triggers; `tracker check`), so the claims need not be read.
FOUND = "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH escape_fts(:search)"

VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_fts_vocab USING fts5vocab(main, claims_fts, 'row')"


def kept(sql: str, params: Any) -> tuple[str, dict[str, Any]] | None:
    """The query answering `sql` from kept figures, or None when there is none."""
    if TABLE_COUNT.fullmatch(sql) and not params:
        return "SELECT count FROM claim_counts WHERE facet = 'rows' AND value = 0", {}
    if COMMITMENTS_COUNT.fullmatch(sql) and not params:
        return LISTED_COMMITMENTS, {}
    rated = params.get("p0") if isinstance(params, dict) and set(params) == {"p0"} else None
    if RATED_COUNT.fullmatch(sql) and rated in LISTED_BY_RATING:
        return LISTED_BY_RATING[rated], {}
    search = (params or {}).get("search") if isinstance(params, dict) else None
    if SEARCH_COUNT.fullmatch(sql) and isinstance(search, str) and ONE_WORD.fullmatch(search.strip()):
        return "SELECT coalesce((SELECT doc FROM temp.claims_fts_vocab WHERE term = :term), 0)", {
            "term": search.strip().lower()
        }
    if SEARCH_COUNT.fullmatch(sql) and isinstance(search, str) and set(params) == {"search"}:
        return FOUND, {"search": search}
    facet = FACET.fullmatch(sql)
    if facet and facet[1] in KEPT_FACETS and " where " not in facet["columns"].lower() and not params:
        counts = "SELECT value, count FROM claim_counts WHERE facet = :facet AND count > 0"
        return f"{counts} ORDER BY count DESC, value LIMIT :limit", {"facet": facet[1], "limit": int(facet[3])}
    return None


SUBJECT_COUNTS = "SELECT value AS subject_id, count FROM claim_counts WHERE facet = 'subject' AND count > 0"


def add_vocabulary(conn: sqlite3.Connection) -> None:
    """The full-text vocabulary as a temporary table of this connection (databases without
    claims_fts, like Datasette's own, get none)."""
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims_fts'").fetchone():
            conn.execute(VOCABULARY)
    except sqlite3.Error:
        pass  # a database this plugin has nothing to count in
