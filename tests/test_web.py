"""Articles from the web (issue 15): saved pages and URLs ingest to the claims of their .txt
equivalents, with the original and its provenance kept; `tracker fetch` follows feeds politely;
an edited article becomes a new version. Every page comes from a local server: the network is
never touched."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from typer.testing import CliRunner

from tracker import db as database
from tracker import ingest as ingesting
from tracker.articles import parse_article
from tracker.cli import app
from tracker.extract import extract_claims
from tracker.fetch import Fetcher, Politeness
from tracker.follow import Options, follow
from tracker.integrity import check
from tracker.reextract import reextract
from tracker.web import Page, page_article

from .conftest import ARTICLES, FIXTURES
from .webpages import LAYOUTS, agency, cluttered, government, story, wire
from .webserver import LocalWeb, Reply, serve

PROSE = FIXTURES / "prose"
FAST = Politeness(delay=0, timeout=0.2, retries=1, backoff=0, max_bytes=200_000, max_redirects=3)
# Fixture articles and the layout each is served in: an agency's page with the list after a
# marker, a wire story in prose, a government readout, a page with scripts, ads and navigation.
PAIRS = [
    (ARTICLES / "002_ushakov-putin-erdogan-call.txt", agency),
    (PROSE / "s01_ushakov_call.txt", wire),
    (PROSE / "s10_state_dept.txt", government),
    (ARTICLES / "011_peskov-ushakov-riyadh-talks.txt", cluttered),
]
ALL_FIXTURES = sorted(ARTICLES.glob("*.txt")) + sorted(PROSE.glob("*.txt"))


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    with serve() as local:
        yield local


def fetcher(sleeps: list[float] | None = None, **changes: object) -> Fetcher:
    polite = Politeness(**{**FAST.__dict__, **changes})
    return Fetcher(polite, sleep=(sleeps.append if sleeps is not None else lambda _: None))


def claims_of(db: sqlite_utils.Database) -> Counter:
    """What the issue compares: text, speaker, deadline, commitment and form of each claim."""
    return Counter(db.execute(
        "SELECT text, speaker, deadline, is_commitment, form FROM claim_details WHERE retracted_at IS NULL"
    ).fetchall())  # fmt: skip


def extracted(raw_text: str) -> Counter:
    article = parse_article(raw_text.encode("utf-8"), "x")
    return Counter((c.text, c.speaker.name, c.deadline, c.is_commitment, c.form) for c in extract_claims(article))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
def test_every_fixture_in_every_layout_gives_the_claims_of_its_txt(path: Path, layout: str) -> None:
    page = Page(LAYOUTS[layout](story(path)).encode("utf-8"), f"{path.stem}.html")
    want = extracted(path.read_text(encoding="utf-8"))
    assert extracted(page_article(page).raw_text) == want  # (s12 has no attributed statements: none)


def test_saved_pages_and_urls_ingest_to_the_claims_of_their_txt(tmp_path: Path, web: LocalWeb) -> None:
    texts = database.connect(tmp_path / "txt.db")
    assert ingesting.ingest(texts, [p for p, _ in PAIRS]).rejected == []
    saved_dir = tmp_path / "saved"
    saved_dir.mkdir()
    urls = []
    for path, layout in PAIRS:
        page = layout(story(path))
        (saved_dir / f"{path.stem}.html").write_text(page, encoding="utf-8")
        urls.append(web.html(f"/news/{path.stem}", page))
    saved = database.connect(tmp_path / "saved.db")
    report = ingesting.ingest(saved, [saved_dir])
    assert (report.files, report.rejected) == (4, [])
    fetched = database.connect(tmp_path / "urls.db")
    report = ingesting.ingest(fetched, urls, politeness=FAST)
    assert (report.files, report.rejected) == (4, [])
    assert len(claims_of(texts)) > 30
    assert claims_of(saved) == claims_of(texts)
    assert claims_of(fetched) == claims_of(texts)
    assert check(saved) == [] and check(fetched) == []


def test_house_style_keeps_one_list_item_per_line_and_drops_the_page_around_the_article() -> None:
    page = Page(cluttered(story(ARTICLES / "002_ushakov-putin-erdogan-call.txt")).encode(), "p.html")
    article = page_article(page)
    lines = article.raw_text.splitlines()
    assert lines[0] == " date 2024-07-19 https://example-news.com/world/20240719/putin-erdogan-phone-call-1119473321.html"
    assert lines[1] == "Putin, Erdogan Discuss Black Sea Security and Energy Cooperation by Phone"
    assert "• The conversation was constructive and lasted about 40 minutes." in lines
    assert "In Peskov's words:" in lines
    for furniture in ("cookies", "Sponsored", "Trending", "morning briefing", "Great article", "Politics"):
        assert not any(furniture in line for line in lines), furniture


def test_a_url_keeps_its_original_and_provenance(db: sqlite_utils.Database, web: LocalWeb) -> None:
    body = agency(story(ARTICLES / "002_ushakov-putin-erdogan-call.txt")).encode()
    web.routes["/old-address"] = Reply(301, headers={"Location": "/world/call"})
    web.routes["/world/call"] = Reply(200, body, {"Content-Type": "text/html; charset=utf-8",
                                                  "ETag": '"v1"', "Last-Modified": "Fri, 19 Jul 2024 15:00:00 GMT"})  # fmt: skip
    report = ingesting.ingest(db, [web.url("/old-address")], politeness=FAST)
    assert (report.files, report.rejected) == (1, [])
    row = db.execute("SELECT * FROM source_versions").fetchone()
    version = dict(zip([d[0] for d in db.execute("SELECT * FROM source_versions").description], row))
    assert version["original"] == body
    assert version["original_sha256"] == hashlib.sha256(body).hexdigest()
    assert version["location"] == web.url("/old-address")
    assert version["final_url"] == web.url("/world/call")
    assert (version["http_status"], version["etag"], version["last_modified"]) == (
        200, '"v1"', "Fri, 19 Jul 2024 15:00:00 GMT")  # fmt: skip
    assert version["content_type"] == "text/html; charset=utf-8" and version["fetched_at"].endswith("+00:00")
    source = db.execute("SELECT url, sha256, raw_text, file_name FROM sources").fetchone()
    assert source[0] == "https://example-news.com/world/20240719/putin-erdogan-phone-call-1119473321.html"
    assert source[1] == version["text_sha256"] == hashlib.sha256(source[2].encode()).hexdigest()
    assert source[3] == web.url("/old-address")
    assert web.hits("/world/call")[0]["user-agent"].startswith("claim-tracker/")


def test_a_saved_page_keeps_its_bytes_and_path(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "call.htm"
    path.write_bytes(wire(story(PROSE / "s01_ushakov_call.txt")).encode())
    assert ingesting.ingest(db, [path]).files == 1
    assert ingesting.ingest(db, [path]).skipped == 1  # the same page again changes nothing
    rows = db.execute("SELECT location, original, http_status, fetched_at FROM source_versions").fetchall()
    assert rows == [(str(path.resolve()), path.read_bytes(), None, None)]


NO_DATE = "<html><body><article><h1>Talks</h1><p>The minister said talks would resume in the capital next month, officials told reporters on the record.</p></article><footer>© 2024</footer></body></html>"


def test_a_page_without_a_date_is_rejected_in_one_line_and_date_gives_it(tmp_path: Path, db_path: Path) -> None:
    page = tmp_path / "undated.html"
    page.write_text(NO_DATE, encoding="utf-8")
    good = tmp_path / "dated.html"
    good.write_text(wire(story(PROSE / "s01_ushakov_call.txt")), encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(page), str(good), "--db", str(db_path)])
    assert result.exit_code == 1
    assert f"Error: {page}: no publication date found in the page (give one with tracker ingest --date YYYY-MM-DD)\n" in result.stderr
    assert "1 files ingested" in result.stderr  # the other page still landed
    result = CliRunner().invoke(app, ["ingest", str(page), "--date", "2024-06-03", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    published = sqlite3.connect(db_path).execute("SELECT published_at FROM sources WHERE title = 'Talks'")
    assert published.fetchone()[0].startswith("2024-06-03")
    other = tmp_path / "other.html"
    other.write_text(wire(story(PROSE / "s02_peskov_contacts.txt")), encoding="utf-8")  # dated in its markup
    result = CliRunner().invoke(app, ["ingest", str(other), "--date", "2024-06-04", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr  # --date wins over the page's own date
    assert sqlite3.connect(db_path).execute("SELECT max(published_at) FROM sources WHERE published_at LIKE "
                                            "'2024-06-04%'").fetchone()[0]  # fmt: skip
    result = CliRunner().invoke(app, ["ingest", str(page), "--date", "2024-13-01", "--db", str(db_path)])
    assert (result.exit_code, result.stderr) == (1, "Error: --date: '2024-13-01' is not a date (YYYY-MM-DD)\n")


def feed(web: LocalWeb, paths: list[str], dates: list[str]) -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>{web.url(p)}</link><pubDate>{d}</pubDate></item>"
        for i, (p, d) in enumerate(zip(paths, dates))
    )
    web.routes["/rss.xml"] = Reply(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>'
                                   f"{items}</channel></rss>".encode(), {"Content-Type": "application/rss+xml"})  # fmt: skip
    return web.url("/rss.xml")


def conditional(body: bytes, etag: str) -> Reply | object:
    def answer(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        return Reply(200, body, {"Content-Type": "text/html", "ETag": etag})

    return answer


def test_fetch_ingests_every_feed_entry_once_and_again_changes_nothing(
    db: sqlite_utils.Database, web: LocalWeb, tmp_path: Path
) -> None:
    paths = []
    for number, (path, layout) in enumerate(PAIRS):
        paths.append(f"/a/{number}")
        web.routes[paths[-1]] = conditional(layout(story(path)).encode(), f'"e{number}"')
    url = feed(web, paths, ["Mon, 03 Jun 2024 10:00:00 GMT"] * 4)
    options = Options(archive=tmp_path / "archive")
    first = follow(db.conn, [url], fetcher(), options)
    assert (first.new, first.updated, first.unchanged, first.failed) == (4, 0, 0, [])
    before = claims_of(db)
    archived = sorted((tmp_path / "archive").rglob("*.html"))
    assert len(archived) == 4 and {p.read_bytes() for p in archived} == {
        bytes(r) for (r,) in db.execute("SELECT original FROM source_versions")}  # fmt: skip
    again = follow(db.conn, [url, url], fetcher(), options)  # a second feed listing them: asked once
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 4, [])
    assert len(web.hits("/a/0")) == 2
    assert web.hits("/a/0")[-1]["if-none-match"] == '"e0"'  # a conditional GET the second time
    assert claims_of(db) == before
    assert db.execute("SELECT count(*) FROM source_versions").fetchone()[0] == 4
    assert sorted((tmp_path / "archive").rglob("*.html")) == archived


def test_fetch_since_skips_older_entries(db: sqlite_utils.Database, web: LocalWeb) -> None:
    old = web.html("/old", agency(story(PAIRS[0][0])))
    new = web.html("/new", wire(story(PAIRS[1][0])))
    url = feed(web, ["/old", "/new"], ["Mon, 01 Jan 2024 10:00:00 GMT", "Thu, 12 Jun 2025 10:00:00 GMT"])
    from datetime import date

    report = follow(db.conn, [url], fetcher(), Options(since=date(2025, 1, 1)))
    assert report.new == 1 and web.hits("/old") == [] and web.hits("/new") and old != new


def failing_routes(web: LocalWeb) -> dict[str, str]:
    """Every failure the issue lists, and the one line each gives."""
    big = ("<html><body><article>" + "<p>Filler paragraph of a very long page.</p>" * 10_000 + "</article></body></html>")
    web.routes.update({
        "/gone": Reply(404, b"no"),
        "/broken": Reply(500, b"oops"),
        "/slow": Reply(200, b"<html></html>", {"Content-Type": "text/html"}, delay=1.0),
        "/huge": Reply(200, big.encode(), {"Content-Type": "text/html"}),
        "/huge-unannounced": Reply(200, big.encode(), {"Content-Type": "text/html"}, length=False),
        "/report.pdf": Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}),
        "/private/memo": Reply(200, b"<html></html>", {"Content-Type": "text/html"}),
        "/robots.txt": Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}),
        "/loop": Reply(302, headers={"Location": "/loop2"}),
        "/loop2": Reply(302, headers={"Location": "/loop"}),
    })  # fmt: skip
    return {
        "/gone": "HTTP 404",
        "/broken": "HTTP 500 (2 tries)",
        "/slow": "timed out after 0.2 s (2 tries)",
        "/huge": f"{len(big.encode()):,} bytes, over the 200,000-byte limit",
        "/huge-unannounced": "over the 200,000-byte limit",  # counted as it arrives
        "/report.pdf": "content type application/pdf is not an HTML page",
        "/private/memo": "disallowed by robots.txt",
        "/loop": "more than 3 redirects",
    }


def test_each_failure_is_one_line_and_the_run_goes_on(db: sqlite_utils.Database, web: LocalWeb) -> None:
    expected = failing_routes(web)
    good = web.html("/fine", agency(story(PAIRS[0][0])))
    targets = [web.url(p) for p in expected] + [good]
    report = follow(db.conn, targets, fetcher())
    assert report.new == 1
    assert sorted(report.failed) == sorted((web.url(p) if p != "/loop" else web.url("/loop"), reason)
                                           for p, reason in expected.items())  # fmt: skip
    assert all("\n" not in reason for _, reason in report.failed)


def test_fetch_command_prints_a_line_per_article_and_a_summary(db_path: Path, web: LocalWeb, tmp_path: Path) -> None:
    good = web.html("/fine", agency(story(PAIRS[0][0])))
    args = ["fetch", web.url("/gone"), good, "--db", str(db_path), "--archive", str(tmp_path / "arch"),
            "--delay", "0", "--timeout", "0.2", "--retries", "0"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout == f"new {good} (source 1, 10 claims)\n"
    assert result.stderr == (f"Error: {web.url('/gone')}: HTTP 404\n"
                             "1 new, 0 updated (10 claims), 0 unchanged, 1 failed\n")  # fmt: skip
    result = CliRunner().invoke(app, args[:1] + [good] + args[3:])
    assert (result.exit_code, result.stdout) == (0, f"unchanged {good}\n")


def test_retries_back_off_and_honour_retry_after(db: sqlite_utils.Database, web: LocalWeb) -> None:
    answers = iter([Reply(429, headers={"Retry-After": "7"}), Reply(503)])
    body = agency(story(PAIRS[0][0])).encode()

    def busy(headers: dict[str, str]) -> Reply:
        return next(answers, Reply(200, body, {"Content-Type": "text/html"}))

    web.routes["/busy"] = busy
    sleeps: list[float] = []
    report = follow(db.conn, [web.url("/busy")], fetcher(sleeps, retries=2, backoff=0.5))
    assert (report.new, report.failed) == (1, [])
    assert sleeps == [7.0, 14.0]  # Retry-After, then doubled
    web.routes["/never"] = Reply(429, headers={"Retry-After": "3600"})
    report = follow(db.conn, [web.url("/never")], fetcher(retries=2))
    assert report.failed == [(web.url("/never"), "HTTP 429, Retry-After 3600 s is too long")]


def test_one_request_at_a_time_per_host_with_a_delay(db: sqlite_utils.Database, web: LocalWeb) -> None:
    paths = ["/a/0", "/a/1"]
    for path, (fixture, layout) in zip(paths, PAIRS):
        web.html(path, layout(story(fixture)))
    sleeps: list[float] = []
    report = follow(db.conn, [feed(web, paths, ["Mon, 03 Jun 2024 10:00:00 GMT"] * 2)], fetcher(sleeps, delay=30))
    assert report.new == 2
    # robots.txt, the feed and two articles: each request after the first waits its turn
    assert len(sleeps) == 3 and all(25 < s <= 30 for s in sleeps)
    assert len(web.hits("/robots.txt")) == 1


def edited(path: Path) -> tuple[str, str]:
    """An article and the outlet's edit of it: one list item removed, one added, one reworded."""
    first = story(path)
    lines = list(first.lines)
    removed = next(i for i, line in enumerate(lines) if "Akkuyu" in line)
    lines[removed] = "• Russia will host the next round of energy consultations in Sochi in August."
    second = type(first)(first.published, first.url, first.title, lines)
    return agency(first), agency(second)


