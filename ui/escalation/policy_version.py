"""Which version of its policy an escalation follows, and the question that adopts a
newer one. The words, what changes and whether it may be done come from
``app.services.policy_adoption`` and the action map; this only shows them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.services.policy_adoption import Offer, adopt_version
from ui.plain_text import plain
from ui.widgets.common import named
from ui.widgets.form_dialog import FormDialog
from ui.widgets.record_form import EscalationContext

ADOPT_TEXT = "&Adopt the newer version…"
CHANGE_COLUMNS = ("Stage", "What", "Now", "In the newer version")


class VersionNote(QFrame):
    """One line under the summary: the version followed; when a newer one is loaded,
    framed, with the button that asks about adopting it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.label = plain(QLabel())  # the policy's own words for its version
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Policy version followed")
        layout.addWidget(self.label, 1)
        self.adopt_button = named(QPushButton(ADOPT_TEXT), ADOPT_TEXT.replace("&", "")[:-1])
        layout.addWidget(self.adopt_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_note(self, text: str, newer: bool) -> None:
        self.label.setText(text)
        self.setFrameShape(QFrame.Shape.StyledPanel if newer else QFrame.Shape.NoFrame)


def _changes_table(offer: Offer) -> QTableWidget:
    table = named(
        QTableWidget(len(offer.changes), len(CHANGE_COLUMNS)),
        "What changes",
        "One row per difference: the stage, what differs, what it says now and what "
        "the newer version says.",
    )
    table.setHorizontalHeaderLabels(list(CHANGE_COLUMNS))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    for column in (0, 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    for column in (2, 3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    # Rows as tall as their wrapped text at the columns' real widths.
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
    for row, change in enumerate(offer.changes):
        stage = (
            f"{change.stage} (started: keeps its deadline)"
            if change.started
            else (f"{change.stage}")
        )
        for column, text in enumerate((stage, change.what, change.before, change.after)):
            table.setItem(row, column, QTableWidgetItem(text))  # plain text, never markup
    table.resizeRowsToContents()
    return table


class AdoptVersionDialog(FormDialog):
    """The question: what the newer version changes, and adopting it if the DSL chooses."""

    save_text = "&Adopt this version"

    def __init__(
        self, context: EscalationContext, offer: Offer, parent: QWidget | None = None
    ) -> None:
        super().__init__("Adopt the newer version of the policy?", parent)
        self.setObjectName("adopt-policy-version")
        self.context = context
        self.offer = offer
        layout = self.form()
        self.note(
            layout,
            f"{offer.ref} follows {offer.following} of {offer.policy}'s policy. A newer "
            f"version is loaded: {offer.newer}.",
            "Which versions",
        )
        self.note(
            layout,
            "If you adopt it, the stages not yet started follow the newer version: their "
            "owners, timescales and projected deadlines change as listed below. Stages "
            "already started keep the deadlines they were given. The change is recorded in "
            "the chronology with your name, and cannot be undone.",
            "What adopting does",
        )
        if offer.changes:
            self.table = _changes_table(offer)
            # Room for several changes side by side; a longer list scrolls in the table.
            self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 16)
            layout.addRow(self.table)
        elif not offer.problems:
            self.note(
                layout,
                "The stages, owners and timescales are the same in both versions: only the "
                "version this escalation follows changes.",
                "What changes",
            )
        if offer.problems:
            self.show_message(" ".join(offer.problems))
            self.save_button.setEnabled(False)
        if not offer.changes:
            self.body.addStretch(1)  # else the table takes the room
        self.start_tracking()
        self.fit(1000, 680)

    def submit(self) -> None:
        adopt_version(
            self.context.store,
            self.context.library,
            self.context.ref,
            self.offer.newer_key,
            actor=self.context.actor,
        )
