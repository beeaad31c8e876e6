"""Turn a parsed article into claims: find list markers, resolve speakers, read the items.

A marker is a body line that ends in a colon and names a person, by name or by office
("Ushakov also revealed that:", "In Zakharova's words:", "The spokeswoman added:"). Every line
after it, up to the next marker or the outlet's boilerplate, is one claim.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.articles import TIMESTAMP_RE, Article, Line
from tracker.dates import find_deadline
from tracker.errors import ArticleError
from tracker.vocabulary import LEXICON, VOCABULARY, Subject, find_subjects, strip_possessive

DEFAULT_REVIEW_DAYS = 30
PLACES = VOCABULARY.non_person_words  # "Sudan" in "coordinator for Sudan Rania Haddad"

UPPER = "".join(chr(c) for c in range(0x250) if chr(c).isupper())
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
LIST_MARKER_RE = re.compile(r"^\s*(?:[•\-–—*·▪●◦‣∙]+|\(?\d{1,3}[.)]|\(?[a-z][.)](?=\s))\s*")
ATTRIBUTION_RE = re.compile(
    r",\s*(?P<who>(?:according\s+to\s+)?[^,]{1,60}?)\s+(?P<verb>"
    + "|".join(sorted(LEXICON.speech_verbs, key=len, reverse=True))
    + r")(?:\s+(?:journalists|reporters|the\s+press|\w+))?\s*[.!]?\s*[\"”’']?\s*$"
)
ACCORDING_RE = re.compile(r",\s*according\s+to\s+(?P<who>[^,]{1,60}?)\s*[.!]?\s*$", re.IGNORECASE)
WORDS_RE = re.compile(r"[A-Za-z][\w'’-]*")
URL_RE = re.compile(r"https?://|www\.|(?<!\w)@\w{2,}|(?<!\w)#\w{2,}|©|copyright|all rights reserved", re.IGNORECASE)
# What an outlet says to its readers; a list item never does ("Found an error? … let us know").
READER_RE = re.compile(
    r"\b(?:let|tell|contact|write\s+to|email|e-mail|join|follow)\s+us\b|\bctrl\s*\+|\bselect\s+it\b"
    r"|\b(?:further|more)\s+details\s+(?:are\s+expected|to\s+follow|will\s+follow|later)"
    r"|\bdeveloping\s+story\b|\bupdates?\s+to\s+follow\b", re.IGNORECASE
)
LABEL_RE = re.compile(r"^\s*(?P<label>[A-Z][\w'’ ]{0,25}?)\s*:\s*\S")

COMMITMENT_RE = re.compile(
    r"(?<!political )(?<!good )(?<!the )\b(?:will|won[’']t|shall)\b"
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
    r"|\bto\s+be\s+(?:held|signed|completed|launched|opened|resumed)\b",
    re.IGNORECASE,
)
# Hedged, negated or refused intentions are not commitments (README, "Commitments").
HEDGE_RE = re.compile(
    r"\b(?:will|shall|should)\s+not\b|\b(?:won|shan)[’']t\b"
    r"|\b(?:does|do|did)\s+not\s+(?:intend|plan|agree|want|expect)\b"
    r"|\b(?:doesn|don|didn)[’']t\s+(?:intend|plan|agree|want|expect)\b|"
    r"\b(?:(?:did|does|do)\s+not|didn[’']t|doesn[’']t|don[’']t)\s+rule\s+out\b|\bnot\s+(?:be\s+)?ruled\s+out\b"
    r"|\b(?-i:may)\b|\b(?:might|could|would)\b|(?<!as soon as )\bpossibl[ey]\b|\bperhaps\b|\bconsidering\b"
    r"|\bno\s+(?:plans?|intention|intent)\b|\bnot\s+(?:expected|scheduled|planned|going|set|due)\b"
    r"|\bnot\s+(?:yet\s+)?(?:ready|prepared|willing)\b|\brefused\b|\bunlikely\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None


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


@dataclass
class PeopleIndex:
    """Full names and roles of the people an article names, found by surname or by office."""

    by_surname: dict[str, Person] = field(default_factory=dict)
    mentioned_on: dict[str, list[int]] = field(default_factory=dict)  # name -> line numbers

    def add(self, person: Person, keys: list[str]) -> None:
        for key in keys:
            known = self.by_surname.get(key)
            if known is None or (known.role is None and person.role):
                self.by_surname[key] = person

    def find(self, words: str) -> Person | None:
        """Resolve a name as written ("Ushakov", "Yuri Ushakov") to the article's full name."""
        tokens = strip_possessive(words.strip()).split()
        while tokens and tokens[0] in LEADING_WORDS:
            tokens = tokens[1:]
        words = " ".join(tokens)
        if not tokens:
            return None
        person = self.by_surname.get(tokens[-1]) or self.by_surname.get(tokens[0])
        if person and (len(tokens) == 1 or words.lower() in person.name.lower()):
            return person
        return None

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
SPEAKING_WORDS = LEXICON.speech_verbs | {
    "words", "according", "per", "quoting", "quoted", "statement", "view", "opinion",
}
PRONOUNS = {p.lower() for p in LEXICON.pronouns}
RANK_WORDS = {"deputy", "first", "vice", "assistant", "acting", "former", "junior", "under"}


