"""The claim, speaker, source, home, database and table pages and the dashboard, through
Datasette's own test client: what each shows, where its links go, and that every value from an
article is escaped."""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
import sqlite3
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlite_utils
from datasette.app import Datasette
from datasette.utils.asgi import Request
from datasette.views.index import IndexView
from markupsafe import Markup

from tracker import followups
from tracker import ingest as ingesting
from tracker.datasette_plugin import charts, pages
from tracker.serve import SETTINGS, load_metadata

AS_OF = date(2025, 7, 1)  # "today" for the pages: the seed's June 22 commitment is overdue


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "today", lambda: AS_OF)


def get(ds: Datasette, path: str) -> Any:
    async def fetch() -> Any:
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


def page(ds: Datasette, path: str) -> str:
    response = get(ds, path)
    assert response.status_code == 200, (path, response.status_code)
    return response.text  # type: ignore[no-any-return]


def claim_id(db: sqlite_utils.Database, like: str) -> int:
    return db.execute("SELECT id FROM claims WHERE text LIKE ?", [f"%{like}%"]).fetchone()[0]  # type: ignore[no-any-return]


@pytest.fixture
def seed(seeded: sqlite_utils.Database) -> dict[str, Any]:
    """The seed with the acceptance contract's follow-up on the "after June 22" commitment."""
    june = claim_id(seeded, "after June 22")
    followups.record_follow_up(seeded, june, "in-the-works", evidence=["https://example.org/round-two"],
                               note="second round scheduled", checked_on=date(2025, 6, 23), checked_by="Fact desk")  # fmt: skip
    row = seeded.execute("SELECT source_id, speaker_id FROM claims WHERE id = ?", [june]).fetchone()
    return {"db": seeded, "june": june, "source": row[0], "speaker": row[1]}


@pytest.fixture
def ds(seed: dict[str, Any], db_path: Path) -> Datasette:
    return Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)


def links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', text)]


# -- the claim page ---------------------------------------------------------------------------


