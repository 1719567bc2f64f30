"""python -m app calendar, end to end as a real process."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from app.demo import CHILDREN
from app.english_plurals import count
from tests.test_cli_data import run


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-calendar") / "demo.etdb"
    assert run("demo", "--data-file", str(path)).returncode == 0
    return path


def test_calendar_writes_an_event_per_open_deadline(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "deadlines"  # .ics is added
    result = run("calendar", "--data-file", str(demo_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = out.with_name("deadlines.ics")
    assert str(written) in result.stdout
    listed = json.loads(run("list", "--data-file", str(demo_file), "--json").stdout)
    due = {f"{r['ref']}: stage {r['stage']} of" for r in listed if r["next_due"]}
    events = icalendar.Calendar.from_ical(written.read_bytes()).walk("VEVENT")
    assert {str(e["summary"]).rsplit(" ", 2)[0] for e in events} == due
    assert count(len(due), "open deadline") in result.stdout
    data = written.read_bytes().decode()
    assert not [name for name, *_ in CHILDREN if name in data]


def test_calendar_reminders_follow_the_options(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.ics"
    result = run("calendar", "--data-file", str(demo_file), "--out", str(out), "--remind-days", "0")
    assert result.returncode == 0, result.stderr
    assert "VALARM" not in out.read_text()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--remind-days", "30"], "0 to 10 working days"),
        (["--out", "/no/such/folder/d.ics"], "is not a folder that exists"),
    ],
)
def test_calendar_mistakes_are_one_plain_line(
    demo_file: Path, tmp_path: Path, extra: list[str], said: str
) -> None:
    args = ["calendar", "--data-file", str(demo_file), "--out", str(tmp_path / "d.ics"), *extra]
    result = run(*args)
    assert result.returncode == 2
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
