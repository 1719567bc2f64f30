"""The keyboard's way through a window: where the focus lands when it opens, and the
order Tab takes (top to bottom, left to right, a dialog's own buttons last).

Qt's Tab order is the order widgets joined the window, which is not always the order
they are shown in: a form's Save and Cancel are made before the fields below them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
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
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.arrange()
        return False

    def arrange(self) -> None:
        put_last([w for w in self._last if w.isVisibleTo(self._body.window())], self._body)
        field = first_field(self._body)
        if field is not None:
            field.setFocus(Qt.FocusReason.TabFocusReason)


def keep_keyboard_order(window: QWidget, body: QWidget, last: Sequence[QWidget] = ()) -> None:
    """See ``KeyboardOrder`` (it lives as long as the window)."""
    KeyboardOrder(window, body, last)
