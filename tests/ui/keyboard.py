"""Reading a window as the keyboard meets it: the & mnemonics it offers, and the chain
that Tab walks through its controls, with the checks on both that every window and
dialog must pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

SLOP = 3  # pixels: a layout's rounding, not a different line


def mnemonic(text: str) -> str:
    """The key Alt opens ``text`` with ('' if none): the letter after a single &."""
    index = 0
    while (index := text.find("&", index)) >= 0 and index + 1 < len(text):
        if text[index + 1] != "&":
            return text[index + 1].lower()
        index += 2
    return ""


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisibleTo(window)


def _texts(window: QWidget) -> Iterable[tuple[str, str]]:
    """(what, text) for everything in ``window`` that takes an Alt+letter."""
    for widget in window.findChildren(QWidget):
        if not _shown(widget, window):
            continue
        if isinstance(widget, QAbstractButton):
            yield f"button {widget.accessibleName()!r}", widget.text()
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            yield f"label of {widget.buddy().accessibleName()!r}", widget.text()
        elif isinstance(widget, QGroupBox):
            yield f"group {widget.title()!r}", widget.title()
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    yield f"tab {widget.tabText(index)!r}", widget.tabText(index)
    if isinstance(window, QMainWindow) and window.menuBar().isVisibleTo(window):
        for action in window.menuBar().actions():
            if action.isVisible():
                yield f"menu {action.text()!r}", action.text()


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Each Alt+letter that more than one visible thing in ``window`` claims."""
    claims: dict[str, list[str]] = defaultdict(list)
    for what, text in _texts(window):
        key = mnemonic(text)
        if key:
            claims[key].append(what)
    return {key: whats for key, whats in claims.items() if len(whats) > 1}


def menu_clashes(window: QMainWindow) -> dict[str, list[str]]:
    """Within each of the menu bar's menus, the letters two of its items claim."""
    found: dict[str, list[str]] = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        claims: dict[str, list[str]] = defaultdict(list)
        for action in menu.actions():
            key = mnemonic(action.text())
            if key and action.isVisible():
                claims[key].append(action.text())
        found |= {f"{top.text()} {k}": v for k, v in claims.items() if len(v) > 1}
    return found


def save_keys(window: QWidget) -> list[str]:
    """The Alt+letter of every visible button that saves (empty string: it has none)."""
    return [
        mnemonic(widget.text())
        for widget in window.findChildren(QAbstractButton)
        if _shown(widget, window) and widget.text().replace("&", "").startswith("Save")
    ]


# The tab chain ------------------------------------------------------------------------


def tab_chain(qtbot: QtBot, start: QWidget, most: int = 120) -> list[QWidget]:
    """Every widget Tab stops at from ``start`` (given the focus) until it comes back."""
    window = start.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    chain = [start]
    for _ in range(most):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None and now.window() is window, f"Tab left the window at {now}"
        if now is start:
            return chain
        assert now not in chain, f"Tab went round without {describe(start)}: {names(chain)}"
        chain.append(now)
    raise AssertionError(f"Tab did not come back: {names(chain)}")


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.accessibleName()!r}"


def names(chain: Iterable[QWidget]) -> list[str]:
    return [describe(w) for w in chain]


def unnamed(chain: Iterable[QWidget]) -> list[str]:
    return [describe(w) for w in chain if not w.accessibleName().strip()]


