"""A member of the safeguarding team and what their role lets them do.

The one place the roles' rules live: services ask ``may_change`` and
``may_manage_members``; the window asks the same functions to grey out what a member
cannot do, but never decides it itself (docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.errors import InputError

# The longest name a person may have here: a member, the setting's DSL and deputies, and
# the people named in records. One limit, so a file's DSL always fits a member's slot.
NAME_LIMIT: Final = 200


class Role(StrEnum):
    """Stored in the key file by value: never rename a value."""

    DSL = "dsl"
    DEPUTY = "deputy"
    READ_ONLY = "read-only"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.DSL: "DSL",
    Role.DEPUTY: "Deputy DSL",
    Role.READ_ONLY: "Read-only",
}


@dataclass(frozen=True)
class Member:
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How the audit trail, records and documents name this member."""
        return f"{self.name} ({self.role.label})"


def may_change(member: Member) -> bool:
    """Record, amend, approve, move a stage, agree an outcome, change settings."""
    return member.role in (Role.DSL, Role.DEPUTY)


def may_manage_members(member: Member) -> bool:
    """Add or remove members, rotate the key, make a new recovery key."""
    return member.role is Role.DSL


def removal_refusal(members: list[Member], name: str) -> str:
    """Why ``name`` cannot be removed from ``members`` ("" when they can): a file always
    keeps a DSL to manage its members. Asked before the question (the window) and again
    where the key file is changed (``app.storage.team_changes``)."""
    wanted = name.strip().casefold()
    leaving = [m for m in members if m.name.casefold() == wanted]
    dsls = [m for m in members if m.role is Role.DSL]
    if leaving and leaving[0].role is Role.DSL and len(dsls) == 1:
        return (
            f"{leaving[0].name} is the only DSL, so they cannot be removed: add another DSL "
            "first. A file always has a DSL to manage its members."
        )
    return ""


class NotAllowedError(InputError):
    """A member tried what their role does not allow. Plain English, shown as it is."""


def require_change(member: Member) -> None:
    if not may_change(member):
        raise NotAllowedError(
            f"{member.name} can read and print these records but not change them "
            "(their role is read-only). Ask the DSL or a deputy DSL to make this change."
        )


def require_manage_members(member: Member) -> None:
    if not may_manage_members(member):
        raise NotAllowedError(
            f"Only a DSL can add or remove members; {member.name} is "
            f"{'a ' + member.role.label if member.role is not Role.READ_ONLY else 'read-only'}."
        )
