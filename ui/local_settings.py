"""What this computer remembers outside the encrypted file: only non-sensitive things
(where the data file is, the idle-lock minutes, window geometry, the policies' short
names for the first paint, the backup reminder and automatic backups' folder, the
calendar's reminder times, the folder a PDF was last saved in) and the name of the
member who last unlocked a file here, so the unlock page chooses them first (a name the
key file keeps in the clear too; never a passphrase). Never child data; the setting's
details live in the encrypted file (``app.services.settings``).

An INI file in the user data folder (or the portable ``data`` folder), so a USB stick
carries its own settings and nothing goes in the Windows registry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from app.paths import default_data_file, settings_file

if TYPE_CHECKING:  # loaded when first read, not before the locked window shows
    from app.domain.backup_schedule import BackupChoices
    from app.domain.calendar_events import Reminders

DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60


def default_settings_path() -> Path:
    return settings_file()


class LocalSettings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)

    @property
    def data_file(self) -> Path:
        value = self._q.value("data_file", "")
        return Path(str(value)) if value else default_data_file()

    @data_file.setter
    def data_file(self, path: Path) -> None:
        self._q.setValue("data_file", str(path))
        self._q.sync()

    @property
    def member(self) -> str:
        """The member who last unlocked a file on this computer: the unlock page
        chooses them first. Their name only (the key file holds it in the clear too)."""
        return str(self._q.value("member", ""))

    @member.setter
    def member(self, name: str) -> None:
        self._q.setValue("member", name)
        self._q.sync()

    @property
    def idle_minutes(self) -> int:
        try:
            minutes = int(str(self._q.value("idle_minutes", DEFAULT_IDLE_MINUTES)))
        except ValueError:
            return DEFAULT_IDLE_MINUTES
        return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, minutes))

    @idle_minutes.setter
    def idle_minutes(self, minutes: int) -> None:
        self._q.setValue("idle_minutes", max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, minutes)))
        self._q.sync()

    @property
    def last_save_folder(self) -> Path | None:
        """Where Save as PDF starts: the folder last saved in, while it still exists."""
        value = str(self._q.value("last_save_folder", ""))
        return Path(value) if value and Path(value).is_dir() else None

    @last_save_folder.setter
    def last_save_folder(self, folder: Path) -> None:
        self._q.setValue("last_save_folder", str(folder))
        self._q.sync()

    @property
    def geometry(self) -> QByteArray | None:
        value = self._q.value("window_geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._q.setValue("window_geometry", value)
        self._q.sync()

    @property
    def policy_names(self) -> dict[str, str]:
        """Each policy's short name as last loaded, so the dashboard painted before the
        policies are loaded labels them as they will be (public text, not child data)."""
        try:
            value = json.loads(str(self._q.value("policy_names", "{}")))
        except ValueError:
            return {}
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items()}

    @policy_names.setter
    def policy_names(self, names: dict[str, str]) -> None:
        if names != self.policy_names:
            self._q.setValue("policy_names", json.dumps(names, sort_keys=True))
            self._q.sync()

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(str(self._q.value(key, default)))
        except ValueError:
            return default
        return max(low, min(high, value))

    @property
    def backups(self) -> BackupChoices:
        """The reminder and the automatic backups (a folder on this computer)."""
        from app.domain import backup_schedule as schedule

        folder = str(self._q.value("auto_backup_folder", ""))
        return schedule.BackupChoices(
            remind_after_days=self._int(
                "backup_remind_days",
                schedule.DEFAULT_REMIND_AFTER_DAYS,
                schedule.MIN_REMIND_AFTER_DAYS,
                schedule.MAX_REMIND_AFTER_DAYS,
            ),
            automatic=str(self._q.value("auto_backup", "false")).lower() == "true",
            folder=Path(folder) if folder else None,
            keep=self._int("auto_backup_keep", schedule.DEFAULT_KEEP, 1, schedule.MAX_KEEP),
        )

    @backups.setter
    def backups(self, choices: BackupChoices) -> None:
        self._q.setValue("backup_remind_days", choices.remind_after_days)
        self._q.setValue("auto_backup", "true" if choices.automatic else "false")
        self._q.setValue("auto_backup_folder", str(choices.folder or ""))
        self._q.setValue("auto_backup_keep", choices.keep)
        self._q.sync()

    @property
    def calendar_reminders(self) -> Reminders:
        from app.domain.calendar_events import (
            DEFAULT_REMIND_HOURS,
            DEFAULT_REMIND_WORKING_DAYS,
            MAX_REMIND_HOURS,
            MAX_REMIND_WORKING_DAYS,
            Reminders,
        )

        return Reminders(
            working_days=self._int(
                "calendar_remind_days", DEFAULT_REMIND_WORKING_DAYS, 0, MAX_REMIND_WORKING_DAYS
            ),
            hours=self._int("calendar_remind_hours", DEFAULT_REMIND_HOURS, 0, MAX_REMIND_HOURS),
        )

    @calendar_reminders.setter
    def calendar_reminders(self, reminders: Reminders) -> None:
        self._q.setValue("calendar_remind_days", reminders.working_days)
        self._q.setValue("calendar_remind_hours", reminders.hours)
        self._q.sync()
