"""Settings: the setting's details (kept in the encrypted file), the idle lock, the backup
reminder, automatic backups and calendar reminders (kept on this computer), and the data
file's passphrase, backup and restore."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.backup_schedule import BackupChoices
from app.domain.calendar_events import Reminders
from app.english_plurals import noun
from app.policy import Nation, PolicyLibrary
from app.services.settings import SettingDetails
from ui.dialogs.reminder_settings import BackupsBox, ComputerChoices
from ui.dialogs.tray_settings import RemindersBox
from ui.local_settings import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES
from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.common import field_value, named, paragraph
from ui.widgets.first_run import deputies_of, nation_combo, policy_combo, select_data
from ui.widgets.sizing import fit_to_screen

SaveSettings = Callable[[SettingDetails, int, ComputerChoices], None]


class SettingsDialog(QDialog):
    change_passphrase_requested = Signal()
    backup_requested = Signal()
    restore_requested = Signal()

    def __init__(
        self,
        library: PolicyLibrary,
        details: SettingDetails,
        idle_minutes: int,
        data_file: Path,
        save: SaveSettings,
        parent: QWidget | None = None,
        computer: ComputerChoices | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle("Settings")
        self.setObjectName("settings")
        outer = QVBoxLayout(self)
        # The boxes scroll on a short screen (1366x768 at 125%); the message and the
        # buttons stay below them, always in view.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; they scroll
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._setting_box(library, details))
        layout.addWidget(self._computer_box(idle_minutes))
        computer = computer or ComputerChoices(BackupChoices(), Reminders())
        self.backups = BackupsBox(computer)
        layout.addWidget(self.backups)
        self.reminders = RemindersBox(computer.tray)
        layout.addWidget(self.reminders)
        layout.addWidget(self._data_box(data_file))
        layout.addStretch(1)

        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Settings message")
        self.message.setVisible(False)
        outer.addWidget(self.message)
        outer.addWidget(self._buttons())
        body.setMinimumWidth(body.sizeHint().width())
        fit_to_screen(self, body.sizeHint().width() + 40, self.sizeHint().height() + 120)

        self.passphrase_button.clicked.connect(self.change_passphrase_requested)
        self.backup_button.clicked.connect(self.backup_requested)
        self.restore_button.clicked.connect(self.restore_requested)

    def _setting_box(self, library: PolicyLibrary, details: SettingDetails) -> QGroupBox:
        setting = QGroupBox("Your setting (kept in the encrypted file)")
        form = QFormLayout(setting)
        self.setting_name = named(QLineEdit(details.setting_name), "Setting's name")
        self.dsl_name = named(QLineEdit(details.dsl_name), "DSL's name")
        self.deputies = named(QPlainTextEdit("\n".join(details.deputies)), "Deputy DSLs")
        self.deputies.setTabChangesFocus(True)
        self.deputies.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.policy = policy_combo(library, "Default policy")
        if details.default_policy:
            select_data(self.policy, details.default_policy)
        self.nation = nation_combo()
        select_data(self.nation, details.nation)
        form.addRow("Setting's &name:", self.setting_name)
        form.addRow("&DSL's name:", self.dsl_name)
        form.addRow("Deput&y DSLs\n(one per line):", self.deputies)
        form.addRow("Default &policy:", self.policy)
        form.addRow("Nation for &bank holidays:", self.nation)
        return setting

    def _computer_box(self, idle_minutes: int) -> QGroupBox:
        computer = QGroupBox("This computer")
        computer_form = QFormLayout(computer)
        self.idle_minutes = named(
            QSpinBox(),
            "Lock after this many idle minutes",
            "The screen locks when nobody has used the computer for this long.",
        )
        self.idle_minutes.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        # "1 minute", "5 minutes": the suffix follows the number.
        self.idle_minutes.valueChanged.connect(
            lambda n: self.idle_minutes.setSuffix(f" {noun(n, 'minute')}")
        )
        self.idle_minutes.setValue(idle_minutes)
        self.idle_minutes.setSuffix(f" {noun(self.idle_minutes.value(), 'minute')}")
        computer_form.addRow("&Lock when idle for:", self.idle_minutes)
        return computer

    def _data_box(self, data_file: Path) -> QGroupBox:
        data = QGroupBox("Data file")
        data_layout = QVBoxLayout(data)
        where = paragraph(f"{data_file}", "Data file location")
        data_layout.addWidget(where)
        row = QHBoxLayout()
        # Alt+P and Alt+N are the default policy's and the setting's name's.
        self.passphrase_button = named(QPushButton("C&hange passphrase…"), "Change the passphrase")
        self.backup_button = named(
            QPushButton("B&ack up now…"),
            "Back up now",
            "Writes a checked, encrypted copy that opens with the same passphrase.",
        )
        self.restore_button = named(
            QPushButton("&Restore from a backup…"),
            "Restore from a backup",
            "Replaces the records with a backup; the current file is kept beside it.",
        )
        for button in (self.passphrase_button, self.backup_button, self.restore_button):
            row.addWidget(button)
        row.addStretch(1)
        data_layout.addLayout(row)
        return data

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setAccessibleName("Save or cancel")
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setText("&Save")  # Qt's own "Save" has no Alt key
        save_button.setAccessibleName("Save the settings")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel without saving")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def details(self) -> SettingDetails:
        return SettingDetails(
            setting_name=field_value(self.setting_name),
            dsl_name=field_value(self.dsl_name),
            deputies=deputies_of(self.deputies),
            default_policy=self.policy.currentData(),
            nation=Nation(self.nation.currentData()),
        )

    def _accept(self) -> None:
        details, minutes = self.details(), self.idle_minutes.value()
        computer = replace(self.backups.choices(), tray=self.reminders.choices())
        # A refusal is said beside the buttons, and the dialog stays open.
        run_op(
            self,
            lambda: self._save(details, minutes, computer),
            lambda _saved: self.accept(),
            on_failure=self._show_message,
        )

    def _show_message(self, exc: Exception) -> None:
        self.message.setText(str(exc))
        self.message.setVisible(True)
