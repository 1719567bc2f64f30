"""One child's records: the full chronology (for the file when they move school), an
encrypted transfer file for the new setting, and a subject access disclosure with third
parties' names taken out for the DSL to review. Also importing a transfer file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.redaction import Review
from app.domain.typed_dates import born_text
from app.english_plurals import count
from app.services.common import Store
from app.services.documents import child_chronology
from app.services.people import list_children
from app.services.security import check_new_passphrase
from app.services.subject_access import subject_access_pdf, subject_access_review
from app.services.transfer import TransferResult, export_child, import_transfer
from ui.errors import show_notice
from ui.operations import run_op
from ui.widgets.common import field_value, heading, named, paragraph
from ui.widgets.redaction_review import RedactionReviewDialog
from ui.widgets.scroll_area import scrolling
from ui.widgets.sizing import fit_to_screen

Preview = Callable[[str, bytes, str], None]
WIDTH = 600  # the paragraphs in three lines or so, the buttons in a row
DISCLOSURE_REVIEW = (
    "Other practitioners' names and other children's names and identifiers are taken out "
    "wherever they appear, in any spelling with or without accents; the child's own "
    "names and your own staff stay. Each is listed below with the words around it. Add "
    "anything else that identifies someone else, such as a relative's name or address. "
    "This is a first pass, not a legal judgement: read every page before release."
)


class ChildRecordsDialog(QDialog):
    def __init__(
        self,
        store: Store,
        *,
        setting: str,
        dsl: str,
        actor: str,
        preview: Preview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._setting, self._dsl, self._actor = store, setting, dsl, actor
        self._preview = preview
        self.sent: TransferResult | None = None  # the last transfer file written
        self.review: RedactionReviewDialog | None = None  # the last redaction review opened
        self.setWindowTitle("A child's records")
        # What it says scrolls above Close on a short screen, each paragraph as tall as
        # its wrapped lines (squeezed, they were drawn over the buttons below them).
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("A child's records"))
        form = QFormLayout()
        self.child = named(QComboBox(), "Child")
        for child in list_children(store):
            self.child.addItem(f"{child.name} ({born_text(child.date_of_birth)})", child.id)
        form.addRow("C&hild:", self.child)
        layout.addLayout(form)

        layout.addWidget(heading("Moving setting", 3))
        layout.addWidget(
            paragraph(
                "Send the chronology with the child's file, and the transfer file to the new "
                "setting's DSL. The transfer file is encrypted with its own passphrase: share "
                "it by a different route (for example, by phone)."
            )
        )
        row = QHBoxLayout()
        self.chronology_button = named(
            QPushButton("&Chronology…"), "Preview the child's chronology"
        )
        self.chronology_button.clicked.connect(self.show_chronology)
        self.transfer_button = named(
            QPushButton("&Transfer file…"), "Write an encrypted transfer file"
        )
        self.transfer_button.clicked.connect(self.choose_transfer)
        row.addWidget(self.chronology_button)
        row.addWidget(self.transfer_button)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(heading("Subject access request", 3))
        layout.addWidget(
            paragraph(
                "Answer within one month. Before the disclosure is shown you see what is "
                "taken out (other practitioners, other children) and can add more; it is a "
                "first pass, not a legal judgement: review every page before release."
            )
        )
        row = QHBoxLayout()
        self.redact = named(QCheckBox("Redact other people's names"), "Redact other people")
        self.redact.setChecked(True)
        self.disclosure_button = named(QPushButton("&Disclosure…"), "Preview the disclosure")
        self.disclosure_button.clicked.connect(self.show_disclosure)
        row.addWidget(self.redact)
        row.addWidget(self.disclosure_button)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(heading("Receiving a child", 3))
        row = QHBoxLayout()
        self.import_button = named(
            QPushButton("&Import a transfer file…"), "Import a transfer file"
        )
        self.import_button.clicked.connect(self.choose_import)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(body, "A child's records"), 1)
        close = named(QPushButton("Close"), "Close")
        close.clicked.connect(self.accept)
        outer.addWidget(close)
        margin = outer.contentsMargins().left()
        fit_to_screen(
            self,
            WIDTH,
            body.heightForWidth(WIDTH - 2 * margin) + close.sizeHint().height() + 3 * margin,
        )
        has_children = self.child.count() > 0
        for button in (self.chronology_button, self.transfer_button, self.disclosure_button):
            button.setEnabled(has_children)

    def _child_id(self) -> int | None:
        value = self.child.currentData()
        return int(value) if value is not None else None

    def show_chronology(self) -> None:
        child = self._child_id()
        if child is None:
            return
        run_op(
            self,
            lambda: child_chronology(
                self._store, child, setting=self._setting, dsl=self._dsl, actor=self._actor
            ),
            lambda doc: self._preview("Case chronology", doc.pdf, f"chronology-{doc.ref}.pdf"),
        )

    def show_disclosure(self) -> None:
        """With redaction, the DSL first checks what is taken out (and may add more)."""
        child = self._child_id()
        if child is None:
            return
        if not self.redact.isChecked():
            self.disclose(child, redact=False)
            return

        def review(found: Review) -> None:
            dialog = RedactionReviewDialog(
                found,
                document="disclosure",
                explanation=DISCLOSURE_REVIEW,
                confirm="&Show the disclosure",
                parent=self,
            )
            dialog.accepted.connect(lambda: self.disclose(child, True, dialog.by_hand))
            dialog.finished.connect(lambda _r: dialog.deleteLater())
            self.review = dialog
            dialog.open()

        run_op(self, lambda: subject_access_review(self._store, child, dsl=self._dsl), review)

    def disclose(self, child: int, redact: bool, by_hand: Sequence[str] = ()) -> None:
        run_op(
            self,
            lambda: subject_access_pdf(
                self._store,
                child,
                setting=self._setting,
                dsl=self._dsl,
                actor=self._actor,
                redact_third_parties=redact,
                by_hand=by_hand,
            ),
            lambda disclosure: self._preview(
                "Subject access disclosure", disclosure.pdf, "subject-access-disclosure.pdf"
            ),
        )

    def choose_transfer(self) -> None:
        child = self._child_id()
        if child is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Transfer file", "transfer.etdb", "Transfer files (*.etdb)"
        )
        if not chosen:
            return
        form = QDialog(self)
        form.setWindowTitle("Transfer passphrase")
        fields = QFormLayout(form)
        first = named(QLineEdit(), "Transfer passphrase")
        again = named(QLineEdit(), "Transfer passphrase again")
        for edit in (first, again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        fields.addRow("&Passphrase:", first)
        fields.addRow("&Again:", again)
        ok = QPushButton("Write transfer file")
        ok.clicked.connect(form.accept)
        fields.addRow(ok)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.transfer(child, Path(chosen), field_value(first), field_value(again))

    def transfer(self, child: int, destination: Path, passphrase: str, repeat: str) -> bool:
        def write() -> TransferResult:
            check_new_passphrase(passphrase, repeat)
            return export_child(
                self._store,
                child,
                destination,
                passphrase,
                actor=self._actor,
                setting=self._setting,
            )

        def written(result: TransferResult) -> None:
            self.sent = result
            seal = result.seal.typed if result.seal else ""
            show_notice(
                self,
                "Transfer file",
                f"{count(len(result.refs), 'escalation')} about {result.child_name} written to "
                f"{destination}, with its covering page {result.cover}.\n\nTransfer seal: "
                f"{seal}\n\nSend the covering page (or read the seal out on the phone) and "
                "the passphrase to the receiving DSL, each by a different route from the "
                "file: they type the seal in to import it.",
            )

        return run_op(self, write, written)

    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a transfer file", "", "Transfer files (*.etdb)"
        )
        if not chosen:
            return
        passphrase, ok = QInputDialog.getText(
            self,
            "Transfer passphrase",
            "The transfer file's passphrase:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        seal, ok = QInputDialog.getText(
            self,
            "Transfer seal",
            "The transfer seal, from the covering page the sending setting sent (or read "
            "out by them on the phone), for example 57 3f9c 2a71 b0de 4c15:",
        )
        if ok:
            self.receive(Path(chosen), passphrase, seal)

    def receive(self, source: Path, passphrase: str, seal: str) -> bool:
        """Import once the sender's seal is confirmed: a file that does not match it is
        refused, and nothing is written."""

        def imported(result: TransferResult) -> None:
            show_notice(
                self,
                "Import a transfer file",
                f"Imported {count(len(result.refs), 'escalation')} about {result.child_name}, "
                f"recorded at {result.from_setting or 'the sending setting'}: "
                f"{', '.join(result.refs)}. Each keeps where it was recorded.",
            )

        return run_op(
            self,
            lambda: import_transfer(self._store, source, passphrase, seal=seal, actor=self._actor),
            imported,
        )
