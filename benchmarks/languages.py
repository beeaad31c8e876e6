"""What a second language costs: Russian deadlines, language detection, and lemmatised search.

    python -m benchmarks.languages            # figures on the fixture sets
    python -m benchmarks.languages --repeat 20 --copies 10 --json out.json

Each figure is the best of `--repeat` passes over the gold claims (or articles) of the fixture
sets under tests/fixtures (ru_blind, the Russian blind set, is never read). Deadlines are timed
twice: warm (the parse cache filled, as in a long ingest) and cold (the cache emptied before
every pass, so every phrase is parsed).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from tracker import dates, dates_ru, search
from tracker import db as database
from tracker import ingest as ingesting
from tracker.dates import find_deadline
from tracker.language import SAMPLE, _classify, detect_language

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures"
BLIND = "ru_blind"  # never read: it scores the Russian extraction blind


def _sets() -> Iterator[Path]:
    return (p for p in sorted(FIXTURES.iterdir()) if p.is_dir() and p.name != BLIND)


def _published(article: Path) -> date:
    first = article.read_text(encoding="utf-8").splitlines()[0]
    match = re.search(r" date (\d{4}-\d{2}-\d{2})", first)
    return date.fromisoformat(match[1]) if match else date(2025, 6, 14)


def gold_claims(language: str) -> list[tuple[str, date, bool]]:
    """(text, publication date, is_commitment) of every gold claim in the language's sets."""
    claims = []
    for folder in [FIXTURES, *_sets()]:
        gold = folder / "gold.jsonl"
        if not gold.exists() or (folder.name == "ru") != (language == "ru"):
            continue
        for line in gold.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            article = next(folder.rglob(row["source_file"]), None)
            published = _published(article) if article else date(2025, 6, 14)
            claims.append((row["text"], published, bool(row.get("is_commitment"))))
    return claims


def best_of(repeat: int, work: Callable[[], Any], before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _clear_parse_caches() -> None:
    dates._parse.cache_clear()
    dates_ru._parse.cache_clear()


def deadline_costs(repeat: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for language in ("en", "ru"):
        claims = gold_claims(language)

        def run(claims: list[tuple[str, date, bool]] = claims, language: str = language) -> None:
            for text, published, commitment in claims:
                find_deadline(text, published, commitment, language=language)

        run()  # load dateparser's data and fill the caches once
        passed = sum(1 for text, *_ in claims if dates.rules_for(language).gate.search(text))
        figures[language] = {
            "claims": len(claims),
            "through_gate": passed,
            "warm_us_per_claim": round(best_of(repeat, run) / len(claims) * 1e6, 1),
            "cold_us_per_claim": round(best_of(repeat, run, _clear_parse_caches) / len(claims) * 1e6, 1),
        }
    return figures


def articles() -> list[tuple[str, str]]:
    """(expected language, text) of every fixture article: ru/ is Russian, the rest English."""
    return [("ru" if folder.name == "ru" else "en", path.read_text(encoding="utf-8"))
            for folder in _sets() for path in sorted(folder.rglob("*.txt"))]  # fmt: skip


def detection(repeat: int) -> dict[str, Any]:
    """detect_language against py3langid alone: how often each is right, and what each costs."""
    texts = articles()
    classify = _classify()
    library = [classify(text[:SAMPLE])[0] for _, text in texts]
    figures: dict[str, Any] = {"articles": len(texts)}
    for name, detect in (("detect_language", detect_language), ("py3langid_alone", lambda t: classify(t[:SAMPLE])[0])):
        wrong = [(want, got) for (want, text) in texts if (got := detect(text)) != want]
        figures[name] = {
            "correct": len(texts) - len(wrong),
            "wrong": wrong,
            "ms_per_article": round(best_of(repeat, lambda d=detect: [d(t) for _, t in texts]) / len(texts) * 1e3, 3),
        }
    russian = [text for want, text in texts if want == "ru"]
    figures["detect_language_ms_per_russian_article"] = round(
        best_of(repeat, lambda: [detect_language(t) for t in russian]) / len(russian) * 1e3, 3
    )
    figures["py3langid_said"] = sorted(set(library))
    return figures


def russian_corpus(folder: Path, copies: int) -> int:
    """Articles of the Russian gold claims, ten to an article under an English marker (which the
    extraction reads today), `copies` times over on different days; returns the claims written."""
    texts = [text for text, *_ in gold_claims("ru")]
    written = 0
    for copy in range(copies):
        for start in range(0, len(texts), 10):
            day = date(2025, 1, 1).toordinal() + copy
            stamp = date.fromordinal(day)
            body = "\n".join(texts[start : start + 10])
            (folder / f"{copy:04d}_{start:03d}.txt").write_text(
                f" date {stamp.isoformat()} International\nЗаявления Пескова\n"
                f"16:05 GMT {stamp:%d.%m.%Y}\nKremlin spokesman Dmitry Peskov told journalists:\n{body}\n",
                encoding="utf-8",
            )
            written += len(texts[start : start + 10])
    return written


def lemma_costs(repeat: int, copies: int) -> dict[str, Any]:
    """What lemmatisation costs: per claim on its own, and in a whole ingest (one process)."""
    figures: dict[str, Any] = {}
    for language in ("en", "ru"):
        texts = [text for text, *_ in gold_claims(language)]
        run = lambda texts=texts: [search.search_lemmas(t) for t in texts]
        run()
        figures[language] = {
            "warm_us_per_claim": round(best_of(repeat, run) / len(texts) * 1e6, 1),
            "cold_us_per_claim": round(best_of(repeat, run, search.word_lemmas.cache_clear) / len(texts) * 1e6, 1),
        }
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        claims = russian_corpus(corpus, copies)
        real = ingesting.search_lemmas
        for name, lemmas in (("ingest_ms_per_claim_without_lemmas", lambda text: ""),
                             ("ingest_ms_per_claim_with_lemmas", real)):  # fmt: skip
            def ingest_once(lemmas: Callable[[str], str] = lemmas) -> None:
                path = Path(tmp) / f"claims-{time.monotonic_ns()}.db"
                ingesting.search_lemmas = lemmas
                try:
                    report = ingesting.ingest(database.connect(path), [corpus], workers=1)
                    assert report.claims == claims, report
                finally:
                    ingesting.search_lemmas = real

            # each ingest starts with nothing remembered: the first copy analyses every word
            seconds = best_of(max(3, repeat // 5), ingest_once, search.word_lemmas.cache_clear)
            figures[name] = round(seconds / claims * 1e3, 3)
        figures["ingest_claims"] = claims
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="passes; the best is kept (default 20)")
    parser.add_argument("--copies", type=int, default=10, help="copies of the Russian gold claims to ingest (default 10)")
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    args = parser.parse_args(argv)
    figures = {
        "deadlines": deadline_costs(args.repeat),
        "language": detection(args.repeat),
        "lemmas": lemma_costs(args.repeat, args.copies),
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
