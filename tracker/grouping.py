"""One statement, many outlets: decide whether two claims report the same assertion.

Two claims of the same speaker, published within the window (default 14 days), are the same
statement when their normalised wording is similar enough (rapidfuzz's token-set ratio over
stemmed words, with capitals and countries read as one: "Moscow" is "Russia", "Kiev" is
"Kyiv") and no hard fact differs: the numbers they state ("June 2" is not "June 22"), negation
("will visit" is not "will not visit") and the order of the people and places they name
("Putin will call Trump" is not "Trump will call Putin"). The threshold is measured on
tests/fixtures/grouping (README, "One statement, many outlets").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
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
THRESHOLD = 80.0  # token-set ratio of the normalised wording, 0-100
STEMMER = snowballstemmer.stemmer("english")
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
NAME_RE = re.compile(r"\b[A-Z][\w'’-]+")
NEGATIONS = frozenset(["not", "no", "never", "none", "nothing", "nor", "neither", "without", "n't"])


@dataclass(frozen=True)
class Fingerprint:
    """What two wordings of one statement share: the stemmed words, the numbers, whether it is
    negated, and the order of the names in it."""

    words: str  # stemmed content words, space-separated, in order
    numbers: frozenset[str]
    negated: bool
    names: tuple[str, ...]


@lru_cache(maxsize=16_384)
def fingerprint(text: str) -> Fingerprint:
    bare = _without_attribution(text)
    tokens = [t.lower() for t in TOKEN_RE.findall(bare.replace("n’t", " n't").replace("n't", " n't"))]
    synonyms = LEXICON.synonyms
    words = []
    for token in tokens:
        token = synonyms.get(token, token)
        if token in LEXICON.grouping_stop_words:
            continue
        words.append(token if token.isdigit() else STEMMER.stemWord(token))
    numbers = frozenset(t for t in tokens if t.isdigit())
    names = tuple(dict.fromkeys(
        synonyms.get(strip_possessive(n).lower(), strip_possessive(n).lower()) for n in NAME_RE.findall(bare)
        if n not in LEXICON.stop_words and n not in CALENDAR_WORDS
    ))
    return Fingerprint(" ".join(words), numbers, not NEGATIONS.isdisjoint(tokens) or "n't" in bare, names)


def _without_attribution(text: str) -> str:
    """ "…, Ushakov added." reports the same statement as "…"."""
    match = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text)
    return text[: match.start()] if match else text


def same_facts(a: Fingerprint, b: Fingerprint) -> bool:
    if a.numbers != b.numbers or a.negated != b.negated:
        return False
    shared = [n for n in a.names if n in b.names]
    if shared != [n for n in b.names if n in a.names]:
        return False  # the same names in another order: "Trump will call Putin"
    # One wording may leave a name out; naming someone else instead is another statement.
    return len(shared) == min(len(a.names), len(b.names))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    return fuzz.token_set_ratio(a.words, b.words) if same_facts(a, b) else 0.0


def best_match(text: str, candidates: Sequence[str], threshold: float = THRESHOLD) -> int | None:
    """The index of the candidate wording that states the same as `text`, if any."""
    mine = fingerprint(text)
    prints = [fingerprint(c) for c in candidates]
    for _, score, index in process.extract(mine.words, [p.words for p in prints], scorer=fuzz.token_set_ratio,
                                           score_cutoff=threshold, limit=5):  # fmt: skip
        if same_facts(mine, prints[index]):
            return index
    return None


@dataclass
class Claimed:
    key: str
    speaker: str
    published: datetime
    text: str


@dataclass
class Group:
    id: int
    speaker: str
    first_seen: datetime
    last_seen: datetime
    texts: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


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
        texts = [t for g in groups for t in g.texts]
        owners = [g for g in groups for _ in g.texts]
        found = best_match(claim.text, texts, threshold)
        if found is None:
            group = Group(next_id, claim.speaker, claim.published, claim.published)
            next_id += 1
            groups.append(group)
        else:
            group = owners[found]
            group.last_seen = claim.published
        group.texts.append(claim.text)
        group.members.append(claim.key)
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
