"""Retention review (IRMS toolkit: child protection records kept until the child's date
of birth + 25 years, then reviewed). A review either retains the records, with a reason
and a next review date, or destroys them: the child's rows are deleted with
``secure_delete`` on (freed pages are zeroed) and the file is then vacuumed, so nothing
of them is recoverable from the file. A minimal decision row and audit entry remain:
that records existed and were destroyed, when, by whom, under which rule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from app import clock
from app.domain import validation as check
from app.errors import InputError
from app.services.common import MaintainedStore, Store
from app.services.people import retention_review_date
from app.storage import audit, triggers
from app.storage.models import (
    Approval,
    Child,
    Escalation,
    Record,
    RecordVersion,
    RetentionDecision,
    StageEvent,
)

RULE = "IRMS toolkit: child protection records kept to date of birth + 25 years, then reviewed"
REVIEW_BY_HAND = "Date of birth not known: review manually"


@dataclass(frozen=True)
class ReviewItem:
    child_id: int
    name: str
    date_of_birth: date | None  # None: not known
    review_date: date | None  # None: no date of birth to count from, so review by hand
    escalations: int
    last_decision: str  # "" when never reviewed

    @property
    def review_text(self) -> str:
        """The review date, or that it is to be reviewed by hand (never a made-up date)."""
        return REVIEW_BY_HAND if self.review_date is None else f"{self.review_date:%d/%m/%Y}"


def _review_date(child: Child, decisions: list[RetentionDecision]) -> date | None:
    """DOB + 25 years (or a hold), or the latest 'retain until' a DSL gave; None when
    there is neither (no date of birth and never reviewed)."""
    base = retention_review_date(child.date_of_birth, child.retention_hold_until)
    retained = [d.next_review for d in decisions if d.decision == "retain" and d.next_review]
    known = [day for day in (base, *retained) if day is not None]
    return max(known) if known else None


def review_list(
    store: Store, *, due_only: bool = False, today: date | None = None
) -> list[ReviewItem]:
    """Every child with their review date, those to review by hand (no date of birth)
    first; ``due_only`` keeps those due on or before today, and those to review by hand."""
    today = today or clock.today()
    with store.session() as session:
        decisions: dict[int, list[RetentionDecision]] = {}
        for d in session.scalars(select(RetentionDecision).order_by(RetentionDecision.id)):
            decisions.setdefault(d.child_id, []).append(d)
        items = []
        for child in session.scalars(select(Child).order_by(Child.date_of_birth)):
            mine = decisions.get(child.id, [])
            review = _review_date(child, mine)
            if due_only and review is not None and review > today:
                continue
            last = mine[-1] if mine else None
            items.append(
                ReviewItem(
                    child_id=child.id,
                    name=child.name,
                    date_of_birth=child.date_of_birth,
                    review_date=review,
                    escalations=len(child.escalations),
                    last_decision=(
                        f"{last.decision.capitalize()} on {last.decided_at:%d/%m/%Y}: {last.reason}"
                        if last
                        else ""
                    ),
                )
            )
        return sorted(items, key=lambda i: (i.review_date is not None, i.review_date or today))


def retain(
    store: Store,
    child_id: int,
    *,
    reason: str,
    next_review: date,
    actor: str,
    at: datetime | None = None,
) -> None:
    """Keep the records (e.g. relevant to an inquiry) until a later review."""
    check.text(reason, "Reason for keeping the records")
    when = at or clock.now()
    if next_review <= when.date():
        raise check.FieldError("Next review date", "must be after today.")
    with store.session() as session:
        if session.get(Child, child_id) is None:
            raise InputError("That child's records are not in this file.")
        decision = RetentionDecision(
            child_id=child_id,
            decided_at=when,
            decided_by=actor,
            decision="retain",
            reason=reason,
            rule=RULE,
            next_review=next_review,
            destroyed_targets="",
        )
        session.add(decision)
        audit.append_row(session, actor=actor, action="retention review: retain", row=decision)


def destroy(
    store: MaintainedStore,
    child_id: int,
    *,
    reason: str,
    actor: str,
    vacuum: bool = True,
    at: datetime | None = None,
) -> int:
    """Destroy every record about one child; returns how many escalations went."""
    check.text(reason, "Reason for destroying the records")
    when = at or clock.now()
    with store.session() as session:
        child = session.get(Child, child_id)
        if child is None:
            raise InputError("That child's records are not in this file.")
        escalations = session.execute(
            select(Escalation.id, Escalation.ref).where(Escalation.child_id == child_id)
        ).all()
        escalation_ids = [escalation_id for escalation_id, _ref in escalations]
        record_ids = list(
            session.scalars(select(Record.id).where(Record.escalation_id.in_(escalation_ids)))
        )
        version_ids = list(
            session.scalars(select(RecordVersion.id).where(RecordVersion.record_id.in_(record_ids)))
        )
        approval_ids = list(
            session.scalars(select(Approval.id).where(Approval.version_id.in_(version_ids)))
        )
        event_ids = list(
            session.scalars(
                select(StageEvent.id).where(StageEvent.escalation_id.in_(escalation_ids))
            )
        )
        # Every pin the destruction ends, so check knows these rows went lawfully.
        targets = (
            [f"child:{child_id}"]
            + [f"record:{i}" for i in record_ids]
            + [f"record_version:{i}" for i in version_ids]
            + [f"approval:{i}" for i in approval_ids]
            + [f"stage_event:{i}" for i in event_ids]
            + [audit.form_target(ref) for _id, ref in escalations]
            + [audit.status_target(ref) for _id, ref in escalations]
        )
        # Destruction is the one lawful delete of history rows: the triggers that refuse
        # it are dropped and recreated inside the same transaction.
        connection = session.connection()
        triggers.drop_append_only(connection)
        session.execute(delete(Approval).where(Approval.id.in_(approval_ids)))
        session.execute(delete(RecordVersion).where(RecordVersion.id.in_(version_ids)))
        session.execute(delete(Record).where(Record.id.in_(record_ids)))
        session.execute(delete(StageEvent).where(StageEvent.id.in_(event_ids)))
        session.execute(delete(Escalation).where(Escalation.id.in_(escalation_ids)))
        session.execute(delete(Child).where(Child.id == child_id))
        triggers.restore_append_only(connection)
        decision = RetentionDecision(
            child_id=child_id,
            decided_at=when,
            decided_by=actor,
            decision="destroy",
            reason=reason,
            rule=RULE,
            destroyed_targets=json.dumps(sorted(targets)),
        )
        session.add(decision)
        audit.append_row(session, actor=actor, action="retention review: destroy", row=decision)
    if vacuum:
        store.vacuum()
    return len(escalation_ids)
