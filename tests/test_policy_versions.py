"""A policy is its id and its revision: every version loads, the newest is used for new
escalations, an older one stays readable, and two different files claiming the same
version are refused naming both (docs/policy-format.md, Versions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app import paths
from app.cli import main
from app.errors import UnknownPolicyError
from app.policy import PolicyLibrary, parse_policy
from app.policy.versions import key_words, revision_of, version_key, version_words
from tests.policy_data import policy_dict, policy_toml


def revised(revision: int, issued: str = "2026-12-03", owner: str = "Team manager") -> str:
    """Testshire as a DSL's later edit of it: another owner at stage 2."""
    data: dict[str, Any] = policy_dict()
    data["document"].update(revision=revision, issued=issued)
    data["pathways"][0]["stages"][1]["owner"] = owner
    return policy_toml(data)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    shipped, extra = tmp_path / "shipped", tmp_path / "extra"
    shipped.mkdir()
    extra.mkdir()
    (shipped / "testshire.toml").write_text(policy_toml(), encoding="utf-8")
    return shipped, extra


def test_two_versions_of_an_id_both_load_newest_first(folders: tuple[Path, Path]) -> None:
    shipped, extra = folders
    (extra / "testshire.toml").write_text(revised(2), encoding="utf-8")
    (extra / "testshire.r3.toml").write_text(revised(3, owner="Head of Service"), "utf-8")
    library = PolicyLibrary.load(shipped, extra)
    assert library.problems == []
    assert library.ids() == ["testshire"]
    assert [p.document.revision for p in library.versions("testshire")] == [3, 2, 1]
    # New escalations follow the newest; the lists show only it.
    assert library.get("testshire").document.revision == 3
    assert [p.document.revision for p in library.all()] == [3]
    # An older version stays readable by the key an escalation stored for it.
    assert library.get("testshire", "1").pathway("resolution").stage(2).owner == "Line manager"
    assert library.get("testshire", "1 (revision 2)").pathway("resolution").stage(2).owner == (
        "Team manager"
    )
    with pytest.raises(UnknownPolicyError, match="Version '1 \\(revision 9\\)'"):
        library.get("testshire", "1 (revision 9)")


def test_the_order_is_the_revision_not_the_file_or_folder(folders: tuple[Path, Path]) -> None:
    shipped, extra = folders
    # A later revision in the folder read first, an earlier one after it.
    (shipped / "testshire.r2.toml").write_text(revised(2), encoding="utf-8")
    (extra / "testshire.toml").write_text(policy_toml(), encoding="utf-8")  # revision 1 again
    library = PolicyLibrary.load(extra, shipped)
    assert [p.document.revision for p in library.versions("testshire")] == [2, 1]


def test_a_clash_is_refused_naming_both_files(folders: tuple[Path, Path]) -> None:
    shipped, extra = folders
    # Revision 1 again, but saying something else: which one is "version 1"?
    (extra / "testshire.toml").write_text(revised(1, issued="2024-05"), encoding="utf-8")
    library = PolicyLibrary.load(shipped, extra)
    [problem] = library.problems
    assert problem.startswith(f"{extra / 'testshire.toml'}: ")
    assert f"already loaded from {shipped / 'testshire.toml'}" in problem
    assert "revision 1" in problem and "was not loaded" in problem
    # The first file read stays the one version 1.
    assert library.get("testshire").pathway("resolution").stage(2).owner == "Line manager"
    assert len(library.versions("testshire")) == 1


def test_newer_than_offers_only_a_later_version() -> None:
    one = parse_policy(policy_toml(), "one")
    two = parse_policy(revised(2), "two")
    library = PolicyLibrary([one, two])
    assert library.newer_than("testshire", "1") == two
    assert library.newer_than("testshire", "1 (revision 2)") is None
    # A later revision that was removed does not make the remaining one "newer".
    assert library.newer_than("testshire", "1 (revision 5)") is None
    assert library.newer_than("nowhere", "1") is None
    assert library.followed("testshire", "1") == one
    assert library.followed("testshire", "1 (revision 7)") is None


def test_version_keys_and_words() -> None:
    one = parse_policy(policy_toml(), "one")
    two = parse_policy(revised(2), "two")
    assert version_key(one) == "1" and version_key(two) == "1 (revision 2)"
    assert revision_of("1 (revision 2)") == 2 and revision_of("Not stated") == 1
    assert version_words(one) == "the version of May 2024"
    assert version_words(two) == "the version of 03/12/2026 (revision 2)"
    data = policy_dict()
    data["document"] = {"title": "Escalation policy", "version": "Not stated"}
    assert version_words(parse_policy(policy_toml(data), "x")) == "the undated version"
    assert key_words("Not stated (revision 3)") == "the undated version (revision 3)"
    assert key_words("4") == "version 4"


def test_policies_lists_each_id_with_its_versions(
    folders: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _shipped, extra = folders
    (extra / "york.r2.toml").write_text(
        (paths.shipped_policies_dir() / "york.toml")
        .read_text(encoding="utf-8")
        .replace('version = "Not stated"', 'version = "Not stated"\nrevision = 2')
        .replace('issued = "2018-12"', 'issued = "2026-12-03"'),
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "extra_policies_dir", lambda: extra)
    assert main(["policies"]) == 0
    text = capsys.readouterr().out
    assert (
        "versions: revision 2, the version of 03/12/2026 (revision 2) (newest: new "
        "escalations follow it); revision 1, the version of December 2018"
    ) in text
    assert main(["policies", "--json"]) == 0
    york = next(p for p in json.loads(capsys.readouterr().out) if p["id"] == "york")
    assert york["revision"] == 2 and york["issued"] == "2026-12-03"
    assert [(v["revision"], v["version_key"], v["issued"]) for v in york["versions"]] == [
        (2, "Not stated (revision 2)", "2026-12-03"),
        (1, "Not stated", "2018-12"),
    ]
