"""What may be done to an escalation now, and if not, why not, in plain English.

One map from each action a DSL can take on an escalation to whether it is allowed. The
escalation window reads it to enable its buttons (the reason becomes the tooltip), and
each service checks the same rule before writing, so a button is never offered for
something the service would refuse, nor the other way round.

The rules read a ``Situation``: the window builds one from what it shows
(``situation_of``), a service from the stored escalation, reading its records only for
a rule that needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from app.domain.views import EscalationDetail, RecordView
from app.errors import InputError
from app.policy.pathway_kind import PathwayKind
from app.team.member import Member, may_change


class EscalationAction(StrEnum):
    RECORD_DISCUSSION = "record-discussion"
    APPROVE = "approve"
    ADD_ACTION = "add-action"
    COMPLETE_ACTION = "complete-action"
    AMEND = "amend"
    MOVE_STAGE = "move-stage"
    CONFERENCE_DISSENT = "conference-dissent"
    STOP_AND_REVIEW = "stop-and-review"
    AGREE_OUTCOME = "agree-outcome"
    WITHDRAW = "withdraw"
    ADOPT_POLICY_VERSION = "adopt-policy-version"
    # Documents to print.
    CONFIRMATION = "confirmation"
    MONITORING_FORM = "monitoring-form"
    CONFERENCE_DISSENT_RECORD = "conference-dissent-record"
    STOP_AND_REVIEW_REQUEST = "stop-and-review-request"
    CHRONOLOGY = "chronology"


class Situation(Protocol):
    """What the rules read about one escalation."""

    @property
    def ref(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def stage_number(self) -> int: ...
    @property
    def stage_count(self) -> int: ...
    @property
    def kind(self) -> PathwayKind: ...
    @property
    def records(self) -> Sequence[RecordView]: ...
    @property
    def newer_version(self) -> str:
        """The newer version of its policy it could follow, in words; "" for none."""
        ...


@dataclass(frozen=True)
class Permission:
    """``reason``: why the action cannot be taken now ("" when it can). ``applies``:
    False when the action is no part of this kind of pathway (its button is hidden).
    ``note``: what to know before taking an allowed action that is not the usual one
    (approving on a closed escalation), shown where its reason would be."""

    reason: str = ""
    applies: bool = True
    note: str = ""

    @property
    def allowed(self) -> bool:
        return not self.reason


# Kinds of record with a form to amend them in. An outcome or a withdrawal closes the
# escalation, and a closed one cannot be changed; each monitoring form is a copy as sent,
# so a changed one is saved as a new copy, not an amendment.
AMENDABLE = ("discussion", "action", "conference-dissent", "stop-and-review")


def amendable(records: Sequence[RecordView]) -> list[RecordView]:
    return [r for r in records if r.kind in AMENDABLE]


def unapproved_discussions(records: Sequence[RecordView]) -> list[RecordView]:
    return [r for r in records if r.kind == "discussion" and not r.approved]


def open_actions(records: Sequence[RecordView]) -> list[RecordView]:
    return [r for r in records if r.kind == "action" and not r.current.content.get("completed_on")]


def closed_reason(ref: str, status: str) -> str:
    return (
        f"{ref} is {status}; a closed escalation cannot be changed. "
        "Open a new escalation if the disagreement has come back."
    )


def _open(s: Situation) -> str:
    return "" if s.status == "open" else closed_reason(s.ref, s.status)


def _has(s: Situation, kind: str) -> bool:
    return any(r.kind == kind for r in s.records)


def _approvable(s: Situation) -> str:
    # Allowed on a closed escalation too, deliberately. Records are court safe: nothing
    # saved is changed once it is closed, and approving changes nothing saved. It adds
    # who approved and when, in its own audited row, dated the day it is done, to a
    # discussion that was recorded while the escalation was open (none can be recorded
    # or amended after it closes). Refusing would leave a discussion held before the
    # outcome unapproved for good, when the sign-off came a day after the agreement.
    return "" if unapproved_discussions(s.records) else "Every discussion is approved."


def approval_note(s: Situation) -> str:
    """What to know before approving on a closed escalation ("" while it is open)."""
    if s.status == "open":
        return ""
    return (
        f"{s.ref} is {s.status}. A discussion recorded before then may still be approved: "
        "the approval is dated today and changes nothing in the discussion."
    )


def _completable(s: Situation) -> str:
    return _open(s) or ("" if open_actions(s.records) else "There is no open action.")


def _amendable(s: Situation) -> str:
    return _open(s) or ("" if amendable(s.records) else "There is nothing recorded to amend yet.")


def _movable(s: Situation) -> str:
    if s.stage_number >= s.stage_count:
        return (
            f"Stage {s.stage_number} is the last stage of this pathway: agree the outcome, "
            "or withdraw the escalation."
        )
    return ""


def _confirmable(s: Situation) -> str:
    if _has(s, "outcome"):
        return ""
    return f"{s.ref} has no agreed outcome yet: agree the outcome first, then print this."


def _adoptable(s: Situation) -> str:
    # Only by the DSL's choice, and only while the escalation is still going on: a
    # closed one stays as it was followed.
    if not s.newer_version:
        return f"No newer version of {s.ref}'s policy is loaded."
    return _open(s)


def _always(_s: Situation) -> str:
    return ""


_RULES: dict[EscalationAction, Callable[[Situation], str]] = {
    EscalationAction.RECORD_DISCUSSION: _open,
    EscalationAction.APPROVE: _approvable,
    EscalationAction.ADD_ACTION: _open,
    EscalationAction.COMPLETE_ACTION: _completable,
    EscalationAction.AMEND: _amendable,
    EscalationAction.MOVE_STAGE: lambda s: _open(s) or _movable(s),
    EscalationAction.CONFERENCE_DISSENT: _open,
    EscalationAction.STOP_AND_REVIEW: _open,
    EscalationAction.AGREE_OUTCOME: _open,
    EscalationAction.WITHDRAW: _open,
    EscalationAction.ADOPT_POLICY_VERSION: _adoptable,
    EscalationAction.CONFIRMATION: _confirmable,
    EscalationAction.MONITORING_FORM: _always,
    EscalationAction.CONFERENCE_DISSENT_RECORD: lambda s: (
        "" if _has(s, "conference-dissent") else "Record the conference dissent first."
    ),
    EscalationAction.STOP_AND_REVIEW_REQUEST: lambda s: (
        "" if _has(s, "stop-and-review") else "Make the stop and review request first."
    ),
    EscalationAction.CHRONOLOGY: _always,
}

_DISSENT = frozenset({PathwayKind.CONFERENCE_DISSENT})
_STOP = frozenset({PathwayKind.STOP_AND_REVIEW, PathwayKind.STOP_AND_REVIEW_CIC})
# Actions that belong to some kinds of pathway only, and what to call those kinds.
_ONLY_ON: dict[EscalationAction, tuple[frozenset[PathwayKind], str]] = {
    EscalationAction.CONFERENCE_DISSENT: (_DISSENT, "conference dissent"),
    EscalationAction.CONFERENCE_DISSENT_RECORD: (_DISSENT, "conference dissent"),
    EscalationAction.STOP_AND_REVIEW: (_STOP, "stop and review"),
    EscalationAction.STOP_AND_REVIEW_REQUEST: (_STOP, "stop and review"),
}


# Printing changes nothing but the audit of it: every role may.
DOCUMENTS = frozenset(
    {
        EscalationAction.CONFIRMATION,
        EscalationAction.MONITORING_FORM,
        EscalationAction.CONFERENCE_DISSENT_RECORD,
        EscalationAction.STOP_AND_REVIEW_REQUEST,
        EscalationAction.CHRONOLOGY,
    }
)
READ_ONLY_REASON = "Your role is read-only: you can read and print this escalation, not change it."


def role_reason(member: Member | None) -> str:
    """Why ``member`` may not change records ("" if they may, or no one signed in as a
    member: a file opened the old way). The services are refused the same by the file
    itself (``app.storage.role_guard``); this is the window's words for it."""
    return READ_ONLY_REASON if member is not None and not may_change(member) else ""


