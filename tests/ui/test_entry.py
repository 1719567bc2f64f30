"""The desktop entry point starts the real window, which knows the shipped policies."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.policy import default_library
from ui import main as entry
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow


def test_main_window_lists_policies(qtbot: QtBot, tmp_path: Path) -> None:
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = tmp_path / "none.etdb"
    window = MainWindow(default_library(), local)
    qtbot.addWidget(window)
    viewer = window.workspace.policies.policies
    shown = [viewer.item(i).text() for i in range(viewer.count())]
    assert any("North Yorkshire" in s for s in shown) and any("Suffolk" in s for s in shown)


def test_main_runs_the_window_with_the_hook_installed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    seen: dict[str, object] = {}
    monkeypatch.setattr(entry, "LocalSettings", lambda: LocalSettings(tmp_path / "s.ini"))
    monkeypatch.setattr(entry, "log_dir", lambda: tmp_path / "logs")

    def fake_exec() -> int:
        seen["hook"] = sys.excepthook
        seen["windows"] = [w for w in entry.QApplication.topLevelWidgets() if w.isVisible()]
        for window in seen["windows"]:  # type: ignore[attr-defined]
            window.close()
        return 0

    app = entry.application()
    monkeypatch.setattr(app, "exec", fake_exec)
    assert entry.main() == 0
    assert isinstance(seen["hook"], entry.ExceptionHook)
    assert any(isinstance(w, MainWindow) for w in seen["windows"])  # type: ignore[attr-defined]
    assert not isinstance(sys.excepthook, entry.ExceptionHook)  # removed afterwards


def test_main_resumes_the_collector_once_the_window_is_up(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app.preload pauses the garbage collector for the start-up; the event
    loop's first turn, with the window up, resumes it."""
    import gc

    seen: dict[str, bool] = {}
    monkeypatch.setattr(entry, "LocalSettings", lambda: LocalSettings(tmp_path / "s.ini"))
    monkeypatch.setattr(entry, "log_dir", lambda: tmp_path / "logs")

    def fake_exec() -> int:
        seen["before the loop"] = gc.isenabled()
        entry.QApplication.processEvents()
        seen["after a turn"] = gc.isenabled()
        for window in entry.QApplication.topLevelWidgets():
            window.close()
        return 0

    app = entry.application()
    monkeypatch.setattr(app, "exec", fake_exec)
    gc.disable()  # as app.preload leaves it
    try:
        assert entry.main() == 0
    finally:
        gc.enable()
    assert seen == {"before the loop": False, "after a turn": True}


def test_the_policies_tab_opens_on_the_settings_policy(qtbot: QtBot) -> None:
    """Seen in the real-window run: a St Helens school's Policies tab opened on
    Buckinghamshire's (the first by name). It opens on the setting's own, and once the
    DSL chooses another, that one stays when the policies are loaded again."""
    from ui.widgets.workspace import Workspace

    library = default_library()
    workspace = Workspace()
    qtbot.addWidget(workspace)
    workspace.set_library(library, "st-helens")
    assert workspace.policies is not None
    assert workspace.policies.current_id() == "st-helens"
    workspace.policies.show_policy("york")
    workspace.set_library(library, "st-helens")
    assert workspace.policies.current_id() == "york"
