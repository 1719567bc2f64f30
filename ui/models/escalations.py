"""The escalation list: a thin adapter over ``app.services.dashboard`` rows, and a proxy
that applies the service's ``ListFilter`` and sorts by the service's deadline order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from app.services.dashboard import DashboardRow, ListFilter, fold, sort_key
from ui.widgets.common import warning_icon

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS: tuple[tuple[str, Callable[[DashboardRow], str]], ...] = (
    ("Ref", lambda r: r.row.ref),
    ("Child", lambda r: r.row.child_name),
    ("Other agency", lambda r: r.row.other_agency),
    ("Pathway", lambda r: f"{r.pathway_label} ({r.policy_label})"),
    ("Current stage", lambda r: r.stage_label),
    ("Next deadline", lambda r: r.deadline_text),
    ("Status", lambda r: r.status_label),
)
PATHWAY_COLUMN, STAGE_COLUMN, DEADLINE_COLUMN = 3, 4, 5
# Overdue rows carry the warning icon here as well as the words "Overdue by…".
_ICON_COLUMNS = frozenset({0, DEADLINE_COLUMN})


class EscalationTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DashboardRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[DashboardRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[DashboardRow]:
        return list(self._rows)

    def row_at(self, row: int) -> DashboardRow:
        return self._rows[row]

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
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column][1](item)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == PATHWAY_COLUMN:
                return f"{item.pathway_title} ({item.policy_label})"
            return COLUMNS[column][1](item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = COLUMNS[column][1](item)
            return f"Overdue. {text}" if item.overdue and column == 0 else text
        if role == Qt.ItemDataRole.DecorationRole and item.overdue and column in _ICON_COLUMNS:
            return warning_icon()
        if role == Qt.ItemDataRole.FontRole and item.overdue and column == DEADLINE_COLUMN:
            return self._bold
        if role == ROW_ROLE:
            return item
        return None


class EscalationFilterProxy(QSortFilterProxyModel):
    """Filters with ``ListFilter.matches``; the deadline column sorts by the service's
    deadline order, the others alphabetically (ignoring case and accents)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = ListFilter()

    @property
    def list_filter(self) -> ListFilter:
        return self._filter

    def set_filter(self, chosen: ListFilter) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._filter = chosen
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # earlier Qt (the app supports 6.6)
            self._filter = chosen
            self.invalidateRowsFilter()

    def _item(self, source_row: int) -> DashboardRow:
        model = self.sourceModel()
        assert isinstance(model, EscalationTableModel)
        return model.row_at(source_row)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self._filter.matches(self._item(source_row))

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = self._item(left.row()), self._item(right.row())
        column = left.column()
        if column == DEADLINE_COLUMN:
            return sort_key(a) < sort_key(b)
        shown = COLUMNS[column][1]
        return (fold(shown(a)), sort_key(a)) < (fold(shown(b)), sort_key(b))
