"""The roles' rules (app/team/member.py): one place, asked by services and the window."""

from __future__ import annotations

import pytest

from app.team.member import (
    Member,
    NotAllowedError,
    Role,
    may_change,
    may_manage_members,
    require_change,
    require_manage_members,
)

DSL = Member("Sam Patel", Role.DSL)
DEPUTY = Member("Jo Reed", Role.DEPUTY)
GOVERNOR = Member("Alex Moore", Role.READ_ONLY)


def test_the_actor_names_the_member_and_their_role() -> None:
    assert DSL.actor == "Sam Patel (DSL)"
    assert DEPUTY.actor == "Jo Reed (Deputy DSL)"
    assert GOVERNOR.actor == "Alex Moore (Read-only)"


def test_who_may_change_and_who_may_manage_members() -> None:
    assert [may_change(m) for m in (DSL, DEPUTY, GOVERNOR)] == [True, True, False]
    assert [may_manage_members(m) for m in (DSL, DEPUTY, GOVERNOR)] == [True, False, False]


def test_refusals_say_who_and_why_in_plain_english() -> None:
    require_change(DEPUTY)
    require_manage_members(DSL)
    with pytest.raises(NotAllowedError, match="Alex Moore can read and print"):
        require_change(GOVERNOR)
    with pytest.raises(
        NotAllowedError, match="Only a DSL can add or remove members; Jo Reed is a Deputy DSL"
    ):
        require_manage_members(DEPUTY)
    with pytest.raises(NotAllowedError, match="Alex Moore is read-only"):
        require_manage_members(GOVERNOR)


def test_role_values_are_the_key_files_words() -> None:
    assert [r.value for r in Role] == ["dsl", "deputy", "read-only"]


def test_the_only_dsl_cannot_be_removed_but_one_of_two_can() -> None:
    from app.team.member import removal_refusal

    assert "only DSL" in removal_refusal([DSL, DEPUTY, GOVERNOR], " sam patel ")
    assert removal_refusal([DSL, DEPUTY, GOVERNOR], "Jo Reed") == ""
    second = Member("Priya Shah", Role.DSL)
    assert removal_refusal([DSL, second], "Sam Patel") == ""
