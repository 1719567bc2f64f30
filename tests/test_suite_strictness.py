"""The suite's own strictness (pyproject.toml's pytest options): a Python warning, a Qt
warning and an xfail that unexpectedly passes each fail a test, and a hang is cut off."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["pytester"]

PROBES = """
import time
import warnings

import pytest
from PySide6.QtCore import qWarning


def test_python_warning():
    warnings.warn("deprecated", DeprecationWarning, stacklevel=1)


def test_qt_warning(qtbot):
    qWarning("something went wrong in Qt")


def test_offscreen_limitation_is_not_a_failure(qtbot):
    qWarning("This plugin does not support raise()")


@pytest.mark.xfail(reason="expected to fail")
def test_unexpected_pass():
    pass


@pytest.mark.timeout(2)
def test_hang():
    time.sleep(60)
"""


def test_warnings_unexpected_passes_and_hangs_fail(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytester.mkpydir("tests")
    (pytester.path / "tests" / "test_probes.py").write_text(PROBES, encoding="utf-8")
    result = pytester.runpytest_subprocess("-n0", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=4)
    result.stdout.fnmatch_lines(["*Timeout*"])
