"""Who an article names: full names, offices, and how a surname, an office or a possessive
refers back to them. The extractor resolves speakers and attributions with this index."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.articles import Article
from tracker.morphology import could_be_name, is_cyrillic, name_key, nominative
from tracker.vocabulary import LEXICON, VOCABULARY, strip_possessive

PLACES = VOCABULARY.non_person_words  # "Sudan" in "coordinator for Sudan Rania Haddad"


UPPER = "".join(chr(c) for c in [*range(0x250), *range(0x400, 0x530)] if chr(c).isupper())  # Latin, Cyrillic


# A capitalised word in any Latin script: "Aydın", "Erdoğan", "al-Thani", "O’Brien", "McCarthy".
NAME_TOKEN = (
    rf"(?:[{UPPER}]\.|(?:(?:el|al|ad|as|ash|ben|bin|abu|ibn)-)?[{UPPER}][^\W\d_]*(?:[-'’][^\W\d_]+)*)"
)


# Particles inside names: "Jan van der Berg", "Mohammed bin Saleh Al Hajri", "Lula da Silva".
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le", "bin",
             "ibn", "al", "el", "dos", "das", "do", "ter"}  # fmt: skip


PARTICLE = rf"(?:{'|'.join(sorted(PARTICLES))})"


NAME_RUN_RE = re.compile(
    rf"(?<![\w'’-])(?:{NAME_TOKEN})(?:\s+(?:{PARTICLE}\s+)*(?:{NAME_TOKEN}))*(?![\w'’])"
)


WORDS_RE = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None
    # "person"; "unresolved" for a speaker the article never names ("ministry official");
    # "organisation" for an institution credited with no spokesperson named.
    kind: str = "person"


@dataclass
class PeopleIndex:
    """Full names and roles of the people an article names, found by surname or by office."""

    by_surname: dict[str, Person] = field(default_factory=dict)
    mentioned_on: dict[str, list[int]] = field(default_factory=dict)  # name -> line numbers
    # Names the vocabulary knows ("Putin" -> "Vladimir Putin"), for a word no person of the
    # article is known by; a word of exactly one article name resolves to that person instead.
    known_people: dict[str, str] = field(default_factory=dict)
    by_word: dict[str, list[Person]] = field(default_factory=dict)
    # Answers of find and named_in, asked again and again of the same names and lines. The
    # index is complete (index_people) before it is asked; add forgets them all the same.
    _found: dict[str, Person | None] = field(default_factory=dict, repr=False)
    _named: dict[str, list[tuple[re.Match[str], Person]]] = field(default_factory=dict, repr=False)

    def add(self, person: Person, keys: list[str]) -> None:
        self._found.clear()
        self._named.clear()
        for key in keys:
            known = self.by_surname.get(key)
            if known is None or (known.role is None and person.role):
                self.by_surname[key] = person

    def find(self, words: str) -> Person | None:
        """Resolve a name as written ("Ushakov", "Yuri Ushakov") to the article's full name."""
        if words not in self._found:
            self._found[words] = self._find(words)
        return self._found[words]

    def _find(self, words: str) -> Person | None:
        tokens = strip_possessive(words.strip()).split()
        while tokens and (tokens[0] in LEADING_WORDS or (len(tokens) > 1 and is_cyrillic(tokens[0])
                                                         and not could_be_name(tokens[0]))):  # "Отдельно Шойгу"
            tokens = tokens[1:]
        words = " ".join(tokens)
        if not tokens:
            return None
        person = self._by_key(name_key(tokens[-1])) or self._by_key(name_key(tokens[0]))
        if person and (len(tokens) == 1 or _written_in(words, person)):
            return person
        if person and len(tokens) > 2:
            # "Jordanian Energy Minister Rami Haddad-Khoury": the name after the title words
            name = " ".join(title_and_name(words)[1])
            if name != words and _written_in(name, person):
                return person
        return None

    def _by_key(self, key: str) -> Person | None:
        person = self.by_surname.get(key)
        if person is not None or key not in self.known_people:
            return person
        # "Lula" is the article's "Luiz Inacio Lula da Silva" before the vocabulary's name.
        named = self.by_word.get(key, [])
        return named[0] if len(named) == 1 else Person(self.known_people[key])

    def named_in(self, text: str) -> list[tuple[re.Match[str], Person]]:
        """Every name in the text that resolves to a person of the article, in order."""
        if text not in self._named:
            found = ((m, self.find(m.group(0))) for m in NAME_RUN_RE.finditer(text))
            self._named[text] = [(m, person) for m, person in found if person is not None]
        return list(self._named[text])  # a copy: the remembered answer stays as it was

    def people(self) -> list[Person]:
        """Each person once, with their office when any key knows it."""
        unique: dict[str, Person] = {}
        for person in self.by_surname.values():
            if person.name not in unique or (person.role and not unique[person.name].role):
                unique[person.name] = person
        return list(unique.values())

    def mention(self, person: Person, line: int) -> None:
        self.mentioned_on.setdefault(person.name, []).append(line)

    def last_mention(self, person: Person, before: int) -> int:
        return max((n for n in self.mentioned_on.get(person.name, []) if n < before), default=0)

    def find_by_role(self, text: str, line: int | None = None) -> Person | None:
        """Resolve an office named alone ("the spokeswoman", "The Egyptian diplomat", "the mission
        head") to the person whose office, as the article gives it, shares most words with it."""
        words = _content_words(text)
        scores: dict[str, tuple[float, Person]] = {}
        for person in self.people():
            if person.role:
                role = _content_words(person.role)
                overlap = len(words & role)
                if overlap:
                    # "the minister" is the minister, not the deputy minister
                    scores[person.name] = (overlap - 0.5 * len((role & RANK_WORDS) - words), person)
        if not scores:
            return None
        best = max(score for score, _ in scores.values())
        winners = [p for score, p in scores.values() if score == best]
        if len(winners) > 1 and line is not None:
            # Two deputy ministers: the one the article introduced last, before this line.
            latest = max(self.last_mention(p, line) for p in winners)
            winners = [p for p in winners if self.last_mention(p, line) == latest]
        return winners[0] if len(winners) == 1 else None


