"""Fictional demonstration records: every policy and pathway, open and closed, some
overdue relative to today, and names beyond Latin-1. All names are invented."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app import clock
from app.deadlines import calendar_for
from app.domain.records import (
    Action,
    ConferenceDissent,
    Discussion,
    MonitoringForm,
    Outcome,
    Party,
    StopAndReview,
)
from app.policy import Nation, PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.common import Store
from app.services.people import add_child, add_contact
from app.services.settings import SettingDetails, save_settings

DSL = "Ms Hannah Okafor (DSL)"
# Approves the DSL's discussions: a record is prepared by one member, approved by another.
DEPUTY = "Mr Ben Hughes (Deputy DSL)"


def working_days_ago(n: int, today: date) -> date:
    calendar = calendar_for(Nation.ENGLAND)
    day = today
    while n > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


CHILDREN = [
    ("Zoë Nguyễn", date(2014, 5, 12), "UPN-A1001", {"cp_plan": True}),
    ("Łucja Wiśniewska", date(2016, 9, 3), "UPN-A1002", {}),
    ("Siobhán Ó Briain", date(2012, 1, 27), "UPN-A1003", {"looked_after": True}),
    ("Αλέξανδρος Παπαδόπουλος", date(2015, 11, 8), "UPN-A1004", {"child_in_need": True}),
    ("Oliver Bennett", date(2013, 7, 19), "UPN-A1005", {"cp_plan": True}),
    ("Amira Haddad", date(2017, 2, 2), "UPN-A1006", {}),
    ("Kacper Zieliński", date(2011, 12, 30), "UPN-A1007", {"looked_after": True}),
    ("Freya Llewellyn", date(2018, 4, 14), "UPN-A1008", {}),
]


def create_demo(store: Store, library: PolicyLibrary) -> list[str]:
    """Fill an empty file with fictional records; returns the references created."""
    today = clock.today()

    def ago(n: int) -> date:
        return working_days_ago(n, today)

    kids = {
        name: add_child(
            store,
            name=name,
            date_of_birth=dob,
            identifier=ident,
            cp_plan=flags.get("cp_plan", False),
            looked_after=flags.get("looked_after", False),
            child_in_need=flags.get("child_in_need", False),
            actor=DSL,
        ).id
        for name, dob, ident, flags in CHILDREN
    }
    for name, agency, role, named, internal in [
        (
            "Mr Daniel Price",
            "Buckinghamshire Council",
            "Head of Service",
            "Named Senior for inter-agency/organisation conflict resolution",
            False,
        ),
        (
            "Mrs Priya Shah",
            "Our school",
            "Headteacher",
            "Named Senior for the organisation's internal conflict resolution",
            True,
        ),
        ("Ms Grace Adeyemi", "Children's Social Care", "Team Manager", "", False),
        ("DS Tom Walsh", "Police CAIU", "Detective Sergeant", "", False),
        ("Ms Ruth Evans", "Local Authority", "LADO", "", False),
        ("Mr Ben Hughes", "Our school", "Deputy DSL", "", True),
    ]:
        add_contact(
            store,
            name=name,
            agency=agency,
            role=role,
            named_officer_role=named,
            internal=internal,
            phone="01234 567890",
            email="",
            actor=DSL,
        )

    save_settings(
        store,
        SettingDetails(
            setting_name="St Aidan's Primary School (demonstration)",
            dsl_name="Ms Hannah Okafor",
            deputies=("Mr Ben Hughes",),
            default_policy="gloucestershire",
        ),
        library,
        actor=DSL,
    )
    refs: list[str] = []

    def open_(child: str, policy: str, pathway: str, raised: date, **extra: object) -> str:
        form = esc.NewEscalation(
            child_id=kids[child],
            policy_id=policy,
            pathway_id=pathway,
            raised_at=at(raised, 9, 30),
            raised_by=str(extra.pop("raised_by", "Mr Ben Hughes (Deputy DSL)")),
            other_agency=str(extra.pop("agency", "Children's Social Care")),
            other_practitioner=str(extra.pop("practitioner", "Ms Grace Adeyemi")),
            category=str(extra.pop("category", "threshold")),
            disputed=str(
                extra.pop(
                    "disputed",
                    "Referral closed at the front door with no assessment despite three new disclosures.",
                )
            ),
            change_wanted=str(
                extra.pop(
                    "change",
                    "A child and family assessment, and a strategy discussion if the threshold is met.",
                )
            ),
            impact=str(
                extra.pop(
                    "impact",
                    "The child is coming to school hungry and withdrawn; the risk at home is not being assessed.",
                )
            ),
            protect_by=extra.pop("protect_by", None),  # type: ignore[arg-type]
            immediate_risk=bool(extra.pop("immediate_risk", False)),
        )
        move = esc.open_escalation(store, library, form, actor=DSL, at=at(raised, 9, 45))
        refs.append(move.ref)
        return move.ref

    def talk(ref: str, day: date, summary: str, who: list[str], approve: bool = True) -> int:
        record_id = rec.record_discussion(
            store,
            ref,
            Discussion(held_at=at(day, 11), method="phone", participants=who, summary=summary),
            actor=DSL,
            at=at(day, 12),
        )
        if approve:
            rec.approve_record(store, record_id, actor=DEPUTY, at=at(day, 15))
        return record_id

    def move(ref: str, day: date, result: str = "Not resolved at this stage") -> None:
        esc.move_to_next_stage(store, ref, result=result, actor=DSL, at=at(day, 14))

    # Gloucestershire, stage 3: the Escalation Monitoring Form goes to the GSCP.
    ref = open_("Zoë Nguyễn", "gloucestershire", "resolution", ago(11))
    talk(
        ref,
        ago(10),
        "Discussed the closure with the duty social worker; she will not reopen.",
        ["Mr Ben Hughes", "Ms Grace Adeyemi"],
    )
    move(ref, ago(6))
    talk(
        ref,
        ago(5),
        "Line managers spoke; CSC maintain that threshold is not met. IRO notified (CP plan).",
        ["Ms Hannah Okafor", "Team Manager, CSC"],
    )
    move(ref, ago(1))
    rec.record_monitoring_form(
        store,
        ref,
        MonitoringForm(
            actions_to_date="Stage 1 and 2 discussions held; IRO notified; chronology shared.",
            copied_to_partnership_on=ago(1),
        ),
        actor=DSL,
        at=at(ago(1), 16),
    )
    rec.add_action(
        store,
        ref,
        Action(
            description="Send chronology of concerns to CSC senior manager",
            owner="Ms Hannah Okafor",
            due=today + timedelta(days=2),
        ),
        actor=DSL,
        at=at(ago(1), 16, 30),
    )

    # North Yorkshire, near its 13-working-day cap.
    ref = open_(
        "Łucja Wiśniewska",
        "north-yorkshire",
        "resolution",
        ago(11),
        agency="Health visiting",
        practitioner="Health Visitor",
        category="roles",
    )
    for _stage, day in ((2, 10), (3, 10), (4, 7), (5, 4), (6, 3)):
        move(ref, ago(day))
    talk(
        ref,
        ago(3),
        "Referred to the NYSCP Chair via the Business Manager; panel being convened.",
        ["Ms Hannah Okafor", "NYSCP Business Manager"],
    )

    # Suffolk stop and review (CP plan), overdue against the child-safety date.
    ref = open_(
        "Oliver Bennett",
        "suffolk",
        "stop-and-review",
        ago(9),
        category="plan-progress",
        protect_by=ago(2),
        disputed="The child protection plan has not progressed in four months.",
    )
    rec.request_stop_and_review(
        store,
        ref,
        StopAndReview(
            variant="cp-plan",
            requested_of="Chair of the Conference",
            requested_on=ago(9),
            manager_consulted="Mrs Priya Shah (Headteacher)",
            not_progressing="No core group has met since the review conference; actions are not completed.",
            interventions="Parenting programme; school nurse drop-ins.",
            why_not_effective="Parents have not attended; no one is checking progress.",
            attendees=list(library.get("suffolk").pathway("stop-and-review").roles.attendees),
        ),
        actor=DSL,
        at=at(ago(9), 11),
    )

    # York conference dissent, overdue: not raised with the IRO Manager in 2 working days.
    ref = open_(
        "Αλέξανδρος Παπαδόπουλος",
        "york",
        "conference-dissent",
        ago(5),
        category="conference-decision",
        disputed="Conference decided not to make the child subject to a child protection plan.",
    )
    rec.record_conference_dissent(
        store,
        ref,
        ConferenceDissent(
            conference_date=ago(5),
            chair="Independent Conference Chair",
            decision_disputed="No child protection plan",
            dissenting="Ms Hannah Okafor (school)",
            reasons="Repeated bruising and a disclosure since the strategy meeting.",
            further_risk=True,
            raised_with="IRO Manager",
        ),
        actor=DSL,
        at=at(ago(5), 16),
    )

    # Buckinghamshire conference dissent, determined.
    ref = open_(
        "Siobhán Ó Briain",
        "buckinghamshire",
        "conference-dissent",
        ago(20),
        category="conference-decision",
    )
    bucks = library.get("buckinghamshire").pathway("conference-dissent")
    move(ref, ago(19))
    move(ref, ago(19))
    rec.record_conference_dissent(
        store,
        ref,
        ConferenceDissent(
            conference_date=ago(20),
            chair="Conference Chair",
            decision_disputed="Child removed from a child protection plan",
            dissenting="Ms Hannah Okafor (school)",
            reasons="Concerns about new partner in the home.",
            further_risk=True,
            raised_with=bucks.roles.raised_with or "Designated Person",
            raised_on=ago(20),
            designated_lead_concurs=True,
            determination=bucks.stages[-1].outcomes[2]
            if len(bucks.stages[-1].outcomes) > 2
            else None,
        ),
        actor=DSL,
        at=at(ago(18)),
    )

    # Buckinghamshire allegations against staff, open.
    open_(
        "Amira Haddad",
        "buckinghamshire",
        "allegations-direct",  # the worker goes to the LADO themselves (5.2)
        ago(3),
        agency="Local Authority Designated Officer",
        practitioner="Ms Ruth Evans",
        category="other",
        disputed="Designated Senior Manager decided not to consult the LADO about an allegation against a volunteer.",
    )

    # Buckinghamshire resolution, withdrawn.
    ref = open_(
        "Freya Llewellyn",
        "buckinghamshire",
        "resolution",
        ago(30),
        agency="Police CAIU",
        practitioner="DS Tom Walsh",
        category="information-sharing",
    )
    esc.withdraw(
        store,
        ref,
        "Police shared the information after the first discussion.",
        actor=DSL,
        at=at(ago(28)),
    )

    # Suffolk resolution, resolved with an agreed outcome.
    ref = open_("Kacper Zieliński", "suffolk", "resolution", ago(25), category="threshold")
    talk(
        ref,
        ago(24),
        "Re-visited the referral with the Safeguarding Lead and added the new disclosures.",
        ["Mr Ben Hughes", "Ms Grace Adeyemi"],
    )
    move(ref, ago(24))
    talk(
        ref,
        ago(23),
        "First line managers agreed that a strategy discussion is needed.",
        ["Ms Hannah Okafor", "Team Manager, CSC"],
    )
    action_id = rec.add_action(
        store,
        ref,
        Action(description="Hold a strategy discussion", owner="CSC Team Manager", due=ago(21)),
        actor=DSL,
        at=at(ago(23), 13),
    )
    rec.complete_action(store, action_id, completed_on=at(ago(21), 15), actor=DSL)
    esc.agree_outcome(
        store,
        ref,
        Outcome(
            agreed="CSC accepted the referral; a strategy discussion was held and a section 47 enquiry opened.",
            outstanding="School to be invited to the initial child protection conference.",
            how_pursued="DSL to confirm the invitation with the conference administrator by the end of the week.",
            parties=[
                Party(
                    name="Ms Hannah Okafor",
                    role="Designated Safeguarding Lead",
                    agency="Our school",
                ),
                Party(
                    name="Ms Grace Adeyemi", role="Team Manager", agency="Children's Social Care"
                ),
            ],
            agreed_on=ago(20),
            debrief_offered=True,
            learning="Front-door decisions should record which new information was considered.",
        ),
        actor=DSL,
        at=at(ago(20), 16),
    )

    # York resolution and plan dissent, Suffolk plan dissent, conference dissent and CIC stop and review.
    open_("Zoë Nguyễn", "york", "resolution", ago(2), category="need-for-action")
    ref = open_(
        "Oliver Bennett", "york", "plan-dissent", ago(8), category="plan-progress", agency="Health"
    )
    move(ref, ago(4))
    open_("Freya Llewellyn", "suffolk", "plan-dissent", ago(1), category="plan-progress")
    ref = open_(
        "Αλέξανδρος Παπαδόπουλος",
        "suffolk",
        "conference-dissent",
        ago(4),
        category="conference-decision",
    )
    move(ref, ago(3))
    ref = open_(
        "Siobhán Ó Briain",
        "suffolk",
        "stop-and-review-cic",
        ago(6),
        category="plan-progress",
        disputed="The care plan agreed at the CIC review has not been implemented.",
    )
    cic = library.get("suffolk").pathway("stop-and-review-cic")
    rec.request_stop_and_review(
        store,
        ref,
        StopAndReview(
            variant="cic",
            requested_of=cic.roles.request_to or "CYPS Practice Manager",
            requested_on=ago(6),
            manager_consulted="Mrs Priya Shah (Headteacher)",
            not_progressing="Education placement not arranged after three months.",
            interventions="Virtual school involvement.",
            why_not_effective="No placement has been identified.",
            attendees=list(cic.roles.attendees),
            iro_consulted=True,
        ),
        actor=DSL,
        at=at(ago(6), 12),
    )
    # Gloucestershire, resolved earlier in the year (for statistics).
    ref = open_(
        "Amira Haddad",
        "gloucestershire",
        "resolution",
        ago(45),
        category="case-closure",
        agency="Early Help",
    )
    talk(
        ref,
        ago(44),
        "Early Help agreed to keep the case open for a further review.",
        ["Mr Ben Hughes", "Early Help Coordinator"],
    )
    esc.agree_outcome(
        store,
        ref,
        Outcome(
            agreed="Early Help keeps the case open and reviews it in six weeks.",
            parties=[
                Party(name="Mr Ben Hughes", role="Deputy DSL", agency="Our school"),
                Party(name="Early Help Coordinator", agency="Early Help"),
            ],
            agreed_on=ago(44),
            debrief_offered=False,
        ),
        actor=DSL,
        at=at(ago(44), 15),
    )
    return refs
