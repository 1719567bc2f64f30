"""Contacts: the named officers the policies ask for, then practitioners."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from app.domain.views import ContactView
from ui.models.contacts import ContactTableModel
from ui.widgets.common import heading, named, paragraph


class ContactsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Contacts", 2))
        layout.addWidget(
            paragraph(
                "Named officers (the people your partnership's policy says to contact at "
                "each stage) are listed first, then practitioners in other agencies and "
                "your own staff.",
                "About the contacts list",
            )
        )
        self.model = ContactTableModel(self)
        self.table = named(QTableView(), "Contacts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: Sequence[ContactView]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()

    def clear(self) -> None:
        self.set_rows([])
