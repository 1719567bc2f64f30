"""No plaintext anywhere: after the full scenario (``scenario.py``), no child's name, date
of birth, identifier or note text, and no staff name typed into a record, is in any file
the app left in the sandbox: the data file and its journal, the backup, the transfer
file, the temp folder, the error log, the crash log folder, the local settings (QSettings
INI), the XDG cache/config/state folders and the home folder.

The needles come from the file itself (every text value stored in it, read back through
the passphrase) plus the demo's and the forms' own lists, so a new field is covered
without editing this test.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import CHILDREN
from app.services.settings import get_settings
from app.storage.datafile import open_data_file
from app.storage.models import Child, Contact, Escalation, FileInfo, RecordVersion, StageEvent
from tests.reliability.conftest import NEW_PASSPHRASE, ScenarioRun
from tests.reliability.sandbox import ROOT, scan
from tests.reliability.scenario import FORM_CHILDREN, FORM_NOTES

MIN_NEEDLE = 8  # shorter values ("phone", "open") are not identifying and match by chance


def date_forms(day: date) -> list[str]:
    return [
        f"{day:%Y-%m-%d}",
        f"{day:%d/%m/%Y}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%Y%m%d}",
        f"{day:%d %B %Y}",
        f"{day.day} {day:%B %Y}",
        f"{day:%d/%m/%y}",
    ]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def needles_from(data_file: Path) -> set[str]:
    """Every child's name, DOB and identifier and every free text stored in the file."""
    found: set[str] = set()
    db = open_data_file(data_file, NEW_PASSPHRASE)
    try:
        with db.session() as session:
            for child in session.scalars(select(Child)):
                found |= {child.name, child.identifier, *date_forms(child.date_of_birth)}
            for e in session.scalars(select(Escalation)):
                found |= {e.disputed, e.change_wanted, e.impact, e.other_practitioner}
            for content in session.scalars(select(RecordVersion.content)):
                found |= set(_strings(json.loads(content)))
            found |= {n for n in session.scalars(select(StageEvent.note)) if n}
            found |= set(session.scalars(select(Contact.name)))
            found |= {
                i.value for i in session.scalars(select(FileInfo)) if i.key.startswith("setting.")
            }
    finally:
        db.close()
    return found


def _setting_name(data_file: Path) -> str:
    with open_data_file(data_file, NEW_PASSPHRASE) as db:
        return get_settings(db).setting_name


def all_needles(data_file: Path) -> set[str]:
    needles = needles_from(data_file)
    for name, dob, identifier, _flags in CHILDREN:  # the destroyed child's too
        needles |= {name, identifier, *date_forms(dob)}
    for name, dob in FORM_CHILDREN:
        needles |= {name, *date_forms(dob)}
    needles |= set(FORM_NOTES)
    return {n.strip() for n in needles if len(n.strip()) >= MIN_NEEDLE}


def test_no_child_data_in_any_file_the_scenario_left(
    scenario_run: ScenarioRun, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = scenario_run.sandbox
    data_file = sandbox.user_data / "escalations.etdb"
    needles = all_needles(data_file)
    # The needle list really holds the records (else a zero would prove nothing).
    assert len(needles) > 150
    assert {"Zoë Nguyễn", "12/05/2014", "2014-05-12", FORM_NOTES[1], "UPN-A1001"} <= needles
    assert any("duty social worker" in n for n in needles)  # a demo discussion

    files = sorted(p for p in sandbox.root.rglob("*") if p.is_file())
    expected = {
        data_file,
        sandbox.root / "backups" / "escalations-backup.etdb",
        sandbox.root / "transfers" / "oliver.etdb",
        sandbox.root / "transfers" / "oliver.cover.pdf",
        sandbox.user_data / "logs" / "errors.log",
        sandbox.user_data / "settings.ini",
    }
    assert expected <= set(files), files  # the scenario wrote them, so they are scanned
    assert "KeyError" in (sandbox.user_data / "logs" / "errors.log").read_text()

    # The transfer's covering page names the sending setting, by design (the receiving
    # DSL must know who sent it); nothing else of the file may be on it.
    cover = sandbox.root / "transfers" / "oliver.cover.pdf"
    setting = _setting_name(data_file)
    hits = [hit for hit in scan([sandbox.root], needles) if hit != (cover, setting)]
    with capsys.disabled():
        print(
            f"\nno plaintext: {len(needles)} needles in {len(files)} files "
            f"({sum(p.stat().st_size for p in files):,} bytes) after "
            f"{scenario_run.counts['pdfs generated in memory']} in-memory PDFs: "
            f"{len(hits)} hits"
        )
    assert hits == []
    for path in files:
        head = path.read_bytes()[:16]
        assert path == cover or not head.startswith(b"%PDF"), f"a PDF was written to {path}"
        assert not head.startswith(b"SQLite format 3"), f"an unencrypted database: {path}"
    assert list(sandbox.temp.iterdir()) == []  # nothing left in the temp folder

    # Positive control: plaintext planted where the app could have leaked it is found.
    planted = {
        sandbox.temp / "preview.txt": ("Zoë Nguyễn", "utf-16-le"),
        sandbox.root / "xdg-cache" / "deep" / "cache.bin": (FORM_NOTES[1], "utf-8"),
        sandbox.config / "EscalationTracker.conf": ("12/05/2014", "utf-8"),
    }
    try:
        for path, (text, encoding) in planted.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"\x00junk" + text.encode(encoding) + b"junk")
        assert sorted(scan([sandbox.root], needles)) == sorted(
            (path, text) for path, (text, _) in planted.items()
        )
    finally:
        for path in planted:
            path.unlink()


def _outside(paths: list[str], sandbox: Path) -> list[str]:
    allowed = (str(sandbox) + os.sep, "/dev/", "/proc/")
    return sorted(
        {
            p
            for p in paths
            if not p.startswith(allowed)
            and p != str(sandbox)
            and Path(p).parent != sandbox.parent  # the harness's own report and trace
        }
    )


def test_every_file_written_is_inside_the_sandbox(scenario_run: ScenarioRun) -> None:
    """So the scan above saw everything. Python's own writes always; native writes
    (SQLite, Qt) too when strace can run here."""
    sandbox = scenario_run.sandbox.root
    assert scenario_run.python_writes, "the audit hook recorded nothing"
    assert _outside(scenario_run.python_writes, sandbox) == []
    if scenario_run.traced_writes is not None:
        traced = scenario_run.traced_writes
        assert any(p.endswith("escalations.etdb-journal") for p in traced)  # SQLite seen
        assert any(p.endswith("settings.ini") for p in traced)  # Qt seen
        assert _outside(traced, sandbox) == []
        # SQLite's temporary files (``etilqs_*``, unlinked as soon as opened, so no scan
        # could see them) never appear: sorts and temp tables stay in memory.
        assert not [p for p in traced if "etilqs_" in p]
    # Positive control for the filter: a write outside would be reported.
    assert _outside([str(ROOT / "leak.txt")], sandbox) == [str(ROOT / "leak.txt")]
