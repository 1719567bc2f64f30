"""Fixtures for driving the real windows: a demo data file made once per session and
copied per test (making one takes about a second), and settings in a temporary folder
so nothing touches the real user data folder.

The demo file is a team's file (issue 23) with one member, the setting's DSL, whose
passphrase is ``PASSPHRASE``: the window unlocks it without asking who, as it does any
file with one member. ``team_file`` adds a deputy for the tests of several members."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.demo import CHILDREN, create_demo
from app.policy import Nation, PolicyLibrary
from app.services import team
from app.services.settings import SettingDetails, save_settings
from app.storage.database import Database
from app.storage.keyfile import key_file_path
from app.team.member import Role
from tests.ui.policy_builder_steps import builder  # noqa: F401 (the fixture, for every test)
from ui.local_settings import LocalSettings
from ui.main import set_up_locale
from ui.main_window import MainWindow

PASSPHRASE = "correct horse battery staple"
DEPUTY = "Mr Ben Hughes"
DEPUTY_PASSPHRASE = "saucepan meadow thunder ribbon"
CHILD_NAMES = [name for name, *_ in CHILDREN]
DETAILS = SettingDetails(
    setting_name="Riverside Primary School",
    dsl_name="Ms Hannah Okafor",
    deputies=("Mr Ben Hughes",),
    default_policy="gloucestershire",
    nation=Nation.ENGLAND,
)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.etdb"
    with team.create(path, DETAILS.dsl_name, PASSPHRASE).db as db:
        create_demo(db, library)
        save_settings(db, DETAILS, library)
    return path


def copy_data_file(source: Path, target: Path) -> Path:
    """A team's file is two files: the data and its key file beside it."""
    shutil.copyfile(source, target)
    shutil.copyfile(key_file_path(source), key_file_path(target))
    return target


@pytest.fixture
def data_file(tmp_path: Path, demo_template: Path) -> Path:
    return copy_data_file(demo_template, tmp_path / "escalations.etdb")


@pytest.fixture(scope="session")
def team_template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo file with a second member, a deputy DSL with their own passphrase."""
    path = copy_data_file(demo_template, tmp_path_factory.mktemp("team") / "team.etdb")
    with open_team(path) as db:
        team.add_member(db, DEPUTY, Role.DEPUTY, DEPUTY_PASSPHRASE, DEPUTY_PASSPHRASE)
    return path


@pytest.fixture
def team_file(tmp_path: Path, team_template: Path) -> Path:
    return copy_data_file(team_template, tmp_path / "escalations.etdb")


def open_team(path: Path, passphrase: str = PASSPHRASE, member: str | None = None) -> Database:
    """The file opened outside the window, as ``member`` (None: its only member, or
    the DSL ``PASSPHRASE`` opens)."""
    if member is None and passphrase == PASSPHRASE and team.single_member(path) is None:
        member = DETAILS.dsl_name
    return team.unlock(path, member, passphrase).db


@pytest.fixture
def local(tmp_path: Path, data_file: Path) -> LocalSettings:
    settings = LocalSettings(tmp_path / "settings.ini")
    settings.data_file = data_file
    return settings


@pytest.fixture
def window(qtbot: QtBot, library: PolicyLibrary, local: LocalSettings) -> Iterator[MainWindow]:
    set_up_locale()
    win = MainWindow(library, local)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def unlocked(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.unlock(PASSPHRASE)
    assert window.is_unlocked
    # The dashboard is painted first; contacts and filters follow (WorkspaceLoader.load_rest).
    qtbot.waitUntil(lambda: window.rest_loaded)
    return window


def model_texts(model: QAbstractItemModel) -> list[str]:
    out = []
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.index(row, column).data(role)
                if value is not None:
                    out.append(str(value))
    return out


def shown_texts(on_screen: bool = False) -> str:
    """Every piece of text any widget of the app holds: labels, fields, text views,
    window titles and every item model behind a view (visible or not, unless
    ``on_screen``: then only what a widget on screen holds)."""
    parts: list[str] = []
    models: set[int] = set()
    for widget in QApplication.allWidgets():
        if on_screen and not widget.isVisible():
            continue
        parts.append(widget.windowTitle())
        parts.append(widget.accessibleName())
        parts.append(widget.accessibleDescription())
        parts.append(widget.toolTip())
        if isinstance(widget, QLabel | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            if id(model) not in models:
                models.add(id(model))
                parts.extend(model_texts(model))
    return "\n".join(parts)


def child_names_in(text: str) -> list[str]:
    return [name for name in CHILD_NAMES if name in text]


def find_top_level(kind: type[QWidget], visible: bool = True) -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, kind) and (w.isVisible() or not visible)
    ]


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    """Unlocking pauses the garbage collector until the rest loads, after the paint
    ; a test that ends before then must not leave it paused for the next."""
    yield
    gc.enable()
