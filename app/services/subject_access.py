"""Subject access: a child's records as one PDF, optionally with third parties' names
(other agencies' practitioners) taken out. The DSL reviews the preview before release:
redaction here is a first pass, not a legal judgement."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.views import EscalationDetail
from app.errors import InputError
from app.services.common import Store
from app.services.escalations import escalation_detail
from app.services.sealing import produce_sealed
from app.storage.models import Contact, Escalation

REDACTED = "[third party]"
TITLES = re.compile(r"^(mr|mrs|ms|miss|mx|dr|ds|dc|di|pc|prof)\.?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Disclosure:
    pdf: bytes
    sha256: str
    redacted_names: list[str]


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


def subject_access_pdf(
    store: Store, child_id: int, *, setting: str, dsl: str, actor: str, redact_third_parties: bool
) -> Disclosure:
    from app.documents.chronology_doc import chronology_pdf
    from app.documents.sections import Letterhead

    with store.session() as session:
        refs = list(
            session.scalars(
                select(Escalation.ref)
                .where(Escalation.child_id == child_id)
                .order_by(Escalation.id)
            )
        )
        ours = {c.name for c in session.scalars(select(Contact).where(Contact.internal))}
    if not refs:
        raise InputError("There are no records about this child in this file.")
    details = [escalation_detail(store, ref) for ref in refs]
    ours |= {dsl, details[0].raised_by, details[0].child.name}
    ours |= {d.raised_by for d in details}
    names = third_party_names(details, ours) if redact_third_parties else []
    pattern = re.compile("|".join(re.escape(n) for n in names)) if names else None

    def redact(text: str) -> str:
        return pattern.sub(REDACTED, text) if pattern else text

    note = (
        "Prepared in response to a subject access request. Third parties' names have been "
        "replaced with [third party]; check every page before release."
        if redact_third_parties
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
            redact=redact,
            note=note,
        ),
        action="generate subject access disclosure",
        target=f"child:{child_id}",
        actor=actor,
    )
    return Disclosure(made.pdf, made.sha256, names)