def _region(widget: QWidget) -> QWidget:
    """Where a widget is placed: the page of the scroll area it is in, or its window
    (a scroll area's page moves as Tab scrolls it, its positions among themselves do
    not)."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent.parentWidget(), QWidget) and isinstance(
            parent.parentWidget().parentWidget(), QScrollArea
        ):
            return parent
        parent = parent.parentWidget()
    return widget.window()


def _rect(widget: QWidget, region: QWidget) -> QRect:
    return QRect(widget.mapTo(region, QPoint(0, 0)), widget.size())


def _after(a: QRect, b: QRect) -> bool:
    """b comes after a as English is read: on a later line, or further along this one."""
    if b.top() >= a.bottom() - SLOP:
        return True
    same_line = b.top() <= a.bottom() and a.top() <= b.bottom()
    return same_line and b.left() >= a.right() - SLOP


def order_problems(chain: list[QWidget]) -> list[str]:
    """Where the chain goes backwards: within each region top to bottom and left to
    right, each region visited once, and a dialog's own buttons last."""
    problems: list[str] = []
    regions = [_region(w) for w in chain]
    seen: list[QWidget] = []
    for widget, region in zip(chain, regions, strict=True):
        if seen and region is not seen[-1]:
            if region in seen:
                problems.append(f"{describe(widget)} returns to an earlier part of the window")
            seen.append(region)
        elif not seen:
            seen.append(region)
    for (a, ra), (b, rb) in zip(
        zip(chain, regions, strict=True), zip(chain[1:], regions[1:], strict=True), strict=False
    ):
        if ra is rb and not _after(_rect(a, ra), _rect(b, rb)):
            where = f"{_rect(a, ra).getCoords()} then {_rect(b, rb).getCoords()}"
            problems.append(
                f"{describe(b)} comes after {describe(a)} but is above or left of it ({where})"
            )
    boxes = [i for i, w in enumerate(chain) if isinstance(w.parentWidget(), QDialogButtonBox)]
    if boxes and boxes[-1] != len(chain) - 1:
        problems.append(f"the dialog's buttons are not last: {names(chain[boxes[0] :])}")
    if boxes and boxes != list(range(boxes[0], len(chain))):
        problems.append("the dialog's buttons are not together at the end")
    return problems


def settle() -> None:
    """Let the posted layout requests run (nested layouts take more than one round)."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def reading_position(widget: QWidget) -> QPoint:
    """Where a widget is in the window as read with every scroll area at its top."""
    region = _region(widget)
    if region is widget.window():
        return widget.mapTo(region, QPoint(0, 0))
    viewport = region.parentWidget()
    assert viewport is not None
    return viewport.mapTo(widget.window(), QPoint(0, 0)) + widget.mapTo(region, QPoint(0, 0))


def topmost(widgets: Iterable[QWidget]) -> QWidget:
    """The one a reader meets first: the highest, then the leftmost."""
    return min(widgets, key=lambda w: (reading_position(w).y(), reading_position(w).x()))


def dead_stops(chain: Iterable[QWidget]) -> list[str]:
    """Stops where typing goes nowhere: a scroll area holding the fields, itself."""
    return [describe(w) for w in chain if type(w) is QScrollArea]


def problems_of(qtbot: QtBot, window: QWidget, start: QWidget | None = None) -> list[str]:
    """Every keyboard problem with ``window`` as it is shown now (opened at 1366 x 768):
    clashing Alt keys, a Save without Alt+S, and a Tab chain out of reading order, with
    a stop that does nothing, a control without a name, or one Tab never reaches."""
    if not isinstance(window, QMessageBox):  # a message box keeps its own size
        window.resize(1366, 768)
        qtbot.waitUntil(lambda: window.width() == 1366)
    settle()
    title = window.windowTitle() or type(window).__name__
    found = [f"Alt+{k.upper()} is claimed by {w}" for k, w in clashes(window).items()]
    found += [f"a Save button's Alt key is {k!r}" for k in save_keys(window) if k != "s"]
    if isinstance(window, QMainWindow):
        found += [f"menu {k}: {w}" for k, w in menu_clashes(window).items()]
    stops = [
        w
        for w in window.findChildren(QWidget)
        if w.window() is window
        and w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
    ]
    walked = tab_chain(qtbot, start or topmost(stops))
    settle()  # a shown or hidden row is laid out by a posted event: read the result
    found += order_problems(walked)
    found += [f"Tab stops at {w}, where typing goes nowhere" for w in dead_stops(walked)]
    found += [f"no accessible name: {w}" for w in unnamed(walked)]
    found += [f"Tab never reaches {w}" for w in unreachable(window, walked)]
    return [f"{title}: {problem}" for problem in found]


def unreachable(window: QWidget, chain: list[QWidget]) -> list[str]:
    """Controls shown and enabled that take Tab focus but that Tab never reaches."""
    out = []
    for widget in window.findChildren(QWidget):
        tabbable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        if (
            tabbable
            and widget.isVisible()
            and widget.isEnabled()
            and widget.window() is window
            and widget.focusProxy() is None
            and widget not in chain
        ):
            out.append(describe(widget))
    return out
