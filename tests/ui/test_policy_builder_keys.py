"""The policy builder's Alt+letters, as the app's other forms have them: every field's
caption has one and a buddy it takes the focus to, and no two things shown at once
claim the same letter, on every page of the builder with each repeated group holding
two items and the line after a Remove showing."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import clashes, mnemonic, settle
from tests.ui.policy_builder_steps import click, stage
from ui.dialogs.policy_builder import PolicyBuilder
from ui.widgets.policy_fields import Fields
from ui.widgets.policy_outline import Where


def every_page(qtbot: QtBot, dialog: PolicyBuilder) -> Iterator[str]:
    """Each page, its repeated groups filled out to two items each."""
    dialog.outline._select(Where("policy"))
    click(qtbot, dialog, "Add a role")
    click(qtbot, dialog, "Add a role")
    yield "the policy"
    dialog.outline._select(Where("pathway", 0))
    click(qtbot, dialog, "Add a deadline")
    click(qtbot, dialog, "Add a deadline")
    yield "a pathway"
    stage(dialog, 4)
    qtbot.mouseClick(dialog.outline.remove, Qt.MouseButton.LeftButton)
    assert dialog.outline.put_back.isVisibleTo(dialog)
    stage(dialog, 1)
    click(qtbot, dialog, "Add outcomes reached together")
    click(qtbot, dialog, "Add outcomes reached together")
    click(qtbot, dialog, "Add a timescale")
    click(qtbot, dialog, "Add someone to tell")
    click(qtbot, dialog, "Add someone to tell")
    yield "a stage"


def captions(dialog: PolicyBuilder) -> Iterator[tuple[Fields, QLabel]]:
    page = dialog.pages.currentWidget()
    for fields in page.findChildren(Fields):
        if fields.isVisibleTo(page):
            for row in fields.rows.values():
                caption = fields.form.labelForField(row)
                if isinstance(caption, QLabel):
                    yield fields, caption


def test_every_caption_has_an_alt_letter_of_its_own_on_each_page(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    for page in every_page(qtbot, builder):
        settle()
        found = list(captions(builder))
        assert len(found) > 10, page
        no_buddy = [c.text() for _f, c in found if c.buddy() is None]
        assert no_buddy == [], f"{page}: captions without a buddy: {no_buddy}"
        # Every field a person types in or chooses from has a letter, but in a repeated
        # group's later items (the first item's field has it).
        unlettered = [
            c.text()
            for fields, c in found
            if fields.lettered
            and c.buddy().focusPolicy() != Qt.FocusPolicy.NoFocus
            and not mnemonic(c.text())
        ]
        assert unlettered == [], f"{page}: captions without an Alt letter: {unlettered}"
        ticks = [
            box.text()
            for fields, _c in found
            for box in fields.findChildren(QCheckBox)
            if fields.lettered and not mnemonic(box.text())
        ]
        assert ticks == [], f"{page}: ticks without an Alt letter: {ticks}"
        assert clashes(builder) == {}, page


def test_an_alt_letter_takes_the_focus_to_its_field(qtbot: QtBot, builder: PolicyBuilder) -> None:
    stage(builder, 1)
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow, timeout=2000)
    owner = builder.stage_page.main.rows["owner"].field  # type: ignore[union-attr]
    builder.outline.tree.setFocus()
    qtbot.keyClick(builder.outline.tree, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is owner, timeout=2000)
