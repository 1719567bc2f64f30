"""Loading and validating policy files, with messages a partnership can act on.

Every failure becomes one ``PolicyError`` whose message names the file, the field path
(``pathways[0].stages[2].timescales[0].unit``) and what is wrong, in plain English.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.english_plurals import noun
from app.errors import PolicyError, UnknownPolicyError
from app.policy.model import Policy
from app.policy.versions import revision_of, version_key


def _field_path(loc: Sequence[int | str], data: Any) -> str:
    """Turn pydantic's location tuple into ``pathways[0].stages[1].title``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith("function-") or part in ("literal", "enum"):
            continue  # validator names pydantic adds to the location; not the user's
        else:
            path += f".{part}" if path else part
    return path or "(top level)"


def _plain(error: Any) -> str:
    kind = error["type"]
    msg = str(error["msg"])
    if kind == "missing":
        return "this field is required but missing"
    if kind == "extra_forbidden":
        return "this field is not part of the policy format (check the spelling)"
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{error.get('input')}' is not allowed; expected {expected}"
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    if kind == "greater_than_equal":
        return f"must be {error['ctx']['ge']} or more (got {error.get('input')!r})"
    if kind == "too_short":
        return "must not be empty"
    if kind == "string_too_short":
        return "must not be blank"
    return msg[0].lower() + msg[1:]


