"""Figures the database keeps so that no page counts a million claims (schema.sql: claim_counts,
commitment_counts, claim_days, speaker_subjects), and how each is counted from the claims.

Triggers keep them for every writer; `tracker ingest` defers them inside its commit groups and
adds each group's new claims with one statement per figure at the commit (`add_new_claims`).
The same counts fill them in a database made before a table existed (tracker/db.py), let
`tracker check` compare them with a recount, and stand in for them (as temporary views) in a
database served read-only before a command added them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# Whether the `commitments` view lists a claim: it stands for its statement, or is in none.
LISTED = ("(claims.statement_id IS NULL OR claims.id IS "
          "(SELECT claim_id FROM statements WHERE statements.id = claims.statement_id))")


@dataclass(frozen=True)
class Figure:
    table: str
    key: tuple[str, ...]
    # Each key's count over the claims with ids above :after (0: all), as (*key, count).
    count: str
    shown_by: str  # for `tracker check`'s message

    def add_new_claims(self) -> str:
        """Adds the counts of the claims above :after to the kept ones."""
        columns = ", ".join(self.key)
        return (f"INSERT INTO {self.table} ({columns}, count) SELECT * FROM ({self.count}) WHERE true "
                f"ON CONFLICT ({columns}) DO UPDATE SET count = count + excluded.count")  # fmt: skip

    def recount(self) -> str:
        """Every key's count, as a query with no parameters (for a view)."""
        return self.count.replace(":after", "0")

    def differences(self) -> str:
        """The keys whose kept count differs from a recount (kept rows at 0 match no row)."""
        columns = ", ".join(self.key)
        return (f"SELECT {columns} FROM (SELECT {columns}, count FROM {self.table} "
                f"UNION ALL SELECT {columns}, -count FROM ({self.recount()})) "
                f"GROUP BY {columns} HAVING sum(count) != 0")  # fmt: skip


# Each count reads the claims above :after by their ids (`claims NOT INDEXED` keeps the rowid range;
# `+subject_id` keeps claim_subjects' key range): left to itself the planner read a whole index in
# GROUP BY order instead, every commit group, in a time that grew with the database (108 ms per
# group at 168,000 claims, in the tracker's writer and the limit writer alike).
FIGURES = (
    Figure("claim_counts", ("facet", "value"), """
        SELECT 'rows' AS facet, 0 AS value, count(*) AS count FROM claims NOT INDEXED WHERE id > :after GROUP BY 1
        UNION ALL SELECT 'speaker_id', speaker_id, count(*) FROM claims NOT INDEXED WHERE id > :after GROUP BY 2
        UNION ALL SELECT 'is_commitment', is_commitment, count(*) FROM claims NOT INDEXED WHERE id > :after GROUP BY 2
        UNION ALL SELECT 'status', status, count(*) FROM claims NOT INDEXED
            WHERE id > :after AND status IS NOT NULL GROUP BY 2
        UNION ALL SELECT 'form', form, count(*) FROM claims NOT INDEXED WHERE id > :after GROUP BY 2
        UNION ALL SELECT 'subject', subject_id, count(*) FROM claim_subjects WHERE claim_id > :after
            GROUP BY +subject_id""",
           "what Datasette shows"),
    Figure("commitment_counts", ("speaker_id", "follow_up_due", "status", "listed"), f"""
        SELECT speaker_id, follow_up_due, coalesce(status, '') AS status, {LISTED} AS listed, count(*) AS count
        FROM claims NOT INDEXED WHERE id > :after AND is_commitment = 1 AND retracted_at IS NULL
        GROUP BY 1, 2, 3, 4""",
           "commitments on the home page, dashboard, speaker pages and `commitments`"),
    Figure("claim_days", ("speaker_id", "day"), """
        SELECT claims.speaker_id, substr(sources.published_at, 1, 10) AS day, count(*) AS count
        FROM claims NOT INDEXED JOIN sources ON sources.id = claims.source_id
        WHERE claims.id > :after AND claims.retracted_at IS NULL GROUP BY 1, 2""",
           "claims on the home page, dashboard and speaker pages"),
    Figure("speaker_subjects", ("speaker_id", "subject_id"), """
        SELECT claims.speaker_id, claim_subjects.subject_id, count(*) AS count
        FROM claim_subjects JOIN claims NOT INDEXED ON claims.id = claim_subjects.claim_id
        WHERE claim_subjects.claim_id > :after AND claims.retracted_at IS NULL GROUP BY 1, +claim_subjects.subject_id""",
           "a speaker's subjects"),
)  # fmt: skip
TABLES = tuple(figure.table for figure in FIGURES)


def add_new_claims(conn: sqlite3.Connection, after: int) -> None:
    """Count the claims above `after` (a commit group's) into every kept figure."""
    for figure in FIGURES:
        conn.execute(figure.add_new_claims(), {"after": after})


def fill(conn: sqlite3.Connection, tables: set[str]) -> None:
    """Count every claim into these kept tables, just created (a database made before them)."""
    for figure in FIGURES:
        if figure.table in tables:
            conn.execute(figure.add_new_claims(), {"after": 0})


def differences(conn: sqlite3.Connection) -> list[str]:
    """One line per kept table whose counts differ from a recount, for `tracker check`."""
    problems = []
    for figure in FIGURES:
        keys = [" ".join(str(v) for v in row) for row in conn.execute(figure.differences())]
        if keys:
            shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
            problems.append(f"{len(keys)} × kept count ({figure.table}, {figure.shown_by}) "
                            f"that differs from a recount: {shown}")  # fmt: skip
    return problems


def add_recount_views(conn: sqlite3.Connection) -> None:
    """A database without some kept tables (made before them, served read-only before a command
    added them): each missing one as a temporary view counting the claims, so pages read the same
    figures, counted (slowly) on demand. Only for this project's databases."""
    names = {row[0] for row in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
    if "claims" not in names or "claim_subjects" not in names:
        return
    for figure in FIGURES:
        if figure.table not in names:
            conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS {figure.table} AS {figure.recount()}")
