"""Statements: the claims that report one assertion of one speaker, whichever outlet printed it.

Every claim belongs to a statement. A new claim joins the statement of the same speaker, first
seen within the window (default 14 days), whose wording states the same (tracker/grouping.py);
otherwise it starts one. Candidates come from indexes on (speaker, fact key, first seen) — the
fact key is the numbers of a statement's earliest wording — and on each of those numbers: a
claim is compared with the statements whose numbers are all among its own, or that give all of
its numbers and more (one outlet adds a figure another leaves out); never with every claim.

A statement's text is its earliest appearance's; its representative is its earliest appearance
that is a commitment (else its earliest): commitments, due and overdue lists, the scorecard and
the calendar list representatives only, so a statement printed by three outlets counts once.
Follow-ups recorded on any appearance set the status of every commitment among its appearances
(schema.sql). Moving a claim to another statement is recorded in `statement_log`.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from itertools import combinations

from tracker.errors import InputError, NotFoundError
from tracker.facts import YEAR_RE
from tracker.grouping import DEFAULT_WINDOW_DAYS, nearest_agreeing
from tracker.wording import MONTHS, Fingerprint, fingerprint, on_days, speaker_words

# Statements a claim is compared with, at most: the speaker's latest in the window with the same
# fact key. Bounds the work per claim however prolific a speaker is (or however many claims one
# crafted file holds); a statement first seen 200 of the speaker's statements ago is not joined.
MAX_CANDIDATES = 200


# Wordings fingerprinted lately, newest last: a statement's wordings are read again whenever a
# new claim may join it, and the other outlets' copies of a readout arrive within days of it.
RECENT_WORDINGS = 4096  # about 6 MB
_recent: OrderedDict[str, Fingerprint] = OrderedDict()


def remembered_fingerprint(text: str, given: Fingerprint | None = None) -> Fingerprint:
    """A wording's fingerprint (a pure function of its text: stemming is the costly part), from the
    recent ones when it is there; `given` is one the extraction workers already made."""
    print_ = _recent.pop(text, None) or given or fingerprint(text)
    _recent[text] = print_
    if len(_recent) > RECENT_WORDINGS:
        _recent.popitem(last=False)
    return print_


def derived_status(is_commitment: str = "claims.is_commitment") -> str:
    """SQL for the status a claim must have (schema.sql's claims_status_is_derived trigger holds it
    to the same rule): a commitment's is its statement's latest follow-up's, else 'not-yet-rated';
    anything else has none. `is_commitment` is the SQL of the claim's commitment flag (an UPDATE
    setting it passes the new value)."""
    return f"""CASE WHEN {is_commitment} = 1 THEN coalesce((SELECT follow_ups.status FROM follow_ups
        JOIN claims AS appearance ON appearance.id = follow_ups.claim_id
        WHERE appearance.id = claims.id
           OR (claims.statement_id IS NOT NULL AND appearance.statement_id = claims.statement_id)
        ORDER BY follow_ups.id DESC LIMIT 1), 'not-yet-rated') END"""


def fact_key(print_: Fingerprint) -> str:
    """The numbers a wording gives, sorted: the grouping's candidate index."""
    return " ".join(sorted(print_.numbers))


# A claim giving this many numbers or fewer looks up every subset of them; one giving more, its
# own numbers and none (2**5 keys at most).
MAX_SUBSET_NUMBERS = 5


UNASSIGNED = """SELECT claims.id, claims.speaker_id, claims.text, sources.published_at, people.name
    FROM claims JOIN sources ON sources.id = claims.source_id
    LEFT JOIN people ON people.id = claims.speaker_id
    WHERE claims.statement_id IS NULL AND claims.retracted_at IS NULL"""


