"""The confirmation's preview, from asking for it to its first page on screen, against a
one-page ReportLab document rendered by PDFium and shown.

The app's side is what the escalation window's Confirmation button does, less the wait
cursor: ``generate_document`` (read the escalation, make the PDF, record its SHA-256 in
the audit trail and commit) and the preview dialog's constructor (which renders every
page with PDFium), then show. The baseline builds a one-page document in the same
embedded font (as the PDF figure's baseline does), renders it with PDFium at the size the
preview's first page has, and shows it in a bare dialog of the preview's size. The
window's refresh after the preview opens (so its chronology lists the document) is left
out: it is the window figure's work, and belongs to the escalation view, not the preview.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from bench.data import PASSPHRASE
from bench.onscreen import discard, painted, quiet_offscreen
from bench.timing import summary, timed

PREVIEW_RUNS = 41
SETTING, DSL = "St Aidan's Primary School", "Ms Hannah Okafor"


def one_page_pdf(styles: Any) -> bytes:
    """One page in the confirmation's embedded font, both faces, so both are subset."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [
            Paragraph("Written confirmation", styles.title),
            Paragraph("Zoë Nguyễn — one page in the same embedded font.", styles.body),
        ]
    )
    return buffer.getvalue()


def open_preview(store: Any, library: Any, ref: str) -> Any:
    """As the escalation window's Confirmation button opens the preview. The preview
    dialog's constructor is the only ui entry point used."""
    from app.services.documents import DocumentKind, generate_document
    from ui.dialogs.pdf_preview import PdfPreviewDialog

    generated = generate_document(
        store,
        library,
        DocumentKind.CONFIRMATION,
        ref,
        setting=SETTING,
        dsl=DSL,
        actor=f"{DSL} (DSL)",
    )
    preview = PdfPreviewDialog(generated.title, generated.pdf, generated.suggested_name)
    preview.show()
    return preview


def bare_preview(pdf: bytes, scale: float, size: tuple[int, int]) -> Any:
    """The baseline: ``pdf``'s first page rendered by PDFium at ``scale`` and shown in a
    dialog of ``size``, in a scroll area as the preview shows its pages."""
    import pypdfium2 as pdfium
    from PySide6.QtGui import QImage, QPixmap
    from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout

    document = pdfium.PdfDocument(pdf)
    page = document[0]
    bitmap = page.render(scale=scale, rev_byteorder=True)
    image = QImage(
        bytes(bitmap.buffer),
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGB888,
    ).copy()
    bitmap.close()
    page.close()
    document.close()
    label = QLabel()
    label.setPixmap(QPixmap.fromImage(image))
    scroll = QScrollArea()
    scroll.setWidget(label)
    dialog = QDialog()
    QVBoxLayout(dialog).addWidget(scroll)
    dialog.resize(*size)
    dialog.show()
    return dialog


def _demo(work: Path) -> tuple[Any, Any, str]:
    """The demonstration file, and a resolved escalation in it (it has an outcome)."""
    from app.demo import create_demo
    from app.policy import default_library
    from app.services.escalations import list_escalations
    from app.storage.datafile import create_data_file

    library = default_library()
    db = create_data_file(work / "preview.etdb", PASSPHRASE)
    create_demo(db, library)
    ref = next(r.ref for r in list_escalations(db) if r.status == "resolved")
    return db, library, ref


def _shown_page(dialog: Any) -> tuple[float, tuple[int, int]]:
    """The PDFium scale of the preview's first page (found as the first label holding a
    picture; the documents are A4) and the dialog's size."""
    from PySide6.QtWidgets import QLabel
    from reportlab.lib.pagesizes import A4

    page = next(label for label in dialog.findChildren(QLabel) if not label.pixmap().isNull())
    return page.pixmap().width() / A4[0], (dialog.width(), dialog.height())


def _on_screen(show: Any) -> float:
    """Milliseconds from calling ``show`` to its window painted; the window is then
    closed, untimed."""
    shown: list[Any] = []

    def run() -> None:
        shown.append(show())
        painted(shown[0])

    took = timed(run)
    discard(shown[0])
    return took


def preview_figure(work: Path) -> dict[str, float]:
    """Medians (the target, as for the PDF figure) and p95s of PREVIEW_RUNS previews
    and baselines, timed in turn."""
    from app.documents.fonts import register_fonts
    from app.documents.layout import Styles
    from ui.main import application

    application([])
    db, library, ref = _demo(work)
    register_fonts()
    styles = Styles()
    try:
        with quiet_offscreen():
            first = open_preview(db, library, ref)  # warm: modules imported, fonts parsed
            painted(first)
            scale, size = _shown_page(first)
            discard(first)

            def app() -> Any:
                return open_preview(db, library, ref)

            def baseline() -> Any:
                return bare_preview(one_page_pdf(styles), scale, size)

            _on_screen(baseline)
            rounds = [(_on_screen(app), _on_screen(baseline)) for _ in range(PREVIEW_RUNS)]
    finally:
        db.close()
    return summary([a for a, _ in rounds], [b for _, b in rounds], by="p50")
