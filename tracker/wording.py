"""One wording of a claim read for the grouping (tracker/grouping.py): what it says, apart from
the outlet's framing. Its stemmed words (Russian ones by their lemma), with capitals and
countries read as one ("Moscow" is Russia), and the hard facts: the numbers it gives and what
they count, whether it says no and what its "not" negates, the people and places it names and
in what order, the days it names by its publication date. Numbers, months, weekdays, synonyms
and the like are lexicon data (lexicon.yml, lexicon.ru.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any, TypeVar

import snowballstemmer

from tracker.attribution import ACCORDING_RE, ATTRIBUTION_RE, VERB_FIRST_RE
from tracker.morphology import is_cyrillic, lemma, name_key
from tracker.vocabulary import CALENDAR_WORDS, LEXICON, Vocabulary, folds_to_ascii, strip_possessive

T = TypeVar("T")
STEMMER = snowballstemmer.stemmer("english")
RUSSIAN_STEMMER = snowballstemmer.stemmer("russian")
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:\.\d+)?")  # "3.5" is one number
NAME_RE = re.compile(r"\b[A-ZА-ЯЁ][\w'’-]+")
NEGATIONS = frozenset(["not", "no", "never", "none", "nothing", "nor", "neither", "without", "n't",
                       "oppose", "opposes", "opposed", "rejects", "rejected", "не", "нет", "ни", "deny", "denies", "denied",
                       "denying", "refuse", "refuses", "refused", "exclude", "excludes", "excluded"])  # fmt: skip
# Verbs that say no in two words ("ruled out", "pulling out of"), and "voted against".
NEGATING_PHRASE_RE = re.compile(
    r"\b(?:(?:rul(?:e|es|ed|ing))\s+out|pull(?:s|ed|ing)?\s+out|(?:vote[sd]?|voting|is|are|was|were|be|stands?)\s+against)\b",
    re.IGNORECASE,
)


def _may_negate_by_phrase(text: str, tokens: list[str]) -> bool:
    """Whether NEGATING_PHRASE_RE ("ruled out", "voted against") may match: each of its phrases ends
    in the word "out" or "against", then one of the wording's (lower-cased) tokens, unless the text
    has a letter IGNORECASE folds to ASCII. Spares most wordings the pattern."""
    return "out" in tokens or "against" in tokens or folds_to_ascii(text)


NOT_NEGATING_RE = re.compile(
    r"\bnothing\s+(?:but|less\s+than|short\s+of)\b|\bno\s+doubt\b|\bnot\s+(?:only\s+)?[^,.;]{1,40}?\s+but\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fingerprint:
    """What two wordings of one statement share: the stemmed words, the numbers, whether it is
    negated (or against something), the order of the names in it, and the places it is set in."""

    words: str  # stemmed content words, space-separated, in order
    numbers: frozenset[str]
    negated: bool
    names: tuple[str, ...]
    places: frozenset[str] = frozenset()  # "in Istanbul", as written
    mentions: frozenset[str] = frozenset()  # every name as written, and as the name it stands for
    order_free: bool = False  # its names' order says nothing about who did what to whom
    located: frozenset[str] = frozenset()  # the names it gives after "in" or "at"
    ordinals: frozenset[str] = frozenset()  # "17th", "nineteenth"
    counted: frozenset[tuple[str, str]] = frozenset()  # each number with the word after it: ("479", "drone")
    negated_words: frozenset[str] = frozenset()  # what "not"/"no" negates: "attend" of "will not attend"
    refuses: bool = False  # says no with a verb ("opposes", "ruled out"), not only with "not"
    without_only: bool = False  # its only "not" is a "without" ("talks without preconditions")
    together: frozenset[str] = frozenset()  # names acting together: "Russia and the US", "Trump-Putin"
    receives: bool = False  # the first name received from the second: the order of "handed" reversed
    approximate: frozenset[str] = frozenset()  # numbers given roughly: "more than 300", "some 550"
    days_named: frozenset[str] = frozenset()  # "tuesday", "today", "сегодня": a day by its publication
    possible_days: frozenset[str] = frozenset()  # the days of the month those may be (`on_days`)
    language: str = "en"  # "ru" when most of its letters are Cyrillic


ACRONYM_RE = re.compile(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?")  # "U.S." is "US"
THOUSANDS_RE = re.compile(r"(?<=\d)[,\s](?=\d{3}\b)")  # "1,200" is "1200"
DECIMAL_COMMA_RE = re.compile(r"(?<=\d),(?=\d{1,2}\b)")  # "1,2 тыс." is "1.2 тыс."
PREFIX_RE = re.compile(r"\b(counter|anti|non|co|re)-(?=[a-z])", re.IGNORECASE)  # "counter-proposal"
PLACE_RE = re.compile(r"\b(?:in|at|to|from)\s+(?:the\s+)?([A-Z][\w'’-]+)")


# Numbers in words, per language (lexicon.yml, lexicon.ru.yml; Russian words by their lemma).
NUMBER_WORDS = {word: int(value) for word, value in LEXICON.number_words.items()}
SMALL_NUMBERS = {word: int(value) for word, value in LEXICON.small_numbers.items()}
ORDINALS = {word: int(value) for word, value in LEXICON.ordinal_words.items()}
MULTIPLIERS = {word: int(value) for word, value in LEXICON.multiplier_words.items()}
ORDINAL_SUFFIXES = LEXICON.ordinal_suffixes
UNIT_WORDS = LEXICON.unit_words
SUFFIX_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}  # "$330m"
NUMBER_TOKENS = frozenset(NUMBER_WORDS) | frozenset(SMALL_NUMBERS) | frozenset(MULTIPLIERS) | frozenset(SUFFIX_MULTIPLIERS)


@lru_cache(maxsize=16_384)  # asked of each token before a number, and of each number, again and again
def _digits(token: str) -> float | None:
    """A number written in digits, maybe with a decimal point ("3.5")."""
    if token.isdigit():
        return int(token)
    whole, point, fraction = token.partition(".")
    return float(token) if point and whole.isdigit() and fraction.isdigit() else None


@lru_cache(maxsize=4096)  # 3 and 3.0 share an entry: both are "3"
def _number_text(value: float) -> str:
    """A number as the fingerprint holds it: 1200, not 1200.0; 3.5 as it is."""
    return str(int(value)) if float(value).is_integer() else str(round(value, 6))


def _numbers(tokens: list[str]) -> list[tuple[float, int]]:
    """Numbers as digits, whether written so or spelled out ("Eighty-three", "twelve", "6
    thousand", "1.2 тыс." and "$6k"), each with the index of its last token; "one" and "two"
    alone are rarely quantities ("the two presidents")."""
    relevant = [i for i, token in enumerate(tokens) if token in NUMBER_TOKENS or token[:1].isdigit()]
    if not relevant:
        return []  # most wordings: no number to read
    ordinal_digits = _ordinal_digits(tokens)
    found: list[tuple[float, int]] = []
    tens: tuple[float, int] | None = None  # "twenty", waiting for a "-one" right after it
    for index in relevant:
        token = tokens[index]
        if tens is not None:
            if index == tens[1] + 1 and token in SMALL_NUMBERS:
                found.append((tens[0] + SMALL_NUMBERS[token], index))
                tens = None
                continue
            found.append(tens)
            tens = None
        digits = _digits(token)
        if token in ordinal_digits and token.isdigit():
            continue  # "17th": _ordinals()'s
        value = digits if digits is not None else NUMBER_WORDS.get(token)
        follows_number = bool(found) and found[-1][1] == index - 1
        if token in MULTIPLIERS and not follows_number and (token in LEXICON.single_multipliers
                                                            or (index and tokens[index - 1] in ("a", "an"))):
            found.append((MULTIPLIERS[token], index))  # "a thousand prisoners", "тысячей пленных"
        elif follows_number and (token in MULTIPLIERS or (token in SUFFIX_MULTIPLIERS and _digits(tokens[index - 1]) is not None)):
            found[-1] = (found[-1][0] * (MULTIPLIERS.get(token) or SUFFIX_MULTIPLIERS[token]), index)
        elif value is not None and digits is None and value % 10 == 0 and value >= 20:
            tens = (value, index)
        elif value is not None:
            found.append((value, index))
        elif token in SMALL_NUMBERS and index + 1 < len(tokens) and tokens[index + 1] in UNIT_WORDS:
            found.append((SMALL_NUMBERS[token], index))  # "two hours", "двух часов": a quantity
    return found if tens is None else [*found, tens]


def _approximate(tokens: list[str], numbers: list[tuple[float, int]]) -> frozenset[str]:
    """The numbers a wording gives roughly: "more than 300", "some 550", "nearly 200"."""
    rough = set()
    for value, last in numbers:
        first = last
        while first > 0 and (_digits(tokens[first - 1]) is not None or tokens[first - 1] in MULTIPLIERS):
            first -= 1  # "over 6 thousand": back to the digits
        if first and (tokens[first - 1] in APPROXIMATE_CUES or " ".join(tokens[max(0, first - 2) : first]) in APPROXIMATE_CUES):
            rough.add(_number_text(value))
    return frozenset(rough)


APPROXIMATE_CUES = frozenset(["more than", "less than", "fewer than", "over", "about", "some", "nearly", "almost",
                              "around", "roughly", "approximately", "up to", "at least", "just over", "just under"])  # fmt: skip


def _counted(tokens: list[str], numbers: list[tuple[float, int]], written: list[str]) -> frozenset[tuple[str, str]]:
    """Each number with what it counts, the word after it ("479 drones"), or the month before a
    day ("June 2"): a number one wording leaves out is no difference only if the numbers both give
    count the same things."""
    counted = set()
    for value, last in numbers:
        before = tokens[last - 1] if last > 0 else ""
        after = _next_counted_word(written, last + 1)  # as written: stemmed
        following = tokens[last + 1] if last + 1 < len(tokens) else ""
        thing = before if before in MONTHS else following if following in MONTHS else stem(after)  # "19 мая"
        counted.add((_number_text(value), thing))
    return frozenset(counted)


def _next_counted_word(written: list[str], start: int) -> str:
    """The first token from `start` on that is not a filler ("of", "more", "the"), or ""."""
    for index in range(start, len(written)):
        if written[index] not in NUMBER_FILLERS:
            return written[index]
    return ""


NUMBER_FILLERS = frozenset(["of", "more", "than", "over", "and", "a", "an", "the", "some", "about", "nearly", "almost"])
MONTHS = LEXICON.month_words


def _ordinals(tokens: list[str]) -> frozenset[str]:
    """Which one of a series a wording names ("the 17th summit", "the nineteenth package")."""
    found = {str(ORDINALS[t]) for t in tokens if t in ORDINALS}
    found |= {str(int(t)) for t in _ordinal_digits(tokens) if t.isdigit()}
    return frozenset(found)


def _ordinal_digits(tokens: list[str]) -> set[str]:
    """The tokens an ordinal suffix follows ("17" of "17th"); the pairs are only walked when
    there is a suffix at all, which most wordings lack."""
    if ORDINAL_SUFFIXES.isdisjoint(tokens):
        return set()
    return {t for t, after in pairwise(tokens) if after in ORDINAL_SUFFIXES}




LOWER_CYRILLIC_RE = re.compile(r"\b[а-яё]{4,}\b")


def _country_adjective_capitalised(match: re.Match[str]) -> str:
    """A Russian country adjective capitalised, as English writes it, so it is a name: Russian
    writes "российский", "украинский" in lower case."""
    word = match.group(0)
    country = LEXICON.synonyms.get(lemma(word))
    return word.capitalize() if country is not None and country in _places().values() else word


def _phrases(text: str) -> str:
    """Names of several words as one: "United States" is "US", "European Union" is "EU"."""
    if PHRASES_RE.search(text) is None:
        return text  # most wordings: one scan instead of a substring test per phrase
    for phrase, short in LEXICON.phrase_synonyms.items():
        if phrase in text:
            text = text.replace(phrase, short)
    return text


@lru_cache(maxsize=65_536)
def _content_word(token: str) -> str | None:
    """What a (lower-cased) token adds to a fingerprint's words: its synonym's stem, a number
    word as digits ("thirty-day" is "30-day"), None for a stop word. Remembered: the same words
    recur in every wording, and this was a dictionary walk and a stem call per token."""
    token = LEXICON.synonyms.get(token, token)
    if token in LEXICON.grouping_stop_words or token in ORDINAL_SUFFIXES:
        return None
    spelled = NUMBER_WORDS.get(token) or ORDINALS.get(token)
    return str(spelled) if spelled else token if token.isdigit() else stem(token)


# Any of the phrases, as written: a wording none of them is in is left as it is.
PHRASES_RE = re.compile("|".join(re.escape(phrase) for phrase in LEXICON.phrase_synonyms))


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Snowball's stem, remembered: the stemmer is pure Python and the same words recur."""
    stemmer = RUSSIAN_STEMMER if is_cyrillic(word) else STEMMER  # "переговоров" is "переговор"
    return stemmer.stemWord(word)  # type: ignore[no-any-return]


@lru_cache(maxsize=16_384)
def fingerprint(text: str) -> Fingerprint:
    bare = ACRONYM_RE.sub(lambda m: "".join(g for g in m.groups() if g), _without_attribution(text))
    bare = _phrases(DECIMAL_COMMA_RE.sub(".", THOUSANDS_RE.sub("", bare)))
    if is_cyrillic(bare):  # "украинский меморандум" names Ukraine as "Ukrainian memorandum" does
        bare = LOWER_CYRILLIC_RE.sub(_country_adjective_capitalised, bare)
    joined = PREFIX_RE.sub(r"\1", bare).replace("n’t", " not").replace("n't", " not")  # "won't" says no
    tokens = [t.lower() for t in TOKEN_RE.findall(joined)]
    synonyms = LEXICON.synonyms
    words = []
    russian = is_cyrillic(bare)
    for token in tokens:
        if russian and is_cyrillic(token):  # Russian by its lemma: "сбили" and "сбит" are сбить
            token = synonyms.get(token) or lemma(token)
        word = _content_word(token)
        if word is not None:
            words.append(word)
    phrases = len(NEGATING_PHRASE_RE.findall(bare)) if _may_negate_by_phrase(bare, tokens) else 0
    negated = _negated(bare, tokens, phrases)
    # Russian numbers inflect: read by their lemma ("двенадцати", "тысячей")
    counting = [lemma(t) if is_cyrillic(t) else t for t in tokens] if is_cyrillic(bare) else tokens
    numbers = _numbers(counting)
    places = frozenset(_place(strip_possessive(m.group(1))) for m in PLACE_RE.finditer(bare)
                       if _is_name(m.group(1)))  # fmt: skip
    written = [strip_possessive(w).lower() for w in NAME_RE.findall(bare.replace("-", " ")) if _is_name(w)]
    mentions = frozenset(written + [as_name(w) for w in written] + [_place(w) for w in written]
                         + [LEXICON.leader_countries[k] for k in (_dictionary_form(w).lower() for w in written)
                            if k in LEXICON.leader_countries])  # fmt: skip
    order_free = _order_free(bare)
    names, located, together = _names(bare)
    particles = [t for t in tokens if t in PARTICLES]
    return Fingerprint(" ".join(words), _shared(frozenset(_number_text(value) for value, _ in numbers)), negated,
                       names, _shared(places), _shared(mentions), order_free, _shared(located),
                       _shared(_ordinals(counting)), _shared(_counted(counting, numbers, tokens)),
                       _shared(_negated_words(tokens)), _refuses(tokens, phrases), set(particles) == {"without"},
                       _shared(together), RECEIVES_RE.search(bare) is not None, _shared(_approximate(counting, numbers)),
                       _shared(frozenset(t for t in counting if t in DAY_WORDS)), language=_language(bare))  # fmt: skip


EMPTY: frozenset[Any] = frozenset()


def _shared(values: frozenset[T]) -> frozenset[T]:
    """An empty set as the one shared EMPTY (equal, so the fingerprint is the same). Most of a
    fingerprint's ten sets are empty: the fingerprint cache held 100,000 empty sets, each one
    allocated, and each one walked by every full garbage collection."""
    return values or EMPTY


# Wordings whose first name need not be the one acting: a subordinate clause ("If the US
# insists, China will…", "…, after Kyiv agreed"), a passive ("… is being prepared by the EU"), two clauses ("There is
# one China, and Taiwan is…"), an inversion ("The main obstacle … is now Europe").
# Four patterns tried one after the other rather than as one alternation: the clause's starts
# with a comma or a semicolon, which the regex engine then skips to instead of trying every
# alternative at every position (a quarter cheaper, the same answers).
ORDER_FREE_START_RE = re.compile(r"(?:If|When|Unless|Although|Though|While|After|Before|Once|As)\b")
ORDER_FREE_CLAUSE_RE = re.compile(r"[,;]\s+(?:and|but|while|after|once|when|if|because|since|unless)\s")
ORDER_FREE_PASSIVE_RE = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+\s+)?\w+(?:ed|en)\b")
ORDER_FREE_NOW_RE = re.compile(r"\b(?:is|are)\s+now\s+[A-Z]")