def assign_statements(conn: sqlite3.Connection, source_ids: Iterable[int] | None = None,
                      window_days: int = DEFAULT_WINDOW_DAYS,
                      fingerprints: dict[str, Fingerprint] | None = None) -> int:  # fmt: skip
    """Give every claim without a statement (of these sources, or all) one; return how many
    claims joined an existing statement rather than starting their own. `fingerprints` are the
    claims' wordings already fingerprinted (by the extraction workers: stemming is the costly
    part); the others are fingerprinted here."""
    if source_ids is None:
        rows = conn.execute(UNASSIGNED + " ORDER BY sources.published_at, claims.id").fetchall()
    else:
        rows = [r for source_id in source_ids for r in conn.execute(
            UNASSIGNED + " AND claims.source_id = ? ORDER BY claims.id", [source_id])]  # fmt: skip
    joined = 0
    window = timedelta(days=window_days)
    given = fingerprints or {}
    for claim_id, speaker_id, text, published_at, speaker in rows:
        mine = on_days(remembered_fingerprint(text, given.get(text)), published_at)
        joined += _assign(conn, claim_id, speaker_id, text, mine, published_at, window, speaker_words(speaker or ""))
    return joined


def _assign(conn: sqlite3.Connection, claim_id: int, speaker_id: int, text: str, mine: Fingerprint,
            published_at: str, window: timedelta, speaker: frozenset[str]) -> bool:  # fmt: skip
    published = datetime.fromisoformat(published_at)
    candidates = _candidates(conn, speaker_id, mine, (published - window).isoformat(), (published + window).isoformat())
    found = nearest_agreeing(mine, [words for _, words in candidates],
                             lambda index: _wordings(conn, candidates[index][0]),
                             speaker=speaker) if candidates else None  # fmt: skip
    if found is None:
        conn.execute("UPDATE claims SET statement_id = ? WHERE id = ?",
                     [_start(conn, claim_id, speaker_id, text, mine, published_at), claim_id])  # fmt: skip
        return False
    join(conn, claim_id, candidates[found][0])
    return True


def _candidates(conn: sqlite3.Connection, speaker_id: int, mine: Fingerprint, low: str,
                high: str) -> list[tuple[int, str]]:  # fmt: skip
    """The speaker's statements first seen in the window that `mine` might state the same as:
    those with its numbers or some of them (none, when it gives none), and those giving all of its
    numbers and more; the latest MAX_CANDIDATES of each kind."""
    numbers = sorted(mine.numbers | mine.possible_days)  # "on Tuesday" may be the "March 18" of another
    subsets = _subsets(numbers) if len(numbers) <= MAX_SUBSET_NUMBERS else [" ".join(numbers)]
    subsets.append(fact_key(mine))  # its own numbers, without the days its "Tuesday" may be
    if any(thing in MONTHS for _, thing in mine.counted):
        subsets.append("")  # "on March 18" may be the "on Tuesday" of another
    fewer = conn.execute(
        f"""SELECT id, match_words FROM statements WHERE speaker_id = ? AND first_seen BETWEEN ? AND ?
            AND fact_key IN ({", ".join("?" * len(subsets))}) ORDER BY first_seen DESC LIMIT ?""",
        [speaker_id, low, high, *subsets, MAX_CANDIDATES],
    ).fetchall()
    if not numbers:
        return fewer
    return fewer + _giving_more(conn, speaker_id, numbers, low, high)


def _giving_more(conn: sqlite3.Connection, speaker_id: int, numbers: list[str], low: str,
                 high: str) -> list[tuple[int, str]]:  # fmt: skip
    """The speaker's statements in the window giving all of `numbers` and more, the latest
    MAX_CANDIDATES. Read through one number, keeping the statements whose fact key holds every
    other number too and is not the same key: which number leads changes the cost, never the rows (the order and the
    limit apply to the statements kept). A small number or a year ("0", "2025") may be in every
    statement of a speaker, so a long number that is not a year leads."""
    leading = min(numbers, key=_commonness)
    others = [number for number in numbers if number != leading]
    holds_others = "".join(" AND instr(' ' || fact_key || ' ', ?) > 0" for _ in others)
    return conn.execute(
        f"""SELECT statements.id, match_words FROM statement_numbers
            JOIN statements ON statements.id = statement_numbers.statement_id
            WHERE statement_numbers.speaker_id = ? AND number = ? AND statement_numbers.first_seen BETWEEN ? AND ?
            AND fact_key != ?{holds_others}
            ORDER BY statement_numbers.first_seen DESC LIMIT ?""",
        [speaker_id, leading, low, high, " ".join(numbers), *(f" {n} " for n in others), MAX_CANDIDATES],
    ).fetchall()


