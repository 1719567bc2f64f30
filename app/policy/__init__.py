"""Partnership policies as validated data.

``Nation`` loads at once; the schema and the loader (pydantic) only when one of their
names is first used, so the dashboard can be painted before policies are validated
(start-up: docs/performance.md). Modules that only annotate with these names import them under
``TYPE_CHECKING``.
"""

from typing import TYPE_CHECKING, Any

from app.nation import Nation

if TYPE_CHECKING:
    from app.policy.loader import (
        PolicyLibrary,
        default_library,
        load_policy_file,
        parse_policy,
    )
    from app.policy.model import PATHWAY_IDS, Anchor, Pathway, Policy, Stage, Timescale, Unit

_LOADER = frozenset({"PolicyLibrary", "default_library", "load_policy_file", "parse_policy"})
_MODEL = frozenset({"PATHWAY_IDS", "Anchor", "Pathway", "Policy", "Stage", "Timescale", "Unit"})


def __getattr__(name: str) -> Any:
    if name in _LOADER:
        from app.policy import loader

        return getattr(loader, name)
    if name in _MODEL:
        from app.policy import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PATHWAY_IDS",
    "Anchor",
    "Nation",
    "Pathway",
    "Policy",
    "PolicyLibrary",
    "Stage",
    "Timescale",
    "Unit",
    "default_library",
    "load_policy_file",
    "parse_policy",
]
