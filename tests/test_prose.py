"""Prose mode (issue 12, first step): attributed statements in articles that list nothing."""

from __future__ import annotations

from tracker.articles import parse_article
from tracker.extract import extract_claims

ARTICLE = """ date 2025-06-17 World
Kremlin says contacts with Washington planned
MOSCOW, June 17 (Wire) - Kremlin spokesman Dmitry Peskov told reporters on Tuesday that new contacts with Washington are planned in the coming days.

"We have not received concrete proposals yet. As soon as they arrive, we will study them," Peskov said.

Putin and Trump have spoken by phone several times this year.

The dates of the trip are still being agreed, he said.

According to Peskov, the president has no plans to travel to the summit.
"""


def test_reported_speech_and_quotes_become_claims_and_narration_does_not() -> None:
    claims = extract_claims(parse_article(ARTICLE.encode(), "a.txt"))
    assert [(c.text, c.form) for c in claims] == [
        ("new contacts with Washington are planned in the coming days", "reported"),
        ("We have not received concrete proposals yet", "quote"),
        ("As soon as they arrive, we will study them", "quote"),
        ("The dates of the trip are still being agreed", "reported"),
        ("the president has no plans to travel to the summit", "reported"),
    ]
    assert {c.speaker.name for c in claims} == {"Dmitry Peskov"}
    raw = ARTICLE
    assert all(raw[c.char_start : c.char_end] == c.quote for c in claims)


def test_an_institution_with_no_named_spokesperson_is_the_speaker() -> None:
    text = " date 2025-07-08 World\nMoscow protests\nRussia will respond to the expulsion within two weeks, the Foreign Ministry said in a statement.\n"
    claims = extract_claims(parse_article(text.encode(), "a.txt"))
    assert [(c.speaker.name, c.speaker.kind) for c in claims] == [("Foreign Ministry", "organisation")]
    assert str(claims[0].deadline) == "2025-07-22"


def test_a_stored_article_without_claims_gets_them_from_reextract(tmp_path, monkeypatch) -> None:
    from tracker import db as database
    from tracker import ingest as ingesting
    from tracker import reextract as reextracting

    path = tmp_path / "wire.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    db = database.connect(tmp_path / "claims.db")
    with monkeypatch.context() as patched:  # an older extractor that read lists only
        patched.setattr(ingesting, "extract_claims", lambda article, review_days=30: [])
        report = ingesting.ingest(db, [path], workers=1)
    assert (report.files, report.claims, report.without_claims) == (1, 0, [str(path)])
    assert db["sources"].count == 1 and db["claims"].count == 0
    again = reextracting.reextract(db)
    assert (again.sources, again.added) == (1, 5)
    assert [r["form"] for r in db.query("SELECT form FROM claims ORDER BY id")] == ["reported", "quote", "quote", "reported", "reported"]


def test_an_attribution_inside_a_sentence_after_another_sentence_of_the_line() -> None:
    # The mid-sentence pattern was anchored at the start of the whole text: it only ever matched a
    # sentence at offset 0, so "X, he said, Y" anywhere in an article was lost.
    text = (" date 2025-06-14 x\nTitle\nUshakov said no date had been set for a meeting. "
            "Such a meeting, he said, remains on the agenda.\n")
    claims = extract_claims(parse_article(text.encode("utf-8"), "a.txt"))
    assert [(c.text, c.speaker.name) for c in claims][-1] == ("Such a meeting remains on the agenda", "Yury Ushakov")
