"""Backups that happen (the reminder, the automatic backup at lock and at close, its
settings) and File, "Add deadlines to my calendar…", driven through the real window."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.backup_schedule import BackupChoices, automatic_backup_name, is_automatic_backup
from app.english_plurals import count
from tests.ui.conftest import PASSPHRASE, child_names_in, find_top_level, open_team
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow


def _messages() -> list[str]:
    return [w.text() for w in find_top_level(QMessageBox) if isinstance(w, QMessageBox)]


def _automatic(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if is_automatic_backup(p.name))


def test_the_reminder_shows_when_the_last_backup_is_older_than_chosen(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    later = datetime.now() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: later)
    window.unlock(PASSPHRASE)
    notice = window.workspace.backup_notice
    qtbot.waitUntil(lambda: notice.isVisible())
    assert "never been backed up" in notice.text.text()
    assert window.back_up(tmp_path / "by-hand.etdb")
    qtbot.waitUntil(lambda: not notice.isVisible())  # a fresh backup: no reminder


def test_no_reminder_within_the_days_chosen(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    soon = datetime.now() + timedelta(days=6)
    monkeypatch.setattr(clock, "now", lambda: soon)
    window.unlock(PASSPHRASE)
    qtbot.waitUntil(lambda: window.rest_loaded)
    window.refresh()
    assert not window.workspace.backup_notice.isVisible()


def _turn_on(local: LocalSettings, folder: Path, keep: int = 2) -> None:
    folder.mkdir(exist_ok=True)
    local.backups = BackupChoices(automatic=True, folder=folder, keep=keep)


def test_locking_makes_a_verified_automatic_backup_and_keeps_the_newest(
    qtbot: QtBot, unlocked: MainWindow, local: LocalSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "automatic"
    _turn_on(local, folder, keep=2)
    old = [automatic_backup_name(datetime(2026, 1, d, 17, 0)) for d in (1, 2, 3)]
    for name in old:
        (folder / name).write_bytes(b"an older automatic backup")
    (folder / "escalations-backup-2026-01-01.etdb").write_bytes(b"made by hand")
    (folder / "notes.txt").write_text("not the app's")
    unlocked.lock()
    assert not unlocked.is_unlocked  # locked at once, the backup still running
    qtbot.waitUntil(lambda: not unlocked.files.busy(), timeout=60_000)
    kept = _automatic(folder)
    assert len(kept) == 2 and kept[0] == old[-1]
    assert (folder / "escalations-backup-2026-01-01.etdb").exists()
    assert (folder / "notes.txt").exists()
    with open_team(folder / kept[1]) as copy:
        assert copy.path.name == kept[1]
    assert not child_names_in(" ".join(kept))


def test_a_failed_automatic_backup_is_a_plain_message_and_never_stops_the_lock(
    qtbot: QtBot, unlocked: MainWindow, local: LocalSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "gone"
    _turn_on(local, folder)
    folder.rmdir()  # the USB stick was taken out
    unlocked.lock()
    assert not unlocked.is_unlocked
    qtbot.waitUntil(lambda: any("could not be found" in m for m in _messages()))
    assert any("The screen is locked" in m for m in _messages())
    qtbot.waitUntil(lambda: not unlocked.files.busy())
    unlocked.unlock(PASSPHRASE)
    assert unlocked.is_unlocked


def test_closing_waits_for_the_automatic_backup_then_closes(
    qtbot: QtBot, unlocked: MainWindow, local: LocalSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "automatic"
    _turn_on(local, folder)
    unlocked.close()
    qtbot.waitUntil(lambda: not unlocked.isVisible(), timeout=60_000)
    assert len(_automatic(folder)) == 1


def test_backup_settings_are_typed_and_kept_on_this_computer(
    qtbot: QtBot, unlocked: MainWindow, local: LocalSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    dialog = unlocked.show_settings()
    assert dialog is not None
    box = dialog.backups
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    # On its tick box, where a person clicks (the row is wider than its words).
    tick = QPoint(8, box.automatic.height() // 2)
    qtbot.mouseClick(box.automatic, Qt.MouseButton.LeftButton, pos=tick)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # on, with no folder: refused, said beside the buttons
    assert "Choose a folder" in dialog.message.text()
    qtbot.keyClicks(box.folder, str(folder))
    box.keep.selectAll()
    qtbot.keyClicks(box.keep, "3")
    box.remind_after.selectAll()
    qtbot.keyClicks(box.remind_after, "14")
    box.remind_days.selectAll()
    qtbot.keyClicks(box.remind_days, "2")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    again = LocalSettings(local.path)
    assert again.backups == BackupChoices(14, True, folder, 3)
    assert again.calendar_reminders.working_days == 2
    unlocked.close()  # which now backs up: closed once that is done
    qtbot.waitUntil(lambda: not unlocked.isVisible(), timeout=60_000)
    assert len(_automatic(folder)) == 1


def test_add_deadlines_to_my_calendar_from_the_file_menu(
    qtbot: QtBot, unlocked: MainWindow, tmp_path: Path
) -> None:
    file_menu = unlocked.menuBar().actions()[0].menu()
    assert file_menu is not None
    texts = [a.text() for a in file_menu.actions()]
    assert "Add deadlines to my &calendar…" in texts
    out = tmp_path / "deadlines.ics"
    assert unlocked.add_deadlines_to_calendar(out)
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert events and all(str(e["summary"]).startswith("ESC-") for e in events)
    said = " ".join(_messages())
    assert count(len(events), "open deadline") in said
    assert not child_names_in(said) and not child_names_in(out.read_text("utf-8"))
    unlocked.lock()
    assert not unlocked.main_actions.calendar.isVisible()  # nothing to export while locked
