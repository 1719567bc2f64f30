"""The policy builder, driven through its widgets at 1366x768: a four-stage policy
typed key by key from a blank template, saved, and compared field by field with the
file written by hand (tests/fixtures/policy_builder/testshire.toml)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.paths import extra_policies_dir
from app.policy.builder import blank_draft
from tests.ui.keyboard import problems_of
from ui.dialogs.policy_builder import PolicyBuilder
from ui.main_window import MainWindow
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
        qtbot.keyClicks(field, line)


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
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.dirty = False  # closed by the test's end: no question over it


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


def differences(got: Any, want: Any, at: str = "") -> list[str]:
    """Field by field: each path where the saved file and the hand-written one differ."""
    if isinstance(want, dict) and isinstance(got, dict):
        out = [f"{at}.{k}: missing" for k in want if k not in got]
        out += [f"{at}.{k}: not expected" for k in got if k not in want]
        for key in want.keys() & got.keys():
            out += differences(got[key], want[key], f"{at}.{key}")
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in differences(g, w, f"{at}[{i}]")
        ]
    return [] if got == want else [f"{at}: {got!r}, expected {want!r}"]


def test_a_four_stage_policy_typed_in_and_saved(qtbot: QtBot, builder: PolicyBuilder) -> None:
    fill_policy(qtbot, builder)
    fill_stages(qtbot, builder)
    assert builder.found == [], builder.found
    assert "Ready to save" in builder.message.text()
    # The preview: 5 working days from Friday 18 December 2026, Christmas named.
    builder.preview.raised.setFocus()
    builder.preview.raised.edit.selectAll()
    qtbot.keyClicks(builder.preview.raised.edit, "18/12/2026")
    words = builder.preview.words.text()
    assert "Stage 1, Practitioners discuss it: due Tue 29/12/2026" in words
    assert "Christmas Day" in words
    click_save = builder.save_button
    qtbot.mouseClick(click_save, Qt.MouseButton.LeftButton)
    saved = extra_policies_dir() / "testshire.toml"
    assert saved.exists()
    assert builder.saved_calls == [True]  # type: ignore[attr-defined]
    assert not builder.dirty
    got = tomllib.loads(saved.read_text("utf-8"))
    want = tomllib.loads(EXPECTED.read_text("utf-8"))
    assert differences(got, want) == []


def test_problems_show_beside_the_field_typed_in(qtbot: QtBot, builder: PolicyBuilder) -> None:
    stage(builder, 1)
    owner = builder.stage_page.main.rows["owner"]  # type: ignore[union-attr]
    assert not owner.error.isVisibleTo(builder)  # nothing flagged before it is typed in
    choose(builder, "How it is counted", "none")
    type_in(qtbot, builder, "Number", "5")
    amount = builder.stage_page.timescales.editors[0].rows["amount"]  # type: ignore[union-attr]
    assert amount.error.isVisibleTo(builder)
    assert "\u201cNo fixed timescale\u201d has no number" in amount.error.text()
    quote = builder.stage_page.timescales.editors[0].rows["text"]  # type: ignore[union-attr]
    assert "Quote the document's words" in quote.error.text()
    assert builder.outline.tree.currentItem().text(0).startswith("\u26a0 ")
    # Save shows every problem, and goes to the first.
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    assert builder.pages.currentWidget() is builder.policy_page
    assert builder.policy_page.main.rows["partnership"].error.isVisibleTo(builder)  # type: ignore[union-attr]
    assert list(extra_policies_dir().glob("*.toml")) == []
    builder.dirty = False


def test_import_refuses_a_malformed_file(
    qtbot: QtBot, builder: PolicyBuilder, tmp_path: Path
) -> None:
    bad = tmp_path / "shared.toml"
    bad.write_text(EXPECTED.read_text("utf-8").replace('owner = "Line managers"\n', ""), "utf-8")
    builder.import_from(bad)
    assert builder.message.text().startswith("\u26a0 Nothing was imported.")
    assert (
        "pathways[0].stages[1].owner: this field is required but missing" in builder.message.text()
    )
    assert "Traceback" not in builder.message.text()
    assert not extra_policies_dir().exists() or list(extra_policies_dir().iterdir()) == []
    assert builder.saved_calls == []  # type: ignore[attr-defined]


def test_saved_policy_is_in_the_running_library(qtbot: QtBot, unlocked: MainWindow) -> None:
    dialog = unlocked.open_policy_builder("york", False)
    assert isinstance(dialog, PolicyBuilder)
    qtbot.waitExposed(dialog)
    type_in(qtbot, dialog, "File name", "york-local")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (extra_policies_dir() / "york-local.toml").exists()
    assert "york-local" in unlocked.session.library.ids()
    viewer = unlocked.workspace.policies
    assert viewer is not None
    assert "york-local" in [
        viewer.policies.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(viewer.policies.count())
    ]
    dialog.close()


def test_keyboard(qtbot: QtBot, builder: PolicyBuilder) -> None:
    assert problems_of(qtbot, builder) == []
    stage(builder, 3)
    assert problems_of(qtbot, builder) == []
    builder.dirty = False
