"""The keyboard's way through a window: where the focus lands when it opens, and the
order Tab takes (top to bottom, left to right, a dialog's own buttons last).

Qt's Tab order is the order widgets joined the window, which is not always the order
they are shown in: a form's Save and Cancel are made before the fields below them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# Fields that take what is typed. A tick box, a choice or a button is passed over when a
# form opens: a stray space would tick it, and the letters typed would go nowhere.
TYPING = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox)


def _tabbable(widget: QWidget, root: QWidget) -> bool:
    policy = widget.focusPolicy()
    return (
        policy & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and widget.isVisibleTo(root)
        and widget.isEnabled()
        and widget.focusProxy() is None
    )


def chain(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab stops at, in the order it takes them."""
    out: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget not in out:
        if root.isAncestorOf(widget) and _tabbable(widget, root):
            out.append(widget)
        widget = widget.nextInFocusChain()
    return out


def first_field(root: QWidget) -> QWidget | None:
    """The first field under ``root`` that takes typing (else its first control)."""
    stops = chain(root)
    typing = [w for w in stops if isinstance(w, TYPING) and not _read_only(w)]
    return (typing or stops or [None])[0]


def _read_only(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget.isReadOnly()
    return False


def put_last(widgets: Sequence[QWidget], after: QWidget) -> None:
    """Tab reaches ``widgets`` (in this order) after everything under ``after``."""
    stops = [w for w in chain(after) if w not in widgets]
    previous = stops[-1] if stops else None
    for widget in widgets:
        if previous is not None and widget is not previous:
            QWidget.setTabOrder(previous, widget)
        previous = widget


class KeyboardOrder(QObject):
    """Each time ``window`` is shown: its ``last`` widgets (a dialog's buttons) after
    the ``body``'s, and the focus in the body's first field."""

    def __init__(self, window: QWidget, body: QWidget, last: Sequence[QWidget]) -> None:
        super().__init__(window)
        self._body = body
        self._last = list(last)
        self._placed: QWidget | None = None  # until the window is first activated
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.arrange(first_focus=not watched.property(FOCUS_KEPT))
        elif event.type() == QEvent.Type.WindowActivate and self._placed is not None:
            # Activating the window gives the focus again, for the window's reason,
            # and Qt stops drawing where it is: in the real window the new-escalation
            # form opened with nothing showing the cursor was in Child. Drawn again
            # once that focus has been given.
            QTimer.singleShot(0, self, self._show_placed)
        return False

    def _show_placed(self) -> None:
        if self._placed is not None and self._placed.hasFocus():
            show_focus(self._placed)
        self._placed = None

    def arrange(self, first_focus: bool = True) -> None:
        put_last([w for w in self._last if w.isVisibleTo(self._body.window())], self._body)
        field = first_field(self._body) if first_focus else None
        if field is not None:
            place_cursor(field)
            self._placed = field


def place_cursor(field: QWidget) -> None:
    """The focus in ``field`` as a window opening gives it, drawn as Tab's would be,
    what it holds selected (typing replaces it). Not Tab's reason itself: a drop-down
    given that would take the wheel as though the person had gone to it
    (``ui.wheel_focus``)."""
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    show_focus(field)
    if isinstance(field, QComboBox) and field.lineEdit() is not None:
        field.lineEdit().selectAll()
    elif isinstance(field, QLineEdit | QAbstractSpinBox):
        field.selectAll()


def show_focus(field: QWidget) -> None:
    """Draw the focus frame on ``field``: Qt draws it only once a key has moved the
    focus in the window."""
    field.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    field.update()


def keep_keyboard_order(window: QWidget, body: QWidget, last: Sequence[QWidget] = ()) -> None:
    """See ``KeyboardOrder`` (it lives as long as the window)."""
    KeyboardOrder(window, body, last)


# A window shown again after the lock (ui/lock_keeper.py) keeps its focus: the first
# field's selected text would be replaced by the next key typed.
FOCUS_KEPT = "focus_kept_through_lock"


@contextmanager
def focus_kept(window: QWidget) -> Iterator[None]:
    """Show ``window`` inside this without ``KeyboardOrder`` moving its focus."""
    window.setProperty(FOCUS_KEPT, True)
    try:
        yield
    finally:
        window.setProperty(FOCUS_KEPT, None)


@dataclass
class KeptFocus:
    """A window's focus widget and, in a text field, the cursor and selection, as they
    were when the screen locked."""

    widget: QWidget
    anchor: int = 0
    position: int = 0
    cursor: QTextCursor | None = None  # a QTextCursor follows its document's edits

    @classmethod
    def of(cls, window: QWidget) -> KeptFocus | None:
        widget = window.focusWidget()
        if widget is None:
            return None
        if isinstance(widget, QLineEdit):
            position, start = widget.cursorPosition(), widget.selectionStart()
            if start < 0:  # nothing selected
                return cls(widget, position, position)
            end = start + len(widget.selectedText())
            return cls(widget, end if position == start else start, position)
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            return cls(widget, cursor=QTextCursor(widget.textCursor()))
        return cls(widget)

    def restore(self) -> None:
        """The focus back (given when its window is active), without selecting."""
        widget = self.widget
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.setSelection(self.anchor, self.position - self.anchor)
            if self.anchor == self.position:
                widget.setCursorPosition(self.position)
        elif isinstance(widget, QPlainTextEdit | QTextEdit) and self.cursor is not None:
            widget.setTextCursor(self.cursor)
