"""Scrolling a form with the mouse wheel (ui/form_scrolling.py): a drop-down or number
box the pointer passes over keeps its value and the form scrolls; a field with the
keyboard focus still takes the wheel. Real wheel events, through the window system
(QTest.wheelEvent), so Qt's own propagation to the parent is what is tested."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.policy import PolicyLibrary
from ui.form_scrolling import FormScrolling, install_form_scrolling
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow

NOTCH_DOWN = QPoint(0, -120)
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def scrolling(qapp: QApplication) -> Iterator[FormScrolling]:
    """As ``ui.main.application`` makes it, before the window (asked for before
    ``unlocked``): the window activates it when the workspace is built. Removed after,
    for the other tests."""
    guard = install_form_scrolling(qapp)
    yield guard
    guard.uninstall()
    guard.setParent(None)  # gone with the test, not found by the next one


def wheel_over(widget: QWidget, delta: QPoint = NOTCH_DOWN) -> None:
    window = widget.window().windowHandle()
    assert window is not None
    at = widget.mapTo(widget.window(), widget.rect().center())
    QTest.wheelEvent(window, at, delta)
    QApplication.processEvents()


def open_form_over_policy(qtbot: QtBot, unlocked: MainWindow) -> QComboBox:
    form = unlocked.new_escalation()
    assert form is not None
    form.resize(1366, 768)
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.scroll.ensureWidgetVisible(form.policy)
    QApplication.processEvents()
    return form.policy


def test_the_wheel_over_an_unfocused_policy_scrolls_the_form(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    policy = open_form_over_policy(qtbot, unlocked)
    form = policy.window()
    bar = form.scroll.verticalScrollBar()  # type: ignore[attr-defined]
    assert bar.maximum() > 0  # the form is taller than the window: it scrolls
    assert not policy.hasFocus()
    before, top = policy.currentText(), bar.value()
    wheel_over(policy)
    assert policy.currentText() == before
    assert not policy.hasFocus()  # the wheel gave it no focus either
    assert bar.value() > top  # the scroll area had the wheel
    form.discard()  # type: ignore[attr-defined]


def test_a_focused_drop_down_still_takes_the_wheel(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    policy = open_form_over_policy(qtbot, unlocked)
    policy.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(policy.hasFocus)
    before = policy.currentIndex()
    wheel_over(policy)
    assert policy.currentIndex() == before + 1
    policy.window().discard()  # type: ignore[attr-defined]


def test_drop_downs_and_number_boxes_take_the_focus_by_click_and_tab_only(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    policy = open_form_over_policy(qtbot, unlocked)
    assert policy.focusPolicy() == Qt.FocusPolicy.StrongFocus
    policy.window().discard()  # type: ignore[attr-defined]


def test_a_wheel_the_form_takes_still_counts_as_activity_for_the_idle_lock(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    policy = open_form_over_policy(qtbot, unlocked)
    assert unlocked.idle.running
    unlocked.idle.clock = lambda: 10_000.0  # later than any input so far
    wheel_over(policy)
    assert unlocked.idle._last_input == 10_000.0
    policy.window().discard()  # type: ignore[attr-defined]


def test_a_field_reached_by_its_key_below_the_fold_is_scrolled_into_view(
    qtbot: QtBot, scrolling: FormScrolling, library: PolicyLibrary, tmp_path: Path
) -> None:
    """First run at 1366 x 768: Alt+I puts the cursor in "Which partnership?", which
    is below the fold when the page opens."""
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = tmp_path / "data" / "new.etdb"
    window = MainWindow(library, local)
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    page = window.first_run
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    qtbot.waitUntil(window.isActiveWindow)
    viewport = page.scroll.viewport()
    search = page.policy_search

    def seen(widget: QWidget) -> bool:
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        return top_left.y() >= 0 and top_left.y() + widget.height() <= viewport.height()

    assert not seen(search)  # below the fold
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    assert seen(search)
    qtbot.keyClicks(search, "suffolk")
    assert seen(page.policy) and seen(search)  # what the search found, in sight too
    page.clear_secrets()


def test_the_wheel_over_the_unlock_pages_member_leaves_the_member_chosen(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path, team_file: Path
) -> None:
    """The locked window is shown before the wheel filter starts (start-up time): the
    member drop-down keeps its own rule, a notch over it chooses nobody else."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    from tests.ui.test_team_window import open_window

    app = QApplication.instance()
    assert app is not None and not app.findChild(FormScrolling)  # no filter, as at start-up
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = team_file
    window = open_window(qtbot, library, local)
    member = window.unlock_page.member
    member.setCurrentIndex(1)
    window.unlock_page.passphrase.setFocus()
    qtbot.waitUntil(window.unlock_page.passphrase.hasFocus)
    assert member.focusPolicy() == Qt.FocusPolicy.StrongFocus
    # Through the window system, as a mouse does (Qt would give a wheel-focus widget
    # the focus first), then sent straight to the drop-down.
    wheel_over(member)
    assert member.currentIndex() == 1 and not member.hasFocus()
    at = QPointF(member.rect().center())
    sent = QWheelEvent(
        at,
        QPointF(member.mapToGlobal(at)),
        QPoint(),
        NOTCH_DOWN,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(member, sent)
    assert member.currentIndex() == 1
    # With the focus given it as a window opening gives it, the wheel still passes by.
    member.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
    qtbot.waitUntil(member.hasFocus)
    wheel_over(member)
    assert member.currentIndex() == 1
    # Gone to with Tab, the wheel turns it.
    window.unlock_page.passphrase.setFocus()
    qtbot.waitUntil(lambda: not member.hasFocus())
    member.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(member.hasFocus)
    wheel_over(member)
    assert member.currentIndex() == 2
    window.close()


def child_records_opened_on_child(qtbot: QtBot, unlocked: MainWindow) -> tuple[QWidget, QComboBox]:
    """A child's records, open, with the focus in Child as the window opening gives it."""
    dialog = unlocked.show_child_records()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    child = dialog.child  # type: ignore[attr-defined]
    assert child.count() >= 2
    child.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
    qtbot.waitUntil(child.hasFocus)
    return dialog, child


def test_a_drop_down_a_window_opens_on_ignores_the_wheel_until_the_person_goes_to_it(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    """In the real window, A child's records opened with the focus in Child, no focus
    frame drawn there, and one notch over it chose another child (a transfer or a
    disclosure for the wrong child). Now the notch scrolls on; after Tab to it, the
    wheel turns it."""
    dialog, child = child_records_opened_on_child(qtbot, unlocked)
    wheel_over(child)
    assert child.currentIndex() == 0
    qtbot.keyClick(child, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not child.hasFocus())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    qtbot.waitUntil(child.hasFocus)
    wheel_over(child)
    assert child.currentIndex() == 1
    dialog.close()


def test_a_click_on_the_focused_drop_down_lets_the_wheel_turn_it(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    policy = open_form_over_policy(qtbot, unlocked)
    policy.setFocus(Qt.FocusReason.OtherFocusReason)  # as a form placing its cursor
    qtbot.waitUntil(policy.hasFocus)
    before = policy.currentIndex()
    wheel_over(policy)
    assert policy.currentIndex() == before
    qtbot.keyClick(policy, Qt.Key.Key_Shift)  # any key pressed in it: the person is there
    wheel_over(policy)
    assert policy.currentIndex() == before + 1
    policy.window().discard()  # type: ignore[attr-defined]


def test_a_drop_down_clicked_open_and_closed_with_escape_takes_the_wheel(
    qtbot: QtBot, scrolling: FormScrolling, unlocked: MainWindow
) -> None:
    """In the real window, clicking Child open and pressing Escape left it refusing the
    wheel, where clicking an item or Tab let it turn."""
    dialog, child = child_records_opened_on_child(qtbot, unlocked)
    qtbot.mouseClick(child, Qt.MouseButton.LeftButton)
    popup = child.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    # Here the offscreen platform deactivated the window as the list closed; the
    # activation coming back neither gives nor takes the wheel.
    QApplication.processEvents()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and child.hasFocus())
    wheel_over(child)
    assert child.currentIndex() == 1
    dialog.close()
