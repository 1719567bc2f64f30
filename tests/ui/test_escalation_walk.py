"""Every pathway of every policy, end to end through the real forms: open it with the
Escalation Monitoring Form, record and approve a discussion, record the conference
dissent or stop and review where the pathway has one, move through every stage, agree
the outcome and produce the written confirmation.

Each stage's deadline as the view shows it is checked against the deadline engine,
called here directly with the start the test chose: the expectation is worked out
independently of the services the view reads from. The clock is pinned after the walk,
so every date typed is in the past, and stage moves cross Christmas 2026.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app import clock
from app.deadlines import fmt_moment, stage_deadline
from app.policy import Nation, PolicyLibrary
from app.services.settings import SettingDetails
from app.team.member import Member, Role
from tests.plain_store import PlainStore
from tests.ui.test_forms import delete_windows
from ui.dialogs import agree_outcome as agree_outcome_dialog
from ui.dialogs.agree_outcome import AgreeOutcomeDialog
from ui.dialogs.approve import ApproveDialog
from ui.dialogs.conference_dissent import ConferenceDissentDialog
from ui.dialogs.discussion import DiscussionDialog
from ui.dialogs.move_stage import MoveStageDialog
from ui.dialogs.new_escalation import NewEscalationDialog
from ui.dialogs.pdf_preview import PdfPreviewDialog
from ui.dialogs.stop_and_review import StopAndReviewDialog
from ui.escalation.view import DUE_COLUMN, EscalationView
from ui.widgets.redaction_review import RedactionReviewDialog

NOW = datetime(2027, 2, 1, 16, 0)  # after every date the walk types
RAISED = datetime(2026, 12, 14, 9, 30)  # a Monday
# When each stage starts (stage 1: when raised). Across Christmas and Boxing Day.
STARTS = {
    1: RAISED,
    2: datetime(2026, 12, 16, 14, 0),
    3: datetime(2026, 12, 18, 14, 0),
    4: datetime(2026, 12, 22, 14, 0),
    5: datetime(2026, 12, 24, 11, 0),
    6: datetime(2026, 12, 29, 10, 0),
    7: datetime(2026, 12, 31, 15, 0),
}
DEPUTY = Member("Mr Ben Hughes", Role.DEPUTY)
SETTINGS = SettingDetails(
    setting_name="Riverside Primary School",
    dsl_name="Ms Hannah Okafor",
    deputies=("Mr Ben Hughes",),
    default_policy="gloucestershire",
    nation=Nation.ENGLAND,
)
PATHWAYS = [
    ("york", "resolution"),
    ("york", "conference-dissent"),
    ("york", "plan-dissent"),
    ("gloucestershire", "resolution"),
    ("north-yorkshire", "resolution"),
    ("buckinghamshire", "resolution"),
    ("buckinghamshire", "conference-dissent"),
    ("buckinghamshire", "allegations"),
    ("suffolk", "resolution"),
    ("suffolk", "conference-dissent"),
    ("suffolk", "plan-dissent"),
    ("suffolk", "stop-and-review"),
    ("suffolk", "stop-and-review-cic"),
]


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    yield
    delete_windows()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlainStore]:
    """One file for every walk: each opens its own escalation (a fast, unencrypted store
    with the real schema; encryption has its own tests)."""
    yield PlainStore(tmp_path_factory.mktemp("walk") / "walk.db")


def expected_due(library: PolicyLibrary, policy: str, pathway: str, number: int) -> str:
    """The deadline the engine gives for this stage started at ``STARTS[number]``."""
    stage = library.get(policy).pathway(pathway).stage(number)
    due = stage_deadline(stage, STARTS[number], RAISED, nation=Nation.ENGLAND).due
    return "No fixed timescale" if due is None else fmt_moment(due)


def due_shown(view: EscalationView, number: int) -> str:
    item = view.stages.item(number - 1, DUE_COLUMN)
    assert item is not None
    return str(item.data(0))


def save(qtbot: QtBot, dialog: QDialog) -> None:
    """Press the form's Save button as a DSL would, and check it was accepted."""
    assert dialog.isVisible()
    dialog.save_button.click()  # type: ignore[attr-defined]
    problems = {k: r.error.property("text") for k, r in dialog.rows.items() if r.error.isVisible()}  # type: ignore[attr-defined]
    assert problems == {} and not dialog.message.isVisible(), (  # type: ignore[attr-defined]
        problems,
        dialog.message.property("text"),  # type: ignore[attr-defined]
    )
    assert dialog.result() == QDialog.DialogCode.Accepted


