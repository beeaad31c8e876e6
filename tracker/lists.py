"""List mode: readouts that announce a speaker's statements and give one assertion per line.

A list opens at a *marker*: a line ending in a colon that names a speaker ("Ushakov also
revealed that:", "Statements by Dmitry Peskov, the press secretary:"), a generic one whose
speaker the title or lead names ("The main points:"), a sentence announcing the list ("TASS has
compiled the key statements of the Kremlin spokesman."), or a heading naming the speaker followed
by bullet lines. It closes at a structural break — a new marker, a navigation heading, a run of
the outlet's boilerplate, a plain line after bulleted items, the end of the body — never at a
single doubtful line: a line that is only probably boilerplate stays a claim.

Q&A transcripts are lists too: `Question:` turns hold no claims, `Ushakov:` turns hold his.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tracker.articles import TIMESTAMP_RE, Article, Line
from tracker.attribution import ATTRIBUTION_RE, FoundClaim, institution_speaker
from tracker.boilerplate import is_boilerplate, is_navigation_heading, outlet_names
from tracker.morphology import is_cyrillic
from tracker.people import (
    NAME_RUN_RE,
    PeopleIndex,
    Person,
    is_named_speaker,
    lower_words,
    role_after,
    role_before,
    title_and_name,
)
from tracker.sentences import sentence_spans
from tracker.vocabulary import LEXICON, LOWER_WORDS_RE, strip_possessive

# Characters that carry no text: a heading "prefixed by invisible characters" is the same heading.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\ufe0f\u00ad"
# Glyphs outlets start list items with; emoji bullets are followed by U+FE0F ("▪️").
BULLET_GLYPHS = "•·▪▫◾◽■□●○◦‣∙⁃►▶▸▹➤➢→✹✦✧✱✳✴★☆✔✓✅❗⚡🔹🔸🔺🔻🔴🟢🔵⚫⚪➖*-–—"
NOT_BULLETS = "©®™℗°№"  # symbols that start credits and figures, not list items
NUMBER_BULLET_RE = re.compile(r"\(?\d{1,3}[.)](?=\s)|\(\d{1,3}\)|\(?[a-z][.)](?=\s)")
SPEAKING_WORDS = LEXICON.speech_verbs | {
    "words", "according", "per", "quoting", "quoted", "statement", "view", "opinion",
}  # fmt: skip
PRONOUNS = {p.lower() for p in LEXICON.pronouns}
AUXILIARIES = frozenset(LEXICON.auxiliaries)


@lru_cache(maxsize=8192)
def bullet_end(text: str) -> int:
    """Where a line's item text starts after its bullet glyphs or number (0: no bullet)."""
    index = 0
    found = False
    while index < len(text):
        char = text[index]
        if char.isspace() or char in INVISIBLE:
            index += 1
            continue
        number = NUMBER_BULLET_RE.match(text, index)
        if number and not found:
            index, found = number.end(), True
        elif char in BULLET_GLYPHS or (unicodedata.category(char) == "So" and char not in NOT_BULLETS):
            if char in "-–—*" and text[index + 1 : index + 2].isdigit():
                break  # "-5 degrees" is not a bullet
            index, found = index + 1, True
        else:
            break
    return index if found else 0


def visible(text: str) -> str:
    """The line without invisible characters or surrounding space."""
    return text.strip() if text.isascii() else text.translate(INVISIBLE_TABLE).strip()


INVISIBLE_TABLE = {ord(c): None for c in INVISIBLE}


def item_span(line: Line) -> tuple[int, int]:
    """Offsets of a line's item text, without its bullet or surrounding (invisible) space."""
    start = bullet_end(line.text)
    end = len(line.text.rstrip(" \t\r" + INVISIBLE))
    while start < end and (line.text[start].isspace() or line.text[start] in INVISIBLE):
        start += 1
    if start >= end:  # a line that is all bullet keeps its text
        start = 0
    return line.start + start, line.start + end


def _answer_items(raw: str, line: Line, speaker: Person, offset: int = 0) -> list[FoundClaim]:
    """One claim per sentence of an answer in a Q&A transcript."""
    start, end = item_span(line)
    start = max(start, line.start + offset)
    return [FoundClaim(line, speaker, a, b, "quote") for a, b in sentence_spans(raw, start, end)]


