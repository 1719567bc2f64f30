"""The kinds of pathway a policy can set out. Each kind has its own forms and rules
(conference dissent records a dissent; stop and review a request to stop and review a
plan), so the set is closed; a policy titles its pathways in its own words.

A ``StrEnum``: its values are the words policy files, the command line, JSON output and
stored escalations already use. Its own module, free of pydantic, so the dashboard can
name pathways before the policy schema loads.
"""

from __future__ import annotations

from enum import StrEnum


class PathwayKind(StrEnum):
    RESOLUTION = "resolution"
    CONFERENCE_DISSENT = "conference-dissent"
    PLAN_DISSENT = "plan-dissent"
    STOP_AND_REVIEW = "stop-and-review"
    STOP_AND_REVIEW_CIC = "stop-and-review-cic"
    ALLEGATIONS = "allegations"

    @property
    def plain_name(self) -> str:
        """The kind in plain words, the same whichever policy (for filters across
        policies, which each title their pathways their own way)."""
        return _PLAIN_NAMES[self]

    @property
    def is_stop_and_review(self) -> bool:
        return self in (PathwayKind.STOP_AND_REVIEW, PathwayKind.STOP_AND_REVIEW_CIC)


_PLAIN_NAMES = {
    PathwayKind.RESOLUTION: "Professional disagreement",
    PathwayKind.CONFERENCE_DISSENT: "Conference dissent",
    PathwayKind.PLAN_DISSENT: "Plan dissent",
    PathwayKind.STOP_AND_REVIEW: "Stop and review (child protection plan)",
    PathwayKind.STOP_AND_REVIEW_CIC: "Stop and review (child in care)",
    PathwayKind.ALLEGATIONS: "Allegation against staff",
}


def kind_of(pathway_id: str) -> PathwayKind | None:
    """The kind a pathway id names, when it names one (every shipped policy's ids do)."""
    try:
        return PathwayKind(pathway_id)
    except ValueError:
        return None
