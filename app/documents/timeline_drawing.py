"""The stage timeline as vector graphics for the PDFs, drawn from the same layout the
Qt widget paints (app.timeline), in greys and patterns that survive a mono printer."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from app.documents.fonts import BOLD, REGULAR, register_fonts
from app.timeline import LaneState, TimelineLayout

SHADE = colors.HexColor("#e6e6e6")
DONE = colors.HexColor("#4d4d4d")
CURRENT = colors.HexColor("#bdbdbd")


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline_drawing(layout: TimelineLayout) -> Drawing:
    register_fonts()
    top = layout.height + 14  # room under the lanes for marker labels
    drawing = Drawing(layout.width, top, initialFontName=REGULAR)

    def y(v: float) -> float:
        return top - v

    lanes_bottom = layout.height
    for shade in layout.shades:
        drawing.add(
            Rect(
                shade.x0,
                y(lanes_bottom),
                shade.x1 - shade.x0,
                lanes_bottom - layout.axis_top + 4,
                fillColor=SHADE,
                strokeColor=None,
            )
        )
    for tick in layout.ticks:
        drawing.add(
            Line(
                tick.x,
                y(layout.axis_top - 2),
                tick.x,
                y(lanes_bottom),
                strokeColor=colors.HexColor("#c8c8c8"),
                strokeWidth=0.3,
            )
        )
        drawing.add(
            String(tick.x + 1, y(layout.axis_top - 8), tick.label, fontName=REGULAR, fontSize=6.5)
        )
    for lane in layout.lanes:
        label = f"{lane.number}. {_fit(lane.title, 30)}"
        drawing.add(String(2, y(lane.y + lane.height / 2 + 1), label, fontName=BOLD, fontSize=7))
        drawing.add(
            String(
                2,
                y(lane.y + lane.height / 2 + 9),
                _fit(lane.status, 38),
                fontName=REGULAR,
                fontSize=6.5,
            )
        )
        rect = Rect(lane.x0, y(lane.y + lane.height - 4), lane.x1 - lane.x0, lane.height - 8)
        if lane.state is LaneState.COMPLETED:
            rect.fillColor, rect.strokeColor, rect.strokeWidth = DONE, colors.black, 0.5
        elif lane.state is LaneState.CURRENT:
            rect.fillColor, rect.strokeColor, rect.strokeWidth = CURRENT, colors.black, 1.6
        elif lane.state is LaneState.SKIPPED:
            rect.fillColor, rect.strokeColor, rect.strokeWidth = colors.white, DONE, 0.5
            rect.strokeDashArray = [1, 2]
        else:
            rect.fillColor, rect.strokeColor, rect.strokeWidth = colors.white, colors.black, 0.8
            rect.strokeDashArray = [3, 2]
        drawing.add(rect)
        if lane.overdue:
            drawing.add(
                String(
                    lane.x1 + 2,
                    y(lane.y + lane.height / 2 + 3),
                    "OVERDUE",
                    fontName=BOLD,
                    fontSize=6.5,
                )
            )
    for marker in layout.markers:
        dash = {"today": None, "cap": [4, 2], "protect-by": [1, 1.5]}[marker.kind]
        line = Line(
            marker.x,
            y(layout.axis_top - 4),
            marker.x,
            y(lanes_bottom + 2),
            strokeColor=colors.black,
            strokeWidth=1.2 if marker.kind == "today" else 0.9,
        )
        if dash:
            line.strokeDashArray = dash
        drawing.add(line)
        drawing.add(
            String(
                marker.x,
                y(lanes_bottom + 10),
                _fit(marker.label, 34),
                fontName=REGULAR,
                fontSize=6,
                textAnchor="middle" if marker.kind == "today" else "end",
            )
        )
    return drawing
