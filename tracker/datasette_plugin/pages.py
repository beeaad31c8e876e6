"""The site a fact-checker reads: claim, speaker and source pages, the home and database pages,
the collapsed column notes of table pages and the dashboard, built the Datasette way.

Datasette chooses the templates (`row.html`, `table.html`, `index.html`, `database.html` in this
package's templates/ shadow its own and fall back to them with `default:`); `extra_template_vars`
gathers each page's data, so every URL and `.json` endpoint stays Datasette's (the home page's
HTML comes from home.py's view, which lists the databases with less work than Datasette's, into
the same `index.html`). The claim,
speaker and source pages are row pages of `claims`, `people` and `sources` in any database that
has this project's tables, whatever its file is called.

Everything that comes from an article (text, titles, URLs, names, notes) is escaped: by Jinja in
the templates, and by `markupsafe.escape` for each slice of raw text around a `<mark>`. Links
are only made of http(s) URLs; anything else is shown as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlparse
from weakref import WeakKeyDictionary

from datasette import hookimpl
from datasette.utils import urlsafe_components
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from tracker.datasette_plugin import Memory, charts, database_state, figures
from tracker.datasette_plugin.home import HOME_PATH, HomeView

if TYPE_CHECKING:
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.utils.asgi import Request

PLUGIN = "claim-tracker"  # the distribution's name: Datasette serves static/ under it
# A database is this project's when it has these tables.
TRACKER_TABLES = frozenset({"claims", "people", "sources", "claim_subjects", "follow_ups"})
ROW_TEMPLATES = {"claims": "claim_tracker/claim.html", "people": "claim_tracker/speaker.html",
                 "sources": "claim_tracker/source.html"}  # fmt: skip
# PolitiFact's promise ratings, in the order their meter shows them.
STATUSES = ("kept", "compromise", "broken", "in-the-works", "stalled", "not-yet-rated")
FINAL_STATUSES = ("kept", "compromise", "broken")
STATUS_LABELS = {"kept": "Kept", "compromise": "Compromise", "broken": "Broken",
                 "in-the-works": "In the works", "stalled": "Stalled",
                 "not-yet-rated": "Not yet rated", "overdue": "Overdue"}  # fmt: skip
CONTEXT_LINES = 2  # lines of the article shown before and after a claim's line
OTHER_CLAIMS = 100  # claims of the same article listed under a claim
OPEN_COMMITMENTS = 50  # a speaker's open commitments listed, soonest due first
RECENT_CLAIMS = 20
SPEAKER_SUBJECTS = 10  # a speaker's subjects with most claims
# Foreign keys shown by name on row pages that have no page of their own (follow_ups,
# claim_subjects): column -> (table, label column).
LABELS = {"claim_id": ("claims", "text"), "subject_id": ("subjects", "name"),
          "speaker_id": ("people", "name"), "attributed_to_id": ("people", "name"),
          "source_id": ("sources", "title")}  # fmt: skip
LABEL_LENGTH = 120


def today() -> date:
    return date.today()


def http_url(value: object) -> str | None:
    """The value if it is an http(s) URL, to be put in an href; None for anything else
    (`javascript:` and friends stay text)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    parsed = urlparse(url)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in url):
        return None
    return url


def when(value: str | None) -> str:
    """An ISO date or time as people read it: "14 June 2025, 16:05 UTC"."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{moment.day} {moment:%B %Y}"
    if len(value) <= 10:
        return day
    zone = "UTC" if moment.utcoffset() == timedelta(0) else (moment.strftime("%z") if moment.tzinfo else "")
    return f"{day}, {moment:%H:%M} {zone}".rstrip()


def with_code(text: str) -> Markup:
    """Escaped text with `backticked` words as <code>, as the metadata's descriptions write them."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def is_open(status: str | None) -> bool:
    return status not in FINAL_STATUSES


@dataclass(frozen=True)
class Span:
    """A stretch of raw text to wrap: `open_tag` and `close_tag` are trusted markup."""

    start: int
    end: int
    open_tag: Markup
    close_tag: Markup


