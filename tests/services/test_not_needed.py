"""Once an escalation is closed, the stages it never reached are "Not needed (resolved at
stage N)": no projected dates, no dashed bars, in the detail every view reads, the
timeline's lanes, the PDF drawing and every document's stage table. And the chronology
names who moved each stage (the stage events' recorded_by)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect

from app import clock
from app.chronology import entries
from app.documents.timeline_drawing import timeline_drawing
from app.domain.records import Outcome, Party
from app.nation import Nation
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services.documents import DocumentKind, generate_document
from app.services.people import add_child
from app.timeline import LaneState, layout_timeline
from tests.plain_store import PlainStore
from tests.services.neglect_form import neglect_form

NOW = datetime(2027, 1, 6, 9, 0)
OPENED_BY = "Ms A Lead (DSL)"
MOVED_BY = "Mr B Deputy (DSL)"
AGREED_BY = "Ms C Head (DSL)"
NOT_NEEDED = "Not needed (resolved at stage 2)"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return PlainStore(tmp_path / "plain.db")


def _open(store: PlainStore, library: PolicyLibrary) -> str:
    child = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2015, 3, 1), actor=OPENED_BY)
    form = neglect_form(child.id, datetime(2026, 12, 14, 9, 30))
    return esc.open_escalation(store, library, form, actor=OPENED_BY).ref


def _resolved_at_stage_two(store: PlainStore, library: PolicyLibrary) -> str:
    ref = _open(store, library)
    esc.move_to_next_stage(
        store, ref, result="Not resolved.", actor=MOVED_BY, at=datetime(2026, 12, 16, 14)
    )
    outcome = Outcome(
        agreed="CSC will complete a child and family assessment.",
        parties=[Party(name="Ms Hannah Okafor"), Party(name="Ms Grace Adeyemi")],
        agreed_on=date(2026, 12, 18),
    )
    esc.agree_outcome(store, ref, outcome, actor=AGREED_BY, at=datetime(2026, 12, 18, 11))
    return ref


def test_stages_not_reached_are_not_needed_with_no_dates(
    store: PlainStore, library: PolicyLibrary
) -> None:
    ref = _open(store, library)
    before = esc.escalation_detail(store, ref)
    assert [s.not_needed for s in before.stages] == ["", "", "", ""]  # open: projected
    assert all(s.due is not None for s in before.stages[1:])
    ref = _resolved_at_stage_two(store, library)
    detail = esc.escalation_detail(store, ref)
    assert [s.not_needed for s in detail.stages] == ["", "", NOT_NEEDED, NOT_NEEDED]
    for stage in detail.stages[2:]:
        assert stage.due is None and stage.rule == "" and not stage.projected
        assert stage.started_at is None and stage.completed_at is None


def test_withdrawn_stages_say_so(store: PlainStore, library: PolicyLibrary) -> None:
    ref = _open(store, library)
    esc.withdraw(store, ref, "The family moved away.", actor=OPENED_BY)
    detail = esc.escalation_detail(store, ref)
    assert {s.not_needed for s in detail.stages[1:]} == {"Not needed (withdrawn at stage 1)"}


def test_the_timeline_draws_no_bar_for_a_stage_not_needed(
    store: PlainStore, library: PolicyLibrary
) -> None:
    detail = esc.escalation_detail(store, _resolved_at_stage_two(store, library))
    closed = date(2026, 12, 18)
    layout = layout_timeline(detail.stages, today=closed, nation=Nation.ENGLAND)
    states = [lane.state for lane in layout.lanes]
    assert states == [
        LaneState.COMPLETED,
        LaneState.COMPLETED,
        LaneState.NOT_NEEDED,
        LaneState.NOT_NEEDED,
    ]
    assert [lane.status for lane in layout.lanes[2:]] == [NOT_NEEDED, NOT_NEEDED]
    # The axis is the one the stages followed span alone: those not needed add nothing.
    followed = layout_timeline(detail.stages[:2], today=closed, nation=Nation.ENGLAND)
    assert (layout.first_day, layout.last_day) == (followed.first_day, followed.last_day)
    bars = [shape for shape in timeline_drawing(layout).contents if isinstance(shape, Rect)]
    lane_bars = [b for b in bars if b.fillColor is not None and b.strokeColor is not None]
    assert len(lane_bars) == 2  # the two stages followed; no dashed bar for the others
    assert not any(getattr(b, "strokeDashArray", None) == [3, 2] for b in bars)


@pytest.mark.parametrize("kind", [DocumentKind.MONITORING_FORM, DocumentKind.CHRONOLOGY])
def test_documents_list_the_stages_not_needed_and_who_moved_each(
    store: PlainStore, library: PolicyLibrary, kind: DocumentKind
) -> None:
    ref = _resolved_at_stage_two(store, library)
    pdf = generate_document(
        store, library, kind, ref, setting="Riverside", dsl="Ms Hannah Okafor", actor="DSL"
    ).pdf
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Projected" not in text and "projected" not in text.replace("projected stages", "")
    if kind is DocumentKind.MONITORING_FORM:  # the stage table, then the timeline
        assert text.count(NOT_NEEDED) == 4, text
        assert "3 Escalate to senior managers Respective managers" in text
    else:  # one entry, when it closed, by whoever closed it
        assert f"Stages 3 and 4 not needed {NOT_NEEDED} {AGREED_BY}" in text, text
        assert f"Not resolved. {MOVED_BY}" in text


def test_the_chronology_names_who_moved_each_stage(
    store: PlainStore, library: PolicyLibrary
) -> None:
    detail = esc.escalation_detail(store, _resolved_at_stage_two(store, library))
    by = {e.what: e.by for e in entries(detail) if e.what.startswith("Stage")}
    assert by == {
        "Stage 1 started: Discuss with the other worker": OPENED_BY,
        "Stage 1 completed": MOVED_BY,
        f"Stage 2 started: {detail.stages[1].title}": MOVED_BY,
        "Stage 2 completed": AGREED_BY,
        "Stages 3 and 4 not needed": AGREED_BY,
    }
    order = [e.what for e in entries(detail)]
    assert order.index("Stages 3 and 4 not needed") == order.index("Stage 2 completed") + 1
