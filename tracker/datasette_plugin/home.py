"""The home page, `/`: Datasette's index.html (with this plugin's start section, templates/
index.html), listing the databases and tables as Datasette's IndexView does, with less work.

IndexView, on every view, reads each table's columns, primary keys and full-text table, which
only its JSON shows (~9 ms for this project's 26 tables and views), and checks twice whether each
may be seen, by the visitor and by anyone, each check copying the whole metadata (~16 ms): most of
a home page that took 77 ms p50 at 20,000 articles. This view reads none of the former, checks
once for an anonymous visitor (both checks then ask the same question), and remembers each
database's listing until its file changes (a table added, rows written). `/.json` is still
Datasette's IndexView.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from datasette import Forbidden
from datasette.version import __version__
from datasette.views.base import BaseView
from datasette.views.index import COUNT_DB_SIZE_LIMIT, TRUNCATE_AT

from tracker.datasette_plugin import Memory, database_state

if TYPE_CHECKING:
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.utils.asgi import Request, Response

HOME_PATH = r"^/$"
# Each server's listings (a view is made anew for every request).
LISTINGS: WeakKeyDictionary[Datasette, Memory] = WeakKeyDictionary()


class HomeView(BaseView):
    name = "index"  # as Datasette's: the view name templates and plugin hooks are given

    async def get(self, request: Request) -> Response:
        await self.ds.ensure_permissions(request.actor, ["view-instance"])
        by_relationships = request.args.get("_sort") == "relationships"
        databases = []
        for db in self.ds.databases.values():
            listing = await self.listing(db, request.actor, by_relationships)
            if listing is not None:
                databases.append(listing)
        context = {
            "databases": databases,
            "metadata": self.ds.metadata(),
            "datasette_version": __version__,
            "private": not await self.ds.permission_allowed(None, "view-instance", default=True),
        }
        return await self.render(["index.html"], request=request, context=context)  # type: ignore[no-any-return]

    async def listing(self, db: Database, actor: dict[str, Any] | None, by_relationships: bool) -> dict[str, Any] | None:
        """One database's listing, remembered until its file changes; an in-memory database's
        (it has no file to tell) is listed anew every time."""
        if not db.path:
            return await database_listing(self.ds, db, actor, by_relationships)
        key = (db.name, database_state(db.path), json.dumps(actor, sort_keys=True, default=str), by_relationships)
        listings = LISTINGS.setdefault(self.ds, Memory(64))
        listing = listings.get(key)
        if listing is None:  # kept in a dict: None (not visible) is remembered too
            listing = {"listed": await database_listing(self.ds, db, actor, by_relationships)}
            listings.put(key, listing)
        return listing["listed"]  # type: ignore[no-any-return]


async def visibility(datasette: Datasette, actor: dict[str, Any] | None, action: str, resource: Any) -> tuple[bool, bool]:
    """Datasette's check_visibility, (visible, private), asking once when there is no actor."""
    if actor is not None:
        return await datasette.check_visibility(actor, action, resource)  # type: ignore[no-any-return]
    try:
        await datasette.ensure_permissions(None, [(action, resource)])
    except Forbidden:
        return False, False
    return True, False


async def table_counts(db: Database) -> dict[str, int]:
    """Every table's rows, when IndexView counts them (an immutable file, or one under 100 MB)
    and no count timed out; else none."""
    if db.is_mutable and db.size >= COUNT_DB_SIZE_LIMIT:
        return {}
    counts = await db.table_counts(10)
    return {} if any(count is None for count in counts.values()) else counts


async def database_listing(datasette: Datasette, db: Database, actor: dict[str, Any] | None,
                           by_relationships: bool) -> dict[str, Any] | None:  # fmt: skip
    """What index.html shows of one database, as IndexView computes it, without each table's
    columns, primary keys and full-text table; None when the actor may not see it."""
    visible, private = await visibility(datasette, actor, "view-database", db.name)
    if not visible:
        return None
    views = []
    for name in await db.view_names():
        seen, view_private = await visibility(datasette, actor, "view-table", (db.name, name))
        if seen:
            views.append({"name": name, "private": view_private})
    counts = await table_counts(db)
    hidden = set(await db.hidden_table_names())
    tables = {}
    for name in await db.table_names():
        seen, table_private = await visibility(datasette, actor, "view-table", (db.name, name))
        if seen:
            tables[name] = {"name": name, "count": counts.get(name), "hidden": name in hidden,
                            "num_relationships_for_sorting": 0, "private": table_private}  # fmt: skip
    if by_relationships or not counts:
        for name, keys in (await db.get_all_foreign_keys()).items():
            if name in tables:
                tables[name]["num_relationships_for_sorting"] = len(keys["incoming"] + keys["outgoing"])
    shown = [t for t in tables.values() if not t["hidden"]]
    hidden_tables = [t for t in tables.values() if t["hidden"]]
    first = sorted(shown, key=lambda t: (t["num_relationships_for_sorting"], t["count"] or 0, t["name"]),
                   reverse=True)[:TRUNCATE_AT]  # fmt: skip
    first += views[: TRUNCATE_AT - len(first)]
    return {
        "name": db.name,
        "hash": db.hash,
        "color": db.hash[:6] if db.hash else hashlib.md5(db.name.encode("utf8")).hexdigest()[:6],
        "path": datasette.urls.database(db.name),
        "tables_and_views_truncated": first,
        "tables_and_views_more": len(shown) + len(views) > TRUNCATE_AT,
        "tables_count": len(shown),
        "table_rows_sum": sum(t["count"] or 0 for t in shown),
        "show_table_row_counts": bool(counts),
        "hidden_table_rows_sum": sum(t["count"] for t in hidden_tables if t["count"] is not None),
        "hidden_tables_count": len(hidden_tables),
        "views_count": len(views),
        "private": private,
    }
