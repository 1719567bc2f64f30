"""The dashboard counts match the data (worked out here independently of the dashboard
service), clicking a count filters the list, overdue rows say so in words and with an
icon, the list is in deadline order, and double-click opens the escalation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.easter import easter
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import clock
from app.deadlines import calendar_for
from app.domain.views import EscalationRow
from app.policy import Nation
from app.services.dashboard import Bucket
from app.services.escalations import list_escalations
from tests.ui.conftest import find_top_level
from ui.escalation.view import EscalationView
from ui.main_window import MainWindow
from ui.models.escalations import DEADLINE_COLUMN


def _rows(window: MainWindow) -> list[EscalationRow]:
    assert window.database is not None
    return list_escalations(window.database)


def _working_days_after(start: date, end: date, nation: str) -> int:
    """Counted a day at a time (the app uses a table and a binary search)."""
    calendar = calendar_for(Nation(nation))
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += calendar.is_working_day(day)
    return days


def _term_start(today: date) -> date:
    if today.month >= 9:
        return date(today.year, 9, 1)
    sunday = easter(today.year)
    return date(today.year, 1, 1) if today <= sunday else sunday + timedelta(days=1)


def _expected(rows: list[EscalationRow], now: datetime) -> dict[Bucket, set[str]]:
    today = now.date()
    out: dict[Bucket, set[str]] = {bucket: set() for bucket in Bucket}
    for r in rows:
        if r.status == "resolved" and r.closed_at and _term_start(today) <= r.closed_at.date():
            out[Bucket.RESOLVED_THIS_TERM].add(r.ref)
        if r.status != "open":
            continue
        out[Bucket.OPEN].add(r.ref)
        if r.next_due is None:
            out[Bucket.NO_TIMESCALE].add(r.ref)
            continue
        due = r.next_due
        due_day = due.date() if isinstance(due, datetime) else due
        late = due < now if isinstance(due, datetime) else due < today
        if late:
            out[Bucket.OVERDUE].add(r.ref)
        elif due_day == today:
            out[Bucket.DUE_TODAY].add(r.ref)
        elif _working_days_after(today, due_day, r.nation) <= 3:
            out[Bucket.DUE_SOON].add(r.ref)
    return out


def test_counts_match_the_data(unlocked: MainWindow) -> None:
    expected = _expected(_rows(unlocked), clock.now())
    assert expected[Bucket.OVERDUE], "the demo data has overdue escalations"
    assert expected[Bucket.RESOLVED_THIS_TERM] or expected[Bucket.OPEN]
    for bucket, button in unlocked.workspace.dashboard.buttons.items():
        assert button.count == len(expected[bucket]), bucket
        assert button.count_label.text() == str(len(expected[bucket]))
        assert str(len(expected[bucket])) in button.accessibleName()


@pytest.mark.parametrize("bucket", list(Bucket))
def test_clicking_a_count_filters_the_list(
    qtbot: QtBot, unlocked: MainWindow, bucket: Bucket
) -> None:
    expected = _expected(_rows(unlocked), clock.now())[bucket]
    escalations = unlocked.workspace.escalations
    everything = set(escalations.visible_refs())
    button = unlocked.workspace.dashboard.buttons[bucket]

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert set(escalations.visible_refs()) == expected
    assert button.isChecked()
    assert f"Showing {len(expected)} of {len(everything)}" in escalations.summary.text()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # again: everything
    assert set(escalations.visible_refs()) == everything
    assert not button.isChecked()


def test_show_all_clears_the_chosen_count(qtbot: QtBot, unlocked: MainWindow) -> None:
    escalations = unlocked.workspace.escalations
    total = len(escalations.visible_refs())
    overdue = unlocked.workspace.dashboard.buttons[Bucket.OVERDUE]
    qtbot.mouseClick(overdue, Qt.MouseButton.LeftButton)
    assert len(escalations.visible_refs()) < total
    qtbot.mouseClick(escalations.clear_button, Qt.MouseButton.LeftButton)
    assert len(escalations.visible_refs()) == total
    assert not overdue.isChecked()


def test_overdue_rows_are_marked_with_words_and_an_icon(unlocked: MainWindow) -> None:
    overdue = _expected(_rows(unlocked), clock.now())[Bucket.OVERDUE]
    shown = unlocked.workspace.escalations.model
    seen = 0
    for row in range(shown.rowCount()):
        ref = shown.index(row, 0).data()
        deadline = shown.index(row, DEADLINE_COLUMN)
        icon = deadline.data(Qt.ItemDataRole.DecorationRole)
        status = shown.index(row, shown.columnCount() - 1).data()
        font = deadline.data(Qt.ItemDataRole.FontRole)
        spoken = shown.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole)
        if ref in overdue:
            seen += 1
            assert deadline.data().startswith("Overdue")
            assert isinstance(icon, QIcon) and not icon.isNull()
            assert status == "Open — overdue"
            assert font.bold() and spoken == f"Overdue. {ref}"
        else:
            assert not str(deadline.data()).startswith("Overdue")
            assert icon is None
            assert font is None and spoken == ref
        # Roles the model leaves to the style.
        assert deadline.data(Qt.ItemDataRole.TextAlignmentRole) is None
        assert deadline.data(Qt.ItemDataRole.BackgroundRole) is None
    assert seen == len(overdue) > 0


def test_deadline_text_reads_as_a_dsl_would_say_it(unlocked: MainWindow) -> None:
    rows = {r.ref: r for r in _rows(unlocked)}
    shown = unlocked.workspace.escalations.model
    today = clock.today()
    for row in range(shown.rowCount()):
        r = rows[shown.index(row, 0).data()]
        text = shown.index(row, DEADLINE_COLUMN).data()
        if r.status != "open":
            assert r.closed_at is not None
            assert text == f"{r.status.capitalize()} {r.closed_at:%d/%m/%Y}"
        elif r.next_due is None:
            assert text == "No fixed timescale"
        elif isinstance(r.next_due, date) and not isinstance(r.next_due, datetime):
            if r.next_due < today:
                late = _working_days_after(r.next_due, today, r.nation)
                assert text == f"Overdue by {late} working day{'s' if late != 1 else ''}"
            elif r.next_due > today:
                left = _working_days_after(today, r.next_due, r.nation)
                day = f"{r.next_due:%a} {r.next_due.day} {r.next_due:%b}"
                assert text.startswith(day + " — ") and f"{left} working day" in text


def test_the_list_is_sorted_by_next_deadline(unlocked: MainWindow) -> None:
    rows = _rows(unlocked)
    far = datetime.max

    def due(r: EscalationRow) -> datetime:
        if r.next_due is None:
            return far
        if isinstance(r.next_due, datetime):
            return r.next_due
        return datetime.combine(r.next_due, datetime.max.time())

    open_rows = sorted((r for r in rows if r.status == "open"), key=lambda r: (due(r), r.ref))
    shown = unlocked.workspace.escalations.visible_refs()
    assert shown[: len(open_rows)] == [r.ref for r in open_rows]
    assert {r.ref for r in rows if r.status != "open"} == set(shown[len(open_rows) :])


def test_double_click_opens_the_escalation(qtbot: QtBot, unlocked: MainWindow) -> None:
    table = unlocked.workspace.escalations.table
    index = table.model().index(0, 1)
    ref, child = table.model().index(0, 0).data(), index.data()
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    views = find_top_level(EscalationView)
    assert len(views) == 1
    view = views[0]
    assert isinstance(view, EscalationView)
    assert view.heading.property("text") == f"{ref} · {child}"
    assert view.stages.rowCount() == len(view.timeline.layout_now().lanes) > 0


def test_enter_and_the_open_button_open_the_escalation(qtbot: QtBot, unlocked: MainWindow) -> None:
    escalations = unlocked.workspace.escalations
    refs = escalations.visible_refs()
    # The list has the focus after unlocking: the row Enter opens is the one chosen.
    qtbot.waitUntil(escalations.table.hasFocus, timeout=2000)
    assert escalations.current_ref() == refs[0]
    assert escalations.open_button.isEnabled()
    escalations.table.selectRow(1)
    assert escalations.open_button.isEnabled()
    qtbot.mouseClick(escalations.open_button, Qt.MouseButton.LeftButton)
    escalations.table.selectRow(2)
    qtbot.keyClick(escalations.table, Qt.Key.Key_Return)
    views = find_top_level(EscalationView)
    opened = {v.ref for v in views if isinstance(v, EscalationView)}
    assert opened == {refs[1], refs[2]}


def test_back_in_the_list_the_row_enter_opens_is_chosen(qtbot: QtBot, unlocked: MainWindow) -> None:
    """In the real window, after Settings was closed, the list showed its focus frame on
    a row while "Open escalation" was greyed out, and Enter opened that row: the rows
    had been read again, which keeps the keyboard's place but not the selection."""
    escalations = unlocked.workspace.escalations
    table = escalations.table
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    table.selectRow(2)
    ref = escalations.current_ref()
    escalations.search.setFocus()
    qtbot.waitUntil(escalations.search.hasFocus, timeout=2000)
    unlocked.refresh()
    assert escalations.current_ref() == ref  # chosen, it stays chosen
    table.clearSelection()  # the keyboard's place, not chosen (as after a reset)
    unlocked.refresh()
    assert escalations.current_ref() is None and not escalations.open_button.isEnabled()
    for _ in range(40):  # Tab on from the search box, as a person does
        if table.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert table.hasFocus()
    assert escalations.current_ref() == ref
    assert escalations.open_button.isEnabled()


