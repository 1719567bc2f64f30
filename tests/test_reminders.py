"""The reminder at sign-in without Qt (app/reminders): the counts at fake times, the
notification's words, the working mornings, the due-moments file and the sign-in entry
on Linux (a temporary XDG_CONFIG_HOME) and on Windows (a stand-in winreg)."""

from __future__ import annotations

import json
import stat
import sys
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.deadlines import calendar_for
from app.nation import Nation
from app.reminders import autostart, due_file
from app.reminders.counts import DueCounts, count, next_morning, reminder
from tests.test_windows_branches import load_as_on_windows

ENGLAND = calendar_for(Nation.ENGLAND)
# Friday 4 December 2026: one date due that day, one timed at 10:00, one due Monday.
DUE = (date(2026, 12, 4), datetime(2026, 12, 4, 10, 0), date(2026, 12, 7))


def test_counts_at_fake_times() -> None:
    assert count(DUE, datetime(2026, 12, 4, 8, 30), ENGLAND) == DueCounts(0, 2)
    assert count(DUE, datetime(2026, 12, 4, 10, 0), ENGLAND) == DueCounts(1, 1)  # from that minute
    assert count(DUE, datetime(2026, 12, 7, 8, 30), ENGLAND) == DueCounts(2, 1)


def test_a_deadline_passing_while_locked_is_overdue_in_the_next_reminder(tmp_path: Path) -> None:
    path = tmp_path / due_file.FILE_NAME
    locked_at = datetime(2026, 12, 3, 17, 0)  # Thursday evening: nothing late yet
    due_file.write(path, due_file.DueMoments(DUE, Nation.ENGLAND, locked_at))
    moments = due_file.read(path)
    assert moments is not None
    assert count(moments.due, locked_at, ENGLAND) == DueCounts(0, 0)
    monday = datetime(2026, 12, 7, 8, 30)
    shown = reminder(count(moments.due, monday, ENGLAND))
    assert shown is not None
    assert shown.line == "Escalation Tracker: 2 overdue, 1 due today. Unlock to see them."


def test_the_notification_says_counts_only() -> None:
    assert reminder(DueCounts(1, 2)).line == (  # type: ignore[union-attr]
        "Escalation Tracker: 1 overdue, 2 due today. Unlock to see them."
    )
    assert reminder(DueCounts(1, 0)).line == (  # type: ignore[union-attr]
        "Escalation Tracker: 1 overdue. Unlock to see it."
    )
    assert reminder(DueCounts(0, 0)) is None  # nothing to say: no notification
    with_extra = reminder(DueCounts(0, 0), ["Backups are overdue."])
    assert with_extra is not None and with_extra.body == "Backups are overdue."


def test_working_mornings_skip_weekends_and_bank_holidays() -> None:
    half_past_eight = time(8, 30)
    # Friday before the morning's time: that morning; after it: Monday.
    assert next_morning(datetime(2026, 12, 4, 7, 0), half_past_eight, ENGLAND) == datetime(
        2026, 12, 4, 8, 30
    )
    assert next_morning(datetime(2026, 12, 4, 8, 30), half_past_eight, ENGLAND) == datetime(
        2026, 12, 7, 8, 30
    )
    # Christmas Eve 2026 (Thursday) after 08:30: Christmas Day and the Boxing Day
    # substitute (Monday 28th) are bank holidays, so Tuesday 29 December.
    assert next_morning(datetime(2026, 12, 24, 9, 0), half_past_eight, ENGLAND) == datetime(
        2026, 12, 29, 8, 30
    )


def test_the_file_holds_dates_only_owner_only(tmp_path: Path) -> None:
    path = tmp_path / due_file.FILE_NAME
    due_file.write(path, due_file.DueMoments(DUE, Nation.WALES, datetime(2026, 12, 3, 17, 2)))
    content = json.loads(path.read_text(encoding="utf-8"))
    assert content == {
        "format": 1,
        "written": "2026-12-03T17:02",
        "nation": "wales",
        "due": ["2026-12-04T10:00", "2026-12-04", "2026-12-07"],
    }
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [due_file.FILE_NAME]  # no partial left
    due_file.forget(path)
    assert not path.exists()


@pytest.mark.parametrize("text", ["", "{", '{"format": 2, "due": []}', '{"format": 1}'])
def test_an_unreadable_file_gives_no_count(tmp_path: Path, text: str) -> None:
    path = tmp_path / due_file.FILE_NAME
    path.write_text(text, encoding="utf-8")
    assert due_file.read(path) is None
    assert due_file.read(tmp_path / "missing.json") is None


def test_linux_sign_in_entry_follows_the_consent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    entry = tmp_path / "config" / "autostart" / "escalation-tracker.desktop"
    autostart.set_autostart(True)
    assert autostart.is_autostart_set() and entry.exists()
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{sys.executable}" "-m" "app" "--tray"' in text
    assert "Hidden=true" not in text
    autostart.set_autostart(False)
    assert not entry.exists() and not autostart.is_autostart_set()
    autostart.set_autostart(False)  # already off: nothing to do, no error


def test_exec_line_quotes_as_the_desktop_entry_specification_says() -> None:
    line = autostart.desktop_entry(['/opt/My App/et"x', "$HOME", "50%"])
    assert 'Exec="/opt/My App/et\\"x" "\\$HOME" "50%%"' in line


class FakeWinreg:
    """``winreg`` as the Run key needs it: HKCU's values, by key path."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    class _Key(SimpleNamespace):
        def __enter__(self) -> FakeWinreg._Key:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def CreateKeyEx(self, root: str, path: str, reserved: int, access: int) -> _Key:
        return self._Key(path=path)

    def OpenKey(self, root: str, path: str) -> _Key:
        return self._Key(path=path)

    def SetValueEx(self, key: _Key, name: str, reserved: int, kind: int, value: str) -> None:
        self.values[(key.path, name)] = value

    def DeleteValue(self, key: _Key, name: str) -> None:
        if (key.path, name) not in self.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del self.values[(key.path, name)]

    def QueryValueEx(self, key: _Key, name: str) -> tuple[str, int]:
        if (key.path, name) not in self.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self.values[(key.path, name)], self.REG_SZ


def test_windows_sign_in_entry_is_the_users_own_run_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    winreg = FakeWinreg()
    monkeypatch.setitem(sys.modules, "winreg", winreg)
    windows = load_as_on_windows(monkeypatch, "app/reminders/autostart.py")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(
        sys,
        "executable",
        r"C:\Users\dsl\AppData\Local\Programs\Escalation Tracker\EscalationTracker.exe",
    )
    windows.set_autostart(True)
    run = r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert winreg.values == {
        (run, "EscalationTracker"): (
            r'"C:\Users\dsl\AppData\Local\Programs\Escalation Tracker\EscalationTracker.exe"'
            " --tray"
        )
    }
    assert windows.is_autostart_set()
    assert not (tmp_path / "config").exists()  # no XDG file on Windows
    windows.set_autostart(False)
    assert winreg.values == {} and not windows.is_autostart_set()
    windows.set_autostart(False)  # no value to delete: no error


@pytest.mark.parametrize(("value", "off"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_the_machine_wide_switch(monkeypatch: pytest.MonkeyPatch, value: str, off: bool) -> None:
    monkeypatch.setenv(autostart.TURNED_OFF_ENV, value)
    assert autostart.turned_off_for_everyone() is off
