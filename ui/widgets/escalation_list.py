"""The escalation list under the dashboard: search, filters and the table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.english_plurals import count
from app.policy.pathway_kind import PathwayKind
from app.services.dashboard import (
    BUCKET_LABELS,
    STATUS_LABELS,
    Bucket,
    DashboardRow,
    ListFilter,
)
from ui.models.escalations import (
    DEADLINE_COLUMN,
    PATHWAY_COLUMN,
    ROW_ROLE,
    STAGE_COLUMN,
    EscalationTableModel,
)
from ui.widgets.common import field_value, named

if TYPE_CHECKING:
    from app.policy import PolicyLibrary


def _combo(name: str, any_label: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
    combo = named(QComboBox(), name)
    combo.addItem(any_label, None)
    for label, value in choices:
        combo.addItem(label, value)
    # Long names show in full in the drop-down, not in the bar.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class EscalationList(QWidget):
    open_requested = Signal(str)  # an escalation's reference
    filter_changed = Signal(object)  # the ListFilter now applied
    # Only the first screenful is held (see ``set_rows``) and something needs them all:
    # a search, a filter, a sort. Connected directly, so they are there when it returns.
    rows_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """The policy and stage filters are filled by ``set_library``, once the
        policies are loaded (after the first paint)."""
        super().__init__(parent)
        self._bucket: Bucket | None = None
        # The policies' short names the rows' labels were made with.
        self.short_names: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._filter_bar())

        self.summary = QLabel()
        self.summary.setAccessibleName("What the list shows")
        layout.addWidget(self.summary)

        self.model = EscalationTableModel(self)
        self.model.wants_all = self.rows_wanted.emit
        self.table = self._table(self.model)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.open_button = named(QPushButton("&Open escalation"), "Open the chosen escalation")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_current)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(self.current_ref() is not None)
        )

        self.search.textChanged.connect(self._apply)
        # From the search box: Down goes to the list's first match, Enter opens it.
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, self._to_first_row)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.search.returnPressed.connect(self._open_first_row)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self._update_summary()

    def _filter_bar(self) -> QHBoxLayout:
        """The search box, the filters and "Show all"."""
        bar = QHBoxLayout()
        self.search = named(
            QLineEdit(),
            "Search escalations",
            "Finds escalations by child's name, other agency or reference.",
        )
        self.search.setPlaceholderText("Search child, agency or reference (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 2)
        self.status = _combo(
            "Filter by status", "Any status", [(v, k) for k, v in STATUS_LABELS.items()]
        )
        self.pathway = _combo(
            "Filter by pathway", "Any pathway", [(kind.plain_name, kind) for kind in PathwayKind]
        )
        self.stage = _combo("Filter by current stage", "Any stage", [])
        self.policy = _combo("Filter by policy", "Any policy", [])
        for combo in (self.status, self.pathway, self.stage, self.policy):
            bar.addWidget(combo)
            combo.currentIndexChanged.connect(self._apply)
        self.clear_button = named(QPushButton("Show &all"), "Show all escalations")
        self.clear_button.setToolTip("Clear the search, the filters and the count chosen above.")
        self.clear_button.clicked.connect(self.clear_filters)
        bar.addWidget(self.clear_button)
        return bar

    def _table(self, model: EscalationTableModel) -> QTableView:
        table = named(
            QTableView(),
            "Escalations",
            "Sorted by next deadline. Press Enter or double-click to open an escalation.",
        )
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.sortByColumn(DEADLINE_COLUMN, Qt.SortOrder.AscendingOrder)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The long texts share what is left, so the deadline and status stay in view.
        for column in (PATHWAY_COLUMN, STAGE_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        # Fitting a column to its contents looks at the rows in view, not all 10,000
        # (it was a tenth of the start-up time; the columns can be widened by hand).
        header.setResizeContentsPrecision(0)
        table.activated.connect(self._activated)
        # A filter, not a QTableView subclass: every call Qt makes into the table
        # (hundreds in the first paint) would ask Python whether it is overridden.
        self._row_chooser = _ChooseTheKeyboardsRow(table)
        table.installEventFilter(self._row_chooser)
        return table

    # Data -------------------------------------------------------------------------------

    def set_library(self, library: PolicyLibrary) -> None:
        most = max((len(p.stages) for pol in library.all() for p in pol.pathways), default=1)
        for combo, choices in (
            (self.stage, [(f"Stage {n}", n) for n in range(1, most + 1)]),
            (self.policy, [(p.partnership, p.id) for p in library.by_name()]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:  # keep "Any …"
                combo.removeItem(1)
            for label, value in choices:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.blockSignals(False)

    def set_rows(
        self,
        rows: Sequence[DashboardRow],
        short_names: Mapping[str, str] | None = None,
        total: int | None = None,
    ) -> None:
        """``total``: how many escalations there are, when ``rows`` is only the first
        screenful of them in deadline order (``shows_first_page``); the rest are asked
        for with ``rows_wanted`` as soon as anything needs them."""
        if short_names is not None:
            self.short_names = dict(short_names)
        before = self.table.currentIndex()
        kept = before.data(ROW_ROLE) if before.isValid() else None
        # Chosen again if it was chosen (asked before the reset, which clears it), or
        # if the list has the focus, where Enter opens it: what is highlighted is what
        # Enter and "Open escalation" open.
        chosen = before.isValid() and self.table.selectionModel().isSelected(before)
        self.model.set_rows(rows, total)
        if isinstance(kept, DashboardRow):
            chosen = chosen or self.table.hasFocus()
            self._keep_current(kept.row.ref, before.column(), chosen)
        self._fit_columns()
        self._update_summary()
        self.open_button.setEnabled(self.current_ref() is not None)

    def _keep_current(self, ref: str, column: int, chosen: bool) -> None:
        """The keyboard's place stays on the same escalation when the rows are read
        again (after unlocking, the whole list replaces the first screenful), and Enter
        still opens the row it would have opened; ``chosen``: selected as well."""
        row = self.model.row_of(ref)
        if row is not None:
            flags = QItemSelectionModel.SelectionFlag
            how = flags.ClearAndSelect | flags.Rows if chosen else flags.NoUpdate
            self.table.selectionModel().setCurrentIndex(self.model.index(row, column), how)

    def clear(self) -> None:
        """Forget every row and anything typed (a search may hold a child's name)."""
        self.set_rows([])
        self.clear_filters()

    # Filters ----------------------------------------------------------------------------

    def set_bucket(self, bucket: Bucket | None) -> None:
        self._bucket = bucket
        self._apply()

    def current_filter(self) -> ListFilter:
        return ListFilter(
            search=field_value(self.search),
            status=self.status.currentData(),
            pathway_kind=self.pathway.currentData(),
            stage_number=self.stage.currentData(),
            policy_id=self.policy.currentData(),
            bucket=self._bucket,
        )

    def clear_filters(self) -> None:
        for widget in (self.status, self.pathway, self.stage, self.policy):
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._bucket = None
        self._apply()

    def _apply(self) -> None:
        chosen = self.current_filter()
        self.model.set_filter(chosen)
        self._update_summary()
        self.filter_changed.emit(chosen)
        if self.search.text().strip() and self.current_ref() is None:
            # What Enter in the search box opens, highlighted, and Open can open it:
            # with one match showing, a greyed Open button read as "nothing found".
            self._select_first_row()

    def _select_first_row(self) -> None:
        if self.proxy_row_count() > 0:
            self.table.selectRow(0)  # the focus stays in the search box

    def _update_summary(self) -> None:
        total, shown = self.model.total, self.model.rowCount()
        chosen = self.model.list_filter
        parts = []
        if chosen.bucket is not None:
            parts.append(BUCKET_LABELS[chosen.bucket].lower())
        narrowed = any(
            w.currentIndex() > 0 for w in (self.status, self.pathway, self.stage, self.policy)
        )
        if narrowed:
            parts.append("filtered")
        if chosen.search.strip():
            parts.append("matching the search")
        if not total:
            text = "No escalations to show."
        elif parts:
            text = f"Showing {shown} of {count(total, 'escalation')}: {', '.join(parts)}."
        else:
            text = f"Showing all {count(total, 'escalation')}, soonest deadline first."
        self.summary.setText(text)
        self.clear_button.setEnabled(bool(parts))

    def _fit_columns(self) -> None:
        for column in range(self.model.columnCount()):
            if column not in (PATHWAY_COLUMN, STAGE_COLUMN):
                self.table.resizeColumnToContents(column)

    # Opening ----------------------------------------------------------------------------

    def current_ref(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        item = index.data(ROW_ROLE)
        return item.row.ref if isinstance(item, DashboardRow) else None

    @property
    def partial(self) -> bool:
        """True while only the first screenful of rows is held."""
        return self.model.partial

    def shows_first_page(self) -> bool:
        return self.model.shows_first_page()

    def visible_refs(self) -> list[str]:
        self.model.complete()
        out = []
        for row in range(self.model.rowCount()):
            item = self.model.index(row, 0).data(ROW_ROLE)
            if isinstance(item, DashboardRow):
                out.append(item.row.ref)
        return out

    def _activated(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, DashboardRow):
            self.open_requested.emit(item.row.ref)

    def _open_current(self) -> None:
        ref = self.current_ref()
        if ref is not None:
            self.open_requested.emit(ref)

    def _to_first_row(self) -> None:
        if self.proxy_row_count() == 0:
            return
        self._select_first_row()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_first_row(self) -> None:
        if self.proxy_row_count() == 0:
            return
        self._activated(self.table.model().index(0, 0))

    def proxy_row_count(self) -> int:
        """The rows the list shows now (after the search and the filters)."""
        return self.table.model().rowCount()

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()


class _ChooseTheKeyboardsRow(QObject):
    """Coming to the list, the row the keyboard's place is on (the first, if none yet)
    is chosen, so what is highlighted and "Open escalation" agree with what Enter
    opens. On the table itself, not its viewport, so painting the rows never calls
    into Python."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FocusIn or self._table.model().rowCount() == 0:
            return False
        if event.reason() == Qt.FocusReason.MouseFocusReason:  # type: ignore[attr-defined]
            return False  # the click chooses its own row; moving first would shift it
        selection = self._table.selectionModel()
        row = QItemSelectionModel.SelectionFlag.ClearAndSelect
        row |= QItemSelectionModel.SelectionFlag.Rows
        current = self._table.currentIndex()
        if not current.isValid():  # no place yet: Qt would put it on the first row
            selection.setCurrentIndex(self._table.model().index(0, 0), row)
        elif not selection.isSelected(current):
            selection.select(current, row)  # the place stays where it is
        return False
