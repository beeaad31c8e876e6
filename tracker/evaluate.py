"""Score extraction against gold annotations: claim precision/recall, speaker, commitment, deadline.

Gold rows may also carry `speaker_role`, `attributed_to`, `deadline_text` and `subjects`; each
key present in a gold file adds its figure, scored on the matched claims whose gold row has it:
accuracy for the first three (roles and deadline phrases compared in any case and spacing,
names exactly), and for subjects precision, recall and F1 of the subject names, summed over those
claims (a claim that names one subject too many or too few is partly right, not wrong). Gold
files without these keys score as before, with the same five figures.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from tracker.articles import decode_utf8, parse_article, read_article
from tracker.errors import ArticleError, TrackerError
from tracker.extract import extract_claims, normalise

MATCH_THRESHOLD = 90.0  # rapidfuzz ratio on normalised text


# Scored only when gold rows carry them: key -> how two values are compared.
OPTIONAL_KEYS = ("speaker_role", "attributed_to", "deadline_text")
IN_ANY_CASE = ("speaker_role", "deadline_text")
# Shown, but not held to --fail-under (their F1 is).
INFORMATIVE = ("subjects_precision", "subjects_recall")


def _same(key: str, value: Any, gold: Any) -> bool:
    if key in IN_ANY_CASE and isinstance(value, str) and isinstance(gold, str):
        return " ".join(value.casefold().split()) == " ".join(gold.casefold().split())
    return bool(value == gold)


@dataclass
class Score:
    extracted: int = 0
    gold: int = 0
    matched: int = 0
    speaker_ok: int = 0
    commitment_ok: int = 0
    deadline_ok: int = 0
    optional_ok: dict[str, int] = field(default_factory=dict)  # a key is here when gold has it
    optional_scored: dict[str, int] = field(default_factory=dict)
    subjects_in_gold: bool = False
    subjects_extracted: int = 0
    subjects_gold: int = 0
    subjects_common: int = 0
    misses: list[str] = field(default_factory=list)

    def ratio(self, hits: int, total: int) -> float:
        return hits / total if total else 1.0

    def figures(self) -> dict[str, float]:
        figures = {
            "precision": self.ratio(self.matched, self.extracted),
            "recall": self.ratio(self.matched, self.gold),
            "speaker_accuracy": self.ratio(self.speaker_ok, self.matched),
            "commitment_accuracy": self.ratio(self.commitment_ok, self.matched),
            "deadline_accuracy": self.ratio(self.deadline_ok, self.matched),
        }
        for key in OPTIONAL_KEYS:
            if key in self.optional_scored:
                figures[f"{key}_accuracy"] = self.ratio(self.optional_ok[key], self.optional_scored[key])
        if self.subjects_in_gold:
            precision = self.ratio(self.subjects_common, self.subjects_extracted)
            recall = self.ratio(self.subjects_common, self.subjects_gold)
            figures["subjects_precision"], figures["subjects_recall"] = precision, recall
            figures["subjects_f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return figures

    def held_to_threshold(self) -> dict[str, float]:
        """The figures --fail-under applies to: the five, and each one gold adds (subjects: F1)."""
        return {name: value for name, value in self.figures().items() if name not in INFORMATIVE}

    def note_gold_keys(self, rows: list[dict[str, Any]]) -> None:
        for key in OPTIONAL_KEYS:
            if any(key in row for row in rows):
                self.optional_scored.setdefault(key, 0)
                self.optional_ok.setdefault(key, 0)
        self.subjects_in_gold = self.subjects_in_gold or any("subjects" in row for row in rows)


def load_gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    try:
        lines = decode_utf8(path.read_bytes(), str(path)).splitlines()
    except OSError as error:
        raise TrackerError(f"{path}: cannot read gold file ({error})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold[Path(row["source_file"]).name].append(row)
        except (json.JSONDecodeError, KeyError, TypeError):
            raise TrackerError(f"{path}: line {number}: not a gold row with source_file") from None
    return gold


def _best_match(text: str, candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    best, best_score = None, MATCH_THRESHOLD
    for candidate in candidates:
        score = fuzz.ratio(normalise(text), normalise(candidate["text"]))
        if score >= best_score:
            best, best_score = candidate, score
    return best


def score_file(name: str, extracted: list[dict[str, Any]], gold: list[dict[str, Any]], score: Score) -> None:
    """Match extracted claims to gold one-to-one and count what agrees."""
    remaining = list(gold)
    score.extracted += len(extracted)
    score.gold += len(gold)
    for claim in extracted:
        match = _best_match(claim["text"], remaining)
        if match is None:
            score.misses.append(f"{name}: extra claim: {claim['text']!r}")
            continue
        remaining.remove(match)
        score.matched += 1
        for key, counter in (("speaker", "speaker_ok"), ("is_commitment", "commitment_ok"),
                             ("deadline", "deadline_ok")):  # fmt: skip
            if claim[key] == match[key]:
                setattr(score, counter, getattr(score, counter) + 1)
            else:
                score.misses.append(
                    f"{name}: {key} {claim[key]!r}, gold {match[key]!r}: {claim['text']!r}"
                )
        _score_optional(name, claim, match, score)
    for missed in remaining:
        score.misses.append(f"{name}: missed claim: {missed['text']!r}")


def _score_optional(name: str, claim: dict[str, Any], match: dict[str, Any], score: Score) -> None:
    """The figures a gold row adds with its optional keys, for one matched claim."""
    for key in OPTIONAL_KEYS:
        if key not in match:
            continue
        score.optional_scored[key] += 1
        if _same(key, claim[key], match[key]):
            score.optional_ok[key] += 1
        else:
            score.misses.append(f"{name}: {key} {claim[key]!r}, gold {match[key]!r}: {claim['text']!r}")
    if "subjects" in match:
        found, wanted = set(claim["subjects"]), set(match["subjects"] or [])
        score.subjects_extracted += len(found)
        score.subjects_gold += len(wanted)
        score.subjects_common += len(found & wanted)
        if wanted - found:
            score.misses.append(f"{name}: subjects missing {sorted(wanted - found)}: {claim['text']!r}")
        if found - wanted:
            score.misses.append(f"{name}: subjects extra {sorted(found - wanted)}: {claim['text']!r}")


def extract_file(path: Path) -> list[dict[str, Any]]:
    data, name = read_article(path)
    claims = extract_claims(parse_article(data, name))
    return [
        {"text": c.text, "speaker": c.speaker.name, "is_commitment": c.is_commitment,
         "deadline": c.deadline.isoformat() if c.deadline else None, "speaker_role": c.speaker.role,
         "attributed_to": c.attributed_to.name if c.attributed_to else None,
         "deadline_text": c.deadline_text, "subjects": [s.name for s in c.subjects]}
        for c in claims
    ]  # fmt: skip


def evaluate(gold_path: Path, articles: list[Path]) -> Score:
    gold = load_gold(gold_path)
    score = Score()
    for path in articles:
        score.note_gold_keys(gold.get(path.name, []))
    for path in articles:
        try:
            extracted = extract_file(path)
        except ArticleError as error:
            score.misses.append(str(error))
            extracted = []
        score_file(path.name, extracted, gold.get(path.name, []), score)
    return score
