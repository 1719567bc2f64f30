"""The setting's details, kept inside the encrypted file: the setting's name, the DSL and
deputies, the default partnership policy and the UK nation for bank holidays.

Names of staff are personal data, so they live with the records (``file_info`` rows
``setting.*``), not in the desktop's settings store; each change is audited.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from app import clock
from app.domain import validation as check
from app.policy import Nation, PolicyLibrary
from app.services.common import Store
from app.storage import audit
from app.storage.models import FileInfo

PREFIX = "setting."
NAME_LIMIT = 200
MAX_DEPUTIES = 20
DEFAULT_ACTOR = "Designated Safeguarding Lead"
_NATIONS = frozenset(n.value for n in Nation)


@dataclass(frozen=True)
class SettingDetails:
    setting_name: str = ""
    dsl_name: str = ""
    deputies: tuple[str, ...] = field(default_factory=tuple)
    default_policy: str | None = None
    nation: Nation = Nation.ENGLAND

    @property
    def actor(self) -> str:
        """Who the audit trail names for changes made in the desktop app."""
        return f"{self.dsl_name} (DSL)" if self.dsl_name else DEFAULT_ACTOR


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


def _to_values(details: SettingDetails) -> dict[str, str]:
    return {
        "setting_name": details.setting_name,
        "dsl_name": details.dsl_name,
        "deputies": json.dumps(list(details.deputies), ensure_ascii=False),
        "default_policy": details.default_policy or "",
        "nation": details.nation.value,
    }


def get_settings(store: Store) -> SettingDetails:
    """The saved details; defaults (empty names, England) for a file that has none."""
    with store.session() as session:
        rows = session.scalars(select(FileInfo).where(FileInfo.key.startswith(PREFIX)))
        return _from_values({r.key.removeprefix(PREFIX): r.value for r in rows})


def validate(details: SettingDetails, library: PolicyLibrary) -> SettingDetails:
    """Checked and tidied (names trimmed, blank deputies dropped)."""
    setting_name = check.text(details.setting_name.strip(), "Setting's name", limit=NAME_LIMIT)
    dsl_name = check.text(details.dsl_name.strip(), "DSL's name", limit=NAME_LIMIT)
    deputies = tuple(d.strip() for d in details.deputies if d.strip())
    if len(deputies) > MAX_DEPUTIES:
        raise check.FieldError("Deputies", f"name at most {MAX_DEPUTIES} deputies.")
    for deputy in deputies:
        check.text(deputy, "Deputies", limit=NAME_LIMIT)
    if details.default_policy is not None and details.default_policy not in library.ids():
        raise check.FieldError(
            "Default policy", f"'{details.default_policy}' is not one of the loaded policies."
        )
    return SettingDetails(
        setting_name=setting_name,
        dsl_name=dsl_name,
        deputies=deputies,
        default_policy=details.default_policy,
        nation=Nation(details.nation),
    )


def save_settings(
    store: Store, details: SettingDetails, library: PolicyLibrary, *, actor: str | None = None
) -> SettingDetails:
    """Validate and store the details in one transaction with an audit entry."""
    clean = validate(details, library)
    values = _to_values(clean)
    with store.session() as session:
        for key, value in values.items():
            row = session.get(FileInfo, PREFIX + key)
            if row is None:
                session.add(FileInfo(key=PREFIX + key, value=value))
            else:
                row.value = value
        audit.append(
            session,
            actor=actor or clean.actor,
            action="change settings",
            target="file_info:settings",
            content={**asdict(clean), "nation": clean.nation.value},
            at=clock.now(),
        )
    return clean
