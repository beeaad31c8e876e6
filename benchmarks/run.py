"""Benchmark `tracker ingest` and `tracker serve` against two baselines, in one run.

    python -m benchmarks.run                 # 20,000 articles
    python -m benchmarks.run --large         # 100,000 articles (about a million claims)
    python -m benchmarks.run --articles 500 --requests 5 --json out.json

1. generates N articles (benchmarks/corpus.py);
2. times, on the same files: the naive baseline and the limit writer (benchmarks/baselines.py:
   no real extraction, "every line after a colon"), and `tracker ingest` as a user runs it (a
   whole process, with its worker processes);
3. times the tracker's extraction in one process (ms per article per core) and the tracker's
   writer alone replaying those results (benchmarks/writer.py), and within them the statement
   grouping (fingerprinting, assign_statements);
4. times re-ingesting the same corpus, against hashing the files;
5. times the pages users open (benchmarks/pages.py): first views, each in a fresh `tracker serve`
   process, and later views (p50/p95); then two servers over the same file while an ingest runs;
6. prints a table and writes the figures as JSON.

Ratios are only ever between figures of one run: the machine may be busy with other work.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.baselines import limit_ingest, naive_ingest
from benchmarks.corpus import write_corpus
from benchmarks.pages import running_server, scale_out, time_pages
from benchmarks.writer import extract_then_write

__all__ = ["main", "running_server"]  # the tests start servers with running_server


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


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000, help="articles to generate (default 20,000)")
    parser.add_argument("--large", action="store_true", help="100,000 articles (about a million claims)")
    parser.add_argument("--requests", type=int, default=30, help="later views per page (default 30)")
    parser.add_argument("--first-views", type=int, default=5, help="fresh server processes (default 5)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and databases here")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"), help="write figures here")
    args = parser.parse_args(argv)
    count = 100_000 if args.large else args.articles
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    files = corpus_files(work / f"corpus-{count}", count)
    dbs = {name: work / f"{name}.db" for name in ("claims", "naive", "limit", "writer")}
    for path in dbs.values():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    figures: dict[str, Any] = {"articles": count, **time_ingest(files, dbs)}
    figures.update(time_reingest(files, dbs["claims"]))
    figures["pages"] = time_pages(dbs["claims"], args.requests, args.first_views)
    more = corpus_files(work / f"corpus-{count}-more", max(count // 5, 50), seed=1)
    ingest_more = [sys.executable, "-m", "tracker.cli", "ingest", str(more[0].parent), "--db", str(dbs["claims"])]
    figures["scale_out"] = scale_out(dbs["claims"], ingest_more)
    print_table(figures)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def corpus_files(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """The corpus, generated unless a complete one is already there."""
    if not folder.exists() or len(list(folder.glob("*.txt"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {count:,} articles in {folder} …", file=sys.stderr)
        write_corpus(folder, count, seed)
    return sorted(folder.glob("*.txt"))


def claim_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM claims").fetchone()[0])
    finally:
        conn.close()


def time_ingest(files: list[Path], dbs: dict[str, Path]) -> dict[str, Any]:
    count = len(files)
    started = time.perf_counter()
    naive_claims = naive_ingest(files, dbs["naive"])
    naive_s = time.perf_counter() - started
    started = time.perf_counter()
    limit_claims = limit_ingest(files, dbs["limit"])
    limit_s = time.perf_counter() - started
    tracker_s, peak_mb = peak_rss_mb(
        [sys.executable, "-m", "tracker.cli", "ingest", str(files[0].parent), "--db", str(dbs["claims"])]
    )
    claims = claim_count(dbs["claims"])
    clocks = extract_then_write(files, dbs["writer"])
    assert clocks.claims == claims, "the writer alone wrote other rows than tracker ingest"
    return {
        "claims": claims, "naive_claims": naive_claims, "limit_claims": limit_claims,
        "tracker_ingest_s": round(tracker_s, 2), "naive_ingest_s": round(naive_s, 2),
        "limit_ingest_s": round(limit_s, 2), "writer_alone_s": round(clocks.write_s, 2),
        "ratio_tracker_to_naive": round(tracker_s / naive_s, 2),
        "ratio_tracker_to_limit": round(tracker_s / limit_s, 2),
        "ratio_writer_to_limit": round(clocks.write_s / limit_s, 2),
        "extract_ms_per_article": round(clocks.extract_s * 1000 / count, 3),
        "fingerprint_ms_per_article": round(clocks.fingerprint_s * 1000 / count, 3),
        "assign_statements_s": round(clocks.assign_statements_s, 2),
        "tracker_claims_per_s": round(claims / tracker_s), "limit_claims_per_s": round(limit_claims / limit_s),
        "ingest_peak_rss_mb": round(peak_mb, 1),
        "db_bytes_per_claim": round(dbs["claims"].stat().st_size / max(claims, 1)),
        "limit_db_bytes_per_claim": round(dbs["limit"].stat().st_size / max(limit_claims, 1)),
    }  # fmt: skip


def time_reingest(files: list[Path], db: Path) -> dict[str, float]:
    started = time.perf_counter()
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()
    hash_s = time.perf_counter() - started
    reingest_s, _ = timed([sys.executable, "-m", "tracker.cli", "ingest", str(files[0].parent), "--db", str(db)])
    startup_s, _ = timed([sys.executable, "-m", "tracker.cli", "--help"])
    return {"reingest_s": round(reingest_s, 2), "hash_files_s": round(hash_s, 2), "cli_startup_s": round(startup_s, 2)}


def print_table(f: dict[str, Any]) -> None:
    print(f"{f['articles']:,} articles, {f['claims']:,} claims (baselines: {f['limit_claims']:,} lines after a colon)")
    print(f"{'':34}{'seconds':>9}{'× limit':>9}{'× naive':>9}")
    limit, naive = f["limit_ingest_s"], f["naive_ingest_s"]
    for label, seconds in (("tracker ingest (whole process)", f["tracker_ingest_s"]),
                           ("tracker writer alone", f["writer_alone_s"]),
                           ("limit: plain sqlite3 writer", limit), ("naive baseline", naive)):  # fmt: skip
        print(f"{label:34}{seconds:>9}{seconds / limit:>9.2f}{seconds / naive:>9.2f}")
    print(f"extraction, one process: {f['extract_ms_per_article']} ms per article "
          f"(fingerprinting for grouping: {f['fingerprint_ms_per_article']} ms); "
          f"assign_statements in the writer: {f['assign_statements_s']} s")  # fmt: skip
    print(f"peak RSS of the ingest: {f['ingest_peak_rss_mb']} MB; database: {f['db_bytes_per_claim']} bytes "
          f"per claim (limit: {f['limit_db_bytes_per_claim']})")  # fmt: skip
    print(f"re-ingest: {f['reingest_s']} s (hashing the files: {f['hash_files_s']} s, CLI start-up: {f['cli_startup_s']} s)")
    print(f"{'page':28}{'p50 ms':>9}{'p95 ms':>9}{'first p50':>11}{'first p95':>11}")
    for name, page in f["pages"].items():
        print(f"{name:28}{page['p50_ms']:>9}{page['p95_ms']:>9}{page['first_p50_ms']:>11}{page['first_p95_ms']:>11}")
    print(f"two servers over the same file while an ingest runs{'':10}{'p50 ms':>9}{'p95 ms':>9}{'first':>9}{'views':>7}")
    for name, page in f["scale_out"].items():
        print(f"{name:60}{page['p50_ms']:>9}{page['p95_ms']:>9}{page['first_ms']:>9}{page['views']:>7}")


if __name__ == "__main__":
    main()
