"""The recovery key, shown once (issue 23): after the first run, after an older file's
upgrade at its unlock, and when a DSL makes a new one; its printed sheet."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.policy import PolicyLibrary
from app.services import team
from app.services.settings import save_settings
from app.storage.datafile import create_data_file
from app.storage.recovery_key import new_recovery_key
from app.team.member import Member, Role
from tests.ui import keyboard
from tests.ui.conftest import DETAILS, PASSPHRASE, find_top_level
from tests.ui.test_first_run_and_unlock import _fill_first_run, _new_window
from tests.ui.test_team_window import open_window
from ui import jobs
from ui.dialogs import members as members_dialog
from ui.dialogs import recovery_key
from ui.dialogs.pdf_preview import to_qimage
from ui.dialogs.recovery_key import RecoveryKeyDialog
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow

NEW = "blue fox river lamp"


def _shown_key(qtbot: QtBot, window: MainWindow) -> RecoveryKeyDialog:
    dialog = window.unlocking.recovery_key_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _key_of(dialog: RecoveryKeyDialog) -> str:
    return "-".join(dialog.key_label.text().split())


def test_first_run_makes_the_dsl_the_first_member_and_shows_the_recovery_key_once(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    window = _new_window(qtbot, library, tmp_path)
    _fill_first_run(window, NEW, NEW)
    qtbot.mouseClick(window.first_run.create_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "data" / "new.etdb"
    assert window.is_unlocked
    assert team.members(path) == [Member("Mr Sam Ortiz", Role.DSL)]
    assert window.windowTitle().endswith("— Mr Sam Ortiz (DSL) — Escalation Tracker")

    dialog = _shown_key(qtbot, window)
    key = _key_of(dialog)
    assert len(key) == 47  # eight groups of five, shown in two lines of four
    assert len(dialog.key_label.text().splitlines()) == 2
    assert key not in QApplication.clipboard().text()  # never copied for the DSL
    assert keyboard.problems_of(qtbot, dialog) == []
    # Not closed before it is safe: Close greyed, Escape does nothing.
    assert not dialog.close_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.written.setFocus()
    qtbot.keyClick(dialog.written, Qt.Key.Key_Space)
    assert dialog.close_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.key_label.text() == ""  # not kept in the window
    window.close()
    # The key shown is the file's: it sets a new passphrase.
    team.recover(path, key, "Mr Sam Ortiz", "violet harbour cinnamon drum")
    with team.unlock(path, None, "violet harbour cinnamon drum").db as db:
        assert db.member == Member("Mr Sam Ortiz", Role.DSL)


def test_an_older_file_is_upgraded_at_its_unlock_and_its_recovery_key_shown(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path
) -> None:
    path = tmp_path / "old.etdb"
    with create_data_file(path, PASSPHRASE) as db:
        save_settings(db, DETAILS, library)
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = path
    window = open_window(qtbot, library, local)
    page = window.unlock_page
    # Today's page: no member to choose, no recovery key yet.
    assert not page.member_row.isVisible() and not page.forgotten.isVisible()
    assert QApplication.focusWidget() is page.passphrase
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert window.is_unlocked
    assert team.members(path) == [Member(DETAILS.dsl_name, Role.DSL)]
    assert window.windowTitle().endswith(f"— {DETAILS.dsl_name} (DSL) — Escalation Tracker")
    assert len(_key_of(_shown_key(qtbot, window))) == 47
    window.close()


def test_the_recovery_sheet_is_one_page_with_the_setting_the_date_and_the_key(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from app import clock
    from app.documents.pages import page_count, render_pages

    key = new_recovery_key()
    dialog = RecoveryKeyDialog(key, "Riverside Primary School")
    qtbot.addWidget(dialog)
    dialog.show()
    # Only in the test: the printer writes a PDF in the test's own folder, to read back.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "sheet.pdf"))
    assert dialog.print_to(printer)
    pdf = (tmp_path / "sheet.pdf").read_bytes()
    assert page_count(pdf) == 1
    text = _pdf_text(pdf)
    assert "Riverside Primary School" in text
    assert f"{clock.today():%d/%m/%Y}" in text
    for group in key.split("-"):
        assert group in text
    assert "python -m app recover --data-file PATH --member NAME" in text
    assert "Forgotten your passphrase?" in text and "Recover access" in text
    image = to_qimage(next(render_pages(pdf, 60)))
    assert image.save(str(tmp_path / "sheet.png"))
    pictures = os.environ.get("ET_TEAM_PNGS")
    if pictures:  # to look at by hand
        shutil.copy(tmp_path / "sheet.png", Path(pictures) / "recovery-sheet.png")


def _pdf_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        text = str(page.get_textpage().get_text_range())
    finally:
        document.close()
    return " ".join(text.split())


class _FilePrintDialog:
    """A print dialog where "Print to file" was chosen."""

    def __init__(self, printer: QPrinter, _parent: QWidget, folder: Path) -> None:
        self.printer = printer
        printer.setOutputFileName(str(folder / "sheet.pdf"))

    def setWindowTitle(self, _title: str) -> None:
        pass

    def setOption(self, *_args: object) -> None:
        pass

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted


def test_the_sheet_is_never_printed_to_a_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        recovery_key,
        "QPrintDialog",
        lambda printer, parent: _FilePrintDialog(printer, parent, tmp_path),
    )
    dialog = RecoveryKeyDialog(new_recovery_key(), "Riverside Primary School")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "sheet.pdf").exists()
    boxes = [b for b in find_top_level(QMessageBox) if isinstance(b, QMessageBox)]
    assert any("paper only" in box.text() for box in boxes)
    for box in boxes:
        box.close()


def test_a_dsl_makes_a_new_recovery_key_and_it_is_shown_once(
    qtbot: QtBot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch, data_file: Path
) -> None:
    monkeypatch.setattr(members_dialog, "ask", lambda *_args: True)
    dialog = unlocked.show_team()
    assert isinstance(dialog, members_dialog.MembersDialog)
    qtbot.mouseClick(dialog.recovery_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: unlocked.unlocking.recovery_key_dialog is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not jobs.busy())
    shown = _shown_key(qtbot, unlocked)
    key = _key_of(shown)
    assert shown.parent() is dialog  # over the team's window, not behind it
    unlocked.close()
    team.recover(data_file, key, DETAILS.dsl_name, "violet harbour cinnamon drum")
