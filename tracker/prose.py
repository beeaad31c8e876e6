"""Prose mode: statements in running text, attributed by reported or direct speech.

Each sentence outside a list is tested cheaply (a verb of saying, "according to", a quotation
mark) before any pattern runs. An attributed sentence becomes a claim whose text is the
assertion without its attribution ("Peskov told reporters that X" -> "X"; "'X,' Ushakov said"
-> "X"); a quotation of several sentences gives one claim per sentence, and a quotation that
follows an attributed one without an attribution of its own continues it. The speaker is a name
the article gives, a pronoun or office standing for the person last named for it, or an
institution (its spokesperson when the article names one, otherwise the institution itself).
The journalist's own narration is never a claim. Cue words live in lexicon.yml (following
Citron's cue-verb/source/content model), so another language is data, not a fork.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.articles import TIMESTAMP_RE, Article, Line
from tracker.attribution import FoundClaim, institution_speaker
from tracker.boilerplate import is_boilerplate, outlet_names
from tracker.people import PeopleIndex, Person, lower_words
from tracker.sentences import sentence_spans
from tracker.vocabulary import LEXICON

VERB = r"(?:" + "|".join(sorted(LEXICON.prose_speech_verbs, key=len, reverse=True)) + r")"
OPEN_QUOTES = "\"“«‘"
CLOSE_QUOTES = "\"”»’"
# The speaker phrase: a name, a pronoun, or an office/institution with its modifiers.
WHO = r"(?P<who>[^\s,.;:!?\"“”«»][^,.;:!?\"“”«»]{0,90}?)"
# Words that may follow the verb before the content: "told reporters on Tuesday that".
AFTER_VERB = r"(?:\s+(?!that\b)[^\s,.;:\"“”«»]+){0,7}?"

# "X said (on Tuesday) that CONTENT" / "X told reporters: CONTENT"
REPORTED_BEFORE_RE = re.compile(
    rf"^(?:(?:[A-Z][\w-]*\s+)?(?:on|in|at|later|earlier|separately|meanwhile)\b[^,]{{0,40}},\s*)?{WHO}"
    rf"(?:,[^,]{{1,90}},)?\s+(?:also\s+|later\s+|separately\s+|further\s+|has\s+|had\s+|then\s+)?"
    rf"(?P<verb>{VERB})\b{AFTER_VERB}(?:\s+that\b|\s*:)\s*(?P<content>.+)$"
)
# "CONTENT, X said (on Tuesday)." / "CONTENT, said X."
REPORTED_AFTER_RE = re.compile(
    rf"^(?P<content>.+?),\s*(?:{WHO}\s+(?:also\s+|later\s+|has\s+|had\s+)?(?P<verb>{VERB})\b(?P<tail>[^\"“”]*?)"
    rf"|(?P<verb2>{VERB})\s+{WHO.replace('who', 'who2')})\s*[.!]?$"
)
# "According to X, CONTENT." / "In the words of X, CONTENT." / "In her words, CONTENT."
ACCORDING_BEFORE_RE = re.compile(
    r"^(?:according\s+to|in\s+the\s+words\s+of|citing|as\s+(?:\w+\s+){1,6}?(?:said|noted|put\s+it))\s+"
    r"(?P<who>[^,]{1,90}),\s*(?P<content>.+)$|^in\s+(?P<who2>his|her|their)\s+words,\s*(?P<content2>.+)$",
    re.IGNORECASE,
)
ACCORDING_AFTER_RE = re.compile(r"^(?P<content>.+?),?\s+according\s+to\s+(?P<who>[^,]{1,90}?)\s*[.!]?$", re.IGNORECASE)
# "'CONTENT,' X said." / "'CONTENT,' said X." — the quotation before its attribution.
QUOTE_FIRST_RE = re.compile(
    rf"^[{OPEN_QUOTES}](?P<content>.+?)[,.!?]?[{CLOSE_QUOTES}]\s*,?\s*(?:{WHO}\s+(?:also\s+|then\s+)?(?P<verb>{VERB})\b"
    rf"|(?P<verb2>{VERB})\s+{WHO.replace('who', 'who2')})(?P<tail>[^{OPEN_QUOTES}]*?)"
    rf"(?:[.,]\s*[{OPEN_QUOTES}](?P<rest>.+?)[{CLOSE_QUOTES}]?)?\s*[.!]?$"
)
WHOLE_QUOTE_RE = re.compile(rf"^[{OPEN_QUOTES}](?P<content>.+?)[{CLOSE_QUOTES}]\s*$")
QUOTE_CUE_RE = re.compile(rf"[{OPEN_QUOTES}]")


@dataclass
class _Context:
    people: PeopleIndex
    last_speaker: Person | None = None  # whom "he said" and "the spokesman added" mean
    quoting: Person | None = None  # a quotation left open by the previous sentence


def prose_claims(article: Article, people: PeopleIndex, skip_lines: set[int]) -> list[FoundClaim]:
    """Attributed statements in the body lines that no list took."""
    context = _Context(people)
    outlets = outlet_names(article)
    found: list[FoundClaim] = []
    raw = article.raw_text
    for line in article.lines[article.body_start :]:
        if line.number in skip_lines or not line.text.strip() or TIMESTAMP_RE.match(line.text.strip()):
            context.quoting = None
            continue
        if line.text.strip() == article.title.strip() or is_boilerplate(line.text.strip(), people, outlets):
            continue
        for start, end in sentence_spans(raw, line.start, line.end):
            found.extend(_sentence_claims(raw, line, start, end, context))
    return found


def _cued(sentence: str) -> bool:
    words = lower_words(sentence)
    return (not words.isdisjoint(LEXICON.prose_speech_verbs) or "according" in words or "words" in words
            or QUOTE_CUE_RE.search(sentence) is not None)  # fmt: skip


# "MOSCOW, June 17 (MNS) - ", "Asked whether Putin would attend, ": what comes before the
# sentence's own subject.
LEAD_IN_RE = re.compile(
    r"^(?:[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z]\w+\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s*)?"
    r"(?:(?:Asked|When\s+asked|Commenting|Speaking|Responding|Referring)\b[^,]{0,160},\s*)?"
)


def _sentence_claims(raw: str, line: Line, start: int, end: int, context: _Context) -> list[FoundClaim]:
    start += LEAD_IN_RE.match(raw[start:end]).end()  # type: ignore[union-attr]
    sentence = raw[start:end]
    if not _cued(sentence):
        context.quoting = None
        return []
    quote = QUOTE_FIRST_RE.match(sentence)
    if quote:
        speaker = _resolve(quote["who"] or quote["who2"], context)
        if speaker is not None:
            claims = _quoted(raw, line, start + quote.start("content"), start + quote.end("content"), speaker)
            if quote["rest"]:
                claims += _quoted(raw, line, start + quote.start("rest"), start + quote.end("rest"), speaker)
                context.quoting = speaker if not sentence.rstrip().endswith(tuple(CLOSE_QUOTES)) else None
            else:
                context.quoting = None
            return claims
    whole = WHOLE_QUOTE_RE.match(sentence) or (context.quoting and re.match(r"^(?P<content>.+)$", sentence))
    if whole and context.quoting is not None:
        return _quoted(raw, line, start + whole.start("content"), start + whole.end("content"), context.quoting)
    context.quoting = None
    for pattern, form in ((ACCORDING_BEFORE_RE, "reported"), (REPORTED_BEFORE_RE, "reported"),
                          (ACCORDING_AFTER_RE, "reported"), (REPORTED_AFTER_RE, "reported")):  # fmt: skip
        match = pattern.match(sentence)
        if not match:
            continue
        who = match.groupdict().get("who") or match.groupdict().get("who2")
        speaker = _resolve(who, context)
        if speaker is None:
            continue
        group = "content" if match.groupdict().get("content") else "content2"
        content_start, content_end = start + match.start(group), start + match.end(group)
        content = raw[content_start:content_end]
        if QUOTE_CUE_RE.match(content.strip()) and content.strip()[-1:] in CLOSE_QUOTES + ".":
            return _quoted(raw, line, content_start, content_end, speaker)
        claim = _claim(raw, line, content_start, content_end, speaker, form)
        return [claim] if claim is not None else []
    return []


def _quoted(raw: str, line: Line, start: int, end: int, speaker: Person) -> list[FoundClaim]:
    """One claim per sentence of a quotation, without its quotation marks."""
    claims = []
    for a, b in sentence_spans(raw, start, end):
        claim = _claim(raw, line, a, b, speaker, "quote")
        if claim is not None:
            claims.append(claim)
    return [c for c in claims if c is not None]


def _claim(raw: str, line: Line, start: int, end: int, speaker: Person, form: str) -> FoundClaim | None:
    while start < end and (raw[start].isspace() or raw[start] in OPEN_QUOTES + CLOSE_QUOTES):
        start += 1
    while end > start and (raw[end - 1].isspace() or raw[end - 1] in OPEN_QUOTES + CLOSE_QUOTES + ",.;:"):
        end -= 1
    if len(raw[start:end].split()) < 3:
        return None
    return FoundClaim(line, speaker, start, end, form)


PRONOUN_WORDS = {"he", "she", "they", "his", "her", "their"}


def _resolve(who: str | None, context: _Context) -> Person | None:
    """The person a speaker phrase stands for; None when it is no speaker at all."""
    if not who:
        return None
    who = who.strip()
    words = who.split()
    if not words or len(words) > 12:
        return None
    lowered = who.lower()
    if lowered in PRONOUN_WORDS or lowered.split()[-1] in PRONOUN_WORDS and len(words) <= 2:
        return context.last_speaker
    if words[0].lower() in LEXICON.non_speaker_starts:
        return None
    people = context.people
    named = people.named_in(who)
    if named:
        context.last_speaker = named[-1][1]
        return named[-1][1]
    word_set = lower_words(who)
    if not word_set.isdisjoint(LEXICON.role_words):
        by_role = people.find_by_role(who)
        if by_role is not None:
            context.last_speaker = by_role
            return by_role
        if context.last_speaker is not None and lowered.startswith("the "):
            return context.last_speaker
        return Person(re.sub(r"^(?:an?|the|one)\s+", "", who, flags=re.IGNORECASE), kind="unresolved")
    if not word_set.isdisjoint(LEXICON.institution_words_lower) and len(words) <= 5:
        speaker = institution_speaker(re.split(r"\s+(?:in|on)\s+", who)[0], people)
        if speaker.kind == "person":
            context.last_speaker = speaker
        return speaker
    return None
