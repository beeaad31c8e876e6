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
from tracker.morphology import could_be_name, head_in_nominative, is_cyrillic
from tracker.people import PeopleIndex, Person, is_named_speaker, lower_words
from tracker.sentences import sentence_spans
from tracker.vocabulary import LEXICON

VERB = r"(?:" + "|".join(sorted(LEXICON.prose_speech_verbs, key=len, reverse=True)) + r")"
OPEN_QUOTES = "\"“«‘"
CLOSE_QUOTES = "\"”»’"
# The speaker phrase: a name, a pronoun, or an office/institution with its modifiers.
WHO = r"(?P<who>[^\s,.;:!?\"“”«»][^,.;:!?\"“”«»]{0,90}?)"
# Russian adverbs between the speaker and the verb ("Захарова также отметила, что…").
ADVERB = r"(?:также|ранее|затем|вновь|уже|еще|ещё|позднее|тогда|дополнительно|отдельно)"
# A dash may introduce a Russian attribution after a quotation: "«…», — сказал Ушаков."
DASH = r"(?:[—–-]+\s*)?"
# The speaker after the verb runs to the punctuation: "…», — сказал помощник президента."
WHO_AFTER_VERB = r"(?P<who2>[^\s,.;:!?\"“”«»][^,.;:!?\"“”«»]{0,90})"
# Words that may follow the verb before the content: "told reporters on Tuesday that".
AFTER_VERB = (
    r"(?:\s+(?!that\b|(?:is|are|was|were|has|have|had|will|would|showed|shows|proved|means|meant|suggests"
    r"|suggested|indicates|indicated|demonstrated|demonstrates)\b)[^\s,.;:\"“”«»]+){0,7}?"
)