def highlight(text: str, start: int, end: int, spans: Iterable[Span]) -> Markup:
    """`text[start:end]` escaped slice by slice, with each span's tags around its (clipped)
    characters. Spans are taken in order; one that overlaps an earlier one is left out."""
    html: list[str] = []
    position = start
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        a, b = max(span.start, start), min(span.end, end)
        if a < position or a >= b:
            continue
        html += [escape(text[position:a]), span.open_tag, escape(text[a:b]), span.close_tag]
        position = b
    html.append(escape(text[position:end]))
    return Markup("".join(html))


@dataclass(frozen=True)
class Line:
    number: int
    start: int
    end: int  # excludes the line break (and a \r before it)


def lines_of(text: str) -> list[Line]:
    """Lines as `tracker.articles.split_lines` numbers them: split on '\\n' only."""
    lines, start = [], 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        end = start + len(chunk)
        lines.append(Line(number, start, end - 1 if chunk.endswith("\r") else end))
        start = end + 1
    return lines


def context_lines(text: str, start: int, end: int, around: int) -> list[Line]:
    """The lines holding text[start:end] and `around` lines either side, found from the offsets
    without splitting the whole text (an article may run to megabytes)."""
    first = text.rfind("\n", 0, start) + 1
    for _ in range(around):
        if first == 0:
            break
        first = text.rfind("\n", 0, first - 1) + 1
    stop = text.find("\n", max(end - 1, start))
    for _ in range(around):
        if stop == -1:
            break
        stop = text.find("\n", stop + 1)
    stop = len(text) if stop == -1 else stop
    number = text.count("\n", 0, first) + 1
    return [Line(number + i, line.start + first, line.end + first)
            for i, line in enumerate(lines_of(text[first:stop]))]  # fmt: skip


def marked_lines(text: str, lines: list[Line], spans: list[Span]) -> list[dict[str, Any]]:
    """Each line's number and its escaped text with the spans that fall on it marked."""
    spans = sorted(spans, key=lambda s: (s.start, s.end))
    result, first = [], 0
    for line in lines:
        while first < len(spans) and spans[first].end <= line.start:
            first += 1
        on_line, i = [], first
        while i < len(spans) and spans[i].start < max(line.end, line.start + 1):  # sorted by start
            on_line.append(spans[i])
            i += 1
        html = highlight(text, line.start, line.end, on_line) if on_line else escape(text[line.start:line.end])
        result.append({"number": line.number, "html": html, "marked": any(s.end > line.start for s in on_line)})
    return result


async def is_tracker_database(datasette: Datasette, database: str | None) -> bool:
    if not database:
        return False
    try:
        db = datasette.get_database(database)
    except KeyError:
        return False
    return TRACKER_TABLES <= set(await db.table_names())


async def tracker_databases(datasette: Datasette) -> list[str]:
    return [name for name in datasette.databases if await is_tracker_database(datasette, name)]


def _rows(results: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in results.rows]


def _subject_filter(datasette: Datasette, database: str, subject_id: int, **more: Any) -> str:
    """The claims table filtered to one subject, as the subject facet's links do it."""
    through = json.dumps({"table": "claim_subjects", "column": "subject_id", "value": str(subject_id)})
    return f"{datasette.urls.table(database, 'claims')}?{urlencode({**more, '_through': through})}"


class Links:
    """URLs of one database's pages."""

    def __init__(self, datasette: Datasette, database: str) -> None:
        self.datasette, self.database = datasette, database

    def claim(self, claim_id: int) -> str:
        return self.datasette.urls.row(self.database, "claims", str(claim_id))

    def person(self, person_id: int) -> str:
        return self.datasette.urls.row(self.database, "people", str(person_id))

    def source(self, source_id: int) -> str:
        return self.datasette.urls.row(self.database, "sources", str(source_id))

    def table(self, name: str, **args: Any) -> str:
        url = self.datasette.urls.table(self.database, name)
        return f"{url}?{urlencode(args)}" if args else url

    def query(self, name: str, **args: Any) -> str:
        url = self.datasette.urls.query(self.database, name)
        return f"{url}?{urlencode(args)}" if args else url

    def subject(self, subject_id: int, **more: Any) -> str:
        return _subject_filter(self.datasette, self.database, subject_id, **more)

    def calendar(self) -> str:
        return self.datasette.urls.query(self.database, "deadlines", format="ics")

    def overdue(self, as_of: date, **filters: Any) -> str:
        """Open commitments past their follow-up date, as a filtered claims table."""
        return self.table("claims", **filters, is_commitment=1, retracted_at__isnull=1,
                          status__notin=",".join(FINAL_STATUSES), follow_up_due__lt=as_of.isoformat(),
                          _sort="follow_up_due")  # fmt: skip

    def dashboard(self, default: bool = True) -> str:
        """The dashboard shows the first claim-tracker database unless told another."""
        url = self.datasette.urls.path("-/dashboard")
        return url if default else f"{url}?{urlencode({'database': self.database})}"


