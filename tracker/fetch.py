"""Downloading articles and feeds politely: a descriptive User-Agent, robots.txt respected, one
request at a time per host with a delay between them, timeouts, a bounded number of retries with
backoff on 429 and 5xx (Retry-After honoured), a size limit, redirects followed to a limit, and
conditional GETs for articles already stored. Nothing here parses HTML: pages go to
tracker/web.py (trafilatura), feeds to feedparser."""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from tracker.articles import DEFAULT_MAX_BYTES
from tracker.errors import TrackerError
from tracker.web import Page


class FetchError(TrackerError):
    """A URL that could not be downloaded or used; the message is one line naming it."""


def _user_agent() -> str:
    try:
        release = package_version("claim-tracker")
    except PackageNotFoundError:  # a source checkout that is not installed
        release = "dev"
    return f"claim-tracker/{release} (claims research; one request at a time, robots.txt respected)"


HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json")  # fmt: skip
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class Politeness:
    """The defaults are for fetching from real outlets; tests pass tiny times."""

    user_agent: str = field(default_factory=_user_agent)
    delay: float = 2.0  # seconds between two requests to one host (robots.txt Crawl-delay if longer)
    timeout: float = 20.0  # seconds to connect, and between bytes received
    retries: int = 3  # further tries after a 429, a 5xx or a network error
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    max_wait: float = 120.0  # longest Retry-After honoured; a longer one gives up on the URL
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    robots: bool = True


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    fetched_at: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Fetcher:
    """One HTTP client for a run: remembers each host's robots.txt and when it was last asked."""

    def __init__(
        self, politeness: Politeness | None = None, sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:  # fmt: skip
        self.polite = politeness or Politeness()
        self.sleep = sleep
        self.client = httpx.Client(
            headers={"User-Agent": self.polite.user_agent}, follow_redirects=False,
            timeout=self.polite.timeout, transport=transport,
        )  # fmt: skip
        self.last_request: dict[str, float] = {}
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET with redirects followed (each hop checked against its host's robots.txt), retries
        and the size limit; a 304 is returned as is. Raises FetchError with a one-line reason."""
        for _ in range(self.polite.max_redirects + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"{url}: not an http(s) URL")
            if not self.allowed(url):
                raise FetchError(f"{url}: disallowed by robots.txt")
            response = self._with_retries(url, headers or {})
            location = response.headers.get("location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            return response
        raise FetchError(f"{url}: more than {self.polite.max_redirects} redirects")

    def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        wait = self.polite.backoff
        for attempt in range(self.polite.retries + 1):
            last = attempt == self.polite.retries
            try:
                response = self._once(url, headers)
            except httpx.TimeoutException:
                if last:
                    raise FetchError(f"{url}: timed out after {self.polite.timeout:g} s "
                                     f"({attempt + 1} tries)") from None  # fmt: skip
            except httpx.HTTPError as error:
                if last:
                    raise FetchError(f"{url}: {_reason(error)} ({attempt + 1} tries)") from None
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                if last:
                    raise FetchError(f"{url}: HTTP {response.status} ({attempt + 1} tries)")
                asked = _retry_after(response.headers.get("retry-after"))
                if asked is not None and asked > self.polite.max_wait:
                    raise FetchError(f"{url}: HTTP {response.status}, Retry-After {asked:g} s is too long")
                if asked is not None:
                    wait = max(wait, asked)
            self.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self._wait_turn(url)
        limit = self.polite.max_bytes
        with self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: {int(declared):,} bytes, over the {limit:,}-byte limit")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{url}: over the {limit:,}-byte limit")
                chunks.append(chunk)
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        return Response(str(response.url), response.status_code, response.headers, b"".join(chunks), fetched_at)

    def _wait_turn(self, url: str) -> None:
        """One request at a time per host, at least `delay` (or the host's Crawl-delay) apart."""
        host = urlsplit(url).netloc
        delay = self.polite.delay
        robots = self.robots.get(_origin(url))
        crawl_delay = robots.crawl_delay(self.polite.user_agent) if robots else None
        if crawl_delay:
            delay = max(delay, float(crawl_delay))
        if host in self.last_request:
            remaining = self.last_request[host] + delay - time.monotonic()
            if remaining > 0:
                self.sleep(remaining)
        self.last_request[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        if not self.polite.robots:
            return True
        origin = _origin(url)
        if origin not in self.robots:
            self.robots[origin] = self._read_robots(origin)
        robots = self.robots[origin]
        return robots is None or robots.can_fetch(self.polite.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """RFC 9309: a missing robots.txt (4xx) allows everything; one that cannot be read (5xx,
        network error) forbids everything until the next run."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            response = self._with_retries(origin + "/robots.txt", {})
        except FetchError:
            parser.disallow_all = True
            return parser
        if 400 <= response.status < 500:
            return None
        if response.status >= 300:
            parser.disallow_all = True
            return parser
        parser.parse(response.content.decode("utf-8", errors="replace").splitlines())
        return parser


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _reason(error: httpx.HTTPError) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def fetch_page(fetcher: Fetcher, url: str, etag: str | None = None, last_modified: str | None = None,
               feed_date: date | None = None) -> Page | None:  # fmt: skip
    """An article page with its provenance; None when the server says it has not changed (304)."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = fetcher.get(url, headers)
    if response.status == 304 and headers:
        return None
    return page_from(response, url, feed_date)


def page_from(response: Response, url: str, feed_date: date | None = None) -> Page:
    """A downloaded article with its provenance, or FetchError if it is not an HTML page."""
    if response.status != 200:
        raise FetchError(f"{url}: HTTP {response.status}")
    if response.content_type not in HTML_TYPES:
        raise FetchError(f"{url}: content type {response.content_type or 'unknown'} is not an HTML page")
    return Page(
        response.content, url, final_url=response.url, http_status=response.status,
        content_type=response.headers.get("content-type"), last_modified=response.headers.get("last-modified"),
        etag=response.headers.get("etag"), fetched_at=response.fetched_at, feed_date=feed_date,
    )  # fmt: skip


@dataclass(frozen=True)
class Entry:
    url: str
    published: date | None


def is_feed(response: Response) -> bool:
    return response.content_type in FEED_TYPES or response.content_type.endswith(("+xml", "/xml"))


def feed_entries(response: Response, since: date | None = None) -> Iterator[Entry]:
    """A feed's article links, oldest first, without those published before `since`."""
    parsed = feedparser.parse(response.content, response_headers={"content-location": response.url})
    if not parsed.version and not parsed.entries:
        raise FetchError(f"{response.url}: not an RSS or Atom feed")
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(*stamp[:3]) if stamp else None
        if since and published and published < since:
            continue
        entries.append(Entry(urljoin(response.url, link), published))
    yield from sorted(entries, key=lambda e: e.published or date.max)
