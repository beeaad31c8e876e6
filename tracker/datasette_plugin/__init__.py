"""A Datasette plugin (loaded through the `datasette` entry point in pyproject.toml).

- The `subject` facet counts claims per subject from the indexed `claim_subjects` table instead
  of unpacking every row's JSON `subjects` array, as Datasette's array facet does: at a million
  claims that is the difference between tens of milliseconds and seconds per table page. Its
  links filter with Datasette's many-to-many `_through`, which uses the same index.
- The `counted` facet is Datasette's column facet, remembered until the database file changes:
  counting a million rows per facet on every view of the same page is the rest of a table
  page's time, and the data only changes when `tracker ingest` or `follow-up` writes.
- Table rows are rendered by a Python filter (`table_rows_html`) called from this package's
  copy of Datasette's `_table.html` (templates/): the same markup as the template's loop over
  every cell, which took much of a page's time at 100 rows of 19 columns.
- Row counts (`select count(*) …`, the "N rows" of every table page and search) are remembered
  the same way: counting the 89,000 claims a common word matches takes ~90 ms at a million
  claims, and paging through the results repeats the same count on every page.
- Counts the database keeps (counts.py, figures.py, tracker/kept.py) answer the claims table's
  row count and facets, a one-word search's count, the `commitments` view's count and the
  figures of the home page, dashboard and speaker pages, so first views, in any server process,
  do not count at all.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from datasette import hookimpl
from datasette.database import Database, QueryInterrupted, Results
from datasette.facets import ColumnFacet, Facet
from datasette.utils import path_with_added_args, path_with_removed_args, to_css_class
from jinja2 import Environment
from markupsafe import Markup, escape

from tracker.datasette_plugin.counts import SUBJECT_COUNTS, add_vocabulary, kept
from tracker.datasette_plugin.search import register_escape_fts
from tracker.kept import add_recount_views

if TYPE_CHECKING:
    from datasette.app import Datasette

CACHE_SIZE = 512
THROUGH_TABLE = "claim_subjects"
THROUGH_COLUMN = "subject_id"


class Memory:
    """A bounded store of query results, each keyed with the state of its database file."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> Any | None:
        if key not in self.entries:
            return None
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        self.entries[key] = value
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


def database_state(path: str | None) -> tuple[Any, ...]:
    """The database file and its write-ahead log, as they are now: any write changes this."""
    if not path:
        return (None,)
    files = [Path(path), Path(f"{path}-wal")]
    return (path, *((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files))


def params_key(params: Any) -> str:
    return json.dumps(params, sort_keys=True, default=str)


def host_free(url: str) -> str:
    """A link without its scheme and host: what every visitor of a page shares."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


# Claims found or filtered beyond this many: their facets count the most recently added this
# many, and the page says so, with a link to count all. Each facet reads every claim it counts
# (~1 µs each): a common word's 84,000 matches at a million claims made its first view 0.6 s;
# with 5,000 it takes ~85 ms (with 10,000, 120-135 ms, and up to 180 ms p95).
FACET_SAMPLE = 5_000
COUNT_ALL = "_count_all"
# Datasette's SQL for a search and nothing else (datasette/filters.py): the rows it finds.
SEARCH_ONLY = re.compile(
    r"(?P<found>select .+ from claims where (?:id|rowid) in \(select rowid from claims_fts "
    r"where claims_fts match (?:escape_fts\(:search\)|:search))\)\s*",
    re.IGNORECASE | re.DOTALL,
)


def most_recently_added(sql: str, size: int) -> str:
    """The `size` rows of `sql` with the highest ids; for a search alone, taken from the full-text
    index newest first, so the other matches are never read."""
    search = SEARCH_ONLY.fullmatch(sql)
    if search:
        return f"{search['found']} order by rowid desc limit {size})"
    return f"select * from ({sql}) order by id desc limit {size}"


class Remembered:
    """Facet results kept per page (database state, SQL, parameters, path, query string); a
    facet class computes them in count().

    The results are shared by every visitor, so they are kept without anything taken from one
    request's headers: links are stored as paths and made absolute again for each request (a
    remembered `Host: evil.example` would otherwise reach every later visitor).

    Facets of more than FACET_SAMPLE claims found or filtered count the most recently added
    FACET_SAMPLE of them, and each facet says so (`sample`: counted, of), unless the page was
    asked to count all (`?_count_all=1`). The whole claims table's are kept counts, always exact."""

    memory: ClassVar[Memory] = Memory()

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        request = self.request  # type: ignore[attr-defined]
        sample = self._sample()
        if sample:
            self.sql = most_recently_added(self.sql, sample)  # type: ignore[has-type]
        path = self.ds.get_database(self.database).path  # type: ignore[attr-defined]
        key = (type(self).__name__, self.database, database_state(path), self.sql,  # type: ignore[attr-defined]
               params_key(self.params), request.path, request.query_string)  # type: ignore[attr-defined]  # fmt: skip
        remembered = self.memory.get(key)
        if remembered is None:
            results, timed_out = await self.count()
            remembered = ([_facet_links(f, host_free) for f in results], timed_out)
            if not timed_out:  # never remember a timed-out facet
                self.memory.put(key, remembered)
        absolute = partial(self.ds.absolute_url, request)  # type: ignore[attr-defined]
        labelled = {"sample": {"counted": sample, "of": self.row_count}} if sample else {}  # type: ignore[attr-defined]
        return [{**_facet_links(f, absolute), **labelled} for f in remembered[0]], list(remembered[1])

    def _sample(self) -> int | None:
        """FACET_SAMPLE when this page's facets would count more claims than that."""
        rows = self.row_count  # type: ignore[attr-defined]
        filtered = re.search(r"\bwhere\b", self.sql, re.IGNORECASE) is not None  # type: ignore[has-type]
        many = rows is not None and rows > FACET_SAMPLE
        counting_all = bool(self.request.args.get(COUNT_ALL))  # type: ignore[attr-defined]
        return FACET_SAMPLE if self.table == "claims" and filtered and many and not counting_all else None  # type: ignore[attr-defined]


