"""A 20,000-character summary is one chronology row, not screens of it: the row shows
the start, and "Show all" opens the whole text read-only."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.domain.records import Discussion
from app.services.escalations import list_escalations
from app.services.records import record_discussion
from tests.ui.conftest import PASSPHRASE
from ui.dialogs.text_viewer import TextViewerDialog
from ui.escalation import texts
from ui.escalation.view import EscalationView
from ui.main_window import MainWindow

# Markup in what was typed must stay text, in the row and in the viewer.
START = "Spoke to <b>the duty manager</b> & the social worker about the referral. "
END = "Last words of the summary."
POINTS = "".join(f"Point {n}: what was said and agreed. " for n in range(600))
LONG = (START + POINTS)[: 20_000 - len(END)]  # the longest summary a form takes


def test_shortened_keeps_short_text_whole_and_cuts_long_text_at_a_word() -> None:
    assert texts.shortened("A short summary.") is None
    start = texts.shortened(LONG + END)
    assert start is not None
    assert start.endswith("…") and len(start) <= texts.SHOWN_CHARACTERS + 1
    assert (LONG + END).startswith(start.removesuffix("…"))
    assert not start.removesuffix("…").endswith(" ")


def test_a_long_summary_shows_its_start_and_opens_whole(qtbot: QtBot, unlocked: MainWindow) -> None:
    db = unlocked.database
    assert db is not None
    ref = next(
        r.ref
        for r in list_escalations(db)
        if (r.policy_id, r.pathway_id, r.status) == ("gloucestershire", "resolution", "open")
    )
    summary = LONG + END
    assert len(summary) == 20_000
    talk = Discussion(
        held_at=datetime(2026, 11, 20, 10, 0),
        method="phone",
        participants=["Ms Grace Adeyemi"],
        summary=summary,
    )
    record_discussion(db, ref, talk, actor="Ms Hannah Okafor (DSL)")
    view = unlocked.open_escalation(ref)
    assert isinstance(view, EscalationView)

    shown = view.chronology.toPlainText()
    assert "Spoke to <b>the duty manager</b> & the social worker" in shown  # as typed
    assert END not in shown
    assert len(shown) < 6_000  # the whole chronology, long summary and all
    assert "Show all (20," in shown
    html = view.chronology.toHtml()
    links = re.findall(r"href=[\"']([^\"']*)", html)
    assert len(links) == 1 and links[0].startswith(texts.SHOW_ALL)

    view.chronology.anchorClicked.emit(QUrl(links[0]))  # as the link does when clicked
    viewer = next(d for d in view.dialogs if isinstance(d, TextViewerDialog))
    qtbot.waitExposed(viewer)
    whole = viewer.findChild(QPlainTextEdit)
    assert whole is not None and whole.isReadOnly()
    assert whole.toPlainText().endswith(END)
    assert "<b>the duty manager</b>" in whole.toPlainText()
    assert "Discussion" in viewer.windowTitle()

    # Locking hides it with its window, in memory only (ui/lock_keeper.py); unlocking
    # brings it back as it was. Closing the app or another file wipes it.
    unlocked.lock()
    assert not viewer.isVisible() and not view.isVisible()
    unlocked.unlock(PASSPHRASE)
    qtbot.waitUntil(viewer.isVisible)
    assert whole.toPlainText().endswith(END)
    unlocked.lock(keep_windows=False)
    assert not viewer.isVisible()
    assert whole.toPlainText() == ""
