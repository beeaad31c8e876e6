"""One statement, many outlets: decide whether two claims report the same assertion.

Two claims of the same speaker, published within the window (default 14 days), are the same
statement when their normalised wording is similar enough (over stemmed words, with capitals and countries read as one: "Moscow" is "Russia", "Kiev" is
"Kyiv"; the mean of rapidfuzz's token-set and token-sort ratios) and no hard fact differs: the numbers they state ("June 2" is not "June 22"), negation
("will visit" is not "will not visit") and the order of the people and places they name
("Putin will call Trump" is not "Trump will call Putin"). The threshold is measured on
tests/fixtures/grouping (README, "One statement, many outlets").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from rapidfuzz import fuzz, process

from tracker.attribution import ACCORDING_RE, ATTRIBUTION_RE
from tracker.errors import TrackerError
from tracker.vocabulary import CALENDAR_WORDS, LEXICON, strip_possessive

DEFAULT_WINDOW_DAYS = 14
THRESHOLD = 65.0  # token-set ratio of the normalised wording, 0-100 (measured: README)
STEMMER = snowballstemmer.stemmer("english")
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
NAME_RE = re.compile(r"\b[A-Z][\w'’-]+")
NEGATIONS = frozenset(["not", "no", "never", "none", "nothing", "nor", "neither", "without", "n't",
                       "oppose", "opposes", "opposed", "rejects", "rejected"])  # fmt: skip
AGAINST_RE = re.compile(r"\b(?:vote[sd]?|voting|is|are|was|were|be|stands?)\s+against\b", re.IGNORECASE)


@dataclass(frozen=True)
class Fingerprint:
    """What two wordings of one statement share: the stemmed words, the numbers, whether it is
    negated (or against something), the order of the names in it, and the places it is set in."""

    words: str  # stemmed content words, space-separated, in order
    numbers: frozenset[str]
    negated: bool
    names: tuple[str, ...]
    places: frozenset[str] = frozenset()  # "in Istanbul", as written
    mentions: frozenset[str] = frozenset()  # every name as written ("moscow", not "russia")


ACRONYM_RE = re.compile(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?")  # "U.S." is "US"
THOUSANDS_RE = re.compile(r"(?<=\d)[,\s](?=\d{3}\b)")  # "1,200" is "1200"
PLACE_RE = re.compile(r"\b(?:in|at|to|from)\s+(?:the\s+)?([A-Z][\w'’-]+)")
NUMBER_WORDS = {
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip


def _numbers(tokens: list[str]) -> frozenset[str]:
    """Numbers as digits, whether written so or spelled out ("Eighty-three", "twelve"); "one"
    and "two" alone are rarely quantities ("the two presidents", "one-on-one")."""
    found, tens = set(), 0
    for token in tokens + [""]:
        if token.isdigit():
            found.add(str(int(token)))
        unit = SMALL_NUMBERS.get(token)
        if tens and unit is not None:
            found.add(str(tens + unit))
            tens = 0
            continue
        if tens:
            found.add(str(tens))
            tens = 0
        value = NUMBER_WORDS.get(token)
        if value is not None and value % 10 == 0 and value >= 20:
            tens = value
        elif value is not None:
            found.add(str(value))
    return frozenset(found)


SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def _phrases(text: str) -> str:
    """Names of several words as one: "United States" is "US", "European Union" is "EU"."""
    for phrase, short in LEXICON.phrase_synonyms.items():
        if phrase in text:
            text = text.replace(phrase, short)
    return text


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Snowball's stem, remembered: the stemmer is pure Python and the same words recur."""
    return STEMMER.stemWord(word)  # type: ignore[no-any-return]


