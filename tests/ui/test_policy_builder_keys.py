"""The policy builder's Alt+letters, as the app's other forms have them: every field's
caption has one and a buddy it takes the focus to, and no two things shown at once
claim the same letter, on every page of the builder with each repeated group holding
two items and the line after a Remove showing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import clashes, mnemonic, settle
from tests.ui.policy_builder_steps import click, stage
from ui.dialogs.policy_builder import PolicyBuilder
from ui.form_scrolling import FormScrolling, install_form_scrolling
from ui.widgets.policy_fields import Fields
from ui.widgets.policy_outline import Where


@pytest.fixture
def form_scrolling(qapp: QApplication) -> Iterator[FormScrolling]:
    """The application's filter, as ui.main installs it (drops stray Alt+letters,
    scrolls a field the focus moves to into view); removed after the test."""
    guard = install_form_scrolling(qapp)
    guard.install()
    yield guard
    guard.uninstall()
    guard.setParent(None)


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


def test_the_previews_dates_take_their_alt_letters(qtbot: QtBot, builder: PolicyBuilder) -> None:
    """Alt+R and Alt+D did nothing: a caption's letter skips a buddy that takes no
    focus, and the date field hands its focus to its text box."""
    stage(builder, 1)
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow, timeout=2000)
    builder.outline.tree.setFocus()
    for key, field in (
        (Qt.Key.Key_R, builder.preview.raised),
        (Qt.Key.Key_D, builder.preview.decision),
    ):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda f=field: f.isAncestorOf(QApplication.focusWidget()), timeout=2000)


def test_an_alt_letter_no_shortcut_takes_is_not_typed(
    qtbot: QtBot, builder: PolicyBuilder, form_scrolling: FormScrolling
) -> None:
    """In the real window Alt+Q typed "q" into the field (no caption has Q)."""
    stage(builder, 1)
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow, timeout=2000)
    owner = builder.stage_page.main.rows["owner"].field  # type: ignore[union-attr]
    owner.setFocus()
    qtbot.waitUntil(owner.hasFocus)
    qtbot.keyClicks(owner, "Head")
    qtbot.keyClick(owner, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(owner, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    assert owner.text() == "Head" and owner.hasFocus()


def test_altgr_shift_and_plain_letters_are_still_typed() -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QLineEdit

    from ui.alt_letters import is_stray

    field = QLineEdit()
    mod = Qt.KeyboardModifier

    def press(key: Qt.Key, held: Qt.KeyboardModifier) -> QKeyEvent:
        return QKeyEvent(QEvent.Type.KeyPress, key, held, "q")

    assert is_stray(field, press(Qt.Key.Key_Q, mod.AltModifier))
    assert is_stray(field, press(Qt.Key.Key_Q, mod.AltModifier | mod.ShiftModifier))
    assert not is_stray(field, press(Qt.Key.Key_Q, mod.NoModifier))
    assert not is_stray(field, press(Qt.Key.Key_Q, mod.ShiftModifier))
    # AltGr: Ctrl+Alt on Windows, a group switch on X11 ("@" and "€" are typed so).
    assert not is_stray(field, press(Qt.Key.Key_Q, mod.ControlModifier | mod.AltModifier))
    assert not is_stray(field, press(Qt.Key.Key_Q, mod.GroupSwitchModifier | mod.AltModifier))
    assert not is_stray(field, press(Qt.Key.Key_1, mod.AltModifier))  # not a letter
    assert not is_stray(QApplication.instance(), press(Qt.Key.Key_Q, mod.AltModifier))  # type: ignore[arg-type]


def test_enter_in_a_field_adds_nothing_and_enter_on_a_button_presses_it(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    """In the real window Enter in "Short name" pressed "Add a role" (a dialog's push
    buttons are all default buttons) and two new problems appeared."""
    from tests.ui.policy_builder_steps import shown, type_in

    builder.outline._select(Where("policy"))
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow, timeout=2000)
    roles = len(builder.draft.contact_roles)
    type_in(qtbot, builder, "Short name", "TSCP")
    short = shown(builder, "Short name")
    qtbot.keyClick(short, Qt.Key.Key_Return)
    qtbot.keyClick(short, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    settle()
    assert len(builder.draft.contact_roles) == roles
    assert QApplication.focusWidget() is short
    add = shown(builder, "Add a role")
    add.setFocus()
    qtbot.keyClick(add, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(builder.draft.contact_roles) == roles + 1, timeout=2000)
    # A tick box is ticked with Space, not Enter, as everywhere else.
    stage(builder, 1)
    click(qtbot, builder, "Add a timescale")
    settle()
    tick = next(
        box
        for box in builder.pages.currentWidget().findChildren(QCheckBox)
        if box.isVisibleTo(builder) and box.accessibleName().startswith("A limit on the whole")
    )
    tick.setFocus()
    qtbot.waitUntil(tick.hasFocus, timeout=2000)
    ticked = tick.isChecked()
    qtbot.keyClick(tick, Qt.Key.Key_Return)
    assert tick.isChecked() == ticked


def test_the_field_of_a_part_added_is_scrolled_into_view(
    qtbot: QtBot, builder: PolicyBuilder, form_scrolling: FormScrolling
) -> None:
    """In the real window, Enter on "Add a role" put the cursor in a field below the
    bottom edge of the form."""
    from tests.ui.policy_builder_steps import shown

    builder.outline._select(Where("policy"))
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow, timeout=2000)
    for _ in range(3):
        add = shown(builder, "Add a role")
        add.setFocus()
        qtbot.keyClick(add, Qt.Key.Key_Return)
        field = QApplication.focusWidget()
        assert field is not None and field.accessibleName() != "Add a role"
        settle()
        viewport = field.visibleRegion().boundingRect()
        assert viewport.height() == field.height(), field.accessibleName()
