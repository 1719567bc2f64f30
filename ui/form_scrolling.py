"""Scrolling a form, app-wide (made by ``ui.main.application``, so every window has it;
it starts filtering when the first form can appear: ``activate``): the mouse wheel
scrolls the form instead of changing a drop-down or number box the pointer happens to
pass over.

Qt's own behaviour is to hand the wheel to whatever is under the pointer, and a
QComboBox or QAbstractSpinBox (a date edit too) takes the wheel focus and changes its
value: one notch over "Policy" while scrolling the new-escalation form changed the
policy. Here such a field changes on the wheel only once the person went to it
(``ui.wheel_focus``: the keyboard focus alone is not enough); otherwise the event is
ignored and reported handled, and QApplication::notify passes an ignored wheel on to
the parent, so the scroll area round the form scrolls.

And the keyboard's way through a form: whenever the focus moves (Tab, a mnemonic such
as Alt+I, a problem's field focused), every scroll area round the focused field scrolls
it into view, so the cursor is never below the fold where it cannot be seen; and an
Alt+letter no shortcut took is dropped rather than typed (``ui.alt_letters``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from ui import alt_letters, wheel_focus

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

# The fields whose value the wheel changes.
WHEELED = (QComboBox, QAbstractSpinBox)
# Room left round a field scrolled into view (pixels): its frame and a little context.
MARGIN = 12


def _no_wheel_focus(widget: QWidget) -> None:
    """Qt gives a WheelFocus widget the focus *before* it delivers the wheel, which
    would make every field under the pointer "focused" and changed: StrongFocus (click
    and Tab) instead."""
    from PySide6.QtCore import Qt

    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class FormScrolling(QObject):
    """The application's event filter (see the module's docstring). Made with the
    application but installed only by ``install``, when the workspace is built (while
    the key is derived) or the first-run page is: a Python event filter costs every
    event a call into Python, and the first calls make PySide build the Qt namespace
    and ~150 wrapper types, which the locked window is shown without (see ``ui.idle``
    and tests/ui/test_startup_lean.py)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._installed = False

    def install(self) -> None:
        """Idempotent. Fields made before it are set as the Polish event would."""
        if self._installed:
            return
        from PySide6.QtCore import QEvent

        self._wheel = QEvent.Type.Wheel
        self._polish = QEvent.Type.Polish
        self._key_press = QEvent.Type.KeyPress
        # What ``ui.wheel_focus`` reads to tell a field the person went to.
        self._noted = frozenset(
            {
                QEvent.Type.FocusIn,
                QEvent.Type.FocusOut,
                QEvent.Type.MouseButtonPress,
                QEvent.Type.KeyPress,
            }
        )
        for widget in self._app.allWidgets():
            if isinstance(widget, WHEELED):
                _no_wheel_focus(widget)
        self._app.installEventFilter(self)
        self._app.focusChanged.connect(self._focus_changed)
        self._installed = True

    @property
    def installed(self) -> bool:
        return self._installed

    def uninstall(self) -> None:
        if self._installed:
            self._app.removeEventFilter(self)
            self._app.focusChanged.disconnect(self._focus_changed)
        self._installed = False

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None:
            show_in_scroll_areas(now)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == self._polish and isinstance(watched, WHEELED):
            _no_wheel_focus(watched)
        elif kind == self._key_press and alt_letters.is_stray(watched, event):  # type: ignore[arg-type]
            return True  # dropped: an Alt+letter no shortcut took is not typed
        elif kind in self._noted:
            field = _field_of(watched)
            if field is not None:
                wheel_focus.note(field, event)
        elif (
            kind == self._wheel
            and isinstance(watched, WHEELED)
            and not wheel_focus.takes_wheel(watched)
        ):
            event.ignore()  # an ignored wheel goes on to the parent: the form scrolls
            return True
        return False


def _field_of(watched: QObject) -> QWidget | None:
    """The drop-down or number box ``watched`` is, or whose line edit it is (an
    editable drop-down's or a date's text gets the keys and the clicks)."""
    if isinstance(watched, WHEELED):
        return watched
    parent = watched.parent()
    return parent if isinstance(watched, QWidget) and isinstance(parent, WHEELED) else None


def show_in_scroll_areas(widget: QWidget) -> None:
    """Scroll ``widget`` into view in each scroll area it is in, the nearest first."""
    # Imported here: QScrollArea's type brings Qt's namespace, which the locked window
    # is shown without (tests/ui/test_startup_lean.py).
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            parent.ensureWidgetVisible(widget, MARGIN, MARGIN)
        parent = parent.parentWidget()


def install_form_scrolling(app: QApplication) -> FormScrolling:
    """Once per application (a second call returns the first filter), not yet
    filtering: see ``activate``."""
    existing = app.findChild(FormScrolling)
    return existing if isinstance(existing, FormScrolling) else FormScrolling(app)


def activate() -> None:
    """Start the application's filter, if it has one (a test's QApplication, not made
    by ``ui.main.application``, has none unless the test installs it)."""
    app = QApplication.instance()
    guard = app.findChild(FormScrolling) if app is not None else None
    if isinstance(guard, FormScrolling):
        guard.install()