def _order_free(text: str) -> bool:
    return bool(ORDER_FREE_START_RE.match(text) or ORDER_FREE_CLAUSE_RE.search(text)
                or ORDER_FREE_PASSIVE_RE.search(text) or ORDER_FREE_NOW_RE.search(text))  # fmt: skip


def _negated(text: str, tokens: list[str], phrases: int) -> bool:
    """Whether a wording says no: an odd number of negating words and phrases (`phrases`, the
    NEGATING_PHRASE_RE matches in it), so "did not rule out" is not "ruled out", and "nothing but
    speculation" says no to nothing."""
    cues = sum(map(NEGATIONS.__contains__, tokens)) + phrases
    cues -= len(NOT_NEGATING_RE.findall(text))
    return cues % 2 == 1


# Words that say no by themselves ("opposes", "denied"): the particles aside, NEGATIONS' verbs.
PARTICLES = frozenset(["not", "no", "never", "none", "nothing", "nor", "neither", "without", "не", "нет", "ни"])
NEGATING_VERBS = NEGATIONS - PARTICLES
# Words between a particle and what it negates: "will not be able to", "has not yet", "no longer".
NEGATION_FILLERS = frozenset(["be", "yet", "any", "longer", "currently", "immediately", "even", "so", "far",
                              "able", "going", "intend", "expected", "planning", "likely", "still", "ever"])  # fmt: skip


