from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tracker.articles import parse_article
from tracker.extract import claim_key, extract_claims, is_commitment

from .conftest import ARTICLES, GOLD, SEED


def extract(text: str, name: str = "a.txt"):
    return extract_claims(parse_article(text.encode("utf-8"), name))


def seed_claims():
    return extract_claims(parse_article(SEED.read_bytes(), SEED.name))


def test_seed_yields_its_ten_listed_assertions_and_the_two_statements_of_its_lead() -> None:
    raw = SEED.read_text(encoding="utf-8").split("\n")
    marker = raw.index("Ushakov also revealed that:")
    listed = [line for line in raw[marker + 1 :] if line.strip()]
    claims = seed_claims()
    assert [(c.text, c.form) for c in claims[:2]] == [
        ("The conversation lasted for about an hour", "reported"),
        ("50 minutes, to be precise", "quote"),
    ]
    assert [c.text for c in claims[2:]] == listed and {c.form for c in claims[2:]} == {"list"}
    assert len(claims) == 12
    assert [c.line for c in claims[2:]] == list(range(marker + 2, marker + 12))


def test_seed_provenance_quotes_are_exact_slices() -> None:
    raw = SEED.read_text(encoding="utf-8")
    for claim in seed_claims():
        assert raw[claim.char_start : claim.char_end] == claim.quote
        line = raw.split("\n")[claim.line - 1]
        assert claim.quote in line and (claim.form != "list" or line == claim.quote == claim.text)


def test_seed_speaker_resolved_to_full_name_and_office() -> None:
    speakers = {(c.speaker.name, c.speaker.role) for c in seed_claims()}
    assert speakers == {("Yuri Ushakov", "Putin's aide")}


def test_seed_june_22_commitment() -> None:
    claims = {c.text: c for c in seed_claims()}
    june = next(c for t, c in claims.items() if "after June 22" in t)
    assert june.is_commitment and june.status == "not-yet-rated"
    assert (str(june.deadline), june.deadline_text, str(june.follow_up_due)) == (
        "2025-06-22", "after June 22", "2025-06-22",
    )
    istanbul = next(c for t, c in claims.items() if "Istanbul" in t)
    assert istanbul.deadline is None and not istanbul.is_commitment
    assert str(istanbul.follow_up_due) == "2025-07-14"  # published + 30 days
    assert istanbul.status is None


def test_seed_commitments_and_attributions() -> None:
    claims = seed_claims()
    assert [c.text[:30] for c in claims if c.is_commitment] == [
        "Russia is ready to continue ne", "Putin informed Trump that Russ",
    ]
    attributed = {c.text[:20]: c.attributed_to.name for c in claims if c.attributed_to}
    assert attributed == {"Russia is ready to c": "Vladimir Putin", "Putin congratulated ": "Yuri Ushakov"}


def test_seed_subjects() -> None:
    subjects = {c.text[:25]: {s.name for s in c.subjects} for c in seed_claims()}
    assert subjects["Putin informed Trump abou"] >= {"Vladimir Putin", "Donald Trump", "Iran", "Israel"}
    assert subjects["Putin reminded Trump of R"] >= {"Iranian nuclear program", "Iran", "Russia"}
    assert subjects["Putin also informed Trump"] >= {"Istanbul agreements", "Turkey"}
    assert subjects["Trump assessed the situat"] == {"Donald Trump", "Middle East"}
    assert "Flag Day" in subjects["Putin congratulated Trump"]
    # the trailing attribution is who said it, not what the claim is about
    assert "Yuri Ushakov" not in subjects["Putin congratulated Trump"]
    assert all(subjects.values())


