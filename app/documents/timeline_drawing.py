"""The stage timeline as vector graphics for the PDFs, drawn from the same layout the
Qt widget paints (app.timeline), in greys and patterns that survive a mono printer."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from app.documents.fonts import BOLD, REGULAR, register_fonts
from app.documents.rich_text import label, text_width
from app.policy.stage_names import numbered
from app.timeline import LaneState, TimelineLayout

SHADE = colors.HexColor("#e6e6e6")
# Done: a light green that prints as a light grey, with a dark green outline and "✓ Done"
# on it. A solid black bar read as a redaction.
DONE = colors.HexColor("#cfe5c9")
DONE_EDGE = colors.HexColor("#2f5f2f")
CURRENT = colors.HexColor("#bdbdbd")
GRID = colors.HexColor("#c8c8c8")
# Each state's fill, outline, outline width and dashes: told apart without colour.
LANE_STYLES: dict[LaneState, tuple[colors.Color, colors.Color, float, list[float] | None]] = {
    LaneState.COMPLETED: (DONE, DONE_EDGE, 0.9, None),
    LaneState.CURRENT: (CURRENT, colors.black, 1.6, None),
    LaneState.SKIPPED: (colors.white, DONE, 0.5, [1, 2]),
    LaneState.PROJECTED: (colors.white, colors.black, 0.8, [3, 2]),
}
MARKER_DASHES: dict[str, list[float] | None] = {
    "today": None,
    "cap": [4, 2],
    "protect-by": [1, 1.5],
}


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _axis(drawing: Drawing, layout: TimelineLayout, top: float) -> None:
    """Shaded non-working days, then the day lines with their dates."""
    bottom = top - layout.height
    for shade in layout.shades:
        height = layout.height - layout.axis_top + 4
        drawing.add(
            Rect(shade.x0, bottom, shade.x1 - shade.x0, height, fillColor=SHADE, strokeColor=None)
        )
    for tick in layout.ticks:
        line_top = top - (layout.axis_top - 2)
        drawing.add(Line(tick.x, line_top, tick.x, bottom, strokeColor=GRID, strokeWidth=0.3))
        label_y = top - (layout.axis_top - 8)
        drawing.add(String(tick.x + 1, label_y, tick.label, fontName=REGULAR, fontSize=6.5))


def _lanes(drawing: Drawing, layout: TimelineLayout, top: float) -> None:
    """Each stage's title and status on the left, its bar, and OVERDUE after it."""
    for lane in layout.lanes:
        middle = lane.y + lane.height / 2
        title = numbered(lane.number, _fit(lane.title, 30))
        # Stage titles come from the policy file, so they go through the same fonts
        # as user text.
        drawing.add(label(2, top - (middle + 1), title, BOLD, 7))
        status = _fit(lane.status, 38)
        drawing.add(label(2, top - (middle + 9), status, REGULAR, 6.5))
        if lane.state not in LANE_STYLES:  # not needed: its words, and no bar
            continue
        rect = Rect(lane.x0, top - (lane.y + lane.height - 4), lane.x1 - lane.x0, lane.height - 8)
        fill, stroke, stroke_width, dash = LANE_STYLES[lane.state]
        rect.fillColor, rect.strokeColor, rect.strokeWidth = fill, stroke, stroke_width
        if dash:
            rect.strokeDashArray = list(dash)
        drawing.add(rect)
        words = lane.bar_label
        if words and text_width(words, BOLD, 6) + 6 <= lane.x1 - lane.x0:
            drawing.add(label(lane.x0 + 3, top - (middle + 2), words, BOLD, 6))
        if lane.overdue:
            overdue_y = top - (middle + 3)
            drawing.add(String(lane.x1 + 2, overdue_y, "OVERDUE", fontName=BOLD, fontSize=6.5))


def _markers(drawing: Drawing, layout: TimelineLayout, top: float) -> None:
    """Today, caps and the child-safety date: a line across the lanes, labelled below;
    Today labelled above the dates too, where it is looked for."""
    for marker in layout.markers:
        if marker.at_top:
            half = text_width(marker.label, BOLD, 6.5) / 2
            x = min(max(marker.x, layout.label_width + half), layout.width - half)
            drawing.add(label(x, top - (layout.label_row - 3), marker.label, BOLD, 6.5, "middle"))
        today = marker.kind == "today"
        line = Line(
            marker.x,
            top - (layout.axis_top - 4),
            marker.x,
            top - (layout.height + 2),
            strokeColor=colors.black,
            strokeWidth=1.2 if today else 0.9,
        )
        dash = MARKER_DASHES[marker.kind]
        if dash:
            line.strokeDashArray = list(dash)
        drawing.add(line)
        drawing.add(
            label(
                marker.x,
                top - (layout.height + 10),
                _fit(marker.label, 34),
                REGULAR,
                6,
                anchor="middle" if today else "end",
            )
        )


def timeline_drawing(layout: TimelineLayout) -> Drawing:
    """The layout measures down from its top; a drawing up from its bottom, so each
    height ``v`` is drawn at ``top - v``."""
    register_fonts()
    top = layout.height + 14  # room under the lanes for marker labels
    drawing = Drawing(layout.width, top, initialFontName=REGULAR)
    _axis(drawing, layout, top)
    _lanes(drawing, layout, top)
    _markers(drawing, layout, top)
    return drawing
