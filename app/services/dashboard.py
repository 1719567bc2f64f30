"""What is due: the dashboard counts, each escalation's next-deadline text, and the
list's search and filters. Plain functions over ``EscalationRow`` so the desktop app only
shows what is computed here.

Working days are counted in each escalation's own nation (its bank holidays), with
``calendar_for(nation).working_days_between``: the day an interval starts never counts.

School terms, for "Resolved this term" (a fixed, nation-independent convention; local
authorities' own term dates vary by a few days and are not known to the app):

- Autumn: 1 September to 31 December;
- Spring: 1 January to Easter Sunday;
- Summer: Easter Monday to 31 August.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from dateutil.easter import easter as easter_sunday

from app import clock
from app.deadlines import WorkingCalendar, calendar_for, day_of
from app.nation import Nation
from app.services.escalation_rows import list_escalations
from app.services.store import ReadStore
from app.services.views import EscalationRow

DUE_SOON_WORKING_DAYS = 3

# Fixed English names: strftime's %a and %b follow the process locale, which Qt sets
# from the environment, and the app's language is en-GB whatever the machine says.
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

STATUS_LABELS = {"open": "Open", "resolved": "Resolved", "withdrawn": "Withdrawn"}

# Each pathway id's plain name, for filters across policies (each policy titles its
# pathways in its own words).
PATHWAY_NAMES = {
    "resolution": "Professional disagreement",
    "conference-dissent": "Conference dissent",
    "plan-dissent": "Plan dissent",
    "stop-and-review": "Stop and review (child protection plan)",
    "stop-and-review-cic": "Stop and review (child in care)",
    "allegations": "Allegation against staff",
}


class Bucket(StrEnum):
    """The dashboard counts, in the order a DSL should read them."""

    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_SOON = "due-soon"
    OPEN = "open"
    RESOLVED_THIS_TERM = "resolved-this-term"


BUCKET_LABELS = {
    Bucket.OVERDUE: "Overdue",
    Bucket.DUE_TODAY: "Due today",
    Bucket.DUE_SOON: f"Due in the next {DUE_SOON_WORKING_DAYS} working days",
    Bucket.OPEN: "Open",
    Bucket.RESOLVED_THIS_TERM: "Resolved this term",
}


class Urgency(StrEnum):
    """Where an escalation's next deadline stands. Exactly one per row."""

    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_SOON = "due-soon"
    LATER = "later"
    NO_DEADLINE = "no-deadline"  # open, but the stage has no fixed timescale
    CLOSED = "closed"


@dataclass(frozen=True)
class Term:
    name: str  # "Autumn term 2026"
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def term_containing(day: date) -> Term:
    """The school term ``day`` falls in (see the module notes for the convention)."""
    easter = easter_sunday(day.year)  # Western Easter (dateutil)
    if day.month >= 9:
        return Term(f"Autumn term {day.year}", date(day.year, 9, 1), date(day.year, 12, 31))
    if day <= easter:
        return Term(f"Spring term {day.year}", date(day.year, 1, 1), easter)
    return Term(f"Summer term {day.year}", easter + timedelta(days=1), date(day.year, 8, 31))


def short_day(day: date, today: date) -> str:
    """ "Tue 29 Dec", with the year when it is not this year's."""
    text = f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _is_past(due: date | datetime, now: datetime) -> bool:
    if isinstance(due, datetime):
        return due < now
    return due < now.date()


@dataclass(slots=True)  # slots: 10,000 of these; not frozen, which is slower to build
class DashboardRow:
    """An escalation as the list shows it. Treat as read-only."""

    row: EscalationRow
    urgency: Urgency
    deadline_text: str  # "Tue 29 Dec — 2 working days left", "Overdue by 3 working days"
    working_days_left: int | None  # negative when overdue; None with no open deadline
    resolved_this_term: bool
    pathway_label: str  # the pathway's plain name ("Plan dissent")
    pathway_title: str  # its title in the policy's own words, or its id
    policy_label: str  # the partnership's short name, or the policy id
    stage_label: str  # "3 of 4: Escalate to senior managers"
    status_label: str  # "Open", "Open — overdue", "Resolved", "Withdrawn"
    _haystack: str | None = field(default=None, repr=False, compare=False)

    @property
    def overdue(self) -> bool:
        return self.urgency is Urgency.OVERDUE

    @property
    def haystack(self) -> str:
        """What the search box matches, folded once (on the first search): searching
        10,000 rows on every keystroke cannot afford to fold each row's text again."""
        if self._haystack is None:
            row = self.row
            self._haystack = fold(f"{row.ref} {row.child_name} {row.other_agency}")
        return self._haystack


def deadline_status(row: EscalationRow, now: datetime) -> tuple[Urgency, str, int | None]:
    """The row's urgency, its next-deadline text and working days left (negative: over)."""
    if row.status != "open":
        closed = f"{row.status.capitalize()}"
        if row.closed_at is not None:
            closed += f" {row.closed_at:%d/%m/%Y}"
        return Urgency.CLOSED, closed, None
    due = row.next_due
    if due is None:
        return Urgency.NO_DEADLINE, "No fixed timescale", None
    today = now.date()
    due_day = day_of(due)
    calendar = _calendar(row.nation)
    at_time = f" by {due:%H:%M}" if isinstance(due, datetime) else ""
    if _is_past(due, now):
        late = calendar.working_days_between(due_day, today)
        if late <= 0:  # due earlier today (an hours-based deadline), or over a weekend
            when = f"{due:%H:%M} today" if due_day == today else short_day(due_day, today)
            return Urgency.OVERDUE, f"Overdue: was due {when}", min(late, 0)
        return Urgency.OVERDUE, f"Overdue by {_plural(late, 'working day')}", -late
    if due_day == today:
        return Urgency.DUE_TODAY, f"Due today{at_time}", 0
    left = calendar.working_days_between(today, due_day)
    when = f"{short_day(due_day, today)}{at_time}"
    # A calendar-day deadline can fall on a weekend: no working day left before it.
    left_text = _plural(left, "working day") + " left" if left else "no working days left"
    urgency = Urgency.DUE_SOON if left <= DUE_SOON_WORKING_DAYS else Urgency.LATER
    return urgency, f"{when} — {left_text}", left