def test_claim_key_is_stable_and_ignores_case_spacing_and_final_period() -> None:
    assert claim_key("ab" * 32, "Russia is ready.") == claim_key("ab" * 32, "russia  is READY")
    assert claim_key("ab" * 32, "Russia is ready.") != claim_key("cd" * 32, "Russia is ready.")
    # The seed's listed lines, read from the file itself, against keys computed here: the hash of
    # the source's SHA-256 and the lower-cased text with straight quotes, without its final period.
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    raw = SEED.read_text(encoding="utf-8").split("\n")
    listed = [line for line in raw[raw.index("Ushakov also revealed that:") + 1 :] if line.strip()]
    keys = {c.text: c.claim_key for c in seed_claims()}
    normalised = [line.lower().replace("\u2019", "'").rstrip(".") for line in listed]
    expected = [hashlib.sha256(f"{sha}\n{text}".encode()).hexdigest()[:24] for text in normalised]
    assert [keys[line] for line in listed] == expected and len(set(keys.values())) == len(keys)
    # pinned: a claim's identity across databases, exports and versions
    assert keys[listed[7]] == "87b7d56c4df16e66badc09a6"


HOUSE = """ date 2025-03-12 World
Talks Title
Talks Title
Lead sentence.Glued lead.
Talks Title

10:00 GMT 12.03.2025
Foreign Ministry spokeswoman Maria Zakharova held a briefing on Wednesday.
Deputy Foreign Minister Sergei Ryabkov also spoke to reporters.
{body}
"""


def test_item_styles_duplicates_and_boilerplate() -> None:
    body = """The spokeswoman also said:
• Moscow will host the talks on March 20.
- The delegations exchanged documents
– Russia is ready to continue the dialogue, Zakharova noted.
* “The atmosphere was businesslike,” she said.
1. The sides agreed to meet again in the coming weeks.
2) Moscow will host the talks on March 20.
Follow our channel on Telegram for the latest updates
Read also: Lavrov Meets Fidan in Ankara"""
    claims = extract(HOUSE.format(body=body))
    assert [c.text for c in claims] == [
        "Moscow will host the talks on March 20.",
        "The delegations exchanged documents",
        "Russia is ready to continue the dialogue, Zakharova noted.",
        "“The atmosphere was businesslike,” she said.",
        "The sides agreed to meet again in the coming weeks.",
    ]
    assert {c.speaker.name for c in claims} == {"Maria Zakharova"}
    assert claims[0].speaker.role == "Foreign Ministry spokeswoman"
    assert [c.is_commitment for c in claims] == [True, False, True, False, True]
    assert claims[4].deadline is None and claims[4].deadline_text == "in the coming weeks"


def test_several_lists_each_with_its_own_speaker() -> None:
    body = """In Zakharova's words:
The foreign minister will travel to Ankara next week.
Ryabkov stressed that:
Russia will respond to the US note by the end of the month.
According to Ryabkov:
The consultations were useful."""
    claims = extract(HOUSE.format(body=body))
    assert [(c.speaker.name, c.deadline and str(c.deadline)) for c in claims] == [
        ("Maria Zakharova", "2025-03-23"),
        ("Sergei Ryabkov", "2025-03-31"),
        ("Sergei Ryabkov", None),
    ]


def test_pronoun_marker_refers_to_last_named_speaker() -> None:
    body = """Ryabkov said the talks had been difficult.
He also said:
Washington has not answered the proposals."""
    claims = extract(HOUSE.format(body=body))
    assert [(c.text, c.speaker.name, c.form) for c in claims] == [
        ("the talks had been difficult", "Sergei Ryabkov", "reported"),
        ("Washington has not answered the proposals.", "Sergei Ryabkov", "list"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia is ready to resume negotiations after June 22.", True),
        ("The minister will travel to Ankara.", True),
        ("The sides agreed to exchange prisoners.", True),
        ("The next round is scheduled for March 3.", True),
        ("The report should be completed by May 1.", True),
        ("Kazakhstan plans to double exports.", True),
        ("Putin congratulated Trump on his birthday.", False),
        ("Trump assessed the situation as highly alarming.", False),
        ("The presidents did not rule out a return to talks.", False),
        ("Russia may raise the matter at the UN.", False),
        ("Moscow will not take the first step.", False),
        ("The Kremlin is considering a trilateral format.", False),
        ("The leaders expressed political will to cooperate.", False),
        ("Moscow is ready to consider Ankara's proposals.", True),
        ("The Duma will consider the ratification on June 10.", True),
        ("Russia has no plans to close its consulate.", False),
        ("The talks are not expected to be easy.", False),
        ("“We are not going to wait for anyone's permission,” he said.", False),
    ],
)
def test_commitment_classification(text: str, expected: bool) -> None:
    assert is_commitment(text) is expected


