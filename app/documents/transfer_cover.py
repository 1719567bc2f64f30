"""The covering page written beside a transfer file: the transfer's seal, for the
receiving DSL to confirm before importing, and who sent it.

It sits unencrypted on disk beside the file and may be posted or emailed, so it holds
no child data (no name, date of birth or reference) and no staff names: only the
sending setting (which the receiving DSL must know to trust the page), when, how many
escalations, the transfer's identifier, and the seal. Sent by a different route from
the file (or read out on the phone), it is what proves the file was not changed on the
way.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from app.documents.layout import (
    DocumentMeta,
    Styles,
    build_pdf,
    content_width,
    facts_table,
    para,
    spacer,
)
from app.domain.seal import Seal

TITLE = "Record transfer: covering page"


def cover_pdf(
    transfer_seal: Seal,
    *,
    setting: str,
    escalations: int,
    transfer_id: str,
    generated_at: datetime,
) -> bytes:
    s = Styles()
    width = content_width()
    seal_style = s.title.clone("seal", fontSize=20, leading=26)
    story: list[Flowable] = [
        para(TITLE, s.title),
        para(f"From {setting or 'the sending setting'}", s.subtitle),
        spacer(4),
        para("Transfer seal", s.h2),
        para(f"{transfer_seal.entry} · {transfer_seal.grouped}", seal_style),
        para(
            "The receiving Designated Safeguarding Lead types this seal in when importing "
            "the transfer file (or has it read out by the sender on the phone). The app "
            "refuses a file that does not match it: a file changed on the way, or another "
            "file, is never imported.",
            s.body,
        ),
        spacer(2),
        para(
            "Send this page by a different route from the transfer file and from its "
            "passphrase (for example by post, or read the seal out on the phone).",
            s.body,
        ),
        para("The transfer", s.h2),
        facts_table(
            [
                ("Sent by", setting or "the sending setting"),
                ("Exported", f"{generated_at:%d/%m/%Y %H:%M}"),
                ("Escalations", str(escalations)),
                ("Transfer identifier", transfer_id),
            ],
            s,
            width,
        ),
        spacer(2),
        para(
            "This page holds no child data. The records themselves are only in the "
            "encrypted transfer file. The record seal at the foot of the page is the "
            "sending setting's own record of this page, not the transfer seal.",
            s.small,
        ),
    ]
    meta = DocumentMeta(
        title=TITLE,
        reference=f"Transfer {transfer_id[:8]}",
        author=setting,
        subject=f"{TITLE}; transfer seal {transfer_seal.typed}",
        generated_at=generated_at,
    )
    return build_pdf(story, meta)
