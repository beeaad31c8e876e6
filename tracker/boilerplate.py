"""Recognise what an outlet adds after a readout's list: links, calls to the reader, "Read
also: …" labels, notes about the article itself, and lines whose subject is the outlet."""

from __future__ import annotations

import re

from tracker.articles import Article
from tracker.people import WORDS_RE, PeopleIndex
from tracker.vocabulary import LEXICON, LOWER_WORDS_RE, VOCABULARY, strip_possessive

# "@handle" and "#tag" not inside a word; the look-behind follows the "@"/"#", so the regex
# engine can skip ahead to those characters instead of trying it at every position.
URL_RE = re.compile(r"https?://|www\.|@(?<!\w@)\w{2,}|#(?<!\w#)\w{2,}|©|copyright|all rights reserved", re.IGNORECASE)


# What an outlet says to its readers; a list item never does ("Found an error? … let us know").
READER_RE = re.compile(
    r"\b(?:let|tell|contact|write\s+to|email|e-mail|join|follow)\s+us\b|\bctrl\s*\+|\bselect\s+it\b"
    r"|\b(?:further|more)\s+details\s+(?:are\s+expected|to\s+follow|will\s+follow|later)"
    r"|\bdeveloping\s+story\b|\bupdates?\s+to\s+follow\b|^\W*to\s+be\s+continued\b", re.IGNORECASE
)


LABEL_RE = re.compile(r"^\s*(?P<label>[A-ZА-ЯЁ][\w'’ ]{0,25}?)\s*:\s*\S")


QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")


SELF_REFERENCE_RE = re.compile(
    r"(?:\b(?:this|the|our)\s+(?:story|article|report|page|material|text|piece|post|publication|content"
    r"|audio|video|summary|transcript|translation)"
    r"|\b(?:this|our)\s+(?:site|website))\b(?!\s+(?:of|on|about)\b)", re.IGNORECASE,
)


def is_boilerplate(
    text: str, people: PeopleIndex, outlets: tuple[frozenset[str], str | None] = (frozenset(), None)
) -> bool:
    """Strong evidence that a line is the outlet's, not a claim: links and handles, calls to act
    ("Follow us on Telegram"), the reader addressed ("let us know", "you"), "Read also: …"-style
    labels, notes about the article itself ("This story has been updated", "This audio is
    created with AI assistance") and lines whose subject is the outlet ("Sputnik will continue
    to follow the developments"). Weaker hints — "our", "share", "news", a "Word: …" prefix —
    are not enough: such a line may be an official's ("Our friends in Africa will receive
    fertilizers"), so it stays a claim."""
    lowered = text.lower()
    cues = set(LOWER_WORDS_RE.findall(lowered))
    if URL_CUE_RE.search(lowered) and URL_RE.search(text):
        return True
    if not cues.isdisjoint(READER_CUES) and READER_RE.search(text):
        return True
    if _about_the_outlet(text, outlets) or OUTLET_CREDIT_RE.match(text):
        return True
    label = LABEL_RE.match(text) if ":" in text else None
    if label and _label_words(label["label"]) in LEXICON.boilerplate_labels:
        return True
    if any(phrase in lowered for phrase in LEXICON.self_reference_phrases):
        return True  # "Полная версия интервью — в свежем номере …"
    if len(text) < 40 and _label_words(text.strip(" :.…")) in LEXICON.boilerplate_labels:
        return True  # "Read also", "Новости партнёров" as a heading of the outlet's links
    if cues.isdisjoint(LATER_CUES) and any(c.isalpha() for c in text):
        return False  # none of the words the tests below need: most claims stop here
    unquoted = QUOTED_RE.sub(" ", text)  # officials quoted saying "you" or "our" are not the outlet
    raw_words = WORDS_RE.findall(unquoted)
    words = [w.lower() for w in raw_words]
    if not words:
        return not WORDS_RE.search(text)
    if any(_calls_to_act(sentence) for sentence in SENTENCE_END_RE.split(unquoted)):
        return True
    # Case matters: "us" addresses the reader, "US" is a country.
    reader = {w.lower() for w in raw_words if w.lower() in LEXICON.reader_words and not w.isupper()}
    if reader & {"you", "your", "yours"} or words[0] == "please":
        return True
    if reader and not LEXICON.platform_words.isdisjoint(words):
        return True  # "All our news in our Telegram channel"
    return (not cues.isdisjoint(SELF_REFERENCE_CUES) and SELF_REFERENCE_RE.search(unquoted) is not None
            and not _names_anyone(unquoted, people))  # fmt: skip


