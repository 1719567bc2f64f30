"""Stage titles in the timeline are wrapped, not cut off, and given whole on hover and
to screen readers."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from app.domain.views import StageView
from app.policy import Nation, PolicyLibrary
from ui.widgets.stage_timeline import LABEL_WIDTH, StageTimeline, wrap_title

LONGEST = "Designated Safeguarding Lead and the receiving agency's line manager"


def _stage(number: int, title: str) -> StageView:
    return StageView(
        number=number,
        title=title,
        owner="",
        action="",
        started_at=datetime(2026, 11, 2, 9) if number == 1 else None,
        due=date(2026, 11, 9 + number),
        rule="5 working days",
        completed_at=None,
        result="",
        skipped=False,
        projected=number != 1,
    )


def test_shipped_stage_titles_wrap_onto_two_lines(qtbot: QtBot, library: PolicyLibrary) -> None:
    """Each is shown whole, or (only the longest, over 60 characters) as far as two
    lines go, ending in "…"; the next test shows its whole name is on hover and read
    out."""
    timeline = StageTimeline()
    qtbot.addWidget(timeline)
    titles = {
        stage.title
        for policy in library.all()
        for pathway in policy.pathways
        for stage in pathway.stages
    }
    assert LONGEST in titles
    cut = []
    for title in titles:
        lines = timeline.title_lines(4, title)
        assert len(lines) <= 2
        shown = " ".join(lines)
        if shown != f"4. {title}":
            assert shown.endswith("…")
            assert f"4. {title}".startswith(shown.removesuffix("…").rstrip())
            cut.append(title)
    assert all(len(title) > 60 for title in cut), cut
    assert len(timeline.title_lines(4, "Escalate to the next most senior managers")) == 2


def test_lanes_grow_for_a_long_title_and_it_is_on_hover_and_read_out(qtbot: QtBot) -> None:
    timeline = StageTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, 300)
    short = [_stage(1, "Discuss with the other worker"), _stage(2, "Escalate")]
    timeline.set_stages(short, today=date(2026, 11, 3), nation=Nation.ENGLAND)
    one_line = timeline.lane_height()
    timeline.set_stages(
        [*short, _stage(3, LONGEST)], today=date(2026, 11, 3), nation=Nation.ENGLAND
    )
    assert len(timeline.title_lines(3, LONGEST)) >= 2
    assert timeline.lane_height() > one_line  # room for every line it is wrapped into
    lane = timeline.layout_now().lanes[2]
    assert LONGEST in lane.tooltip  # shown when pointing at the lane
    assert LONGEST in timeline.accessibleDescription()
    timeline.show()
    qtbot.waitExposed(timeline)
    assert not timeline.grab().isNull()


def test_a_title_too_long_for_its_lines_ends_with_an_ellipsis() -> None:
    metrics = QFontMetrics(QFont())
    width = int(LABEL_WIDTH - 10)
    lines = wrap_title("word " * 80, metrics, width, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert len(wrap_title("Escalate", metrics, width, 2)) == 1
    assert all(metrics.horizontalAdvance(line) <= width for line in lines)


def test_a_title_that_names_its_own_stage_number_is_not_numbered_twice(qtbot: QtBot) -> None:
    """Darlington's "Stage 1: contact …" is painted as it is, not "1. Stage 1: …"; a
    title naming another number (Sefton's two steps of its Stage 1) keeps the lane's."""
    timeline = StageTimeline()
    qtbot.addWidget(timeline)
    own = timeline.title_lines(1, "Stage 1: contact the person")
    assert own == ["Stage 1: contact the person"]
    other = timeline.title_lines(2, "Stage 1: the receiving agency")
    assert other[0].startswith("2. Stage 1:")
    assert timeline.title_lines(3, "Escalate") == ["3. Escalate"]


def test_the_builders_preview_and_outline_number_darlingtons_stages_once(
    library: PolicyLibrary, qtbot: QtBot
) -> None:
    from datetime import date

    from app.domain.policy_preview import preview
    from app.policy import Nation
    from app.policy.draft import draft_from
    from ui.widgets.policy_outline import PolicyOutline, Where

    darlington = library.get("darlington")
    shown = preview(darlington.pathways[0], date(2026, 12, 7), nation=Nation.ENGLAND)
    assert shown.lines[0].startswith("Stage 1: contact the person")
    assert not any("Stage 1, Stage 1" in line for line in shown.lines)
    outline = PolicyOutline(draft_from(darlington))
    assert outline._label(Where("stage", 0, 0)).startswith("Stage 1: contact the person")