# --- Markers --------------------------------------------------------------------------------


def _ends_in_colon(text: str) -> bool:
    return text.endswith((":", "："))


def is_statement_marker(text: str) -> bool:
    """A line announcing statements without naming whose ("The main points:", "Key takeaways:",
    "Other statements:"): a statement noun in a short line."""
    words = lower_words(text)
    return len(text.split()) <= 15 and not words.isdisjoint(LEXICON.statement_nouns)


def is_announcement(text: str) -> bool:
    """A sentence announcing a list: "TASS has compiled the key statements of the Kremlin
    spokesman." — a gathering verb (or "here are") and a statement noun."""
    if not text.endswith(".") or len(text) > 250:
        return False
    words = set(LOWER_WORDS_RE.findall(text.lower()))
    if words.isdisjoint(LEXICON.statement_nouns):
        return False
    return (not words.isdisjoint(LEXICON.gathering_verbs) or "following" in words
            or text.lower().startswith(("here are", "below are")))  # fmt: skip


TURN_LABEL_RE = re.compile(r"^([^:：]{1,60})[:：]\s*(.*)$")
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?])\s+")
HEADING_WORDS_RE = re.compile(r"[\w'’-]+")


def turn_label(text: str, people: PeopleIndex) -> tuple[str, Person | None, str] | None:
    """A Q&A turn: ("question", None, rest) for "Question: …", ("answer", person, rest) for
    "Ushakov: …" — a label of at most four words naming a person, then the turn's text."""
    if ":" not in text[:62] and "：" not in text[:62]:
        return None
    match = TURN_LABEL_RE.match(text)
    if not match:
        return None
    label, rest = match.group(1).strip(), match.group(2)
    if label.lower().rstrip(".") in LEXICON.question_labels:
        return "question", None, rest
    if label.lower().rstrip(".") in LEXICON.answer_labels:
        return "answer", None, rest  # the official the transcript is of
    if len(label.split()) > 4 or not label[:1].isupper():
        return None
    person = people.find(label)
    if person is None or not _is_name_only(label):
        return None
    return "answer", person, rest


def _is_name_only(label: str) -> bool:
    """ "Ushakov", "Dmitry Peskov", "D. Peskov" — not "Ushakov also revealed that"."""
    return all(w[:1].isupper() for w in label.replace(".", ". ").split())


def marker_speaker(text: str, people: PeopleIndex, previous: Person | None, line: int | None = None) -> Person | None:
    """Whose statements a marker announces: the subject of its speech verb ("Ushakov told
    reporters:"), a possessive ("Ushakov's briefing on the call between Putin and Trump. The main
    points:"), a name or office after "by"/"from"/"of"/"according to", an office named alone,
    or a pronoun standing for the last speaker. Other people the line mentions are not it."""
    names = people.named_in(text)
    for match, person in names:
        if is_named_speaker(text, match.end()) or _speaks_after_appositive(text, match.end()):
            return person
    anonymous = anonymous_speaker(text)
    if anonymous is not None:
        return anonymous
    for match, person in names:
        if _office_follows(text, match):
            # "Hidayat's spokesperson also noted:" names the spokesperson, not Hidayat.
            holder = people.find_by_role(text[match.end():], line)
            if holder is not None:
                return holder
    for match, person in names:
        if _possessive(match):
            return person
    for match, person in names:
        if re.search(r"(?:\b(?:according\s+to|in|by|from|of)\s+(?:[A-Z][\w-]*\s+){0,6})$", text[: match.start()]):
            return person
    institution = _institution(text, people, line)
    if institution is not None:
        return institution
    if _institution_heading(text):  # "Минобороны РФ:", "The ministry said:"
        return institution_speaker(_before_speech_verb(text.rstrip(":： ")), people, line)
    role = _role_phrase(text)
    if role:
        by_role = people.find_by_role(role, line)
        if by_role:
            return by_role
    if names:
        return names[0][1]
    by_role = people.find_by_role(text, line)
    if by_role:
        return by_role
    first_word = text.split()[0] if text.split() else ""
    if first_word in LEXICON.pronouns or re.search(r"\b(?:he|she)\b", text):
        return previous
    return unknown_speaker(text)


