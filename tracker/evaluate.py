"""Score extraction against gold annotations: claim precision/recall, speaker, commitment, deadline."""

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


@dataclass
class Score:
    extracted: int = 0
    gold: int = 0
    matched: int = 0
    speaker_ok: int = 0
    commitment_ok: int = 0
    deadline_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def ratio(self, hits: int, total: int) -> float:
        return hits / total if total else 1.0

    def figures(self) -> dict[str, float]:
        return {
            "precision": self.ratio(self.matched, self.extracted),
            "recall": self.ratio(self.matched, self.gold),
            "speaker_accuracy": self.ratio(self.speaker_ok, self.matched),
            "commitment_accuracy": self.ratio(self.commitment_ok, self.matched),
            "deadline_accuracy": self.ratio(self.deadline_ok, self.matched),
        }


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
    for missed in remaining:
        score.misses.append(f"{name}: missed claim: {missed['text']!r}")


def extract_file(path: Path) -> list[dict[str, Any]]:
    data, name = read_article(path)
    claims = extract_claims(parse_article(data, name))
    return [
        {"text": c.text, "speaker": c.speaker.name, "is_commitment": c.is_commitment,
         "deadline": c.deadline.isoformat() if c.deadline else None}
        for c in claims
    ]  # fmt: skip


def evaluate(gold_path: Path, articles: list[Path]) -> Score:
    gold = load_gold(gold_path)
    score = Score()
    for path in articles:
        try:
            extracted = extract_file(path)
        except ArticleError as error:
            score.misses.append(str(error))
            extracted = []
        score_file(path.name, extracted, gold.get(path.name, []), score)
    return score
