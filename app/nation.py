"""The UK nations whose bank holidays the app knows.

Its own module, free of pydantic, so the calendar and the dashboard can load before the
policy schema does (start-up: the dashboard is painted before policies are validated)."""

from __future__ import annotations

from enum import StrEnum


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"
