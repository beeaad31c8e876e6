"""Turn a parsed article into claims: find list markers, resolve speakers, read the items.

A marker is a body line that ends in a colon and names a person, by name or by office
("Ushakov also revealed that:", "In Zakharova's words:", "The spokeswoman added:"). Every line
after it, up to the next marker or the outlet's boilerplate, is one claim.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.articles import TIMESTAMP_RE, Article, Line
from tracker.boilerplate import is_boilerplate, outlet_names
from tracker.dates import find_deadline
from tracker.errors import ArticleError
from tracker.people import (
    NAME_RUN_RE,
    PeopleIndex,
    Person,
    index_people,
    is_named_speaker,
    lower_words,
    role_after,
    role_before,
    title_and_name,
)
from tracker.vocabulary import (
    LEXICON,
    LOWER_WORDS_RE,
    VOCABULARY,
    Subject,
    find_subjects,
    strip_possessive,
)

DEFAULT_REVIEW_DAYS = 30

LIST_MARKER_RE = re.compile(r"^\s*(?:[•\-–—*·▪●◦‣∙]+|\(?\d{1,3}[.)]|\(?[a-z][.)](?=\s))\s*")
ATTRIBUTION_RE = re.compile(
    r",\s*(?P<who>(?:according\s+to\s+)?[^,]{1,60}?)\s+(?P<verb>"
    + "|".join(sorted(LEXICON.speech_verbs, key=len, reverse=True))
    + r")(?:\s+(?:journalists|reporters|the\s+press|\w+))?\s*[.!]?\s*[\"”’']?\s*$"
)
ACCORDING_RE = re.compile(r",\s*according\s+to\s+(?P<who>[^,]{1,60}?)\s*[.!]?\s*$", re.IGNORECASE)

COMMITMENT_RE = re.compile(
    r"\b(?<!political )(?<!good )(?<!the )(?:will|won[’']t|shall)\b"
    r"|\b(?:is|are|was|were|remains?|stands?|be)\s+(?:\w+\s+)?(?:ready|prepared|willing|determined"
    r"|committed|going)\s+to\b"
    r"|\bready\s+to\b"
    r"|\b(?:agreed|agrees)\s+(?:to|that|on|upon)\b"
    r"|\b(?:pledged|promised|vowed|undertook|decided|intends?|intended|plans?|planned|aims?"
    r"|resolved)\s+to\b"
    r"|\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:scheduled|set|slated|planned|due"
    r"|expected|to\s+be)\b"
    r"|\b(?:is|are)\s+to\s+\w+"
    r"|\bshould\s+(?:be\s+)?\w+"
    r"|\bto\s+be\s+(?:held|signed|completed|launched|opened|resumed)\b",
    re.IGNORECASE,
)
# Hedged, negated or refused intentions are not commitments (README, "Commitments").
HEDGE_RE = re.compile(
    r"\b(?:will|shall|should)\s+not\b|\b(?:won|shan)[’']t\b"
    r"|\b(?:does|do|did)\s+not\s+(?:intend|plan|agree|want|expect)\b"
    r"|\b(?:doesn|don|didn)[’']t\s+(?:intend|plan|agree|want|expect)\b|"
    r"\b(?:(?:did|does|do)\s+not|didn[’']t|doesn[’']t|don[’']t)\s+rule\s+out\b|\bnot\s+(?:be\s+)?ruled\s+out\b"
    r"|\b(?-i:may)\b|\b(?:might|could|would)\b|\b(?<!as soon as )possibl[ey]\b|\bperhaps\b|\bconsidering\b"
    r"|\bno\s+(?:plans?|intention|intent)\b|\bnot\s+(?:expected|scheduled|planned|going|set|due)\b"
    r"|\bnot\s+(?:yet\s+)?(?:ready|prepared|willing)\b|\brefused\b|\bunlikely\b",
    re.IGNORECASE,
)


@dataclass
class ExtractedClaim:
    text: str
    speaker: Person
    attributed_to: Person | None
    subjects: list[Subject]
    is_commitment: bool
    deadline: date | None
    deadline_text: str | None
    follow_up_due: date
    status: str | None
    line: int
    char_start: int
    char_end: int
    quote: str
    claim_key: str


SPEAKING_WORDS = LEXICON.speech_verbs | {
    "words", "according", "per", "quoting", "quoted", "statement", "view", "opinion",
}
PRONOUNS = {p.lower() for p in LEXICON.pronouns}


def normalise(text: str) -> str:
    """The form used for de-duplication and claim keys: case, quotes, spaces, end punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"').casefold()
    return WHITESPACE_RE.sub(" ", text).strip().rstrip(".!;,").strip()


WHITESPACE_RE = re.compile(r"\s+")


