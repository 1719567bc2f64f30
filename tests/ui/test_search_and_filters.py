"""The search box (child, agency, reference; case and accents ignored) and the status,
pathway, stage and policy filters, alone and together."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from app.domain.views import EscalationRow
from app.services.escalations import list_escalations
from ui.main_window import MainWindow


def _rows(window: MainWindow) -> list[EscalationRow]:
    assert window.database is not None
    return list_escalations(window.database)


def _choose(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index > 0, value
    combo.setCurrentIndex(index)


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("zoe", lambda r: r.child_name == "Zoë Nguyễn"),  # no accent typed
        ("ŁUCJA", lambda r: r.child_name == "Łucja Wiśniewska"),
        ("police", lambda r: "Police" in r.other_agency),
        ("esc-2026-0003", lambda r: r.ref == "ESC-2026-0003"),
        (
            "social care oliver",
            lambda r: "Social Care" in r.other_agency and "Oliver" in r.child_name,
        ),
    ],
)
def test_search_finds_child_agency_or_reference(
    qtbot: QtBot,
    unlocked: MainWindow,
    typed: str,
    wanted: Callable[[EscalationRow], bool],
) -> None:
    expected = {r.ref for r in _rows(unlocked) if wanted(r)}
    assert expected
    escalations = unlocked.workspace.escalations
    if typed.isascii():
        qtbot.keyClicks(escalations.search, typed)
    else:  # QTest can only type ASCII; a keyboard layout would give the letter itself
        escalations.search.setText(typed)
    assert set(escalations.visible_refs()) == expected
    assert "matching the search" in escalations.summary.text()


def test_ctrl_f_goes_to_the_search_box(qtbot: QtBot, unlocked: MainWindow) -> None:
    escalations = unlocked.workspace.escalations
    escalations.table.setFocus()
    qtbot.keyClick(escalations.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert escalations.search.hasFocus()


def test_each_filter_and_all_together(unlocked: MainWindow) -> None:
    rows = _rows(unlocked)
    escalations = unlocked.workspace.escalations

    def shown() -> set[str]:
        return set(escalations.visible_refs())

    _choose(escalations.status, "resolved")
    assert shown() == {r.ref for r in rows if r.status == "resolved"}
    escalations.clear_filters()

    _choose(escalations.pathway, "conference-dissent")
    assert shown() == {r.ref for r in rows if r.pathway_id == "conference-dissent"}
    escalations.clear_filters()

    _choose(escalations.stage, 2)
    assert shown() == {r.ref for r in rows if r.stage_number == 2}
    escalations.clear_filters()

    _choose(escalations.policy, "suffolk")
    assert shown() == {r.ref for r in rows if r.policy_id == "suffolk"}

    _choose(escalations.status, "open")
    _choose(escalations.pathway, "resolution")
    both = {
        r.ref
        for r in rows
        if r.policy_id == "suffolk" and r.status == "open" and r.pathway_id == "resolution"
    }
    assert shown() == both
    assert "filtered" in escalations.summary.text()

    escalations.clear_filters()
    assert shown() == {r.ref for r in rows}
    assert escalations.status.currentIndex() == 0 and escalations.policy.currentIndex() == 0


def test_a_search_that_finds_nothing_says_so(qtbot: QtBot, unlocked: MainWindow) -> None:
    escalations = unlocked.workspace.escalations
    qtbot.keyClicks(escalations.search, "nobody by this name")
    assert escalations.visible_refs() == []
    assert escalations.summary.text().startswith("Showing 0 of ")


def test_from_the_search_down_reaches_the_match_and_enter_opens_it(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    """Seen in the real window: after typing a search, Down and Enter did nothing, and
    the list could be reached only with the mouse or many Tabs."""
    escalations = unlocked.workspace.escalations
    opened: list[str] = []
    escalations.open_requested.connect(opened.append)
    unlocked.show()
    escalations.search.setFocus()
    qtbot.keyClicks(escalations.search, "esc-2026-0003")
    assert escalations.visible_refs() == ["ESC-2026-0003"]
    # The match Enter opens is highlighted, and Open opens it too; the typing goes on.
    assert escalations.current_ref() == "ESC-2026-0003"
    assert escalations.open_button.isEnabled() and escalations.search.hasFocus()
    qtbot.keyClick(escalations.search, Qt.Key.Key_Return)
    assert opened == ["ESC-2026-0003"]
    qtbot.keyClick(escalations.search, Qt.Key.Key_Down)
    assert escalations.table.hasFocus()
    assert escalations.current_ref() == "ESC-2026-0003"
    qtbot.keyClick(escalations.table, Qt.Key.Key_Return)
    assert opened == ["ESC-2026-0003", "ESC-2026-0003"]
