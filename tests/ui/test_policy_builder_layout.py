"""The policy builder's pages as laid out at 1366x768: no gap opens under a caption
(a short page was stretched to the tallest one's height, and the room went into its
rows: "When to use it" and "Outcomes reached together" stood far above their boxes)."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import settle
from tests.ui.policy_builder_steps import click, stage
from ui.dialogs.policy_builder import PolicyBuilder
from ui.widgets.policy_fields import Fields
from ui.widgets.policy_outline import Where

MOST = 24  # pixels between a caption and what it is the caption of


def _top(widget: QWidget, dialog: PolicyBuilder) -> int:
    return widget.mapTo(dialog, QPoint(0, 0)).y()


def caption_gaps(dialog: PolicyBuilder) -> Iterator[tuple[str, int]]:
    """(caption, gap) for each field's caption and each section's title on the page
    shown: the room between the caption's words and the top of its field (beside it or
    below it), or between a section's title and the first thing in it."""
    page = dialog.pages.currentWidget()
    for fields in page.findChildren(Fields):
        if not fields.isVisibleTo(page):
            continue
        for row in fields.rows.values():
            caption = fields.form.labelForField(row)
            if not isinstance(caption, QLabel) or not row.isVisibleTo(page):
                continue
            top, field = _top(caption, dialog), _top(row.field, dialog)
            words = caption.heightForWidth(caption.width())
            yield caption.text(), field - top - (words if field >= top + words else 0)
    for box in page.findChildren(QGroupBox):
        inside = [w for w in box.findChildren(QWidget) if w.isVisibleTo(page)]
        if box.isVisibleTo(page) and inside:
            title_end = _top(box, dialog) + QFontMetrics(box.font()).height()
            yield box.title(), min(_top(w, dialog) for w in inside) - title_end


def wide_gaps(dialog: PolicyBuilder) -> list[str]:
    settle()
    return [f"{caption!r}: {gap} px" for caption, gap in caption_gaps(dialog) if gap >= MOST]


def test_when_to_use_it_sits_on_its_box(qtbot: QtBot, builder: PolicyBuilder) -> None:
    builder.outline._select(Where("pathway", 0))
    names = [caption.replace("&", "") for caption, _gap in caption_gaps(builder)]
    assert "When to use it" in names
    assert wide_gaps(builder) == []


def test_outcomes_reached_together_sits_on_its_box(qtbot: QtBot, builder: PolicyBuilder) -> None:
    # The pathway page made the tallest: every other page used to be stretched to it.
    builder.outline._select(Where("pathway", 0))
    click(qtbot, builder, "Add a deadline")
    click(qtbot, builder, "Add a deadline")
    stage(builder, 4)
    click(qtbot, builder, "Add outcomes reached together")
    editor = builder.stage_page.together.editors[0]  # type: ignore[union-attr]
    assert editor.rows["outcomes"].isVisibleTo(builder)
    assert wide_gaps(builder) == []


def test_a_short_stage_page_has_no_gaps(qtbot: QtBot, builder: PolicyBuilder) -> None:
    stage(builder, 1)
    click(qtbot, builder, "Remove timescale 1")
    assert wide_gaps(builder) == []
    builder.outline._select(Where("policy"))
    assert wide_gaps(builder) == []
