"""The keyboard does the whole job, in a natural order: in every window and dialog no
two things share an Alt key, every Save has Alt+S, Tab goes top to bottom and left to
right (a dialog's buttons last) through controls that each have a name, the focus
lands in a form's first field, Escape and Enter do what they say, and a form's problems
are all shown at once and each goes when its field is put right."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.escalation_actions import EscalationAction
from app.policy import PolicyLibrary
from app.services.people import add_child
from app.services.settings import SettingDetails
from tests.plain_store import PlainStore
from tests.ui import keyboard
from tests.ui.conftest import PASSPHRASE
from ui.dialogs.new_escalation import NewEscalationDialog
from ui.dialogs.pdf_preview import unencrypted_warning
from ui.dialogs.restore import RestoreDialog
from ui.escalation.view import EscalationView
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow
from ui.widgets import form_dialog
from ui.widgets.first_run import FirstRunPage
from ui.widgets.form_dialog import FormDialog
from ui.widgets.keyboard import first_field

DOCUMENTS = {
    EscalationAction.CONFIRMATION,
    EscalationAction.MONITORING_FORM,  # a form, checked below, that previews
    EscalationAction.CONFERENCE_DISSENT_RECORD,
    EscalationAction.STOP_AND_REVIEW_REQUEST,
    EscalationAction.CHRONOLOGY,
}


@pytest.fixture(autouse=True)
def no_questions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(form_dialog, "ask_discard", lambda _parent: True)
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, EscalationView | QDialog):
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def fresh_window(qtbot: QtBot, library: PolicyLibrary, tmp_path: Path) -> MainWindow:
    """A window with no data file yet: the first-run page."""
    local = LocalSettings(tmp_path / "fresh.ini")
    local.data_file = tmp_path / "none-yet.etdb"
    window = MainWindow(library, local)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown(qtbot: QtBot, dialog: QWidget | None) -> QWidget:
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


# Alt keys, Save, Tab order and names, window by window --------------------------------


def test_the_main_window_in_each_state(
    qtbot: QtBot, unlocked: MainWindow, library: PolicyLibrary, tmp_path: Path
) -> None:
    found: list[str] = []
    for index in range(unlocked.workspace.tabs.count()):
        unlocked.workspace.tabs.setCurrentIndex(index)
        found += keyboard.problems_of(qtbot, unlocked, unlocked.workspace.tabs.tabBar())
    unlocked.workspace.tabs.setCurrentIndex(0)
    unlocked.lock()
    found += keyboard.problems_of(qtbot, unlocked)
    fresh = fresh_window(qtbot, library, tmp_path)
    found += keyboard.problems_of(qtbot, fresh)
    assert not found, "\n".join(found)


def test_the_dashboard_counts_come_before_the_list(qtbot: QtBot, unlocked: MainWindow) -> None:
    unlocked.resize(1366, 768)
    tabs = unlocked.workspace.tabs.tabBar()
    walked = keyboard.tab_chain(qtbot, tabs)
    counts = list(unlocked.workspace.dashboard.buttons.values())
    escalations = unlocked.workspace.escalations
    assert walked[: len(counts) + 2] == [tabs, *counts, escalations.search]
    assert walked.index(escalations.table) > walked.index(counts[-1])


def test_the_records_and_settings_dialogs(
    qtbot: QtBot, unlocked: MainWindow, tmp_path: Path
) -> None:
    found: list[str] = []
    for open_it in (
        unlocked.show_settings,
        unlocked.show_change_passphrase,
        unlocked.show_immediate_risk,
        unlocked.show_statistics,
        unlocked.show_retention,
        unlocked.show_child_records,
        unlocked.show_verify_seal,
        lambda: RestoreDialog(tmp_path / "x.etdb", unlocked),
        lambda: unencrypted_warning(unlocked),
    ):
        dialog = open_it()
        assert dialog is not None
        dialog.show()
        found += keyboard.problems_of(qtbot, shown(qtbot, dialog))
        dialog.close()
    assert not found, "\n".join(found)


def test_the_unencrypted_pdf_warning_saves_with_alt_s(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    box = unencrypted_warning(parent)
    save = box.button(QMessageBox.StandardButton.Save)
    assert keyboard.mnemonic(save.text()) == "s"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)


def _forms_of(view: EscalationView) -> list[EscalationAction]:
    assert view.detail is not None
    return [
        action
        for action, button in view._action_buttons().items()
        if button.isVisible()
        and button.isEnabled()
        and action not in DOCUMENTS - {EscalationAction.MONITORING_FORM}
    ]


def test_every_escalation_window_and_its_forms(qtbot: QtBot, unlocked: MainWindow) -> None:
    found: list[str] = []
    forms_seen: set[str] = set()
    for ref in unlocked.workspace.escalations.visible_refs():
        view = unlocked.open_escalation(ref)
        assert view is not None
        qtbot.waitUntil(view.isVisible)
        found += keyboard.problems_of(qtbot, view)
        for action in _forms_of(view):
            kind = f"{action.value} {view.detail.row.pathway_id if view.detail else ''}"
            if kind in forms_seen:
                continue
            forms_seen.add(kind)
            view._action_buttons()[action].click()
            dialog = view.dialogs[-1]
            found += keyboard.problems_of(qtbot, shown(qtbot, dialog))
            if isinstance(dialog, FormDialog):
                dialog.discard()
            else:
                dialog.close()
        view.close()
    assert len(forms_seen) > 10
    assert not found, "\n".join(found)


def test_the_new_escalation_form_in_both_ways_of_choosing_the_child(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    found = keyboard.problems_of(qtbot, shown(qtbot, form))
    form.new_child.setChecked(True)
    found += keyboard.problems_of(qtbot, form)
    form.immediate_risk.setChecked(True)
    found += keyboard.problems_of(qtbot, form)
    assert not found, "\n".join(found)


def test_an_amendment_form(qtbot: QtBot, unlocked: MainWindow) -> None:
    for ref in unlocked.workspace.escalations.visible_refs():
        view = unlocked.open_escalation(ref)
        assert view is not None and view.detail is not None
        records = [r for r in view.detail.records if r.kind == "discussion"]
        if records:
            form = view.amend(records[-1])
            assert isinstance(form, FormDialog)
            assert keyboard.problems_of(qtbot, shown(qtbot, form)) == []
            assert QApplication.focusWidget() is form.rows["Reason for the amendment"].field
            return
        view.close()
    raise AssertionError("no demo escalation has a discussion to amend")


def test_the_checks_find_what_they_look_for(qtbot: QtBot) -> None:
    """Each check fails on a window made to fail it."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    below = QLineEdit(window)  # in the window first: Tab order is joining order
    above = QLineEdit()
    above.setAccessibleName("Above")
    label = QLabel("&Name:")
    label.setBuddy(above)
    column.addWidget(label)
    column.addWidget(above)
    column.addWidget(below)
    column.addWidget(QPushButton("&Nothing"))
    column.addWidget(QPushButton("Save"))
    column.addWidget(QScrollArea())
    window.show()
    qtbot.waitExposed(window)
    found = "\n".join(keyboard.problems_of(qtbot, window, above))
    assert "Alt+N is claimed by" in found
    assert "a Save button's Alt key is ''" in found
    assert "is above or left of it" in found
    assert "where typing goes nowhere" in found
    assert "no accessible name: QLineEdit ''" in found
    assert keyboard.mnemonic("Fish && &chips") == "c" and keyboard.mnemonic("A && B") == ""


