"""The Help menu: a user guide and About, offline, open even while locked; the guide
is shown as formatted text and nothing in it is taken as HTML or followed as a link."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app import about
from app.paths import resource_path
from ui.dialogs import help as help_dialogs
from ui.dialogs.help import AboutDialog, UserGuideDialog
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
TOPICS = (
    "First run",
    "The safeguarding team",
    "Forgotten your passphrase?",
    "Opening an escalation",
    "Recording a discussion",
    "Moving to the next stage",
    "Agreeing the outcome",
    "Printing or saving the written confirmation",
    "Locking",
    "Backups",
    "Verifying a printed document",
    "Where the data file is",
)


def _help_menu(window: MainWindow) -> QMenu:
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert len(menus) == 1 and isinstance(menus[0], QMenu)
    return menus[0]


def test_the_guide_and_about_are_in_the_help_menu_even_when_locked(
    qtbot: QtBot, window: MainWindow, local: LocalSettings
) -> None:
    assert not window.is_unlocked
    shown = [a for a in _help_menu(window).actions() if a.isVisible() and a.isEnabled()]
    by_text = {a.text(): a for a in shown}
    assert {"&User guide", "&About Escalation Tracker"} <= set(by_text)

    by_text["&User guide"].trigger()
    guides = window.findChildren(UserGuideDialog)
    assert len(guides) == 1 and guides[0].isVisible()
    qtbot.waitExposed(guides[0])
    # It opens at its start, the title and the emergency note first.
    assert guides[0].guide.verticalScrollBar().value() == 0
    guide = guides[0].guide.toPlainText()
    for topic in TOPICS:
        assert topic in guide, topic
    assert "999" in guide
    assert guides[0].data_file.text() == f"Your data file: {local.data_file}"

    by_text["&About Escalation Tracker"].trigger()
    abouts = window.findChildren(AboutDialog)
    assert len(abouts) == 1 and abouts[0].isVisible()
    assert abouts[0].version.text() == f"Version {version('escalation-tracker')}"
    assert str(local.data_file) in abouts[0].data_file.text()


def test_the_guide_shows_markup_as_text_and_follows_no_link(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        help_dialogs,
        "user_guide",
        lambda: "# Heading\n\n<b>not bold</b> <img src='x.png'>\n\n[a link](https://example.org)",
    )
    dialog = UserGuideDialog(tmp_path / "<i>data</i>.etdb")
    qtbot.addWidget(dialog)
    text = dialog.guide.toPlainText()
    assert "<b>not bold</b>" in text and "<img src='x.png'>" in text
    assert "Heading" in text and "# Heading" not in text  # Markdown is formatted
    assert not dialog.guide.openLinks() and not dialog.guide.openExternalLinks()
    assert "<i>data</i>.etdb" in dialog.data_file.text()


def _runtime_packages() -> set[str]:
    """Every package the installed app needs at run time, and what they need."""
    seen: set[str] = set()
    waiting = ["escalation-tracker"]
    while waiting:
        name = waiting.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        try:
            wanted = requires(name) or []
        except PackageNotFoundError:  # needed on older Pythons only
            continue
        for requirement in wanted:
            if "extra ==" not in requirement and "python_version <" not in requirement:
                waiting.append(re.split(r"[ ;<>=!~\[(]", requirement)[0])
    return seen - {"escalation-tracker"}


def test_about_names_the_licence_of_everything_shipped() -> None:
    text = about.licences().lower()
    missing = sorted(p for p in _runtime_packages() if p not in text)
    assert missing == []
    for licence in re.findall(r"\((LICENSE-[\w.-]+\.txt)\)", about.licences()):
        assert (ROOT / "resources" / "fonts" / licence).is_file(), licence


def test_the_help_files_ship_in_the_bundle() -> None:
    """They live in resources/, which the PyInstaller spec ships whole."""
    spec = (ROOT / "installer" / "escalation_tracker.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec
    for name in ("user-guide.md", "licences.txt"):
        assert resource_path("resources", "help", name).is_file()
