"""A policy's words on a child at immediate risk are quoted with the citation after the
closing quotation mark, never inside it (it is not the document's words)."""

from __future__ import annotations

import pytest

from app.policy import PolicyLibrary
from app.policy.immediate_risk import policy_words_on_immediate_risk, quoted


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Inform the DSL immediately. (GSCP Escalation Policy, 1.7)",
            "“Inform the DSL immediately.” (GSCP Escalation Policy, 1.7)",
        ),
        ("Inform the DSL immediately.", "“Inform the DSL immediately.”"),
        # A bracket inside the sentence is the document's own words.
        ("Contact the police (999)", "“Contact the police (999)”"),
        ("Call now! (Section 2)", "“Call now!” (Section 2)"),
    ],
)
def test_quoted(text: str, shown: str) -> None:
    assert quoted(text) == shown


def test_every_shipped_quote_ends_at_its_closing_mark_or_its_citation(
    library: PolicyLibrary,
) -> None:
    quoting = [p for p in library.all() if p.immediate_risk]
    assert quoting  # Gloucestershire and North Yorkshire quote their documents
    for policy in quoting:
        words = policy_words_on_immediate_risk(policy)
        assert ")”" not in words, words
        assert words.endswith(")") and "” (" in words, words
