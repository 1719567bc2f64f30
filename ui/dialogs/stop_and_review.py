"""A 'stop and review' request (Suffolk): for a child protection plan (the request goes
to the conference chair) or a child in care's plan (to the practice manager, who
consults the IRO). Who it goes to, who is consulted, the proposed attendees and where
it goes if unresolved all come from the pathway's roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QWidget

from app import clock
from app.domain.record_problems import stop_and_review_problems
from app.domain.records import STOP_AND_REVIEW_VARIANTS, Content, StopAndReview
from app.domain.validation import FieldError
from app.domain.views import RecordView
from app.services.records import request_stop_and_review
from ui.widgets.common import named
from ui.widgets.fields import (
    OptionalDate,
    date_edit,
    date_of,
    line_edit,
    lines_of,
    stored_day,
    text_box,
    text_of,
)
from ui.widgets.record_form import EscalationContext, RecordFormDialog

if TYPE_CHECKING:
    from app.policy.model import Roles


class StopAndReviewDialog(RecordFormDialog):
    def __init__(
        self,
        context: EscalationContext,
        amending: RecordView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Request a ‘stop and review’ meeting", context, amending, parent)
        self.setObjectName("stop-and-review")
        old = self.initial()
        pathway = context.pathway
        roles = pathway.roles
        self.variant = STOP_AND_REVIEW_VARIANTS[pathway.kind]
        today = clock.today()

        request = self.form("The request")
        self.note(request, pathway.title, "Kind of request")
        self.requested_of = line_edit(
            "Requested of", str(old.get("requested_of") or roles.request_to or "")
        )
        self.add_field(request, "Re&quested of:", "Requested of", self.requested_of)
        self.requested_on = date_edit(
            "Date requested", stored_day(old.get("requested_on")) or today
        )
        self.add_field(request, "Da&te requested:", "Date requested", self.requested_on)
        manager = old.get("manager_consulted", "")
        self.manager = line_edit("Manager consulted", str(manager))
        self.manager.setPlaceholderText("Your manager or safeguarding lead, consulted first")
        self.add_field(request, "&Manager consulted:", "Manager consulted", self.manager)
        self.iro_consulted: QCheckBox | None = None
        if roles.consulted:
            consulted = " and ".join(roles.consulted)
            self.iro_consulted = named(
                QCheckBox(f"{consulted} consulted"), f"{consulted} consulted"
            )
            self.iro_consulted.setChecked(bool(old.get("iro_consulted", False)))
            request.addRow("", self.iro_consulted)

        why = self.form("Why the plan is not working")
        self.not_progressing = text_box(
            "Why the plan is not progressing", str(old.get("not_progressing", "")), 3
        )
        self.add_field(
            why,
            "Why the plan is &not\nprogressing:",
            "Why the plan is not progressing",
            self.not_progressing,
        )
        self.interventions = text_box("Interventions in use", str(old.get("interventions", "")), 3)
        self.add_field(why, "&Interventions in use:", "Interventions in use", self.interventions)
        self.why_not = text_box(
            "Why they are not working", str(old.get("why_not_effective", "")), 3
        )
        self.add_field(why, "Why they are not &working:", "Why they are not working", self.why_not)

        self._build_meeting(roles, old)
        self.body.addStretch(1)
        self.start_tracking()
        self.fit(720, 880)

    def _build_meeting(self, roles: Roles, old: dict[str, object]) -> None:
        """Who is proposed to attend, when it met and what it decided."""
        meeting = self.form("The meeting")
        before = old.get("attendees")
        attendees = [str(a) for a in before] if isinstance(before, list) else list(roles.attendees)
        self.attendees = text_box(
            "Proposed attendees, one per line", "\n".join(attendees), max(len(attendees), 3)
        )
        self.add_field(
            meeting, "Proposed &attendees\n(one per line):", "Proposed attendees", self.attendees
        )
        self.meeting_date = OptionalDate("Meeting date", stored_day(old.get("meeting_date")))
        self.add_field(meeting, "Meeting &date:", "Meeting date", self.meeting_date)
        self.outcome = text_box("Outcome of the meeting", str(old.get("outcome", "")), 3)
        self.add_field(meeting, "&Outcome:", "Outcome of the meeting", self.outcome)
        self.early_review: QCheckBox | None = None
        if self.variant == "cic":
            self.early_review = named(
                QCheckBox("An early Children in Care review was considered"),
                "Early Children in Care review considered",
            )
            self.early_review.setChecked(bool(old.get("early_cic_review_considered", False)))
            meeting.addRow("", self.early_review)
        if roles.unresolved_to:
            self.note(
                meeting,
                f"If it is still not resolved, it goes to: {roles.unresolved_to}.",
                "If it is still not resolved",
            )

    def content(self) -> StopAndReview:
        return StopAndReview(
            variant=self.variant,  # type: ignore[arg-type]
            requested_of=text_of(self.requested_of).strip(),
            requested_on=date_of(self.requested_on),
            manager_consulted=text_of(self.manager).strip(),
            not_progressing=text_of(self.not_progressing).strip(),
            interventions=text_of(self.interventions).strip(),
            why_not_effective=text_of(self.why_not).strip(),
            attendees=lines_of(self.attendees),
            iro_consulted=bool(self.iro_consulted and self.iro_consulted.isChecked()),
            meeting_date=self.meeting_date.value(),
            outcome=text_of(self.outcome).strip(),
            early_cic_review_considered=bool(self.early_review and self.early_review.isChecked()),
        )

    def content_problems(self, content: Content) -> list[FieldError]:
        assert isinstance(content, StopAndReview)
        return stop_and_review_problems(content)

    def record(self, content: Content) -> int:
        assert isinstance(content, StopAndReview)
        ctx = self.context
        return request_stop_and_review(ctx.store, ctx.ref, content, actor=ctx.actor)
