"""Every date field of every form, typed into key by key as a person in England writes
a date, saves exactly that date (read back through the services); what is not a date
is refused with its reason beside the field and nothing saved. A date of birth left
empty is refused unless "not known" is ticked, which then shows on the documents and
in the retention review."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.records import Action, Outcome, Party
from app.domain.typed_dates import BIRTH_DATES, EVENT_DATES, read_date, read_datetime
from app.domain.validation import FieldError
from app.services.documents import DocumentKind, generate_document
from app.services.escalations import (
    DECISION_FIELD,
    NewEscalation,
    agree_outcome,
    escalation_detail,
    list_escalations,
)
from app.services.escalations import open_escalation as open_on_file
from app.services.people import list_children
from app.services.records import add_action
from app.storage.database import Database
from ui.dialogs import agree_outcome as agree_outcome_dialog
from ui.escalation.view import EscalationView
from ui.main_window import MainWindow
from ui.widgets import form_dialog
from ui.widgets.date_field import DateField
from ui.widgets.form_dialog import FormDialog, sentence

NOW = datetime(2026, 11, 27, 16, 0)  # a Friday, 4 pm
RAISED = datetime(2014, 9, 15, 9, 0)  # before every date typed below, so each is allowed
TYPED = ["22/09/2014", "22/9/2014", "22092014", "22-09-2014", "22.09.2014", "2014-09-22"]
CLOCKS = ["14:30", "14.30"]
SEPT_22, SEPT_22_AT_1430 = date(2014, 9, 22), datetime(2014, 9, 22, 14, 30)
REFUSED = ["31/02/2015", "22/09", "22/09/14", "31/12/1999", "hello"]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(form_dialog, "ask_discard", lambda _parent: True)
    # Agreeing an outcome asks first (tests/ui/test_agree_outcome.py): yes.
    monkeypatch.setattr(agree_outcome_dialog, "ask_to_agree", lambda _parent, _question: True)
    yield
    for widget in QApplication.topLevelWidgets():  # this test's windows, gone now
        if isinstance(widget, EscalationView | FormDialog):
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def laptop(unlocked: MainWindow) -> MainWindow:
    unlocked.resize(1366, 768)  # a school laptop's screen
    return unlocked


def db_of(window: MainWindow) -> Database:
    assert window.database is not None
    return window.database


def type_date(qtbot: QtBot, field: DateField, text: str) -> None:
    """Select what the field holds and type over it, one key at a time."""
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(field.edit, text)
    assert field.edit.text() == text


def fresh_escalation(window: MainWindow, pathway: tuple[str, str]) -> str:
    """An escalation raised on 15/09/2014, on the file, for one form to be saved on."""
    db = db_of(window)
    child = next(c for c in list_children(db) if c.name == "Zoë Nguyễn")
    form = NewEscalation(
        child_id=child.id,
        policy_id=pathway[0],
        pathway_id=pathway[1],
        raised_at=RAISED,
        raised_by="Ms Hannah Okafor",
        other_agency="Children's Social Care",
        other_practitioner="Ms Grace Adeyemi",
        category="threshold",
        disputed="Threshold for a strategy discussion.",
        change_wanted="A strategy discussion.",
        impact="Bruising seen twice.",
    )
    return open_on_file(db, window.session.library, form, actor="DSL").ref


# Each form's date fields: how to open the form, what else it needs, where the date is saved.

Opened = tuple[FormDialog, str]  # the form, and the escalation it is on ("" for a new one)


def new_escalation(qtbot: QtBot, window: MainWindow, _pathway: tuple[str, str]) -> Opened:
    form = window.new_escalation()
    assert form is not None
    form.existing_child.setChecked(True)
    form.child.setCurrentIndex(1)
    qtbot.keyClicks(form.other_agency, "Children's Social Care")
    form.category.setCurrentIndex(form.category.findData("threshold"))
    for box in (form.disputed, form.change_wanted, form.impact):
        qtbot.keyClicks(box, "Stated.")
    return form, ""


def new_child(qtbot: QtBot, window: MainWindow, pathway: tuple[str, str]) -> Opened:
    form, ref = new_escalation(qtbot, window, pathway)
    form.new_child.setChecked(True)  # type: ignore[attr-defined]
    qtbot.keyClicks(form.child_name, "Nia Typed")  # type: ignore[attr-defined]
    return form, ref


def on_pathway(qtbot: QtBot, window: MainWindow, pathway: tuple[str, str]) -> Opened:
    """The new-escalation form with a policy and pathway chosen as a person would."""
    form, ref = new_escalation(qtbot, window, pathway)
    form.policy.setCurrentIndex(form.policy.findData(pathway[0]))  # type: ignore[attr-defined]
    form.pathway.setCurrentIndex(form.pathway.findData(pathway[1]))  # type: ignore[attr-defined]
    return form, ref


def on_view(
    open_form: Callable[[object], object],
    fill: Callable[[QtBot, FormDialog], None],
    first: Callable[[Database, str], object] = lambda _db, _ref: None,
) -> Callable[[QtBot, MainWindow, tuple[str, str]], Opened]:
    """A form opened from a new escalation's window (``first`` adds what it needs)."""

    def opened(qtbot: QtBot, window: MainWindow, pathway: tuple[str, str]) -> Opened:
        ref = fresh_escalation(window, pathway)
        first(db_of(window), ref)
        view = window.open_escalation(ref)
        form = open_form(view)
        assert isinstance(form, FormDialog)
        fill(qtbot, form)
        return form, ref

    return opened


