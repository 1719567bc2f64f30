"""One way to run a user action: a known error is its plain message and the app carries
on; a bug goes to the exception hook; long work runs off the GUI thread with progress."""

from __future__ import annotations

import sys
import threading
from types import TracebackType

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from app.errors import InputError, KnownError
from tests.ui.conftest import find_top_level
from ui import jobs
from ui.operations import Progress, run_op


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _refuse() -> None:
    raise InputError("The disk is full.")


def test_short_work_runs_under_the_wait_cursor_and_reports_its_result(parent: QWidget) -> None:
    cursors: list[Qt.CursorShape | None] = []
    got: list[int] = []

    def work() -> int:
        cursor = QGuiApplication.overrideCursor()
        cursors.append(cursor.shape() if cursor is not None else None)
        return 42

    assert run_op(parent, work, got.append)
    assert got == [42] and cursors == [Qt.CursorShape.WaitCursor]
    assert QGuiApplication.overrideCursor() is None
    assert run_op(parent, work, cursor=False)
    assert cursors[-1] is None


def test_a_known_error_is_its_plain_message_by_default(qtbot: QtBot, parent: QWidget) -> None:
    finished: list[bool] = []
    assert not run_op(
        parent, _refuse, lambda _r: pytest.fail(), on_finished=lambda: finished.append(True)
    )
    boxes = [b for b in find_top_level(QMessageBox) if isinstance(b, QMessageBox)]
    assert [b.text() for b in boxes] == ["The disk is full."]
    assert finished == [True]
    assert QGuiApplication.overrideCursor() is None
    for box in boxes:
        box.close()


def test_a_known_error_goes_to_on_failure_when_given(parent: QWidget) -> None:
    said: list[KnownError] = []
    assert not run_op(parent, _refuse, on_failure=said.append)
    assert [str(e) for e in said] == ["The disk is full."]
    assert find_top_level(QMessageBox) == []


def test_a_bug_in_short_work_propagates_and_the_cursor_is_restored(parent: QWidget) -> None:
    finished: list[bool] = []

    def bug() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        run_op(
            parent,
            bug,
            on_failure=lambda _e: pytest.fail(),
            on_finished=lambda: finished.append(True),
        )
    assert finished == [True]
    assert QGuiApplication.overrideCursor() is None


def test_long_work_runs_off_the_gui_thread_with_progress(qtbot: QtBot, parent: QWidget) -> None:
    threads: list[str] = []
    got: list[str] = []
    order: list[str] = []

    def work() -> str:
        threads.append(threading.current_thread().name)
        return "copied"

    def done(result: str) -> None:
        order.append("success")
        got.append(result)

    assert run_op(
        parent,
        work,
        done,
        on_finished=lambda: order.append("finished"),
        progress=Progress("Backing up", "Copying…"),
    )
    assert [p.windowTitle() for p in find_top_level(QProgressDialog)] == ["Backing up"]
    qtbot.waitUntil(lambda: not jobs.busy() and bool(got), timeout=10_000)
    assert threads and threads[0] != threading.main_thread().name
    assert got == ["copied"] and order == ["finished", "success"]
    assert find_top_level(QProgressDialog) == []


def test_a_bug_in_long_work_goes_to_the_hook(
    qtbot: QtBot, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[type[BaseException]] = []

    def hook(kind: type[BaseException], _exc: BaseException, _tb: TracebackType | None) -> None:
        hooked.append(kind)

    monkeypatch.setattr(sys, "excepthook", hook)

    def bug() -> None:
        raise ValueError("a bug")

    finished: list[bool] = []
    run_op(
        parent,
        bug,
        on_failure=lambda _e: pytest.fail(),
        on_finished=lambda: finished.append(True),
        progress=Progress("Restoring", "Restoring…"),
    )
    qtbot.waitUntil(lambda: bool(hooked), timeout=10_000)
    assert hooked == [ValueError] and finished == [True]
    assert find_top_level(QProgressDialog) == []


def test_a_known_error_in_long_work_goes_to_on_failure(qtbot: QtBot, parent: QWidget) -> None:
    said: list[str] = []
    run_op(
        parent,
        _refuse,
        on_failure=lambda e: said.append(str(e)),
        progress=Progress("Backing up", "…"),
    )
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == ["The disk is full."]
