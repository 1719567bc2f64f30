"""The one place the app asks the time, so tests (and the demo) can set it."""

from __future__ import annotations

from datetime import date, datetime


def now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def today() -> date:
    return now().date()
