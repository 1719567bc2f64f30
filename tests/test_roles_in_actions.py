"""The window follows the roles, never decides them: the action map
(app/domain/escalation_actions.py) greys every change for a read-only member with the
reason, keeps printing, and refuses an approval by the member who recorded it."""

from __future__ import annotations

import pytest

from app.domain.escalation_actions import (
    DOCUMENTS,
    READ_ONLY_REASON,
    EscalationAction,
    own_approval,
    what_may_be_done,
)
from app.team.member import Member, Role
from tests.services.test_escalation_actions import ACTOR, TALK, Case

A = EscalationAction
GOVERNOR = Member("Alex Moore", Role.READ_ONLY)
DEPUTY = Member("Mr E Deputy", Role.DEPUTY)
LEAD = Member("Ms A Lead", Role.DSL)  # ACTOR: who recorded the talk

# Applies to every pathway kind Case() is: a resolution escalation at stage 1 of 4.
CHANGES = [a for a in A if a not in DOCUMENTS and a is not A.ADOPT_POLICY_VERSION]


@pytest.mark.parametrize("action", CHANGES, ids=[a.value for a in CHANGES])
def test_a_read_only_member_sees_every_change_greyed_with_the_reason(action: A) -> None:
    case = Case(records=[TALK])
    allowed = what_may_be_done(case, GOVERNOR)[action]
    if what_may_be_done(case)[action].allowed:
        assert allowed.reason == READ_ONLY_REASON
    assert not allowed.allowed


def test_a_read_only_member_prints() -> None:
    allowed = what_may_be_done(Case(records=[TALK]), GOVERNOR)
    assert allowed[A.CHRONOLOGY].allowed and allowed[A.MONITORING_FORM].allowed
    assert READ_ONLY_REASON == (
        "Your role is read-only: you can read and print this escalation, not change it."
    )


def test_an_approval_is_another_members() -> None:
    assert LEAD.actor == ACTOR
    case = Case(records=[TALK])
    assert what_may_be_done(case, DEPUTY)[A.APPROVE].allowed
    mine = what_may_be_done(case, LEAD)[A.APPROVE]
    assert mine.reason.startswith("You recorded every discussion waiting for approval")
    assert what_may_be_done(case, DEPUTY)[A.RECORD_DISCUSSION].allowed
    assert own_approval(ACTOR, DEPUTY.actor) == ""
    assert own_approval(ACTOR, ACTOR).startswith(f"{ACTOR} recorded this version")
