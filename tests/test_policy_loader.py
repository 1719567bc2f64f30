"""Malformed policy files are rejected with one plain message naming file and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.errors import PolicyError
from app.policy import PolicyLibrary, load_policy_file
from tests.policy_data import policy_dict, policy_toml

Mutation = Callable[[dict[str, Any]], None]


def _stage(d: dict[str, Any], n: int = 0) -> dict[str, Any]:
    stage: dict[str, Any] = d["pathways"][0]["stages"][n]
    return stage


def _set(path: str, value: Any) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return mutate


# (name, mutation, the field path the message must name, words the message must contain)
CASES: list[tuple[str, Mutation, str, str]] = [
    ("missing partnership", _delete("partnership"), "partnership", "required"),
    (
        "missing stage title",
        _delete("pathways.0.stages.0.title"),
        "pathways[0].stages[0].title",
        "required",
    ),
    (
        "unknown timescale unit",
        _set("pathways.0.stages.0.timescales.0.unit", "fortnights"),
        "pathways[0].stages[0].timescales[0].unit",
        "'fortnights' is not allowed",
    ),
    (
        "negative amount",
        _set("pathways.0.stages.0.timescales.0.amount", -3),
        "pathways[0].stages[0].timescales[0].amount",
        "0 or more",
    ),
    (
        "stage numbers out of order",
        _set("pathways.0.stages.1.number", 3),
        "pathways[0].stages",
        "in order",
    ),
    (
        "working days without amount",
        _delete("pathways.0.stages.0.timescales.0.amount"),
        "pathways[0].stages[0].timescales[0]",
        "needs an 'amount'",
    ),
    (
        "amount on a no-fixed-timescale rule",
        _set("pathways.0.stages.1.timescales.0.amount", 4),
        "pathways[0].stages[1].timescales[0]",
        "must not have an 'amount'",
    ),
    (
        "unknown pathway id",
        _set("pathways.0.id", "fast-track"),
        "pathways[0].id",
        "'fast-track' is not allowed",
    ),
    (
        "misspelt field",
        _set("pathways.0.stages.0.ownr", "Someone"),
        "pathways[0].stages[0].ownr",
        "not part of the policy format",
    ),
    (
        "impossible document date",
        _set("document.issued", "2024-13"),
        "document.issued",
        "not a real date",
    ),
    ("unknown nation", _set("default_nation", "cornwall"), "default_nation", "not allowed"),
    (
        "no stages",
        _set("pathways.0.stages", []),
        "pathways[0].stages",
        "must not be empty",
    ),
    (
        "blank owner",
        _set("pathways.0.stages.0.owner", "   "),
        "pathways[0].stages[0].owner",
        "must not be blank",
    ),
    (
        "duplicate pathway",
        lambda d: d["pathways"].append(d["pathways"][0]),
        "pathways",
        "more than once",
    ),
    (
        "unknown notification condition",
        _set(
            "pathways.0.stages.0.notifications",
            [{"to": "IRO", "text": "Tell the IRO", "when": "sometimes"}],
        ),
        "pathways[0].stages[0].notifications[0].when",
        "'sometimes' is not allowed",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "field", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_malformed_policy_names_file_and_field(
    tmp_path: Path, mutation: Mutation, field: str, words: str
) -> None:
    data = policy_dict()
    mutation(data)
    path = tmp_path / "testshire.toml"
    path.write_text(policy_toml(data), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {field}"), message
    assert words in message
    assert "Traceback" not in message and "pydantic" not in message


def test_bad_toml_syntax_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "testshire.toml"
    path.write_text('id = "testshire"\npartnership = \n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"testshire\.toml: this is not valid TOML.*line 2"):
        load_policy_file(path)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text(policy_toml(), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"other\.toml: id: .*'testshire'.*other\.toml"):
        load_policy_file(path)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such file"):
        load_policy_file(tmp_path / "absent.toml")
    bad = tmp_path / "testshire.toml"
    bad.write_bytes(b"id = '\xff\xfe'")
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy_file(bad)


def test_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "testshire.toml"
    path.write_text(policy_toml(), encoding="utf-8")
    policy = load_policy_file(path)
    assert policy.pathway("resolution").stage(2).owner == "Line manager"
    assert policy.document.issued_display == "May 2024"
    assert policy.document.currency_note is None


def test_library_loads_extra_directory_and_reports_bad_files(tmp_path: Path) -> None:
    shipped, extra = tmp_path / "shipped", tmp_path / "extra"
    shipped.mkdir()
    extra.mkdir()
    (shipped / "testshire.toml").write_text(policy_toml(), encoding="utf-8")
    other = policy_dict()
    other["id"] = "otherton"
    (extra / "otherton.toml").write_text(policy_toml(other), encoding="utf-8")
    (extra / "broken.toml").write_text("id = [", encoding="utf-8")
    (extra / "testshire.toml").write_text(policy_toml(), encoding="utf-8")  # the same again
    library = PolicyLibrary.load(shipped, extra, tmp_path / "missing")
    assert library.ids() == ["otherton", "testshire"]
    assert len(library.problems) == 1  # a copy of the same version is that version
    assert any("broken.toml: this is not valid TOML" in p for p in library.problems)
    assert len(library.versions("testshire")) == 1


def test_currency_note_for_old_and_undated_documents() -> None:
    from app.policy.model import Document

    old = Document(title="Policy", issued="2018-12", version="1")
    assert old.issued_display == "December 2018"
    assert old.currency_note is not None and "predates Working Together 2023" in old.currency_note
    undated = Document(title="Policy", version="1", based_on="Working Together 2018")
    assert undated.issued_display == "Undated"
    assert undated.currency_note is not None and "no date" in undated.currency_note
