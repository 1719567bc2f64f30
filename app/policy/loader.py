"""Loading and validating policy files, with messages a partnership can act on.

Every failure becomes one ``PolicyError`` whose message names the file, the field path
(``pathways[0].stages[2].timescales[0].unit``) and what is wrong, in plain English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.english_plurals import noun
from app.errors import PolicyError, UnknownPolicyError
from app.policy.model import Policy


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
    if policy.id != path.stem:
        raise PolicyError(
            f"{path}: id: the policy id '{policy.id}' must match the file name "
            f"('{path.stem}.toml')."
        )
    return policy


class PolicyLibrary:
    """The shipped policies plus any a partnership has added, by id."""

    def __init__(self, policies: Iterable[Policy], problems: Iterable[str] = ()) -> None:
        self._by_id = {p.id: p for p in policies}
        # Added files that failed to load: shown to the user, never fatal.
        self.problems: list[str] = list(problems)

    @classmethod
    def load(cls, *directories: Path) -> PolicyLibrary:
        """Load every ``*.toml`` in the directories, in order; later ones may not
        replace an earlier id. A bad file is reported in ``problems`` and skipped."""
        policies: dict[str, Policy] = {}
        problems: list[str] = []
        for directory in directories:
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.toml")):
                try:
                    policy = load_policy_file(path)
                except PolicyError as exc:
                    problems.append(str(exc))
                    continue
                if policy.id in policies:
                    problems.append(
                        f"{path}: id: a policy with id '{policy.id}' is already loaded; "
                        "this file was skipped."
                    )
                    continue
                policies[policy.id] = policy
        return cls(policies.values(), problems)

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def short_names(self) -> dict[str, str]:
        """Each policy id's short name ("NYSCP"), for labels."""
        return {policy_id: policy.short_name for policy_id, policy in self._by_id.items()}

    def all(self) -> list[Policy]:
        return [self._by_id[i] for i in self.ids()]

    def get(self, policy_id: str) -> Policy:
        try:
            return self._by_id[policy_id]
        except KeyError:
            raise UnknownPolicyError(
                f"There is no policy '{policy_id}'. Known policies: {', '.join(self.ids())}."
            ) from None


def default_library() -> PolicyLibrary:
    from app.paths import extra_policies_dir, shipped_policies_dir

    return PolicyLibrary.load(shipped_policies_dir(), extra_policies_dir())
