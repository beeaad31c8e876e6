"""The language of an article: an ISO 639-1 code ("en", "ru", …) that picks the rules used to
read it (deadlines, markers, reported speech) and is stored on its source.

Russian is decided by the script alone: most letters Cyrillic and none of the letters only other
Cyrillic alphabets have (Ukrainian і ї є ґ, Belarusian ў, Serbian and Macedonian ј љ њ ћ џ ѓ ќ ѕ,
Kazakh ә ғ қ ң ө ұ ү һ і). Everything else goes to py3langid, a small n-gram classifier whose model
is loaded on first use, so a run over Russian articles never loads it (its byte scan done by
numpy: tracker/language_model.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

DEFAULT = "en"  # a text with no letters at all: the project's first language
SAMPLE = 4000  # characters read: the opening of an article says which language it is in
LETTER_RE = re.compile(r"[^\W\d_]")
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
NOT_RUSSIAN_RE = re.compile(r"[іїєґўјљњћџѓќѕәғқңөұүһІЇЄҐЎЈЉЊЋЏЃЌЅӘҒҚҢӨҰҮҺ]")
RUSSIAN_SHARE = 0.5  # of the letters: Russian articles quote Latin names, URLs and handles


@lru_cache(maxsize=1)
def _classify() -> Callable[[str], tuple[str, float]]:
    # imported here: the model loads only when a text is not plainly Russian
    from tracker.language_model import scanning_identifier

    return scanning_identifier().classify


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language `text` is written in."""
    sample = text[:SAMPLE]
    if LETTER_RE.search(sample) is None:
        return DEFAULT
    if _plainly_russian(sample):
        return "ru"
    language, _score = _classify()(sample)
    return str(language)


def _plainly_russian(sample: str) -> bool:
    """Most letters Cyrillic, none of another Cyrillic alphabet's. Letters are counted only when
    there is Cyrillic at all: listing a 4,000-character sample's letters cost a quarter of the
    detection, and without Cyrillic the share is 0 whatever their number."""
    if sample.isascii() or CYRILLIC_RE.search(sample) is None:
        return False
    letters = len(LETTER_RE.findall(sample))
    cyrillic = len(CYRILLIC_RE.findall(sample))
    return cyrillic / letters >= RUSSIAN_SHARE and not NOT_RUSSIAN_RE.search(sample)
