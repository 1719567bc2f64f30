"""The due moments written for the tray (app/services/due_moments.py): every open
escalation's current deadline, equal to what the dashboard counts, and nothing that
names a child, a reference, an agency or a pathway, in any encoding."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app import clock
from app.deadlines import calendar_for
from app.demo import CHILDREN, create_demo
from app.nation import Nation
from app.policy import PolicyLibrary
from app.reminders import due_file
from app.reminders.counts import count
from app.services.dashboard import Bucket, dashboard
from app.services.due_moments import open_deadlines, remember
from app.services.escalations import list_escalations
from tests.plain_store import PlainStore
from tests.reliability.sandbox import needle_forms

NOW = datetime(2026, 12, 4, 16, 0)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: PolicyLibrary) -> PlainStore:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    store = PlainStore(tmp_path / "plain.db")
    create_demo(store, library)
    return store


def test_the_file_names_nobody(store: PlainStore, tmp_path: Path) -> None:
    path = tmp_path / due_file.FILE_NAME
    remember(store, path, Nation.ENGLAND, NOW)
    data = path.read_bytes()
    rows = list_escalations(store)
    needles = {name for name, *_ in CHILDREN} | {ident for _n, _d, ident, _f in CHILDREN}
    for row in rows:
        needles |= {row.ref, row.child_name, row.other_agency, row.pathway_id, row.policy_id}
        needles |= {row.pathway_title, row.stage_title}
    needles |= {"ESC-", "UPN"}
    found = [n for n in sorted(needles) if n and any(f in data for f in needle_forms(n))]
    assert found == []
    moments = due_file.read(path)
    assert moments is not None and len(moments.due) == len(open_deadlines(store)) > 5


def test_counts_match_the_dashboard(store: PlainStore) -> None:
    counted = count(open_deadlines(store), NOW, calendar_for(Nation.ENGLAND))
    figures = dashboard(store, now=NOW).counts
    assert counted.overdue == figures[Bucket.OVERDUE] > 0
    assert counted.due_today == figures[Bucket.DUE_TODAY]