ROLE_PHRASE_RE = re.compile(r"\b(?:by|from|of|according\s+to)\s+(?:the\s+|a\s+|an\s+)?([^,.:;()\"“”]{1,80})")


def _role_phrase(text: str) -> str | None:
    """The office a marker names after "by"/"from"/"of" ("Other statements by the presidential
    press secretary:", "the main points of the minister's speech")."""
    for match in ROLE_PHRASE_RE.finditer(text):
        words = match.group(1).split()[:8]
        for end in range(len(words), 0, -1):
            if _is_office_word(words[end - 1]):
                return " ".join(words[:end])
    return None


INSTITUTION_RE = re.compile(
    r"\b(?:the\s+)?(?P<name>(?:[A-Z][\w-]*\s+){0,3}(?:" + "|".join(sorted(LEXICON.institution_words)) + r"))['’]s\b"
)


def _institution(text: str, people: PeopleIndex, line: int | None) -> Person | None:
    """ "Key points of the Kremlin's readout:": its spokesperson, or the institution itself."""
    match = INSTITUTION_RE.search(text)
    return institution_speaker(match["name"], people, line) if match else None


def _institution_heading(text: str) -> bool:
    """A short line that is an institution's name and a colon: "Минобороны РФ:", "Kremlin:"."""
    words = text.rstrip(":： ").split()
    return (_ends_in_colon(text) and 0 < len(words) <= 4
            and any(w in LEXICON.institution_words for w in words))  # fmt: skip


def _before_speech_verb(text: str) -> str:
    """ "The Kremlin also said" -> "The Kremlin": the words before the first verb of speech."""
    words = text.split()
    for index, word in enumerate(words):
        if word.lower() in LEXICON.speech_verbs:
            kept = words[:index]
            return " ".join(kept[:-1] if kept and kept[-1].lower() == "also" else kept) or text
    return text


def _is_office_word(word: str) -> bool:
    parts = strip_possessive(word).lower().split("-")
    return parts[-1] in LEXICON.role_words


def _speaks_after_appositive(text: str, end: int) -> bool:
    """ "Paula Riquelme Soto, chief executive of Lithium Andino, told reporters:"."""
    match = re.match(r"\s*,[^,]{1,80},\s*(?:also\s+|then\s+)?([a-z]+)", text[end:])
    return match is not None and match.group(1) in LEXICON.speech_verbs


def _possessive(match: re.Match[str]) -> bool:
    return match.group(0).endswith(("'s", "’s"))


def _office_follows(text: str, match: re.Match[str]) -> bool:
    following = text[match.end():].split()[:1]
    return _possessive(match) and bool(following) and following[0].lower() in LEXICON.role_words


def names_a_speaker(text: str, people: PeopleIndex) -> bool:
    if people.named_in(text) or _institution_heading(text):
        return True
    words = lower_words(text)
    has_verb = bool(words & SPEAKING_WORDS)
    if has_verb and words & LEXICON.role_words:
        return True
    # "He also said:", or a short line pointing back: "Among the details she provided:".
    if words & PRONOUNS and (has_verb or len(words) <= 12):
        return True
    return unknown_speaker(text) is not None or anonymous_speaker(text) is not None


def unknown_speaker(text: str) -> Person | None:
    """A name the article never spells out in full, followed by a verb of speech ("Smith said:")."""
    for match in NAME_RUN_RE.finditer(text):
        following = text[match.end():].split()[:2]
        tokens = [t for t in match.group(0).split() if t not in LEXICON.stop_words]
        if tokens and following and following[-1 if following[0] == "also" else 0].strip(",:") in LEXICON.speech_verbs:
            if all(len(token) == 1 for token in tokens):
                return UNIDENTIFIED  # "Q said:": an initial or a transcript's label names nobody
            return Person(strip_possessive(" ".join(tokens)))
    return None


UNIDENTIFIED = Person("unidentified speaker", kind="unresolved")
ANONYMOUS_RE = re.compile(
    r"^(?:(?P<article>an?|one|the|two|three|several)\s+)?(?P<phrase>(?:[\w-]+\s+){0,4}?(?:[\w-]+))\s+(?:also\s+)?(?:"
    + "|".join(sorted(LEXICON.speech_verbs)) + r")\b",
    re.IGNORECASE,
)