def _content_words(text: str) -> set[str]:
    """Lower-cased words that can identify an office: no stop words, verbs of speech or fillers."""
    words = {strip_possessive(w) for w in _lower_words(text)}
    return {w for w in words if w not in NOT_OFFICE_WORDS and len(w) > 2}


def normalise(text: str) -> str:
    """The form used for de-duplication and claim keys: case, quotes, spaces, end punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"').casefold()
    return re.sub(r"\s+", " ", text).strip().rstrip(".!;,").strip()


def claim_key(source_sha256: str, text: str) -> str:
    return hashlib.sha256(f"{source_sha256}\n{normalise(text)}".encode()).hexdigest()[:24]


def _split_title(tokens: list[str], places: frozenset[str]) -> tuple[list[str], list[str]]:
    """Split "Deputy Foreign Minister Sergei Ryabkov", "Bank Indonesia Governor Sri Wulandari",
    "United States Alexander Darchiev" or "CEO Alexei Miller" into (title words, name words): the
    name follows the last title, acronym or place word and has at most three words."""
    def is_title(token: str) -> bool:
        bare = strip_possessive(token.rstrip("."))
        if bare in places or (bare.isupper() and len(bare) > 1):
            return True
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


def _words_of_place_names(tokens: list[str]) -> set[int]:
    """Indexes of tokens inside a multi-word country, place or organisation ("United States")."""
    text = " ".join(tokens)
    starts = [i for i, char in enumerate(text) if char != " " and (i == 0 or text[i - 1] == " ")]
    indexes = set()
    for start, end, name in VOCABULARY.match(text):
        if VOCABULARY.entries[name]["kind"] != "person":
            indexes.update(i for i, at in enumerate(starts) if start <= at < end)
    return indexes


def _role_before(line: str, start: int, title: list[str]) -> str | None:
    """The office written just before a name: "Putin's aide", "Foreign Ministry spokeswoman".
    It must end in an office ("…held a press conference in Baton Rouge" names no one)."""
    clause = re.split(r"[,;:.!?\"“”(]|\b(?:said|told|and|by|with|that)\b", line[:start])[-1]
    if title:
        return _title_role(clause.split())
    words = clause.split()[-6:]
    if not words or not _is_office(words[-1]) or _has_speech_verb(words):
        return None
    while words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


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


def _role_after(line: str, end: int) -> str | None:
    """An appositive office after a name: "Yuri Ushakov, the presidential aide, said",
    "Paula Riquelme Soto, chief executive of the mining company…": an office in its first words."""
    match = re.match(r",\s*(?:the\s+|a\s+)?([^,.;:]{3,60}?)\s*[,.;]", line[end:])
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
            title, name = _split_title(match.group(0).split(), PLACES)
            if len(name) < 2 or name[-1] in LEXICON.stop_words or name[0] in LEXICON.stop_words:
                continue
            full = " ".join(name)
            name_start = match.start() + match.group(0).index(name[0]) if title else match.start()
            role = _role_before(line.text, name_start, title) or _role_after(line.text, match.end())
            # The article's own spelling of a full name wins over the vocabulary's.
            if (full in known_people or role or _is_named_speaker(line.text, match.end())
                    or _surname_used_alone(counts, name)):
                person = Person(full, role)
                index.add(person, _name_keys(counts, name))
                index.mention(person, line.number)
    article_people = index.people()
    for alias, canonical in known_people.items():
        if len(alias.split()) == 1 and alias not in index.by_surname:
            # "Lula" is the article's "Luiz Inacio Lula da Silva" before the vocabulary's name.
            named = [p for p in article_people if alias in p.name.split()]
            index.add(named[0] if len(named) == 1 else Person(canonical), [alias])
    return index


WORD_COUNT_RE = re.compile(r"[^\W\d_][\w-]*")


@dataclass
class WordCounts:
    """How often each word, and each full name, occurs in an article: counted once per article
    instead of one regex scan of the whole text per candidate name."""

    text: str
    words: dict[str, int]

    @classmethod
    def of(cls, text: str) -> WordCounts:
        counts: dict[str, int] = {}
        for word in WORD_COUNT_RE.findall(text):
            counts[word] = counts.get(word, 0) + 1
        return cls(text, counts)

    def used_alone(self, name: list[str], token: str) -> bool:
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


def _is_named_speaker(line: str, end: int) -> bool:
    following = line[end:].split()[:2]
    return bool(following) and following[0].strip(",.") in LEXICON.speech_verbs


def _marker_speaker(
    text: str, people: PeopleIndex, previous: Person | None, line: int | None = None
) -> Person | None:
    """Who a marker line names: the subject of its speech verb, an "according to"/"in X's
    words" name, an office named alone, or a pronoun standing for the last speaker."""
    names = [(m, people.find(m.group(0))) for m in NAME_RUN_RE.finditer(text)]
    names = [(m, p) for m, p in names if p is not None]
    if names and _office_follows(text, names[-1][0]):
        # "Hidayat's spokesperson also noted:" names the spokesperson, not Hidayat.
        return people.find_by_role(text[names[-1][0].end():], line)
    for match, person in names:
        if _is_named_speaker(text, match.end()) or _speaks_after_appositive(text, match.end()):
            return person
    for match, person in names:
        if re.search(r"(?:according\s+to|in)\s+$", text[: match.start()], re.IGNORECASE):
            return person
    if names:
        return names[-1][1]
    by_role = people.find_by_role(text, line)
    if by_role:
        return by_role
    first_word = text.split()[0] if text.split() else ""
    if first_word in LEXICON.pronouns or re.search(r"\b(?:he|she)\b", text):
        return previous
    return _unknown_speaker(text)


