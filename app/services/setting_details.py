"""The setting's details as the app reads them at every unlock (plain SQL, no ORM: the
window title and the forms' defaults come from here before SQLAlchemy is loaded).
Saving them, with validation and an audit entry, is ``app.services.settings``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.nation import Nation
from app.services.store import ReadStore

PREFIX = "setting."
DEFAULT_ACTOR = "Designated Safeguarding Lead"
_NATIONS = frozenset(n.value for n in Nation)


@dataclass(frozen=True)
class SettingDetails:
    setting_name: str = ""
    dsl_name: str = ""
    deputies: tuple[str, ...] = field(default_factory=tuple)
    default_policy: str | None = None
    nation: Nation = Nation.ENGLAND


def _from_values(values: dict[str, str]) -> SettingDetails:
    deputies = json.loads(values.get("deputies", "[]"))
    nation_value = values.get("nation", Nation.ENGLAND.value)
    return SettingDetails(
        setting_name=values.get("setting_name", ""),
        dsl_name=values.get("dsl_name", ""),
        deputies=tuple(str(d) for d in deputies),
        default_policy=values.get("default_policy") or None,
        # A value from a newer app is not fatal: fall back to England.
        nation=Nation(nation_value) if nation_value in _NATIONS else Nation.ENGLAND,
    )


def to_values(details: SettingDetails) -> dict[str, str]:
    return {
        "setting_name": details.setting_name,
        "dsl_name": details.dsl_name,
        "deputies": json.dumps(list(details.deputies), ensure_ascii=False),
        "default_policy": details.default_policy or "",
        "nation": details.nation.value,
    }


def get_settings(store: ReadStore) -> SettingDetails:
    """The saved details; defaults (empty names, England) for a file that has none."""
    with store.read() as connection:
        rows = connection.execute(
            "SELECT key, value FROM file_info WHERE substr(key, 1, ?) = ?",
            (len(PREFIX), PREFIX),
        ).fetchall()
    return _from_values({key.removeprefix(PREFIX): value for key, value in rows})
