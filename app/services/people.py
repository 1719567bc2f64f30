"""Children and the contacts directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import clock
from app.domain import validation as check
from app.domain.typed_dates import BIRTH_DATES
from app.domain.validation import FieldError, gather, optional, refuse, required
from app.domain.views import ChildView, ContactView
from app.services.common import Sessions, Store
from app.services.contact_rows import list_contacts as list_contacts
from app.storage import audit
from app.storage.models import Child, Contact

RETENTION_YEARS = 25  # IRMS toolkit: child protection records, DOB + 25 years


def retention_review_date(dob: date | None, hold_until: date | None = None) -> date | None:
    """DOB + 25 years, or a later hold. With the date of birth not known, no date is
    worked out from one nobody gave: only a hold someone set, else None (reviewed by
    hand; the retention review lists the child so)."""
    if dob is None:
        return hold_until
    try:
        review = dob.replace(year=dob.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        review = date(dob.year + RETENTION_YEARS, 3, 1)
    return max(review, hold_until) if hold_until else review


def child_view(child: Child) -> ChildView:
    return ChildView(
        id=child.id,
        name=child.name,
        date_of_birth=child.date_of_birth,
        identifier=child.identifier,
        cp_plan=child.cp_plan,
        looked_after=child.looked_after,
        child_in_need=child.child_in_need,
        retention_review=retention_review_date(child.date_of_birth, child.retention_hold_until),
    )


@dataclass(frozen=True)
class NewChild:
    """A child as typed (on the new-escalation form)."""

    name: str
    date_of_birth: date | None  # None: not known, as the DSL said
    identifier: str = ""
    cp_plan: bool = False
    looked_after: bool = False
    child_in_need: bool = False


def new_child_problems(child: NewChild) -> list[FieldError]:
    now = clock.now()
    checks = [
        required(child.name, "Child's name", 200),
        optional(child.identifier, "Identifier", 100),
    ]
    born = child.date_of_birth
    if born is not None:  # None: the DSL said it is not known
        checks += [
            lambda: check.plausible(born, "Date of birth", BIRTH_DATES),
            lambda: check.not_future(born, "Date of birth", now),
        ]
    return gather(*checks)


def add_child(
    store: Sessions,
    *,
    name: str,
    date_of_birth: date | None,
    identifier: str = "",
    cp_plan: bool = False,
    looked_after: bool = False,
    child_in_need: bool = False,
    actor: str,
    at: datetime | None = None,
) -> ChildView:
    when = at or clock.now()
    refuse(new_child_problems(NewChild(name, date_of_birth, identifier)))
    with store.session() as session:
        child = Child(
            name=name,
            date_of_birth=date_of_birth,
            identifier=identifier,
            cp_plan=cp_plan,
            looked_after=looked_after,
            child_in_need=child_in_need,
            created_at=when,
        )
        session.add(child)
        audit.append_row(session, actor=actor, action="add child", row=child, at=when)
        return child_view(child)


def list_children(store: Store) -> list[ChildView]:
    with store.session() as session:
        return [child_view(c) for c in session.scalars(select(Child).order_by(Child.name))]


def add_contact(
    store: Store,
    *,
    name: str,
    agency: str = "",
    role: str = "",
    phone: str = "",
    email: str = "",
    named_officer_role: str = "",
    internal: bool = False,
    actor: str,
) -> ContactView:
    check.text(name, "Name", limit=200)
    for value, label in ((agency, "Agency"), (role, "Role"), (phone, "Phone"), (email, "Email")):
        check.text(value, label, required=False, limit=200)
    with store.session() as session:
        contact = Contact(
            name=name,
            agency=agency,
            role=role,
            phone=phone,
            email=email,
            named_officer_role=named_officer_role,
            internal=internal,
        )
        session.add(contact)
        audit.append_row(session, actor=actor, action="add contact", row=contact)
        return _contact_view(contact)


def _contact_view(c: Contact) -> ContactView:
    return ContactView(
        c.id, c.name, c.agency, c.role, c.phone, c.email, c.named_officer_role, c.internal
    )
