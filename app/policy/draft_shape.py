"""The shape of a policy being set up in the builder: its pathways and stages added,
moved and removed, and the last one removed put back.

Remove takes a pathway or stage out at once, with no question (a modal question would
stop the DSL's work for a step they can take back). What was removed is kept whole, the
very object with every field as typed, beside where it was, so that *Put it back*
returns it to the same place. Only the last removal is kept, and only until the next
change of shape (a pathway or stage added, moved or removed) or a save: after that the
places it could go back to are no longer the ones it left. No Qt (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.english_plurals import count
from app.policy.draft import PathwayDraft, PolicyDraft, StageDraft, move, new_stage, renumber
from app.policy.pathway_kind import PathwayKind


@dataclass(frozen=True)
class Removed:
    """A pathway (``stage`` None) or a stage taken out of a draft, and where it was."""

    item: PathwayDraft | StageDraft
    pathway: int
    stage: int | None = None

    @property
    def words(self) -> str:
        """The line the builder shows: 'Stage 3 “Senior managers” removed.'"""
        if isinstance(self.item, PathwayDraft):
            name = self.item.title or PathwayKind(self.item.kind).plain_name
            stages = count(len(self.item.stages), "stage")
            return f"Pathway {self.pathway + 1} \u201c{name}\u201d removed, with its {stages}."
        assert self.stage is not None
        name = f"\u201c{self.item.title}\u201d" if self.item.title else "(no title)"
        return f"Stage {self.stage + 1} {name} removed."


class DraftShape:
    """The changes the builder's outline makes to ``draft``'s pathways and stages; each
    returns the index the part changed ends at, to show it."""

    def __init__(self, draft: PolicyDraft) -> None:
        self.draft = draft
        self.removed: Removed | None = None  # what Put it back would return

    def add_pathway(self) -> int:
        self.removed = None
        self.draft.pathways.append(PathwayDraft(stages=[StageDraft(number=1)]))
        return len(self.draft.pathways) - 1

    def add_stage(self, pathway: int, after: int | None = None) -> int:
        """A new empty stage after stage ``after`` (None: at the end)."""
        self.removed = None
        stages = self.draft.pathways[pathway].stages
        at = len(stages) if after is None else after + 1
        new_stage(self.draft.pathways[pathway], at)
        return at

    def move_pathway(self, index: int, step: int) -> int:
        self.removed = None
        return move(self.draft.pathways, index, step)

    def move_stage(self, pathway: int, index: int, step: int) -> int:
        self.removed = None
        moved = move(self.draft.pathways[pathway].stages, index, step)
        renumber(self.draft.pathways[pathway])
        return moved

    def remove_pathway(self, index: int) -> Removed:
        self.removed = Removed(self.draft.pathways.pop(index), index)
        return self.removed

    def remove_stage(self, pathway: int, index: int) -> Removed:
        owner = self.draft.pathways[pathway]
        self.removed = Removed(owner.stages.pop(index), pathway, index)
        renumber(owner)
        return self.removed

    def put_back(self) -> Removed | None:
        """The last part removed, back where it was with everything typed in it (None
        when there is nothing to put back)."""
        removed, self.removed = self.removed, None
        if removed is None:
            return None
        if isinstance(removed.item, PathwayDraft):
            self.draft.pathways.insert(removed.pathway, removed.item)
        else:
            assert removed.stage is not None
            owner = self.draft.pathways[removed.pathway]
            owner.stages.insert(removed.stage, removed.item)
            renumber(owner)
        return removed

    def forget(self) -> None:
        """Saved (or the draft replaced): what was removed is gone for good."""
        self.removed = None