# "X said (on Tuesday) that CONTENT" / "X told reporters: CONTENT"
REPORTED_BEFORE_RE = re.compile(
    rf"^(?:(?:[A-Z][\w-]*\s+)?(?:on|in|at|later|earlier|separately|meanwhile)\b[^,]{{0,40}},\s*)?{WHO}"
    rf"(?:,[^,]{{1,90}},)?\s+(?:also\s+|later\s+|separately\s+|further\s+|has\s+|had\s+|then\s+|{ADVERB}\s+)?"
    rf"(?P<verb>{VERB})\b{AFTER_VERB}(?:\s+that\b|,?\s+что\b|\s*:)\s*(?P<content>.+)$"
)
# "Fidan said Türkiye is ready to host…": a verb of saying followed straight by the content.
BARE_VERB = r"(?:said|says|added|noted|stressed|confirmed|announced|insisted|warned|argued|claimed|believes|thinks|estimated|predicted|acknowledged|reiterated|emphasized|emphasised|underlined|underscored|promised|assured|maintained)"
REPORTED_BARE_RE = re.compile(
    rf"^{WHO}(?:,[^,]{{1,90}},)?\s+(?:also\s+|later\s+|separately\s+|further\s+|has\s+|had\s+|then\s+)?"
    rf"(?P<verb>{BARE_VERB})\s+(?!that\b|on\b|in\b|at\b|it\b|so\b|yes\b|no\b|goodbye\b|nothing\b)(?P<content>[\w“\"].{{12,}})$"
)
# "CONTENT, X said (on Tuesday)." / "CONTENT, said X."
REPORTED_AFTER_RE = re.compile(
    rf"^(?P<content>.+?),\s*{DASH}(?:{WHO}\s+(?:also\s+|later\s+|has\s+|had\s+|{ADVERB}\s+)?(?P<verb>{VERB})\b(?P<tail>[^\"“”]*?)"
    rf"|(?P<verb2>{VERB})\s+(?P<who2>[^\s,.;:!?\"“”«»][^,.;:!?\"“”«»]{{0,160}}?)(?P<tail2>,[^\"“”]*?)?)\s*[.!]?$"
)
# "According to X, CONTENT." / "In the words of X, CONTENT." / "In her words, CONTENT."
ACCORDING_BEFORE_RE = re.compile(
    r"^(?:according\s+to|in\s+the\s+words\s+of|citing|as\s+(?:\w+\s+){1,6}?(?:said|noted|put\s+it)"
    r"|по\s+(?:словам|мнению|данным|оценке|информации)|как\s+стало\s+известно\s+(?:из|от|у)"
    r"|как\s+(?:также\s+|ранее\s+)?" + VERB + r")\s+"
    r"(?P<who>[^,]{1,90}),\s*(?:(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}),\s*)?(?P<content>.+)$|^(?:in|по)\s+(?P<who2>his|her|their|его|ее|её|их)\s+(?:words|словам|мнению|оценке|данным),\s*(?P<content2>.+)$",
    re.IGNORECASE,
)
ACCORDING_AFTER_RE = re.compile(
    r"^(?P<content>.+?),?\s+(?:according\s+to|по\s+словам|по\s+мнению|по\s+данным)\s+(?P<who>[^,]{1,90}?)\s*[.!]?$",
    re.IGNORECASE,
)
# "'CONTENT,' X said." / "'CONTENT,' said X." — the quotation before its attribution.
QUOTE_FIRST_RE = re.compile(
    rf"^[{OPEN_QUOTES}](?P<content>.+?)[,.!?]?[{CLOSE_QUOTES}]\s*,?\s*{DASH}(?:{WHO}\s+(?:also\s+|then\s+|{ADVERB}\s+)?(?P<verb>{VERB})\b"
    rf"|(?P<verb2>{VERB})\s+{WHO_AFTER_VERB})(?P<tail>(?:[^{OPEN_QUOTES}]|«[^»]{{1,40}}»)*?)"
    rf"(?:[.,]\s*[{OPEN_QUOTES}](?P<rest>.+?)[{CLOSE_QUOTES}]?)?\s*[.!]?$"
)
# "Such a meeting, he said, remains on the agenda.": the attribution inside the sentence.
MID_ATTRIBUTION_RE = re.compile(
    rf"^(?P<first>[^,\"“”]{{8,}}?),\s*(?:{WHO}\s+(?P<verb>{VERB})(?:\s+[^,\s]+){{0,3}}"
    rf"|(?P<verb2>{VERB})\s+(?P<who2>[^,.;:!?\"“”«»]{{1,60}}))"  # "Американская сторона, добавил он, …"
    rf",\s*(?P<second>[^\"“”]{{8,}})$"
)
# "…, he said, adding that …", "…, сказал он, добавив …": the rest is another clause of his, not the claim's.
GERUND_RE = re.compile(r"^\s*(?:\w+ing|\w+(?:ив|ав|ув|ыв)(?:ши)?)\b")
# "«A, — сказал он. — B»": one quotation, the attribution in the middle of it.
SPLIT_QUOTE_RE = re.compile(
    rf"^[«\"“](?P<content>[^»\"”]{{8,}}?),\s*[—–-]+\s*(?:{VERB})\s+(?P<who>[^.,«»]{{1,60}})\.\s*[—–-]+\s*"
    rf"(?P<rest>[^»\"”]{{8,}}?)[»\"”]\s*[.!]?$"
)
# "X не исключил, что …" ("X did not rule out that …"): said, but only as a possibility.
HEDGED_REPORT_RE = re.compile(rf"^{WHO}\s+(?:также\s+)?не\s+исключ\w+\s*,\s*что\s+")
WHOLE_QUOTE_RE = re.compile(rf"^[{OPEN_QUOTES}](?P<content>.+?)[{CLOSE_QUOTES}]\s*$")
QUOTE_CUE_RE = re.compile(rf"[{OPEN_QUOTES}]")


@dataclass
class _Context:
    people: PeopleIndex
    last_speaker: Person | None = None  # whom "he said" and "the spokesman added" mean
    quoting: Person | None = None  # the speaker of the previous sentence's quotation
    last_institution: Person | None = None  # whom "the ministry" and "it said" mean


def prose_claims(article: Article, people: PeopleIndex, skip_lines: set[int]) -> list[FoundClaim]:
    """Attributed statements in the body lines that no list took."""
    context = _Context(people)
    outlets = outlet_names(article)
    found: list[FoundClaim] = []
    raw = article.raw_text
    title = article.title.strip()
    for line in article.lines[article.body_start :]:
        text = line.text.strip()
        if line.number in skip_lines or not text or TIMESTAMP_RE.match(text):
            context.quoting = None
            continue
        if text == title or is_boilerplate(text, people, outlets):
            continue
        previous: tuple[int, int] | None = None  # the last sentence of the paragraph no claim came from
        for start, end in sentence_spans(raw, line.start, line.end):
            claims = _sentence_claims(raw, line, start, end, context)
            if not claims and previous is not None:
                claims = _credited_after(raw, line, start, end, previous, context)
            if not claims:
                _note_speaker(raw[start:end], context)
            found.extend(claims)
            previous = None if claims else (start, end)
    return found


