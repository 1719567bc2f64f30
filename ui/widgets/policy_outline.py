"""The policy builder's left column: the policy's parts as a tree (the policy and its
document, each pathway, each pathway's stages), marked where a part has a problem, with
the buttons that add, remove and move pathways and stages, and, after a Remove, the line
that puts the part back. The changes themselves, and what can be put back, are
``app.policy.draft_shape``'s."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.policy.draft import PolicyDraft, Problem
from app.policy.draft_shape import DraftShape
from app.policy.pathway_kind import PathwayKind
from app.policy.stage_names import stage_heading
from ui.plain_text import plain
from ui.widgets.common import named

WARNING = "\u26a0 "


@dataclass(frozen=True)
class Where:
    """A part of the policy: "policy", or pathway ``pathway``, or its stage ``stage``."""

    kind: str
    pathway: int = 0
    stage: int = 0


def reading_order(root: QWidget) -> list[QWidget]:
    """The controls under ``root`` that Tab stops at, in the order their layouts place
    them (a form's rows top to bottom, each row left to right)."""
    out: list[QWidget] = []

    def walk(layout: QLayout | None) -> None:
        if layout is None:
            return
        for index in range(layout.count()):
            item = layout.itemAt(index)
            widget = item.widget()
            if widget is not None and widget.isVisibleTo(root):
                if widget.focusProxy() is not None:
                    # Moved as one with the field it stands for (a field's row, a date):
                    # left where it was made, Tab would find the field through it later.
                    out.append(widget)
                    continue
                if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
                    out.append(widget)
                walk(widget.layout())
            elif item.layout() is not None:
                walk(item.layout())

    walk(root.layout())
    return out


def _part_of(path: str) -> Where:
    """The part of the policy a problem's field path is in."""
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", path)]
    if path.startswith("pathways[") and ".stages[" in path and len(numbers) >= 2:
        return Where("stage", numbers[0], numbers[1])
    if path.startswith("pathways[") and numbers:
        return Where("pathway", numbers[0])
    return Where("policy")


class PolicyOutline(QWidget):
    chosen = Signal(object)  # a Where
    reshaped = Signal()  # a pathway or stage added, removed or moved

    def __init__(self, draft: PolicyDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.shape = DraftShape(draft)
        self._found: list[Problem] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.tree = named(QTreeWidget(), "The policy's parts", "Choose a part to fill it in.")
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(220)
        self.tree.currentItemChanged.connect(self._current_changed)
        column.addWidget(self.tree, 1)
        grid = QGridLayout()
        self.add_pathway = named(QPushButton("Add pathway"), "Add a pathway")
        self.add_stage = named(QPushButton("Add stage"), "Add a stage after this one")
        self.up = named(QPushButton("Move up"), "Move this part up")
        self.down = named(QPushButton("Move down"), "Move this part down")
        self.remove = named(QPushButton("Remove"), "Remove this part")
        for index, button in enumerate(
            (self.add_pathway, self.add_stage, self.up, self.down, self.remove)
        ):
            button.setAutoDefault(False)  # Enter presses only the focused button here
            grid.addWidget(button, index // 2, index % 2)
        column.addLayout(grid)
        # After Remove: what went, and the button that puts it back (no question asked).
        self.removed_line = plain(QLabel())
        self.removed_line.setWordWrap(True)
        self.removed_line.setAccessibleName("Part removed")
        self.put_back = named(
            QPushButton("Put it back (Ctrl+Z)"), "Put it back", "Put the part removed back"
        )
        self.put_back.setAutoDefault(False)
        self.put_back.clicked.connect(self._put_back)
        column.addWidget(self.removed_line)
        column.addWidget(self.put_back)
        # Ctrl+Z in a field undoes its typing (the field takes the key first); anywhere
        # else in the builder it puts the part back.
        self.put_back_key = QShortcut(QKeySequence.StandardKey.Undo, self, self._put_back)
        self.add_pathway.clicked.connect(self._add_pathway)
        self.add_stage.clicked.connect(self._add_stage)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.remove.clicked.connect(self._remove)
        self.set_draft(draft)

    def set_draft(self, draft: PolicyDraft, where: Where | None = None) -> None:
        if draft is not self.shape.draft:  # another policy: nothing of it to put back
            self.shape = DraftShape(draft)
        self.draft = draft
        self._show_removed()
        self.tree.blockSignals(True)
        self.tree.clear()
        top = QTreeWidgetItem(["The policy and its document"])
        top.setData(0, Qt.ItemDataRole.UserRole, Where("policy"))
        self.tree.addTopLevelItem(top)
        for p, pathway in enumerate(draft.pathways):
            item = QTreeWidgetItem([""])
            item.setData(0, Qt.ItemDataRole.UserRole, Where("pathway", p))
            self.tree.addTopLevelItem(item)
            for s, _stage in enumerate(pathway.stages):
                child = QTreeWidgetItem([""])
                child.setData(0, Qt.ItemDataRole.UserRole, Where("stage", p, s))
                item.addChild(child)
        self.tree.expandAll()
        self.relabel()
        self.tree.blockSignals(False)
        self._select(where or Where("policy"))

    def _items(self) -> list[QTreeWidgetItem]:
        out = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            out.append(item)
            out.extend(item.child(n) for n in range(item.childCount()))
        return out

    def _label(self, where: Where) -> str:
        if where.kind == "policy":
            return "The policy and its document"
        pathway = self.draft.pathways[where.pathway]
        if where.kind == "pathway":
            kind = PathwayKind(pathway.kind).plain_name
            return f"Pathway {where.pathway + 1}: {pathway.title or kind}"
        stage = pathway.stages[where.stage]
        return stage_heading(where.stage + 1, stage.title or "(no title yet)")

    def relabel(self, found: Sequence[Problem] | None = None) -> None:
        """Each part's label from the draft, marked where ``found`` (or, by default,
        the problems last given) has one."""
        if found is not None:
            self._found = list(found)
        marked = {_part_of(p.path) for p in self._found}
        for item in self._items():
            where = item.data(0, Qt.ItemDataRole.UserRole)
            label = self._label(where)
            item.setText(0, (WARNING if where in marked else "") + label)
            item.setToolTip(0, "Something here needs attention" if where in marked else "")

    def where(self) -> Where:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else Where("policy")

    def _select(self, where: Where) -> None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == where:
                self.tree.setCurrentItem(item)
                return

    def choose_path(self, path: str) -> None:
        self._select(_part_of(path))

    def _current_changed(self, item: QTreeWidgetItem | None, _old: object) -> None:
        where = self.where()
        self.add_stage.setEnabled(where.kind != "policy")
        self.remove.setEnabled(where.kind != "policy")
        self.up.setEnabled(where.kind != "policy" and (where.stage or where.pathway) > 0)
        count = (
            len(self.draft.pathways)
            if where.kind == "pathway"
            else len(self.draft.pathways[where.pathway].stages)
            if where.kind == "stage"
            else 0
        )
        index = where.stage if where.kind == "stage" else where.pathway
        self.down.setEnabled(where.kind != "policy" and index + 1 < count)
        if item is not None:
            self.chosen.emit(where)

    # Changing the structure -------------------------------------------------------------

    def _reshape(self, where: Where) -> None:
        self.set_draft(self.draft, where)
        self.reshaped.emit()

    def _show_removed(self) -> None:
        removed = self.shape.removed
        self.removed_line.setText(removed.words if removed is not None else "")
        self.removed_line.setVisible(removed is not None)
        self.put_back.setVisible(removed is not None)
        self.put_back_key.setEnabled(removed is not None)

    def forget_removed(self) -> None:
        """Saved: what was removed is gone for good."""
        self.shape.forget()
        self._show_removed()

    def _add_pathway(self) -> None:
        self._reshape(Where("pathway", self.shape.add_pathway()))

    def _add_stage(self) -> None:
        where = self.where()
        after = where.stage if where.kind == "stage" else None
        self._reshape(Where("stage", where.pathway, self.shape.add_stage(where.pathway, after)))

    def _move(self, step: int) -> None:
        where = self.where()
        if where.kind == "pathway":
            self._reshape(Where("pathway", self.shape.move_pathway(where.pathway, step)))
        elif where.kind == "stage":
            moved = self.shape.move_stage(where.pathway, where.stage, step)
            self._reshape(Where("stage", where.pathway, moved))

    def _remove(self) -> None:
        where = self.where()
        if where.kind == "pathway":
            self.shape.remove_pathway(where.pathway)
            self._reshape(Where("policy"))
        elif where.kind == "stage":
            self.shape.remove_stage(where.pathway, where.stage)
            left = min(where.stage, len(self.draft.pathways[where.pathway].stages) - 1)
            self._reshape(
                Where("stage", where.pathway, left)
                if left >= 0
                else Where("pathway", where.pathway)
            )

    def _put_back(self) -> None:
        back = self.shape.put_back()
        if back is None:
            return
        if self.put_back.hasFocus():  # about to be hidden: the focus goes to the part
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        if back.stage is None:
            self._reshape(Where("pathway", back.pathway))
        else:
            self._reshape(Where("stage", back.pathway, back.stage))
