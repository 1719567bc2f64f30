"""Opening a stop and review for a child not recorded as in the situation it is for
(a child protection plan, or care) asks first; the rule is
``app.domain.stop_and_review_check``, the question ``ui.dialogs.situation_question``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import clock
from app.policy import PolicyLibrary
from app.services.escalations import list_escalations
from app.services.people import add_child
from app.services.settings import SettingDetails
from tests.plain_store import PlainStore
from ui.dialogs import situation_question
from ui.dialogs.new_escalation import NewEscalationDialog
from ui.widgets import form_dialog

NOW = datetime(2026, 11, 27, 16, 0)  # a Friday, 4 pm
SETTINGS = SettingDetails(
    setting_name="Riverside Primary School",
    dsl_name="Ms Hannah Okafor",
    default_policy="suffolk",
)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    # A form left open with typing is closed at the end: discard it without asking.
    monkeypatch.setattr(form_dialog, "ask_discard", lambda _parent: True)
    yield


@pytest.fixture
def store(tmp_path: Path) -> PlainStore:
    store = PlainStore(tmp_path / "words.db")
    add_child(store, name="Aisha <b>Begum</b>", date_of_birth=date(2014, 5, 12), actor="DSL")
    add_child(store, name="Tom Reed", date_of_birth=date(2015, 2, 3), cp_plan=True, actor="DSL")
    return store


def _stop_and_review_form(qtbot: QtBot, store: PlainStore, library: PolicyLibrary, child: str):
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.resize(1366, 768)
    form.show()
    qtbot.waitExposed(form)
    form.pathway.setCurrentIndex(form.pathway.findData("stop-and-review"))
    form.child.setCurrentIndex(
        next(i for i in range(form.child.count()) if child in form.child.itemText(i))
    )
    form.raised_at.edit.setFocus()
    qtbot.keyClicks(form.raised_at.edit, "27/11/2026 15:00")
    qtbot.keyClicks(form.other_agency, "Children's Social Care")
    for box in (form.disputed, form.change_wanted, form.impact):
        qtbot.keyClicks(box, "Stated.")
    return form


def test_a_stop_and_review_for_a_child_not_on_a_plan_asks_first(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []
    answer = [False]

    def ask(_parent: object, child: str, situation: str) -> bool:
        asked.append((child, situation))
        return answer[0]

    monkeypatch.setattr(situation_question, "ask_situation", ask)
    form = _stop_and_review_form(qtbot, store, library, "Aisha")
    form.save_button.click()
    assert asked == [("Aisha <b>Begum</b>", "on a child protection plan")]
    assert form.isVisible() and form.created is None  # "Go back": nothing saved
    assert list_escalations(store) == []
    answer[0] = True
    form.save_button.click()
    assert form.created is not None and not form.isVisible()
    assert [r.child_name for r in list_escalations(store)] == ["Aisha <b>Begum</b>"]


def test_a_child_on_a_plan_is_not_asked_about(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object) -> bool:
        raise AssertionError("asked about a child on a plan")

    monkeypatch.setattr(situation_question, "ask_situation", never)
    form = _stop_and_review_form(qtbot, store, library, "Tom Reed")
    form.save_button.click()
    assert form.created is not None


def test_the_question_names_the_child_as_typed(qtbot: QtBot) -> None:
    box = situation_question.situation_question(
        None, "Aisha <b>Begum</b>", "on a child protection plan"
    )
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert (
        box.text()
        == "Aisha <b>Begum</b> is not recorded as being on a child protection plan. Continue?"
    )
    assert box.defaultButton() is box.escapeButton()  # Enter and Escape both go back
    assert box.buttonRole(box.defaultButton()) is QMessageBox.ButtonRole.RejectRole
