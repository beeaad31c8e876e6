"""Names in languages that inflect them: "Ушакова", "Ушакову" and "Ушаковым" are all Ushakov.

A name is looked up by its key — for a Cyrillic word the dictionary form pymorphy3 gives its
reading as a surname, first name or patronymic (any other reading only when it has none) — and
shown in the nominative, whatever case the article first wrote it in ("по словам Марии
Захаровой" -> "Мария Захарова"). Words in other scripts are their own key: English does not
inflect names. pymorphy3 is loaded on the first Cyrillic word, so English-only runs never pay
for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

CYRILLIC_RE = re.compile(r"[А-Яа-яЁё]")
NAME_TAGS = ("Surn", "Name", "Patr")


def is_cyrillic(text: str) -> bool:
    # str.isascii reads a flag the string carries: most texts are answered without a scan
    return not text.isascii() and CYRILLIC_RE.search(text) is not None


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3  # loaded only for Cyrillic text

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65_536)
def _name_parse(word: str, gender: str | None = None) -> Any:
    """pymorphy3's likeliest reading of a word as part of a name (of this gender, if given)."""
    parses = _analyzer().parse(word)
    named = [p for p in parses if any(tag in p.tag for tag in NAME_TAGS)]
    if gender is not None:
        named = [p for p in named if gender in p.tag or "ms-f" in p.tag] or named
    animate = [p for p in parses if "anim" in p.tag]
    return (named or animate or parses)[0]


@lru_cache(maxsize=65_536)
def lemma(word: str) -> str:
    """A Russian word's dictionary form, pymorphy3's likeliest ("двенадцати" -> "двенадцать")."""
    return str(_analyzer().parse(word)[0].normal_form)


@lru_cache(maxsize=65_536)
def name_key(word: str) -> str:
    """The form a name word is known by whatever its case: "Ушакову" -> "Ушаков"; others as is."""
    if not is_cyrillic(word) or (word.isupper() and len(word) > 1):
        return word  # English does not inflect names; "США", "МИД" are abbreviations
    return "-".join(_capitalised(_name_parse(part).normal_form) for part in word.split("-"))


def nominative(words: list[str] | tuple[str, ...]) -> list[str]:
    """A name in the nominative: "Марии Захаровой" -> "Мария Захарова"; "Юрия Ушакова" -> "Юрий
    Ушаков". The first name decides the gender the surname is read in."""
    if not any(is_cyrillic(w) for w in words):
        return list(words)
    gender = None
    result = []
    for word in words:
        if not is_cyrillic(word) or word.endswith("."):
            result.append(word)  # an initial, or a word in another script
            continue
        parse = _name_parse(word, gender)
        if gender is None and "Name" in parse.tag:
            gender = next((g for g in ("masc", "femn") if g in parse.tag), None)
        if not any(tag in parse.tag for tag in NAME_TAGS) or "plur" in parse.tag or parse.tag.case == "nomn":
            result.append(word)  # not read as a name ("Рябков" as the plural of "рябок"): as written
            continue
        inflected = parse.inflect({"nomn"})
        result.append(_match_case(word, inflected.word if inflected else word))
    return result


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def _match_case(original: str, word: str) -> str:
    return word.upper() if original.isupper() and len(original) > 1 else _capitalised(word)


@lru_cache(maxsize=65_536)
def could_be_name(word: str) -> bool:
    """Whether a capitalised Cyrillic word may be part of a person's name: a first name,
    patronymic or surname to pymorphy3, or a word its dictionary does not know ("Уиткофф");
    "России", "Президента" and "МИД" are not."""
    parses = _analyzer().parse(word)
    if any(tag in p.tag for p in parses for tag in NAME_TAGS):
        return True
    return not any(p.is_known for p in parses)


WORD_RE = re.compile(r"[а-яё]+(?:-[а-яё]+)?")


def future_action(text: str) -> bool:
    """Whether a Russian text states a future action in a perfective verb ("проведёт",
    "представит", "сообщим"), not negated ("не допустим" refuses, it does not commit)."""
    previous = ""
    for word in WORD_RE.findall(text.lower()):
        if previous != "не" and _is_future_verb(word):
            return True
        previous = word
    return False


@lru_cache(maxsize=65_536)
def _is_future_verb(word: str) -> bool:
    parses = _analyzer().parse(word)
    verbs = [p for p in parses if p.tag.POS == "VERB"]
    # read first as a verb ("минут" is minutes before it is "минуть"), and with no present-tense
    # reading ("считаем" is "we consider" before it is "счесть")
    return (parses[0].tag.POS == "VERB" and "futr" in parses[0].tag and "perf" in parses[0].tag
            and not any("pres" in p.tag for p in verbs))  # fmt: skip


def head_in_nominative(phrase: str) -> str:
    """ "источника в МИД" -> "источник в МИД", "пресс-службе Минэкономразвития" -> "пресс-служба
    Минэкономразвития": the phrase's first word in the nominative, the rest as written."""
    head, _, rest = phrase.partition(" ")
    if not is_cyrillic(head) or head.isupper():
        return phrase
    parse = _analyzer().parse(head)[0]
    if parse.tag.POS != "NOUN" or parse.tag.case == "nomn":
        return phrase
    inflected = parse.inflect({"nomn"})
    word = inflected.word if inflected else head
    word = _capitalised(word) if head[:1].isupper() else word
    return f"{word} {rest}".strip()
