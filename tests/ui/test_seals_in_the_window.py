"""Seals in the window: after every unlock the app says plainly when the file's history
no longer holds the seal this computer remembers (a restore through the app records
its own, so it is not reported); "Verify a printed document…" says which document a
seal belongs to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.services import security
from app.services.documents import DocumentKind, generate_document
from tests.insider import as_insider
from tests.ui.conftest import PASSPHRASE, find_top_level, open_team
from ui import jobs, unlock_flow
from ui.dialogs.verify_seal import VerifySealDialog
from ui.main_window import MainWindow

HISTORY = "The file's history has changed"


@pytest.fixture(autouse=True)
def check_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unlock_flow, "SEAL_CHECK_AFTER_MS", 0)


def _warnings() -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    return [w.windowTitle() for w in find_top_level(QMessageBox) if isinstance(w, QMessageBox)]


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.unlock(PASSPHRASE)
    assert window.is_unlocked
    qtbot.waitUntil(lambda: window.rest_loaded)
    qtbot.wait(50)  # the seal check, just after the rest


def test_a_rewritten_history_is_reported_at_every_unlock(
    qtbot: QtBot, window: MainWindow, data_file: Path
) -> None:
    _unlock(qtbot, window)
    assert HISTORY not in _warnings()  # first time: remembered
    window.lock()
    with open_team(data_file) as db, db.session() as session:
        as_insider(
            session,
            lambda s: s.execute(
                text("UPDATE record_version SET content = json_set(content, '$.summary', 'X')")
            ),
        )
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: HISTORY in _warnings())
    assert window.is_unlocked  # said, and the file still works


def test_a_restore_through_the_app_records_its_own_seal(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _unlock(qtbot, window)
    assert window.database is not None
    backup = security.back_up(window.database, tmp_path / "backup.etdb", actor="test")
    generate_document(  # the history moves on past the backup's seal
        window.database,
        window.session.library,
        DocumentKind.CHRONOLOGY,
        "ESC-2026-0001",
        setting="S",
        dsl="D",
        actor="test",
    )
    window.lock()  # remembers the seal after the document
    _unlock(qtbot, window)
    assert window.restore(backup, PASSPHRASE)
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=10_000)
    _unlock(qtbot, window)
    assert HISTORY not in _warnings()


def test_an_older_copy_put_in_place_by_hand_is_reported(
    qtbot: QtBot, window: MainWindow, data_file: Path, tmp_path: Path
) -> None:
    _unlock(qtbot, window)
    window.lock()
    shutil.copyfile(data_file, tmp_path / "older.etdb")
    _unlock(qtbot, window)
    assert window.database is not None
    generate_document(
        window.database,
        window.session.library,
        DocumentKind.CHRONOLOGY,
        "ESC-2026-0001",
        setting="S",
        dsl="D",
        actor="test",
    )
    window.lock()
    shutil.copyfile(tmp_path / "older.etdb", data_file)
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: HISTORY in _warnings())


def test_verify_a_printed_document(qtbot: QtBot, window: MainWindow) -> None:
    _unlock(qtbot, window)
    assert window.database is not None
    made = generate_document(
        window.database,
        window.session.library,
        DocumentKind.CHRONOLOGY,
        "ESC-2026-0001",
        setting="S",
        dsl="D",
        actor="Ms Hannah Okafor (DSL)",
    )
    dialog = window.show_verify_seal()
    assert isinstance(dialog, VerifySealDialog)
    qtbot.keyClicks(dialog.seal, made.seal.printed)
    assert dialog.verify()
    assert "Genuine" in dialog.answer.text() and "ESC-2026-0001" in dialog.answer.text()
    dialog.seal.setText("1 0123456789abcdef")
    dialog.verify()
    assert "No document of this file carries" in dialog.answer.text()
    dialog.seal.setText("not a seal")
    dialog.verify()
    assert "should be a number" in dialog.answer.text()
    window.lock()
    assert not window.main_actions.verify_seal.isVisible()  # needs an open file
