"""The build scripts' Windows branches, run here with ``sys.platform`` and the places
Windows keeps programs replaced: the .exe names, no operating-system network cut, and
finding the native Inno Setup compiler instead of Wine."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.installer.conftest import INSTALLER


@pytest.fixture
def windows_build(monkeypatch: pytest.MonkeyPatch, build_module: ModuleType) -> ModuleType:
    """installer/build.py as Windows imports it (its .exe suffix is fixed at import)."""
    spec = importlib.util.spec_from_file_location("windows_build", INSTALLER / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "windows_build", module)
    spec.loader.exec_module(module)
    return module


def test_windows_bundle_programs_are_exes(windows_build: ModuleType, tmp_path: Path) -> None:
    assert windows_build.cli_executable(tmp_path) == tmp_path / "escalation-tracker-cli.exe"


def test_windows_self_test_relies_on_its_own_socket_block(windows_build: ModuleType) -> None:
    """No network namespace on Windows: the self-test's own refusal of every Python
    socket is the cut (the workflow adds a firewall rule)."""
    prefix, how = windows_build.offline_prefix()
    assert prefix == [] and "blocks Python sockets itself" in how


@pytest.fixture
def no_iscc_on_path(monkeypatch: pytest.MonkeyPatch, inno_module: ModuleType) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(inno_module.shutil, "which", lambda _name: None)
    for name in ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)


def fake_iscc(folder: Path) -> Path:
    iscc = folder / "Inno Setup 6" / "ISCC.exe"
    iscc.parent.mkdir(parents=True)
    iscc.write_bytes(b"MZ")
    return iscc


@pytest.mark.usefixtures("no_iscc_on_path")
def test_windows_uses_the_installed_compiler_not_wine(
    inno_module: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "ISCC.exe (Inno Setup 6) is not installed" in inno_module.find_compiler()
    # A per-user Inno Setup install, then the usual machine-wide one, which wins.
    per_user = fake_iscc(tmp_path / "Local" / "Programs")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert inno_module.find_compiler().command == (str(per_user),)
    machine = fake_iscc(tmp_path / "Program Files (x86)")
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path / "Program Files (x86)"))
    compiler = inno_module.find_compiler()
    assert compiler.command == (str(machine),) and not compiler.wine
    # Paths are handed over as they are, not through Wine's Z: drive.
    arguments = inno_module.iscc_arguments(
        compiler, tmp_path / "x.iss", tmp_path / "out", {"DistDir": "D:\\bundle"}
    )
    assert arguments == [
        str(machine),
        "/DDistDir=D:\\bundle",
        f"/O{(tmp_path / 'out').resolve()}",
        str((tmp_path / "x.iss").resolve()),
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="Wine's Z: drive maps a Unix root")
def test_on_linux_the_compiler_runs_under_wine_with_nothing_to_download(
    inno_module: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(inno_module.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(inno_module, "NPM_ISCC", fake_iscc(tmp_path))
    compiler = inno_module.find_compiler(tmp_path / "prefix")
    assert compiler.wine and compiler.command == ("/usr/bin/wine", str(inno_module.NPM_ISCC))
    assert compiler.env["WINEPREFIX"] == str(tmp_path / "prefix")
    # No Mono or Gecko download offer, no shortcuts in this desktop's menu.
    overrides = compiler.env["WINEDLLOVERRIDES"].split(";")
    assert "mscoree,mshtml=" in overrides and "winemenubuilder.exe=d" in overrides
    assert compiler.path(Path("/work/dist/App")) == "Z:\\work\\dist\\App"
    monkeypatch.setattr(inno_module.shutil, "which", lambda _name: None)
    assert "Wine is not installed" in inno_module.find_compiler(tmp_path / "prefix")