def an_action(db: Database, ref: str) -> object:
    return add_action(db, ref, Action(description="Send the minutes", owner="DSL"), actor="DSL")


def nothing(_qtbot: QtBot, _form: FormDialog) -> None:
    pass


def summary(qtbot: QtBot, form: FormDialog) -> None:
    qtbot.keyClicks(form.summary, "Spoke to the social worker.")  # type: ignore[attr-defined]


def action(qtbot: QtBot, form: FormDialog) -> None:
    qtbot.keyClicks(form.description, "Send the minutes")  # type: ignore[attr-defined]
    qtbot.keyClicks(form.owner, "DSL")  # type: ignore[attr-defined]


def result(qtbot: QtBot, form: FormDialog) -> None:
    qtbot.keyClicks(form.result_text, "Not resolved.")  # type: ignore[attr-defined]


def dissent(qtbot: QtBot, form: FormDialog, conference: str = "") -> None:
    if conference:
        type_date(qtbot, form.conference_date, conference)  # type: ignore[attr-defined]
    for name, text in (("chair", "Ms Chair"), ("decision", "No plan"), ("reasons", "Risk")):
        qtbot.keyClicks(getattr(form, name), text)
    form.further_risk.yes.click()  # type: ignore[attr-defined]


def stop_and_review(qtbot: QtBot, form: FormDialog, requested: str = "") -> None:
    if requested:
        type_date(qtbot, form.requested_on, requested)  # type: ignore[attr-defined]
    for name in ("manager", "not_progressing", "interventions", "why_not"):
        qtbot.keyClicks(getattr(form, name), "Stated.")


def agreed(qtbot: QtBot, form: FormDialog) -> None:
    qtbot.keyClicks(form.agreed, "A strategy discussion on Monday.")  # type: ignore[attr-defined]


def actions_so_far(qtbot: QtBot, form: FormDialog) -> None:
    qtbot.keyClicks(form.actions_text, "Raised with the team manager.")  # type: ignore[attr-defined]


def record(kind: str, key: str) -> Callable[[Database, FormDialog, str], object]:
    def saved(db: Database, _form: FormDialog, ref: str) -> object:
        found = [r for r in escalation_detail(db, ref).records if r.kind == kind]
        value = found[-1].current.content[key] if found else None
        return None if value is None else datetime.fromisoformat(str(value))

    return saved


def created(read: Callable[[object], object]) -> Callable[[Database, FormDialog, str], object]:
    def saved(db: Database, form: FormDialog, _ref: str) -> object:
        made = form.created  # type: ignore[attr-defined]
        return None if made is None else read(escalation_detail(db, made.ref))

    return saved


