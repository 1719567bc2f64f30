"""Locking never loses typing: what was open when the screen locked (Ctrl+L or the idle
lock) is hidden, nothing of it on screen or on disk, and comes back when the same file
is unlocked, every field as typed and the keyboard focus where it was. Typed key by key,
at a school laptop's 1366 x 768."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.services.escalations import escalation_detail
from tests.ui.conftest import PASSPHRASE, child_names_in, shown_texts
from tests.ui.test_lock import on_screen_windows
from ui.dialogs.discussion import DiscussionDialog
from ui.main_window import MainWindow
from ui.widgets import form_dialog

CTRL = Qt.KeyboardModifier.ControlModifier
# Typed into the forms and looked for on disk: found nowhere else.
MARKER = "Quokka7731 said the bruises were old"


class FakeMonotonic:
    """The idle watcher's clock, moved only by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _fake_idle_clock(window: MainWindow, interval_ms: int) -> FakeMonotonic:
    """The idle lock after ``interval_ms`` of the fake clock. The real timer still wakes
    the watcher (within ``interval_ms``) to look; only the fake clock decides."""
    fake = FakeMonotonic()
    window.idle.clock = fake
    window.idle.set_interval_ms(interval_ms)
    window.idle.start()
    return fake


def _focus(qtbot: QtBot, widget: QWidget) -> None:
    window = widget.window()
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _replace(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select what the field holds and type over it, key by key."""
    _focus(qtbot, widget)
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(widget, text)


def _open_discussion(qtbot: QtBot, window: MainWindow) -> tuple[str, DiscussionDialog]:
    window.resize(1366, 768)
    ref = window.workspace.escalations.visible_refs()[0]
    view = window.open_escalation(ref)
    assert view is not None and view.discussion_button.isEnabled()
    qtbot.waitExposed(view)
    form = view.record_discussion()
    assert isinstance(form, DiscussionDialog)
    qtbot.waitExposed(form)
    return ref, form


def _held_at() -> str:
    return f"{clock.now().date().replace(day=1):%d/%m/%Y} 09:15"


def _type_a_discussion(qtbot: QtBot, form: DiscussionDialog) -> None:
    """Every kind of field: a date and time, a drop-down, text boxes; the focus left in
    the summary."""
    _replace(qtbot, form.held_at.edit, _held_at())
    _focus(qtbot, form.method)
    qtbot.keyClick(form.method, Qt.Key.Key_Down)  # Telephone, then Meeting
    _replace(qtbot, form.participants, "Ms Hannah Okafor")
    qtbot.keyClick(form.participants, Qt.Key.Key_Return)
    qtbot.keyClicks(form.participants, "Sam Patel, social worker")
    _replace(qtbot, form.agreed_actions, "Strategy meeting on Monday")
    _replace(qtbot, form.summary, MARKER)
    assert form.dirty


def _assert_discussion_is_back(qtbot: QtBot, form: DiscussionDialog) -> None:
    qtbot.waitUntil(form.isVisible)
    assert form.held_at.edit.text() == _held_at()
    assert form.method.currentData() == "meeting"
    assert form.participants.toPlainText() == "Ms Hannah Okafor\nSam Patel, social worker"
    assert form.agreed_actions.toPlainText() == "Strategy meeting on Monday"
    assert form.summary.toPlainText() == MARKER
    assert form.dirty  # still unsaved: closing it would still ask
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.summary)


def _assert_locked_with_nothing_on_screen(window: MainWindow) -> None:
    assert not window.is_unlocked
    assert window.stack.currentWidget() is window.unlock_page
    assert on_screen_windows(window) == []
    on_screen = shown_texts(on_screen=True)
    assert child_names_in(on_screen) == [] and MARKER not in on_screen
    assert window.unlock_page.kept_note.isVisible()  # says it comes back, and when not


def _unlock_by_typing(qtbot: QtBot, window: MainWindow) -> None:
    """As the DSL would: the passphrase key by key into the unlock page, then Enter (a
    window-modal dialog kept hidden must not block it)."""
    page = window.unlock_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.passphrase)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert window.is_unlocked


def _files(*folders: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()}


def _holding_the_typing(files: dict[Path, bytes]) -> list[Path]:
    texts = (MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), MARKER.encode("utf-16-be"))
    return [path for path, data in files.items() if any(t in data for t in texts)]


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder Python and Qt use, empty, to see what lands in it."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("TEMP", str(folder))
    monkeypatch.setenv("TMP", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _press_ctrl_l(qtbot: QtBot, window: MainWindow, form: DiscussionDialog) -> None:
    qtbot.keyClick(form.summary, Qt.Key.Key_L, CTRL)


def _let_the_idle_time_pass(qtbot: QtBot, window: MainWindow, form: DiscussionDialog) -> None:
    fake = _fake_idle_clock(window, 100)
    fake.advance(0.1)
    qtbot.waitUntil(lambda: not window.is_unlocked)


@pytest.mark.parametrize("lock", [_press_ctrl_l, _let_the_idle_time_pass], ids=["ctrl-l", "idle"])
def test_a_half_typed_discussion_comes_back_after_the_lock(
    qtbot: QtBot,
    unlocked: MainWindow,
    data_file: Path,
    temp_folder: Path,
    lock: Callable[[QtBot, MainWindow, DiscussionDialog], None],
) -> None:
    ref, form = _open_discussion(qtbot, unlocked)
    _type_a_discussion(qtbot, form)
    data_folder = data_file.parent  # the data file, the settings, the seal memory
    before = _files(data_folder)

    lock(qtbot, unlocked, form)

    _assert_locked_with_nothing_on_screen(unlocked)
    assert not form.isVisible() and form.summary.toPlainText() == MARKER  # in memory
    during = _files(data_folder, temp_folder)
    assert _holding_the_typing(during) == []
    assert sorted(p.name for p in during.keys() - before.keys()) in ([], ["seals.json"])

    _unlock_by_typing(qtbot, unlocked)
    _assert_discussion_is_back(qtbot, form)
    after = _files(data_folder, temp_folder)
    assert _holding_the_typing(after) == [] and after.keys() == during.keys()
    assert _files(temp_folder) == {}

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    saved = [r for r in escalation_detail(unlocked.session.store, ref).records]
    content = saved[-1].current.content
    assert saved[-1].kind == "discussion"
    assert content["summary"] == MARKER
    assert content["method"] == "meeting"
    assert content["participants"] == ["Ms Hannah Okafor", "Sam Patel, social worker"]
    assert content["agreed_actions"] == "Strategy meeting on Monday"
    assert str(content["held_at"]).startswith(f"{clock.now().date().replace(day=1)}T09:15")


def test_typing_in_a_dialog_keeps_the_idle_lock_away(qtbot: QtBot, unlocked: MainWindow) -> None:
    _ref, form = _open_discussion(qtbot, unlocked)
    fake = _fake_idle_clock(unlocked, 100)
    _focus(qtbot, form.summary)
    for key in "Spoke to CSC":  # 60 ms of the 100 between keys: 720 ms in all
        fake.advance(0.06)
        with qtbot.waitSignal(unlocked.idle.timer.timeout):  # the watcher looks
            qtbot.keyClicks(form.summary, key)
        assert unlocked.is_unlocked
    fake.advance(0.1)  # and then nothing for the idle time
    qtbot.waitUntil(lambda: not unlocked.is_unlocked)
    _assert_locked_with_nothing_on_screen(unlocked)
    _unlock_by_typing(qtbot, unlocked)
    qtbot.waitUntil(form.isVisible)
    assert form.summary.toPlainText() == "Spoke to CSC"


def test_a_lock_while_a_question_waits_cancels_it_and_keeps_the_form(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    """The discard question runs in a nested event loop (``exec``): the lock cancels it
    as Keep editing would, hides it and the form, and the form comes back."""
    _ref, form = _open_discussion(qtbot, unlocked)
    _type_a_discussion(qtbot, form)
    asked: list[QMessageBox] = []

    def lock_while_asked() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.isVisible()
        asked.append(box)
        qtbot.keyClick(box, Qt.Key.Key_L, CTRL)

    QTimer.singleShot(0, lock_while_asked)  # runs inside the question's own loop
    qtbot.keyClick(form.summary, Qt.Key.Key_Escape)  # returns when the question ends
    assert asked and not asked[0].isVisible()
    _assert_locked_with_nothing_on_screen(unlocked)
    assert form.summary.toPlainText() == MARKER

    _unlock_by_typing(qtbot, unlocked)
    _assert_discussion_is_back(qtbot, form)
    assert not asked[0].isVisible()  # the question is not asked again


def test_the_settings_and_a_new_escalation_form_come_back(
    qtbot: QtBot, unlocked: MainWindow
) -> None:
    """Window-modal over the main window: hidden, they must not block the unlock page."""
    unlocked.resize(1366, 768)
    settings = unlocked.show_settings()
    assert settings is not None
    _replace(qtbot, settings.setting_name, "Riverside Academy")
    qtbot.keyClick(settings.setting_name, Qt.Key.Key_L, CTRL)
    _assert_locked_with_nothing_on_screen(unlocked)
    _unlock_by_typing(qtbot, unlocked)
    qtbot.waitUntil(settings.isVisible)
    assert settings.setting_name.text() == "Riverside Academy"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is settings.setting_name)
    settings.reject()

    form = unlocked.new_escalation()
    assert form is not None
    form.new_child.click()
    _replace(qtbot, form.child_name, "Quokka Nguyen")
    _focus(qtbot, form.cp_plan)
    qtbot.keyClick(form.cp_plan, Qt.Key.Key_Space)
    _replace(qtbot, form.disputed, MARKER)
    qtbot.keyClick(form.disputed, Qt.Key.Key_L, CTRL)
    _assert_locked_with_nothing_on_screen(unlocked)
    _unlock_by_typing(qtbot, unlocked)
    qtbot.waitUntil(form.isVisible)
    assert form.new_child.isChecked() and form.child_name.text() == "Quokka Nguyen"
    assert form.cp_plan.isChecked() and form.disputed.toPlainText() == MARKER
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.disputed)


def test_quitting_from_the_lock_screen_writes_nothing_and_asks_nothing(
    qtbot: QtBot,
    unlocked: MainWindow,
    data_file: Path,
    temp_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(_parent: QWidget) -> bool:
        raise AssertionError("quitting from the lock screen must not ask")

    monkeypatch.setattr(form_dialog, "ask_discard", never)
    _ref, form = _open_discussion(qtbot, unlocked)
    _type_a_discussion(qtbot, form)
    qtbot.keyClick(form.summary, Qt.Key.Key_L, CTRL)
    before = _files(data_file.parent)
    unlocked.close()
    after = _files(data_file.parent, temp_folder)
    assert form.summary.toPlainText() == ""  # wiped: unsaved typing is lost on quit
    assert unlocked.keeper.kept == []
    assert _holding_the_typing(after) == []
    assert after.keys() - before.keys() == set()
    assert os.listdir(temp_folder) == []
