"""Checking what a document leaves out before it is produced: each redaction with where
it is and its context, and a box for more words or phrases to take out (a sibling's
name, a street, a nickname). What is taken out is decided in ``app.domain.redaction``;
this only shows the answer and passes on what the DSL adds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.redaction import Redacted, Review
from app.english_plurals import count
from ui.widgets.common import heading, named, paragraph

COLUMNS = ["Where", "Taken out", "Replaced by", "In context"]


def _plain(text: str) -> QLabel:
    """A label for text that may hold what was typed: never read as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class RedactionReviewDialog(QDialog):
    """``review``: the document's texts and what comes out of them. Accepted, the
    document is produced with ``by_hand`` taken out too."""

    def __init__(
        self,
        review: Review,
        *,
        document: str,
        explanation: str,
        confirm: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("redaction-review")
        self.setWindowTitle(f"Check what is taken out of the {document}")
        self._review = review
        self.by_hand: list[str] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Check what is taken out of the {document}"))
        layout.addWidget(paragraph(explanation))
        self.summary = _plain("")
        self.summary.setAccessibleName("What is taken out")
        layout.addWidget(self.summary)
        self.table = named(QTableWidget(0, len(COLUMNS)), "Each thing taken out")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        label = QLabel("&Also take out:")
        self.extra = named(
            QLineEdit(),
            "Also take out",
            "A word or phrase to take out wherever it appears, for example a brother's "
            "name or a street",
        )
        self.extra.setPlaceholderText("a brother's name, a street, a nickname…")
        label.setBuddy(self.extra)
        self.add_button = named(QPushButton("Take &out"), "Take this out too")
        self.add_button.clicked.connect(self.add)
        self.extra.returnPressed.connect(self.add)
        row.addWidget(label)
        row.addWidget(self.extra, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.added = _plain("")
        self.added.setAccessibleName("Taken out by hand")
        layout.addWidget(self.added)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.confirm_button = named(QPushButton(confirm), confirm.replace("&", ""))
        self.confirm_button.clicked.connect(self.accept)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        # Enter in the box takes the phrase out; it must not also press a button.
        for button in (self.add_button, self.confirm_button, cancel):
            button.setAutoDefault(False)
        self.redacted = self._show(review.run())
        self.resize(1000, 620)

    def add(self) -> None:
        """Take the typed word or phrase out too, and show the redactions again."""
        phrase = " ".join(self.extra.text().split())
        if not phrase or phrase in self.by_hand:
            self.extra.clear()
            return
        self.by_hand.append(phrase)
        self.extra.clear()
        self.added.setText("Also taken out, as [redacted]: " + "; ".join(self.by_hand))
        self.redacted = self._show(self._review.run(self.by_hand))

    def _show(self, redacted: Redacted) -> Redacted:
        found = redacted.redactions
        n = len(found)
        self.summary.setText(
            f"{count(n, 'thing')} {'is' if n == 1 else 'are'} taken out, each replaced by "
            "the word in square brackets:"
            if n
            else "Nothing to take out was found in what was typed. Add anything else that "
            "could identify someone below."
        )
        self.table.setRowCount(n)
        for row, redaction in enumerate(found):
            cells = (redaction.field, redaction.found, redaction.marker, redaction.excerpt)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(" ".join(text.split()))
                item.setToolTip(redaction.what if column == 2 else "")
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        return redacted
