"""The site in a real browser: the system's headless Chromium (Debian's `chromium` package, which
.ci/run installs; Playwright drives it, nothing is downloaded) against a real `tracker serve`.

Runs wherever /usr/bin/chromium exists, and always under CI (CI=true), where a missing browser
fails instead of skipping. `UPDATE_SCREENSHOTS=1` also refreshes docs/claim-page.png.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks.run import running_server

from .conftest import ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
UNDER_CI = os.environ.get("CI") == "true"


def need(condition: bool, reason: str) -> None:
    if not condition:
        if UNDER_CI:
            pytest.fail(f"{reason} (CI must run the browser test: .ci/run installs Chromium)")
        pytest.skip(reason)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, sqlite3.Connection]]:
    db = tmp_path / "claims.db"

    def tracker(*args: object) -> None:
        subprocess.run([sys.executable, "-m", "tracker.cli", *map(str, args), "--db", db], check=True, capture_output=True)

    tracker("ingest", SEEDS)
    june = sqlite3.connect(db).execute("SELECT id FROM claims WHERE text LIKE '%after June 22%'").fetchone()[0]
    tracker("follow-up", june, "--status", "in-the-works", "--note", "second round scheduled",
            "--checked-on", "2025-06-23", "--evidence", "https://example.org/round-two", "--by", "Fact desk")  # fmt: skip
    with running_server(db) as base:
        yield base, sqlite3.connect(db)


def test_a_reader_finds_a_claim_its_speaker_and_the_dashboard(site: tuple[str, sqlite3.Connection], tmp_path: Path) -> None:
    base, db = site
    june, speaker_id, source_id = db.execute(
        "SELECT id, speaker_id, source_id FROM claims WHERE text LIKE '%after June 22%'").fetchone()
    need(CHROMIUM.exists(), "no /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed (pip install -e '.[test]')")
        raise
    shots = tmp_path / "screenshots"
    shots.mkdir()
    errors: list[str] = []
    elsewhere: list[str] = []
    host = urlsplit(base).netloc
    in_article = db.execute("SELECT count(*) FROM claims WHERE source_id = ?", [source_id]).fetchone()[0]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )  # fmt: skip
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
            page.on("request", lambda r: None if urlsplit(r.url).netloc == host else elsewhere.append(r.url))

            # home → all claims → search "Iranian"
            page.goto(base + "/")
            page.get_by_role("link", name="All claims", exact=True).click()
            page.wait_for_url(f"{base}/claims/claims")
            page.fill("#_search", "Iranian")
            page.press("#_search", "Enter")
            page.wait_for_url("**/claims/claims?_search=Iranian*")
            texts = page.locator("table.rows-and-columns td.col-text").all_inner_texts()
            assert len(texts) == 2 and all("Iranian" in t for t in texts)

            # open the first result: quote marked in its article, speaker and source linked
            first = texts[0]
            page.locator("table.rows-and-columns td.col-id a").first.click()
            page.wait_for_selector("article.claim-page")
            assert page.locator("figure.claim blockquote").inner_text() == first
            mark = page.locator("ol.excerpt mark.claim-quote")
            assert mark.count() == 1 and mark.inner_text() == first and mark.is_visible()
            speaker = page.locator("figcaption a.speaker")
            assert speaker.inner_text() == "Yuri Ushakov" and speaker.get_attribute("href") == f"/claims/people/{speaker_id}"
            source = page.locator("p.source-line a.source")
            assert source.inner_text() == "Putin Holds Phone Conversation With Trump"
            assert (source.get_attribute("href") or "").startswith(f"/claims/sources/{source_id}#claim-")
            page.screenshot(path=str(shots / "claim.png"), full_page=True)

            # the source page scrolls to the claim, marked and linked
            source.click()
            page.wait_for_selector("ol.article")
            assert page.locator("ol.article mark.claim").count() == in_article >= 10
            assert page.locator("mark.claim:target a").inner_text() == first

            # the commitment with its follow-up: the screenshot the README shows
            page.goto(f"{base}/claims/claims/{june}")
            assert page.locator("ol.timeline li p.note").inner_text() == "second round scheduled"
            assert page.locator("h1.kicker .badge.status-in-the-works").count() == 1
            page.screenshot(path=str(shots / "commitment.png"), full_page=True)

            # the speaker page from the claim's link
            page.locator("figcaption a.speaker").click()
            page.wait_for_selector("article.speaker-page")
            assert page.locator("h1").inner_text() == "Yuri Ushakov"
            assert page.locator("tr.meter-in-the-works td.count").inner_text() == "1"
            assert page.locator(f"section.open-commitments a[href='/claims/claims/{june}']").count() == 1
            page.screenshot(path=str(shots / "speaker.png"), full_page=True)

            # the dashboard from the home page: charts drawn, with bars that have a size
            page.goto(base + "/")
            page.get_by_role("link", name="Dashboard", exact=True).click()
            page.wait_for_url(f"{base}/-/dashboard")
            charts = page.locator("svg.chart")
            assert charts.count() == 4
            for i in range(4):
                bars = charts.nth(i).locator("rect.bar")
                assert bars.count() > 0
                box = bars.first.bounding_box()
                assert box is not None and box["width"] > 0 and box["height"] > 0
            page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
        finally:
            browser.close()

    assert errors == []
    assert elsewhere == []  # nothing fetched from another host
    for name in ("claim", "commitment", "speaker", "dashboard"):
        assert (shots / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        shutil.copy(shots / "commitment.png", ROOT / "docs" / "claim-page.png")
