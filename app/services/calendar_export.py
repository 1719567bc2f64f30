"""Add deadlines to my calendar: an iCalendar file of every open stage deadline.

The deadlines are the ones the app stored when each stage started (the list's "next
due"), never worked out again here. What an event says and how it stays stable across
exports is ``app.domain.calendar_events``; the file's form is
``app.documents.calendar_ics``. The file is written whole and readable by its owner only,
and the ledger of what it said is committed only once it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app import clock
from app.deadlines.calendar import calendar_for
from app.domain.calendar_events import (
    CalendarEvent,
    Exported,
    OpenDeadline,
    Reminders,
    calendar_events,
)
from app.domain.views import EscalationRow
from app.errors import InputError, KnownError
from app.nation import Nation
from app.services.escalation_rows import list_escalations
from app.services.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SUFFIX = ".ics"
SUGGESTED_NAME = "escalation-deadlines.ics"


@dataclass(frozen=True)
class CalendarWritten:
    path: Path
    deadlines: int  # events for open deadlines
    cancelled: int  # events cancelled (closed escalations, stages moved on)


def open_deadlines(rows: list[EscalationRow]) -> list[OpenDeadline]:
    """The current stage of every open escalation that has a deadline (a damaged row, or
    a stage with no fixed timescale, has none to put in a calendar)."""
    return [
        OpenDeadline(
            row.ref,
            row.stage_number,
            row.stage_count,
            row.next_due,
            calendar_for(Nation(row.nation)),
        )
        for row in rows
        if row.status == "open" and row.next_due is not None and not row.damaged
    ]


def calendar_path(out: Path) -> Path:
    out = Path(out).expanduser()
    return out if out.suffix.lower() == SUFFIX else out.with_name(out.name + SUFFIX)


def export_calendar(
    store: Store, out: Path, *, reminders: Reminders, actor: str, now: datetime | None = None
) -> CalendarWritten:
    """Write the calendar file at ``out`` (``.ics`` added if missing) and remember what
    it said; a file that cannot be written is a plain message, and nothing is kept."""
    from sqlalchemy import select

    from app.documents.calendar_ics import calendar_file
    from app.storage import audit
    from app.storage.models import CalendarExport
    from app.storage.seals import file_id

    problem = reminders.problem()
    if problem is not None:
        raise InputError(problem)
    out = calendar_path(out)
    if not out.parent.is_dir():
        raise InputError(
            f"{out.parent} is not a folder that exists, so {out.name} was not written."
        )
    moment = now or clock.now()
    deadlines = open_deadlines(list_escalations(store))
    with store.session() as session:
        ledger = {
            row.uid: Exported(row.uid, row.summary, row.due, row.sequence, row.cancelled)
            for row in session.scalars(select(CalendarExport))
        }
        events = calendar_events(deadlines, ledger, file_id(session), reminders)
        for event in events:
            _remember(session, ledger.get(event.uid), event)
        written = CalendarWritten(
            out,
            sum(not e.cancelled for e in events),
            sum(e.cancelled for e in events),
        )
        audit.append(
            session,
            actor=actor,
            action="export calendar",
            target="file",
            content={"to": out.name, "events": written.deadlines, "cancelled": written.cancelled},
            at=moment,
        )
        # Last in the transaction: if the file cannot be written, the ledger rolls back.
        _write(out, calendar_file(events, stamp=moment.astimezone(UTC)))
    return written


def _remember(session: Session, before: Exported | None, event: CalendarEvent) -> None:
    from app.storage.models import CalendarExport

    now = event.exported()
    if before == now:
        return
    row = session.get(CalendarExport, event.uid)
    if row is None:
        session.add(
            CalendarExport(
                uid=now.uid,
                summary=now.summary,
                due=now.due,
                sequence=now.sequence,
                cancelled=now.cancelled,
            )
        )
    else:
        row.summary, row.due = now.summary, now.due
        row.sequence, row.cancelled = now.sequence, now.cancelled


def _write(out: Path, data: bytes) -> None:
    from app.storage.errors import translate
    from app.storage.private_files import write_private_file

    try:
        write_private_file(out, data)
    except OSError as exc:
        known = translate(exc, f"{out.name} was not written")
        raise (known or KnownError(f"Could not write {out}: {exc.strerror}.")) from None
