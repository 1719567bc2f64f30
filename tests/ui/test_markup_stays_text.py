"""What a DSL typed, or a policy or transfer file supplied, is shown as text, never as
markup: a child named ``Zoe <b>bold</b><img …>`` reads exactly so in every label,
message box and tooltip of every window that shows it.

Markup goes into every text a DSL fills (the child's name, the agency, the summary and
every part of the escalation form, a discussion, a contact, the school's name, the
DSL's and deputies' names) and into a policy file's words (partnership, document title,
pathway summaries, stage titles and actions, a problem loading a file); a transfer
carries the school's name as the sending setting. Then each window is opened and every
QLabel (message boxes' texts are QLabels too) and every tooltip, on a widget or an item,
that shows any of it must show the markup literally."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.records import Discussion
from app.policy import Nation, PolicyLibrary
from app.policy.loader import parse_policy
from app.services import escalations as esc
from app.services import records as rec
from app.services import team
from app.services.people import add_child, add_contact
from app.services.settings import SettingDetails, save_settings
from tests.plain_store import PlainStore
from ui.dialogs.child_records import ChildRecordsDialog
from ui.local_settings import LocalSettings
from ui.main import set_up_locale
from ui.main_window import MainWindow

PASSPHRASE = "correct horse battery staple"
TRANSFER_PASSPHRASE = "Violet harbour 19, lantern quartz"
# Rendered as HTML, this is "boldhidden <x>" (the font white on white, the image
# fetched): each piece has to survive as typed.
PAYLOAD = "<b>bold</b><img src='red.png'><font color='white'>hidden</font> &lt;x&gt;"
LITERAL = ("<b>bold</b>", "<img src='red.png'>", "&lt;x&gt;")
CHILD = f"Zoe {PAYLOAD}"
NOW = datetime(2026, 11, 27, 16, 0)


def _marked(text: str) -> str:
    return f"{text} {PAYLOAD}"


def markup_policy(library: PolicyLibrary) -> PolicyLibrary:
    """York's policy as a partnership's own file, with markup in its words."""
    source = (Path(__file__).resolve().parents[2] / "policies" / "york.toml").read_text()
    source = source.replace('id = "york"', 'id = "markup"', 1)
    for key in ("partnership", "title", "summary", "action"):
        source = re.sub(rf'^({key} = ")', rf"\g<1>{PAYLOAD} ", source, flags=re.MULTILINE)
    policy = parse_policy(source, "markup.toml")
    return PolicyLibrary(
        [*library.all(), policy], problems=[f"markup.toml: {_marked('a problem')}"]
    )


def fill(path: Path, library: PolicyLibrary) -> str:
    """A data file where every text a DSL types holds markup; returns the escalation."""
    # A team's file whose member's name holds the markup too.
    db = team.create(path, _marked("Ms Okafor"), PASSPHRASE).db
    try:
        save_settings(
            db,
            SettingDetails(
                setting_name=_marked("Riverside"),
                dsl_name=_marked("Ms Okafor"),
                deputies=(_marked("Mr Hughes"),),
                default_policy="markup",
                nation=Nation.ENGLAND,
            ),
            library,
        )
        child = add_child(db, name=CHILD, date_of_birth=date(2014, 5, 12), actor="DSL").id
        add_contact(
            db,
            name=_marked("Ms Adeyemi"),
            agency=_marked("Social Care"),
            role=_marked("Team manager"),
            named_officer_role=_marked("Named officer"),
            actor="DSL",
        )
        form = esc.NewEscalation(
            child_id=child,
            policy_id="markup",
            pathway_id="resolution",
            raised_at=datetime(2026, 11, 16, 9, 30),
            raised_by=_marked("Mr Hughes"),
            other_agency=_marked("Social Care"),
            other_practitioner=_marked("Ms Adeyemi"),
            category="threshold",
            disputed=_marked("Referral closed"),
            change_wanted=_marked("An assessment"),
            impact=_marked("Coming to school hungry"),
            protect_by=None,
            immediate_risk=False,
        )
        ref = esc.open_escalation(db, library, form, actor="DSL").ref
        rec.record_discussion(
            db,
            ref,
            Discussion(
                held_at=datetime(2026, 11, 17, 11, 0),
                method="phone",
                participants=[_marked("Ms Adeyemi")],
                summary=_marked("Discussed"),
            ),
            actor=_marked("Ms Okafor"),
        )
    finally:
        db.close()
    return ref


def shown(text: str, text_format: Qt.TextFormat) -> str:
    """What a person reads: the text itself, or what Qt renders of it as HTML."""
    if text_format == Qt.TextFormat.PlainText or (
        text_format == Qt.TextFormat.AutoText and not GuiQt.mightBeRichText(text)
    ):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _item_tips(model: QAbstractItemModel) -> Iterator[str]:
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
            if tip:
                yield str(tip)


def surfaces() -> Iterator[tuple[str, str]]:
    """(where, what a person reads) for every label and tooltip the app holds now."""
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName() or widget.accessibleName()!r}"
        if isinstance(widget, QLabel):
            yield where, shown(widget.text(), widget.textFormat())
        if widget.toolTip():
            yield f"tooltip of {where}", shown(widget.toolTip(), Qt.TextFormat.AutoText)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for tip in _item_tips(widget.model()):
                yield f"item tooltip in {where}", shown(tip, Qt.TextFormat.AutoText)


def markup_rendered() -> list[str]:
    """Every surface showing part of the payload but not all of it as typed."""
    wrong = []
    for where, text in surfaces():
        touched = any(part in text for part in ("bold", "hidden", "&lt;x", "<x>"))
        if touched and not all(piece in text for piece in LITERAL):
            wrong.append(f"{where}: {text!r}")
    return wrong


def checked() -> int:
    """No surface renders the markup; how many show it as typed."""
    assert markup_rendered() == []
    return sum(1 for _where, text in surfaces() if LITERAL[0] in text)


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[MainWindow, str]]:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    marked = markup_policy(library)
    ref = fill(tmp_path / "escalations.etdb", marked)
    local = LocalSettings(tmp_path / "settings.ini")
    local.data_file = tmp_path / "escalations.etdb"
    set_up_locale()
    win = MainWindow(marked, local)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.unlock(PASSPHRASE)
    qtbot.waitUntil(lambda: win.rest_loaded)
    yield win, ref
    win.close()


def _opened(qtbot: QtBot, widget: QWidget | None) -> QWidget:
    assert widget is not None
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_markup_is_shown_as_typed_in_every_window(
    qtbot: QtBot, window: tuple[MainWindow, str], tmp_path: Path
) -> None:
    win, ref = window
    seen = [checked()]  # the dashboard and its list
    win.workspace.tabs.setCurrentWidget(win.workspace.contacts)
    win.workspace.tabs.setCurrentWidget(win.workspace.policies)
    win.workspace.policies.show_policy("markup")
    seen.append(checked())
    view = _opened(qtbot, win.open_escalation(ref))
    seen.append(checked())
    for opener in ("approve", "move_stage", "record_discussion", "amend"):
        dialog = _opened(qtbot, getattr(view, opener)())
        seen.append(checked())
        dialog.close()
    form = _opened(qtbot, win.new_escalation())
    seen.append(checked())
    form.close()
    for dialog in (win.show_immediate_risk(), win.show_settings(), win.show_retention()):
        _opened(qtbot, dialog)
        seen.append(checked())
        dialog.close()
    records = _opened(qtbot, win.show_child_records())
    assert isinstance(records, ChildRecordsDialog)
    transfer = tmp_path / "sent.etdb"
    assert records.transfer(records._child_id() or -1, transfer, *[TRANSFER_PASSPHRASE] * 2)
    sent = records.sent
    assert sent is not None and sent.seal is not None
    receiving = PlainStore(tmp_path / "receiving.db")
    other = ChildRecordsDialog(
        receiving, setting="New school", dsl="Mr New", actor="Mr New", preview=lambda *a: None
    )
    qtbot.addWidget(other)
    assert other.receive(transfer, TRANSFER_PASSPHRASE, sent.seal.typed)
    seen.append(checked())  # the two notices: written, and imported from the school
    # Each step showed the markup somewhere (the checks above are not vacuous).
    assert all(n > 0 for n in seen), seen