OFFICE_WORDS = LEXICON.role_words | {w.lower() for w in LEXICON.title_words}


NOT_OFFICE_WORDS = (
    ({w.lower() for w in LEXICON.stop_words} - OFFICE_WORDS) | LEXICON.speech_verbs
    | {"following", "points", "part", "also", "out", "that", "the", "of", "for", "his", "her"}
)


LEADING_WORDS = LEXICON.stop_words | LEXICON.title_words  # "The", "Minister" before a name


RANK_WORDS = {"deputy", "first", "vice", "assistant", "acting", "former", "junior", "under"}


def _written_in(words: str, person: Person) -> bool:
    """Whether a name as written is (part of) the person's name, in any case it is inflected in
    ("Юрия Ушакова" is Юрий Ушаков)."""
    if words.lower() in person.name.lower():
        return True
    if not is_cyrillic(words):
        return False
    keys = {name_key(w) for w in person.name.split()}
    return all(name_key(w) in keys for w in words.split())


def _content_words(text: str) -> set[str]:
    """Lower-cased words that can identify an office: no stop words, verbs of speech or fillers."""
    words = {strip_possessive(w) for w in lower_words(text)}
    return {w for w in words if w not in NOT_OFFICE_WORDS and len(w) > 2}


def split_title(tokens: list[str], places: frozenset[str]) -> tuple[list[str], list[str]]:
    """Split "Deputy Foreign Minister Sergei Ryabkov", "Bank Indonesia Governor Sri Wulandari",
    "United States Alexander Darchiev" or "CEO Alexei Miller" into (title words, name words): the
    name follows the last title, acronym or place word and has at most three words."""
    def is_title(token: str) -> bool:
        bare = strip_possessive(token.rstrip("."))
        if bare in places or (bare.isupper() and len(bare) > 1):
            return True
        if is_cyrillic(bare):  # "президента России Дмитрий Песков": the dictionary knows "России"
            return not could_be_name(bare)
        return any(part in LEXICON.title_words for part in bare.split("-"))  # "Secretary-General"

    in_place_names = _words_of_place_names(tokens)
    last_title = max(
        (i for i, t in enumerate(tokens[:-1]) if is_title(t) or i in in_place_names), default=-1
    )
    # A name holds no sentence words: "Putin Holds Phone Conversation With Trump" has none.
    last_stop = max((i for i, t in enumerate(tokens) if t in LEXICON.stop_words), default=-1)
    start, named = len(tokens), 0
    while start > max(last_title, last_stop) + 1 and named < 4:  # "Luiz Inacio Lula da Silva"
        start -= 1
        named += tokens[start][0].isupper() and tokens[start].lower() not in PARTICLES
    while start < len(tokens) - 1 and tokens[start].lower() in PARTICLES:
        start += 1  # a name does not start with a particle
    return tokens[:start], tokens[start:]


