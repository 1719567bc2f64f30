"""St Helens, checked against the text it was encoded from: the St Helens LSCB's
"Multi-agency Escalation & Resolution Policy Briefing" (a copy on paperzz.com), the only
text read that gives the steps and timescales, and the partnership's current page (the
June 2025 policy itself is a linked file that was not readable), read 04/12/2026.

``BRIEFING`` and ``CURRENT_PAGE`` keep the lines of the stored copies the file uses. Every
timescale's ``text`` must appear in the briefing word for word; every action, record and
notification must be its sentences (cut, never reworded).

Dates worked out by hand (England): Fri 25/12/2026 Christmas Day and Mon 28/12 Boxing Day
(observed) are bank holidays.
"""

from __future__ import annotations

import re
from datetime import date

from app.deadlines.engine import project_pathway
from app.policy import Policy, PolicyLibrary, Unit, load_policy_file
from tests.test_policy_library_libB import POLICIES_DIR

BRIEFING = (
    "https://paperzz.com/doc/6972127/multi-agency-escalation-policy-briefing",
    "Multi-agency Escalation & Resolution Policy Briefing",
    "Learning & Development Officer - LSCB",
    "Escalation Report 2015-2016",
    "Dispute resolution prior to invoking the MA Escalation Procedure",
    "Resolution",
    "Record on relevant case file",
    "Agency A to Agency B",
    "Copy in Team Managers",
    "Unresolved",
    "Next step …",
    "Dispute resolution prior to invoking the MA Escalation Procedure",
    "Resolution",
    "Record on both agency case file",
    "Practitioner to Line Manager (1 Day)",
    "Unresolved",
    "MA Escalation process invoked",
    "Manager to Manager (1 Day)",
    "Escalation Notice",
    "MA Escalation Process - Escalation Notice",
    "Service Manager to Service Manager (or equivalent) (Completed within 5 working days)",
    "Copy to LSCB Business Manager",  # the stored copy's text ends here
)
CURRENT_PAGE = (
    "https://sthelenssafeguarding.org.uk/p/procedures/st-helens-multi-agency-resolution-policy",
    "It must not delay safeguarding action, if a child is at immediate risk, practitioners "
    "must follow standard safeguarding protocols without hesitation.",
    "All matters related to the Multi-Agency Resolution process should be sent to: "
    "scpescalations@sthelens.gov.uk",
    "As of June 2025, the Multi-Agency Resolution Policy and associated form have been updated.",
)


def load() -> Policy:
    return load_policy_file(POLICIES_DIR / "st-helens.toml")


def briefing_text() -> str:
    return " ".join(BRIEFING).casefold()


def sentences(text: str) -> list[str]:
    """The action's parts as the file cuts them: sentences, and "Resolution: …" labels."""
    return [p.rstrip(".") for p in re.split(r"(?<=\.) |: ", text) if p]


def test_four_stages_from_the_briefing_in_the_library() -> None:
    policy = load()
    assert {p.id: len(p.stages) for p in policy.pathways} == {"resolution": 4}
    assert "st-helens" in PolicyLibrary.load(POLICIES_DIR).ids()
    assert policy.document.url == BRIEFING[0]
    assert policy.document.read_on == date(2026, 12, 4)
    assert policy.document.issued is None  # the slides carry no date
    assert policy.document.currency_note is not None


def test_every_timescale_is_quoted_from_the_briefing() -> None:
    text = briefing_text()
    rules = [rule for stage in load().pathway("resolution").stages for rule in stage.timescales]
    for rule in rules:
        if rule.unit is Unit.NONE:
            assert rule.text == "not stated in the part of the document that was read"
            continue
        assert rule.text.casefold() in text, rule.text
    # "(1 Day)" is not said to be a working day: one calendar day, as the file says.
    assert [r.unit for r in rules] == [
        Unit.NONE,
        Unit.CALENDAR_DAYS,
        Unit.CALENDAR_DAYS,
        Unit.WORKING_DAYS,
    ]


def test_actions_records_and_notifications_are_the_briefings_words() -> None:
    text = briefing_text()
    for stage in load().pathway("resolution").stages:
        assert stage.owner.casefold() in text, stage.owner
        for part in sentences(stage.action):
            assert part.casefold() in text, part
        for said in [*stage.records, *(n.text for n in stage.notifications)]:
            assert said.casefold() in text, said


def test_never_presented_as_the_current_policy() -> None:
    policy = load()
    # The briefing says nothing about a child at immediate risk; the current page's
    # words are quoted in the completeness note, never as this document's.
    assert policy.immediate_risk is None
    completeness = policy.document.completeness or ""
    assert "not the current policy" in completeness
    assert "ceased on 1 May 2019" in completeness
    assert "June 2025" in completeness
    assert "not readable here" in completeness
    assert "not compared" in completeness
    assert CURRENT_PAGE[0] in completeness
    assert CURRENT_PAGE[1] in completeness
    assert "scpescalations@sthelens.gov.uk" in completeness
    assert "ends after the service managers' step" in completeness
    assert "one calendar day" in completeness
    assert (policy.document.incomplete_note or "").startswith("Incomplete: check with")


def test_st_helens_hand_checked() -> None:
    # Raised Fri 18/12/2026. Stage 1 has no timescale, so stage 2 has no date until it
    # ends. Stage 2 started Fri 18/12: "(1 Day)" is Sat 19/12. Stage 4 started Tue 22/12:
    # 5 working days are Wed 23, Thu 24, (Fri 25 and Mon 28 bank holidays) Tue 29,
    # Wed 30, Thu 31/12/2026.
    pathway = load().pathway("resolution")
    projected = project_pathway(pathway, date(2026, 12, 18))
    assert [s.due for s in projected] == [None, None, None, None]
    started = project_pathway(
        pathway, date(2026, 12, 18), {2: date(2026, 12, 18), 4: date(2026, 12, 22)}
    )
    assert started[1].due == date(2026, 12, 19)
    assert started[2].due == date(2026, 12, 20)  # projected from stage 2's deadline
    assert started[3].due == date(2026, 12, 31)


def test_where_a_dsl_chooses_it_the_note_is_its_first_sentence() -> None:
    """Seen in the real window: the whole completeness note filled ten lines of the
    new-escalation form. A form shows the first sentence; the whole goes on hover."""
    document = load().document
    short, whole = document.incomplete_short, document.incomplete_note
    assert short is not None and whole is not None
    assert short.startswith("Incomplete: check with your partnership.")
    assert whole.startswith(short.rstrip("."))
    assert short.count(". ") == 1 and len(short) < len(whole) / 2
