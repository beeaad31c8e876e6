"""A Datasette plugin (loaded through the `datasette` entry point in pyproject.toml).

- The `subject` facet counts claims per subject from the indexed `claim_subjects` table instead
  of unpacking every row's JSON `subjects` array, as Datasette's array facet does: at a million
  claims that is the difference between tens of milliseconds and seconds per table page. Its
  links filter with Datasette's many-to-many `_through`, which uses the same index.
- The `counted` facet is Datasette's column facet, remembered until the database file changes:
  counting a million rows per facet on every view of the same page is the rest of a table
  page's time, and the data only changes when `tracker ingest` or `follow-up` writes.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any, ClassVar

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.utils import path_with_added_args, path_with_removed_args

CACHE_SIZE = 512
THROUGH_TABLE = "claim_subjects"
THROUGH_COLUMN = "subject_id"


class Remembered:
    """Facet results kept per page (database state, SQL, parameters, query string); a facet
    class computes them in count()."""

    cache: ClassVar[OrderedDict[tuple[Any, ...], tuple[list[dict[str, Any]], list[str]]]] = OrderedDict()

    def _state(self) -> tuple[Any, ...]:
        """The database file and its write-ahead log, as they are now: any write changes this."""
        path = self.ds.get_database(self.database).path  # type: ignore[attr-defined]
        if not path:
            return (None,)
        files = [Path(path), Path(f"{path}-wal")]
        return (path, *((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files))

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        key = (type(self).__name__, self.database, self._state(), self.sql,  # type: ignore[attr-defined]
               json.dumps(self.params, sort_keys=True, default=str), self.request.query_string)  # type: ignore[attr-defined]  # fmt: skip
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        results = await self.count()
        if not results[1]:  # never remember a timed-out facet
            self.cache[key] = results
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        return results


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

    def _sql(self, limit: int) -> str:
        # The whole table: count straight from the index. Filtered: only the matching claims.
        filtered = re.search(r"\bwhere\b", self.sql, re.IGNORECASE) is not None
        claims = f"WHERE claim_subjects.claim_id IN (SELECT id FROM ({self.sql}))" if filtered else ""
        return f"""
            SELECT subjects.id AS value, subjects.name AS label, counts.count AS count
            FROM (SELECT subject_id, count(*) AS count FROM claim_subjects {claims}
                  GROUP BY subject_id) AS counts
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
                rows = await self.ds.execute(
                    self.database, self._sql(facet_size + 1), self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )  # fmt: skip
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


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [SubjectFacet, CountedFacet]
