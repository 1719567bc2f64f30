"""The window follows the roles (issue 23), at a school laptop's 1366 x 768, key by key:
a read-only member sees every change greyed with the reason and cannot record, but can
print (and the printing is in the audit under their name); a draft kept through the
lock is never shown to another member who unlocks the same file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid
from sqlalchemy import select

from app.domain.escalation_actions import READ_ONLY_REASON
from app.session import Session
from app.storage.database import Database
from app.storage.models import AuditEntry
from app.team.member import Member, Role
from app.team.signed_in import READ_ONLY_WINDOW
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_lock_keeps_typing import MARKER, _open_discussion, _type_a_discussion
from ui.dialogs.new_escalation import NewEscalationDialog
from ui.dialogs.pdf_preview import PdfPreviewDialog
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
GOVERNOR = Member("Alex Moore", Role.READ_ONLY)
DEPUTY = Member("Mr Ben Hughes", Role.DEPUTY)


class SignsIn:
    """Who the next unlock signs in as: the key file's part (the teamkeys work) sets
    ``Database.member`` at open; here the test says who."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.member: Member | None = None
        original = Session.open

        def open_as(session: Session, database: Database) -> None:
            database.member = self.member
            original(session, database)

        monkeypatch.setattr(Session, "open", open_as)


@pytest.fixture
def signs_in(monkeypatch: pytest.MonkeyPatch) -> SignsIn:
    return SignsIn(monkeypatch)


def _unlock_as(qtbot: QtBot, window: MainWindow, signs_in: SignsIn, who: Member | None) -> None:
    signs_in.member = who
    page = window.unlock_page
    window.activateWindow()
    page.passphrase.setFocus()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert window.is_unlocked
    qtbot.waitUntil(lambda: window.rest_loaded)


@pytest.fixture
def as_governor(qtbot: QtBot, window: MainWindow, signs_in: SignsIn) -> Iterator[MainWindow]:
    window.resize(1366, 768)
    _unlock_as(qtbot, window, signs_in, GOVERNOR)
    yield window


def test_a_read_only_member_cannot_record_but_can_print(
    qtbot: QtBot, as_governor: MainWindow, tmp_path: Path
) -> None:
    window = as_governor
    assert window.session.actor == "Alex Moore (Read-only)"
    actions = window.main_actions
    for act in actions.changing_the_file():
        assert not act.isEnabled() and act.toolTip() == READ_ONLY_WINDOW, act.text()
    assert actions.statistics.isEnabled() and actions.child_records.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # New escalation: greyed, nothing opens
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, NewEscalationDialog)]

    ref = window.workspace.escalations.visible_refs()[0]
    view = window.open_escalation(ref)
    assert view is not None
    qtbot.waitExposed(view)
    for button in (view.discussion_button, view.action_button, view.move_button):
        assert not button.isEnabled()
        assert button.toolTip() == READ_ONLY_REASON
        assert button.accessibleDescription() == READ_ONLY_REASON
    assert view.chronology_button.isEnabled()
    # Rendered to look at (docs/screenshots/read-only-*.png are these).
    view.grab().save(str(tmp_path / "read-only-escalation.png"))
    window.grab().save(str(tmp_path / "read-only-dashboard.png"))

    view.chronology_button.setFocus()
    qtbot.keyClick(view.chronology_button, Qt.Key.Key_Space)
    previews = [d for d in view.dialogs if isinstance(d, PdfPreviewDialog)]
    assert len(previews) == 1
    with window.session.store.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None
        assert (last.actor, last.action) == ("Alex Moore (Read-only)", "generate Case chronology")
    previews[0].close()


def test_a_draft_is_never_shown_to_another_member(
    qtbot: QtBot, window: MainWindow, signs_in: SignsIn
) -> None:
    window.resize(1366, 768)
    _unlock_as(qtbot, window, signs_in, DEPUTY)
    _ref, form = _open_discussion(qtbot, window)
    _type_a_discussion(qtbot, form)
    qtbot.keyClick(form.summary, Qt.Key.Key_L, CTRL)
    assert not window.is_unlocked and not form.isVisible()
    assert form.summary.toPlainText() == MARKER  # kept, in memory, for the deputy

    _unlock_as(qtbot, window, signs_in, None)  # the DSL (the file's one passphrase)
    assert window.session.actor == "Ms Hannah Okafor (DSL)"
    # Wiped and closed, as for another file: never on the DSL's screen.
    assert not isValid(form) or (not form.isVisible() and MARKER not in form.summary.toPlainText())
    assert window.keeper.kept == [] and window.views == {}