def test_claim_page_quotes_the_claim_with_speaker_and_source(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/claims/{seed['june']}")
    claim = "Putin informed Trump that Russia is ready to resume negotiations with Ukraine, as agreed, after June 22."
    assert f"<blockquote><p>{claim}</p></blockquote>" in text
    assert (f'— <a class="speaker" href="/claims/people/{seed["speaker"]}">Yuri Ushakov</a>, '
            '<span class="role">Putin&#39;s aide</span>') in text  # fmt: skip
    assert (f'In <a class="source" href="/claims/sources/{seed["source"]}#claim-{seed["june"]}">'
            "Putin Holds Phone Conversation With Trump</a>") in text  # fmt: skip
    assert 'published <time datetime="2025-06-14T16:05:00+00:00">14 June 2025, 16:05 UTC</time>' in text
    assert '(updated <time datetime="2025-06-14T16:15:00+00:00">14 June 2025, 16:15 UTC</time>)' in text
    assert "<title>Yuri Ushakov: “Putin informed Trump that Russia is ready" in text


def test_claim_page_shows_the_claim_in_its_article_with_the_quote_marked(ds: Datasette, seed: dict[str, Any]) -> None:
    db = seed["db"]
    start, end, line, source = db.execute(
        "SELECT char_start, char_end, line, source_id FROM claims WHERE id = ?", [seed["june"]]).fetchone()
    raw = db.execute("SELECT raw_text FROM sources WHERE id = ?", [source]).fetchone()[0]
    text = page(ds, f"/claims/claims/{seed['june']}")
    excerpt = text[text.index('<ol class="excerpt">'):text.index("</ol>", text.index('<ol class="excerpt">'))]
    numbers = [int(n) for n in re.findall(r'<li value="(\d+)"', excerpt)]
    assert numbers == list(range(line - 2, line + 3))  # two lines either side
    assert f'<li value="{line}" class="claim-line"><mark class="claim-quote">{raw[start:end]}</mark></li>' in excerpt
    lines = raw.split("\n")
    assert f'<li value="{line - 1}">{html.escape(lines[line - 2], quote=False)}</li>' in excerpt
    assert lines[line - 2] == "Russia is ready to continue negotiations with the Ukrainian side, Putin said."
    assert excerpt.count("<mark") == 1


def test_claim_page_record_subjects_and_follow_ups(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/claims/{seed['june']}")
    assert '<dd><time datetime="2025-06-22">2025-06-22</time> <q class="phrase">after June 22</q></dd>' in text
    assert '<span class="badge status-in-the-works">In the works</span> last checked 2025-06-23' in text
    assert '<span class="badge status-overdue">Overdue</span> (as of 2025-07-01)' in text  # due 06-22
    timeline = text[text.index('<ol class="timeline">'):text.index("</ol>", text.index('<ol class="timeline">'))]
    assert '<time datetime="2025-06-23">23 June 2025</time> <span class="badge status-in-the-works">' in timeline
    assert '<p class="note">second round scheduled</p>' in timeline
    assert ('<a href="https://example.org/round-two" rel="nofollow noopener noreferrer">'
            "https://example.org/round-two</a>") in timeline  # fmt: skip
    assert "Checked by Fact desk" in timeline
    # subjects link to the claims table filtered to them, which lists this claim
    names = json.loads(seed["db"].execute("SELECT subjects FROM claims WHERE id = ?", [seed["june"]]).fetchone()[0])
    found = re.findall(r'<a class="subject" href="([^"]+)" title="[^"]*">([^<]+)</a>', text)
    assert [name for _, name in found] == names and names
    for href, _ in found:
        filtered = get(ds, html.unescape(href).replace("/claims/claims?", "/claims/claims.json?_shape=array&", 1)).json()
        assert seed["june"] in [r["id"] for r in filtered]


def test_claim_page_lists_the_other_claims_of_its_article(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/claims/{seed['june']}")
    others = seed["db"].execute(
        "SELECT id, text FROM claims WHERE source_id = ? AND id != ? ORDER BY char_start",
        [seed["source"], seed["june"]]).fetchall()  # fmt: skip
    section = text[text.index('<section class="others">'):]
    listed = re.findall(r'<li class="claim-item">\s*<a href="/claims/claims/(\d+)">([^<]*)</a>', section)
    assert [(int(i), html.unescape(t)) for i, t in listed] == others and len(others) >= 9
    other = claim_id(seed["db"], "continue negotiations with the Ukrainian side")
    assert re.search(rf'<a href="/claims/claims/{other}">Russia is ready to continue[^<]*</a>'
                     r' <span class="who">— Yuri Ushakov</span>\s*<span class="badge status-not-yet-rated">', section)


def test_claim_page_keeps_datasettes_row_and_json(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/claims/{seed['june']}")
    assert '<details class="all-fields">' in text and "from claim_id in claim_subjects" in text
    row = get(ds, f"/claims/claims/{seed['june']}.json").json()
    assert row["rows"][0][0] == seed["june"] and "speaker_id" in row["columns"]
    assert get(ds, "/claims/claims/999999").status_code == 404


# -- the speaker page -------------------------------------------------------------------------


def test_speaker_page_counts_meter_and_lists(ds: Datasette, seed: dict[str, Any]) -> None:
    db, speaker = seed["db"], seed["speaker"]
    claims = db.execute("SELECT count(*) FROM claims WHERE speaker_id = ?", [speaker]).fetchone()[0]
    commitments = db.execute(
        "SELECT id, follow_up_due FROM claims WHERE speaker_id = ? AND is_commitment = 1 ORDER BY follow_up_due, id",
        [speaker]).fetchall()  # fmt: skip
    text = page(ds, f"/claims/people/{speaker}")
    assert "<h1>Yuri Ushakov</h1>" in text and '<p class="role">Putin&#39;s aide</p>' in text
    assert f'<a href="/claims/claims?speaker_id={speaker}"><strong>{claims}</strong> claims</a>' in text
    assert f"<strong>{len(commitments)}</strong> commitments</a>" in text
    overdue = sum(due < AS_OF.isoformat() for _, due in commitments)
    assert overdue == 1 and f"<li><strong>{overdue}</strong> overdue</li>" in text

    def meter(status: str) -> int:
        return meter_count(text, status)

    assert meter("in-the-works") == 1 and meter("not-yet-rated") == len(commitments) - 1
    assert meter("kept") == meter("compromise") == meter("broken") == meter("stalled") == 0
    assert meter("overdue") == 1
    listed = re.findall(r'<tr(?: class="overdue")?>\s*<td><time datetime="([^"]+)">.*?<a href="/claims/claims/(\d+)">',
                        text[text.index('class="open-commitments"'):], re.DOTALL)  # fmt: skip
    assert [(due, int(i)) for due, i in listed] == [(due, i) for i, due in commitments]
    recent = text[text.index('<section class="recent">'):text.index("</section>", text.index('<section class="recent">'))]
    assert recent.count('<li class="claim-item">') == min(claims, pages.RECENT_CLAIMS)
    assert f'<a href="/claims/claims/{seed["june"]}">Putin informed Trump that Russia is ready to resume' in recent


def meter_count(text: str, status: str) -> int:
    row = re.search(rf'<tr class="meter-{status}">.*?<td class="count"><a href="[^"]*">(\d+)</a>', text, re.DOTALL)
    assert row is not None, status
    return int(row.group(1))


def test_a_person_others_report_on_has_a_page_too(ds: Datasette, seed: dict[str, Any]) -> None:
    db = seed["db"]
    putin = db.execute("SELECT id FROM people WHERE name = 'Vladimir Putin'").fetchone()[0]
    reports = db.execute("SELECT id FROM claims WHERE attributed_to_id = ? ORDER BY id DESC", [putin]).fetchall()
    assert reports and not db.execute("SELECT count(*) FROM claims WHERE speaker_id = ?", [putin]).fetchone()[0]
    text = page(ds, f"/claims/people/{putin}")
    assert "<h1>Vladimir Putin</h1>" in text and "<p>No commitments: nothing to rate yet.</p>" in text
    assert (f'<a href="/claims/claims?attributed_to_id={putin}"><strong>{len(reports)}</strong> reported by others</a>'
            " as Vladimir Putin’s words") in text  # fmt: skip
    section = text[text.index('<section class="reports">'):]
    assert [int(i) for i in re.findall(r'<li class="claim-item">\s*<a href="/claims/claims/(\d+)"', section)] == [
        r[0] for r in reports]


def test_speaker_figures_are_remembered_until_the_database_changes(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/people/{seed['speaker']}")
    assert (meter_count(text, "kept"), meter_count(text, "in-the-works"), meter_count(text, "overdue")) == (0, 1, 1)
    followups.record_follow_up(seed["db"], seed["june"], "kept", note="talks resumed", checked_on=date(2025, 6, 30))
    text = page(ds, f"/claims/people/{seed['speaker']}")
    assert (meter_count(text, "kept"), meter_count(text, "in-the-works"), meter_count(text, "overdue")) == (1, 0, 0)


def test_speaker_meter_links_count_what_they_say(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/people/{seed['speaker']}")
    for status in ("in-the-works", "not-yet-rated", "overdue"):
        row = re.search(rf'<tr class="meter-{status}">.*?<td class="count"><a href="([^"]*)">(\d+)</a>', text, re.DOTALL)
        assert row is not None
        url = html.unescape(row.group(1)).replace("/claims/claims?", "/claims/claims.json?_shape=array&", 1)
        assert len(get(ds, url).json()) == int(row.group(2)), status


# -- the source page --------------------------------------------------------------------------


def test_source_page_marks_every_claim_in_the_raw_text(ds: Datasette, seed: dict[str, Any]) -> None:
    db = seed["db"]
    raw = db.execute("SELECT raw_text FROM sources WHERE id = ?", [seed["source"]]).fetchone()[0]
    claims = db.execute("SELECT id, char_start, char_end, is_commitment FROM claims WHERE source_id = ? ORDER BY char_start",
                        [seed["source"]]).fetchall()  # fmt: skip
    text = page(ds, f"/claims/sources/{seed['source']}")
    assert "<h1>Putin Holds Phone Conversation With Trump</h1>" in text
    article = text[text.index('<ol class="article">'):text.index("</ol>", text.index('<ol class="article">'))]
    assert '<li value="8">16:05 GMT 14.06.2025 (Updated: 16:15 GMT 14.06.2025)</li>' in article
    for cid, start, end, commitment in claims:
        kind = "commitment" if commitment else "report"
        assert re.search(rf'<mark class="claim {kind}" id="claim-{cid}"><a href="/claims/claims/{cid}" title="Claim {cid} '
                         rf'· Yuri Ushakov[^"]*">{re.escape(html.escape(raw[start:end]))}</a></mark>', article), cid
    assert article.count("<mark") == len(claims)
    # without its markup, the page shows the raw text exactly, line by line
    shown = [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li value=\"\d+\"[^>]*>(.*?)</li>", article, re.DOTALL)]
    assert shown == raw.split("\n")


# -- home, database and table pages ----------------------------------------------------------


def test_home_page_links_to_every_list_and_they_answer(ds: Datasette) -> None:
    text = page(ds, "/")
    assert "traced back to the exact words of its article" in text
    start = text[text.index('<section class="tracker-start"'):text.index("</section>")]
    expected = {"All claims": "/claims/claims", "Open commitments": "/claims/commitments?is_rated=0",
                "Overdue": "/claims/overdue", "Due soon": "/claims/due_soon", "Scorecard": "/claims/scorecard",
                "Deadlines calendar (.ics)": "/claims/deadlines.ics", "Dashboard": "/-/dashboard",
                "Speakers": "/claims/people", "Sources": "/claims/sources"}  # fmt: skip
    found = {html.unescape(label): html.unescape(href) for href, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', start)}
    assert found == expected
    for url in expected.values():
        assert get(ds, url).status_code == 200, url
    assert '<form class="tracker-search" action="/claims/claims" method="get" role="search">' in start
    assert 'name="_search"' in start
    claims = get(ds, "/claims/claims.json").json()["filtered_table_rows_count"]
    assert f"<strong>{claims}</strong> claims, <strong>2</strong> commitments, <strong>1</strong> overdue today" in start


def listings(text: str) -> list[str]:
    """The home page's databases: each one's heading, counts and first tables."""
    return re.findall(r"<h2 style=.*?</p>\s*<p>.*?</p>", text, re.DOTALL)


def datasettes_index(ds: Datasette, path: str, actor: dict[str, Any] | None) -> str:
    """`path` as Datasette's own IndexView renders it (this plugin serves `/` itself)."""
    request = Request.fake(path, url_vars={"format": None})
    request.scope.update(actor=actor, csrftoken=lambda: "")

    async def render() -> str:
        await ds.invoke_startup()
        return (await IndexView(ds).get(request)).body  # type: ignore[no-any-return]

    return asyncio.run(render())


def test_home_page_lists_the_databases_and_tables_as_datasettes_index_does(seed: dict[str, Any], db_path: Path) -> None:
    metadata = load_metadata()
    metadata["databases"]["claims"]["tables"]["follow_ups"]["allow"] = {"id": "root"}  # private: root only
    ds = Datasette([str(db_path)], metadata=metadata, settings=SETTINGS)
    root = {"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}

    def served(path: str, cookies: dict[str, str]) -> str:
        async def fetch() -> Any:
            await ds.invoke_startup()
            return await ds.client.get(path, cookies=cookies)

        return asyncio.run(fetch()).text  # type: ignore[no-any-return]

    for path in ("/", "/?_sort=relationships"):
        for actor, cookies in ((None, {}), ({"id": "root"}, root)):
            ours = listings(served(path, cookies))
            assert len(ours) == (2 if actor else 1)  # root also sees _internal
            assert ours == listings(datasettes_index(ds, path, actor)), (path, actor)
    assert "118 rows in 13 tables" in served("/", {})  # not follow_ups (1 row), which only root sees
    assert "119 rows in 14 tables" in served("/", root)


def test_home_page_checks_each_table_once_then_remembers_until_the_database_changes(ds: Datasette, seed: dict[str, Any]) -> None:
    def table_checks() -> int:
        return sum(check["action"] == "view-table" for check in ds._permission_checks)

    tables_and_views = len(seed["db"].table_names()) + len(seed["db"].view_names())
    ds._permission_checks.clear()
    assert "119 rows in 14 tables, 67 rows in 8 hidden tables, 4 views" in page(ds, "/")
    assert table_checks() == tables_and_views  # Datasette's index checked each twice
    page(ds, "/")
    assert table_checks() == tables_and_views  # remembered
    seed["db"].execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, note TEXT)")
    seed["db"].execute("INSERT INTO notes (note) VALUES ('added while serving')")
    seed["db"].conn.commit()
    text = page(ds, "/")
    assert "120 rows in 15 tables, 67 rows in 8 hidden tables, 4 views" in text
    assert table_checks() == 2 * tables_and_views + 1
    # Its JSON is still Datasette's, with each table's columns
    assert 'href="http://localhost/.json"' in text
    listed = get(ds, "/.json").json()["claims"]
    assert listed["tables_count"] == 15 and listed["tables_and_views_truncated"][0]["columns"]


def test_open_commitments_lists_those_not_yet_rated_kept_compromised_or_broken(ds: Datasette, seed: dict[str, Any]) -> None:
    followups.record_follow_up(seed["db"], seed["june"], "kept", evidence=["https://example.org/done"],
                               checked_on=date(2025, 6, 24))  # fmt: skip
    listed = {r[0]: r[1] for r in seed["db"].execute("SELECT id, status FROM commitments")}
    assert len(listed) == 2 and listed[seed["june"]] == "kept"
    for rated, expected in (("0", {i for i, s in listed.items() if s != "kept"}), ("1", {seed["june"]})):
        served = get(ds, f"/claims/commitments.json?is_rated={rated}&_shape=objects").json()
        assert {row["id"] for row in served["rows"]} == expected, rated
        assert get(ds, f"/claims/commitments.json?is_rated={rated}").json()["filtered_table_rows_count"] == len(expected)


def test_database_page_lists_canned_queries_with_descriptions(ds: Datasette) -> None:
    text = page(ds, "/claims")
    queries = load_metadata()["databases"]["claims"]["queries"]
    dl = text[text.index('<dl class="tracker-queries">'):text.index("</dl>", text.index('<dl class="tracker-queries">'))]
    listed = re.findall(r'<dt><a href="/claims/([a-z_]+)">([^<]+)</a></dt>\s*<dd>(.*?)</dd>', dl)
    assert [(name, html.unescape(title)) for name, title, _ in listed] == [(n, q["title"]) for n, q in queries.items()]
    for (_, _, description), query in zip(listed, queries.values()):
        shown = re.sub(r"<code>([^<]*)</code>", r"`\1`", description)  # backticks are shown as code
        assert " ".join(html.unescape(shown).split()) == " ".join(query["description"].split())
    assert "before <code>as_of</code> (YYYY-MM-DD; empty means today)" in dl
    assert text.count('id="queries"') == 1  # Datasette's list of titles gives way to this one
    for other in ("/claims?sql=select+1+as+one", "/claims/scorecard"):  # SQL pages keep Datasette's own
        assert 'class="tracker-start"' not in page(ds, other) and "column-notes" not in page(ds, other)


def test_claims_table_collapses_column_notes_and_reads_well(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, "/claims/claims")
    notes = text.index('<details class="column-notes">')
    assert text.count('<dl class="column-descriptions">') == 1 and text.index('<dl class="column-descriptions">') > notes
    assert text.index("<summary>What the 18 columns mean</summary>") < text.index('<table class="rows-and-columns">')
    assert "<dt>follow_up_due</dt><dd>The deadline, else the publication date plus the review period.</dd>" in text
    # speaker and source by name, subjects as a list
    row = re.search(rf'<td class="col-id type-pk"><a href="/claims/claims/{seed["june"]}">{seed["june"]}</a></td>(.*?)</tr>', text, re.DOTALL)
    assert row is not None
    cells = row.group(1)
    assert f'<a href="/claims/sources/{seed["source"]}">Putin Holds Phone Conversation With Trump</a>' in cells
    assert f'<a href="/claims/people/{seed["speaker"]}">Yuri Ushakov</a>' in cells
    names = json.loads(seed["db"].execute("SELECT subjects FROM claims WHERE id = ?", [seed["june"]]).fetchone()[0])
    assert f'<td class="col-subjects type-str">{html.escape(", ".join(names))}</td>' in cells
    assert 'href="/-/static-plugins/claim-tracker/tracker.css"' in text
    assert get(ds, "/-/static-plugins/claim-tracker/tracker.css").status_code == 200


def test_canned_queries_and_views_link_claim_ids(ds: Datasette, seed: dict[str, Any]) -> None:
    june = seed["june"]
    for path in ("/claims/overdue?as_of=2025-07-01", "/claims/claims_by_subject?subject=Ukraine"):  # queries
        assert f'<td class="col-id"><a href="/claims/claims/{june}">{june}</a></td>' in page(ds, path), path
    for path in ("/claims/commitments", "/claims/claim_details"):  # views
        assert f'<td class="col-id type-int"><a href="/claims/claims/{june}">{june}</a></td>' in page(ds, path), path
    follow_up = page(ds, "/claims/follow_ups/1")
    assert ('<td class="col-evidence type-str"><a href="https://example.org/round-two" rel="nofollow noopener '
            'noreferrer">https://example.org/round-two</a></td>') in follow_up  # fmt: skip
    assert (f'<a href="/claims/claims/{june}">{june}</a>&nbsp;<em>Putin informed Trump that Russia is ready to '
            "resume negotiations with Ukraine, as agreed, after June 22.</em>") in follow_up  # fmt: skip


# -- the dashboard ----------------------------------------------------------------------------


def test_dashboard_draws_four_charts_from_the_figures(ds: Datasette, seed: dict[str, Any]) -> None:
    db = seed["db"]
    text = page(ds, "/-/dashboard")
    assert text.count('<svg class="chart"') == 4
    assert all(src.startswith("/") for src in re.findall(r'<script[^>]* src="([^"]+)"', text))  # nothing from elsewhere
    speakers = section(text, "by-speaker")
    assert (f'<a href="/claims/claims?speaker_id={seed["speaker"]}&amp;is_commitment=1&amp;status=in-the-works">'
            '<rect class="bar" data-value="1"') in speakers  # fmt: skip
    assert "Yuri Ushakov: 1 In the works</title>" in speakers and "2 · 1 overdue</text>" in speakers
    months = section(text, "by-month")
    assert "2025-06: 1 In the works</title>" in months and '>2025-06</text>' in months
    weeks = section(text, "by-week")
    claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert f"2025-06-09: {claims} Yuri Ushakov</title>" in weeks  # 14 June 2025 is in the week of Monday 9 June
    subjects = section(text, "subjects")
    top = db.execute("""SELECT subjects.name, count(*) AS n FROM claim_subjects
                        JOIN subjects ON subjects.id = claim_subjects.subject_id
                        GROUP BY subjects.id ORDER BY n DESC, subjects.id LIMIT 15""").fetchall()
    drawn = [(html.unescape(n), int(v)) for n, v in re.findall(r"<title>([^<:]+): (\d+) claims</title>", subjects)]
    assert sorted(drawn, key=lambda d: (-d[1], d[0])) == sorted(top, key=lambda d: (-d[1], d[0])) and len(top) > 10
    data = get(ds, "/-/dashboard.json").json()
    assert data["commitments"] == 2 and data["overdue"] == 1 and data["status_totals"]["in-the-works"] == 1
    assert [s["name"] for s in data["speakers"]] == ["Yuri Ushakov"]


def section(text: str, anchor: str) -> str:
    start = text.index(f'id="{anchor}"')
    return text[start:text.index("</section>", start)]


def test_dashboard_counts_are_remembered_until_the_database_changes(ds: Datasette, seed: dict[str, Any]) -> None:
    assert get(ds, "/-/dashboard.json").json()["status_totals"]["kept"] == 0
    followups.record_follow_up(seed["db"], seed["june"], "kept", note="talks resumed", checked_on=date(2025, 6, 30))
    assert get(ds, "/-/dashboard.json").json()["status_totals"]["kept"] == 1


def test_chart_ticks_and_empty_charts() -> None:
    assert charts._ticks(7) == [0, 2, 4, 6, 8] and charts._ticks(1) == [0, 1]
    assert charts._ticks(89_000) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
    assert "No data yet" in charts.horizontal_bars("Nothing", [])
    assert charts.week_labels(["2025-12-22", "2025-12-29", "2026-01-05"], 1) == {
        "2025-12-22": "22 Dec 2025", "2025-12-29": "29 Dec", "2026-01-05": "5 Jan 2026"}


# -- any database name, other databases -------------------------------------------------------


def test_pages_work_for_any_database_name(seed: dict[str, Any], db_path: Path, tmp_path: Path) -> None:
    seed["db"].conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive = tmp_path / "archive.db"
    shutil.copy(db_path, archive)
    other = tmp_path / "other.db"
    sqlite3.connect(other).executescript("CREATE TABLE claims (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO claims VALUES (1, 'x');")
    ds = Datasette([str(archive), str(other)], metadata=load_metadata("archive"), settings=SETTINGS)
    text = page(ds, f"/archive/claims/{seed['june']}")
    assert f'<a class="speaker" href="/archive/people/{seed["speaker"]}">Yuri Ushakov</a>' in text
    assert "<h1>Yuri Ushakov</h1>" in page(ds, f"/archive/people/{seed['speaker']}")
    assert f'href="/archive/claims/{seed["june"]}"' in page(ds, f"/archive/sources/{seed['source']}")
    home = page(ds, "/")
    assert '<li><a href="/archive/overdue">Overdue</a>' in home and "/other/" not in home.split("<h2")[0]
    assert 'class="claim-page"' not in page(ds, "/other/claims/1")  # not a claim-tracker database: Datasette's page
    assert "<h1>Dashboard</h1>" in page(ds, "/-/dashboard?database=archive")
    assert get(ds, "/-/dashboard?database=other").status_code == 404


# -- escaping ---------------------------------------------------------------------------------

HOSTILE_ARTICLE = """\
 date 2025-06-14 https://evil.example/news/"><script>alert('url')</script>
<script>alert("title")</script> Talks "Resume" & More
<script>alert("title")</script> Talks "Resume" & More
Foreign Ministry spokeswoman Maria Zakharova said on Tuesday that talks would resume.

10:00 GMT 14.06.2025
Foreign Ministry spokeswoman Maria Zakharova spoke at her weekly briefing in Moscow.
The spokeswoman also said:
- Russia will host <img src=x onerror=alert(1)> talks on "navigation" after June 22.
- The sides discussed <script>alert('claim')</script> and regional security.
- Moscow received the note "><b onmouseover='alert(2)'>bold</b> last Tuesday.
Follow our channel on Telegram for the latest news
"""


class Markup_(HTMLParser):
    """What a browser would build from a page: elements, attributes and script text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


@pytest.fixture
def hostile(db: sqlite_utils.Database, db_path: Path, article_file: Any) -> tuple[Datasette, dict[str, Any]]:
    report = ingesting.ingest(db, [article_file(HOSTILE_ARTICLE, "hostile.txt")])
    assert report.rejected == [] and db["claims"].count == 3
    db.execute("""UPDATE people SET name = 'Maria <i onclick="alert(3)">Zakharova</i> "Q''s', """
               """role = '<script>alert("role")</script>'""")  # fmt: skip
    db.execute("""UPDATE subjects SET name = '<svg onload=alert(4)>' WHERE name = 'Russia'""")
    db.execute("""UPDATE claims SET subjects = replace(subjects, '"Russia"', '"<svg onload=alert(4)>"')""")
    db.execute("""INSERT INTO sources (file_name, url, title, published_at, sha256, raw_text, ingested_at)
                  VALUES ('js.txt', 'javascript:alert(5)', 'JS', '2025-06-15', 'x', 'text', '2025-06-15')""")
    db.conn.commit()
    commitment = claim_id(db, "will host")
    followups.record_follow_up(db, commitment, "broken", note='<script>alert("note")</script>',
                               evidence=['https://example.org/?q="><script>alert(6)</script>'],
                               checked_on=date(2025, 6, 30), checked_by='"><img src=x onerror=alert(7)>')  # fmt: skip
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    return ds, {"db": db, "commitment": commitment}


def test_every_value_from_an_article_is_escaped(hostile: tuple[Datasette, dict[str, Any]]) -> None:
    ds, ctx = hostile
    db = ctx["db"]
    ids = [r[0] for r in db.execute("SELECT id FROM claims")]
    paths = [*(f"/claims/claims/{i}" for i in ids), "/claims/people/1", "/claims/sources/1", "/claims/sources/2",
             "/", "/claims", "/claims/claims", "/claims/claims?_search=sides", "/claims/commitments",
             "/claims/overdue?as_of=2025-07-01", "/claims/follow_ups/1", "/claims/claim_subjects", "/-/dashboard",
             "/claims/claims_by_subject?subject=svg", "/claims/scorecard"]  # fmt: skip
    for path in paths:
        text = page(ds, path)
        parsed = Markup_()
        parsed.feed(text)
        handlers = [(tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")]
        assert handlers == [], path
        assert not any("alert" in script for script in parsed.scripts), path
        assert not [t for t, _ in parsed.tags if t in ("img", "i", "b")], path
        assert not [t for t, a in parsed.tags if t == "svg" and "class" not in a], path  # only our charts
        hrefs = [a.get("href") or "" for _, a in parsed.tags]
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], path
    claim = page(ds, f"/claims/claims/{ctx['commitment']}")
    assert ('<mark class="claim-quote">Russia will host &lt;img src=x onerror=alert(1)&gt; talks on '
            "&#34;navigation&#34; after June 22.</mark>") in claim
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Talks &#34;Resume&#34; &amp; More</a>" in claim
    assert 'Maria &lt;i onclick=&#34;alert(3)&#34;&gt;Zakharova&lt;/i&gt; &#34;Q&#39;s</a>' in claim
    assert ('<a class="outlet" href="https://evil.example/news/&#34;&gt;&lt;script&gt;alert(&#39;url&#39;)&lt;/script&gt;"'
            in claim)
    assert '<p class="note">&lt;script&gt;alert(&#34;note&#34;)&lt;/script&gt;</p>' in claim
    assert 'href="https://example.org/?q=&#34;&gt;&lt;script&gt;alert(6)&lt;/script&gt;"' in claim
    assert "Checked by &#34;&gt;&lt;img src=x onerror=alert(7)&gt;" in claim
    assert '<span class="outlet">javascript:alert(5)</span>' in page(ds, "/claims/sources/2")


# -- the pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("a<b>c", [(1, 4)], "a[&lt;b&gt;]c"),
    ("abcdef", [(1, 3), (2, 5)], "a[bc]def"),  # an overlapping span is left out
    ("abcdef", [(4, 6), (0, 2)], "[ab]cd[ef]"),  # in order of position
    ("abc", [(-5, 99)], "[abc]"),  # clipped to the stretch
    ("", [], ""),
])  # fmt: skip
def test_highlight_escapes_each_slice(text: str, spans: list[tuple[int, int]], expected: str) -> None:
    marks = [pages.Span(a, b, Markup("["), Markup("]")) for a, b in spans]
    assert pages.highlight(text, 0, len(text), marks) == expected


def test_marked_lines_split_like_the_parser_and_mark_spans_across_lines() -> None:
    text = "one\r\ntwo <x>\nthree"  # the span: "e\r\ntwo <"
    lines = pages.lines_of(text)
    assert [(line.number, text[line.start:line.end]) for line in lines] == [(1, "one"), (2, "two <x>"), (3, "three")]
    marked = pages.marked_lines(text, lines, [pages.Span(2, 10, Markup("<m>"), Markup("</m>"))])
    assert [(m["number"], str(m["html"]), m["marked"]) for m in marked] == [
        (1, "on<m>e</m>", True), (2, "<m>two &lt;</m>x&gt;", True), (3, "three", False)]


@pytest.mark.parametrize(("start", "end", "around", "expected"), [
    (7, 10, 1, [2, 3, 4]),  # "ccc" on line 3
    (7, 10, 5, [1, 2, 3, 4, 5]),
    (0, 1, 1, [1, 2]),
    (16, 17, 2, [3, 4, 5]),  # the last line
    (9, 12, 0, [3, 4]),  # a span across a line break
])  # fmt: skip
def test_context_lines_match_a_full_split(start: int, end: int, around: int, expected: list[int]) -> None:
    text = "a\r\nbb\r\nccc\ndddd\ne"
    lines = {line.number: line for line in pages.lines_of(text)}
    assert pages.context_lines(text, start, end, around) == [lines[n] for n in expected]


def test_with_code_escapes_and_marks_backticks() -> None:
    assert pages.with_code("a `b<c>` & `d`") == "a <code>b&lt;c&gt;</code> &amp; <code>d</code>"


@pytest.mark.parametrize(("value", "expected"), [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"), ("http://x.org", "http://x.org"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("data:text/html,x", None),
    ("https://", None), ("https://x.org/a b", None), (None, None), ("/relative", None),
])  # fmt: skip
def test_only_http_urls_become_links(value: Any, expected: str | None) -> None:
    assert pages.http_url(value) == expected


def test_when_reads_dates_and_times() -> None:
    assert pages.when("2025-06-14T16:05:00+00:00") == "14 June 2025, 16:05 UTC"
    assert pages.when("2025-06-14") == "14 June 2025"
    assert pages.when("2025-06-14T16:05:00+03:00") == "14 June 2025, 16:05 +0300"
    assert pages.when("not a date") == "not a date" and pages.when(None) == ""


def test_speaker_overdue_link_filters_open_commitments_past_due(ds: Datasette, seed: dict[str, Any]) -> None:
    text = page(ds, f"/claims/people/{seed['speaker']}")
    overdue = next(h for h in links(text) if "follow_up_due__lt" in h)
    args = parse_qs(urlsplit(overdue).query)
    assert args["follow_up_due__lt"] == ["2025-07-01"] and args["status__notin"] == ["kept,compromise,broken"]
    assert args["speaker_id"] == [str(seed["speaker"])] and args["is_commitment"] == ["1"] and args["retracted_at__isnull"] == ["1"]
