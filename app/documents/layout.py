"""Page furniture and styles every document shares: A4, the OFFICIAL-SENSITIVE marking
in header and footer, "Page N of M", the document reference and when it was generated,
the record seal it was generated under (see ``sealed``), and accessible metadata (title,
author = the setting, subject, language en-GB, the full seal in the keywords)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.fonts import BOLD, REGULAR, register_fonts
from app.documents.rich_text import draw_string, paragraph, text_width
from app.documents.script_runs import plain
from app.domain.seal import Seal

MARKING = "OFFICIAL-SENSITIVE"
MARGIN = 18 * mm
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#9a9a9a")
PALE = colors.HexColor("#eeeeee")


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    reference: str  # e.g. "ESC-2026-0001 / confirmation"
    author: str  # the setting
    subject: str
    generated_at: datetime


# The seal every page's footer prints, like the marking: page furniture, set by the one
# caller that knows it (app/services/documents.py) around the rendering, so no document
# function passes it along. A document rendered outside ``sealed`` has none.
_SEAL: ContextVar[Seal | None] = ContextVar("seal", default=None)


@contextmanager
def sealed(seal: Seal) -> Iterator[None]:
    """Documents built inside carry ``seal`` in their footer and metadata."""
    token = _SEAL.set(seal)
    try:
        yield
    finally:
        _SEAL.reset(token)


class Styles:
    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle(
            "body",
            fontName=REGULAR,
            bulletFontName=REGULAR,
            fontSize=9.5,
            leading=13,
            textColor=INK,
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10.5)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=17, leading=21, spaceAfter=2 * mm
        )
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14)
        self.h2 = ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=5 * mm,
            spaceAfter=1.5 * mm,
        )
        self.label = ParagraphStyle("label", parent=base, fontName=BOLD, fontSize=9, leading=12)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=BOLD)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped (a name with & or < stays text), with line
    breaks kept, each script in a font that has it, shaped and in reading order
    (app.documents.rich_text)."""
    return paragraph(text, style)


def facts_table(rows: list[tuple[str, str]], styles: Styles, width: float) -> Table:
    """Label / value pairs, e.g. Child, Date of birth, Reference."""
    data = [[para(k, styles.label), para(v or "—", styles.body)] for k, v in rows]
    # splitInRow: a long value (a pasted page of notes) runs on to the next page; a row
    # taller than a page otherwise stops the whole document with a LayoutError.
    table = Table(data, colWidths=[45 * mm, width - 45 * mm], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _cell(text: str, style: ParagraphStyle, width: float) -> Any:
    """A plain string when DejaVu alone sets the text and it fits on one line (the table
    draws it directly), otherwise a wrapping paragraph. Wrapping every cell was most of
    a document's rendering time."""
    if "\n" in text or not plain(text):
        return para(text, style)
    fits = stringWidth(text, style.fontName, style.fontSize) <= width - 7
    return text if fits else para(text, style)


def grid_table(
    header: list[str], rows: list[list[str]], styles: Styles, widths: list[float]
) -> Table:
    """A table whose header row repeats on every page it runs onto."""
    data: list[list[Any]] = [
        [_cell(h, styles.cell_bold, w) for h, w in zip(header, widths, strict=True)]
    ]
    data += [[_cell(c, styles.cell, w) for c, w in zip(row, widths, strict=True)] for row in rows]
    # splitInRow: see facts_table; a long stage result or note may fill more than a page.
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                # For cells short enough to be plain strings (see _cell).
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), styles.cell.fontSize),
                ("LEADING", (0, 0), (-1, -1), styles.cell.leading),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), PALE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def signature_block(parties: list[tuple[str, str]], styles: Styles, width: float) -> Flowable:
    """A signature and date line for each party (name, role and agency)."""
    rows: list[list[Any]] = []
    for name, role in parties:
        rows.append(
            [
                para(f"{name}\n{role}", styles.body),
                para("Signature", styles.small),
                para("Date", styles.small),
            ]
        )
    table = Table(
        rows,
        colWidths=[width * 0.4, width * 0.38, width * 0.22],
        rowHeights=[18 * mm] * len(rows),
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEABOVE", (1, 0), (2, -1), 0, colors.white),
                ("LINEBELOW", (1, 0), (1, -1), 0.75, INK),
                ("LINEBELOW", (2, 0), (2, -1), 0.75, INK),
                ("RIGHTPADDING", (1, 0), (1, -1), 12),
            ]
        )
    )
    return KeepTogether([table])


def _numbered_canvas(meta: DocumentMeta, seal: Seal | None) -> type[Canvas]:
    """A canvas that holds each page until the end, so every page can say "of M"."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _furniture(self, number: int, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFillColor(INK)
            self.setFont(BOLD, 9)
            self.drawCentredString(width / 2, height - 10 * mm, MARKING)
            self.drawCentredString(width / 2, 8 * mm, MARKING)
            top = height - 10 * mm
            draw_string(self, MARGIN, top, meta.reference, REGULAR, 7.5)
            # The title shares the header line with the centred marking: shorten it
            # rather than let the two overlap.
            room = width / 2 - stringWidth(MARKING, BOLD, 9) / 2 - MARGIN - 8
            title = meta.title
            while text_width(title, REGULAR, 7.5) > room and len(title) > 4:
                title = title[:-2].rstrip() + "…"
            draw_string(self, width - MARGIN, top, title, REGULAR, 7.5, anchor="end")
            self.setFont(REGULAR, 7.5)
            self.drawString(MARGIN, 8 * mm, f"Generated {meta.generated_at:%d/%m/%Y %H:%M}")
            self.drawRightString(width - MARGIN, 8 * mm, f"Page {number} of {total}")
            if seal is not None:  # above the rule: the footer line has no room left
                self.drawRightString(width - MARGIN, 12.8 * mm, seal.printed)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
            self.line(MARGIN, 11.5 * mm, width - MARGIN, 11.5 * mm)
            self.restoreState()

    return NumberedCanvas


def content_width() -> float:
    return float(A4[0] - 2 * MARGIN)


def build_pdf(story: list[Flowable], meta: DocumentMeta) -> bytes:
    register_fonts()
    seal = _SEAL.get()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=17 * mm,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        creator="Escalation Tracker",
        lang="en-GB",
        keywords=[seal.keyword] if seal else [],
        # Otherwise every page declares Helvetica, a font that cannot show the names.
        initialFontName=REGULAR,
    )
    doc.build(story, canvasmaker=_numbered_canvas(meta, seal))
    return buffer.getvalue()


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)
