"""Benchmark `tracker ingest` and `tracker serve` against a raw-SQLite baseline, in one run.

    python -m benchmarks.run                 # 20,000 articles
    python -m benchmarks.run --large         # 100,000 articles (about a million claims)
    python -m benchmarks.run --articles 500 --requests 5 --json out.json

1. generates N articles in the house style (benchmarks/corpus.py);
2. times `tracker ingest` of them as a user runs it (a whole process), and a raw baseline on the
   same files: every line after a line ending in ':' is a claim, inserted with plain
   sqlite3.executemany into tables of the same shape (sources with raw text, claims with the
   same indexes and FTS5), one transaction per file;
3. times re-ingesting the same corpus, against hashing the files;
4. starts `tracker serve` on the tracker database and times the pages users open (p50/p95);
5. prints a table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
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
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from benchmarks.corpus import write_corpus

BASELINE_SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE sources (id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, published_at TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE, raw_text TEXT NOT NULL);
CREATE TABLE claims (id INTEGER PRIMARY KEY, claim_key TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES sources(id), text TEXT NOT NULL, line INTEGER NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, speaker_id INTEGER,
    attributed_to_id INTEGER, is_commitment INTEGER NOT NULL DEFAULT 0, deadline TEXT,
    follow_up_due TEXT, status TEXT, retracted_at TEXT, statement_id INTEGER);
-- The indexes of schema.sql's claims table.
CREATE INDEX idx_claims_source ON claims(source_id);
CREATE INDEX idx_claims_speaker ON claims(speaker_id);
CREATE INDEX idx_claims_attributed ON claims(attributed_to_id);
CREATE INDEX idx_claims_commitment_state ON claims(is_commitment, retracted_at);
CREATE INDEX idx_claims_status ON claims(status);
CREATE INDEX idx_claims_statement ON claims(statement_id);
CREATE INDEX idx_open_commitments_deadline ON claims(deadline) WHERE is_commitment = 1 AND retracted_at IS NULL;
CREATE INDEX idx_open_commitments_due ON claims(follow_up_due) WHERE is_commitment = 1 AND retracted_at IS NULL;
CREATE VIRTUAL TABLE claims_fts USING fts5(text, content="claims", content_rowid="id");
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text) VALUES (NEW.id, NEW.text);
END;
"""


