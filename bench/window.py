"""Opening an escalation window, against a bare window holding the same widgets.

The app's side opens a window as ``MainWindow.open_escalation`` does: the escalation
view's constructor (which reads the escalation and fills every widget), then show. The
baseline is a plain window of the same kinds and numbers of widgets — labels, stage
table, tabs of rich text, the stage timeline, group boxes and buttons — filled from
plain Python values copied from the window the app has just shown: the same text, the
same fonts, the same visibility, the same size. So the ratio is what reading the
escalation and working out what to show costs over Qt's own cost for the same screen.

Each side is timed until its window is shown and painted (``bench.onscreen.painted``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.data import PASSPHRASE
from bench.onscreen import discard, painted, quiet_offscreen
from bench.timing import summary, timed

WINDOW_RUNS = 50
WARM_RUNS = 3


@dataclass
class Label:
    text: str
    word_wrap: bool
    font: Any  # QFont
    style: str
    visible: bool


@dataclass
class Button:
    text: str
    visible: bool
    enabled: bool
    tooltip: str


@dataclass
class Contents:
    """What a shown escalation window holds, as plain values."""

    size: tuple[int, int]
    labels: list[Label] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    tabs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    modes: list[Any] = field(default_factory=list)  # the header's section resize modes
    cells: list[list[tuple[str, bool, str]]] = field(default_factory=list)
    browsers: list[str] = field(default_factory=list)
    timeline: dict[str, Any] = field(default_factory=dict)


def open_view(store: Any, library: Any, settings: Any, ref: str) -> Any:
    """As ``MainWindow.open_escalation`` opens a window, less its list of open windows.
    The escalation view's constructor is the only ui entry point used."""
    from ui.escalation.view import EscalationView

    view = EscalationView(store, library, settings, ref)
    if view.detail is None:
        raise RuntimeError(f"{ref} could not be read")
    view.show()
    view.raise_()
    view.activateWindow()
    return view


def harvest(window: Any, timeline: dict[str, Any]) -> Contents:
    """Every widget's content, found by kind so that no layout detail of the view is
    assumed. ``timeline``: the arguments the view gave its stage timeline."""
    from PySide6.QtWidgets import (
        QGroupBox,
        QLabel,
        QPushButton,
        QTableWidget,
        QTabWidget,
        QTextBrowser,
    )

    found = Contents(size=(window.width(), window.height()), timeline=timeline)
    for label in window.findChildren(QLabel):
        found.labels.append(
            Label(
                label.text(),
                label.wordWrap(),
                label.font(),
                label.styleSheet(),
                label.isVisible(),
            )
        )
    for button in window.findChildren(QPushButton):
        found.buttons.append(
            Button(button.text(), button.isVisible(), button.isEnabled(), button.toolTip())
        )
    found.groups = [box.title() for box in window.findChildren(QGroupBox)]
    for tabs in window.findChildren(QTabWidget):
        found.tabs += [tabs.tabText(i) for i in range(tabs.count())]
    (table,) = window.findChildren(QTableWidget)
    header = table.horizontalHeader()
    found.headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    found.modes = [header.sectionResizeMode(c) for c in range(table.columnCount())]
    for row in range(table.rowCount()):
        items = [table.item(row, c) for c in range(table.columnCount())]
        found.cells.append([(i.text(), i.font().bold(), i.toolTip()) for i in items])
    # Qt's own HTML for the same document: it lays out to the same text.
    found.browsers = [b.toHtml() for b in window.findChildren(QTextBrowser)]
    return found


def _table(contents: Contents) -> Any:
    from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

    table = QTableWidget(len(contents.cells), len(contents.headers))
    table.setHorizontalHeaderLabels(contents.headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    for column, mode in enumerate(contents.modes):
        table.horizontalHeader().setSectionResizeMode(column, mode)
    for row, cells in enumerate(contents.cells):
        for column, (text, bold, tooltip) in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tooltip)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(row, column, item)
    table.resizeRowsToContents()
    return table


