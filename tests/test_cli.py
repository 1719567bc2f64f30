"""The CLI contract (README.md, The command line): output shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.policy_data import policy_dict, policy_toml

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_deadlines_json_shape_and_guide_example() -> None:
    result = run("deadlines", "gloucestershire", "resolution", "--raised", "2026-12-18", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"policy", "pathway", "nation", "stages"}
    assert (out["policy"], out["pathway"], out["nation"]) == (
        "gloucestershire",
        "resolution",
        "england",
    )
    first = out["stages"][0]
    assert set(first) == {"number", "title", "owner", "start", "due", "rule"}
    assert first["number"] == 1 and first["start"] == "2026-12-18"
    assert first["due"] == "2026-12-29"


def test_deadlines_hours_print_date_and_time(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["deadlines", "north-yorkshire", "resolution", "--raised", "2026-11-20T15:30", "--json"]
    )
    assert code == 0
    stages = json.loads(capsys.readouterr().out)["stages"]
    assert stages[0]["due"] == "2026-11-24T15:30"


def test_deadlines_stage_start_protect_by_and_nation(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "deadlines",
            "gloucestershire",
            "resolution",
            "--raised",
            "2026-12-18",
            "--stage-start",
            "2=2026-12-31",
            "--protect-by",
            "2027-01-05",
            "--nation",
            "scotland",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["nation"] == "scotland"
    assert out["stages"][1]["start"] == "2026-12-31"
    assert out["stages"][1]["due"] == "2027-01-05"  # child-safety date is sooner
    assert "Child-safety date" in out["stages"][1]["rule"]


def test_deadlines_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines", "york", "conference-dissent", "--raised", "2026-12-24"]) == 0
    text = capsys.readouterr().out
    # 2 working days from Thu 24/12: Fri 25 and Mon 28 are bank holidays, so Tue 29
    # is day 1 and Wed 30 day 2.
    assert "due: Wed 30/12/2026" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["deadlines", "kent", "resolution", "--raised", "2026-01-01"], "no policy 'kent'"),
        (["deadlines", "york", "stop-and-review", "--raised", "2026-01-01"], "no pathway"),
        (["deadlines", "york", "resolution", "--raised", "2026-02-30"], "not a real date"),
        (["deadlines", "york", "resolution", "--raised", "yesterday"], "not a real date"),
        (
            [
                "deadlines",
                "york",
                "resolution",
                "--raised",
                "2026-01-05",
                "--stage-start",
                "9=2026-01-06",
            ],
            "Stage 9 does not exist",
        ),
        (
            ["deadlines", "york", "resolution", "--raised", "2026-01-05", "--stage-start", "two"],
            "must look like N=",
        ),
        (
            [
                "deadlines",
                "york",
                "resolution",
                "--raised",
                "2026-01-05",
                "--protect-by",
                "2026-01-09T10:00",
            ],
            "without a time",
        ),
        (
            ["deadlines", "york", "resolution", "--raised", "2026-01-01", "--nation", "kent"],
            "invalid choice",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], words: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert "Traceback" not in result.stderr


def test_policies_lists_every_shipped_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies", "--json"]) == 0
    policies = json.loads(capsys.readouterr().out)
    shipped = Path(__file__).resolve().parent.parent / "policies"
    assert [p["id"] for p in policies] == sorted(f.stem for f in shipped.glob("*.toml"))
    assert {"buckinghamshire", "gloucestershire", "north-yorkshire", "suffolk", "york"} <= {
        p["id"] for p in policies
    }
    # Every shipped document predates Working Together 2023 or is undated.
    assert all(p["currency_note"] for p in policies)


def test_policies_check_good_and_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "testshire.toml"
    good.write_text(policy_toml(), encoding="utf-8")
    result = run("policies", "check", str(good))
    assert result.returncode == 0 and "OK" in result.stdout
    data = policy_dict()
    data["pathways"][0]["stages"][0]["timescales"][0]["unit"] = "weeks"
    bad = tmp_path / "testshire.toml"
    bad.write_text(policy_toml(data), encoding="utf-8")
    result = run("policies", "check", str(bad))
    assert result.returncode == 2
    assert "pathways[0].stages[0].timescales[0].unit" in result.stderr
    assert str(bad) in result.stderr
    assert "Traceback" not in result.stderr
