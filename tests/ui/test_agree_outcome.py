"""Agreeing the outcome closes an escalation for good, so the form asks first, in plain
words naming the reference and what happens; going back changes nothing and keeps what
was typed. Afterwards the window shows the stages not reached as not needed: no
projected dates in the stage table, no bars on the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import clock
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services.people import add_child
from app.timeline import LaneState
from tests.plain_store import PlainStore
from tests.ui.test_escalation_walk import SETTINGS
from tests.ui.test_forms import delete_windows
from ui.dialogs import agree_outcome as agree_outcome_dialog
from ui.dialogs.agree_outcome import AgreeOutcomeDialog
from ui.escalation.texts import STAGE_COLUMNS
from ui.escalation.view import EscalationView

NOW = datetime(2027, 1, 6, 9, 0)
NOT_NEEDED = "Not needed (resolved at stage 2)"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    yield
    delete_windows()


@pytest.fixture
def store(tmp_path: Path) -> PlainStore:
    return PlainStore(tmp_path / "agree.db")


def _at_stage_two(store: PlainStore, library: PolicyLibrary) -> str:
    """A Gloucestershire escalation (four stages) moved to stage 2."""
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor="DSL")
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="gloucestershire",
        pathway_id="resolution",
        raised_at=datetime(2026, 12, 14, 9, 30),
        raised_by="Ms Hannah Okafor",
        other_agency="Children's Social Care",
        other_practitioner="Ms Grace Adeyemi",
        category="threshold",
        disputed="Referral closed with no assessment.",
        change_wanted="An assessment of the child's needs.",
        impact="Child remains at home with escalating neglect.",
    )
    ref = esc.open_escalation(store, library, form, actor=f"{SETTINGS.dsl_name} (DSL)").ref
    esc.move_to_next_stage(
        store,
        ref,
        result="Not resolved.",
        actor=f"{SETTINGS.dsl_name} (DSL)",
        at=datetime(2026, 12, 16, 14),
    )
    return ref


def _window(qtbot: QtBot, store: PlainStore, library: PolicyLibrary, ref: str) -> EscalationView:
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    return view


def _form(qtbot: QtBot, view: EscalationView) -> AgreeOutcomeDialog:
    form = view.agree_outcome()
    assert isinstance(form, AgreeOutcomeDialog)
    qtbot.keyClicks(form.agreed, "CSC will complete a child and family assessment.")
    return form


def _answer(button: str, seen: list[str]) -> None:
    """Once the question is on screen, note its words and press ``button``, as a DSL
    would (the question runs its own event loop, so this is queued before it opens)."""

    def answer() -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "agree-question"
        ]
        if not boxes or not boxes[0].isVisible():
            QTimer.singleShot(0, answer)  # not open yet: look again on the next pass
            return
        box = boxes[0]
        seen.append(box.text())
        assert box.textFormat() == box.textFormat().PlainText
        chosen = next(b for b in box.buttons() if b.text().replace("&", "") == button)
        chosen.click()

    QTimer.singleShot(0, answer)


def test_agreeing_asks_first_and_going_back_changes_nothing(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _at_stage_two(store, library)
    view = _window(qtbot, store, library, ref)
    form = _form(qtbot, view)
    seen: list[str] = []

    _answer("Go back", seen)
    form.save_button.click()
    assert seen == [
        f"Agree the outcome of {ref}?\n\nThis resolves the escalation at stage 2 of 4 and "
        "closes it; it cannot be reopened. Stages 3 and 4 were not reached and will not "
        "be needed."
    ]
    assert form.isVisible() and form.dirty
    assert form.agreed.toPlainText() == "CSC will complete a child and family assessment."
    detail = esc.escalation_detail(store, ref)
    assert detail.row.status == "open" and detail.records == []

    _answer("Agree and close the escalation", seen)
    form.save_button.click()
    qtbot.waitUntil(lambda: not form.isVisible())
    assert len(seen) == 2
    assert esc.escalation_detail(store, ref).row.status == "resolved"


def test_a_form_with_problems_shows_them_without_asking(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _window(qtbot, store, library, _at_stage_two(store, library))
    form = view.agree_outcome()
    assert isinstance(form, AgreeOutcomeDialog)
    asked: list[str] = []
    monkeypatch.setattr(agree_outcome_dialog, "ask_to_agree", lambda _p, q: asked.append(q))
    form.save_button.click()
    assert asked == [] and form.rows["What was agreed"].error.isVisible()


def test_after_agreeing_the_window_shows_stages_not_reached_as_not_needed(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _at_stage_two(store, library)
    view = _window(qtbot, store, library, ref)
    assert view.stages.item(2, STAGE_COLUMNS.index("Where it stands")).text() == (
        "Not started (dates projected)"
    )
    monkeypatch.setattr(agree_outcome_dialog, "ask_to_agree", lambda _parent, _q: True)
    form = _form(qtbot, view)
    form.save_button.click()
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.row.status == "resolved")

    def cells(row: int) -> list[str]:
        return [view.stages.item(row, c).text() for c in range(len(STAGE_COLUMNS))]

    for row in (2, 3):
        assert cells(row)[2:] == ["—", "—", NOT_NEEDED]
    lanes = view.timeline.layout_now().lanes
    assert [lane.state for lane in lanes[2:]] == [LaneState.NOT_NEEDED] * 2
    assert [lane.status for lane in lanes[2:]] == [NOT_NEEDED] * 2
    assert NOT_NEEDED in view.timeline.accessibleDescription()
    assert "Projected" not in view.timeline.accessibleDescription()
    chronology = view.chronology.toPlainText()
    assert "Stages 3 and 4 not needed" in chronology
    # Each row reads When, What, Detail, By: the By of the move names who moved it.
    lines = chronology.splitlines()
    moved = lines.index("Stage 2 started: Escalate to line manager")
    assert lines[moved + 2] == f"{SETTINGS.dsl_name} (DSL)", lines[moved - 1 : moved + 3]
