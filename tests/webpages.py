"""Web pages for the tests, in several outlets' layouts, built around the bodies of the fixture
articles (so a test can compare their claims with the .txt's). All markup and boilerplate here
is written for these tests."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from tracker.articles import TIMESTAMP_RE, parse_article

BULLET_RE = re.compile(r"^\s*(?:[•▪\u25aa\ufe0f–—\-✹]+|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Story:
    published: str  # YYYY-MM-DD
    url: str | None
    title: str
    lines: list[str]  # the body, one paragraph or list item per line


def story(path: Path) -> Story:
    """A fixture article's date, URL, title and body: the lines after the timestamp when it has
    one (before it, outlets' saved copies repeat the title and a teaser: page furniture)."""
    article = parse_article(path.read_bytes(), path.name)
    lines = [line.text.strip() for line in article.lines[article.body_start:]]
    lines = [line for line in lines if line and not TIMESTAMP_RE.match(line)]
    while lines and lines[0] == article.title:
        lines.pop(0)
    return Story(article.published.isoformat(), article.url, article.title, lines)


def _blocks(lines: list[str]) -> str:
    """Paragraphs, and bulleted lines as the items of a list (numbered ones of an <ol>)."""
    out: list[str] = []
    open_list = ""
    for line in lines:
        bullet = BULLET_RE.match(line)
        kind = ("ol" if bullet.group(0).strip()[0].isdigit() else "ul") if bullet else ""
        if open_list and kind != open_list:
            out.append(f"</{open_list}>")
            open_list = ""
        if kind:
            if not open_list:
                out.append(f"<{kind}>")
                open_list = kind
            out.append(f"  <li>{html.escape(line[bullet.end():])}</li>")
        else:
            out.append(f"<p>{html.escape(line)}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "\n".join(out)


def _canonical(s: Story) -> str:
    return f'<link rel="canonical" href="{html.escape(s.url)}">' if s.url else ""


NAV = """<header class="site-header"><a class="logo" href="/">The Daily Dispatch</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/opinion">Opinion</a></li></ul></nav></header>"""


def agency(s: Story) -> str:
    """A news agency: navigation, a banner ad, the story with its lists, related links."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(s.title)} | Agency Newswire</title>
{_canonical(s)}
<meta property="og:title" content="{html.escape(s.title)}">
<meta property="article:published_time" content="{s.published}T09:30:00+00:00">
<script src="/static/analytics.js"></script>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head><body>
{NAV}
<div class="banner-ad" id="ad-top">Advertisement · Fly further with AeroPlus miles</div>
<main>
<article class="story">
<h1 class="story__title">{html.escape(s.title)}</h1>
<div class="story__meta"><time datetime="{s.published}T09:30:00Z">{s.published}</time></div>
<div class="story__body">
{_blocks(s.lines)}
</div>
</article>
<aside class="related"><h2>Related</h2><ul>
<li><a href="/world/1">Markets steady ahead of central bank meeting</a></li>
<li><a href="/world/2">Heatwave expected to ease by the weekend</a></li></ul></aside>
</main>
<footer><p>© Agency Newswire. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def wire(s: Story) -> str:
    """A wire story: a plain column of paragraphs, the date in a meta tag only."""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in s.lines)
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{html.escape(s.title)}</title>
{_canonical(s)}
<meta name="date" content="{s.published}">
</head><body>
<div id="masthead">WIRE SERVICE</div>
<div class="story-body">
<h1>{html.escape(s.title)}</h1>
<p class="byline">By a staff correspondent</p>
{paragraphs}
</div>
<div id="footer">Reporting by the wire desk; editing by the night desk</div>
</body></html>"""


def government(s: Story) -> str:
    """A government readout: the date in JSON-LD, the URL in og:url, numbered sections."""
    data = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": s.title,
                       "datePublished": f"{s.published}T12:00:00-04:00"})  # fmt: skip
    og_url = f'<meta property="og:url" content="{html.escape(s.url)}">' if s.url else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(s.title)} - Office of the Spokesperson</title>
{og_url}
<script type="application/ld+json">{data}</script>
</head><body>
<a class="skip-link" href="#content">Skip to content</a>
<div class="gov-banner">An official website of the government</div>
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/briefings">Briefings</a> › Readouts</nav>
<main id="content">
<h1>{html.escape(s.title)}</h1>
<p class="article-meta">Office of the Spokesperson · Readout</p>
<div class="entry-content">
{_blocks(s.lines)}
</div>
</main>
<footer class="site-footer"><ul><li><a href="/contact">Contact</a></li><li><a href="/foia">FOIA</a></li>
<li><a href="/accessibility">Accessibility</a></li></ul></footer>
</body></html>"""


def cluttered(s: Story) -> str:
    """Scripts, ads between paragraphs, a cookie banner, a newsletter box, comments and a
    menu around the article."""
    parts = []
    for index, block in enumerate(_blocks(s.lines).split("\n")):
        parts.append(block)
        if index % 4 == 3 and block.startswith("<p>"):
            parts.append('<div class="ad-slot" data-ad="mid"><span>Sponsored</span></div>')
    body = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(s.title)}</title>
{_canonical(s)}
<script>(function(){{var s=document.createElement("script");s.src="/ads.js";document.head.appendChild(s);}})();</script>
<style>.ad-slot{{min-height:250px}}</style>
</head><body>
<div id="cookie-consent">We use cookies to improve your experience. <button>Accept all</button></div>
{NAV}
<div class="layout"><div class="sidebar"><h3>Trending</h3><ul><li><a href="/t/1">Ten gadgets for summer</a></li>
<li><a href="/t/2">Celebrity chef opens new bistro</a></li></ul></div>
<div class="content"><article>
<h1>{html.escape(s.title)}</h1>
<p class="dateline">Published <time datetime="{s.published}">{s.published}</time></p>
{body}
</article>
<div class="newsletter"><h3>Get the morning briefing</h3><form><input type="email"><button>Sign up</button></form></div>
<section id="comments"><h3>Comments</h3><div class="comment"><p>Great article, thanks!</p></div></section>
</div></div>
<script>trackPageView();</script>
</body></html>"""


LAYOUTS = {"agency": agency, "wire": wire, "government": government, "cluttered": cluttered}
