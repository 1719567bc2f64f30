"""Dissent from a child protection conference decision (York, Buckinghamshire and
Suffolk). Built from the pathway: who it is raised with (``roles.raised_with``), who
they alert, the deadline for raising it (stage 1's, from the service) and the
determinations the deciding stage can reach (its ``outcomes``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.deadlines import fmt_moment, other_deadline
from app.domain import record_problems
from app.domain.record_problems import conference_dissent_problems, event_field
from app.domain.records import ConferenceDissent, Content
from app.domain.validation import FieldError
from app.domain.views import RecordView
from app.policy import Nation
from app.policy.model import OtherDeadline
from app.services.records import record_conference_dissent
from app.team.signed_in import own_name
from ui.widgets.common import named
from ui.widgets.date_field import UnreadableDate
from ui.widgets.fields import (
    OptionalDate,
    YesNo,
    date_edit,
    date_of,
    line_edit,
    stored_day,
    text_box,
    text_of,
)
from ui.widgets.record_form import EscalationContext, RecordFormDialog

CONCURS = (("Not known yet", None), ("Yes", True), ("No", False))


def determinations(context: EscalationContext) -> list[str]:
    """Every determination the policy lists for this pathway, in stage order."""
    return record_problems.determinations(context.pathway)


class ConferenceDissentDialog(RecordFormDialog):
    def __init__(
        self,
        context: EscalationContext,
        amending: RecordView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Record conference dissent", context, amending, parent)
        self.setObjectName("conference-dissent")
        old = self.initial()
        settings = context.settings

        conference = self.form("The conference")
        # Empty for a new record: the date of the decision disputed is never a guess.
        self.conference_date = date_edit("Conference date", stored_day(old.get("conference_date")))
        self.add_field(conference, "Conference &date:", "Conference date", self.conference_date)
        self.chair = line_edit("Conference chair", str(old.get("chair", "")))
        self.add_field(conference, "C&hair:", "Conference chair", self.chair)
        self.decision = text_box("Decision disputed", str(old.get("decision_disputed", "")), 2)
        self.add_field(conference, "Decision dis&puted:", "Decision disputed", self.decision)

        dissent = self.form("The dissent")
        ours = own_name(context.member)  # who signed in: the likeliest to dissent
        who = old.get("dissenting") or (
            f"{ours} ({settings.setting_name})" if ours and settings.setting_name else ours
        )
        self.dissenting = line_edit("Who dissents", str(who))
        self.add_field(dissent, "&Who dissents:", "Who dissents", self.dissenting)
        self.reasons = text_box("Why", str(old.get("reasons", "")), 4)
        self.add_field(dissent, "Wh&y:", "Why", self.reasons)
        risk = old.get("further_risk")
        self.further_risk = YesNo(
            "Child believed at further risk of significant harm",
            risk if isinstance(risk, bool) else None,
        )
        self.add_field(
            dissent,
            "Child believed at\n(further) &risk of\nsignificant harm:",
            "Further risk",
            self.further_risk,
        )

        self._build_raising(context, old)
        self._build_determination(context, old)
        self._build_other_deadlines(context, old)
        self.body.addStretch(1)
        self.start_tracking()
        self.fit(720, 860)

    def _build_raising(self, context: EscalationContext, old: dict[str, object]) -> None:
        """Who it is raised with and by when (the policy's first stage), and whether the
        designated lead concurs."""
        roles = context.pathway.roles
        raised = self.form("Raising it")
        self.raised_with = line_edit(
            "Raised with", str(old.get("raised_with") or roles.raised_with or "")
        )
        self.add_field(raised, "Raised wi&th:", "Raised with", self.raised_with)
        self.raised_on = OptionalDate("Date raised", stored_day(old.get("raised_on")))
        self.add_field(raised, "Date ra&ised:", "Date raised", self.raised_on)
        first = context.detail.stages[0]
        due = fmt_moment(first.due) if first.due is not None else "no fixed timescale"
        who_to = roles.raised_with or first.owner
        self.deadline = self.note(
            raised,
            f"Raise it with the {who_to} by: {due}. {first.rule}",
            "Deadline for raising it",
        )
        if roles.alerts:
            self.note(raised, f"They alert the {roles.alerts}.", "Who they alert")
        concurs = old.get("designated_lead_concurs")
        self.concurs = named(QComboBox(), "Designated lead concurs")
        for label, value in CONCURS:
            self.concurs.addItem(label, value)
        self.concurs.setCurrentIndex(
            max(self.concurs.findData(concurs), 0) if isinstance(concurs, bool) else 0
        )
        self.add_field(raised, "Designated lead &concurs:", "Designated lead concurs", self.concurs)

    def _build_determination(self, context: EscalationContext, old: dict[str, object]) -> None:
        roles = context.pathway.roles
        decided = self.form("The determination")
        self.determination = named(QComboBox(), "Determination")
        self.determination.addItem("Not yet determined", None)
        for outcome in determinations(context):
            self.determination.addItem(outcome, outcome)
        chosen = old.get("determination")
        if chosen is not None and self.determination.findData(chosen) >= 0:
            self.determination.setCurrentIndex(self.determination.findData(chosen))
        self.add_field(decided, "Deter&mination:", "Determination", self.determination)
        if roles.unresolved_to:
            self.note(
                decided,
                f"If it is still not resolved: {roles.unresolved_to}.",
                "If it is still not resolved",
            )

    def _build_other_deadlines(self, context: EscalationContext, old: dict[str, object]) -> None:
        """Deadlines the policy sets outside the stages (a parent's complaint within 28
        days of receiving the minutes): the day their event happened, and the date it
        gives."""
        others = context.pathway.other_deadlines
        self.event_fields: dict[str, OptionalDate] = {}
        if not others:
            return
        section = self.form("Other deadlines")
        stored = old.get("event_dates")
        known = stored if isinstance(stored, dict) else {}
        nation = Nation(context.detail.row.nation)
        for other in others:
            key = event_field(other.from_event)
            field = OptionalDate(key, stored_day(known.get(other.from_event)))
            self.add_field(section, f"{key}:", key, field)
            note = self.note(section, "", other.title)

            def show(_: object = None, o: OtherDeadline = other, f: OptionalDate = field,
                     n: QLabel = note) -> None:  # fmt: skip
                try:
                    day = f.value()
                except UnreadableDate:  # still being typed: the field says what is wrong
                    day = None
                if day is None:
                    n.setText(f"{o.title}: give the {event_field(o.from_event).lower()} to "
                              "work out the deadline.")  # fmt: skip
                    return
                due = other_deadline(o, day, nation)
                when = fmt_moment(due.due) if due.due is not None else "no fixed timescale"
                n.setText(f"{o.title}: by {when}. {due.rule}. “{o.timescale.text}”")

            field.changed.connect(show)
            show()
            self.event_fields[other.from_event] = field

    def content(self) -> ConferenceDissent:
        risk = self.further_risk.value()
        return ConferenceDissent(
            conference_date=date_of(self.conference_date),
            chair=text_of(self.chair).strip(),
            decision_disputed=text_of(self.decision).strip(),
            dissenting=text_of(self.dissenting).strip(),
            reasons=text_of(self.reasons).strip(),
            further_risk=bool(risk),
            raised_with=text_of(self.raised_with).strip(),
            raised_on=self.raised_on.value(),
            designated_lead_concurs=self.concurs.currentData(),
            determination=self.determination.currentData(),
            event_dates={
                event: day
                for event, field in self.event_fields.items()
                if (day := field.value()) is not None
            },
        )

    def content_problems(self, content: Content) -> list[FieldError]:
        assert isinstance(content, ConferenceDissent)
        return conference_dissent_problems(
            content,
            determinations=determinations(self.context),
            events=record_problems.other_events(self.context.pathway),
            further_risk_chosen=self.further_risk.value() is not None,
        )

    def record(self, content: Content) -> int:
        assert isinstance(content, ConferenceDissent)
        ctx = self.context
        return record_conference_dissent(ctx.store, ctx.ref, content, actor=ctx.actor)