@dataclass(frozen=True)
class Field:
    form: str
    key: str  # the field's row in the form (and its name in the messages)
    attr: str
    opened: Callable[[QtBot, MainWindow, tuple[str, str]], Opened]
    saved: Callable[[Database, FormDialog, str], object]
    with_time: bool = False
    pathway: tuple[str, str] = ("buckinghamshire", "conference-dissent")

    @property
    def kind(self) -> object:
        return BIRTH_DATES if self.key == "Date of birth" else EVENT_DATES


STOP = ("suffolk", "stop-and-review")
FIELDS = [
    Field(
        "new escalation",
        "Date of birth",
        "date_of_birth",
        new_child,
        created(lambda d: d.child.date_of_birth),  # type: ignore[attr-defined]
    ),
    Field(
        "new escalation",
        "Date raised",
        "raised_at",
        new_escalation,
        created(lambda d: d.row.raised_at),  # type: ignore[attr-defined]
        with_time=True,
    ),
    Field(
        "new escalation",
        "Child-safety date",
        "protect_by",
        new_escalation,
        created(lambda d: d.protect_by),  # type: ignore[attr-defined]
    ),
    Field(
        "new escalation",
        DECISION_FIELD,
        "decided_on",
        on_pathway,
        created(lambda d: d.decided_on),  # type: ignore[attr-defined]
        pathway=("york", "conference-dissent"),  # its clock runs from the conference
    ),
    Field(
        "discussion",
        "When the discussion took place",
        "held_at",
        on_view(lambda v: v.record_discussion(), summary),  # type: ignore[attr-defined]
        record("discussion", "held_at"),
        with_time=True,
    ),
    Field(
        "action",
        "Due date",
        "due",
        on_view(lambda v: v.add_action(), action),  # type: ignore[attr-defined]
        record("action", "due"),
    ),
    Field(
        "complete action",
        "Date completed",
        "completed_on",
        on_view(lambda v: v.complete_action(), nothing, an_action),  # type: ignore[attr-defined]
        record("action", "completed_on"),
    ),
    Field(
        "move stage",
        "Date moved",
        "moved_at",
        on_view(lambda v: v.move_stage(), result),  # type: ignore[attr-defined]
        lambda db, _f, ref: escalation_detail(db, ref).stages[1].started_at,
        with_time=True,
    ),
    Field(
        "conference dissent",
        "Conference date",
        "conference_date",
        on_view(lambda v: v.conference_dissent(), dissent),  # type: ignore[attr-defined]
        record("conference-dissent", "conference_date"),
    ),
    Field(
        "conference dissent",
        "Date raised",
        "raised_on",
        on_view(
            lambda v: v.conference_dissent(),  # type: ignore[attr-defined]
            lambda q, f: dissent(q, f, conference="15/09/2014"),
        ),
        record("conference-dissent", "raised_on"),
    ),
    Field(
        "stop and review",
        "Date requested",
        "requested_on",
        on_view(lambda v: v.stop_and_review(), stop_and_review),  # type: ignore[attr-defined]
        record("stop-and-review", "requested_on"),
        pathway=STOP,
    ),
    Field(
        "stop and review",
        "Meeting date",
        "meeting_date",
        on_view(
            lambda v: v.stop_and_review(),  # type: ignore[attr-defined]
            lambda q, f: stop_and_review(q, f, requested="15/09/2014"),
        ),
        record("stop-and-review", "meeting_date"),
        pathway=STOP,
    ),
    Field(
        "agree outcome",
        "Date agreed",
        "agreed_on",
        on_view(lambda v: v.agree_outcome(), agreed),  # type: ignore[attr-defined]
        record("outcome", "agreed_on"),
    ),
    Field(
        "monitoring form",
        "Copied to the partnership",
        "copied_on",
        on_view(lambda v: v.monitoring_form(), actions_so_far),  # type: ignore[attr-defined]
        record("monitoring-form", "copied_to_partnership_on"),
    ),
]


