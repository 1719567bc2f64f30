"""The policy builder's draft (app.policy.builder, app.policy.draft) and its files
(app.services.policy_files): no Qt."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from app.errors import InputError, PolicyError
from app.policy import Policy, PolicyLibrary, load_policy_file, parse_policy
from app.policy.builder import (
    PolicyDraft,
    blank_draft,
    draft_from,
    preview_policy,
    problems,
    to_data,
    to_toml,
    validated,
)
from app.policy.draft import (
    QUOTE,
    OutcomesTogetherDraft,
    TimescaleDraft,
    move,
    new_stage,
    renumber,
)
from app.services.policy_files import PolicyFileExists, import_policy, save_policy

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "fixtures" / "policy_builder" / "testshire.toml"


def by_path(draft: PolicyDraft) -> dict[str, str]:
    return {p.path: p.message for p in problems(draft)}


def test_blank_draft_is_structure_only() -> None:
    draft = blank_draft()
    stages = draft.pathways[0].stages
    assert [s.number for s in stages] == [1, 2, 3, 4]
    assert all(s.owner == "" and s.action == "" for s in stages)
    rules = [rule for s in stages for rule in s.timescales]
    assert all(r.unit == "none" and r.amount == "" and r.text == "" for r in rules)
    assert draft.immediate_risk == ""
    found = by_path(draft)
    # The problems ask for the document's words, stage by stage.
    for n in range(4):
        assert found[f"pathways[0].stages[{n}].timescales[0].text"] == QUOTE
        assert "Say who is responsible" in found[f"pathways[0].stages[{n}].owner"]
    assert preview_policy(draft) is not None  # the preview shows the blank ladder


def test_every_shipped_policy_copies_exactly(library: PolicyLibrary) -> None:
    for policy in library.all():
        draft = draft_from(policy)
        assert problems(draft) == [], policy.id
        assert validated(draft) == policy
        assert tomllib.loads(to_toml(draft)) == to_data(draft)


def validated_expected() -> Policy:
    return load_policy_file(EXPECTED)


def test_problems_beside_their_fields() -> None:
    draft = draft_from(validated_expected())
    stage = draft.pathways[0].stages[3]
    stage.timescales[0].text = "  "
    stage.timescales.append(TimescaleDraft(unit="none", amount="5", text="no time"))
    draft.pathways[0].stages[1].number = 4
    draft.document.issued = "Spring 2024"
    found = by_path(draft)
    assert found["pathways[0].stages[3].timescales[0].text"] == QUOTE
    assert found["pathways[0].stages[3].timescales[1].amount"].startswith(
        "\u201cNo fixed timescale\u201d has no number"
    )
    assert found["pathways[0].stages[1].number"] == (
        "This stage is numbered 4, but stages run 1, 2, 3… in order: it is stage 2."
    )
    assert found["document.issued"].startswith("Type the document's date as the document")
    assert len(found) == 4  # one message a field, none doubled by the schema's own


def test_moving_and_adding_stages_renumbers() -> None:
    draft = blank_draft()
    pathway = draft.pathways[0]
    assert move(pathway.stages, 0, 1) == 1
    renumber(pathway)
    new_stage(pathway, 0)
    assert [s.number for s in pathway.stages] == [1, 2, 3, 4, 5]
    assert [s.title for s in pathway.stages][:3] == [
        "",
        "Line managers",
        "Practitioners discuss it",
    ]
    assert not any(p.path.endswith(".number") for p in problems(draft))


def test_saved_file_passes_policies_check(tmp_path: Path) -> None:
    draft = draft_from(validated_expected())
    path = save_policy(draft, tmp_path)
    assert path == tmp_path / "testshire.toml"
    assert tomllib.loads(path.read_text("utf-8")) == tomllib.loads(EXPECTED.read_text("utf-8"))
    checked = subprocess.run(
        [sys.executable, "-m", "app", "policies", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert "OK" in checked.stdout


def test_a_draft_with_problems_is_not_saved(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Nothing was saved"):
        save_policy(blank_draft(), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_import_refuses_a_malformed_file_naming_the_problem(tmp_path: Path) -> None:
    shared = tmp_path / "shared.toml"
    text = EXPECTED.read_text("utf-8").replace('unit = "hours"', 'unit = "fortnights"')
    shared.write_text(text, encoding="utf-8")
    folder = tmp_path / "policies"
    with pytest.raises(PolicyError) as refused:
        import_policy(shared, folder)
    assert "pathways[0].stages[2].timescales[0].unit: 'fortnights' is not allowed" in str(
        refused.value
    )
    assert not folder.exists() or list(folder.iterdir()) == []


def test_import_saves_under_the_policy_id_and_asks_before_replacing(tmp_path: Path) -> None:
    shared = tmp_path / "from-a-colleague.toml"
    shared.write_bytes(EXPECTED.read_bytes())
    folder = tmp_path / "policies"
    policy = import_policy(shared, folder)
    assert policy.id == "testshire"
    assert (folder / "testshire.toml").read_bytes() == EXPECTED.read_bytes()
    with pytest.raises(PolicyFileExists):
        import_policy(shared, folder)
    import_policy(shared, folder, replace=True)


def test_a_later_revision_saves_beside_the_earlier_and_loads_as_the_newest(
    library: PolicyLibrary, tmp_path: Path
) -> None:
    """Edit a copy: the same id, a later revision, in a file of its own (the loader keeps
    both; new escalations follow the newest)."""
    draft = draft_from(library.get("buckinghamshire"))
    assert draft.pathways[1].stages[2].outcomes_together  # kept from the copy
    draft.document.revision = 2
    draft.pathways[0].stages[0].owner = "Designated safeguarding lead"
    path = save_policy(draft, tmp_path)
    assert path.name == "buckinghamshire.r2.toml"
    both = PolicyLibrary.load(ROOT / "policies", tmp_path)
    assert [p.document.revision for p in both.versions("buckinghamshire")] == [2, 1]
    newest = both.get("buckinghamshire")
    assert newest.pathways[0].stages[0].owner == "Designated safeguarding lead"
    assert newest.pathway("conference-dissent").stages[2].outcomes_together


def test_outcomes_reached_together_are_checked_beside_their_box() -> None:
    """Buckinghamshire's "and/or": a group names two or more of the stage's outcomes,
    exactly; the form says which it does not know, and the file holds the group."""
    draft = draft_from(validated_expected())
    stage = draft.pathways[0].stages[3]
    at = "pathways[0].stages[3].outcomes_together[0].outcomes"
    stage.outcomes_together.append(OutcomesTogetherDraft(["Mediation offered"]))
    assert by_path(draft)[at] == "Name two or more of this stage's outcomes, one a line."
    stage.outcomes_together[0].outcomes.append("Referred to the case review panel")
    assert by_path(draft)[at].startswith(
        "\u201cReferred to the case review panel\u201d is not one of this stage's outcomes"
    )
    assert len(by_path(draft)) == 1  # the schema's own message on the stage is not doubled
    stage.outcomes_together[0].outcomes[1] = "Referred to the case review group"
    assert by_path(draft) == {}
    saved = validated(draft).pathways[0].stages[3]
    assert saved.outcomes_together == [["Mediation offered", "Referred to the case review group"]]
    assert saved.determinations()[-1] == (
        "Mediation offered; and Referred to the case review group"
    )


def test_the_preview_stays_while_an_and_or_group_is_being_chosen() -> None:
    """An empty or one-outcome group is a problem beside its box, not a blank preview:
    the preview shows deadlines, which the group does not change."""
    draft = draft_from(validated_expected())
    stage = draft.pathways[0].stages[3]
    stage.outcomes_together.append(OutcomesTogetherDraft([]))
    shown = preview_policy(draft)
    assert shown is not None
    assert [s.title for s in shown.pathways[0].stages] == [
        s.title for s in draft.pathways[0].stages
    ]
    stage.outcomes_together[0].outcomes.append("Mediation offered")
    assert preview_policy(draft) is not None
    assert "pathways[0].stages[3].outcomes_together[0].outcomes" in by_path(draft)


@pytest.mark.parametrize(
    ("typed", "held"),
    [
        ("01/09/2025", "2025-09-01"),
        ("09/2025", "2025-09"),
        ("September 2025", "2025-09"),
        ("sept 2025", "2025-09"),
        ("2025", "2025"),
        ("2025-09", "2025-09"),
    ],
)
def test_dates_typed_the_english_way_are_kept_as_the_file_writes_them(
    typed: str, held: str
) -> None:
    """Seen in the real-window run: the builder refused 01/09/2025 for the document's
    date and 04/12/2026 for "Read on", asking for YYYY-MM and YYYY-MM-DD."""
    draft = draft_from(validated_expected())
    draft.document.issued = typed
    draft.document.read_on = "04/12/2026"
    assert "document.issued" not in by_path(draft)
    assert "document.read_on" not in by_path(draft)
    saved = tomllib.loads(to_toml(draft))["document"]
    assert saved["issued"] == held
    assert saved["read_on"] == date(2026, 12, 4)
    # Read back for editing the way it was typed.
    again = draft_from(parse_policy(to_toml(draft), "x.toml")).document
    assert again.read_on == "04/12/2026"
    assert again.issued == {"2025-09-01": "01/09/2025", "2025-09": "09/2025"}.get(held, held)
