"""The new-escalation form as a DSL meets it: an untouched form shows no refusal, the
rows a pathway adds are laid out whole, and the policies read in the order of their
partnerships' names."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.screen_fit import squeezed_text
from ui.main_window import MainWindow


def test_the_decision_row_and_its_note_are_laid_out_whole(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    qtbot.waitExposed(form)
    for _ in range(5):
        QApplication.processEvents()
    form.policy.setCurrentIndex(form.policy.findData("york"))
    for _ in range(5):
        QApplication.processEvents()
    form.pathway.setCurrentIndex(form.pathway.findData("conference-dissent"))
    for _ in range(5):
        QApplication.processEvents()
    assert form.decided_on.isVisible()
    assert squeezed_text(form) == []
    form.discard()


def test_an_untouched_form_shows_a_hint_and_a_wrong_date_its_refusal(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    qtbot.waitExposed(form)
    preview = form.deadline
    assert preview.text() == "Stage 1's deadline shows here once you type the date raised."
    assert not preview.font().bold()
    assert "⚠" not in form.raised_at.words.text()  # nothing typed is not a mistake
    form.raised_at.edit.setFocus()
    qtbot.keyClicks(form.raised_at.edit, "31/02")
    assert preview.text() == "Date raised: 31/02 needs a year."
    assert preview.font().bold()
    assert form.raised_at.words.text() == "⚠ 31/02 needs a year."
    qtbot.keyClicks(form.raised_at.edit, "/2026 10:00")
    assert preview.text() == "Date raised: 31/02/2026 is not a date: February 2026 has 28 days."
    form.raised_at.edit.clear()
    qtbot.keyClicks(form.raised_at.edit, "20/11/2026 09:30")
    assert preview.text().startswith("Stage 1 deadline: Fri 27/11/2026.")
    assert preview.font().bold()
    form.raised_at.edit.clear()  # emptied again: the hint, not a refusal
    assert not preview.font().bold() and "type the date raised" in preview.text()
    form.discard()


def test_every_policy_list_reads_in_the_order_of_the_partnerships_names(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    settings = unlocked.show_settings()
    assert settings is not None
    for combo in (form.policy, settings.policy):  # type: ignore[attr-defined]
        names = [combo.itemText(i) for i in range(combo.count())]
        assert names == sorted(names, key=str.casefold)
        york = names.index(next(n for n in names if n.startswith("City of York")))
        assert york < names.index(next(n for n in names if n.startswith("Wirral")))
    form.discard()
    settings.close()
