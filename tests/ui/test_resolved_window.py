"""A resolved escalation's window: only what a closed escalation still allows is
offered, and approving a discussion held before the outcome says what it does."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.records import Discussion, Outcome, Party
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import add_child
from app.services.settings import SettingDetails
from tests.plain_store import PlainStore
from ui.escalation.view import EscalationView
from ui.widgets import form_dialog

NOW = datetime(2026, 11, 27, 16, 0)
SETTINGS = SettingDetails(setting_name="Riverside Primary School", dsl_name="Ms Hannah Okafor")


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(form_dialog, "ask_discard", lambda _parent: True)


def _resolved_with_a_discussion_to_approve(store: PlainStore, library: PolicyLibrary) -> str:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2014, 5, 12), actor="DSL")
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="gloucestershire",
        pathway_id="resolution",
        raised_at=datetime(2026, 11, 20, 9, 30),
        raised_by="Ms Hannah Okafor",
        other_agency="Children's Social Care",
        category="threshold",
        disputed="Referral closed.",
        change_wanted="An assessment.",
        impact="Neglect continues.",
    )
    ref = esc.open_escalation(store, library, form, actor="DSL").ref
    talk = Discussion(
        held_at=datetime(2026, 11, 24, 10, 0),
        method="phone",
        participants=["Ms Grace Adeyemi"],
        summary="Agreed to assess.",
    )
    rec.record_discussion(store, ref, talk, actor="DSL")
    outcome = Outcome(
        agreed="CSC will assess.",
        parties=[Party(name="Ms Hannah Okafor"), Party(name="Ms Grace Adeyemi")],
        agreed_on=date(2026, 11, 25),
    )
    esc.agree_outcome(store, ref, outcome, actor="DSL")
    return ref


def test_approving_on_a_resolved_escalation_says_what_it_does(
    qtbot: QtBot, tmp_path: Path, library: PolicyLibrary
) -> None:
    store = PlainStore(tmp_path / "resolved.db")
    ref = _resolved_with_a_discussion_to_approve(store, library)
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.show()
    note = f"{ref} is resolved. A discussion recorded before then may still be approved"
    assert view.approve_button.isEnabled()
    assert view.approve_button.toolTip().startswith(note)
    assert view.approve_button.accessibleDescription().startswith(note)
    for closed in (view.discussion_button, view.move_button, view.amend_button):
        assert not closed.isEnabled() and "cannot be changed" in closed.toolTip()
    dialog = view.approve()
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(text.startswith(note) for text in notes), notes
    dialog.close()
