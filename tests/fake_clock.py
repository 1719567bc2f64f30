"""A clock for the wrong-passphrase wait (``app.storage.unlock_attempts``) that only
moves when told: tests of the wait never sleep for real."""

from __future__ import annotations

import pytest

from app.storage import unlock_attempts


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
        monkeypatch.setattr(unlock_attempts, "wall_clock", lambda: self.now)
        monkeypatch.setattr(unlock_attempts, "sleep_for", self.sleep)
        return self