def _commonness(number: str) -> tuple[bool, int]:
    """Lower for numbers fewer statements give: longer ones, years last among them."""
    return YEAR_RE.match(number) is not None, -len(number.split(".")[0])


def _subsets(numbers: list[str]) -> list[str]:
    """Every subset of the numbers as a fact key; the empty one only for a claim giving none (a
    number in common is needed: tracker/facts.py, `_same_numbers`)."""
    if not numbers:
        return [""]
    return [" ".join(chosen) for size in range(1, len(numbers) + 1) for chosen in combinations(numbers, size)]


def _index_numbers(conn: sqlite3.Connection, statement_id: int, speaker_id: int, key: str, first_seen: str,
                   old: tuple[str, str] | None = None) -> None:  # fmt: skip
    """A statement's rows in statement_numbers, one per number of its fact key, replacing those
    of its `old` fact key and first seen."""
    if old is not None:
        conn.executemany(
            "DELETE FROM statement_numbers WHERE speaker_id = ? AND number = ? AND first_seen = ? AND statement_id = ?",
            [(speaker_id, number, old[1], statement_id) for number in old[0].split()],
        )
    conn.executemany(
        "INSERT INTO statement_numbers (speaker_id, number, first_seen, statement_id) VALUES (?, ?, ?, ?)",
        [(speaker_id, number, first_seen, statement_id) for number in key.split()],
    )


def _start(conn: sqlite3.Connection, claim_id: int, speaker_id: int, text: str, mine: Fingerprint,
           published_at: str) -> int:  # fmt: skip
    """A new statement whose one appearance is the claim; return its id."""
    cursor = conn.execute(
        """INSERT INTO statements (claim_id, speaker_id, text, match_words, fact_key, first_seen,
           last_seen, appearances) VALUES (?, ?, ?, ?, ?, ?, ?, 1)""",
        [claim_id, speaker_id, text, mine.words, fact_key(mine), published_at, published_at],
    )
    statement_id = int(cursor.lastrowid or 0)
    if mine.numbers:
        _index_numbers(conn, statement_id, speaker_id, fact_key(mine), published_at)
    return statement_id


def _wordings(conn: sqlite3.Connection, statement_id: int) -> list[Fingerprint]:
    """Every wording of a statement (its appearances' texts, each as of its publication), to check
    a new claim's facts with."""
    return [on_days(remembered_fingerprint(text), published) for text, published in conn.execute(
        """SELECT claims.text, sources.published_at FROM claims JOIN sources ON sources.id = claims.source_id
           WHERE claims.statement_id = ? AND claims.retracted_at IS NULL""", [statement_id])]  # fmt: skip


def join(conn: sqlite3.Connection, claim_id: int, statement_id: int) -> None:
    """Make a claim an appearance of a statement, taking on the statement's current status."""
    conn.execute("UPDATE claims SET statement_id = ? WHERE id = ?", [statement_id, claim_id])
    refresh(conn, [statement_id])


def refresh(conn: sqlite3.Connection, statement_ids: Iterable[int]) -> None:
    """Recount a statement's appearances and re-pick its text and representative from the
    claims that belong to it now (retracted ones do not count); one left with none is kept,
    with no appearances, so its claims can be restored into it."""
    for statement_id in statement_ids:
        members = conn.execute(
            """SELECT claims.id, claims.text, claims.is_commitment, sources.published_at FROM claims
               JOIN sources ON sources.id = claims.source_id
               WHERE claims.statement_id = ? AND claims.retracted_at IS NULL
               ORDER BY sources.published_at, claims.id""",
            [statement_id],
        ).fetchall()
        if not members:
            conn.execute("UPDATE statements SET appearances = 0 WHERE id = ?", [statement_id])
            continue
        earliest = members[0]
        representative = next((m for m in members if m[2]), earliest)
        print_ = remembered_fingerprint(earliest[1])
        new_key = fact_key(print_)
        speaker_id, key, first_seen = conn.execute(
            "SELECT speaker_id, fact_key, first_seen FROM statements WHERE id = ?", [statement_id]
        ).fetchone()
        conn.execute(
            """UPDATE statements SET claim_id = ?, text = ?, match_words = ?, fact_key = ?, first_seen = ?,
               last_seen = ?, appearances = ? WHERE id = ?""",
            [representative[0], earliest[1], print_.words, new_key, earliest[3], members[-1][3],
             len(members), statement_id],
        )
        if (key, first_seen) != (new_key, earliest[3]):  # an earlier wording joined
            _index_numbers(conn, statement_id, speaker_id, new_key, earliest[3], (key, first_seen))
        _sync_status(conn, statement_id)


