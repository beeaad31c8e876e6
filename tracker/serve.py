"""Publish the database with Datasette, configured by metadata.yml."""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path
from typing import Any

import yaml

from tracker.db import open_read_only, resource, unwritable

METADATA_DATABASE = "claims"
# One bad query must not stall the server; facet work is bounded the same way.
SETTINGS: dict[str, int | bool] = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,
    # Suggesting facets runs a query per column on every page view: nearly all of the time a
    # table page takes at a million rows. The configured facets are still computed.
    "suggest_facets": False,
    # Fifty claims a page: long sentences read better in shorter pages, and a page's rendering
    # (Datasette renders every cell through the plugins' hooks) is most of its time at a million
    # claims: a common-word search took 53 ms p95 at 100 rows, 43 ms at 50. `?_size=` asks for more.
    "default_page_size": 50,
}

# Allocations between young-generation collections (Python's default: 700). Each page leaves
# about 2,000 objects in reference cycles: collected every few thousand allocations, each pause
# is a few milliseconds; at 50,000 it was one 15-20 ms pause every dozen pages.
GC_THRESHOLD = 5_000


def load_metadata(database_name: str = METADATA_DATABASE) -> dict[str, Any]:
    """metadata.yml, with its `claims` database section renamed to the file actually served."""
    metadata = yaml.safe_load(resource("metadata.yml").read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if database_name != METADATA_DATABASE and METADATA_DATABASE in databases:
        databases[database_name] = databases.pop(METADATA_DATABASE)
    return metadata


def datasette_args(db_path: Path, metadata_path: Path, host: str, port: int, immutable: bool = False) -> list[str]:
    """Datasette opens a database read-only (`mode=ro`), or immutable when the file is read-only
    (tracker.db.unwritable); the plugin makes its write connection read-only too."""
    database = ["-i", str(db_path)] if immutable else [str(db_path)]
    args = ["serve", *database, "--metadata", str(metadata_path), "--host", host]
    args += ["--port", str(port)]
    for name, value in SETTINGS.items():
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        args += ["--setting", name, text]
    return args


def calm_garbage_collector() -> None:
    """Keep Python's cycle collector from pausing requests.

    A full collection walks every object the server holds (Datasette, Jinja, the templates):
    tens of milliseconds that land on whichever request triggered it. Objects alive at start-up
    are frozen out of collection; young ones are collected in small, regular batches.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Check the database (read-only: serving never changes the file), then run Datasette in
    this process until interrupted. Raises TrackerError for a missing or foreign file."""
    from datasette.cli import cli as datasette_cli

    open_read_only(db_path).close()
    immutable = unwritable(db_path)
    calm_garbage_collector()
    with tempfile.TemporaryDirectory() as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(yaml.safe_dump(load_metadata(db_path.stem)), encoding="utf-8")
        datasette_cli.main(
            datasette_args(db_path, metadata_path, host, port, immutable),
            prog_name="tracker serve",
            standalone_mode=True,
        )
