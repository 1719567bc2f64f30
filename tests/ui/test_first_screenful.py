"""Unlocking paints the counts and the list's first screenful, then reads the rest
(docs/performance.md). Nothing may see the difference: the counts, the summary and the scroll bar
are the whole list's from the first paint, and anything that needs every row (a
search, a filter, a count clicked, a sort) reads them first.

The demo file has 14 escalations, so the first screenful is made 3 rows here."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.dashboard import Bucket, Dashboard, ListFilter, dashboard, filter_rows
from tests.ui.conftest import PASSPHRASE
from ui import workspace_loader
from ui.main_window import MainWindow
from ui.widgets.escalation_list import EscalationList

PAGE = 3


def _whole(window: MainWindow) -> Dashboard:
    assert window.database is not None
    return dashboard(window.database, window.workspace.escalations.short_names)


def _refs_in_model(escalations: EscalationList) -> list[str | None]:
    model = escalations.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


@pytest.fixture
def first_screenful(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace_loader, "FIRST_PAGE_ROWS", PAGE)


def test_unlocking_shows_the_first_screenful_then_the_rest(
    qtbot: QtBot, window: MainWindow, first_screenful: None
) -> None:
    window.unlock(PASSPHRASE)
    escalations = window.workspace.escalations
    whole = _whole(window)
    assert whole.total > PAGE
    assert escalations.partial
    # The whole list's length, so the scroll bar is right; rows below the first
    # screenful are empty until read.
    refs = [r.row.ref for r in whole.rows]
    assert _refs_in_model(escalations) == refs[:PAGE] + [None] * (whole.total - PAGE)
    for bucket, button in window.workspace.dashboard.buttons.items():
        assert button.count == whole.counts[bucket], bucket
    assert escalations.summary.text() == (
        f"Showing all {whole.total} escalations, soonest deadline first."
    )

    # The keyboard's place, on the first row at unlock, stays there when the rest
    # arrive: Enter still opens it.
    escalations.table.setCurrentIndex(escalations.model.index(0, 0))
    qtbot.waitUntil(lambda: window.rest_loaded)
    assert not escalations.partial
    assert _refs_in_model(escalations) == refs
    assert escalations.table.currentIndex().row() == 0


def _search(qtbot: QtBot, escalations: EscalationList) -> ListFilter:
    qtbot.keyClicks(escalations.search, "zo")
    return ListFilter(search="zo")


def _status(qtbot: QtBot, escalations: EscalationList) -> ListFilter:
    escalations.status.setCurrentIndex(escalations.status.findData("resolved"))
    return ListFilter(status="resolved")


def _count(qtbot: QtBot, escalations: EscalationList) -> ListFilter:
    window = escalations.window()
    assert isinstance(window, MainWindow)
    button = window.workspace.dashboard.buttons[Bucket.OPEN]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return ListFilter(bucket=Bucket.OPEN)


@pytest.mark.parametrize("action", [_search, _status, _count], ids=["search", "status", "count"])
def test_a_search_or_filter_before_the_rest_has_loaded_reads_every_row(
    qtbot: QtBot,
    window: MainWindow,
    first_screenful: None,
    monkeypatch: pytest.MonkeyPatch,
    action: Callable[[QtBot, EscalationList], ListFilter],
) -> None:
    monkeypatch.setattr(workspace_loader, "LOAD_REST_AFTER_MS", 60_000)  # not on its own
    window.unlock(PASSPHRASE)
    escalations = window.workspace.escalations
    assert escalations.partial
    chosen = action(qtbot, escalations)
    assert not escalations.partial
    whole = _whole(window).rows
    expected = [r.row.ref for r in filter_rows(whole, chosen)]
    first = {r.row.ref for r in whole[:PAGE]}
    assert set(expected) - first  # rows the first screenful could not have found
    assert _refs_in_model(escalations) == expected
    assert escalations.visible_refs() == expected


def test_a_sort_before_the_rest_has_loaded_sorts_every_row(
    window: MainWindow, first_screenful: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace_loader, "LOAD_REST_AFTER_MS", 60_000)
    window.unlock(PASSPHRASE)
    escalations = window.workspace.escalations
    assert escalations.partial
    escalations.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # by reference
    assert not escalations.partial
    refs = sorted((r.row.ref for r in _whole(window).rows), reverse=True)
    assert _refs_in_model(escalations) == refs


def test_a_list_that_is_filtered_is_never_shown_as_a_first_screenful(
    qtbot: QtBot, unlocked: MainWindow, first_screenful: None
) -> None:
    """Refreshing keeps the DSL's filter, so the first rows in deadline order would
    be the wrong rows: the whole list is read."""
    escalations = unlocked.workspace.escalations
    _status(qtbot, escalations)
    assert unlocked.database is not None
    unlocked.loader.show_dashboard(first_page=True)
    assert not escalations.partial


def test_when_the_rest_of_the_list_cannot_be_read_it_says_so_once(
    qtbot: QtBot, window: MainWindow, first_screenful: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One message, then the list shows and searches the rows it holds (no empty rows),
    and the contacts and policies still load."""
    from PySide6.QtWidgets import QMessageBox

    from app.services import dashboard as service
    from app.storage.errors import DamagedFileError
    from tests.ui.conftest import find_top_level

    monkeypatch.setattr(workspace_loader, "LOAD_REST_AFTER_MS", 60_000)
    window.unlock(PASSPHRASE)
    escalations = window.workspace.escalations
    held = _refs_in_model(escalations)[:PAGE]

    def unreadable(*_args: object, **_kwargs: object) -> None:
        raise DamagedFileError("The file could not be read.")

    monkeypatch.setattr(service, "dashboard", unreadable)
    qtbot.keyClicks(escalations.search, "esc")
    assert len(find_top_level(QMessageBox)) == 1
    assert not escalations.partial
    assert _refs_in_model(escalations) == held  # every held row matches "esc"
    assert window.rest_loaded and window.workspace.contacts.model.rowCount() > 0
    qtbot.keyClicks(escalations.search, "-")
    assert len(find_top_level(QMessageBox)) == 1  # not asked again