def _claim_item(claim: dict[str, Any], links: Links, as_of: date) -> dict[str, Any]:
    """A claim as the lists of the three pages show it."""
    status = claim.get("status")
    commitment = bool(claim.get("is_commitment"))
    return {**claim, "url": links.claim(claim["id"]), "commitment": commitment,
            "status_label": status_label(status),
            "overdue": commitment and is_open(status) and not claim.get("retracted_at")
            and claim["follow_up_due"] < as_of.isoformat()}  # fmt: skip


async def claim_page(datasette: Datasette, db: Database, claim_id: int) -> dict[str, Any] | None:
    links, as_of = Links(datasette, db.name), today()
    found = await db.execute(
        """SELECT claims.*, speaker.name AS speaker_name, speaker.role AS speaker_role,
                  attributed.name AS attributed_name, attributed.role AS attributed_role,
                  sources.title AS source_title, sources.url AS source_url,
                  sources.section AS source_section, sources.published_at, sources.updated_at,
                  sources.file_name AS source_file, sources.raw_text
           FROM claims
           JOIN people AS speaker ON speaker.id = claims.speaker_id
           LEFT JOIN people AS attributed ON attributed.id = claims.attributed_to_id
           JOIN sources ON sources.id = claims.source_id
           WHERE claims.id = :id""",
        {"id": claim_id},
    )
    if not found.rows:
        return None
    claim = dict(found.rows[0])
    raw = claim.pop("raw_text")
    mark = Span(claim["char_start"], claim["char_end"], Markup('<mark class="claim-quote">'), Markup("</mark>"))
    subjects = _rows(await db.execute(
        """SELECT subjects.id, subjects.name, subjects.kind FROM claim_subjects
           JOIN subjects ON subjects.id = claim_subjects.subject_id
           WHERE claim_subjects.claim_id = :id""", {"id": claim_id}))  # fmt: skip
    order = {name: i for i, name in enumerate(_json_list(claim["subjects"]))}
    subjects.sort(key=lambda s: (order.get(s["name"], len(order)), s["name"]))
    # The statement's follow-ups: recorded on any outlet's appearance of it.
    follow_ups = _rows(await db.execute(
        """SELECT follow_ups.* FROM follow_ups JOIN claims AS appearance ON appearance.id = follow_ups.claim_id
           WHERE appearance.id = :id OR (appearance.statement_id IS NOT NULL AND appearance.statement_id = :statement)
           ORDER BY follow_ups.id DESC""",
        {"id": claim_id, "statement": claim["statement_id"]}))  # fmt: skip
    appearances = _rows(await db.execute(
        """SELECT claims.id, claims.text, sources.title, sources.url, sources.published_at FROM claims
           JOIN sources ON sources.id = claims.source_id
           WHERE claims.statement_id = :statement AND claims.id != :id AND claims.retracted_at IS NULL
           ORDER BY sources.published_at, claims.id""",
        {"id": claim_id, "statement": claim["statement_id"]})) if claim["statement_id"] else []  # fmt: skip
    if claim["status"] is None and claim["statement_id"]:  # worded as a report here, a commitment elsewhere
        claim["status"] = (await db.execute(
            """SELECT representative.status FROM statements JOIN claims AS representative
               ON representative.id = statements.claim_id WHERE statements.id = :statement""",
            {"statement": claim["statement_id"]})).first()[0]  # fmt: skip
    for follow_up in follow_ups:
        follow_up["status_label"] = status_label(follow_up["status"])
        follow_up["evidence"] = [{"text": str(e), "url": http_url(e)} for e in _json_list(follow_up["evidence"])]
    others = _rows(await db.execute(
        f"""SELECT claims.id, claims.text, claims.line, claims.is_commitment, claims.status,
                   claims.follow_up_due, claims.retracted_at, people.name AS speaker_name
            FROM claims JOIN people ON people.id = claims.speaker_id
            WHERE claims.source_id = :source AND claims.id != :id
            ORDER BY claims.char_start, claims.id LIMIT {OTHER_CLAIMS}""",
        {"source": claim["source_id"], "id": claim_id}))  # fmt: skip
    other_count = (await db.execute(
        "SELECT count(*) FROM claims WHERE source_id = :source", {"source": claim["source_id"]})).first()[0] - 1
    return {
        "page": "claim",
        "claim": _claim_item(claim, links, as_of),
        "speaker_url": links.person(claim["speaker_id"]),
        "attributed_url": links.person(claim["attributed_to_id"]) if claim["attributed_to_id"] else None,
        "source_page_url": links.source(claim["source_id"]) + f"#claim-{claim_id}",
        "source_url": links.source(claim["source_id"]),
        "outlet_url": http_url(claim["source_url"]),
        "context": marked_lines(raw, context_lines(raw, claim["char_start"], claim["char_end"], CONTEXT_LINES), [mark]),
        "subjects": [{**s, "url": links.subject(s["id"])} for s in subjects],
        "follow_ups": follow_ups,
        "appearances": [{**a, "url": links.claim(a["id"]), "outlet_url": http_url(a["url"]),
                         "published": when(a["published_at"])} for a in appearances],
        "statement_url": links.table("statements", id=claim["statement_id"]) if claim["statement_id"] else None,
        "others": [_claim_item(o, links, as_of) for o in others],
        "other_count": other_count,
        "source_claims_url": links.table("claims", source_id=claim["source_id"], _sort="id"),
        "as_of": as_of.isoformat(),
        "follow_ups_url": links.table("follow_ups", claim_id=claim_id),
    }


