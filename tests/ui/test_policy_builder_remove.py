"""Remove in the policy builder asks nothing, and loses nothing: a line says what went,
and *Put it back* (or Ctrl+Z) returns it, every field as typed, where it was, until the
next change of shape or a save (app/policy/draft_shape.py). Typed key by key at
1366x768; nothing here opens a modal window, so a failure fails, never hangs."""

from __future__ import annotations

import tomllib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.paths import extra_policies_dir
from tests.ui.policy_builder_steps import (
    choose,
    click,
    fill_policy,
    fill_stages,
    shown,
    stage,
    type_in,
)
from ui.dialogs.policy_builder import PolicyBuilder
from ui.widgets.policy_outline import Where


def page_values(dialog: PolicyBuilder) -> list[tuple[str, object]]:
    """Every field on the page shown, in the page's order, with what it holds."""
    page = dialog.pages.currentWidget()
    out: list[tuple[str, object]] = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page) or isinstance(widget.parentWidget(), QComboBox):
            continue
        if isinstance(widget, QLineEdit):
            out.append((widget.accessibleName(), widget.text()))
        elif isinstance(widget, QPlainTextEdit):
            out.append((widget.accessibleName(), widget.toPlainText()))
        elif isinstance(widget, QComboBox):
            out.append((widget.accessibleName(), widget.currentData()))
        elif isinstance(widget, QCheckBox):
            out.append((widget.accessibleName(), widget.isChecked()))
    return out


def parts(dialog: PolicyBuilder) -> list[str]:
    """The outline's labels, top to bottom, without the problem marks."""
    tree = dialog.outline.tree
    items = [tree.topLevelItem(index) for index in range(tree.topLevelItemCount())]
    out = []
    for item in items:
        assert item is not None
        children = [item.child(n) for n in range(item.childCount())]
        out += [part.text(0).removeprefix("\u26a0 ") for part in (item, *children) if part]
    return out


def replace_text(qtbot: QtBot, dialog: PolicyBuilder, name: str, text: str) -> None:
    field = shown(dialog, name)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_in(qtbot, dialog, name, text)


def type_into_stage_3(qtbot: QtBot, dialog: PolicyBuilder) -> None:
    stage(dialog, 3)
    replace_text(qtbot, dialog, "Stage title", "Senior managers meet")
    type_in(qtbot, dialog, "Who is responsible", "Heads of service")
    type_in(qtbot, dialog, "What to do", "Meet within the week.\nAgree a plan.")
    type_in(qtbot, dialog, "What to record", "The plan agreed")
    choose(dialog, "How it is counted", "working_days")
    type_in(qtbot, dialog, "Number", "5")
    type_in(qtbot, dialog, "The document's words for this timescale", "within 5 working days")
    click(qtbot, dialog, "Add someone to tell")
    type_in(qtbot, dialog, "Who must be told", "The Partnership Manager")


def test_a_stage_removed_and_put_back_has_every_field_as_typed(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    type_into_stage_3(qtbot, builder)
    typed = page_values(builder)
    assert ("Who is responsible", "Heads of service") in typed  # the page was read
    before = parts(builder)
    stage_3 = builder.draft.pathways[0].stages[2]

    qtbot.mouseClick(builder.outline.remove, Qt.MouseButton.LeftButton)
    # Gone at once, no question; the line says what went, with the way back beside it.
    assert "Stage 3: Senior managers meet" not in parts(builder)
    assert [s.title for s in builder.draft.pathways[0].stages][2] == "The safeguarding partnership"
    line = builder.outline.removed_line
    assert line.isVisibleTo(builder) and builder.outline.put_back.isVisibleTo(builder)
    assert line.text() == "Stage 3 \u201cSenior managers meet\u201d removed."

    qtbot.mouseClick(builder.outline.put_back, Qt.MouseButton.LeftButton)
    assert parts(builder) == before
    assert builder.outline.where() == Where("stage", 0, 2)  # shown where it was
    assert builder.pages.currentWidget() is builder.stage_page
    assert page_values(builder) == typed
    assert builder.draft.pathways[0].stages[2] is stage_3
    assert [s.number for s in builder.draft.pathways[0].stages] == [1, 2, 3, 4]
    assert not line.isVisibleTo(builder) and not builder.outline.put_back.isVisibleTo(builder)


def test_ctrl_z_puts_back_a_pathway_with_its_stages(qtbot: QtBot, builder: PolicyBuilder) -> None:
    builder.outline._select(Where("pathway", 0))
    type_in(qtbot, builder, "Pathway title", "Resolving differences")
    typed = page_values(builder)
    before = parts(builder)
    qtbot.mouseClick(builder.outline.remove, Qt.MouseButton.LeftButton)
    assert parts(builder) == ["The policy and its document"]
    assert builder.outline.removed_line.text() == (
        "Pathway 1 \u201cResolving differences\u201d removed, with its 4 stages."
    )
    tree = builder.outline.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus, timeout=2000)
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert parts(builder) == before
    assert builder.outline.where() == Where("pathway", 0)
    assert page_values(builder) == typed
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert parts(builder) == before  # once only: nothing else to put back


def test_the_next_change_of_shape_ends_the_offer(qtbot: QtBot, builder: PolicyBuilder) -> None:
    stage(builder, 2)
    qtbot.mouseClick(builder.outline.remove, Qt.MouseButton.LeftButton)
    assert builder.outline.put_back.isVisibleTo(builder)
    qtbot.mouseClick(builder.outline.add_stage, Qt.MouseButton.LeftButton)
    assert not builder.outline.put_back.isVisibleTo(builder)
    assert builder.outline.shape.removed is None
    assert [s.title for s in builder.draft.pathways[0].stages] == [
        "Practitioners discuss it",
        "Senior managers",
        "",  # the stage added after the one shown once stage 2 went
        "The safeguarding partnership",
    ]


def test_a_stage_removed_then_saved_is_gone_from_the_file(
    qtbot: QtBot, builder: PolicyBuilder
) -> None:
    fill_policy(qtbot, builder)
    fill_stages(qtbot, builder)
    stage(builder, 4)
    qtbot.mouseClick(builder.outline.remove, Qt.MouseButton.LeftButton)
    assert builder.outline.put_back.isVisibleTo(builder)
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    saved = extra_policies_dir() / "testshire.toml"
    assert saved.exists(), builder.message.text()
    # Where it went, so an IT technician or a colleague can find the file.
    assert f"Saved as testshire.toml in this app's policies folder, {saved.parent}." in (
        builder.message.text()
    )
    text = saved.read_text("utf-8")
    stages = tomllib.loads(text)["pathways"][0]["stages"]
    assert [s["title"] for s in stages] == [
        "Practitioners discuss it",
        "Line managers",
        "Senior managers",
    ]
    assert "Partnership Business Manager" not in text  # stage 4's owner, typed then removed
    # Saved without it: the offer has gone, and Ctrl+Z brings nothing back.
    assert not builder.outline.put_back.isVisibleTo(builder)
    tree = builder.outline.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus, timeout=2000)
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(builder.draft.pathways[0].stages) == 3