def claim_key(source_sha256: str, text: str, normalised: str | None = None) -> str:
    """Stable identity: the source's hash and the normalised text (pass it if already known)."""
    normalised = normalise(text) if normalised is None else normalised
    return hashlib.sha256(f"{source_sha256}\n{normalised}".encode()).hexdigest()[:24]


def _marker_speaker(
    text: str, people: PeopleIndex, previous: Person | None, line: int | None = None
) -> Person | None:
    """Who a marker line names: the subject of its speech verb, an "according to"/"in X's
    words" name, an office named alone, or a pronoun standing for the last speaker."""
    names = people.named_in(text)
    if names and _office_follows(text, names[-1][0]):
        # "Hidayat's spokesperson also noted:" names the spokesperson, not Hidayat.
        return people.find_by_role(text[names[-1][0].end():], line)
    for match, person in names:
        if is_named_speaker(text, match.end()) or _speaks_after_appositive(text, match.end()):
            return person
    for match, person in names:
        if re.search(r"(?:according\s+to|in)\s+$", text[: match.start()], re.IGNORECASE):
            return person
    if names:
        return names[-1][1]
    by_role = people.find_by_role(text, line)
    if by_role:
        return by_role
    first_word = text.split()[0] if text.split() else ""
    if first_word in LEXICON.pronouns or re.search(r"\b(?:he|she)\b", text):
        return previous
    return _unknown_speaker(text)


def _speaks_after_appositive(text: str, end: int) -> bool:
    """ "Paula Riquelme Soto, chief executive of Lithium Andino, told reporters:"."""
    match = re.match(r"\s*,[^,]{1,80},\s*(?:also\s+|then\s+)?([a-z]+)", text[end:])
    return match is not None and match.group(1) in LEXICON.speech_verbs


def _office_follows(text: str, match: re.Match[str]) -> bool:
    following = text[match.end():].split()[:1]
    possessive = match.group(0).endswith(("'s", "’s"))
    return possessive and bool(following) and following[0].lower() in LEXICON.role_words


def is_marker(line: Line, people: PeopleIndex) -> bool:
    text = line.text.strip()
    if not text.endswith((":", "：")) or TIMESTAMP_RE.match(text) or len(text.split()) > 30:
        return False
    return _names_a_speaker(text, people)


def _names_a_speaker(text: str, people: PeopleIndex) -> bool:
    if people.named_in(text):
        return True
    words = lower_words(text)
    has_verb = bool(words & SPEAKING_WORDS)
    if has_verb and words & LEXICON.role_words:
        return True
    # "He also said:", or a short line pointing back: "Among the details she provided:".
    if words & PRONOUNS and (has_verb or len(words) <= 12):
        return True
    return _unknown_speaker(text) is not None


def _unknown_speaker(text: str) -> Person | None:
    """A name the article never spells out in full, followed by a verb of speech ("Smith said:")."""
    for match in NAME_RUN_RE.finditer(text):
        following = text[match.end():].split()[:2]
        tokens = [t for t in match.group(0).split() if t not in LEXICON.stop_words]
        if tokens and following and following[-1 if following[0] == "also" else 0].strip(",:") in LEXICON.speech_verbs:
            return Person(strip_possessive(" ".join(tokens)))
    return None


def _item_span(line: Line) -> tuple[int, int]:
    """Offsets of the item text, without its list marker and surrounding space."""
    marker = LIST_MARKER_RE.match(line.text)
    start = marker.end() if marker and marker.end() < len(line.text.rstrip()) else 0
    stripped = line.text[start:]
    start += len(stripped) - len(stripped.lstrip())
    end = len(line.text.rstrip())
    return line.start + start, line.start + end


def _attribution(text: str, people: PeopleIndex, speaker: Person) -> Person | None:
    """Whom a trailing "…, Putin said." reports on; pronouns point back to the speaker."""
    match = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text)
    if not match:
        return None
    who = re.sub(r"^(?:according\s+to\s+)", "", match["who"].strip(), flags=re.IGNORECASE)
    if who.lower() in PRONOUNS:
        return speaker
    named = people.named_in(who)
    return named[-1][1] if named else people.find_by_role(who)


# Every COMMITMENT_RE branch needs one of these words, or "to" with "is", "are" or "be": a set
# test that spares most claims the regex, which is slow to try at every position.
COMMITMENT_CUES = frozenset([
    "will", "won", "shall", "ready", "prepared", "willing", "determined", "committed", "going",
    "agreed", "agrees", "pledged", "promised", "vowed", "undertook", "decided", "intend", "intends",
    "intended", "plan", "plans", "planned", "aim", "aims", "resolved", "scheduled", "set", "slated",
    "due", "expected", "should",
])  # fmt: skip


def is_commitment(text: str) -> bool:
    """Stated intention, readiness, agreement or scheduling; hedges and refusals are not."""
    words = set(LOWER_WORDS_RE.findall(text.lower()))
    if words.isdisjoint(COMMITMENT_CUES) and not ("to" in words and not words.isdisjoint({"is", "are", "be"})):
        return False
    return bool(COMMITMENT_RE.search(text)) and not HEDGE_RE.search(text)


