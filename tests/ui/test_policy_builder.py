"""The policy builder, driven through its widgets at 1366x768: a four-stage policy
typed key by key from a blank template, saved, and compared field by field with the
file written by hand (tests/fixtures/policy_builder/testshire.toml)."""

from __future__ import annotations

import tomllib
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.paths import extra_policies_dir
from app.policy import PolicyLibrary
from app.policy.draft import draft_from
from tests.ui.keyboard import problems_of
from tests.ui.policy_builder_steps import (
    EXPECTED,
    choose,
    click,
    fill_policy,
    fill_stages,
    shown,
    stage,
    type_in,
)
from ui.dialogs.policy_builder import PolicyBuilder
from ui.main_window import MainWindow
from ui.widgets.policy_outline import Where


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
    # Untouched, the blank policy is work to do, not a refusal (the real-window run
    # found "19 things need attention" in red before anything was typed).
    assert "need attention" not in builder.message.text()
    assert "Fill in each part" in builder.message.text()
    assert "color" not in builder.message.styleSheet()
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
    assert "need attention" in builder.message.text()  # once typed in, the count
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


# --------------------------------------------------------------------------------------
# London's procedure built through the widgets (issue 21), counting what a DSL does.

LONDON = Path(__file__).resolve().parents[2] / "policies" / "london.toml"


class Effort:
    """What the DSL does: keys pressed, fields filled, clicks (parts chosen, buttons,
    choices and ticks). docs/policy-format.md turns it into minutes."""

    def __init__(self) -> None:
        self.keys = self.fields = self.clicks = 0

    def type(self, qtbot: QtBot, dialog: PolicyBuilder, name: str, text: str) -> None:
        field = shown(dialog, name)
        if isinstance(field, QLineEdit) and field.text():  # the blank's title: replaced
            field.setFocus()
            qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            self.keys += 1
        type_in(qtbot, dialog, name, text)
        self.keys += len(text)
        self.fields += 1

    def choose(self, dialog: PolicyBuilder, name: str, value: str) -> None:
        choose(dialog, name, value)
        self.fields += 1
        self.clicks += 2  # open the list, pick

    def part(self, dialog: PolicyBuilder, where: Where) -> None:
        dialog.outline._select(where)
        self.clicks += 1

    def press(self, qtbot: QtBot, button: QPushButton) -> None:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.clicks += 1


def build_london(qtbot: QtBot, dialog: PolicyBuilder, effort: Effort) -> None:
    """policies/london.toml's every value, typed as a DSL with the page beside them."""
    want = tomllib.loads(LONDON.read_text("utf-8"))
    doc, pathway = want["document"], want["pathways"][0]
    effort.type(qtbot, dialog, "Partnership", want["partnership"])
    effort.type(qtbot, dialog, "File name", want["id"])  # offered from the name: changed
    effort.type(qtbot, dialog, "Short name", want["short_name"])
    effort.type(qtbot, dialog, "Document title", doc["title"])
    effort.type(qtbot, dialog, "Document date", doc["issued"])
    effort.type(qtbot, dialog, "Document version", doc["version"])
    effort.type(qtbot, dialog, "Where the text came from", doc["source"])
    effort.type(qtbot, dialog, "Web address", doc["url"])
    effort.type(qtbot, dialog, "Read on", doc["read_on"].isoformat())
    effort.type(qtbot, dialog, "Where the text runs out", doc["completeness"])
    effort.part(dialog, Where("pathway", 0))
    effort.type(qtbot, dialog, "Pathway title", pathway["title"])
    effort.type(qtbot, dialog, "When to use this pathway", pathway["summary"])
    # London's text gives two levels: the blank's stages 3 and 4 go.
    for number in (4, 3):
        effort.part(dialog, Where("stage", 0, number - 1))
        effort.press(qtbot, dialog.outline.remove)
    for number, given in enumerate(pathway["stages"], start=1):
        effort.part(dialog, Where("stage", 0, number - 1))
        effort.type(qtbot, dialog, "Stage title", given["title"])
        effort.type(qtbot, dialog, "Who is responsible", given["owner"])
        effort.type(qtbot, dialog, "What to do", given["action"])
        (rule,) = given["timescales"]
        effort.choose(dialog, "How it is counted", rule["unit"])
        if "amount" in rule:
            effort.type(qtbot, dialog, "Number", str(rule["amount"]))
        effort.type(qtbot, dialog, "The document's words for this timescale", rule["text"])


