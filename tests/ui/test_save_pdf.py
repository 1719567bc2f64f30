"""Save as PDF starts in the folder last used, questions a folder a cloud service
synchronises (the copy is not encrypted), and says where it saved the file.

The file chooser is the platform's own dialog, so it is replaced here by a function
that records where it was opened and answers with a path, as a person choosing would.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from tests.ui.conftest import find_top_level
from ui import save_pdf
from ui.dialogs import pdf_preview
from ui.dialogs.pdf_preview import PdfPreviewDialog
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow
from ui.save_pdf import CloudAnswer

SUGGESTED = "ESC-2026-0001-confirmation.pdf"


def _one_page() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "Written confirmation")
    canvas.save()
    return out.getvalue()


PDF = _one_page()


class Chooser:
    """Stands in for the file chooser: each call takes the next answer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: Path | None) -> None:
        self.started_in: list[str] = []
        self._answers = list(answers)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self)

    def __call__(self, _parent: QWidget, _title: str, start: str, _filter: str) -> tuple[str, str]:
        self.started_in.append(start)
        answer = self._answers.pop(0)
        return (str(answer) if answer else "", "")


class _SaveAnyway:
    """The answer "Save" to the question before an unencrypted PDF is written (its own
    test is in tests/ui/test_keyboard.py)."""

    def exec(self) -> int:
        return 0

    def button(self, _which: object) -> str:
        return "save"

    def clickedButton(self) -> str:
        return "save"


@pytest.fixture(autouse=True)
def save_despite_the_encryption_warning(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pdf_preview, "unencrypted_warning", lambda _parent: _SaveAnyway())
    yield


def _preview(qtbot: QtBot, local: LocalSettings | None) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog("Written confirmation", PDF, SUGGESTED, folders=local)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _saved_notice() -> QMessageBox:
    boxes = [b for b in find_top_level(QMessageBox) if b.objectName() == "saved-as-pdf"]
    assert len(boxes) == 1
    box = boxes[0]
    assert isinstance(box, QMessageBox)
    return box


def test_save_starts_in_the_folder_last_used_and_says_where_it_saved(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = LocalSettings(tmp_path / "settings.ini")
    first, second = tmp_path / "Safeguarding", tmp_path / "Transfers"
    first.mkdir()
    second.mkdir()
    chooser = Chooser(monkeypatch, first / "copy", second / "again.pdf")

    dialog = _preview(qtbot, local)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # Nothing saved before: the suggested name, in the Documents folder (not wherever the
    # program was started from).
    assert chooser.started_in == [str(save_pdf.first_folder() / SUGGESTED)]
    assert (first / "copy.pdf").read_bytes() == PDF
    notice = _saved_notice()
    assert str(first / "copy.pdf") in notice.text()
    assert notice.textFormat() == Qt.TextFormat.PlainText
    notice.accept()

    # Remembered on this computer, for the next preview too (a new window, as after a
    # restart, reads it back).
    again = _preview(qtbot, LocalSettings(local.path))
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert chooser.started_in[1] == str(first / SUGGESTED)
    assert (second / "again.pdf").exists()
    assert LocalSettings(local.path).last_save_folder == second


def test_a_folder_a_cloud_service_synchronises_is_questioned(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud, school = tmp_path / "OneDrive - Riverside School", tmp_path / "Records"
    cloud.mkdir()
    school.mkdir()
    chooser = Chooser(monkeypatch, cloud / "copy.pdf", school / "copy.pdf")
    asked: list[tuple[str, Path]] = []

    def ask(_parent: QWidget, service: str, path: Path) -> CloudAnswer:
        asked.append((service, path))
        return CloudAnswer.CHOOSE_AGAIN

    monkeypatch.setattr(save_pdf, "ask_about_cloud", ask)
    dialog = _preview(qtbot, LocalSettings(tmp_path / "settings.ini"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == [("OneDrive", cloud / "copy.pdf")]
    assert chooser.started_in == [
        str(save_pdf.first_folder() / SUGGESTED),
        str(cloud / "copy.pdf"),
    ]  # chosen again
    assert list(cloud.iterdir()) == []
    assert (school / "copy.pdf").exists()


@pytest.mark.parametrize(
    ("answer", "saved"), [(CloudAnswer.SAVE_THERE, True), (CloudAnswer.CANCEL, False)]
)
def test_saving_there_anyway_or_not_at_all(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: CloudAnswer,
    saved: bool,
) -> None:
    cloud = tmp_path / "Dropbox"
    cloud.mkdir()
    Chooser(monkeypatch, cloud / "copy.pdf")
    monkeypatch.setattr(save_pdf, "ask_about_cloud", lambda *_args: answer)
    dialog = _preview(qtbot, None)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (cloud / "copy.pdf").exists() is saved


def test_the_cloud_question_says_why_in_plain_words(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox" / "<b>Zoe</b>"
    box = save_pdf.cloud_question(None, "Dropbox", folder / "copy.pdf")
    qtbot.addWidget(box)
    assert box.windowTitle() == "This folder is synchronised by Dropbox"
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert str(folder) in box.text() and "not encrypted" in box.text()
    default = box.defaultButton()
    assert default is not None and default.text() == "&Choose another folder"


def test_an_escalation_window_saves_where_the_main_window_last_did(
    unlocked: MainWindow, local: LocalSettings
) -> None:
    ref = unlocked.workspace.escalations.visible_refs()[0]
    view = unlocked.open_escalation(ref)
    assert view is not None and view.save_folders is local


def test_only_the_folder_is_judged_not_the_file_name(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Chooser(monkeypatch, tmp_path / "Box - meeting notes.pdf")
    monkeypatch.setattr(save_pdf, "ask_about_cloud", pytest.fail)
    dialog = _preview(qtbot, None)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "Box - meeting notes.pdf").exists()
