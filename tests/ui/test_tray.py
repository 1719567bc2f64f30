"""The tray reminder (ui/tray) and its choices in the first run and Settings, driven
through the real widgets with a fake clock and a stand-in for the desktop's
notifications. The tray never opens the data file: it counts from the due-moments file
the window writes at each lock."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QDialogButtonBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.nation import Nation
from app.policy import PolicyLibrary
from app.reminders import autostart, due_file
from app.reminders.choices import ReminderChoices
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_first_run_and_unlock import _fill_first_run, _new_window
from ui.main_window import MainWindow
from ui.tray.settings import ReminderSettings
from ui.tray.tray import TrayReminder

# The offscreen platform has no system tray, and Qt says so when a tray icon is made;
# a desktop with a tray does not.
pytestmark = pytest.mark.qt_log_ignore(
    "No such signal QPlatformNativeInterface::systemTrayWindowChanged"
)

# Friday 4 December 2026: one date due that day, one timed at 10:00, one due Monday.
DUE = (date(2026, 12, 4), datetime(2026, 12, 4, 10, 0), date(2026, 12, 7))


class FakeNative:
    def __init__(self, works: bool = True) -> None:
        self.works = works
        self.sent: list[tuple[str, str]] = []
        self.on_clicked: Callable[[], None] | None = None
        self.closed = False

    def send(self, title: str, body: str, on_clicked: Callable[[], None]) -> bool:
        self.sent.append((title, body))
        self.on_clicked = on_clicked
        return self.works

    def close(self) -> None:
        self.closed = True


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> ReminderSettings:
    settings = ReminderSettings(tmp_path / "settings.ini")
    settings.save(ReminderChoices(on=True))
    locked = datetime(2026, 12, 3, 17, 0)
    due_file.write(settings.due_file, due_file.DueMoments(DUE, Nation.ENGLAND, locked))
    return settings


def _tray(
    qtbot: QtBot, settings: ReminderSettings, native: FakeNative, now: Clock
) -> tuple[TrayReminder, list[bool]]:
    opened: list[bool] = []
    tray = TrayReminder(settings, native, lambda: opened.append(True), now=now)
    qtbot.addWidget(tray.menu)
    return tray, opened


def test_the_tray_starts_without_unlocking_and_says_counts_only(
    qtbot: QtBot, settings: ReminderSettings
) -> None:
    def main_windows() -> set[int]:  # other tests in this process may have left theirs
        return {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)}

    before = main_windows()
    native = FakeNative()
    tray, opened = _tray(qtbot, settings, native, Clock(datetime(2026, 12, 4, 7, 45)))
    tray.start()
    assert native.sent == [("Escalation Tracker", "2 due today. Unlock to see them.")]
    assert tray.notifier.used == ["native"]
    assert tray.icon.toolTip() == "Escalation Tracker: 2 due today"
    assert main_windows() <= before  # the tray made no window, locked or not
    assert opened == []  # nothing opens by itself
    assert native.on_clicked is not None
    native.on_clicked()  # clicking the notification: from the library's thread, queued
    qtbot.waitUntil(lambda: opened == [True])
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert opened == [True, True]
    tray.quit()
    assert native.closed


def test_qt_shows_the_reminder_when_the_library_fails(
    qtbot: QtBot, settings: ReminderSettings
) -> None:
    tray, opened = _tray(qtbot, settings, FakeNative(works=False), Clock(datetime(2026, 12, 4, 9)))
    tray.start()
    assert tray.notifier.used == ["tray"]
    tray.icon.messageClicked.emit()
    qtbot.waitUntil(lambda: opened == [True])
    tray.quit()


def test_each_working_morning_a_passed_deadline_counts_as_overdue(
    qtbot: QtBot, settings: ReminderSettings
) -> None:
    native = FakeNative()
    now = Clock(datetime(2026, 12, 4, 7, 45))  # signed in on Friday before 08:30
    tray, _opened = _tray(qtbot, settings, native, now)
    tray.start()
    assert tray.next_at == datetime(2026, 12, 4, 8, 30)
    now.now = datetime(2026, 12, 4, 8, 29)
    tray.tick()
    assert len(native.sent) == 1
    now.now = datetime(2026, 12, 4, 8, 30)
    tray.tick()
    assert native.sent[-1][1] == "2 due today. Unlock to see them."
    assert tray.next_at == datetime(2026, 12, 7, 8, 30)  # Monday, not the weekend
    now.now = datetime(2026, 12, 7, 9, 5)  # the computer slept through 08:30
    tray.tick()
    assert native.sent[-1][1] == "2 overdue, 1 due today. Unlock to see them."
    tray.quit()


def test_the_tray_stops_when_reminders_are_turned_off(
    qtbot: QtBot, settings: ReminderSettings
) -> None:
    tray, _opened = _tray(qtbot, settings, FakeNative(), Clock(datetime(2026, 12, 4, 7, 45)))
    tray.start()
    assert tray.timer.isActive()
    settings.save(ReminderChoices(on=False))
    tray.tick()
    assert not tray.timer.isActive() and not tray.icon.isVisible()


def test_the_menu_shows_the_reminder_even_with_nothing_due(qtbot: QtBot, tmp_path: Path) -> None:
    settings = ReminderSettings(tmp_path / "settings.ini")
    settings.save(ReminderChoices(on=True))
    native = FakeNative()
    tray, _opened = _tray(qtbot, settings, native, Clock(datetime(2026, 12, 4, 9)))
    assert tray.start() is None and native.sent == []  # no file yet: nothing at sign-in
    tray.show_action.trigger()
    assert "Unlock Escalation Tracker once" in native.sent[-1][1]
    tray.quit()


def _autostart_entry() -> Path:
    return autostart.autostart_file()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG entry")
def test_settings_turn_the_reminder_on_and_off(qtbot: QtBot, unlocked: MainWindow) -> None:
    reminders = ReminderSettings(unlocked._local.path)

    def save_with(check: bool) -> None:
        dialog = unlocked.show_settings()
        assert dialog is not None
        box = dialog.reminders
        if box.on.isChecked() != check:
            box.on.setFocus()
            qtbot.keyClick(box.on, Qt.Key.Key_Space)
        box.morning.setFocus()
        box.morning.setSelectedSection(QDateTimeEdit.Section.HourSection)
        qtbot.keyClicks(box.morning, "0745")
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
        qtbot.waitUntil(lambda: not dialog.isVisible())

    assert not _autostart_entry().exists()
    save_with(True)
    assert _autostart_entry().exists()
    assert reminders.choices == ReminderChoices(on=True, morning=datetime(1, 1, 1, 7, 45).time())
    unlocked.lock()  # reminders on: the due moments are left for the tray
    moments = due_file.read(reminders.due_file)
    assert moments is not None and moments.due
    unlocked.unlock(PASSPHRASE)
    qtbot.waitUntil(lambda: unlocked.rest_loaded)
    save_with(False)
    assert not _autostart_entry().exists()
    assert not reminders.due_file.exists()  # turned off: nothing is left behind
    unlocked.lock()
    assert not reminders.due_file.exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG entry")
@pytest.mark.parametrize("consent", [True, False])
def test_the_first_run_asks_once(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path, consent: bool
) -> None:
    window = _new_window(qtbot, library, tmp_path)
    page = window.first_run
    assert not page.reminders.isChecked()  # asked, never assumed
    _fill_first_run(window, "blue fox river lamp", "blue fox river lamp")
    if consent:
        page.reminders.setFocus()
        qtbot.keyClick(page.reminders, Qt.Key.Key_Space)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.is_unlocked
    assert _autostart_entry().exists() is consent
    assert ReminderSettings(tmp_path / "settings.ini").choices.on is consent


def test_it_staff_can_turn_reminders_off_for_everyone(
    qtbot: QtBot,
    library: PolicyLibrary,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(autostart.TURNED_OFF_ENV, "1")
    window = _new_window(qtbot, library, tmp_path)
    assert not window.first_run.reminders.isEnabled()
    settings = ReminderSettings(tmp_path / "settings.ini")
    settings.save(ReminderChoices(on=True))
    assert not settings.choices.on
    from ui.tray.main import main

    capsys.readouterr()
    assert main(once=True) == 0  # exits at once: no icon, no notification
    # IT's check says why, rather than printing nothing.
    assert "turned off on this computer for everyone" in capsys.readouterr().out
