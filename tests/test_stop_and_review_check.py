"""Which stop and review asks about which child (app.domain.stop_and_review_check)."""

from __future__ import annotations

import pytest

from app.domain.stop_and_review_check import unrecorded_situation
from app.policy.pathway_kind import PathwayKind

CP = "on a child protection plan"
CARE = "looked after (in care)"


@pytest.mark.parametrize(
    ("kind", "cp_plan", "looked_after", "asked"),
    [
        (PathwayKind.STOP_AND_REVIEW, False, False, CP),
        (PathwayKind.STOP_AND_REVIEW, False, True, CP),
        (PathwayKind.STOP_AND_REVIEW, True, False, None),
        (PathwayKind.STOP_AND_REVIEW_CIC, False, False, CARE),
        (PathwayKind.STOP_AND_REVIEW_CIC, True, False, CARE),
        (PathwayKind.STOP_AND_REVIEW_CIC, False, True, None),
        (PathwayKind.RESOLUTION, False, False, None),
        (PathwayKind.PLAN_DISSENT, False, False, None),
        (None, False, False, None),
    ],
)
def test_who_is_asked_about(
    kind: PathwayKind | None, cp_plan: bool, looked_after: bool, asked: str | None
) -> None:
    assert unrecorded_situation(kind, cp_plan=cp_plan, looked_after=looked_after) == asked