def _json_list(value: Any) -> list[Any]:
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def meter(counts: dict[str, int], overdue: int, links: Links, as_of: date, **filters: Any) -> list[dict[str, Any]]:
    """The promise meter: each rating's count and share of the commitments, and overdue ones."""
    total = sum(counts.values())
    rows = [{"status": s, "label": status_label(s), "count": counts.get(s, 0),
             "percent": round(100 * counts.get(s, 0) / total) if total else 0,
             "url": links.table("claims", **filters, is_commitment=1, status=s, _sort="follow_up_due")}
            for s in STATUSES]  # fmt: skip
    rows.append({"status": "overdue", "label": status_label("overdue"), "count": overdue,
                 "percent": round(100 * overdue / total) if total else 0,
                 "url": links.overdue(as_of, **filters)})  # fmt: skip
    return rows


# A speaker's figures: read from the kept figures (figures.py), then remembered until the
# database changes, like facet counts.
SPEAKER_MEMORY = Memory(256)


async def speaker_figures(db: Database, person_id: int, as_of: date) -> dict[str, Any]:
    key = (db.name, database_state(db.path), person_id, as_of)
    figures = SPEAKER_MEMORY.get(key)
    if figures is None:
        figures = await _count_speaker(db, person_id, as_of)
        SPEAKER_MEMORY.put(key, figures)
    return figures  # type: ignore[no-any-return]