def test_an_edited_article_is_a_new_version_and_vanished_claims_are_retracted(
    db: sqlite_utils.Database, web: LocalWeb
) -> None:
    before, after = edited(ARTICLES / "002_ushakov-putin-erdogan-call.txt")
    web.html("/story", before)
    url = web.url("/story")
    assert follow(db.conn, [url], fetcher()).new == 1
    ids = dict(db.execute("SELECT text, id FROM claims").fetchall())
    web.html("/story", after)
    report = follow(db.conn, [url], fetcher())
    assert (report.new, report.updated) == (0, 1)
    rows = {text: (claim_id, retracted, reason) for claim_id, text, retracted, reason in db.execute(
        "SELECT id, text, retracted_at IS NOT NULL, retraction_reason FROM claims")}  # fmt: skip
    vanished = [t for t, (_, retracted, _) in rows.items() if retracted]
    assert len(vanished) == 1 and "Akkuyu" in vanished[0]
    assert rows[vanished[0]][2] == "no longer in its source as edited (version 2)"
    added = [t for t in rows if t not in ids]
    assert added == ["Russia will host the next round of energy consultations in Sochi in August."]
    assert all(rows[t][0] == i for t, i in ids.items())  # every claim kept its id
    versions = db.execute("SELECT version, is_current, location FROM versions ORDER BY version").fetchall()
    assert versions == [(1, 0, url), (2, 1, url)]
    assert check(db) == []
    again = reextract(db)  # re-extraction agrees with the versioning: keys, quotes, retraction
    assert (again.unchanged, again.added, again.retracted, again.updated) == (len(rows), 0, 0, 0)
    assert follow(db.conn, [url], fetcher()).unchanged == 1  # and fetching it again changes nothing


