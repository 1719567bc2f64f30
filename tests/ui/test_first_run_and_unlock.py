"""First run creates an encrypted file; unlock refuses a wrong passphrase, keeps the
field's focus, slows repeated guesses, and shows nothing until the file opens."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.policy import Nation, PolicyLibrary
from app.services.escalations import list_escalations
from app.services.settings import get_settings
from app.storage import unlock_attempts
from tests.ui.conftest import PASSPHRASE, child_names_in, open_team, shown_texts
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow


def _new_window(qtbot: QtBot, library: PolicyLibrary, tmp_path: Path) -> MainWindow:
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = tmp_path / "data" / "new.etdb"
    window = MainWindow(library, local)
    qtbot.addWidget(window)
    window.show()
    return window


def _fill_first_run(window: MainWindow, passphrase: str, repeat: str) -> None:
    page = window.first_run
    page.passphrase.setText(passphrase)
    page.repeat.setText(repeat)
    page.setting_name.setText("Hillside Nursery")
    page.dsl_name.setText("Mr Sam Ortiz")
    page.deputies.setPlainText("Ms Jo Reid\n\n  Mr Al Khan  ")
    page.policy.setCurrentIndex(page.policy.findData("north-yorkshire"))
    page.nation.setCurrentIndex(page.nation.findData(Nation.WALES))


def test_first_run_creates_an_encrypted_file_with_the_settings(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    window = _new_window(qtbot, library, tmp_path)
    assert window.stack.currentWidget() is window.first_run
    _fill_first_run(window, "blue fox river lamp", "blue fox river lamp")
    qtbot.mouseClick(window.first_run.create_button, Qt.MouseButton.LeftButton)

    path = tmp_path / "data" / "new.etdb"
    assert path.exists()
    assert window.is_unlocked and window.stack.currentWidget() is window.workspace
    assert "Hillside Nursery" in window.windowTitle()
    assert window.first_run.passphrase.text() == ""  # the passphrase is not kept on screen
    assert not path.read_bytes().startswith(b"SQLite format 3")  # encrypted
    window.close()
    db = open_team(path, "blue fox river lamp")
    try:
        details = get_settings(db)
        assert list_escalations(db) == []
    finally:
        db.close()
    assert details.setting_name == "Hillside Nursery"
    assert details.deputies == ("Ms Jo Reid", "Mr Al Khan")
    assert details.default_policy == "north-yorkshire" and details.nation is Nation.WALES


def test_first_run_refuses_different_passphrases_and_makes_no_file(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    window = _new_window(qtbot, library, tmp_path)
    _fill_first_run(window, "blue fox river lamp", "blue fox river lump")
    qtbot.mouseClick(window.first_run.create_button, Qt.MouseButton.LeftButton)
    assert "not the same" in window.first_run.message.text()
    assert not (tmp_path / "data" / "new.etdb").exists()
    assert not window.is_unlocked


def test_first_run_refuses_a_weak_passphrase_with_a_suggestion(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    window = _new_window(qtbot, library, tmp_path)
    _fill_first_run(window, "password password", "password password")
    assert "Easy to guess" in window.first_run.strength.text()
    qtbot.mouseClick(window.first_run.create_button, Qt.MouseButton.LeftButton)
    assert "easy to guess" in window.first_run.message.text()
    assert "Four random words" in window.first_run.message.text()
    assert not (tmp_path / "data" / "new.etdb").exists()
    assert not window.is_unlocked


def test_first_run_insists_on_choosing_a_policy(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    window = _new_window(qtbot, library, tmp_path)
    _fill_first_run(window, "blue fox river lamp", "blue fox river lamp")
    window.first_run.policy.setCurrentIndex(0)  # "Choose your partnership's policy…"
    qtbot.mouseClick(window.first_run.create_button, Qt.MouseButton.LeftButton)
    assert "policy" in window.first_run.message.text()
    assert not (tmp_path / "data" / "new.etdb").exists()


def test_wrong_then_right_passphrase(qtbot: QtBot, window: MainWindow) -> None:
    page = window.unlock_page
    assert window.stack.currentWidget() is page
    assert child_names_in(shown_texts()) == []  # nothing from the file before unlocking
    window.activateWindow()
    page.passphrase.setFocus()

    qtbot.keyClicks(page.passphrase, "not it")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert not window.is_unlocked
    assert page.message.text() == "That passphrase does not open this file."
    assert QApplication.focusWidget() is page.passphrase
    assert page.passphrase.selectedText() == "not it"  # typing replaces the wrong one
    assert child_names_in(shown_texts()) == []

    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert window.is_unlocked
    assert window.stack.currentWidget() is window.workspace
    assert child_names_in(shown_texts())  # the list now shows the children
    assert page.passphrase.text() == ""


def test_repeated_failures_wait_a_little_longer_each_time(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.unlock_page
    page.ms_per_second = 20  # a shortened second, on the button and on the count's clock
    monkeypatch.setattr(unlock_attempts, "wall_clock", lambda: time.monotonic() * 50)
    window.unlock("wrong one")
    assert page.unlock_button.isEnabled()  # the first mistake costs nothing
    window.unlock("wrong two")
    assert not page.unlock_button.isEnabled()
    assert page.passphrase.isEnabled()  # never a lock-out of the field itself
    assert "try again in 1 second" in page.message.text()

    page.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert not window.is_unlocked  # Enter is ignored while waiting

    qtbot.waitUntil(page.unlock_button.isEnabled, timeout=2000)
    window.unlock("wrong three")
    assert "try again in 2 seconds" in page.message.text()
    qtbot.waitUntil(page.unlock_button.isEnabled, timeout=2000)
    assert "try again now" in page.message.text()
    page.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert window.is_unlocked


def test_a_file_open_elsewhere_is_a_plain_message(
    qtbot: QtBot, window: MainWindow, data_file: Path
) -> None:
    other = open_team(data_file)
    try:
        window.unlock(PASSPHRASE)
        assert not window.is_unlocked
        assert window.unlock_page.message.text() == "This file is already open in another window."
    finally:
        other.close()


def test_the_wait_cursor_shows_while_the_key_is_derived_and_not_after(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set once the key is being derived (see UnlockFlow._open_and_enter), and gone
    when unlocking ends, opened or not."""
    seen: list[Qt.CursorShape | None] = []
    build = window.build_workspace

    def recording() -> None:
        cursor = QGuiApplication.overrideCursor()
        seen.append(cursor.shape() if cursor is not None else None)
        build()

    monkeypatch.setattr(window, "build_workspace", recording)
    window.unlock("not it")
    assert not window.is_unlocked
    assert QGuiApplication.overrideCursor() is None
    window.unlock(PASSPHRASE)
    assert window.is_unlocked
    assert QGuiApplication.overrideCursor() is None
    assert seen == [Qt.CursorShape.WaitCursor, Qt.CursorShape.WaitCursor]


def test_first_run_searches_the_whole_library(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    page = _new_window(qtbot, library, tmp_path).first_run
    assert page.policy.count() == len(library.all()) + 1  # every policy, and "Choose…"
    page.policy_search.setFocus()
    qtbot.keyClicks(page.policy_search, "st. helens")
    listed = [page.policy.itemData(i) for i in range(page.policy.count())]
    assert listed == [None, "st-helens"]  # nothing chosen for the DSL
    assert page.policy.itemText(0).startswith("1 policy matches")
    page.policy.setCurrentIndex(1)
    about = page.policy_about.text()
    # Its date, source and completeness where it is chosen.
    assert "Undated" in about and "paperzz.com" in about
    assert "Incomplete: check with your partnership." in about
    qtbot.keyClicks(page.policy_search, " zzz")
    assert page.policy.count() == 1
    assert page.policy.itemText(0).startswith("No policy matches")
    assert page.policy_about.text() == ""
