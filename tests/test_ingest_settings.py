"""The connection settings `tracker ingest` writes with, and leaves behind."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from tracker import ingest

from .conftest import ARTICLES


def test_ingest_writes_with_a_large_page_cache_and_a_rare_checkpoint_then_restores_them(
    db: sqlite_utils.Database,
) -> None:
    before = [db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size", "wal_autocheckpoint")]
    during: list[list[int]] = []

    def progress(path: Path, report: ingest.IngestReport) -> None:
        during.append([db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size", "wal_autocheckpoint")])

    ingest.ingest(db, [ARTICLES], workers=1, progress=progress)
    assert during and all(d == [-ingest.INGEST_CACHE_KIB, ingest.INGEST_WAL_PAGES] for d in during)
    assert [db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size", "wal_autocheckpoint")] == before
