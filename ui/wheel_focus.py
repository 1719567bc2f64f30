"""When a drop-down or number box takes the mouse wheel: one rule, for the application's
wheel filter (``ui.form_scrolling``) and the unlock page's member drop-down, which is
shown before that filter starts.

Having the keyboard focus is not enough. A window that opens with its focus in a
drop-down draws no focus frame there (Qt draws it only after a key has moved the
focus), so nothing shows that one wheel notch over it would change it: in the real
window, a notch changed the child in "A child's records" and the member on the unlock
page. So the field takes the wheel only once the person went to it: a click, Tab or
Shift+Tab, its Alt+letter, or a key pressed in it. The focus given by a window opening,
by a form placing its cursor, or by the lock giving it back does not count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QWidget

# A dynamic property on the field: True once the person went to it, while it keeps the
# focus.
TAKEN = "wheel_taken"


def _reasons() -> tuple[frozenset[object], frozenset[object]]:
    # Imported when first needed: Qt's namespace is not built before the locked window
    # is painted (tests/ui/test_startup_lean.py).
    from PySide6.QtCore import Qt

    reason = Qt.FocusReason
    deliberate = frozenset(
        {
            reason.MouseFocusReason,
            reason.TabFocusReason,
            reason.BacktabFocusReason,
            reason.ShortcutFocusReason,
        }
    )
    # The window losing and regaining the activation, or the drop-down's own list
    # opening, neither give nor take the person's choice.
    passing = frozenset({reason.ActiveWindowFocusReason, reason.PopupFocusReason})
    return deliberate, passing


def note(field: QWidget, event: QEvent) -> None:
    """Keep up ``field``'s mark from one of its events (any kind may be passed)."""
    from PySide6.QtCore import QEvent

    kind = event.type()
    if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
        deliberate, passing = _reasons()
        reason = event.reason()  # type: ignore[attr-defined]
        # QDialog sends its first field a FocusIn of Tab's reason before the window
        # is active, while the field has no focus yet: not the person's doing.
        if reason in passing or (kind == QEvent.Type.FocusIn and not field.hasFocus()):
            return
        if kind == QEvent.Type.FocusOut and _into_a_popup():
            return  # its own list opening (a second FocusOut, of no particular reason)
        field.setProperty(TAKEN, kind == QEvent.Type.FocusIn and reason in deliberate)
    elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) and field.hasFocus():
        field.setProperty(TAKEN, True)


def _into_a_popup() -> bool:
    """Whether a popup has the focus now: a drop-down's list, a calendar."""
    from PySide6.QtWidgets import QApplication

    return QApplication.activePopupWidget() is not None


def takes_wheel(field: QWidget) -> bool:
    """Whether a wheel over ``field`` should change its value."""
    return field.hasFocus() and bool(field.property(TAKEN))
