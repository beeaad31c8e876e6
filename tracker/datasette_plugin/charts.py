"""The dashboard's figures and its charts, drawn on the server as SVG.

No script and nothing from another host: a chart is markup the page carries, readable without
JavaScript, testable as text, and each bar links to the claims it counts. Labels are escaped
like every other value from an article.

The figures are read from those the database keeps (figures.py: per speaker, day and status, a
few thousand rows however many claims), and remembered until the database file changes, as the
plugin remembers facet counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from tracker.datasette_plugin import Memory, database_state, figures

if TYPE_CHECKING:
    from datasette.database import Database

    from tracker.datasette_plugin.pages import Links

STATUSES = ("kept", "compromise", "broken", "in-the-works", "stalled", "not-yet-rated")
STATUS_COLOURS = {"kept": "#1b7837", "compromise": "#d9a400", "broken": "#b2182b",
                  "in-the-works": "#2166ac", "stalled": "#8c510a", "not-yet-rated": "#8a8a8a"}  # fmt: skip
# Okabe-Ito: told apart with the common colour-vision deficiencies; grey is "others".
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
OTHERS_COLOUR = "#9a9a9a"
TOP_SPEAKERS = 12  # bars in "commitments by status per speaker"
WEEK_SPEAKERS = 5  # speakers drawn in "claims per week"; the rest are "Others"
WEEKS = 26
MONTHS = 36
TOP_SUBJECTS = 15
TIME_LIMIT_MS = 10_000  # counted once per change of the database, so allowed longer than a page

MEMORY = Memory(64)


async def dashboard_data(db: Database, as_of: date) -> dict[str, Any]:
    key = (db.name, database_state(db.path), as_of)
    data = MEMORY.get(key)
    if data is None:
        data = await _count(db, as_of)
        MEMORY.put(key, data)
    return data  # type: ignore[no-any-return]


async def _execute(db: Database, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    return list((await db.execute(sql, params or {}, custom_time_limit=TIME_LIMIT_MS)).rows)


async def _count(db: Database, as_of: date) -> dict[str, Any]:
    today = as_of.isoformat()
    by_status = await _execute(db, figures.DASHBOARD_COMMITMENTS, {"today": today})
    speakers: dict[int, dict[str, Any]] = {}
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    overdue = 0
    for row in by_status:
        speaker = speakers.setdefault(row["speaker_id"], {"id": row["speaker_id"], "counts": defaultdict(int), "overdue": 0})
        speaker["counts"][row["status"]] += row["n"]
        speaker["overdue"] += row["overdue"] or 0
        months[row["month"]][row["status"]] += row["n"]
        totals[row["status"]] += row["n"]
        overdue += row["overdue"] or 0
    top = sorted(speakers.values(), key=lambda s: (-sum(s["counts"].values()), s["id"]))[:TOP_SPEAKERS]
    month_list = _month_range(sorted(months))[-MONTHS:]

    latest = (await _execute(db, "SELECT max(published_at) FROM sources"))[0][0]
    weeks: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    if latest:
        last_week = _monday(date.fromisoformat(latest[:10]))
        since = last_week - timedelta(weeks=WEEKS - 1)
        for row in await _execute(db, figures.DASHBOARD_WEEKS, {"since": since.isoformat()}):
            weeks[row["week"]][row["speaker_id"]] += row["n"]
        week_list = [(since + timedelta(weeks=i)).isoformat() for i in range(WEEKS)]
    else:
        week_list = []
    week_totals: dict[int, int] = defaultdict(int)
    for counts in weeks.values():
        for speaker_id, n in counts.items():
            week_totals[speaker_id] += n
    week_speakers = sorted(week_totals, key=lambda s: (-week_totals[s], s))[:WEEK_SPEAKERS]

    subjects = await _execute(db, figures.DASHBOARD_SUBJECTS, {"limit": TOP_SUBJECTS})

    wanted = {s["id"] for s in top} | set(week_speakers)
    names = {}
    if wanted:
        ids = ", ".join(str(int(i)) for i in wanted)
        names = {r["id"]: r["name"] for r in await _execute(db, f"SELECT id, name FROM people WHERE id IN ({ids})")}
    claims = (await _execute(db, figures.CLAIMS))[0][0]
    sources = (await _execute(db, "SELECT count(*) FROM sources"))[0][0]
    return {
        "as_of": today,
        "claims": claims,
        "sources": sources,
        "commitments": sum(totals.values()),
        "status_totals": {s: totals.get(s, 0) for s in STATUSES},
        "overdue": overdue,
        "speakers": [{**s, "counts": dict(s["counts"]), "name": names.get(s["id"], str(s["id"])),
                      "total": sum(s["counts"].values())} for s in top],
        "months": [{"month": m, "counts": dict(months.get(m, {}))} for m in month_list],
        "weeks": [{"week": w, "counts": {str(k): v for k, v in weeks.get(w, {}).items()}} for w in week_list],
        "week_speakers": [{"id": s, "name": names.get(s, str(s))} for s in week_speakers],
        "subjects": [dict(r) for r in subjects],
    }


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last, so that gaps show as empty columns."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    end = tuple(map(int, months[-1].split("-")))
    result = []
    while (year, month) <= end:
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


@dataclass
class Segment:
    key: str
    value: int
    colour: str
    label: str
    url: str | None = None


@dataclass
class Bar:
    label: str
    segments: list[Segment] = field(default_factory=list)
    url: str | None = None
    note: str = ""

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


def _text(value: object, limit: int) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(url: str | None, inner: Markup) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, inner) if url else inner


def horizontal_bars(title: str, bars: list[Bar], label_width: int = 210, width: int = 760) -> Markup:
    """One row per bar, segments stacked left to right, the total (and a note) after it."""
    row, top = 24, 8
    height = top * 2 + row * max(len(bars), 1)
    plot = width - label_width - 90
    most = max((b.total for b in bars), default=0) or 1
    parts = [Markup('<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
                    'role="img" aria-label="{}"><title>{}</title>').format(width, height, title, title)]  # fmt: skip
    for i, bar in enumerate(bars):
        y = top + i * row
        parts.append(Markup('<text class="label" x="{}" y="{}" text-anchor="end">{}</text>').format(
            label_width - 8, y + 16, _link(bar.url, Markup("{}<title>{}</title>").format(_text(bar.label, 30), bar.label))))
        x = float(label_width)
        for segment in bar.segments:
            if not segment.value:
                continue
            w = plot * segment.value / most
            rect = Markup('<rect class="bar" data-value="{}" x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}">'
                          "<title>{}: {} {}</title></rect>").format(
                segment.value, x, y + 3, max(w, 1), row - 6, segment.colour, bar.label, segment.value, segment.label)  # fmt: skip
            parts.append(_link(segment.url, rect))
            x += w
        total = f"{bar.total:,}" + (f" · {bar.note}" if bar.note else "")
        parts.append(Markup('<text class="value" x="{:.1f}" y="{}">{}</text>').format(x + 6, y + 16, total))
    if not bars:
        parts.append(Markup('<text class="empty" x="{}" y="24">No data yet</text>').format(label_width))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def columns(title: str, bars: list[Bar], width: int = 760, highlight: str | None = None,
            ticks_every: int | None = None, tick_labels: dict[str, str] | None = None) -> Markup:
    """One column per bar (a month, a week), segments stacked bottom up, with a y axis."""
    left, bottom, top, plot_height = 44, 40, 10, 200
    height = top + plot_height + bottom
    n = max(len(bars), 1)
    step = (width - left - 10) / n
    most = max((b.total for b in bars), default=0) or 1
    ticks = _ticks(most)
    scale = plot_height / ticks[-1]
    parts = [Markup('<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
                    'role="img" aria-label="{}"><title>{}</title>').format(width, height, title, title)]  # fmt: skip
    for tick in ticks:
        y = top + plot_height - tick * scale
        parts.append(Markup('<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>'
                            '<text class="axis" x="{}" y="{:.1f}" text-anchor="end">{:,}</text>').format(
            left, width - 10, y, y, left - 6, y + 4, tick))  # fmt: skip
    every = ticks_every or max(1, -(-n // 12))  # at most about a dozen x labels
    tick_labels = tick_labels or {}
    for i, bar in enumerate(bars):
        x = left + i * step
        y = float(top + plot_height)
        for segment in bar.segments:
            if not segment.value:
                continue
            h = segment.value * scale
            y -= h
            rect = Markup('<rect class="bar" data-value="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" '
                          'fill="{}"><title>{}: {} {}</title></rect>').format(
                segment.value, x + step * 0.12, y, step * 0.76, max(h, 0.5), segment.colour, bar.label,
                segment.value, segment.label)  # fmt: skip
            parts.append(_link(segment.url, rect))
        if bar.label == highlight:
            parts.append(Markup('<rect class="now" x="{:.1f}" y="{}" width="{:.1f}" height="{}"><title>now</title></rect>')
                         .format(x, top, step, plot_height))  # fmt: skip
        if i % every == 0:
            parts.append(Markup('<text class="axis" x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                x + step / 2, top + plot_height + 16, tick_labels.get(bar.label, bar.label)))
    parts.append(Markup('<line class="baseline" x1="{}" x2="{}" y1="{}" y2="{}"/></svg>').format(
        left, width - 10, top + plot_height, top + plot_height))
    return Markup("").join(parts)


def week_labels(weeks: list[str], every: int) -> dict[str, str]:
    """Short x labels for weeks ("10 Nov"), with the year on the first and when it changes."""
    labels, year = {}, None
    for week in weeks[::every]:
        day = date.fromisoformat(week)
        labels[week] = f"{day.day} {day:%b}" + (f" {day.year}" if day.year != year else "")
        year = day.year
    return labels


def _ticks(most: int) -> list[int]:
    """Round gridline values from 0 to at least `most`, about four of them."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000,
                 50_000, 100_000, 200_000, 250_000, 500_000, 1_000_000):  # fmt: skip
        if most / step <= 5:
            break
    count = -(-most // step)
    return [step * i for i in range(count + 1)]


def legend(items: list[tuple[str, str]]) -> Markup:
    return Markup('<ul class="legend">{}</ul>').format(Markup("").join(
        Markup('<li><span class="swatch" style="background:{}"></span>{}</li>').format(colour, label)
        for label, colour in items))  # fmt: skip


def render(data: dict[str, Any], links: Links) -> dict[str, Markup]:
    """The four charts, each with its legend."""
    from tracker.datasette_plugin.pages import STATUS_LABELS

    as_of = date.fromisoformat(data["as_of"])
    status_legend = legend([(STATUS_LABELS[s], STATUS_COLOURS[s]) for s in STATUSES])
    speakers = [Bar(
        label=s["name"], url=links.person(s["id"]), note=f"{s['overdue']:,} overdue" if s["overdue"] else "",
        segments=[Segment(st, s["counts"].get(st, 0), STATUS_COLOURS[st], STATUS_LABELS[st],
                          links.table("claims", speaker_id=s["id"], is_commitment=1, status=st))
                  for st in STATUSES]) for s in data["speakers"]]  # fmt: skip
    this_month = as_of.isoformat()[:7]
    months = [Bar(
        label=m["month"],
        segments=[Segment(st, m["counts"].get(st, 0), STATUS_COLOURS[st], STATUS_LABELS[st],
                          links.table("claims", is_commitment=1, status=st, follow_up_due__startswith=m["month"]))
                  for st in STATUSES]) for m in data["months"]]  # fmt: skip
    series = [(str(s["id"]), s["name"], SERIES_COLOURS[i % len(SERIES_COLOURS)]) for i, s in enumerate(data["week_speakers"])]
    named = {key for key, _, _ in series}
    weeks = []
    for w in data["weeks"]:
        counts = w["counts"]
        others = sum(n for k, n in counts.items() if k not in named)
        segments = [Segment(key, counts.get(key, 0), colour, name, links.person(int(key))) for key, name, colour in series]
        segments.append(Segment("others", others, OTHERS_COLOUR, "Others"))
        weeks.append(Bar(label=w["week"], segments=segments))
    subjects = [Bar(label=s["name"], url=links.subject(s["id"]), note=s["kind"],
                    segments=[Segment("claims", s["n"], "#2166ac", "claims", links.subject(s["id"]))])
                for s in data["subjects"]]  # fmt: skip
    return {
        "speakers": horizontal_bars("Commitments by status per speaker", speakers) + status_legend,
        "months": columns("Commitments falling due per month", months, highlight=this_month) + status_legend,
        "weeks": columns("Claims per week by speaker (weeks start on Monday)", weeks, ticks_every=3,
                         tick_labels=week_labels([w["week"] for w in data["weeks"]], 3))
        + legend([(name, colour) for _, name, colour in series] + [("Others", OTHERS_COLOUR)]),
        "subjects": horizontal_bars("Top subjects", subjects),
    }
