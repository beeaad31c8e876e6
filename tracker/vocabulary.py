"""The subject vocabulary and word lists, kept as data in subjects.yml and lexicon.yml.

Subjects are matched by their aliases (proper names case-sensitively, topics in any case); names
the vocabulary does not know still become subjects of kind "person" (when the article gives a
full name) or "unknown", so nothing the claim is about is dropped.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import yaml

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


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def load_lexicon() -> Lexicon:
    data = _load_yaml("lexicon.yml")
    return Lexicon(**{key: frozenset(str(w) for w in words) for key, words in data.items()})


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

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        text = (path or HERE / "subjects.yml").read_text(encoding="utf-8")
        return cls(yaml.safe_load(text) or [])

    def _pattern(self, case_insensitive: bool) -> re.Pattern[str] | None:
        aliases = [
            alias for alias, name in self.alias_to_name.items()
            if (self.entries[name]["kind"] in CASE_INSENSITIVE_KINDS) == case_insensitive
        ]  # fmt: skip
        if not aliases:
            return None
        alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        flags = re.IGNORECASE if case_insensitive else 0
        return re.compile(rf"(?<![\w-])(?:{alternation})(?:['’]s?)?(?![\w-])", flags)

    @cached_property
    def patterns(self) -> list[re.Pattern[str]]:
        # Topics first: "Iranian nuclear program" must win over the country alias "Iranian".
        return [p for p in (self._pattern(True), self._pattern(False)) if p is not None]

    def canonical(self, surface: str) -> str | None:
        surface = re.sub(r"['’]s?$", "", surface)
        if surface in self.alias_to_name:
            return self.alias_to_name[surface]
        lowered = {a.lower(): n for a, n in self.alias_to_name.items()}
        name = lowered.get(surface.lower())
        return name if name and self.entries[name]["kind"] in CASE_INSENSITIVE_KINDS else None

    def subject(self, name: str) -> Subject:
        return Subject(name, self.entries[name]["kind"])

    def implied(self, name: str) -> list[str]:
        return [n for n in self.entries[name].get("implies") or [] if n in self.entries]

    def non_person_words(self) -> frozenset[str]:
        """One-word names of places and organisations ("Sudan", "UN") that may precede a name."""
        return frozenset(
            alias for alias, name in self.alias_to_name.items()
            if self.entries[name]["kind"] != "person" and " " not in alias
        )  # fmt: skip

    def people_aliases(self) -> dict[str, str]:
        """Alias -> canonical name for every person, to resolve "Putin" to "Vladimir Putin"."""
        return {
            alias: name for alias, name in self.alias_to_name.items()
            if self.entries[name]["kind"] == "person"
        }  # fmt: skip


VOCABULARY = Vocabulary.load()
NAME_RUN_RE = re.compile(
    r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+|al-|bin\s+)?[A-Z][\w'’-]*)*(?![\w])"
)


def find_subjects(
    text: str, people: PeopleLookup, vocabulary: Vocabulary = VOCABULARY
) -> list[Subject]:
    """Vocabulary subjects (with what they imply), people the article names, unknown names."""
    found: dict[str, Subject] = {}
    covered: list[tuple[int, int]] = []

    def add(name: str, kind: str) -> None:
        found.setdefault(name, Subject(name, kind))

    for pattern in vocabulary.patterns:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in covered):
                continue
            name = vocabulary.canonical(match.group(0))
            if name:
                covered.append(match.span())
                add(name, vocabulary.entries[name]["kind"])
                for implied in vocabulary.implied(name):
                    add(implied, vocabulary.entries[implied]["kind"])
    for match in NAME_RUN_RE.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in covered):
            continue
        for name, kind in _unknown_names(match.group(0), people):
            add(name, kind)
    return list(found.values())


def _unknown_names(run: str, people: PeopleLookup) -> list[tuple[str, str]]:
    """Split a capitalised run into the people and unknown names it holds."""
    tokens = [re.sub(r"['’]s?$", "", t) for t in run.split()]
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