def test_versions_view_is_browsable_in_datasette(db_path: Path, web: LocalWeb) -> None:
    import asyncio

    from datasette.app import Datasette

    from tracker.serve import SETTINGS, load_metadata

    db = database.connect(db_path)
    follow(db.conn, [web.html("/story", agency(story(PAIRS[0][0])))], fetcher())
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    response = asyncio.run(ds.client.get(f"/{db_path.stem}/versions.json?_shape=array"))
    assert response.status_code == 200
    assert [(r["version"], r["location"], r["http_status"]) for r in response.json()] == [(1, web.url("/story"), 200)]
    metadata = load_metadata()["databases"]["claims"]["tables"]
    assert "versions" in metadata and "source_versions" in metadata


def test_a_page_that_is_not_an_article_fails_alone(db: sqlite_utils.Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text(government(story(PROSE / "s10_state_dept.txt")), encoding="utf-8")
    report = ingesting.ingest(db, [tmp_path])
    assert report.files == 1
    assert report.rejected == [(str(empty), "no article text found in the page")]


def test_another_article_saved_under_the_same_name_is_another_source(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(wire(story(PROSE / "s01_ushakov_call.txt")), encoding="utf-8")
    ingesting.ingest(db, [path])
    path.write_text(wire(story(PROSE / "s02_peskov_contacts.txt")), encoding="utf-8")
    assert ingesting.ingest(db, [path]).files == 1
    assert db.execute("SELECT count(*), count(DISTINCT source_id), max(version) FROM source_versions").fetchone() == (2, 2, 1)
    assert db.execute("SELECT count(*) FROM claims WHERE retracted_at IS NOT NULL").fetchone()[0] == 0


def test_a_feed_entry_dates_a_page_that_states_no_date(db: sqlite_utils.Database, web: LocalWeb) -> None:
    web.html("/undated", NO_DATE)
    report = follow(db.conn, [feed(web, ["/undated"], ["Tue, 04 Jun 2024 08:00:00 GMT"])], fetcher())
    assert (report.new, report.failed) == (1, [])
    assert db.execute("SELECT published_at FROM sources").fetchone()[0].startswith("2024-06-04")
    report = follow(db.conn, [web.html("/undated-alone", NO_DATE)], fetcher())
    assert report.failed == [(web.url("/undated-alone"),
                              "no publication date found in the page (give one with tracker ingest --date YYYY-MM-DD)")]  # fmt: skip


def test_an_atom_feed_is_followed_too(db: sqlite_utils.Database, web: LocalWeb) -> None:
    web.html("/atom/1", government(story(PROSE / "s10_state_dept.txt")))
    web.routes["/atom.xml"] = Reply(200, (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Readouts</title>'
        b'<id>urn:readouts</id><updated>2025-10-21T12:00:00Z</updated><entry><title>Readout</title>'
        b'<id>urn:readouts:1</id><link href="/atom/1"/><updated>2025-10-21T12:00:00Z</updated></entry></feed>'
    ), {"Content-Type": "application/atom+xml"})  # fmt: skip
    report = follow(db.conn, [web.url("/atom.xml")], fetcher())
    assert (report.new, report.failed) == (1, [])  # the entry's relative link, resolved
    assert db.execute("SELECT location FROM source_versions").fetchone()[0] == web.url("/atom/1")


def test_check_verifies_each_versions_hashes(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "call.html"
    path.write_text(wire(story(PROSE / "s01_ushakov_call.txt")), encoding="utf-8")
    ingesting.ingest(db, [path])
    assert check(db) == []
    db.execute("UPDATE source_versions SET original = ?", [b"<html>tampered</html>"])
    assert check(db) == ["source version 1: original does not match its sha256"]


def test_line_breaks_divs_and_inline_markup_keep_one_statement_per_line() -> None:
    page = """<html><head><meta name="date" content="2024-07-19"></head><body><article>
<h1>Putin and Erdogan talk by phone</h1>
<p>Presidential aide Yuri Ushakov spoke to reporters in Moscow after the call ended on Friday.</p>
<p>Ushakov told journalists the following:<br>• The conversation lasted about 40 minutes.<br>• Russia will deliver
fuel by September 1.</p>
<div class="item">▪️ A date for the meeting will be agreed through diplomatic channels.</div>
<p>Putin said: <b>"We are ready to resume <i>consultations</i> immediately,"</b> adding that the <a href="/x">Black
Sea</a> matters.</p></article></body></html>"""
    lines = page_article(Page(page.encode(), "p.html")).raw_text.splitlines()
    assert lines[lines.index("Ushakov told journalists the following:"):] == [
        "Ushakov told journalists the following:",
        "• The conversation lasted about 40 minutes.",
        "• Russia will deliver fuel by September 1.",
        "▪️ A date for the meeting will be agreed through diplomatic channels.",
        'Putin said: "We are ready to resume consultations immediately," adding that the Black Sea matters.',
    ]


def test_ctrl_c_during_fetch_keeps_what_was_stored(db_path: Path, web: LocalWeb, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker import versions

    real = versions.store_page
    calls: list[str] = []

    def store_then_interrupt(conn: sqlite3.Connection, page: Page, *args: object) -> object:
        calls.append(page.location)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(conn, page, *args)

    monkeypatch.setattr("tracker.follow.store_page", store_then_interrupt)
    first, second = (web.html(f"/s/{i}", agency(story(p))) for i, (p, _) in enumerate(PAIRS[:2]))
    result = CliRunner().invoke(app, ["fetch", first, second, "--db", str(db_path), "--delay", "0",
                                      "--archive", str(db_path.parent / "a")])  # fmt: skip
    assert result.exit_code == 130
    assert result.stderr == "Interrupted: the articles listed above are stored; run the same command for the rest\n"
    assert sqlite3.connect(db_path).execute("SELECT file_name FROM sources").fetchall() == [(first,)]


def test_export_and_import_carry_an_edited_sources_versions(tmp_path: Path, web: LocalWeb) -> None:
    first = database.connect(tmp_path / "first.db")
    before, after = edited(ARTICLES / "002_ushakov-putin-erdogan-call.txt")
    web.html("/story", before)
    url = web.url("/story")
    follow(first.conn, [url], fetcher())
    web.html("/story", after)
    follow(first.conn, [url], fetcher())
    exported = tmp_path / "claims.jsonl"
    runner = CliRunner()
    exporting = runner.invoke(app, ["export", "--db", str(tmp_path / "first.db")])
    assert exporting.exit_code == 0, exporting.output
    exported.write_text(exporting.stdout, encoding="utf-8")
    result = runner.invoke(app, ["import", str(exported), "--db", str(tmp_path / "second.db")])
    assert result.exit_code == 0, result.output
    second = database.connect(tmp_path / "second.db")
    columns = "version, location, final_url, http_status, original, original_sha256, raw_text, text_sha256"
    query = f"SELECT {columns} FROM source_versions ORDER BY version"
    assert second.execute(query).fetchall() == first.execute(query).fetchall()
    assert check(second) == []  # the claim the edit retracted still quotes its version
