"""Whether opening a stop and review needs a question first: each is for a child in a
particular situation (a child protection plan, or care), and a child not recorded as in
it may be the wrong child or the wrong pathway. The DSL may still go on (the record may
be out of date); the form asks, it does not refuse.
"""

from __future__ import annotations

from app.policy.pathway_kind import PathwayKind


def unrecorded_situation(
    kind: PathwayKind | None, *, cp_plan: bool, looked_after: bool
) -> str | None:
    """What the child is not recorded as being that the pathway is for ("on a child
    protection plan", "looked after"), or None when there is nothing to ask."""
    if kind is PathwayKind.STOP_AND_REVIEW and not cp_plan:
        return "on a child protection plan"
    if kind is PathwayKind.STOP_AND_REVIEW_CIC and not looked_after:
        return "looked after (in care)"
    return None
