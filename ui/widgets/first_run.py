"""First run: where the encrypted file lives, its passphrase, and the setting's details.
Opening an existing file (for example one restored from a backup) is offered too.

The DSL's name is the file's first member's (issue 23): they sign in with it and this
passphrase, and add the rest of the team once the file is made (File → Safeguarding
team)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.paths import portable_data_file
from app.policy import Nation, PolicyLibrary
from app.services.settings import SettingDetails
from ui.plain_text import plain, plain_tip
from ui.widgets.common import field_value, heading, named, paragraph
from ui.widgets.passphrase_fields import secret_field, strength_hint

NATION_NAMES = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}

# A team's file has a recovery key (issue 23): a lost passphrase is no longer the end.
LOST_PASSPHRASE_WARNING = (
    "If you forget your passphrase, the file's recovery key sets a new one: it is shown "
    "once when the file is made, to print or write down for the school safe. If the "
    "passphrase and the recovery key are both lost, nobody can open the file: not you, "
    "not your IT support, not us. Write the passphrase down and keep it somewhere "
    "locked, away from this computer."
)


def nation_combo(name: str = "Nation for bank holidays") -> QComboBox:
    combo = named(QComboBox(), name, "Bank holidays in this nation are not working days.")
    for nation, label in NATION_NAMES.items():
        combo.addItem(label, nation)
    return combo


def policy_combo(
    library: PolicyLibrary, name: str = "Partnership policy", placeholder: str = ""
) -> QComboBox:
    combo = named(QComboBox(), name)
    if placeholder:
        combo.addItem(placeholder, None)
    for policy in library.by_name():
        combo.addItem(f"{policy.partnership} ({policy.document.issued_display})", policy.id)
    return combo


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def deputies_of(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


@dataclass(frozen=True)
class FirstRunChoices:
    path: Path
    portable: bool
    passphrase: str
    repeat: str
    details: SettingDetails
    reminders: bool = False  # the DSL's consent to the reminder at sign-in


class FirstRunPage(QWidget):
    create_requested = Signal(object)  # FirstRunChoices
    open_existing_requested = Signal()

    def __init__(
        self, library: PolicyLibrary, local_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._local_path = local_path
        self._other_path: Path | None = None
        layout = self._column()
        layout.addWidget(heading("Set up Escalation Tracker"))
        layout.addWidget(
            paragraph(
                "Your escalation records will be kept in one encrypted file on this "
                "computer. Nothing is sent anywhere. This takes about two minutes."
            )
        )
        layout.addWidget(self._where_box(local_path))
        layout.addWidget(self._passphrase_box())
        layout.addWidget(self._setting_box(library))
        layout.addWidget(self._reminders_box())
        layout.addStretch(1)

        # Below the scrolling part, always in view: the button, and what it says back.
        footer = self._footer()
        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Set-up message")
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.message.setVisible(False)
        footer.addWidget(self.message)
        footer.addLayout(self._buttons())

        self.policy.currentIndexChanged.connect(self._policy_changed)
        self.policy_search.textChanged.connect(self._search_policies)
        self.create_button.clicked.connect(self._create)
        # Enter in any one-line field creates the file, as the default button would in
        # a dialog (this is a page of the main window, where Qt has no default button).
        for line in (self.passphrase, self.repeat, self.setting_name, self.dsl_name):
            line.returnPressed.connect(self._create)
        self.open_button.clicked.connect(self.open_existing_requested)
        self._policy_changed()

    def _column(self) -> QVBoxLayout:
        """A centred column of readable width, scrolling when the window is short."""
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; they scroll
        self._outer.addWidget(self.scroll, 1)
        body = QWidget()
        self.scroll.setWidget(body)
        layout = self._centred(body)
        layout.setContentsMargins(24, 16, 24, 16)
        return layout

    def _footer(self) -> QVBoxLayout:
        strip = QFrame()
        strip.setFrameShape(QFrame.Shape.StyledPanel)
        self._outer.addWidget(strip)
        layout = self._centred(strip)
        layout.setContentsMargins(24, 8, 24, 8)
        return layout

    def _centred(self, holder: QWidget) -> QVBoxLayout:
        centre = QHBoxLayout(holder)
        centre.setContentsMargins(0, 0, 0, 0)
        column = QWidget()
        # Lines of about 100 characters read comfortably; wider is hard to follow.
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * 110)
        centre.addStretch(1)
        centre.addWidget(column, 10)
        centre.addStretch(1)
        return QVBoxLayout(column)

    def _where_box(self, local_path: Path) -> QGroupBox:
        where = QGroupBox("1. Where to keep the encrypted file")
        where_layout = QVBoxLayout(where)
        self.local_choice = named(
            QRadioButton("On this computer, in my user data folder (recommended)"),
            "Keep the file on this computer",
        )
        self.local_path = self._path_label(local_path)
        self.portable_choice = named(
            QRadioButton("Portable: beside the program, for a USB stick"),
            "Keep the file beside the program (portable)",
        )
        self.portable_path = self._path_label(portable_data_file())
        self.other_choice = named(
            QRadioButton("Somewhere else, for example a network folder"),
            "Keep the file somewhere else",
        )
        self.other_path = self._path_label(None)
        # Alt+H is the Help menu's.
        self.choose_button = named(QPushButton("Choo&se…"), "Choose where to keep the file")
        self.choose_button.setAutoDefault(True)  # Enter on it chooses, as Space does
        self.choose_button.clicked.connect(self._choose_place)
        self.local_choice.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.local_choice, self.portable_choice, self.other_choice):
            group.addButton(button)
        for widget in (
            self.local_choice,
            self.local_path,
            self.portable_choice,
            self.portable_path,
        ):
            where_layout.addWidget(widget)
        other_row = QHBoxLayout()
        other_row.addWidget(self.other_choice)
        other_row.addWidget(self.choose_button)
        other_row.addStretch(1)
        where_layout.addLayout(other_row)
        where_layout.addWidget(self.other_path)
        return where

    def _passphrase_box(self) -> QGroupBox:
        secret = QGroupBox("2. Choose a passphrase")
        secret_form = QFormLayout(secret)
        self.passphrase = secret_field("Passphrase")
        self.repeat = secret_field("Passphrase again")
        self.strength = strength_hint(self.passphrase)
        secret_form.addRow("&Passphrase:", self.passphrase)
        secret_form.addRow("Passphrase a&gain:", self.repeat)
        secret_form.addRow("", self.strength)
        warning = paragraph(LOST_PASSPHRASE_WARNING, "Warning about losing the passphrase")
        font = warning.font()
        font.setBold(True)
        warning.setFont(font)
        secret_form.addRow(warning)
        return secret

    def _setting_box(self, library: PolicyLibrary) -> QGroupBox:
        setting = QGroupBox("3. Your setting")
        form = QFormLayout(setting)
        self.setting_name = named(QLineEdit(), "Setting's name")
        self.setting_name.setPlaceholderText("e.g. Riverside Primary School")
        self.dsl_name = named(
            QLineEdit(),
            "DSL's name",
            "You sign in with this name and the passphrase above; add the rest of the "
            "team later, in File, Safeguarding team.",
        )
        self.dsl_name.setPlaceholderText("e.g. Ms Hannah Okafor")
        self.deputies = named(QPlainTextEdit(), "Deputy DSLs, one per line")
        self.deputies.setTabChangesFocus(True)
        self.deputies.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        # Search over the whole library (``PolicyLibrary.search``): the list below shows
        # only the policies that match what is typed.
        self.policy_search = named(QLineEdit(), "Search the policies")
        self.policy_search.setPlaceholderText("Type your partnership's name, e.g. St Helens")
        self.policy_search.setClearButtonEnabled(True)
        # No policy is chosen for the DSL: the wrong one would give the wrong deadlines.
        self.policy = policy_combo(library, placeholder="Choose your partnership's policy…")
        self.policy_about = plain(QLabel())
        self.policy_about.setWordWrap(True)
        self.policy_about.setAccessibleName("About the chosen policy")
        self.nation = nation_combo()
        form.addRow("Setting's &name:", self.setting_name)
        form.addRow("&DSL's name:", self.dsl_name)
        form.addRow(
            "",
            paragraph(
                "You sign in with this name and your passphrase. Once the file is made, "
                "give each deputy their own sign-in in File \u2192 Safeguarding team.",
                "Signing in",
            ),
        )
        form.addRow("Deput&y DSLs\n(one per line):", self.deputies)
        form.addRow("Wh&ich partnership?", self.policy_search)
        form.addRow("Partnership p&olicy:", self.policy)
        form.addRow("", self.policy_about)
        form.addRow("Nation for &bank holidays:", self.nation)
        return setting

    def _reminders_box(self) -> QGroupBox:
        from ui.dialogs.tray_settings import WHAT_IT_SHOWS, consent_box, unavailable_reason

        box = QGroupBox("4. A reminder on this computer (you can change this in Settings)")
        column = QVBoxLayout(box)
        # Not ticked: the DSL says yes to it, nothing is assumed.
        self.reminders = consent_box()
        column.addWidget(self.reminders)
        column.addWidget(paragraph(WHAT_IT_SHOWS, "About the reminder"))
        reason = unavailable_reason()
        if reason is not None:
            self.reminders.setEnabled(False)
            column.addWidget(paragraph(reason, "Reminders are not available"))
        return box

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.create_button = named(
            QPushButton("&Create the encrypted file"), "Create the encrypted file"
        )
        self.create_button.setDefault(True)
        self.open_button = named(
            QPushButton("Open an &existing file…"),
            "Open an existing data file",
            "For example a file restored from a backup.",
        )
        self.open_button.setAutoDefault(True)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        return buttons

    def set_local_path(self, path: Path) -> None:
        self._local_path = path
        self.local_path.setText(str(path))
        self.local_path.setAccessibleName(f"Location: {path}")

    def _path_label(self, path: Path | None) -> QLabel:
        label = plain(QLabel(str(path) if path else ""))
        label.setIndent(24)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(f"Location: {path}" if path else "Location not chosen yet")
        label.setVisible(path is not None)
        return label

    def _choose_place(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Where to keep the encrypted file",
            str(self._local_path),
            "Escalation Tracker files (*.etdb)",
        )
        if chosen:
            self.set_other_path(Path(chosen))

    def set_other_path(self, path: Path) -> None:
        if path.suffix.lower() != ".etdb":
            path = path.with_name(path.name + ".etdb")
        self._other_path = path
        self.other_path.setText(str(path))
        self.other_path.setAccessibleName(f"Location: {path}")
        self.other_path.setVisible(True)
        self.other_choice.setChecked(True)

    def _search_policies(self, query: str) -> None:
        """Only the policies that match, the one chosen kept when it still does."""
        chosen = self.policy.currentData()
        found = self._library.search(query)
        self.policy.blockSignals(True)
        self.policy.clear()
        placeholder = "Choose your partnership's policy…"
        if query.strip():
            placeholder = (
                f"{len(found)} {'policy matches' if len(found) == 1 else 'policies match'}"
                f" “{query.strip()}”: choose yours…"
                if found
                else f"No policy matches “{query.strip()}”: try fewer words"
            )
        self.policy.addItem(placeholder, None)
        for policy in found:
            label = f"{policy.partnership} ({policy.document.issued_display})"
            self.policy.addItem(label, policy.id)
        select_data(self.policy, chosen)
        self.policy.blockSignals(False)
        self._policy_changed()
        # What the search found is in sight as it is typed, not below the fold.
        self.scroll.ensureWidgetVisible(self.policy)

    def _policy_changed(self) -> None:
        policy_id = self.policy.currentData()
        self.policy_about.clear()
        if policy_id:
            policy = self._library.get(str(policy_id))
            select_data(self.nation, policy.default_nation)
            # Its date, source and completeness, wherever a DSL chooses a policy.
            doc = policy.document
            about = [f"{doc.title}, {doc.issued_display}."]
            if doc.source or doc.url:
                about.append(f"Source: {doc.source or doc.url}.")
            if doc.currency_note:
                about.append(doc.currency_note)
            if doc.incomplete_short:  # its first sentence here, all of it on hover
                about.append(doc.incomplete_short)
            self.policy_about.setText(" ".join(about))
            self.policy_about.setToolTip(plain_tip(doc.incomplete_note or ""))

    def choices(self) -> FirstRunChoices:
        portable = self.portable_choice.isChecked()
        path = self._local_path
        if portable:
            path = portable_data_file()
        elif self.other_choice.isChecked() and self._other_path is not None:
            path = self._other_path
        return FirstRunChoices(
            path=path,
            portable=portable,
            passphrase=field_value(self.passphrase),
            repeat=field_value(self.repeat),
            details=SettingDetails(
                setting_name=field_value(self.setting_name),
                dsl_name=field_value(self.dsl_name),
                deputies=deputies_of(self.deputies),
                default_policy=self.policy.currentData(),
                nation=Nation(self.nation.currentData()),
            ),
            reminders=self.reminders.isChecked(),
        )

    def _create(self) -> None:
        if self.other_choice.isChecked() and self._other_path is None:
            self.show_message("Choose where to keep the file (the Choose… button), then try again.")
            return
        if self.policy.currentData() is None:
            self.show_message("Choose your partnership's policy (in section 3), then try again.")
            self.policy.setFocus()
            return
        self.show_message("")
        self.create_requested.emit(self.choices())

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear_secrets(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()