# "Об этом заявил журналистам пресс-секретарь президента Дмитрий Песков.": the sentence before
# is his. Russian wires credit a statement this way, in a sentence of its own.
CREDITED_AFTER_RE = re.compile(
    rf"^(?:Об\s+этом|На\s+это|Так|Это|Такое\s+мнение|Такую\s+оценку)\s+(?P<before>[^.!?]{{0,100}}?\s)??(?:{VERB})\b\s*"
    rf"(?P<who>.*?)\s*[.!]?$"
)


def _credited_after(raw: str, line: Line, start: int, end: int, previous: tuple[int, int],
                    context: _Context) -> list[FoundClaim]:  # fmt: skip
    match = CREDITED_AFTER_RE.match(raw[start:end])
    if not match:
        return []
    before = match["before"] or ""  # "Так пресс-секретарь Дмитрий Песков прокомментировал …"
    who = before if context.people.named_in(before) else _speaker_phrase(match["who"])
    speaker = _resolve(who, context)
    if speaker is None:
        return []
    first = previous[0] + LEAD_IN_RE.match(raw[previous[0]:previous[1]]).end()  # type: ignore[union-attr]
    claim = _claim(raw, line, first, previous[1], speaker, "reported")
    return [claim] if claim is not None else []


def _note_speaker(sentence: str, context: _Context) -> None:
    """ "Отдельно Песков прокомментировал публикации …" holds no claim, but the "он" of the
    quotation after it is Peskov."""
    if LEXICON.speech_verbs.isdisjoint(lower_words(sentence)):
        return  # no verb of saying for a name to be followed by: most narration stops here
    for match, person in context.people.named_in(sentence):
        if is_named_speaker(sentence, match.end()):
            context.last_speaker = person


def _speaker_phrase(words: str) -> str:
    """ "журналистам пресс-секретарь президента РФ Дмитрий Песков" -> the part from the office or
    name on: a verb's indirect object ("журналистам", "агентству") is not the speaker."""
    tokens = words.split()
    while len(tokens) > 1 and tokens[0].lower() in ADDRESSEES:
        tokens = tokens[1:]
    return " ".join(tokens)


ADDRESSEES = frozenset(["журналистам", "репортерам", "репортёрам", "агентству", "изданию", "газете",
                        "телеканалу", "корреспонденту", "reporters", "journalists"])  # fmt: skip


def _cued(sentence: str) -> bool:
    words = lower_words(sentence)
    return (not words.isdisjoint(LEXICON.prose_speech_verbs) or not words.isdisjoint(ACCORDING_WORDS)
            or QUOTE_CUE_RE.search(sentence) is not None)  # fmt: skip


ACCORDING_WORDS = frozenset(["according", "words", "словам", "мнению", "данным", "оценке", "информации", "известно"])


# "MOSCOW, June 17 (MNS) - ", "Asked whether Putin would attend, ": what comes before the
# sentence's own subject.
LEAD_IN_RE = re.compile(
    r"^(?:[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z]\w+\.?\s+\d{1,2})?\.?\s*(?:[(/][^)/]{1,40}[)/]\.?)?\s*(?:[-–—]+|:)\s*"
    r"|[A-Z][\w .,'-]{0,40}?\s*\([^)]{1,40}\)\s*[-–—]+\s*"
    # "МОСКВА, 19 ноября — «Новости дня». ", "МОСКВА, 14 июня. /ТАСС/. "
    r"|[А-ЯЁ][А-ЯЁа-яё .-]{2,40}[,.]\s*\d{1,2}\s+[а-яё]+\.?\s*(?:[-–—]+|\.)?\s*(?:[«\"/][^»\"/]{1,40}[»\"/]\.?\s*)?(?:[-–—]\s*)?)?"
    r"(?:(?:Asked|When\s+asked|Commenting|Speaking|Responding|Referring|Говоря|Отвечая|Комментируя|Касаясь"
    r"|Выступая)\b(?:[^,]{0,160},(?!\s*(?:который|которая|которое|которые|которых|где|когда)\b)\s*"
    # a Russian gerund clause may hold commas of its own: it ends before "он сказал", "Песков отметил"
    r"|[^.!?]{0,240}?,\s*(?=(?:он|она|они|[А-ЯЁ][\w-]+(?:\s+[А-ЯЁ][\w-]+)?)\s+(?:также\s+)?" + VERB + r"\b)))?"
    r"(?:(?:On|In|At|Later|Earlier|Separately|Meanwhile|However|Still|Also|Then)\b(?![^,]*\bwords\b)[^,\"“]{0,40},\s*"
    r"|(?:Кроме\s+того|При\s+этом|Вместе\s+с\s+тем|Однако|Также|Ранее|Позднее|Впрочем|В\s+то\s+же\s+время),\s*)?"
)


