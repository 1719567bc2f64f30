"""PDF pages as pixels, for the in-app preview and for printing, straight from the
bytes in memory: no file is written. PDFium (pypdfium2) does the rendering — QtPdf is
not in the current PySide6 wheels, and PDFium is a small, well-kept, offline renderer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    stride: int
    rgb: bytes  # 3 bytes a pixel, RGB order, ``stride`` bytes a row


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(
    pdf: bytes, dpi: float, first: int = 0, last: int | None = None
) -> Iterator[PageImage]:
    """Each page from ``first`` to ``last`` (inclusive) at ``dpi``, one at a time so a
    long document does not hold every page in memory."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        end = len(document) - 1 if last is None else min(last, len(document) - 1)
        for index in range(first, end + 1):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            yield PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
            bitmap.close()
            page.close()
    finally:
        document.close()


def pdf_keywords(pdf: bytes) -> str:
    """The Keywords of a PDF's metadata ("" if none); raises ValueError if ``pdf`` is not
    a PDF PDFium can read."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise ValueError(str(exc)) from None
    try:
        return str(document.get_metadata_dict().get("Keywords", ""))
    finally:
        document.close()
