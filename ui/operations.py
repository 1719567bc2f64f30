"""One way to run a user action, after Anki's ``aqt/operations``.

``run_op`` runs ``work`` and then calls ``on_success`` with what it returned. The one
error path: a ``KnownError`` (a refused save, a wrong passphrase, a full disk) goes to
``on_failure``, by default its plain message in a box over ``parent``, and the app
carries on; anything else is a bug for the one exception hook (``ui.errors``).

Short work runs on the GUI thread under the wait cursor; a bug there propagates, so the
caller's slot hands it to the hook (and a caller that must undo something, such as the
unlock that locks again, sees it). Long work (backup, restore) is given a ``Progress``:
it runs on a worker thread (``ui.jobs``) while a progress dialog shows, and its outcome
is reported back on the GUI thread, a bug straight to the hook.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from PySide6 import QtCore  # QtCore.Qt only inside functions: see ui.widgets.common.set_enum
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import KnownError
from ui import jobs
from ui.errors import show_known_error

T = TypeVar("T")
OnFailure = Callable[[KnownError], object]


@dataclass(frozen=True)
class Progress:
    """Run the work off the GUI thread, showing this while it runs."""

    title: str
    text: str


@contextmanager
def wait_cursor() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def run_op(
    parent: QWidget | None,
    work: Callable[[], T],
    on_success: Callable[[T], object] | None = None,
    *,
    on_failure: OnFailure | None = None,
    on_finished: Callable[[], object] | None = None,
    progress: Progress | None = None,
    cursor: bool = True,
) -> bool:
    """Run ``work``; False if it failed with a known error (in the background: True
    once started, the outcome comes later).

    ``on_finished`` runs first whatever the outcome, bugs included (to release what
    the work held). ``cursor=False`` for work that sets the wait cursor itself, or a
    preview recomputed as the DSL types."""
    failed = on_failure or partial(show_known_error, parent)
    if progress is not None:
        _in_background(parent, work, on_success, failed, on_finished, progress)
        return True
    error: KnownError | None = None
    try:
        with wait_cursor() if cursor else nullcontext():
            result = work()
    except KnownError as exc:
        error = exc
    finally:
        if on_finished is not None:
            on_finished()
    if error is not None:
        failed(error)
        return False
    if on_success is not None:
        on_success(result)
    return True


def _in_background(
    parent: QWidget | None,
    work: Callable[[], T],
    on_success: Callable[[T], object] | None,
    on_failure: OnFailure,
    on_finished: Callable[[], object] | None,
    progress: Progress,
) -> None:
    dialog = progress_dialog(parent, progress)

    def finish() -> None:
        dialog.close()
        if on_finished is not None:
            on_finished()

    def done(result: T) -> None:
        finish()
        if on_success is not None:
            on_success(result)

    def failed(exc: BaseException) -> None:
        finish()
        if isinstance(exc, KnownError):
            on_failure(exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    jobs.run_in_background(work, done, failed)


def progress_dialog(parent: QWidget | None, progress: Progress) -> QProgressDialog:
    dialog = QProgressDialog(progress.text, "", 0, 0, parent)  # 0..0: busy, no known end
    dialog.setWindowTitle(progress.title)
    dialog.setObjectName("progress")
    dialog.setAccessibleName(progress.title)
    dialog.setCancelButton(None)  # a half-made copy is never left, but nor is it stopped
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.show()
    return dialog