def open_through_the_form(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, policy: str, pathway: str
) -> str:
    form = NewEscalationDialog(store, library, SETTINGS)
    qtbot.addWidget(form)
    form.show()
    form.new_child.setChecked(True)
    form.child_name.setText(f"Walk {policy} {pathway}")
    form.date_of_birth.set_value(date(2015, 6, 1))
    form.identifier.setText("UPN-W1")
    form.cp_plan.setChecked(True)
    form.looked_after.setChecked(pathway == "stop-and-review-cic")
    form.other_agency.setText("Children's Social Care")
    form.other_practitioner.setText("Ms Grace Adeyemi")
    form.policy.setCurrentIndex(form.policy.findData(policy))
    form.pathway.setCurrentIndex(form.pathway.findData(pathway))
    form.category.setCurrentIndex(form.category.findData("threshold"))
    form.disputed.setPlainText("Referral closed with no assessment.")
    form.change_wanted.setPlainText("A child and family assessment.")
    form.impact.setPlainText("The child comes to school hungry and withdrawn.")
    form.raised_at.set_value(RAISED)
    # The stage 1 deadline is shown live, before anything is saved.
    assert str(form.deadline.property("text")).startswith(
        f"Stage 1 deadline: {expected_due(library, policy, pathway, 1)}."
    )
    save(qtbot, form)
    assert form.created is not None and form.created.number == 1
    return form.created.ref


@pytest.mark.parametrize(("policy", "pathway"), PATHWAYS, ids=[f"{p}-{w}" for p, w in PATHWAYS])
def test_walk_every_pathway(
    qtbot: QtBot,
    store: PlainStore,
    library: PolicyLibrary,
    policy: str,
    pathway: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stages = library.get(policy).pathway(pathway).stages
    ref = open_through_the_form(qtbot, store, library, policy, pathway)
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.show()
    assert view.stages.rowCount() == len(stages)
    assert due_shown(view, 1) == expected_due(library, policy, pathway, 1)

    # A discussion, recorded and then approved.
    discussion = view.record_discussion()
    assert isinstance(discussion, DiscussionDialog)
    discussion.held_at.set_value(datetime(2026, 12, 15, 10, 0))
    discussion.summary.setPlainText("Discussed the closure; CSC will not reopen yet.")
    save(qtbot, discussion)
    assert "Discussion recorded" in view.chronology.toPlainText()
    # Approved by another member: greyed for the one who recorded it.
    assert not view.approve_button.isEnabled()
    assert "a different member must approve" in view.approve_button.toolTip()
    approve_as_deputy(qtbot, store, library, ref)
    view.refresh()
    assert "Discussion approved" in view.chronology.toPlainText()
    assert not view.approve_button.isEnabled()

    if pathway == "conference-dissent":
        assert view.dissent_button.isVisible()
        dissent = view.conference_dissent()
        assert isinstance(dissent, ConferenceDissentDialog)
        raised_with = library.get(policy).pathway(pathway).roles.raised_with
        assert dissent.raised_with.property("text") == raised_with  # from the policy
        outcomes = [o for s in stages for o in s.determinations()]  # each, and any together
        assert [
            dissent.determination.itemData(i) for i in range(1, dissent.determination.count())
        ] == outcomes
        dissent.conference_date.set_value(date(2026, 12, 14))
        dissent.chair.setText("Independent Conference Chair")
        dissent.decision.setPlainText("No child protection plan")
        dissent.reasons.setPlainText("A new disclosure since the strategy meeting.")
        dissent.further_risk.yes.setChecked(True)
        dissent.determination.setCurrentIndex(1)
        save(qtbot, dissent)
        assert "Conference dissent recorded" in view.chronology.toPlainText()
        assert view.dissent_doc_button.isEnabled()
    else:
        assert not view.dissent_button.isVisibleTo(view)

    if pathway.startswith("stop-and-review"):
        request = view.stop_and_review()
        assert isinstance(request, StopAndReviewDialog)
        roles = library.get(policy).pathway(pathway).roles
        assert request.requested_of.property("text") == roles.request_to
        assert request.attendees.toPlainText().splitlines() == roles.attendees
        assert (request.iro_consulted is not None) == bool(roles.consulted)
        assert (request.early_review is not None) == (pathway == "stop-and-review-cic")
        request.requested_on.set_value(date(2026, 12, 14))
        request.manager.setText("Mrs Priya Shah (Headteacher)")
        request.not_progressing.setPlainText("No core group since the review conference.")
        request.interventions.setPlainText("Parenting programme.")
        request.why_not.setPlainText("Parents have not attended.")
        request.meeting_date.set_value(date(2026, 12, 21))
        save(qtbot, request)
        assert "Stop and review request recorded" in view.chronology.toPlainText()
        assert view.stop_doc_button.isEnabled()
    else:
        assert not view.stop_button.isVisibleTo(view)

    # Every stage in turn; each new stage's deadline is the engine's for its start.
    for number in range(2, len(stages) + 1):
        move = view.move_stage()
        assert isinstance(move, MoveStageDialog)
        assert move.target == number
        move.moved_at.set_value(STARTS[number])
        preview = str(move.preview.property("text"))
        assert stages[number - 1].owner.split(" ")[0] in preview  # what the policy says next
        move.result_text.setPlainText(f"Not resolved at stage {number - 1}.")
        save(qtbot, move)
        assert view.detail is not None and view.detail.row.stage_number == number
        assert due_shown(view, number) == expected_due(library, policy, pathway, number)
    for number in range(1, len(stages) + 1):  # earlier stages keep their stored dates
        assert due_shown(view, number) == expected_due(library, policy, pathway, number)
    assert not view.move_button.isEnabled()  # the last stage: only the outcome is left

    outcome = view.agree_outcome()
    assert isinstance(outcome, AgreeOutcomeDialog)
    assert [p.name for p in outcome.parties.parties()] == ["Ms Hannah Okafor", "Ms Grace Adeyemi"]
    outcome.agreed.setPlainText("CSC will complete a child and family assessment.")
    outcome.outstanding.setPlainText("School to be invited to the next core group.")
    outcome.how_pursued.setPlainText("The DSL will confirm the invitation by Friday.")
    outcome.debrief.setChecked(True)
    asked: list[str] = []  # the question before it closes (tests/ui/test_agree_outcome.py)
    monkeypatch.setattr(
        agree_outcome_dialog, "ask_to_agree", lambda _parent, q: asked.append(q) or True
    )
    save(qtbot, outcome)
    assert asked and asked[0].startswith(f"Agree the outcome of {ref}?")
    assert view.detail is not None and view.detail.row.status == "resolved"
    assert not view.discussion_button.isEnabled()

    assert view.confirmation_button.isEnabled()
    preview = view.confirmation()
    assert isinstance(preview, PdfPreviewDialog) and preview.pages >= 1
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(preview._pdf)).pages)
    assert ref in text and "Ms Grace Adeyemi" in text
    assert "Document produced: Written confirmation" in view.chronology.toPlainText()
    preview.close()


