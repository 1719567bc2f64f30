"""The recovery sheet, painted straight onto the printer (issue 23): one page for the
school safe with the setting's name, the date, the key and how to use it. Nothing is
written to disk: no PDF, no image (the key must exist only on paper and in the school
safe). Its words are ``app.team.recovery_words``'s; every text is drawn as text, never
markup."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from app.team.recovery_words import RecoverySheet

# Points, at the printer's resolution: a sheet read at arm's length in a safe.
TITLE_POINTS = 18
TEXT_POINTS = 11
KEY_POINTS = 22
MARGIN_MM = 20


def print_sheet(printer: QPrinter, sheet: RecoverySheet) -> bool:
    """Paint ``sheet`` on one page of ``printer``; False if the printer did not start."""
    printer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        _paint(painter, sheet, QRectF(painter.viewport()))
    finally:
        painter.end()
    return True


def _font(points: int, *, bold: bool = False, fixed: bool = False) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if fixed else QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


def _paint(painter: QPainter, sheet: RecoverySheet, page: QRectF) -> None:
    wrap = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
    top = page.top()

    def text(words: str, font: QFont, gap: float) -> None:
        nonlocal top
        painter.setFont(font)
        area = QRectF(page.left(), top, page.width(), page.bottom() - top)
        used = painter.boundingRect(area, wrap, words)
        painter.drawText(area, wrap, words)
        top = used.bottom() + gap * painter.fontMetrics().height()

    text(sheet.title, _font(TITLE_POINTS, bold=True), 0.8)
    for line in sheet.details:
        text(line, _font(TEXT_POINTS), 0.2)
    top += painter.fontMetrics().height()

    # The key in a ruled box, large and monospaced, each line centred.
    key_font = _font(KEY_POINTS, bold=True, fixed=True)
    painter.setFont(key_font)
    line_height = painter.fontMetrics().height() * 1.5
    box = QRectF(page.left(), top, page.width(), line_height * (len(sheet.key_lines) + 1))
    painter.setPen(QPen(Qt.GlobalColor.black, max(1.0, page.width() / 600)))
    painter.drawRect(box)
    for index, line in enumerate(sheet.key_lines):
        row = QRectF(box.left(), box.top() + line_height * (index + 0.5), box.width(), line_height)
        painter.drawText(row, int(Qt.AlignmentFlag.AlignCenter), line)
    top = box.bottom() + painter.fontMetrics().height()

    for paragraph in sheet.paragraphs:
        text(paragraph.text, _font(TEXT_POINTS, fixed=paragraph.command), 0.8)
