"""Every window and dialog, opened on a small laptop screen: is every control reachable?

Run by ``test_fits_screen.py`` in a child pytest whose offscreen screen is a 1366x768
laptop at 100% or at 125% (1093x614 logical pixels); the name does not start with
``test_`` so the main suite does not collect it on its own (800x800) screen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.policy import PolicyLibrary
from app.services.escalations import list_escalations
from tests.ui.conftest import DETAILS, PASSPHRASE
from tests.ui.screen_fit import (
    available,
    cut_buttons,
    cut_headings,
    describe,
    fully_shown,
    squeezed_text,
    window_problems,
)
from ui.escalation.view import EscalationView
from ui.local_settings import LocalSettings
from ui.main import offer_crash_reports, set_up_locale
from ui.main_window import MainWindow
from ui.widgets.form_dialog import FormDialog, ask_discard

pytestmark = pytest.mark.skipif(
    "ET_SCREEN_FIT" not in os.environ, reason="run by tests/ui/test_fits_screen.py"
)
LONG = "A problem worded at length so the message wraps over several lines. " * 6


@pytest.fixture(autouse=True)
def the_laptop_screen() -> None:
    width, height = (int(n) for n in os.environ["ET_SCREEN_FIT"].split("x"))
    area = available()
    assert (area.width(), area.height()) == (width, height), "the screen was not simulated"


def check(qtbot: QtBot, window: QWidget, found: list[str]) -> None:
    """Let the window settle at the size the app gave it, then note what does not fit
    and every wrapped label drawn over the row below."""
    if not window.isVisible():
        window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    found.extend(window_problems(window))
    title = window.windowTitle() or type(window).__name__
    found.extend(f"{title}: {problem}" for problem in squeezed_text(window))
    found.extend(f"{title}: {problem}" for problem in cut_headings(window))
    found.extend(f"{title}: {problem}" for problem in cut_buttons(window))
    pictures = os.environ.get("ET_SCREEN_FIT_PNGS")
    if pictures:  # to look at by hand: ET_SCREEN_FIT_PNGS=/tmp/fit pytest …
        name = "".join(c if c.isalnum() else "-" for c in window.windowTitle())[:60]
        window.grab().save(str(Path(pictures) / f"{len(os.listdir(pictures)):02d}-{name}.png"))


@pytest.fixture
def found() -> Iterator[list[str]]:
    problems: list[str] = []
    yield problems
    assert not problems, "\n".join(problems)


def test_first_run(qtbot: QtBot, library: PolicyLibrary, tmp_path: Path, found: list[str]) -> None:
    set_up_locale()
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = tmp_path / "new.etdb"
    window = MainWindow(library, local)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.first_run
    check(qtbot, window, found)
    window.first_run.show_message(LONG)
    window.first_run.set_other_path(tmp_path / "a folder" / "records.etdb")
    check(qtbot, window, found)
    # Not just reachable: in view without scrolling, with what it says back.
    for widget in (window.first_run.create_button, window.first_run.message):
        if not fully_shown(widget):
            found.append(f"First run: {describe(widget)} is not in view without scrolling")
    window.close()


def test_size_remembered_from_a_larger_screen(
    qtbot: QtBot, library: PolicyLibrary, local: LocalSettings, found: list[str]
) -> None:
    """Last used on a big monitor, opened today on the laptop."""
    big = MainWindow(library, local)
    qtbot.addWidget(big)
    big.setGeometry(0, 0, 1900, 1150)
    local.geometry = big.saveGeometry()
    big.close()
    window = MainWindow(library, local)
    qtbot.addWidget(window)
    check(qtbot, window, found)
    window.close()


def test_unlock_page_and_crash_report(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, found: list[str]
) -> None:
    window.unlock_page.passphrase.setText("not the passphrase")
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.unlock_page.passphrase.isEnabled())
    check(qtbot, window, found)
    report = tmp_path / "reports" / "crash.txt"
    report.parent.mkdir()
    report.write_text("where", encoding="utf-8")
    box = offer_crash_reports(window, [report])
    assert box is not None
    check(qtbot, box, found)
    box.close()


def test_main_window_every_tab(qtbot: QtBot, unlocked: MainWindow, found: list[str]) -> None:
    tabs = unlocked.workspace.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        check(qtbot, unlocked, found)
    policies = unlocked.workspace.policies
    assert policies is not None
    policies.show_policy("gloucestershire")
    check(qtbot, unlocked, found)


def _refs(window: MainWindow) -> dict[tuple[str, str, str], str]:
    assert window.database is not None
    return {(r.policy_id, r.pathway_id, r.status): r.ref for r in list_escalations(window.database)}


def _settle() -> None:
    """Let the posted layout requests run (each pass may post the next)."""
    for _ in range(5):
        QApplication.processEvents()


def _form_both_ways(qtbot: QtBot, dialog: QDialog, found: list[str]) -> None:
    """Empty, then after Save with nothing filled in (every message showing)."""
    check(qtbot, dialog, found)
    if isinstance(dialog, FormDialog):
        dialog.save_button.click()
        check(qtbot, dialog, found)
        dialog.discard()
    else:
        dialog.close()


def _every_tab(qtbot: QtBot, view: EscalationView, found: list[str]) -> None:
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        check(qtbot, view, found)
    view.tabs.setCurrentIndex(0)


def test_escalation_window_and_its_forms(
    qtbot: QtBot, unlocked: MainWindow, found: list[str]
) -> None:
    refs = _refs(unlocked)
    view = unlocked.open_escalation(refs["gloucestershire", "resolution", "open"])
    assert isinstance(view, EscalationView)
    _every_tab(qtbot, view, found)
    # Enough of the stages and the chronology to read, not a row or two: every stage, or
    # five rows of them; the rest of the height goes to the timeline above.
    rows = view.stages.viewport().height() // view.stages.verticalHeader().defaultSectionSize()
    if rows < min(5, view.stages.rowCount()):
        found.append(f"Escalation window: room for only {rows} rows of stages")
    view.tabs.setCurrentWidget(view.chronology)
    lines = view.chronology.viewport().height() // view.chronology.fontMetrics().lineSpacing()
    if lines < 10:
        found.append(f"Escalation window: room for only {lines} lines of the chronology")
    for opener in (
        view.record_discussion,
        view.approve,
        view.add_action,
        view.complete_action,
        view.amend,
        view.move_stage,
        view.agree_outcome,
        view.withdraw,
        view.monitoring_form,
    ):
        _form_both_ways(qtbot, opener(), found)
    for key, opener_name in (
        (("suffolk", "conference-dissent", "open"), "conference_dissent"),
        (("suffolk", "stop-and-review", "open"), "stop_and_review"),
        (("suffolk", "stop-and-review-cic", "open"), "stop_and_review"),
    ):
        other = unlocked.open_escalation(refs[key])
        assert isinstance(other, EscalationView)
        _every_tab(qtbot, other, found)
        _form_both_ways(qtbot, getattr(other, opener_name)(), found)


def test_a_seven_stage_escalation_shares_its_height(
    qtbot: QtBot, unlocked: MainWindow, found: list[str]
) -> None:
    """Every stage row below, and the rest for the timeline above: in the real window
    a seven-stage escalation showed two and a half lanes above a table with a hundred
    pixels to spare."""
    refs = _refs(unlocked)
    view = unlocked.open_escalation(refs["north-yorkshire", "resolution", "open"])
    assert isinstance(view, EscalationView)
    check(qtbot, view, found)
    _settle()
    laptop = os.environ["ET_SCREEN_FIT"] == "1366x768"  # at 125% each pane gets half
    if laptop and view.stages.verticalScrollBar().maximum() > 0:
        found.append("Escalation window: the seven stage rows do not all show")
    shown = view.timeline.visibleRegion().boundingRect().height()
    lanes = view.timeline.layout_now().lanes
    whole = sum(1 for lane in lanes if lane.y + lane.height <= shown)
    least = 3 if laptop else 1
    if whole < least:
        found.append(f"Escalation window: {whole} whole timeline lanes in view, not {least}")


def test_documents_preview(qtbot: QtBot, unlocked: MainWindow, found: list[str]) -> None:
    refs = _refs(unlocked)
    resolved = unlocked.open_escalation(refs["suffolk", "resolution", "resolved"])
    assert isinstance(resolved, EscalationView)
    _every_tab(qtbot, resolved, found)
    preview = resolved.confirmation()
    assert preview is not None
    check(qtbot, preview, found)
    preview.close()
    chronology = resolved.document("chronology")
    assert chronology is not None
    check(qtbot, chronology, found)
    chronology.close()


def test_main_window_dialogs(qtbot: QtBot, unlocked: MainWindow, found: list[str]) -> None:
    new = unlocked.new_escalation()
    assert new is not None
    _form_both_ways(qtbot, new, found)
    new = unlocked.new_escalation()
    assert new is not None
    new.immediate_risk.setChecked(True)
    _form_both_ways(qtbot, new, found)
    for opener in (
        unlocked.show_immediate_risk,
        unlocked.show_settings,
        unlocked.show_change_passphrase,
        unlocked.show_statistics,
        unlocked.show_retention,
        unlocked.show_child_records,
        unlocked.show_verify_seal,
    ):
        dialog = opener()
        assert dialog is not None
        check(qtbot, dialog, found)
        dialog.close()


def test_restore_and_discard_questions(
    qtbot: QtBot,
    unlocked: MainWindow,
    local: LocalSettings,
    monkeypatch: pytest.MonkeyPatch,
    found: list[str],
) -> None:
    from ui.dialogs.restore import RestoreDialog

    restore = RestoreDialog(local.data_file, unlocked)
    qtbot.addWidget(restore)
    check(qtbot, restore, found)
    restore.close()

    def shown_instead(box: QMessageBox) -> int:
        check(qtbot, box, found)
        box.close()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", shown_instead)
    ask_discard(unlocked)


def test_policy_builder(qtbot: QtBot, unlocked: MainWindow, found: list[str]) -> None:
    """Blank, with every problem shown after Save, and at a stage of a copied policy."""
    from ui.dialogs.policy_builder import PolicyBuilder

    blank = unlocked.open_policy_builder()
    assert isinstance(blank, PolicyBuilder)
    check(qtbot, blank, found)
    blank.save_button.click()
    check(qtbot, blank, found)
    blank.dirty = False
    blank.close()
    copy = unlocked.open_policy_builder("north-yorkshire", True)
    assert isinstance(copy, PolicyBuilder)
    copy.outline.choose_path("pathways[0].stages[5].title")
    check(qtbot, copy, found)
    assert copy.pages.currentWidget() is copy.stage_page
    copy.dirty = False
    copy.close()


def test_adopting_a_newer_policy_version(qtbot: QtBot, tmp_path: Path, found: list[str]) -> None:
    """The window with the note that a newer version is loaded, and the question."""
    from tests.newer_policy import with_newer
    from tests.ui.test_adopt_version import at_stage_two
    from tests.ui.test_escalation_walk import SETTINGS

    store, ref = at_stage_two(tmp_path / "adopt.db")
    view = EscalationView(store, with_newer(), SETTINGS, ref)
    qtbot.addWidget(view)
    check(qtbot, view, found)
    dialog = view.adopt_version()
    assert isinstance(dialog, FormDialog)
    check(qtbot, dialog, found)  # not saved: Save would adopt the version
    dialog.discard()


def test_new_escalation_asking_for_the_decision_date(
    qtbot: QtBot, unlocked: MainWindow, found: list[str]
) -> None:
    """A pathway that counts from the disputed decision: its row and note appear, and
    nothing of them may be drawn over the row below, empty or after Save."""
    new = unlocked.new_escalation()
    assert new is not None
    check(qtbot, new, found)  # laid out first without the row, as a DSL meets it
    # Chosen one after the other, each laid out before the next, as a person does.
    new.policy.setCurrentIndex(new.policy.findData("york"))
    _settle()
    new.pathway.setCurrentIndex(new.pathway.findData("conference-dissent"))
    _settle()
    assert new.decided_on.isVisible()
    check(qtbot, new, found)
    new.save_button.click()
    check(qtbot, new, found)
    new.discard()


def test_the_team_windows(
    qtbot: QtBot, library: PolicyLibrary, tmp_path: Path, team_file: Path, found: list[str]
) -> None:
    """Issue 23: the unlock page with a member to choose, recovery, the recovery key,
    the members dialog and adding a member (with every message showing)."""
    from app.storage.recovery_key import new_recovery_key

    set_up_locale()
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = team_file
    window = MainWindow(library, local)
    qtbot.addWidget(window)
    window.unlock_page.show_error(LONG)
    check(qtbot, window, found)
    recover = window.show_recover()
    assert recover is not None
    check(qtbot, recover, found)
    recover.message.setText(LONG)
    recover.message.setVisible(True)
    check(qtbot, recover, found)
    recover.close()

    window.unlock(PASSPHRASE, DETAILS.dsl_name)
    assert window.is_unlocked
    key = window.unlocking.show_recovery_key(new_recovery_key())
    check(qtbot, key, found)
    for widget in (key.close_button, key.written, key.print_button):
        if not fully_shown(widget):
            found.append(f"Recovery key: {describe(widget)} is not in view")
    key.written.setChecked(True)
    key.close()
    team = window.show_team()
    assert team is not None
    check(qtbot, team, found)
    add = team.show_add()
    check(qtbot, add, found)
    add.ok_button.click()  # nothing typed: the message shows
    check(qtbot, add, found)
    add.close()
    team.close()
    window.close()
