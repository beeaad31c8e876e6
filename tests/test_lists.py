"""List extraction on the structures real outlets publish (issue 11): each test names a
structure or a rule and fails if it breaks."""

from __future__ import annotations

from tracker.articles import parse_article
from tracker.extract import extract_claims

HEADER = " date 2025-12-18 https://www.example-wire.com/world/2025/12/18/readout.html\n"


def extract(body: str, title: str = "Kremlin aide on the call"):
    text = HEADER + title + "\n" + body
    return extract_claims(parse_article(text.encode("utf-8"), "a.txt"))


def texts(claims) -> list[str]:
    return [c.text for c in claims]


LEAD = "Kremlin aide Yuri Ushakov told reporters about the phone call between Vladimir Putin and Donald Trump.\n"


def test_lines_that_only_look_like_boilerplate_stay_claims_and_do_not_end_the_list() -> None:
    items = [
        "On Ukraine: Moscow remains open to talks.",
        "Our friends in Africa will receive fertilizers free of charge.",
        "Russia is ready to share its experience with our BRICS partners.",
        "The news of the prisoner exchange was welcomed in both capitals.",
        "Note: the sides will meet again in January.",
        "The leaders agreed to stay in contact.",
    ]
    claims = extract(LEAD + "Ushakov also said:\n" + "\n".join(items) + "\n")
    assert texts(claims) == items


def test_one_outlet_line_inside_a_list_is_skipped_and_a_run_of_them_ends_it() -> None:
    body = LEAD + """Ushakov also said:
- The conversation lasted an hour.
- Read also: Putin and Trump spoke in March
- The presidents agreed to talk again next week.
- The situation in the Middle East was discussed.
Subscribe to our Telegram channel @example_wire
#Russia #USA
- Vladimir Putin in the Kremlin, archive photo
"""
    assert texts(extract(body)) == [
        "The conversation lasted an hour.",
        "The presidents agreed to talk again next week.",
        "The situation in the Middle East was discussed.",
    ]


def test_marker_naming_nobody_keeps_the_claims_with_the_speaker_as_written() -> None:
    body = "Oil revenues fell in November.\nA ministry official told reporters:\n— The deficit target remains unchanged;\n— The ministry will submit amendments by mid-April;\n"
    claims = extract(body, title="No new budget cuts planned")
    assert texts(claims) == ["The deficit target remains unchanged;", "The ministry will submit amendments by mid-April;"]
    assert {(c.speaker.name, c.speaker.kind) for c in claims} == {("ministry official", "unresolved")}


def test_possessive_speaker_wins_over_people_the_marker_mentions() -> None:
    body = LEAD + "Ushakov's briefing on the call between Putin and Trump. The main points:\n- The call lasted 90 minutes.\n- The presidents will speak again soon.\n"
    claims = extract(body)
    assert {c.speaker.name for c in claims} == {"Yuri Ushakov"}
    assert len(claims) == 2


def test_noun_phrase_marker_with_office_only_resolves_to_the_holder() -> None:
    body = ("Dmitry Peskov, the press secretary of the Russian president, held a briefing on Monday.\n"
            "Other statements by the presidential press secretary:\n"
            "- Putin has no plans to visit the region this week.\n- The Kremlin welcomes the contacts.\n")
    claims = extract(body, title="Topics of the briefing")
    assert {(c.speaker.name, c.speaker.role) for c in claims} == {
        ("Dmitry Peskov", "press secretary of the Russian president")
    }


def test_generic_marker_takes_the_speaker_from_the_title() -> None:
    body = "The aide spoke to journalists after the talks.\nKey takeaways:\n— The talks were constructive;\n— A new round will be held in January;\n"
    claims = extract(body, title="Kremlin aide Yuri Ushakov sums up the talks")
    assert {c.speaker.name for c in claims} == {"Yuri Ushakov"}
    assert len(claims) == 2


def test_announcing_sentence_and_topic_subheadings() -> None:
    body = """A briefing by presidential press secretary Dmitry Peskov covered drones and the economy.
The agency has compiled the key statements of the Kremlin spokesman.
On the drone attack
• Putin was informed about the attack at once.
• Air defence did an excellent job.
On Ukraine
• The goals of the operation remain unchanged.
About the economy
• The economy continues to grow.
Read more on the site →
Tags: Kremlin, Peskov
"""
    claims = extract(body, title="Topics of Peskov's briefing")
    assert texts(claims) == [
        "Putin was informed about the attack at once.",
        "Air defence did an excellent job.",
        "The goals of the operation remain unchanged.",
        "The economy continues to grow.",
    ]
    assert {c.speaker.name for c in claims} == {"Dmitry Peskov"}


def test_heading_naming_the_speaker_followed_by_bullets_opens_a_list() -> None:
    body = "Russian President Vladimir Putin addressed the forum in Sochi.\n\nVladimir Putin at the plenary session\n– Russia will open six trade missions by the end of the year\n– Attempts to isolate Russia have failed\n\nVladimir Putin during the session. Photo: Pool\n"
    claims = extract(body, title="Putin: Russia will supply fertilizers")
    assert texts(claims) == ["Russia will open six trade missions by the end of the year", "Attempts to isolate Russia have failed"]
    assert {c.speaker.name for c in claims} == {"Vladimir Putin"}