@pytest.mark.parametrize("body", ["Nobody said anything in a list.\nJust sentences.", "Read also:\nSomething else"])
def test_article_in_which_nothing_is_attributed_has_no_claims(body: str) -> None:
    house = HOUSE.replace("Foreign Ministry spokeswoman Maria Zakharova held a briefing on Wednesday.\n", "")
    assert extract(house.replace("Deputy Foreign Minister Sergei Ryabkov also spoke to reporters.\n", "").format(body=body)) == []


LIST_SETS = ("heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "real_lists", "real_lists_blind")


@pytest.mark.parametrize(
    ("folder", "floor"),
    [(ARTICLES, "0.95"), *((ARTICLES.parent / d, "0.95") for d in LIST_SETS),
     # issue 12's targets for running text: precision 0.90, recall 0.85, speaker 0.95
     (ARTICLES.parent / "prose", "0.95"), (ARTICLES.parent / "prose_blind", "0.85")],
)
def test_fixture_sets_score_at_least_their_floor(folder: Path, floor: str) -> None:
    from typer.testing import CliRunner

    from tracker.cli import app

    assert len(list(folder.glob("*.txt"))) >= 8
    gold = GOLD if folder == ARTICLES else folder / "gold.jsonl"
    # The floor is on the five original figures; `--fail-under` now also covers the figures a gold
    # file adds (roles, attributions, deadline phrases, subjects), which have no floor here yet.
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(folder), "--format", "jsonl"])
    scores = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    five = ("precision", "recall", "speaker_accuracy", "commitment_accuracy", "deadline_accuracy")
    assert min(scores[name] for name in five) >= float(floor), scores["misses"]
    assert scores["gold"] >= 70 and scores["matched"] >= float(floor) * scores["gold"]
    if floor != "0.95":
        assert scores["precision"] >= 0.90 and scores["speaker_accuracy"] >= 0.95


def test_name_particles_hyphenated_offices_and_unknown_speakers() -> None:
    text = """ date 2025-03-12 World
Summit Title
Summit Title

10:00 GMT 12.03.2025
Ambassador Jan van der Berg met officials, and UN secretary-general Amina Okonjo spoke too.
Okonkwo said:
The sides will meet next week.
The secretary-general told the summit:
The fund will be replenished by the end of the year.
Per the ambassador:
The embassy will reopen on April 1.
Van der Berg added:
Visas will be issued within 10 days
"""
    claims = extract(text)
    assert [(c.speaker.name, c.speaker.role) for c in claims] == [
        ("Okonkwo", None),  # never named in full: kept as written
        ("Amina Okonjo", "UN secretary-general"),
        ("Jan van der Berg", "Ambassador"),
        ("Jan van der Berg", "Ambassador"),
    ]
    assert [str(c.deadline) for c in claims] == ["2025-03-23", "2025-12-31", "2025-04-01", "2025-03-22"]


def test_office_matching_nobody_falls_back_to_the_last_named_official() -> None:
    body = """Ryabkov spoke after Zakharova's briefing.
The official added:
The talks will resume next week."""
    (claim,) = extract(HOUSE.format(body=body))
    assert claim.speaker.name == "Maria Zakharova"  # the last person the body named


