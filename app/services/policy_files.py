"""Policy files the DSL makes in the policy builder, exports or imports: written whole or
not at all into the data folder's ``policies`` folder (``app.paths.extra_policies_dir``),
where the library loads them beside the shipped ones.

A policy file holds no child data; it is still written to a temporary name and renamed,
so a full disk never leaves a half-written policy for the loader to report.
"""

from __future__ import annotations

from pathlib import Path

from app.english_plurals import count
from app.errors import InputError, KnownError, PolicyError
from app.policy.builder import PolicyDraft, problems, to_toml
from app.policy.loader import parse_policy
from app.policy.model import Policy


class PolicyFileExists(KnownError):
    """A policy with this id is already in the policies folder: replace it only if the
    DSL says so."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"A policy file called {path.name} is already in the policies folder.")
        self.path = path


def policies_folder() -> Path:
    from app.paths import extra_policies_dir

    return extra_policies_dir()


def _write(path: Path, text: str) -> None:
    from app.storage.private_files import write_private_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"The policy could not be saved to {path}: {exc.strerror}.") from None


def _checked(draft: PolicyDraft) -> str:
    found = problems(draft)
    if found:
        needs = "needs" if len(found) == 1 else "need"
        raise InputError(
            f"Nothing was saved: {count(len(found), 'thing')} {needs} attention; each is "
            "marked beside its field."
        )
    return to_toml(draft)


def policy_file_name(draft: PolicyDraft) -> str:
    """``id.toml``, or ``id.rN.toml`` for a later revision, so that it loads beside the
    earlier one rather than replacing it."""
    revision = draft.document.revision
    return f"{draft.id}.toml" if revision == 1 else f"{draft.id}.r{revision}.toml"


def save_policy(draft: PolicyDraft, folder: Path | None = None) -> Path:
    """Write ``<id>.toml`` into the policies folder (replacing an earlier save of the
    same policy); the caller then reloads the library."""
    text = _checked(draft)
    path = (folder or policies_folder()) / policy_file_name(draft)
    _write(path, text)
    return path


def export_policy(draft: PolicyDraft, path: Path) -> Path:
    """Write the policy where the DSL chose, to share with another setting."""
    _write(path, _checked(draft))
    return path


def import_policy(source: Path, folder: Path | None = None, *, replace: bool = False) -> Policy:
    """Read a policy file another setting shared, refuse it with the problem named if it
    is not a valid policy, and save it as ``<id>.toml`` in the policies folder."""
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyError(f"{source.name} is not a policy file: it is not text.") from None
    except OSError as exc:
        raise InputError(f"{source.name} could not be read: {exc.strerror}.") from None
    try:
        policy = parse_policy(text, source.name)
    except PolicyError as exc:
        raise PolicyError(f"This policy file cannot be used. {exc}") from None
    target = (folder or policies_folder()) / f"{policy.id}.toml"
    if target.exists() and not replace:
        raise PolicyFileExists(target)
    _write(target, text)
    return policy