def anonymous_speaker(text: str, definite: bool = False) -> Person | None:
    """A speaker the article does not name: "A ministry official told reporters:" is recorded as
    "ministry official", marked unresolved, rather than losing the list. "The official said:"
    (definite) usually means someone named before, so it only counts when `definite` is allowed."""
    match = ANONYMOUS_RE.match(text)
    if not match or ((match["article"] or "").lower() == "the" and not definite):
        return None
    phrase = match["phrase"]
    words = phrase.lower().split()
    head = words[-1]
    if not (_is_office_word(head) or _is_office_word(head.removesuffix("s")) or head in LEXICON.source_words):
        return None
    if match["article"] is None:  # "Officials said:", "Russian diplomats told reporters:"
        if not head.endswith("s") or words[0] in LEXICON.pronouns:
            return None  # "Minister said:" is a headline's shorthand for someone named before
        phrase = phrase[0].lower() + phrase[1:] if len(words) == 1 else phrase
    return Person(phrase, kind="unresolved")


# --- The article's main speaker ---------------------------------------------------------------


SPEECH_EVENTS = LEXICON.speech_events


def speaking_person(text: str, people: PeopleIndex) -> Person | None:
    """The last person a line shows speaking: the subject of a verb of speech, a possessive before
    a speech event ("Peskov's briefing"), or a name after "briefing by"."""
    found = None
    for match, person in people.named_in(text):
        following = text[match.end():].split()[:1]
        after = [w.lower().strip(",.") for w in text[match.end():].split()[:3]]
        if (is_named_speaker(text, match.end()) or _speaks_after_appositive(text, match.end())
                or (is_cyrillic(text) and not SPEECH_EVENTS.isdisjoint(after))  # "провела брифинг"
                or (_possessive(match) and following
                    and following[0].lower().strip(",.") in SPEECH_EVENTS)
                or re.search(r"\b(?:by|from|of)\s+(?:[\w-]+\s+){0,6}$", text[: match.start()])):  # fmt: skip
            found = person
    return found


# --- Reading the lists --------------------------------------------------------------------------


@dataclass
class _State:
    speaker: Person | None = None
    bulleted: bool | None = None  # the open list's style, from its first item
    items_in_list: int = 0
    boilerplate_run: int = 0
    question: bool = False  # inside a question turn of a Q&A
    answering: bool = False  # inside an official's answer turn
    instructions: bool = False  # the marker gives orders ("the deputy prime minister instructed:")