def test_skipping_a_stage_needs_a_reason(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    ref = open_through_the_form(qtbot, store, library, "gloucestershire", "resolution")
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.show()
    move = view.move_stage()
    assert isinstance(move, MoveStageDialog)
    move.to_stage.setCurrentIndex(move.to_stage.findData(3))
    assert move.skip_row.isVisibleTo(move)
    move.moved_at.set_value(STARTS[2])
    move.result_text.setPlainText("Line managers unavailable; agreed to go straight to seniors.")
    move.save_button.click()
    assert move.isVisible()
    assert move.rows["Reason for skipping a stage"].error.isVisible()
    move.skip_reason.setPlainText("Both line managers are on leave until January.")
    save(qtbot, move)
    assert view.detail is not None and view.detail.row.stage_number == 3
    assert view.detail.stages[1].skipped
    assert "Stage 2 skipped" in view.chronology.toPlainText()


def approve_as_deputy(qtbot: QtBot, store: PlainStore, library: PolicyLibrary, ref: str) -> None:
    """The deputy signs in and approves the discussion the DSL recorded."""
    deputy = EscalationView(store, library, SETTINGS, ref, member=DEPUTY)
    qtbot.addWidget(deputy)
    deputy.show()
    assert deputy.approve_button.isEnabled()
    approve = deputy.approve()
    assert isinstance(approve, ApproveDialog)
    save(qtbot, approve)
    deputy.close()


def test_amending_a_discussion_keeps_both_versions(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    ref = open_through_the_form(qtbot, store, library, "suffolk", "resolution")
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.show()
    first = view.record_discussion()
    assert isinstance(first, DiscussionDialog)
    first.summary.setPlainText("CSC said the threshold was not met.")
    save(qtbot, first)
    approve_as_deputy(qtbot, store, library, ref)
    view.refresh()
    chooser = view.amend()
    save(qtbot, chooser)
    amend = next(d for d in view.dialogs if isinstance(d, DiscussionDialog))
    assert amend.summary.toPlainText() == "CSC said the threshold was not met."
    amend.summary.setPlainText("CSC said the threshold was not met for a section 47 enquiry.")
    amend.save_button.click()
    assert amend.rows["Reason for the amendment"].error.isVisible()  # a reason is required
    assert amend.reason is not None
    amend.reason.setPlainText("The record left out which threshold.")
    save(qtbot, amend)
    chronology = view.chronology.toPlainText()
    assert "Amendment to discussion (version 2)" in chronology
    assert "AMENDMENT" in chronology
    assert "CSC said the threshold was not met." in chronology  # version 1 stays
    assert "for a section 47 enquiry" in chronology
    assert "Reason for amendment: The record left out which threshold." in chronology
    # The amended version needs approving again, by a member other than who amended it.
    assert not view.approve_button.isEnabled()
    deputy = EscalationView(store, library, SETTINGS, ref, member=DEPUTY)
    qtbot.addWidget(deputy)
    assert deputy.approve_button.isEnabled()


def test_the_timeline_renders_in_the_view(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary, tmp_path: Path
) -> None:
    ref = open_through_the_form(qtbot, store, library, "north-yorkshire", "resolution")
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    image = view.timeline.grab().toImage()
    path = tmp_path / "timeline.png"
    assert image.save(str(path)) and path.stat().st_size > 2000
    layout = view.timeline.layout_now()
    assert len(layout.lanes) == 7
    assert {m.kind for m in layout.markers} >= {"today", "cap"}
    # Ink where the current lane's bar is drawn, and plain background beside the labels.
    lane = layout.lanes[0]
    inside = image.pixelColor(int((lane.x0 + lane.x1) / 2), int(lane.y + lane.height / 2))
    background = image.pixelColor(int(layout.label_width / 2), 2)
    assert inside != background
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 3


def test_actions_monitoring_form_and_withdrawal(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    from ui.dialogs.action import ActionDialog
    from ui.dialogs.complete_action import CompleteActionDialog
    from ui.dialogs.monitoring_form import MonitoringFormDialog
    from ui.dialogs.withdraw import WithdrawDialog

    ref = open_through_the_form(qtbot, store, library, "gloucestershire", "resolution")
    view = EscalationView(store, library, SETTINGS, ref)
    qtbot.addWidget(view)
    view.show()
    assert not view.complete_button.isEnabled()  # no action yet
    action = view.add_action()
    assert isinstance(action, ActionDialog)
    action.description.setPlainText("Send the chronology to the CSC team manager")
    action.owner.setText("Ms Hannah Okafor")
    action.due.set_value(date(2027, 2, 3))
    save(qtbot, action)
    assert view.complete_button.isEnabled()
    complete = view.complete_action()
    assert isinstance(complete, CompleteActionDialog)
    complete.completed_on.set_value(date(2027, 2, 5))  # after today: refused
    complete.save_button.click()
    assert complete.rows["Date completed"].error.isVisible()
    complete.completed_on.set_value(date(2027, 1, 29))
    save(qtbot, complete)
    chronology = view.chronology.toPlainText()
    assert "Amendment to action (version 2)" in chronology
    assert "completed 29/01/2027" in chronology
    assert not view.complete_button.isEnabled()

    # The monitoring form, saved with the escalation and previewed without the child.
    form = view.monitoring_form()
    assert isinstance(form, MonitoringFormDialog)
    form.actions_text.setPlainText("Stage 1 discussion held; chronology sent.")
    form.copied_on.set_value(date(2027, 1, 29))
    form.anonymous.setChecked(True)
    save(qtbot, form)
    review = next(d for d in view.dialogs if isinstance(d, RedactionReviewDialog))
    review.confirm_button.click()  # what is taken out: tests/ui/test_redaction_review.py
    preview = next(d for d in view.dialogs if isinstance(d, PdfPreviewDialog))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview._pdf)).pages)
    assert "chronology sent" in text and "Walk gloucestershire" not in text
    assert "Escalation Monitoring Form recorded" in view.chronology.toPlainText()
    preview.close()

    withdraw = view.withdraw()
    assert isinstance(withdraw, WithdrawDialog)
    withdraw.save_button.click()
    assert withdraw.rows["Reason for withdrawing"].error.isVisible()
    withdraw.reason.setPlainText("CSC reopened the referral after the first discussion.")
    save(qtbot, withdraw)
    assert view.detail is not None and view.detail.row.status == "withdrawn"
    assert str(view.status.property("text")).startswith("Withdrawn on ")
    for button in (view.discussion_button, view.move_button, view.outcome_button):
        assert not button.isEnabled() and "withdrawn" in button.toolTip()
    assert not view.confirmation_button.isEnabled()


def test_a_deputys_discussion_starts_with_the_deputy_not_the_raiser(
    qtbot: QtBot, store: PlainStore, library: PolicyLibrary
) -> None:
    """Seen in the real-window run: "Who took part" began with the practitioner who
    raised the escalation, so a deputy's own call, saved as it was, recorded the DSL as
    present. It begins with the member recording it (still theirs to change)."""
    ref = open_through_the_form(qtbot, store, library, "gloucestershire", "resolution")
    deputy = Member("Mr Ben Hughes", Role.DEPUTY)
    view = EscalationView(store, library, SETTINGS, ref, member=deputy)
    qtbot.addWidget(view)
    view.show()
    discussion = view.record_discussion()
    assert isinstance(discussion, DiscussionDialog)
    people = discussion.participants.toPlainText().splitlines()
    assert people[0] == "Mr Ben Hughes"
    assert view.detail.raised_by not in people
    discussion.discard()