@lru_cache(maxsize=16_384)
def title_and_name(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """split_title of a capitalised run, remembered: the same runs recur in article after article."""
    title, name = split_title(run.split(), PLACES)
    return tuple(title), tuple(name)


def _words_of_place_names(tokens: list[str]) -> set[int]:
    """Indexes of tokens inside a multi-word country, place or organisation ("United States")."""
    text = " ".join(tokens)
    starts = [i for i, char in enumerate(text) if char != " " and (i == 0 or text[i - 1] == " ")]
    indexes = set()
    for start, end, name in VOCABULARY.match(text):
        if VOCABULARY.entries[name]["kind"] != "person":
            indexes.update(i for i, at in enumerate(starts) if start <= at < end)
    return indexes


CLAUSE_BREAK_RE = re.compile(r"[,;:.!?\"“”(]|\b(?:said|told|and|by|with|that)\b")


def role_before(line: str, start: int, title: list[str]) -> str | None:
    """The office written just before a name: "Putin's aide", "Foreign Ministry spokeswoman".
    It must end in an office ("…held a press conference in Baton Rouge" names no one)."""
    clause = CLAUSE_BREAK_RE.split(line[:start])[-1]
    if is_cyrillic(clause):
        return _genitive_role(clause.split()[-10:])
    if title:
        return _title_role(clause.split())
    words = clause.split()[-6:]
    if not words or not _is_office(words[-1]) or _has_speech_verb(words):
        return None
    while words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def _genitive_role(words: list[str]) -> str | None:
    """A Russian office runs from its office noun to the name, the rest in the genitive:
    "заместитель директора департамента информации и печати МИД России Алексей Фадеев"."""
    start = next((i for i, w in enumerate(words) if _is_office(w)), None)
    if start is None or _has_speech_verb(words[start:]):
        return None
    return " ".join(words[start:])


TITLE_CONNECTORS = {"to", "of", "the", "for", "on", "at", "in"}


def _title_role(words: list[str]) -> str | None:
    """The title run just before a name, back to the first word that is no part of it:
    "…received Iranian President" -> "Iranian President"; "Russian Ambassador to the United
    States" keeps its connectors."""
    start = len(words)
    while start > 0 and (words[start - 1][0].isupper() or _is_office(words[start - 1])
                         or words[start - 1].lower() in TITLE_CONNECTORS):  # fmt: skip
        start -= 1
    role = words[start:]
    while role and role[0].lower() in TITLE_CONNECTORS:
        role = role[1:]
    return " ".join(role) if any(_is_office(w) for w in role) else None


APPOSITIVE_RE = re.compile(r",\s*(?:the\s+|a\s+)?([^,.;:]{3,60}?)\s*[,.;]")


def role_after(line: str, end: int) -> str | None:
    """An appositive office after a name: "Yuri Ushakov, the presidential aide, said",
    "Paula Riquelme Soto, chief executive of the mining company…": an office in its first words."""
    match = APPOSITIVE_RE.match(line, end)
    if not match:
        return None
    words = match.group(1).split()
    if words[0].lower() in {"and", "or", "but", "while", "who", "which", "as", "in", "on"}:
        return None  # a new clause, not an appositive
    if len(words) <= 10 and any(_is_office(w) for w in words[:3]) and not _has_speech_verb(words):
        return match.group(1)
    return None


def _is_office(word: str) -> bool:
    """ "spokeswoman", "Minister", "secretary-general", "CEO" — a noun naming an office."""
    parts = strip_possessive(word).lower().split("-")
    return parts[-1] in LEXICON.role_words or parts[0] in LEXICON.role_words


def _has_speech_verb(words: list[str]) -> bool:
    return any(w in LEXICON.speech_verbs for w in words)


def index_people(article: Article, known_people: dict[str, str]) -> PeopleIndex:
    """Collect every person the article names with a first name and surname, and their office."""
    index = PeopleIndex()
    counts = WordCounts.of(article.raw_text)
    for line in article.lines[1:]:
        for match in NAME_RUN_RE.finditer(line.text):
            title, name = title_and_name(match.group(0))
            if len(name) < 2 or name[-1] in LEXICON.stop_words or name[0] in LEXICON.stop_words:
                continue
            full = " ".join(nominative(name))  # "по словам Марии Захаровой": Мария Захарова
            name_start = match.start() + match.group(0).index(name[0]) if title else match.start()
            role = role_before(line.text, name_start, title) or role_after(line.text, match.end())
            # The article's own spelling of a full name wins over the vocabulary's.
            if (full in known_people or role or is_named_speaker(line.text, match.end())
                    or _surname_used_alone(counts, name)):
                person = Person(full, role)
                index.add(person, [name_key(key) for key in _name_keys(counts, name)])
                index.mention(person, line.number)
    for person in index.people():
        for word in person.name.split():
            index.by_word.setdefault(name_key(word), []).append(person)
    index.known_people = known_people
    return index


WORD_COUNT_RE = re.compile(r"[^\W\d_][\w-]*")


@dataclass
class WordCounts:
    """How often each word, and each full name, occurs in an article: counted once per article
    instead of one regex scan of the whole text per candidate name. Capitalised Cyrillic words
    are also counted by their name key, so "Ушакова" and "Ушакову" count as Ushakov."""

    text: str
    words: dict[str, int]
    keys: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> WordCounts:
        counts = Counter(WORD_COUNT_RE.findall(text))
        keys: Counter[str] = Counter()
        if not text.isascii():  # an ASCII text has no Cyrillic word to key
            for word, count in counts.items():  # each distinct word once
                if word[0].isupper() and is_cyrillic(word[0]):
                    keys[name_key(word)] += count
        return cls(text, counts, keys)

    def used_alone(self, name: list[str], token: str) -> bool:
        if is_cyrillic(token):
            others = [w for w in name if w != token]
            return self.keys.get(name_key(token), 0) > max((self.keys.get(name_key(w), 0) for w in others), default=0)
        return self.words.get(token, 0) > self.text.count(" ".join(name))


def _surname_used_alone(counts: WordCounts, name: list[str]) -> bool:
    """People are referred to by surname after the first mention; places and events are not.
    The surname comes last in "Yuri Ushakov" but first in "Wang Yi" or "Lin Haoran"."""
    return counts.used_alone(name, name[-1]) or _surname_first(counts, name)


def _surname_first(counts: WordCounts, name: list[str]) -> bool:
    """East Asian surnames lead and are short ("Wang", "Lin", "Nguyen"); a longer first word used
    alone ("Lithium" of "Lithium Andino") is more likely a common word than a surname."""
    return len(name) == 2 and len(name[0]) <= 6 and counts.used_alone(name, name[0])


def _name_keys(counts: WordCounts, name: list[str]) -> list[str]:
    keys = [name[-1]]
    if _surname_first(counts, name) and not counts.used_alone(name, name[-1]):
        keys.append(name[0])
    return keys


def is_named_speaker(line: str, end: int) -> bool:
    following = line[end:].split()[:2]
    return bool(following) and following[0].strip(",.") in LEXICON.speech_verbs


@lru_cache(maxsize=4096)  # sets of words: a few articles' lines and offices
def lower_words(text: str) -> frozenset[str]:
    """Lower-cased words, with hyphenated ones also split: "secretary-general" has "secretary".
    Remembered: list and prose reading ask it of the same lines, and of the same offices."""
    words = {strip_possessive(w).lower() for w in WORDS_RE.findall(text)}
    parts = {part for w in words if "-" in w for part in w.split("-") if part}
    return frozenset(words | parts)
