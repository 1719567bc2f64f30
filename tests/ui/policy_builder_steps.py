"""Driving the policy builder as a DSL does, shared by its tests: a field found by its
accessible name on the page shown, typed into key by key; the builder opened at
1366x768 (the ``builder`` fixture, which tests/ui/conftest.py offers every test); and
the four-stage Testshire policy typed in from a blank template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.policy.builder import blank_draft
from ui.dialogs.policy_builder import PolicyBuilder
from ui.widgets.policy_outline import Where

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "policy_builder" / "testshire.toml"


def shown(dialog: PolicyBuilder, name: str, nth: int = 0) -> QWidget:
    """The ``nth`` field (or button) on the page shown whose accessible name is ``name``."""
    page = dialog.pages.currentWidget()
    found = [
        w for w in page.findChildren(QWidget) if w.accessibleName() == name and w.isVisibleTo(page)
    ]
    assert len(found) > nth, f"no {name!r} (#{nth}) on the page: {len(found)} found"
    return found[nth]


def type_in(qtbot: QtBot, dialog: PolicyBuilder, name: str, text: str, nth: int = 0) -> None:
    field = shown(dialog, name, nth)
    assert isinstance(field, QLineEdit | QPlainTextEdit)
    field.setFocus()
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(field, Qt.Key.Key_Return)
        # QTest types Latin-1 only; a character beyond it ("…", "’") is sent as the key
        # event a keyboard layout or an input method sends, one key each.
        for run in re.findall(r"[\x00-\xff]+|[^\x00-\xff]", line):
            if run.isascii() or max(run) <= "\xff":
                qtbot.keyClicks(field, run)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, run)
                    QApplication.sendEvent(field, event)


def choose(dialog: PolicyBuilder, name: str, value: str, nth: int = 0) -> None:
    combo = shown(dialog, name, nth)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


def click(qtbot: QtBot, dialog: PolicyBuilder, name: str, nth: int = 0) -> None:
    button = shown(dialog, name, nth)
    assert isinstance(button, QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def builder(qtbot: QtBot) -> Iterator[PolicyBuilder]:
    saved: list[bool] = []
    dialog = PolicyBuilder(blank_draft(), lambda: saved.append(True))
    dialog.saved_calls = saved  # type: ignore[attr-defined]
    # Not qtbot.addWidget: pytest-qt closes the widgets it is given before any fixture
    # is torn down, so a test failing with something typed met "Discard what you
    # typed?", a modal question no timeout can cut short, and the run hung. Closed
    # here instead, with nothing left to ask about, whether the test passed or not.
    dialog.resize(1366, 768)
    dialog.show()
    try:
        qtbot.waitExposed(dialog)
        yield dialog
    finally:
        dialog.dirty = False
        dialog.close()
        dialog.deleteLater()


def stage(dialog: PolicyBuilder, number: int) -> None:
    dialog.outline._select(Where("stage", 0, number - 1))
    assert dialog.pages.currentWidget() is dialog.stage_page


def fill_policy(qtbot: QtBot, dialog: PolicyBuilder) -> None:
    type_in(qtbot, dialog, "Partnership", "Testshire Safeguarding Children Partnership")
    assert shown(dialog, "File name").property("text") == "testshire"  # offered from the name
    type_in(qtbot, dialog, "Short name", "TSCP")
    type_in(
        qtbot,
        dialog,
        "The document's words on a child at immediate risk",
        "If a child is at immediate risk, contact the police on 999.",
    )
    type_in(qtbot, dialog, "Areas of disagreement", "Thresholds\nPlans")
    type_in(qtbot, dialog, "Document title", "Resolving professional differences")
    type_in(qtbot, dialog, "Document date", "2024-05")
    type_in(qtbot, dialog, "Document version", "2")
    type_in(qtbot, dialog, "Web address", "https://example.org/testshire/resolving-differences")
    type_in(qtbot, dialog, "Read on", "2026-12-04")
    dialog.outline._select(Where("pathway", 0))
    type_in(qtbot, dialog, "Pathway title", "Resolving professional differences")
    type_in(
        qtbot,
        dialog,
        "When to use this pathway",
        "Use when you disagree with another agency about a child's safety.",
    )


def fill_stage(qtbot: QtBot, dialog: PolicyBuilder, number: int, owner: str, action: str) -> None:
    stage(dialog, number)
    type_in(qtbot, dialog, "Who is responsible", owner)
    type_in(qtbot, dialog, "What to do", action)


def timescale(
    qtbot: QtBot, dialog: PolicyBuilder, nth: int, unit: str, amount: str, text: str
) -> None:
    choose(dialog, "How it is counted", unit, nth)
    if amount:
        type_in(qtbot, dialog, "Number", amount, nth)
    type_in(qtbot, dialog, "The document's words for this timescale", text, nth)


def fill_stages(qtbot: QtBot, dialog: PolicyBuilder) -> None:
    fill_stage(
        qtbot,
        dialog,
        1,
        "Practitioner raising the concern",
        "Discuss the concern with the other practitioner.",
    )
    timescale(qtbot, dialog, 0, "working_days", "5", "within 5 working days")
    fill_stage(qtbot, dialog, 2, "Line managers", "Line managers discuss the concern.")
    timescale(qtbot, dialog, 0, "working_days", "5", "within a further 5 working days")
    fill_stage(
        qtbot,
        dialog,
        3,
        "Designated Safeguarding Lead",
        "Refer it to both agencies' senior managers.",
    )
    timescale(qtbot, dialog, 0, "hours", "48", "within 24 to 48 hours")
    type_in(qtbot, dialog, "Range starts at", "24")
    click(qtbot, dialog, "Add a timescale")
    timescale(
        qtbot,
        dialog,
        1,
        "working_days",
        "15",
        "no longer than 15 working days from the concern being raised",
    )
    choose(dialog, "Runs from", "raised", 1)
    shown(dialog, "A limit on the whole process (shown as a marker)", 1).click()
    fill_stage(
        qtbot,
        dialog,
        4,
        "Partnership Business Manager",
        "Refer it to the partnership's Business Manager.",
    )
    type_in(
        qtbot,
        dialog,
        "Outcomes or determinations",
        "Mediation offered\nReferred to the case review group",
    )
    timescale(qtbot, dialog, 0, "none", "", "referred urgently")
    shown(dialog, "The document asks for it urgently but gives no time").click()
    click(qtbot, dialog, "Add someone to tell")
    type_in(qtbot, dialog, "Who must be told", "Partnership Business Manager")
    type_in(
        qtbot, dialog, "What they must be told or sent", "Send a written account of the dispute."
    )
    choose(dialog, "Form to print", "written-account")
