from __future__ import annotations

import asyncio
import hashlib
import json
import re
import sqlite3
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette
from markupsafe import Markup, escape

from benchmarks.corpus import write_corpus
from tracker import db as database
from tracker import followups
from tracker import ingest as ingesting
from tracker.serve import SETTINGS, datasette_args, load_metadata

from .conftest import ARTICLES


def get(ds: Datasette, path: str, headers: dict[str, str] | None = None) -> Any:
    async def fetch() -> Any:
        await ds.invoke_startup()
        return await ds.client.get(path, headers=headers or {})

    return asyncio.run(fetch())


@pytest.fixture
def ds(seeded: sqlite_utils.Database, db_path: Path) -> Datasette:
    return Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)


def test_metadata_title_license_source(ds: Datasette) -> None:
    metadata = get(ds, "/-/metadata.json").json()
    assert metadata["title"] == "Claim tracker"
    assert metadata["license"] == "CC BY 4.0 (the database); quoted article text remains its publishers'"
    assert metadata["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["source"] == "News readouts ingested with claim-tracker"
    tables = metadata["databases"]["claims"]["tables"]
    for table in ("claims", "sources", "people", "subjects", "claim_subjects", "follow_ups"):
        assert tables[table]["description"]


def test_claims_table_shows_speaker_names(ds: Datasette) -> None:
    rows = get(ds, "/claims/claims.json?_shape=array&_labels=on").json()
    assert len(rows) == 12
    assert {r["speaker_id"]["label"] for r in rows} == {"Yuri Ushakov"}
    assert {r["source_id"]["label"] for r in rows} == {"Putin Holds Phone Conversation With Trump"}


def test_facets(ds: Datasette) -> None:
    data = get(ds, "/claims/claims.json?_facet_size=50").json()
    facets = data["facet_results"]
    assert set(facets) >= {"speaker_id", "subjects", "is_commitment", "status"}
    assert {v["label"]: v["count"] for v in facets["speaker_id"]["results"]} == {"Yuri Ushakov": 12}
    assert {v["value"]: v["count"] for v in facets["is_commitment"]["results"]} == {0: 10, 1: 2}
    assert {v["value"]: v["count"] for v in facets["form"]["results"]} == {"list": 10, "reported": 1, "quote": 1}
    subjects = {v["label"]: v["count"] for v in facets["subjects"]["results"]}
    assert subjects["Donald Trump"] == 8 and subjects["Iran"] == 3
    # the subject facet's link filters through claim_subjects, and counts follow the filter
    iran = next(v for v in facets["subjects"]["results"] if v["label"] == "Iran")
    path = iran["toggle_url"].split("://", 1)[-1].split("/", 1)[1]
    filtered = get(ds, "/" + path.replace("/claims/claims?", "/claims/claims.json?", 1)).json()
    text = filtered["columns"].index("text")
    assert {r[text] for r in filtered["rows"]} >= {"Putin informed Trump about his recent phone contacts with the president of Iran and the prime minister of Israel."}
    assert len(filtered["rows"]) == 3
    counts = {v["label"]: v["count"] for v in filtered["facet_results"]["subjects"]["results"]}
    assert counts["Iran"] == 3 and counts["Israel"] == 1
    selected = next(v for v in filtered["facet_results"]["subjects"]["results"] if v["label"] == "Iran")
    assert selected["selected"] is True


def test_remembered_facets_do_not_carry_another_requests_host(ds: Datasette) -> None:
    attacker = get(ds, "/claims/claims", headers={"host": "evil.example"})
    assert attacker.status_code == 200 and "http://evil.example/claims/claims?_through=" in attacker.text
    for path in ("/claims/claims", "/claims/claims.json", "/claims/claims?_search=Iranian"):
        get(ds, path, headers={"host": "evil.example"})
        visitor = get(ds, path)
        assert "evil.example" not in visitor.text, path
        assert "http://localhost/claims/claims" in visitor.text  # links still absolute, for this host


def test_remembered_facets_link_to_the_page_asked_for(ds: Datasette) -> None:
    get(ds, "/claims/claims.json")  # same SQL and query string as the HTML page
    html = get(ds, "/claims/claims").text
    links = re.findall(r'href="([^"]*_through=[^"]*)"', html)
    assert links and not any(".json" in link for link in links)


def test_full_text_search(ds: Datasette) -> None:
    rows = get(ds, "/claims/claims.json?_search=Iranian&_shape=array").json()
    assert len(rows) == 2 and all("Iranian" in r["text"] for r in rows)
    html = get(ds, "/claims/claims").text
    assert 'name="_search"' in html  # the search box is offered


def test_canned_queries(ds: Datasette) -> None:
    rows = get(ds, "/claims/commitments_with_deadlines.json?_shape=array").json()
    assert [(r["deadline"], r["speaker"]) for r in rows] == [("2025-06-22", "Yuri Ushakov")]



def claims_about(db: sqlite_utils.Database, name: str) -> list[int]:
    return [r["id"] for r in db.query(
        "SELECT claims.id FROM claims, json_each(claims.subjects) WHERE json_each.value = ?"
        " AND retracted_at IS NULL ORDER BY follow_up_due, claims.id", [name])]  # fmt: skip


def test_claims_by_subject_matches_the_subject_exactly_once_per_claim(ds: Datasette, seeded: sqlite_utils.Database) -> None:
    iran, program = claims_about(seeded, "Iran"), claims_about(seeded, "Iranian nuclear program")
    assert set(iran) & set(program)  # claims about both: once each, not once per subject
    for asked in ("Iran", "iran", "IRAN"):
        rows = get(ds, f"/claims/claims_by_subject.json?subject={asked}&_shape=array").json()
        assert [r["id"] for r in rows] == iran, asked
        assert all("Iran" in json.loads(r["subjects"]) for r in rows)
    rows = get(ds, "/claims/claims_by_subject.json?subject=Iranian+nuclear+program&_shape=array").json()
    assert [r["id"] for r in rows] == program
    assert get(ds, "/claims/claims_by_subject.json?subject=Ira&_shape=array").json() == []
    seeded.execute("UPDATE claims SET retracted_at = '2025-07-01T00:00:00+00:00' WHERE id = ?", [iran[0]])
    rows = get(ds, "/claims/claims_by_subject.json?subject=Iran&_shape=array").json()
    assert [r["id"] for r in rows] == iran[1:]  # retracted claims leave it, as they leave `tracker claims`


def test_claims_newest_first_and_search_keeps_the_order(ds: Datasette) -> None:
    ids = [r["id"] for r in get(ds, "/claims/claims.json?_shape=array").json()]
    assert ids == sorted(ids, reverse=True) and len(ids) == 12
    found = [r["id"] for r in get(ds, "/claims/claims.json?_search=Iranian&_shape=array").json()]
    assert found == sorted(found, reverse=True)
    paged, path = [], "/claims/claims.json?_size=3"
    while path:
        data = get(ds, path).json()
        paged += [r[0] for r in data["rows"]]
        path = data["next_url"] and data["next_url"].split("localhost", 1)[-1]
    assert paged == ids  # the next-page links walk every claim once, in the same order


def test_remembered_counts_and_facets_follow_writes(ds: Datasette, seeded: sqlite_utils.Database) -> None:
    def counts(path: str) -> tuple[int, dict[str, int]]:
        data = get(ds, path).json()
        speakers = {v["label"]: v["count"] for v in data["facet_results"]["speaker_id"]["results"]}
        return data["filtered_table_rows_count"], speakers

    def iran_matches() -> int:
        return seeded.execute("select count(*) from claims_fts where claims_fts match 'Iran'").fetchone()[0]  # type: ignore[no-any-return]

    assert counts("/claims/claims.json") == (12, {"Yuri Ushakov": 12})
    assert counts("/claims/claims.json?_search=Iran")[0] == iran_matches() > 0
    assert counts("/claims/claims.json") == (12, {"Yuri Ushakov": 12})  # answered from memory
    before = iran_matches()
    other = ARTICLES / "006_lin-china-iran-consultations.txt"
    assert other.exists()
    ingesting.ingest(seeded, [other])
    total, speakers = counts("/claims/claims.json")
    assert total == seeded["claims"].count > 10 and sum(speakers.values()) == total
    assert counts("/claims/claims.json?_search=Iran")[0] == iran_matches() > before


def test_overdue_and_due_soon_pages_cover_every_row(tmp_path: Path) -> None:
    corpus, db_path = tmp_path / "corpus", tmp_path / "claims.db"
    write_corpus(corpus, 120)
    db = database.connect(db_path)
    ingesting.ingest(db, [corpus])
    ds = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    as_of = date(2100, 1, 1)
    expected = [r["id"] for r in followups.overdue(db, as_of)]
    assert len(expected) > 200  # at least three pages

    def pages(query: str) -> list[int]:
        ids, page = [], 1
        while rows := get(ds, f"{query}&page={page}&_shape=array").json():
            assert len(rows) <= 100
            ids += [r["id"] for r in rows]
            page += 1
        return ids

    assert pages(f"/claims/overdue.json?as_of={as_of}") == expected
    first = get(ds, f"/claims/overdue.json?as_of={as_of}&_shape=array").json()
    assert [r["id"] for r in first] == expected[:100]  # no page means the first
    assert get(ds, f"/claims/overdue.json?as_of={as_of}&page=nonsense&_shape=array").json() == first
    soon = [r["id"] for r in followups.due(db, date(2024, 1, 1), 36500)]
    assert pages("/claims/due_soon.json?as_of=2024-01-01&days=36500") == soon


def test_table_rows_render_as_datasettes_own_template(seeded: sqlite_utils.Database, db_path: Path, tmp_path: Path) -> None:
    stock_templates = tmp_path / "templates"
    stock_templates.mkdir()
    (stock_templates / "_table.html").write_text('{% include "default:_table.html" %}')  # Datasette's own
    ours = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS)
    stock = Datasette([str(db_path)], metadata=load_metadata(), settings=SETTINGS, template_dir=str(stock_templates))

    def table(ds: Datasette, path: str) -> str:
        html = get(ds, path).text
        body = html[html.index('<table class="rows-and-columns">'):html.index("</table>")]
        return re.sub(r">\s+<", "><", body.strip())

    for path in ("/claims/claims", "/claims/claims?_search=Iran", "/claims/sources", "/claims/commitments"):
        rendered = table(ours, path)
        assert rendered == table(stock, path) and rendered.count("<tr>") > 1


