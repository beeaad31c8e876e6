"""The tracker's extraction and its writer, timed apart.

`extract_then_write` runs the tracker's own extraction (`tracker.ingest._extract`, what each
worker process runs) over the corpus in this one process, a chunk at a time, then replays each
chunk's results through the tracker's write path (`CommitGroup` and `_write_new_source`, the loop
of `tracker.ingest.ingest`) into a fresh database. The two clocks never overlap, so extraction is
milliseconds per article on one core and the writer is the writer alone, fed rows already
extracted: the figure to hold against the limit writer (benchmarks/baselines.py).

Inside those clocks it also times the statement grouping: fingerprinting each wording (in the
extraction) and `assign_statements` (in the writer), by wrapping the names tracker.ingest calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from tracker import ingest
from tracker.articles import DEFAULT_MAX_BYTES, read_article
from tracker.db import connect, refresh_statistics
from tracker.extract import DEFAULT_REVIEW_DAYS

# Articles extracted, then written: memory stays flat at any corpus size. Whole commit groups, and
# each chunk's last group is committed before the next chunk is extracted, so the groups are the
# ones ingest writes (an open group would otherwise outlast its one second during extraction).
CHUNK = 4 * ingest.GROUP_FILES


@dataclass
class Clocks:
    extract_s: float = 0.0
    write_s: float = 0.0
    fingerprint_s: float = 0.0  # within extract_s
    assign_statements_s: float = 0.0  # within write_s
    claims: int = 0


@contextmanager
def timing(module: Any, name: str, clocks: Clocks, field: str) -> Iterator[None]:
    """Add the time spent in module.name to clocks.field while the block runs."""
    original: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            setattr(clocks, field, getattr(clocks, field) + time.perf_counter() - started)

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, original)


def extract_then_write(files: list[Path], db_path: Path) -> Clocks:
    clocks = Clocks()
    conn = connect(db_path).conn
    conn.execute(f"PRAGMA wal_autocheckpoint = {ingest.INGEST_WAL_PAGES}")
    conn.execute(f"PRAGMA cache_size = -{ingest.INGEST_CACHE_KIB}")
    group = ingest.CommitGroup(conn)
    with timing(ingest, "fingerprint", clocks, "fingerprint_s"), \
            timing(ingest, "assign_statements", clocks, "assign_statements_s"):  # fmt: skip
        for start in range(0, len(files), CHUNK):
            results = _extract(files[start : start + CHUNK], clocks)
            _write(conn, group, results, clocks)
    started = time.perf_counter()
    conn.execute(f"PRAGMA wal_autocheckpoint = {ingest.DEFAULT_WAL_PAGES}")
    refresh_statistics(sqlite_utils.Database(conn))
    clocks.write_s += time.perf_counter() - started
    conn.close()
    return clocks


def _extract(files: list[Path], clocks: Clocks) -> list[ingest.Extracted]:
    jobs = []
    for path in files:  # reading the files is neither clock's
        data, name = read_article(path, DEFAULT_MAX_BYTES)
        jobs.append((path, name, data, DEFAULT_REVIEW_DAYS))
    started = time.perf_counter()
    results = [ingest._extract(job) for job in jobs]
    clocks.extract_s += time.perf_counter() - started
    return results


def _write(conn: Any, group: ingest.CommitGroup, results: list[ingest.Extracted], clocks: Clocks) -> None:
    """ingest.ingest's loop over extracted files, without the reading, extracting or reporting."""
    started = time.perf_counter()
    for result in results:
        if result.source is None or result.claims is None:
            continue
        group.begin()
        if ingest._write_new_source(conn, result.source, result.claims):
            clocks.claims += len(result.claims.values)
        group.written()
    group.commit()
    clocks.write_s += time.perf_counter() - started
