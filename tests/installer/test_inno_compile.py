"""The installer script compiled by the real Inno Setup compiler (ISCC.exe; under Wine on
Linux, installed by installer/inno_tools.sh), failing on any error or warning it prints;
and, under Wine, the setup installed and uninstalled silently for one user.

Where Wine, the compiler or a virtual display is missing, the test says so as a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.installer.conftest import INSTALLER, holding

# Compression is the slowest part (lzma2/max: about 100 s on two cores; fast: 15 s; none:
# 5 s) and the one setting that does not change what the script means. The release build
# (make installer) compiles with the script's own lzma2/max; the compile check still
# compresses, the install under Wine need not.
FAST = {"Compression": "lzma2/fast"}
STORED = {"Compression": "none"}
# Wine 8 cannot expand {autopf} for a per-user install (its shell32 refuses the known
# folder UserProgramFiles); this is the folder {autopf} stands for there on Windows.
WINE_PROGRAMS = {"ProgramsFolder": r"{localappdata}\Programs"}

# Real ISCC 6.4.1 output, trimmed: a clean compile, one with a preprocessor and a compiler
# warning, and one that failed.
CLEAN = """\
Compiler engine version: Inno Setup 6.4.1

Preprocessing
Parsing [Setup] section, line 25
   Compressing: Z:\\work\\dist\\EscalationTracker\\_internal\\base_library.zip
   Compressing Setup program executable


Successful compile (15.123 sec). Resulting Setup program filename is:
Z:\\work\\build\\EscalationTracker-0.1.0-setup.exe
"""
WARNED = """\
Preprocessing
   Line 1: Warning: a warning from the preprocessor
Parsing [Setup] section, line 3
   Compressing Setup program executable

Warning: Constant "pf" has been renamed. Use "commonpf" instead or consider using its \
"auto" form.

Successful compile (0.795 sec). Resulting Setup program filename is:
"""
FAILED = """\
Parsing [Setup] section, line 3
Error on line 3 in Z:\\tmp\\tiny\\bad.iss: Unrecognized [Setup] section directive "Foo"
Compile aborted.
"""


def test_parser_passes_a_clean_compile(inno_module: ModuleType) -> None:
    report = inno_module.parse_iscc_output(CLEAN, 0)
    assert report.clean and report.warnings == () and report.errors == ()


def test_parser_finds_both_kinds_of_warning(inno_module: ModuleType) -> None:
    report = inno_module.parse_iscc_output(WARNED, 0)
    assert not report.clean
    assert report.warnings == (
        "Line 1: Warning: a warning from the preprocessor",
        'Warning: Constant "pf" has been renamed. Use "commonpf" instead or consider using '
        'its "auto" form.',
    )
    assert "pf" in report.problems()


def test_parser_finds_errors_and_a_failed_exit(inno_module: ModuleType) -> None:
    report = inno_module.parse_iscc_output(FAILED, 2)
    assert not report.clean
    assert report.errors[0].startswith("Error on line 3 in ")
    assert report.errors[1] == "Compile aborted."
    assert "ISCC exited with status 2" in report.problems()
    # A non-zero exit alone is a failure too, whatever was printed.
    assert not inno_module.parse_iscc_output(CLEAN, 1).clean


@pytest.fixture(scope="module")
def compiler(inno_module: ModuleType) -> Any:
    found = inno_module.find_compiler()
    if isinstance(found, str):
        pytest.skip(found)
    return found


def wine_lock(inno_module: ModuleType, compiler: Any) -> AbstractContextManager[None]:
    """One user of the Wine prefix at a time: its creation, and a server started without a
    display (ISCC) must not be the one a setup that needs a display finds."""
    if not compiler.wine:
        return nullcontext()
    return holding(inno_module.WINE_PREFIX, "the Wine prefix")


@pytest.mark.slow
def test_the_real_compiler_reports_warnings_and_errors(
    inno_module: ModuleType, compiler: Any, tmp_path: Path
) -> None:
    """The check below can fail: ISCC's own words for a warning and an error are caught."""
    common = "AppName=Tiny\nAppVersion=1\nPrivilegesRequired=lowest\nOutputDir=out\n"
    warned = tmp_path / "warned.iss"
    warned.write_text(
        '#pragma warning "a warning from the preprocessor"\n'
        f"[Setup]\n{common}DefaultDirName={{pf}}\\Tiny\n"
        '[Files]\nSource: "warned.iss"; DestDir: "{app}"\n',
        encoding="utf-8",
    )
    failed = tmp_path / "failed.iss"
    failed.write_text(
        f"[Setup]\n{common}DefaultDirName={{autopf}}\\Tiny\nFoo=bar\n", encoding="utf-8"
    )
    with wine_lock(inno_module, compiler):
        warnings = inno_module.run_iscc(compiler, warned, tmp_path / "out")
        errors = inno_module.run_iscc(compiler, failed, tmp_path / "out")
    assert warnings.returncode == 0, warnings.output
    assert len(warnings.warnings) == 2, warnings.output
    assert errors.returncode != 0 and errors.errors, errors.output
    assert any('"Foo"' in line for line in errors.errors)


