"""Retention review: every child's review date (date of birth + 25 years, or later when
retained), those due first; retain with a reason, or destroy after a typed
confirmation. Destruction cannot be undone."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.typed_dates import birth_text
from app.english_plurals import count
from app.services import retention
from app.services.common import MaintainedStore
from app.services.retention_copies import Destruction, destroy_with_copies
from ui.errors import show_notice
from ui.operations import run_op
from ui.widgets.common import field_value, heading, named, paragraph
from ui.widgets.fields import date_edit, date_of
from ui.widgets.sizing import fit_to_screen

CONFIRM_WORD = "DESTROY"


class RetentionDialog(QDialog):
    def __init__(self, store: MaintainedStore, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._actor = store, actor
        self.setWindowTitle("Retention review")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Retention review"))
        layout.addWidget(
            paragraph(
                "Child protection records are kept until the child's date of birth + 25 years, "
                "then reviewed (IRMS toolkit). Keep them longer with a reason (for example "
                "an inquiry), or destroy them. Destruction removes every record about the "
                "child from the file and cannot be undone; a minimal note that records "
                "existed and were destroyed stays in the audit trail."
            )
        )
        self.due_only = named(QCheckBox("Show only those due for review"), "Due only")
        self.due_only.setChecked(True)
        self.due_only.toggled.connect(self.reload)
        layout.addWidget(self.due_only)
        self.table = named(QTableWidget(0, 5), "Children and their review dates")
        self.table.setHorizontalHeaderLabels(
            ["Child", "Date of birth", "Review date", "Escalations", "Last decision"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.retain_button = named(QPushButton("&Retain…"), "Keep the chosen child's records")
        self.retain_button.clicked.connect(self.retain_chosen)
        self.destroy_button = named(QPushButton("&Destroy…"), "Destroy the chosen child's records")
        self.destroy_button.clicked.connect(self.destroy_chosen)
        close = named(QPushButton("Close"), "Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.retain_button)
        buttons.addWidget(self.destroy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._ids: list[int] = []
        fit_to_screen(self, 860, 520)
        self.reload()

    def reload(self) -> None:
        items = retention.review_list(self._store, due_only=self.due_only.isChecked())
        self._ids = [i.child_id for i in items]
        self.table.setRowCount(len(items))
        today = clock.today()
        for r, item in enumerate(items):
            due = " (due)" if item.review_date is not None and item.review_date <= today else ""
            cells = (
                item.name,
                birth_text(item.date_of_birth),
                f"{item.review_text}{due}",
                str(item.escalations),
                item.last_decision or "Not reviewed yet",
            )
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def chosen(self) -> int | None:
        row = self.table.currentRow()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def retain_chosen(self) -> None:
        child = self.chosen()
        if child is None:
            return
        form = QDialog(self)
        form.setWindowTitle("Retain records")
        fields = QFormLayout(form)
        reason = named(QLineEdit(), "Reason for keeping the records")
        until = date_edit("Next review date")  # empty: the next review is the DSL's decision
        fields.addRow("&Reason:", reason)
        fields.addRow("&Next review:", until)
        ok = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

        def accept_a_date() -> None:
            # Not a date yet: the words beside the field already say why.
            if until.problem():
                until.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                form.accept()

        ok.accepted.connect(accept_a_date)
        ok.rejected.connect(form.reject)
        fields.addRow(ok)
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        self.retain(child, field_value(reason), date_of(until))

    def retain(self, child: int, reason: str, next_review: date) -> bool:
        return run_op(
            self,
            lambda: retention.retain(
                self._store, child, reason=reason, next_review=next_review, actor=self._actor
            ),
            lambda _done: self.reload(),
        )

    def destroy_chosen(self) -> None:
        child = self.chosen()
        if child is None:
            return
        name = self.table.item(self.table.currentRow(), 0).data(Qt.ItemDataRole.DisplayRole)
        form = QDialog(self)
        form.setWindowTitle("Destroy records")
        fields = QFormLayout(form)
        fields.addRow(
            paragraph(
                f"Every record about {name} will be destroyed. This cannot be undone. "
                "The copies the app kept beside the file before an update or a restore "
                "that hold them go too; backups that hold them are listed for you to delete."
            )
        )
        reason = named(QLineEdit(), "Reason for destroying the records")
        confirm = named(QLineEdit(), f"Type {CONFIRM_WORD} to confirm")
        fields.addRow("&Reason:", reason)
        fields.addRow(f"&Type {CONFIRM_WORD}:", confirm)
        ok = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok.accepted.connect(form.accept)
        ok.rejected.connect(form.reject)
        fields.addRow(ok)
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        if field_value(confirm).strip() != CONFIRM_WORD:
            QMessageBox.information(self, "Destroy records", "Nothing was destroyed.")
            return
        self.destroy(child, field_value(reason))

    def destroy(self, child: int, reason: str) -> bool:
        def destroyed(done: Destruction) -> None:
            self.reload()
            # What else held the records, and what the DSL still has to delete.
            show_notice(
                self,
                "Records destroyed",
                f"{count(done.escalations, 'escalation')} and every record about the child were "
                f"destroyed.\n\n{done.copies.words()}",
            )

        return run_op(
            self,
            lambda: destroy_with_copies(self._store, child, reason=reason, actor=self._actor),
            destroyed,
        )
