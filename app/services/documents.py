"""Generating a document: render the PDF in memory, record its SHA-256 in the audit
trail (so a printed copy can later be matched to the record), return the bytes.
ReportLab is imported only here and in app.documents, on first use, to keep start-up
lean."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from app import clock
from app.domain.escalation_actions import EscalationAction, require, situation_of
from app.errors import InputError
from app.policy import PolicyLibrary
from app.services.common import Store, get_escalation
from app.services.escalations import escalation_detail
from app.storage import audit
from app.storage.models import Escalation


class DocumentKind(StrEnum):
    CONFIRMATION = "confirmation"
    MONITORING_FORM = "monitoring-form"
    CONFERENCE_DISSENT = "conference-dissent"
    STOP_AND_REVIEW = "stop-and-review"
    CHRONOLOGY = "chronology"


# What each document is, among the things a DSL may do to an escalation.
ACTIONS = {
    DocumentKind.CONFIRMATION: EscalationAction.CONFIRMATION,
    DocumentKind.MONITORING_FORM: EscalationAction.MONITORING_FORM,
    DocumentKind.CONFERENCE_DISSENT: EscalationAction.CONFERENCE_DISSENT_RECORD,
    DocumentKind.STOP_AND_REVIEW: EscalationAction.STOP_AND_REVIEW_REQUEST,
    DocumentKind.CHRONOLOGY: EscalationAction.CHRONOLOGY,
}

TITLES = {
    DocumentKind.CONFIRMATION: "Written confirmation of agreed outcome",
    DocumentKind.MONITORING_FORM: "Escalation Monitoring Form",
    DocumentKind.CONFERENCE_DISSENT: "Conference dissent record",
    DocumentKind.STOP_AND_REVIEW: "Stop and review request",
    DocumentKind.CHRONOLOGY: "Case chronology",
}


@dataclass(frozen=True)
class GeneratedDocument:
    kind: DocumentKind
    ref: str
    title: str
    pdf: bytes
    sha256: str

    @property
    def suggested_name(self) -> str:
        return f"{self.ref}-{self.kind.value}.pdf"


def generate_document(
    store: Store,
    library: PolicyLibrary,
    kind: DocumentKind,
    ref: str,
    *,
    setting: str,
    dsl: str,
    actor: str,
    identify_child: bool = True,
) -> GeneratedDocument:
    # Imported here: ReportLab costs start-up time and is needed only now.
    from app.documents import chronology_doc, confirmation, records_docs
    from app.documents.sections import Letterhead

    detail = escalation_detail(store, ref)
    require(ACTIONS[kind], situation_of(detail))
    policy = library.get(detail.row.policy_id) if detail.row.policy_id in library.ids() else None
    letterhead = Letterhead(
        setting=setting or "Our setting", dsl=dsl or "Designated Safeguarding Lead"
    )
    now = clock.now()
    if kind is DocumentKind.CONFIRMATION:
        pdf = confirmation.confirmation_pdf(detail, policy, letterhead, generated_at=now)
    elif kind is DocumentKind.MONITORING_FORM:
        pdf = records_docs.monitoring_form_pdf(
            detail, policy, letterhead, generated_at=now, identify_child=identify_child
        )
    elif kind is DocumentKind.CONFERENCE_DISSENT:
        pdf = records_docs.conference_dissent_pdf(detail, policy, letterhead, generated_at=now)
    elif kind is DocumentKind.STOP_AND_REVIEW:
        pdf = records_docs.stop_and_review_pdf(detail, policy, letterhead, generated_at=now)
    else:
        pdf = chronology_doc.chronology_pdf([detail], letterhead, generated_at=now)
    return _record(store, kind, ref, pdf, actor, now)


def child_chronology(
    store: Store, child_id: int, *, setting: str, dsl: str, actor: str
) -> GeneratedDocument:
    """Every escalation about one child, in one chronology (for a move of setting)."""
    from app.documents import chronology_doc
    from app.documents.sections import Letterhead

    with store.session() as session:
        refs = list(
            session.scalars(
                select(Escalation.ref)
                .where(Escalation.child_id == child_id)
                .order_by(Escalation.id)
            )
        )
    if not refs:
        raise InputError("There are no escalations about this child.")
    details = [escalation_detail(store, ref) for ref in refs]
    now = clock.now()
    pdf = chronology_doc.chronology_pdf(
        details, Letterhead(setting=setting, dsl=dsl), generated_at=now
    )
    return _record(store, DocumentKind.CHRONOLOGY, refs[0], pdf, actor, now)


def _record(
    store: Store, kind: DocumentKind, ref: str, pdf: bytes, actor: str, now: datetime
) -> GeneratedDocument:
    digest = hashlib.sha256(pdf).hexdigest()
    with store.session() as session:
        escalation = get_escalation(session, ref)
        audit.append(
            session,
            actor=actor,
            action=f"generate {TITLES[kind]}",
            target=f"document:{escalation.ref}",
            content=None,
            digest=digest,
            at=now,
        )
    return GeneratedDocument(kind, ref, TITLES[kind], pdf, digest)
