"""Policies read from other partnerships' published pages: London (PA4), Sefton,
Darlington and Lincolnshire. Each is checked against the page text it was encoded from.

``EVIDENCE`` keeps, for each policy, the address of the page and the lines of the stored
copy that the file uses (read 04/12/2026; list bullets written on one line, separated by
"; " as in the files). Every timescale's ``text`` must appear in them word for word, and
every action must be made of their words in their order (cut, never reworded). Each
stored copy runs out before the end of its page, so each file says so in
``completeness``.

Dates worked out by hand (England): Fri 18/12/2026; Fri 25/12 Christmas Day, Mon 28/12
Boxing Day (observed) and Fri 01/01/2027 are bank holidays.

    December 2026          January 2027
    Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su
        1  2  3  4  5  6                1  2  3
     7  8  9 10 11 12 13    4  5  6  7  8  9 10
    14 15 16 17 18 19 20
    21 22 23 24 25 26 27
    28 29 30 31
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app.deadlines.engine import other_deadline, project_pathway
from app.policy import Nation, Policy, PolicyLibrary, Unit, load_policy_file
from app.policy.immediate_risk import policy_words_on_immediate_risk

POLICIES_DIR = Path(__file__).resolve().parent.parent / "policies"

EVIDENCE: dict[str, tuple[str, ...]] = {
    "london": (
        "http://londonsafeguardingchildrenprocedures.co.uk/profess_conflict_res.html",
        "PA4. Resolving Professional Differences",
        "In September 2021, this guidance was revised and updated throughout. It replaces a "
        "previous chapter entitled Conflict Resolution.",
        "1. Disagreement at Referral and Enquiry Stage",
        "1.3 Concern or disagreement may arise over another professional's decisions, "
        "actions or lack of actions in relation to a referral, an assessment or an enquiry.",
        "1.4 Professionals should attempt to resolve differences through discussion and/or "
        "meeting within a working week or a timescale that protects the child from harm "
        "(whichever is less).",
        "1.5 If the professionals are unable to resolve differences within the timescale, "
        "their disagreement must be addressed by more experienced / more senior staff.",
        "1.6 Most day-to-day inter-agency differences of opinion will require a local "
        "authority children's social care manager to liaise with their (first line "
        "manager) equivalent in the relevant agencies, e.g.: A police detective sergeant; "
        "A designated or named safeguarding child health professional; Designated "
        "safeguarding lead in a school.",
        "These first line managers should seek advice from their agency's designated "
        "safeguarding children professional.",
        "1.7 If agreement cannot be rea",  # the stored copy ends here
    ),
    "sefton": (
        "https://seftonlscb.safeguardingpolicies.org.uk/may-2017/"
        "sec-17-escalation-procedure-resolution-of-professional-disagreement/172-process",
        "17.2 Process",
        "Last updated 18/05/2017",
        "Stage 1",
        "1.1 Upon disagreement in relation to the safeguarding needs of a child, in the "
        "first instance the professional from the other agency should raise the matter "
        "with the relevant practitioner and their Team Manager verbally or in writing "
        "within 2 working days of the disagreement or receipt of a decision by Children’s "
        "Social Care.",
        "1.2 The agency should provide clear evidence based reasons for their disagreement. "
        "The receiving agency must read and review the particular case file and must speak "
        "to the agency within 3 working days and attempt to find a mutually agreeable way "
        "forward sought via discussion or a meeting. Where a resolution is reached the "
        "responsible team manager will advise the agency of the outcome by letter within a "
        "further 2 working days.",
        "Stage 2",
        "2.1 If the receiving agency practitioner and the complainant practitioner, "
        "supported by their team managers are unable to resolve the disagreement following "
        "exploration of the facts, each practitioner should raise their concerns with their "
        "lead for safeguarding.",
        "2.3 The receiving service manager must aim to come to an agreement within 2 "
        "working days. If agreement is reached, the receiving agency will write to the "
        "complainant agency confirming the outcome within 2 working days.",
        "2.4 If agreement cannot be reached following initial discussions between the "
        "service managers, the receiving Service Manager will convene a meeting within a "
        "further 5 working days. If resolution is reached, the complainant agency will be "
        "notified of the outcome by letter within 48 hours. A copy must also be sent to the "
        "LSCB Business Manager.",
        "2.5 At Stage 2, the LSCB Business Manager must be informed that the escalation "
        "procedure has been invoked. The Notification form must be used to inform the LSCB.",
        "Stage 3",
        "3.1",  # the stored copy ends here
    ),
    "darlington": (
        "https://www.darlington-safeguarding-partnership.co.uk/professionals/"
        "working-with-children/child-protection-procedures/"
        "professional-challenge-procedure-and-practice-guidance/procedure-and-guidance",
        "Procedure and Guidance - How to make a professional Challenge",
        "Stage 1: Any Practitioner who is unhappy about a decision, action or inaction of "
        "another professional/agency should contact the person/agency who made the "
        "original decision or took the action to: obtain details of the rationale for "
        "decision; express their views and concerns; attempt to achieve a shared "
        "understanding of the issues raised; agree a plan of action to be implemented",
        "Practitioners who disagree should work with an open and honest approach to resolve "
        "the problem. This discussion must take place as soon as possible and should "
        "outline the reasons for disagreement. It is good practice to make a record of the "
        "reason for disagreement, what was discussed, agreed and follow up telephone "
        "correspondence with an email to summarise the key points. This should be completed "
        "within one working day.",
        "Stage 2: If the issue cannot be resolved at Stage 1: the involved parties should "
        "immediately discuss with their respective line managers/Named Practitioner/"
        "Designated Safeguarding Lead within their own agency. The line manager for the "
        "practitioner raising the challenge should review the concerns and if justified; "
        "liaise with the line manager for the practitioner receiving the challenge to "
        "attempt to reach a resolution. Where possible, this should be completed within 3 "
        "working days.",
        "Stage 3: If issue is not resolved at Stage 2: if manager deems appropriate, an "
        "interagency meeting to discuss differing views should be arranged. Agreement "
        "should be reached on who should attend. A clear record of discussion and the "
        "agreed outcomes/actions including details of any outstanding issues should be "
        "made using the Professional Challenge Recording Tool (Appendix 1). Details of next "
        "steps should also be captured. A copy of the recording tool should be shared with "
        "the DSP Business Unit (DSP@darlington.gov.uk) for recording purposes.",
        "Stage 4: If the issue cannot be resolved in Stage 3: the practitione",  # ends here
    ),
    "lincolnshire": (
        "https://www.lincolnshire.gov.uk/social-care-health/"
        "joint-professional-escalation-resolution-protocol/3",
        "Joint professional escalation and resolution protocol",
        "Escalation and resolution steps",
        "Step 1 direct professional to professional discussion",
        "Differences of opinion or judgement should be discussed amongst frontline "
        "professionals.  Attempts should be made to achieve a shared understanding and "
        "agree on a local resolution.  The resolution should align with the plan or ensure "
        "a plan is developed if needed.",
        "Care should be taken to agree a way of managing conflict.  This will allow ACYPs "
        "and their families to understand the issues under discussion. An acknowledgement "
        "must be provided immediately.  Within 48 hours (two working days) of the initial "
        "discussion, an agreed action plan should be developed.  It must detail how the "
        "conflict will be resolved and include clear timescales.",
        "Step 2 direct manager to manager discussion",
        "If step 1 does not resolve the issue, each professional should discuss the issue "
        "with their line manager or safeguarding supervisor. The line manager should review "
        "the concerns and ensure that they are justified and meet the purpose of this "
        "protocol.",
        "The two line managers should then liaise to try to reach a resolution. This "
        "discussion must occur within five working days of step 1. They may consult senior "
        "managers within each organisation if this would assist resolution. An agreed plan "
        "of action must be developed, including clear timescales.",
        "Step 3 direct SLO or equivalent to SLO or equivalent discussion",
        "If steps 1 and 2 do not reach a resolution, the agencies' senior liaison officer "
        "or equivalent (SLOE) should be contacted immediately.  They will liaise with the "
        "other agency's SLOE or assist in resolving the conflict as appropriate. A mutually "
        "agreeable action plan, including timescales, should be in place within 48 hours "
        "(two working days). For children SLO contact details use our find a liaison "
        "officer search.",
        "Step 4",
        "a) Urgent resolution required, LSAB or LSCP independent chaired meeting",  # ends
    ),
}

EXPECTED_STAGES: dict[str, dict[str, int]] = {
    "london": {"resolution": 2},
    "sefton": {"resolution": 4},
    "darlington": {"resolution": 3},
    "lincolnshire": {"resolution": 3},
}


def load(policy_id: str) -> Policy:
    return load_policy_file(POLICIES_DIR / f"{policy_id}.toml")


def page_text(policy_id: str) -> str:
    return " ".join(" ".join(EVIDENCE[policy_id]).split())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def is_cut_from(text: str, source: str) -> bool:
    """True when ``text``'s words all appear in ``source``, in the same order: the page
    condensed by cutting, with nothing added or reworded."""
    remaining = iter(words(source))
    return all(word in remaining for word in words(text))


# --------------------------------------------------------------------------------------


def test_the_library_loads_them_beside_the_others() -> None:
    library = PolicyLibrary.load(POLICIES_DIR)
    assert library.problems == []
    assert set(EXPECTED_STAGES) <= set(library.ids())


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_STAGES))
def test_pathways_and_stage_counts(policy_id: str) -> None:
    policy = load(policy_id)
    assert policy.id == policy_id
    counts = {p.id: len(p.stages) for p in policy.pathways}
    assert counts == EXPECTED_STAGES[policy_id]
    for pathway in policy.pathways:
        assert [s.number for s in pathway.stages] == list(range(1, len(pathway.stages) + 1))


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_STAGES))
def test_every_timescale_is_quoted_word_for_word(policy_id: str) -> None:
    policy = load(policy_id)
    page = page_text(policy_id)
    for pathway in policy.pathways:
        rules = [t for stage in pathway.stages for t in stage.timescales]
        rules += [other.timescale for other in pathway.other_deadlines]
        for rule in rules:
            if rule.unit is Unit.NONE and rule.text == "not stated in the document":
                continue
            assert " ".join(rule.text.split()) in page, rule.text


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_STAGES))
def test_actions_records_and_notifications_are_the_pages_words(policy_id: str) -> None:
    policy = load(policy_id)
    page = page_text(policy_id)
    for pathway in policy.pathways:
        for stage in pathway.stages:
            assert is_cut_from(stage.action, page), stage.action
            for record in stage.records:
                assert is_cut_from(record, page), record
            for notification in stage.notifications:
                assert is_cut_from(notification.text, page), notification.text


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_STAGES))
def test_document_says_where_it_came_from_and_where_the_text_runs_out(
    policy_id: str,
) -> None:
    document = load(policy_id).document
    assert document.url == EVIDENCE[policy_id][0]
    assert document.read_on == date(2026, 12, 4)
    assert document.version == "Not stated"
    # Every stored copy stopped before the end of its procedure: the file says so.
    assert document.completeness is not None
    assert document.incomplete_note is not None
    # None of them is dated after Working Together 2023: the app asks the DSL to check.
    assert document.currency_note is not None


def test_dates_and_newer_versions_as_the_pages_give_them() -> None:
    assert load("london").document.issued == "2021-09"
    assert load("sefton").document.issued == "2017-05-18"
    assert load("darlington").document.issued is None
    assert load("lincolnshire").document.issued is None
    # Sefton's 2017 page is superseded by the SCP's 2022 procedure, and Darlington
    # announced a revision in December 2025: each file says so plainly.
    assert "newer version exists" in str(load("sefton").document.completeness)
    assert "14/03/2022" in str(load("sefton").document.completeness)
    assert "29/12/2025" in str(load("darlington").document.completeness)


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_STAGES))
def test_no_words_on_immediate_risk_are_put_in_their_mouths(policy_id: str) -> None:
    # None of the pages read says what to do when a child is at immediate risk.
    policy = load(policy_id)
    assert policy.immediate_risk is None
    assert policy_words_on_immediate_risk(policy).startswith(
        f"{policy.short_name}'s document says nothing"
    )


# --------------------------------------------------------------------------------------
# One deadline per policy, worked out by hand.


def test_london_working_week_over_christmas() -> None:
    # "within a working week": 5 working days from Fri 18/12: Mon 21, Tue 22, Wed 23,
    # Thu 24, (Fri 25 and Mon 28 are bank holidays) Tue 29.
    first, second = project_pathway(load("london").pathway("resolution"), date(2026, 12, 18))
    assert first.due == date(2026, 12, 29)
    assert second.due is None  # no timescale for the first line managers in the text


def test_sefton_stage_1_runs_from_the_decision() -> None:
    # "within 2 working days of the disagreement or receipt of a decision": the decision
    # received on Thu 17/12 and raised on Fri 18/12 gives Fri 18 (1), Mon 21 (2).
    pathway = load("sefton").pathway("resolution")
    stages = project_pathway(pathway, date(2026, 12, 18), decision=date(2026, 12, 17))
    assert stages[0].due == date(2026, 12, 21)
    # The receiving agency then speaks "within 3 working days": Tue 22, Wed 23, Thu 24.
    assert stages[1].due == date(2026, 12, 24)
    # The meeting "within 48 hours" letter: from Tue 22/12 00:00, Thu 24/12 00:00.
    letter = pathway.other_deadlines[2]
    assert letter.timescale.unit is Unit.HOURS
    due = other_deadline(letter, date(2026, 12, 22), Nation.ENGLAND).due
    assert due is not None and str(due).startswith("2026-12-24 00:00")


def test_darlington_one_working_day_then_three() -> None:
    # Stage 1 "within one working day" of Fri 18/12: Mon 21. Stage 2 "within 3 working
    # days" of Mon 21: Tue 22, Wed 23, Thu 24. Stage 3 has no timescale in the text.
    stages = project_pathway(load("darlington").pathway("resolution"), date(2026, 12, 18))
    assert [s.due for s in stages] == [date(2026, 12, 21), date(2026, 12, 24), None]


def test_lincolnshire_step_2_counts_from_step_1() -> None:
    # Step 1 "Within 48 hours (two working days)": Mon 21, Tue 22. Step 2 "within five
    # working days of step 1", from Fri 18/12 however late step 2 starts: Mon 21, Tue
    # 22, Wed 23, Thu 24, (Fri 25, Mon 28 bank holidays) Tue 29.
    pathway = load("lincolnshire").pathway("resolution")
    stages = project_pathway(pathway, date(2026, 12, 18), {2: date(2026, 12, 23)})
    assert stages[0].due == date(2026, 12, 22)
    assert stages[1].due == date(2026, 12, 29)
    # The acknowledgement is due the day of the initial discussion.
    (ack,) = pathway.other_deadlines
    assert other_deadline(ack, date(2026, 12, 18), Nation.ENGLAND).due == date(2026, 12, 18)
