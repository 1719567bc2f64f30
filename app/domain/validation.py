"""Plain-English checks on what a DSL typed. Each failure is an ``InputError`` naming
the field as the form labels it, so the UI can show it beside that field."""

from __future__ import annotations

import re
from datetime import date, datetime

from app.domain.typed_dates import EVENT_DATES, DateRange, range_problem
from app.errors import InputError

# Tabs and line breaks are fine in notes; other control characters are not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Half of a UTF-16 pair on its own (a malformed paste): not a character, and it cannot
# be stored as UTF-8, so without this check saving it would fail as a bug.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_TEXT = 20_000


class FieldError(InputError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


def text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if _CONTROL.search(value):
        raise FieldError(field, "contains control characters that are not text; retype it.")
    if _SURROGATE.search(value):
        raise FieldError(field, "contains a broken character that is not text; retype it.")
    if required and not value.strip():
        raise FieldError(field, "is required.")
    if len(value) > limit:
        raise FieldError(field, f"is too long ({len(value):,} characters; the limit is {limit:,}).")
    return value


def not_future(value: date | datetime, field: str, now: datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if day > now.date():
        raise FieldError(field, f"cannot be in the future ({day:%d/%m/%Y}).")


def plausible(value: date, field: str, kind: DateRange = EVENT_DATES) -> None:
    """Within the dates its kind of field takes (the same check the typed date got)."""
    problem = range_problem(value, kind)
    if problem:
        raise FieldError(field, problem)


def not_before(value: date | datetime, other: date | datetime, field: str, other_name: str) -> None:
    a = value.date() if isinstance(value, datetime) else value
    b = other.date() if isinstance(other, datetime) else other
    if a < b:
        raise FieldError(field, f"cannot be before {other_name} ({b:%d/%m/%Y}).")
