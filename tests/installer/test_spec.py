"""The PyInstaller spec, run with stand-ins for PyInstaller's build classes: fast, and on
Linux it can still show what the spec would build on Windows."""

from __future__ import annotations

import glob
import sys
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest

from tests.installer.conftest import INSTALLER, ROOT

SPEC = INSTALLER / "escalation_tracker.spec"


class Recorded:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs


class FakeAnalysis(Recorded):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        self.binaries: list[Any] = []
        self.datas: list[tuple[str, str, str]] = [
            ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA"),
            ("policies/york.toml", "/x/york.toml", "DATA"),
        ]
        self.system_library_exceptions: list[str] | None = None

    def exclude_system_libraries(self, list_of_exceptions: list[str] | None = None) -> None:
        self.system_library_exceptions = list_of_exceptions


def run_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str) -> dict[str, Any]:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, includes=None, **_: [  # type: ignore[attr-defined]
        (f"/site/{package}/{i}", package) for i in includes or []
    ]
    hooks.collect_submodules = lambda package, *_a, **_k: [package]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda name: [(f"/site/{name}.dist-info", ".")]  # type: ignore[attr-defined]
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in (
        "FixedFileInfo",
        "StringFileInfo",
        "StringStruct",
        "StringTable",
        "VarFileInfo",
        "VarStruct",
        "VSVersionInfo",
    ):
        setattr(versioninfo, name, type(name, (Recorded,), {}))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.win32.versioninfo", versioninfo)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "platform", platform)
    (tmp_path / "EscalationTracker").mkdir()
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "SPECPATH": str(INSTALLER),
        "DISTPATH": str(tmp_path),
        "Analysis": FakeAnalysis,
        "PYZ": type("PYZ", (Recorded,), {}),
        "EXE": type("EXE", (Recorded,), {}),
        "COLLECT": type("COLLECT", (Recorded,), {}),
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return namespace


def pyproject_version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def test_version_is_read_from_pyproject_not_written_in_the_spec(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert pyproject_version() not in text
    spec = run_spec(monkeypatch, tmp_path, "linux")
    assert spec["VERSION"] == pyproject_version()


def test_windows_build_has_a_windowed_and_a_console_exe_with_version_resources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = run_spec(monkeypatch, tmp_path, "win32")
    exes = spec["coll"].args[:2]
    assert [(e.kwargs["name"], e.kwargs["console"]) for e in exes] == [
        ("EscalationTracker", False),
        ("escalation-tracker-cli", True),
    ]
    for exe in exes:
        assert exe.kwargs["upx"] is False and exe.kwargs["exclude_binaries"] is True
        info = exe.kwargs["version"]
        strings = {s.args[0]: s.args[1] for s in info.kwargs["kids"][0].args[0][0].args[1]}
        assert strings["ProductVersion"] == pyproject_version()
    assert spec["STRIP"] is False
    assert spec["a"].system_library_exceptions is None  # Windows never bundles system DLLs
    assert not (tmp_path / "EscalationTracker" / "escalation-tracker-cli").exists()


def test_linux_build_has_one_exe_and_the_cli_name_links_to_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = run_spec(monkeypatch, tmp_path, "linux")
    exes = [arg for arg in spec["coll"].args if type(arg).__name__ == "EXE"]
    assert [e.kwargs["name"] for e in exes] == ["EscalationTracker"]
    link = tmp_path / "EscalationTracker" / "escalation-tracker-cli"
    assert link.is_symlink() and str(link.readlink()) == "EscalationTracker"
    assert spec["STRIP"] is True
    assert "libcrypto*" in (spec["a"].system_library_exceptions or [])


def test_bundles_resources_migrations_and_hidden_imports(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = run_spec(monkeypatch, tmp_path, "linux")
    analysis = spec["a"]
    datas = dict((dest, src) for src, dest in analysis.kwargs["datas"] if "/site/" not in src)
    assert set(datas) >= {
        "policies",
        "resources",
        "app/storage/migrations",
        "app/storage/migrations/versions",
    }
    for src, _dest in analysis.kwargs["datas"]:
        if "/site/" not in src:
            assert glob.glob(src), f"{src} matches no file"
    sources = [src for src, _ in analysis.kwargs["datas"]]
    assert any(s.endswith("env.py") for s in sources)
    assert any(s.endswith("script.py.mako") for s in sources)
    hidden = set(analysis.kwargs["hiddenimports"])
    assert {
        "sqlalchemy.dialects.sqlite.pysqlcipher",
        "sqlcipher3",
        "ui",  # imported by name from app.cli, so invisible to PyInstaller's scan
        "app",
    } <= hidden
    excludes = set(analysis.kwargs["excludes"])
    for module in (
        "PySide6.QtWebEngineCore",
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.Qt3DCore",
        "PySide6.QtMultimedia",
        "PySide6.QtNetwork",
        "tkinter",
        "pytest",
        "hypothesis",
        "holidays",  # bank holidays ship as a generated table
        "_codecs_jp",  # legacy CJK encodings: every file is UTF-8
        "charset_normalizer",
    ):
        assert module in excludes
    assert analysis.kwargs["hookspath"] == [str(INSTALLER / "hooks")]
    # Qt translations are dropped, everything else kept.
    assert [d[0] for d in analysis.datas] == ["policies/york.toml"]


def test_qt_hook_drops_network_and_embedded_plugins() -> None:
    namespace: dict[str, Any] = {"__file__": str(INSTALLER / "hooks" / "hook-PySide6.QtGui.py")}
    source = (INSTALLER / "hooks" / "hook-PySide6.QtGui.py").read_text(encoding="utf-8")
    # Only the filter, not PyInstaller's collection.
    exec(compile(source.split("hiddenimports, binaries")[0], "hook", "exec"), namespace)
    dropped = namespace["_dropped"]
    plugins = "/site/PySide6/Qt/plugins/"
    assert dropped(plugins + "platforms/libqvnc.so")
    assert dropped(plugins + "generic/libqtuiotouchplugin.so")
    assert dropped("C:\\site\\PySide6\\plugins\\generic\\qtuiotouchplugin.dll")
    assert not dropped("C:\\site\\PySide6\\plugins\\platforms\\qwindows.dll")
    assert not dropped(plugins + "platforms/libqoffscreen.so")
    assert not dropped(plugins + "platforms/libqxcb.so")
    assert not dropped(plugins + "imageformats/libqsvg.so")
    assert not dropped(plugins + "printsupport/libcupsprintersupport.so")
    # Wayland makes room for the fonts (xcb runs through XWayland); input methods stay.
    assert dropped(plugins + "platforms/libqwayland.so")
    assert dropped(plugins + "wayland-shell-integration/libxdg-shell.so")
    assert not dropped(plugins + "platforminputcontexts/libibusplatforminputcontextplugin.so")