def _sentence_claims(raw: str, line: Line, start: int, end: int, context: _Context) -> list[FoundClaim]:
    start += LEAD_IN_RE.match(raw[start:end]).end()  # type: ignore[union-attr]
    sentence = raw[start:end]
    continuing, context.quoting = context.quoting, None
    if continuing is not None:
        whole = WHOLE_QUOTE_RE.match(sentence) or (not QUOTE_CUE_RE.search(sentence) and OPEN_END_RE.match(sentence))
        if whole:  # '"A," Ushakov said. "B."' — B is his too
            return _quoted(raw, line, start + whole.start("content"), start + whole.end("content"), continuing)
    hedged = HEDGED_REPORT_RE.match(sentence)
    if hedged:  # "Захарова не исключила, что …": the hedge is the claim; it cannot be cut off
        speaker = _resolve(hedged["who"], context)
        claim = _claim(raw, line, start, end, speaker, "reported") if speaker is not None else None
        if claim is not None:
            return [claim]
    if not _cued(sentence):
        return []
    split = SPLIT_QUOTE_RE.match(sentence)
    speaker = _resolve(split["who"], context) if split else None
    if split and speaker is not None:
        context.quoting = speaker
        return [*_quoted(raw, line, start + split.start("content"), start + split.end("content"), speaker),
                *_quoted(raw, line, start + split.start("rest"), start + split.end("rest"), speaker)]
    quote = QUOTE_FIRST_RE.match(sentence)
    if quote:
        speaker = _resolve(quote["who"] or quote["who2"], context, quote["tail"])
        if speaker is not None:
            claims = _quoted(raw, line, start + quote.start("content"), start + quote.end("content"), speaker)
            if quote["rest"]:
                claims += _quoted(raw, line, start + quote.start("rest"), start + quote.end("rest"), speaker)
            context.quoting = speaker
            return claims
    mid = MID_ATTRIBUTION_RE.match(sentence)
    if mid and not GERUND_RE.match(mid["second"]):  # "Such a meeting, he said, remains on the agenda."
        claims = _mid_attribution(raw, line, start, end, context)
        if claims:
            return claims
    for pattern in (ACCORDING_BEFORE_RE, REPORTED_BEFORE_RE, ACCORDING_AFTER_RE, REPORTED_AFTER_RE,
                    REPORTED_BARE_RE):  # fmt: skip
        match = pattern.match(sentence)
        if not match:
            continue
        groups = match.groupdict()
        speaker = (groups.get("name") and _resolve(groups["name"], context)) or _resolve(
            groups.get("who") or groups.get("who2"), context, groups.get("tail") or groups.get("tail2"))
        if speaker is None:
            continue
        group = "content" if groups.get("content") else "content2"
        content_start, content_end = start + match.start(group), start + match.end(group)
        content = raw[content_start:content_end].strip()
        if QUOTE_CUE_RE.match(content) and content[-1:] in CLOSE_QUOTES + ".":
            context.quoting = speaker
            return _quoted(raw, line, content_start, content_end, speaker)
        claims = [_claim(raw, line, a, b, speaker, "reported") for a, b in _clauses(raw, content_start, content_end)]
        found = [claim for claim in claims if claim is not None]
        if found:
            return found  # else too short to be the assertion: "Сторона, добавил он, …" is cut mid-sentence
    return _mid_attribution(raw, line, start, end, context)


