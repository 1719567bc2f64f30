"""The stage timeline, painted from app.timeline's layout.

All geometry comes from ``layout_timeline`` (shared with the PDFs); this widget only
paints it. State is shown by shape and words as well as colour — completed lanes a light
green marked "✓ Done" (not solid black, which read as a redaction), the current lane
with a heavy outline, projected lanes dashed, stages a closed escalation never reached
with no bar, "OVERDUE" in words — so it reads in greyscale and for colour-blind users.
Today is labelled above the dates as well as under the lanes. Tooltips give the rule
behind each date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.domain.views import StageView
from app.policy import Nation
from app.policy.stage_names import numbered
from app.timeline import Lane, LaneState, TimelineLayout, layout_timeline

LABEL_WIDTH = 260.0
LANE_HEIGHT = 34.0
# A stage's title wraps onto a second line in the label column (every lane grows when
# one needs it); beyond that it is cut with "…", and the lane's tooltip and the
# screen reader give it whole. More lines would make every lane as tall.
MOST_TITLE_LINES = 2
BAR_HEIGHT = LANE_HEIGHT - 10
MARKER_ROOM = 40.0  # below the lanes, for staggered marker labels
AXIS_HEIGHT = 30.0
# A finished stage: the same light green and dark edge as the PDFs (light grey in print).
DONE_FILL = QColor("#cfe5c9")
DONE_EDGE = QColor("#2f5f2f")
DONE_TEXT = QColor("#1d3b1d")


def wrap_title(title: str, metrics: QFontMetrics, width: int, most: int) -> list[str]:
    """``title`` in lines no wider than ``width``, broken between words; if it needs
    more than ``most`` lines, the last is cut with "…"."""
    lines: list[str] = []
    for word in title.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    if len(lines) > most:
        lines[most - 1] = " ".join(lines[most - 1 :]) + " …"
        del lines[most:]
    elide = Qt.TextElideMode.ElideRight  # a single word wider than the column
    return [
        line if metrics.horizontalAdvance(line) <= width else metrics.elidedText(line, elide, width)
        for line in lines
    ]


@dataclass(frozen=True)
class _Ink:
    """The palette's colours and the two fonts the timeline is painted with."""

    text: QColor
    base: QColor
    highlight: QColor
    small: QFont
    bold: QFont


class StageTimeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Stage timeline")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._stages: list[StageView] = []
        self._today = date.today()
        self._now: datetime | None = None
        self._nation = Nation.ENGLAND
        self._protect_by: date | None = None
        self._caps: list[tuple[date, str]] = []
        self._layout: TimelineLayout | None = None

    def set_stages(
        self,
        stages: list[StageView],
        *,
        today: date,
        nation: Nation,
        protect_by: date | None = None,
        caps: list[tuple[date, str]] | None = None,
        now: datetime | None = None,
        today_label: str = "Today",
    ) -> None:
        """``now``: the moment the current stage's standing is judged at (a deadline
        with a time is overdue from that minute); by default the start of ``today``.
        ``today_label``: what ``today`` is called on the axis (the builder's preview
        counts from the date it is raised on, which is not today)."""
        self._stages, self._today, self._nation = list(stages), today, nation
        self._now, self._today_label = now, today_label
        self._protect_by, self._caps = protect_by, list(caps or [])
        self._layout = None
        self.updateGeometry()
        self.setAccessibleDescription(
            "; ".join(lane.tooltip.replace("\n", ", ") for lane in self.layout_now().lanes)
        )
        self.update()

    def clear(self) -> None:
        self.set_stages([], today=self._today, nation=self._nation)

    def _fonts(self) -> tuple[QFont, QFont]:
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.85, 7.0))
        bold = QFont(self.font())
        bold.setBold(True)
        return small, bold

    def title_lines(self, number: int, title: str) -> list[str]:
        """A stage's title as painted in the label column, after its number unless the
        partnership's own title already starts with it ("Stage 2: …")."""
        _small, bold = self._fonts()
        width = int(LABEL_WIDTH - 10)
        return wrap_title(numbered(number, title), QFontMetrics(bold), width, MOST_TITLE_LINES)

    def lane_height(self) -> float:
        """Tall enough for the longest title's lines and the status line under them."""
        small, bold = self._fonts()
        lines = max((len(self.title_lines(s.number, s.title)) for s in self._stages), default=1)
        needed = lines * QFontMetrics(bold).height() + QFontMetrics(small).height() + 6
        return max(LANE_HEIGHT, float(needed))

    def layout_now(self) -> TimelineLayout:
        """The geometry for the current width (cached until resized or reset)."""
        width = float(max(self.width(), 480))
        if self._layout is None or self._layout.width != width:
            self._layout = layout_timeline(
                self._stages,
                today=self._today,
                now=self._now,
                nation=self._nation,
                protect_by=self._protect_by,
                caps=self._caps,
                width=width,
                label_width=LABEL_WIDTH,
                lane_height=self.lane_height(),
                axis_height=AXIS_HEIGHT,
                label_row=self.label_row(),
                today_label=self._today_label,
                tick_room=float(QFontMetrics(self._fonts()[0]).horizontalAdvance("00/00") + 8),
            )
        return self._layout

    def label_row(self) -> float:
        """The row above the dates where Today is labelled."""
        _small, bold = self._fonts()
        return float(QFontMetrics(bold).height() + 2)

    def sizeHint(self) -> QSize:
        lanes = max(len(self._stages), 1)
        above = self.label_row() + AXIS_HEIGHT
        return QSize(720, int(above + lanes * (self.lane_height() + 8) + MARKER_ROOM))

    def minimumSizeHint(self) -> QSize:
        return QSize(480, self.sizeHint().height())

    def resizeEvent(self, event: object) -> None:
        self._layout = None
        super().resizeEvent(event)  # type: ignore[arg-type]

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and self._stages:
            text = self._tooltip_at(
                event.position() if hasattr(event, "position") else QPointF(event.pos())
            )
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def _tooltip_at(self, point: QPointF) -> str:
        layout = self.layout_now()
        for lane in layout.lanes:
            if lane.y <= point.y() <= lane.y + lane.height:
                return lane.tooltip
        for shade in layout.shades:
            if shade.x0 <= point.x() <= shade.x1 and point.y() >= layout.axis_top:
                return f"{shade.day:%a %d/%m/%Y}: {shade.reason}"
        return ""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), base)
        if not self._stages:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No stages to show")
            return
        small, bold = self._fonts()
        ink = _Ink(text, base, palette.color(QPalette.ColorRole.Highlight), small, bold)
        layout = self.layout_now()
        self._paint_axis(painter, layout, ink)
        for lane in layout.lanes:
            self._paint_lane(painter, layout, lane, ink)
        self._paint_markers(painter, layout, ink)

    def _paint_axis(self, painter: QPainter, layout: TimelineLayout, ink: _Ink) -> None:
        """Non-working days shaded, and the date ticks along the top."""
        bottom = layout.height
        shade = QColor(ink.text)
        shade.setAlpha(28)
        for s in layout.shades:
            painter.fillRect(
                QRectF(s.x0, layout.axis_top - 4, s.x1 - s.x0, bottom - layout.axis_top + 4), shade
            )
        grid = QColor(ink.text)
        grid.setAlpha(60)
        painter.setFont(ink.small)
        for tick in layout.ticks:
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(tick.x, layout.axis_top - 6), QPointF(tick.x, bottom))
            painter.setPen(ink.text)
            painter.drawText(QPointF(tick.x + 2, layout.axis_top - 10), tick.label)

    def _paint_lane(self, painter: QPainter, layout: TimelineLayout, lane: Lane, ink: _Ink) -> None:
        """A stage: its title and where it stands on the left, its bar on the axis."""
        painter.setFont(ink.bold)
        painter.setPen(ink.text)
        line_height = painter.fontMetrics().height()
        y = lane.y + 2
        for line in self.title_lines(lane.number, lane.title):
            painter.drawText(
                QRectF(4, y, LABEL_WIDTH - 10, line_height), Qt.AlignmentFlag.AlignLeft, line
            )
            y += line_height
        painter.setFont(ink.small)
        status_rect = QRectF(4, y, LABEL_WIDTH - 10, lane.y + lane.height - y)
        status = ("⚠ " if lane.overdue else "") + lane.status
        painter.drawText(
            status_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, status
        )
        if lane.state is LaneState.NOT_NEEDED:
            return  # never reached: its words say so, and no bar suggests dates
        # The bar keeps its height in a lane made taller for a two-line title.
        top = lane.y + (lane.height - BAR_HEIGHT) / 2
        bar = QRectF(lane.x0, top, lane.x1 - lane.x0, BAR_HEIGHT)
        pen = QPen(ink.text, 1)
        if lane.state is LaneState.COMPLETED:
            painter.setBrush(DONE_FILL)
            pen = QPen(DONE_EDGE, 1.5)
        elif lane.state is LaneState.CURRENT:
            painter.setBrush(ink.highlight)
            pen.setWidthF(2.5)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen.setStyle(
                Qt.PenStyle.DashLine if lane.state is LaneState.PROJECTED else Qt.PenStyle.DotLine
            )
        painter.setPen(pen)
        painter.drawRect(bar)
        if lane.state is LaneState.COMPLETED and lane.due is not None:
            # A completed bar runs to the day it was done; a short tick keeps its
            # deadline in view, so "late" and "early" can be seen as well as read.
            due_x = layout.x_of(lane.due + timedelta(days=1))
            if abs(due_x - lane.x1) > 1:
                painter.setPen(QPen(DONE_EDGE if lane.x0 < due_x < lane.x1 else ink.text, 2))
                painter.drawLine(
                    QPointF(due_x, lane.y + 1), QPointF(due_x, lane.y + lane.height - 1)
                )
        self._paint_bar_label(painter, lane, bar, ink)  # over the deadline's tick
        if lane.overdue:
            painter.setFont(ink.bold)
            painter.setPen(ink.text)
            painter.drawText(QPointF(lane.x1 + 4, lane.y + lane.height / 2 + 4), "OVERDUE")

    def _paint_bar_label(self, painter: QPainter, lane: Lane, bar: QRectF, ink: _Ink) -> None:
        """ "✓ Done" on a finished bar, where it fits (its status says it in full)."""
        if not lane.bar_label:
            return
        painter.setFont(ink.small)
        if painter.fontMetrics().horizontalAdvance(lane.bar_label) + 8 > bar.width():
            return
        done = lane.state is LaneState.COMPLETED
        words = painter.fontMetrics().boundingRect(lane.bar_label)
        where = QRectF(bar.left() + 3, bar.center().y() - words.height() / 2, 0, words.height())
        where.setWidth(words.width() + 2)
        # On its own ground, so a deadline's tick across the bar never cuts a word.
        painter.fillRect(where, DONE_FILL if done else ink.base)
        painter.setPen(DONE_TEXT if done else ink.text)
        painter.drawText(where, Qt.AlignmentFlag.AlignCenter, lane.bar_label)

    def _paint_markers(self, painter: QPainter, layout: TimelineLayout, ink: _Ink) -> None:
        """Today, the caps and the protect-by date, as lines with labels below; Today
        labelled above the dates too, where it is looked for."""
        bottom = layout.height
        for marker in layout.markers:
            if marker.at_top:
                painter.setFont(ink.bold)
                painter.setPen(ink.text)
                width = painter.fontMetrics().horizontalAdvance(marker.label)
                x = min(max(marker.x - width / 2, LABEL_WIDTH), self.width() - width - 4)
                painter.drawText(QPointF(x, layout.label_row - 4), marker.label)
        painter.setFont(ink.small)
        for index, marker in enumerate(layout.markers):
            pen = QPen(ink.text, 2 if marker.kind == "today" else 1.5)
            if marker.kind == "cap":
                pen.setStyle(Qt.PenStyle.DashLine)
            elif marker.kind == "protect-by":
                pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(marker.x, layout.axis_top - 6), QPointF(marker.x, bottom + 2))
            painter.setPen(ink.text)
            y = bottom + 14 + 12 * index  # stagger labels so they never overlap
            width = painter.fontMetrics().horizontalAdvance(marker.label)
            x = min(max(marker.x - width / 2, LABEL_WIDTH), self.width() - width - 4)
            painter.drawText(QPointF(x, y), marker.label)
