"""One statement, many outlets: decide whether two claims report the same assertion.

Two claims of the same speaker, published within the window (default 14 days), are the same
statement when their wordings (tracker/wording.py) are similar enough — the mean of rapidfuzz's
token-set and token-sort ratios over their stemmed words, at a threshold per language measured
on the grouping fixture sets (README, "One statement, many outlets") — and no hard fact differs
(tracker/facts.py): "June 2" is not "June 22", "will visit" not "will not visit", "Putin will
call Trump" not "Trump will call Putin". The database groups the same way (tracker/statements.py);
this module also scores a grouping against labelled claims (`tracker evaluate-grouping`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process

from tracker.errors import TrackerError
from tracker.facts import same_facts
from tracker.vocabulary import LEXICON
from tracker.wording import Fingerprint, fingerprint, on_days, speaker_words

DEFAULT_WINDOW_DAYS = 14
# How alike two wordings must be (0-100), per language (lexicon.yml, lexicon.ru.yml; measured:
# README): Russian wordings of one statement share fewer word forms than English ones.
THRESHOLDS = {language: float(value) for language, value in LEXICON.grouping_thresholds.items()}
THRESHOLD = THRESHOLDS["en"]


def wording_similarity(a: str, b: str, **_: object) -> float:
    """Token-set ratio forgives added or dropped words ("…, the aide said", "in a statement"),
    token-sort ratio does not: their mean keeps a short wording contained in a long, different
    one from scoring 100 (measured on tests/fixtures/grouping)."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def nearest_agreeing(mine: Fingerprint, words: Sequence[str], wordings: Callable[[int], Iterable[Fingerprint]],
                     threshold: float | None = None, speaker: frozenset[str] = frozenset()) -> int | None:  # fmt: skip
    """The index of the candidate statement that `mine` states the same as: its stored words
    (its earliest wording's) similar enough and every one of its wordings agreeing on the facts
    (read only for the nearest five)."""
    for index in most_similar(mine.words, words, threshold or threshold_for(mine)):
        if all(same_facts(mine, theirs, speaker) for theirs in wordings(index)):
            return index
    return None


def most_similar(mine: str, words: Sequence[str], cutoff: float, limit: int = 5) -> list[int]:
    """The indexes of the `limit` wordings most similar to `mine`, at least `cutoff` (best first,
    ties in their order). A mean reaches the cutoff only if one of its two ratios does, and each
    ratio alone is scored in rapidfuzz's C++ with the cutoff: only those that may reach it are
    scored by the mean (a Python call each). Measured on the fixtures' English wordings, per claim:
    5 candidates 23 → 19 µs, 50: 186 → 127, 200 (a prolific speaker's window): 714 → 458."""
    maybe: set[int] = set()
    for ratio in (fuzz.token_set_ratio, fuzz.token_sort_ratio):
        maybe.update(index for _, _, index in process.extract(mine, words, scorer=ratio, score_cutoff=cutoff, limit=None))
    kept = sorted(maybe)
    scored = process.extract(mine, [words[i] for i in kept], scorer=wording_similarity, score_cutoff=cutoff, limit=limit)
    return [kept[i] for _, _, i in scored]


def threshold_for(print_: Fingerprint) -> float:
    """The similarity a wording in this language needs (Russian by its script)."""
    return THRESHOLDS[print_.language]


def best_group(mine: Fingerprint, groups: Sequence[Sequence[Fingerprint]], threshold: float | None = None,
               speaker: str = "") -> int | None:  # fmt: skip
    """The index of the group (the wordings of one statement, earliest first, each dated by
    `on_days`) that `mine` states the same as, judged as the database does (tracker/statements.py)."""
    words = [group[0].words for group in groups]
    return nearest_agreeing(mine, words, lambda index: groups[index], threshold, speaker_words(speaker))


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
    prints: list[Fingerprint] = field(default_factory=list)


def group_claims(claims: Iterable[Claimed], window_days: int = DEFAULT_WINDOW_DAYS,
                 threshold: float | None = None) -> dict[str, int]:  # fmt: skip
    """Assign each claim (in publication order) to a group: the statement an earlier claim of the
    same speaker started within the window, else a new one. Returns claim key -> group id."""
    window = timedelta(days=window_days)
    open_groups: dict[str, list[Group]] = {}
    assigned: dict[str, int] = {}
    next_id = 1
    for claim in sorted(claims, key=lambda c: c.published):
        groups = [g for g in open_groups.get(claim.speaker, []) if claim.published - g.first_seen <= window]
        open_groups[claim.speaker] = groups
        mine = on_days(fingerprint(claim.text), claim.published)
        found = best_group(mine, [g.prints for g in groups], threshold, claim.speaker)
        if found is None:
            group = Group(next_id, claim.published)
            next_id += 1
            groups.append(group)
        else:
            group = groups[found]
        group.prints.append(mine)
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


def evaluate_grouping(path: Path, window_days: int = DEFAULT_WINDOW_DAYS, threshold: float | None = None) -> GroupingScore:
    labelled = load_labelled(path)
    predicted = group_claims([c for c, _ in labelled], window_days, threshold)
    gold = {c.key: group for c, group in labelled}
    return score_grouping(gold, predicted, {c.key: c.text for c, _ in labelled})