def fill_other_dates(qtbot: QtBot, form: FormDialog, field: Field) -> None:
    """A new escalation needs its date raised (unless that is the field under test)."""
    if field.form == "new escalation" and field.attr != "raised_at":
        # Raised after the decision it disputes.
        raised = "30/09/2014 09:00" if field.attr == "decided_on" else "15/09/2014 09:00"
        type_date(qtbot, form.raised_at, raised)  # type: ignore[attr-defined]


def as_saved(value: object, with_time: bool) -> object:
    """A stored value as a date, or a date and time for a date-and-time field."""
    if isinstance(value, datetime) and not with_time:
        return value.date()
    return value


def words_fit(form: FormDialog, date_field: DateField) -> bool:
    """The date in words is on show, beside the field and inside the window."""
    words = date_field.words
    right = words.mapTo(form, words.rect().topRight()).x()
    return words.isVisibleTo(form) and bool(words.text()) and right <= form.width()


@pytest.mark.parametrize("field", FIELDS, ids=[f"{f.form}: {f.key}" for f in FIELDS])
def test_each_way_of_typing_a_date_saves_that_date(
    qtbot: QtBot, laptop: MainWindow, field: Field
) -> None:
    for n, typed in enumerate(TYPED):
        text = f"{typed} {CLOCKS[n % 2]}" if field.with_time else typed
        form, ref = field.opened(qtbot, laptop, field.pathway)
        fill_other_dates(qtbot, form, field)
        date_field = getattr(form, field.attr)
        type_date(qtbot, date_field, text)
        meant = SEPT_22_AT_1430 if field.with_time else SEPT_22
        words = "Monday 22 September 2014" + (" at 14:30" if field.with_time else "")
        assert date_field.words.text() == words, text
        assert words_fit(form, date_field), text
        form.save_button.click()
        assert not form.isVisible(), (text, form.all_problems())
        assert as_saved(field.saved(db_of(laptop), form, ref), field.with_time) == meant, text


def saved_state(db: Database, ref: str) -> object:
    detail = escalation_detail(db, ref) if ref else None
    return (
        [(c.name, c.date_of_birth) for c in list_children(db)],
        [row.ref for row in list_escalations(db)],
        detail and ([r.current.content for r in detail.records], detail.stages),
    )


@pytest.mark.parametrize("field", FIELDS, ids=[f"{f.form}: {f.key}" for f in FIELDS])
def test_what_is_not_a_date_is_refused_beside_the_field_and_nothing_saved(
    qtbot: QtBot, laptop: MainWindow, field: Field
) -> None:
    form, ref = field.opened(qtbot, laptop, field.pathway)
    fill_other_dates(qtbot, form, field)
    date_field = getattr(form, field.attr)
    db = db_of(laptop)
    before = saved_state(db, ref)
    refused = [f"{t} 14:30" for t in REFUSED] + ["22/09/2014"] if field.with_time else REFUSED
    if field.key == "Date of birth":
        refused = [t.replace("1999", "1989") for t in refused]
    for text in refused:
        type_date(qtbot, date_field, text)
        read = read_datetime if field.with_time else read_date
        problem = read(text, field.kind).problem  # type: ignore[operator]
        assert problem and date_field.words.text().endswith(problem[1:]), text
        form.save_button.click()
        assert form.isVisible(), text
        row = form.rows[field.key]
        assert row.error.isVisibleTo(form), text
        assert row.error.text() == f"⚠ {sentence(FieldError(field.key, problem))}", text
        assert not date_field.words.isVisibleTo(form)  # said once, under the field
        assert saved_state(db, ref) == before, text
    # Retyped as a date, the message goes at once and the date in words is back.
    type_date(qtbot, date_field, f"22/09/2014{' 14:30' if field.with_time else ''}")
    assert not form.rows[field.key].error.isVisibleTo(form)
    assert date_field.words.isVisibleTo(form)


