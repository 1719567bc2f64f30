"""Accessible names on every control, keyboard order, help always one click away, the
locked window's toolbar and labels, and en-GB dates with Monday as the first day of the
week."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.policy import PolicyLibrary
from ui.dialogs.restore import RestoreDialog
from ui.local_settings import LocalSettings
from ui.main import set_up_locale
from ui.main_window import MainWindow
from ui.widgets.common import set_enum

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside its own widgets (a spin box's line edit, a tab bar's scroll
    arrows, a line edit's clear button, a table's corner button, a combo's popup)."""
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(
            parent, QAbstractSpinBox | QTabBar | QComboBox | QAbstractItemView | QLineEdit
        ):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        control = isinstance(widget, CONTROLS) and not _qt_internal(widget)
        if control and not widget.accessibleName().strip():
            label = getattr(widget, "text", lambda: "")()
            parent = type(widget.parentWidget()).__name__
            out.append(f"{type(widget).__name__} {widget.objectName()!r} {label!r} in {parent}")
    return out


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, unlocked: MainWindow, library: PolicyLibrary, tmp_path: Path
) -> None:
    assert unnamed_controls(unlocked) == []
    ref = unlocked.workspace.escalations.visible_refs()[0]
    for dialog in (
        unlocked.show_settings(),
        unlocked.show_change_passphrase(),
        unlocked.show_immediate_risk(),
        unlocked.open_escalation(ref),
        unlocked.new_escalation(),
        RestoreDialog(tmp_path / "x.etdb", unlocked),
    ):
        assert dialog is not None
        assert unnamed_controls(dialog) == [], type(dialog).__name__
    unlocked.lock()
    assert unnamed_controls(unlocked.unlock_page) == []

    local = LocalSettings(tmp_path / "fresh.ini")
    local.data_file = tmp_path / "none-yet.etdb"
    fresh = MainWindow(library, local)
    qtbot.addWidget(fresh)
    assert fresh.stack.currentWidget() is fresh.first_run
    assert unnamed_controls(fresh.first_run) == []


def test_the_checker_finds_an_unnamed_control(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    QLineEdit(root)
    assert len(unnamed_controls(root)) == 1


def _tab_through(qtbot: QtBot, start: QWidget, steps: int) -> list[QWidget]:
    start.setFocus()
    seen = [start]
    for _ in range(steps):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        seen.append(now)
    return seen


def test_unlock_tab_order(qtbot: QtBot, window: MainWindow) -> None:
    page = window.unlock_page
    window.activateWindow()
    order = _tab_through(qtbot, page.passphrase, 4)
    # A team's file with one member: no member to choose; a recovery key to use.
    assert order == [
        page.passphrase,
        page.unlock_button,
        page.forgotten,
        page.other_file,
        page.new_file,
    ]


def test_workspace_tab_order(qtbot: QtBot, unlocked: MainWindow) -> None:
    unlocked.activateWindow()
    escalations = unlocked.workspace.escalations
    order = _tab_through(qtbot, escalations.search, 5)
    # "Show all" is skipped while there is nothing to clear.
    assert order == [
        escalations.search,
        escalations.status,
        escalations.pathway,
        escalations.stage,
        escalations.policy,
        escalations.table,
    ]


def test_immediate_risk_help_is_one_click_away_even_when_locked(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert not window.is_unlocked
    button = window.toolbar.widgetForAction(window.risk_action)
    assert isinstance(button, QToolButton) and button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.risk_dialog is not None and window.risk_dialog.isVisible()
    text = window.risk_dialog.advice.text()
    assert "999" in text and "Children's Social Care now" in text
    assert "not for emergencies" in text
    assert window.risk_action.shortcut().toString() == "F1"


def test_locked_window_offers_only_what_works(window: MainWindow) -> None:
    visible = [a.text() for a in window.toolbar.actions() if a.isVisible()]
    assert visible == [window.risk_action.text()]


def test_dates_are_en_gb_and_weeks_start_on_monday() -> None:
    set_up_locale()
    locale = QLocale()
    assert locale.firstDayOfWeek() == Qt.DayOfWeek.Monday
    assert locale.toString(QDate(2026, 12, 29), QLocale.FormatType.ShortFormat) == "29/12/2026"


def test_the_locked_window_set_without_qt_namespace_is_as_meant(window: MainWindow) -> None:
    """What the locked window sets by name (ui.widgets.common.set_enum) or leaves to a
    default, rather than through ``Qt``: text beside the toolbar's icons, at the top; the
    data file's name selectable, to copy; the actions' keys."""
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert window.toolBarArea(window.toolbar) == Qt.ToolBarArea.TopToolBarArea
    flags = window.unlock_page.file_label.textInteractionFlags()
    assert flags == Qt.TextInteractionFlag.TextSelectableByMouse
    keys = {a.text(): a.shortcut().toString() for a in (window.new_action, window.hide_action)}
    assert keys == {"&New escalation…": "Ctrl+N", "&Hide screen": "Ctrl+L"}


def test_a_mistyped_enum_name_is_a_bug(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match="TextSelectableByMice"):
        set_enum(label, "textInteractionFlags", "TextSelectableByMice")
