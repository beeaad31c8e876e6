"""Timing Datasette pages through real `tracker serve` processes.

A page's first view in a server process is timed apart from its later views: the first view is
what a visitor gets after every restart, in every process of a scaled-out deployment, and after
every write (remembered figures are forgotten when the file changes). Each first-view sample is
taken in a fresh server process.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

from tracker.models import FINAL_STATUSES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(percentile(samples, 0.95), 1)}


@contextmanager
def running_server(db: Path, wait_seconds: float = 15, prefix: Sequence[str] = ()) -> Iterator[str]:
    """`tracker serve` on a free port until the block ends; yields its base URL. Its output goes
    to a temporary file (a pipe nobody reads would stall it), shown if it fails to answer.
    `prefix` runs the server through another command (e.g. as another user)."""
    port = free_port()
    with tempfile.TemporaryFile() as output:
        command = [*prefix, sys.executable, "-m", "tracker.cli", "serve", "--db", str(db), "--port", str(port)]
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_answering(base, server, output, wait_seconds)
            yield base
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=10)


def _wait_until_answering(base: str, server: subprocess.Popen[bytes], output: IO[bytes], wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
            return
        except OSError:
            exited = server.poll() is not None
            if exited or time.monotonic() > deadline:
                output.seek(0)
                said = output.read().decode(errors="replace").strip()[-500:]
                why = f"exited ({server.returncode})" if exited else f"did not answer within {wait_seconds:g} s"
                raise RuntimeError(f"tracker serve {why}: {said}") from None
            time.sleep(0.1)


def fetch_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def page_paths(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    claim_id, source_id, speaker_id = conn.execute(
        "SELECT id, source_id, speaker_id FROM claims ORDER BY id DESC LIMIT 1").fetchone()
    sources = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    conn.close()
    article_number = sources // 2  # generated claims carry their article's number
    return {
        "claims table with facets": "/claims/claims",
        "full-text search": "/claims/claims?_search=humanitarian",  # a common word
        "full-text search, rare word": f"/claims/claims?_search={article_number}",  # one article's claims
        "commitments by deadline": "/claims/commitments?_sort=deadline",
        "overdue canned query": "/claims/overdue?as_of=2025-06-01",
        "a claim's own page": f"/claims/claims/{claim_id}",
        "a speaker's page": f"/claims/people/{speaker_id}",
        "a source's page": f"/claims/sources/{source_id}",
        "home page": "/",
        "dashboard": "/-/dashboard",
        "open commitments": "/claims/commitments?is_rated=0",  # the home page's lists
        "scorecard": "/claims/scorecard",
        # where the site's own links lead: the is_commitment facet, a speaker's page's commitments,
        # the promise meter's ratings and its overdue ones (tracker/datasette_plugin/pages.py)
        "commitments filter": "/claims/claims?is_commitment=1",
        "a speaker's commitments": f"/claims/claims?speaker_id={speaker_id}&is_commitment=1&_sort=follow_up_due",
        "a rating's commitments": "/claims/claims?is_commitment=1&status=not-yet-rated&_sort=follow_up_due",
        "overdue commitments": "/claims/claims?" + urlencode({  # as Links.overdue writes it
            "is_commitment": 1, "retracted_at__isnull": 1, "status__notin": ",".join(FINAL_STATUSES),
            "follow_up_due__lt": "2025-06-01", "_sort": "follow_up_due"}),
        "statements table": "/claims/statements",
    }


def time_pages(db: Path, requests: int, first_samples: int = 3) -> dict[str, dict[str, float | str]]:
    """Per page: its first view in each of `first_samples` fresh server processes (p50/p95 of
    those), then `requests` later views in the last one."""
    return compare_pages({"": (None, db)}, requests, first_samples)[""]


def compare_pages(versions: dict[str, tuple[Path | None, Path]], requests: int,
                  first_samples: int) -> dict[str, dict[str, dict[str, float | str]]]:  # fmt: skip
    """time_pages for each version: (a checkout of the code, or None for this one; its database,
    a file called claims.db). Each sample starts a fresh server of every version in turn, so a
    busy moment of the machine falls on all of them alike."""
    pages = page_paths(next(iter(versions.values()))[1])
    first: dict[tuple[str, str], list[float]] = {(v, name): [] for v in versions for name in pages}
    later: dict[tuple[str, str], list[float]] = {}
    for sample in range(first_samples):
        for version, (code, db) in versions.items():
            prefix = ["env", f"PYTHONPATH={code.resolve()}"] if code else []
            with running_server(db, wait_seconds=120, prefix=prefix) as base:
                for name, path in pages.items():
                    first[version, name].append(fetch_ms(base + path))
                if sample == first_samples - 1:
                    for name, path in pages.items():
                        later[version, name] = [fetch_ms(base + path) for _ in range(requests)]
    return {v: {name: {**summary(later[v, name]), "first_p50_ms": summary(first[v, name])["p50_ms"],
                       "first_p95_ms": summary(first[v, name])["p95_ms"], "path": path}
                for name, path in pages.items()} for v in versions}  # fmt: skip


def main(argv: list[str] | None = None) -> dict[str, dict[str, dict[str, float | str]]]:
    """python -m benchmarks.pages --version before ../before before/claims.db --version after . claims.db"""
    parser = argparse.ArgumentParser(description="First and later views of each page, per version of the code.")
    parser.add_argument("--version", nargs=3, action="append", required=True, metavar=("LABEL", "CODE", "DB"),
                        help="a label, a checkout of the code (its servers run it), its database (claims.db)")
    parser.add_argument("--requests", type=int, default=30, help="later views per page (default 30)")
    parser.add_argument("--first-views", type=int, default=5, help="fresh servers per version (default 5)")
    args = parser.parse_args(argv)
    versions = {label: (Path(code), Path(db)) for label, code, db in args.version}
    figures = compare_pages(versions, args.requests, args.first_views)
    print(f"{'page':28}" + "".join(f"{v + ': p50 / p95 / first p50 / first p95':>44}" for v in versions))
    for name in figures[next(iter(versions))]:
        cells = [" / ".join(str(figures[v][name][k]) for k in ("p50_ms", "p95_ms", "first_p50_ms", "first_p95_ms"))
                 for v in versions]  # fmt: skip
        print(f"{name:28}" + "".join(f"{cell:>44}" for cell in cells))
    return figures


SCALE_OUT_PAGES = ("claims table with facets", "full-text search", "full-text search, rare word")


def scale_out(db: Path, ingest_command: list[str]) -> dict[str, dict[str, float | int]]:
    """Two `tracker serve` processes over the same file, asked for the same pages in turn for as
    long as `ingest_command` writes to it: every commit makes remembered figures stale, so these
    are a mix of first and later views. Per server and page: p50/p95 over its views during the
    ingest, and its first view (in that fresh process) separately."""
    paths = {name: path for name, path in page_paths(db).items() if name in SCALE_OUT_PAGES}
    with ExitStack() as stack:
        bases = [stack.enter_context(running_server(db, wait_seconds=60)) for _ in range(2)]
        writer = subprocess.Popen(ingest_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples: dict[tuple[int, str], list[float]] = {(i, n): [] for n in paths for i in range(2)}
        try:
            time.sleep(1.0)  # past the ingest's start-up, into writing
            while writer.poll() is None or not samples[0, SCALE_OUT_PAGES[0]]:
                for (i, name), taken in samples.items():
                    taken.append(fetch_ms(bases[i] + paths[name]))
        finally:
            writer.wait()
    return {f"server {i + 1}: {name}": {**summary(taken), "first_ms": round(taken[0], 1), "views": len(taken)}
            for (i, name), taken in samples.items()}  # fmt: skip


if __name__ == "__main__":
    main()
