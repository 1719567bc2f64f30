"""Subject access: a child's records as one PDF, optionally with other people's details
taken out (other agencies' practitioners, other children in the file) by
``app.domain.redaction``; the child's own names and our own staff stay. The DSL checks
the list of redactions (``subject_access_review``) and the preview before release:
redaction here is a first pass, not a legal judgement."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from app.chronology import entries
from app.domain.redaction import (
    THIRD_PARTY,
    Redaction,
    Review,
    Terms,
    identifiers,
    names,
    phrases,
)
from app.domain.views import EscalationDetail
from app.errors import InputError
from app.services.common import Store
from app.services.escalations import escalation_detail
from app.services.sealing import produce_sealed
from app.storage.models import Child, Contact, Escalation

OTHER_CHILD = "[another child]"
TITLES = re.compile(r"^(mr|mrs|ms|miss|mx|dr|ds|dc|di|pc|prof)\.?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Disclosure:
    pdf: bytes
    sha256: str
    redacted_names: list[str]  # each text taken out, as it was written
    redactions: list[Redaction] = field(default_factory=list)


def third_party_names(details: list[EscalationDetail], ours: set[str]) -> list[str]:
    """Names of other agencies' practitioners found in the records, longest first."""
    found: set[str] = set()
    for detail in details:
        found.add(detail.other_practitioner)
        for record in detail.records:
            for version in record.versions:
                c = version.content
                found.update(str(p) for p in c.get("participants", []) or [])  # type: ignore[attr-defined]
                found.update(str(p.get("name", "")) for p in c.get("parties", []) or [])  # type: ignore[attr-defined]
                for key in ("owner", "chair", "dissenting"):
                    if c.get(key):
                        found.add(str(c[key]))
    ours_plain = {TITLES.sub("", n).strip().lower() for n in ours}
    names = set()
    for name in found:
        name = name.strip()
        plain = TITLES.sub("", name).strip()
        if (
            not plain
            or plain.lower() in ours_plain
            or any(o and o in plain.lower() for o in ours_plain)
        ):
            continue
        names.update({name, plain})
    return sorted(names, key=len, reverse=True)


def _gathered(
    store: Store, child_id: int, dsl: str, redact_third_parties: bool
) -> tuple[list[EscalationDetail], Terms]:
    """The child's escalations, and who is taken out of them: other agencies'
    practitioners, and other children in the file (their names and identifiers); never
    the child's own names, nor our own staff."""
    with store.session() as session:
        refs = list(
            session.scalars(
                select(Escalation.ref)
                .where(Escalation.child_id == child_id)
                .order_by(Escalation.id)
            )
        )
        ours = {c.name for c in session.scalars(select(Contact).where(Contact.internal))}
        others = [
            (c.name, c.identifier)
            for c in session.scalars(select(Child).where(Child.id != child_id))
        ]
    if not refs:
        raise InputError("There are no records about this child in this file.")
    details = [escalation_detail(store, ref) for ref in refs]
    if not redact_third_parties:
        return details, Terms()
    child = details[0].child.name
    ours |= {dsl, child} | {d.raised_by for d in details}
    # A name with a title ("Ms Grace Adeyemi") is a person's: each part of it goes too.
    # Anything else ("Team Manager, CSC") is taken out only as written, not word by word.
    found = third_party_names(details, ours)
    titled = [n for n in found if TITLES.match(n)]
    terms = names(titled, THIRD_PARTY, "another practitioner", keep=ours)
    terms += phrases(set(found) - set(titled), THIRD_PARTY, "another practitioner")
    terms += names([n for n, _ in others], OTHER_CHILD, "another child's name", keep=[child])
    terms += identifiers([i for _, i in others], OTHER_CHILD, "another child's identifier")
    return details, terms


def _chronology_texts(details: list[EscalationDetail]) -> dict[str, str]:
    """The texts the disclosure prints, by the entry they are in (as the review shows)."""
    texts: dict[str, str] = {}
    for detail in details:
        for entry in entries(detail):
            where = f"{entry.at:%d/%m/%Y %H:%M} {entry.ref}, {entry.what}"
            for part, text in (("event", entry.what), ("detail", entry.detail), ("by", entry.by)):
                if text:
                    texts[f"{where} ({part})"] = text
    return texts


def subject_access_review(store: Store, child_id: int, *, dsl: str) -> Review:
    """What the disclosure would take out, for the DSL to check and add to first."""
    details, terms = _gathered(store, child_id, dsl, True)
    return Review(_chronology_texts(details), terms)


def subject_access_pdf(
    store: Store,
    child_id: int,
    *,
    setting: str,
    dsl: str,
    actor: str,
    redact_third_parties: bool,
    by_hand: Sequence[str] = (),
) -> Disclosure:
    """``by_hand``: words and phrases the DSL added in the review, taken out too."""
    from app.documents.chronology_doc import chronology_pdf
    from app.documents.sections import Letterhead

    details, terms = _gathered(store, child_id, dsl, redact_third_parties)
    terms += phrases(by_hand)
    redactions = Review(_chronology_texts(details), terms).run().redactions
    note = (
        "Prepared in response to a subject access request. Other people's names have been "
        "replaced with [third party] (other practitioners), [another child] or [redacted]; "
        "check every page before release."
        if terms
        else "Prepared in response to a subject access request. Not redacted: review "
        "before release."
    )
    made = produce_sealed(
        store,
        lambda now: chronology_pdf(
            details,
            Letterhead(setting=setting, dsl=dsl),
            generated_at=now,
            title="Subject access disclosure",
            redact=terms.redact if terms else None,
            note=note,
        ),
        action="generate subject access disclosure",
        target=f"child:{child_id}",
        actor=actor,
    )
    return Disclosure(made.pdf, made.sha256, sorted({r.found for r in redactions}), redactions)