@lru_cache(maxsize=16_384)
def fingerprint(text: str) -> Fingerprint:
    bare = ACRONYM_RE.sub(lambda m: "".join(g for g in m.groups() if g), _without_attribution(text))
    bare = _phrases(THOUSANDS_RE.sub("", bare))
    tokens = [t.lower() for t in TOKEN_RE.findall(bare.replace("n’t", " n't").replace("n't", " n't"))]
    synonyms = LEXICON.synonyms
    words = []
    for token in tokens:
        token = synonyms.get(token, token)
        if token in LEXICON.grouping_stop_words:
            continue
        words.append(token if token.isdigit() else stem(token))
    negated = not NEGATIONS.isdisjoint(tokens) or "n't" in bare or AGAINST_RE.search(bare) is not None
    places = frozenset(strip_possessive(m.group(1)).lower() for m in PLACE_RE.finditer(bare)
                       if _is_name(m.group(1)))  # fmt: skip
    mentions = frozenset(strip_possessive(w).lower() for w in NAME_RE.findall(bare.replace("-", " ")) if _is_name(w))
    return Fingerprint(" ".join(words), _numbers(tokens), negated, _names(bare), places, mentions)


def _is_name(word: str) -> bool:
    """A capitalised word that names someone or somewhere: not a function word, a month or a
    day, nor an office ("President", "Foreign Minister"); countries and their adjectives
    ("Russian", "US") are names even where they stand in a title."""
    word = strip_possessive(word)
    if word.lower() in LEXICON.synonyms or word.isupper():
        return True
    return not (word in LEXICON.stop_words or word in CALENDAR_WORDS
                or all(part in LEXICON.title_words for part in word.split("-")))  # fmt: skip


# Names joined by "and", a comma or a hyphen act together ("Russia and the US agreed"): their
# order says nothing. Names on either side of a verb do ("Putin will call Trump").
COORDINATION_RE = re.compile(r"^(?:\s*(?:,|and|&|-|–|the)\s*)*$", re.IGNORECASE)


def _names(text: str) -> tuple[str, ...]:
    """The names a wording gives, in order, as the words they stand for ("Moscow" -> russia);
    names acting together are sorted, so only an order that means something counts."""
    groups: list[list[str]] = []
    previous_end = None
    text = text.replace("-", " - ")  # "Russia-US" is two names acting together
    for match in NAME_RE.finditer(text):
        word = strip_possessive(match.group(0))
        if not _is_name(word):
            continue
        name = LEXICON.synonyms.get(word.lower(), word.lower())
        together = previous_end is not None and COORDINATION_RE.match(text[previous_end:match.start()])
        if together or (previous_end is not None and text[previous_end:match.start()] == " "):
            groups[-1].append(name)  # "United States", "Russia and the US"
        else:
            groups.append([name])
        previous_end = match.end()
    ordered = [n for group in groups for n in sorted(group)]
    return tuple(dict.fromkeys(ordered))


SAID_FIRST_RE = re.compile(r"^(?:[A-Z][\w'’.-]*\s+){1,4}(?:said|says|stated|told\s+\w+)\s+(?:that\s+)?(?=\S)")
SAID_LAST_RE = re.compile(
    r",\s*(?:" + "|".join(sorted(LEXICON.prose_speech_verbs)) + r"|declared|informed)\s+[^,]{1,80}?\.?\s*$"
)


def _without_attribution(text: str) -> str:
    """ "…, Ushakov added.", "…, said Peskov." and "Lavrov said that …" report "…"."""
    match = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text) or SAID_LAST_RE.search(text)
    text = text[: match.start()] if match else text
    first = SAID_FIRST_RE.match(text)
    return text[first.end():] if first else text


def same_facts(a: Fingerprint, b: Fingerprint) -> bool:
    if a.negated != b.negated or not _same_numbers(a.numbers, b.numbers):
        return False
    if a.places and b.places and not (a.places <= b.places | b.mentions or b.places <= a.places | a.mentions):
        return False  # "in Istanbul" is not "in Moscow"
    shared = [n for n in a.names if n in b.names]
    if len(shared) == 2 == len(a.names) == len(b.names) and shared != [n for n in b.names if n in a.names]:
        return False  # two names swapped: "Trump will call Putin", "Ukraine handed Russia…"
    # One wording may leave a name out; naming someone else instead is another statement.
    return len(shared) == min(len(a.names), len(b.names))


