"""The escalation window's words, without a window: typed text escaped wherever it goes
into HTML, and the status line reading where the stage stands."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from app import clock
from app.deadlines import Moment
from app.domain.records import Action, Discussion
from app.domain.views import EscalationDetail
from app.policy import PolicyLibrary
from app.services import escalations as esc
from app.services import records as rec
from app.services.escalation_detail import escalation_pathway
from app.services.people import add_child
from tests.plain_store import PlainStore
from ui.escalation import texts

ROOT = Path(__file__).resolve().parents[2]
ACTOR = "Ms A <Lead> & Co"
NAME = "Zoë <b>Nguyễn</b> & Sons"
TYPED = "<img src=x onerror=alert(1)> & <i>not italic</i>"
NOW = datetime(2027, 1, 6, 14, 0)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return PlainStore(tmp_path / "plain.db")


def opened(store: PlainStore, library: PolicyLibrary) -> str:
    child = add_child(
        store, name=NAME, date_of_birth=date(2015, 3, 1), identifier=TYPED, actor=ACTOR
    )
    form = esc.NewEscalation(
        child_id=child.id,
        policy_id="north-yorkshire",
        pathway_id="resolution",
        raised_at=datetime(2027, 1, 4, 10, 0),
        raised_by=TYPED,
        other_agency=TYPED,
        other_practitioner=TYPED,
        category="threshold",
        disputed=TYPED,
        change_wanted=TYPED,
        impact=TYPED,
        immediate_risk=True,
    )
    ref = esc.open_escalation(store, library, form, actor=ACTOR).ref
    talk = Discussion(
        held_at=datetime(2027, 1, 5, 9, 0), method="phone", participants=[TYPED], summary=TYPED
    )
    rec.record_discussion(store, ref, talk, actor=ACTOR)
    rec.add_action(store, ref, Action(description=TYPED, owner=TYPED), actor=ACTOR)
    return ref


def test_the_texts_need_no_qt() -> None:
    """Nothing of Qt itself (the ``ui`` package imports PySide6's Python support only)."""
    probe = "import json, sys, ui.escalation.texts; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "ui.escalation.texts" in loaded
    assert [m for m in loaded if m.startswith("PySide6.Qt")] == []
    assert "PySide6.support" in loaded  # what ``import ui`` loads: the probe did run


def test_typed_text_is_escaped_in_every_html(store: PlainStore, library: PolicyLibrary) -> None:
    ref = opened(store, library)
    detail = esc.escalation_detail(store, ref)
    pathway = escalation_pathway(store, ref)
    policy = library.get("north-yorkshire")
    html = {
        "summary": texts.summary_html(detail, pathway, policy),
        "prompts": texts.prompts_html(detail, pathway),
        "chronology": texts.chronology_html(detail),
        "disagreement": texts.disagreement_html(detail),
        **texts.facts(detail, pathway, policy),
    }
    for where, text in html.items():
        assert "<img" not in text and "<i>not italic" not in text and "<b>Nguy" not in text, where
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;i&gt;" in html["disagreement"]
    assert "Zoë &lt;b&gt;Nguyễn&lt;/b&gt; &amp; Sons" in html["summary"]
    assert "&lt;img" in html["Child"] and "&lt;img" in html["Other agency"]
    assert "Ms A &lt;Lead&gt; &amp; Co" in html["chronology"]
    # Plain text where it is shown as plain text (the window sets those labels so).
    assert texts.heading_text(detail) == f"{ref} · {NAME}"


def with_due(detail: EscalationDetail, due: Moment | None) -> EscalationDetail:
    stages = list(detail.stages)
    stages[0] = replace(stages[0], due=due)
    return replace(detail, stages=stages)


@pytest.mark.parametrize(
    ("due", "text", "urgent"),
    [
        (datetime(2027, 1, 6, 10, 0), "⚠ OVERDUE: WAS DUE 10:00 TODAY · Stage 1 of", True),
        (datetime(2027, 1, 6, 16, 0), "⚠ DUE TODAY (Wed 06/01/2027 16:00) · Stage 1 of", True),
        (date(2027, 1, 5), "⚠ OVERDUE BY 1 WORKING DAY · Stage 1 of", True),
        (date(2027, 1, 8), "Stage 1 of", False),
        (None, "Stage 1 of", False),
    ],
)
def test_the_status_line_says_where_the_stage_stands(
    store: PlainStore, library: PolicyLibrary, due: Moment | None, text: str, urgent: bool
) -> None:
    detail = with_due(esc.escalation_detail(store, opened(store, library)), due)
    line = texts.status_line(detail, NOW)
    assert line.text.startswith(text) and line.urgent is urgent
    if due == date(2027, 1, 8):
        assert line.text.endswith("· due Fri 08/01/2027 · 2 working days left")
    if due is None:
        assert line.text.endswith("· no fixed timescale")


def test_a_closed_escalation_says_so(store: PlainStore, library: PolicyLibrary) -> None:
    ref = opened(store, library)
    esc.withdraw(store, ref, "Resolved informally", actor=ACTOR)
    detail = esc.escalation_detail(store, ref)
    line = texts.status_line(detail, NOW)
    assert line.text.startswith("Withdrawn on 06/01/2027, at stage 1 of") and not line.urgent
    rows = texts.stage_rows(detail, ["" for _ in detail.stages])
    assert rows[0].cells[4] == "Closed at this stage" and not rows[0].current
    assert texts.dissent_button_text(detail) == "Record conference &dissent…"


def test_the_disputed_decision_is_shown_with_the_date_raised(
    store: PlainStore, library: PolicyLibrary
) -> None:
    detail = esc.escalation_detail(store, opened(store, library))
    pathway = escalation_pathway(store, detail.row.ref)
    policy = library.get("north-yorkshire")
    assert "disputed decision" not in texts.facts(detail, pathway, policy)["Raised"]
    decided = replace(detail, decided_on=date(2026, 12, 30))
    assert texts.facts(decided, pathway, policy)["Raised"].endswith(
        "; the disputed decision was made on Wed 30/12/2026"
    )


def test_a_discussion_in_the_chronology_says_when_it_was_held(
    store: PlainStore, library: PolicyLibrary
) -> None:
    """The entry is dated when it was recorded; when the discussion took place, as the
    DSL typed it, is in its words (it was nowhere on screen or on paper)."""
    from app.chronology import entries

    detail = esc.escalation_detail(store, opened(store, library))
    talk = next(e for e in entries(detail) if e.what == "Discussion recorded")
    assert talk.detail.startswith("Held Tue 05/01/2027 09:00. ")
