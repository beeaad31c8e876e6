"""Split running text into sentences, as offsets into the text (so quotes stay exact slices).

A sentence ends at ".", "!" or "?" (with any closing quotes or brackets after it) followed by
space and a capital, a digit or an opening quote — except after an abbreviation ("Mr.",
"U.S.", "Gen.") or a single initial ("J. D. Thibodeaux").
"""

from __future__ import annotations

import re

from tracker.vocabulary import LEXICON

END_RE = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]?[^\W_a-z]|\s*$)")
WORD_BEFORE_RE = re.compile(r"([\w.]+)$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], without surrounding space."""
    end = len(text) if end is None else end
    spans = []
    begin = start
    for match in END_RE.finditer(text, start, end):
        if _after_abbreviation(text, begin, match.start()) or _inside_quote(text, begin, match.end()):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _inside_quote(text: str, begin: int, end: int) -> bool:
    """A quotation goes on past this point: "…summit. As soon as they arrive, we will…," he said."""
    piece = text[begin:end]
    curly = piece.count("“") + piece.count("«") - piece.count("”") - piece.count("»")
    low = piece.count("„")  # „…“ inside «…»: there “ closes what „ opened
    curly += low - 2 * min(low, piece.count("“"))
    return curly > 0 or piece.count('"') % 2 == 1


def _after_abbreviation(text: str, begin: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = WORD_BEFORE_RE.search(text, begin, dot)
    if word is None:
        return False
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return True  # an initial: "J. D. Thibodeaux"
    return token.lower().rstrip(".") in LEXICON.abbreviations or "." in token  # "U.S."


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
