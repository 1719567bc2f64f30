"""Can every control of a window be reached on the screen it opened on?

A control is reachable when its whole rectangle, mapped to global coordinates, lies
inside the screen's available area, or when it lies inside a ``QScrollArea`` that can
scroll to it (its bar on that axis is not switched off) and that scroll area's visible
part is itself reachable. A window must also be no larger than the available area and
able to shrink to it (its minimum size fits), since a real window manager would
otherwise push part of it off the edge.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabBar,
    QTextEdit,
    QWidget,
)

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QAbstractItemView,
    QTabBar,
)


def available() -> QRect:
    screen = QApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """The nearest scroll area whose scrolled content holds ``widget``."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            content = parent.widget()
            if content is widget or content.isAncestorOf(widget):
                return parent
        parent = parent.parentWidget()
    return None


def _part_of_another_control(widget: QWidget) -> bool:
    """A scroll bar, a header button or a combo box's own line edit belongs to the
    control around it, which is checked itself."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView | QTextEdit | QPlainTextEdit | QComboBox | QTabBar):
            return True
        if parent.isWindow():
            return False
        parent = parent.parentWidget()
    return False


def _scrolls_to(scroll: QScrollArea, widget: QWidget) -> str:
    """Why ``scroll`` cannot bring ``widget`` into view, or ""."""
    viewport = scroll.viewport()
    content = scroll.widget()
    inside = QRect(widget.mapTo(content, QPoint(0, 0)), widget.size())
    if not content.rect().contains(inside):
        return "outside its scroll area's content"
    if (
        content.width() > viewport.width()
        and scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    ):
        return "wider than its scroll area, which cannot scroll sideways"
    if (
        content.height() > viewport.height()
        and scroll.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    ):
        return "taller than its scroll area, which cannot scroll down"
    return ""


def unreachable(widget: QWidget, area: QRect) -> str:
    """Why ``widget`` cannot be brought on screen, or "" when it can."""
    scroll = _scroll_area_of(widget)
    if scroll is None:
        rect = global_rect(widget)
        return "" if area.contains(rect) else f"at {rect.getRect()}, outside {area.getRect()}"
    why = _scrolls_to(scroll, widget)
    if why:
        return why
    viewport = scroll.viewport()
    shown = global_rect(viewport)
    if viewport.width() < 40 or viewport.height() < 40:
        return f"its scroll area shows only {viewport.width()}x{viewport.height()} pixels"
    if not area.contains(shown):
        return f"its scroll area is at {shown.getRect()}, outside {area.getRect()}"
    return "" if _scroll_area_of(scroll) is None else unreachable(scroll, area)


def fully_shown(widget: QWidget) -> bool:
    """On screen now, nothing of it scrolled out of view or clipped."""
    shown = widget.visibleRegion().boundingRect()
    return shown.size() == widget.size() and available().contains(global_rect(widget))


def describe(widget: QWidget) -> str:
    text = widget.property("text") if widget.metaObject().indexOfProperty("text") >= 0 else ""
    name = widget.accessibleName() or (str(text) if isinstance(text, str) else "")
    return f"{type(widget).__name__} {name!r}"


def squeezed_text(window: QWidget) -> list[str]:
    """Each shown label that wraps but was laid out shorter than its lines need: its
    last lines are drawn over the row below (what a form showed after a row that had
    been hidden reappeared, until something was typed)."""
    found = []
    for label in window.findChildren(QLabel):
        if label.window() is not window or not label.isVisible() or not label.wordWrap():
            continue
        if not label.text():
            continue
        needed = label.heightForWidth(label.width())
        if label.height() < needed:
            found.append(
                f"{describe(label)} is {label.height()} pixels high, its text needs {needed}"
            )
    return found


def cut_buttons(window: QWidget) -> list[str]:
    """Each shown push button narrower than its words: the unlock page, laid out in a
    column of 70 characters, drew "gotten your passphra" for "Forgotten your
    passphrase?" when the three buttons under the passphrase shared one row."""
    found = []
    for button in window.findChildren(QPushButton):
        if button.window() is not window or not button.isVisible() or not button.text():
            continue
        needed = button.sizeHint().width()
        if button.width() < needed:
            found.append(
                f"{describe(button)} is {button.width()} pixels wide, its words need {needed}"
            )
    return found


def _in_a_pane(widget: QWidget) -> bool:
    """Inside one of a splitter's panes, which the app sizes when the window opens."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QSplitter):
            return True
        parent = parent.parentWidget()
    return False


def cut_headings(window: QWidget) -> list[str]:
    """Each group box whose title a scroll area's edge cuts through: the real window
    showed "Stages against the policy's deadlines" cut in half by the escalation
    window's upper pane. A title wholly in view, or wholly scrolled out, is right."""
    found = []
    for box in window.findChildren(QGroupBox):
        if box.window() is not window or not box.isVisible() or not box.title():
            continue
        if not _in_a_pane(box):
            continue  # in a form that scrolls, what is below the fold is cut by it
        title = QRect(0, 0, box.width(), box.fontMetrics().height())
        shown = box.visibleRegion().intersected(title).boundingRect()
        if not shown.isEmpty() and shown.height() < title.height():
            found.append(
                f"{describe(box)} {box.title()!r}: only {shown.height()} of its title's "
                f"{title.height()} pixels high are in view"
            )
    return found


def window_problems(window: QWidget, area: QRect | None = None) -> list[str]:
    """Every way ``window`` (shown, at the size the app gave it) does not fit ``area``."""
    area = area or available()
    title = window.windowTitle() or type(window).__name__
    problems: list[str] = []
    frame = window.frameGeometry()
    if frame.width() > area.width() or frame.height() > area.height():
        problems.append(f"{title}: {frame.width()}x{frame.height()} is larger than the screen")
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if least.width() > area.width() or least.height() > area.height():
        problems.append(
            f"{title}: cannot shrink below {least.width()}x{least.height()}, "
            f"larger than the screen's {area.width()}x{area.height()}"
        )
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible():
            continue
        if widget.window() is not window or _part_of_another_control(widget):
            continue
        why = unreachable(widget, area)
        if why:
            problems.append(f"{title}: {describe(widget)}: {why}")
    return problems