def _same_numbers(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same numbers; a year one wording gives and the other leaves out ("in 2025" and "this
    year") is no difference."""
    years_a, years_b = {n for n in a if YEAR_RE.match(n)}, {n for n in b if YEAR_RE.match(n)}
    return a - years_a == b - years_b and (years_a == years_b or not years_a or not years_b)


YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def wording_similarity(a: str, b: str, **_: object) -> float:
    """Token-set ratio forgives added or dropped words ("…, the aide said", "in a statement"),
    token-sort ratio does not: their mean keeps a short wording contained in a long, different
    one from scoring 100 (measured on tests/fixtures/grouping)."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def nearest_agreeing(mine: Fingerprint, words: Sequence[str], wordings: Callable[[int], Iterable[str]],
                     threshold: float = THRESHOLD) -> int | None:  # fmt: skip
    """The index of the candidate statement that `mine` states the same as: its stored words
    (its earliest wording's) similar enough — all candidates scored in one C++ pass by rapidfuzz —
    and every one of its wordings agreeing on the facts (read only for the nearest five)."""
    for _, _, index in process.extract(mine.words, words, scorer=wording_similarity,
                                       score_cutoff=threshold, limit=5):  # fmt: skip
        if all(same_facts(mine, fingerprint(t)) for t in wordings(index)):
            return index
    return None


def best_group(text: str, groups: Sequence[Sequence[str]], threshold: float = THRESHOLD) -> int | None:
    """The index of the group (the wordings of one statement, earliest first) that `text` states
    the same as, judged as the database does (tracker/statements.py)."""
    words = [fingerprint(group[0]).words for group in groups]
    return nearest_agreeing(fingerprint(text), words, lambda index: groups[index], threshold)


@dataclass
class Claimed:
    key: str
    speaker: str
    published: datetime
    text: str


@dataclass
class Group:
    id: int
    first_seen: datetime
    texts: list[str] = field(default_factory=list)


def group_claims(claims: Iterable[Claimed], window_days: int = DEFAULT_WINDOW_DAYS,
                 threshold: float = THRESHOLD) -> dict[str, int]:  # fmt: skip
    """Assign each claim (in publication order) to a group: the statement an earlier claim of the
    same speaker started within the window, else a new one. Returns claim key -> group id."""
    window = timedelta(days=window_days)
    open_groups: dict[str, list[Group]] = {}
    assigned: dict[str, int] = {}
    next_id = 1
    for claim in sorted(claims, key=lambda c: c.published):
        groups = [g for g in open_groups.get(claim.speaker, []) if claim.published - g.first_seen <= window]
        open_groups[claim.speaker] = groups
        found = best_group(claim.text, [g.texts for g in groups], threshold)
        if found is None:
            group = Group(next_id, claim.published)
            next_id += 1
            groups.append(group)
        else:
            group = groups[found]
        group.texts.append(claim.text)
        assigned[claim.key] = group.id
    return assigned


@dataclass
class GroupingScore:
    pairs_predicted: int = 0
    pairs_gold: int = 0
    pairs_both: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_both / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_both / self.pairs_gold if self.pairs_gold else 1.0


def score_grouping(gold: dict[str, str], predicted: dict[str, int], texts: dict[str, str]) -> GroupingScore:
    """Pairwise precision and recall: of the claim pairs put together, how many belong together,
    and of the pairs that belong together, how many were put together."""
    score = GroupingScore()
    keys = sorted(gold)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            together, should = predicted[a] == predicted[b], gold[a] == gold[b]
            score.pairs_predicted += together
            score.pairs_gold += should
            score.pairs_both += together and should
            if together != should:
                kind = "joined" if together else "split"
                score.misses.append(f"{kind}: {texts[a]!r} / {texts[b]!r}")
    return score


def load_labelled(path: Path) -> list[tuple[Claimed, str]]:
    """A grouping fixture: one JSON object per line with id, speaker, published_at, text and the
    gold `group` (claims of one group report the same statement)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            claimed = Claimed(str(row["id"]), row["speaker"], datetime.fromisoformat(row["published_at"]), row["text"])
            rows.append((claimed, str(row["group"])))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise TrackerError(f"{path}: line {number}: not a grouping row (id, speaker, published_at, text, group)") from None
    return rows


def evaluate_grouping(path: Path, window_days: int = DEFAULT_WINDOW_DAYS, threshold: float = THRESHOLD) -> GroupingScore:
    labelled = load_labelled(path)
    predicted = group_claims([c for c, _ in labelled], window_days, threshold)
    gold = {c.key: group for c, group in labelled}
    return score_grouping(gold, predicted, {c.key: c.text for c, _ in labelled})
