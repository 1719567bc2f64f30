"""The escalation list: a thin adapter over ``app.services.dashboard`` rows that applies
the service's ``ListFilter`` and sorts by the service's deadline order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from app.services.dashboard import DashboardRow, ListFilter, fold, sort_key
from ui.plain_text import plain_tip
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
# The roles ``data`` answers, as plain ints: comparing with the enum members costs two
# attribute lookups each, in a method called thousands of times a paint.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOL_TIP = Qt.ItemDataRole.ToolTipRole.value
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_ROLES = frozenset({_DISPLAY, _TOOL_TIP, _ACCESSIBLE_TEXT, _DECORATION, _FONT, ROW_ROLE})


class EscalationTableModel(QAbstractTableModel):
    """Holds every row, shows those the ``ListFilter`` accepts, in the chosen order.

    Filtering and sorting happen here, in one pass over plain Python lists, rather than
    in a QSortFilterProxyModel: the proxy calls back into Python once per row to filter
    and once per comparison to sort, which over 10,000 escalations took most of a second
    at unlock and far more than a keystroke's worth of time per search."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[DashboardRow] = []
        self._rows: list[DashboardRow] = []
        # With only the first screenful held (``set_rows`` with a larger ``total``), the
        # rows below it are shown empty until the rest arrive; ``wants_all`` is asked
        # for them before anything filters, sorts or lists the rows.
        self._total: int | None = None
        self.wants_all: Callable[[], None] | None = None
        self._filter = ListFilter()
        self._sort_column = DEADLINE_COLUMN
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._bold = QFont()
        self._bold.setBold(True)

    # What is shown ----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[DashboardRow], total: int | None = None) -> None:
        """``total``: how many there are, if ``rows`` is only the first screenful of them
        in the list's default order (see ``shows_first_page``)."""
        self._all = list(rows)
        self._total = total if total is not None and total > len(self._all) else None
        self._refresh()

    @property
    def partial(self) -> bool:
        return self._total is not None

    def shows_first_page(self) -> bool:
        """True if the first rows in deadline order are what this model would show: no
        filter, sorted by deadline, soonest first."""
        return (
            self._filter == ListFilter()
            and self._sort_column == DEADLINE_COLUMN
            and self._sort_order == Qt.SortOrder.AscendingOrder
        )

    def drop_partial(self) -> None:
        """Show only the rows held: the rest could not be read."""
        self._total = None
        self._refresh()

    def complete(self) -> None:
        """Ask for the rest of the rows, if only the first screenful is held."""
        if self._total is not None and self.wants_all is not None:
            self.wants_all()

    def set_filter(self, chosen: ListFilter) -> None:
        self.complete()
        self._filter = chosen
        self._refresh()

    @property
    def list_filter(self) -> ListFilter:
        return self._filter

    @property
    def total(self) -> int:
        """Rows in all, before filtering (including any not yet held)."""
        return len(self._all) if self._total is None else self._total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.complete()
        self._sort_column, self._sort_order = column, order
        self._refresh()

    def _refresh(self) -> None:
        chosen = self._filter
        shown = [r for r in self._all if chosen.matches(r)]
        if self._sort_column == DEADLINE_COLUMN:
            shown.sort(key=sort_key)
        else:
            label = COLUMNS[self._sort_column][1]
            shown.sort(key=lambda r: (fold(label(r)), sort_key(r)))
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            shown.reverse()
        self.beginResetModel()
        self._rows = shown
        self.endResetModel()

    def rows(self) -> list[DashboardRow]:
        self.complete()
        return list(self._rows)

    def row_of(self, ref: str) -> int | None:
        """Where the escalation ``ref`` is shown, if it is (a scan of the Python list,
        not 10,000 calls through Qt's index and data)."""
        return next((n for n, item in enumerate(self._rows) if item.row.ref == ref), None)

    def row_at(self, row: int) -> DashboardRow:
        if row >= len(self._rows):
            self.complete()
        return self._rows[row]

    # Qt's interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        # The whole list's length while only its first screenful is held: the scroll
        # bar is right from the first paint.
        return len(self._rows) if self._total is None else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called in Python for every role of every cell painted or measured (1,300 calls
        # for the first paint); half of them ask for roles this model leaves to the
        # style, so those are answered before anything else.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if row >= len(self._rows):
            return None  # not held yet (see ``set_rows``)
        item = self._rows[row]
        column = index.column()
        if role == _DISPLAY:
            return COLUMNS[column][1](item)
        if role == _TOOL_TIP:
            if column == PATHWAY_COLUMN:
                return plain_tip(f"{item.pathway_title} ({item.policy_label})")
            return plain_tip(COLUMNS[column][1](item))
        if role == _ACCESSIBLE_TEXT:
            text = COLUMNS[column][1](item)
            return f"Overdue. {text}" if item.overdue and column == 0 else text
        if role == _DECORATION and item.overdue and column in _ICON_COLUMNS:
            return warning_icon()
        if role == _FONT and item.overdue and column == DEADLINE_COLUMN:
            return self._bold
        if role == ROW_ROLE:
            return item
        return None
