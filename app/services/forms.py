"""Previews for the desktop forms: what a deadline would be, and what moving to a stage
would start, worked out as the DSL types and never stored.

Each form's problems come from its use case's own ``*_problems`` function (beside the
service that refuses the same problems), not from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.deadlines import Moment, fmt_moment, stage_deadline
from app.domain.escalation_actions import EscalationAction, require
from app.domain.views import StageMove
from app.policy import Nation, PolicyLibrary
from app.services.common import (
    Store,
    current_stage_event,
    get_escalation,
    pathway_of,
    stage_prompts,
)
from app.services.escalations import check_move_target
from app.services.records import StoredSituation


@dataclass(frozen=True)
class DeadlinePreview:
    due: Moment | None
    text: str  # "Tue 29/12/2026" or "No fixed timescale"
    rule: str  # how it was worked out, in words


def _preview(due: Moment | None, rule: str) -> DeadlinePreview:
    return DeadlinePreview(due, fmt_moment(due) if due is not None else "No fixed timescale", rule)


def preview_first_deadline(
    library: PolicyLibrary,
    policy_id: str,
    pathway_id: str,
    raised_at: datetime,
    protect_by: date | None = None,
    nation: Nation | None = None,
    decided_on: date | None = None,
) -> DeadlinePreview:
    """Stage 1's deadline if the escalation were opened with these dates (nothing
    stored). The new-escalation form shows it as the DSL types."""
    policy = library.get(policy_id)
    stage = policy.pathway(pathway_id).stage(1)
    deadline = stage_deadline(
        stage,
        raised_at,
        raised_at,
        protect_by=protect_by,
        nation=nation or policy.default_nation,
        decision=decided_on,
    )
    return _preview(deadline.due, deadline.rule)


def preview_stage(store: Store, ref: str, to_stage: int, at: datetime) -> StageMove:
    """What moving to ``to_stage`` at ``at`` would start: the stage, its owner, what to
    do, who to notify and its deadline. Nothing is stored."""
    with store.session() as session:
        escalation = get_escalation(session, ref)
        require(EscalationAction.MOVE_STAGE, StoredSituation(escalation))
        pathway = pathway_of(escalation)
        current = current_stage_event(escalation)
        check_move_target(ref, current.number, to_stage, len(pathway.stages))
        stage = pathway.stage(to_stage)
        deadline = stage_deadline(
            stage,
            at,
            escalation.raised_at,
            protect_by=escalation.protect_by,
            nation=Nation(escalation.nation),
            decision=escalation.decided_on,
        )
        return StageMove(
            ref=ref,
            number=to_stage,
            title=stage.title,
            owner=stage.owner,
            action=stage.action,
            due=deadline.due,
            rule=deadline.rule,
            prompts=stage_prompts(stage, escalation.child),
        )
