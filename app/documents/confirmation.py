"""The written confirmation of the agreed outcome: what every policy ends with ("written
confirmation between the parties about an agreed outcome of the disagreement and how any
outstanding issues will be pursued")."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from app.chronology import uk_date
from app.documents.layout import (
    DocumentMeta,
    Styles,
    build_pdf,
    content_width,
    facts_table,
    grid_table,
    para,
    signature_block,
)
from app.documents.sections import (
    Letterhead,
    actions_table,
    child_block,
    disagreement_block,
    heading,
    policy_block,
    stages_block,
)
from app.domain.views import EscalationDetail
from app.errors import InputError
from app.policy import Policy

TITLE = "Written confirmation of agreed outcome"


def _parties(parties: list[dict[str, object]], s: Styles, width: float) -> list[Flowable]:
    return [
        para("The parties", s.h2),
        grid_table(
            ["Name", "Role", "Agency"],
            [
                [str(p.get("name", "")), str(p.get("role", "")), str(p.get("agency", ""))]
                for p in parties
            ],
            s,
            [width * 0.36, width * 0.32, width * 0.32],
        ),
    ]


def _agreed(outcome: dict[str, object], s: Styles, width: float) -> list[Flowable]:
    return [
        para("The agreed outcome", s.h2),
        facts_table(
            [
                ("Agreed on", (uk_date(outcome.get("agreed_on")) or "—")),
                ("What was agreed", str(outcome.get("agreed", ""))),
            ],
            s,
            width,
        ),
    ]


def _outstanding(outcome: dict[str, object], s: Styles, width: float) -> list[Flowable]:
    return [
        para("Outstanding issues and how they will be pursued", s.h2),
        facts_table(
            [
                ("Outstanding issues", str(outcome.get("outstanding") or "None")),
                ("How they will be pursued", str(outcome.get("how_pursued") or "—")),
                ("Debrief offered", "Yes" if outcome.get("debrief_offered") else "No"),
                ("Learning for the partnership", str(outcome.get("learning") or "—")),
            ],
            s,
            width,
        ),
    ]


def _signatures(parties: list[dict[str, object]], s: Styles, width: float) -> list[Flowable]:
    return [
        para("Signatures", s.h2),
        para("Each party confirms that this is an accurate record of the agreed outcome.", s.body),
        signature_block(
            [
                (
                    str(p.get("name", "")),
                    ", ".join(x for x in (str(p.get("role", "")), str(p.get("agency", ""))) if x),
                )
                for p in parties
            ],
            s,
            width,
        ),
    ]


def confirmation_pdf(
    detail: EscalationDetail,
    policy: Policy | None,
    letterhead: Letterhead,
    *,
    generated_at: datetime,
) -> bytes:
    outcomes = [r for r in detail.records if r.kind == "outcome"]
    if not outcomes:
        raise InputError(f"{detail.row.ref} has no agreed outcome yet; record the outcome first.")
    outcome = outcomes[-1].current.content
    s = Styles()
    width = content_width()
    parties = [p for p in outcome.get("parties", []) if isinstance(p, dict)]  # type: ignore[attr-defined]
    story: list[Flowable] = heading(TITLE, detail, letterhead, s)
    story += _parties(parties, s, width)
    story += child_block(detail, s)
    story += disagreement_block(detail, s)
    story += stages_block(detail, s, generated_at)
    story += _agreed(outcome, s, width)
    story.append(para("Actions", s.h2))
    story += actions_table(detail, s)
    story += _outstanding(outcome, s, width)
    story += policy_block(detail, policy, s)
    story += _signatures(parties, s, width)
    meta = DocumentMeta(
        title=TITLE,
        reference=f"{detail.row.ref} / confirmation",
        author=letterhead.setting,
        subject=f"Agreed outcome of escalation {detail.row.ref}",
        generated_at=generated_at,
    )
    return build_pdf(story, meta)
