"""The subject vocabulary and word lists, kept as data in subjects.yml and lexicon.yml.

Subjects are matched by their aliases (proper names case-sensitively, topics in any case); names
the vocabulary does not know still become subjects of kind "person" (when the article gives a
full name) or "unknown", so nothing the claim is about is dropped.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress
from pathlib import Path
from typing import Any, Protocol

import yaml

from tracker.morphology import is_cyrillic, name_key

HERE = Path(__file__).parent
CASE_INSENSITIVE_KINDS = {"topic"}


@dataclass(frozen=True)
class Subject:
    name: str
    kind: str


@dataclass(frozen=True)
class Lexicon:
    role_words: frozenset[str]
    title_words: frozenset[str]
    speech_verbs: frozenset[str]
    pronouns: frozenset[str]
    stop_words: frozenset[str]
    boilerplate_imperatives: frozenset[str]
    reader_words: frozenset[str]
    channel_words: frozenset[str]
    outlets: frozenset[str]
    platform_words: frozenset[str]
    boilerplate_labels: frozenset[str]
    statement_nouns: frozenset[str]
    gathering_verbs: frozenset[str]
    question_labels: frozenset[str]
    topic_heading_words: frozenset[str]
    auxiliaries: frozenset[str]
    source_words: frozenset[str]
    abbreviations: frozenset[str]
    institution_words: frozenset[str]
    prose_speech_verbs: frozenset[str]
    non_speaker_starts: frozenset[str]
    outlet_words: frozenset[str]
    synonyms: dict[str, str]
    phrase_synonyms: dict[str, str]
    leader_countries: dict[str, str]
    grouping_stop_words: frozenset[str]
    answer_labels: frozenset[str] = frozenset()  # "Answer: …", "Ответ: …": the official's turn
    # Words of a title that make the article a transcript of one official's words ("Брифинг …").
    transcript_words: frozenset[str] = frozenset()
    # Phrases in which an outlet speaks of its own article ("Полная версия интервью — …").
    self_reference_phrases: frozenset[str] = frozenset()
    # Events at which an official speaks: "Peskov's briefing", "провела брифинг".
    speech_events: frozenset[str] = frozenset()
    # Verbs of a marker that gives orders: its items are commitments ("Putin instructed:").
    instruction_verbs: frozenset[str] = frozenset()
    # Imperatives only ever addressed to the reader, boilerplate on their own ("Подписывайтесь …").
    reader_imperatives: frozenset[str] = frozenset()
    # Regular expressions, for languages whose commitments these word lists do not describe
    # (tracker/extract.py keeps English's own).
    commitment_patterns: frozenset[str] = frozenset()
    hedge_patterns: frozenset[str] = frozenset()
    refusal_words: frozenset[str] = frozenset()  # "boycott", "off the table": no without "not"
    number_words: dict[str, str] = field(default_factory=dict)  # "twelve": "12" (tracker/wording.py)
    small_numbers: dict[str, str] = field(default_factory=dict)
    ordinal_words: dict[str, str] = field(default_factory=dict)
    ordinal_suffixes: frozenset[str] = frozenset()
    unit_words: frozenset[str] = frozenset()  # "two hours": "two" is a quantity
    multiplier_words: dict[str, str] = field(default_factory=dict)
    single_multipliers: frozenset[str] = frozenset()
    month_words: frozenset[str] = frozenset()
    relative_days: dict[str, str] = field(default_factory=dict)  # "tomorrow": "1"
    weekday_words: dict[str, str] = field(default_factory=dict)  # "tuesday": "1", "вторник": "1"
    grouping_thresholds: dict[str, str] = field(default_factory=dict)  # language -> 0-100


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def load_lexicon() -> Lexicon:
    """lexicon.yml (English) and every other language's lexicon.LANG.yml, merged key by key:
    word lists are sets, and one language's words do not occur in another's text, so the
    extractor reads articles in any of them with the same rules."""
    merged: dict[str, Any] = {}
    for path in [HERE / "lexicon.yml", *sorted(HERE.glob("lexicon.*.yml"))]:
        # Every word a string: YAML 1.1 would read "No", "Yes" and "On" as booleans.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for key, words in data.items():
            if isinstance(words, dict):
                merged[key] = {**merged.get(key, {}), **words}
            else:
                merged[key] = merged.get(key, frozenset()) | frozenset(str(w) for w in words)
    return Lexicon(**merged)


LEXICON = load_lexicon()
CALENDAR_WORDS = frozenset(
    w for w in list(calendar.month_name) + list(calendar.day_name) + list(calendar.month_abbr) if w
)


class PeopleLookup(Protocol):
    def find(self, words: str) -> Any: ...


class Vocabulary:
    """Canonical subjects with their aliases and implied subjects."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries = {entry["name"]: entry for entry in entries}
        self.alias_to_name: dict[str, str] = {}
        for entry in entries:
            for alias in [entry["name"], *(entry.get("aliases") or [])]:
                self.alias_to_name[str(alias)] = entry["name"]
        # The same tokens recur in every text: what each can start is looked up once.
        self._longest_from = lru_cache(maxsize=16_384)(self._longest_alias_from)

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        text = (path or HERE / "subjects.yml").read_text(encoding="utf-8")
        return cls(yaml.safe_load(text) or [])

    @cached_property
    def _lookup(self) -> tuple[dict[str, str], dict[str, int]]:
        """Alias word sequences -> canonical name (proper names exactly, topics lower-cased as
        "~key"), and for each first word the longest alias starting with it."""
        names: dict[str, str] = {}
        longest: dict[str, int] = {}
        for alias, name in self.alias_to_name.items():
            words = [_inflection_free(w) for _, _, w in tokenize(alias)]
            if not words:
                continue
            if self.entries[name]["kind"] in CASE_INSENSITIVE_KINDS:
                words = [w.lower() for w in words]
                names["~" + " ".join(words)] = name
            else:
                names[" ".join(words)] = name
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
        return names, longest

    def match(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of every alias in the text, longest match first.

        Dictionary lookups of the word runs that start with a known first word: far cheaper
        than one regex alternation of a thousand aliases, which dominated ingest time. What a token
        can start is remembered: a text none of whose words starts an alias costs one regex scan."""
        scanned = list(TOKEN_RE.finditer(text))  # one scan for the tokens and their offsets
        tokens = [token.group() for token in scanned]
        limits = list(map(self._longest_from, tokens))
        if not any(limits):
            return []
        words = list(map(_word_form, tokens))
        found: list[tuple[int, int, str]] = []
        resume = 0  # the first token after the last alias found
        for index in compress(range(len(tokens)), limits):
            if index < resume:
                continue
            hit = self._match_at(words, index, limits[index])
            if hit:
                size, name = hit
                last = index + size - 1
                end = scanned[last].end() - (len(tokens[last]) - len(_without_final_period(tokens[last])))
                found.append((scanned[index].start(), end, name))
                resume = index + size
        return found

    def _longest_alias_from(self, token: str) -> int:
        """The most words of an alias the token can start (0: none starts with it)."""
        first = strip_possessive(_word_form(token))
        longest = self._lookup[1]
        return max(longest.get(first, 0), longest.get(first.lower(), 0))

    def _match_at(self, words: list[str], index: int, limit: int) -> tuple[int, str] | None:
        names = self._lookup[0]
        for size in range(min(limit, len(words) - index), 0, -1):
            run = words[index : index + size]
            run[-1] = strip_possessive(run[-1])
            key = " ".join(run)
            name = names.get("~" + key.lower()) or names.get(key)
            if name:
                return size, name
        return None

    def subject(self, name: str) -> Subject:
        return Subject(name, self.entries[name]["kind"])

    def implied(self, name: str) -> list[str]:
        return [n for n in self.entries[name].get("implies") or [] if n in self.entries]

    @cached_property
    def non_person_words(self) -> frozenset[str]:
        """One-word names of places and organisations ("Sudan", "UN") that may precede a name."""
        return frozenset(
            alias for alias, name in self.alias_to_name.items()
            if self.entries[name]["kind"] != "person" and " " not in alias
        )  # fmt: skip

    @cached_property
    def person_aliases(self) -> dict[str, str]:
        """Alias -> canonical name for every person, to resolve "Putin" to "Vladimir Putin"."""
        aliases = {alias: name for alias, name in self.alias_to_name.items() if self.entries[name]["kind"] == "person"}
        # In a Russian article "Путин" is "Владимир Путин" (its name in that script; the database
        # knows him as one person in every script: tracker/ingest.py), and "Путина", "Захаровой"
        # are looked up by their key (tracker/morphology.py).
        for alias, name in list(aliases.items()):
            if is_cyrillic(alias):
                native = self._full_name_in_script(name) or name
                aliases[alias] = native
                if " " not in alias:
                    aliases[name_key(alias)] = native
        return aliases

    def _full_name_in_script(self, name: str) -> str | None:
        """The first Cyrillic alias of several words ("Владимир Путин" for Vladimir Putin)."""
        entry = self.entries[name]
        return next((str(a) for a in entry.get("aliases") or [] if is_cyrillic(str(a)) and " " in str(a)), None)


TOKEN_RE = re.compile(r"\w[\w.'’+-]*")
LOWER_WORDS_RE = re.compile(r"[a-zа-яё]+")  # the words of a lower-cased text, for cue-word tests
# The non-ASCII letters an IGNORECASE pattern matches to ASCII ones (re's documentation names these
# four): a text with one may match such a pattern without the cue word a word test looks for.
ASCII_FOLDING = ("İ", "ı", "ſ", "K")


def folds_to_ascii(text: str) -> bool:
    """Whether the text has an ASCII_FOLDING letter: then an IGNORECASE pattern may match it
    without the (ASCII) cue word a cheap word test looks for, and the pattern must be tried."""
    return any(char in text for char in ASCII_FOLDING)


def _inflection_free(word: str) -> str:
    """A capitalised Cyrillic word by its dictionary form, so "России" matches the alias
    "Россия" and "Путина" matches "Путин"; other words as written."""
    if word[:1].isupper() and is_cyrillic(word[:1]):
        return name_key(word)
    return word


def strip_possessive(word: str) -> str:
    """ "Russia’s" -> "Russia", "Brussels'" -> "Brussels" (no regex: this runs per word)."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    return word[:-1] if word.endswith(("'", "’")) else word


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Words with their offsets; a final period is dropped unless the word is an abbreviation
    ("U.S." keeps it, "Iran." at the end of a sentence does not)."""
    words = []
    for match in TOKEN_RE.finditer(text):
        word = _without_final_period(match.group(0))
        words.append((match.start(), match.start() + len(word), word))
    return words


def _without_final_period(token: str) -> str:
    return token[:-1] if token.endswith(".") and token.count(".") == 1 else token


@lru_cache(maxsize=16_384)
def _word_form(token: str) -> str:
    """A token as aliases are looked up: without a final period, inflection-free."""
    return _inflection_free(_without_final_period(token))


VOCABULARY = Vocabulary.load()
NAME_RUN_RE = re.compile(
    r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+|al-|bin\s+)?[A-Z][\w'’-]*)*(?![\w])"
)


def find_subjects(
    text: str, people: PeopleLookup, vocabulary: Vocabulary = VOCABULARY
) -> list[Subject]:
    """Vocabulary subjects (with what they imply), people the article names, unknown names."""
    found: dict[str, Subject] = {}

    def add(name: str) -> None:
        if name not in found:
            found[name] = vocabulary.subject(name)
            for implied in vocabulary.implied(name):
                add(implied)

    matches = vocabulary.match(text)
    for _, _, name in matches:
        add(name)
    covered = [(start, end) for start, end, _ in matches]
    for match in NAME_RUN_RE.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in covered):
            continue
        for name, kind in _unknown_names(match.group(0), people):
            found.setdefault(name, Subject(name, kind))
    return list(found.values())


def _unknown_names(run: str, people: PeopleLookup) -> list[tuple[str, str]]:
    """Split a capitalised run into the people and unknown names it holds."""
    tokens = [strip_possessive(t) for t in run.split()]
    while tokens and (tokens[0] in LEXICON.stop_words or tokens[0] in LEXICON.title_words
                      or tokens[0] in CALENDAR_WORDS or tokens[0].lower() in {"of", "the"}):
        tokens = tokens[1:]  # fmt: skip
    while tokens and tokens[-1].lower() in {"of", "the", "al-", "bin"}:
        tokens = tokens[:-1]
    if not tokens or all(t in CALENDAR_WORDS or t.isdigit() for t in tokens):
        return []
    phrase = " ".join(tokens)
    person = people.find(phrase)
    if person is not None:
        return [(person.name, "person")]
    if len(tokens) == 1 and (len(phrase) < 3 or phrase in LEXICON.stop_words):
        return []
    return [(phrase, "unknown")]
