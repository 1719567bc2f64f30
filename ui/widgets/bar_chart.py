"""A plain bar chart, painted: enough for a governor to see the shape of the figures
without a plotting stack. Counts are printed on the bars, so the chart reads without
colour and without guessing from the axis."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._data: dict[str, int] = {}
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_data(self, data: dict[str, int]) -> None:
        self._data = dict(data)
        self.setAccessibleDescription("; ".join(f"{k}: {v}" for k, v in data.items()))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 220)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ink = palette.color(QPalette.ColorRole.WindowText)
        bar = palette.color(QPalette.ColorRole.Highlight)
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(ink)
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, self._title)
        painter.setFont(self.font())
        if not self._data:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to show yet")
            return
        top, bottom = line * 2.2, self.height() - line * 1.6
        height = max(bottom - top, 10)
        highest = max(max(self._data.values()), 1)
        slot = self.width() / len(self._data)
        width = min(slot * 0.6, 60)
        for index, (label, value) in enumerate(self._data.items()):
            x = slot * index + (slot - width) / 2
            h = height * value / highest
            painter.fillRect(QRectF(x, bottom - h, width, h), bar)
            painter.setPen(ink)
            painter.drawRect(QRectF(x, bottom - h, width, h))
            painter.drawText(
                QRectF(x - 10, bottom - h - line, width + 20, line),
                Qt.AlignmentFlag.AlignHCenter,
                str(value),
            )
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(slot - 4))
            painter.drawText(
                QRectF(slot * index, bottom + 2, slot, line), Qt.AlignmentFlag.AlignHCenter, shown
            )
        painter.drawLine(0, int(bottom), self.width(), int(bottom))