@dataclass(frozen=True)
class Compiled:
    setup: Path
    files: dict[str, int]  # the bundle's files (relative path to size) it was made from


def compile_for_test(
    build_module: ModuleType,
    inno_module: ModuleType,
    compiler: Any,
    label: str,
    defines: dict[str, str],
) -> Compiled:
    """Compile against the cached bundle, holding the bundle (another test adds a file to
    it) and the Wine prefix; reused while nothing it reads has changed."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra")
    build_module.write_version_iss(build_module.read_project_info())
    cache: Path = build_module.DEFAULT_CACHE
    with holding(cache / "bundle", "the bundle"):
        bundle: Path = build_module.cached_bundle(cache)
        with wine_lock(inno_module, compiler):
            compiled = inno_module.compile_setup(bundle, compiler, label=label, defines=defines)
        files = {
            path.relative_to(bundle).as_posix(): path.stat().st_size
            for path in bundle.rglob("*")
            if path.is_file()
        }
    how = "reused" if compiled.reused else "compiled"
    print(f"{how} {compiled.setup.name} in {compiled.seconds:.0f} s")
    assert compiled.report.clean, compiled.report.problems() + "\n" + compiled.report.output
    assert compiled.setup.is_file()
    return Compiled(compiled.setup, files)


@pytest.mark.slow
@pytest.mark.timeout(1200)  # may wait for another worker's bundle build
def test_installer_script_compiles_without_errors_or_warnings(
    build_module: ModuleType, inno_module: ModuleType, compiler: Any
) -> None:
    compiled = compile_for_test(build_module, inno_module, compiler, "test", FAST)
    print(f"setup {compiled.setup.stat().st_size / 1e6:.1f} MB")
    log = (compiled.setup.parent / inno_module.LOG_NAME).read_text(encoding="utf-8")
    # Every file of the bundle went into the setup ([Files] found them all).
    assert log.count("Compressing: ") == len(compiled.files)
    assert compiled.setup.name.endswith(f"-{build_module.read_project_info().version}-setup.exe")


# --- Installing under Wine ------------------------------------------------------------


def app_id() -> str:
    found = re.search(
        r"(?m)^AppId=\{\{([0-9A-F-]+)\}",
        (INSTALLER / "escalation_tracker.iss").read_text(encoding="utf-8"),
    )
    assert found
    return "{" + found.group(1) + "}"


# A silent install or uninstall takes seconds; one still running after this waits for an
# answer nobody can give (Inno Setup does not suppress a [Code] MsgBox).
WINE_SESSION_TIMEOUT = 300


def run_wine(compiler: Any, inno_module: ModuleType, args: list[str], *, display: bool) -> int:
    """One Wine session: the command, then wait for the whole prefix to go quiet (the
    uninstaller hands over to a copy of itself) inside the same virtual display."""
    session = 'wine "$@"; status=$?; wineserver -w; exit $status'
    command = ["sh", "-c", session, "sh", *args]
    if display:  # the setup's wizard form is created even when silent, and needs one
        command = ["xvfb-run", "-a", *command]
    inno_module.wait_for_wineserver(compiler)
    process = subprocess.Popen(
        command, env=compiler.env, stdin=subprocess.DEVNULL, start_new_session=True
    )
    try:
        return process.wait(timeout=WINE_SESSION_TIMEOUT)
    except subprocess.TimeoutExpired:
        # Only this session's processes: its process group, and the prefix's Wine server.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        subprocess.run(["wineserver", "-k"], env=compiler.env, check=False, timeout=60)
        pytest.fail(
            f"{args[0]} was still running after {WINE_SESSION_TIMEOUT} s: waiting for an answer?"
        )


def registry_values(compiler: Any, inno_module: ModuleType, key: str) -> dict[str, str] | None:
    """``wine reg query``: the key's values, or None if it does not exist."""
    done = subprocess.run(
        [compiler.command[0], "reg", "query", key],
        env=compiler.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    inno_module.wait_for_wineserver(compiler)
    if done.returncode != 0:
        return None
    values = {}
    for line in done.stdout.splitlines():
        parts = re.split(r"\s{4}", line.strip())
        if len(parts) == 3:
            values[parts[0]] = parts[2]
    return values


@pytest.mark.slow
@pytest.mark.timeout(1200)  # may wait for another worker's bundle build
@pytest.mark.skipif(
    sys.platform == "win32", reason="installs under Wine; the Windows workflow installs for real"
)
def test_silent_per_user_install_and_uninstall_under_wine(
    build_module: ModuleType,
    inno_module: ModuleType,
    project_info: ModuleType,
    compiler: Any,
    tmp_path: Path,
) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (the setup needs a display, even silent)")
    compiled = compile_for_test(
        build_module, inno_module, compiler, "wine-install", {**STORED, **WINE_PROGRAMS}
    )
    import pwd  # Linux only: Wine names the Windows profile after the Unix user

    user = pwd.getpwuid(os.getuid()).pw_name
    profile = inno_module.WINE_PREFIX / "drive_c" / "users" / user
    program = profile / "AppData" / "Local" / "Programs" / "EscalationTracker"
    data = profile / "AppData" / "Local" / "EscalationTracker"
    start_menu = profile / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs"
    shortcut = start_menu / f"{project_info.APP_NAME}.lnk"
    uninstall_key = rf"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\{app_id()}_is1"
    windows_program = rf"C:\users\{user}\AppData\Local\Programs\EscalationTracker"
    log = tmp_path / "setup.log"

    with wine_lock(inno_module, compiler):
        for leftover in (program, data):  # from an earlier run that failed half-way
            shutil.rmtree(leftover, ignore_errors=True)
        shortcut.unlink(missing_ok=True)

        install = [
            compiler.path(compiled.setup),
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            "/NORESTART",
            "/CURRENTUSER",
            f"/LOG={compiler.path(log)}",
        ]
        status = run_wine(compiler, inno_module, install, display=True)
        setup_log = log.read_text(encoding="utf-8-sig", errors="replace") if log.exists() else ""
        assert status == 0, setup_log
        assert "Installation process succeeded." in setup_log

        # The files: exactly the bundle's, plus the uninstaller and its log.
        installed = {
            path.relative_to(program).as_posix(): path.stat().st_size
            for path in program.rglob("*")
            if path.is_file()
        }
        assert installed.pop("unins000.exe") > 0 and "unins000.dat" in installed
        installed.pop("unins000.dat")
        assert installed == compiled.files
        # The Start menu entry, for this user, starting the windowed program.
        link = shortcut.read_bytes()
        assert (
            b"EscalationTracker.exe" in link or "EscalationTracker.exe".encode("utf-16-le") in link
        )
        # The uninstaller, registered for this user only (HKCU), where Settings > Apps looks.
        values = registry_values(compiler, inno_module, uninstall_key)
        assert values is not None, f"no {uninstall_key}"
        assert values["DisplayName"] == project_info.APP_NAME
        assert values["UninstallString"] == rf'"{windows_program}\unins000.exe"'
        assert values["InstallLocation"] == windows_program + "\\"

        # A data folder with a file in it, as the app leaves one.
        data.mkdir(parents=True)
        records = data / "escalations.etdb"
        records.write_bytes(b"encrypted records stand-in")
        uninstall = [
            rf"{windows_program}\unins000.exe",
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            "/NORESTART",
            f"/LOG={compiler.path(tmp_path / 'uninstall.log')}",
        ]
        try:
            status = run_wine(compiler, inno_module, uninstall, display=True)
            uninstall_log = (tmp_path / "uninstall.log").read_text(
                encoding="utf-8-sig", errors="replace"
            )
            assert status == 0, uninstall_log
            assert "Uninstallation process succeeded." in uninstall_log
            assert not program.exists() and not shortcut.exists()
            assert registry_values(compiler, inno_module, uninstall_key) is None
            # A silent uninstall never deletes the records.
            assert records.read_bytes() == b"encrypted records stand-in"
        finally:
            shutil.rmtree(data, ignore_errors=True)
