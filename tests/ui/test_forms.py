"""The forms' manners: problems shown beside the field they are about, nothing typed
lost when a save is refused, a question before unsaved work is thrown away, and, from
the main window, Ctrl+N to a new escalation and the lock that wipes every form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.policy import PolicyLibrary
from app.services.escalations import list_escalations
from app.services.people import add_child, list_children
from app.services.settings import SettingDetails
from tests.plain_store import PlainStore
from tests.ui.conftest import PASSPHRASE, child_names_in, find_top_level, shown_texts
from ui.dialogs.conference_dissent import ConferenceDissentDialog
from ui.dialogs.new_escalation import NewEscalationDialog
from ui.dialogs.stop_and_review import StopAndReviewDialog
from ui.escalation.view import EscalationView
from ui.main_window import MainWindow
from ui.widgets import form_dialog
from ui.widgets.form_dialog import FieldRow, FormDialog

NOW = datetime(2026, 11, 27, 16, 0)  # a Friday, 4 pm
SETTINGS = SettingDetails(
    setting_name="Riverside Primary School",
    dsl_name="Ms Hannah Okafor",
    default_policy="gloucestershire",
)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    # A form left with unsaved text is closed when the test ends: answer "Discard"
    # rather than wait for a person (tests that check the question patch it again).
    monkeypatch.setattr(form_dialog, "ask_discard", lambda _parent: True)
    yield
    delete_windows()


def delete_windows() -> None:
    """Delete this test's windows now, so the next test's check for child data left on
    screen sees only its own."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, EscalationView | FormDialog):
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def store(tmp_path: Path) -> PlainStore:
    store = PlainStore(tmp_path / "forms.db")
    add_child(store, name="Zoë Nguyễn", date_of_birth=date(2014, 5, 12), actor="DSL")
    return store


def typed(dialog: QWidget) -> dict[str, str]:
    """What every text field of a form holds, by accessible name."""
    out = {}
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):  # a field the form does not ask for now
            continue
        if isinstance(widget, QPlainTextEdit):
            out[widget.accessibleName()] = widget.toPlainText()
        elif isinstance(widget, QLineEdit) and widget.accessibleName():
            out[widget.accessibleName()] = str(widget.property("text"))
    return out


def shown_problems(dialog: FormDialog) -> dict[str, str]:
    return {
        key: str(row.error.property("text"))
        for key, row in dialog.rows.items()
        if row.error.isVisibleTo(dialog)
    }


