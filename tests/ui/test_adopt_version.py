"""The escalation window says which version of its policy it follows and, when a newer
one is loaded, offers to adopt it: the question lists what changes, and adopting moves
only the stages not yet started to the newer version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import clock
from app.policy import PolicyLibrary, default_library
from app.services import escalations as esc
from app.services.people import add_child
from tests.newer_policy import PANEL, with_newer
from tests.plain_store import PlainStore
from tests.ui.test_escalation_walk import SETTINGS
from tests.ui.test_forms import delete_windows
from ui.escalation.policy_version import AdoptVersionDialog
from ui.escalation.view import EscalationView

NOW = datetime(2026, 12, 7, 9, 0)
NEWER = "the version of 03/12/2026 (revision 2)"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    yield
    delete_windows()


@pytest.fixture
def ref(tmp_path: Path) -> tuple[PlainStore, str]:
    return at_stage_two(tmp_path / "adopt.db")


def at_stage_two(path: Path) -> tuple[PlainStore, str]:
    """A Gloucestershire escalation opened under the shipped version, at stage 2."""
    store = PlainStore(path)
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor="DSL")
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="gloucestershire",
        pathway_id="resolution",
        raised_at=datetime(2026, 12, 1, 10, 0),
        raised_by="Ms Hannah Okafor",
        other_agency="Children's Social Care",
        category="threshold",
        disputed="Referral closed with no assessment.",
        change_wanted="An assessment of the child's needs.",
        impact="Child remains at home with escalating neglect.",
    )
    opened = esc.open_escalation(
        store, default_library(), form, actor=f"{SETTINGS.dsl_name} (DSL)"
    ).ref
    esc.move_to_next_stage(
        store,
        opened,
        result="Not resolved.",
        actor=f"{SETTINGS.dsl_name} (DSL)",
        at=datetime(2026, 12, 4, 10),
    )
    return store, opened


def _window(qtbot: QtBot, store: PlainStore, library: PolicyLibrary, ref: str) -> EscalationView:
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


def _stage_owner(view: EscalationView, row: int) -> str:
    item = view.stages.item(row, 1)
    assert item is not None
    return item.text()


def test_no_newer_version_no_button(qtbot: QtBot, ref: tuple[PlainStore, str]) -> None:
    store, opened = ref
    view = _window(qtbot, store, default_library(), opened)
    assert view.version_note.label.text() == (
        "This escalation follows the undated version of its policy."
    )
    assert not view.version_note.adopt_button.isVisible()


def test_adopting_the_newer_version_from_the_window(
    qtbot: QtBot, ref: tuple[PlainStore, str]
) -> None:
    store, opened = ref
    view = _window(qtbot, store, with_newer(), opened)
    note, button = view.version_note.label.text(), view.version_note.adopt_button
    assert note.startswith(
        f"This escalation follows the undated version of its policy. A newer version is "
        f"loaded ({NEWER})."
    )
    assert button.isVisible() and button.isEnabled()
    assert _stage_owner(view, 3) == "GSCP (Resolution Panel)"  # not changed by loading

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(view.dialogs) and view.dialogs[-1].isVisible())
    dialog = view.dialogs[-1]
    assert isinstance(dialog, AdoptVersionDialog)
    rows = [
        [dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())
    ]
    assert rows[0][:2] == ["1 (started: keeps its deadline)", "Timescale"]
    assert ["4", "Owner", "GSCP (Resolution Panel)", PANEL] in rows

    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.detail is not None and "revision 2" in view.detail.policy_version)
    assert view.version_note.label.text() == f"This escalation follows {NEWER} of its policy."
    assert not button.isVisible()
    assert _stage_owner(view, 3) == PANEL  # a stage not yet started follows it
    chronology = view.chronology.toPlainText()
    assert "Newer version of the policy adopted" in chronology
    assert f"Adopted {NEWER} of Gloucestershire Safeguarding Children Partnership" in chronology


def test_cancelling_the_question_changes_nothing(qtbot: QtBot, ref: tuple[PlainStore, str]) -> None:
    store, opened = ref
    view = _window(qtbot, store, with_newer(), opened)
    view.version_note.adopt_button.setFocus()
    qtbot.keyClick(view.version_note.adopt_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(view.dialogs) and view.dialogs[-1].isVisible())
    dialog = view.dialogs[-1]
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert esc.escalation_detail(store, opened).policy_version == "Not stated"
    assert view.version_note.adopt_button.isVisible()