def _mid_attribution(raw: str, line: Line, start: int, end: int, context: _Context) -> list[FoundClaim]:
    """ "Such a meeting, he said, remains on the agenda": the claim's text joins the two parts;
    its quote is the whole sentence, the exact words the text comes from."""
    match = MID_ATTRIBUTION_RE.match(raw[start:end])  # "^" anchors at the text's start, not at `start`
    if not match:
        return []
    speaker = _resolve(match["who"] or match["who2"], context)
    if speaker is None:
        return []
    claim = _claim(raw, line, start, end, speaker, "reported")
    if claim is not None:
        claim.text = f"{match['first'].strip()} {match['second'].strip().rstrip('.!')}"
    return [claim] if claim is not None else []


# "X, adding that Y", "X, but stressed that Y", "X and that Y": two assertions.
CLAUSE_BREAK_RE = re.compile(
    r",?\s+(?:and\s+|but\s+)?(?:adding|noting|stressing|saying|warning|explaining|added|noted|stressed|said|warned)\s+that\s+"
    r"|,?\s+(?:and|but)\s+that\s+"
    r"|,?\s+(?:и\s+|но\s+|а\s+)?(?:добавив|отметив|подчеркнув|заявив|указав|пояснив|добавил|добавила|отметил|отметила)\s*,\s*что\s+"
    r"|,\s+(?:и|но|а)\s+что\s+"
)


# "…would host the new round, while Galuzin commented on…": the rest is the article's narration.
NARRATION_TAIL_RE = re.compile(r",\s+(?:while|whereas|тогда\s+как)\s+")


def _clauses(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    tail = NARRATION_TAIL_RE.search(raw, start, end)
    end = tail.start() if tail else end
    spans, begin = [], start
    for match in CLAUSE_BREAK_RE.finditer(raw, start, end):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, end))
    return spans


# A quotation that runs on over paragraphs: the next paragraph has no quote marks of its own
# but ends the quotation ("…to be prepared.”).
OPEN_END_RE = re.compile(rf"^(?P<content>.+[{CLOSE_QUOTES}])\s*$")


def _quoted(raw: str, line: Line, start: int, end: int, speaker: Person) -> list[FoundClaim]:
    """One claim per sentence of a quotation, without its quotation marks."""
    while start < end and (raw[start].isspace() or raw[start] in OPEN_QUOTES):
        start += 1
    while end > start and (raw[end - 1].isspace() or raw[end - 1] in CLOSE_QUOTES):
        end -= 1
    claims = (_claim(raw, line, a, b, speaker, "quote") for a, b in sentence_spans(raw, start, end))
    return [claim for claim in claims if claim is not None]


def _claim(raw: str, line: Line, start: int, end: int, speaker: Person, form: str) -> FoundClaim | None:
    while start < end and (raw[start].isspace() or raw[start] in OPEN_QUOTES + CLOSE_QUOTES):
        start += 1
    while end > start and (raw[end - 1].isspace() or raw[end - 1] in OPEN_QUOTES + CLOSE_QUOTES + ",.;:"):
        if raw[end - 1] in "»”" and _opened(raw[start:end - 1], raw[end - 1]):
            break  # "работать по «московскому графику»": the quotation closes inside the claim
        end -= 1
    if len(raw[start:end].split()) < 3:
        return None
    return FoundClaim(line, speaker, start, end, form)


def _opened(text: str, closing: str) -> bool:
    opening = "«" if closing == "»" else "“"
    return text.count(opening) > text.count(closing)


PRONOUN_WORDS = {"he", "she", "they", "his", "her", "their", "он", "она", "они", "его", "ее", "её", "их"}
INSTITUTION_WORDS = frozenset(w.lower() for w in LEXICON.institution_words)
# Phrases that point back to the institution last credited ("the ministry said", "it added").
BACK_REFERENCES = frozenset(["it", "the statement", "the readout", "the ministry", "the office", "the embassy",
                             "ведомство", "министерство", "ведомстве", "министерстве"])  # fmt: skip
# Words that always mean the institution last credited ("добавили в ведомстве").
GENERIC_INSTITUTIONS = frozenset(["it", "the statement", "the readout", "ведомство", "министерство", "ведомстве",
                                  "министерстве"])  # fmt: skip
