"""The new-escalation form most service tests open: Zoë's referral closed with no
assessment, raised with Children's Social Care (one copy, where four tests had their own)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.services import escalations as esc


def neglect_form(
    child_id: int,
    raised_at: datetime,
    policy: str = "gloucestershire",
    pathway: str = "resolution",
    **more: Any,
) -> esc.NewEscalation:
    """``more``: any other field of the form (protect_by, immediate_risk…)."""
    return esc.NewEscalation(
        child_id=child_id,
        policy_id=policy,
        pathway_id=pathway,
        raised_at=raised_at,
        raised_by="Mr B Teacher",
        other_agency="Children's Social Care",
        category="threshold",
        disputed="Referral closed with no assessment.",
        change_wanted="An assessment of the child's needs.",
        impact="Child remains at home with escalating neglect.",
        **more,
    )