def _sync_status(conn: sqlite3.Connection, statement_id: int) -> None:
    """Every commitment among a statement's appearances carries its latest follow-up's status."""
    latest = conn.execute(
        """SELECT follow_ups.status, follow_ups.checked_on FROM follow_ups
           JOIN claims ON claims.id = follow_ups.claim_id WHERE claims.statement_id = ?
           ORDER BY follow_ups.id DESC LIMIT 1""",
        [statement_id],
    ).fetchone()
    status, checked = latest if latest else ("not-yet-rated", None)
    conn.execute(
        """UPDATE claims SET status = ?, last_checked = ? WHERE statement_id = ? AND is_commitment = 1
           AND (status IS NOT ? OR last_checked IS NOT ?)""",
        [status, checked, statement_id, status, checked],
    )


def move(conn: sqlite3.Connection, claim_id: int, to_statement: int | None, action: str, note: str | None = None) -> int:
    """Move a claim to another statement (or a new one of its own), logged; return its statement."""
    row = conn.execute(
        "SELECT statement_id, speaker_id, text FROM claims WHERE id = ?", [claim_id]
    ).fetchone()
    before, speaker_id, text = row
    if to_statement is None:
        published = conn.execute(
            "SELECT published_at FROM sources JOIN claims ON claims.source_id = sources.id WHERE claims.id = ?",
            [claim_id],
        ).fetchone()[0]
        to_statement = _start(conn, claim_id, speaker_id, text, fingerprint(text), published)
    conn.execute("UPDATE claims SET statement_id = ? WHERE id = ?", [to_statement, claim_id])
    conn.execute(
        """INSERT INTO statement_log (claim_id, from_statement_id, to_statement_id, action, note,
           recorded_at) VALUES (?, ?, ?, ?, ?, ?)""",
        [claim_id, before, to_statement, action, note, datetime.now(timezone.utc).replace(microsecond=0).isoformat()],
    )
    refresh(conn, [s for s in (before, to_statement) if s is not None])
    return to_statement


def split(conn: sqlite3.Connection, claim_id: int, note: str | None = None) -> int:
    """Take a claim out of its statement into one of its own (`tracker statement split`)."""
    row = conn.execute("SELECT statement_id FROM claims WHERE id = ?", [claim_id]).fetchone()
    if row is None:
        raise NotFoundError(f"claim {claim_id}: no such claim")
    others = conn.execute(
        "SELECT count(*) FROM claims WHERE statement_id = ? AND id != ?", [row[0], claim_id]
    ).fetchone()[0]
    if not others:
        raise InputError(f"claim {claim_id}: already the only appearance of statement {row[0]}")
    return move(conn, claim_id, None, "split", note)


def merge(conn: sqlite3.Connection, into: int, other: int, note: str | None = None) -> int:
    """Move every appearance of statement `other` into statement `into`; return how many."""
    speakers = dict(conn.execute("SELECT id, speaker_id FROM statements WHERE id IN (?, ?)", [into, other]))
    for statement_id in (into, other):
        if statement_id not in speakers:
            raise NotFoundError(f"statement {statement_id}: no such statement")
    if into == other:
        raise InputError(f"statement {into}: cannot merge a statement into itself")
    if speakers[into] != speakers[other]:
        raise InputError(f"statements {into} and {other}: different speakers, so not one statement")
    claims = [r[0] for r in conn.execute("SELECT id FROM claims WHERE statement_id = ? ORDER BY id", [other])]
    for claim_id in claims:
        move(conn, claim_id, into, "merge", note)
    return len(claims)
