"""One exception hook: a bug is logged without child data and shown in a dialog, and the
app keeps working; a known error is shown as its plain message, and not logged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import InputError
from tests.ui.conftest import find_top_level
from ui.errors import ExceptionHook
from ui.main_window import MainWindow


def _boxes() -> list[QMessageBox]:
    return [w for w in find_top_level(QMessageBox) if isinstance(w, QMessageBox)]


def _a_bug_holding_child_data() -> None:
    record = {"child": "Zoë Nguyễn", "dob": "12/05/2014"}
    raise ValueError(f"could not print the record for {record['child']}")


def test_a_bug_is_logged_without_child_data_and_shown(qtbot: QtBot, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "errors.log"
    hook = ExceptionHook(log, lambda: None)
    try:
        _a_bug_holding_child_data()
    except ValueError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    written = log.read_text(encoding="utf-8")
    assert "builtins.ValueError" in written
    assert "_a_bug_holding_child_data" in written  # where it happened
    assert "Zoë" not in written and "Nguy" not in written and "12/05/2014" not in written
    boxes = _boxes()
    assert len(boxes) == 1 and "Something unexpected went wrong" in boxes[0].text()
    assert str(log) in boxes[0].text()
    boxes[0].close()


def test_a_known_error_is_its_plain_message_and_not_logged(qtbot: QtBot, tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    hook = ExceptionHook(log, lambda: None)
    error = InputError("Choose the child this escalation is about.")
    hook(InputError, error, None)
    assert [b.text() for b in _boxes()] == ["Choose the child this escalation is about."]
    assert not log.exists()
    for box in _boxes():
        box.close()


def test_repeating_bugs_show_one_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    hook = ExceptionHook(log, lambda: None)
    for _ in range(3):
        try:
            _a_bug_holding_child_data()
        except ValueError:
            hook(*sys.exc_info())  # type: ignore[arg-type]
    assert len(_boxes()) == 1
    assert log.read_text(encoding="utf-8").count("builtins.ValueError") == 3
    for box in _boxes():
        box.close()


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_reaches_the_hook_and_the_app_carries_on(
    qtbot: QtBot, unlocked: MainWindow, tmp_path: Path
) -> None:
    log = tmp_path / "errors.log"
    hook = ExceptionHook(log, lambda: unlocked)
    hook.install()
    try:
        QTimer.singleShot(0, _a_bug_holding_child_data)
        qtbot.waitUntil(log.exists, timeout=2000)
    finally:
        hook.uninstall()
    assert sys.excepthook is not hook
    assert "Zoë" not in log.read_text(encoding="utf-8")
    assert any("Something unexpected" in b.text() for b in _boxes())
    # Still usable: the list refreshes and the screen locks.
    unlocked.refresh()
    assert unlocked.workspace.escalations.model.rowCount() > 0
    unlocked.lock()
    assert not unlocked.is_unlocked


def test_a_crash_report_from_last_time_is_offered_once(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.main import offer_crash_reports

    report = tmp_path / "crash-1.log"
    report.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    parent = QWidget()
    qtbot.addWidget(parent)
    assert offer_crash_reports(parent, []) is None
    box = offer_crash_reports(parent, [report])
    assert box is not None and box.isVisible()
    assert str(tmp_path) in box.text() and "no child's details" in box.text()
    box.accept()
    assert not report.exists()  # dismissed once: not offered again


def test_a_notice_has_the_information_icon_and_a_message_the_warning_one(
    qtbot: QtBot,
) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.errors import show_message, show_notice

    parent = QWidget()
    qtbot.addWidget(parent)
    notice = show_notice(parent, "Backed up", "Backed up to the stick.")
    warning = show_message(parent, "Escalation Tracker", "The disk is full.")
    assert notice.icon() == QMessageBox.Icon.Information and notice.isVisible()
    assert warning.icon() == QMessageBox.Icon.Warning and warning.isVisible()
    notice.accept()
    warning.accept()
