"""The document preview: pages shown from memory, printing to a PDF printer writes only
the file asked for, Save as PDF writes exactly the document."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.demo import create_demo
from app.policy import default_library
from app.services.documents import DocumentKind, generate_document
from app.services.escalations import list_escalations
from tests.plain_store import PlainStore
from ui.dialogs.pdf_preview import PdfPreviewDialog


@pytest.fixture(scope="module")
def confirmation(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    store = PlainStore(tmp_path_factory.mktemp("preview") / "demo.db")
    library = default_library()
    create_demo(store, library)
    ref = next(r.ref for r in list_escalations(store) if r.status == "resolved")
    doc = generate_document(
        store,
        library,
        DocumentKind.CONFIRMATION,
        ref,
        setting="St Aidan's",
        dsl="Ms H Okafor",
        actor="DSL",
    )
    return doc.pdf


def test_preview_shows_every_page(qtbot: QtBot, confirmation: bytes) -> None:
    dialog = PdfPreviewDialog("Written confirmation", confirmation, "ESC-confirmation.pdf")
    qtbot.addWidget(dialog)
    assert dialog.pages == len(PdfReader(io.BytesIO(confirmation)).pages) >= 2
    assert len(dialog.page_labels) == dialog.pages
    pixmap = dialog.page_labels[0].pixmap()
    assert pixmap.width() > 500 and pixmap.height() > pixmap.width()  # portrait A4


def test_printing_to_a_pdf_printer_writes_only_the_requested_file(
    qtbot: QtBot, confirmation: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp, out_dir = tmp_path / "temp", tmp_path / "out"
    temp.mkdir()
    out_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dialog = PdfPreviewDialog("Written confirmation", confirmation, "ESC-confirmation.pdf")
    qtbot.addWidget(dialog)
    before_cwd = set(os.listdir(os.getcwd()))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = out_dir / "printed.pdf"
    printer.setOutputFileName(str(target))
    dialog.print_to(printer)
    assert sorted(p.name for p in out_dir.iterdir()) == ["printed.pdf"]
    assert list(temp.iterdir()) == []
    assert set(os.listdir(os.getcwd())) == before_cwd
    assert len(PdfReader(target).pages) == dialog.pages


def test_save_as_writes_the_document_itself(
    qtbot: QtBot, confirmation: bytes, tmp_path: Path
) -> None:
    dialog = PdfPreviewDialog("Written confirmation", confirmation, "ESC-confirmation.pdf")
    qtbot.addWidget(dialog)
    dialog.save_to(tmp_path / "copy")
    assert (tmp_path / "copy.pdf").read_bytes() == confirmation
