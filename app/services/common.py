"""Helpers the service modules share: looking things up, reading snapshots, prompts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deadlines.moments import parse_moment as parse_moment
from app.domain.escalation_actions import closed_reason
from app.errors import InputError
from app.policy import Pathway
from app.policy.model import Condition, Stage
from app.policy.pathway_kind import PathwayKind
from app.services.escalation_rows import stored_pathway
from app.services.store import MaintainedStore as MaintainedStore
from app.services.store import Sessions as Sessions
from app.services.store import Store as Store
from app.storage.models import Child, Escalation, StageEvent


def get_escalation(session: Session, ref: str) -> Escalation:
    escalation = session.scalar(select(Escalation).where(Escalation.ref == ref))
    if escalation is None:
        raise InputError(f"There is no escalation with reference {ref}.")
    return escalation


def require_open(escalation: Escalation) -> None:
    """Nothing is written to a closed escalation, whatever the action."""
    if escalation.status != "open":
        raise InputError(closed_reason(escalation.ref, escalation.status))


def pathway_of(escalation: Escalation) -> Pathway:
    return Pathway.model_validate_json(escalation.snapshot.content)


def pathway_kind(escalation: Escalation) -> PathwayKind:
    """The kind of pathway an escalation follows, as stored (without the schema)."""
    return stored_pathway(escalation.snapshot.content).kind


def current_stage_event(escalation: Escalation) -> StageEvent:
    started = [e for e in escalation.stage_events if e.kind == "started"]
    return started[-1]


def applies(condition: Condition, child: Child) -> bool:
    return {
        Condition.ALWAYS: True,
        Condition.CP_PLAN: child.cp_plan,
        Condition.LOOKED_AFTER: child.looked_after,
        Condition.CP_PLAN_OR_LOOKED_AFTER: child.cp_plan or child.looked_after,
        Condition.CHILD_IN_NEED: child.child_in_need,
    }[condition]


def stage_prompts(stage: Stage, child: Child) -> list[str]:
    """What the policy asks the DSL to do at this stage, for this child."""
    prompts = [f"{stage.title}: {stage.action}"]
    for note in stage.notifications:
        if applies(note.when, child):
            reason = {
                Condition.CP_PLAN: " (the child is on a child protection plan)",
                Condition.LOOKED_AFTER: " (the child is looked after)",
                Condition.CP_PLAN_OR_LOOKED_AFTER: (
                    " (the child is on a child protection plan)"
                    if child.cp_plan
                    else " (the child is looked after)"
                ),
                Condition.CHILD_IN_NEED: " (the child is a child in need)",
                Condition.ALWAYS: "",
            }[note.when]
            prompts.append(f"Notify {note.to}{reason}: {note.text}")
    prompts.extend(f"Record: {r}" for r in stage.records)
    return prompts