def _speaks_after_appositive(text: str, end: int) -> bool:
    """ "Paula Riquelme Soto, chief executive of Lithium Andino, told reporters:"."""
    match = re.match(r"\s*,[^,]{1,80},\s*(?:also\s+|then\s+)?([a-z]+)", text[end:])
    return match is not None and match.group(1) in LEXICON.speech_verbs


def _office_follows(text: str, match: re.Match[str]) -> bool:
    following = text[match.end():].split()[:1]
    possessive = match.group(0).endswith(("'s", "’s"))
    return possessive and bool(following) and following[0].lower() in LEXICON.role_words


def is_marker(line: Line, people: PeopleIndex) -> bool:
    text = line.text.strip()
    if not text.endswith((":", "：")) or TIMESTAMP_RE.match(text) or len(text.split()) > 30:
        return False
    return _names_a_speaker(text, people)


def _names_a_speaker(text: str, people: PeopleIndex) -> bool:
    if any(people.find(m.group(0)) for m in NAME_RUN_RE.finditer(text)):
        return True
    words = _lower_words(text)
    has_verb = bool(words & SPEAKING_WORDS)
    if has_verb and words & LEXICON.role_words:
        return True
    # "He also said:", or a short line pointing back: "Among the details she provided:".
    if words & PRONOUNS and (has_verb or len(words) <= 12):
        return True
    return _unknown_speaker(text) is not None


def _lower_words(text: str) -> set[str]:
    """Lower-cased words, with hyphenated ones also split: "secretary-general" has "secretary"."""
    words = {strip_possessive(w).lower() for w in WORDS_RE.findall(text)}
    return words | {part for w in words for part in w.split("-") if part}


def _unknown_speaker(text: str) -> Person | None:
    """A name the article never spells out in full, followed by a verb of speech ("Smith said:")."""
    for match in NAME_RUN_RE.finditer(text):
        following = text[match.end():].split()[:2]
        tokens = [t for t in match.group(0).split() if t not in LEXICON.stop_words]
        if tokens and following and following[-1 if following[0] == "also" else 0].strip(",:") in LEXICON.speech_verbs:
            return Person(strip_possessive(" ".join(tokens)))
    return None


QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
SELF_REFERENCE_RE = re.compile(
    r"(?:\b(?:this|the|our)\s+(?:story|article|report|page|material|text|piece|post|publication|content)"
    r"|\b(?:this|our)\s+(?:site|website))\b(?!\s+(?:of|on|about)\b)", re.IGNORECASE,
)