def _facet_links(facet: dict[str, Any], link: Any) -> dict[str, Any]:
    """A copy of one facet's results with each value's toggle_url passed through `link`."""
    values = [{**v, "toggle_url": link(v["toggle_url"])} if v.get("toggle_url") else dict(v)
              for v in facet.get("results", [])]  # fmt: skip
    return {**facet, "results": values}


COUNT_SQL = re.compile(r"\s*select\s+count\(\*\)\s", re.IGNORECASE)


def remember_counts(database: Database) -> None:
    """Make this database's `select count(*) …` queries answer from memory until it changes."""
    execute = database.execute
    if not database.path or getattr(execute, "remembers_counts", False):
        return  # in-memory databases have no file whose changes would tell when to forget
    memory = Memory()

    async def execute_remembering_counts(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Results:
        stored = kept(sql, params)
        if stored is not None:
            with suppress(sqlite3.OperationalError):  # no kept counts in this database: count as before
                return await execute(*stored, *args, **kwargs)  # type: ignore[no-any-return]
        if not COUNT_SQL.match(sql):
            return await execute(sql, params, *args, **kwargs)
        key = (database_state(database.path), sql, params_key(params))
        results = memory.get(key)
        if results is None:
            results = await execute(sql, params, *args, **kwargs)
            memory.put(key, results)
        return results  # type: ignore[no-any-return]

    execute_remembering_counts.remembers_counts = True  # type: ignore[attr-defined]
    database.execute = execute_remembering_counts  # type: ignore[method-assign]


class CountedFacet(Remembered, ColumnFacet):
    type = "counted"

    async def count(self) -> tuple[list[dict[str, Any]], list[str]]:
        return await ColumnFacet.facet_results(self)

    async def suggest(self) -> list[dict[str, Any]]:
        return []


class SubjectFacet(Remembered, Facet):
    type = "subject"

    async def suggest(self) -> list[dict[str, Any]]:
        return []

    def _through(self, subject_id: int) -> str:
        return json.dumps({"table": THROUGH_TABLE, "column": THROUGH_COLUMN, "value": str(subject_id)})

    def _sql(self, limit: int, kept: bool = False) -> str:
        # The whole table: the counts kept at ingest (`kept`), else counted from the index.
        # Filtered: only the matching claims.
        filtered = re.search(r"\bwhere\b", self.sql, re.IGNORECASE) is not None
        claims = f"WHERE claim_subjects.claim_id IN (SELECT id FROM ({self.sql}))" if filtered else ""
        counts = SUBJECT_COUNTS if kept and not filtered else (
            f"SELECT subject_id, count(*) AS count FROM claim_subjects {claims} GROUP BY subject_id")  # fmt: skip
        return f"""
            SELECT subjects.id AS value, subjects.name AS label, counts.count AS count
            FROM ({counts}) AS counts
            JOIN subjects ON subjects.id = counts.subject_id
            ORDER BY counts.count DESC, subjects.name
            LIMIT {limit}"""

    async def count(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        facet_size = self.get_facet_size()
        selected = set(self.request.args.getlist("_through"))
        for source_and_config in self.get_configs():
            column = source_and_config["config"].get("column") or source_and_config["config"]["simple"]
            try:
                rows = await self._rows(facet_size + 1)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:facet_size]:
                through = self._through(row["value"])
                is_selected = through in selected
                path = (path_with_removed_args(self.request, {"_through": through}) if is_selected
                        else path_with_added_args(self.request, {"_through": through}))  # fmt: skip
                values.append({
                    "value": row["value"], "label": row["label"], "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                    "selected": is_selected,
                })  # fmt: skip
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_subject": column})),
                "truncated": len(rows.rows) > facet_size,
            })  # fmt: skip
        return results, timed_out

    async def _rows(self, limit: int) -> Results:
        for from_kept in (True, False):
            try:
                return await self.ds.execute(  # type: ignore[no-any-return]
                    self.database, self._sql(limit, from_kept), self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )  # fmt: skip
            except sqlite3.OperationalError:
                if not from_kept:
                    raise  # a database without claim_counts: counted from the index instead
        raise AssertionError("unreachable")


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [SubjectFacet, CountedFacet]


