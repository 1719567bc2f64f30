"""A draft's pathways and stages added, moved and removed, and the last one removed put
back where it was with everything typed in it (app/policy/draft_shape.py)."""

from __future__ import annotations

from app.policy.draft import blank_draft
from app.policy.draft_shape import DraftShape


def titles(shape: DraftShape, pathway: int = 0) -> list[str]:
    return [s.title for s in shape.draft.pathways[pathway].stages]


def test_a_stage_goes_back_where_it_was_as_typed() -> None:
    shape = DraftShape(blank_draft())
    typed = shape.draft.pathways[0].stages[2]
    typed.owner, typed.timescales[0].text = "Heads of service", "within 5 working days"
    removed = shape.remove_stage(0, 2)
    assert removed.words == "Stage 3 \u201cSenior managers\u201d removed."
    assert titles(shape)[2] == "The safeguarding partnership"
    assert [s.number for s in shape.draft.pathways[0].stages] == [1, 2, 3]
    back = shape.put_back()
    assert back is removed and (back.pathway, back.stage) == (0, 2)
    assert shape.draft.pathways[0].stages[2] is typed
    assert typed.owner == "Heads of service"
    assert typed.timescales[0].text == "within 5 working days"
    assert [s.number for s in shape.draft.pathways[0].stages] == [1, 2, 3, 4]
    assert shape.put_back() is None  # once


def test_a_pathway_goes_back_with_its_stages() -> None:
    shape = DraftShape(blank_draft())
    shape.add_pathway()
    shape.draft.pathways[0].title = "Resolving differences"
    removed = shape.remove_pathway(0)
    assert removed.words == (
        "Pathway 1 \u201cResolving differences\u201d removed, with its 4 stages."
    )
    assert len(shape.draft.pathways) == 1
    shape.put_back()
    assert shape.draft.pathways[0].title == "Resolving differences"
    assert len(shape.draft.pathways[0].stages) == 4


def test_an_untitled_part_is_named_by_its_number_and_kind() -> None:
    shape = DraftShape(blank_draft())
    shape.add_stage(0)
    assert shape.remove_stage(0, 4).words == "Stage 5 (no title) removed."
    assert shape.remove_pathway(0).words == (
        "Pathway 1 \u201cProfessional disagreement\u201d removed, with its 4 stages."
    )


def test_any_other_change_of_shape_or_a_save_ends_the_offer() -> None:
    for change in (
        lambda s: s.add_pathway(),
        lambda s: s.add_stage(0, 0),
        lambda s: s.move_stage(0, 0, 1),
        lambda s: s.move_pathway(0, 0),
        lambda s: s.forget(),
    ):
        shape = DraftShape(blank_draft())
        shape.remove_stage(0, 1)
        change(shape)
        assert shape.removed is None and shape.put_back() is None
    shape = DraftShape(blank_draft())
    shape.remove_stage(0, 3)
    shape.remove_stage(0, 0)  # the later removal is the one kept
    shape.put_back()
    assert titles(shape) == ["Practitioners discuss it", "Line managers", "Senior managers"]
