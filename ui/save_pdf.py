"""Save as PDF: where the copy goes, a warning before a folder a cloud service
synchronises, and, once saved, where it is.

The copy is not encrypted (``ui.dialogs.pdf_preview`` says so first), which is why a
synchronised folder is questioned: saving there uploads it. The rule of which folders
those are is ``app.cloud_folders``; the folder last saved in is remembered on this
computer (``ui.local_settings``), never in the data file.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.cloud_folders import cloud_service
from ui.errors import show_notice


class SaveFolders(Protocol):
    """Where the last PDF was saved (``ui.local_settings.LocalSettings`` is one)."""

    @property
    def last_save_folder(self) -> Path | None: ...
    @last_save_folder.setter
    def last_save_folder(self, folder: Path) -> None: ...


class CloudAnswer(Enum):
    CHOOSE_AGAIN = "choose another folder"
    SAVE_THERE = "save there anyway"
    CANCEL = "cancel"


def with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def cloud_question(parent: QWidget | None, service: str, path: Path) -> QMessageBox:
    """The question asked before saving into a folder ``service`` synchronises."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"This folder is synchronised by {service}",
        f"The folder you chose, {path.parent}, is synchronised by {service}: everything "
        f"saved there is uploaded to {service} and may appear on other devices signed "
        "in to the same account.\n\n"
        "A saved PDF is not encrypted. Save it there only if your school keeps "
        f"safeguarding records in {service}; otherwise choose a folder on this computer "
        "or on the school's network.",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # a folder's name is not markup
    again = box.addButton("&Choose another folder", QMessageBox.ButtonRole.AcceptRole)
    there = box.addButton("&Save there anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    again.setAccessibleName("Choose another folder")
    there.setAccessibleName(f"Save in the {service} folder anyway")
    cancel.setAccessibleName("Cancel: do not save")
    box.setDefaultButton(again)
    box.setEscapeButton(cancel)
    box.setAccessibleName(box.windowTitle())
    box.setObjectName("cloud-folder-question")
    return box


def ask_about_cloud(parent: QWidget | None, service: str, path: Path) -> CloudAnswer:
    box = cloud_question(parent, service, path)
    box.exec()
    clicked = box.clickedButton()
    role = box.buttonRole(clicked) if clicked is not None else None
    if role is QMessageBox.ButtonRole.AcceptRole:
        return CloudAnswer.CHOOSE_AGAIN
    if role is QMessageBox.ButtonRole.DestructiveRole:
        return CloudAnswer.SAVE_THERE
    return CloudAnswer.CANCEL


def first_folder() -> Path:
    """Where the first save starts: the person's Documents folder, not wherever the
    program happened to be started from."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def choose_pdf_path(
    parent: QWidget | None, suggested: str, folders: SaveFolders | None
) -> Path | None:
    """The file to save to, starting in the folder last used; None if the DSL stopped."""
    last = folders.last_save_folder if folders is not None else None
    start = str((last or first_folder()) / suggested)
    while True:
        chosen, _ = QFileDialog.getSaveFileName(parent, "Save as PDF", start, "PDF files (*.pdf)")
        if not chosen:
            return None
        path = with_pdf_suffix(Path(chosen))
        service = cloud_service(path.parent)  # the folder, not the file's own name
        if service is None:
            return path
        answer = ask_about_cloud(parent, service, path)
        if answer is CloudAnswer.SAVE_THERE:
            return path
        if answer is CloudAnswer.CANCEL:
            return None
        start = str(path)  # where they were, to move on from


def tell_where_saved(parent: QWidget | None, path: Path) -> QMessageBox:
    box = show_notice(
        parent,
        "Saved as PDF",
        f"The PDF was saved as:\n{path.absolute()}\n\nIt is not encrypted: keep it where your "
        "school keeps safeguarding records.",
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setObjectName("saved-as-pdf")
    return box
