"""Compile ``installer/escalation_tracker.iss`` with the real Inno Setup compiler: ISCC.exe
itself on Windows, under Wine elsewhere (``installer/inno_tools.sh`` installs Wine and the
compiler from the npm package ``innosetup``). Nothing is downloaded here.

The compiler's output is parsed: every ``Warning:`` and ``Error`` line is reported, and a
compile counts as clean only with neither. A compile is kept in ``build/setup-cache`` and
reused while the bundle, the script, the generated ``version.iss``, the ``/D`` defines and
the compiler are the same.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ISS = HERE / "escalation_tracker.iss"
VERSION_ISS = HERE / "version.iss"
NPM_ISCC = ROOT / "build" / "innosetup" / "node_modules" / "innosetup" / "bin" / "ISCC.exe"
WINE_PREFIX = ROOT / "build" / "wineprefix"
DEFAULT_CACHE = ROOT / "build" / "setup-cache"
TOOLS_SCRIPT = "installer/inno_tools.sh"

# A new Wine prefix offers to download Mono and Gecko: "mscoree,mshtml=" turns both off
# (ISCC needs neither). winemenubuilder would copy the installed app's shortcuts into this
# Linux desktop's own menu.
WINE_DLL_OVERRIDES = "mscoree,mshtml=;winemenubuilder.exe=d"
# Wine's default is Windows 7, which the setup refuses (MinVersion=10.0).
WINE_WINDOWS_VERSION = "win10"
PREFIX_READY = "escalation-tracker-ready"
LOG_NAME = "iscc.log"
COMPILE_TIMEOUT = 900


@dataclass(frozen=True)
class Compiler:
    """How to run ISCC.exe here: directly, or through Wine with its environment."""

    command: tuple[str, ...]
    env: dict[str, str] = field(repr=False)
    wine: bool = False

    def path(self, path: Path) -> str:
        """A path as the Windows program sees it (Wine maps the Linux root to Z:)."""
        if not self.wine:
            return str(path.resolve())
        return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_environment(prefix: Path = WINE_PREFIX) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        WINEPREFIX=str(prefix),
        WINEDEBUG="-all",
        WINEDLLOVERRIDES=WINE_DLL_OVERRIDES,
        WINEARCH="win64",
    )
    return env


def find_native_iscc() -> Path | None:
    """ISCC.exe on the PATH (GitHub's Windows runners have it there) or in its usual places."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return Path(base) / "Inno Setup 6" / "ISCC.exe"
    local = os.environ.get("LOCALAPPDATA")
    if local and (Path(local) / "Programs" / "Inno Setup 6" / "ISCC.exe").exists():
        return Path(local) / "Programs" / "Inno Setup 6" / "ISCC.exe"
    return None


def find_compiler(prefix: Path = WINE_PREFIX) -> Compiler | str:
    """The compiler, or why there is none (a sentence naming what to install)."""
    if sys.platform == "win32":
        native = find_native_iscc()
        if native is None:
            return "ISCC.exe (Inno Setup 6) is not installed or not on the PATH"
        return Compiler((str(native),), dict(os.environ), wine=False)
    wine = shutil.which("wine")
    if wine is None:
        return f"Wine is not installed (run {TOOLS_SCRIPT}, or make installer)"
    if not NPM_ISCC.is_file():
        return f"Inno Setup's compiler is not in {NPM_ISCC.parent} (run {TOOLS_SCRIPT})"
    return Compiler((wine, str(NPM_ISCC)), wine_environment(prefix), wine=True)


def prepare_prefix(compiler: Compiler) -> None:
    """Create the Wine prefix once (about 15 s) and set its Windows version; then let its
    wineserver exit, so that a later run with a display starts a server that has one."""
    if not compiler.wine:
        return
    prefix = Path(compiler.env["WINEPREFIX"])
    if (prefix / PREFIX_READY).exists():
        return
    wine = compiler.command[0]
    version = [r"HKCU\Software\Wine", "/v", "Version", "/d", WINE_WINDOWS_VERSION, "/f"]
    for command in ([wine, "wineboot", "--init"], [wine, "reg", "add", *version]):
        # No pipes: Wine's server would inherit them and keep them open after the command.
        subprocess.run(
            command,
            env=compiler.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=300,
        )
    wait_for_wineserver(compiler)
    (prefix / PREFIX_READY).write_text(WINE_WINDOWS_VERSION, encoding="utf-8")


def wait_for_wineserver(compiler: Compiler) -> None:
    """Wait until every Wine process in the prefix has ended and its server has exited."""
    if compiler.wine:
        server = shutil.which("wineserver") or "wineserver"
        subprocess.run([server, "-w"], env=compiler.env, check=False, timeout=300)


@dataclass(frozen=True)
class IsccReport:
    returncode: int
    output: str
    warnings: tuple[str, ...]
    errors: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return self.returncode == 0 and not self.warnings and not self.errors

    def problems(self) -> str:
        lines = [*self.errors, *self.warnings]
        if self.returncode != 0:
            lines.append(f"ISCC exited with status {self.returncode}")
        return "\n".join(lines)


# The compiler's "Warning: ..." and the preprocessor's "Line 1: Warning: ..."; errors are
# "Error on line N in FILE: ..." (either stage), then "Compile aborted.".
_WARNING = re.compile(r"\bWarning: ")
_ERROR = re.compile(r"^(Error\b|Compile aborted\.)")


def parse_iscc_output(output: str, returncode: int) -> IsccReport:
    lines = [line.strip() for line in output.splitlines()]
    warnings = tuple(line for line in lines if _WARNING.search(line))
    errors = tuple(line for line in lines if _ERROR.match(line))
    return IsccReport(returncode, output, warnings, errors)


def iscc_arguments(
    compiler: Compiler,
    script: Path,
    output_dir: Path,
    defines: Mapping[str, str],
) -> list[str]:
    return [
        *compiler.command,
        *(f"/D{name}={value}" for name, value in defines.items()),
        f"/O{compiler.path(output_dir)}",
        compiler.path(script),
    ]


def run_iscc(
    compiler: Compiler,
    script: Path,
    output_dir: Path,
    defines: Mapping[str, str] | None = None,
) -> IsccReport:
    """Compile once, without any cache, writing ISCC's whole output to ``iscc.log`` in
    ``output_dir`` (quiet mode, /Q, would hide the warnings)."""
    prepare_prefix(compiler)
    output_dir.mkdir(parents=True, exist_ok=True)
    log = output_dir / LOG_NAME
    command = iscc_arguments(compiler, script, output_dir, defines or {})
    try:
        # A file, not a pipe: Wine's server inherits it and outlives ISCC.
        with log.open("wb") as out:
            done = subprocess.run(
                command,
                cwd=script.parent,
                env=compiler.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=COMPILE_TIMEOUT,
                check=False,
            )
    finally:
        wait_for_wineserver(compiler)
    output = log.read_bytes().decode("utf-8", errors="replace")
    return parse_iscc_output(output, done.returncode)


@dataclass(frozen=True)
class CompiledSetup:
    setup: Path
    report: IsccReport
    reused: bool
    seconds: float


def _bundle_fingerprint(bundle: Path) -> bytes:
    """Every file's relative path, size and modification time: the bundle is rebuilt, not
    edited in place, so this changes whenever its contents do."""
    digest = hashlib.sha256()
    for path in sorted(bundle.rglob("*")):
        if path.is_file():
            info = path.stat()
            name = path.relative_to(bundle).as_posix()
            digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.digest()


def compile_key(
    bundle: Path, compiler: Compiler, defines: Mapping[str, str], script: Path = ISS
) -> str:
    digest = hashlib.sha256()
    for text in (script.read_bytes(), (script.parent / VERSION_ISS.name).read_bytes()):
        digest.update(hashlib.sha256(text).digest())
    digest.update(repr(sorted(defines.items())).encode())
    iscc = Path(compiler.command[-1])
    digest.update(hashlib.sha256(iscc.read_bytes()).digest())
    digest.update(_bundle_fingerprint(bundle))
    return digest.hexdigest()[:16]


def compile_setup(
    bundle: Path,
    compiler: Compiler,
    *,
    label: str,
    defines: Mapping[str, str] | None = None,
    cache: Path = DEFAULT_CACHE,
    script: Path = ISS,
) -> CompiledSetup:
    """The setup for this bundle, compiled into ``cache/<label>-<key>`` or reused from
    there. ISCC's output is kept beside it, so a reused compile reports the same warnings.
    A failed compile is not kept. Older compiles with the same label are removed. Not safe
    for two callers at once with one label: the tests hold a lock."""
    started = time.perf_counter()
    all_defines = {"DistDir": compiler.path(bundle), **(defines or {})}
    key = compile_key(bundle, compiler, all_defines, script)
    folder = cache / f"{label}-{key}"
    done = folder / "complete"
    reused = done.exists()
    if reused:
        output = (folder / LOG_NAME).read_bytes().decode("utf-8", errors="replace")
        report = parse_iscc_output(output, int(done.read_text(encoding="utf-8")))
    else:
        shutil.rmtree(folder, ignore_errors=True)
        report = run_iscc(compiler, script, folder, all_defines)
        if report.returncode == 0:
            done.write_text("0", encoding="utf-8")
    for other in cache.glob(f"{label}-*"):
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    setups: Sequence[Path] = sorted(folder.glob("*-setup.exe"))
    setup = setups[0] if setups else folder / "missing-setup.exe"
    return CompiledSetup(setup, report, reused, time.perf_counter() - started)