def test_claim_page_links_each_of_its_subjects_to_the_claims_about_it(ds: Datasette, seeded: sqlite_utils.Database) -> None:
    claim = next(seeded.query("SELECT id, text, subjects FROM claims WHERE text LIKE '%after June 22%'"))
    names = json.loads(claim["subjects"])
    assert len(names) >= 2
    page = get(ds, f"/claims/claims/{claim['id']}")
    assert page.status_code == 200 and claim["text"] in page.text
    links = dict(re.findall(r'<a[^>]*href="([^"]*_through=[^"]*)"[^>]*>([^<]+)</a>', page.text))
    linked = {name: href for href, name in links.items()}
    assert set(names) <= set(linked), linked
    for name in names:
        path = linked[name].replace("&amp;", "&").replace("/claims/claims?", "/claims/claims.json?_shape=array&_size=max&", 1)
        found = [r["id"] for r in get(ds, path).json()]
        assert claim["id"] in found and sorted(found) == sorted(claims_about(seeded, name)), name


def test_datasettes_connections_to_the_database_are_read_only(ds: Datasette, db_path: Path) -> None:
    """Datasette's own write connection (what a plugin or a writable canned query would use)
    and its read connections both refuse to write."""

    async def attempt() -> list[str]:
        await ds.invoke_startup()
        database = ds.get_database("claims")
        errors = []
        for write in (database.execute_write("DELETE FROM claim_subjects"),
                      database.execute_write_fn(lambda conn: conn.execute("DELETE FROM claim_subjects")),
                      database.execute_fn(lambda conn: conn.execute("DELETE FROM claim_subjects"))):  # fmt: skip
            with pytest.raises(sqlite3.OperationalError) as error:
                await write
            errors.append(str(error.value))
        return errors

    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert asyncio.run(attempt()) == ["attempt to write a readonly database"] * 3
    assert sqlite_utils.Database(db_path)["claim_subjects"].count > 0
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_metadata_follows_the_database_file_name() -> None:
    metadata = load_metadata("archive")
    assert "archive" in metadata["databases"] and "claims" not in metadata["databases"]
    args = datasette_args(Path("archive.db"), Path("m.yml"), "127.0.0.1", 9000)
    assert args[:2] == ["serve", "archive.db"] and "sql_time_limit_ms" in args


