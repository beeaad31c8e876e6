"""Turn a parsed article into claims: what every extraction mode shares.

The modes find the assertions and their speakers (tracker/lists.py: readouts listing a speaker's
statements one per line; tracker/prose.py: reported speech and quotations in running text); this
module turns each into a claim — text and exact quote, subjects, commitment, deadline,
attribution and a stable key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from tracker.articles import Article
from tracker.attribution import ACCORDING_RE, ATTRIBUTION_RE, FoundClaim, trailing_attribution
from tracker.dates import find_deadline
from tracker.lists import INVISIBLE_TABLE, list_items
from tracker.morphology import future_action, is_cyrillic
from tracker.people import PeopleIndex, Person, index_people
from tracker.prose import prose_claims
from tracker.vocabulary import (
    LEXICON,
    LOWER_WORDS_RE,
    VOCABULARY,
    Subject,
    find_subjects,
    folds_to_ascii,
)

DEFAULT_REVIEW_DAYS = 30

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
    r"|\b(?:is|are)\s+being\s+(?:prepared|planned|organised|organized|arranged)\b"
    r"|\b(?:remains?|stays?)\s+open\s+to\b"
    r"|\bto\s+be\s+(?:held|signed|completed|launched|opened|resumed)\b",
    re.IGNORECASE,
)
# Hedged, negated or refused intentions are not commitments (README, "Commitments").
HEDGE_RE = re.compile(
    r"\b(?:will|shall|should)\s+not\b|\b(?:won|shan)[’']t\b"
    r"|\b(?:does|do|did)\s+not\s+(?:intend|plan|agree|want|expect)\b"
    r"|\b(?:doesn|don|didn)[’']t\s+(?:intend|plan|agree|want|expect)\b|"
    r"\b(?:(?:did|does|do)\s+not|didn[’']t|doesn[’']t|don[’']t)\s+rule\s+out\b|\bnot\s+(?:be\s+)?ruled\s+out\b"
    r"|\b(?-i:may)\b|\b(?:might|could|would)\b|\bpossibly\b|\bperhaps\b|\bconsidering\b"
    r"|\b(?:is|are|be|it's)\s+(?:\w+\s+)?possible\b|\bpossible\s+(?:that|to)\b|\bnever\b"
    r"|\bhope[sd]?\b|\bhoping\b"
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
    form: str = "list"  # how the article gave it: "list", "reported" or "quote"


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


# Every COMMITMENT_RE branch needs one of these words, or "to" with "is", "are" or "be": a set
# test that spares most claims the regex, which is slow to try at every position.
COMMITMENT_CUES = frozenset([
    "will", "won", "shall", "ready", "prepared", "willing", "determined", "committed", "going",
    "agreed", "agrees", "pledged", "promised", "vowed", "undertook", "decided", "intend", "intends",
    "intended", "plan", "plans", "planned", "aim", "aims", "resolved", "scheduled", "set", "slated",
    "due", "expected", "should", "being", "open",
])  # fmt: skip


QUOTE_AFTER_COLON_RE = re.compile(r":\s*[\"“«‘]")


def own_assertion(text: str) -> str:
    """An item that adds a quote after a colon ("The Kremlin does not know why: \"Ask Kiev.\"") is
    judged — commitment and deadline — by its own assertion, before the quote."""
    quoted = QUOTE_AFTER_COLON_RE.search(text)
    return text[: quoted.start()] if quoted else text


LEXICON_COMMITMENT_RE = re.compile("|".join(sorted(LEXICON.commitment_patterns)) or r"(?!)", re.IGNORECASE)
LEXICON_HEDGE_RE = re.compile("|".join(sorted(LEXICON.hedge_patterns)) or r"(?!)", re.IGNORECASE)


def is_commitment(text: str) -> bool:
    """Stated intention, readiness, agreement or scheduling; hedges and refusals are not."""
    text = own_assertion(text)
    if is_cyrillic(text):
        stated = LEXICON_COMMITMENT_RE.search(text) is not None or future_action(text)
        return stated and not _hedged(text)
    words = set(LOWER_WORDS_RE.findall(text.lower()))
    if words.isdisjoint(COMMITMENT_CUES) and not ("to" in words and not words.isdisjoint({"is", "are", "be"})):
        return False
    if text.lstrip(" \"“«").split(" ", 1)[0] in NEGATED_SUBJECTS:
        return False  # "No other events are planned", "Nothing will change"
    if COMMITMENT_RE.search(text) is None:
        return False
    if words.isdisjoint(HEDGE_CUES) and not folds_to_ascii(text):
        return True  # no word a hedge needs: spares most commitments HEDGE_RE
    return HEDGE_RE.search(text) is None


def _hedged(text: str) -> bool:
    return (LEXICON_HEDGE_RE if is_cyrillic(text) else HEDGE_RE).search(text) is not None


# Every HEDGE_RE branch needs one of these words among the text's lower-cased words, when the text
# has none of the letters IGNORECASE folds to ASCII (vocabulary.folds_to_ascii).
HEDGE_CUES = frozenset([
    "not", "won", "shan", "doesn", "don", "didn", "may", "might", "could", "would", "possibly",
    "perhaps", "considering", "possible", "never", "hope", "hopes", "hoped", "hoping", "no",
    "refused", "unlikely",
])  # fmt: skip


NEGATED_SUBJECTS = frozenset(["No", "Nothing", "Neither", "None", "Nobody", "No-one"])


def extract_claims(
    article: Article,
    review_days: int = DEFAULT_REVIEW_DAYS,
    known_people: dict[str, str] | None = None,
) -> list[ExtractedClaim]:
    """Every attributed assertion — list items and running text, in article order,
    de-duplicated — with speaker, commitment and deadline."""
    known = known_people if known_people is not None else VOCABULARY.person_aliases
    people = index_people(article, known)
    # The title's subjects stand in for a claim that names nothing: found only if one does not.
    title_subjects = cache(lambda: find_subjects(article.title, people))
    claims: list[ExtractedClaim] = []
    seen: set[str] = set()
    listed, taken = list_items(article, people)
    found = sorted([*listed, *prose_claims(article, people, taken)], key=lambda item: item.start)
    for item in found:
        start, end = item.start, item.end
        quote = article.raw_text[start:end]
        text = WHITESPACE_RE.sub(" ", visible_characters(item.text or quote)).strip()
        key = normalise(text)
        if not key or key in seen:
            continue
        seen.add(key)
        claims.append(_build_claim(article, item, text, key, quote, people, title_subjects, review_days))
    return claims


def visible_characters(text: str) -> str:
    """The text without invisible characters (all of them non-ASCII: most texts need no pass)."""
    return text if text.isascii() else text.translate(INVISIBLE_TABLE)


def _build_claim(
    article: Article,
    found: FoundClaim,
    text: str,
    key: str,
    quote: str,
    people: PeopleIndex,
    title_subjects: Callable[[], list[Subject]],
    review_days: int,
) -> ExtractedClaim:
    assertion = own_assertion(text)
    commitment = is_commitment(assertion) or (found.instruction and not _hedged(assertion))
    # the claim's own script picks the date rules: cheaper than the article's detected language
    language = "ru" if is_cyrillic(assertion) else "en"
    deadline = find_deadline(assertion, article.published, is_commitment=commitment, language=language)
    stated = deadline.date if deadline else None
    # A claim that names nothing ("The conversation was useful") is about the article's topic.
    attribution = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text)
    about = text[: attribution.start()] if attribution else text
    subjects = find_subjects(about, people) or title_subjects()
    return ExtractedClaim(
        text=text,
        speaker=found.speaker,
        attributed_to=trailing_attribution(text, people, found.speaker),
        subjects=subjects,
        is_commitment=commitment,
        deadline=stated,
        deadline_text=deadline.text if deadline else None,
        follow_up_due=stated or article.published + timedelta(days=review_days),
        status="not-yet-rated" if commitment else None,
        line=found.line.number,
        char_start=found.start,
        char_end=found.end,
        quote=quote,
        claim_key=claim_key(article.sha256, text, normalised=key),
        form=found.form,
    )