def list_items(article: Article, people: PeopleIndex) -> tuple[list[FoundClaim], set[int]]:
    """Every claim line of every list in the article, with its speaker; and the numbers of the
    lines the lists took (markers, items, headings and outlet lines inside them), which prose
    mode leaves alone."""
    items: list[FoundClaim] = []
    taken: set[int] = set()
    questions_seen = False  # answer turns ("Ushakov: …") only count in a Q&A transcript
    dialogue = False  # an interview whose turns start with a dash
    transcript = not lower_words(article.title).isdisjoint(LEXICON.transcript_words)
    state = _State()
    last_named: Person | None = None
    context: Person | None = speaking_person(article.title, people)
    title_key = _key(article.title)
    outlets = outlet_names(article)
    body = article.lines[article.body_start :]
    texts = [visible(line.text) for line in body]
    next_texts = _next_texts(body, texts)
    raw = article.raw_text
    for index, line in enumerate(body):
        text = texts[index]
        if not text or TIMESTAMP_RE.match(text) or (_is_title(text, title_key) and not _ends_in_colon(text)):
            continue  # the title repeated is not a claim (the title with a colon is a marker)
        following = next_texts[index]
        # body holds every line in order, so a line's index is its number's offset
        if following is not None and LABEL_LINE_RE.match(following.text) and is_boilerplate(
                texts[following.number - body[0].number], people, outlets):  # fmt: skip
            following = next_texts[following.number - body[0].number] or following  # "Фото: …" under a heading
        if state.speaker is not None:
            taken.add(line.number)
        dash = DASH_TURN_RE.match(text)
        if dash and (text.endswith("?") or dialogue):
            # An interview in dashes: "— Question?" then "— Answer." (a list led by dashes has
            # no question in it, so it is read as a list)
            dialogue = True
            taken.add(line.number)
            state.question = text.endswith("?")
            if not state.question:
                person = state.speaker or context or last_named or _first_official(people)
                if person is not None:
                    _open(state, person)
                    state.answering = True
                    items.extend(_answer_items(raw, line, person))
            continue
        turn = turn_label(text, people)
        if turn is not None and turn[0] == "answer" and turn[2].strip() and not questions_seen:
            turn = None  # "Peskov: reception to be held…" outside a Q&A is a headline
        if turn is not None:
            kind, person, rest = turn
            state.question = kind == "question"
            questions_seen = questions_seen or state.question
            if person is not None or kind == "answer":
                person = person or state.speaker or context
                if person is not None:
                    taken.add(line.number)
                    _open(state, person)
                    state.answering = True
                    if rest.strip():
                        items.extend(_answer_items(raw, line, person, max(line.text.rfind(rest.strip()), 0)))
            continue
        if _opens_list(text, following, people):
            introduced = _introduction(items, state.speaker, people)
            speaker = marker_speaker(text, people, introduced or last_named, line.number)
            speaker = (speaker or context or last_named or _first_official(people)
                       or anonymous_speaker(text, definite=True)
                       or UNIDENTIFIED)  # fmt: skip
            if introduced is not None and introduced == speaker:
                items.pop()  # "Minister X welcomed the deal." introduces the next list
            _open(state, speaker)
            state.instructions = not lower_words(text).isdisjoint(LEXICON.instruction_verbs)
            # a transcript's paragraphs are the official's words, one claim a sentence
            state.answering = transcript and not _is_bullet(following)
            taken.add(line.number)
            last_named = speaker
            continue
        if state.speaker is None and transcript and context is not None and _is_topic_heading(text, following):
            _open(state, context)  # a briefing's transcript: under each topic, the official's words
            state.answering = True
            taken.add(line.number)
            continue
        if state.speaker is None:
            last_named = _last_named_speaker(text, people) or last_named
            context = speaking_person(text, people) or context
            continue
        if not any(char.isalnum() for char in text):
            _close(state)  # "* * *": the transcript or selection is over
            continue
        if state.question:
            continue
        after_bullet = bullet_end(line.text)
        if is_boilerplate(visible(line.text[after_bullet:]), people, outlets):
            state.boilerplate_run += 1
            if state.boilerplate_run >= 2:
                _close(state)  # a run of the outlet's lines: the list is over
            continue
        bullet = after_bullet > 0
        if _is_subheading(text, bullet, following, state):
            continue  # "On the drone attack", followed by the speaker's points on it
        named = people.named_in(text) if _is_name_only(text) and len(text.split()) <= 4 else []
        if named and named[0][0].group(0) == text:
            _open(state, named[0][1])  # a speaker heading ("Дмитрий Песков") above the points
            continue
        if is_navigation_heading(text) or (_ends_in_colon(text) and not state.answering):
            _close(state)  # "Among the topics:" opens a list of something other than statements
            continue
        if state.bulleted is None:
            state.bulleted = bullet
        elif state.bulleted and not bullet and state.items_in_list and not _is_bullet(following):
            _close(state)  # a plain line after bulleted items: back to the article's text
            taken.discard(line.number)
            last_named = _last_named_speaker(text, people) or last_named
            continue
        state.boilerplate_run = 0
        state.items_in_list += 1
        if state.answering:
            items.extend(_answer_items(raw, line, state.speaker))
        else:
            items.append(FoundClaim(line, state.speaker, *item_span(line), instruction=state.instructions))
    return items, taken


DASH_TURN_RE = re.compile(r"^[—–]\s+")
LABEL_LINE_RE = re.compile(r"^\s*[^\W\d_][\w ]{0,20}:")


def _is_bullet(line: Line | None) -> bool:
    return line is not None and bullet_end(line.text) > 0


def _open(state: _State, speaker: Person) -> None:
    state.speaker, state.bulleted, state.items_in_list, state.boilerplate_run = speaker, None, 0, 0
    state.question = state.answering = state.instructions = False


def _close(state: _State) -> None:
    state.speaker = None
    state.question = state.answering = False


def _is_title(text: str, title_key: str) -> bool:
    """The title repeated (in any case or punctuation); cheap for the lines that are not."""
    return abs(len(text) - len(title_key)) <= 12 and _key(text) == title_key


