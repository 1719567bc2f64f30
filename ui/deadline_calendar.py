"""File, "Add deadlines to my calendar…": choose where the .ics file goes, write it
(``app.services.calendar_export``), and say what to do with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from app.english_plurals import count
from ui.errors import show_notice
from ui.operations import run_op

if TYPE_CHECKING:
    from app.services.calendar_export import CalendarWritten
    from app.session import Session
    from ui.local_settings import LocalSettings


class Host(Protocol):
    """What the opener needs of the main window (a ``QWidget`` too, to parent it)."""

    session: Session


def _parent(window: Host) -> QWidget:
    assert isinstance(window, QWidget)
    return window


def done_text(written: CalendarWritten) -> str:
    cancelled = (
        f" {count(written.cancelled, 'earlier event')} "
        f"{'is' if written.cancelled == 1 else 'are'} marked cancelled (resolved, withdrawn or "
        "moved on to the next stage)."
        if written.cancelled
        else ""
    )
    return (
        f"Saved {count(written.deadlines, 'open deadline')} to {written.path}.{cancelled}\n\n"
        "Open the file with your calendar to add them: in Outlook, double-click it, or use "
        "File, Open & Export, Import/Export. Each event shows only the escalation's "
        "reference and stage, never the child's name.\n\n"
        "The calendar does not update itself: after a deadline changes, add them again. "
        "Opening the new file updates the events already there. Delete the file once "
        "your calendar has it."
    )


def add_deadlines_to_calendar(
    window: Host, local: LocalSettings, destination: Path | None = None
) -> bool:
    """Ask where (unless ``destination`` is given), then write; False if nothing was."""
    db = window.session.database
    if db is None:
        return False
    from app.services.calendar_export import SUGGESTED_NAME, export_calendar

    parent = _parent(window)
    if destination is None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            "Add deadlines to my calendar",
            str(Path.home() / SUGGESTED_NAME),
            "Calendar files (*.ics)",
        )
        if not chosen or window.session.database is not db:
            return False
        destination = Path(chosen)
    out, reminders, actor = destination, local.calendar_reminders, window.session.actor
    return run_op(
        parent,
        lambda: export_calendar(db, out, reminders=reminders, actor=actor),
        lambda written: show_notice(
            parent, "Deadlines saved for your calendar", done_text(written)
        ),
    )