def test_emoji_bullets_invisible_prefixes_and_item_punctuation() -> None:
    body = ("Foreign Ministry spokeswoman Maria Zakharova held a briefing.\n"
            "\u200bKey points from Zakharova's briefing:\n"
            "▪\ufe0f Moscow sees no readiness for dialogue.;\n"
            "▪\ufe0fLavrov will visit Laos on April 4;\n\n"
            "\u200bKey points from Zakharova's briefing:\n")
    claims = extract(body, title="Zakharova's briefing")
    assert texts(claims) == ["Moscow sees no readiness for dialogue.;", "Lavrov will visit Laos on April 4;"]
    assert all("\ufe0f" not in c.quote and "▪" not in c.quote for c in claims)
    assert [str(c.deadline) for c in claims] == ["None", "2026-04-04"]


def test_among_the_topics_lists_subjects_not_statements() -> None:
    body = (LEAD + "Ushakov also said:\n- The call was useful.\nAmong the topics discussed:\n- the Middle East;\n- trade;\n")
    assert texts(extract(body)) == ["The call was useful."]


def test_question_and_answer_transcript() -> None:
    body = (LEAD + "Question: Will the presidents meet soon?\n"
            "Ushakov: The American delegation will arrive early next week. We have prepared a programme.\n"
            "Question: Is Zelensky invited?\nUshakov: This is not being discussed.\n")
    claims = extract(body)
    assert texts(claims) == [
        "The American delegation will arrive early next week.",
        "We have prepared a programme.",
        "This is not being discussed.",
    ]
    assert {c.speaker.name for c in claims} == {"Yuri Ushakov"}
    assert {c.form for c in claims} == {"quote"}


def test_dates_of_real_readouts() -> None:
    body = (LEAD + "Ushakov also said:\n- Consultations will be held in early January.\n"
            "- Russian exports grew by a third this year.\n- The delegations will meet on May 14-15.\n"
            "- Putin will not attend the summit on May 20.\n")
    claims = {c.text: c for c in extract(body)}
    early = claims["Consultations will be held in early January."]
    assert (early.deadline, early.deadline_text) == (None, "in early January")
    assert claims["Russian exports grew by a third this year."].deadline is None
    assert str(claims["The delegations will meet on May 14-15."].deadline) == "2026-05-14"
    assert not claims["Putin will not attend the summit on May 20."].is_commitment


def test_unresolved_speaker_and_form_are_stored_exported_and_imported(tmp_path) -> None:
    import json

    from tracker import db as database
    from tracker import ingest as ingesting
    from tracker.transfer import import_claims, iter_export, parse_lines

    article = tmp_path / "official.txt"
    article.write_text(HEADER + "No new cuts\nA ministry official told reporters:\n— The deficit target remains unchanged;\n"
                       "Question: Will taxes rise?\nPeskov: There will be no tax rise this year.\n", encoding="utf-8")
    db = database.connect(tmp_path / "a.db")
    assert ingesting.ingest(db, [article]).rejected == []
    rows = db.execute("""SELECT people.name, people.kind, claims.form FROM claims
                         JOIN people ON people.id = claims.speaker_id ORDER BY claims.id""").fetchall()
    assert rows == [("ministry official", "unresolved", "list"), ("Dmitry Peskov", "person", "quote")]
    exported = [json.dumps(row, default=str) for row in iter_export(db)]
    assert [json.loads(line)["speaker_kind"] for line in exported] == ["unresolved", "person"]
    other = database.connect(tmp_path / "b.db")
    import_claims(other, parse_lines(exported, "export.jsonl"), "export.jsonl")
    assert other.execute("SELECT kind FROM people WHERE name = 'ministry official'").fetchone() == ("unresolved",)
    assert [r[0] for r in other.execute("SELECT form FROM claims ORDER BY id")] == ["list", "quote"]


NO_NAME_BODY = "\n{marker}\n- Russia will expand grain deliveries by March 3.\n- The sides will meet soon.\n"


def test_a_marker_naming_nobody_by_name_keeps_its_points_and_records_who_it_can() -> None:
    """"Q said:" had made a one-letter person (refused by the database: the file was lost),
    "The ministry said:" a body called "ministry said", "Officials said:" no list at all."""
    expected = {
        "Q said:": ("unidentified speaker", "unresolved"),
        "X told reporters:": ("unidentified speaker", "unresolved"),
        "The ministry said:": ("ministry", "organisation"),
        "The Kremlin also said:": ("Kremlin", "organisation"),
        "Officials said:": ("officials", "unresolved"),
        "Russian diplomats told reporters:": ("Russian diplomats", "unresolved"),
    }
    for marker, (name, kind) in expected.items():
        claims = extract(NO_NAME_BODY.format(marker=marker), title="Talks on grain")
        assert texts(claims) == ["Russia will expand grain deliveries by March 3.", "The sides will meet soon."], marker
        assert {(c.speaker.name, c.speaker.kind) for c in claims} == {(name, kind)}, marker
