"""The desktop app (PySide6). Importing any of it first takes PySide6's feature hook out
of the way of every later import: see ``without_feature_import``."""

from __future__ import annotations

import builtins

import PySide6  # noqa: F401 - installs the hook this module removes


def without_feature_import() -> bool:
    """PySide6 replaces ``__import__`` with ``__feature_import__``, for its opt-in
    ``__feature__`` switches (snake_case, true_property), which this app does not use
    (an architecture test checks). The hook runs on every import statement, and
    the first time a module is named in one it reads that module's whole source looking
    for "PySide6": typing, pathlib, datetime and dozens more before the locked window shows,
    more while the key is derived (start-up: docs/performance.md).

    PySide documents the chain: ``__feature_import__`` falls back to ``__orig_import__``
    (in 6.12, its lazy class loader, which stays). Put the fallback back in front, only if
    the hook is what is installed. True if it was removed."""
    hook = getattr(builtins, "__feature_import__", None)
    fallback = getattr(builtins, "__orig_import__", None)
    if hook is None or fallback is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = fallback
    return True


without_feature_import()