def test_london_built_through_the_builder_matches_the_file_by_hand(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    """Compared as parsed TOML, field by field (every key and value of the policy, its
    document, pathway, stages and timescales): the builder decides only the layout,
    the comments and the order of keys, none of which is compared."""
    effort = Effort()
    build_london(qtbot, builder, effort)
    assert builder.found == [], builder.found
    effort.press(qtbot, builder.save_button)
    saved = extra_policies_dir() / "london.toml"
    got = tomllib.loads(saved.read_text("utf-8"))
    want = tomllib.loads(LONDON.read_text("utf-8"))
    assert differences(got, want) == []
    assert builder.saved_calls == [True]  # type: ignore[attr-defined]
    # The preview beside it: "a working week" from Fri 18/12/2026 over Christmas.
    builder.preview.raised.setFocus()
    builder.preview.raised.edit.selectAll()
    qtbot.keyClicks(builder.preview.raised.edit, "18/12/2026")
    assert "due Tue 29/12/2026" in builder.preview.words.text()
    # What it took, for docs/policy-format.md ("How long a policy takes"): 23 fields
    # filled (two of them choices), 12 clicks, and the keys of London's own words.
    assert (effort.fields, effort.clicks) == (23, 12)
    assert effort.keys == 1982  # 1,147 of them the document's words, which can be pasted


# --------------------------------------------------------------------------------------
# What the form added for issue 21: outcomes reached together, deadlines from a date.


def test_outcomes_together_and_a_deadline_from_another_date(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    stage(builder, 4)
    type_in(qtbot, builder, "Outcomes or determinations", "Interim plan\nReview brought forward")
    click(qtbot, builder, "Add outcomes reached together")
    type_in(qtbot, builder, "Outcomes reached together", "Interim plan\nReview brought")
    box = builder.stage_page.together.editors[0].rows["outcomes"]  # type: ignore[union-attr]
    assert "\u201cReview brought\u201d is not one of this stage's outcomes" in box.error.text()
    type_in(qtbot, builder, "Outcomes reached together", " forward")
    assert not box.error.isVisibleTo(builder)
    assert builder.draft.pathways[0].stages[3].outcomes_together[0].outcomes == [
        "Interim plan",
        "Review brought forward",
    ]
    builder.outline._select(Where("pathway", 0))
    click(qtbot, builder, "Add a deadline")
    type_in(qtbot, builder, "Deadline title", "Outcome letter")
    type_in(qtbot, builder, "What the deadline runs from", "a resolution being reached")
    choose(builder, "How it is counted", "working_days")
    type_in(qtbot, builder, "Number", "2")
    type_in(qtbot, builder, "The document's words for this timescale", "within 2 working days")
    # It runs from its own event: no "Runs from" choice and no cap to tick on it.
    page = builder.pathway_page
    names = [w.accessibleName() for w in page.findChildren(QWidget) if w.isVisibleTo(page)]
    assert "Runs from" not in names
    assert "A limit on the whole process (shown as a marker)" not in names
    (other,) = builder.draft.pathways[0].other_deadlines
    assert (other.from_event, other.timescale.unit, other.timescale.amount) == (
        "a resolution being reached",
        "working_days",
        "2",
    )
    assert not [p for p in builder.found if "other_deadlines" in p.path]
    builder.dirty = False


def test_the_preview_names_an_untitled_pathway_in_words(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    """Seen in the real window: "..., raised on the date above:" until a title was typed."""
    assert builder.preview.pathway.text() == "This pathway, raised on the date above:"


def test_a_copied_policys_long_texts_show_from_their_start(
    qtbot: QtBot, library: PolicyLibrary
) -> None:
    """Loaded with the cursor at the end, Darlington's title read ": Procedure and
    Guidance - How to…" and its source "ington Safeguarding Partnership…"."""
    dialog = PolicyBuilder(draft_from(library.get("darlington")), lambda: None)
    dialog.resize(1366, 768)
    dialog.show()
    try:
        qtbot.waitExposed(dialog)
        page = dialog.pages.currentWidget()
        lines = [w for w in page.findChildren(QLineEdit) if w.isVisibleTo(page) and w.text()]
        assert any(len(line.text()) > 60 for line in lines)
        # The field the focus is put in has its text selected, ready to be typed over.
        moved = [
            x.accessibleName() for x in lines if x.cursorPosition() and not x.hasSelectedText()
        ]
        assert moved == []
    finally:
        dialog.dirty = False
        dialog.close()


def test_the_preview_calls_its_start_raised_not_today(qtbot: QtBot, library: PolicyLibrary) -> None:
    """Typed 10/12 on 05/12, the preview's timeline said "Today 10/12"."""
    dialog = PolicyBuilder(draft_from(library.get("darlington")), lambda: None)
    dialog.resize(1366, 768)
    dialog.show()
    try:
        qtbot.waitExposed(dialog)
        field = dialog.preview.raised.focusProxy()
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, "10/12/2026")
        timeline = dialog.preview.timeline
        qtbot.waitUntil(
            lambda: (
                [m.label for m in timeline.layout_now().markers if m.kind == "today"]
                == ["Raised 10/12"]
            ),
            timeout=2000,
        )
        ticks = timeline.layout_now().ticks
        room = timeline.fontMetrics().horizontalAdvance("00/00")
        assert all(b.x - a.x > room for a, b in pairwise(ticks))
    finally:
        dialog.dirty = False
        dialog.close()