def open_new_child_form(qtbot: QtBot, window: MainWindow) -> FormDialog:
    form, _ref = new_child(qtbot, window, ("gloucestershire", "resolution"))
    type_date(qtbot, form.raised_at, "15/09/2014 09:00")  # type: ignore[attr-defined]
    return form


def test_a_date_of_birth_left_empty_is_refused_unless_not_known_is_ticked(
    qtbot: QtBot, laptop: MainWindow
) -> None:
    db = db_of(laptop)
    form = open_new_child_form(qtbot, laptop)
    born = form.date_of_birth  # type: ignore[attr-defined]
    assert born.edit.text() == ""  # no date is there until someone types one
    children = list_children(db)
    form.save_button.click()
    assert form.isVisible() and list_children(db) == children
    assert form.rows["Date of birth"].error.text() == (
        "⚠ Type the date of birth, or tick “Date of birth not known” if nobody knows it."
    )

    born.not_known.click()
    assert born.words.text() == "Not known" and not born.edit.isEnabled()
    form.save_button.click()
    assert not form.isVisible()
    child = next(c for c in list_children(db) if c.name == "Nia Typed")
    assert child.date_of_birth is None and child.retention_review is None
    ref = form.created.ref  # type: ignore[attr-defined]
    view = laptop.open_escalation(ref)
    assert view is not None and "date of birth not known" in view.summary.text()

    # The written confirmation says so, as text.
    agree_outcome(
        db,
        ref,
        Outcome(agreed="Agreed.", parties=[Party(name="Ms Hannah Okafor")], agreed_on=NOW.date()),
        actor="DSL",
    )
    pdf = generate_document(
        db,
        laptop.session.library,
        DocumentKind.CONFIRMATION,
        ref,
        setting="Riverside Primary School",
        dsl="Ms Hannah Okafor",
        actor="DSL",
    ).pdf
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Nia Typed" in text and "Date of birth Not known" in " ".join(text.split())

    # The retention review lists the child for review by hand, not at a made-up date.
    review = laptop.show_retention()
    assert review is not None
    table = review.findChild(QTableWidget)
    rows = {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 3)]
        for r in range(table.rowCount())
    }
    assert rows["Nia Typed"] == ["Not known", "Date of birth not known: review manually"]


def test_alt_down_opens_a_calendar_that_fills_the_field(qtbot: QtBot, laptop: MainWindow) -> None:
    form = open_new_child_form(qtbot, laptop)
    born = form.date_of_birth  # type: ignore[attr-defined]
    born.edit.setFocus()
    qtbot.keyClick(born.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = born.calendar()
    assert calendar.isVisible() and calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    calendar.setSelectedDate(calendar.selectedDate().addYears(-12))
    calendar.activated.emit(calendar.selectedDate())
    assert not calendar.isVisible()
    assert born.edit.text() == "27/11/2014" and born.words.text() == "Thursday 27 November 2014"
    assert form.dirty  # picked from the calendar is typed, as far as the form knows
    qtbot.keyClick(born.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    assert not calendar.isVisible() and born.edit.text() == "27/11/2014"


def test_the_decision_date_is_asked_only_where_the_pathway_counts_from_it(
    qtbot: QtBot, laptop: MainWindow
) -> None:
    form, _ref = on_pathway(qtbot, laptop, ("york", "conference-dissent"))
    form.show()
    decided = form.decided_on  # type: ignore[attr-defined]
    assert decided.isVisibleTo(form) and decided.edit.text() == ""  # no date is assumed
    type_date(qtbot, form.raised_at, "18/12/2026 10:00")  # type: ignore[attr-defined]
    deadline = form.deadline  # type: ignore[attr-defined]
    assert "Tue 22/12/2026" in deadline.text()  # empty: from the day raised
    type_date(qtbot, decided, "16/12/2026")
    assert "Fri 18/12/2026" in deadline.text()  # two working days from the conference
    form.pathway.setCurrentIndex(form.pathway.findData("resolution"))  # type: ignore[attr-defined]
    assert not decided.isVisibleTo(form)
    assert form._typed()[0].decided_on is None  # type: ignore[attr-defined]  # hidden: not saved