def baseline_ingest(files: list[Path], db_path: Path) -> int:
    """The physical limit of the design: no real extraction, plain executemany, one commit per file."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.executescript(BASELINE_SCHEMA)
    claims = 0
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-8")
        sha256 = hashlib.sha256(data).hexdigest()
        rows, in_list, offset = [], False, 0
        for number, line in enumerate(text.split("\n"), start=1):
            if in_list and line.strip():
                key = hashlib.sha256(f"{sha256}\n{number}".encode()).hexdigest()[:24]
                rows.append((key, line, number, offset, offset + len(line)))
            if line.rstrip().endswith(":"):
                in_list = True
            offset += len(line) + 1
        conn.execute("BEGIN")
        source_id = conn.execute(
            "INSERT INTO sources (file_name, published_at, sha256, raw_text) VALUES (?, ?, ?, ?)",
            (path.name, text[6:16], sha256, text),
        ).lastrowid
        conn.executemany(
            "INSERT INTO claims (source_id, claim_key, text, line, char_start, char_end) VALUES (?, ?, ?, ?, ?, ?)",
            [(source_id, *row) for row in rows],
        )
        conn.execute("COMMIT")
        claims += len(rows)
    conn.close()
    return claims


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark: {' '.join(command)} failed: {result.stderr.strip()[-300:]}")
    return elapsed, result


def peak_rss_mb(command: list[str]) -> tuple[float, float]:
    """Run a command under /usr/bin/time -v when available: (seconds, peak RSS in MB)."""
    if not Path("/usr/bin/time").exists():
        elapsed, _ = timed(command)
        return elapsed, float("nan")
    elapsed, result = timed(["/usr/bin/time", "-v", *command])
    for line in result.stderr.splitlines():
        if "Maximum resident set size" in line:
            return elapsed, int(line.split()[-1]) / 1024
    return elapsed, float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


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


def time_pages(db: Path, requests: int) -> dict[str, dict[str, float]]:
    conn = sqlite3.connect(db)
    claim_id, source_id, speaker_id = conn.execute(
        "SELECT id, source_id, speaker_id FROM claims ORDER BY id DESC LIMIT 1").fetchone()
    sources = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    conn.close()
    article_number = sources // 2  # generated claims carry their article's number
    pages = {
        "claims table with facets": "/claims/claims",
        "full-text search": "/claims/claims?_search=humanitarian",  # a word in 1 claim of 12
        "full-text search, rare word": f"/claims/claims?_search={article_number}",  # one article's claims
        "commitments by deadline": "/claims/commitments?_sort=deadline",
        "overdue canned query": "/claims/overdue?as_of=2025-06-01",
        "a claim's own page": f"/claims/claims/{claim_id}",
        "a speaker's page": f"/claims/people/{speaker_id}",
        "a source's page": f"/claims/sources/{source_id}",
        "home page": "/",
        "dashboard": "/-/dashboard",
    }
    with running_server(db, wait_seconds=60) as base:
        results = {}
        for name, path in pages.items():
            started = time.perf_counter()  # the first view: nothing remembered yet
            urllib.request.urlopen(base + path, timeout=60).read()
            first_ms = (time.perf_counter() - started) * 1000
            samples = []
            for _ in range(requests):
                started = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
                    assert response.status == 200
                samples.append((time.perf_counter() - started) * 1000)
            results[name] = {"p50_ms": round(statistics.median(samples), 1),
                             "p95_ms": round(percentile(samples, 0.95), 1),
                             "first_ms": round(first_ms, 1), "path": path}  # fmt: skip
        return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000, help="articles to generate (default 20,000)")
    parser.add_argument("--large", action="store_true", help="100,000 articles (about a million claims)")
    parser.add_argument("--requests", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and databases here")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"), help="write figures here")
    args = parser.parse_args(argv)
    count = 100_000 if args.large else args.articles
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    corpus = work / f"corpus-{count}"
    if not corpus.exists() or len(list(corpus.glob("*.txt"))) != count:
        shutil.rmtree(corpus, ignore_errors=True)
        print(f"generating {count:,} articles in {corpus} …", file=sys.stderr)
        write_corpus(corpus, count)
    files = sorted(corpus.glob("*.txt"))
    tracker_db, baseline_db = work / "claims.db", work / "baseline.db"
    for path in (tracker_db, baseline_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    started = time.perf_counter()
    baseline_claims = baseline_ingest(files, baseline_db)
    baseline_seconds = time.perf_counter() - started
    tracker_seconds, peak_mb = peak_rss_mb(
        [sys.executable, "-m", "tracker.cli", "ingest", str(corpus), "--db", str(tracker_db)]
    )
    conn = sqlite3.connect(tracker_db)
    tracker_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    conn.close()
    started = time.perf_counter()
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()
    hash_seconds = time.perf_counter() - started
    reingest_seconds, _ = timed([sys.executable, "-m", "tracker.cli", "ingest", str(corpus), "--db", str(tracker_db)])
    startup_seconds, _ = timed([sys.executable, "-m", "tracker.cli", "--help"])

    figures: dict[str, Any] = {
        "articles": count,
        "claims": tracker_claims,
        "baseline_claims": baseline_claims,
        "tracker_ingest_s": round(tracker_seconds, 2),
        "baseline_ingest_s": round(baseline_seconds, 2),
        "ratio_tracker_to_baseline": round(tracker_seconds / baseline_seconds, 2),
        "tracker_articles_per_s": round(count / tracker_seconds),
        "tracker_claims_per_s": round(tracker_claims / tracker_seconds),
        "baseline_articles_per_s": round(count / baseline_seconds),
        "baseline_claims_per_s": round(baseline_claims / baseline_seconds),
        "ingest_peak_rss_mb": round(peak_mb, 1),
        "reingest_s": round(reingest_seconds, 2),
        "hash_files_s": round(hash_seconds, 2),
        "cli_startup_s": round(startup_seconds, 2),
        "db_bytes_per_claim": round(tracker_db.stat().st_size / max(tracker_claims, 1)),
        "pages": time_pages(tracker_db, args.requests),
    }
    print_table(figures)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def print_table(f: dict[str, Any]) -> None:
    print(f"{f['articles']:,} articles, {f['claims']:,} claims")
    print(f"{'':28}{'seconds':>10}{'articles/s':>12}{'claims/s':>12}")
    print(f"{'tracker ingest':28}{f['tracker_ingest_s']:>10}{f['tracker_articles_per_s']:>12,}{f['tracker_claims_per_s']:>12,}")
    print(f"{'raw SQLite baseline':28}{f['baseline_ingest_s']:>10}{f['baseline_articles_per_s']:>12,}{f['baseline_claims_per_s']:>12,}")
    print(f"ratio tracker / baseline: {f['ratio_tracker_to_baseline']}×   peak RSS: {f['ingest_peak_rss_mb']} MB")
    print(f"re-ingest: {f['reingest_s']} s (hashing the files: {f['hash_files_s']} s, CLI start-up: {f['cli_startup_s']} s)")
    print(f"database: {f['db_bytes_per_claim']} bytes per claim")
    print(f"{'page':28}{'p50 ms':>10}{'p95 ms':>10}{'first ms':>10}")
    for name, page in f["pages"].items():
        print(f"{name:28}{page['p50_ms']:>10}{page['p95_ms']:>10}{page['first_ms']:>10}")


if __name__ == "__main__":
    main()
