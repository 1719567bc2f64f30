"""What the app says about a policy's words on a child at immediate risk.

A policy file holds only its document's words. Where the document says nothing, the app
says so, so that its own advice (999, Children's Social Care) is never shown as the
partnership's. One place, read by every screen that quotes a policy on immediate risk.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.policy.model import Policy

# A policy file gives where the words are after them: "…informed immediately. (GSCP
# Escalation Policy, 1.7)". A bracket after the end of a sentence is that citation; one
# inside a sentence ("the police (999)") is part of the words.
_CITED = re.compile(r"^(?P<words>.*[.!?…])\s*\((?P<where>[^()]+)\)\s*$", re.DOTALL)


def quoted(text: str) -> str:
    """The document's words in quotation marks, its citation after them:
    '“…informed immediately.” (GSCP Escalation Policy, 1.7)'."""
    cited = _CITED.match(text)
    if cited is None:
        return f"“{text}”"
    return f"“{cited['words']}” ({cited['where']})"


def policy_words_on_immediate_risk(policy: Policy) -> str:
    """E.g. 'NYSCP's document says: "…" (NYSCP Professional Resolutions, 3.5)', or that
    the document is silent."""
    if policy.immediate_risk:
        return f"{policy.short_name}'s document says: {quoted(policy.immediate_risk)}"
    return (
        f"{policy.short_name}'s document says nothing about a child at immediate risk. "
        "The advice above is Escalation Tracker's own."
    )
