"""The due moments written for the tray (app/services/due_moments.py): every open
escalation's current deadline, equal to what the dashboard counts, and nothing that
names a child, a reference, an agency or a pathway, in any encoding."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import clock
from app.deadlines import calendar_for
from app.demo import CHILDREN, create_demo
from app.domain.backup_schedule import backup_reminder
from app.nation import Nation
from app.policy import PolicyLibrary
from app.reminders import due_file
from app.reminders.counts import BACKUP_OVERDUE, count, extra_lines
from app.services.backups import last_backup
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


def test_a_backup_falling_overdue_while_locked_is_in_the_next_reminder(
    store: PlainStore, tmp_path: Path
) -> None:
    """The file says when a backup falls overdue (the dashboard's rule, from the last
    backup or, with none, the file's start); the tray's reminder says so once that time
    has passed, and only then, with no detail of the file."""
    path = tmp_path / due_file.FILE_NAME
    remember(store, path, Nation.ENGLAND, NOW, backup_days=7)
    moments = due_file.read(path)
    assert moments is not None and moments.backup_overdue_from is not None
    last, started = last_backup(store)
    exact = (last or started) + timedelta(days=7)  # type: ignore[operator]
    assert timedelta(0) <= moments.backup_overdue_from - exact < timedelta(minutes=1)
    before = moments.backup_overdue_from - timedelta(minutes=1)
    assert extra_lines(before, moments.backup_overdue_from) == []
    assert extra_lines(moments.backup_overdue_from, moments.backup_overdue_from) == [BACKUP_OVERDUE]
    # The same rule as the dashboard's reminder, at the same moments.
    assert backup_reminder(last, started, before, 7) is None
    assert backup_reminder(last, started, moments.backup_overdue_from, 7) is not None
    # Without the setting (reminders written before it existed), no line.
    remember(store, path, Nation.ENGLAND, NOW)
    again = due_file.read(path)
    assert again is not None and again.backup_overdue_from is None
