"""The five seed policies: they load, and their timescales give the right dates.

Every expected date below was worked out by hand from a calendar, not by the engine:

    November 2026          December 2026          January 2027           March 2027
    Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su
                       1       1  2  3  4  5  6                1  2  3    1  2  3  4  5  6  7
     2  3  4  5  6  7  8    7  8  9 10 11 12 13    4  5  6  7  8  9 10    8  9 10 11 12 13 14
     9 10 11 12 13 14 15   14 15 16 17 18 19 20   11 12 13 14 15 16 17   15 16 17 18 19 20 21
    16 17 18 19 20 21 22   21 22 23 24 25 26 27   18 19 20 21 22 23 24   22 23 24 25 26 27 28
    23 24 25 26 27 28 29   28 29 30 31            25 26 27 28 29 30 31   29 30 31
    30

Bank holidays used: England and Scotland: Fri 25/12/2026 Christmas Day, Mon 28/12/2026
Boxing Day (observed), Fri 01/01/2027, Good Friday 26/03/2027. England only: Easter Monday
29/03/2027. Scotland only: Mon 30/11/2026 St Andrew's Day, Mon 04/01/2027 (2 January
observed).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import pytest

from app.deadlines import Moment
from app.deadlines.calendar import calendar_for
from app.deadlines.engine import StageDeadline, apply_rule, project_pathway
from app.policy import Nation, Policy, PolicyLibrary, Unit, load_policy_file
from app.policy.immediate_risk import policy_words_on_immediate_risk

POLICIES_DIR = Path(__file__).resolve().parent.parent / "policies"

ENGLAND = Nation.ENGLAND
SCOTLAND = Nation.SCOTLAND

EXPECTED_PATHWAYS = {
    "york": ["resolution", "conference-dissent", "plan-dissent"],
    "gloucestershire": ["resolution"],
    "north-yorkshire": ["resolution"],
    "buckinghamshire": ["resolution", "conference-dissent", "allegations", "allegations-direct"],
    "suffolk": [
        "resolution",
        "conference-dissent",
        "plan-dissent",
        "stop-and-review",
        "stop-and-review-cic",
        "placed-child-incident",
    ],
}

EXPECTED_STAGE_COUNTS = {
    ("york", "resolution"): 6,
    ("york", "conference-dissent"): 2,
    ("york", "plan-dissent"): 5,
    ("gloucestershire", "resolution"): 4,
    ("north-yorkshire", "resolution"): 7,
    ("buckinghamshire", "resolution"): 5,
    ("buckinghamshire", "conference-dissent"): 3,
    ("buckinghamshire", "allegations"): 2,
    ("buckinghamshire", "allegations-direct"): 2,
    ("suffolk", "resolution"): 5,
    ("suffolk", "conference-dissent"): 4,
    ("suffolk", "plan-dissent"): 5,
    ("suffolk", "stop-and-review"): 4,
    ("suffolk", "stop-and-review-cic"): 5,
    ("suffolk", "placed-child-incident"): 3,
}


def load(policy_id: str) -> Policy:
    return load_policy_file(POLICIES_DIR / f"{policy_id}.toml")


def project(
    policy_id: str,
    pathway_id: str,
    raised: Moment,
    starts: Mapping[int, Moment] | None = None,
    *,
    protect_by: date | None = None,
    nation: Nation = ENGLAND,
) -> list[StageDeadline]:
    pathway = load(policy_id).pathway(pathway_id)
    return project_pathway(pathway, raised, starts, protect_by=protect_by, nation=nation)


def dues(
    policy_id: str,
    pathway_id: str,
    raised: Moment,
    starts: Mapping[int, Moment] | None = None,
    *,
    protect_by: date | None = None,
    nation: Nation = ENGLAND,
) -> list[Moment | None]:
    stages = project(policy_id, pathway_id, raised, starts, protect_by=protect_by, nation=nation)
    return [s.due for s in stages]


# --------------------------------------------------------------------------------------
# Loading and metadata


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_PATHWAYS))
def test_each_file_loads_with_its_pathways(policy_id: str) -> None:
    policy = load(policy_id)
    assert policy.id == policy_id
    assert [p.id for p in policy.pathways] == EXPECTED_PATHWAYS[policy_id]
    for pathway in policy.pathways:
        assert len(pathway.stages) == EXPECTED_STAGE_COUNTS[(policy_id, pathway.id)]
        assert [s.number for s in pathway.stages] == list(range(1, len(pathway.stages) + 1))


def test_library_loads_the_five_and_every_other_shipped_file_without_problems() -> None:
    # The policy library's other files are checked in tests/test_policy_library.py.
    library = PolicyLibrary.load(POLICIES_DIR)
    assert library.problems == []
    assert library.ids() == sorted(f.stem for f in POLICIES_DIR.glob("*.toml"))
    assert set(EXPECTED_PATHWAYS) <= set(library.ids())


@pytest.mark.parametrize(
    ("policy_id", "issued", "version", "based_on", "source", "display"),
    [
        (
            "york",
            "2018-12",
            "Not stated",
            "Working Together 2018",
            "york-cyscp-resolution-of-disputes-2018.txt",
            "December 2018",
        ),
        (
            "gloucestershire",
            None,
            "Not stated",
            "Working Together 2018",
            "gloucestershire-gscp-escalation-policy.txt",
            "Undated",
        ),
        (
            "north-yorkshire",
            None,
            "Not stated",
            None,
            "north-yorkshire-nyscp-professional-resolutions.txt",
            "Undated",
        ),
        (
            "buckinghamshire",
            "2008-08",
            "Not stated",
            None,
            "buckinghamshire-bscb-conflict-resolution-2008.txt",
            "August 2008",
        ),
        (
            "suffolk",
            "2017-08",
            "3",
            None,
            "suffolk-lscb-escalation-policy-2017.txt",
            "August 2017",
        ),
    ],
)
def test_document_metadata(
    policy_id: str,
    issued: str | None,
    version: str,
    based_on: str | None,
    source: str,
    display: str,
) -> None:
    document = load(policy_id).document
    assert document.issued == issued
    assert document.version == version
    assert document.based_on == based_on
    assert document.source == source
    assert document.issued_display == display
    # Every one of the five predates Working Together 2023 or is undated.
    assert document.currency_note is not None


def test_immediate_risk_follows_each_document() -> None:
    # York's, Buckinghamshire's and Suffolk's documents say nothing about immediate risk:
    # no words are put in their mouths, and the app says they are silent.
    for policy_id in ("york", "buckinghamshire", "suffolk"):
        policy = load(policy_id)
        assert policy.immediate_risk is None
        words = policy_words_on_immediate_risk(policy)
        assert words.startswith(f"{policy.short_name}'s document says nothing")
        assert "999" not in words
    north_yorkshire = load("north-yorkshire").immediate_risk
    assert "the police and Children's Social Care must be contacted" in north_yorkshire
    gloucestershire = load("gloucestershire").immediate_risk
    assert "designated safeguarding lead in your agency should be informed immediately" in (
        gloucestershire
    )


def test_categories_are_the_documents_lists() -> None:
    assert load("gloucestershire").categories == [
        "Levels of need (Gloucestershire levels of intervention document)",
        "Roles and responsibilities",
        "The need for action",
        "The need for inaction",
        "Progressing plans and clear communication",
        "Provision of services",
    ]
    assert load("north-yorkshire").categories[:4] == [
        "Thresholds",
        "Roles and responsibilities",
        "The need for action",
        "Communication",
    ]
    for policy_id in EXPECTED_PATHWAYS:
        assert load(policy_id).categories, policy_id


def test_buckinghamshire_named_officer_roles() -> None:
    roles = [c.role for c in load("buckinghamshire").contact_roles]
    assert roles == [
        "Named Senior for the organisation's internal conflict resolution",
        "Named Senior for inter-agency/organisation conflict resolution",
        "Local Authority Designated Officer (LADO)",
        "Named Senior Officer for Allegations",
    ]
    for policy_id in ("york", "gloucestershire", "north-yorkshire", "suffolk"):
        assert load(policy_id).contact_roles == []


def test_roles_prefilled_in_each_documents_terms() -> None:
    york = load("york").pathway("conference-dissent").roles
    assert york.raised_with == "IRO Manager"
    bucks = load("buckinghamshire").pathway("conference-dissent").roles
    assert bucks.raised_with == "Designated Person for Child Protection"
    assert bucks.alerts is not None and "Safeguarding Co-ordinator" in bucks.alerts
    suffolk = load("suffolk")
    assert suffolk.pathway("conference-dissent").roles.raised_with == "designated lead"
    assert (
        suffolk.pathway("conference-dissent").roles.alerts == "local authority safeguarding manager"
    )
    stop = suffolk.pathway("stop-and-review").roles
    assert stop.request_to == "Chair of the Conference"
    assert stop.attendees == [
        "Practitioners involved with the family",
        "Their managers/safeguarding leads",
        "CYP Service Manager",
        "Safeguarding Manager",
    ]
    cic = suffolk.pathway("stop-and-review-cic").roles
    assert cic.request_to is not None and "CYPS Practice Manager" in cic.request_to
    assert cic.consulted == ["The child's Independent Reviewing Officer (IRO)"]
    assert "The relevant CYPS Service Manager (chair)" in cic.attendees
    assert cic.unresolved_to == "Heads of Service for each agency involved"


def test_decision_outcomes() -> None:
    york = load("york")
    assert york.pathway("conference-dissent").stage(2).outcomes == [
        "Uphold the decision reached by the conference chair",
        "Require that the conference be re-convened, chaired by the original chair or "
        "where necessary a different chair",
    ]
    assert len(york.pathway("resolution").stage(6).outcomes) == 4
    assert york.pathway("resolution").stage(6).outcomes[-1] == "No further action"
    bucks = load("buckinghamshire").pathway("conference-dissent").stage(3).outcomes
    assert len(bucks) == 4
    assert bucks[0] == "Uphold the decision reached by the conference chair"
    assert bucks[-1] == "Refer the matter to relevant Head of Service"
    suffolk = load("suffolk").pathway("conference-dissent").stage(3).outcomes
    assert suffolk == [
        "Uphold the decision reached by the conference chair",
        "Require that a review conference be brought forward",
    ]


# --------------------------------------------------------------------------------------
# Every stage: a date exactly when some rule has a number, None when none has


def _all_pathways() -> list[tuple[str, str]]:
    return [(pid, pw) for pid, pws in EXPECTED_PATHWAYS.items() for pw in pws]


@pytest.mark.parametrize(("policy_id", "pathway_id"), _all_pathways())
def test_no_fixed_timescale_stages_have_no_due_date(policy_id: str, pathway_id: str) -> None:
    raised = date(2026, 11, 2)
    pathway = load(policy_id).pathway(pathway_id)
    # Start every stage on the same day so each stage is judged on its own rules.
    starts = {s.number: raised for s in pathway.stages}
    for deadline in project_pathway(pathway, raised, starts):
        only_none = all(t.unit is Unit.NONE for t in deadline.stage.timescales)
        if only_none:
            assert deadline.due is None, (policy_id, pathway_id, deadline.number)
            urgent = any(t.urgent for t in deadline.stage.timescales)
            assert deadline.rule.startswith(
                "No fixed timescale, but the policy asks for it urgently"
                if urgent
                else "No fixed timescale in the policy"
            )
            for timescale in deadline.stage.timescales:
                assert timescale.text in deadline.rule
        else:
            assert deadline.due is not None, (policy_id, pathway_id, deadline.number)


# --------------------------------------------------------------------------------------
# Gloucestershire: 5, 5, 5 and 10 working days, each from the stage's own start


def test_gloucestershire_across_a_weekend() -> None:
    # Raised Wed 04/11/2026: Thu 5, Fri 6, (weekend), Mon 9, Tue 10, Wed 11.
    assert dues("gloucestershire", "resolution", date(2026, 11, 4)) == [
        date(2026, 11, 11),
        date(2026, 11, 18),
        date(2026, 11, 25),
        # 10 working days from Wed 25/11: Thu 26 ... Wed 09/12.
        date(2026, 12, 9),
    ]


def test_gloucestershire_raised_on_a_saturday() -> None:
    # Saturday never counts: Mon 9, Tue 10, Wed 11, Thu 12, Fri 13.
    assert dues("gloucestershire", "resolution", date(2026, 11, 7))[0] == date(2026, 11, 13)


def test_gloucestershire_across_christmas_2026() -> None:
    stages = project("gloucestershire", "resolution", date(2026, 12, 18))
    assert [s.due for s in stages] == [
        # Fri 18/12: Mon 21, Tue 22, Wed 23, Thu 24, (Fri 25, Mon 28 holidays), Tue 29.
        date(2026, 12, 29),
        # Tue 29/12: Wed 30, Thu 31, (Fri 01/01), Mon 4, Tue 5, Wed 6.
        date(2027, 1, 6),
        date(2027, 1, 13),
        # Wed 13/01: Thu 14, Fri 15, Mon 18 ... Wed 27 is the 10th.
        date(2027, 1, 27),
    ]
    assert [s.start for s in stages] == [
        date(2026, 12, 18),
        date(2026, 12, 29),
        date(2027, 1, 6),
        date(2027, 1, 13),
    ]
    assert [s.start_known for s in stages] == [True, False, False, False]
    assert "Christmas Day" in stages[0].rule
    assert "Boxing Day (observed)" in stages[0].rule
    assert "New Year's Day" in stages[1].rule


def test_gloucestershire_known_stage_start() -> None:
    # Stage 2 actually began on Thu 24/12/2026: Tue 29, Wed 30, Thu 31, Mon 4, Tue 5.
    stages = project("gloucestershire", "resolution", date(2026, 12, 18), {2: date(2026, 12, 24)})
    assert stages[1].start_known
    assert stages[1].due == date(2027, 1, 5)
    # Stage 3 is projected from stage 2's real deadline: Wed 6 ... Tue 12.
    assert stages[2].due == date(2027, 1, 12)


def test_gloucestershire_scotland_new_year_differs_from_england() -> None:
    scotland = dues("gloucestershire", "resolution", date(2026, 12, 18), nation=SCOTLAND)
    assert scotland == [
        date(2026, 12, 29),
        # Tue 29/12: Wed 30, Thu 31, (Fri 1 and Mon 4 holidays), Tue 5, Wed 6, Thu 7.
        date(2027, 1, 7),
        date(2027, 1, 14),
        date(2027, 1, 28),
    ]
    stages = project("gloucestershire", "resolution", date(2026, 12, 18), nation=SCOTLAND)
    assert "04/01/2027" in stages[1].rule


def test_gloucestershire_scotland_st_andrews_day() -> None:
    # Stage 4 from Wed 25/11/2026; Mon 30/11 is a holiday in Scotland only.
    england = dues("gloucestershire", "resolution", date(2026, 11, 4))
    scotland = dues("gloucestershire", "resolution", date(2026, 11, 4), nation=SCOTLAND)
    assert england[3] == date(2026, 12, 9)
    assert scotland[3] == date(2026, 12, 10)


def test_gloucestershire_across_easter_2027() -> None:
    # Tue 23/03/2027: Wed 24, Thu 25, (Good Friday 26, Easter Monday 29), Tue 30, Wed 31,
    # Thu 01/04.
    raised = date(2027, 3, 23)
    assert dues("gloucestershire", "resolution", raised)[0] == date(2027, 4, 1)
    assert dues("gloucestershire", "resolution", raised, nation=Nation.WALES)[0] == date(2027, 4, 1)
    # No Easter Monday holiday in Scotland: Wed 24, Thu 25, Mon 29, Tue 30, Wed 31.
    assert dues("gloucestershire", "resolution", raised, nation=SCOTLAND)[0] == date(2027, 3, 31)


def test_gloucestershire_child_safety_date_wins_when_sooner() -> None:
    stages = project(
        "gloucestershire", "resolution", date(2026, 12, 18), protect_by=date(2026, 12, 23)
    )
    assert [s.due for s in stages] == [date(2026, 12, 23)] * 4
    assert all(s.limited_by_protect_by for s in stages)
    assert stages[0].rule.startswith("Child-safety date Wed 23/12/2026")


def test_gloucestershire_child_safety_date_only_where_sooner() -> None:
    stages = project(
        "gloucestershire", "resolution", date(2026, 12, 18), protect_by=date(2027, 1, 20)
    )
    assert [s.due for s in stages] == [
        date(2026, 12, 29),
        date(2027, 1, 6),
        date(2027, 1, 13),
        date(2027, 1, 20),  # the policy's Wed 27/01 is later than the child-safety date
    ]
    assert [s.limited_by_protect_by for s in stages] == [False, False, False, True]


def test_gloucestershire_notifications() -> None:
    pathway = load("gloucestershire").pathway("resolution")
    (iro,) = pathway.stage(2).notifications
    assert iro.to == "Independent Reviewing Officer"
    assert iro.when == "cp_plan_or_looked_after"
    (form,) = pathway.stage(3).notifications
    assert form.document == "escalation-monitoring-form"
    assert "gsce@gloucestershire.gov.uk" in form.to
    assert "for monitoring purposes only" in form.text
    (email,) = pathway.stage(4).notifications
    assert "gsce@gloucestershire.gov.uk" in email.text
    assert pathway.stage(1).notifications == []
    assert [t.amount for s in pathway.stages for t in s.timescales] == [5, 5, 5, 10]
    for stage in pathway.stages:
        assert any("Written confirmation" in r for r in stage.records)


# --------------------------------------------------------------------------------------
# North Yorkshire: hours, immediate, raised-anchored days and the 13-working-day cap

NY_RAISED = datetime(2026, 11, 20, 15, 30)  # Friday afternoon


def test_north_yorkshire_full_projection() -> None:
    stages = project("north-yorkshire", "resolution", NY_RAISED)
    assert [s.due for s in stages] == [
        # 1: 96 hours after Fri 15:30 is Tue 15:30.
        datetime(2026, 11, 24, 15, 30),
        # 2: immediate, on the day stage 1 ends.
        date(2026, 11, 24),
        # 3 and 4: 10 working days from the disagreement (Fri 20/11): Fri 04/12.
        date(2026, 12, 4),
        date(2026, 12, 4),
        # 5: one working day from Fri 04/12: Mon 07/12.
        date(2026, 12, 7),
        # 6: 3 working days from Mon 07/12 is Thu 10/12, but the cap (13 working days from
        # Fri 20/11) is Wed 09/12.
        date(2026, 12, 9),
        # 7: 48 hours from Wed 09/12 00:00 is Fri 11/12 00:00; the cap Wed 09/12 wins.
        date(2026, 12, 9),
    ]
    assert stages[0].rule == (
        "24 to 96 hours from Fri 20/11/2026 15:30: due at the end of the range "
        "(its start: Sat 21/11/2026 15:30)."
    )
    assert stages[5].winner is not None and stages[5].winner.timescale.cap
    assert [r.due for r in stages[5].rules] == [date(2026, 12, 10), date(2026, 12, 9)]
    assert [r.due for r in stages[6].rules] == [
        None,
        datetime(2026, 12, 11, 0, 0),
        date(2026, 12, 9),
    ]
    assert stages[6].rule.startswith("cap: 13 working days")


def test_north_yorkshire_stage_one_is_24_to_96_hours() -> None:
    (rule,) = load("north-yorkshire").pathway("resolution").stage(1).timescales
    assert (rule.unit, rule.from_amount, rule.amount) == (Unit.HOURS, 24, 96)


def test_north_yorkshire_raised_anchor_ignores_stage_start() -> None:
    # Stage 4 starting Thu 03/12 is still due 10 working days from the disagreement.
    stages = project("north-yorkshire", "resolution", NY_RAISED, {4: date(2026, 12, 3)})
    assert stages[3].due == date(2026, 12, 4)
    # ...but stage 5's one working day runs from its own (projected) start, Fri 04/12.
    assert stages[4].start == date(2026, 12, 4)
    assert stages[4].due == date(2026, 12, 7)


def test_north_yorkshire_stage_six_three_days_beat_the_cap() -> None:
    # Panel referral on Mon 30/11: Tue 1, Wed 2, Thu 3 is before the cap Wed 09/12.
    stages = project("north-yorkshire", "resolution", NY_RAISED, {6: date(2026, 11, 30)})
    assert stages[5].due == date(2026, 12, 3)
    assert stages[5].winner is not None and not stages[5].winner.timescale.cap


def test_north_yorkshire_stage_seven_48_hours_beat_the_cap() -> None:
    stages = project("north-yorkshire", "resolution", NY_RAISED, {7: datetime(2026, 12, 1, 10, 0)})
    assert stages[6].due == datetime(2026, 12, 3, 10, 0)


def test_north_yorkshire_scotland() -> None:
    # St Andrew's Day Mon 30/11/2026 pushes the 10th working day to Mon 07/12 and the
    # 13th to Thu 10/12.
    stages = project("north-yorkshire", "resolution", NY_RAISED, nation=SCOTLAND)
    assert stages[2].due == date(2026, 12, 7)
    assert stages[5].rules[1].due == date(2026, 12, 10)


def test_north_yorkshire_child_safety_date() -> None:
    stages = project("north-yorkshire", "resolution", NY_RAISED, protect_by=date(2026, 11, 23))
    # The 96 hours (Tue 24/11 15:30) are later than Mon 23/11: the date wins.
    assert stages[0].due == date(2026, 11, 23)
    assert stages[0].limited_by_protect_by
    # Stage 2 is immediate from Mon 23/11, not later than the date: the policy wins.
    assert stages[1].due == date(2026, 11, 23)
    assert not stages[1].limited_by_protect_by
    assert all(s.due == date(2026, 11, 23) for s in stages)


def test_north_yorkshire_child_safety_date_later_than_everything() -> None:
    plain = dues("north-yorkshire", "resolution", NY_RAISED)
    assert dues("north-yorkshire", "resolution", NY_RAISED, protect_by=date(2027, 1, 1)) == (plain)


def test_north_yorkshire_child_safety_rule_text_names_the_earliest_rule() -> None:
    stages = project(
        "north-yorkshire",
        "resolution",
        NY_RAISED,
        {6: date(2026, 12, 7)},
        protect_by=date(2026, 12, 8),
    )
    # The earliest policy date for stage 6 is the cap (Wed 09/12), not the 3 working days
    # from Mon 07/12 (Thu 10/12).
    assert stages[5].due == date(2026, 12, 8)
    assert "3 working days from Mon 07/12/2026 (Wed 09/12/2026)" not in stages[5].rule
    assert "cap: 13 working days" in stages[5].rule and "(Wed 09/12/2026)" in stages[5].rule


# --------------------------------------------------------------------------------------
# Suffolk: 1 working day, a further 1, then immediate; 28 calendar days for parents


def test_suffolk_dispute_at_referral() -> None:
    # Feedback received Fri 20/11/2026.
    stages = project("suffolk", "resolution", date(2026, 11, 20))
    assert [s.due for s in stages] == [
        date(2026, 11, 23),  # Mon: one working day
        date(2026, 11, 24),  # Tue: a further one working day
        date(2026, 11, 24),  # referred without delay
        None,  # heads of service: no timescale
        None,  # "referred urgently": urgent, with no fixed time
    ]
    assert stages[4].projected_start is None
    assert stages[4].rule.startswith("No fixed timescale, but the policy asks for it urgently")


def test_suffolk_over_christmas() -> None:
    # Thu 24/12/2026: (Fri 25, Mon 28 holidays) Tue 29, then Wed 30.
    assert dues("suffolk", "resolution", date(2026, 12, 24))[:3] == [
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 30),
    ]


def test_suffolk_new_year_england_and_scotland() -> None:
    # Thu 31/12/2026: Fri 1 is a holiday everywhere; Mon 4 only in Scotland.
    assert dues("suffolk", "resolution", date(2026, 12, 31))[0] == date(2027, 1, 4)
    assert dues("suffolk", "resolution", date(2026, 12, 31), nation=SCOTLAND)[0] == date(2027, 1, 5)


def test_suffolk_plan_dissent_follows_the_same_timescales() -> None:
    assert dues("suffolk", "plan-dissent", date(2026, 11, 20)) == dues(
        "suffolk", "resolution", date(2026, 11, 20)
    )


def test_suffolk_conference_dissent() -> None:
    raised = date(2026, 11, 2)
    # Each timed stage follows one with no timescale: no date until that one ends.
    assert dues("suffolk", "conference-dissent", raised) == [None, None, None, None]
    stages = project(
        "suffolk",
        "conference-dissent",
        raised,
        {2: date(2026, 11, 5), 4: date(2026, 11, 12)},
    )
    # Stage 4, "as a matter of urgency", is urgent with no fixed time (not same-day).
    assert [s.due for s in stages] == [None, date(2026, 11, 5), None, None]


def test_suffolk_parent_complaint_28_calendar_days() -> None:
    (complaint,) = load("suffolk").pathway("conference-dissent").other_deadlines
    assert complaint.from_event == "receiving the minutes of the conference"
    assert complaint.timescale.unit is Unit.CALENDAR_DAYS
    # Calendar days ignore weekends and bank holidays: Fri 04/12/2026 + 28 = Fri 01/01/2027.
    due = apply_rule(complaint.timescale, date(2026, 12, 4), calendar_for(ENGLAND))
    assert due == date(2027, 1, 1)
    due = apply_rule(complaint.timescale, date(2027, 3, 1), calendar_for(ENGLAND))
    assert due == date(2027, 3, 29)


def test_suffolk_stop_and_review_has_no_fixed_timescales() -> None:
    for pathway_id in ("stop-and-review", "stop-and-review-cic"):
        assert set(dues("suffolk", pathway_id, date(2026, 11, 2))) == {None}
    cic = load("suffolk").pathway("stop-and-review-cic")
    told = [n.to for n in cic.stage(4).notifications]
    assert told == [
        "The child's IRO",
        "The relevant Safeguarding Manager",
        "Head of Safeguarding Service",
    ]


def test_suffolk_written_accounts() -> None:
    pathway = load("suffolk").pathway("resolution")
    assert [n.document for n in pathway.stage(4).notifications] == ["written-account"]
    assert [n.document for n in pathway.stage(5).notifications] == ["written-account"]
    assert any("contemporaneously record" in r.lower() for r in pathway.stage(1).records)


# --------------------------------------------------------------------------------------
# York: two working days to the IRO Manager; otherwise no fixed timescales


def test_york_conference_dissent_two_working_days() -> None:
    # Conference decision Thu 24/12/2026: (Fri 25, Mon 28 holidays) Tue 29, Wed 30.
    assert dues("york", "conference-dissent", date(2026, 12, 24)) == [date(2026, 12, 30), None]
    # Thu 25/03/2027: (Good Friday, Easter Monday) Tue 30, Wed 31.
    assert dues("york", "conference-dissent", date(2027, 3, 25))[0] == date(2027, 3, 31)
    # Scotland has no Easter Monday holiday: Mon 29, Tue 30.
    assert dues("york", "conference-dissent", date(2027, 3, 25), nation=SCOTLAND)[0] == date(
        2027, 3, 30
    )


def test_york_conference_dissent_runs_from_the_decision() -> None:
    # Raised with the IRO Manager a day later, still due two working days from the
    # conference decision (Mon 02/11): Wed 04/11, not Thu 05/11.
    stages = project("york", "conference-dissent", date(2026, 11, 2), {1: date(2026, 11, 3)})
    assert stages[0].due == date(2026, 11, 4)


def test_york_conference_dissent_child_safety_date() -> None:
    stages = project(
        "york", "conference-dissent", date(2026, 12, 24), protect_by=date(2026, 12, 24)
    )
    # Stage 1's 2 working days (Wed 30/12) give way to the child-safety date; stage 2 has
    # no fixed timescale, so the child-safety date is its deadline too.
    assert [s.due for s in stages] == [date(2026, 12, 24), date(2026, 12, 24)]
    assert "no fixed timescale" in stages[1].rule


def test_york_resolution_without_delay_stage() -> None:
    raised = date(2026, 11, 2)
    # "Referred without delay" after two open-ended stages: not due on the raised day
    # but when stage 2 ends, so no projected date (it was shown due on 02/11 before).
    assert dues("york", "resolution", raised) == [None] * 6
    started = dues("york", "resolution", raised, {3: date(2026, 11, 9)})
    assert started[2] == date(2026, 11, 9)
    stages = project("york", "resolution", raised, {3: date(2026, 11, 9)})
    assert stages[2].due == date(2026, 11, 9)
    assert stages[3].start == date(2026, 11, 9)
    assert "within a timescale, which is acceptable to both of them" in stages[0].rule
    assert dues("york", "plan-dissent", raised, {2: date(2026, 11, 9)}) == [
        None,
        date(2026, 11, 9),
        None,
        None,
        None,
    ]


# --------------------------------------------------------------------------------------
# Buckinghamshire: only "without delay" and "immediately" give dates


def test_buckinghamshire_resolution() -> None:
    raised = date(2026, 11, 2)
    stages = project("buckinghamshire", "resolution", raised, {3: date(2026, 11, 12)})
    assert [s.due for s in stages] == [None, None, date(2026, 11, 12), None, None]
    assert "within a timescale that protects the child from harm" in stages[0].rule


def test_buckinghamshire_conference_dissent() -> None:
    stages = project(
        "buckinghamshire", "conference-dissent", date(2026, 11, 2), {2: date(2026, 11, 5)}
    )
    assert [s.due for s in stages] == [None, date(2026, 11, 5), None]
    assert stages[1].rule == "immediately: due on the day it starts (Thu 05/11/2026)."


def test_buckinghamshire_allegations_two_ways_to_the_lado() -> None:
    """5.1 (the Designated Senior Manager informs the LADO) and 5.2 (the worker goes
    to the LADO directly when they will not) are alternatives, each followed by 5.3."""
    policy = load("buckinghamshire")
    usual, direct = policy.pathway("allegations"), policy.pathway("allegations-direct")
    assert usual.kind == direct.kind == "allegations"
    assert [s.title for s in usual.stages] == [
        "Designated Senior Manager informs the LADO",
        "Named Senior Officer for Allegations",
    ]
    assert [s.title for s in direct.stages] == [
        "Direct contact with the LADO",
        "Named Senior Officer for Allegations",
    ]
    assert dues("buckinghamshire", "allegations", date(2026, 11, 2)) == [None, None]


def test_buckinghamshire_determinations_can_be_reached_together() -> None:
    """4.3: "…interim child protection plan is put in place; and/or Require that a
    review conference be brought forward": either or both, and nothing else together."""
    decides = load("buckinghamshire").pathway("conference-dissent").stages[2]
    both = (
        "Ensure that immediate interim child protection plan is put in place; and "
        "Require that a review conference be brought forward"
    )
    assert decides.determinations() == [*decides.outcomes, both]
    # BSCB Conflict Resolution 2008, 4.3, as printed:
    excerpt = (
        "- Uphold the decision reached by the conference chair, or\n"
        "- Ensure that immediate interim child protection plan is put in place; and/or\n"
        "- Require that a review conference be brought forward\n"
        "- Refer the matter to relevant Head of Service"
    )
    assert all(f"- {outcome}" in excerpt for outcome in decides.outcomes)


def test_suffolk_child_placed_by_another_authority_mash_48_hours() -> None:
    pathway = load("suffolk").pathway("placed-child-incident")
    assert pathway.kind == "resolution"  # the Escalation Monitoring Form's pathway kind
    referral = datetime(2026, 12, 7, 15, 0)  # the MASH receives the referral
    stages = project_pathway(pathway, datetime(2026, 12, 7, 10, 0), {2: referral})
    assert [s.due for s in stages] == [None, datetime(2026, 12, 9, 15, 0), None]
    assert "within a maximum period of 48 hours" in pathway.stages[1].timescales[0].text
    assert "Any professional in any agency" in pathway.stages[0].owner