CITING_RE = re.compile(r"\bciting\s+(?P<who>[^,.;]{3,90})")
DOCUMENT_WORDS_RE = re.compile(
    r"['’]s\b|\b(?:readout|statement|statements|press\s+service|press\s+office|website|communiqué|communique"
    r"|release|note|in\s+a\s+.*)$", re.IGNORECASE
)


def _institution_meant(phrase: str, last: Person | None) -> Person | None:
    """ "It", "the statement" and "the readout" are the institution last credited; "the
    ministry" only when that institution is one."""
    if last is None or phrase in GENERIC_INSTITUTIONS or phrase.split()[-1] in last.name.lower():
        return last
    return None


LOCATIVE_RE = re.compile(r"^(?:[Вв]о?|[Ии]з|[Уу])\s+(?=[А-ЯЁа-яё])")


def _source(who: str, context: _Context) -> Person:
    """An unnamed source, as written ("источник в МИД РФ"); the next mention of one without its
    particulars ("собеседник агентства", "источник") is the same source."""
    last = context.last_speaker
    if last is not None and last.kind == "unresolved" and not INSTITUTION_WORDS.intersection(lower_words(who)):
        return last
    source = Person(head_in_nominative(who[:1].lower() + who[1:]), kind="unresolved")
    context.last_speaker = source
    return source


def _bare_office(who: str) -> bool:
    """A Russian office with no name ("дипломат", "официальный представитель МИД"): Russian has
    no article, so this is how it points back to the person last named."""
    return is_cyrillic(who) and not any(w[:1].isupper() and could_be_name(w) for w in who.split()[1:])


def _resolve(who: str | None, context: _Context, tail: str | None = None) -> Person | None:
    """The person a speaker phrase stands for; None when it is no speaker at all. An outlet
    citing someone ("the agency reported, citing Deputy Minister Ryabkov") stands for them."""
    if tail:
        citing = CITING_RE.search(tail)
        if citing:
            cited = _resolve(citing["who"], context)
            if cited is not None:
                return cited
    if not who:
        return None
    who = _speaker_phrase(LOCATIVE_RE.sub("", who.strip()))  # "В Минэнерго сообщили": the ministry
    words = who.split()
    if not words or len(words) > 12:
        return None
    lowered = who.lower()
    if lowered in PRONOUN_WORDS or (lowered.split()[-1] in PRONOUN_WORDS and len(words) <= 2):
        return context.last_speaker
    if lowered in BACK_REFERENCES:
        return _institution_meant(lowered, context.last_institution)
    if words[0].lower() in LEXICON.non_speaker_starts:
        return None
    word_set = lower_words(who)
    if is_cyrillic(who) and not word_set.isdisjoint(LEXICON.source_words) and not context.people.named_in(who):
        return _source(who, context)  # "источник в МИД РФ", then "собеседник агентства"
    people = context.people
    named = people.named_in(who)
    if named and named[0][0].start() <= 1 and is_cyrillic(who):
        context.last_speaker = named[0][1]  # "Песков агентству РИА Новости": the name, then whom he told
        return named[0][1]
    if not word_set.isdisjoint(LEXICON.outlet_words) or who in LEXICON.outlets:
        return None  # the outlet reporting, not the speaker
    if named:
        context.last_speaker = named[-1][1]
        return named[-1][1]
    if not word_set.isdisjoint(LEXICON.role_words):
        by_role = people.find_by_role(who)
        if by_role is not None:
            context.last_speaker = by_role
            return by_role
        if context.last_speaker is not None and (lowered.startswith("the ") or _bare_office(who)):
            return context.last_speaker  # "the spokesman added", "— сказала дипломат"
        return Person(re.sub(r"^(?:an?|the|one)\s+", "", who, flags=re.IGNORECASE), kind="unresolved")
    if not word_set.isdisjoint(INSTITUTION_WORDS) and len(words) <= 6:
        name = DOCUMENT_WORDS_RE.sub("", re.split(r"\s+(?:in|on)\s+", who)[0]).strip()
        speaker = institution_speaker(name, people)
        if speaker.kind == "person":
            context.last_speaker = speaker
        else:
            context.last_institution = speaker
        return speaker
    return None
