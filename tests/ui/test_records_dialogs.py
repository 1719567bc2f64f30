"""Statistics, retention review and a child's records (transfer, subject access)
through their dialogs."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app import clock
from app.demo import create_demo
from app.policy import default_library
from app.services.escalations import list_escalations
from app.services.people import list_children
from app.services.statistics import statistics
from app.storage.datafile import create_data_file
from tests.plain_store import PlainStore
from ui import operations
from ui.dialogs.child_records import ChildRecordsDialog
from ui.dialogs.retention import RetentionDialog
from ui.dialogs.statistics import StatisticsDialog

ACTOR = "Ms Hannah Okafor (DSL)"


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record what message boxes would say instead of showing them: the modal ones, and
    the box a refused action's plain message goes to (``ui.operations.run_op``)."""
    said: list[str] = []
    for kind in ("warning", "information"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda _parent, _title, text, *a, **k: said.append(text)
        )
    monkeypatch.setattr(
        operations, "show_known_error", lambda _parent, error: said.append(str(error))
    )
    return said


@pytest.fixture
def store(tmp_path: Path) -> PlainStore:
    store = PlainStore(tmp_path / "demo.db")
    create_demo(store, default_library())
    return store


def test_statistics_dialog_shows_the_service_figures(
    qtbot: QtBot, store: PlainStore, tmp_path: Path
) -> None:
    stats = statistics(store)
    previews: list[tuple[str, bytes, str]] = []
    dialog = StatisticsDialog(stats, "St Aidan's", lambda *a: previews.append(a))
    qtbot.addWidget(dialog)
    cells = {
        dialog.table.item(r, 1).data(Qt.ItemDataRole.DisplayRole): dialog.table.item(r, 2).data(
            Qt.ItemDataRole.DisplayRole
        )
        for r in range(dialog.table.rowCount())
    }
    assert cells["Escalations recorded"] == str(stats.total) == "14"
    assert cells["Open"] == str(stats.by_status["open"])
    dialog.export_csv(tmp_path / "figures.csv")
    text = (tmp_path / "figures.csv").read_text(encoding="utf-8")
    assert next(csv.reader(text.splitlines())) == ["section", "item", "value"]
    for name in (c.name for c in list_children(store)):
        assert name not in text
    dialog.preview_pdf(for_partnership=True)
    assert previews and previews[0][0] == "Escalation monitoring return"
    assert previews[0][1].startswith(b"%PDF")
    dialog.show()
    dialog.grab()  # paints the charts without error


def test_retention_retain_and_destroy(
    qtbot: QtBot, store: PlainStore, monkeypatch: pytest.MonkeyPatch, no_message_boxes: list[str]
) -> None:
    # Far enough ahead that the oldest demo child (born 2011) is due for review.
    monkeypatch.setattr(clock, "now", lambda: datetime(2037, 1, 5, 9, 0))
    dialog = RetentionDialog(store, ACTOR)
    qtbot.addWidget(dialog)
    due = [
        dialog.table.item(r, 0).data(Qt.ItemDataRole.DisplayRole)
        for r in range(dialog.table.rowCount())
    ]
    assert due == ["Kacper Zieliński"]  # born 30/12/2011: review 30/12/2036
    dialog.table.setCurrentCell(0, 0)
    kacper = dialog.chosen()
    assert kacper is not None
    assert not dialog.retain(kacper, "", date(2040, 1, 1))
    assert no_message_boxes == ["Reason for keeping the records: is required."]
    assert dialog.retain(kacper, "Relevant to a local inquiry", date(2040, 1, 1))
    assert dialog.table.rowCount() == 0  # no longer due
    dialog.due_only.setChecked(False)
    names = [
        dialog.table.item(r, 0).data(Qt.ItemDataRole.DisplayRole)
        for r in range(dialog.table.rowCount())
    ]
    row = names.index("Kacper Zieliński")
    dialog.table.setCurrentCell(row, 0)
    assert dialog.destroy(dialog.chosen() or -1, "Inquiry closed; no reason to keep")
    assert all(c.name != "Kacper Zieliński" for c in list_children(store))
    assert all(r.child_name != "Kacper Zieliński" for r in list_escalations(store))
    (told,) = [
        b for b in dialog.findChildren(QMessageBox) if b.windowTitle() == "Records destroyed"
    ]
    assert "No backup made while these records were in the file" in told.text()
    assert "Kacper" not in told.text()


def test_child_records_transfer_import_and_disclosure(
    qtbot: QtBot, store: PlainStore, tmp_path: Path
) -> None:
    previews: list[tuple[str, bytes, str]] = []
    dialog = ChildRecordsDialog(
        store,
        setting="St Aidan's",
        dsl="Ms Hannah Okafor",
        actor=ACTOR,
        preview=lambda *a: previews.append(a),
    )
    qtbot.addWidget(dialog)
    index = dialog.child.findText("Zoë Nguyễn", Qt.MatchFlag.MatchStartsWith)
    dialog.child.setCurrentIndex(index)
    dialog.show_chronology()
    dialog.show_disclosure()
    # What is taken out is shown first (tests/ui/test_redaction_review.py), then the PDF.
    assert dialog.review is not None and dialog.review.isVisible()
    assert [p[0] for p in previews] == ["Case chronology"]
    dialog.review.confirm_button.click()
    assert [p[0] for p in previews] == ["Case chronology", "Subject access disclosure"]
    transfer = tmp_path / "zoe.etdb"
    assert not dialog.transfer(dialog._child_id() or -1, transfer, "short", "short")
    assert dialog.transfer(
        dialog._child_id() or -1, transfer, "a long transfer phrase", "a long transfer phrase"
    )
    receiving = create_data_file(tmp_path / "receiving.etdb", "the receiving setting's phrase")
    try:
        other = ChildRecordsDialog(
            receiving, setting="New school", dsl="Mr New", actor="Mr New", preview=lambda *a: None
        )
        qtbot.addWidget(other)
        assert dialog.sent is not None and dialog.sent.seal is not None
        seal = dialog.sent.seal.printed  # as printed on the covering page
        assert not other.receive(transfer, "wrong phrase", seal)
        assert not other.receive(transfer, "a long transfer phrase", "1 0123456789abcdef")
        assert list_escalations(receiving) == []
        assert other.receive(transfer, "a long transfer phrase", seal)
        assert {r.child_name for r in list_escalations(receiving)} == {"Zoë Nguyễn"}
    finally:
        receiving.close()


def test_the_child_caption_reads_as_a_caption_and_alt_h_goes_to_the_child(
    qtbot: QtBot, store: PlainStore
) -> None:
    dialog = ChildRecordsDialog(
        store, setting="St Aidan's", dsl="Ms Hannah Okafor", actor=ACTOR, preview=print
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    caption = next(label for label in dialog.findChildren(QLabel) if label.buddy() is dialog.child)
    assert caption.text() == "C&hild:"
    dialog.chronology_button.setFocus()
    qtbot.keyClick(dialog.chronology_button, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.child.hasFocus, timeout=2000)
