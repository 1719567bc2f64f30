"""The setting's details, kept inside the encrypted file: the setting's name, the DSL and
deputies, the default partnership policy and the UK nation for bank holidays.

Names of staff are personal data, so they live with the records (``file_info`` rows
``setting.*``), not in the desktop's settings store; each change is audited.
"""

from __future__ import annotations

from app import clock
from app.domain import validation as check
from app.policy import Nation, PolicyLibrary
from app.services.common import Store
from app.services.setting_details import DEFAULT_ACTOR as DEFAULT_ACTOR
from app.services.setting_details import PREFIX, to_values
from app.services.setting_details import SettingDetails as SettingDetails
from app.services.setting_details import get_settings as get_settings
from app.storage import audit
from app.storage.models import FileInfo
from app.storage.pins import SETTINGS_TARGET
from app.team.member import NAME_LIMIT
from app.team.signed_in import signed_in

MAX_DEPUTIES = 20


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
    values = to_values(clean)
    with store.session() as session:
        for key, value in values.items():
            row = session.get(FileInfo, PREFIX + key)
            if row is None:
                session.add(FileInfo(key=PREFIX + key, value=value))
            else:
                row.value = value
        audit.repin(
            session,
            # None: the file being set up (first run, demo), by its DSL, before any
            # member has signed in.
            actor=actor or signed_in(None, clean.dsl_name).actor,
            target=SETTINGS_TARGET,
            reason=audit.RepinReason.SETTINGS_SAVED,
            first_action="change settings",
            at=clock.now(),
        )
    return clean
