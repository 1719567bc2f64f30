"""The single source of the installer's name, version and publisher: ``pyproject.toml``.

The PyInstaller spec, ``installer/build.py`` (which writes ``installer/version.iss`` for
Inno Setup) and the tests all read the values here, so a release changes one line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

APP_NAME = "Escalation Tracker"
# Folder and executable names (no spaces: friendlier for IT scripts and AppLocker rules).
BUNDLE_NAME = "EscalationTracker"
GUI_EXE = "EscalationTracker"
CLI_EXE = "escalation-tracker-cli"


@dataclass(frozen=True)
class ProjectInfo:
    name: str
    version: str
    publisher: str
    description: str

    @property
    def version_tuple(self) -> tuple[int, int, int, int]:
        """Four numbers for Windows version resources ("0.1.0rc1" gives 0.1.0.0)."""
        numbers = [int(n) for n in re.findall(r"\d+", self.version.split("+")[0])[:3]]
        padded = [*numbers, 0, 0, 0, 0][:4]
        return padded[0], padded[1], padded[2], padded[3]

    @property
    def numeric_version(self) -> str:
        return ".".join(str(n) for n in self.version_tuple)


def read_project_info(pyproject: Path = PYPROJECT) -> ProjectInfo:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    authors = project.get("authors") or [{}]
    return ProjectInfo(
        name=project["name"],
        version=project["version"],
        publisher=authors[0].get("name") or APP_NAME,
        description=project.get("description", ""),
    )
