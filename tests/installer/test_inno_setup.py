"""What the Inno Setup compiler cannot check about the script, read from its text: per user
without admin rights, nothing downloaded, version and publisher from pyproject.toml only,
the data kept on uninstall unless the user asks. Whether Inno Setup accepts the script is
for the real compiler (test_inno_compile.py)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from app.paths import APP_NAME
from tests.installer.conftest import INSTALLER, ROOT

ISS = INSTALLER / "escalation_tracker.iss"
DOWNLOAD_WORDS = (
    "http://",
    "https://",
    "ftp://",
    "DownloadTemporaryFile",
    "CreateDownloadPage",
    "idpAddFile",
    "ITD_",
    "URLDownloadToFile",
    "WinHttp",
    "Invoke-WebRequest",
    "bitsadmin",
    "curl",
)


def sections(text: str) -> dict[str, list[str]]:
    """Section name to its lines, without blank lines, comments or preprocessor lines."""
    out: dict[str, list[str]] = {"": []}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            out.setdefault(current, [])
            continue
        out[current].append(line)
    return out


def setup_values(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in sections(text)["Setup"]:
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def entries(text: str, section: str) -> list[dict[str, str]]:
    """``Name: "x"; Flags: y`` lines as dictionaries."""
    out = []
    for line in sections(text).get(section, []):
        fields = {}
        for part in re.findall(r'(\w+):\s*("[^"]*"|[^;]+)', line):
            fields[part[0]] = part[1].strip().strip('"')
        out.append(fields)
    return out


@pytest.fixture(scope="module")
def iss() -> str:
    return ISS.read_text(encoding="utf-8")


def defaults(text: str) -> dict[str, str]:
    """``#ifndef X / #define X "value"``: the value unless ISCC's /DX= sets another."""
    found = re.findall(r'(?m)^#ifndef (\w+)\s*\n\s*#define \1 "([^"]*)"', text)
    return dict(found)


def test_installs_per_user_without_admin_rights(iss: str) -> None:
    setup = setup_values(iss)
    assert setup["PrivilegesRequired"] == "lowest"
    # Users are never offered elevation; only IT may ask for /ALLUSERS on the command line.
    assert setup.get("PrivilegesRequiredOverridesAllowed", "commandline") == "commandline"
    # With lowest privileges {autopf} is %LOCALAPPDATA%\Programs (per user). Only the test
    # under Wine, which cannot expand it, names that folder itself.
    assert setup["DefaultDirName"] == "{#ProgramsFolder}\\{#BundleName}"
    assert defaults(iss)["ProgramsFolder"] == "{autopf}"
    assert setup["UsePreviousAppDir"] == "yes"


def test_the_release_is_compressed_hardest(iss: str) -> None:
    """The tests compile with a faster setting; the shipped setup keeps the smallest."""
    assert setup_values(iss)["Compression"] == "{#Compression}"
    assert defaults(iss)["Compression"] == "lzma2/max"


def test_start_menu_shortcut_to_the_windowed_app(iss: str) -> None:
    icons = entries(iss, "Icons")
    start_menu = [i for i in icons if i["Name"].startswith(("{autoprograms}", "{group}"))]
    assert start_menu and start_menu[0]["Filename"] == "{app}\\{#AppExeName}"


def test_the_start_menu_shortcut_names_the_reminders_app_user_model_id(iss: str) -> None:
    """Windows shows an unpackaged app's notifications under the name and icon of the
    Start menu shortcut whose AppUserModelID the process claims (ui/tray/main.py)."""
    from ui.tray.main import APP_USER_MODEL_ID

    icons = entries(iss, "Icons")
    start_menu = [i for i in icons if i["Name"].startswith("{autoprograms}")]
    assert start_menu[0]["AppUserModelID"] == APP_USER_MODEL_ID
    assert " " not in APP_USER_MODEL_ID and len(APP_USER_MODEL_ID) <= 128


def test_uninstall_removes_the_reminder_at_sign_in(iss: str) -> None:
    """The Run value the app adds with the DSL's consent (app/reminders/autostart.py)
    would start a program that is gone."""
    from app.reminders.autostart import ENTRY_NAME, RUN_KEY

    code = " ".join(" ".join(sections(iss)["Code"]).split())
    assert f"RegDeleteValue(HKEY_CURRENT_USER, '{RUN_KEY}', '{ENTRY_NAME}');" in code