def _left_column(contents: Contents) -> Any:
    """Labels, the timeline and the tabs, in a scroll area as the view has them."""
    from PySide6.QtWidgets import (
        QLabel,
        QScrollArea,
        QTabWidget,
        QTextBrowser,
        QVBoxLayout,
        QWidget,
    )

    from ui.widgets.stage_timeline import StageTimeline

    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    main = QWidget()
    scroll.setWidget(main)
    column = QVBoxLayout(main)
    for found in contents.labels:
        label = QLabel(found.text)
        label.setWordWrap(found.word_wrap)
        label.setFont(found.font)
        label.setStyleSheet(found.style)
        label.setVisible(found.visible)
        column.addWidget(label)
    timeline = StageTimeline()
    timeline.set_stages(**contents.timeline)
    column.addWidget(timeline)
    tabs = QTabWidget()
    pages = [_table(contents)]
    for html in contents.browsers:
        browser = QTextBrowser()
        browser.setHtml(html)
        pages.append(browser)
    for page, title in zip(pages, contents.tabs, strict=False):
        tabs.addTab(page, title)
    column.addWidget(tabs, 1)
    return scroll


def bare_window(contents: Contents) -> Any:
    """The baseline: the same widgets, filled from ``contents``, shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

    window = QWidget(None, Qt.WindowType.Window)
    outer = QHBoxLayout(window)
    outer.addWidget(_left_column(contents), 1)
    right = QVBoxLayout()
    outer.addLayout(right)
    groups = [QGroupBox(title) for title in contents.groups]
    boxes = [QVBoxLayout(group) for group in groups]
    for group in groups:
        right.addWidget(group)
    for index, found in enumerate(contents.buttons):
        button = QPushButton(found.text)
        button.setEnabled(found.enabled)
        button.setToolTip(found.tooltip)
        button.setVisible(found.visible)
        boxes[index * len(boxes) // len(contents.buttons)].addWidget(button)
    right.addStretch(1)
    window.resize(*contents.size)
    window.show()
    return window


def _timeline_arguments(store: Any, ref: str) -> dict[str, Any]:
    """What the view gives its stage timeline, read again through the service."""
    from app import clock
    from app.policy import Nation
    from app.services.escalations import escalation_detail

    detail = escalation_detail(store, ref)
    return {
        "stages": detail.stages,
        "today": clock.today(),
        "nation": Nation(detail.row.nation),
        "protect_by": detail.protect_by,
        "caps": detail.caps,
    }


def _round(store: Any, library: Any, settings: Any, ref: str) -> tuple[float, float]:
    """One opening of ``ref`` and one of its baseline, filled with what it showed."""
    shown: list[Any] = []

    def app() -> None:
        shown.append(open_view(store, library, settings, ref))
        painted(shown[-1])

    took = timed(app)
    contents = harvest(shown[0], _timeline_arguments(store, ref))
    discard(shown[0])

    def baseline() -> None:
        shown.append(bare_window(contents))
        painted(shown[-1])

    base_took = timed(baseline)
    discard(shown[1])
    return took, base_took


def window_figure(path: Path) -> dict[str, float]:
    """p95 of opening an escalation window (``path``: the 5,000-escalation file) over
    WINDOW_RUNS escalations picked at random, each opened once, and of its baseline
    filled with the same content, timed in turn."""
    from app.policy import default_library
    from app.services import team
    from app.services.setting_details import get_settings
    from ui.main import application

    application([])
    library = default_library()
    db = team.unlock(path, None, PASSPHRASE).db  # a team's file (bench/data.py)
    try:
        with db.read() as connection:
            refs = [r for (r,) in connection.execute("SELECT ref FROM escalation ORDER BY id")]
        picked = random.Random(18).sample(refs, WARM_RUNS + WINDOW_RUNS)
        settings = get_settings(db)
        with quiet_offscreen():
            # The first openings import modules and load fonts: not counted.
            for ref in picked[:WARM_RUNS]:
                _round(db, library, settings, ref)
            rounds = [_round(db, library, settings, ref) for ref in picked[WARM_RUNS:]]
    finally:
        db.close()
    return summary([app for app, _ in rounds], [base for _, base in rounds])
