"""Policies read from other partnerships' published pages: West Yorkshire, Wirral and
Pan-Sussex. Each is checked against the page text it was encoded from.

``EVIDENCE`` keeps, for each policy, the address of the page and the lines of the stored
copy that the file quotes (read 04/12/2026). Every timescale's ``text`` must appear in
them word for word, and every action must be made of their sentences (cut, never
reworded). Where a stored copy ran out, the file says so in ``completeness``.

St Helens, from an older briefing beside its current page, is checked in
test_policy_library_st_helens.py.

Dates worked out by hand (England): Fri 18/12/2026; Fri 25/12 Christmas Day, Mon 28/12
Boxing Day (observed) and Fri 01/01/2027 are bank holidays.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from app.deadlines.engine import other_deadline, project_pathway
from app.policy import Nation, Policy, PolicyLibrary, Unit, load_policy_file

POLICIES_DIR = Path(__file__).resolve().parent.parent / "policies"

EVIDENCE: dict[str, tuple[str, ...]] = {
    "west-yorkshire": (
        "https://westyorkscb.proceduresonline.com/p_res_profdisag.html",
        "2.8 Resolving Multi Agency Professional Disagreements and Escalation",
        "Please Note - Professionals in Leeds should follow the Leeds Concerns Resolution Process.",
        "In December 2019, a new Section 4, Immediate / 24 hour Escalation was added to "
        "explain the process for escalation when a professional is concerned that the "
        "situation presents a significant risk to the child and the usual escalation "
        "process of 5 days is not viable.",
        "Section 3, Process of Resolving Professional Disagreements, was amended to allow "
        "14 working days for the resolution of disagreements at step 6 in the process. "
        "Steps 1-5 in the process should not exceed 5 working days.",
        "Criteria for referrals; Outcomes of assessments; Roles and responsibilities of "
        "workers; Service provision; and Information sharing and communication.",
    ),
    "wirral": (
        "https://docsbay.net/doc/807892/wirral-safeguarding-children-board",
        "Wirral Safeguarding Children Board Multi-Agency Escalation Procedure July 2015",
        "On those occasions where concerns need to be raised with another agency, workers "
        "should ensure this happens as soon as possible and that discussions are clearly "
        "recorded. In most cases the Lead Professional should be the first contact and if "
        "that does not resolve the concerns their manager should be contacted within one "
        "working day.",
        "Professionals should attempt to resolve differences through discussion and/or "
        "meeting within a working week or a timescale that protects the child from harm",
        # The same procedure as chapter 7.2 of the WSCB manual (September 2015), contents:
        "http://wirrallscb.proceduresonline.com/chapters/p_esc_ch_soc.html",
        "3. Professionals Resolving Disagreement - Stage One",
        "4. Safeguarding Lead - Stage Two",
        "5. WSCB Members - Stage Three",
        "6. WSCB Chair - Stage Four",
        "Appendix 1: Proforma for Reporting Conflicts which have been Resolved at Stage 2 "
        "Agency Representative Level",
        "Appendix 2: Proforma for Reporting Conflicts which have been Resolved at Stage 3 "
        "Agency Representative Level",
    ),
    "pan-sussex": (
        "https://sussexchildprotection.procedures.org.uk/hkypzs/child-protection-conferences/"
        "challenges-by-professionals-and-parents/",
        "5.7 Challenges by Professionals and Parents",
        "Last reviewed in July 2022",
        "This dissent process is for professionals only",
        "It is imperative that agencies work together to safeguard children. However, "
        "there may be occasions where an agency representative has concerns about the "
        "outcome of a Child Protection Conference and feel that threshold has or has not "
        "been met for a child or children to be on a Protection Plan.",
        "These must be raised within 72 hours of the conference meeting.",
    ),
}

EXPECTED_STAGES = {
    "west-yorkshire": {"resolution": 2},
    "wirral": {"resolution": 4},
    "pan-sussex": {"conference-dissent": 1},
}

# A "none" timescale with no number says plainly that the text gives or shows none.
NOT_IN_TEXT = ("not stated in the document", "not stated in the part of the document that")


def load(policy_id: str) -> Policy:
    return load_policy_file(POLICIES_DIR / f"{policy_id}.toml")


def page_text(policy_id: str) -> str:
    return " ".join(EVIDENCE[policy_id]).casefold()


@pytest.mark.parametrize("policy_id", sorted(EVIDENCE))
def test_pathways_stages_and_the_page_they_came_from(policy_id: str) -> None:
    policy = load(policy_id)
    assert {p.id: len(p.stages) for p in policy.pathways} == EXPECTED_STAGES[policy_id]
    assert policy.document.url == EVIDENCE[policy_id][0]
    assert policy.document.read_on == date(2026, 12, 4)
    assert policy.id in PolicyLibrary.load(POLICIES_DIR).ids()


@pytest.mark.parametrize("policy_id", sorted(EVIDENCE))
def test_every_timescale_is_quoted_from_the_page(policy_id: str) -> None:
    text = page_text(policy_id)
    pathways = load(policy_id).pathways
    rules = [rule for p in pathways for stage in p.stages for rule in stage.timescales]
    rules += [other.timescale for p in pathways for other in p.other_deadlines]
    for rule in rules:
        if rule.unit is Unit.NONE and rule.text.startswith(NOT_IN_TEXT):
            assert not rule.urgent
            continue
        assert rule.text.casefold() in text, rule.text


@pytest.mark.parametrize("policy_id", sorted(EVIDENCE))
def test_every_action_is_the_pages_own_sentences(policy_id: str) -> None:
    text = page_text(policy_id)
    for pathway in load(policy_id).pathways:
        for stage in pathway.stages:
            for sentence in re.split(r"(?<=\.) ", stage.action):
                assert sentence.rstrip(".").casefold() in text, sentence


@pytest.mark.parametrize("policy_id", sorted(EVIDENCE))
def test_says_where_the_text_runs_out_and_quotes_no_immediate_risk(policy_id: str) -> None:
    policy = load(policy_id)
    # None of the three pages' text read says what to do for a child at immediate risk.
    assert policy.immediate_risk is None
    assert policy.document.completeness is not None
    assert "not in the text read" in policy.document.completeness


def test_wirral_never_presents_2015_as_current() -> None:
    document = load("wirral").document
    assert document.issued == "2015-07"
    assert document.currency_note is not None
    completeness = document.completeness or ""
    assert "no longer current" in completeness
    assert "January 2020" in completeness
    assert "not compared" in completeness


def test_west_yorkshire_hand_checked() -> None:
    # 5 working days from Fri 18/12: Tue 22, Wed 23, Thu 24, (Fri 25 and Mon 28 bank
    # holidays) Tue 29. Step 6's 14 from Tue 29/12: Wed 30, Thu 31, (Fri 1 bank holiday)
    # Mon 4 … Fri 8 (7), Mon 11 … Fri 15 (12), Mon 18, Tue 19/01/2027.
    pathway = load("west-yorkshire").pathway("resolution")
    stages = project_pathway(pathway, date(2026, 12, 18))
    assert [s.due for s in stages] == [date(2026, 12, 29), date(2027, 1, 19)]


def test_wirral_hand_checked() -> None:
    # "within a working week": 5 working days from Fri 18/12 is Tue 29/12. The manager is
    # contacted within one working day of the first contact failing: Mon 21 → Tue 22/12.
    pathway = load("wirral").pathway("resolution")
    stages = project_pathway(pathway, date(2026, 12, 18))
    assert stages[0].due == date(2026, 12, 29)
    assert [s.due for s in stages[1:]] == [None, None, None]
    (manager,) = pathway.other_deadlines
    assert other_deadline(manager, date(2026, 12, 21), Nation.ENGLAND).due == date(2026, 12, 22)


def test_pan_sussex_runs_from_the_conference_not_the_dissent() -> None:
    # Conference Fri 18/12 10:00, dissent opened at 15:00: 72 clock hours from the
    # conference is Mon 21/12 10:00 (the weekend counts).
    pathway = load("pan-sussex").pathway("conference-dissent")
    (stage,) = project_pathway(
        pathway, datetime(2026, 12, 18, 15, 0), decision=datetime(2026, 12, 18, 10, 0)
    )
    assert stage.due == datetime(2026, 12, 21, 10, 0)
