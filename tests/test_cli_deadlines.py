"""``python -m app deadlines``: the disputed decision as an anchor, one range for typed
dates, refusals of impossible combinations, and stages waiting for an open-ended one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.policy import load_policy_file
from tests.policy_data import policy_dict, policy_toml


def deadlines_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["deadlines", *args, "--json"]) == 0
    stages: list[dict[str, object]] = json.loads(capsys.readouterr().out)["stages"]
    return stages


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["deadlines", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, lines  # one plain line, no traceback
    return lines[0]


def test_york_iro_manager_clock_runs_from_the_conference_decision(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Conference on Thu 03/12/2026; the DSL opens the escalation on Mon 07/12/2026.
    stages = deadlines_json(
        capsys, "york", "conference-dissent", "--raised", "2026-12-07", "--decision", "2026-12-03"
    )
    assert stages[0]["due"] == "2026-12-07"  # two working days from Thu, not from Mon
    assert "from the disputed decision on Thu 03/12/2026" in str(stages[0]["rule"])
    # Without --decision the clock runs from the raised date.
    stages = deadlines_json(capsys, "york", "conference-dissent", "--raised", "2026-12-07")
    assert stages[0]["due"] == "2026-12-09"


def test_north_yorkshire_stages_3_and_4_run_from_the_decision(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["north-yorkshire", "resolution", "--raised", "2026-12-07T09:00"]
    late = deadlines_json(capsys, *args)
    early = deadlines_json(capsys, *args, "--decision", "2026-11-30")
    # 10 working days from Mon 30/11 is Mon 14/12 (from Mon 07/12 it is Mon 21/12).
    assert [s["due"] for s in early[2:4]] == ["2026-12-14", "2026-12-14"]
    assert [s["due"] for s in late[2:4]] == ["2026-12-21", "2026-12-21"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--raised", "1999-12-29"], "--raised 1999-12-29 is outside the dates"),
        (["--raised", "2076-01-05"], "--raised 2076-01-05 is outside the dates"),
        (
            ["--raised", "2026-12-01", "--stage-start", "2=1999-12-01"],
            "--stage-start 2 1999-12-01 is outside the dates",
        ),
        (
            ["--raised", "2026-12-01", "--stage-start", "2=2026-11-30"],
            "--stage-start 2026-11-30 for stage 2 is before the disagreement was raised",
        ),
        (
            ["--raised", "2026-12-01T14:00", "--stage-start", "2=2026-12-01T09:00"],
            "before the disagreement was raised",
        ),
        (
            ["--raised", "2026-12-01", "--protect-by", "2026-11-30"],
            "--protect-by 2026-11-30 is before the disagreement was raised",
        ),
        (
            [
                "--raised",
                "2026-12-01",
                "--stage-start",
                "2=2026-12-02",
                "--stage-start",
                "2=2026-12-03",
            ],
            "--stage-start 2 is given twice",
        ),
        (
            ["--raised", "2026-12-01", "--decision", "2026-12-02"],
            "--decision 2026-12-02 is after the disagreement was raised",
        ),
    ],
)
def test_impossible_dates_are_refused_naming_what_was_typed(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    assert expected in refused(capsys, "suffolk", "resolution", *args)


def test_the_last_date_a_person_may_type_still_projects(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Stages run into 2076; they are worked out rather than refused naming a date in 2076.
    stages = deadlines_json(capsys, "gloucestershire", "resolution", "--raised", "2075-12-24")
    assert str(stages[-1]["due"]).startswith("2076-")


def test_a_stage_after_an_open_ended_one_has_no_date_yet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stages = deadlines_json(capsys, "york", "resolution", "--raised", "2026-11-02")
    # Stage 3, "referred without delay", follows two stages with no timescale.
    assert stages[2]["start"] is None and stages[2]["due"] is None
    assert "starts when stage 2 ends" in str(stages[2]["rule"])
    assert main(["deadlines", "york", "resolution", "--raised", "2026-11-02"]) == 0
    text = capsys.readouterr().out
    assert "start: when stage 2 ends (no date yet)   due: No date until stage 2 ends" in text


def test_urgently_is_no_fixed_timescale_marked_urgent(capsys: pytest.CaptureFixture[str]) -> None:
    stages = deadlines_json(capsys, "suffolk", "conference-dissent", "--raised", "2026-11-02")
    chair = stages[3]  # "put as a matter of urgency to the chair of the LSCB"
    assert chair["due"] is None
    assert chair["rule"] == (
        "No fixed timescale, but the policy asks for it urgently (as a matter of urgency)."
    )
    started = deadlines_json(
        capsys, "suffolk", "resolution", "--raised", "2026-11-02", "--stage-start", "5=2026-11-16"
    )
    assert started[4]["due"] is None  # not a same-day deadline once it has started


def test_gloucestershire_shows_both_of_its_timescales_for_stage_4(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stages = deadlines_json(capsys, "gloucestershire", "resolution", "--raised", "2026-12-18")
    rule = str(stages[3]["rule"])
    assert rule.startswith("10 working days from")
    assert (
        "Elsewhere the document says: “At each stage there is a maximum time scale of 5 days"
        in rule
    )
    assert "Check with your partnership." in rule


def test_hours_from_a_date_alone_say_they_count_from_midnight(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["north-yorkshire", "resolution"]
    bare = deadlines_json(capsys, *args, "--raised", "2026-12-07")[0]
    timed = deadlines_json(capsys, *args, "--raised", "2026-12-07T14:30")[0]
    assert bare["due"] == "2026-12-11T00:00" and timed["due"] == "2026-12-11T14:30"
    assert str(bare["rule"]).endswith("no time of day was given, so it counts from 00:00.")
    assert "(its start: Tue 08/12/2026 14:30)" in str(timed["rule"])
    assert "no time of day" not in str(timed["rule"])


def test_policies_json_carries_source_date_and_completeness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = policy_dict()
    data["document"] |= {
        "url": "https://example.org/escalation",
        "read_on": "2026-12-04",
        "completeness": "Stage 4's timescale is not in the text.",
    }
    path = tmp_path / "testshire.toml"
    path.write_text(policy_toml(data), encoding="utf-8")
    assert main(["policies", "check", str(path)]) == 0
    document = load_policy_file(path).document
    assert document.incomplete_note == (
        "Incomplete: check with your partnership. Stage 4's timescale is not in the text."
    )
    assert str(document.read_on) == "2026-12-04"
    capsys.readouterr()
    assert main(["policies", "--json"]) == 0
    shipped = json.loads(capsys.readouterr().out)
    assert all({"url", "read_on", "completeness"} <= set(p) for p in shipped)


def test_suffolk_parent_complaint_is_worked_out_from_the_minutes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """ "…write within 28 days of receiving the minutes of the meeting": computed from
    the day the minutes came, not only quoted."""
    args = ["suffolk", "conference-dissent", "--raised", "2026-12-18"]
    assert main(["deadlines", *args, "--other-from", "2026-12-21", "--json"]) == 0
    other = json.loads(capsys.readouterr().out)["other_deadlines"]
    assert other == [
        {
            "title": "Parent or carer complaint about the conference",
            "due": "2027-01-18",
            "rule": "28 calendar days from Mon 21/12/2026 "
            "(receiving the minutes of the conference)",
        }
    ]
    assert main(["deadlines", *args]) == 0
    assert "give --other-from DATE to work it out" in capsys.readouterr().out
    assert main(["deadlines", *args, "--json"]) == 0  # the documented shape, unasked
    assert set(json.loads(capsys.readouterr().out)) == {"policy", "pathway", "nation", "stages"}
    said = refused(
        capsys, "york", "resolution", "--raised", "2026-12-18", "--other-from", "2026-12-21"
    )
    assert said == "error: --other-from: the york resolution pathway has no other deadlines."


def test_a_date_written_the_english_way_is_told_the_form_the_command_reads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    said = refused(capsys, "york", "resolution", "--raised", "18/12/2026")
    assert "'18/12/2026' is not a real date in the form YYYY-MM-DD" in said
    assert said.endswith("(write it as 2026-12-18).")
    said = refused(capsys, "york", "resolution", "--raised", "2026-02-31")
    assert "'2026-02-31' is not a real date" in said
