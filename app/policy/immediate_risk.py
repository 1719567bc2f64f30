"""What the app says about a policy's words on a child at immediate risk.

A policy file holds only its document's words. Where the document says nothing, the app
says so, so that its own advice (999, Children's Social Care) is never shown as the
partnership's. One place, read by every screen that quotes a policy on immediate risk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.policy.model import Policy


def policy_words_on_immediate_risk(policy: Policy) -> str:
    """E.g. 'NYSCP's document says: "…"', or that the document is silent."""
    if policy.immediate_risk:
        return f"{policy.short_name}'s document says: “{policy.immediate_risk}”"
    return (
        f"{policy.short_name}'s document says nothing about a child at immediate risk. "
        "The advice above is Escalation Tracker's own."
    )
