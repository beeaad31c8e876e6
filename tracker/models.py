"""Pydantic models: every row is validated here before it reaches the database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tracker.errors import TrackerError

Status = Literal["not-yet-rated", "in-the-works", "stalled", "kept", "compromise", "broken"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
FINAL_STATUSES = ("kept", "compromise", "broken")
SubjectKind = Literal[
    "person", "country", "place", "organisation", "topic", "event", "agreement", "unknown"
]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRow(Row):
    file_name: str = Field(min_length=1)
    url: str | None
    title: str = Field(min_length=1)
    section: str | None
    published_at: datetime
    updated_at: datetime | None
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    raw_text: str = Field(min_length=1)
    ingested_at: datetime
    language: str = Field(pattern=r"^[a-z]{2,3}$")  # ISO 639-1


class PersonRow(Row):
    name: str = Field(min_length=2)
    role: str | None = None
    kind: Literal["person", "organisation", "unresolved"] = "person"


class SubjectRow(Row):
    name: str = Field(min_length=1)
    kind: SubjectKind


class ClaimRow(Row):
    claim_key: str = Field(pattern=r"^[0-9a-f]{24}$")
    speaker: PersonRow
    attributed_to: PersonRow | None
    text: str = Field(min_length=1)
    subjects: list[SubjectRow]
    is_commitment: bool
    deadline: date | None
    deadline_text: str | None
    follow_up_due: date
    status: Status | None
    line: int = Field(ge=1)
    char_start: int = Field(ge=0)
    char_end: int
    quote: str = Field(min_length=1)
    form: Literal["list", "reported", "quote"] = "list"

    @model_validator(mode="after")
    def consistent(self) -> ClaimRow:
        if self.char_end - self.char_start != len(self.quote):
            raise ValueError("quote length does not match char_start/char_end")
        if self.is_commitment != (self.status is not None):
            raise ValueError("commitments, and only commitments, carry a status")
        if self.deadline is not None and self.follow_up_due != self.deadline:
            raise ValueError("follow_up_due must be the stated deadline")
        return self


def describe(error: ValidationError) -> str:
    """Pydantic's errors as `field: message` pairs on one line."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in error.errors()
    )


def validated(model: type[Row], context: str, **values: object) -> Row:
    try:
        return model(**values)
    except ValidationError as error:
        raise TrackerError(f"{context}: invalid {model.__name__}: {describe(error)}") from None