def is_boilerplate(
    text: str, people: PeopleIndex, outlets: tuple[frozenset[str], str | None] = (frozenset(), None)
) -> bool:
    """Recognise the outlet talking to its reader or about itself: links, calls to act,
    "Read also: …" labels, "This story has been updated", "If you have noticed an error…",
    and lines whose subject is the outlet ("Sputnik will continue to follow the developments")."""
    if URL_RE.search(text) or READER_RE.search(text) or _about_the_outlet(text, outlets):
        return True
    unquoted = QUOTED_RE.sub(" ", text)  # officials quoted saying "you" or "our" are not the outlet
    raw_words = WORDS_RE.findall(unquoted)
    words = [w.lower() for w in raw_words]
    if not words:
        return not WORDS_RE.search(text)
    # Case matters: "us" addresses the reader, "US" is a country.
    reader = {w.lower() for w in raw_words if w.lower() in LEXICON.reader_words and not w.isupper()}
    channel = not LEXICON.channel_words.isdisjoint(words)
    if any(_calls_to_act(sentence) for sentence in SENTENCE_END_RE.split(unquoted)):
        return True
    if (reader and channel) or reader & {"you", "your", "yours"} or words[0] == "please":
        return True
    if SELF_REFERENCE_RE.search(unquoted) and not _names_anyone(unquoted, people):
        return True
    label = LABEL_RE.match(text)
    if label and len(label["label"].split()) <= 5 and not people.find(label["label"]):
        return True
    return _is_heading(text)


SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


def _calls_to_act(sentence: str) -> bool:
    """ "Stay tuned for more updates", "Follow us on Telegram": an imperative to the reader."""
    raw_words = WORDS_RE.findall(sentence)
    if not raw_words or raw_words[0].lower() not in LEXICON.boilerplate_imperatives:
        return False
    words = {w.lower() for w in raw_words}
    reader = any(w.lower() in LEXICON.reader_words and not w.isupper() for w in raw_words)
    return reader or not LEXICON.channel_words.isdisjoint(words)


def outlet_names(article: Article) -> tuple[frozenset[str], str | None]:
    """The outlets an article may speak of itself as: known news agencies, and the site in its
    own URL ("sputnikglobe" for a copy saved from sputnikglobe.com)."""
    site = None
    if article.url and article.url.count("/") >= 2:
        site = re.sub(r"^www\.", "", article.url.split("/")[2].lower()).split(".")[0] or None
    return frozenset(name.lower() for name in LEXICON.outlets), site


def _about_the_outlet(text: str, outlets: tuple[frozenset[str], str | None]) -> bool:
    """A line whose subject is a news outlet, or a word the article's own site name starts with
    ("Sputnik" of sputnikglobe.com) that names nothing the vocabulary knows ("China" of
    chinadaily.com.cn is still a country)."""
    names, site = outlets
    words = text.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    if not words:
        return False
    first = strip_possessive(words[0].strip(",.:;"))
    if first.lower() in names:
        return True
    return bool(site and len(first) >= 4 and site.startswith(first.lower()) and not VOCABULARY.match(first))


def _names_anyone(text: str, people: PeopleIndex) -> bool:
    return any(people.find(m.group(0)) for m in NAME_RUN_RE.finditer(text))


def _is_heading(text: str) -> bool:
    """A title-cased line without final punctuation ("Related Stories") is navigation."""
    words = text.split()
    if len(words) < 2 or text.rstrip()[-1:] in ".!?\"”’":
        return False
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    return all(w[0].isupper() or w in small or not w[0].isalpha() for w in words)


def _item_span(line: Line) -> tuple[int, int]:
    """Offsets of the item text, without its list marker and surrounding space."""
    marker = LIST_MARKER_RE.match(line.text)
    start = marker.end() if marker and marker.end() < len(line.text.rstrip()) else 0
    stripped = line.text[start:]
    start += len(stripped) - len(stripped.lstrip())
    end = len(line.text.rstrip())
    return line.start + start, line.start + end


def _attribution(text: str, people: PeopleIndex, speaker: Person) -> Person | None:
    """Whom a trailing "…, Putin said." reports on; pronouns point back to the speaker."""
    match = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text)
    if not match:
        return None
    who = re.sub(r"^(?:according\s+to\s+)", "", match["who"].strip(), flags=re.IGNORECASE)
    if who.lower() in {p.lower() for p in LEXICON.pronouns}:
        return speaker
    names = [people.find(m.group(0)) for m in NAME_RUN_RE.finditer(who)]
    named = [p for p in names if p]
    if named:
        return named[-1]
    return people.find_by_role(who)


def is_commitment(text: str) -> bool:
    """Stated intention, readiness, agreement or scheduling; hedges and refusals are not."""
    return bool(COMMITMENT_RE.search(text)) and not HEDGE_RE.search(text)


@dataclass
class _ListItem:
    line: Line
    speaker: Person