def parse_policy(text: str, source: str) -> Policy:
    """Parse and validate one policy's TOML text; ``source`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: this is not valid TOML ({exc}).") from None
    except RecursionError:
        # tomllib reads nested arrays and tables recursively: a file nested thousands
        # deep exhausts the stack. One bad file must not stop the others loading.
        raise PolicyError(f"{source}: this file is nested too deeply to be a policy.") from None
    try:
        policy = Policy.model_validate(data)
    except RecursionError:
        raise PolicyError(f"{source}: this file is nested too deeply to be a policy.") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        extra = f" (and {more} more {noun(more, 'problem')})" if more else ""
        raise PolicyError(
            f"{source}: {_field_path(first['loc'], data)}: {_plain(first)}{extra}."
        ) from None
    return policy


def load_policy_file(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: the file is not UTF-8 text.") from None
    except OSError as exc:
        raise PolicyError(f"{path}: the file cannot be read ({exc.strerror}).") from None
    policy = parse_policy(text, str(path))
    # "york.toml", or "york.r2.toml" for a second version in the same folder: an id
    # never holds a dot, so the name up to the first dot is the id.
    if policy.id != path.name.split(".")[0]:
        raise PolicyError(
            f"{path}: id: the policy id '{policy.id}' must match the file name "
            f"'{path.name}' (call it '{policy.id}.toml', or "
            f"'{policy.id}.r{policy.document.revision}.toml' beside another version)."
        )
    return policy


class PolicyLibrary:
    """The shipped policies plus any a partnership has added: every version of each id,
    newest (highest revision) first."""

    def __init__(self, policies: Iterable[Policy], problems: Iterable[str] = ()) -> None:
        # Added files that failed to load: shown to the user, never fatal.
        self.problems: list[str] = list(problems)
        self._versions: dict[str, list[Policy]] = {}
        sources: dict[tuple[str, int], str] = {}
        for policy in policies:
            problem = self._add(policy, policy.id, sources)
            if problem:
                self.problems.append(problem)

    def _add(self, policy: Policy, source: str, sources: dict[tuple[str, int], str]) -> str:
        """Add one version; a problem to report when another of the same id and
        revision is already loaded and says something else ("" when it is the same)."""
        identity = (policy.id, policy.document.revision)
        versions = self._versions.setdefault(policy.id, [])
        same = next((p for p in versions if p.document.revision == identity[1]), None)
        if same is not None:
            if same == policy:
                return ""  # the same file twice (a copy in the data folder): one version
            return (
                f"{source}: policy '{policy.id}' revision {identity[1]} is already loaded "
                f"from {sources[identity]} and this file says something different. Two "
                "versions of a policy cannot share a revision: give this one a later "
                "revision ([document] revision) or its own id. This file was not loaded."
            )
        sources[identity] = source
        versions.append(policy)
        versions.sort(key=lambda p: p.document.revision, reverse=True)
        return ""

    @classmethod
    def load(cls, *directories: Path) -> PolicyLibrary:
        """Load every ``*.toml`` in the directories, in order. A bad file, or a second
        file with the same id and revision that says something different, is reported in
        ``problems`` and skipped."""
        library = cls(())
        sources: dict[tuple[str, int], str] = {}
        for directory in directories:
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.toml")):
                try:
                    policy = load_policy_file(path)
                except PolicyError as exc:
                    library.problems.append(str(exc))
                    continue
                problem = library._add(policy, str(path), sources)
                if problem:
                    library.problems.append(problem)
        return library

    def ids(self) -> list[str]:
        return sorted(self._versions)

    def short_names(self) -> dict[str, str]:
        """Each policy id's short name ("NYSCP"), for labels (the newest version's)."""
        return {policy.id: policy.short_name for policy in self.all()}

    def all(self) -> list[Policy]:
        """The newest version of each policy, by id: what a new escalation may follow."""
        return [self._versions[i][0] for i in self.ids()]

    def by_name(self) -> list[Policy]:
        """The newest version of each policy in the order a person looks for it: by the
        partnership's name as shown, ignoring case ("City of York…" under C, not last
        by its id). Every list a DSL chooses a policy from reads this."""
        return sorted(self.all(), key=lambda policy: (policy.partnership.casefold(), policy.id))

    def search(self, query: str) -> list[Policy]:
        """The newest version of each policy whose partnership, short name, file name or
        document title holds every word typed ("st helens", "wirral board"), in any
        case; every policy for an empty query. The first-run page's search."""
        words = _folded(query).split()
        return [
            policy
            for policy in self.by_name()
            if all(
                word
                in _folded(
                    " ".join(
                        (policy.partnership, policy.short_name, policy.id, policy.document.title)
                    )
                )
                for word in words
            )
        ]

    def versions(self, policy_id: str) -> list[Policy]:
        """Every loaded version of one policy, newest first."""
        self._known(policy_id)
        return list(self._versions[policy_id])

    def get(self, policy_id: str, version: str | None = None) -> Policy:
        """The newest version of a policy, or the one whose version key
        (``app.policy.versions.version_key``) is ``version``."""
        versions = self._known(policy_id)
        if version is None:
            return versions[0]
        for policy in versions:
            if version_key(policy) == version:
                return policy
        raise UnknownPolicyError(
            f"Version '{version}' of policy '{policy_id}' is not loaded. Loaded versions: "
            f"{', '.join(version_key(p) for p in versions)}."
        )

    def has_version(self, policy_id: str, version: str) -> bool:
        return any(version_key(p) == version for p in self._versions.get(policy_id, []))

    def followed(self, policy_id: str, version: str) -> Policy | None:
        """The version an escalation follows, if it is loaded: what its window and
        documents name (never a newer one it has not adopted)."""
        return self.get(policy_id, version) if self.has_version(policy_id, version) else None

    def newer_than(self, policy_id: str, version: str) -> Policy | None:
        """The newest version of a policy when an escalation following ``version`` could
        adopt it: it is another version, and not an older revision (a DSL's later copy
        that was removed does not make the shipped one "newer"). None otherwise."""
        versions = self._versions.get(policy_id)
        if not versions:
            return None
        newest = versions[0]
        if version_key(newest) == version or newest.document.revision < revision_of(version):
            return None
        return newest

    def _known(self, policy_id: str) -> list[Policy]:
        try:
            return self._versions[policy_id]
        except KeyError:
            raise UnknownPolicyError(
                f"There is no policy '{policy_id}'. Known policies: {', '.join(self.ids())}."
            ) from None


def _folded(text: str) -> str:
    """For matching what a DSL types: case and punctuation ("St. Helens", "st-helens")
    ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def default_library() -> PolicyLibrary:
    from app.paths import extra_policies_dir, shipped_policies_dir

    return PolicyLibrary.load(shipped_policies_dir(), extra_policies_dir())
