"""What the DSL chose for the reminder (kept on this computer, not in the file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from app.reminders.counts import DEFAULT_MORNING


@dataclass(frozen=True)
class ReminderChoices:
    # The DSL's consent: the tray starts at sign-in and the due moments are kept.
    on: bool = False
    morning: time = DEFAULT_MORNING
