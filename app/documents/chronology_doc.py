"""The case chronology: everything on one escalation, or on one child across their
escalations, in date order, with amendments shown as amendments. It goes with the
child's file when they move setting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from reportlab.platypus import Flowable

from app.chronology import entries
from app.documents.layout import (
    DocumentMeta,
    Styles,
    build_pdf,
    content_width,
    facts_table,
    grid_table,
    para,
    spacer,
)
from app.documents.sections import Letterhead
from app.domain.typed_dates import birth_text
from app.domain.views import EscalationDetail

TITLE = "Case chronology"


def chronology_pdf(
    details: Sequence[EscalationDetail],
    letterhead: Letterhead,
    *,
    generated_at: datetime,
    title: str = TITLE,
    redact: Callable[[str], str] | None = None,
    note: str = "",
) -> bytes:
    """``details``: one escalation, or every escalation about one child. ``redact``
    rewrites each entry's text (subject access: third parties' names taken out)."""
    clean = redact or (lambda text: text)
    if not details:
        raise ValueError("a chronology needs at least one escalation")
    s = Styles()
    width = content_width()
    child = details[0].child
    refs = ", ".join(d.row.ref for d in details)
    story: list[Flowable] = [
        para(title, s.title),
        para(f"{letterhead.setting} — {letterhead.dsl}, Designated Safeguarding Lead", s.subtitle),
        spacer(3),
        facts_table(
            [
                ("Child", child.name),
                ("Date of birth", birth_text(child.date_of_birth)),
                ("Escalations", refs),
            ],
            s,
            width,
        ),
        spacer(3),
        para(
            "Every recorded event in date order. Amendments are shown as amendments, after "
            "the version they amend; no version has been removed.",
            s.small,
        ),
        spacer(2),
    ]
    if note:
        story += [para(note, s.body), spacer(2)]
    rows = []
    for entry in sorted((e for d in details for e in entries(d)), key=lambda e: e.at):
        what = ("AMENDMENT — " if entry.amendment else "") + clean(entry.what)
        rows.append(
            [
                f"{entry.at:%d/%m/%Y %H:%M}",
                entry.ref,
                what,
                clean(entry.detail),
                clean(entry.by),
            ]
        )
    story.append(
        grid_table(
            ["When", "Ref", "Event", "Detail", "By"],
            rows,
            s,
            [w * width for w in (0.14, 0.15, 0.2, 0.36, 0.15)],
        )
    )
    meta = DocumentMeta(
        title=title,
        reference=f"{details[0].row.ref if len(details) == 1 else 'child'} / chronology",
        author=letterhead.setting,
        subject=f"Chronology of escalations {refs}",
        generated_at=generated_at,
    )
    return build_pdf(story, meta)