def test_nothing_is_downloaded(iss: str) -> None:
    for word in DOWNLOAD_WORDS:
        assert word.lower() not in iss.lower(), word
    for source in entries(iss, "Files"):
        assert source["Source"].startswith("{#DistDir}"), source
        assert "external" not in source.get("Flags", "")
    for run in entries(iss, "Run"):
        assert run["Filename"].startswith("{app}\\"), run
        assert "skipifsilent" in run["Flags"]


def test_the_only_registry_entry_is_the_per_user_uninstall_key(iss: str) -> None:
    """Inno Setup writes the uninstall key itself (HKCU in a per-user install); the script
    adds nothing, and the app keeps its settings in an INI file (ui/local_settings.py)."""
    assert "Registry" not in sections(iss)
    assert "RegWrite" not in "\n".join(sections(iss)["Code"])
    assert setup_values(iss).get("CreateUninstallRegKey", "yes") == "yes"


def test_version_and_publisher_come_from_pyproject_only(
    iss: str, build_module: ModuleType, project_info: ModuleType
) -> None:
    setup = setup_values(iss)
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["AppPublisher"] == "{#AppPublisher}"
    assert setup["VersionInfoVersion"] == "{#AppVersionNumeric}"
    assert "{#AppVersion}" in setup["OutputBaseFilename"]
    # No version number is written into the script itself.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] not in iss
    assert not re.search(r"(?m)^(?!;).*\b\d+\.\d+\.\d+\b", iss)
    generated = build_module.version_iss_text(project_info.read_project_info())
    assert f'#define AppVersion "{project["version"]}"' in generated
    assert f'#define AppPublisher "{project["authors"][0]["name"]}"' in generated
    # The include is generated, never committed.
    assert "installer/version.iss" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_version_follows_a_changed_pyproject(
    tmp_path: Path, build_module: ModuleType, project_info: ModuleType
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "escalation-tracker"\nversion = "2.3.4rc1"\n'
        'authors = [{ name = "Somebody & Co \\"Ltd\\"" }]\n',
        encoding="utf-8",
    )
    info = project_info.read_project_info(pyproject)
    assert info.version_tuple == (2, 3, 4, 0)
    text = build_module.version_iss_text(info)
    assert '#define AppVersion "2.3.4rc1"' in text
    assert '#define AppVersionNumeric "2.3.4.0"' in text
    assert '#define AppPublisher "Somebody & Co ""Ltd"""' in text  # ISPP doubles quotes


def test_uninstall_keeps_the_data_unless_the_user_asks(
    iss: str, build_module: ModuleType, project_info: ModuleType
) -> None:
    code = "\n".join(sections(iss)["Code"])
    assert "CurUninstallStepChanged" in code and "usPostUninstall" in code
    assert "{localappdata}\\{#DataFolderName}" in code
    # Silent uninstalls never delete; the question defaults to No.
    assert re.search(r"if UninstallSilent\(\) then\s+Exit;", code)
    assert "MsgBox(" in code and "MB_DEFBUTTON2" in code and "= IDYES then" in code
    # Before the question too: a [Code] MsgBox is never suppressed, and would hang it.
    assert code.index("UninstallSilent()") < code.index("MsgBox(") < code.index("DelTree(")
    # Nothing else removes the data folder.
    for line in sections(iss).get("UninstallDelete", []):
        assert "localappdata" not in line.lower() and "data" not in line.lower()
    # The folder named is the one the app writes to (app.paths, platformdirs on Windows:
    # %LOCALAPPDATA%\<APP_NAME>).
    generated = build_module.version_iss_text(project_info.read_project_info())
    assert f'#define DataFolderName "{APP_NAME}"' in generated


def test_silent_install_flags_are_documented(iss: str) -> None:
    flags = "/VERYSILENT /SUPPRESSMSGBOXES /NORESTART"
    assert flags in iss
    assert flags in (ROOT / "docs" / "installing.md").read_text(encoding="utf-8")


def test_the_windows_workflow_checks_this_installer(iss: str) -> None:
    """.github/workflows/windows.yml cannot run here; at least it names the same uninstall
    key, program folder and data folder as the script and the app."""
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    app_id = setup_values(iss)["AppId"].removeprefix("{")  # "{{" escapes "{" in Inno
    assert f"Uninstall\\{app_id}_is1" in workflow
    assert "$env:LOCALAPPDATA\\Programs\\EscalationTracker" in workflow
    assert f"$env:LOCALAPPDATA\\{APP_NAME}" in workflow
    for flag in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER"):
        assert f"'{flag}'" in workflow