def _label_words(label: str) -> str:
    return " ".join(label.lower().split())


# "(TASS)", "(Reporting by …; editing by …)": the outlet's credit on a line of its own.
OUTLET_CREDIT_RE = re.compile(r"^\s*\([^()]{1,80}\)\s*$")


def is_navigation_heading(text: str) -> bool:
    """A title-cased line without final punctuation ("Related Stories", "Most Read") is the
    site's navigation: a list does not go on past it."""
    return _is_heading(text)


SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")

# What a line must contain for each pattern above to match: cheap tests that spare nearly every
# list item the regexes (URL cues are substrings, the others whole lower-case words).
URL_CUES = ("://", "www.", "@", "#", "©", "copyright", "all rights reserved")
URL_CUE_RE = re.compile("|".join(re.escape(cue) for cue in URL_CUES))  # any of them: one scan
READER_CUES = frozenset(["us", "ctrl", "select", "details", "developing", "update", "updates", "continued"])
# Words at least one of which the tests after the cheap ones need: an imperative to the reader,
# a reader word, "please", or a word the article uses of itself.
LATER_CUES = LEXICON.boilerplate_imperatives | LEXICON.reader_words | {"please"} | frozenset([
    "story", "article", "report", "page", "material", "text", "piece", "post", "publication",
    "content", "site", "website", "audio", "video", "summary", "transcript", "translation",
])  # fmt: skip
SELF_REFERENCE_CUES = frozenset(["story", "article", "report", "page", "material", "text", "piece",
                                 "post", "publication", "content", "site", "website", "audio",
                                 "video", "summary", "transcript", "translation"])  # fmt: skip



def _calls_to_act(sentence: str) -> bool:
    """ "Stay tuned for more updates", "Follow us on Telegram": an imperative to the reader."""
    raw_words = WORDS_RE.findall(sentence)
    if not raw_words or raw_words[0].lower() not in LEXICON.boilerplate_imperatives:
        return False
    if raw_words[0].lower() in LEXICON.reader_imperatives:
        return True  # "Подписывайтесь на …": the polite plural speaks to the reader, never quoted
    words = {w.lower() for w in raw_words}
    reader = any(w.lower() in LEXICON.reader_words and not w.isupper() for w in raw_words)
    return reader or not LEXICON.channel_words.isdisjoint(words)


def outlet_names(article: Article) -> tuple[frozenset[str], str | None]:
    """The outlets an article may speak of itself as: known news agencies, and the site in its
    own URL ("sputnikglobe" for a copy saved from sputnikglobe.com)."""
    site = None
    if article.url and article.url.count("/") >= 2:
        site = re.sub(r"^www\.", "", article.url.split("/")[2].lower()).split(".")[0] or None
    return OUTLETS, site


OUTLETS = frozenset(name.lower() for name in LEXICON.outlets)


def _about_the_outlet(text: str, outlets: tuple[frozenset[str], str | None]) -> bool:
    """A line whose subject is a news outlet, or a word the article's own site name starts with
    ("Sputnik" of sputnikglobe.com) that names nothing the vocabulary knows ("China" of
    chinadaily.com.cn is still a country)."""
    names, site = outlets
    words = text.split(maxsplit=2)  # the first two words are all it reads
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    if not words:
        return False
    first = strip_possessive(words[0].strip(",.:;"))
    if first.lower() in names:
        return True
    return bool(site and len(first) >= 4 and site.startswith(first.lower()) and not VOCABULARY.match(first))


def _names_anyone(text: str, people: PeopleIndex) -> bool:
    return bool(people.named_in(text))


def _is_heading(text: str) -> bool:
    """A title-cased line without final punctuation ("Related Stories") is navigation."""
    words = text.split()
    if len(words) < 2 or text.rstrip()[-1:] in ".!?\"”’":
        return False
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    return all(w[0].isupper() or w in small or not w[0].isalpha() for w in words)
