"""A newer version of a shipped policy, as a DSL's edited copy would be: for the tests of
versions and adopting them."""

from __future__ import annotations

import tomllib

from app.paths import shipped_policies_dir
from app.policy import Policy, PolicyLibrary, default_library

ISSUED = "2026-12-03"
# Gloucestershire as its revision 2 says it: stages 1-3 in 3 working days, and a
# panel of the GSCP's own at stage 4.
PANEL = "GSCP Escalation Panel (chair and two members)"


def newer_gloucestershire(days: int = 3) -> Policy:
    text = (shipped_policies_dir() / "gloucestershire.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["document"].update(revision=2, issued=ISSUED)
    for stage in data["pathways"][0]["stages"][:3]:
        stage["timescales"][0].update(amount=days, text=f"within {days} working days")
    data["pathways"][0]["stages"][3]["owner"] = PANEL
    return Policy.model_validate(data)


def with_newer() -> PolicyLibrary:
    """The shipped policies and Gloucestershire's revision 2."""
    return PolicyLibrary([*default_library().all(), newer_gloucestershire()])
