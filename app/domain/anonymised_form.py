"""The Escalation Monitoring Form without the child's identifying details: every text
the form prints, taken through ``app.domain.redaction`` and put back into the escalation
the form is drawn from. The name and date of birth boxes are left out by the form
itself; this takes the child out of what was typed ("referral about Zoe…")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from app.domain.redaction import CHILD, Redaction, Review, child_details
from app.domain.views import EscalationDetail, RecordView, VersionView

# The escalation's own texts the form prints, by the label the form gives them.
_FIELDS = {
    "Raised by": "raised_by",
    "Other practitioner": "other_practitioner",
    "What is disputed": "disputed",
    "What we want to change for the child": "change_wanted",
    "Impact on the child": "impact",
    "Recorded elsewhere": "provenance",
}
# The records it prints (their current version): kind -> label and content key.
_RECORD_FIELDS = {
    "monitoring-form": {"actions_to_date": "Actions taken to date"},
    "action": {"description": "Action", "owner": "Action owner"},
}


def _record_label(kind: str, key: str, index: int) -> str:
    label = _RECORD_FIELDS[kind][key]
    return f"{label} {index}" if kind == "action" else label


def _printed_records(detail: EscalationDetail) -> list[tuple[int, RecordView]]:
    """The records the form prints, each numbered within its kind (actions 1, 2…): the
    actions, and the latest monitoring form record."""
    forms = [r for r in detail.records if r.kind == "monitoring-form"]
    counts: dict[str, int] = {}
    out = []
    for record in detail.records:
        if record.kind == "action" or (forms and record is forms[-1]):
            counts[record.kind] = counts.get(record.kind, 0) + 1
            out.append((counts[record.kind], record))
    return out


def form_texts(detail: EscalationDetail) -> dict[str, str]:
    """Every piece of typed text the monitoring form prints, by where it appears."""
    texts = {label: str(getattr(detail, name)) for label, name in _FIELDS.items()}
    texts["Other agency"] = detail.row.other_agency
    for stage in detail.stages:
        if stage.result:
            texts[f"Stage {stage.number}: result"] = stage.result
    for index, record in _printed_records(detail):
        content = record.current.content
        for key in _RECORD_FIELDS[record.kind]:
            texts[_record_label(record.kind, key, index)] = str(content.get(key) or "")
    return {label: text for label, text in texts.items() if text}


def with_texts(detail: EscalationDetail, texts: dict[str, str]) -> EscalationDetail:
    """``detail`` with the texts of ``form_texts`` replaced by ``texts``, and the
    child's own details gone from it."""
    # Any: each is a str field of EscalationDetail, named in _FIELDS.
    changes: dict[str, Any] = {name: texts.get(label, "") for label, name in _FIELDS.items()}
    records = []
    printed = {id(record): index for index, record in _printed_records(detail)}
    for record in detail.records:
        if id(record) not in printed:
            records.append(record)
            continue
        content = dict(record.current.content)
        for key in _RECORD_FIELDS[record.kind]:
            label = _record_label(record.kind, key, printed[id(record)])
            if label in texts:
                content[key] = texts[label]
        current: VersionView = replace(record.current, content=content)
        records.append(replace(record, versions=[*record.versions[:-1], current]))
    stages = [
        replace(s, result=texts.get(f"Stage {s.number}: result", "")) if s.result else s
        for s in detail.stages
    ]
    row = replace(
        detail.row,
        child_name=CHILD,
        other_agency=texts.get("Other agency", ""),
    )
    child = replace(detail.child, name=CHILD, date_of_birth=None, identifier="")
    return replace(detail, row=row, child=child, records=records, stages=stages, **changes)


def review(detail: EscalationDetail) -> Review:
    """What the form would print, and the child's details to take out of it."""
    child = detail.child
    return Review(
        form_texts(detail), child_details(child.name, child.date_of_birth, child.identifier)
    )


def without_child(
    detail: EscalationDetail, by_hand: Sequence[str] = ()
) -> tuple[EscalationDetail, list[Redaction]]:
    """The escalation as the anonymised form prints it, and what was taken out."""
    redacted = review(detail).run(by_hand)
    return with_texts(detail, redacted.texts), redacted.redactions
