"""Two kinds of error (docs/architecture.md).

- A ``KnownError`` (wrong passphrase, file in use, disk full, a field left empty) is the
  user's to fix: its plain message is shown and the app carries on.
- Anything else is a bug. The one exception hook (``sys.excepthook``) writes it to
  ``errors.log`` in the user data folder and shows a dialog; the app keeps running.

The log never holds child data: it records the exception's *type* and the code
locations it passed through (file, line, function, the source line), never the
exception's message, its arguments or any variable's value, because those are where a
child's name or a record's text would appear.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.errors import KnownError
from app.paths import bundle_root
from ui.widgets.common import set_enum

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

MAX_LOG_BYTES = 1_000_000


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon | None = None,
) -> QMessageBox:
    """A non-blocking message box (a warning unless ``icon`` says otherwise): the window
    behind it keeps working."""
    # Imported here: making QMessageBox's class and enums is start-up time the unlock page
    # does not need.
    from PySide6.QtWidgets import QMessageBox

    if icon is None:
        icon = QMessageBox.Icon.Warning
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    # The text may quote a child's name or a file's words: shown as text, never markup.
    set_enum(box, "textFormat", "PlainText")
    box.setAccessibleName(title)
    box.setAccessibleDescription(text)
    box.setObjectName("message")
    if parent is None:
        # Nothing else holds a parentless box: keep it until it is dismissed.
        _unparented.add(box)
        box.finished.connect(lambda _result: _unparented.discard(box))
    box.open()
    return box


_unparented: set[QMessageBox] = set()


def show_known_error(parent: QWidget | None, error: BaseException) -> QMessageBox:
    return show_message(parent, "Escalation Tracker", str(error))


def show_notice(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """``show_message`` with the information icon: something went as it should."""
    from PySide6.QtWidgets import QMessageBox

    return show_message(parent, title, text, QMessageBox.Icon.Information)


def _where(filename: str) -> str:
    root = str(bundle_root())
    return filename[len(root) + 1 :] if filename.startswith(root) else Path(filename).name


def describe_bug(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> str:
    """The log entry: when, the type, and the stack. No messages, no values."""
    lines = [f"{datetime.now():%d/%m/%Y %H:%M:%S} {exc_type.__module__}.{exc_type.__qualname__}"]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {_where(frame.filename)}:{frame.lineno} in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    cause = exc.__cause__ or exc.__context__ if exc is not None else None
    depth = 0
    while cause is not None and depth < 5:
        kind = type(cause)
        lines.append(f"  caused by {kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(cause.__traceback__):
            lines.append(f"    {_where(frame.filename)}:{frame.lineno} in {frame.name}")
        cause, depth = cause.__cause__ or cause.__context__, depth + 1
    return "\n".join(lines) + "\n"


class ExceptionHook:
    """Install with ``install()``; ``parent`` gives the window to show dialogs over."""

    def __init__(self, log_path: Path, parent: Callable[[], QWidget | None]) -> None:
        self.log_path = log_path
        self._parent = parent
        self._showing: QMessageBox | None = None
        self._previous = sys.excepthook

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        if isinstance(exc, KnownError):
            show_known_error(self._parent(), exc)
            return
        logged = self._log(describe_bug(exc_type, exc, tb))
        if self._showing is not None and self._showing.isVisible():
            return  # one dialog at a time: a repeating fault must not bury the window
        where = f"\n\nA note of it (without any child's details) is in:\n{self.log_path}"
        from PySide6.QtWidgets import QMessageBox

        self._showing = show_message(
            self._parent(),
            "Something went wrong",
            "Something unexpected went wrong in Escalation Tracker. What you were doing "
            "may not have finished; anything saved before it is safe. You can carry on."
            + (where if logged else ""),
            QMessageBox.Icon.Critical,
        )

    def _log(self, entry: str) -> bool:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            if self.log_path.exists() and self.log_path.stat().st_size > MAX_LOG_BYTES:
                self.log_path.replace(self.log_path.with_suffix(".old.log"))
            with self.log_path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            return False
        return True
