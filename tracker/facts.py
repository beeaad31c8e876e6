"""Whether two wordings of one speaker agree on the hard facts (tracker/wording.py reads them):
the numbers they give, negation, the people and places they name and who acts on whom, their
language. Two wordings that agree here and are worded alike enough are one statement
(tracker/grouping.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process
from unidecode import unidecode

from tracker.morphology import is_cyrillic
from tracker.vocabulary import LEXICON
from tracker.wording import MONTHS, Fingerprint, as_name, stem


def _contradicts(negated: Fingerprint, positive: Fingerprint) -> bool:
    """Whether a wording that says no contradicts one that does not: it refuses with a verb
    ("opposes", "ruled out"), or the other states what its "not" negates ("will not attend" and
    "will attend"). "Will not attend" and "to boycott" say no in other words."""
    if negated.refuses or "" in negated.negated_words or not negated.negated_words:
        return True
    words = set(positive.words.split())
    if negated.negated_words & words:
        return True
    # "talks without preconditions" adds a detail "talks" leaves out; "will not attend" is no
    # "to boycott" only if the other says no in its own words.
    return not negated.without_only and not (words & _refusal_stems())


@lru_cache(maxsize=1)
def _refusal_stems() -> frozenset[str]:
    """lexicon.yml's words that say no without "not" ("boycott", "skip", "off the table"), stemmed."""
    return frozenset(stem(word) for phrase in LEXICON.refusal_words for word in phrase.lower().split())


def same_facts(a: Fingerprint, b: Fingerprint, speaker: frozenset[str] = frozenset()) -> bool:
    """Whether two wordings agree on the hard facts: negation, numbers, places, and the people
    and countries they name (`speaker`: the words of the speaker's name, which one outlet
    writes into the claim and another leaves out)."""
    if a.language != b.language:
        return False  # a translation is not compared: its wordings share only the synonyms' words
    if a.negated != b.negated and _contradicts(*((a, b) if a.negated else (b, a))):
        return False
    if not _same_numbers(a, b):
        return False
    if a.ordinals and b.ordinals and a.ordinals != b.ordinals:
        return False  # "the 18th package" is not "the 19th"; "the package" may be either
    if a.places and b.places and not (a.places <= b.places | b.mentions or b.places <= a.places | a.mentions):
        return False  # "in Istanbul" is not "in Moscow"
    speaker = speaker | {n for n in (*a.names, *b.names) if _spelled_like(n, speaker)}
    actors_a = [as_name(n) for n in a.names if n not in speaker]
    actors_b = [as_name(n) for n in b.names if n not in speaker]
    shared = [n for n in actors_a if n in actors_b]
    if len(shared) == 2 == len(actors_a) == len(actors_b) and _order_matters(shared, a, b):
        swapped = shared != [n for n in actors_b if n in actors_a]
        if swapped != (a.receives != b.receives):
            return False  # "Trump will call Putin", "Ukraine handed Russia…", "Russia received from Ukraine…"
    # One wording may leave a name out or add one; naming someone else instead of a name the
    # other gives is another statement ("will call Macron", "will call Trump"; "visit Yerevan",
    # "a visit in Baku").
    only_a = [n for n in a.names if n not in speaker and not _named_in(n, b)]
    only_b = [n for n in b.names if n not in speaker and not _named_in(n, a)]
    if only_a and only_b:
        return False
    # Where: a capital here is itself, not its country ("a visit in Baku" is not "visit Yerevan").
    elsewhere_a = [n for n in a.located if n not in b.located and n not in b.mentions]
    elsewhere_b = [n for n in b.located if n not in a.located and n not in a.mentions]
    return not (elsewhere_a and elsewhere_b)


def _order_matters(shared: list[str], a: Fingerprint, b: Fingerprint) -> bool:
    """Whether the order of two names says who did what: not where a wording turns its sentence
    round, nor where the two act together ("Trump-Putin call", "Russia and Ukraine agreed")."""
    if a.order_free or b.order_free:
        return False
    return not (set(shared) <= a.together or set(shared) <= b.together)