@dataclass
class _ListItem:
    line: Line
    speaker: Person


def _list_items(article: Article, people: PeopleIndex) -> list[_ListItem]:
    items: list[_ListItem] = []
    speaker: Person | None = None
    last_named: Person | None = None
    title_key = normalise(article.title)
    outlets = outlet_names(article)
    for line in article.lines[article.body_start :]:
        text = line.text.strip()
        if not text:
            continue
        if is_marker(line, people):
            introduced = _introduction(items, speaker, people)
            new_speaker = _marker_speaker(text, people, introduced or last_named, line.number)
            # An office that matches nobody ("The official added:") most likely means whoever
            # the article was last quoting; failing that, its first named official.
            new_speaker = new_speaker or last_named or _first_official(people)
            if new_speaker is None:
                raise ArticleError(
                    f"{article.file_name}: line {line.number}: cannot tell who {text!r} refers to"
                )
            if introduced is not None and introduced == new_speaker:
                items.pop()  # "Minister X welcomed the deal." introduces the next list
            speaker = last_named = new_speaker
            continue
        if speaker is None:
            last_named = _last_named_speaker(text, people) or last_named
            continue
        if is_boilerplate(text, people, outlets) or TIMESTAMP_RE.match(text) or normalise(text) == title_key:
            speaker = None  # the list is over; a later marker may start another
            continue
        items.append(_ListItem(line, speaker))
    return items


def _first_official(people: PeopleIndex) -> Person | None:
    return next((p for p in people.people() if p.role), None)


def _introduction(items: list[_ListItem], speaker: Person | None, people: PeopleIndex) -> Person | None:
    """The person a list's last line introduces with office and full name, if that is not the
    list's own speaker: such a line between two lists leads into the next one."""
    if not items or speaker is None:
        return None
    text = items[-1].line.text
    if ATTRIBUTION_RE.search(text):
        return None  # "…, Energy Minister Sergei Tsivilev said." is a claim, not an introduction
    for match in NAME_RUN_RE.finditer(text):
        title, name = title_and_name(match.group(0))
        if len(name) < 2:
            continue
        start = match.start() + match.group(0).index(name[0])
        if title or role_before(text, start, title) or role_after(text, match.end()):
            person = people.find(" ".join(name))
            if person is not None and person.name != speaker.name:
                return person
    return None


def _last_named_speaker(text: str, people: PeopleIndex) -> Person | None:
    named = people.named_in(text)
    return named[-1][1] if named else None


def extract_claims(
    article: Article,
    review_days: int = DEFAULT_REVIEW_DAYS,
    known_people: dict[str, str] | None = None,
) -> list[ExtractedClaim]:
    """Every list item after an attributed marker, de-duplicated, with speaker and deadline."""
    known = known_people if known_people is not None else VOCABULARY.person_aliases
    people = index_people(article, known)
    title_subjects = find_subjects(article.title, people)
    claims: list[ExtractedClaim] = []
    seen: set[str] = set()
    for item in _list_items(article, people):
        start, end = _item_span(item.line)
        quote = article.raw_text[start:end]
        text = WHITESPACE_RE.sub(" ", quote).strip()
        key = normalise(text)
        if not key or key in seen:
            continue
        seen.add(key)
        claims.append(_build_claim(article, item.speaker, text, key, quote, item.line, start, end,
                                   people, title_subjects, review_days))  # fmt: skip
    if not claims:
        raise ArticleError(
            f"{article.file_name}: no attributed list found (expected a line like "
            "'Ushakov also revealed that:' followed by one assertion per line)"
        )
    return claims


def _build_claim(
    article: Article,
    speaker: Person,
    text: str,
    key: str,
    quote: str,
    line: Line,
    start: int,
    end: int,
    people: PeopleIndex,
    title_subjects: list[Subject],
    review_days: int,
) -> ExtractedClaim:
    commitment = is_commitment(text)
    deadline = find_deadline(text, article.published, is_commitment=commitment)
    stated = deadline.date if deadline else None
    # A claim that names nothing ("The conversation was useful") is about the article's topic.
    attribution = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text)
    about = text[: attribution.start()] if attribution else text
    subjects = find_subjects(about, people) or title_subjects
    return ExtractedClaim(
        text=text,
        speaker=speaker,
        attributed_to=_attribution(text, people, speaker),
        subjects=subjects,
        is_commitment=commitment,
        deadline=stated,
        deadline_text=deadline.text if deadline else None,
        follow_up_due=stated or article.published + timedelta(days=review_days),
        status="not-yet-rated" if commitment else None,
        line=line.number,
        char_start=start,
        char_end=end,
        quote=quote,
        claim_key=claim_key(article.sha256, text, normalised=key),
    )
