"""Attribution inside a claim: "…, Putin said." or "…, according to the minister." names whom
the claim reports on (`attributed_to`); the speaker is who made it public."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.articles import Line
from tracker.morphology import head_in_nominative, is_cyrillic, name_key
from tracker.people import PeopleIndex, Person
from tracker.vocabulary import LEXICON

ATTRIBUTION_RE = re.compile(
    r",\s*(?P<who>(?:according\s+to\s+)?[^,]{1,60}?)\s+(?P<verb>"
    + "|".join(sorted(LEXICON.speech_verbs, key=len, reverse=True))
    + r")(?:\s+(?:journalists|reporters|the\s+press|\w+))?\s*[.!]?\s*[\"”’']?\s*$"
)
ACCORDING_RE = re.compile(r",\s*according\s+to\s+(?P<who>[^,]{1,60}?)\s*[.!]?\s*$", re.IGNORECASE)
# Russian puts the verb first ("…, подчеркнул Путин."), or the source inside ("Встреча, по словам
# Путина, должна…"); an English "…, according to X, …" inside a sentence reads the same.
VERB_FIRST_RE = re.compile(
    r",\s*(?:[—–-]+\s*)?(?P<verb>" + "|".join(sorted(LEXICON.speech_verbs, key=len, reverse=True))
    + r")\s+(?P<who>[А-ЯЁ][^,.;]{1,60}?)\s*[.!;]?\s*$"
)
EMBEDDED_RE = re.compile(r",\s*(?:according\s+to|по\s+словам|по\s+мнению)\s+(?P<who>[^,]{1,60}?),", re.IGNORECASE)


@dataclass
class FoundClaim:
    """An assertion an extraction mode found: where it is, who made it public, in what form."""

    line: Line
    speaker: Person
    start: int  # offsets into the raw text
    end: int
    form: str = "list"  # "list", "reported" or "quote"
    text: str | None = None  # the assertion, when it is not the quote itself ("X, he said, Y")
    instruction: bool = False  # an order an official gave: a commitment, however it is worded


def trailing_attribution(text: str, people: PeopleIndex, speaker: Person) -> Person | None:
    """Whom a trailing "…, Putin said." reports on; pronouns point back to the speaker."""
    match = (ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text) or VERB_FIRST_RE.search(text)
             or EMBEDDED_RE.search(text))  # fmt: skip
    if not match:
        return None
    who = re.sub(r"^(?:according\s+to\s+)", "", match["who"].strip(), flags=re.IGNORECASE)
    if who in LEXICON.pronouns:
        return speaker
    named = people.named_in(who)
    return named[-1][1] if named else people.find_by_role(who)


def institution_speaker(name: str, people: PeopleIndex, line: int | None = None) -> Person:
    """An institution credited with a statement ("the Kremlin said"): its spokesperson when the
    article names one ("Kremlin spokesman Dmitry Peskov"), otherwise the institution itself."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    if is_cyrillic(name):  # "в Кремле заявили": the Kremlin; "в пресс-службе ведомства": its press service
        head, _, rest = name.partition(" ")
        name = f"{name_key(head)} {rest}".strip() if head[:1].isupper() and not head.isupper() else head_in_nominative(name)
    spokesperson = people.find_by_role(f"{name} spokesperson spokesman spokeswoman press secretary", line)
    if spokesperson is not None and name.lower() in (spokesperson.role or "").lower():
        return spokesperson
    return Person(name, kind="organisation")
