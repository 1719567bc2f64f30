"""Build the real bundle with PyInstaller and run ``--self-test`` from it with no network:
the check that the frozen app finds its policies, fonts, migrations, bank holidays,
SQLCipher, ReportLab, PDFium and Qt plugins. About a minute on two cores."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.installer.conftest import holding
from tests.installer.test_selftest import check_report

MAX_BUNDLE_MB = 150


@pytest.fixture
def bundle(build_module: ModuleType) -> Iterator[Path]:
    """One build per set of inputs, shared by the tests on every xdist worker and reused
    by later runs while nothing it is made of changes (``build.py --reuse``). Each test
    holds the lock while it uses the bundle (one of them adds a file to it): the first to
    get it builds, the others wait, then reuse that build."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra")
    cache: Path = build_module.DEFAULT_CACHE
    with holding(cache / "bundle", "the bundle"):
        started = time.perf_counter()
        built: Path = build_module.cached_bundle(cache)
        print(f"bundle ready in {time.perf_counter() - started:.0f} s")
        yield built


def run_offline(build_module: ModuleType, bundle: Path) -> subprocess.CompletedProcess[str]:
    prefix, how = build_module.offline_prefix()
    print(f"network during the self-test: {how}")
    return subprocess.run(
        [*prefix, str(build_module.cli_executable(bundle)), "--self-test"],
        capture_output=True,
        text=True,
        env=build_module.self_test_environment(),
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.timeout(1200)  # the first to run builds the bundle
def test_frozen_bundle_passes_its_self_test_offline(build_module: ModuleType, bundle: Path) -> None:
    result = run_offline(build_module, bundle)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = check_report(result.stdout)
    assert "(frozen," in lines[0]
    # The window step really ran in the bundle (Qt plugins, offscreen platform).
    assert any(line.startswith("ok  open main window offscreen") for line in lines)
    assert "per-user: " in lines[1] and f"program folder {bundle}" in lines[1]


@pytest.mark.slow
@pytest.mark.timeout(1200)  # the first to run builds the bundle
def test_frozen_bundle_in_portable_mode(build_module: ModuleType, bundle: Path) -> None:
    marker = bundle / "portable.txt"
    marker.touch()
    try:
        result = run_offline(build_module, bundle)
    finally:
        marker.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ok  locate data folder (portable: {bundle / 'data'};" in result.stdout
    assert not (bundle / "data").exists()  # the self-test never writes to the data folder


@pytest.mark.slow
@pytest.mark.timeout(1200)  # the first to run builds the bundle
def test_bundle_is_under_the_size_limit(build_module: ModuleType, bundle: Path) -> None:
    size_mb = build_module.bundle_size(bundle) / 1_000_000
    print(f"bundle size {size_mb:.1f} MB")
    missing = [tool for tool in ("icupkg", "readelf", "cc") if shutil.which(tool) is None]
    assert size_mb < MAX_BUNDLE_MB, (
        f"bundle {size_mb:.1f} MB; ICU's data was not trimmed: {', '.join(missing)} missing "
        "(installer/inno_tools.sh installs them)"
        if missing and sys.platform.startswith("linux")
        else f"bundle {size_mb:.1f} MB"
    )
    assert (bundle / "_internal" / "policies").is_dir()
    assert (bundle / "_internal" / "app" / "storage" / "migrations" / "env.py").is_file()
