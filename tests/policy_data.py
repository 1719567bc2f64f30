"""A small valid policy as a dict, for tests to break one field at a time."""

from __future__ import annotations

import copy
from typing import Any

import tomli_w

_BASE: dict[str, Any] = {
    "id": "testshire",
    "partnership": "Testshire Safeguarding Children Partnership",
    "short_name": "TSCP",
    "default_nation": "england",
    "immediate_risk": "Contact the police (999) and Children's Social Care now.",
    "document": {"title": "Escalation policy", "issued": "2024-05", "version": "1"},
    "pathways": [
        {
            "id": "resolution",
            "title": "Resolving professional differences",
            "summary": "Use when another agency's decision does not keep a child safe.",
            "stages": [
                {
                    "number": 1,
                    "title": "Discuss with the other worker",
                    "owner": "Practitioner",
                    "action": "Discuss it.",
                    "timescales": [
                        {"unit": "working_days", "amount": 5, "text": "within 5 working days"}
                    ],
                },
                {
                    "number": 2,
                    "title": "Line managers",
                    "owner": "Line manager",
                    "action": "Managers discuss.",
                    "timescales": [{"unit": "none", "text": "a timescale that protects"}],
                },
            ],
        }
    ],
}


def policy_dict() -> dict[str, Any]:
    return copy.deepcopy(_BASE)


def policy_toml(data: dict[str, Any] | None = None) -> str:
    return tomli_w.dumps(data if data is not None else policy_dict())
