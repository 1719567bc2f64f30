"""Checking what the monitoring form without the child's identifying details takes out:
the review lists each redaction, a word typed into it is taken out too, and the form
produced after it carries none of them (ui/widgets/redaction_review.py)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.demo import create_demo
from app.domain.redaction import Review, child_details
from app.policy import PolicyLibrary
from app.services.escalations import list_escalations
from tests.plain_store import PlainStore
from tests.ui.test_escalation_walk import SETTINGS, save
from ui.dialogs.monitoring_form import MonitoringFormDialog
from ui.dialogs.pdf_preview import PdfPreviewDialog
from ui.escalation.view import EscalationView
from ui.widgets.redaction_review import RedactionReviewDialog

TYPED = "Zoe's brother Sam told CSC on 12 May 2014 <b>Sam</b> lives on Acacia Avenue."


def rows(dialog: RedactionReviewDialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    ]


def test_a_word_typed_in_is_taken_out_too(qtbot: QtBot) -> None:
    review = Review(
        {"Actions taken to date": TYPED}, child_details("Zoë Nguyễn", date(2014, 5, 12), "")
    )
    dialog = RedactionReviewDialog(
        review, document="monitoring form", explanation="Check.", confirm="&Show the form"
    )
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert [row[:3] for row in rows(dialog)] == [
        ("Actions taken to date", "Zoe", "[child]"),
        ("Actions taken to date", "12 May 2014", "[date of birth]"),
    ]
    assert rows(dialog)[0][3].startswith("«Zoe»'s brother Sam told CSC on 12 May")
    assert "CSC on «12 May 2014» <b>Sam</b> lives" in rows(dialog)[1][3]
    assert dialog.summary.text().startswith("2 things are taken out")

    qtbot.keyClicks(dialog.extra, "sam")
    qtbot.keyClick(dialog.extra, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.extra, "acacia  AVENUE")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()  # Enter took the word out; it did not produce the form
    taken = [(found, marker) for _, found, marker, _ in rows(dialog)]
    assert taken == [
        ("Zoe", "[child]"),
        ("Sam", "[redacted]"),
        ("12 May 2014", "[date of birth]"),
        ("Sam", "[redacted]"),
        ("Acacia Avenue", "[redacted]"),
    ]
    assert dialog.redacted.texts["Actions taken to date"] == (
        "[child]'s brother [redacted] told CSC on [date of birth] <b>[redacted]</b> lives on "
        "[redacted]."
    )
    # What was typed is shown as typed, never as markup.
    assert dialog.added.textFormat() == Qt.TextFormat.PlainText
    assert dialog.added.text() == "Also taken out, as [redacted]: sam; acacia AVENUE"
    dialog.confirm_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.by_hand == ["sam", "acacia AVENUE"]


@pytest.fixture
def store(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> PlainStore:
    store = PlainStore(tmp_path_factory.mktemp("review") / "demo.db")
    create_demo(store, library)
    return store


def test_the_form_is_produced_from_what_the_dsl_confirmed(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    ref = next(
        r.ref
        for r in list_escalations(store)
        if (r.child_name, r.policy_id, r.status) == ("Zoë Nguyễn", "gloucestershire", "open")
    )
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    form = view.monitoring_form()
    assert isinstance(form, MonitoringFormDialog)
    form.actions_text.clear()
    qtbot.keyClicks(form.actions_text, TYPED)
    form.anonymous.setChecked(True)
    save(qtbot, form)
    review = next(d for d in view.dialogs if isinstance(d, RedactionReviewDialog))
    assert not any(isinstance(d, PdfPreviewDialog) for d in view.dialogs)  # not before
    qtbot.keyClicks(review.extra, "Sam")
    qtbot.keyClick(review.extra, Qt.Key.Key_Return)
    with qtbot.waitSignal(review.finished):
        review.confirm_button.click()
    preview = next(d for d in view.dialogs if isinstance(d, PdfPreviewDialog))
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(preview._pdf)).pages
    )
    for identifying in ("Zoe", "Zoë", "Nguy", "12 May 2014", "12/05/2014", "Sam"):
        assert identifying not in text, identifying
    assert "[child]'s brother [redacted] told CSC" in text
    preview.close()
    view.close()


def test_the_disclosure_is_produced_from_what_the_dsl_confirmed(
    qtbot: QtBot, store: PlainStore
) -> None:
    from ui.dialogs.child_records import ChildRecordsDialog

    previews: list[tuple[str, bytes, str]] = []
    dialog = ChildRecordsDialog(
        store,
        setting="St Aidan's",
        dsl="Ms Hannah Okafor",
        actor="DSL",
        preview=lambda *a: previews.append(a),
    )
    qtbot.addWidget(dialog)
    dialog.child.setCurrentIndex(dialog.child.findText("Zoë Nguyễn", Qt.MatchFlag.MatchStartsWith))
    dialog.show_disclosure()
    review = dialog.review
    assert review is not None and previews == []
    assert {"Ms Grace Adeyemi", "[third party]"} <= {c for row in rows(review) for c in row[1:3]}
    qtbot.keyClicks(review.extra, "front door")
    qtbot.keyClick(review.extra, Qt.Key.Key_Return)
    assert ("front door", "[redacted]") in [row[1:3] for row in rows(review)]
    review.confirm_button.click()
    [(_, pdf, _)] = previews
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "front door" not in text and "Grace" not in text and "[redacted]" in text
    assert "Zoë Nguyễn" in text  # the child's own name stays
