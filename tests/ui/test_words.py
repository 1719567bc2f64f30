"""Words and small things: the immediate-risk button reads as a whole instruction, a
count says "1 minute", and a pathway's summary gives its number of stages once."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from app.policy import PolicyLibrary
from ui.main_window import MainWindow

NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
STAGE_COUNT = re.compile(rf"\b(?:{'|'.join(NUMBERS)}|\d+) stages?\b", re.IGNORECASE)


# The immediate-risk button --------------------------------------------------------------


def test_the_risk_button_reads_as_a_whole_instruction(qtbot: QtBot, window: MainWindow) -> None:
    button = window.toolbar.widgetForAction(window.risk_action)
    assert isinstance(button, QToolButton)
    text = button.text().replace("&", "")
    # An instruction, not the start of a sentence: what to do, and that it says more.
    assert text.startswith("If a child is at immediate risk: call 999")
    assert "what to do" in text
    assert button.accessibleName() == text.rstrip("…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.risk_dialog is not None
    # The button's instruction is the first thing the guidance it opens says.
    assert "Call the police on 999." in window.risk_dialog.advice.text()


# Plurals --------------------------------------------------------------------------------


def test_the_idle_lock_says_1_minute(qtbot: QtBot, unlocked: MainWindow) -> None:
    dialog = unlocked.show_settings()
    assert dialog is not None
    spin = dialog.idle_minutes
    assert spin.text() == "5 minutes"
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "1")
    assert spin.value() == 1 and spin.text() == "1 minute"
    spin.selectAll()
    qtbot.keyClicks(spin, "12")
    assert spin.value() == 12 and spin.text() == "12 minutes"


# The pathway summary --------------------------------------------------------------------


def test_the_pathway_summary_gives_its_number_of_stages_once(
    qtbot: QtBot, unlocked: MainWindow, library: PolicyLibrary
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    assert form.policy.currentData() == "gloucestershire"
    text = form.pathway_summary.text()
    # Gloucestershire's own words say "Four stages": the form adds no "(4 stages.)".
    assert [m.group(0).lower() for m in STAGE_COUNT.finditer(text)] == ["four stages"]
    # A summary that does not say it is given the count once, in words.
    form.policy.setCurrentIndex(form.policy.findData("suffolk"))
    form.pathway.setCurrentIndex(form.pathway.findData("resolution"))
    text = form.pathway_summary.text()
    assert len(library.get("suffolk").pathway("resolution").stages) == 5
    assert text.endswith("This pathway has 5 stages.")
    assert len(STAGE_COUNT.findall(text)) == 1
    form.discard()


def test_every_shipped_summary_gives_the_right_number_of_stages_once(
    library: PolicyLibrary,
) -> None:
    from app.policy.pathway_summary import summary_with_stages

    for policy in library.all():
        for pathway in policy.pathways:
            text = summary_with_stages(pathway)
            found = STAGE_COUNT.findall(text)
            assert len(found) == 1, (policy.id, pathway.id, text)
            number = found[0].split()[0].lower()
            given = NUMBERS.index(number) + 1 if number in NUMBERS else int(number)
            assert given == len(pathway.stages), (policy.id, pathway.id, text)
