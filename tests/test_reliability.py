"""Bad input, crashes mid-ingest and concurrent reads: nothing half-written, nothing lost."""

from __future__ import annotations

import json
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import write_corpus
from benchmarks.run import running_server
from tracker.articles import parse_article
from tracker.errors import TrackerError
from tracker.extract import extract_claims

from .conftest import ARTICLES, SEED
from .test_serve import tracker

REAL_ARTICLES = [SEED.read_text(encoding="utf-8")] + [
    p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))[:4]
]


def extract_or_own_error(data: bytes) -> int | None:
    """The number of claims, each checked; None when the parser raised the project's own error."""
    try:
        claims = extract_claims(parse_article(data, "fuzz.txt"))
    except TrackerError:
        return None
    text = data.decode("utf-8")
    for claim in claims:
        assert text[claim.char_start : claim.char_end] == claim.quote
        assert claim.follow_up_due is not None
    return len(claims)


# A valid header, title, timestamp and marker: what follows it reaches extraction.
LIST_START = (" date 2025-06-14 World\nTalks in Geneva\nTalks in Geneva\n\n16:05 GMT 14.06.2025\n"
              "Kremlin aide Yuri Ushakov told journalists about the talks.\nUshakov also revealed that:\n")  # fmt: skip
TEXT_LINE = st.text(max_size=120)
BYTES_LINE = st.one_of(
    st.binary(max_size=120),
    TEXT_LINE.map(lambda t: t.encode("utf-8", "surrogatepass")),  # lone surrogates: not UTF-8
    st.tuples(st.sampled_from(["Russia will hold talks on trade ", "The sides discussed energy "]),
              st.binary(max_size=20)).map(lambda p: p[0].encode() + p[1]),
)  # fmt: skip


def outcomes(strategy: st.SearchStrategy, to_bytes: Any, examples: int = 300) -> list[int | None]:
    """Run the property over generated examples and return each one's outcome, so a test can
    show that extraction ran (claims found and checked) and not only that nothing crashed."""
    results: list[int | None] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
    @given(strategy)
    def check(value: Any) -> None:
        results.append(extract_or_own_error(to_bytes(value)))

    check()
    return results


def test_arbitrary_bytes_in_a_list_give_claims_or_our_error() -> None:
    results = outcomes(st.lists(BYTES_LINE, min_size=1, max_size=5),
                       lambda lines: LIST_START.encode() + b"\n".join(lines) + b"\n")  # fmt: skip
    with_claims, errors = sum(1 for r in results if r), results.count(None)
    assert with_claims >= 0.1 * len(results), f"{with_claims} of {len(results)} examples gave claims"
    assert errors >= 0.1 * len(results), f"{errors} of {len(results)} examples gave our error"


def test_arbitrary_bytes_alone_give_our_error() -> None:
    assert set(outcomes(st.binary(max_size=2000), lambda data: data, examples=200)) == {None}