def test_a_team_file_has_its_key_before_the_first_paint(qtbot: QtBot, window: MainWindow) -> None:
    """A team's file (issue 23) is keyed with the random key a member's slot holds: it
    is unwrapped on a worker thread while the workspace is built, so nothing is left to
    derive after the paint (a file opened with a passphrase derived it then: hashlib
    took a core for a tenth of a second beside the first paint)."""
    window.unlock(PASSPHRASE)
    db = window.database
    assert db is not None
    assert db._key is not None and db._key_source is None and db._pending_key is None
    assert _refs_in_model(window.workspace.escalations)[0] is not None
    qtbot.waitUntil(lambda: window.rest_loaded)
    assert db._key is not None and db._pending_key is None


def test_the_input_filters_are_installed_after_the_first_paint(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Each application-wide filter costs every event a call into Python: about 400 in
    the first paint. They start with the rest; until then the hide-screen
    key works as the window's shortcut, and the idle timer has only just started."""
    window.unlock(PASSPHRASE)
    assert window.idle.running
    assert not window.idle._installed and not window.hide_key._installed
    qtbot.waitUntil(lambda: window.rest_loaded)
    assert window.idle._installed and window.hide_key._installed


def test_the_collector_is_paused_from_unlock_to_the_rest(qtbot: QtBot, window: MainWindow) -> None:
    """Unlocking makes tens of thousands of objects and frees almost none; the garbage
    collector's passes over them only delayed the first paint."""
    import gc

    window.unlock("not the passphrase")
    assert gc.isenabled()  # not unlocked: running again at once
    window.unlock(PASSPHRASE)
    assert window.is_unlocked and not gc.isenabled()
    qtbot.waitUntil(lambda: window.rest_loaded)
    assert gc.isenabled()


def test_a_failure_while_entering_locks_again_and_releases_the_file(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while the dashboard is first shown (not a known error, which says so and
    carries on) must not leave a window that holds the file open without its idle lock,
    hide-screen key or Hide action: it locks again, and the error goes to the hook."""
    import gc

    from app.services import dashboard as dashboard_service
    from app.storage.lock import DataFileLock

    def broken(*_args: object, **_kwargs: object) -> Dashboard:
        raise ValueError("a bug")

    monkeypatch.setattr(dashboard_service, "first_page", broken)
    with pytest.raises(ValueError, match="a bug"):
        window.unlock(PASSPHRASE)
    assert not window.is_unlocked and window.database is None
    assert window.stack.currentWidget() is window.unlock_page
    assert gc.isenabled()
    other_copy = DataFileLock(window._local.data_file)
    assert other_copy.try_acquire()  # released
    other_copy.release()
