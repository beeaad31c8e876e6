"""Parse one readout in the house style into its header, timestamps and lines with offsets.

The house style: line 1 is ` date YYYY-MM-DD Section-or-URL`, then the title (repeated), a lead
paragraph, a timestamp line `HH:MM GMT DD.MM.YYYY (Updated: HH:MM GMT DD.MM.YYYY)`, and the body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from tracker.errors import ArticleError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

HEADER_RE = re.compile(r"^\ufeff?\s*date\s+(?P<date>\S+)(?:\s+(?P<rest>.*?))?\s*$")
TIMESTAMP_RE = re.compile(
    r"^\s*(?P<hm>\d{1,2}:\d{2})\s+GMT\s+(?P<dmy>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*\(\s*Updated:\s*(?P<uhm>\d{1,2}:\d{2})\s+GMT\s+(?P<udmy>\d{1,2}\.\d{1,2}\.\d{4})\s*\))?\s*$"
)
URL_RE = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Line:
    """One line of the raw text; `start`/`end` index the raw text and exclude the line break."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    file_name: str
    raw_text: str
    sha256: str
    title: str
    published: date
    published_at: str
    updated_at: str | None
    section: str | None
    url: str | None
    lines: list[Line]
    body_start: int  # index into `lines` of the first body line (after the timestamp)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, name: str) -> str:
    """Decode strictly as UTF-8: offsets are only meaningful against the exact decoded text."""
    if not data.strip():
        raise ArticleError(f"{name}: file is empty")
    if b"\x00" in data and not _is_utf16(data):
        raise ArticleError(f"{name}: looks like a binary file (contains NUL bytes)")
    return decode_utf8(data, name)


def decode_utf8(data: bytes, name: str) -> str:
    """Any text file the project reads (articles, exports, gold files): UTF-8 or a one-line
    reason, naming UTF-16 (what Windows editors and PowerShell's `>` write) when it is that."""
    if _is_utf16(data):
        raise ArticleError(f"{name}: UTF-16 text; convert it to UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"{name}: not valid UTF-8 (byte {error.start}); re-save the file as UTF-8"
        ) from None


def _is_utf16(data: bytes) -> bool:
    """UTF-16 text, as some Windows editors save it: a byte-order mark, or (without one) NUL
    bytes in the high half of most characters of one byte order and never in the other, as
    Latin and Cyrillic text gives; in both cases the bytes must decode as UTF-16 to text."""
    if len(data) % 2:
        return False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        sample = data[:4096]
        pairs = len(sample) // 2
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd >= 0.3 * pairs and even == 0:
            encoding = "utf-16-le"
        elif even >= 0.3 * pairs and odd == 0:
            encoding = "utf-16-be"
        else:
            return False
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text.lstrip("\ufeff"))


def split_lines(text: str) -> list[Line]:
    """Split on '\\n' only (not str.splitlines' exotic separators) so line numbers match editors."""
    lines = []
    start = 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        end = start + len(chunk)
        content_end = end - 1 if chunk.endswith("\r") else end
        lines.append(Line(number, start, content_end, text[start:content_end]))
        start = end + 1
    return lines


def parse_gmt(hm: str, dmy: str) -> datetime:
    return datetime.strptime(f"{dmy} {hm}", "%d.%m.%Y %H:%M").replace(tzinfo=timezone.utc)


def parse_header(line: Line, name: str) -> tuple[date, str | None, str | None]:
    """Return (date, section, url) from ` date YYYY-MM-DD Section-or-URL`."""
    match = HEADER_RE.match(line.text)
    if not match:
        raise ArticleError(f"{name}: no ' date YYYY-MM-DD' header on line 1")
    try:
        header_date = date.fromisoformat(match["date"])
    except ValueError:
        raise ArticleError(f"{name}: header date {match['date']!r} is not a valid date") from None
    rest = (match["rest"] or "").strip() or None
    if rest and URL_RE.match(rest):
        return header_date, None, rest
    return header_date, rest, None


def parse_article(data: bytes, name: str) -> Article:
    """Parse raw bytes of one article; raise ArticleError with a one-line reason on bad input."""
    text = decode(data, name)
    lines = split_lines(text)
    header_date, section, url = parse_header(lines[0], name)
    non_empty = [line for line in lines[1:] if line.text.strip()]
    if not non_empty:
        raise ArticleError(f"{name}: no title or body after the header")
    title = non_empty[0].text.strip()

    published_at = datetime.combine(header_date, datetime.min.time(), timezone.utc)
    updated_at = None
    body_start = 1
    for index, line in enumerate(lines[1:], start=1):
        match = TIMESTAMP_RE.match(line.text)
        if match:
            try:
                published_at = parse_gmt(match["hm"], match["dmy"])
                if match["uhm"]:
                    updated_at = parse_gmt(match["uhm"], match["udmy"]).isoformat()
            except ValueError:
                raise ArticleError(f"{name}: line {line.number}: impossible timestamp") from None
            body_start = index + 1
            break
    return Article(
        file_name=name,
        raw_text=text,
        sha256=sha256_bytes(data),
        title=title,
        published=published_at.date(),
        published_at=published_at.isoformat(),
        updated_at=updated_at,
        section=section,
        url=url,
        lines=lines,
        body_start=body_start,
    )


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """Read a file's bytes with a size limit, so one huge file cannot exhaust memory."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{name}: file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        return path.read_bytes(), name
    except OSError as error:
        raise ArticleError(f"{name}: cannot read ({error.strerror})") from None
