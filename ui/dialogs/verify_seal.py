"""Verify a printed document: the DSL types the record seal from a paper copy's footer
and the app says which document this file produced under it (when, by whom, for which
escalation), or plainly that none of its documents carries it. The answer is the
service's (``app.services.seals.verify_seal``); this dialog only shows it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import KnownError
from app.services.seals import SealAnswer, verify_seal
from app.services.store import Sessions
from ui.operations import run_op
from ui.widgets.common import heading, named, paragraph, set_enum
from ui.widgets.sizing import fit_to_screen


class VerifySealDialog(QDialog):
    def __init__(self, store: Sessions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle("Verify a printed document")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Verify a printed document", 2))
        layout.addWidget(
            paragraph(
                "Type the record seal printed at the foot of the document, for example "
                "184 3f9c 2a71 b0de 4c15."
            )
        )
        row = QHBoxLayout()
        self.seal = named(QLineEdit(), "Record seal")
        self.seal.returnPressed.connect(self.verify)
        self.verify_button = named(QPushButton("&Verify"), "Verify the seal")
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.seal, 1)
        row.addWidget(self.verify_button)
        layout.addLayout(row)
        self.answer = paragraph("", "Answer")
        set_enum(self.answer, "textFormat", "PlainText")  # the answer quotes stored text
        set_enum(self.answer, "textInteractionFlags", "TextSelectableByMouse")
        layout.addWidget(self.answer)
        close = named(QPushButton("Close"), "Close")
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        fit_to_screen(self, 560, 260)

    def verify(self) -> bool:
        typed = self.seal.text()
        return run_op(
            self,
            lambda: verify_seal(self._store, typed),
            self._show,
            on_failure=self._refused,
        )

    def _show(self, answer: SealAnswer) -> None:
        self.answer.setText("\n".join(answer.lines))

    def _refused(self, error: KnownError) -> None:
        self.answer.setText(str(error))
