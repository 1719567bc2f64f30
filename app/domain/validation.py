"""Plain-English checks on what a DSL typed. Each failure is a ``FieldError`` naming
the field as the form labels it, so the UI can show it beside that field.

A write use case gathers every problem at once (``gather``) in one ``*_problems``
function; the form calls it to mark each field, and the service calls it before writing
and refuses with all of them in one ``ProblemsError`` (``refuse``), so the two cannot
disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from app.domain.typed_dates import EVENT_DATES, DateRange, range_problem
from app.english_plurals import count
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


class ProblemsError(InputError):
    """Nothing was saved: every problem with what was to be saved, at once."""

    def __init__(self, problems: Sequence[FieldError]) -> None:
        self.problems = list(problems)
        listed = " ".join(str(p) for p in self.problems)
        n = len(self.problems)
        super().__init__(listed if n == 1 else f"{count(n, 'thing')} need attention. {listed}")


def refuse(problems: Sequence[FieldError]) -> None:
    """Raise one ``ProblemsError`` holding ``problems``, if there are any."""
    if problems:
        raise ProblemsError(problems)


Check = Callable[[], object]


def gather(*checks: Check) -> list[FieldError]:
    """Run every check and keep the first problem with each field."""
    found: list[FieldError] = []
    for run in checks:
        try:
            run()
        except FieldError as exc:
            if all(e.field != exc.field for e in found):
                found.append(exc)
    return found


def required(value: str, field: str, limit: int = MAX_TEXT) -> Check:
    return lambda: text(value, field, limit=limit)


def optional(value: str, field: str, limit: int = MAX_TEXT) -> Check:
    return lambda: text(value, field, required=False, limit=limit)


def each(values: Sequence[str], field: str, limit: int = MAX_TEXT) -> Check:
    """Every item of a list of short texts (names, attendees)."""
    return lambda: [text(v, field, required=False, limit=limit) for v in values]


def fail(field: str, reason: str) -> Check:
    def run() -> None:
        raise FieldError(field, reason)

    return run


def text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if _CONTROL.search(value):
        raise FieldError(field, "contains control characters that are not text; retype it.")
    if _SURROGATE.search(value):
        raise FieldError(field, "contains a broken character that is not text; retype it.")
    if required and not value.strip():
        raise FieldError(field, "is required.")
    if len(value) > limit:
        length = count(len(value), "character")
        raise FieldError(field, f"is too long ({length}; the limit is {limit:,}).")
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


def not_after(value: date | datetime, other: date | datetime, field: str, other_name: str) -> None:
    a = value.date() if isinstance(value, datetime) else value
    b = other.date() if isinstance(other, datetime) else other
    if a > b:
        raise FieldError(field, f"cannot be after {other_name} ({b:%d/%m/%Y}).")