def _list_items(article: Article, people: PeopleIndex) -> list[_ListItem]:
    items: list[_ListItem] = []
    speaker: Person | None = None
    last_named: Person | None = None
    title_key = normalise(article.title)
    outlets = outlet_names(article)
    for line in article.lines[article.body_start :]:
        text = line.text.strip()
        if not text:
            continue
        if is_marker(line, people):
            introduced = _introduction(items, speaker, people)
            new_speaker = _marker_speaker(text, people, introduced or last_named, line.number)
            # An office that matches nobody ("The official added:") most likely means whoever
            # the article was last quoting; failing that, its first named official.
            new_speaker = new_speaker or last_named or _first_official(people)
            if new_speaker is None:
                raise ArticleError(
                    f"{article.file_name}: line {line.number}: cannot tell who {text!r} refers to"
                )
            if introduced is not None and introduced == new_speaker:
                items.pop()  # "Minister X welcomed the deal." introduces the next list
            speaker = last_named = new_speaker
            continue
        if speaker is None:
            last_named = _last_named_speaker(text, people) or last_named
            continue
        if is_boilerplate(text, people, outlets) or TIMESTAMP_RE.match(text) or normalise(text) == title_key:
            speaker = None  # the list is over; a later marker may start another
            continue
        items.append(_ListItem(line, speaker))
    return items


def _first_official(people: PeopleIndex) -> Person | None:
    return next((p for p in people.people() if p.role), None)


def _introduction(items: list[_ListItem], speaker: Person | None, people: PeopleIndex) -> Person | None:
    """The person a list's last line introduces with office and full name, if that is not the
    list's own speaker: such a line between two lists leads into the next one."""
    if not items or speaker is None:
        return None
    text = items[-1].line.text
    if ATTRIBUTION_RE.search(text):
        return None  # "…, Energy Minister Sergei Tsivilev said." is a claim, not an introduction
    for match in NAME_RUN_RE.finditer(text):
        title, name = _split_title(match.group(0).split(), PLACES)
        if len(name) < 2:
            continue
        start = match.start() + match.group(0).index(name[0])
        if title or _role_before(text, start, title) or _role_after(text, match.end()):
            person = people.find(" ".join(name))
            if person is not None and person.name != speaker.name:
                return person
    return None


def _last_named_speaker(text: str, people: PeopleIndex) -> Person | None:
    found = None
    for match in NAME_RUN_RE.finditer(text):
        person = people.find(match.group(0))
        if person:
            found = person
    return found


def extract_claims(
    article: Article,
    review_days: int = DEFAULT_REVIEW_DAYS,
    known_people: dict[str, str] | None = None,
) -> list[ExtractedClaim]:
    """Every list item after an attributed marker, de-duplicated, with speaker and deadline."""
    known = known_people if known_people is not None else VOCABULARY.person_aliases
    people = index_people(article, known)
    title_subjects = find_subjects(article.title, people)
    claims: list[ExtractedClaim] = []
    seen: set[str] = set()
    for item in _list_items(article, people):
        start, end = _item_span(item.line)
        quote = article.raw_text[start:end]
        text = re.sub(r"\s+", " ", quote).strip()
        key = normalise(text)
        if not key or key in seen:
            continue
        seen.add(key)
        claims.append(_build_claim(article, item.speaker, text, quote, item.line, start, end,
                                   people, title_subjects, review_days))  # fmt: skip
    if not claims:
        raise ArticleError(
            f"{article.file_name}: no attributed list found (expected a line like "
            "'Ushakov also revealed that:' followed by one assertion per line)"
        )
    return claims


def _build_claim(
    article: Article,
    speaker: Person,
    text: str,
    quote: str,
    line: Line,
    start: int,
    end: int,
    people: PeopleIndex,
    title_subjects: list[Subject],
    review_days: int,
) -> ExtractedClaim:
    commitment = is_commitment(text)
    deadline = find_deadline(text, article.published, is_commitment=commitment)
    stated = deadline.date if deadline else None
    # A claim that names nothing ("The conversation was useful") is about the article's topic.
    attribution = ATTRIBUTION_RE.search(text) or ACCORDING_RE.search(text)
    about = text[: attribution.start()] if attribution else text
    subjects = find_subjects(about, people) or title_subjects
    return ExtractedClaim(
        text=text,
        speaker=speaker,
        attributed_to=_attribution(text, people, speaker),
        subjects=subjects,
        is_commitment=commitment,
        deadline=stated,
        deadline_text=deadline.text if deadline else None,
        follow_up_due=stated or article.published + timedelta(days=review_days),
        status="not-yet-rated" if commitment else None,
        line=line.number,
        char_start=start,
        char_end=end,
        quote=quote,
        claim_key=claim_key(article.sha256, text),
    )
