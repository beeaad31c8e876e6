"""One person in every script: "Юрий Ушаков" in a Russian readout and "Yuri Ushakov" in an
English one are the same row of `people`.

A person's identity is the vocabulary's canonical name when subjects.yml knows any spelling of
them (an alias in either script), otherwise the skeleton of their name transliterated to Latin
(unidecode): the surname's consonants, with the transliteration variants folded ("kh"/"h",
"ia"/"ya", "ii"/"y"), and the first name's initial. A new name joins an existing row with the
same identity only when the two are written in different scripts: two English names with one
skeleton ("Ivan Petrov", "Igor Petrov") stay two people.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from unidecode import unidecode

from tracker.morphology import is_cyrillic
from tracker.vocabulary import VOCABULARY

# Transliteration variants of one Russian sound, longest first ("shch" before "sh").
VARIANTS = [("shch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("tz", "c"), ("ch", "c"), ("sh", "s"),
            ("iu", "u"), ("yu", "u"), ("ia", "a"), ("ya", "a"), ("yo", "o"), ("ii", "i"), ("iy", "i"),
            ("y", "i"), ("j", "i"), ("'", "")]  # fmt: skip
VOWELS = set("aeiou")


@lru_cache(maxsize=16_384)
def person_identity(name: str) -> str:
    canonical = VOCABULARY.alias_to_name.get(name)
    if canonical and VOCABULARY.entries[canonical]["kind"] == "person":
        return "vocabulary:" + canonical
    return "skeleton:" + skeleton(name)


def skeleton(name: str) -> str:
    """ "Алексей Фадеев" and "Alexei Fadeyev" -> "fdv a"."""
    words = re.findall(r"[a-z']+", unidecode(name).lower())
    if not words:
        return name.lower()
    surname = _folded(words[-1])
    consonants = surname[0] + "".join(c for c in surname[1:] if c not in VOWELS)
    return f"{consonants} {words[0][0]}" if len(words) > 1 else consonants


def _folded(word: str) -> str:
    for variant, plain in VARIANTS:
        word = word.replace(variant, plain)
    return word.replace("x", "ks")


def linked_person(conn: sqlite3.Connection, name: str) -> int | None:
    """The id of a person written in the other script with the same identity, if any."""
    identity = person_identity(name)
    cyrillic = is_cyrillic(name)
    for person_id, other in conn.execute(
        "SELECT id, name FROM people WHERE identity = ? AND kind = 'person' ORDER BY id", [identity]
    ):
        if is_cyrillic(other) != cyrillic or identity.startswith("vocabulary:"):
            return int(person_id)
    return None