async def _count_speaker(db: Database, person_id: int, as_of: date) -> dict[str, Any]:
    params = {"id": person_id, "today": as_of.isoformat()}
    totals = await figures.first(db, figures.SPEAKER_TOTALS, params)
    open_commitments = await figures.open_commitments(db, person_id, OPEN_COMMITMENTS)
    recent = await figures.recent_claims(db, person_id, RECENT_CLAIMS)
    subjects = await figures.rows(db, figures.SPEAKER_SUBJECTS, {"id": person_id, "limit": SPEAKER_SUBJECTS})
    reported = (await db.execute(
        "SELECT count(*) FROM claims WHERE attributed_to_id = :id AND retracted_at IS NULL", params)).first()[0]
    reports = _rows(await db.execute(
        f"""SELECT claims.id, claims.text, claims.is_commitment, claims.status, claims.follow_up_due,
                   claims.retracted_at, people.name AS speaker_name
            FROM claims JOIN people ON people.id = claims.speaker_id
            WHERE claims.attributed_to_id = :id AND claims.retracted_at IS NULL
            ORDER BY claims.id DESC LIMIT {RECENT_CLAIMS}""", params))  # fmt: skip
    return {"totals": totals, "open_commitments": open_commitments, "recent": recent, "subjects": subjects,
            "reported": reported, "reports": reports}  # fmt: skip


async def speaker_page(datasette: Datasette, db: Database, person_id: int) -> dict[str, Any] | None:
    links, as_of = Links(datasette, db.name), today()
    found = await db.execute("SELECT * FROM people WHERE id = :id", {"id": person_id})
    if not found.rows:
        return None
    figures = await speaker_figures(db, person_id, as_of)
    totals = figures["totals"]
    counts = {s: totals[s] for s in STATUSES}

    def item(row: dict[str, Any]) -> dict[str, Any]:
        return {**_claim_item(row, links, as_of), "source_url": links.source(row["source_id"])}

    return {
        "page": "speaker",
        "person": dict(found.rows[0]),
        "claims": totals["claims"],
        "commitments": totals["commitments"],
        "open_commitments_count": sum(counts[s] for s in STATUSES if is_open(s)),
        "overdue": totals["overdue"],
        "meter": meter(counts, totals["overdue"], links, as_of, speaker_id=person_id),
        "open_commitments": [item(r) for r in figures["open_commitments"]],
        "recent": [item(r) for r in figures["recent"]],
        "subjects": [{**s, "url": links.subject(s["id"], speaker_id=person_id)} for s in figures["subjects"]],
        "reported": figures["reported"],
        "reports": [_claim_item(r, links, as_of) for r in figures["reports"]],
        "as_of": as_of.isoformat(),
        "claims_url": links.table("claims", speaker_id=person_id),
        "commitments_url": links.table("claims", speaker_id=person_id, is_commitment=1, _sort="follow_up_due"),
        "reported_url": links.table("claims", attributed_to_id=person_id),
    }


async def source_page(datasette: Datasette, db: Database, source_id: int) -> dict[str, Any] | None:
    links, as_of = Links(datasette, db.name), today()
    found = await db.execute("SELECT * FROM sources WHERE id = :id", {"id": source_id})
    if not found.rows:
        return None
    source = dict(found.rows[0])
    raw = source.pop("raw_text")
    claims = [_claim_item(c, links, as_of) for c in _rows(await db.execute(
        """SELECT claims.id, claims.text, claims.line, claims.char_start, claims.char_end,
                  claims.is_commitment, claims.status, claims.follow_up_due, claims.retracted_at,
                  claims.speaker_id, people.name AS speaker_name
           FROM claims JOIN people ON people.id = claims.speaker_id
           WHERE claims.source_id = :id ORDER BY claims.char_start, claims.id""", {"id": source_id}))]  # fmt: skip
    spans = []
    for claim in claims:
        kind = "commitment" if claim["commitment"] else "report"
        state = " retracted" if claim["retracted_at"] else ""
        title = f"Claim {claim['id']} · {claim['speaker_name']}" + (
            f" · {claim['status_label']}" if claim["status"] else "")
        spans.append(Span(
            claim["char_start"], claim["char_end"],
            Markup('<mark class="claim {}{}" id="claim-{}"><a href="{}" title="{}">').format(
                kind, state, claim["id"], claim["url"], title),
            Markup("</a></mark>")))  # fmt: skip
    return {
        "page": "source",
        "source": source,
        "outlet_url": http_url(source["url"]),
        "lines": marked_lines(raw, lines_of(raw), spans),
        "claims": claims,
        "speakers": sorted({(c["speaker_id"], c["speaker_name"]) for c in claims}, key=lambda s: s[1]),
        "speaker_urls": {c["speaker_id"]: links.person(c["speaker_id"]) for c in claims},
        "claims_url": links.table("claims", source_id=source_id, _sort="id"),
        "as_of": as_of.isoformat(),
    }


