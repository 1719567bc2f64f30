"""An escalation keeps the version of its policy it was opened under, whatever newer
version is loaded, until the DSL adopts the newer one: then only the stages not yet
started follow it, the chronology says so, and the audit trail re-pins the form with
the lawful reason."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.chronology import entries
from app.deadlines import day_of
from app.domain.escalation_actions import EscalationAction
from app.domain.records import Withdrawal
from app.errors import InputError
from app.policy import PolicyLibrary, default_library
from app.services import escalations as esc
from app.services import policy_adoption as adoption
from app.services.people import add_child
from app.storage import audit
from app.storage.models import AuditEntry
from tests.newer_policy import PANEL, newer_gloucestershire, with_newer
from tests.plain_store import PlainStore
from tests.services.neglect_form import neglect_form

ACTOR = "Ms A Lead (DSL)"
RAISED = datetime(2026, 12, 1, 10, 0)  # a Tuesday
MOVED = datetime(2026, 12, 4, 10, 0)  # stage 2 starts on Friday 4 December
ADOPTED = datetime(2026, 12, 7, 9, 0)
NEW_KEY = "Not stated (revision 2)"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: ADOPTED)
    return PlainStore(tmp_path / "plain.db")


def opened(store: PlainStore, library: PolicyLibrary) -> str:
    """A Gloucestershire escalation opened under revision 1, now at stage 2."""
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=ACTOR)
    form = neglect_form(child.id, RAISED)
    ref = esc.open_escalation(store, library, form, actor=ACTOR, at=RAISED).ref
    esc.move_to_next_stage(store, ref, result="Not resolved", actor=ACTOR, at=MOVED)
    return ref


def test_a_newer_version_leaves_an_open_escalation_as_it_was(store: PlainStore) -> None:
    ref = opened(store, default_library())
    before = esc.escalation_detail(store, ref)
    newer = with_newer()
    # Loaded, offered, but not followed until the DSL adopts it.
    assert adoption.newer_words(newer, "gloucestershire", "Not stated") == (
        "the version of 03/12/2026 (revision 2)"
    )
    after = esc.escalation_detail(store, ref)
    assert after == before
    assert after.policy_version == "Not stated"
    assert after.stages[3].owner == "GSCP (Resolution Panel)"
    assert adoption.follows_note(newer, "gloucestershire", after.policy_version).startswith(
        "This escalation follows the undated version of its policy. A newer version is "
        "loaded (the version of 03/12/2026 (revision 2))."
    )
    # A new escalation follows the newest.
    assert esc.escalation_detail(store, opened(store, newer)).policy_version == NEW_KEY


def test_the_offer_lists_what_changes_stage_by_stage(store: PlainStore) -> None:
    ref = opened(store, default_library())
    offer = adoption.adoption_offer(store, with_newer(), ref)
    assert offer is not None and offer.problems == []
    assert (offer.following, offer.newer, offer.newer_key) == (
        "the undated version",
        "the version of 03/12/2026 (revision 2)",
        NEW_KEY,
    )
    changed = [(c.stage, c.what, c.started) for c in offer.changes]
    assert changed == [
        (1, "Timescale", True),
        (2, "Timescale", True),
        (3, "Timescale", False),
        (4, "Owner", False),
    ]
    assert offer.changes[3].before == "GSCP (Resolution Panel)"
    assert offer.changes[3].after == PANEL
    assert offer.changes[2].after == '3 working days ("within 3 working days")'
    assert adoption.adoption_offer(store, default_library(), ref) is None


def test_adopting_changes_only_the_stages_not_yet_started(store: PlainStore) -> None:
    ref = opened(store, default_library())
    before = esc.escalation_detail(store, ref)
    adoption.adopt_version(store, with_newer(), ref, NEW_KEY, actor=ACTOR, at=ADOPTED)
    after = esc.escalation_detail(store, ref)
    assert after.policy_version == NEW_KEY
    # Started stages keep the deadlines stored when they started (5 working days)...
    assert [s.due for s in after.stages[:2]] == [s.due for s in before.stages[:2]]
    assert after.stages[1].due is not None and day_of(after.stages[1].due) == date(2026, 12, 11)
    # ...the stages to come follow the adopted version: 3 working days from stage 2's
    # deadline, and the new owner at stage 4.
    assert after.stages[2].due is not None and day_of(after.stages[2].due) == date(2026, 12, 16)
    assert before.stages[2].due is not None and day_of(before.stages[2].due) == date(2026, 12, 18)
    assert after.stages[3].owner == PANEL
    # Nothing more to adopt.
    assert adoption.newer_words(with_newer(), "gloucestershire", after.policy_version) == ""


def test_adopting_is_in_the_chronology_and_the_audit_trail(store: PlainStore) -> None:
    ref = opened(store, default_library())
    adoption.adopt_version(store, with_newer(), ref, NEW_KEY, actor=ACTOR, at=ADOPTED)
    detail = esc.escalation_detail(store, ref)
    [entry] = [e for e in entries(detail) if e.what == "Newer version of the policy adopted"]
    assert entry.at == ADOPTED and entry.by == ACTOR
    assert entry.detail.startswith(
        "Adopted the version of 03/12/2026 (revision 2) of Gloucestershire Safeguarding "
        f"Children Partnership on 07/12/2026, by {ACTOR}; was the undated version. Stages "
        "already started keep their deadlines. What changed: Stage 1 timescale (already "
        "started: its deadline stays as it was):"
    )
    assert f"Stage 4 owner: GSCP (Resolution Panel) → {PANEL}." in entry.detail
    with store.session() as session:
        assert audit.verify(session) == []
        repins = session.scalars(
            select(AuditEntry.action).where(AuditEntry.target == f"escalation-form:{ref}")
        ).all()
    assert repins[-1].startswith("re-pin (policy version adopted): replaces entry ")


def test_adopting_is_refused_when_it_may_not_be_done(store: PlainStore) -> None:
    ref = opened(store, default_library())
    with pytest.raises(InputError, match=r"No newer version of .*'s policy is loaded"):
        adoption.adopt_version(store, default_library(), ref, NEW_KEY, actor=ACTOR)
    # A version other than the one the DSL was shown.
    with pytest.raises(InputError, match="not the one you were shown"):
        adoption.adopt_version(store, with_newer(), ref, "Not stated (revision 3)", actor=ACTOR)
    # Fewer stages than the escalation has reached.
    short = newer_gloucestershire().model_copy(deep=True)
    pathway = short.pathways[0]
    object.__setattr__(pathway, "stages", pathway.stages[:1])
    fewer = PolicyLibrary([*default_library().all(), short])
    with pytest.raises(InputError, match="has 1 stage and this escalation has reached stage 2"):
        adoption.adopt_version(store, fewer, ref, NEW_KEY, actor=ACTOR)
    esc.withdraw(store, ref, Withdrawal(reason="Resolved").reason, actor=ACTOR)
    with pytest.raises(InputError, match="is withdrawn; a closed escalation cannot be changed"):
        adoption.adopt_version(store, with_newer(), ref, NEW_KEY, actor=ACTOR)
    assert esc.escalation_detail(store, ref).policy_version == "Not stated"
    # A closed escalation is not told about the newer version.
    assert adoption.follows_note(with_newer(), "gloucestershire", "Not stated", False) == (
        "This escalation follows the undated version of its policy."
    )


def test_the_window_is_offered_the_action_only_with_a_newer_version(store: PlainStore) -> None:
    from app.domain.escalation_actions import permission, situation_of

    ref = opened(store, default_library())
    detail = esc.escalation_detail(store, ref)
    action = EscalationAction.ADOPT_POLICY_VERSION
    assert not permission(action, situation_of(detail)).applies
    words = adoption.newer_words(with_newer(), "gloucestershire", detail.policy_version)
    assert permission(action, situation_of(detail, words)).allowed