def test_arbitrary_text_in_a_list_gives_claims_or_our_error() -> None:
    results = outcomes(st.lists(TEXT_LINE, min_size=1, max_size=8),
                       lambda lines: (LIST_START + "\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))  # fmt: skip
    with_claims = sum(1 for r in results if r)
    assert with_claims >= 0.4 * len(results), f"{with_claims} of {len(results)} examples gave claims"


def test_arbitrary_text_after_a_header_gives_our_error_or_claims() -> None:
    results = outcomes(st.text(max_size=2000), lambda text: (" date 2025-06-14 World\n" + text).encode("utf-8", "surrogatepass"))
    assert None in results  # (claims are checked whenever some turn up)


@st.composite
def mutated_article(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(REAL_ARTICLES)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "colon"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, draw(st.text(max_size=80)))
        elif action == "truncate":
            lines[index] = lines[index][: draw(st.integers(0, max(len(lines[index]), 1)))]
        else:
            lines[index] = lines[index] + ":"
    return "\n".join(lines)


def test_mutated_real_articles_give_claims_or_our_error() -> None:
    results = outcomes(mutated_article(), lambda text: text.encode("utf-8", "surrogatepass"))
    with_claims = sum(1 for r in results if r)
    assert with_claims >= 0.5 * len(results), f"{with_claims} of {len(results)} examples gave claims"


def source_claim_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute(
            "SELECT file_name, (SELECT count(*) FROM claims WHERE source_id = sources.id) FROM sources"
        ).fetchall())  # fmt: skip
    except sqlite3.OperationalError:  # the schema is not there yet
        return {}
    finally:
        conn.close()


def comparable(db: Path) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    try:
        claims = conn.execute("SELECT * FROM claims ORDER BY id").fetchall()
        sources = conn.execute(
            "SELECT id, file_name, sha256, raw_text, published_at FROM sources ORDER BY id"
        ).fetchall()
        return claims, sources
    finally:
        conn.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    # Enough files for several commit groups (256 files or 1 s each), so a kill can land between
    # them: with 300 the first group was often the whole corpus.
    write_corpus(folder, 900, seed=7)
    return folder


@pytest.fixture(scope="module")
def expected_counts(corpus: Path) -> dict[str, int]:
    return {p.name: len(extract_claims(parse_article(p.read_bytes(), p.name))) for p in corpus.glob("*.txt")}


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("reference") / "claims.db"
    subprocess.run(tracker("ingest", corpus, "--db", db), check=True, capture_output=True)
    return db


def processes_still_running(command_part: str, wait_seconds: float = 5.0) -> bool:
    """Whether any process whose command line has this text is left after waiting a little."""
    deadline = time.monotonic() + wait_seconds
    while True:
        left = [p for p in Path("/proc").glob("[0-9]*") if command_part in _command_line(p)]
        if not left or time.monotonic() > deadline:
            return bool(left)
        time.sleep(0.1)


def _command_line(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.parametrize("sources_before_kill", [1, 300, 600])
def test_kill_9_mid_ingest_leaves_whole_sources_and_resumes(
    tmp_path: Path, corpus: Path, expected_counts: dict[str, int], uninterrupted: Path, sources_before_kill: int
) -> None:
    db = tmp_path / "claims.db"
    proc = subprocess.Popen(tracker("ingest", corpus, "--db", db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and len(source_claim_counts(db)) >= sources_before_kill:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the ingest finished (or failed) before it could be killed"
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert not processes_still_running(str(db)), "extraction workers outlived their ingest"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # full-text index included: claims of the files that were committed are searchable
    after_kill = subprocess.run(tracker("check", "--db", db), check=False, capture_output=True, text=True)
    assert after_kill.returncode == 0, after_kill.stderr
    counts = source_claim_counts(db)
    assert counts, "the ingest was killed before writing anything"
    assert len(counts) < len(expected_counts), "the kill came after every file was written"
    for name, count in counts.items():
        assert count == expected_counts[name], f"{name}: {count} of {expected_counts[name]} claims"
    resumed = subprocess.run(tracker("ingest", corpus, "--db", db), check=False, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(counts)} skipped" in resumed.stderr
    assert comparable(db) == comparable(uninterrupted)
    check = subprocess.run(tracker("check", "--db", db), check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_serve_keeps_answering_while_ingest_writes(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "claims.db"
    subprocess.run(tracker("ingest", SEED, "--db", db), check=True, capture_output=True)
    with running_server(db) as base:
        ingest = subprocess.Popen(tracker("ingest", corpus, "--db", db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        paths = ["/claims/claims.json?_shape=array&_size=5", "/claims/claims.json?_search=talks&_shape=array",
                 "/claims/overdue.json?as_of=2026-01-01&_shape=array", "/claims/claims?_facet=speaker_id"]
        seen_counts, requests = set(), 0
        started = time.monotonic()
        while ingest.poll() is None and requests < 2000 and time.monotonic() - started < 120:
            path = paths[requests % len(paths)]
            with urllib.request.urlopen(base + path, timeout=10) as response:  # raises on any 500
                body = response.read().decode()
                assert response.status == 200 and "database is locked" not in body
            if path.startswith("/claims/claims.json?_shape=array&_size"):
                seen_counts.add(json.loads(urllib.request.urlopen(base + "/claims/claims.json?_size=0").read())["filtered_table_rows_count"])
            requests += 1
        assert ingest.wait(timeout=120) == 0, ingest.stderr.read()
        assert requests >= 10
        assert len(seen_counts) >= 2, "the server never saw the ingest progress"


def test_read_only_database_gives_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    subprocess.run(tracker("ingest", SEED, "--db", db), check=True, capture_output=True)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(db)], check=False, capture_output=True).returncode:
        pytest.skip("cannot make a file immutable here")
    try:
        result = subprocess.run(tracker("ingest", ARTICLES, "--db", db), check=False, capture_output=True, text=True)
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"Error: {db}: attempt to write a readonly database"
    assert "Traceback" not in result.stderr
    assert source_claim_counts(db) == {SEED.name: 12}


def test_database_path_that_is_a_directory(tmp_path: Path) -> None:
    result = subprocess.run(tracker("ingest", SEED, "--db", tmp_path), check=False, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {tmp_path}: is a directory, not a database file"


def test_a_file_naming_260000_people_does_not_stop_the_batch(tmp_path: Path) -> None:
    """Over SQLite's own limit on bound parameters (250,000 in this build, 32,766 by default),
    through the real command; the files after it are still ingested."""
    from .test_db import many_names_article

    crafted = tmp_path / "a_crafted.txt"
    crafted.write_text(many_names_article(260_000), encoding="utf-8")
    assert 2_000_000 < crafted.stat().st_size < 3_000_000
    later = [tmp_path / "b_seed.txt", tmp_path / "c_article.txt"]
    later[0].write_bytes(SEED.read_bytes())
    later[1].write_bytes(min(ARTICLES.glob("*.txt")).read_bytes())
    db = tmp_path / "claims.db"
    started = time.monotonic()
    result = subprocess.run(tracker("ingest", crafted, *later, "--db", db), check=False, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().startswith("3 files ingested (13")
    counts = source_claim_counts(db)
    assert counts["a_crafted.txt"] == 13_000 and set(counts) == {"a_crafted.txt", "b_seed.txt", "c_article.txt"}
    assert elapsed < 120, f"ingest: {elapsed:.0f} s"
    started = time.monotonic()  # quotes checked against a 2.5 MB source 13,000 times
    assert subprocess.run(tracker("check", "--db", db), check=False, capture_output=True).returncode == 0
    assert time.monotonic() - started < 15, f"check: {time.monotonic() - started:.0f} s"


def test_two_writers_ingesting_at_once(tmp_path: Path, corpus: Path, uninterrupted: Path) -> None:
    """Two `tracker ingest` processes, different halves of a corpus, one database, at the same
    time: both finish, nothing is lost or doubled, and `tracker check` passes."""
    files = sorted(corpus.glob("*.txt"))
    halves = [tmp_path / "first", tmp_path / "second"]
    for half, part in zip(halves, (files[::2], files[1::2])):
        half.mkdir()
        for path in part:
            (half / path.name).symlink_to(path)
    db = tmp_path / "claims.db"
    subprocess.run(tracker("ingest", SEED, "--db", db), check=True, capture_output=True)  # schema in place
    writers = [subprocess.Popen(tracker("ingest", half, "--db", db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True) for half in halves]  # fmt: skip
    overlapped = False
    while any(w.poll() is None for w in writers):
        overlapped = overlapped or (all(w.poll() is None for w in writers) and len(source_claim_counts(db)) > 1)
        time.sleep(0.05)
    assert [w.wait() for w in writers] == [0, 0], [w.stderr.read() for w in writers if w.stderr]
    assert overlapped, "one ingest finished before the other had written anything"
    check = subprocess.run(tracker("check", "--db", db), check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    reference = sqlite3.connect(uninterrupted)
    merged = sqlite3.connect(db)
    try:
        query = "SELECT claim_key, text, quote, follow_up_due FROM claims ORDER BY claim_key"
        seed_keys = {k for (k,) in merged.execute("SELECT claim_key FROM claims WHERE source_id = 1")}
        assert [r for r in merged.execute(query) if r[0] not in seed_keys] == list(reference.execute(query))
        assert merged.execute("SELECT count(*) FROM sources").fetchone()[0] == len(files) + 1
    finally:
        reference.close()
        merged.close()


def run_in_terminal(command: list[str], interrupt_when: Any = None, timeout: float = 120) -> tuple[int, str]:
    """Run a command with its standard error (and output) on a pseudo-terminal, as a person
    watching would; send SIGINT once `interrupt_when()` is true. Returns (exit code, output)."""
    import os
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    # Ctrl-C reaches a terminal's foreground command with SIGINT's default action; a suite run as
    # a background job (`pytest &`) has it ignored, which a child inherits (a handler it does not),
    # and Python then never raises KeyboardInterrupt.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    finally:
        signal.signal(signal.SIGINT, before)
    os.close(follower)
    output, interrupted, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            output += chunk
        if interrupt_when and not interrupted and interrupt_when():
            assert proc.poll() is None, "the ingest finished before it could be interrupted"
            proc.send_signal(signal.SIGINT)
            interrupted = True
        if proc.poll() is not None and not ready:
            break
    os.close(leader)
    return proc.wait(timeout=60), re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode(errors="replace"))


def test_ingest_draws_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    code, output = run_in_terminal(tracker("ingest", ARTICLES, SEED, "--db", db))
    assert code == 0, output
    assert "ingesting" in output and "files/s" in output and "13/13 files" in output
    assert output.rstrip().splitlines()[-1].startswith("13 files ingested (")


def test_ingest_without_a_terminal_prints_the_summary_only(tmp_path: Path) -> None:
    result = subprocess.run(tracker("ingest", ARTICLES, SEED, "--db", tmp_path / "claims.db"),
                            check=False, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("13 files ingested (")
    assert "\r" not in result.stderr and "\x1b" not in result.stderr


def test_ctrl_c_during_the_bar_keeps_the_finished_files(tmp_path: Path, corpus: Path, expected_counts: dict[str, int]) -> None:
    db = tmp_path / "claims.db"
    code, output = run_in_terminal(tracker("ingest", corpus, "--db", db),
                                   interrupt_when=lambda: db.exists() and len(source_claim_counts(db)) >= 1)  # fmt: skip
    assert code == 130, output
    assert "ingesting" in output and "Traceback" not in output
    message = next(line for line in output.splitlines() if line.startswith("Interrupted: "))
    counts = source_claim_counts(db)
    assert 0 < len(counts) < len(expected_counts)
    assert message.startswith(f"Interrupted: {len(counts)} files ingested ({sum(counts.values())} claims) and committed")
    assert all(count == expected_counts[name] for name, count in counts.items())
    check = subprocess.run(tracker("check", "--db", db), check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_a_speaker_the_database_would_refuse_is_one_line_error_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """"Q said:" over bullets once made a one-letter speaker, whose row pydantic refused outside the
    validation that turns refusals into our error: a traceback, and the batch stopped. The extractor
    no longer makes that speaker (tests/test_lists.py); any other refused row must still be one error."""
    from dataclasses import replace

    from tracker import db as database
    from tracker import ingest as ingesting
    from tracker.people import Person

    def one_letter_speaker(article: Any, review_days: int) -> list[Any]:
        claims = extract_claims(article, review_days)
        return [replace(c, speaker=Person("Q")) for c in claims] if Path(article.file_name).name == "a.txt" else claims

    monkeypatch.setattr(ingesting, "extract_claims", one_letter_speaker)
    odd = tmp_path / "a.txt"
    odd.write_text(" date 2025-01-20 Economy\nTalks on grain\n\nThe minister said:\n"
                   "- Russia will expand grain deliveries by March 3.\n- The sides will meet soon.\n", encoding="utf-8")  # fmt: skip
    report = ingesting.ingest(database.connect(tmp_path / "claims.db"), [odd, SEED], workers=1)
    assert [(Path(path).name, "\n" in why) for path, why in report.rejected] == [("a.txt", False)]
    assert "speaker" in report.rejected[0][1], report.rejected
    assert source_claim_counts(tmp_path / "claims.db") == {SEED.name: 12}
