from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import find_deadline

SAT_JUNE_14 = date(2025, 6, 14)  # a Saturday
WED_MARCH_12 = date(2025, 3, 12)


@pytest.mark.parametrize(
    ("text", "published", "expected", "phrase"),
    [
        ("Russia is ready to resume talks, as agreed, after June 22.", SAT_JUNE_14, "2025-06-22", "after June 22"),
        ("The summit will be held on July 3.", SAT_JUNE_14, "2025-07-03", "on July 3"),
        ("The round is scheduled for September 15, 2025.", SAT_JUNE_14, "2025-09-15", "scheduled for September 15, 2025"),
        ("Invitations will be sent before September 1.", SAT_JUNE_14, "2025-09-01", "before September 1"),
        ("The report will be ready by October 1.", SAT_JUNE_14, "2025-10-01", "by October 1"),
        ("A decision is due by 1 October 2025.", SAT_JUNE_14, "2025-10-01", "due by 1 October 2025"),
        ("Experts will meet within 10 days.", SAT_JUNE_14, "2025-06-24", "within 10 days"),
        ("Groups will finish within three weeks.", SAT_JUNE_14, "2025-07-05", "within three weeks"),
        ("They will meet again in two months.", SAT_JUNE_14, "2025-08-14", "in two months"),
        ("Lavrov will travel to Ankara next week.", SAT_JUNE_14, "2025-06-22", "next week"),
        ("Lavrov will travel to Ankara next week.", WED_MARCH_12, "2025-03-23", "next week"),
        ("A reply will follow by the end of the week.", WED_MARCH_12, "2025-03-16", "by the end of the week"),
        ("A reply will follow by the end of the week.", date(2025, 3, 16), "2025-03-16", "by the end of the week"),
        ("The plan will be adopted by the end of the month.", date(2024, 2, 10), "2024-02-29", "by the end of the month"),
        ("The treaty will be ratified by the end of the year.", SAT_JUNE_14, "2025-12-31", "by the end of the year"),
        ("The treaty will be ratified by year-end.", SAT_JUNE_14, "2025-12-31", "by year-end"),
        ("The talks will resume on January 10.", date(2025, 12, 18), "2026-01-10", "on January 10"),
        ("The work should be done by the end of June.", SAT_JUNE_14, "2025-06-30", "by the end of June"),
        ("Deliveries will start by mid-July.", SAT_JUNE_14, "2025-07-15", "by mid-July"),
        ("Construction will finish in 2027.", SAT_JUNE_14, "2027-12-31", "in 2027"),
        ("The envoy will arrive on Friday.", SAT_JUNE_14, "2025-06-20", "on Friday"),
        ("The envoy will arrive tomorrow.", SAT_JUNE_14, "2025-06-15", "tomorrow"),
        ("Talks are to start on 22.06.2025.", SAT_JUNE_14, "2025-06-22", "on 22.06.2025"),
        ("The assessment will be submitted within a fortnight.", SAT_JUNE_14, "2025-06-28", "within a fortnight"),
        ("Licences will be issued within 10 working days.", SAT_JUNE_14, "2025-06-24", "within 10 working days"),
        ("The cable will be repaired by the 20th of January.", date(2025, 12, 18), "2026-01-20", "by the 20th of January"),
        ("Brazil will reply within 48 hours.", SAT_JUNE_14, "2025-06-16", "within 48 hours"),
        ("The ministers are to meet again on the 25th.", SAT_JUNE_14, "2025-06-25", "on the 25th"),
        ("The commission will meet on the 12th.", date(2025, 12, 27), "2026-01-12", "on the 12th"),
    ],
)
def test_stated_deadlines(text: str, published: date, expected: str, phrase: str) -> None:
    deadline = find_deadline(text, published, is_commitment=True)
    assert deadline is not None
    assert deadline.date == date.fromisoformat(expected)
    assert deadline.text == phrase


@pytest.mark.parametrize(
    "phrase",
    ["in the coming days", "in the coming weeks", "soon", "immediately", "as soon as possible",
     "in the first half of next year", "by early next week", "in the second quarter of 2026"],
)
def test_vague_times_keep_the_phrase_without_a_date(phrase: str) -> None:
    deadline = find_deadline(f"The sides will meet {phrase}.", SAT_JUNE_14)
    assert deadline is not None
    assert deadline.date is None
    assert deadline.text == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Putin informed Trump about the Istanbul agreements reached in Turkiye on June 2",
        "The sides exchanged lists of prisoners last Tuesday.",
        "The delegations met two weeks ago.",
        "The talks took place on 3 May 2025.",
        "The conversation lasted for about an hour.",
        "Russia may consider new proposals.",  # "may" is a verb, not the month
        "The parties met in March.",
        "The operator has spent 12 million euros on repairs since January.",
        "Prices have risen since last year.",
    ],
)
def test_past_dates_and_no_dates_are_not_deadlines(text: str) -> None:
    assert find_deadline(text, SAT_JUNE_14) is None


def test_weekdays_count_only_in_commitments() -> None:
    report = "On Monday the sides met in Geneva."
    assert find_deadline(report, SAT_JUNE_14, is_commitment=False) is None
    assert find_deadline(report, SAT_JUNE_14, is_commitment=True).date == date(2025, 6, 16)


def test_first_future_date_wins_over_past_one() -> None:
    text = "The agreements reached on June 2 will be implemented by July 1."
    deadline = find_deadline(text, SAT_JUNE_14)
    assert (deadline.date, deadline.text) == (date(2025, 7, 1), "by July 1")
