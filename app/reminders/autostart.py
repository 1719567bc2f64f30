"""Starting the tray reminder at sign-in, for this user only and without administrator
rights, when the DSL has agreed to it:

- Windows: a value named ``EscalationTracker`` under the user's own Run key
  (``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``);
- Linux and other XDG desktops: ``escalation-tracker.desktop`` in the user's autostart
  folder (``$XDG_CONFIG_HOME/autostart``, ``~/.config/autostart`` by default);
- macOS: not offered (``supported`` is False).

An IT technician turns reminders off for every user of a computer by setting the
environment variable ``ESCALATION_TRACKER_NO_REMINDERS=1`` machine-wide: the app then
neither asks nor starts the tray, and a tray started by an old entry exits at once
(docs/installing.md, "The reminder at sign-in").
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

ENTRY_NAME = "EscalationTracker"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
DESKTOP_FILE = "escalation-tracker.desktop"
TRAY_ARGUMENT = "--tray"
TURNED_OFF_ENV = "ESCALATION_TRACKER_NO_REMINDERS"


def turned_off_for_everyone() -> bool:
    """The machine-wide switch: any value but empty, 0, no, false or off."""
    value = os.environ.get(TURNED_OFF_ENV, "").strip().lower()
    return value not in ("", "0", "no", "false", "off")


def supported() -> bool:
    return sys.platform != "darwin"


def app_command() -> list[str]:
    """The desktop app, as this copy was started: the bundle's executable, or this
    Python running ``-m app`` (on Windows its windowless ``pythonw.exe``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    python = Path(sys.executable)
    if sys.platform == "win32" and (python.parent / "pythonw.exe").exists():
        python = python.parent / "pythonw.exe"
    return [str(python), "-m", "app"]


def tray_command() -> list[str]:
    return [*app_command(), TRAY_ARGUMENT]


def autostart_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or ""
    base = Path(config) if Path(config).is_absolute() else Path.home() / ".config"
    return base / "autostart" / DESKTOP_FILE


def _exec_line(command: list[str]) -> str:
    """The Desktop Entry specification's quoting: each argument in double quotes, with
    ``"``, `` ` ``, ``$`` and ``\\`` escaped by a backslash."""

    def quoted(argument: str) -> str:
        for char in ("\\", '"', "`", "$"):
            argument = argument.replace(char, "\\" + char)
        return f'"{argument}"'

    return " ".join(quoted(argument) for argument in command).replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Escalation Tracker reminders\n"
        "Comment=How many deadlines are overdue or due today, at sign-in and each "
        "working morning\n"
        f"Exec={_exec_line(command)}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def set_autostart(on: bool) -> None:
    """Add or remove the sign-in entry; raises OSError when it cannot be written."""
    if not supported():
        return
    if sys.platform == "win32":
        _set_run_value(on)
        return
    path = autostart_file()
    if not on:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    from app.storage.private_files import write_private_file

    write_private_file(path, desktop_entry(tray_command()).encode("utf-8"))


def is_autostart_set() -> bool:
    if not supported():
        return False
    if sys.platform == "win32":
        return _run_value() is not None
    return autostart_file().exists()


def _set_run_value(on: bool) -> None:
    if sys.platform != "win32":  # (for the type checker: winreg exists on Windows only)
        return
    import winreg

    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if on:
            command = subprocess.list2cmdline(tray_command())
            winreg.SetValueEx(key, ENTRY_NAME, 0, winreg.REG_SZ, command)
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, ENTRY_NAME)


def _run_value() -> str | None:
    if sys.platform != "win32":
        return None
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            value, _kind = winreg.QueryValueEx(key, ENTRY_NAME)
    except FileNotFoundError:
        return None
    return str(value)