PAGES = {"claims": claim_page, "people": speaker_page, "sources": source_page}


# The home page's counts (kept figures, ~10 ms at a million claims), remembered until the database changes.
HOME_MEMORY = Memory(64)


async def home_counts(db: Database, as_of: date) -> dict[str, Any]:
    key = (db.name, database_state(db.path), as_of)
    counts = HOME_MEMORY.get(key)
    if counts is None:
        counts = await figures.first(db, figures.HOME, {"today": as_of.isoformat()})
        HOME_MEMORY.put(key, counts)
    return counts  # type: ignore[no-any-return]


async def home(datasette: Datasette, database: str) -> dict[str, Any]:
    """Where to start in one database: the lists a fact-checker opens, and a few counts."""
    links, db = Links(datasette, database), datasette.get_database(database)
    counts = await home_counts(db, today())
    home = {
        "name": database,
        "claims": counts["claims"],
        "commitments": counts["commitments"],
        "overdue": counts["overdue"],
        "links": [{"key": key, "label": label, "url": url, "about": about} for key, label, url, about in (
            ("claims", "All claims", links.table("claims"),
             "newest first, faceted by speaker, subject, commitment and status"),
            ("open", "Open commitments", links.table("commitments", is_rated=0),
             "not yet kept, compromised or broken, by follow-up date"),
            ("overdue", "Overdue", links.query("overdue"), "open commitments past their follow-up date"),
            ("due_soon", "Due soon", links.query("due_soon"), "open commitments falling due in the next 14 days"),
            ("scorecard", "Scorecard", links.query("scorecard"),
             "each speaker's commitments by rating, overdue today and kept rate"),
            ("calendar", "Deadlines calendar (.ics)", links.calendar(), "subscribe in a calendar app"),
            ("dashboard", "Dashboard", links.dashboard((await tracker_databases(datasette))[:1] == [database]),
             "charts: ratings per speaker, deadlines per month, claims per week, subjects"),
            ("people", "Speakers", links.table("people"), "everyone quoted, with their office"),
            ("sources", "Sources", links.table("sources"), "the articles, newest first"),
        )],
        "search_url": links.table("claims"),
    }
    home["urls"] = {link["key"]: link["url"] for link in home["links"]}
    return home


def _row_id(request: Request) -> int | None:
    try:
        components = urlsafe_components(request.url_vars["pks"])
        return int(components[0]) if len(components) == 1 else None
    except (KeyError, ValueError):
        return None


def _collapsed_descriptions(datasette: Datasette, database: str, table: str) -> dict[str, Any]:
    """Table pages: the column notes go into a collapsed <details> (table.html) instead of a long
    list above the rows; the same metadata, without `columns`, for Datasette's own template."""
    metadata = dict((datasette.metadata("databases") or {}).get(database, {}).get("tables", {}).get(table, {}))
    columns = metadata.pop("columns", None)
    if not columns:
        return {}
    datasette.update_with_inherited_metadata(metadata)
    return {"metadata": metadata, "tracker_column_descriptions": columns}


@hookimpl
def extra_template_vars(
    template: str, database: str | None, table: str | None, view_name: str | None,
    request: Request | None, datasette: Datasette,
) -> Any:  # fmt: skip
    # By template, not only by view: a canned query or SQL page is rendered by the table or
    # database view with query.html, and needs none of this.
    page = template.split("-", 1)[0].removesuffix(".html")
    if page == "table" and view_name == "table" and database and table:
        return _collapsed_descriptions(datasette, database, table)
    if page not in ("row", "index", "database") or page != view_name or request is None:
        return {}

    async def page_vars() -> dict[str, Any]:
        if view_name == "index":
            return {"tracker_homes": [await home(datasette, name) for name in await tracker_databases(datasette)]}
        if not await is_tracker_database(datasette, database):
            return {}
        assert database is not None
        if view_name == "database":
            queries = await datasette.get_canned_queries(database, request.actor)
            # database.html lists them with their descriptions in place of Datasette's titles
            described = [{**q, "description_html": with_code(q.get("description") or "")} for q in queries.values()]
            return {"tracker_home": await home(datasette, database), "tracker_queries": described, "queries": []}
        row_id = _row_id(request)
        if table not in PAGES or row_id is None:
            return {}
        data = await PAGES[table](datasette, datasette.get_database(database), row_id)
        if data is None:
            return {}
        return {"tracker": data, "tracker_template": ROW_TEMPLATES[table], "when": when}

    return page_vars


