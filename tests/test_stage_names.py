"""A stage's number is put before its title once: Darlington's titles start "Stage 1:"."""

from __future__ import annotations

import pytest

from app.policy import PolicyLibrary
from app.policy.stage_names import (
    names_its_number,
    numbered,
    stage_heading,
    stage_of,
    stage_started,
)


@pytest.mark.parametrize(
    ("number", "title", "short", "heading"),
    [
        (2, "Escalate", "2. Escalate", "Stage 2: Escalate"),
        (1, "Stage 1: contact the person", "Stage 1: contact the person", None),
        (3, "step 3 – the meeting", "step 3 – the meeting", None),
        (2, "Level 2 managers", "Level 2 managers", None),
        # Sefton's Stage 1 is two steps: the second is the app's stage 2.
        (
            2,
            "Stage 1: the receiving agency",
            "2. Stage 1: the receiving agency",
            "Stage 2: Stage 1: the receiving agency",
        ),
        (1, "Stage 10 review", "1. Stage 10 review", "Stage 1: Stage 10 review"),
        (1, "Stages of escalation", "1. Stages of escalation", "Stage 1: Stages of escalation"),
    ],
)
def test_the_number_is_put_before_a_title_once(
    number: int, title: str, short: str, heading: str | None
) -> None:
    assert numbered(number, title) == short
    assert stage_heading(number, title) == (heading or title)


def test_darlingtons_stages_name_their_own_numbers(library: PolicyLibrary) -> None:
    darlington = library.get("darlington")
    stages = darlington.pathways[0].stages
    assert all(names_its_number(s.number, s.title) for s in stages[:2])
    assert not numbered(1, stages[0].title).startswith("1. ")


def test_of_how_many_and_started_say_the_number_once() -> None:
    assert stage_of(3, 4, "Escalate") == "Stage 3 of 4: Escalate"
    assert stage_of(3, 4, "Escalate", prefix="") == "3 of 4: Escalate"
    assert stage_of(1, 3, "Stage 1: contact") == "Stage 1: contact (1 of 3)"
    assert stage_started(2, "Escalate") == "Stage 2 started: Escalate"
    assert stage_started(1, "Stage 1: contact") == "Stage 1: contact – started"
