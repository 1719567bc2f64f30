"""A finished stage looks done, not redacted: a light bar marked "✓ Done" in the window
and in the PDFs (light grey in greyscale print), and Today is labelled at the top of the
timeline, where the eye meets it with the dates, as well as under the lanes."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from reportlab.graphics.shapes import Rect, String

from app.documents.timeline_drawing import timeline_drawing
from app.policy import Nation
from app.timeline import LaneState, layout_timeline
from tests.test_timeline import views
from ui.widgets.stage_timeline import StageTimeline

RAISED = date(2026, 11, 2)
TODAY = date(2026, 11, 20)
STAGES = views(
    "gloucestershire",
    RAISED,
    {1: RAISED, 2: date(2026, 11, 9), 3: date(2026, 11, 16)},
    {1: date(2026, 11, 9), 2: date(2026, 11, 16)},
)


def _grey(colour: QColor) -> float:
    """The colour's lightness as a greyscale printer shows it (0 black, 255 white)."""
    return 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()


def test_the_layout_marks_done_bars_and_puts_today_on_top() -> None:
    layout = layout_timeline(STAGES, today=TODAY, nation=Nation.ENGLAND)
    done = [lane for lane in layout.lanes if lane.state is LaneState.COMPLETED]
    assert [lane.bar_label for lane in done] == ["✓ Done", "✓ Done"]
    assert {lane.bar_label for lane in layout.lanes if lane not in done} == {""}
    today = next(m for m in layout.markers if m.kind == "today")
    assert today.at_top and today.label == "Today 20/11"
    assert layout.label_row > 0 and layout.axis_top > layout.label_row
    assert min(lane.y for lane in layout.lanes) >= layout.axis_top


def test_the_pdf_draws_done_bars_light_and_labelled_and_today_above_the_dates() -> None:
    layout = layout_timeline(STAGES, today=TODAY, nation=Nation.ENGLAND)
    drawing = timeline_drawing(layout)
    done = [lane for lane in layout.lanes if lane.state is LaneState.COMPLETED]
    bars = [
        shape
        for shape in drawing.contents
        if isinstance(shape, Rect) and shape.strokeColor is not None
    ]
    for lane in done:
        bar = next(b for b in bars if abs(b.x - lane.x0) < 0.01)
        red, green, blue = bar.fillColor.red, bar.fillColor.green, bar.fillColor.blue
        assert 0.299 * red + 0.587 * green + 0.114 * blue > 0.75  # prints light, not black
    strings = [s for s in drawing.contents if isinstance(s, String)]
    assert sum(s.text == "✓ Done" for s in strings) == len(done)
    todays = [s for s in strings if s.text == "Today 20/11"]
    dates = [s for s in strings if s.text == "16/11"]
    assert len(todays) == 2 and dates  # at the top and under the lanes
    assert max(s.y for s in todays) > max(s.y for s in dates)  # above the dates


def test_the_window_paints_done_bars_light_and_today_on_top(qtbot: QtBot) -> None:
    timeline = StageTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, timeline.sizeHint().height())
    timeline.set_stages(STAGES, today=TODAY, nation=Nation.ENGLAND)
    image: QImage = timeline.grab().toImage()
    layout = timeline.layout_now()
    for lane in layout.lanes:
        if lane.state is LaneState.COMPLETED:  # the bar's right part, clear of its words
            x, y = int(lane.x1 - 6), int(lane.y + lane.height / 2)
            assert _grey(image.pixelColor(x, y)) > 180, lane.title
    today = next(m for m in layout.markers if m.kind == "today")
    top_row = [
        _grey(image.pixelColor(x, y))
        for x in range(int(today.x) - 40, int(today.x) + 40)
        for y in range(int(layout.label_row))
    ]
    assert min(top_row) < 100  # words painted in the row above the dates