def test_a_click_in_the_list_chooses_the_row_clicked(qtbot: QtBot, unlocked: MainWindow) -> None:
    """Choosing the keyboard's row as the list takes the focus must not move the list
    under a click: the row clicked is the row chosen."""
    escalations = unlocked.workspace.escalations
    table = escalations.table
    table.setMinimumHeight(0)
    table.setFixedHeight(table.horizontalHeader().height() + 3 * table.rowHeight(0))
    escalations.search.setFocus()
    qtbot.waitUntil(escalations.search.hasFocus, timeout=2000)
    table.setCurrentIndex(table.model().index(0, 1))  # a place in another column
    table.clearSelection()
    row = table.model().rowCount() - 1
    table.scrollToBottom()
    QApplication.processEvents()
    assert table.verticalScrollBar().value() > 0  # the first row is out of view
    target = table.model().index(row, 2)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(target).center()
    )
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    expected = escalations.visible_refs()[row]
    assert escalations.current_ref() == expected


def test_the_headline_names_those_with_no_fixed_timescale(unlocked: MainWindow) -> None:
    """They never fall due, so the headline keeps them in view: how many, and the one
    that has waited longest at its stage."""
    waiting = _expected(_rows(unlocked), clock.now())[Bucket.NO_TIMESCALE]
    assert len(waiting) > 1, "the demo data has escalations with no fixed timescale"
    text = unlocked.workspace.headline.text()
    assert f" {len(waiting)} open with no fixed timescale; the longest, ESC-" in text
    assert text.split("the longest, ")[1].split(",")[0] in waiting
