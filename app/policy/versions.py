"""Which version of a policy is which, and how a DSL reads it.

A policy is identified by its id and its revision (``[document] revision``, the app's
own count, 1 when the file does not say). An escalation stores the version it follows
as a *version key*: the document's own version words, with the revision after them from
revision 2 on ("Not stated (revision 2)"). Revision 1's key is the document's version
alone, exactly what escalations opened before revisions existed stored, so they still
find the version they follow.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.policy.model import Policy

NOT_STATED = "Not stated"  # what a policy file says when the document gives no version
_REVISION = re.compile(r"^(?P<words>.*) \(revision (?P<n>[1-9]\d*)\)$")


def version_key(policy: Policy) -> str:
    """What an escalation opened under ``policy`` stores as its version."""
    revision = policy.document.revision
    words = policy.document.version
    return words if revision == 1 else f"{words} (revision {revision})"


def revision_of(key: str) -> int:
    """The revision a stored version key names (1 for a key without one)."""
    found = _REVISION.match(key)
    return int(found["n"]) if found else 1


def _words(version: str, issued: str | None, revision: int) -> str:
    if issued is not None:
        text = f"the version of {issued}"
    elif version.lower() == NOT_STATED.lower():
        text = "the undated version"
    else:
        text = f"version {version}"
    return text if revision == 1 else f"{text} (revision {revision})"


def version_words(policy: Policy) -> str:
    """A version as a DSL reads it: "the version of 03/12/2026", "version 3" where the
    document has no date, "the undated version" where it has neither."""
    document = policy.document
    issued = document.issued_display if document.issued is not None else None
    return _words(document.version, issued, document.revision)


def key_words(key: str) -> str:
    """A stored version key in words, for a version that is no longer loaded."""
    found = _REVISION.match(key)
    words = found["words"] if found else key
    return _words(words, None, revision_of(key))


def version_suffix(version: str, revision: int = 1) -> str:
    """ ", version 3" after a document's date ("" when the document states none), with
    ", revision 2" for a later edit: what the window and documents print."""
    stated = "" if version.lower() == NOT_STATED.lower() else f", version {version}"
    return stated + (f", revision {revision}" if revision > 1 else "")


def key_suffix(key: str) -> str:
    """``version_suffix`` for a stored version key."""
    found = _REVISION.match(key)
    return version_suffix(found["words"] if found else key, revision_of(key))
