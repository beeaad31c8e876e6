"""What the home page, the dashboard, speaker pages and the `commitments` view show, read from the
figures the database keeps (tracker/kept.py, schema.sql) instead of counted from the claims.

Each query here answers what a query over `claims` answered before (the tests hold those), over
a few thousand kept rows instead of a million claims: a page's first view in a server process no
longer counts. "Overdue today" sums the follow-up dates before today, kept per day.

A speaker's latest claims and soonest open commitments are still read from the claims, in the
order of an index that stops at the last one wanted; the kept figures say which index reads
fewer rows (`_plan`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.models import FINAL_STATUSES, STATUSES

if TYPE_CHECKING:
    from datasette.database import Database

# Not open: the final ratings, and no status ('' as kept; `status NOT IN (…)` never counted NULL).
CLOSED = ", ".join(f"'{s}'" for s in (*FINAL_STATUSES, ""))
OVERDUE = f"(status NOT IN ({CLOSED}) AND follow_up_due < :today)"

HOME = f"""SELECT (SELECT coalesce(sum(count), 0) FROM claim_days) AS claims,
    (SELECT coalesce(sum(count), 0) FROM commitment_counts) AS commitments,
    (SELECT coalesce(sum(count), 0) FROM commitment_counts WHERE {OVERDUE}) AS overdue"""

# Rows of the `commitments` view: `select count(*) from commitments` on its table page; those
# with is_rated 0 (open: the home page's link) and 1.
LISTED_COMMITMENTS = "SELECT coalesce(sum(count), 0) FROM commitment_counts WHERE listed = 1"
LISTED_BY_RATING = {
    "0": f"{LISTED_COMMITMENTS} AND status NOT IN ({CLOSED})",
    "1": f"{LISTED_COMMITMENTS} AND status IN ({', '.join(repr(s) for s in FINAL_STATUSES)})",
}

SPEAKER_TOTALS = f"""SELECT (SELECT coalesce(sum(count), 0) FROM claim_days WHERE speaker_id = :id) AS claims,
    coalesce(sum(count), 0) AS commitments,
    {", ".join(f"coalesce(sum((status = '{s}') * count), 0) AS [{s}]" for s in STATUSES)},
    coalesce(sum({OVERDUE} * count), 0) AS overdue
    FROM commitment_counts WHERE speaker_id = :id"""

SPEAKER_SUBJECTS = """SELECT subjects.id, subjects.name, kept.count FROM speaker_subjects AS kept
    JOIN subjects ON subjects.id = kept.subject_id WHERE kept.speaker_id = :id AND kept.count > 0
    ORDER BY kept.count DESC, subjects.name LIMIT :limit"""

# The dashboard: commitments per speaker, month and status, with those overdue today; claims per
# week and speaker since :since; the subjects with most claims (claim_counts).
DASHBOARD_COMMITMENTS = f"""SELECT speaker_id, substr(follow_up_due, 1, 7) AS month, nullif(status, '') AS status,
    sum(count) AS n, sum({OVERDUE} * count) AS overdue
    FROM commitment_counts WHERE count > 0 GROUP BY speaker_id, month, status"""
DASHBOARD_WEEKS = """SELECT date(day, '-6 days', 'weekday 1') AS week, speaker_id, sum(count) AS n
    FROM claim_days WHERE day >= :since AND count > 0 GROUP BY week, speaker_id"""
DASHBOARD_SUBJECTS = """SELECT subjects.id, subjects.name, subjects.kind, counts.n
    FROM (SELECT value AS subject_id, count AS n FROM claim_counts WHERE facet = 'subject' AND count > 0
          ORDER BY n DESC, subject_id LIMIT :limit) AS counts
    JOIN subjects ON subjects.id = counts.subject_id
    ORDER BY counts.n DESC, subjects.name"""
CLAIMS = "SELECT coalesce(sum(count), 0) FROM claim_days"

LIST_COLUMNS = """claims.id, claims.text, claims.is_commitment, claims.status, claims.deadline,
    claims.deadline_text, claims.follow_up_due, claims.retracted_at, claims.source_id,
    sources.title AS source_title, sources.published_at"""

# Rows each way reads: the open-commitment index in follow-up order stops at the date by which the
# speaker has :wanted open commitments (all of it when they have fewer); the speaker index reads
# all their claims.
OPEN_PLAN = f"""WITH due AS (
        SELECT follow_up_due, sum(sum(count)) OVER (ORDER BY follow_up_due) AS running FROM commitment_counts
        WHERE speaker_id = :id AND status NOT IN ({CLOSED}) GROUP BY follow_up_due),
    bound AS (SELECT min(follow_up_due) AS bound FROM due WHERE running >= :wanted)
    SELECT (SELECT coalesce(sum(count), 0) FROM commitment_counts
            WHERE bound IS NULL OR follow_up_due <= bound) AS by_date,
           (SELECT coalesce(sum(count), 0) FROM claim_days WHERE speaker_id = :id) AS by_speaker
    FROM bound"""
OPEN_BY_DATE = f"""SELECT {LIST_COLUMNS} FROM claims INDEXED BY idx_open_commitments_due
    JOIN sources ON sources.id = claims.source_id
    WHERE claims.speaker_id = :id AND claims.is_commitment = 1 AND claims.retracted_at IS NULL
        AND claims.status NOT IN ({CLOSED})
    ORDER BY claims.follow_up_due, claims.id LIMIT :wanted"""
OPEN_BY_SPEAKER = f"""SELECT {LIST_COLUMNS} FROM claims INDEXED BY idx_claims_speaker
    JOIN sources ON sources.id = claims.source_id
    WHERE claims.speaker_id = :id AND claims.is_commitment = 1 AND claims.retracted_at IS NULL
        AND claims.status NOT IN ({CLOSED})
    ORDER BY claims.follow_up_due, claims.id LIMIT :wanted"""

# Rows each way reads: the newest articles first, back to the day since which the speaker has
# :wanted claims (all of them when they have fewer); or all the speaker's claims.
RECENT_PLAN = """WITH days AS (
        SELECT day, sum(count) OVER (ORDER BY day DESC) AS running FROM claim_days
        WHERE speaker_id = :id AND count > 0),
    bound AS (SELECT max(day) AS bound FROM days WHERE running >= :wanted)
    SELECT (SELECT coalesce(sum(count), 0) FROM claim_days WHERE bound IS NULL OR day >= bound) AS by_date,
           (SELECT coalesce(sum(count), 0) FROM claim_days WHERE speaker_id = :id) AS by_speaker
    FROM bound"""
RECENT_BY_DATE = f"""SELECT {LIST_COLUMNS} FROM sources INDEXED BY idx_sources_published
    CROSS JOIN claims INDEXED BY idx_claims_source
    WHERE claims.source_id = sources.id AND claims.speaker_id = :id AND claims.retracted_at IS NULL
    ORDER BY sources.published_at DESC, claims.id DESC LIMIT :wanted"""
RECENT_BY_SPEAKER = f"""SELECT {LIST_COLUMNS} FROM claims INDEXED BY idx_claims_speaker
    JOIN sources ON sources.id = claims.source_id
    WHERE claims.speaker_id = :id AND claims.retracted_at IS NULL
    ORDER BY sources.published_at DESC, claims.id DESC LIMIT :wanted"""


async def first(db: Database, sql: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    return dict((await db.execute(sql, params or {})).first())


async def rows(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def open_commitments(db: Database, person_id: int, wanted: int) -> list[dict[str, Any]]:
    """The speaker's open commitments, soonest follow-up first (ties by id)."""
    return await _plan(db, {"id": person_id, "wanted": wanted}, OPEN_PLAN, OPEN_BY_DATE, OPEN_BY_SPEAKER)


async def recent_claims(db: Database, person_id: int, wanted: int) -> list[dict[str, Any]]:
    """The speaker's claims, newest article first (ties by id, highest first)."""
    return await _plan(db, {"id": person_id, "wanted": wanted}, RECENT_PLAN, RECENT_BY_DATE, RECENT_BY_SPEAKER)


async def _plan(db: Database, params: dict[str, Any], plan: str, by_date: str, by_speaker: str) -> list[dict[str, Any]]:
    """The same rows either way (the same ORDER BY): in date order until the last one wanted, or
    through all the speaker's claims, whichever the kept figures say reads fewer rows (a prolific
    speaker's claims are tens of thousands; a quiet speaker's latest ones may go back years)."""
    sizes = await first(db, plan, params)
    return await rows(db, by_date if sizes["by_date"] < sizes["by_speaker"] else by_speaker, params)
