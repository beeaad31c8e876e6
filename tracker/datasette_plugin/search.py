"""Datasette's search finds inflected forms, with its URLs unchanged: `?_search=переговоры`.

Datasette turns `_search` into `claims_fts MATCH escape_fts(:search)`, escape_fts being an SQL
function it registers on every connection. This plugin registers its own after Datasette's (so
it wins): Datasette's escaping, then each Russian word widened to its dictionary forms, which
the index's `lemmas` column holds for every claim (tracker/search.py). `_searchmode=raw` calls
no function and is left as the user wrote it."""

from __future__ import annotations

import sqlite3

from datasette.utils import escape_fts as datasette_escape_fts

from tracker.search import expand_query


def escape_fts(query: str) -> str:
    return expand_query(datasette_escape_fts(query))


def register_escape_fts(conn: sqlite3.Connection) -> None:
    """Called from the plugin's prepare_connection, which runs after Datasette's own."""
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
