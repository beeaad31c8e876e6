"""Full-text search that finds inflected forms: "переговоры" finds "переговоров".

SQLite's FTS5 matches words as written, and Russian inflects every noun, adjective and verb. So
each claim also carries `lemmas`, the dictionary forms (pymorphy3) of its Russian words that
differ from the words as written, indexed in a second column of `claims_fts`; and each word of a
query is looked for as written or as any of its dictionary forms. A claim's word w and a query's
word q then meet whenever they share a dictionary form. English words are left as they are:
their lemmas column stays empty and English search works exactly as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
WORD_RE = re.compile(r"[\u0400-\u04FF]+(?:-[\u0400-\u04FF]+)*")  # "из-за", "Нью-Йорк"
QUOTED_RE = re.compile(r'"([^"]*)"')


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3  # its dictionaries load with it: only when there is a Russian word

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=65536)
def word_lemmas(word: str) -> tuple[str, ...]:
    """A word's dictionary forms, lower-cased, other than the word itself ("стали": сталь, стать).
    Remembered: a news vocabulary is small, and analysing a word is what costs."""
    lower = word.lower()
    forms = {parse.normal_form for parse in _analyzer().parse(lower)}
    return tuple(sorted(forms - {lower}))


def search_lemmas(text: str) -> str:
    """What a claim's `lemmas` column holds: the dictionary forms of its Russian words that are
    not already in it as written, space-separated, each once; '' for a text with no Russian."""
    if not CYRILLIC_RE.search(text):
        return ""
    words = WORD_RE.findall(text)
    written = {word.lower() for word in words}
    lemmas = dict.fromkeys(lemma for word in words for lemma in word_lemmas(word) if lemma not in written)
    return " ".join(lemmas)


def expand_query(escaped: str) -> str:
    """An FTS5 query of quoted words (as Datasette's escape_fts and `tracker claims --search`
    write them) with each Russian word widened to its dictionary forms: '"переговорах"' becomes
    '("переговорах" OR "переговоры")'. Quoted phrases of several words are left as they are, and
    so is anything that is not a run of quoted terms (FTS5 syntax the user wrote on purpose)."""
    terms = QUOTED_RE.findall(escaped)
    if not CYRILLIC_RE.search(escaped) or " ".join(f'"{t}"' for t in terms) != escaped.strip():
        return escaped
    widened = [_widen(term) for term in terms]
    if widened == [f'"{term}"' for term in terms]:
        return escaped
    return " AND ".join(widened)  # FTS5 reads no implicit AND next to a parenthesised OR


def _widen(term: str) -> str:
    forms = word_lemmas(term) if WORD_RE.fullmatch(term) else ()
    if not forms:
        return f'"{term}"'
    return "(" + " OR ".join(f'"{form}"' for form in (term, *forms)) + ")"
