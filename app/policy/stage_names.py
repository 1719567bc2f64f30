"""A stage's number put before its title, once.

Several partnerships' own titles start with their number (Darlington's "Stage 1:
contact the person or agency who made the decision"), and "1. Stage 1: …" or "Stage 1:
Stage 1: …" reads as a mistake. A title naming another number keeps the app's number in
front: Sefton sets its Stage 1 as two timed steps, the second read "2. Stage 1: …"."""

from __future__ import annotations

import re


def names_its_number(number: int, title: str) -> bool:
    """Whether ``title`` opens with "Stage 2", "Step 2" or "Level 2" for stage 2."""
    return re.match(rf"(stage|step|level)\s+{number}\b", title, re.IGNORECASE) is not None


def numbered(number: int, title: str) -> str:
    """ "2. Escalate", or the title alone when it starts "Stage 2"."""
    return title if names_its_number(number, title) else f"{number}. {title}"


def stage_heading(number: int, title: str, between: str = ": ") -> str:
    """ "Stage 2: Escalate", or the title alone when it starts "Stage 2"."""
    return title if names_its_number(number, title) else f"Stage {number}{between}{title}"


def stage_of(number: int, total: int, title: str, prefix: str = "Stage ") -> str:
    """ "Stage 3 of 4: Escalate", or "Stage 3: Escalate (3 of 4)" when the title
    starts "Stage 3". ``prefix``: "" for the list's shorter "3 of 4: Escalate"."""
    if names_its_number(number, title):
        return f"{title} ({number} of {total})"
    return f"{prefix}{number} of {total}: {title}"


def stage_started(number: int, title: str) -> str:
    """ "Stage 2 started: Escalate", or "Stage 2: Escalate – started"."""
    if names_its_number(number, title):
        return f"{title} – started"
    return f"Stage {number} started: {title}"
