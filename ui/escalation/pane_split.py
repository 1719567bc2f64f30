"""How the escalation window first shares its height between where the escalation
stands (above) and its stages, chronology and details (below)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QGroupBox, QSplitter, QTableView, QTabWidget, QTextEdit, QWidget

# What the chronology tab, in the same pane, shows at least: ten lines of history.
CHRONOLOGY_LINES = 10


def first_split(
    splitter: QSplitter,
    top: QWidget,
    boxes: Sequence[QGroupBox],
    tabs: QTabWidget,
    table: QTableView,
    chronology: QTextEdit,
) -> None:
    """Where it stands gets what it needs up to half of the height, or more when the
    stage table needs less than the rest (a seven-stage timeline showed two and a half
    lanes above a table with a hundred pixels to spare). The pane never ends through a
    box's title: the real window cut "Stages against the policy's deadlines" in half
    when "What to do now" ran long; the pane then ends above that box."""
    total = sum(splitter.sizes())
    spare = total - _lower_needs(tabs, table, chronology)
    top_height = min(top.sizeHint().height() + 4, max(int(total * 0.5), spare))
    top.layout().activate()  # the boxes where they are at the pane's width
    for box in boxes:
        # The title and the frame's top edge, down to where the box's content starts.
        if box.y() < top_height < box.y() + box.contentsRect().top() + 4:
            top_height = box.y()
    top_height = max(top_height, splitter.widget(0).minimumHeight())
    splitter.setSizes([top_height, total - top_height])


def _lower_needs(tabs: QTabWidget, table: QTableView, chronology: QTextEdit) -> int:
    """The height that shows the tab bar and every row of the stage table, and at least
    ``CHRONOLOGY_LINES`` lines of the chronology, without scrolling."""
    model = table.model()
    rows = sum(table.rowHeight(row) for row in range(model.rowCount())) if model else 0
    stages = table.horizontalHeader().height() + rows + 2 * table.frameWidth()
    margin = 2 * int(chronology.document().documentMargin())
    history = CHRONOLOGY_LINES * chronology.fontMetrics().lineSpacing() + margin
    history += 2 * chronology.frameWidth()
    frame = 2 * tabs.style().pixelMetric(tabs.style().PixelMetric.PM_DefaultFrameWidth)
    return tabs.tabBar().sizeHint().height() + max(stages, history) + frame + 8
