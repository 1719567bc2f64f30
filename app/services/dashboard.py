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
from app.deadlines.moments import Moment, parse_moment
from app.deadlines.standing import Standing, is_overdue, standing
from app.domain.views import EscalationRow
from app.nation import Nation
from app.policy.pathway_kind import PathwayKind
from app.policy.stage_names import stage_of
from app.services.escalation_rows import (
    list_escalations,
    read_counts,
    read_rows,
    read_waiting,
)
from app.services.store import ReadStore
from app.services.waiting import Waiting, waiting

DUE_SOON_WORKING_DAYS = 3

STATUS_LABELS = {"open": "Open", "resolved": "Resolved", "withdrawn": "Withdrawn"}


class Bucket(StrEnum):
    """The dashboard counts, in the order a DSL should read them."""

    OVERDUE = "overdue"
    DUE_TODAY = "due-today"
    DUE_SOON = "due-soon"
    NO_TIMESCALE = "no-timescale"  # open at a stage with no fixed timescale
    OPEN = "open"
    RESOLVED_THIS_TERM = "resolved-this-term"


BUCKET_LABELS = {
    Bucket.OVERDUE: "Overdue",
    Bucket.DUE_TODAY: "Due today",
    Bucket.DUE_SOON: f"Due in the next {DUE_SOON_WORKING_DAYS} working days",
    Bucket.NO_TIMESCALE: "No fixed timescale",
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


@dataclass(slots=True)  # slots: 10,000 of these; not frozen, which is slower to build
class DashboardRow:
    """An escalation as the list shows it. Treat as read-only.

    Only what the counts, filters and order need is worked out for every row; the
    words (deadline text, labels) are worked out when a row is shown or searched, so
    unlocking a file of 10,000 escalations does not write 70,000 strings nobody reads."""

    row: EscalationRow
    urgency: Urgency
    resolved_this_term: bool
    policy_label: str  # the partnership's short name, or the policy id
    now: datetime = field(repr=False, compare=False)  # when the dashboard was read
    _deadline: tuple[str, int | None] | None = field(default=None, repr=False, compare=False)
    _haystack: str | None = field(default=None, repr=False, compare=False)
    _order: tuple[bool, datetime, str] | None = field(default=None, repr=False, compare=False)

    @property
    def overdue(self) -> bool:
        return self.urgency is Urgency.OVERDUE

    @property
    def deadline_text(self) -> str:
        """ "Tue 29 Dec — 2 working days left", "Overdue by 3 working days"."""
        return self._deadline_words()[0]

    @property
    def working_days_left(self) -> int | None:
        """Negative when overdue; None with no open deadline."""
        return self._deadline_words()[1]

    def _deadline_words(self) -> tuple[str, int | None]:
        if self._deadline is None:
            _urgency, text, left = deadline_status(self.row, self.now)
            self._deadline = (text, left)
        return self._deadline

    @property
    def pathway_label(self) -> str:
        """The pathway's kind in plain words ("Plan dissent")."""
        return self.row.kind.plain_name

    @property
    def pathway_title(self) -> str:
        """Its title in the policy's own words, or its id."""
        return self.row.pathway_title or self.row.pathway_id

    @property
    def stage_label(self) -> str:
        """ "3 of 4: Escalate to senior managers"."""
        row = self.row
        if row.damaged:
            return "Damaged: cannot be read"
        return stage_of(row.stage_number, row.stage_count, row.stage_title, prefix="")

    @property
    def status_label(self) -> str:
        """ "Open", "Open — overdue", "Resolved", "Withdrawn"."""
        status = STATUS_LABELS.get(self.row.status, self.row.status.capitalize())
        return f"{status} — overdue" if self.urgency is Urgency.OVERDUE else status

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
    if row.damaged:  # shown, with why; counted with those without a deadline
        return Urgency.NO_DEADLINE, f"Damaged: {row.damaged} Run python -m app check.", None
    if row.status != "open":
        closed = f"{row.status.capitalize()}"
        if row.closed_at is not None:
            closed += f" {row.closed_at:%d/%m/%Y}"
        return Urgency.CLOSED, closed, None
    where = standing(row.next_due, now, _calendar(row.nation))
    left = where.working_days
    if left is None:
        return Urgency.NO_DEADLINE, "No fixed timescale", None
    if where.standing is Standing.OVERDUE:
        return Urgency.OVERDUE, where.words, -left
    if where.standing is Standing.DUE_TODAY:
        return Urgency.DUE_TODAY, where.words, 0
    urgency = Urgency.DUE_SOON if left <= DUE_SOON_WORKING_DAYS else Urgency.LATER
    return urgency, f"{where.when} — {where.words}", left


def urgency_of(row: EscalationRow, now: datetime, soon_before: Mapping[str, date]) -> Urgency:
    """``deadline_status``'s urgency without its words or working-day counts.
    ``soon_before``: per nation, the first day that is more than DUE_SOON_WORKING_DAYS
    working days after today (``_SoonLimits``): a deadline before it is due soon."""
    return _urgency(row.status, row.next_due, row.nation, now, soon_before)


def _urgency(
    status: str, due: Moment | None, nation: str, now: datetime, soon_before: Mapping[str, date]
) -> Urgency:
    if status != "open":
        return Urgency.CLOSED
    if due is None:
        return Urgency.NO_DEADLINE
    # The standing rule (app.deadlines.standing), without counting working days: the
    # counts classify thousands of deadlines at unlock.
    if is_overdue(due, now):
        return Urgency.OVERDUE
    due_day = day_of(due)
    if due_day == now.date():
        return Urgency.DUE_TODAY
    return Urgency.DUE_SOON if due_day < soon_before[nation] else Urgency.LATER


class _SoonLimits(dict[str, date]):
    """``urgency_of``'s ``soon_before``, worked out for a nation when first asked."""

    def __init__(self, today: date) -> None:
        super().__init__()
        self._today = today

    def __missing__(self, nation: str) -> date:
        # Working days left = working days after today up to the deadline, so "left <=
        # N" means "before the (N+1)th working day after today".
        limit = _calendar(nation).add_working_days(self._today, DUE_SOON_WORKING_DAYS + 1)
        self[nation] = limit
        return limit


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
    if bucket is Bucket.NO_TIMESCALE:
        return _waits(item.row)
    return item.urgency.value == bucket.value


def _waits(row: EscalationRow) -> bool:
    """Open at a stage with no fixed timescale (a damaged row has no stage to wait at)."""
    return row.status == "open" and row.next_due is None and not row.damaged


@dataclass(frozen=True)
class Dashboard:
    rows: list[DashboardRow]  # sorted by next deadline, open first
    counts: dict[Bucket, int]
    term: Term
    today: date
    total: int  # escalations in all: more than ``len(rows)`` for a ``first_page``
    waiting: Waiting = field(default_factory=Waiting)

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total


def classify(
    rows: Iterable[EscalationRow],
    now: datetime,
    short_names: Mapping[str, str] | None = None,
) -> Dashboard:
    """``short_names``: each policy id's short name (``PolicyLibrary.short_names()``);
    without one, a policy is labelled by its id."""
    term = term_containing(now.date())
    names = short_names or {}
    soon_before = _SoonLimits(now.date())
    out: list[DashboardRow] = []
    # Counted in the same pass (each row is in at most one urgency bucket; see in_bucket).
    tally = dict.fromkeys(Urgency, 0)
    open_count = resolved_this_term = 0
    for row in rows:
        urgency = urgency_of(row, now, soon_before)
        tally[urgency] += 1
        in_term = _resolved_in(term, row.status, row.closed_at)
        open_count += row.status == "open"
        resolved_this_term += in_term
        out.append(
            DashboardRow(row, urgency, in_term, names.get(row.policy_id, row.policy_id), now)
        )
    out.sort(key=sort_key)
    waits = waiting(
        (
            (item.row.ref, item.row.nation, item.row.stage_started_at)
            for item in out
            if _waits(item.row)
        ),
        now,
    )
    counts = _counts(tally, open_count, resolved_this_term, waits)
    return Dashboard(
        rows=out, counts=counts, term=term, today=now.date(), total=len(out), waiting=waits
    )


def _counted_urgency(
    due: str | None, nation: str, now: datetime, soon_before: Mapping[str, date]
) -> Urgency:
    """An open group's urgency; a deadline or nation it cannot read counts with those
    without a deadline, as the list shows such an escalation (damaged)."""
    try:
        return _urgency("open", parse_moment(due), nation, now, soon_before)
    except (ValueError, TypeError):
        return Urgency.NO_DEADLINE


def _resolved_in(term: Term, status: str, closed_at: datetime | None) -> bool:
    return status == "resolved" and closed_at is not None and closed_at.date() in term


def _counts(
    tally: dict[Urgency, int], open_count: int, resolved: int, waits: Waiting
) -> dict[Bucket, int]:
    return {
        Bucket.OVERDUE: tally[Urgency.OVERDUE],
        Bucket.DUE_TODAY: tally[Urgency.DUE_TODAY],
        Bucket.DUE_SOON: tally[Urgency.DUE_SOON],
        Bucket.NO_TIMESCALE: waits.count,
        Bucket.OPEN: open_count,
        Bucket.RESOLVED_THIS_TERM: resolved,
    }


def sort_key(item: DashboardRow) -> tuple[bool, datetime, str]:
    """By next deadline: open escalations first, soonest deadline first, then those with
    no fixed timescale; closed ones last, most recently closed first. Kept on the row:
    the list sorts again after every keystroke in the search box."""
    if item._order is None:
        item._order = _order(item.row)
    return item._order


def _order(row: EscalationRow) -> tuple[bool, datetime, str]:
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


def first_page(
    store: ReadStore,
    size: int,
    short_names: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> Dashboard:
    """``dashboard()``'s counts and total, with only the first ``size`` rows of the list:
    what unlocking paints first (docs/performance.md). The counts come from escalations grouped by
    status, nation and deadline (``read_counts``), classified by the same rules as
    ``classify``; the whole list (14 values and two objects per escalation) is read
    just after the paint."""
    now = now or clock.now()
    term = term_containing(now.date())
    soon_before = _SoonLimits(now.date())
    tally = dict.fromkeys(Urgency, 0)
    open_count = resolved_this_term = 0
    with store.read() as connection:
        for status, nation, due, count, resolved in read_counts(connection, term.start, term.end):
            if status == "open":
                open_count += count
                tally[_counted_urgency(due, nation, now, soon_before)] += count
            else:
                tally[Urgency.CLOSED] += count
                resolved_this_term += resolved
        rows = read_rows(connection, limit=size)
        waits = waiting(read_waiting(connection), now)
    page = classify(rows, now, short_names)
    return Dashboard(
        rows=page.rows,
        counts=_counts(tally, open_count, resolved_this_term, waits),
        term=term,
        today=now.date(),
        total=sum(tally.values()),
        waiting=waits,
    )


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
    pathway_kind: PathwayKind | None = None
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
        if self.pathway_kind is not None and row.kind != self.pathway_kind:
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
