"""The recovery key, shown once (issue 23): at first run, after an older file's upgrade,
and when a DSL makes a new one.

The key is shown large, monospaced and in groups, with what to do with it; "Print a
recovery sheet…" prints one page straight to a printer (``ui.recovery_sheet``: never a
file). Close stays greyed until the DSL ticks that they have written it down or printed
it, and Escape does not close the window before then. The key is never put on the
clipboard by the app, and is dropped from the window when it closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.team.recovery_words import SHOWN_ONCE, key_lines, recovery_sheet
from ui.errors import show_message
from ui.plain_text import plain
from ui.recovery_sheet import print_sheet
from ui.widgets.common import heading, named, paragraph
from ui.widgets.sizing import fit_to_screen

KEY_POINTS = 20


def key_font(points: int = KEY_POINTS, *, bold: bool = True) -> QFont:
    """Monospaced, so each group lines up and 0 and O, 1 and I look different."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(points)
    font.setBold(bold)
    return font


class RecoveryKeyDialog(QDialog):
    def __init__(self, key: str, setting_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self._setting_name = setting_name
        self.setWindowTitle("Your recovery key")
        self.setObjectName("recovery-key")
        self.setAccessibleName("Your recovery key")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading("Your recovery key: write it down or print it now", 2))
        layout.addWidget(
            paragraph(
                "If a member of the safeguarding team forgets their passphrase, this key "
                "lets you set a new one for them. Without it, and without any member's "
                "passphrase, nobody can open the records.",
                "What the recovery key is for",
            )
        )
        self.key_label = plain(QLabel("\n".join(key_lines(key))))
        self.key_label.setFont(key_font())
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setFrameShape(QFrame.Shape.Box)
        self.key_label.setMargin(12)
        # Selectable, so it can be read out a group at a time; never copied for you.
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setAccessibleDescription(", ".join(key.split("-")))
        layout.addWidget(self.key_label)
        layout.addWidget(paragraph(SHOWN_ONCE, "Keep it in the school safe"))

        self.print_button = named(
            QPushButton("&Print a recovery sheet…"),
            "Print a recovery sheet",
            "One page for the school safe, printed straight to a printer: no file is saved.",
        )
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.choose_printer)
        self.written = named(
            QCheckBox("&I have written it down or printed it"),
            "I have written it down or printed it",
        )
        self.close_button = named(QPushButton("&Close"), "Close")
        self.close_button.setEnabled(False)
        self.close_button.setAutoDefault(False)
        self.written.toggled.connect(self.close_button.setEnabled)
        self.close_button.clicked.connect(self.accept)

        layout.addWidget(self.written)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.print_button.setFocus()
        fit_to_screen(self, 640, 400)

    def reject(self) -> None:
        """Escape and the title bar's close: only once the key is safe (Close's rule)."""
        if self.written.isChecked():
            super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        # Not kept in the window once it is closed.
        self._key = ""
        self.key_label.clear()

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Recovery key")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the recovery sheet")
        # To paper only: the key is never written to a file.
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            if printer.outputFileName():
                show_message(
                    self,
                    "Print",
                    "The recovery sheet is printed on paper only, never saved as a file. "
                    "Choose a printer.",
                )
                return
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """The sheet on ``printer`` (tests give one that writes a PDF in their tmp)."""
        sheet = recovery_sheet(self._setting_name, clock.today(), self._key)
        if not print_sheet(printer, sheet):
            show_message(
                self, "Print", "The printer could not be started. Check it is on and try again."
            )
            return False
        return True
