"""The due-moments file: what the tray reminder counts from while the records are locked.

The desktop app writes it each time it locks or closes, with reminders on, beside
``settings.ini`` in the per-user data folder; the tray process reads it and never opens
the encrypted file. It holds exactly:

- ``format``: 1;
- ``written``: when it was written (``YYYY-MM-DDTHH:MM``);
- ``nation``: the setting's nation, whose bank holidays are not working mornings;
- ``due``: the deadline of each open escalation's current stage, alone and sorted: a
  date (``2026-12-29``, due all that day) or a date and time (``2026-12-29T10:00``);
- ``backup_overdue_from`` (only with the backup reminder set): when a backup of the
  file falls overdue under it (``YYYY-MM-DDTHH:MM``, rounded up to the minute).

No reference, name, agency, pathway or policy: a list of dates linked to nobody is not
personal data, so it may live outside the encrypted file. It is still written
owner-only and whole or not at all (``app.storage.private_files``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.deadlines.moments import Moment, iso, parse_moment, sort_key
from app.nation import Nation

FILE_NAME = "due-moments.json"
FORMAT = 1


@dataclass(frozen=True)
class DueMoments:
    due: tuple[Moment, ...]
    nation: Nation
    written: datetime
    backup_overdue_from: datetime | None = None


def _whole_minute_after(moment: datetime) -> str:
    """The first whole minute not before ``moment``: the tray never says a backup is
    overdue before the app itself would."""
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment.strftime("%Y-%m-%dT%H:%M")


def to_bytes(moments: DueMoments) -> bytes:
    content = {
        "format": FORMAT,
        "written": moments.written.strftime("%Y-%m-%dT%H:%M"),
        "nation": moments.nation.value,
        "due": [iso(moment) for moment in sorted(moments.due, key=sort_key)],
    }
    if moments.backup_overdue_from is not None:
        content["backup_overdue_from"] = _whole_minute_after(moments.backup_overdue_from)
    return json.dumps(content, indent=1).encode("utf-8")


def write(path: Path, moments: DueMoments) -> None:
    """Replace the file with ``moments``, owner-only; raises OSError with nothing
    written."""
    from app.storage.private_files import write_private_file

    path.parent.mkdir(parents=True, exist_ok=True)
    write_private_file(path, to_bytes(moments))


def read(path: Path) -> DueMoments | None:
    """The moments last written, or None when there is no file or it cannot be read
    (the reminder then says nothing rather than a wrong count)."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if content.get("format") != FORMAT:
            return None
        due = tuple(parse_moment(str(text)) for text in content["due"])
        return DueMoments(
            due=tuple(moment for moment in due if moment is not None),
            nation=Nation(content["nation"]),
            written=datetime.fromisoformat(content["written"]),
            backup_overdue_from=(
                datetime.fromisoformat(content["backup_overdue_from"])
                if content.get("backup_overdue_from")
                else None
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def forget(path: Path) -> None:
    """Reminders turned off: nothing is left behind."""
    path.unlink(missing_ok=True)