def _spelled_like(name: str, names: frozenset[str]) -> bool:
    """Whether a name is one of these, maybe transliterated otherwise ("Sibiga", "Sybiha"), or
    written in another script ("Ушаков" for a speaker the database knows as "Yuri Ushakov")."""
    if not names:
        return False
    latin = unidecode(name) if is_cyrillic(name) else name
    return process.extractOne(latin, names, scorer=fuzz.ratio, score_cutoff=SPEAKER_SPELLING_RATIO) is not None


SPEAKER_SPELLING_RATIO = 65.0  # the speaker's own name, known to be in play: "Sibiga"/"Sybiha" 67


def _named_in(name: str, other: Fingerprint) -> bool:
    """Whether the other wording names `name` too, spelled alike ("Zelensky", "Zelenskiy")."""
    known = (*other.names, *other.mentions, *other.located)
    if name in known or as_name(name) in known:
        return True  # "Moscow" and "Russia" name one actor
    return process.extractOne(name, known, scorer=fuzz.ratio,
                              score_cutoff=NAME_SPELLING_RATIO) is not None  # fmt: skip


NAME_SPELLING_RATIO = 85.0  # "Zelensky"/"Zelenskiy" 94, "Zelensky"/"Zelenska" 80



def _same_numbers(a: Fingerprint, b: Fingerprint) -> bool:
    """The same numbers, or one wording's numbers all among the other's, counting the same things
    ("479 drones" of "479 drones and 20 missiles"); a year one
    wording gives and the other leaves out ("in 2025" and "this year") is no difference."""
    years_a, years_b = {n for n in a.numbers if YEAR_RE.match(n)}, {n for n in b.numbers if YEAR_RE.match(n)}
    if not (years_a == years_b or not years_a or not years_b):
        return False
    numbers_a, numbers_b = _roughly_alike(a.numbers - years_a, b.numbers - years_b, a.approximate | b.approximate)
    numbers_a, numbers_b = numbers_a - _dated(b, a, numbers_a - numbers_b), numbers_b - _dated(a, b, numbers_b - numbers_a)
    if numbers_a == numbers_b:
        return True
    fewer, more = (a, b) if numbers_a < numbers_b else (b, a) if numbers_b < numbers_a else (None, None)
    if fewer is None or more is None:
        return False
    shared = [pair for pair in fewer.counted if not YEAR_RE.match(pair[0])]
    # Without a number in common, "talks on Sunday" and "a ceasefire on Sunday, January 19" would
    # be one statement by their wording alone (measured: it gained one pair in 164 on the blind set).
    return bool(shared) and all(pair in more.counted for pair in shared)


YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def _dated(naming: Fingerprint, dated: Fingerprint, extra: frozenset[str]) -> frozenset[str]:
    """The days of a month `dated` gives ("March 18") that `naming`'s "Tuesday" may be."""
    return frozenset(n for n, thing in dated.counted if n in extra and n in naming.possible_days and thing in MONTHS)


APPROXIMATION = 0.15  # "more than 300" may be 307 but not 390


def _roughly_alike(a: frozenset[str], b: frozenset[str], rough: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Both wordings' numbers without the pairs that agree roughly: "more than 300" in one and
    307 in the other (within APPROXIMATION of the rough one) are one figure."""
    left, right = set(a), set(b)
    for number in sorted(rough):
        mine, theirs = (left, right) if number in left - right else (right, left) if number in right - left else (None, None)
        if mine is None or theirs is None:
            continue
        value = float(number)
        near = [n for n in theirs - mine if abs(float(n) - value) <= APPROXIMATION * value]
        if near:
            mine.discard(number)
            theirs.discard(near[0])
    return frozenset(left), frozenset(right)