# Where the focus lands ------------------------------------------------------------------


def test_each_form_opens_with_the_focus_in_its_first_field(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    ref = unlocked.workspace.escalations.visible_refs()[0]
    view = unlocked.open_escalation(ref)
    assert view is not None
    for action in _forms_of(view):
        view._action_buttons()[action].click()
        dialog = view.dialogs[-1]
        qtbot.waitUntil(dialog.isActiveWindow)
        field = first_field(dialog)
        assert field is not None and QApplication.focusWidget() is field, action
        assert isinstance(dialog, FormDialog)
        dialog.discard()


def test_typing_at_once_into_move_to_the_next_stage_is_kept(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    for ref in unlocked.workspace.escalations.visible_refs():
        view = unlocked.open_escalation(ref)
        assert view is not None
        if view.move_button.isVisible() and view.move_button.isEnabled():
            break
        view.close()
    qtbot.mouseClick(view.move_button, Qt.MouseButton.LeftButton)
    dialog = view.dialogs[-1]
    qtbot.waitUntil(dialog.isActiveWindow)
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, "Not resolved")
    assert dialog.result_text.toPlainText() == "Not resolved"  # type: ignore[attr-defined]


def test_a_second_new_escalation_starts_like_the_first(qtbot: QtBot, unlocked: MainWindow) -> None:
    focused = []
    for _ in range(2):
        unlocked.activateWindow()
        qtbot.waitUntil(unlocked.isActiveWindow)
        qtbot.keyClick(unlocked, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        forms = [w for w in QApplication.topLevelWidgets() if isinstance(w, FormDialog)]
        form = next(f for f in forms if f.isVisible())
        qtbot.waitUntil(form.isActiveWindow)
        focused.append(QApplication.focusWidget())
        assert focused[-1] is form.child  # type: ignore[attr-defined]
        qtbot.keyClick(form, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda f=form: not f.isVisible())  # type: ignore[misc]


# Escape and Enter -----------------------------------------------------------------------


def test_escape_closes_an_escalation_window(qtbot: QtBot, unlocked: MainWindow) -> None:
    ref = unlocked.workspace.escalations.visible_refs()[0]
    view = unlocked.open_escalation(ref)
    assert view is not None
    qtbot.waitUntil(view.isActiveWindow)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.window() is view
    qtbot.keyClick(focused, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ref not in unlocked.views)


def test_enter_unlocks(qtbot: QtBot, window: MainWindow) -> None:
    page = window.unlock_page
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.is_unlocked)


def test_enter_on_a_focused_button_of_the_unlock_page_presses_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.unlock_page
    with qtbot.waitSignal(page.new_file_requested):
        qtbot.keyClick(page.new_file, Qt.Key.Key_Return)


def test_enter_creates_the_file_from_the_first_run_page(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    page = FirstRunPage(library, tmp_path / "new.etdb")
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.passphrase, "purple kettle river")
    qtbot.keyClicks(page.repeat, "purple kettle river")
    qtbot.keyClicks(page.setting_name, "Riverside Primary School")
    page.policy.setCurrentIndex(page.policy.findData("gloucestershire"))
    qtbot.keyClicks(page.dsl_name, "Ms Hannah Okafor")
    with qtbot.waitSignal(page.create_requested) as created:
        qtbot.keyClick(page.dsl_name, Qt.Key.Key_Return)
    assert created.args is not None
    assert created.args[0].details.dsl_name == "Ms Hannah Okafor"
    # Enter on "Choose…" chooses a place rather than creating the file.
    assert page.choose_button.autoDefault() and not page.choose_button.isDefault()


# Problems: all at once, the focus on the first, each gone when put right --------------


def test_problems_are_shown_at_once_and_each_goes_when_its_field_is_put_right(
    qtbot: QtBot, tmp_path: Path, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 27, 16, 0))
    store = PlainStore(tmp_path / "forms.db")
    add_child(store, name="Zoë Nguyễn", date_of_birth=date(2014, 5, 12), actor="DSL")
    settings = SettingDetails(setting_name="Riverside", dsl_name="Ms Hannah Okafor")
    form = NewEscalationDialog(store, library, settings)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    assert QApplication.focusWidget() is form.child  # the first field that takes typing
    qtbot.keyClick(form.child, Qt.Key.Key_Down)  # the child already recorded
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    def marked() -> list[str]:
        return [key for key, row in form.rows.items() if row.error.isVisibleTo(form)]

    def message() -> str:
        return str(form.message.property("text")) if form.message.isVisibleTo(form) else ""

    assert marked() == [
        "Other agency",
        "Category",
        "What is disputed",
        "What we want to change for the child",
        "Impact on the child",
        "Date raised",
    ]
    # The service names the date raised first; the focus goes to the first in the form.
    assert QApplication.focusWidget() is form.other_agency
    assert message().startswith("⚠ 6 things need attention")

    qtbot.keyClicks(form.other_agency, "Health visiting")
    assert "Other agency" not in marked() and len(marked()) == 5
    assert message().startswith("⚠ 5 things need attention")
    qtbot.keyClick(form.category, Qt.Key.Key_Down)
    qtbot.keyClicks(form.disputed, "Who leads on the home visit.")
    qtbot.keyClicks(form.raised_at.edit, "20/11/2026 09:30")
    assert marked() == ["What we want to change for the child", "Impact on the child"]
    assert message().startswith("⚠ 2 things need attention")
    # Typing that does not put it right leaves the message as it was.
    qtbot.keyClicks(form.impact, "   ")
    assert marked() == ["What we want to change for the child", "Impact on the child"]
    qtbot.keyClicks(form.change_wanted, "A named lead for the family.")
    assert marked() == ["Impact on the child"] and message() == ""
    qtbot.keyClicks(form.impact, "Nobody has seen the child at home.")
    assert marked() == []


def test_a_form_opens_with_its_cursor_drawn_in_the_first_field(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    """In the real window, New escalation opened with the focus in Child and nothing
    showing it: activating the window gave the focus again, and Qt stops drawing the
    focus frame for a focus no key moved."""
    qtbot.keyClick(unlocked, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NewEscalationDialog))
    form = QApplication.activeModalWidget()
    assert isinstance(form, NewEscalationDialog)
    qtbot.waitUntil(form.isActiveWindow)
    attribute = Qt.WidgetAttribute.WA_KeyboardFocusChange
    qtbot.waitUntil(lambda: form.testAttribute(attribute), timeout=2000)
    assert QApplication.focusWidget() is first_field(form.body_widget)
    form.discard()
