"""The Policies tab's list reads cleanly at 1366x768 and narrower: every entry's words
have room above and below them inside the entry (St Helens' three lines ran straight
into the entries beside it), a long name wraps within the entry's height at the list's
width, never cut off, and the whole name is in the entry's tooltip."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSplitter
from pytestqt.qtbot import QtBot

from app.policy import default_library
from tests.ui.keyboard import settle
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow

ROOM = 5  # pixels of nothing at least above and below an entry's words, inside it
ST_HELENS = (
    "St Helens Safeguarding Children Board (now St Helens Safeguarding Children Partnership)"
)


def _inked_rows(image: QImage, rect: QRect, base: QColor) -> list[int]:
    """The pixel rows inside ``rect`` with anything drawn on them but the background."""
    rows = []
    for y in range(max(rect.top(), 0), min(rect.bottom() + 1, image.height())):
        for x in range(rect.left() + 2, min(rect.right() - 2, image.width())):
            pixel = image.pixelColor(x, y)
            if abs(pixel.red() - base.red()) + abs(pixel.green() - base.green()) > 90:
                rows.append(y)
                break
    return rows


def cramped(view: QListWidget) -> list[str]:
    """The entries in sight whose words touch (or come within ROOM of) their edges."""
    view.setCurrentRow(-1)  # no highlight: only the words are drawn
    settle()
    image = view.viewport().grab().toImage()
    base = view.palette().base().color()
    out = []
    for row in range(view.count()):
        rect = view.visualItemRect(view.item(row))
        if rect.top() < 0 or rect.bottom() >= view.viewport().height():
            continue  # not wholly in sight
        inked = _inked_rows(image, rect, base)
        assert inked, f"nothing drawn for {view.item(row).text()!r}"
        above, below = inked[0] - rect.top(), rect.bottom() - inked[-1]
        if above < ROOM or below < ROOM:
            out.append(f"{view.item(row).text()!r}: {above} px above, {below} px below")
    return out


def cut_off(view: QListWidget) -> list[str]:
    """The entries too short for their name wrapped at the list's width, and a date."""
    metrics = QFontMetrics(view.font())
    width = view.viewport().width() - 12
    out = []
    for row in range(view.count()):
        item = view.item(row)
        name = item.text().split("\n")[0]
        wrapped = metrics.boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), name
        )
        needs = wrapped.height() + metrics.height()
        if view.visualItemRect(item).height() < needs:
            out.append(f"{name!r}: {view.visualItemRect(item).height()} px, needs {needs}")
    return out


def st_helens(view: QListWidget) -> QListWidgetItem:
    return next(
        view.item(r) for r in range(view.count()) if view.item(r).text().startswith(ST_HELENS)
    )


def test_each_policy_reads_cleanly_in_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = tmp_path / "none.etdb"
    window = MainWindow(default_library(), local)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    viewer = window.workspace.policies
    assert viewer is not None
    window.workspace.tabs.setCurrentWidget(viewer)
    view = viewer.policies
    item = st_helens(view)
    assert ST_HELENS in item.toolTip()  # the whole name, however the entry is drawn
    for list_width in (330, 230):  # as the window opens, and the splitter dragged left
        holder = view.parentWidget()
        splitter = holder.parentWidget() if holder is not None else None
        assert isinstance(splitter, QSplitter)
        splitter.setSizes([list_width, 1366 - list_width])
        qtbot.waitUntil(lambda: cut_off(view) == [], timeout=3000)
        view.scrollToItem(item)
        assert cramped(view) == [], list_width
        view.scrollToTop()
        assert cramped(view) == [], list_width
    assert view.horizontalScrollBar().maximum() == 0  # long names wrap, never run off