def _calendar(nation: str) -> WorkingCalendar:
    """``calendar_for`` by the stored nation text (one enum lookup per nation, not per
    row: this runs for every escalation at every refresh)."""
    found = _CALENDARS.get(nation)
    if found is None:
        found = _CALENDARS[nation] = calendar_for(Nation(nation))
    return found


_CALENDARS: dict[str, WorkingCalendar] = {}


def in_bucket(item: DashboardRow, bucket: Bucket) -> bool:
    if bucket is Bucket.OPEN:
        return item.row.status == "open"
    if bucket is Bucket.RESOLVED_THIS_TERM:
        return item.resolved_this_term
    return item.urgency.value == bucket.value


@dataclass(frozen=True)
class Dashboard:
    rows: list[DashboardRow]  # sorted by next deadline, open first
    counts: dict[Bucket, int]
    term: Term
    today: date


def classify(
    rows: Iterable[EscalationRow],
    now: datetime,
    short_names: Mapping[str, str] | None = None,
) -> Dashboard:
    """``short_names``: each policy id's short name (``PolicyLibrary.short_names()``);
    without one, a policy is labelled by its id."""
    term = term_containing(now.date())
    names = short_names or {}
    out: list[DashboardRow] = []
    # Counted in the same pass (each row is in at most one urgency bucket; see in_bucket).
    tally = dict.fromkeys(Urgency, 0)
    open_count = resolved_this_term = 0
    for row in rows:
        urgency, text, left = deadline_status(row, now)
        tally[urgency] += 1
        status = STATUS_LABELS.get(row.status, row.status.capitalize())
        in_term = (
            row.status == "resolved"
            and row.closed_at is not None
            and (row.closed_at.date() in term)
        )
        open_count += row.status == "open"
        resolved_this_term += in_term
        out.append(
            DashboardRow(
                row,
                urgency,
                text,
                left,
                in_term,
                PATHWAY_NAMES.get(row.pathway_id, row.pathway_id),
                row.pathway_title or row.pathway_id,
                names.get(row.policy_id, row.policy_id),
                f"{row.stage_number} of {row.stage_count}: {row.stage_title}",
                f"{status} — overdue" if urgency is Urgency.OVERDUE else status,
            )
        )
    out.sort(key=sort_key)
    counts = {
        Bucket.OVERDUE: tally[Urgency.OVERDUE],
        Bucket.DUE_TODAY: tally[Urgency.DUE_TODAY],
        Bucket.DUE_SOON: tally[Urgency.DUE_SOON],
        Bucket.OPEN: open_count,
        Bucket.RESOLVED_THIS_TERM: resolved_this_term,
    }
    return Dashboard(rows=out, counts=counts, term=term, today=now.date())


def sort_key(item: DashboardRow) -> tuple[bool, datetime, str]:
    """By next deadline: open escalations first, soonest deadline first, then those with
    no fixed timescale; closed ones last, most recently closed first."""
    row = item.row
    if row.status != "open":
        closed = row.closed_at or datetime.min
        return True, datetime.max - (closed - datetime.min), row.ref
    if row.next_due is None:
        return False, datetime.max, row.ref
    due = row.next_due
    moment = due if isinstance(due, datetime) else datetime.combine(due, time.max)
    return False, moment, row.ref


def dashboard(
    store: ReadStore,
    short_names: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> Dashboard:
    return classify(list_escalations(store), now or clock.now(), short_names)


# --- Search and filters -------------------------------------------------------------------


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "zoe" finds "Zoë" and "lucja" "Łucja"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Letters with strokes do not decompose.
    return plain.translate(_STROKES)


_STROKES = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss"})


@dataclass(frozen=True)
class ListFilter:
    """What the list is narrowed to. ``None`` means any."""

    search: str = ""  # matched against the reference, child and other agency
    status: str | None = None
    pathway_id: str | None = None
    stage_number: int | None = None
    policy_id: str | None = None
    bucket: Bucket | None = None
    _words: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_words", tuple(fold(self.search).split()))

    def matches(self, item: DashboardRow) -> bool:
        row = item.row
        if self.status is not None and row.status != self.status:
            return False
        if self.pathway_id is not None and row.pathway_id != self.pathway_id:
            return False
        if self.stage_number is not None and row.stage_number != self.stage_number:
            return False
        if self.policy_id is not None and row.policy_id != self.policy_id:
            return False
        if self.bucket is not None and not in_bucket(item, self.bucket):
            return False
        if self._words:
            haystack = item.haystack
            return all(word in haystack for word in self._words)
        return True


def filter_rows(rows: Sequence[DashboardRow], chosen: ListFilter) -> list[DashboardRow]:
    return [r for r in rows if chosen.matches(r)]
