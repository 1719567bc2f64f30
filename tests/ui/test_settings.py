"""Settings persist (in the encrypted file, and the idle minutes on this computer); the
passphrase can be changed; backup and restore run off the GUI thread with progress."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from app.policy import Nation, PolicyLibrary
from app.services import security
from app.services.people import add_contact, list_contacts
from app.services.settings import get_settings
from tests.ui.conftest import PASSPHRASE, find_top_level, open_team
from ui import jobs
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow


def _messages() -> list[str]:
    return [w.text() for w in find_top_level(QMessageBox) if isinstance(w, QMessageBox)]


def test_settings_changes_persist(
    qtbot: QtBot, unlocked: MainWindow, library: PolicyLibrary, local: LocalSettings
) -> None:
    dialog = unlocked.show_settings()
    assert dialog is not None
    dialog.setting_name.setText("Meadow Community Hall")
    dialog.dsl_name.setText("Ms Rhiannon Pryce")
    dialog.deputies.setPlainText("Mr Dewi Jones\nMs Cara Lloyd")
    dialog.policy.setCurrentIndex(dialog.policy.findData("york"))
    dialog.nation.setCurrentIndex(dialog.nation.findData(Nation.WALES))
    dialog.idle_minutes.setValue(9)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert unlocked.windowTitle().startswith("Meadow Community Hall — ")
    assert unlocked.idle.interval_ms == 9 * 60_000
    unlocked.close()

    # A new window, as after restarting the app, reads them back.
    again = MainWindow(library, LocalSettings(local.path))
    qtbot.addWidget(again)
    again.unlock(PASSPHRASE)
    reopened = again.show_settings()
    assert reopened is not None
    assert reopened.setting_name.text() == "Meadow Community Hall"
    assert reopened.dsl_name.text() == "Ms Rhiannon Pryce"
    assert reopened.deputies.toPlainText() == "Mr Dewi Jones\nMs Cara Lloyd"
    assert reopened.policy.currentData() == "york"
    assert reopened.nation.currentData() == Nation.WALES
    assert reopened.idle_minutes.value() == 9
    again.close()


def test_names_are_kept_in_the_encrypted_file_not_on_the_computer(
    qtbot: QtBot, unlocked: MainWindow, local: LocalSettings, data_file: Path
) -> None:
    dialog = unlocked.show_settings()
    assert dialog is not None
    dialog.dsl_name.setText("Ms Rhiannon Pryce")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    unlocked.close()
    assert "Rhiannon" not in local.path.read_text(encoding="utf-8")
    db = open_team(data_file)
    try:
        assert get_settings(db).dsl_name == "Ms Rhiannon Pryce"
    finally:
        db.close()


def test_a_blank_name_is_a_message_and_the_dialog_stays(qtbot: QtBot, unlocked: MainWindow) -> None:
    dialog = unlocked.show_settings()
    assert dialog is not None
    dialog.dsl_name.setText("   ")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    assert dialog.message.text() == "DSL's name: is required."


def test_change_passphrase(qtbot: QtBot, unlocked: MainWindow) -> None:
    dialog = unlocked.show_change_passphrase()
    assert dialog is not None
    dialog.current.setText("not the passphrase")
    dialog.new.setText("seven green lanterns")
    dialog.repeat.setText("seven green lanterns")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "current passphrase is not right" in dialog.message.text()

    dialog.current.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    unlocked.lock()
    unlocked.unlock(PASSPHRASE)
    assert not unlocked.is_unlocked
    unlocked.unlock("seven green lanterns")
    assert unlocked.is_unlocked


def test_backup_runs_off_the_gui_thread_with_progress(
    qtbot: QtBot, unlocked: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = security.back_up_sealed

    def watched(*args: object, **kwargs: object) -> security.BackupMade:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(security, "back_up_sealed", watched)
    target = tmp_path / "backups" / "monday"
    target.parent.mkdir()
    assert unlocked.back_up(target)
    assert [p for p in find_top_level(QProgressDialog)]  # progress is showing
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=10_000)
    assert threads and threads[0] != threading.main_thread().name
    saved = tmp_path / "backups" / "monday.etdb"
    assert saved.exists()
    assert any("Backed up to" in m for m in _messages())
    assert find_top_level(QProgressDialog) == []
    assert unlocked.is_unlocked

    db = open_team(saved)  # the copy opens with the same passphrase
    try:
        assert len(list_contacts(db)) == unlocked.workspace.contacts.model.rowCount()
    finally:
        db.close()


def test_restore_replaces_the_file_and_keeps_the_old_one(
    qtbot: QtBot, unlocked: MainWindow, tmp_path: Path, data_file: Path
) -> None:
    assert unlocked.database is not None
    backup = security.back_up(unlocked.database, tmp_path / "backup.etdb", actor="test")
    before = unlocked.workspace.contacts.model.rowCount()
    add_contact(unlocked.database, name="Added after the backup", actor="test")
    unlocked.refresh()
    assert unlocked.workspace.contacts.model.rowCount() == before + 1

    assert unlocked.restore(backup, PASSPHRASE)
    assert not unlocked.is_unlocked  # locked while the file is replaced
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=10_000)
    assert any("has been restored" in m for m in _messages())
    assert (tmp_path / "escalations.before-restore.etdb").exists()

    unlocked.unlock(PASSPHRASE)
    assert unlocked.is_unlocked
    qtbot.waitUntil(lambda: unlocked.rest_loaded)  # contacts load after the dashboard
    assert unlocked.workspace.contacts.model.rowCount() == before


def test_a_failed_restore_is_a_plain_message_and_the_file_is_untouched(
    qtbot: QtBot, unlocked: MainWindow, tmp_path: Path
) -> None:
    assert unlocked.restore(tmp_path / "no-such-backup.etdb", PASSPHRASE)
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=10_000)
    assert any("could not be found" in m for m in _messages())
    unlocked.unlock(PASSPHRASE)
    assert unlocked.is_unlocked
