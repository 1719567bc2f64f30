"""A form saved onto a full disk: the Escalation Monitoring Form (new escalation) stays
open with the plain message, keeps every field as typed, writes nothing, and saves once
there is space again.

The full disk is SQLite's page limit on the real encrypted file (``tests.page_limit``),
as in tests/reliability/test_disk_full_read_only.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import clock
from app.policy import PolicyLibrary
from app.services.escalations import escalation_detail, list_escalations
from app.services.people import list_children
from app.storage.database import Database
from app.storage.datafile import check_data_file
from app.storage.models import AuditEntry
from tests.page_limit import stop_growth
from tests.ui.conftest import DETAILS, open_team
from ui.dialogs.new_escalation import NewEscalationDialog
from ui.widgets import form_dialog

NOW = datetime(2026, 11, 27, 16, 0)
DISK_FULL = "⚠ The disk is full, so the last change was not saved. Free some space and try again."
# Long enough to need pages the file does not have (the limit is its present size).
DISPUTED = "The strategy discussion was declined although the threshold is met. " * 280


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Nothing may wait for a person: message boxes are recorded instead of shown, and a
    form left with unsaved text is discarded when the test ends."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    said: list[str] = []
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda _parent, _title, text, *a, **k: said.append(text)
        )
    monkeypatch.setattr(form_dialog, "ask_discard", lambda _parent: True)
    return said


@pytest.fixture
def full(data_file: Path) -> Iterator[tuple[Database, Callable[[], None]]]:
    """The demo file, open, unable to grow by a single page; and what frees the space."""
    db = open_team(data_file)
    free_space = stop_growth(db)
    try:
        yield db, free_space
    finally:
        free_space()
        if db.is_open:
            db.close()


def _describe_the_disagreement(qtbot: QtBot, form: NewEscalationDialog) -> None:
    """The form's required fields besides the child (DISPUTED is long enough to need
    pages the full file does not have)."""
    qtbot.keyClicks(form.other_agency, "Children's Social Care")
    form.category.setCurrentIndex(form.category.findData("threshold"))
    form.disputed.setPlainText(DISPUTED)
    qtbot.keyClicks(form.change_wanted, "A strategy discussion this week.")
    qtbot.keyClicks(form.impact, "Bruising seen twice; no plan in place.")
    qtbot.keyClicks(form.raised_at.edit, "26/11/2026 14:30")


def _saved(db: Database) -> tuple[Any, ...]:
    """Everything saved: children, escalations in full, and the audit trail's length."""
    refs = [row.ref for row in list_escalations(db)]
    with db.session() as session:
        entries = session.scalar(select(func.count()).select_from(AuditEntry))
    return (list_children(db), [escalation_detail(db, ref) for ref in refs], entries)


def _fields(form: NewEscalationDialog) -> dict[str, object]:
    return {
        "child": form.child.currentData(),
        "raised_by": form.raised_by.text(),
        "other_agency": form.other_agency.text(),
        "other_practitioner": form.other_practitioner.text(),
        "category": form.category.currentData(),
        "disputed": form.disputed.toPlainText(),
        "change_wanted": form.change_wanted.toPlainText(),
        "impact": form.impact.toPlainText(),
        "raised_at": form.raised_at.value(),
        "policy": form.policy.currentData(),
        "pathway": form.pathway.currentData(),
    }


def test_a_form_saved_onto_a_full_disk_stays_open_with_everything_typed(
    qtbot: QtBot,
    full: tuple[Database, Callable[[], None]],
    library: PolicyLibrary,
    no_modal_dialogs: list[str],
) -> None:
    db, free_space = full
    before = _saved(db)
    form = NewEscalationDialog(db, library, DETAILS)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.existing_child.setChecked(True)
    form.child.setCurrentIndex(1)
    _describe_the_disagreement(qtbot, form)
    qtbot.keyClicks(form.other_practitioner, "Ms C Social Worker")
    typed = _fields(form)
    assert form.problems() == []  # the form is complete: only the disk is in the way

    form.save_button.click()

    assert form.isVisible() and form.created is None
    assert form.message.isVisible()
    assert form.message.text() == DISK_FULL
    assert not any(row.error.isVisibleTo(form) for row in form.rows.values())
    assert no_modal_dialogs == []  # said in the form, not in a box over it
    assert _fields(form) == typed  # nothing typed is lost
    assert form.dirty  # closing it now would still ask before throwing the text away
    assert _saved(db) == before  # nothing was written: no escalation, no audit entry
    assert check_data_file(db) == []

    # Space is freed: the same form, untouched, saves.
    free_space()
    form.save_button.click()
    assert form.created is not None and not form.isVisible()
    detail = escalation_detail(db, form.created.ref)
    assert (
        detail.disputed == DISPUTED.strip() and detail.row.other_agency == "Children's Social Care"
    )
    assert check_data_file(db) == []


def test_a_new_childs_form_saved_onto_a_full_disk_writes_nothing(
    qtbot: QtBot, full: tuple[Database, Callable[[], None]], library: PolicyLibrary
) -> None:
    db, _free_space = full
    before = _saved(db)
    form = NewEscalationDialog(db, library, DETAILS)
    qtbot.addWidget(form)
    form.show()
    form.new_child.setChecked(True)
    qtbot.keyClicks(form.child_name, "Noah Jones")
    qtbot.keyClicks(form.date_of_birth.edit, "03/09/2016")
    _describe_the_disagreement(qtbot, form)
    form.save_button.click()
    assert form.isVisible() and form.message.text() == DISK_FULL
    assert _saved(db) == before
