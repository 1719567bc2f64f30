"""Partnership policies as validated data."""

from app.policy.loader import PolicyLibrary, default_library, load_policy_file, parse_policy
from app.policy.model import PATHWAY_IDS, Anchor, Nation, Pathway, Policy, Stage, Timescale, Unit

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