def own_approval(recorded_by: str, approver: str) -> str:
    """A record is prepared by one member and approved by another: why ``approver`` may
    not approve a version ``recorded_by`` them ("" if they may)."""
    if recorded_by != approver:
        return ""
    return (
        f"{approver} recorded this version, so a different member must approve it: a "
        "record is prepared by one member and approved by another. Ask the DSL or a "
        "deputy DSL to approve it."
    )


def _own_records(s: Situation, member: Member | None) -> str:
    """Refused when every discussion waiting for approval was recorded (in its latest
    version) by ``member``: there is none they may approve."""
    waiting = unapproved_discussions(s.records)
    if member is None or not waiting:
        return ""
    if all(own_approval(r.current.recorded_by, member.actor) for r in waiting):
        return (
            "You recorded every discussion waiting for approval; a different member "
            "must approve them (the DSL or a deputy DSL)."
        )
    return ""


def permission(
    action: EscalationAction, situation: Situation, member: Member | None = None
) -> Permission:
    """``member``: who would take the action (None: whoever may; the services check the
    role in the file itself)."""
    only = _ONLY_ON.get(action)
    if only is not None and situation.kind not in only[0]:
        return Permission(f"{situation.ref} is not a {only[1]} escalation.", applies=False)
    reason = _RULES[action](situation)
    if action is EscalationAction.ADOPT_POLICY_VERSION and reason:
        return Permission(reason, applies=False)  # offered only when it can be done
    if not reason and action not in DOCUMENTS:
        reason = role_reason(member)
    if not reason and action is EscalationAction.APPROVE:
        reason = _own_records(situation, member)
    if action is EscalationAction.APPROVE and not reason:
        return Permission(note=approval_note(situation))
    return Permission(reason)


def what_may_be_done(
    situation: Situation, member: Member | None = None
) -> dict[EscalationAction, Permission]:
    """Every action, allowed or with the reason it is not, for ``member``."""
    return {action: permission(action, situation, member) for action in EscalationAction}


def require(action: EscalationAction, situation: Situation) -> None:
    """Refuse, with the reason, an action that may not be taken now."""
    reason = permission(action, situation).reason
    if reason:
        raise InputError(reason)


@dataclass(frozen=True)
class _Shown:
    ref: str
    status: str
    stage_number: int
    stage_count: int
    kind: PathwayKind
    records: Sequence[RecordView]
    newer_version: str


def situation_of(detail: EscalationDetail, newer_version: str = "") -> Situation:
    """The situation of an escalation as read for showing it; ``newer_version``: the
    newer version of its policy that is loaded, in words ("" for none)."""
    row = detail.row
    return _Shown(
        row.ref,
        row.status,
        row.stage_number,
        row.stage_count,
        row.kind,
        detail.records,
        newer_version,
    )
