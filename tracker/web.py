"""Articles from the web: a page's main text, title, publication date and canonical URL, turned
into the house style, so offsets, quotes and every extraction rule work on it unchanged.

trafilatura finds the article in the page (and htmldate its date); we never read HTML
ourselves. Its XML output keeps the page's structure, so each paragraph, heading and list item
becomes one line of the house-style text: list extraction sees one item per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lxml import etree

from tracker.articles import sha256_bytes
from tracker.errors import ArticleError

HTML_SUFFIXES = (".html", ".htm")
URL_PREFIXES = ("http://", "https://")
# Only dates the page states in its markup or URL: htmldate's extensive search guesses from
# any number on the page (a "© 2024" footer becomes 2024-01-01), and a wrong publication date
# would move every deadline normalised against it.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
SPACE_RE = re.compile(r"\s+")


def is_url(value: str | Path) -> bool:
    return str(value).lower().startswith(URL_PREFIXES)


def is_html_file(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


@dataclass(frozen=True)
class Page:
    """A page as received, with where it came from: a saved file or a download."""

    content: bytes
    location: str  # the file path, or the URL asked for
    final_url: str | None = None  # after redirects
    http_status: int | None = None
    content_type: str | None = None
    last_modified: str | None = None  # the response's headers, verbatim, for conditional GETs
    etag: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC, for downloads
    feed_date: date | None = None  # the feed entry's date: used when the page states none

    @property
    def sha256(self) -> str:
        return sha256_bytes(self.content)


@dataclass(frozen=True)
class WebArticle:
    title: str
    published: date
    url: str | None  # canonical when the page names one, else where it was fetched from
    raw_text: str  # house style: ` date YYYY-MM-DD URL`, the title, then one line per block


def page_article(page: Page, published: date | None = None) -> WebArticle:
    """Extract the article of a page; `published` overrides the date the page gives.

    Raises ArticleError naming the page when it holds no article text or no date."""
    import trafilatura  # here, not at the top: 0.2 s that only reading a page should pay

    name = page.location
    try:
        xml = trafilatura.extract(
            page.content, url=page.final_url or (page.location if is_url(page.location) else None),
            output_format="xml", with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=DATE_PARAMS,
        )  # fmt: skip
    except Exception as error:  # noqa: BLE001 -- a library failing on one page must not stop the batch
        raise ArticleError(f"{name}: cannot extract the article ({type(error).__name__})") from None
    if not xml:
        raise ArticleError(f"{name}: no article text found in the page")
    doc = etree.fromstring(xml.encode("utf-8"))
    lines = [line for line in _lines(doc.find("main")) if line]
    if not lines:
        raise ArticleError(f"{name}: no article text found in the page")
    title = _clean(doc.get("title") or "") or lines[0]
    published = published or _date(doc.get("date")) or page.feed_date
    if published is None:
        raise ArticleError(
            f"{name}: no publication date found in the page (give one with tracker ingest --date YYYY-MM-DD)"
        )
    url = doc.get("url") or page.final_url or (page.location if is_url(page.location) else None)
    return WebArticle(title, published, url, house_style(title, published, url, lines))


def house_style(title: str, published: date, url: str | None, lines: list[str]) -> str:
    header = f" date {published.isoformat()}" + (f" {url}" if url and " " not in url else "")
    return "\n".join([header, title, *lines]) + "\n"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _clean(text: str) -> str:
    """One line: the house style's unit is the line, so a paragraph's own line breaks go."""
    return SPACE_RE.sub(" ", text).strip()


def _lines(element: etree._Element | None) -> list[str]:
    """One line per paragraph, heading, quote, list item or table row, in page order; a list
    item is kept with a bullet (numbered lists with their numbers), as outlets print them."""
    if element is None:
        return []
    lines: list[str] = []
    for child in element:
        if child.tag == "list":
            lines += _list_lines(child)
        elif child.tag == "table":
            lines += [_clean(" ".join(_clean("".join(c.itertext())) for c in row)) for row in child.iter("row")]
        elif child.tag in ("quote", "div") and len(child) and child[0].tag in ("p", "list", "head"):
            lines += _lines(child)
        elif child.tag != "graphic":
            lines += _paragraph(child)
    return lines


def _list_lines(element: etree._Element) -> list[str]:
    numbered = element.get("rend") == "ol"
    lines = []
    for number, item in enumerate(element.findall("item"), start=1):
        bullet = f"{number}. " if numbered else "• "
        nested = item.findall("list")
        for sub in nested:
            item.remove(sub)  # its items follow as lines of their own
        for index, text in enumerate(_paragraph(item)):
            lines.append((bullet if index == 0 else "") + text)
        for sub in nested:
            lines += _list_lines(sub)
    return lines


def _paragraph(element: etree._Element) -> list[str]:
    """A block's text; a line break inside it (<br>) starts a new line, as on the page."""
    text = "".join(_text(element, top=True))
    return [line for line in (_clean(part) for part in text.split("\n")) if line]


def _text(node: etree._Element, top: bool = False) -> list[str]:
    parts = ["\n" if node.tag == "lb" else "", node.text or ""]
    for child in node:
        parts += _text(child)
    if not top:
        parts.append(node.tail or "")
    return parts
