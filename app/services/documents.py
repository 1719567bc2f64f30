"""Generating a document: render the PDF in memory under the file's record seal, record
its SHA-256 in the audit trail right after the seal (so a printed copy can later be
matched to the record, and the seal printed on it anchors the history: see
``app.services.sealing``), return the bytes.
ReportLab is imported only here and in app.documents, on first use, to keep start-up
lean."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from app.domain import anonymised_form
from app.domain.escalation_actions import EscalationAction, require, situation_of
from app.domain.redaction import Redaction, Review
from app.domain.seal import Seal
from app.domain.statistics_figures import Statistics
from app.errors import InputError
from app.policy import PolicyLibrary
from app.services.common import Store
from app.services.escalations import escalation_detail
from app.services.sealing import produce_sealed
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
    seal: Seal  # printed in its footer; its audit entry is the one after the seal
    # What was taken out of the typed text (the form without the child's details).
    redactions: list[Redaction] = field(default_factory=list)

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
    by_hand: Sequence[str] = (),
) -> GeneratedDocument:
    """``identify_child=False`` (the monitoring form only): the child's names, date of
    birth and identifiers are taken out of every text it prints, with ``by_hand``'s
    words and phrases too (what the DSL added in ``monitoring_form_review``)."""
    # Imported here: ReportLab costs start-up time and is needed only now.
    from app.documents import chronology_doc, confirmation, records_docs
    from app.documents.sections import Letterhead

    detail = escalation_detail(store, ref)
    require(ACTIONS[kind], situation_of(detail))
    policy = library.followed(detail.row.policy_id, detail.policy_version)
    letterhead = Letterhead(
        setting=setting or "Our setting", dsl=dsl or "Designated Safeguarding Lead"
    )
    redactions: list[Redaction] = []
    if kind is DocumentKind.MONITORING_FORM and not identify_child:
        detail, redactions = anonymised_form.without_child(detail, by_hand)

    def render(now: datetime) -> bytes:
        if kind is DocumentKind.CONFIRMATION:
            return confirmation.confirmation_pdf(detail, policy, letterhead, generated_at=now)
        if kind is DocumentKind.MONITORING_FORM:
            return records_docs.monitoring_form_pdf(
                detail, policy, letterhead, generated_at=now, identify_child=identify_child
            )
        if kind is DocumentKind.CONFERENCE_DISSENT:
            return records_docs.conference_dissent_pdf(detail, policy, letterhead, generated_at=now)
        if kind is DocumentKind.STOP_AND_REVIEW:
            return records_docs.stop_and_review_pdf(detail, policy, letterhead, generated_at=now)
        return chronology_doc.chronology_pdf([detail], letterhead, generated_at=now)

    made = _record(store, kind, detail.row.ref, render, actor)
    return replace(made, redactions=redactions)


def monitoring_form_review(store: Store, ref: str) -> Review:
    """What the monitoring form without the child's identifying details would take out
    of its texts, for the DSL to check (and add to) before it is produced."""
    return anonymised_form.review(escalation_detail(store, ref))


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
    letterhead = Letterhead(setting=setting, dsl=dsl)
    return _record(
        store,
        DocumentKind.CHRONOLOGY,
        refs[0],
        lambda now: chronology_doc.chronology_pdf(details, letterhead, generated_at=now),
        actor,
    )


def _record(
    store: Store, kind: DocumentKind, ref: str, render: Callable[[datetime], bytes], actor: str
) -> GeneratedDocument:
    """Rendered under the record seal, its SHA-256 in the entry right after the seal."""
    made = produce_sealed(
        store, render, action=f"generate {TITLES[kind]}", target=f"document:{ref}", actor=actor
    )
    return GeneratedDocument(kind, ref, TITLES[kind], made.pdf, made.sha256, made.seal)


def statistics_document(
    store: Store, figures: Statistics, *, setting: str, actor: str, for_partnership: bool = False
) -> bytes:
    """The figures as a PDF, sealed and recorded like every other document (no child
    data: the audit entry names the file)."""
    from app.documents.statistics_doc import statistics_pdf

    title = "monitoring return" if for_partnership else "statistics"
    made = produce_sealed(
        store,
        lambda now: statistics_pdf(
            figures, setting=setting, generated_at=now, for_partnership=for_partnership
        ),
        action=f"generate escalation {title}",
        target="file",
        actor=actor,
    )
    return made.pdf