def _key(text: str) -> str:
    return NON_WORD_RE.sub(" ", visible(text).casefold()).strip()


NON_WORD_RE = re.compile(r"\W+")


def _next_texts(lines: list[Line], texts: list[str]) -> list[Line | None]:
    """For each line, the next line with visible text (`texts`: the lines' visible texts)."""
    following: list[Line | None] = []
    upcoming = None
    for line, text in zip(reversed(lines), reversed(texts)):
        following.append(upcoming)
        if text:
            upcoming = line
    return following[::-1]


def _opens_list(text: str, following: Line | None, people: PeopleIndex) -> bool:
    """A marker: a colon line naming a speaker or announcing statements, an announcing sentence,
    or a heading naming statements followed by a bullet line."""
    if len(text.split()) > 40:
        return False
    if _ends_in_colon(text):
        if len(text.split()) > 30:
            return False
        last_sentence = SENTENCE_BREAK_RE.split(text)[-1]
        return names_a_speaker(text, people) or is_statement_marker(last_sentence)
    if text.endswith("."):
        last_sentence = SENTENCE_BREAK_RE.split(text)[-1]
        # "Среди главных заявлений секретаря Совбеза." above numbered points
        short_marker = len(last_sentence.split()) <= 8 and _is_bullet(following) and is_statement_marker(last_sentence)
        return is_announcement(text) or (last_sentence != text and is_announcement(last_sentence)) or short_marker
    # A heading naming the speaker or announcing statements, then bullet lines: "Vladimir Putin
    # at the plenary session", "Peskov's key statements".
    if not _is_bullet(following) or text.endswith(("!", "?", ";")) or bullet_end(text) > 0:
        return False
    return len(text.split()) <= 14 and (is_statement_marker(text) or bool(people.named_in(text)))


def _is_subheading(text: str, bullet: bool, following: Line | None, state: _State) -> bool:
    """A topic heading inside a list ("On the drone attack", "About the President's schedule"):
    no bullet, no final punctuation, no verb, and the speaker's points follow it."""
    if bullet or text.endswith((".", "!", "?", ";", ":", '"', "”", "»")) or len(text.split()) > 25:
        return False
    if following is None:
        return False
    words = [w.lower() for w in HEADING_WORDS_RE.findall(text)]
    if not AUXILIARIES.isdisjoint(words) or not words:
        return False
    starts_topic = words[0] in LEXICON.topic_heading_words
    if len(words) > 14 and not starts_topic:
        return False  # a long line is a heading only when it says what topic it opens
    if state.bulleted or (state.bulleted is None and not state.items_in_list):
        return _is_bullet(following) or starts_topic  # a topic heading, then its bulleted points
    return starts_topic


def _is_topic_heading(text: str, following: Line | None) -> bool:
    """ "О ситуации вокруг …", "On the situation in …": a short line naming a topic, no final
    punctuation, text after it."""
    words = [w.lower() for w in HEADING_WORDS_RE.findall(text)]
    return (bool(words) and words[0] in LEXICON.topic_heading_words and len(words) <= 25
            and not text.endswith((".", "!", "?", ";", ":")) and following is not None)  # fmt: skip


def _first_official(people: PeopleIndex) -> Person | None:
    return next((p for p in people.people() if p.role), None)


def _introduction(items: list[FoundClaim], speaker: Person | None, people: PeopleIndex) -> Person | None:
    """The person a list's last line introduces with office and full name, if that is not the
    list's own speaker: such a line between two lists leads into the next one."""
    if not items or speaker is None:
        return None
    text = items[-1].line.text
    if ATTRIBUTION_RE.search(text):
        return None  # "…, Energy Minister Sergei Tsivilev said." is a claim, not an introduction
    for match in NAME_RUN_RE.finditer(text):
        title, name = title_and_name(match.group(0))
        if len(name) < 2:
            continue
        start = match.start() + match.group(0).index(name[0])
        if title or role_before(text, start, title) or role_after(text, match.end()):
            person = people.find(" ".join(name))
            if person is not None and person.name != speaker.name:
                return person
    return None


def _last_named_speaker(text: str, people: PeopleIndex) -> Person | None:
    named = people.named_in(text)
    return named[-1][1] if named else None