HOSTILE = ['<script>alert(1)</script>', '"onmouseover="alert(2)', "'><img src=x onerror=alert(3)>", "</td></tr><tr><td>4"]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_table_rows_html_escapes_every_cell_value_and_class() -> None:
    from tracker.datasette_plugin import table_rows_html

    rows = [[{"column": HOSTILE[1], "value_type": HOSTILE[2], "value": value} for value in HOSTILE]]
    html = str(table_rows_html(rows))
    assert html.count("<td") == 4 and html.count("</td>") == 4 and html.count("<tr>") == 1
    for value in HOSTILE:
        assert value not in html and str(escape(value)) in html
    assert "onmouseover=\"" not in html and "col-onmouseoveralert2" in html  # Datasette's css class
    trusted = table_rows_html([[{"column": "x", "value_type": "str", "value": Markup('<a href="/p">&lt;b&gt;</a>')}]])
    assert '<a href="/p">&lt;b&gt;</a>' in str(trusted)  # Datasette's own links (escaped labels) stay links


def test_table_pages_escape_hostile_values_in_every_column(ds: Datasette, seeded: sqlite_utils.Database) -> None:
    """Article values in every column the table pages show: claim text, quote, subjects, deadline
    phrase, source title, file name and URL, speaker name and office (as labels, too)."""
    text, url = HOSTILE[0] + " " + HOSTILE[3], "https://evil.example/" + HOSTILE[1]
    seeded.execute("DROP TRIGGER IF EXISTS claims_status_is_derived")  # not touched: status stays
    seeded.execute("UPDATE claims SET text = ?, deadline_text = ?, subjects = ? WHERE id = 1",
                   [text, HOSTILE[2], json.dumps([HOSTILE[1]])])  # fmt: skip
    seeded.execute("UPDATE sources SET title = ?, url = ?, file_name = ?", [HOSTILE[2], url, HOSTILE[0]])
    seeded.execute("UPDATE people SET name = ?, role = ? WHERE id = 1", [HOSTILE[1] + " Ushakov", HOSTILE[3]])
    seeded.conn.commit() if seeded.conn.in_transaction else None
    pages = {path: get(ds, path).text for path in (
        "/claims/claims?_size=max", "/claims/claims?_search=alert", "/claims/sources", "/claims/people",
        "/claims/claim_details?_size=max", "/claims/commitments")}  # fmt: skip
    for path, html in pages.items():
        body = html[html.index('<table class="rows-and-columns">'):html.index("</table>")]
        for value in HOSTILE:
            assert value not in body, (path, value)
        tags = Tags()
        tags.feed(body)
        assert {tag for tag, _ in tags.found} <= {"table", "thead", "tbody", "tr", "th", "td", "a", "em", "span"}, path
        assert not [(tag, name) for tag, attrs in tags.found for name in attrs if name.startswith("on")], path
    claims, sources, people = pages["/claims/claims?_size=max"], pages["/claims/sources"], pages["/claims/people"]
    assert str(escape(text)) in claims and str(escape(HOSTILE[2])) in claims  # text, deadline phrase
    assert str(escape(HOSTILE[1] + " Ushakov")) in claims  # the speaker's label
    assert all(str(escape(v)) in sources for v in (HOSTILE[2], url, HOSTILE[0]))
    assert all(str(escape(v)) in people for v in (HOSTILE[1] + " Ushakov", HOSTILE[3]))
    details = pages["/claims/claim_details?_size=max"]
    assert str(escape(HOSTILE[3])) in details and str(escape(url)) in details
