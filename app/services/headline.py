"""The dashboard's first sentence: what needs doing before anything else, then the
escalations that have no deadline to fall due (so they are never out of sight)."""

from __future__ import annotations

from app.english_plurals import count
from app.services.dashboard import DUE_SOON_WORKING_DAYS, Bucket, Dashboard
from app.services.waiting import Waiting


def _count(n: int, what: str = "escalation") -> str:
    return count(n, what)


def headline(dash: Dashboard) -> str:
    """What is due (``due_sentence``), then the no-fixed-timescale ones (``waiting_sentence``)."""
    waiting = waiting_sentence(dash.waiting)
    return due_sentence(dash) + (f" {waiting}" if waiting else "")


def due_sentence(dash: Dashboard) -> str:
    overdue = dash.counts[Bucket.OVERDUE]
    today = dash.counts[Bucket.DUE_TODAY]
    soon = dash.counts[Bucket.DUE_SOON]
    if overdue:
        worst = dash.rows[0]  # sorted by deadline: the longest overdue comes first
        late = -(worst.working_days_left or 0)
        by = f", by {_count(late, 'working day')}" if late > 0 else ""
        if overdue == 1:
            text = f"1 escalation is overdue: {worst.row.ref}{by}."
        else:
            text = f"{_count(overdue)} are overdue. The longest is {worst.row.ref}{by}."
        if today:
            text += f" {today} more {'is' if today == 1 else 'are'} due today."
        return text
    if today:
        verb = "is" if today == 1 else "are"
        return f"Nothing is overdue. {_count(today)} {verb} due today."
    if soon:
        verb = "is" if soon == 1 else "are"
        return (
            f"Nothing is overdue or due today. {_count(soon)} {verb} due in the next "
            f"{DUE_SOON_WORKING_DAYS} working days."
        )
    return f"Nothing is overdue or due in the next {DUE_SOON_WORKING_DAYS} working days."


def waiting_sentence(waiting: Waiting) -> str:
    """ "2 open with no fixed timescale; the longest, ESC-2026-0009, has waited 9 working
    days at its stage." ("" when there are none.)"""
    if not waiting.count:
        return ""
    if not waiting.ref:  # no start the calendar could count from
        return f"{waiting.count} open with no fixed timescale."
    if waiting.longest:
        wait = f"has waited {_count(waiting.longest, 'working day')} at its stage"
    else:
        wait = "has not yet waited a working day at its stage"
    if waiting.count == 1:
        return f"1 open with no fixed timescale: {waiting.ref} {wait}."
    return f"{waiting.count} open with no fixed timescale; the longest, {waiting.ref}, {wait}."