def table_rows_html(rows: Iterable[Iterable[dict[str, Any]]]) -> Markup:
    """The <tr> rows of Datasette's _table.html: each cell's value escaped, as Jinja would."""
    html = []
    for row in rows:
        html.append("<tr>")
        html.extend(
            f'<td class="col-{escape(to_css_class(cell["column"]))} type-{escape(cell["value_type"])}">'
            f"{escape(cell['value'])}</td>"
            for cell in row
        )
        html.append("</tr>")
    return Markup("\n".join(html))


@hookimpl
def prepare_jinja2_environment(env: Environment) -> None:
    env.filters["table_rows_html"] = table_rows_html


def read_only(database: Database) -> None:
    """Datasette only reads: its write connection is opened like its read ones (`mode=ro`), so
    nothing served through it can change the file."""
    if database.path and not getattr(database.connect, "read_only", False):
        connect = database.connect
        database.connect = lambda write=False: connect(write=False)  # type: ignore[method-assign]
        database.connect.read_only = True  # type: ignore[attr-defined]


@hookimpl(trylast=True)  # after Datasette's: its escape_fts is replaced by one that widens Russian words
def prepare_connection(conn: sqlite3.Connection) -> None:
    add_vocabulary(conn)
    add_recount_views(conn)
    register_escape_fts(conn)


@hookimpl
def startup(datasette: Datasette) -> Any:
    for database in datasette.databases.values():
        read_only(database)
        remember_counts(database)

    async def warm() -> None:
        """What a server's first page would otherwise do on its visitor's time: Datasette's
        catalog of the database's tables and columns, and every template compiled (~0.2 s)."""
        await datasette.refresh_schemas()
        for name in datasette.jinja_env.list_templates(extensions=["html"]):
            with suppress(Exception):  # a template that cannot compile alone fails when used, as before
                datasette.jinja_env.get_template(name)

    return warm


# The claim, speaker, source, home and database pages and the dashboard (pages.py, home.py,
# charts.py, templates/): their hooks join this plugin by being attributes of this module.
from tracker.datasette_plugin.pages import extra_css_urls as extra_css_urls
from tracker.datasette_plugin.pages import extra_template_vars as extra_template_vars
from tracker.datasette_plugin.pages import register_routes as register_routes
from tracker.datasette_plugin.pages import render_cell as render_cell
