"""The contacts directory: named officers and practitioners, as the service lists them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.views import ContactView
from ui.plain_text import plain_tip

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, Callable[[ContactView], str]], ...] = (
    ("Name", lambda c: c.name),
    ("Role", lambda c: c.role),
    ("Agency", lambda c: c.agency),
    ("Named officer for", lambda c: c.named_officer_role),
    ("Phone", lambda c: c.phone),
    ("Email", lambda c: c.email),
    ("Our staff", lambda c: "Yes" if c.internal else "No"),
)


class ContactTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ContactView] = []

    def set_rows(self, rows: Sequence[ContactView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return COLUMNS[index.column()][1](self._rows[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(COLUMNS[index.column()][1](self._rows[index.row()]))
        return None