def _negated_words(tokens: list[str]) -> frozenset[str]:
    """What each "not", "no" or "never" negates, stemmed: the first word after it that says
    something ("attend" of "will not attend", "plan" of "there are no plans")."""
    stops, negated = LEXICON.grouping_stop_words, set()
    for index, token in enumerate(tokens):
        if token in PARTICLES:
            after = (t for t in tokens[index + 1 :] if t not in stops and t not in NEGATION_FILLERS and t not in NEGATIONS)
            word = next(after, "")
            negated.add(stem(LEXICON.synonyms.get(word, word)) if word else "")
    return frozenset(negated)


def _refuses(tokens: list[str], phrases: int) -> bool:
    """Whether a wording says no with a verb ("opposes", "denied") or a phrase ("ruled out",
    "voted against": `phrases` is how many it has)."""
    return not NEGATING_VERBS.isdisjoint(tokens) or phrases > 0


@lru_cache(maxsize=16_384)  # a word's answer never changes, and names recur in every wording
def _is_name(word: str) -> bool:
    """A capitalised word that names someone or somewhere: not a function word, a month or a
    day, nor an office ("President", "Foreign Minister"); countries and their adjectives
    ("Russian", "US") are names even where they stand in a title."""
    word = strip_possessive(word)
    lower = word.lower()
    if lower in NUMBER_WORDS or lower in SMALL_NUMBERS or lower in ORDINALS:
        return False  # "Twenty-one British nationals"
    if LEXICON.synonyms.get(lower, lower) != lower or word.isupper() or lower in _places():
        return True
    return not (word in LEXICON.stop_words or word in CALENDAR_WORDS
                or all(part in LEXICON.title_words for part in word.split("-")))  # fmt: skip