def assert_beside(dialog: FormDialog, key: str) -> None:
    """The message is in the field's own row, directly under the field."""
    row = dialog.rows[key]
    assert isinstance(row, FieldRow) and row.error.isVisibleTo(dialog)
    assert row.error.parentWidget() is row and row.field.parentWidget() is row
    field = row.field.geometry()
    message = row.error.geometry()
    assert message.top() >= field.bottom() and message.top() - field.bottom() < 12
    assert message.left() == field.left()


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as from the keyboard (QTest can only press keys for ASCII characters; the
    rest are inserted as an input method would)."""
    widget.setFocus()
    plain = text.encode("ascii", "ignore").decode()
    if plain == text:
        qtbot.keyClicks(widget, text)
    elif isinstance(widget, QLineEdit):
        qtbot.keyClicks(widget, " ")
        widget.backspace()
        widget.insert(text)
    elif isinstance(widget, QPlainTextEdit):
        qtbot.keyClicks(widget, " ")
        widget.clear()
        widget.insertPlainText(text)


def test_new_escalation_keeps_everything_typed_when_dates_are_impossible(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.new_child.setChecked(True)
    type_into(qtbot, form.child_name, "Łucja Wiśniewska")
    form.date_of_birth.set_value(date(2027, 3, 1))  # after today
    type_into(qtbot, form.identifier, "UPN-A1002")
    form.raised_by.clear()
    type_into(qtbot, form.raised_by, "Mr Ben Hughes")
    type_into(qtbot, form.other_agency, "Health visiting")
    type_into(qtbot, form.other_practitioner, "Health Visitor")
    form.category.setCurrentIndex(form.category.findData("roles"))
    type_into(qtbot, form.disputed, "Who leads on the home visit.")
    type_into(qtbot, form.change_wanted, "A named lead for the family.")
    type_into(qtbot, form.impact, "Nobody has seen the child at home.")
    form.raised_at.set_value(datetime(2026, 11, 20, 9, 30))
    form.protect_by.set_value(date(2026, 11, 18))  # before the date raised
    before = typed(form)
    assert len(before) >= 8 and all(before.values())

    form.save_button.click()

    assert form.isVisible() and form.created is None
    assert typed(form) == before  # nothing typed is lost
    problems = shown_problems(form)
    assert set(problems) == {"Date of birth", "Child-safety date"}
    assert "cannot be in the future (01/03/2027)" in problems["Date of birth"]
    assert "cannot be before the date raised (20/11/2026)" in problems["Child-safety date"]
    assert_beside(form, "Date of birth")
    assert_beside(form, "Child-safety date")
    assert "2 things need attention" in str(form.message.property("text"))
    assert list_children(store)[0].name == "Zoë Nguyễn" and len(list_children(store)) == 1

    # Mended, it saves: one child added, one escalation opened, problems gone.
    form.date_of_birth.set_value(date(2016, 9, 3))
    form.protect_by.set_value(date(2026, 11, 25))
    form.save_button.click()
    assert form.created is not None and not form.isVisible()
    assert sorted(c.name for c in list_children(store)) == ["Zoë Nguyễn", "Łucja Wiśniewska"]
    assert [r.child_name for r in list_escalations(store)] == ["Łucja Wiśniewska"]


def test_new_escalation_required_fields_and_live_deadline(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    assert form.existing_child.isChecked()  # a child is already recorded
    form.save_button.click()
    assert set(shown_problems(form)) == {
        "Child",
        "Date raised",  # empty until typed: every deadline runs from it
        "Other agency",
        "Category",
        "What is disputed",
        "What we want to change for the child",
        "Impact on the child",
    }
    assert_beside(form, "What is disputed")
    # The deadline follows the dates as they are typed (Gloucestershire: 5 working days).
    form.raised_at.set_value(datetime(2026, 11, 20, 9, 30))
    assert "Fri 27/11/2026" in str(form.deadline.property("text"))
    form.protect_by.set_value(date(2026, 11, 24))
    assert "Tue 24/11/2026" in str(form.deadline.property("text"))
    assert "Child-safety date" in str(form.deadline_rule.property("text"))
    # Another policy's pathways, and its own summary and date.
    form.policy.setCurrentIndex(form.policy.findData("suffolk"))
    ids = [form.pathway.itemData(i) for i in range(form.pathway.count())]
    assert ids == [p.id for p in library.get("suffolk").pathways]
    assert "August 2017" in str(form.currency.property("text"))


def test_immediate_risk_banner_shows_at_once_with_the_policy_words(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    assert not form.risk_banner.isVisible()
    form.immediate_risk.click()
    assert form.risk_banner.isVisible()
    banner = str(form.risk_banner.property("text"))
    assert "999" in banner and "Children's Social Care now" in banner
    assert "designated safeguarding lead" in banner  # Gloucestershire's own words


def test_immediate_risk_banner_never_quotes_a_silent_document(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    """York's document says nothing on immediate risk: the app's advice is not its."""
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    form.policy.setCurrentIndex(form.policy.findData("york"))
    form.immediate_risk.click()
    banner = QTextDocumentFragment.fromHtml(str(form.risk_banner.property("text"))).toPlainText()
    assert "CYSCP's document says nothing about a child at immediate risk" in banner
    assert "CYSCP says" not in banner and "999" in banner  # the app's own advice


def test_conference_dissent_in_the_future_keeps_what_was_typed(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    view = _view(qtbot, store, library, "york", "conference-dissent")
    dialog = view.conference_dissent()
    assert isinstance(dialog, ConferenceDissentDialog)
    assert "Raise it with the IRO Manager by: " in str(dialog.deadline.property("text"))
    assert "2 working days" in str(dialog.deadline.property("text"))
    dialog.conference_date.set_value(date(2026, 12, 1))  # after today
    type_into(qtbot, dialog.chair, "Independent Conference Chair")
    type_into(qtbot, dialog.decision, "No child protection plan")
    type_into(qtbot, dialog.reasons, "Repeated bruising.")
    before = typed(dialog)
    dialog.save_button.click()
    assert dialog.isVisible() and typed(dialog) == before
    problems = shown_problems(dialog)
    assert set(problems) == {"Conference date", "Further risk"}
    assert "cannot be in the future (01/12/2026)" in problems["Conference date"]
    assert_beside(dialog, "Conference date")
    assert_beside(dialog, "Further risk")


def test_a_refusal_by_the_service_shows_each_problem_beside_its_field(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service checks the same problems() as the form; should it refuse what the form
    let through (something changed in between), every problem still goes beside its
    field, not into one message, and nothing typed is lost."""
    view = _view(qtbot, store, library, "york", "conference-dissent")
    dialog = view.conference_dissent()
    assert isinstance(dialog, ConferenceDissentDialog)
    dialog.conference_date.set_value(date(2026, 12, 1))  # after today
    type_into(qtbot, dialog.chair, "Independent Conference Chair")
    type_into(qtbot, dialog.decision, "No child protection plan")
    type_into(qtbot, dialog.reasons, "Repeated bruising.")
    dialog.further_risk.yes.click()
    dialog.raised_with.clear()
    monkeypatch.setattr(dialog, "problems", lambda: [])  # the form lets it through
    before = typed(dialog)
    dialog.save_button.click()
    assert dialog.isVisible() and typed(dialog) == before
    assert set(shown_problems(dialog)) == {"Conference date", "Raised with"}
    assert_beside(dialog, "Conference date")
    assert_beside(dialog, "Raised with")