@pytest.mark.parametrize(
    ("intro", "marker", "expected"),
    [
        ("Russian Ambassador to the United States Alexander Darchiev gave an interview.", "Darchiev said:", "Alexander Darchiev"),
        ("Gazprom CEO Alexei Miller spoke at the forum.", "Miller noted:", "Alexei Miller"),
        ("Central Bank of Egypt Governor Hassan el-Sayed Farouk spoke.", "According to the governor:", "Hassan el-Sayed Farouk"),
        ("Minister of State Mohammed bin Saleh Al Hajri held talks.", "Al Hajri told reporters:", "Mohammed bin Saleh Al Hajri"),
        ("The forum was attended by Paula Riquelme Soto, chief executive of the miner Lithium Andino.",
         "Paula Riquelme Soto, chief executive of Lithium Andino, told reporters:", "Paula Riquelme Soto"),
        ("Governor J. D. Thibodeaux held a press conference in Baton Rouge on Monday.", "He said:", "J. D. Thibodeaux"),
        ("Prime Minister Kristjan Mägi addressed parliament.", "The prime minister's statement included:", "Kristjan Mägi"),
        ("Modi spoke with Brazilian President Luiz Inacio Lula da Silva.", "Lula said:", "Luiz Inacio Lula da Silva"),
        ("ASEAN Secretary-General Pham Minh Khoa opened the summit.", "The secretary-general told the summit:", "Pham Minh Khoa"),
        ("Kazakh President Kassym-Jomart Tokayev received Iranian President Masoud Pezeshkian.",
         "The Kazakh President stated that:", "Kassym-Jomart Tokayev"),
    ],
)
def test_names_after_places_acronyms_and_offices(intro: str, marker: str, expected: str) -> None:
    (claim,) = extract(HOUSE.format(body=f"{intro}\n{marker}\nThe talks will resume next week."))
    assert claim.speaker.name == expected


@pytest.mark.parametrize(
    "line",
    [
        "Found an error? Select it and press Ctrl+Enter to let us know.",
        "All materials on this site are protected by copyright.",
        "This story has been updated with comments from the ministry.",
        "If you have noticed an error in the text, please select it.",
        "Sputnik is the leading source of news from Russia. Stay tuned for more updates.",
        "TASS will continue to follow the developments.",
        "Further details are expected later in the day.",
    ],
)
def test_outlet_lines_after_a_list_are_not_claims(line: str) -> None:
    body = f"Ryabkov stressed that:\nRussia will respond by the end of the month.\n{line}"
    assert [c.text for c in extract(HOUSE.format(body=body))] == ["Russia will respond by the end of the month."]


def test_office_alone_prefers_the_holder_without_extra_rank() -> None:
    body = """Finance Minister Anton Siluanov and Deputy Finance Minister Vladimir Kolychev spoke.
The finance minister said:
The ministry will place bonds by the end of the year.
The deputy minister added:
Reserves will be replenished next month."""
    assert [c.speaker.name for c in extract(HOUSE.format(body=body))] == ["Anton Siluanov", "Vladimir Kolychev"]


def test_attributed_claim_before_a_marker_is_kept() -> None:
    body = """Deputy Prime Minister Alexander Novak spoke, with Energy Minister Sergei Tsivilev present.
Novak said the following:
Russia does not intend to extend the export ban, Energy Minister Sergei Tsivilev said.
The energy minister added:
The current ban will remain in place until March 1."""
    claims = extract(HOUSE.format(body=body))
    assert [(c.speaker.name, c.text[:20]) for c in claims] == [
        ("Alexander Novak", "Russia does not inte"), ("Sergei Tsivilev", "The current ban will"),
    ]


def test_the_articles_own_site_is_an_outlet_but_a_country_is_not() -> None:
    text = HOUSE.replace(" date 2025-03-12 World", " date 2025-03-12 https://www.chinadaily.com.cn/a/1.html")
    body = """Ryabkov stressed that:
China will host the talks next week.
Chinadaily will keep following the story."""
    assert [c.text for c in extract(text.format(body=body))] == ["China will host the talks next week."]