# Names joined by "and", a comma or a hyphen act together ("Russia and the US agreed"): their
# order says nothing. Names on either side of a verb do ("Putin will call Trump").
COORDINATION_RE = re.compile(r"^(?:\s*(?:,|and|&|-|–|the)\s*)*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Every way subjects.yml writes a country, place or organisation ("Ukrainians", "Omani"),
    lower-cased, -> its name, lower-cased."""
    names = {}
    for name, entry in Vocabulary.load().entries.items():
        if entry["kind"] in PLACE_KINDS:
            for alias in [name, *(entry.get("aliases") or [])]:
                names[str(alias).lower()] = name.lower()
    return names


PLACE_KINDS = frozenset(["country", "place", "organisation"])


@lru_cache(maxsize=16_384)
def as_name(word: str) -> str:
    """The name a word stands for: "Moscow" and "Russian" are russia, "Ukrainians" ukraine."""
    word = _dictionary_form(word).lower()
    word = LEXICON.synonyms.get(word) or _places().get(word, word)
    return _PHRASES.get(word) or LEXICON.synonyms.get(word, word)


def _dictionary_form(word: str) -> str:
    """A Russian name in the case its alias is written in: "Трампу" is "Трамп", "Москве" "Москва"."""
    return name_key(word) if is_cyrillic(word) else word


# "united states" (subjects.yml's name) is "us", as phrase_synonyms writes it.
_PHRASES = {phrase.lower(): short.lower() for phrase, short in LEXICON.phrase_synonyms.items()}


def _place(word: str) -> str:
    """A place as named, its adjective read as the country ("Ukrainian" is ukraine), but a
    capital kept apart from its country: "in Moscow" is not "in Istanbul" although both talks
    are Russia's."""
    word = _dictionary_form(word).lower()
    place = _places().get(word, word)
    return _PHRASES.get(place, place)


def _known_place(word: str) -> bool:
    word = _dictionary_form(word).lower()
    return word in LEXICON.synonyms or word in _places()


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """Every word of every person, country, place or organisation subjects.yml names."""
    return frozenset(part.lower() for name, entry in Vocabulary.load().entries.items() if entry["kind"] != "topic"
                     for alias in [name, *(entry.get("aliases") or [])] for part in str(alias).split())  # fmt: skip


def _known_name(word: str) -> bool:
    word = _dictionary_form(word).lower()
    return _known_place(word) or word in _known_names() or word in LEXICON.leader_countries


LOCATION_BEFORE_RE = re.compile(r"\b(?:in|at|visit|visits|visited|visiting|в|во)\s+(?:the\s+)?$")


def _names(text: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """The names a wording gives, in order ("Ukrainian" is ukraine, a capital stays itself), and
    apart from them the places it is set in ("in Moscow"). Names acting together are sorted, so
    only an order that means something counts. A person is their last name ("Vladimir Putin" is
    putin), and a capitalised first word is a name only when subjects.yml knows it ("Reports of
    …", "Discussions in …" are not)."""
    groups: list[list[str]] = []
    located: set[str] = set()
    previous_end = None
    text = text.replace("-", " - ")  # "Russia-US" is two names acting together
    matches = [m for m in NAME_RE.finditer(text) if _is_name(strip_possessive(m.group(0)))]
    for index, match in enumerate(matches):
        word = strip_possessive(match.group(0))
        following = matches[index + 1] if index + 1 < len(matches) else None
        joined_next = following is not None and text[match.end():following.start()] == " "
        if joined_next and not _known_place(word):
            continue  # a first name: "Vladimir" of "Vladimir Putin"
        if match.start() == 0 and not joined_next and not _known_name(word):
            previous_end = match.end()
            continue  # the sentence's first word: a name only if subjects.yml knows it
        if LOCATION_BEFORE_RE.search(text, 0, match.start()):
            located.add(_place(word))
            previous_end = match.end()
            continue  # "in Moscow" says where, not who acts
        name = _place(word)
        together = previous_end is not None and COORDINATION_RE.match(text[previous_end:match.start()])
        if groups and (together or text[previous_end:match.start()] == " "):
            groups[-1].append(name)  # "Russia and the US"
        else:
            groups.append([name])
        previous_end = match.end()
    ordered = [n for group in groups for n in sorted(group, key=as_name)]
    together = frozenset(as_name(n) for group in groups if len(group) > 1 for n in group)
    return tuple(dict.fromkeys(ordered)), frozenset(located), together


SAID_VERBS = LEXICON.prose_speech_verbs | {"charged", "accused"}
_VERBS = "|".join(sorted(SAID_VERBS, key=len, reverse=True))
_ROLES = "|".join(sorted(LEXICON.role_words | {"press", "foreign", "policy"}, key=len, reverse=True))
# "Last week Lavrov said …", "Earlier, the Kremlin said that …", "Leavitt insisted the …".
# Its verb stands between spaces, so a wording none of whose words is one is spared the pattern
# (and its backtracking over the capitalised words before the verb).
SAID_FIRST_RE = re.compile(
    r"^(?:(?:Last|Earlier|On|This|Next)\b[^,]{0,25}?,?\s+)?(?:the\s+)?(?:(?:[A-Z][\w'’.-]*|of|the|" + _ROLES + r")\s+){1,8}"
    r"(?:" + _VERBS + r")(?:\s+(?:journalists|reporters|the\s+press|on\s+[A-Z]\w+day))?\s+(?:that\s+)?(?=\S)"
)
# "Head of European diplomacy Kaya Kallas declared that …": a translation's titles in lower case,
# so the verb of saying must be followed by "that".
SAID_THAT_RE = re.compile(
    r"^[A-ZА-ЯЁ][^,;:\"“”«»]{2,80}?\s(?:" + _VERBS + r")(?:\s+[\w'’]+){0,3}?(?:\s+that|,\s*что)\s+(?=\S)"
)
# "По словам Лаврова, …", "Как заявил Песков, …": Russian puts the source first.
SOURCE_FIRST_RE = re.compile(r"^(?:По\s+(?:словам|мнению|данным)|Как\s+(?:за|со|от|под)\w+)\s+[^,]{1,60},\s*(?=\S)")
# "…, said Peskov.", "…, Guo Jiakun said at a regular press conference.", "…, Lavrov said when
# asked about …": the last clause, when it reports who spoke.
SAID_LAST_RE = re.compile(r",\s*(?:[^,]{1,80}?\s)?(?:" + _VERBS + r")\b[^,]{0,100}$")
# "“We will fight to the end,” Lin Jian said, warning …": the quotation.
QUOTED_RE = re.compile(r"^[\"“](?P<quote>[^\"”]{8,}?)[,.!?]?[\"”]\s*,?\s+[^,]{1,60}?\s(?:" + _VERBS + r")\b")
# Headlines and wires: "Kallas: EU …", "… – Ushakov", "Moscow, April 11 (IANS) …", "… --IANS".
LABEL_RE = re.compile(r"^(?:(?:[A-ZА-ЯЁ][\w'’.-]*|von|der|van|de|da|al|bin)\s+){0,4}[A-ZА-ЯЁ][\w'’.-]*:\s+(?=\S)")
SPEAKING_RE = re.compile(r"^Speaking\s+(?:in|at|to|on|after|during)\b[^,]{1,60},\s*")  # "Speaking in Qatar, …"
DASH_NAME_RE = re.compile(r"\s+[–—-]{1,2}\s*(?:[A-Z][\w'’.-]*\s*){1,3}\.?$")
DATELINE_RE = re.compile(
    r"^[A-Z][\w.'’ -]{1,30},\s+[A-Z][a-z]{2,9}\.?\s+\d{1,2}\s*(?:\([^)]{1,30}\))?\s*(?:[-–—/]+\s*)?(?=\S)"
    r"|^[A-Z]{3,}(?:\s[A-Z]{3,})?\s+[-–—]{1,2}\s+"  # "KYIV - "
)


def _without_attribution(text: str) -> str:
    """The assertion a wording reports, without the outlet's framing: "…, Ushakov added.",
    "…, said Peskov.", "Lavrov said that …", "“…,” Lin Jian said, warning …", a headline's
    "Kallas: …" or "… – Ushakov", a wire's dateline."""
    text = SPEAKING_RE.sub("", DATELINE_RE.sub("", text.strip()))
    text = DASH_NAME_RE.sub("", LABEL_RE.sub("", text))
    quoted = QUOTED_RE.match(text)
    if quoted:
        return quoted.group("quote")
    for _ in range(2):  # "…, Peskov said, Xinhua news agency reported."
        match = (ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text) or VERB_FIRST_RE.search(text)
                 or SAID_LAST_RE.search(text))  # fmt: skip
        if match and len(text[: match.start()].split()) >= 4:  # not "Earlier, X said …"
            text = text[: match.start()]
    said_first = SAID_FIRST_RE.match(text) if not SAID_VERBS.isdisjoint(text.split()) else None
    first = said_first or SOURCE_FIRST_RE.match(text)
    if first is None and (" that " in text or "что" in text):  # the costly pattern only where it may match
        first = SAID_THAT_RE.match(text)
    return text[first.end():] if first else text


# "Ukraine has received from Russia …" says "Russia has handed Ukraine …" the other way round.
RECEIVES_RE = re.compile(r"\b(?:receiv(?:e|es|ed|ing)|obtain(?:s|ed)?|got|получил[аио]?|получен[аоы]?)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def speaker_words(name: str) -> frozenset[str]:
    """The words of a speaker's name as fingerprints hold them ("Yuri Ushakov" -> yuri, ushakov)."""
    return frozenset(as_name(word) for word in NAME_RE.findall(name)) | frozenset(as_name(w) for w in name.split())


# "today", "tomorrow", "Tuesday", "сегодня", "во вторник": days counted from the publication date
# (a weekday, the last one or the next one).
WEEKDAY_OFFSET = 100  # weekdays are coded from here, offsets from the day below it
DAY_WORDS = {word: int(offset) for word, offset in LEXICON.relative_days.items()}
WEEKDAYS = {word: int(index) for word, index in LEXICON.weekday_words.items()}
DAY_WORDS.update({word: WEEKDAY_OFFSET + index for word, index in WEEKDAYS.items()})


def on_days(print_: Fingerprint, published: datetime | str) -> Fingerprint:
    """The fingerprint of a wording published then, with the days of the month its "Tuesday",
    "today" or "сегодня" may be: "on Tuesday" and "on March 18" are one date when published on
    March 17 or 19."""
    if not print_.days_named:
        return print_
    day = (datetime.fromisoformat(published) if isinstance(published, str) else published).date()
    dates = set()
    for word in print_.days_named:
        offset = DAY_WORDS[word]
        if offset < WEEKDAY_OFFSET:
            dates.add(day + timedelta(days=offset))
        else:  # the weekday before or after publication, or the day itself
            back = (day.weekday() - (offset - WEEKDAY_OFFSET)) % 7
            dates |= {day - timedelta(days=back), day + timedelta(days=(7 - back) % 7)}
    return replace(print_, possible_days=frozenset(str(d.day) for d in dates))


def _language(text: str) -> str:
    """"ru" when most of a wording's letters are Cyrillic, else "en"."""
    if text.isascii():
        return "en"
    return "ru" if 2 * len(CYRILLIC_LETTER_RE.findall(text)) > len(LETTER_RE.findall(text)) else "en"


CYRILLIC_LETTER_RE = re.compile(r"[А-Яа-яЁё]")
LETTER_RE = re.compile(r"[^\W\d_]")