def test_stop_and_review_meeting_before_the_request(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    view = _view(qtbot, store, library, "suffolk", "stop-and-review-cic")
    dialog = view.stop_and_review()
    assert isinstance(dialog, StopAndReviewDialog)
    dialog.requested_on.set_value(date(2026, 11, 20))
    type_into(qtbot, dialog.manager, "Mrs Priya Shah")
    type_into(qtbot, dialog.not_progressing, "Placement not arranged.")
    type_into(qtbot, dialog.interventions, "Virtual school.")
    type_into(qtbot, dialog.why_not, "No placement identified.")
    dialog.meeting_date.set_value(date(2026, 11, 19))
    before = typed(dialog)
    dialog.save_button.click()
    assert dialog.isVisible() and typed(dialog) == before
    assert shown_problems(dialog) == {
        "Meeting date": "⚠ Meeting date cannot be before the request (20/11/2026)."
    }
    assert_beside(dialog, "Meeting date")
    # Built from the pathway's roles: the IRO consulted, the early CIC review, and
    # where it goes if still unresolved.
    assert dialog.iro_consulted is not None and dialog.early_review is not None
    unresolved = [
        w
        for w in dialog.findChildren(QLabel)
        if w.accessibleName() == "If it is still not resolved"
    ]
    assert "Heads of Service" in str(unresolved[0].property("text"))


def _view(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, policy: str, pathway: str
) -> EscalationView:
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    form.child.setCurrentIndex(1)
    form.other_agency.setText("Children's Social Care")
    form.policy.setCurrentIndex(form.policy.findData(policy))
    form.pathway.setCurrentIndex(form.pathway.findData(pathway))
    for box in (form.disputed, form.change_wanted, form.impact):
        box.setPlainText("Stated.")
    form.raised_at.set_value(datetime(2026, 11, 20, 9, 30))
    form.save_button.click()
    assert form.created is not None, shown_problems(form)
    view = EscalationView(store, library, SETTINGS, form.created.ref)
    qtbot.addWidget(view)
    view.show()
    return view


def test_an_unsaved_form_asks_before_closing(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    answer = [False]

    def ask(_parent: QWidget) -> bool:
        asked.append(True)
        return answer[0]

    monkeypatch.setattr(form_dialog, "ask_discard", ask)
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    form.reject()  # nothing typed yet: closes without a question
    assert not form.isVisible() and asked == []

    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, form.disputed, "Something typed")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked == [True] and form.isVisible()  # "Keep editing"
    form.close()
    assert asked == [True, True] and form.isVisible()
    assert form.disputed.toPlainText() == "Something typed"
    answer[0] = True
    form.close()
    assert not form.isVisible()


def test_ctrl_n_opens_the_form_and_then_the_new_escalation(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    before = set(unlocked.workspace.escalations.visible_refs())
    qtbot.keyClick(unlocked.workspace.escalations.table, Qt.Key.Key_N, CTRL)
    forms = find_top_level(NewEscalationDialog)
    assert len(forms) == 1
    form = forms[0]
    assert isinstance(form, NewEscalationDialog)
    assert form.policy.currentData() == "gloucestershire"  # the setting's default
    form.child.setCurrentIndex(1)
    qtbot.keyClicks(form.raised_at.edit, "27/11/2026 15:00")
    form.other_agency.setText("Early Help")
    form.category.setCurrentIndex(form.category.findData("case-closure"))
    for box in (form.disputed, form.change_wanted, form.impact):
        box.setPlainText("Stated.")
    form.save_button.click()
    assert form.created is not None
    ref = form.created.ref
    assert set(unlocked.workspace.escalations.visible_refs()) == before | {ref}
    assert list(unlocked.views) == [ref]
    assert unlocked.views[ref].isVisible()
    assert unlocked.new_action.shortcut().toString() == "Ctrl+N"


def test_lock_hides_the_view_and_an_unsaved_form_without_asking(
    qtbot: QtBot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(_parent: QWidget) -> bool:
        raise AssertionError("the lock must not ask")

    monkeypatch.setattr(form_dialog, "ask_discard", never)
    ref = unlocked.workspace.escalations.visible_refs()[0]
    view = unlocked.open_escalation(ref)
    assert view is not None
    discussion = view.record_discussion()
    type_into(qtbot, discussion.summary, "Zoë said she is frightened at home.")  # type: ignore[attr-defined]
    preview = view.document("chronology")
    assert preview is not None and preview.isVisible()
    form = unlocked.new_escalation()
    assert form is not None
    type_into(qtbot, form.disputed, "Łucja Wiśniewska was not seen.")
    assert child_names_in(shown_texts())

    qtbot.keyClick(form.disputed, Qt.Key.Key_L, CTRL)

    # Hidden, kept for the same file's unlock (tests/ui/test_lock_keeps_typing.py).
    assert not unlocked.is_unlocked
    assert child_names_in(shown_texts(on_screen=True)) == []
    assert "frightened" not in shown_texts(on_screen=True)
    assert find_top_level(EscalationView) == [] and find_top_level(FormDialog) == []
    # Closed for good (another file, a restore, quitting): wiped, still without asking.
    unlocked.lock(keep_windows=False)
    assert child_names_in(shown_texts()) == []
    assert "frightened" not in shown_texts()
    assert unlocked.views == {} and unlocked.keeper.kept == []


def test_every_form_is_named_dated_en_gb_and_starts_weeks_on_monday(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    from PySide6.QtWidgets import QDateTimeEdit

    from tests.ui.test_accessibility import unnamed_controls

    dissent = _view(qtbot, store, library, "buckinghamshire", "conference-dissent")
    review = _view(qtbot, store, library, "suffolk", "stop-and-review")
    save_discussion = dissent.record_discussion()
    save_discussion.summary.setPlainText("Spoke to the chair.")  # type: ignore[attr-defined]
    save_discussion.save_button.click()  # type: ignore[attr-defined]
    save_action = dissent.add_action()
    save_action.description.setPlainText("Send the minutes")  # type: ignore[attr-defined]
    save_action.owner.setText("DSL")  # type: ignore[attr-defined]
    save_action.save_button.click()  # type: ignore[attr-defined]
    dialogs = [
        NewEscalationDialog(store, library, SETTINGS),
        dissent.record_discussion(),
        dissent.approve(),
        dissent.add_action(),
        dissent.complete_action(),
        dissent.amend(),
        dissent.move_stage(),
        dissent.conference_dissent(),
        dissent.agree_outcome(),
        dissent.withdraw(),
        dissent.monitoring_form(),
        review.stop_and_review(),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__
        for edit in dialog.findChildren(QDateTimeEdit):
            assert edit.displayFormat() in ("dd/MM/yyyy", "dd/MM/yyyy HH:mm")
            assert edit.calendarWidget().firstDayOfWeek() == Qt.DayOfWeek.Monday
    assert unnamed_controls(dissent) == []


def test_a_lock_while_the_discard_question_is_up_keeps_the_form(
    qtbot: QtBot, unlocked: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = unlocked.new_escalation()
    assert form is not None
    type_into(qtbot, form.disputed, "Zoë Nguyễn has bruises.")

    def idle_lock_meanwhile(_parent: QWidget) -> bool:
        unlocked.lock()  # the idle timer fires while the question waits
        return False  # then the question is answered "Keep editing"

    monkeypatch.setattr(form_dialog, "ask_discard", idle_lock_meanwhile)
    form.reject()
    assert not unlocked.is_unlocked
    assert not form.isVisible()
    assert child_names_in(shown_texts(on_screen=True)) == []
    unlocked.unlock(PASSPHRASE)  # the form comes back, as typed
    assert form.isVisible() and form.disputed.toPlainText() == "Zoë Nguyễn has bruises."


def test_suffolk_dissent_works_out_the_parent_complaint_from_the_minutes(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    """The policy's other deadline ("within 28 days of receiving the minutes") is
    worked out from the day typed, shown at once, saved with the record and refused
    before the conference."""
    view = _view(qtbot, store, library, "suffolk", "conference-dissent")
    dialog = view.conference_dissent()
    assert isinstance(dialog, ConferenceDissentDialog)
    minutes = dialog.event_fields["receiving the minutes of the conference"]
    said = next(
        label
        for label in dialog.findChildren(QLabel)
        if label.accessibleName() == "Parent or carer complaint about the conference"
    )
    assert "give the date of receiving the minutes" in said.text()
    type_into(qtbot, dialog.conference_date.edit, "20/11/2026")
    type_into(qtbot, dialog.chair, "Independent Conference Chair")
    type_into(qtbot, dialog.decision, "No child protection plan")
    type_into(qtbot, dialog.reasons, "Repeated bruising.")
    dialog.further_risk.yes.click()
    type_into(qtbot, minutes.edit, "19/11/2026")  # before the conference
    assert "by Thu 17/12/2026" in said.text()  # 28 calendar days, worked out as typed
    dialog.save_button.click()
    problems = shown_problems(dialog)
    assert set(problems) == {"Date of receiving the minutes of the conference"}
    assert "cannot be before the conference date (20/11/2026)" in next(iter(problems.values()))
    minutes.edit.selectAll()
    type_into(qtbot, minutes.edit, "23/11/2026")
    assert "by Mon 21/12/2026" in said.text()
    dialog.save_button.click()
    assert not dialog.isVisible(), shown_problems(dialog)
    assert view.detail is not None
    saved = next(r for r in view.detail.records if r.kind == "conference-dissent")
    assert saved.current.content["event_dates"] == {
        "receiving the minutes of the conference": "2026-11-23"
    }