@hookimpl
def extra_css_urls(view_name: str | None, datasette: Datasette) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN, "tracker.css")]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, row: Any, datasette: Datasette) -> Any:
    """Claim ids link to claim pages in views and canned queries; subjects read as a list; on row
    pages without a page of their own (follow_ups, claim_subjects) foreign keys show names."""
    if column == "subjects" and table in ("claims", "commitments", "claim_details", None) and isinstance(value, str) \
            and value.startswith("["):  # fmt: skip
        names = _json_list(value)
        return ", ".join(str(n) for n in names) if names else None
    if column == "id" and isinstance(value, int) and _lists_claims(table, row):
        return Markup(f'<a href="{_claims_path(datasette, database)}/{value}">{value}</a>')
    if column == "evidence" and table == "follow_ups" and isinstance(value, str) and value.startswith("["):
        return Markup("<br>").join(
            Markup('<a href="{}" rel="nofollow noopener noreferrer">{}</a>').format(url, url) if (url := http_url(e))
            else str(e) for e in _json_list(value)) or None  # fmt: skip
    if column in LABELS and isinstance(value, int) and table in ("follow_ups", "claim_subjects"):
        return _label_link(datasette, database, column, value)
    return None


_CLAIMS_PATHS: WeakKeyDictionary[Datasette, dict[str, str]] = WeakKeyDictionary()


def _claims_path(datasette: Datasette, database: str) -> str:
    """The claims table's path, escaped for an attribute: looked up once, not once per cell."""
    paths = _CLAIMS_PATHS.setdefault(datasette, {})
    if database not in paths:
        paths[database] = str(escape(datasette.urls.table(database, "claims")))
    return paths[database]


def _lists_claims(table: str | None, row: Any) -> bool:
    if table in ("commitments", "claim_details"):
        return True
    if table is not None:
        return False
    try:
        keys = set(row.keys())
    except AttributeError:
        return False
    return {"id", "text", "speaker"} <= keys  # the canned queries over claims


async def _label_link(datasette: Datasette, database: str, column: str, value: int) -> Markup | None:
    other, label_column = LABELS[column]
    if not await is_tracker_database(datasette, database):
        return None
    found = await datasette.get_database(database).execute(
        f"SELECT {label_column} FROM {other} WHERE id = :id", {"id": value})
    if not found.rows:
        return None
    label = str(found.rows[0][0])
    label = label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH] + "…"
    return Markup('<a href="{}">{}</a>&nbsp;<em>{}</em>').format(
        datasette.urls.row(database, other, str(value)), value, label)


async def dashboard(datasette: Datasette, request: Request) -> Response:
    """`/-/dashboard` (the first database with claims; `?database=` another), or `.json`."""
    names = await tracker_databases(datasette)
    database = request.args.get("database") or (names[0] if names else None)
    if database not in names:
        return Response.html("<h1>No claim-tracker database</h1>", status=404)
    assert database is not None
    await datasette.ensure_permissions(request.actor, [("view-database", database), "view-instance"])
    data = await charts.dashboard_data(datasette.get_database(database), today())
    if request.url_vars.get("format") == ".json":
        return Response.json(data, default=str)
    links = Links(datasette, database)
    context = {"database": database, "data": data, "charts": charts.render(data, links),
               "home": await home(datasette, database), "when": when}  # fmt: skip
    return Response.html(await datasette.render_template(
        "claim_tracker/dashboard.html", context, request=request, view_name="dashboard"))


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Any]]:
    # The home page lists the databases with less work than Datasette's own view (home.py).
    return [(r"^/-/dashboard(?P<format>\.json)?$", dashboard), (HOME_PATH, HomeView.as_view(datasette))]
